"""Writing a case's timeline in the console: a sentence event (told to the victim when they
chose that stage), a call, letter or meeting (the first stops the clock), hiding an entry
and showing it again. Each form: POST, 303, GET; specific errors; forged and repeated
posts change nothing; every change audited."""

from __future__ import annotations

from datetime import date

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from portal.extensions import db
from portal.models import (
    AuditEvent,
    Case,
    CaseStatus,
    Channel,
    ContactPreference,
    DatePrecision,
    Language,
    NotificationChannel,
    OutboxNotification,
    SentenceStage,
    TimelineEvent,
    TimelineEventKind,
    UpdatesWanted,
)
from portal.services import timeline
from tests.support.case_pages import (
    CLOSED_CASE_ID,
    HANDOVER_ID,
    HIDDEN_LETTER_ID,
    INTERNAL_NOTE,
    NOTIFIED_STAGE_ID,
    OFFENDER_NAME,
    SAFE_EMAIL,
    closed_case,
    contact_form,
    full_case,
    merged_case,
    stage_form,
)
from tests.support.delivery import deliver
from tests.support.factories import RegionFactory, TimelineEventFactory
from tests.support.pages import PageClient
from tests.support.registration_steps import csrf
from tests.support.sign_in_steps import sign_in_as
from tests.support.staff_state import signed_in_officer
from tests.support.victim_state import signed_in

STAGE, CONTACT = "timeline/stage", "timeline/contact"


@pytest.fixture
def full(app, db_session):
    return full_case(app)


@pytest.fixture
def officer_id(client, full):
    return signed_in_officer(client, region_id=full.region_id)


def case_url(case_id: int) -> str:
    return f"/staff/cases/{case_id}"


def send(client, case_id: int, path: str, data: dict, **kwargs):
    """Post a form of the case page the way a browser does, with the page's token."""
    page = BeautifulSoup(client.get(case_url(case_id)).get_data(as_text=True), "html.parser")
    return client.post(
        f"{case_url(case_id)}/{path}", data={**data, "csrf_token": csrf(page)}, **kwargs
    )


def entries(app_db, case_id: int) -> list[TimelineEvent]:
    """A case's entries in the order they were written (the fixture's own ids are fixed and
    high, so the id alone would not say which came last)."""
    return list(
        app_db.scalars(
            select(TimelineEvent)
            .where(TimelineEvent.case_id == case_id)
            .order_by(TimelineEvent.created_at, TimelineEvent.id)
        )
    )


