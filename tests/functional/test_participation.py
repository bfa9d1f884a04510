"""A victim pauses updates (until a date, or until a stage), starts them again, leaves the
scheme and asks to come back; their officer brings them back from the console. Each
changes what the outbox may send, and each is on the timeline and in the audit."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from portal.cli import resume_paused
from portal.domain.contact_times import london_today
from portal.extensions import db
from portal.models import (
    ActorType,
    AuditEvent,
    Case,
    CaseStatus,
    Language,
    NotificationChannel,
    NotificationStatus,
    OutboxNotification,
    SentenceStage,
    TimelineEvent,
    VictimSession,
    utcnow,
)
from portal.services import messages, participation, sign_in
from portal.services.staff_changes import VictimActor
from tests.support.case_pages import stage_form
from tests.support.delivery import deliver
from tests.support.preferences import EMAIL, MOBILE, member
from tests.support.registration_steps import csrf, post
from tests.support.sign_in_steps import sign_in_as
from tests.support.staff_state import signed_in_officer

TODAY = london_today(utcnow())


def main_text(page) -> str:
    return page.find("main").get_text(" ", strip=True)


def errors(page) -> list[str]:
    summary = page.find(class_="govuk-error-summary")
    return [li.get_text(" ", strip=True) for li in summary.find_all("li")] if summary else []


def stage_notifications(app_db, victim_id: int) -> list[OutboxNotification]:
    app_db.expire_all()
    return list(
        app_db.scalars(
            select(OutboxNotification)
            .where(
                OutboxNotification.victim_id == victim_id,
                OutboxNotification.template_key == "new_stage",
            )
            .order_by(OutboxNotification.created_at)
        )
    )


def case_of(app_db, case_id: int) -> Case:
    app_db.expire_all()
    return app_db.get(Case, case_id)


def entries(app_db, case_id: int) -> list[TimelineEvent]:
    return list(
        app_db.scalars(
            select(TimelineEvent).where(TimelineEvent.case_id == case_id).order_by(TimelineEvent.id)
        )
    )


class Officer:
    """An officer of the case's region, signed in to the console on their own client."""

    def __init__(self, app, region_id: int) -> None:
        from tests.support.pages import PageClient

        self.client = app.test_client()
        signed_in_officer(self.client, region_id=region_id)
        self.pages = PageClient(self.client)

    def add_stage(self, case_id: int, stage: str, status: int = 303):
        page = self.pages.get(f"/staff/cases/{case_id}")
        response = self.client.post(
            f"/staff/cases/{case_id}/timeline/stage",
            data={**stage_form(stage=stage, month="5", year="2026"), "csrf_token": csrf(page)},
        )
        assert response.status_code == status, response.get_data(as_text=True)[:500]
        return response


def region_of(app, case_id: int) -> int:
    with app.app_context():
        return db.session.get(Case, case_id).region_id


def pause_until(pages, me, until: str, day: date | None = None):
    page = post(pages, me.url("/pause"), {"until": until})
    if day is not None:
        assert page.response.request.path == me.url("/pause/date"), errors(page)
        page = post(
            pages,
            me.url("/pause/date"),
            {"day": str(day.day), "month": str(day.month), "year": str(day.year)},
        )
    assert page.response.request.path == me.url("/pause/check"), errors(page)
    return post(pages, me.url("/pause/check"), {})


# --- pausing until a stage ----------------------------------------------------------------


