"""The requests service (portal/services/victim_requests.py) on the real database, SQLite
and PostgreSQL: what the victim's pages and the console both rely on.

Answers and the officer's words encrypted at rest (and through key rotation); a draft
kept page by page and seen only by the victim; one request per "Start", one step per form
key; a step out of order, after someone else's, or on a case that takes none refused with
nothing written; every step on the timeline and audited without words; an officer's step
telling the victim content-free, in their language, on a safe detail only, and not while
their case is paused.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import func, select, text

from portal import encryption
from portal.domain import requests as rules
from portal.extensions import db
from portal.models import (
    ActorType,
    AuditEvent,
    CaseStatus,
    Channel,
    Language,
    NotificationChannel,
    OutboxNotification,
    RequestKind,
    RequestStatus,
    TimelineEvent,
    TimelineEventKind,
    VictimRequest,
    VictimRequestStep,
)
from portal.notifications.content import render
from portal.services import victim_requests
from portal.services.messages import Actor
from portal.services.victim_requests import Move, Refused
from tests.support.factories import (
    CaseFactory,
    ContactPreferenceFactory,
    VictimFactory,
)

pytestmark = pytest.mark.database

K, S = RequestKind, RequestStatus
SIGN_IN = "https://victim-contact.example.gov.uk/sign-in"
PLACES = "The park at the end of Heol y Frenhines, where my daughter plays."
DECISION = "The Parole Board set a no-contact condition. It did not set an exclusion zone."
NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


def key(n: int = 0) -> str:
    return f"00000000-0000-4000-8000-{n:012d}"


def victim_actor(case) -> Actor:
    return Actor(ActorType.VICTIM, case.victim_id, "request-1")


def officer_actor(officer) -> Actor:
    return Actor(ActorType.STAFF, officer.id, "request-2", "192.0.2.2")


def a_case(language=Language.ENGLISH, status=CaseStatus.ACTIVE, **contact):
    victim = VictimFactory(language=language)
    ContactPreferenceFactory(victim=victim, **contact)
    return CaseFactory(assigned=True, victim=victim, status=status)


@pytest.fixture
def context(app, db_session):
    with app.app_context():
        yield db_session


def licence_request(context, case, n: int = 0) -> VictimRequest:
    """A licence conditions request, written and sent by the victim."""
    found, _ = victim_requests.start(
        context, case, K.LICENCE_CONDITIONS, key(n), victim_actor(case)
    )
    actor = victim_actor(case)
    victim_requests.save_answers(context, case, found, "no-contact", {"no_contact": ["me"]}, actor)
    victim_requests.save_answers(
        context, case, found, "exclusion-zone", {"exclusion_zone": "yes", "places": PLACES}, actor
    )
    victim_requests.send(context, case, found, key(n + 100), actor, NOW)
    return found


def statement(context, case, n: int = 0) -> VictimRequest:
    found, _ = victim_requests.start(
        context, case, K.PERSONAL_STATEMENT, key(n), victim_actor(case)
    )
    actor = victim_actor(case)
    victim_requests.save_answers(context, case, found, "emotional", {"emotional": "Afraid."}, actor)
    victim_requests.save_answers(context, case, found, "how-given", {"how_given": "i_read"}, actor)
    victim_requests.send(context, case, found, key(n + 100), actor, NOW)
    return found


def move(context, case, found, to, n, words="", sent_on=None, seen=None):
    return victim_requests.move_on(
        context,
        case,
        found,
        Move(
            to=to,
            seen=seen or found.status,
            words=words,
            sent_on=sent_on,
            submission_key=key(n),
        ),
        case.officer,
        officer_actor(case.officer),
        SIGN_IN,
        NOW,
    )


def test_answers_and_the_officers_words_are_encrypted_at_rest(context):
    case = a_case()
    found = licence_request(context, case)
    move(context, case, found, S.PASSED_ON, 1)
    step = move(context, case, found, S.DECIDED, 2, words=DECISION).step
    context.commit()
    raw_answers = context.execute(
        text("SELECT answers FROM victim_requests WHERE id = :id"), {"id": found.id}
    ).scalar_one()
    raw_words = context.execute(
        text("SELECT message FROM victim_request_steps WHERE id = :id"), {"id": step.id}
    ).scalar_one()
    assert "Frenhines" not in raw_answers and "park" not in raw_answers
    assert "Parole" not in raw_words and "exclusion" not in raw_words
    assert PLACES in encryption.decrypt(raw_answers)
    assert encryption.decrypt(raw_words) == DECISION
    context.expire_all()
    assert context.get(VictimRequest, found.id).answers["places"] == PLACES


def test_key_rotation_covers_requests(context):
    case = a_case()
    found = statement(context, case)
    step = move(context, case, found, S.RETURNED, 1, words="Please take out the name.").step
    context.commit()
    new_key = Fernet.generate_key().decode()
    try:
        encryption.configure([new_key, encryption.DEVELOPMENT_KEY])
        counts = encryption.reencrypt_all(context, db.metadata)
        assert counts["victim_requests.answers"] >= 1
        assert counts["victim_request_steps.message"] >= 1
        encryption.configure([new_key])
        context.expire_all()
        assert context.get(VictimRequest, found.id).answers["emotional"] == "Afraid."
        assert context.get(VictimRequestStep, step.id).message == "Please take out the name."
    finally:
        encryption.configure([encryption.DEVELOPMENT_KEY])


def test_a_draft_is_kept_page_by_page_and_seen_only_by_the_victim(context):
    case = a_case()
    found, created = victim_requests.start(
        context, case, K.PERSONAL_STATEMENT, key(1), victim_actor(case)
    )
    assert created and found.status == S.DRAFT and found.language == Language.ENGLISH
    actor = victim_actor(case)
    victim_requests.save_answers(context, case, found, "physical", {"physical": "Pain."}, actor)
    victim_requests.save_answers(context, case, found, "family", {"family": "Worry."}, actor)
    victim_requests.save_answers(context, case, found, "physical", {"physical": "Less."}, actor)
    context.commit()
    context.expire_all()
    assert context.get(VictimRequest, found.id).answers == {"physical": "Less.", "family": "Worry."}
    assert victim_requests.requests_of(context, case, with_drafts=True) == [found]
    assert victim_requests.requests_of(context, case, with_drafts=False) == []
    assert victim_requests.request_of(context, case, found.id, with_drafts=False) is None
    # Saving a page is audited by page, never with the words.
    saves = context.scalars(
        select(AuditEvent).where(
            AuditEvent.case_id == case.id, AuditEvent.action == "request.saved"
        )
    ).all()
    assert [event.detail["page"] for event in saves] == ["physical", "family", "physical"]
    assert all("Pain" not in str(event.detail) for event in saves)
    # Nothing on the timeline until it is sent.
    assert not context.scalars(select(TimelineEvent).where(TimelineEvent.case_id == case.id)).all()


def test_start_twice_starts_one_and_carries_on_the_one_in_progress(context):
    case = a_case()
    first, created = victim_requests.start(
        context, case, K.LICENCE_CONDITIONS, key(1), victim_actor(case)
    )
    again, created_again = victim_requests.start(
        context, case, K.LICENCE_CONDITIONS, key(1), victim_actor(case)
    )
    other_tab, created_other = victim_requests.start(
        context, case, K.LICENCE_CONDITIONS, key(2), victim_actor(case)
    )
    assert created and not created_again and not created_other
    assert first.id == again.id == other_tab.id
    count = select(func.count()).select_from(VictimRequest).where(VictimRequest.case_id == case.id)
    assert context.scalar(count) == 1


def test_sending_needs_something_asked_for(context):
    case = a_case()
    found, _ = victim_requests.start(
        context, case, K.LICENCE_CONDITIONS, key(1), victim_actor(case)
    )
    victim_requests.save_answers(
        context, case, found, "no-contact", {"no_contact": ["none"]}, victim_actor(case)
    )
    with pytest.raises(Refused) as refusal:
        victim_requests.send(context, case, found, key(2), victim_actor(case), NOW)
    assert (refusal.value.reason, refusal.value.problem, refusal.value.page) == (
        "not-ready",
        "nothing-asked",
        "no-contact",
    )
    assert found.status == S.DRAFT
    assert not context.scalars(
        select(VictimRequestStep).where(VictimRequestStep.request_id == found.id)
    ).all()


def test_sending_is_on_the_timeline_for_both_sides_and_audited(context):
    case = a_case(language=Language.WELSH)
    found = licence_request(context, case)
    context.commit()
    assert found.status == S.SENT and found.sent_at is not None
    (event,) = context.scalars(select(TimelineEvent).where(TimelineEvent.case_id == case.id))
    assert event.kind == TimelineEventKind.REQUEST and event.request_id == found.id
    assert event.visible_to_victim and event.recorded_by_id is None
    assert event.language == Language.WELSH
    assert "amodau trwydded" in event.summary  # the victim's language, not the request's words
    assert "Frenhines" not in event.summary
    sent = context.scalar(select(AuditEvent).where(AuditEvent.action == "request.sent"))
    assert sent.actor_type == ActorType.VICTIM and sent.actor_id == case.victim_id
    assert sent.detail["request"] == found.id and sent.detail["again"] is False
    # The victim's own step tells nobody anything.
    assert not context.scalars(
        select(OutboxNotification).where(OutboxNotification.victim_id == case.victim_id)
    ).all()


def test_a_sent_request_cannot_be_changed_or_sent_again(context):
    case = a_case()
    found = licence_request(context, case)
    with pytest.raises(Refused) as refusal:
        victim_requests.save_answers(
            context, case, found, "other-concerns", {"other_concerns": "Late."}, victim_actor(case)
        )
    assert refusal.value.reason == "not-editable"
    with pytest.raises(Refused):
        victim_requests.send(context, case, found, key(7), victim_actor(case), NOW)
    # The same sending form again is not an error: it did its step once.
    again = victim_requests.send(context, case, found, key(100), victim_actor(case), NOW)
    assert not again.created
    steps = select(func.count()).select_from(VictimRequestStep)
    assert context.scalar(steps.where(VictimRequestStep.request_id == found.id)) == 1


@pytest.mark.parametrize("status", [CaseStatus.TRIAGE, CaseStatus.CLOSED, CaseStatus.DECLINED])
def test_a_case_that_is_not_live_takes_no_requests(context, status):
    case = a_case(status=status)
    with pytest.raises(Refused) as refusal:
        victim_requests.start(context, case, K.LICENCE_CONDITIONS, key(1), victim_actor(case))
    assert refusal.value.reason == "case"
    with pytest.raises(Refused):
        victim_requests.ask_for_summary(context, case, key(2), victim_actor(case))
    assert not context.scalars(select(VictimRequest).where(VictimRequest.case_id == case.id)).all()


def test_licence_conditions_go_round_and_tell_the_victim_content_free_in_their_language(context):
    case = a_case(language=Language.WELSH, channel=Channel.EMAIL, value="cymraeg@example.com")
    found = licence_request(context, case)
    for n, (to, words) in enumerate(
        ((S.CONSIDERING, ""), (S.PASSED_ON, ""), (S.DECIDED, DECISION)), start=1
    ):
        done = move(context, case, found, to, n, words=words)
        assert done.created and found.status == to
    context.commit()
    sent = context.scalars(
        select(OutboxNotification)
        .where(OutboxNotification.victim_id == case.victim_id)
        .order_by(OutboxNotification.created_at)
    ).all()
    assert [n.template_key for n in sent] == ["request_update"] * 3
    assert {n.language for n in sent} == {Language.WELSH}
    assert {n.recipient for n in sent} == {"cymraeg@example.com"}
    words = render("request_update", "email", "cy", sent[0].personalisation)
    assert "Mae gennych ddiweddariad" in words.subject + words.body
    for notification in sent:
        assert set(notification.personalisation) == {"url"}
    # Each step is on the timeline, for the officer and for the victim, told by its notification.
    events = context.scalars(
        select(TimelineEvent)
        .where(TimelineEvent.case_id == case.id, TimelineEvent.kind == TimelineEventKind.REQUEST)
        .order_by(TimelineEvent.id)
    ).all()
    assert len(events) == 4
    assert all(e.visible_to_victim and e.request_id == found.id for e in events)
    assert [e.recorded_by_id for e in events[1:]] == [case.officer_id] * 3
    assert [e.notification_id for e in events[1:]] == [n.id for n in sent]
    assert all(DECISION not in e.summary for e in events)
    moved = context.scalars(select(AuditEvent).where(AuditEvent.action == "request.moved_on")).all()
    assert [(a.detail["from"], a.detail["to"]) for a in moved] == [
        ("sent", "considering"),
        ("considering", "passed_on"),
        ("passed_on", "decided"),
    ]
    assert all(a.actor_type == ActorType.STAFF and DECISION not in str(a.detail) for a in moved)
    assert found.steps[-1].message == DECISION and found.steps[-1].officer_id == case.officer_id


def test_the_victim_is_told_only_on_a_detail_still_safe(context):
    case = a_case(channel=Channel.EMAIL, value="unsafe@example.com", is_safe=False)
    ContactPreferenceFactory(victim=case.victim, channel=Channel.SMS, value="+447700900111")
    found = licence_request(context, case)
    move(context, case, found, S.CONSIDERING, 1)
    (told,) = context.scalars(
        select(OutboxNotification).where(OutboxNotification.victim_id == case.victim_id)
    ).all()
    assert told.channel == NotificationChannel.SMS and told.recipient == "+447700900111"


def test_a_paused_case_is_not_told_and_the_officer_sees_why(context):
    case = a_case(status=CaseStatus.ACTIVE)
    found = statement(context, case)
    case.status = CaseStatus.PAUSED
    step = move(context, case, found, S.PASSED_ON, 1).step
    assert step.notification_id is None
    assert victim_requests.why_not_told(case, step) == CaseStatus.PAUSED
    assert not context.scalars(
        select(OutboxNotification).where(OutboxNotification.victim_id == case.victim_id)
    ).all()


def test_a_victim_with_no_safe_detail_is_not_told_and_the_officer_sees_why(context):
    case = a_case(channel=Channel.PHONE, value="+441632960001")
    found = statement(context, case)
    step = move(context, case, found, S.CONSIDERING, 1).step
    assert victim_requests.why_not_told(case, step) == "no-safe-channel"


def test_a_statement_is_returned_changed_and_sent_again_then_passed_on(context):
    case = a_case()
    found = statement(context, case)
    move(context, case, found, S.RETURNED, 1, words="Please leave out his address.")
    assert found.status == S.RETURNED
    actor = victim_actor(case)
    victim_requests.save_answers(context, case, found, "emotional", {"emotional": "Better."}, actor)
    again = victim_requests.send(context, case, found, key(50), actor, NOW)
    assert again.created and found.status == S.SENT
    move(context, case, found, S.PASSED_ON, 2)
    assert [step.status for step in found.steps] == [S.SENT, S.RETURNED, S.SENT, S.PASSED_ON]
    assert rules.is_final(found.kind, found.status)
    resent = context.scalars(
        select(AuditEvent).where(AuditEvent.action == "request.sent").order_by(AuditEvent.id)
    ).all()
    assert [a.detail["again"] for a in resent] == [False, True]
    summaries = context.scalars(
        select(TimelineEvent.summary)
        .where(TimelineEvent.case_id == case.id)
        .order_by(TimelineEvent.id)
    ).all()
    assert summaries[2] == "You sent your Victim Personal Statement again, with your changes."


@pytest.mark.parametrize(
    ("to", "reason"),
    [
        (S.DECIDED, "moved-on"),  # a decision before it was passed on
        (S.SUMMARY_SENT, "moved-on"),  # another kind's step
        (S.SENT, "moved-on"),  # the victim's step
        (S.DRAFT, "moved-on"),  # backwards
    ],
)
def test_a_step_out_of_order_is_refused_and_writes_nothing(context, to, reason):
    case = a_case()
    found = licence_request(context, case)
    context.commit()
    with pytest.raises(Refused) as refusal:
        move(context, case, found, to, 1, words=DECISION)
    assert refusal.value.reason == reason
    context.rollback()
    context.expire_all()
    assert context.get(VictimRequest, found.id).status == S.SENT
    steps = select(func.count()).select_from(VictimRequestStep)
    assert context.scalar(steps.where(VictimRequestStep.request_id == found.id)) == 1
    assert not context.scalars(
        select(AuditEvent).where(AuditEvent.action == "request.moved_on")
    ).all()


def test_a_step_after_someone_elses_is_refused(context):
    case = a_case()
    found = licence_request(context, case)
    move(context, case, found, S.CONSIDERING, 1)
    # A second officer, whose page still said "sent", chooses a step that would follow.
    with pytest.raises(Refused) as refusal:
        move(context, case, found, S.PASSED_ON, 2, seen=S.SENT)
    assert refusal.value.reason == "moved-on"
    assert found.status == S.CONSIDERING


def test_the_same_step_form_twice_takes_one_step(context):
    case = a_case()
    found = licence_request(context, case)
    first = move(context, case, found, S.CONSIDERING, 1)
    again = move(context, case, found, S.CONSIDERING, 1, seen=S.SENT)
    assert first.created and not again.created and again.step.id == first.step.id
    notifications = select(func.count()).select_from(OutboxNotification)
    assert context.scalar(notifications.where(OutboxNotification.victim_id == case.victim_id)) == 1


def test_a_decision_needs_words_and_a_summary_a_date(context):
    case = a_case()
    found = licence_request(context, case)
    move(context, case, found, S.PASSED_ON, 1)
    with pytest.raises(Refused) as refusal:
        move(context, case, found, S.DECIDED, 2, words="   ")
    assert refusal.value.reason == "words-needed"
    summary, _ = victim_requests.ask_for_summary(context, case, key(3), victim_actor(case))
    with pytest.raises(Refused) as refusal:
        move(context, case, summary, S.SUMMARY_SENT, 4)
    assert refusal.value.reason == "date-needed"


def test_the_decision_summary_is_asked_for_once_and_its_day_recorded(context):
    case = a_case()
    asked, created = victim_requests.ask_for_summary(context, case, key(1), victim_actor(case))
    twice, created_twice = victim_requests.ask_for_summary(
        context, case, key(1), victim_actor(case)
    )
    other_tab, created_other = victim_requests.ask_for_summary(
        context, case, key(2), victim_actor(case)
    )
    assert created and not created_twice and not created_other
    assert asked.id == twice.id == other_tab.id and asked.status == S.SENT
    assert [step.status for step in asked.steps] == [S.SENT]
    move(context, case, asked, S.SUMMARY_SENT, 3, sent_on=date(2026, 11, 30))
    assert asked.status == S.SUMMARY_SENT and asked.summary_sent_on == date(2026, 11, 30)
    (last,) = context.scalars(
        select(TimelineEvent)
        .where(TimelineEvent.case_id == case.id)
        .order_by(TimelineEvent.id.desc())
        .limit(1)
    ).all()
    assert last.occurred_on == date(2026, 11, 30)
    # A later parole decision: a new summary can be asked for.
    later, created_later = victim_requests.ask_for_summary(
        context, case, key(4), victim_actor(case)
    )
    assert created_later and later.id != asked.id


def test_a_closed_case_takes_no_officer_step(context):
    case = a_case()
    found = licence_request(context, case)
    case.status = CaseStatus.CLOSED
    with pytest.raises(Refused) as refusal:
        move(context, case, found, S.CONSIDERING, 1)
    assert refusal.value.reason == "case"


def test_requests_are_found_only_on_their_own_case(context):
    case, other = a_case(), a_case()
    found = licence_request(context, case)
    assert victim_requests.request_of(context, other, found.id, with_drafts=True) is None
    assert victim_requests.request_of(context, case, found.id, with_drafts=False) == found
    assert victim_requests.waiting_count(context, case) == 1
    assert victim_requests.waiting_count(context, other) == 0