def audits(app_db, action: str) -> list[AuditEvent]:
    return list(app_db.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def outbox(app_db, kind: str = "new_stage") -> list[OutboxNotification]:
    return list(
        app_db.scalars(select(OutboxNotification).where(OutboxNotification.template_key == kind))
    )


def page_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def errors_of(response) -> list[str]:
    summary = page_of(response).select_one(".govuk-error-summary")
    return [" ".join(item.get_text().split()) for item in summary.select("li")] if summary else []


# --- a sentence event ---------------------------------------------------------------------


def test_a_sentence_event_is_written_for_the_victim_and_moves_the_case_on(
    app, client, app_db, full, officer_id
):
    before = len(outbox(app_db))
    response = send(
        client,
        full.case_id,
        STAGE,
        stage_form(stage="release", month="11", year="2026", internal_note="Not for the victim."),
    )
    assert response.status_code == 303
    added = entries(app_db, full.case_id)[-1]
    assert response.headers["Location"] == f"{case_url(full.case_id)}?added={added.id}"
    assert (added.kind, added.stage) == (TimelineEventKind.STAGE, SentenceStage.RELEASE)
    assert (added.occurred_on, added.precision) == (date(2026, 11, 1), DatePrecision.MONTH)
    assert added.language == Language.WELSH  # the victim's language, whatever the console's
    assert added.summary == "Mae’r troseddwr yn y carchar."
    assert added.internal_note == "Not for the victim."
    assert added.visible_to_victim and added.recorded_by_id == officer_id
    assert app_db.get(Case, full.case_id).stage == SentenceStage.RELEASE
    (audit,) = audits(app_db, "timeline stage added")
    assert audit.actor_id == officer_id and audit.case_id == full.case_id
    assert audit.detail == {
        "event_id": added.id,
        "stage": "release",
        "precision": "month",
        "current_stage": "release",
        "notification_id": added.notification_id,
    }
    assert len(outbox(app_db)) == before + 1

    page = page_of(client.get(response.headers["Location"]))
    banner = page.select_one("#case-outcome")
    assert "Sentence event added" in banner.get_text()
    assert "The victim was told there is an update, by email." in banner.get_text()
    assert banner.has_attr("data-focus-after-swap")
    assert banner.select_one("a")["href"] == f"#entry-{added.id}"
    new = page.find(id=f"entry-{added.id}")
    assert "New" in new.get_text() and "Released on licence" in new.get_text()


def test_the_victim_is_told_at_once_content_free_on_a_safe_channel_in_their_language(
    app, client, app_db, full, officer_id
):
    send(client, full.case_id, STAGE, stage_form(stage="parole"))
    added = entries(app_db, full.case_id)[-1]
    told = app_db.get(OutboxNotification, added.notification_id)
    assert told.template_key == "new_stage"
    assert told.channel == NotificationChannel.EMAIL
    assert told.recipient == SAFE_EMAIL  # not the email address marked not safe
    assert told.language == Language.WELSH
    assert set(told.personalisation) == {"url"}
    sent = [o for o in deliver(app, app_db) if o.reference == told.id]
    (message,) = sent
    words = message.rendered.subject + message.rendered.body
    assert "Mae gennych ddiweddariad" in words
    for case_detail in (OFFENDER_NAME, "parôl", "Mae’r troseddwr yn y carchar", "Parole"):
        assert case_detail not in words


def test_a_text_message_when_the_only_safe_channel_is_a_mobile(
    app, client, app_db, full, officer_id
):
    with app.app_context():
        for detail in db.session.scalars(
            select(ContactPreference).where(ContactPreference.victim_id == full.victim_id)
        ):
            detail.is_safe = detail.channel == Channel.SMS
        db.session.commit()
    send(client, full.case_id, STAGE, stage_form())
    told = app_db.get(OutboxNotification, entries(app_db, full.case_id)[-1].notification_id)
    assert told.channel == NotificationChannel.SMS and told.recipient == "+447700900555"


@pytest.mark.parametrize(
    ("status", "updates", "stage", "reason"),
    [
        (CaseStatus.PAUSED, UpdatesWanted.EVERY_STAGE, "parole", "asked us not to contact"),
        (CaseStatus.TRIAGE, UpdatesWanted.EVERY_STAGE, "parole", "waiting for triage"),
        (CaseStatus.DECLINED, UpdatesWanted.EVERY_STAGE, "parole", "registration was declined"),
        (CaseStatus.ACTIVE, UpdatesWanted.RELEASE_ONLY, "parole", "only about a release"),
        (CaseStatus.ACTIVE, UpdatesWanted.ANNUAL, "release", "an update once a year"),
    ],
)
def test_the_victim_is_not_told_of_what_they_did_not_choose_or_while_not_active(
    app, client, app_db, db_session, status, updates, stage, reason
):
    built = full_case(app, case_id=900031, status=status, updates_wanted=updates)
    signed_in_officer(client, region_id=built.region_id)
    before = len(outbox(app_db))
    response = send(client, built.case_id, STAGE, stage_form(stage=stage))
    assert response.status_code == 303
    added = entries(app_db, built.case_id)[-1]
    assert added.notification_id is None
    assert len(outbox(app_db)) == before
    banner = page_of(client.get(response.headers["Location"])).select_one("#case-outcome")
    assert reason in banner.get_text()


def test_a_release_only_victim_is_told_of_a_release(app, client, app_db, db_session):
    built = full_case(app, case_id=900032, updates_wanted=UpdatesWanted.RELEASE_ONLY)
    signed_in_officer(client, region_id=built.region_id)
    send(client, built.case_id, STAGE, stage_form(stage="release"))
    assert entries(app_db, built.case_id)[-1].notification_id is not None


def test_a_victim_with_no_safe_channel_is_not_notified_and_the_officer_is_told(
    app, client, app_db, full, officer_id
):
    with app.app_context():
        for detail in db.session.scalars(
            select(ContactPreference).where(ContactPreference.victim_id == full.victim_id)
        ):
            detail.is_safe = False
        db.session.commit()
    response = send(client, full.case_id, STAGE, stage_form())
    assert entries(app_db, full.case_id)[-1].notification_id is None
    banner = page_of(client.get(response.headers["Location"])).select_one("#case-outcome")
    assert "no email address, mobile number or postal address marked safe" in banner.get_text()


def test_an_earlier_stage_written_late_does_not_move_the_case_back(
    app, client, app_db, full, officer_id
):
    send(client, full.case_id, STAGE, stage_form(stage="custody", month="6", year="2023"))
    assert app_db.get(Case, full.case_id).stage == SentenceStage.PAROLE  # October 2026 is later
    (audit,) = audits(app_db, "timeline stage added")
    assert audit.detail["current_stage"] == "parole"


def test_a_release_is_only_ever_told_as_a_month_or_a_year(app, client, app_db, full, officer_id):
    before = len(entries(app_db, full.case_id))
    response = send(
        client, full.case_id, STAGE, stage_form(stage="release", day="14", precision="day")
    )
    assert response.status_code == 200
    assert errors_of(response) == [
        "A release is only ever told as a month or a year, never the day, so that nobody can "
        "wait for the offender: select the month or the year"
    ]
    page = page_of(response)
    assert page.title.get_text().startswith("Error: ")
    assert page.find(id="add-stage").has_attr("open")
    assert len(page.select(".moj-timeline__item")) == before  # the whole page, timeline too
    assert page.select_one(".app-contact-panel")
    assert len(entries(app_db, full.case_id)) == before
    send(client, full.case_id, STAGE, stage_form(stage="release", month="", precision="year"))
    added = entries(app_db, full.case_id)[-1]
    assert (added.occurred_on, added.precision) == (date(2025, 1, 1), DatePrecision.YEAR)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"stage": None, "precision": None, "month": "", "year": "", "summary": ""},
            [
                "Select the stage of the sentence",
                "Select how precisely the victim may be told the date",
                "Write what the victim will read",
            ],
        ),
        ({"stage": "banana"}, ["Select the stage of the sentence"]),
        ({"precision": "week"}, ["Select how precisely the victim may be told the date"]),
        ({"month": "", "year": ""}, ["Enter the date"]),
        (
            {"day": "3"},
            ["Leave the day empty when the victim may be told only the month or the year"],
        ),
        ({"precision": "day"}, ["The date must include a day"]),
        ({"month": "13"}, ["The date must be a real date"]),
        ({"year": "25"}, ["Year must include 4 numbers"]),
        ({"year": "2999"}, ["The date must be today or in the past"]),
        ({"year": "1900"}, ["The date must be in 1950 or later"]),
        ({"month": "1" * 50}, ["The date must be a real date"]),
        ({"summary": "x" * 2001}, ["What the victim will read must be 2000 characters or fewer"]),
        ({"internal_note": "n" * 2001}, ["The note for staff must be 2000 characters or fewer"]),
    ],
)
def test_a_sentence_event_with_a_mistake_is_not_written_and_says_what_to_fix(
    client, app_db, full, officer_id, fields, message
):
    before = len(entries(app_db, full.case_id))
    response = send(client, full.case_id, STAGE, stage_form(**fields))
    assert response.status_code == 200
    assert errors_of(response) == message
    assert len(entries(app_db, full.case_id)) == before
    assert not audits(app_db, "timeline stage added")


