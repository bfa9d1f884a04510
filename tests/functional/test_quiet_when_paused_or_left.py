"""What the outbox may send about a case the victim paused or left (issue 16), across every
path that tells a victim something: a new stage, an officer's step on a request, a reply to
their messages, bringing them back, and the confirmations of their own changes.

- Everything is content-free, in the victim's language, on a detail still marked safe.
- While a case is paused nothing about it is sent: not at once, not what was waiting when
  they paused, and not a notification the worker had already picked up (it checks again
  just before sending, as it does for a detail marked not safe).
- A victim who left gets nothing after the confirmation of leaving: not what was waiting,
  not a reply, and no confirmation of changes they make afterwards (while no other case of
  theirs is open).
"""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import (
    ActorType,
    Case,
    CaseStatus,
    Channel,
    ContactPreference,
    Language,
    NotificationStatus,
    OutboxNotification,
    RequestKind,
    RequestStatus,
    SentenceStage,
    VictimRequest,
    utcnow,
)
from portal.notifications import content
from portal.notifications.worker import claim_due, send_one
from portal.services import messages, participation, victim_requests
from portal.services.messages import Actor
from portal.services.staff_changes import StaffActor, VictimActor
from tests.support.delivery import RecordingProvider, deliver
from tests.support.factories import CaseFactory
from tests.support.preferences import EMAIL, MOBILE, any_time, member
from tests.support.registration_steps import post

pytestmark = pytest.mark.database

SIGN_IN = "https://portal.example/sign-in"


def rows(app_db, victim_id: int, kind: str | None = None) -> list[OutboxNotification]:
    app_db.expire_all()
    statement = select(OutboxNotification).where(OutboxNotification.victim_id == victim_id)
    if kind is not None:
        statement = statement.where(OutboxNotification.template_key == kind)
    return list(app_db.scalars(statement.order_by(OutboxNotification.created_at)))


def officer_reply(app, case_id: int, words: str = "Thank you, I will call you."):
    """The case's officer replies (portal.services.messages.reply), committed."""
    with app.app_context():
        case = db.session.get(Case, case_id)
        sent = messages.reply(
            db.session,
            case,
            case.officer,
            words,
            case.victim.language,
            str(uuid.uuid4()),
            SIGN_IN,
            Actor(type=ActorType.STAFF, id=case.officer_id),
        )
        db.session.commit()
        return sent.told.id if sent.told else None


def licence_request_moved_on(app, case_id: int) -> str | None:
    """A licence conditions request sent by the victim and moved on by the officer."""
    with app.app_context():
        case = db.session.get(Case, case_id)
        victim = Actor(type=ActorType.VICTIM, id=case.victim_id)
        found, _ = victim_requests.start(
            db.session, case, RequestKind.LICENCE_CONDITIONS, str(uuid.uuid4()), victim
        )
        victim_requests.save_answers(
            db.session, case, found, "no-contact", {"no_contact": ["me"]}, victim
        )
        victim_requests.send(db.session, case, found, str(uuid.uuid4()), victim)
        step = victim_requests.move_on(
            db.session,
            case,
            found,
            victim_requests.Move(
                RequestStatus.CONSIDERING, RequestStatus.SENT, "", None, str(uuid.uuid4())
            ),
            case.officer,
            Actor(type=ActorType.STAFF, id=case.officer_id),
            SIGN_IN,
        )
        db.session.commit()
        return step.step.notification_id


def pause(app, case_id: int, until_stage=SentenceStage.RELEASE) -> None:
    with app.app_context():
        case = db.session.get(Case, case_id)
        participation.pause(
            db.session, case, VictimActor(case.victim_id), SIGN_IN, until_stage=until_stage
        )
        db.session.commit()


def leave(app, case_id: int) -> None:
    with app.app_context():
        case = db.session.get(Case, case_id)
        participation.leave(db.session, case, VictimActor(case.victim_id), SIGN_IN)
        db.session.commit()


# --- paused: nothing about the case ---------------------------------------------------------


def test_a_reply_on_a_paused_case_tells_nobody_and_the_officer_sees_why(app, app_db):
    me = member(app, status=CaseStatus.PAUSED, paused_until_stage=SentenceStage.RELEASE)
    assert officer_reply(app, me.case_id) is None
    assert rows(app_db, me.victim_id, "new_message") == []


