"""A victim pauses updates, leaves the scheme or asks to come back; their officer brings them
back. The rules are in portal.domain.participation; here, what each one writes:

- **Pause** (the victim): the case is paused until a day or until a stage is recorded.
  Nothing about the sentence is sent at once while it lasts
  (portal.domain.case_timeline.tell_victim_at_once only tells an active case), and what
  was waiting to tell them of the case's entries is cancelled. It ends on its day
  (`resume_due`, run daily by `flask cases resume-paused`, and checked again whenever a
  stage is recorded), when the stage it waited for (or a later one) is recorded
  (`end_pause_if_over`, called by portal.services.timeline.add_stage before it decides
  whom to tell: so the victim is told of that very stage), or when the victim starts
  updates again. Then the case is active again.
- **Leave** (the victim): the case is closed at their word (`left_at`): nothing more is
  sent; the record is kept for the retention period; they may still sign in
  (portal.services.sign_in), see that they left and **ask to come back**
  (`come_back_asked_at`, which their officer sees on the case and its timeline).
- **Bring back** (the officer, from the case page): the case is active again and the
  victim is told, content-free, on a safe channel.

Each is an entry on the case's timeline the victim sees (in their language) and the
officer sees, and an audit event. Pausing and leaving are confirmed content-free through
a detail still safe (portal.services.contact_choices.confirm). The caller commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from babel.dates import format_date
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from portal.catalogue import LOCALES, N_
from portal.domain.contact_times import london_today
from portal.domain.participation import (
    MAY_LEAVE,
    MAY_PAUSE,
    pause_day_problem,
    pause_over,
    stages_to_pause_until,
)
from portal.models import (
    ActorType,
    AuditEvent,
    Case,
    CaseStatus,
    Message,
    NotificationStatus,
    OutboxNotification,
    SentenceStage,
    TimelineEvent,
    utcnow,
)
from portal.notifications import outbox
from portal.notifications.outbox import notify_victim
from portal.services.contact_choices import confirm, safe_now
from portal.services.locks import lock_row
from portal.services.staff_changes import (
    Actor,
    StaffActor,
    VictimActor,
    audit,
    staff_note,
)

#: Why a notification about the case was cancelled (the officer's "Notifications sent").
PAUSED_REASON = outbox.PAUSED
LEFT_REASON = outbox.LEFT

#: What the victim (and their officer) read on the timeline, in the victim's language.
PAUSED_UNTIL_DAY = N_(
    "You paused updates until %(date)s. We will not tell you about the sentence until then. "
    "You can start updates again at any time."
)
PAUSED_UNTIL_STAGE = {
    SentenceStage.PAROLE: N_(
        "You paused updates until a parole review. We will tell you when one starts."
    ),
    SentenceStage.RELEASE: N_(
        "You paused updates until the offender is released. We will tell you when they are."
    ),
    SentenceStage.LICENCE_CONDITIONS: N_(
        "You paused updates until the licence conditions are set. We will tell you when they are."
    ),
    SentenceStage.END_OF_SENTENCE: N_(
        "You paused updates until the sentence ends. We will tell you when it does."
    ),
}
RESUMED = N_("You started updates again. We will tell you about the sentence as you chose.")
PAUSE_ENDED = N_(
    "Your pause has ended, so updates have started again. We will tell you about the "
    "sentence as you chose."
)
LEFT = N_(
    "You left the Victim Contact Scheme. We will not contact you about this case. We keep "
    "your record for a time, so you can ask to come back."
)
ASKED_TO_COME_BACK = N_(
    "You asked to come back into the Victim Contact Scheme. Your Victim Liaison Officer will "
    "contact you."
)
BACK = N_(
    "You are back in the Victim Contact Scheme. We will tell you about the sentence as you chose."
)


class Refused(Exception):
    """The change is not allowed now; `reason` says why (the page explains it kindly):
    "status" (not a case this can be done to), "past", "too-far" (a day), "stage"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Done:
    """What a change did: whether anything changed, the entry it wrote, the confirmation or
    notification sent (None when none could be), and the notifications it cancelled."""

    changed: bool
    event: TimelineEvent | None = None
    told: OutboxNotification | None = None
    cancelled: int = 0