def test_control_characters_get_the_bad_request_page_and_write_nothing(
    client, app_db, full, officer_id
):
    before = len(entries(app_db, full.case_id))
    response = send(client, full.case_id, STAGE, stage_form(summary="Bad\x07bell"))
    assert response.status_code == 400
    assert len(entries(app_db, full.case_id)) == before


def test_the_standard_wording_is_offered_in_the_victims_language(client, app_db, full, officer_id):
    before = len(entries(app_db, full.case_id))
    response = send(
        client,
        full.case_id,
        STAGE,
        {**stage_form(stage="parole", summary=""), "stage-wording": "1"},
    )
    assert response.status_code == 200
    page = page_of(response)
    assert not page.select_one(".govuk-error-summary")
    summary = page.find("textarea", attrs={"name": "stage-summary"})
    assert summary.get_text().startswith("Mae’r Bwrdd Parôl yn ystyried")  # Welsh, not English
    assert summary.has_attr("data-focus-after-swap")
    assert page.find("input", attrs={"name": "stage-stage", "value": "parole"}).has_attr("checked")
    assert len(entries(app_db, full.case_id)) == before  # nothing written yet


def test_the_standard_wording_needs_a_stage_first(client, app_db, full, officer_id):
    response = send(client, full.case_id, STAGE, {**stage_form(stage=None), "stage-wording": "1"})
    assert errors_of(response) == ["Select the stage of the sentence"]


