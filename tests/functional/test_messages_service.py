"""The messages service (portal/services/messages.py) on the real database, SQLite and
PostgreSQL: what the victim's and the officer's pages both rely on.

Encryption at rest, one message per form key, the victim's limits, the statuses that
take no messages, replies that answer what waits and tell the victim (content-free, on
a safe channel, in their language, in their safe hours), the queues, read marks, drafts
and the officers' daily summary.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import func, select, text, update

from portal import encryption
from portal.domain.messages import PER_DAY, PER_HOUR, Show
from portal.extensions import db
from portal.models import (
    ActorType,
    AuditEvent,
    Case,
    CaseStatus,
    Channel,
    Language,
    Message,
    MessageDraft,
    NotificationChannel,
    OfficerRole,
    OutboxNotification,
    Sender,
    TimelineEventKind,
)
from portal.services import messages
from tests.support.factories import (
    CaseFactory,
    ContactPreferenceFactory,
    MessageFactory,
    OfficerFactory,
    RegionFactory,
    TimelineEventFactory,
    VictimFactory,
)
from tests.support.queries import statements

pytestmark = pytest.mark.database

SIGN_IN = "https://victim-contact.example.gov.uk/sign-in"
WORDS = "My neighbour says he has seen the offender in town. Is he out already?"
#: 10:00 on a Tuesday in London (GMT in winter): inside anyone's safe hours.
NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


def key(n: int = 0) -> str:
    return f"00000000-0000-4000-8000-{n:012d}"


def victim_actor(case) -> messages.Actor:
    return messages.Actor(ActorType.VICTIM, case.victim_id, "request-1", "192.0.2.1")


def officer_actor(officer) -> messages.Actor:
    return messages.Actor(ActorType.STAFF, officer.id, "request-2", "192.0.2.2")


def a_case(language=Language.ENGLISH, status=CaseStatus.ACTIVE, **contact):
    victim = VictimFactory(language=language)
    ContactPreferenceFactory(victim=victim, **contact)
    return CaseFactory(assigned=True, victim=victim, status=status)


@pytest.fixture
def context(app, db_session):
    with app.app_context():
        yield db_session


def test_a_message_is_stored_encrypted_and_read_back(context):
    case = a_case()
    sent = messages.send_from_victim(context, case, WORDS, key(), victim_actor(case), NOW)
    context.commit()
    raw = context.execute(
        text("SELECT body FROM messages WHERE id = :id"), {"id": sent.message.id}
    ).scalar_one()
    assert WORDS not in raw and "neighbour" not in raw
    assert encryption.decrypt(raw) == WORDS
    context.expire_all()
    assert messages.conversation(context, case.id)[-1].body == WORDS


def test_key_rotation_covers_messages_and_drafts(context):
    case = a_case()
    messages.send_from_victim(context, case, WORDS, key(), victim_actor(case), NOW)
    messages.save_draft(context, case, "Half a thought", NOW)
    context.commit()
    new_key = Fernet.generate_key().decode()
    try:
        encryption.configure([new_key, encryption.DEVELOPMENT_KEY])
        counts = encryption.reencrypt_all(context, db.metadata)
        assert counts["messages.body"] >= 1
        assert counts["message_drafts.body"] >= 1
        assert "registration_drafts.answers" in counts
        assert "victim_liaison_officers.totp_secret_sealed" in counts
        encryption.configure([new_key])  # the old key gone: everything still reads
        context.expire_all()
        assert messages.conversation(context, case.id)[-1].body == WORDS
        assert messages.draft_for(context, case) == "Half a thought"
    finally:
        encryption.configure([encryption.DEVELOPMENT_KEY])


def test_the_same_form_sent_twice_sends_once(context):
    case = a_case()
    first = messages.send_from_victim(context, case, WORDS, key(1), victim_actor(case), NOW)
    again = messages.send_from_victim(context, case, WORDS, key(1), victim_actor(case), NOW)
    assert first.created and not again.created
    assert again.message.id == first.message.id
    assert context.scalar(select(func.count()).where(Message.case_id == case.id)) == 1
    sent_audits = context.scalars(
        select(AuditEvent).where(AuditEvent.case_id == case.id, AuditEvent.action == "message.sent")
    ).all()
    assert len(sent_audits) == 1
    assert sent_audits[0].detail == {"message": first.message.id}  # no words in the audit


def test_the_same_key_on_another_case_is_another_message(context):
    one, other = a_case(), a_case()
    messages.send_from_victim(context, one, WORDS, key(2), victim_actor(one), NOW)
    assert messages.send_from_victim(
        context, other, WORDS, key(2), victim_actor(other), NOW
    ).created


def test_the_hourly_limit_refuses_kindly_and_is_audited(context):
    case = a_case()
    for n in range(PER_HOUR):
        messages.send_from_victim(
            context,
            case,
            f"Message {n}",
            key(100 + n),
            victim_actor(case),
            NOW - timedelta(minutes=50),
        )
    with pytest.raises(messages.Refused) as refused:
        messages.send_from_victim(context, case, WORDS, key(999), victim_actor(case), NOW)
    assert refused.value.reason == "too-many"
    context.commit()
    assert context.scalar(select(func.count()).where(Message.case_id == case.id)) == PER_HOUR
    assert (
        context.scalar(
            select(func.count()).where(
                AuditEvent.action == "message.refused", AuditEvent.case_id == case.id
            )
        )
        == 1
    )
    # An hour on, there is room again; a form already sent is never refused.
    later = NOW + timedelta(minutes=11)
    assert messages.send_from_victim(
        context, case, WORDS, key(999), victim_actor(case), later
    ).created
    assert not messages.send_from_victim(
        context, case, "Message 0", key(100), victim_actor(case), later
    ).created


def test_the_daily_limit_counts_across_the_victims_cases(context):
    case = a_case()
    second = CaseFactory(assigned=True, victim=case.victim)
    for n in range(PER_DAY):
        on = case if n % 2 else second
        messages.send_from_victim(
            context,
            on,
            f"Message {n}",
            key(200 + n),
            victim_actor(on),
            NOW - timedelta(hours=23) + timedelta(minutes=40 * n),
        )
    with pytest.raises(messages.Refused):
        messages.send_from_victim(context, case, WORDS, key(998), victim_actor(case), NOW)
    # Someone else's messages never count against this victim.
    stranger = a_case()
    assert messages.send_from_victim(
        context, stranger, WORDS, key(997), victim_actor(stranger), NOW
    ).created


@pytest.mark.parametrize("status", [CaseStatus.DECLINED, CaseStatus.CLOSED, CaseStatus.MERGED])
def test_a_case_that_takes_no_messages_refuses_and_writes_nothing(context, status):
    case = a_case(status=status)
    with pytest.raises(messages.Refused) as refused:
        messages.send_from_victim(context, case, WORDS, key(3), victim_actor(case), NOW)
    assert refused.value.reason == status.value
    assert context.scalar(select(func.count()).where(Message.case_id == case.id)) == 0


@pytest.mark.parametrize("status", [CaseStatus.TRIAGE, CaseStatus.ACTIVE, CaseStatus.PAUSED])
def test_a_live_case_takes_messages(context, status):
    case = a_case(status=status)
    assert messages.victim_refused(case) is None
    assert messages.send_from_victim(context, case, WORDS, key(4), victim_actor(case), NOW).created


def test_sending_removes_the_draft(context):
    case = a_case()
    messages.save_draft(context, case, "Half a thought", NOW)
    messages.save_draft(context, case, "Half a thought, and more", NOW)
    assert messages.draft_for(context, case) == "Half a thought, and more"
    assert context.scalar(select(func.count()).select_from(MessageDraft)) >= 1
    raw = context.execute(
        text("SELECT body FROM message_drafts WHERE case_id = :id"), {"id": case.id}
    ).scalar_one()
    assert "thought" not in raw
    messages.send_from_victim(
        context, case, "Half a thought, and more", key(5), victim_actor(case), NOW
    )
    assert messages.draft_for(context, case) is None


def test_an_empty_draft_is_removed(context):
    case = a_case()
    messages.save_draft(context, case, "Something", NOW)
    messages.save_draft(context, case, "   ", NOW)
    context.flush()
    assert messages.draft_for(context, case) is None


def test_a_reply_answers_what_waits_and_tells_the_victim_in_welsh_with_no_content(context):
    case = a_case(Language.WELSH, channel=Channel.EMAIL, value="safe@example.com")
    ContactPreferenceFactory(
        victim=case.victim, channel=Channel.EMAIL, value="unsafe@example.com", is_safe=False
    )
    officer = case.officer
    messages.send_from_victim(context, case, WORDS, key(6), victim_actor(case), NOW)
    messages.send_from_victim(context, case, "And another thing", key(7), victim_actor(case), NOW)
    sent = messages.reply(
        context,
        case,
        officer,
        "Diolch am eich neges.",
        Language.WELSH,
        key(8),
        SIGN_IN,
        officer_actor(officer),
        NOW + timedelta(hours=1),
    )
    assert sent.created and sent.message.sender == Sender.OFFICER
    waiting = context.scalars(
        select(Message).where(Message.case_id == case.id, Message.sender == Sender.VICTIM)
    ).all()
    assert all(m.answered_at is not None and m.answered_by_id == officer.id for m in waiting)
    assert not any(m.no_reply_needed for m in waiting)
    (told,) = context.scalars(
        select(OutboxNotification).where(OutboxNotification.victim_id == case.victim_id)
    ).all()
    assert told.template_key == "new_message"
    assert told.language == Language.WELSH
    assert told.recipient == "safe@example.com"
    assert told.personalisation == {"url": SIGN_IN}
    # Sent again (a double click): one reply, one notification.
    again = messages.reply(
        context,
        case,
        officer,
        "Diolch am eich neges.",
        Language.WELSH,
        key(8),
        SIGN_IN,
        officer_actor(officer),
        NOW + timedelta(hours=1),
    )
    assert not again.created
    assert (
        context.scalar(select(func.count()).where(OutboxNotification.victim_id == case.victim_id))
        == 1
    )


def test_a_text_message_about_a_reply_waits_for_the_victims_safe_hours(context):
    case = a_case(
        channel=Channel.SMS, value="+447700900123", safe_from=time(18, 0), safe_until=time(20, 0)
    )
    messages.reply(
        context,
        case,
        case.officer,
        "Reply",
        Language.ENGLISH,
        key(9),
        SIGN_IN,
        officer_actor(case.officer),
        NOW,
    )
    told = context.scalar(
        select(OutboxNotification).where(OutboxNotification.victim_id == case.victim_id)
    )
    assert told.channel == NotificationChannel.SMS
    assert told.next_attempt_at.astimezone(UTC) == datetime(2026, 12, 1, 18, 0, tzinfo=UTC)


def test_no_safe_channel_means_no_notification(context):
    case = a_case(channel=Channel.EMAIL, value="unsafe@example.com", is_safe=False)
    messages.reply(
        context,
        case,
        case.officer,
        "Reply",
        Language.ENGLISH,
        key(10),
        SIGN_IN,
        officer_actor(case.officer),
        NOW,
    )
    assert (
        context.scalar(select(func.count()).where(OutboxNotification.victim_id == case.victim_id))
        == 0
    )


@pytest.mark.parametrize("status", [CaseStatus.CLOSED, CaseStatus.MERGED])
def test_an_officer_cannot_reply_on_a_closed_or_joined_case(context, status):
    case = a_case(status=status)
    with pytest.raises(messages.Refused):
        messages.reply(
            context,
            case,
            case.officer,
            "Reply",
            Language.ENGLISH,
            key(11),
            SIGN_IN,
            officer_actor(case.officer),
            NOW,
        )


def test_no_reply_needed_takes_messages_out_of_the_queue_once(context):
    case = a_case()
    messages.send_from_victim(context, case, "Thank you!", key(12), victim_actor(case), NOW)
    assert (
        messages.mark_no_reply_needed(context, case, case.officer, officer_actor(case.officer), NOW)
        == 1
    )
    assert (
        messages.mark_no_reply_needed(context, case, case.officer, officer_actor(case.officer), NOW)
        == 0
    )
    (message,) = messages.conversation(context, case.id)
    assert message.no_reply_needed and message.answered_by_id == case.officer.id
    assert (
        context.scalar(
            select(func.count()).where(
                AuditEvent.case_id == case.id, AuditEvent.action == "message.no_reply_needed"
            )
        )
        == 1
    )
    assert messages.waiting_for_reply(context, case.officer, NOW.date()).total == 0


def test_the_queue_is_longest_wait_first_and_only_the_officers_or_regions(context):
    region = RegionFactory()
    officer = OfficerFactory(region=region)
    colleague = OfficerFactory(region=region)
    elsewhere = OfficerFactory()
    cases = {}
    for name, who, days_ago in (
        ("recent", officer, 1),
        ("overdue", officer, 12),
        ("colleague", colleague, 3),
        ("other region", elsewhere, 20),
    ):
        case = CaseFactory(assigned=True, officer=who, region=who.region)
        MessageFactory(case=case, created_at=NOW - timedelta(days=days_ago))
        cases[name] = case
    # An answered message waits no more.
    answered = CaseFactory(assigned=True, officer=officer, region=region)
    MessageFactory(case=answered, created_at=NOW - timedelta(days=30), answered_at=NOW)
    today = NOW.date()
    mine = messages.waiting_for_reply(context, officer, today, "mine")
    assert [row.case_id for row in mine.rows] == [cases["overdue"].id, cases["recent"].id]
    assert mine.rows[0].wait.overdue and not mine.rows[1].wait.overdue
    assert mine.rows[0].wait.target == 5
    ours = messages.waiting_for_reply(context, officer, today, "region")
    assert [row.case_id for row in ours.rows] == [
        cases["overdue"].id,
        cases["colleague"].id,
        cases["recent"].id,
    ]
    assert ours.rows[1].officer_name == colleague.full_name
    admin = OfficerFactory(region=region, role=OfficerRole.ADMIN)
    everyone = messages.waiting_for_reply(context, admin, today, "region")
    assert cases["other region"].id in [row.case_id for row in everyone.rows]
    assert messages.waiting_counts(context, officer) == (2, 3)


def test_the_queue_is_one_statement_however_many_wait(app, context):
    officer = OfficerFactory()

    def fill(count):
        for _ in range(count):
            case = CaseFactory(assigned=True, officer=officer, region=officer.region)
            MessageFactory(case=case, created_at=NOW - timedelta(days=2))
        context.flush()
        with statements(app) as seen:
            queue = messages.waiting_for_reply(context, officer, NOW.date(), "mine")
            [row.victim_name for row in queue.rows]
        return len([sql for sql in seen if "SAVEPOINT" not in sql.upper()])

    assert fill(2) == fill(60) == 1


def test_replies_are_unread_until_read_and_reading_writes_only_once(app, context):
    case = a_case()
    MessageFactory(case=case, sender=Sender.OFFICER, officer_id=case.officer.id)
    MessageFactory(case=case, sender=Sender.OFFICER, officer_id=case.officer.id)
    other = a_case()
    assert messages.unread(context, [case.id, other.id]) == {case.id: 2}
    assert messages.mark_read(context, case.id, NOW) == 2
    assert messages.unread(context, [case.id]) == {}
    with statements(app) as seen:
        assert messages.mark_read(context, case.id, NOW) == 0
    # One conditional UPDATE that matched nothing.
    assert len([sql for sql in seen if "SAVEPOINT" not in sql.upper()]) == 1


def test_polling_asks_only_whether_there_is_something_newer(context):
    case = a_case()
    first = MessageFactory(case=case)
    assert not messages.newer_than(context, case.id, first.id)
    MessageFactory(case=case, sender=Sender.OFFICER)
    assert messages.newer_than(context, case.id, first.id)


def test_the_timeline_mixes_messages_with_events_and_filters(context):
    case = a_case()
    stage = TimelineEventFactory(
        case=case, kind=TimelineEventKind.STAGE, occurred_on=NOW.date() - timedelta(days=9)
    )
    call = TimelineEventFactory(
        case=case, kind=TimelineEventKind.CALL, occurred_on=NOW.date() - timedelta(days=5)
    )
    message = MessageFactory(case=case, created_at=NOW - timedelta(days=2))
    events = [stage, call]
    everything = messages.timeline(events, [message], Show.EVERYTHING)
    assert [entry.message or entry.event for entry in everything] == [message, call, stage]
    assert [e.message for e in messages.timeline(events, [message], Show.MESSAGES)] == [message]
    assert [e.event for e in messages.timeline(events, [message], Show.CONTACTS)] == [call]
    assert [e.event for e in messages.timeline(events, [message], Show.STAGES)] == [stage]
    assert Show.read("nonsense") == Show.EVERYTHING


def test_the_daily_summary_goes_to_those_who_asked_once_a_day_with_numbers_only(context):
    region = RegionFactory()
    keen = OfficerFactory(region=region, daily_summary=True, language=Language.WELSH)
    quiet = OfficerFactory(region=region)
    idle = OfficerFactory(daily_summary=True)  # nothing waits in their region
    gone = OfficerFactory(region=region, daily_summary=True, is_active=False)
    case = CaseFactory(assigned=True, officer=keen, region=region)
    MessageFactory(case=case, body=WORDS)
    assert messages.daily_summaries(context, SIGN_IN, NOW) == 1
    assert messages.daily_summaries(context, SIGN_IN, NOW + timedelta(hours=3)) == 0
    (summary,) = context.scalars(
        select(OutboxNotification).where(OutboxNotification.template_key == "staff_daily_summary")
    ).all()
    assert summary.recipient == keen.email and summary.language == Language.WELSH
    assert summary.personalisation == {"mine": 1, "region": 1, "url": SIGN_IN}
    recipients = {summary.recipient}
    assert quiet.email not in recipients and idle.email not in recipients
    assert gone.email not in recipients
    # The next morning, another.
    assert messages.daily_summaries(context, SIGN_IN, NOW + timedelta(days=1)) == 1


# --- what an outside review found (issue 15) -------------------------------------------------


def test_a_reply_answers_only_what_the_officer_was_shown(context):
    case = a_case()
    first = messages.send_from_victim(context, case, "Thanks for the letter.", key(20),
                                      victim_actor(case), NOW).message  # fmt: skip
    # The officer opens the page (it shows `first`); then the victim writes again.
    soon = NOW + timedelta(minutes=1)
    later = messages.send_from_victim(
        context, case, "URGENT: I saw him today.", key(21), victim_actor(case), soon
    ).message
    sent = messages.reply(
        context, case, case.officer, "Thank you.", Language.ENGLISH, key(22), SIGN_IN,
        officer_actor(case.officer), NOW + timedelta(minutes=2), seen_up_to=first.id,
    )  # fmt: skip
    context.refresh(first)
    context.refresh(later)
    assert first.answered_at is not None and later.answered_at is None
    assert sent.still_waiting == 1
    assert messages.waiting_for_reply(context, case.officer, NOW.date()).total == 1


def test_no_reply_needed_leaves_a_message_that_arrived_since(context):
    case = a_case()
    thanks = messages.send_from_victim(context, case, "Thanks!", key(23), victim_actor(case),
                                       NOW).message  # fmt: skip
    urgent = messages.send_from_victim(context, case, "URGENT", key(24), victim_actor(case),
                                       NOW + timedelta(minutes=1)).message  # fmt: skip
    assert (
        messages.mark_no_reply_needed(
            context, case, case.officer, officer_actor(case.officer), NOW, seen_up_to=thanks.id
        )
        == 1
    )
    context.refresh(urgent)
    assert urgent.answered_at is None and not urgent.no_reply_needed
    assert messages.waiting_on(context, case) == 1


def test_a_reply_on_a_paused_case_is_not_told_even_when_it_answers(context):
    """A pause means nothing is sent (issue 16): the reply waits on the victim's page."""
    case = a_case(status=CaseStatus.PAUSED)
    asked = messages.send_from_victim(context, case, "A question.", key(26),
                                      victim_actor(case), NOW).message  # fmt: skip
    answered = messages.reply(
        context, case, case.officer, "An answer.", Language.ENGLISH, key(27), SIGN_IN,
        officer_actor(case.officer), NOW, seen_up_to=asked.id,
    )  # fmt: skip
    assert answered.told is None and answered.held_back == "paused"
    context.refresh(asked)
    assert asked.answered_at is not None


