"""Writing a case's timeline: sentence events, calls, letters and meetings, what the victim sees.

- A sentence event is written for the victim in their language (a standard
  wording for each stage, from the catalogue, is offered as a start), with a
  note only staff see. It moves the case to that stage unless a later stage is
  already recorded. If the victim chose to hear about that stage and the case
  is active, they are told at once, through the outbox in this same
  transaction: a bare "there is an update, sign in to read it" on their first
  safe channel, in their language (portal.notifications.outbox.notify_victim).
  A pause the victim asked for that waited for this stage (or an earlier one), or
  whose day has come, ends first (portal.services.participation): they hear of it.
- A call, letter or meeting is recorded with who made contact; the first one
  stops the 20-working-day clock (`Case.first_contact_on`).
- An entry can be hidden from the victim and shown again; a handover note never
  can be shown, nor an entry with nothing written for the victim.
- Each form carries a one-time key: the same form sent twice (a double click,
  Back and send again, two requests at once) finds the entry the first one
  wrote (a unique column, `TimelineEvent.submission_key`) and writes nothing.
- Every change writes an audit event (ids and kinds, never names or text).
- A closed case, or one joined to another, is not written to.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.catalogue import N_, in_language
from portal.domain.case_timeline import (
    CONTACT_KINDS,
    NEVER_SHOWN_TO_VICTIM,
    PRECISIONS_ALLOWED,
    tell_victim_at_once,
    wants_to_hear,
)
from portal.domain.contact_times import london_today
from portal.models import (
    ActorType,
    AuditEvent,
    Case,
    CaseStatus,
    ContactDirection,
    DatePrecision,
    SentenceStage,
    TimelineEvent,
    TimelineEventKind,
    VictimLiaisonOfficer,
    utcnow,
)
from portal.notifications.outbox import notify_victim, safe_channels
from portal.services import participation, submissions

#: A starting text for each stage, in the victim's language (the officer edits it).
STANDARD_WORDING = {
    SentenceStage.SENTENCE: N_(
        "The offender has been sentenced. I will explain what the sentence means for you and "
        "what happens next."
    ),
    SentenceStage.CUSTODY: N_(
        "The offender is in prison or hospital. I will tell you about any big changes, such as "
        "a move to an open prison."
    ),
    SentenceStage.PAROLE: N_(
        "The Parole Board is looking at whether the offender can be released. You can write a "
        "Victim Personal Statement and ask for licence conditions. I can help you with both."
    ),
    SentenceStage.RELEASE: N_(
        "The offender has been released on licence. They must keep to their licence "
        "conditions. We will never tell anyone where you live."
    ),
    SentenceStage.LICENCE_CONDITIONS: N_(
        "The offender’s licence conditions have been set. I can tell you about the conditions "
        "that relate to you."
    ),
    SentenceStage.RECALL: N_(
        "The offender has been sent back to prison for breaking the licence. I will tell you if "
        "they may be released again."
    ),
    SentenceStage.END_OF_SENTENCE: N_(
        "The sentence has ended, so updates from the scheme end too. You can still ask me "
        "questions, and Victim Support can help you for as long as you need."
    ),
}

#: Cases whose timeline no longer changes: closed, or joined to the victim's other case.
NOT_WRITABLE = frozenset({CaseStatus.CLOSED, CaseStatus.MERGED})


class Refused(Exception):
    """The change is not allowed; `reason` says why (the page explains it kindly)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Actor:
    """Who is writing, and the request, for the audit."""

    officer: VictimLiaisonOfficer
    request_id: str | None = None
    address: str | None = None


@dataclass(frozen=True)
class StageEntry:
    stage: SentenceStage
    occurred_on: date
    precision: DatePrecision
    summary: str
    internal_note: str | None
    submission_key: str


@dataclass(frozen=True)
class ContactEntry:
    kind: TimelineEventKind
    direction: ContactDirection
    occurred_on: date
    visible_to_victim: bool
    summary: str
    internal_note: str | None
    submission_key: str


@dataclass(frozen=True)
class Written:
    event: TimelineEvent
    #: False when this form had been sent before: the entry it wrote then.
    created: bool = True


def standard_wording(stage: SentenceStage, language: str) -> str:
    """The starting text for `stage`, in `language` ("en" or "cy")."""
    return in_language(language, STANDARD_WORDING[stage])


def writing_refused(case: Case) -> str | None:
    """Why nothing may be added to this case's timeline ("closed", "merged"), or None."""
    return case.status.value if case.status in NOT_WRITABLE else None


def earlier_submission(session: Session, case: Case, key: str) -> TimelineEvent | None:
    """The entry a form with this one-time key already wrote on this case, if any."""
    return session.scalar(
        select(TimelineEvent).where(
            TimelineEvent.case_id == case.id, TimelineEvent.submission_key == key
        )
    )


def _audit(session: Session, case: Case, actor: Actor, action: str, detail: dict) -> None:
    session.add(
        AuditEvent(
            actor_type=ActorType.STAFF,
            actor_id=actor.officer.id,
            action=action,
            case_id=case.id,
            request_id=actor.request_id,
            address=actor.address,
            detail=detail,
        )
    )