def test_every_stage_has_a_standard_wording_in_both_languages():
    for stage in SentenceStage:
        english = timeline.standard_wording(stage, "en")
        welsh = timeline.standard_wording(stage, "cy")
        assert english and welsh and english != welsh


# --- a call, letter or meeting ------------------------------------------------------------


def test_the_first_call_stops_the_clock(app, client, app_db, full, officer_id):
    response = send(client, full.case_id, CONTACT, contact_form(internal_note="She was calm."))
    assert response.status_code == 303
    added = entries(app_db, full.case_id)[-1]
    assert (added.kind, added.direction.value) == (TimelineEventKind.CALL, "to_victim")
    assert added.occurred_on == date(2025, 3, 3) and added.precision == DatePrecision.DAY
    assert added.visible_to_victim and added.language == Language.WELSH
    assert added.internal_note == "She was calm." and added.notification_id is None
    assert app_db.get(Case, full.case_id).first_contact_on == date(2025, 3, 3)
    (audit,) = audits(app_db, "timeline contact recorded")
    assert audit.detail == {
        "event_id": added.id,
        "kind": "call",
        "direction": "to_victim",
        "visible_to_victim": True,
        "first_contact": True,
    }
    page = page_of(client.get(response.headers["Location"]))
    banner = page.select_one("#case-outcome").get_text()
    assert "Phone call recorded" in banner and "clock has stopped" in banner
    assert "Phone call to the victim" in page.find(id=f"entry-{added.id}").get_text()


def test_a_later_contact_keeps_the_first_and_an_earlier_one_takes_its_place(
    client, app_db, full, officer_id
):
    send(client, full.case_id, CONTACT, contact_form(day="10"))
    send(client, full.case_id, CONTACT, contact_form(kind="letter", day="20"))
    assert app_db.get(Case, full.case_id).first_contact_on == date(2025, 3, 10)
    send(
        client,
        full.case_id,
        CONTACT,
        contact_form(kind="meeting", day="1", direction="from_victim"),
    )
    assert app_db.get(Case, full.case_id).first_contact_on == date(2025, 3, 1)
    assert [a.detail["first_contact"] for a in audits(app_db, "timeline contact recorded")] == [
        True,
        False,
        True,
    ]
    assert all(e.notification_id is None for e in entries(app_db, full.case_id)[-3:])


def test_a_contact_only_staff_see_needs_only_a_note(client, app_db, full, officer_id):
    send(
        client,
        full.case_id,
        CONTACT,
        contact_form(visible="no", summary="", internal_note="Left a message."),
    )
    added = entries(app_db, full.case_id)[-1]
    assert not added.visible_to_victim and added.summary == ""
    assert added.internal_note == "Left a message."


def test_a_contact_posted_without_a_summary_field_is_written_with_none(
    client, app_db, full, officer_id
):
    """Found by an outside attack: a post that leaves the summary out (only a forged form
    does) gave a 500 (NULL into a NOT NULL column); it is as an empty summary."""
    response = send(
        client,
        full.case_id,
        CONTACT,
        contact_form(visible="no", summary=None, internal_note="Left a message."),
    )
    assert response.status_code == 303
    added = entries(app_db, full.case_id)[-1]
    assert added.summary == "" and added.internal_note == "Left a message."


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"kind": None}, ["Select whether it was a phone call, a letter or a meeting"]),
        ({"kind": "stage"}, ["Select whether it was a phone call, a letter or a meeting"]),
        ({"kind": "handover"}, ["Select whether it was a phone call, a letter or a meeting"]),
        ({"direction": "sideways"}, ["Select who made contact"]),
        ({"visible": "maybe"}, ["Select whether the victim will see this on their case page"]),
        (
            {"summary": ""},
            ["Write what the victim will read, or select that only staff will see this"],
        ),
        ({"visible": "no", "summary": ""}, ["Write a note for staff about what happened"]),
        ({"day": "", "month": "", "year": ""}, ["Enter the date"]),
        ({"day": ""}, ["The date must include a day"]),
        ({"day": "31", "month": "2"}, ["The date must be a real date"]),
        ({"year": "2999"}, ["The date must be today or in the past"]),
        # Before the clock started (the referral, 30 May 2023): it would fake a first
        # contact within target (an outside test dated a call a year early).
        (
            {"day": "29", "month": "5", "year": "2023"},
            ["The date must be on or after 30 May 2023, the day this case started"],
        ),
    ],
)
def test_a_contact_with_a_mistake_is_not_written_and_says_what_to_fix(
    client, app_db, full, officer_id, fields, message
):
    before = len(entries(app_db, full.case_id))
    response = send(client, full.case_id, CONTACT, contact_form(**fields))
    assert response.status_code == 200
    assert errors_of(response) == message
    assert page_of(response).find(id="record-contact").has_attr("open")
    assert len(entries(app_db, full.case_id)) == before
    assert app_db.get(Case, full.case_id).first_contact_on is None


