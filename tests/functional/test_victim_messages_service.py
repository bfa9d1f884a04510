"""The services behind a victim's messages pages, without a client: which case a session
finds, a session that is checked without being kept alive, the conversation, polling,
drafts, and the case page's timelines (portal.services.sign_in, victim_messages)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from portal.domain.messages import Show
from portal.extensions import db
from portal.models import (
    Case,
    CaseStatus,
    Message,
    MessageDraft,
    NotificationChannel,
    Sender,
    TimelineEventKind,
    VictimSession,
    utcnow,
)
from portal.services import messages, sign_in, victim_messages
from tests.support.factories import (
    CaseFactory,
    ContactPreferenceFactory,
    MessageFactory,
    OfficerFactory,
    TimelineEventFactory,
)

EMAIL = "service.victim@example.com"


@pytest.fixture
def session(app, db_session):
    with app.app_context():
        yield db.session


def victim_case(email: str = EMAIL, **fields) -> Case:
    case = CaseFactory(
        **{"status": CaseStatus.ACTIVE, "officer": OfficerFactory(), **fields},
    )
    ContactPreferenceFactory(victim=case.victim, value=email)
    return case


def signed_in(session, email: str = EMAIL) -> VictimSession:
    token = sign_in.start_session(session, NotificationChannel.EMAIL, email)
    return sign_in.current_session(session, token)


# --- which case a session finds --------------------------------------------------------------


def test_a_session_finds_its_own_cases_by_reference_and_no_other(session):
    mine = victim_case()
    another = victim_case("someone.else@example.com")
    closed = victim_case(status=CaseStatus.CLOSED)
    merged = victim_case(status=CaseStatus.MERGED)
    declined = victim_case(status=CaseStatus.DECLINED, triaged_at=utcnow() - timedelta(days=3))
    long_declined = victim_case(
        status=CaseStatus.DECLINED, triaged_at=utcnow() - timedelta(days=120)
    )
    record = signed_in(session)
    assert sign_in.case_of(session, record, mine.reference) == mine
    assert sign_in.case_of(session, record, declined.reference) == declined  # to read why
    for other in (another, closed, merged, long_declined):
        assert sign_in.case_of(session, record, other.reference) is None
    assert sign_in.case_of(session, record, "VCS-NO-SUCH") is None
    readable = set(session.scalars(sign_in.case_ids_of(record)))
    assert readable == {case.id for case in sign_in.cases_of(session, record)}
    assert readable == {mine.id, declined.id}


def test_a_detail_marked_unsafe_finds_nothing(session):
    mine = victim_case()
    record = signed_in(session)
    mine.victim.contact_preferences[0].is_safe = False
    session.flush()
    assert sign_in.case_of(session, record, mine.reference) is None


# --- a session checked without being kept alive ----------------------------------------------


def test_a_request_that_is_not_activity_does_not_keep_the_session_alive(session):
    victim_case()
    token = sign_in.start_session(session, NotificationChannel.EMAIL, EMAIL)
    record = session.scalars(select(VictimSession)).one()
    before = utcnow() - timedelta(minutes=20)
    record.last_seen_at = before
    assert sign_in.current_session(session, token, activity=False) is record
    assert record.last_seen_at == before
    assert sign_in.seconds_left(record) == pytest.approx(10 * 60, abs=5)
    assert sign_in.current_session(session, token) is record  # activity
    assert utcnow() - record.last_seen_at < timedelta(seconds=5)
    record.last_seen_at = utcnow() - sign_in.IDLE_LIMIT
    assert sign_in.current_session(session, token, activity=False) is None  # over, still
    assert record.ended_at is not None


def test_stay_signed_in_counts_the_idle_limit_from_now(session):
    victim_case()
    record = signed_in(session)
    now = utcnow()
    record.last_seen_at = now - timedelta(minutes=29)
    sign_in.extend(record, now)
    assert record.last_seen_at == now
    assert sign_in.seconds_left(record, now) == 30 * 60
    # Never beyond the 8 hours a session may last.
    record.created_at = now - sign_in.SESSION_LIMIT + timedelta(minutes=10)
    assert sign_in.seconds_left(record, now) == 10 * 60


# --- the conversation, polling and drafts ---------------------------------------------------


def test_opening_a_conversation_marks_the_replies_read_and_says_which_were_new(session):
    case = victim_case()
    asked = MessageFactory(case=case, sender=Sender.VICTIM)
    reply = MessageFactory(case=case, sender=Sender.OFFICER, officer_id=case.officer_id)
    shown = victim_messages.open_conversation(session, case, mark_read=False)
    assert shown.messages == [asked, reply] and shown.new_ids == {reply.id}
    assert shown.refused is None and shown.draft is None and shown.last_id == reply.id
    assert session.scalar(select(Message.read_at).where(Message.id == reply.id)) is None

    shown = victim_messages.open_conversation(session, case)
    assert shown.new_ids == {reply.id}
    session.expire_all()
    assert session.get(Message, reply.id).read_at is not None
    assert victim_messages.open_conversation(session, case).new_ids == frozenset()


def test_a_declined_case_says_why_it_takes_no_messages(session):
    case = victim_case(status=CaseStatus.DECLINED, triaged_at=utcnow())
    assert victim_messages.open_conversation(session, case).refused == "declined"


def test_polling_finds_what_came_after_and_marks_replies_read(session):
    case = victim_case()
    first = MessageFactory(case=case, sender=Sender.VICTIM)
    assert victim_messages.newer(session, case, first.id) == []
    reply = MessageFactory(case=case, sender=Sender.OFFICER, officer_id=case.officer_id)
    other_case = victim_case("other.poll@example.com")
    MessageFactory(case=other_case, sender=Sender.OFFICER, officer_id=other_case.officer_id)
    assert victim_messages.newer(session, case, first.id) == [reply]
    session.expire_all()
    assert session.get(Message, reply.id).read_at is not None
    assert victim_messages.newer(session, case, 0) == [first, reply]


def test_a_draft_is_kept_unless_its_form_was_sent(session):
    case = victim_case()
    assert victim_messages.keep_draft(session, case, "Half written", "key-1") is True
    assert messages.draft_for(session, case) == "Half written"
    assert victim_messages.keep_draft(session, case, "Half written, more", "key-1") is True
    assert session.scalars(select(MessageDraft)).one().body == "Half written, more"
    MessageFactory(case=case, sender=Sender.VICTIM, submission_key="key-2")
    assert victim_messages.keep_draft(session, case, "Already sent", "key-2") is False
    assert messages.draft_for(session, case) == "Half written, more"
    assert victim_messages.keep_draft(session, case, "   ", "key-3") is True
    assert messages.draft_for(session, case) is None


# --- the case page -----------------------------------------------------------------------------


def test_the_overview_merges_messages_into_each_timeline_and_counts_unread(session):
    first = victim_case()
    second = victim_case()
    TimelineEventFactory(
        case=first, kind=TimelineEventKind.LETTER, stage=None, occurred_on=date(2025, 1, 2)
    )
    TimelineEventFactory(case=first, occurred_on=date(2024, 5, 6))
    TimelineEventFactory(case=first, occurred_on=date(2024, 6, 7), visible_to_victim=False)
    mine = MessageFactory(case=first, sender=Sender.VICTIM)
    reply = MessageFactory(case=second, sender=Sender.OFFICER, officer_id=second.officer_id)
    record = signed_in(session)

    found = victim_messages.overview(session, record, Show.EVERYTHING)
    assert [item.case for item in found.cases] == [first, second]
    kinds = [(e.message.id if e.is_message else e.event.kind) for e in found.cases[0].entries]
    assert kinds == [mine.id, TimelineEventKind.LETTER, TimelineEventKind.STAGE]
    assert [e.message for e in found.cases[1].entries] == [reply]
    assert [item.unread for item in found.cases] == [0, 1]
    assert found.unread == {second.id: 1}
    assert victim_messages.unread_replies(session, record) == {second.id: 1}

    only = victim_messages.overview(session, record, Show.CONTACTS)
    assert [e.event.kind for e in only.cases[0].entries] == [TimelineEventKind.LETTER]
    assert only.cases[1].entries == []
    assert [
        e.message for e in victim_messages.overview(session, record, Show.MESSAGES).cases[0].entries
    ] == [mine]
    inbox = victim_messages.inbox(session, record)
    assert [(item.case, item.unread, item.entries) for item in inbox.cases] == [
        (first, 0, []),
        (second, 1, []),
    ]


def test_unread_takes_a_list_or_a_query(session):
    case = victim_case()
    MessageFactory(case=case, sender=Sender.OFFICER, officer_id=case.officer_id)
    record = signed_in(session)
    assert messages.unread(session, []) == {}
    assert messages.unread(session, [case.id]) == {case.id: 1}
    assert messages.unread(session, sign_in.case_ids_of(record)) == {case.id: 1}