def test_the_reply_page_says_a_paused_victim_was_not_told(app, app_db):
    from tests.support.pages import PageClient
    from tests.support.staff_state import signed_in_officer

    me = member(app, status=CaseStatus.PAUSED, paused_until_stage=SentenceStage.RELEASE)
    with app.app_context():
        region_id = db.session.get(Case, me.case_id).region_id
    staff = app.test_client()
    signed_in_officer(staff, region_id=region_id)
    officer_pages = PageClient(staff)
    page = officer_pages.get(f"/staff/cases/{me.case_id}/messages")
    form = page.find(id="reply-form")
    data = {
        field["name"]: field.get("value", "")
        for field in form.find_all("input")
        if field.get("type") != "radio"
    }
    data.update({"reply-body": "I will call you next week.", "reply-language": "en"})
    response = staff.post(f"/staff/cases/{me.case_id}/messages/reply", data=data)
    assert response.status_code == 303, response.get_data(as_text=True)[:300]
    text = officer_pages.get(response.headers["Location"]).find("main").get_text(" ", strip=True)
    assert "Your reply was sent" in text
    assert "The victim has paused updates, so they were not told of your reply" in text
    assert rows(app_db, me.victim_id, "new_message") == []


def test_a_reply_waiting_to_be_sent_is_cancelled_when_the_victim_pauses(app, app_db):
    me = member(app)
    told = officer_reply(app, me.case_id)
    assert told is not None
    pause(app, me.case_id)
    [reply] = rows(app_db, me.victim_id, "new_message")
    assert (reply.status, reply.last_error) == (
        NotificationStatus.CANCELLED,
        participation.PAUSED_REASON,
    )
    # The worker sends only the confirmation of the pause.
    sent = deliver(app, app_db)
    assert [o.rendered.subject for o in sent] == ["Your contact preferences have changed"]


@pytest.mark.parametrize("cause", ["new_stage", "new_message", "request_update"])
def test_the_worker_checks_the_case_again_just_before_sending(app, client, app_db, cause):
    """A notification the worker picked up before the victim paused is not sent: pausing
    cancels only what is still waiting, so the worker checks the case again."""
    me = member(app)
    if cause == "new_stage":
        from tests.functional.test_participation import Officer, region_of

        Officer(app, region_of(app, me.case_id)).add_stage(me.case_id, "parole")
    elif cause == "new_message":
        officer_reply(app, me.case_id)
    else:
        licence_request_moved_on(app, me.case_id)
    [row] = rows(app_db, me.victim_id, cause)
    claimed = claim_due(app_db, utcnow())
    assert row.id in [notification_id for notification_id, _ in claimed]
    pause(app, me.case_id)
    provider = RecordingProvider()
    with app.app_context():
        outcomes = {
            notification_id: send_one(app_db, provider, notification_id, token, utcnow())
            for notification_id, token in claimed
        }
    assert outcomes[row.id] == "cancelled"
    assert [o.reference for o in provider.sent if o.reference == row.id] == []
    [row] = rows(app_db, me.victim_id, cause)
    assert (row.status, row.last_error) == (
        NotificationStatus.CANCELLED,
        participation.PAUSED_REASON,
    )


def test_the_worker_sends_the_update_once_the_case_is_active_again(app, client, app_db):
    """The check is on the case as it is when sending: a notification picked up while the
    case is active goes."""
    me = member(app)
    officer_reply(app, me.case_id)
    sent = deliver(app, app_db)
    assert [o.recipient for o in sent] == [EMAIL]
    assert rows(app_db, me.victim_id, "new_message")[0].status == NotificationStatus.SENT


# --- left: nothing but the confirmation of leaving -------------------------------------------


def test_a_reply_waiting_when_the_victim_leaves_is_never_sent(app, client, pages, app_db):
    me = member(app, client=client)
    officer_reply(app, me.case_id)
    post(pages, me.url("/leave"), {})
    [reply] = rows(app_db, me.victim_id, "new_message")
    assert (reply.status, reply.last_error) == (
        NotificationStatus.CANCELLED,
        participation.LEFT_REASON,
    )
    sent = deliver(app, app_db)
    [confirmation] = rows(app_db, me.victim_id, "contact_changed")
    assert [o.reference for o in sent] == [confirmation.id]