def test_pause_until_a_stage_sends_nothing_until_that_stage_then_resumes(
    app, pages, client, app_db
):
    me = member(app, client=client, sign_in_with="mobile")
    page = pages.get(me.url("/pause"))
    offered = [r["value"] for r in page.find_all("input", attrs={"name": "until"})]
    assert offered == ["day", "parole", "release", "licence_conditions", "end_of_sentence"]
    page = post(pages, me.url("/pause"), {"until": "parole"})
    assert "Until a parole review starts" in main_text(page)
    page = post(pages, me.url("/pause/check"), {})
    assert page.response.request.path == me.url("/contact")
    assert "Updates paused" in main_text(page)
    assert "We have sent an email to b•••@example.com to confirm this change." in main_text(page)
    case = case_of(app_db, me.case_id)
    assert (case.status, case.paused_until_stage) == (CaseStatus.PAUSED, SentenceStage.PAROLE)
    # The victim reads it on their timeline; the officer sees it too; the audit names them.
    home = pages.get("/account")
    assert "You paused updates until a parole review." in main_text(home)
    [audit] = app_db.scalars(select(AuditEvent).filter_by(action="case.paused")).all()
    assert (audit.actor_type, audit.actor_id) == (ActorType.VICTIM, me.victim_id)

    officer = Officer(app, region_of(app, me.case_id))
    staff_page = officer.pages.get(f"/staff/cases/{me.case_id}")
    assert "The victim paused updates until a parole review is recorded" in main_text(staff_page)
    # A recall, and a move in custody: nothing is sent.
    officer.add_stage(me.case_id, "recall")
    officer.add_stage(me.case_id, "custody")
    assert stage_notifications(app_db, me.victim_id) == []
    assert case_of(app_db, me.case_id).status == CaseStatus.PAUSED
    # The parole review: the pause ends, and the victim is told of it.
    officer.add_stage(me.case_id, "parole")
    case = case_of(app_db, me.case_id)
    assert (case.status, case.paused_until_stage) == (CaseStatus.ACTIVE, None)
    [told] = stage_notifications(app_db, me.victim_id)
    assert told.recipient == EMAIL
    assert any(
        e.summary.startswith("Your pause has ended") and e.visible_to_victim
        for e in entries(app_db, me.case_id)
    )
    # Sending resumes: the next stage is told too.
    officer.add_stage(me.case_id, "release")
    assert len(stage_notifications(app_db, me.victim_id)) == 2
    assert (
        app_db.scalars(select(AuditEvent).filter_by(action="case.pause_ended"))
        .one()
        .detail["reason"]
        == "stage"
    )


def test_a_later_stage_than_the_one_waited_for_ends_the_pause_too(app, client, app_db):
    me = member(app, client=client)
    with app.app_context():
        case = db.session.get(Case, me.case_id)
        participation.pause(
            db.session,
            case,
            VictimActor(me.victim_id),
            "http://x/sign-in",
            until_stage=SentenceStage.PAROLE,
        )
        db.session.commit()
    Officer(app, region_of(app, me.case_id)).add_stage(me.case_id, "release")
    assert case_of(app_db, me.case_id).status == CaseStatus.ACTIVE
    assert len(stage_notifications(app_db, me.victim_id)) == 1


# --- pausing until a date -------------------------------------------------------------------


def test_pause_until_a_date_ends_on_its_day_by_the_daily_command(app, pages, client, app_db):
    me = member(app, client=client)
    day = TODAY + timedelta(days=30)
    page = post(pages, me.url("/pause"), {"until": "day"})
    assert page.find("h1").get_text(strip=True) == "When do you want updates to start again?"
    page = post(
        pages,
        me.url("/pause/date"),
        {"day": str(day.day), "month": str(day.month), "year": str(day.year)},
    )
    assert page.find("h1").get_text(strip=True) == "Check your pause"
    # Change goes back to the date, which keeps what was typed.
    change = pages.get(me.url("/pause/date"))
    assert change.find("input", attrs={"name": "year"})["value"] == str(day.year)
    post(pages, me.url("/pause/check"), {})
    assert case_of(app_db, me.case_id).paused_until == day
    officer = Officer(app, region_of(app, me.case_id))
    officer.add_stage(me.case_id, "parole")
    assert stage_notifications(app_db, me.victim_id) == []
    # Before its day the command leaves it; on its day it ends it.
    runner = CliRunner()
    with app.app_context():
        result = runner.invoke(resume_paused, catch_exceptions=False)
    assert "Started updates again on 0 paused cases." in result.output
    with app.app_context():
        case = db.session.get(Case, me.case_id)
        case.paused_until = TODAY
        db.session.commit()
        result = runner.invoke(resume_paused, catch_exceptions=False)
        db.session.commit()
    assert "Started updates again on 1 paused cases." in result.output
    assert case_of(app_db, me.case_id).status == CaseStatus.ACTIVE
    officer.add_stage(me.case_id, "release")
    assert len(stage_notifications(app_db, me.victim_id)) == 1