def test_no_reply_once_a_declined_victim_can_no_longer_sign_in(context):
    recent = a_case(status=CaseStatus.DECLINED)
    recent.triaged_at = NOW - timedelta(days=10)
    old = a_case(status=CaseStatus.DECLINED)
    old.triaged_at = NOW - timedelta(days=100)
    assert messages.officer_refused(recent, NOW) is None
    assert messages.officer_refused(old, NOW) == "declined"
    with pytest.raises(messages.Refused):
        messages.reply(
            context, old, old.officer, "Hello.", Language.ENGLISH, key(28), SIGN_IN,
            officer_actor(old.officer), NOW,
        )  # fmt: skip


def test_the_same_words_sent_again_soon_are_the_same_message(context):
    """Back and Send again without JavaScript: the form comes back with a new key and the
    words still in it."""
    case = a_case()
    first = messages.send_from_victim(context, case, WORDS, key(29), victim_actor(case), NOW)
    again = messages.send_from_victim(context, case, WORDS, key(30), victim_actor(case),
                                      NOW + timedelta(minutes=3))  # fmt: skip
    assert first.created and not again.created and again.message.id == first.message.id
    later = messages.send_from_victim(context, case, WORDS, key(31), victim_actor(case),
                                      NOW + timedelta(minutes=30))  # fmt: skip
    assert later.created