def _entry(
    session: Session, case: Case, actor: Actor | None, message: str, now: datetime, **values
) -> TimelineEvent:
    """An entry the victim sees (and the officer), in the victim's language; written by the
    service itself when there is no `actor` (a pause whose day has come)."""
    return staff_note(session, actor, case, message, now, visible_to_victim=True, **values)


def _system_audit(session: Session, case: Case, action: str, detail: dict, now: datetime) -> None:
    session.add(
        AuditEvent(
            actor_type=ActorType.SYSTEM,
            action=action,
            case_id=case.id,
            detail=detail,
            created_at=now,
        )
    )


def cancel_waiting(session: Session, case: Case, reason: str, now: datetime) -> int:
    """Cancel what is waiting to tell the victim of this case's entries (a new stage, a new
    officer, a step on a request) and of its officer's messages: never sent. Returns how
    many. (What a worker has already picked up, it checks again before sending.)"""
    told = select(TimelineEvent.notification_id).where(
        TimelineEvent.case_id == case.id, TimelineEvent.notification_id.is_not(None)
    )
    replied = select(Message.notification_id).where(
        Message.case_id == case.id, Message.notification_id.is_not(None)
    )
    return session.execute(
        update(OutboxNotification)
        .where(
            or_(OutboxNotification.id.in_(told), OutboxNotification.id.in_(replied)),
            OutboxNotification.status == NotificationStatus.PENDING,
        )
        .values(
            status=NotificationStatus.CANCELLED,
            last_error=reason,
            personalisation={},
            claim_token=None,
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    ).rowcount


def _long_date(day: date, language: str) -> str:
    return format_date(day, format="long", locale=LOCALES[str(language)])


# --- pausing ------------------------------------------------------------------------------


def pause(
    session: Session,
    case: Case,
    actor: VictimActor,
    sign_in_url: str,
    *,
    until: date | None = None,
    until_stage: SentenceStage | None = None,
    today: date | None = None,
    now: datetime | None = None,
) -> Done:
    """Pause updates until `until` (a day) or `until_stage`; a paused case may change its
    pause. The same pause asked for again changes nothing."""
    lock_row(session, case)
    now = now or utcnow()
    today = today or london_today(now)
    if case.status not in MAY_PAUSE:
        raise Refused("status")
    if (until is None) == (until_stage is None):
        raise ValueError("a pause lasts until a day, or until a stage")
    if until is not None and (problem := pause_day_problem(until, today)):
        raise Refused(problem)
    if until_stage is not None and until_stage not in stages_to_pause_until(case.stage):
        raise Refused("stage")
    if case.status == CaseStatus.PAUSED and (case.paused_until, case.paused_until_stage) == (
        until,
        until_stage,
    ):
        return Done(changed=False)
    before = safe_now(case.victim)
    case.status = CaseStatus.PAUSED
    case.paused_until, case.paused_until_stage = until, until_stage
    cancelled = cancel_waiting(session, case, PAUSED_REASON, now)
    if until is not None:
        event = _entry(
            session,
            case,
            actor,
            PAUSED_UNTIL_DAY,
            now,
            date=_long_date(until, case.victim.language),
        )
    else:
        event = _entry(session, case, actor, PAUSED_UNTIL_STAGE[until_stage], now)
    told = confirm(session, case.victim, before, sign_in_url, now)
    session.flush()
    audit(
        session,
        actor,
        case,
        "case.paused",
        {
            "until": until.isoformat() if until else None,
            "until_stage": until_stage.value if until_stage else None,
            "event_id": event.id,
            "notifications_cancelled": cancelled,
        },
        now,
    )
    return Done(True, event, told, cancelled)


def _active_again(case: Case) -> None:
    case.status = CaseStatus.ACTIVE
    case.paused_until = case.paused_until_stage = None


def resume(
    session: Session,
    case: Case,
    actor: VictimActor,
    sign_in_url: str,
    now: datetime | None = None,
) -> Done:
    """The victim starts updates again (a case that is not paused is left as it is)."""
    lock_row(session, case)
    if case.status != CaseStatus.PAUSED:
        return Done(changed=False)
    now = now or utcnow()
    before = safe_now(case.victim)
    _active_again(case)
    event = _entry(session, case, actor, RESUMED, now)
    told = confirm(session, case.victim, before, sign_in_url, now)
    session.flush()
    audit(session, actor, case, "case.resumed", {"event_id": event.id}, now)
    return Done(True, event, told)


def end_pause_if_over(
    session: Session,
    case: Case,
    today: date,
    recorded: SentenceStage | None = None,
    now: datetime | None = None,
) -> bool:
    """End the pause if its day has come or the stage it waited for is being `recorded`:
    the case is active again, before whoever records the stage decides whom to tell."""
    if case.status != CaseStatus.PAUSED or not pause_over(
        case.paused_until, case.paused_until_stage, today, recorded
    ):
        return False
    now = now or utcnow()
    reason = "day" if case.paused_until is not None else "stage"
    _active_again(case)
    event = _entry(session, case, None, PAUSE_ENDED, now)
    session.flush()
    _system_audit(session, case, "case.pause_ended", {"reason": reason, "event_id": event.id}, now)
    return True


def resume_due(session: Session, today: date, now: datetime | None = None) -> int:
    """End every pause whose day has come (`flask cases resume-paused`, daily). Returns how
    many cases are active again."""
    now = now or utcnow()
    due = session.scalars(
        select(Case)
        .where(Case.status == CaseStatus.PAUSED, Case.paused_until <= today)
        .order_by(Case.id)
        .with_for_update(skip_locked=True)
    ).all()
    return sum(end_pause_if_over(session, case, today, now=now) for case in due)


# --- leaving and coming back ----------------------------------------------------------------


def leave(
    session: Session,
    case: Case,
    actor: VictimActor,
    sign_in_url: str,
    now: datetime | None = None,
) -> Done:
    """The victim leaves the scheme: nothing more is sent about this case."""
    lock_row(session, case)
    if case.status == CaseStatus.CLOSED and case.left_at is not None:
        return Done(changed=False)  # sent twice
    if case.status not in MAY_LEAVE:
        raise Refused("status")
    now = now or utcnow()
    before = safe_now(case.victim)
    was = case.status
    case.status = CaseStatus.CLOSED
    case.left_at = now
    case.paused_until = case.paused_until_stage = None
    case.come_back_asked_at = None
    cancelled = cancel_waiting(session, case, LEFT_REASON, now)
    event = _entry(session, case, actor, LEFT, now)
    told = confirm(session, case.victim, before, sign_in_url, now, leaving=True)
    session.flush()
    audit(
        session,
        actor,
        case,
        "case.left",
        {"was": was.value, "event_id": event.id, "notifications_cancelled": cancelled},
        now,
    )
    return Done(True, event, told, cancelled)


def has_left(case: Case) -> bool:
    """Whether the victim left the scheme on this case (and has not been brought back)."""
    return case.status == CaseStatus.CLOSED and case.left_at is not None


def ask_to_come_back(
    session: Session, case: Case, actor: VictimActor, now: datetime | None = None
) -> Done:
    """The victim who left asks to come back: their officer sees it and brings them back.
    Asking again changes nothing. Nothing is sent: the case is still closed."""
    lock_row(session, case)
    if not has_left(case):
        raise Refused("status")
    if case.come_back_asked_at is not None:
        return Done(changed=False)
    now = now or utcnow()
    case.come_back_asked_at = now
    event = _entry(session, case, actor, ASKED_TO_COME_BACK, now)
    session.flush()
    audit(session, actor, case, "case.come_back_asked", {"event_id": event.id}, now)
    return Done(True, event)


def bring_back(
    session: Session,
    case: Case,
    actor: StaffActor,
    sign_in_url: str,
    now: datetime | None = None,
) -> Done:
    """The officer brings a victim who left back into the scheme: the case is active again
    (or waits for triage again, when it had no officer yet), and the victim is told
    content-free on their first safe channel."""
    lock_row(session, case)
    if not has_left(case):
        raise Refused("status")
    now = now or utcnow()
    asked = case.come_back_asked_at is not None
    # Someone who left while waiting for triage waits for it again.
    case.status = CaseStatus.ACTIVE if case.officer_id is not None else CaseStatus.TRIAGE
    case.left_at = case.come_back_asked_at = None
    event = _entry(session, case, actor, BACK, now)
    sent = notify_victim(session, case.victim, "back_in_scheme", {"url": sign_in_url}, now)
    session.flush()
    if sent:
        event.notification_id = sent[0].id
    audit(
        session,
        actor,
        case,
        "case.brought_back",
        {
            "asked": asked,
            "event_id": event.id,
            "notification_id": sent[0].id if sent else None,
        },
        now,
    )
    return Done(True, event, sent[0] if sent else None)