def test_a_pause_whose_day_has_come_ends_when_a_stage_is_recorded(app, client, app_db):
    """The lazy check: no daily command ran, and the officer records a stage."""
    me = member(app, client=client)
    with app.app_context():
        case = db.session.get(Case, me.case_id)
        case.status, case.paused_until = CaseStatus.PAUSED, TODAY
        db.session.commit()
    Officer(app, region_of(app, me.case_id)).add_stage(me.case_id, "parole")
    assert case_of(app_db, me.case_id).status == CaseStatus.ACTIVE
    assert len(stage_notifications(app_db, me.victim_id)) == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Select how long to pause updates for"),
        ({"until": "recall"}, "Select how long to pause updates for"),
        ({"until": "custody"}, "Select how long to pause updates for"),
        ({"until": ["day", "parole"]}, None),
    ],
)
def test_every_choice_of_how_long(app, pages, client, app_db, data, message):
    me = member(app, client=client)
    page = post(pages, me.url("/pause"), data)
    if message is None:  # a list where one value belongs: the first is read, nothing more
        assert page.response.request.path == me.url("/pause/date")
        return
    assert errors(page) == [message]
    assert page.title.get_text(strip=True).startswith("Error: ")
    assert case_of(app_db, me.case_id).status == CaseStatus.ACTIVE


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Enter the date for the pause to end"),
        (
            {"day": "31", "month": "2", "year": "2030"},
            "The date to pause updates until must be a real date",
        ),
        (
            {"day": "1", "month": "1", "year": "2020"},
            "The date to pause updates until must be in the future",
        ),
        (
            {"day": "1", "month": "1", "year": "2099"},
            "The date to pause updates until must be within the next 5 years",
        ),
        ({"month": "1", "year": "2030"}, "The date to pause updates until must include a day"),
        (
            {"day": "x", "month": "1", "year": "2030"},
            "The date to pause updates until must be a real date",
        ),
        (
            {"day": "1" * 40, "month": "1", "year": "2030"},
            "The date to pause updates until must be a real date",
        ),
    ],
)
def test_every_date_rule(app, pages, client, app_db, data, message):
    me = member(app, client=client)
    post(pages, me.url("/pause"), {"until": "day"})
    page = post(pages, me.url("/pause/date"), data)
    assert errors(page) == [message]
    assert page.title.get_text(strip=True).startswith("Error: ")
    assert case_of(app_db, me.case_id).status == CaseStatus.ACTIVE


def test_the_date_page_needs_the_choice_first(app, client):
    me = member(app, client=client)
    assert client.get(me.url("/pause/date")).headers["Location"] == me.url("/pause")


def test_a_forged_pause_changes_nothing(app, pages, client, app_db):
    me = member(app, client=client, stage=SentenceStage.RELEASE)
    # Only stages still ahead are offered; a parole review is behind a release.
    page = post(pages, me.url("/pause"), {"until": "parole"})
    assert errors(page) == ["Select how long to pause updates for"]
    # A pending pause forged in the cookie is checked again before anything changes.
    with client.session_transaction() as cookie:
        cookie["pause_pending"] = {"case": me.reference, "until": "day", "day": "2001-01-01"}
    page = post(pages, me.url("/pause/check"), {}, status=409)
    assert errors(page) == ["The date to pause updates until must be in the future"]
    with client.session_transaction() as cookie:
        cookie["pause_pending"] = {"case": me.reference, "until": "parole"}
    assert client.get(me.url("/pause/check")).headers["Location"] == me.url("/pause")
    assert case_of(app_db, me.case_id).status == CaseStatus.ACTIVE
    assert not app_db.scalars(select(AuditEvent).filter_by(action="case.paused")).all()


def test_a_case_waiting_for_triage_cannot_be_paused(app, pages, client):
    me = member(app, client=client, status=CaseStatus.TRIAGE)
    pages.get(me.url("/pause"), status=404)
    assert "Pause updates for a time" not in main_text(pages.get(me.url("/contact")))


def test_pausing_cancels_what_waits_to_tell_the_victim_of_the_case(app, pages, client, app_db):
    me = member(app, client=client)
    officer = Officer(app, region_of(app, me.case_id))
    officer.add_stage(me.case_id, "parole")
    [waiting] = stage_notifications(app_db, me.victim_id)
    assert waiting.status == NotificationStatus.PENDING
    pause_until(pages, me, "release")
    [cancelled] = stage_notifications(app_db, me.victim_id)
    assert cancelled.status == NotificationStatus.CANCELLED
    assert cancelled.last_error == participation.PAUSED_REASON
    notifications = officer.pages.get(f"/staff/cases/{me.case_id}/notifications")
    assert "The victim paused updates" in main_text(notifications)