def test_a_victim_who_left_is_not_sent_confirmations_of_later_changes(app, client, pages, app_db):
    me = member(app, client=client)
    post(pages, me.url("/leave"), {})
    assert len(deliver(app, app_db)) == 1  # the confirmation of leaving
    before = {row.id for row in rows(app_db, me.victim_id)}
    # Later, signed in, they change how they are contacted on the case they left.
    page = post(pages, me.url("/contact/language"), {"language": "cy"})
    text = page.find("main").get_text(" ", strip=True)
    assert "You have left the scheme, so we have not sent a message to confirm this change" in text
    post(pages, me.url(f"/contact/{me.letter_id}/safety"), {"to": "unsafe"})
    assert {row.id for row in rows(app_db, me.victim_id)} == before
    assert deliver(app, app_db) == []


def test_a_victim_who_left_one_case_but_has_another_open_is_still_confirmed(
    app, client, pages, app_db
):
    me = member(app, client=client)
    with app.app_context():
        case = db.session.get(Case, me.case_id)
        CaseFactory(
            victim=case.victim,
            status=CaseStatus.ACTIVE,
            officer=case.officer,
            region=case.region,
        )
        db.session.commit()
    post(pages, me.url("/leave"), {})
    deliver(app, app_db)
    post(pages, me.url("/contact/language"), {"language": "cy"})
    confirmations = rows(app_db, me.victim_id, "contact_changed")
    assert len(confirmations) == 2 and confirmations[-1].status == NotificationStatus.PENDING
    assert confirmations[-1].language == Language.WELSH


# --- every issue-16 notification: content-free, their language, a detail still safe ------


def test_every_notification_is_content_free_in_their_language_on_a_safe_detail(app, app_db):
    """A Welsh reader whose email address is not safe: the pause's confirmation, starting
    again, an officer's step on a request, leaving, and being brought back all go to their
    mobile, in Welsh, with no word of the case."""
    me = member(app, language=Language.WELSH, ways=(Channel.EMAIL, Channel.SMS))
    any_time(app, me.victim_id)  # what is sent to the mobile goes now, whatever the hour
    with app.app_context():
        db.session.get(ContactPreference, me.email_id).is_safe = False
        db.session.commit()
        case = db.session.get(Case, me.case_id)
        secrets = [
            case.reference,
            case.offender_name,
            case.officer.full_name,
            case.victim.full_name,
        ]
    kinds = []

    def happened(kind: str) -> None:
        found = rows(app_db, me.victim_id)
        kinds.append(kind)
        assert found and found[-1].template_key == kind, kind
        deliver_all()

    def deliver_all() -> None:
        # Deliver what is due at once (a text waits for safe hours: send it anyway here).
        with app.app_context():
            for row in rows(app_db, me.victim_id):
                if row.status == NotificationStatus.PENDING:
                    row.next_attempt_at = utcnow()
            app_db.commit()
        deliver(app, app_db)

    pause(app, me.case_id)
    happened("contact_changed")
    with app.app_context():
        case = db.session.get(Case, me.case_id)
        participation.resume(db.session, case, VictimActor(me.victim_id), SIGN_IN)
        db.session.commit()
    happened("contact_changed")
    licence_request_moved_on(app, me.case_id)
    happened("request_update")
    leave(app, me.case_id)
    happened("contact_changed")
    with app.app_context():
        case = db.session.get(Case, me.case_id)
        participation.bring_back(db.session, case, StaffActor(case.officer_id), SIGN_IN)
        db.session.commit()
    happened("back_in_scheme")

    everything = rows(app_db, me.victim_id)
    assert {row.template_key for row in everything} == set(kinds)
    for row in everything:
        assert row.recipient == MOBILE, row.template_key
        assert row.language == Language.WELSH
        assert row.status == NotificationStatus.SENT
        with app.app_context():
            rendered = content.render(row.template_key, "sms", "cy", {"url": SIGN_IN})
        words = rendered.subject + rendered.body
        assert "mewngofnodwch" in words.lower(), words
        for secret in secrets:
            assert secret not in words


def test_a_paused_victim_is_told_nothing_about_requests_until_they_start_again(app, app_db):
    me = member(app, status=CaseStatus.PAUSED, paused_until_stage=SentenceStage.RELEASE)
    assert licence_request_moved_on(app, me.case_id) is None
    assert rows(app_db, me.victim_id, "request_update") == []
    with app.app_context():
        [found] = db.session.scalars(
            select(VictimRequest).where(VictimRequest.case_id == me.case_id)
        ).all()
        assert found.status == RequestStatus.CONSIDERING  # the step waits on their page
