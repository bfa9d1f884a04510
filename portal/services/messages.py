"""Conversations between victims and their Victim Liaison Officers.

A victim writes on a live case (portal.domain.messages); the message waits in the
officer's and the region's queues, longest wait first, until an officer replies (the
victim is told, content-free, on a safe channel in their language, quiet hours kept;
not while they have paused updates) or marks it as needing no reply. The words are
encrypted at rest and never leave in a notification, a URL, a title, an audit row or a
log line.

- **Nothing lost, nothing twice.** Each form carries a one-time key (portal.services.
  submissions): a double click, Back and send again, or a retry after a timeout sends
  once. What a victim types is kept as a draft on the server until it is sent.
- **Limits counted atomically.** Sending takes a lock on the victim (portal.services.
  locks) before counting what they sent in the last hour and day.
- **Who sees what.** Callers find the case first: a victim's session sees only its own
  cases (portal.services.sign_in.cases_of), an officer only their region's
  (portal.services.staff_cases). Every send, reply and "no reply needed" is audited.

The caller commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache

from sqlalchemy import and_, bindparam, delete, func, select, update
from sqlalchemy.orm import Session, joinedload

from portal.domain.contact_times import LONDON
from portal.domain.messages import (
    PER_DAY,
    PER_HOUR,
    REPLY_WITHIN_WORKING_DAYS,
    TOLD_OF_A_MESSAGE,
    Entry,
    Show,
    merged,
    officer_may_reply,
    victim_may_write,
)
from portal.domain.waiting import Wait, wait
from portal.models import (
    ActorType,
    AuditEvent,
    Case,
    CaseStatus,
    Language,
    Message,
    MessageDraft,
    NotificationChannel,
    OutboxNotification,
    Sender,
    VictimLiaisonOfficer,
    fixed,
    utcnow,
)
from portal.notifications.outbox import enqueue, notify_victim
from portal.services import submissions
from portal.services.locks import serialise
from portal.services.queues import (
    LIMIT,
    LIST_LIMIT,
    OFFICER_ID,
    OFFSET,
    REGION_ID,
    CaseRow,
    Queue,
    case_and_victim,
    counted,
    local_day,
    officer_values,
    queue_of,
    queue_select,
)
from portal.services.sign_in import DECLINED_READABLE_FOR
from portal.transactions import write_after_reading

#: A victim's message waiting for a reply, and an officer's reply the victim has not read:
#: as the partial indexes ix_messages_waiting and ix_messages_unread say (models.fixed).
WAITING = (fixed(Message.sender, Sender.VICTIM), Message.answered_at.is_(None))
UNREAD = (fixed(Message.sender, Sender.OFFICER), Message.read_at.is_(None))


class Refused(Exception):
    """The message cannot be sent; `reason` says why: the case's status ("closed",
    "declined", "merged") or "too-many" (the victim's limit, for now)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Sent:
    message: Message
    #: False when this form had been sent before: the message it sent then.
    created: bool = True
    #: An officer's reply sent now: the notification that tells the victim, or None when
    #: they have no safe channel to tell them on, or asked for no updates (`paused`).
    told: OutboxNotification | None = None
    #: Why the victim was not told of this reply: "paused" (they paused updates, and the
    #: reply answers nothing they wrote) or None.
    held_back: str | None = None
    #: Victims' messages still waiting after this reply: they arrived after the officer
    #: opened the page, so the reply did not answer them.
    still_waiting: int = 0

    @property
    def told_later(self) -> bool:
        """The notification waits for the victim's safe time (a text message at night)."""
        if self.told is None:
            return False
        return self.told.next_attempt_at > (self.told.created_at or utcnow())


@dataclass(frozen=True)
class Actor:
    """Who did it, and the request, for the audit. Someone acting for the victim is the
    victim (`type`, `id`) with their `representative_id`: the audit's detail names them."""

    type: ActorType
    id: int
    request_id: str | None = None
    address: str | None = None
    representative_id: int | None = None

    def detail(self, detail: dict) -> dict:
        """An audit event's detail, naming the representative who acted, if one did."""
        if self.representative_id is None:
            return detail
        return {**detail, "representative": self.representative_id}


def _audit(session: Session, case: Case, actor: Actor, action: str, detail: dict) -> None:
    session.add(
        AuditEvent(
            actor_type=actor.type,
            actor_id=actor.id,
            action=action,
            case_id=case.id,
            request_id=actor.request_id,
            address=actor.address,
            detail=actor.detail(detail),
        )
    )


def conversation(session: Session, case_id: int) -> list[Message]:
    """A case's messages, oldest first (newest at the bottom), with who wrote them and who
    answered them (one query, however many)."""
    return list(
        session.scalars(
            select(Message)
            .where(Message.case_id == case_id)
            .options(
                joinedload(Message.officer),
                joinedload(Message.answered_by),
                joinedload(Message.representative),
            )
            .order_by(Message.created_at, Message.id)
        )
    )


def oldest_waiting(conversation: list[Message], today: date) -> Wait | None:
    """How long the oldest of the victim's messages still waiting for a reply has waited,
    in working days against REPLY_WITHIN_WORKING_DAYS; None when nothing waits."""
    waiting = [
        m.created_at for m in conversation if m.sender == Sender.VICTIM and m.answered_at is None
    ]
    if not waiting:
        return None
    return wait(local_day(min(waiting)), today, REPLY_WITHIN_WORKING_DAYS)


def timeline(events, messages, show: Show) -> list[Entry]:
    """Timeline events and messages in one list, newest first, filtered by `show`."""
    return merged(events, messages, show, local_day)


#: The same words sent again on the same case this soon are the same message sent twice
#: (Back and Send again without JavaScript brings back a form with a new key and the words
#: still in it).
SAME_WORDS_WITHIN = timedelta(minutes=10)


def _earlier(
    session: Session, case: Case, key: str, sender: Sender, body: str, now: datetime
) -> Message | None:
    """The message this form already sent: the one with its key, or the same words from the
    same side on the same case within SAME_WORDS_WITHIN."""
    found = session.scalar(
        select(Message).where(Message.case_id == case.id, Message.submission_key == key)
    )
    if found is not None:
        return found
    recent = session.scalars(
        select(Message)
        .where(
            Message.case_id == case.id,
            Message.sender == sender,
            Message.created_at >= now - SAME_WORDS_WITHIN,
        )
        .order_by(Message.id.desc())
        .limit(PER_HOUR)
    )
    return next((message for message in recent if message.body == body), None)


def _sent_since(session: Session, victim_id: int, since: datetime) -> int:
    return session.scalar(
        select(func.count())
        .select_from(Message)
        .join(Case, Case.id == Message.case_id)
        .where(
            Case.victim_id == victim_id,
            Message.sender == Sender.VICTIM,
            Message.created_at >= since,
        )
    )


def victim_refused(case: Case) -> str | None:
    """Why a victim cannot write on this case ("closed", "declined", "merged"), or None."""
    return None if victim_may_write(case.status) else case.status.value


def lock_victims_messages(session: Session, victim_id: int) -> None:
    """Hold, until the transaction ends, the lock on a victim's messages: sending one,
    keeping a draft and joining their registration to another case each take it, so none
    of them sees the others half done (PostgreSQL; SQLite writes one at a time)."""
    serialise(session, f"messages:victim:{victim_id}")


def send_from_victim(
    session: Session,
    case: Case,
    body: str,
    submission_key: str,
    actor: Actor,
    now: datetime | None = None,
) -> Sent:
    """The victim's message on `case`, once whatever happens to the form; the draft goes.

    Raises Refused for a case that takes no messages, or when the victim has reached
    their limit (checked under a lock, so parallel requests cannot pass it together); a
    limit reached is audited ("message.refused"): the caller commits that too."""
    now = now or utcnow()
    if refused := victim_refused(case):
        raise Refused(refused)
    lock_victims_messages(session, case.victim_id)
    # Read the case again under the lock: a registration joined to another case while this
    # waited (triage.link takes the same lock) takes no more messages.
    session.refresh(case)
    if refused := victim_refused(case):
        raise Refused(refused)

    def write() -> Message:
        if _sent_since(session, case.victim_id, now - timedelta(hours=1)) >= PER_HOUR or (
            _sent_since(session, case.victim_id, now - timedelta(days=1)) >= PER_DAY
        ):
            raise Refused("too-many")
        message = Message(
            case_id=case.id,
            sender=Sender.VICTIM,
            body=body,
            language=case.victim.language,
            submission_key=submission_key,
            representative_id=actor.representative_id,
            created_at=now,
        )
        session.add(message)
        return message

    try:
        message, created = submissions.once(
            session,
            lambda: _earlier(session, case, submission_key, Sender.VICTIM, body, now),
            write,
        )
    except Refused as refusal:
        _audit(session, case, actor, "message.refused", {"reason": refusal.reason})
        raise
    if created:
        session.execute(delete(MessageDraft).where(*_drafts_of(case, actor.representative_id)))
        _audit(session, case, actor, "message.sent", {"message": message.id})
    return Sent(message, created)


def officer_refused(case: Case, now: datetime | None = None) -> str | None:
    """Why an officer cannot reply on this case, or None: "closed", "merged", or
    "declined" once the victim can no longer sign in to read it (a registration declined
    longer ago than sign_in.DECLINED_READABLE_FOR)."""
    if not officer_may_reply(case.status):
        return case.status.value
    if case.status == CaseStatus.DECLINED and (
        case.triaged_at is None or case.triaged_at < (now or utcnow()) - DECLINED_READABLE_FOR
    ):
        return "declined"
    return None


def reply(
    session: Session,
    case: Case,
    officer: VictimLiaisonOfficer,
    body: str,
    language: Language,
    submission_key: str,
    sign_in_url: str,
    actor: Actor,
    now: datetime | None = None,
    seen_up_to: int | None = None,
) -> Sent:
    """The officer's reply, once. It answers the victim's messages the officer was shown
    (up to message `seen_up_to`; a message that arrived while they wrote still waits), and
    the victim is told there is a new message (no content) on their first safe channel,
    unless they have paused updates (the message waits on their page). The message keeps
    the notification it caused, so that pausing or leaving before it goes cancels it."""
    now = now or utcnow()
    if refused := officer_refused(case, now):
        raise Refused(refused)

    def write() -> Message:
        message = Message(
            case_id=case.id,
            sender=Sender.OFFICER,
            officer_id=officer.id,
            body=body,
            language=language,
            submission_key=submission_key,
            created_at=now,
        )
        session.add(message)
        return message

    message, created = submissions.once(
        session,
        lambda: _earlier(session, case, submission_key, Sender.OFFICER, body, now),
        write,
    )
    if not created:
        return Sent(message, created=False)
    answered = _answer(session, case, officer, now, no_reply_needed=False, up_to=seen_up_to)
    told = []
    held_back = None
    if case.status in TOLD_OF_A_MESSAGE:
        told = notify_victim(session, case.victim, "new_message", {"url": sign_in_url}, now=now)
    elif case.status == CaseStatus.PAUSED:
        held_back = "paused"
    if told:
        session.flush()  # the notification's id, for the message
        message.notification_id = told[0].id
    _audit(session, case, actor, "message.replied", {"message": message.id, "answered": answered})
    return Sent(
        message,
        created=True,
        told=told[0] if told else None,
        held_back=held_back,
        still_waiting=waiting_on(session, case),
    )


def waiting_on(session: Session, case: Case) -> int:
    """How many of the victim's messages on the case wait for a reply."""
    return session.scalar(
        select(func.count()).where(
            Message.case_id == case.id,
            *WAITING,
        )
    )


def _answer(
    session: Session,
    case: Case,
    officer,
    now: datetime,
    no_reply_needed: bool,
    up_to: int | None = None,
) -> int:
    """Mark the victim's waiting messages answered: all of them, or those up to `up_to` (the
    newest the officer was shown; 0 answers none)."""
    shown = () if up_to is None else (Message.id <= up_to,)
    return session.execute(
        update(Message)
        .where(
            Message.case_id == case.id,
            *WAITING,
            *shown,
        )
        .values(answered_at=now, answered_by_id=officer.id, no_reply_needed=no_reply_needed)
        .execution_options(synchronize_session=False)
    ).rowcount


def mark_no_reply_needed(
    session: Session,
    case: Case,
    officer: VictimLiaisonOfficer,
    actor: Actor,
    now: datetime | None = None,
    seen_up_to: int | None = None,
) -> int:
    """Take the case's waiting messages the officer was shown (up to `seen_up_to`) out of the
    queues without a reply (a thank-you, say); one that arrived since still waits. Returns
    how many; a second click finds none and changes nothing."""
    answered = _answer(
        session, case, officer, now or utcnow(), no_reply_needed=True, up_to=seen_up_to
    )
    if answered:
        _audit(session, case, actor, "message.no_reply_needed", {"answered": answered})
    return answered


def move_to(session: Session, joined: Case, existing: Case) -> int:
    """A second registration joined to the victim's existing case: its messages move there
    (still waiting, if they were, in that case's queues), and so does an unsent draft
    unless the existing case has one. Returns how many messages moved.

    A message's one-time key is the form's, sent by the browser: one the existing case
    already has (the same key sent on both cases, by a forged form) is let go on the
    message moved, which keeps its words (the key only stops a form sent twice on one
    case; the joined case takes no more), rather than the move breaking the unique key
    (uq_messages_case_submission) and the registration never being joined."""
    taken = select(Message.submission_key).where(
        Message.case_id == existing.id, Message.submission_key.is_not(None)
    )
    session.execute(
        update(Message)
        .where(Message.case_id == joined.id, Message.submission_key.in_(taken.scalar_subquery()))
        .values(submission_key=None)
        .execution_options(synchronize_session=False)
    )
    moved = session.execute(
        update(Message)
        .where(Message.case_id == joined.id)
        .values(case_id=existing.id)
        .execution_options(synchronize_session=False)
    ).rowcount
    has_draft = session.scalar(
        select(MessageDraft.id).where(
            MessageDraft.case_id == existing.id, MessageDraft.victim_id == existing.victim_id
        )
    )
    if has_draft is None:
        session.execute(
            update(MessageDraft)
            .where(MessageDraft.case_id == joined.id)
            .values(case_id=existing.id, victim_id=existing.victim_id)
            .execution_options(synchronize_session=False)
        )
    session.execute(delete(MessageDraft).where(MessageDraft.case_id == joined.id))
    return moved


def mark_read(session: Session, case_id: int, now: datetime | None = None) -> int:
    """The victim has read the officer's messages on this case. One conditional UPDATE:
    a page with nothing unread writes nothing."""
    write_after_reading(session)
    return session.execute(
        update(Message)
        .where(
            Message.case_id == case_id,
            *UNREAD,
        )
        .values(read_at=now or utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount


def unread(session: Session, case_ids) -> dict[int, int]:
    """How many of the officers' messages each case's victim has not read (one query).
    `case_ids`: a list of ids, or a SELECT of them (sign_in.case_ids_of, say)."""
    if isinstance(case_ids, list | tuple | set | frozenset) and not case_ids:
        return {}
    rows = session.execute(
        select(Message.case_id, func.count())
        .where(
            Message.case_id.in_(case_ids),
            *UNREAD,
        )
        .group_by(Message.case_id)
    )
    return {case_id: count for case_id, count in rows}


def newer_than(session: Session, case_id: int, message_id: int) -> bool:
    """Whether the case has a message after `message_id` (what polling asks)."""
    return (
        session.scalar(
            select(Message.id).where(Message.case_id == case_id, Message.id > message_id).limit(1)
        )
        is not None
    )


# Drafts: what a victim typed and has not sent.


def _drafts_of(case: Case, representative_id: int | None) -> tuple:
    """SQL: the draft of the victim on `case`, or of the representative writing for them
    (each has their own: one never sees what the other has not sent)."""
    writer = (
        MessageDraft.representative_id.is_(None)
        if representative_id is None
        else MessageDraft.representative_id == representative_id
    )
    return (MessageDraft.case_id == case.id, MessageDraft.victim_id == case.victim_id, writer)


def draft_for(session: Session, case: Case, representative_id: int | None = None) -> str | None:
    return session.scalar(select(MessageDraft.body).where(*_drafts_of(case, representative_id)))


def save_draft(
    session: Session,
    case: Case,
    body: str,
    now: datetime | None = None,
    representative_id: int | None = None,
) -> None:
    """Keep what is typed (an empty text removes the draft): the victim's own, or that of
    the representative writing for them."""
    found = session.scalar(select(MessageDraft).where(*_drafts_of(case, representative_id)))
    if not body.strip():
        if found is not None:
            session.delete(found)
        return
    if found is None:
        session.add(
            MessageDraft(
                case_id=case.id,
                victim_id=case.victim_id,
                representative_id=representative_id,
                body=body,
            )
        )
    else:
        found.body = body
        found.updated_at = now or utcnow()


# The officers' queues.


@dataclass(frozen=True)
class WaitingRow(CaseRow):
    officer_id: int | None
    officer_name: str | None
    waiting: int  # how many messages wait
    since: datetime  # the oldest waiting message
    wait: Wait


def has_waiting():
    """The case has messages waiting for a reply: as the partial indexes on cases say
    (migration 0026), with the 0 written into the SQL so that they are used."""
    return Case.messages_waiting > bindparam(None, 0, literal_execute=True)


def waiting_for_reply(
    session: Session,
    officer: VictimLiaisonOfficer,
    today: date,
    whose: str = "mine",
    limit: int | None = None,
    offset: int = 0,
) -> Queue:
    """Cases with messages waiting for a reply: the officer's own (`whose="mine"`) or their
    region's (`"region"`; an admin's: every region), longest wait first, so overdue first;
    `limit` rows from `offset` (a page of the list). One statement whatever the number of
    messages: the cases with some waiting (`Case.messages_waiting`, a partial index by
    officer and by region), each one's oldest waiting message found by its own partial
    index (ix_messages_waiting)."""
    scope = "mine" if whose == "mine" else "every" if officer.role.sees_every_region else "region"
    return queue_of(
        session,
        _waiting_for_reply_statement(scope),
        lambda found: WaitingRow(
            **case_and_victim(found),
            officer_id=found[4],
            officer_name=found[5],
            waiting=found[6],
            since=found[7],
            wait=wait(local_day(found[7]), today, REPLY_WITHIN_WORKING_DAYS),
        ),
        limit or LIST_LIMIT,
        offset=offset,
        **officer_values(officer),
    )


@cache
def _waiting_for_reply_statement(scope: str):
    """`waiting_for_reply`'s statement, built once for each scope: the officer's own cases
    ("mine"), their region's ("region") or every region's ("every")."""
    conditions = [has_waiting()]
    if scope == "mine":
        conditions.append(Case.officer_id == OFFICER_ID)
    elif scope == "region":
        conditions.append(Case.region_id == REGION_ID)
    since = (
        select(func.min(Message.created_at))
        .where(Message.case_id == Case.id, *WAITING)
        .scalar_subquery()
        .label("since")
    )
    return counted(
        queue_select(Case.officer_id, VictimLiaisonOfficer.full_name, Case.messages_waiting, since)
        .select_from(Case)
        .outerjoin(VictimLiaisonOfficer, VictimLiaisonOfficer.id == Case.officer_id)
        .where(*conditions)
        .order_by(since, Case.id)
        .limit(LIMIT)
        .offset(OFFSET)
    )


def waiting_counts(
    session: Session, officer: VictimLiaisonOfficer, every_region_for_admin: bool = False
) -> tuple[int, int]:
    """How many cases have messages waiting: the officer's own, and their region's. With
    `every_region_for_admin`, an admin's second number counts every region, as their
    region's queue (`waiting_for_reply(whose="region")`) lists them.

    Each case counts its waiting messages (`Case.messages_waiting`, kept by triggers on
    messages: migration 0026), and two partial indexes hold only the cases with some,
    by officer and by region: the counts read the officer's and the region's few, not
    every waiting message in the country (this is on every staff page)."""
    waiting = has_waiting()
    if every_region_for_admin and officer.role.sees_every_region:
        mine, region = session.execute(
            select(func.count().filter(Case.officer_id == officer.id), func.count()).where(waiting)
        ).one()
        return mine, region
    mine, region = session.execute(
        select(
            select(func.count()).where(Case.officer_id == officer.id, waiting).scalar_subquery(),
            select(func.count())
            .where(Case.region_id == officer.region_id, waiting)
            .scalar_subquery(),
        )
    ).one()
    return mine, region


def set_daily_summary(
    session: Session, officer: VictimLiaisonOfficer, wanted: bool, actor: Actor
) -> bool:
    """Switch the officer's daily summary email on or off (their own choice, on their account
    page). Audited when it changes; returns whether it did (saving the same answer again
    changes nothing)."""
    if officer.daily_summary == wanted:
        return False
    officer.daily_summary = wanted
    session.add(
        AuditEvent(
            actor_type=actor.type,
            actor_id=actor.id,
            action="staff.daily_summary_on" if wanted else "staff.daily_summary_off",
            request_id=actor.request_id,
            address=actor.address,
            detail={"officer": officer.id},
        )
    )
    return True


def daily_summaries(session: Session, sign_in_url: str, now: datetime | None = None) -> int:
    """Email each active officer who asked for it how many conversations wait for them and
    their region (numbers only), once a day; none when nothing waits. Returns how many.

    Each is recorded in the audit as a system event whose actor_id is the officer it went
    to, which is also how a second run on the same day knows to send nothing."""
    now = now or utcnow()
    today = local_day(now)
    start_of_day = datetime.combine(today, datetime.min.time(), tzinfo=LONDON)
    sent = 0
    officers = session.scalars(
        select(VictimLiaisonOfficer).where(
            VictimLiaisonOfficer.daily_summary.is_(True),
            VictimLiaisonOfficer.is_active.is_(True),
        )
    )
    for officer in officers:
        already = session.scalar(
            select(AuditEvent.id).where(
                and_(
                    AuditEvent.action == "staff.daily_summary_sent",
                    AuditEvent.actor_type == ActorType.SYSTEM,
                    AuditEvent.actor_id == officer.id,
                    AuditEvent.created_at >= start_of_day,
                )
            )
        )
        if already is not None:
            continue
        mine, region = waiting_counts(session, officer)
        if not (mine or region):
            continue
        enqueue(
            session,
            recipient=officer.email,
            channel=NotificationChannel.EMAIL,
            kind="staff_daily_summary",
            language=officer.language,
            personalisation={"mine": mine, "region": region, "url": sign_in_url},
            now=now,
        )
        session.add(
            AuditEvent(
                actor_type=ActorType.SYSTEM,
                actor_id=officer.id,
                action="staff.daily_summary_sent",
                detail={"mine": mine, "region": region},
                created_at=now,
            )
        )
        sent += 1
    return sent