def test_starting_updates_again(app, pages, client, app_db):
    me = member(app, client=client)
    pause_until(pages, me, "release")
    page = pages.get(me.url("/contact"))
    assert "Until the offender is released" in main_text(page)
    page = post(pages, me.url("/pause/end"), {})
    assert "Updates started again" in main_text(page)
    assert case_of(app_db, me.case_id).status == CaseStatus.ACTIVE
    Officer(app, region_of(app, me.case_id)).add_stage(me.case_id, "parole")
    assert len(stage_notifications(app_db, me.victim_id)) == 1
    # Once active, the page to start again goes back to the preferences.
    assert client.get(me.url("/pause/end")).status_code == 303


# --- leaving, and coming back ---------------------------------------------------------------


def test_leave_nothing_is_sent(app, pages, client, app_db):
    me = member(app, client=client)
    officer = Officer(app, region_of(app, me.case_id))
    officer.add_stage(me.case_id, "parole")  # waiting to be sent when they leave
    page = pages.get(me.url("/leave"))
    assert "we keep your record for a time" in main_text(page)
    page = post(pages, me.url("/leave"), {})
    assert "You have left the Victim Contact Scheme" in main_text(page)
    case = case_of(app_db, me.case_id)
    assert case.status == CaseStatus.CLOSED and case.left_at is not None
    # What was waiting is cancelled; the confirmation of leaving is the last thing queued.
    [stage] = stage_notifications(app_db, me.victim_id)
    assert (stage.status, stage.last_error) == (
        NotificationStatus.CANCELLED,
        participation.LEFT_REASON,
    )
    before = {row.id for row in app_db.scalars(select(OutboxNotification))}
    # Nothing more: a new stage is refused, a reply refused, no reassignment.
    officer.add_stage(me.case_id, "release", status=409)
    staff_page = officer.pages.get(f"/staff/cases/{me.case_id}")
    assert "The victim left the scheme on" in main_text(staff_page)
    with app.app_context():
        closed = db.session.get(Case, me.case_id)
        assert messages.officer_refused(closed) == "closed"
        assert messages.victim_refused(closed) == "closed"
    after = {row.id for row in app_db.scalars(select(OutboxNotification))}
    assert after == before
    # The worker sends only the confirmation of leaving (to a detail still safe).
    sent = deliver(app, app_db)
    confirmation = app_db.scalars(
        select(OutboxNotification).filter_by(template_key="contact_changed")
    ).one()
    assert [o.reference for o in sent] == [confirmation.id]


def test_a_victim_who_left_still_signs_in_sees_it_and_asks_to_come_back(app, pages, client, app_db):
    me = member(app, client=client)
    post(pages, me.url("/leave"), {})
    # A new sign-in, through the pages, with the code.
    fresh = app.test_client()
    from tests.support.pages import PageClient

    fresh_pages = PageClient(fresh)
    page = sign_in_as(fresh_pages, app_db, EMAIL, EMAIL)
    assert page.response.request.path == "/account"
    text = main_text(page)
    assert "You left the scheme" in text and "Ask to come back into the scheme" in text
    page = fresh_pages.get(me.url("/come-back"))
    assert page.find("h1").get_text(strip=True) == "Ask to come back into the scheme"
    page = post(fresh_pages, me.url("/come-back"), {})
    assert "We have told your Victim Liaison Officer that you want to come back" in main_text(page)
    assert case_of(app_db, me.case_id).come_back_asked_at is not None
    # Asking twice changes nothing.
    post(fresh_pages, me.url("/come-back"), {}, page_url=me.url("/contact"))
    asked = [e for e in entries(app_db, me.case_id) if "asked to come back" in e.summary]
    assert len(asked) == 1 and asked[0].visible_to_victim

    # The officer sees the request on the case, and brings them back from the console.
    officer = Officer(app, region_of(app, me.case_id))
    staff_page = officer.pages.get(f"/staff/cases/{me.case_id}")
    assert "They asked to come back on" in main_text(staff_page)
    link = staff_page.find("a", href=f"/staff/cases/{me.case_id}/bring-back")
    assert link is not None
    page = officer.pages.get(f"/staff/cases/{me.case_id}/bring-back")
    page = post(officer.pages, f"/staff/cases/{me.case_id}/bring-back", {})
    assert "The victim is back in the scheme." in main_text(page)
    assert "The victim was told there is an update, by email." in main_text(page)
    case = case_of(app_db, me.case_id)
    assert (case.status, case.left_at, case.come_back_asked_at) == (CaseStatus.ACTIVE, None, None)
    [back] = app_db.scalars(select(OutboxNotification).filter_by(template_key="back_in_scheme"))
    assert back.recipient == EMAIL and back.language == Language.ENGLISH
    [audit] = app_db.scalars(select(AuditEvent).filter_by(action="case.brought_back")).all()
    assert audit.actor_type == ActorType.STAFF and audit.detail["asked"] is True
    # The victim reads that they are back, and hears of the next stage.
    home = fresh_pages.get("/account")
    assert "You are back in the Victim Contact Scheme." in main_text(home)
    officer.add_stage(me.case_id, "parole")
    assert len(stage_notifications(app_db, me.victim_id)) == 1
    # Bringing back twice changes nothing more: the page says there is nothing to do.
    page = officer.pages.post(
        f"/staff/cases/{me.case_id}/bring-back", data={"csrf_token": csrf(page)}
    )
    assert "The victim has not left the scheme on this case" in main_text(page)
    assert len(app_db.scalars(select(AuditEvent).filter_by(action="case.brought_back")).all()) == 1


