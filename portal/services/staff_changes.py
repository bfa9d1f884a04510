"""What every change an officer makes to a case leaves behind: a specific audit event, and
where it helps the next officer, an entry on the case's timeline.

The request audit (portal.access) records that a page was opened; these record what was
changed, with ids and kinds only (never a name, an address or free text). A staff-only
timeline entry says the change in words, in the victim's language (the language every
entry of their timeline is written in), never with the contact detail itself in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from portal.catalogue import in_language
from portal.models import (
    ActorType,
    AuditEvent,
    Case,
    TimelineEvent,
    TimelineEventKind,
)

LONDON = ZoneInfo("Europe/London")


@dataclass(frozen=True)
class StaffActor:
    """Who made a change, and from where (for the audit)."""

    officer_id: int
    request_id: str | None = None
    address: str | None = None


def today_in_london(now: datetime) -> date:
    return now.astimezone(LONDON).date()


def audit(
    session: Session,
    actor: StaffActor,
    case: Case,
    action: str,
    detail: dict[str, Any],
    now: datetime,
) -> AuditEvent:
    event = AuditEvent(
        actor_type=ActorType.STAFF,
        actor_id=actor.officer_id,
        action=action,
        case_id=case.id,
        request_id=actor.request_id,
        address=actor.address,
        detail=detail,
        created_at=now,
    )
    session.add(event)
    return event


def staff_note(
    session: Session,
    actor: StaffActor,
    case: Case,
    message: str,
    now: datetime,
    *,
    kind: TimelineEventKind = TimelineEventKind.NOTE,
    internal_note: str | None = None,
    **values: str,
) -> TimelineEvent:
    """A timeline entry the victim never sees: `message` (marked with N_) in the victim's
    language, with `values` put in its placeholders."""
    language = case.victim.language
    summary = in_language(language, message)
    if values:
        summary = summary % values
    event = TimelineEvent(
        case=case,
        kind=kind,
        occurred_on=today_in_london(now),
        summary=summary,
        language=language,
        visible_to_victim=False,
        internal_note=internal_note,
        recorded_by_id=actor.officer_id,
        created_at=now,
    )
    session.add(event)
    return event