def test_the_contact_form_starts_dated_today_and_shown_to_the_victim(
    client, full, officer_id, monkeypatch
):
    from portal.staff import case_views

    today = case_views.today()
    monkeypatch.setattr(case_views, "today", lambda: today)  # midnight may pass before we look
    page = page_of(client.get(case_url(full.case_id)))
    assert page.find("input", attrs={"name": "contact-day"})["value"] == str(today.day)
    assert page.find("input", attrs={"name": "contact-year"})["value"] == str(today.year)
    assert page.find("input", attrs={"name": "contact-visible", "value": "yes"}).has_attr("checked")


# --- sent twice, forged, or too late ------------------------------------------------------


@pytest.mark.parametrize(("path", "form"), [(STAGE, stage_form), (CONTACT, contact_form)])
def test_a_form_sent_twice_writes_one_entry(client, app_db, full, officer_id, path, form):
    data = form()
    first = send(client, full.case_id, path, data)
    second = send(client, full.case_id, path, data)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    keys = [e.submission_key for e in entries(app_db, full.case_id) if e.submission_key]
    assert len(keys) == 1
    assert (
        len(app_db.scalars(select(AuditEvent).where(AuditEvent.action.like("timeline %"))).all())
        == 1
    )


def test_two_requests_at_once_with_one_key_write_one_entry(
    client, app_db, full, officer_id, monkeypatch
):
    """The second request looked before the first was saved: the unique key stops it, and it
    answers with the first one's entry."""
    data = stage_form()
    send(client, full.case_id, STAGE, data)
    first_look = []
    real = timeline.earlier_submission

    def not_yet_saved(session, case, key):
        if not first_look:
            first_look.append(key)
            return None  # as if the other request had not committed when this one looked
        return real(session, case, key)

    monkeypatch.setattr(timeline, "earlier_submission", not_yet_saved)
    response = send(client, full.case_id, STAGE, data)
    assert response.status_code == 303 and first_look
    assert len([e for e in entries(app_db, full.case_id) if e.submission_key]) == 1


def test_a_form_with_no_key_is_refused(client, app_db, full, officer_id):
    before = len(entries(app_db, full.case_id))
    for key in (None, "", "not-a-uuid", "1" * 36):
        response = send(client, full.case_id, STAGE, stage_form(submission_key=key))
        assert response.status_code == 400
    assert len(entries(app_db, full.case_id)) == before


def test_another_regions_case_cannot_be_written(app, client, app_db, full):
    with app.app_context():
        elsewhere = RegionFactory()
        db.session.commit()
        elsewhere_id = elsewhere.id
    signed_in_officer(client, region_id=elsewhere_id)
    token = csrf(page_of(client.get("/staff")))
    before = len(entries(app_db, full.case_id))
    for path, data in ((STAGE, stage_form()), (CONTACT, contact_form())):
        response = client.post(
            f"{case_url(full.case_id)}/{path}", data={**data, "csrf_token": token}
        )
        assert response.status_code == 404
    url = f"{case_url(full.case_id)}/timeline/{HIDDEN_LETTER_ID}/visibility"
    assert client.post(url, data={"visible": "yes", "csrf_token": token}).status_code == 404
    assert len(entries(app_db, full.case_id)) == before
    assert not app_db.get(TimelineEvent, HIDDEN_LETTER_ID).visible_to_victim