def test_a_case_closed_for_another_reason_does_not_sign_in(app, client, app_db):
    me = member(app, sign_in_with=None, status=CaseStatus.CLOSED)
    with app.app_context():
        assert sign_in._safe_details(db.session, NotificationChannel.EMAIL, EMAIL) == []
        case = db.session.get(Case, me.case_id)
        case.left_at = utcnow()
        db.session.commit()
        assert sign_in._safe_details(db.session, NotificationChannel.EMAIL, EMAIL)


def test_a_registration_left_while_waiting_waits_for_triage_again(app, pages, client, app_db):
    me = member(app, client=client, status=CaseStatus.TRIAGE)
    home = pages.get("/account")
    assert home.find("a", href=me.url("/leave"))
    post(pages, me.url("/leave"), {})
    officer = Officer(app, region_of(app, me.case_id))
    post(officer.pages, f"/staff/cases/{me.case_id}/bring-back", {})
    assert case_of(app_db, me.case_id).status == CaseStatus.TRIAGE


def test_only_a_case_the_victim_left_is_brought_back(app, client, app_db):
    me = member(app, client=client)
    officer = Officer(app, region_of(app, me.case_id))
    page = officer.pages.get(f"/staff/cases/{me.case_id}/bring-back")
    assert "The victim has not left the scheme on this case" in main_text(page)
    assert not page.find("main").find("form")
    page = officer.pages.post(
        f"/staff/cases/{me.case_id}/bring-back", data={"csrf_token": csrf(page)}
    )
    assert "The victim has not left the scheme on this case" in main_text(page)
    assert case_of(app_db, me.case_id).status == CaseStatus.ACTIVE
    case_page = officer.pages.get(f"/staff/cases/{me.case_id}")
    assert not case_page.find("a", href=f"/staff/cases/{me.case_id}/bring-back")


def test_leaving_is_refused_for_a_declined_case_and_coming_back_for_an_open_one(app, pages, client):
    me = member(app, client=client)
    assert client.get(me.url("/come-back")).headers["Location"] == me.url("/contact#updates")
    token = csrf(pages.get(me.url("/contact")))
    response = client.post(me.url("/come-back"), data={"csrf_token": token})
    assert response.status_code == 303


def test_leaving_ends_no_session_and_sessions_see_the_case(app, pages, client, app_db):
    me = member(app, client=client, sign_in_with="mobile")
    post(pages, me.url("/leave"), {})
    sessions = app_db.scalars(select(VictimSession).filter_by(destination=MOBILE)).all()
    assert sessions and all(s.ended_at is None for s in sessions)
    assert me.reference in main_text(pages.get("/account"))


def test_the_pause_check_is_in_welsh(app, pages, client):
    me = member(app, client=client, language=Language.WELSH)
    page = post(
        pages, me.url("/pause?lang=cy"), {"until": "release"}, page_url=me.url("/pause?lang=cy")
    )
    assert page.find("h1").get_text(strip=True) == "Gwirio eich saib"
    assert "Nes bydd y troseddwr yn cael ei ryddhau" in main_text(page)
    page = post(pages, me.url("/pause/check"), {})
    assert "Diweddariadau wedi’u hoedi" in main_text(page)


def test_the_timeline_entries_are_in_the_victims_language(app, pages, client, app_db):
    me = member(app, client=client, language=Language.WELSH)
    day = TODAY + timedelta(days=40)
    pause_until(pages, me, "day", day)
    [entry] = [e for e in entries(app_db, me.case_id) if e.summary.startswith("Gwnaethoch oedi")]
    assert entry.language == Language.WELSH
    assert str(day.year) in entry.summary