def _once(session: Session, case: Case, key: str, write) -> Written:
    """Run `write` unless a form with `key` already wrote an entry; two at once write one."""
    if refused := writing_refused(case):
        raise Refused(refused)
    event, created = submissions.once(
        session, lambda: earlier_submission(session, case, key), write
    )
    return Written(event, created=created)


def _latest_stage_on(session: Session, case: Case) -> date | None:
    return session.scalar(
        select(func.max(TimelineEvent.occurred_on)).where(
            TimelineEvent.case_id == case.id, TimelineEvent.kind == TimelineEventKind.STAGE
        )
    )


def add_stage(
    session: Session, case: Case, entry: StageEntry, actor: Actor, sign_in_url: str
) -> Written:
    """Record a stage of the sentence; tell the victim at once if they chose to hear of it.

    `sign_in_url` is the link the bare notification carries. Raises Refused for a
    closed or merged case, or a date more precise than the victim may be told."""
    if entry.precision not in PRECISIONS_ALLOWED[entry.stage]:
        raise Refused("precision")

    def write() -> TimelineEvent:
        latest = _latest_stage_on(session, case)
        event = TimelineEvent(
            case=case,
            kind=TimelineEventKind.STAGE,
            stage=entry.stage,
            occurred_on=entry.occurred_on,
            precision=entry.precision,
            summary=entry.summary,
            language=case.victim.language,
            visible_to_victim=True,
            internal_note=entry.internal_note or None,
            recorded_by_id=actor.officer.id,
            submission_key=entry.submission_key,
        )
        session.add(event)
        if latest is None or entry.occurred_on >= latest:
            case.stage = entry.stage  # a later stage already recorded stays the current one
        # A pause until this stage (or an earlier one), or until a day now come, ends first:
        # the victim hears of this very stage as they chose.
        participation.end_pause_if_over(session, case, london_today(utcnow()), recorded=entry.stage)
        told = []
        if tell_victim_at_once(case.status, case.updates_wanted, entry.stage):
            told = notify_victim(session, case.victim, "new_stage", {"url": sign_in_url})
        if told:
            event.notification = told[0]
        session.flush()
        _audit(
            session,
            case,
            actor,
            "timeline stage added",
            {
                "event_id": event.id,
                "stage": entry.stage.value,
                "precision": entry.precision.value,
                "current_stage": case.stage.value,
                "notification_id": event.notification_id,
            },
        )
        return event

    return _once(session, case, entry.submission_key, write)


def why_not_told(case: Case, event: TimelineEvent):
    """Why a sentence event did not tell the victim at once, for the officer: the case's
    status, what the victim chose to hear (an UpdatesWanted), or "no-safe-channel"; None
    when it told them (or the entry is not a stage)."""
    if event.stage is None or event.notification_id is not None:
        return None
    if case.status != CaseStatus.ACTIVE:
        return case.status
    if not wants_to_hear(case.updates_wanted, event.stage):
        return case.updates_wanted
    if not safe_channels(case.victim):
        return "no-safe-channel"
    return None


def record_contact(session: Session, case: Case, entry: ContactEntry, actor: Actor) -> Written:
    """Record a call, letter or meeting; the first contact stops the clock."""
    if entry.kind not in CONTACT_KINDS:
        raise Refused("kind")

    def write() -> TimelineEvent:
        event = TimelineEvent(
            case=case,
            kind=entry.kind,
            direction=entry.direction,
            occurred_on=entry.occurred_on,
            precision=DatePrecision.DAY,
            summary=entry.summary,
            language=case.victim.language,
            visible_to_victim=entry.visible_to_victim,
            internal_note=entry.internal_note or None,
            recorded_by_id=actor.officer.id,
            submission_key=entry.submission_key,
        )
        session.add(event)
        first = case.first_contact_on is None or entry.occurred_on < case.first_contact_on
        if first:
            case.first_contact_on = entry.occurred_on
        session.flush()
        _audit(
            session,
            case,
            actor,
            "timeline contact recorded",
            {
                "event_id": event.id,
                "kind": entry.kind.value,
                "direction": entry.direction.value,
                "visible_to_victim": entry.visible_to_victim,
                "first_contact": first,
            },
        )
        return event

    return _once(session, case, entry.submission_key, write)


def can_be_shown(event: TimelineEvent) -> bool:
    """Whether an entry may be on the victim's page: not a handover note, and something is
    written for them."""
    return event.kind not in NEVER_SHOWN_TO_VICTIM and bool(event.summary.strip())


def set_visibility(
    session: Session, case: Case, event: TimelineEvent, visible: bool, actor: Actor
) -> bool:
    """Hide `event` from the victim, or show it again; True if that changed anything.

    Sending the same answer twice changes nothing the second time."""
    if refused := writing_refused(case):
        raise Refused(refused)
    if visible and not can_be_shown(event):
        raise Refused("cannot-show")
    if event.visible_to_victim == visible:
        return False
    event.visible_to_victim = visible
    _audit(
        session,
        case,
        actor,
        "timeline entry shown" if visible else "timeline entry hidden",
        {"event_id": event.id, "kind": event.kind.value},
    )
    return True