@pytest.mark.parametrize(("path", "form"), [(STAGE, stage_form), (CONTACT, contact_form)])
def test_a_closed_case_is_refused_kindly(app, client, app_db, full, officer_id, path, form):
    closed_case(app, full.region_id)
    token = csrf(page_of(client.get(case_url(full.case_id))))
    before = len(entries(app_db, CLOSED_CASE_ID))
    response = client.post(
        f"{case_url(CLOSED_CASE_ID)}/{path}", data={**form(), "csrf_token": token}
    )
    assert response.status_code == 409
    page = page_of(response)
    assert "This case is closed, so its timeline cannot change. Nothing was changed." in " ".join(
        page.find(id="main-content").get_text().split()
    )
    assert page.select_one("#victim-language")  # still a page about the victim
    assert len(entries(app_db, CLOSED_CASE_ID)) == before


def test_a_merged_case_points_to_the_victims_other_case(app, client, app_db, full, officer_id):
    merged = merged_case(app, full.region_id, into=full.case_id)
    token = csrf(page_of(client.get(case_url(full.case_id))))
    response = client.post(
        f"{case_url(merged.case_id)}/{STAGE}", data={**stage_form(), "csrf_token": token}
    )
    assert response.status_code == 409
    link = page_of(response).find("a", string="Go to the victim’s other case")
    assert link["href"] == case_url(full.case_id)


def test_opening_a_forms_address_goes_to_the_form_on_the_case_page(client, full, officer_id):
    for path, anchor in ((STAGE, "add-stage"), (CONTACT, "record-contact")):
        response = client.get(f"{case_url(full.case_id)}/{path}?lang=cy")
        assert response.status_code == 303
        assert response.headers["Location"] == f"{case_url(full.case_id)}#{anchor}"


# --- hiding an entry, and showing it again ------------------------------------------------


def visibility_url(case_id: int, event_id: int) -> str:
    return f"{case_url(case_id)}/timeline/{event_id}/visibility"


def test_hiding_an_entry_asks_first_then_hides_it(app, client, app_db, full, officer_id):
    url = visibility_url(full.case_id, NOTIFIED_STAGE_ID)
    page = page_of(client.get(url))
    assert page.find("h1").get_text(strip=True) == "Hide this entry from the victim?"
    assert page.find("input", attrs={"name": "visible"})["value"] == "no"
    assert page.select_one("#victim-language")
    assert app_db.get(TimelineEvent, NOTIFIED_STAGE_ID).visible_to_victim  # asking changes nothing
    response = client.post(url, data={"visible": "no", "csrf_token": csrf(page)})
    assert response.status_code == 303
    assert response.headers["Location"] == f"{case_url(full.case_id)}?hidden={NOTIFIED_STAGE_ID}"
    app_db.expire_all()
    assert not app_db.get(TimelineEvent, NOTIFIED_STAGE_ID).visible_to_victim
    (audit,) = audits(app_db, "timeline entry hidden")
    assert audit.detail == {"event_id": NOTIFIED_STAGE_ID, "kind": "stage"}
    banner = page_of(client.get(response.headers["Location"])).select_one("#case-outcome")
    assert "The entry is hidden from the victim" in banner.get_text()

    # Sent again (a double click): nothing more changes, nothing more is audited.
    assert client.post(url, data={"visible": "no", "csrf_token": csrf(page)}).status_code == 303
    assert len(audits(app_db, "timeline entry hidden")) == 1

    signed_in(client, SAFE_EMAIL)
    assert "Mae adolygiad parôl wedi dechrau." not in client.get("/account").get_data(as_text=True)


def test_a_hidden_entry_can_be_shown_again(app, client, app_db, full, officer_id):
    url = visibility_url(full.case_id, HIDDEN_LETTER_ID)
    page = page_of(client.get(url))
    assert page.find("h1").get_text(strip=True) == "Show this entry to the victim again?"
    response = client.post(url, data={"visible": "yes", "csrf_token": csrf(page)})
    assert response.status_code == 303
    app_db.expire_all()
    assert app_db.get(TimelineEvent, HIDDEN_LETTER_ID).visible_to_victim
    assert len(audits(app_db, "timeline entry shown")) == 1


