"""What every change an officer makes to a case leaves behind: a specific audit event, and
where it helps the next officer, an entry on the case's timeline.

A victim changing their own choices online (portal.services.contact_choices,
participation) leaves the same behind, as a `VictimActor`: the audit names the victim
(ActorType.VICTIM) and the entry has no officer as its author.

The request audit (portal.access) records that a page was opened; these record what was
changed, with ids and kinds only (never a name, an address or free text). A staff-only
timeline entry says the change in words, in the victim's language (the language every
entry of their timeline is written in), never with the contact detail itself in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from portal.catalogue import in_language
from portal.domain.contact_times import london_today
from portal.models import (
    ActorType,
    AuditEvent,
    Case,
    TimelineEvent,
    TimelineEventKind,
)


@dataclass(frozen=True)
class StaffActor:
    """Who made a change, and from where (for the audit)."""

    officer_id: int
    request_id: str | None = None
    address: str | None = None


@dataclass(frozen=True)
class VictimActor:
    """A signed-in victim who made a change to their own record, and from where."""

    victim_id: int
    request_id: str | None = None
    address: str | None = None


Actor = StaffActor | VictimActor


def _who(actor: Actor) -> tuple[ActorType, int]:
    if isinstance(actor, VictimActor):
        return ActorType.VICTIM, actor.victim_id
    return ActorType.STAFF, actor.officer_id


def audit(
    session: Session,
    actor: Actor,
    case: Case,
    action: str,
    detail: dict[str, Any],
    now: datetime,
) -> AuditEvent:
    actor_type, actor_id = _who(actor)
    event = AuditEvent(
        actor_type=actor_type,
        actor_id=actor_id,
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
    actor: Actor | None,
    case: Case,
    message: str,
    now: datetime,
    *,
    kind: TimelineEventKind = TimelineEventKind.NOTE,
    internal_note: str | None = None,
    visible_to_victim: bool = False,
    **values: str,
) -> TimelineEvent:
    """A timeline entry (the victim never sees it, unless `visible_to_victim`): `message`
    (marked with N_) in the victim's language, with `values` put in its placeholders."""
    language = case.victim.language
    summary = in_language(language, message)
    if values:
        summary = summary % values
    event = TimelineEvent(
        case=case,
        kind=kind,
        occurred_on=london_today(now),
        summary=summary,
        language=language,
        visible_to_victim=visible_to_victim,
        internal_note=internal_note,
        recorded_by_id=actor.officer_id if isinstance(actor, StaffActor) else None,
        created_at=now,
    )
    session.add(event)
    return event