def test_joining_a_registration_moves_its_messages_to_the_existing_case(context):
    existing = a_case()
    joined = CaseFactory(victim=VictimFactory(), status=CaseStatus.TRIAGE)
    waiting = MessageFactory(case=joined, body="Sent on the second registration.")
    messages.save_draft(context, joined, "Not sent yet", NOW)
    context.flush()
    assert messages.move_to(context, joined, existing) == 1
    context.refresh(waiting)
    assert waiting.case_id == existing.id and waiting.answered_at is None
    assert messages.draft_for(context, existing) == "Not sent yet"
    assert [row.case_id for row in messages.waiting_for_reply(
        context, existing.officer, NOW.date()).rows] == [existing.id]  # fmt: skip


def test_joining_moves_a_message_whose_key_the_existing_case_already_has(context):
    """A submission key is the form's, chosen by the browser: a victim can send the same
    one on both of their cases (a forged form). Joining the second registration to the
    first still moves every message and counts it as waiting there, never fails on
    uq_messages_case_submission (the officer's link was a 500, and could never be made)."""
    existing = a_case()
    joined = CaseFactory(victim=existing.victim, status=CaseStatus.TRIAGE)
    MessageFactory(case=existing, submission_key=key(40), body="On the first case.")
    MessageFactory(case=joined, submission_key=key(40), body="On the second.")
    MessageFactory(case=joined, submission_key=key(41))
    context.flush()
    assert messages.move_to(context, joined, existing) == 2
    context.flush()
    context.expire_all()
    left = select(func.count()).select_from(Message).where(Message.case_id == joined.id)
    assert context.scalar(left) == 0
    assert context.get(Case, existing.id).messages_waiting == 3
    assert messages.waiting_on(context, existing) == 3


def test_a_message_sent_while_its_registration_is_joined_is_refused(context):
    """Joining a registration to the victim's live case (triage.link) holds the lock on the
    victim's messages until it commits; a message sent meanwhile waits for it, then reads
    the case again: it is refused ("merged"), never left on the joined case where no
    officer can answer it. The join committing while the send waited is made here by an
    UPDATE the send's case object has not seen."""
    existing = a_case()
    joined = CaseFactory(victim=existing.victim, status=CaseStatus.TRIAGE)
    context.flush()
    context.execute(
        update(Case)
        .where(Case.id == joined.id)
        .values(status=CaseStatus.MERGED, merged_into_id=existing.id)
        .execution_options(synchronize_session=False)
    )
    assert joined.status == CaseStatus.TRIAGE  # what the send was given
    with pytest.raises(messages.Refused) as refused:
        messages.send_from_victim(context, joined, WORDS, key(50), victim_actor(joined), NOW)
    assert refused.value.reason == "merged"
    on_joined = select(func.count()).select_from(Message).where(Message.case_id == joined.id)
    assert context.scalar(on_joined) == 0