def test_a_handover_note_can_never_be_shown_to_the_victim(app, client, app_db, full, officer_id):
    url = visibility_url(full.case_id, HANDOVER_ID)
    page = page_of(client.get(url))
    assert "it is a note for staff" in page.find(id="main-content").get_text()
    assert not page.find("button", string=lambda s: s and "Show it" in s)
    response = client.post(url, data={"visible": "yes", "csrf_token": csrf(page)})
    assert response.status_code == 409
    app_db.expire_all()
    assert not app_db.get(TimelineEvent, HANDOVER_ID).visible_to_victim
    assert not audits(app_db, "timeline entry shown")


def test_an_entry_of_another_case_is_not_found(app, client, app_db, full, officer_id):
    other = full_case(app, case_id=900041, region_id=full.region_id)
    with app.app_context():
        theirs = TimelineEventFactory(case=db.session.get(Case, other.case_id))
        db.session.commit()
        theirs_id = theirs.id
    url = visibility_url(full.case_id, theirs_id)
    assert client.get(url).status_code == 404
    token = csrf(page_of(client.get(case_url(full.case_id))))
    assert client.post(url, data={"visible": "no", "csrf_token": token}).status_code == 404
    assert app_db.get(TimelineEvent, theirs_id).visible_to_victim


def test_a_forged_answer_changes_nothing(app, client, app_db, full, officer_id):
    url = visibility_url(full.case_id, NOTIFIED_STAGE_ID)
    token = csrf(page_of(client.get(url)))
    response = client.post(url, data={"visible": "toggle", "csrf_token": token})
    assert response.status_code == 200
    assert errors_of(response) == ["Select whether the victim will see this entry"]
    assert app_db.get(TimelineEvent, NOTIFIED_STAGE_ID).visible_to_victim


# --- with htmx ----------------------------------------------------------------------------


def test_with_htmx_an_error_comes_back_in_place_and_the_address_stays(client, full, officer_id):
    response = send(
        client, full.case_id, STAGE, stage_form(stage=None), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<html" not in html and "govuk-error-summary" in html
    assert "HX-Push-Url" not in response.headers
    assert "<title>Error: Summary and timeline" in html


def test_with_htmx_the_added_entry_comes_back_in_place(client, app_db, full, officer_id):
    response = send(
        client,
        full.case_id,
        CONTACT,
        contact_form(),
        headers={"HX-Request": "true"},
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    added = entries(app_db, full.case_id)[-1]
    assert "<html" not in html
    assert f'id="entry-{added.id}"' in html and "data-focus-after-swap" in html
    assert response.headers["HX-Push-Url"] == f"{case_url(full.case_id)}?added={added.id}"


# --- end to end: written in Welsh, read in Welsh ------------------------------------------


def test_a_welsh_victim_reads_in_welsh_what_an_english_console_wrote(
    app, client, app_db, full, officer_id
):
    # The console is in English; the victim chose Welsh: the starting text is Welsh.
    offered = send(
        client,
        full.case_id,
        STAGE,
        {**stage_form(stage="release", summary=""), "stage-wording": "1"},
    )
    welsh_text = page_of(offered).find("textarea", attrs={"name": "stage-summary"}).get_text()
    assert welsh_text.startswith("Mae’r troseddwr wedi cael ei ryddhau ar drwydded.")
    send(
        client,
        full.case_id,
        STAGE,
        stage_form(stage="release", summary=welsh_text, internal_note=INTERNAL_NOTE + " again"),
    )
    # The victim signs in through the pages, with the code sent to their safe address.
    visitor = PageClient(app.test_client())
    visitor.client.get("/?lang=cy")
    signed_in_page = sign_in_as(visitor, app_db, SAFE_EMAIL, SAFE_EMAIL)
    assert signed_in_page.find("html")["lang"] == "cy"
    page = visitor.client.get("/account").get_data(as_text=True)
    assert welsh_text.strip() in page.replace("&#39;", "'")
    assert "Wedi’i ryddhau ar drwydded" in page and "Ebrill 2025" in page
    assert INTERNAL_NOTE not in page
    english_page = BeautifulSoup(visitor.client.get("/account?lang=en").data, "html.parser")
    entry = english_page.find("p", string=lambda text: text and text.startswith(welsh_text[:30]))
    assert entry["lang"] == "cy"  # the entry is marked as Welsh on an English page
