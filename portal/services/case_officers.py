"""A manager gives a case to another officer of its region, with a handover note.

The note is for the new officer: what they must know so that the victim never has to tell
their story again. It is kept as the staff-only note of a HANDOVER entry on the case's
timeline, which the victim never sees. The victim may be told who their new officer is:
a timeline entry they see, in their language, and a content-free "there is an update for
you" through the outbox on their first safe channel (not while the case is paused: they
asked for no contact). The audit records "case.reassigned" with ids only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.catalogue import N_, in_language
from portal.domain.contact_times import london_today
from portal.models import (
    Case,
    CaseStatus,
    TimelineEvent,
    TimelineEventKind,
    VictimLiaisonOfficer,
    utcnow,
)
from portal.notifications.outbox import notify_victim
from portal.services.staff_changes import StaffActor, audit, staff_note

#: A case can be reassigned once it has been accepted, and while it is open.
REASSIGNABLE = (CaseStatus.ACTIVE, CaseStatus.PAUSED)
#: Cases that count towards an officer's caseload.
OPEN = (CaseStatus.ACTIVE, CaseStatus.PAUSED)
#: The most a handover note may hold.
NOTE_LIMIT = 5000

HANDED_OVER = N_("Case handed over from %(old)s to %(new)s")
HANDED_OVER_FROM_NOBODY = N_("Case handed to %(new)s")
#: What the victim reads, in their language.
YOUR_NEW_OFFICER = N_(
    "Your Victim Liaison Officer is now %(name)s. They have read about your case, so you "
    "do not need to tell them everything again."
)


class ReassignRefused(ValueError):
    """Why a case cannot go to that officer: `reason` is one of the REASONS."""

    REASONS = ("not-open", "same-officer", "not-an-officer", "inactive", "other-region")

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class OfficerChoice:
    id: int
    full_name: str
    speaks_welsh: bool
    open_cases: int


def can_reassign(case: Case) -> bool:
    return case.status in REASSIGNABLE and case.region_id is not None


def officers_for(session: Session, case: Case) -> list[OfficerChoice]:
    """The active officers of the case's region but its own, with how many open cases each
    has (one query, whatever the number)."""
    if case.region_id is None:
        return []
    caseload = (
        select(Case.officer_id, func.count(Case.id).label("open_cases"))
        .where(Case.status.in_(OPEN))
        .group_by(Case.officer_id)
        .subquery()
    )
    rows = session.execute(
        select(
            VictimLiaisonOfficer.id,
            VictimLiaisonOfficer.full_name,
            VictimLiaisonOfficer.speaks_welsh,
            func.coalesce(caseload.c.open_cases, 0),
        )
        .outerjoin(caseload, caseload.c.officer_id == VictimLiaisonOfficer.id)
        .where(
            VictimLiaisonOfficer.region_id == case.region_id,
            VictimLiaisonOfficer.is_active.is_(True),
            VictimLiaisonOfficer.id != (case.officer_id or 0),
        )
        .order_by(VictimLiaisonOfficer.full_name, VictimLiaisonOfficer.id)
    ).all()
    return [OfficerChoice(*row) for row in rows]


def _check(case: Case, officer: VictimLiaisonOfficer | None) -> VictimLiaisonOfficer:
    if not can_reassign(case):
        raise ReassignRefused("not-open")
    if officer is None:
        raise ReassignRefused("not-an-officer")
    if officer.id == case.officer_id:
        raise ReassignRefused("same-officer")
    if officer.region_id != case.region_id:
        raise ReassignRefused("other-region")
    if not officer.is_active:
        raise ReassignRefused("inactive")
    return officer


def reassign(
    session: Session,
    case: Case,
    officer_id: int,
    note: str,
    actor: StaffActor,
    *,
    tell_victim: bool,
    sign_in_url: str,
    now: datetime | None = None,
) -> TimelineEvent:
    """Give `case` to officer `officer_id` with the handover `note`; returns the HANDOVER
    entry. Raises ReassignRefused (and changes nothing) when the officer cannot have it."""
    now = now or utcnow()
    new = _check(case, session.get(VictimLiaisonOfficer, officer_id))
    note = note.strip()
    if not note or len(note) > NOTE_LIMIT:
        raise ValueError("a handover note is needed")
    old = case.officer
    case.officer = new
    if old is None:
        message, names = HANDED_OVER_FROM_NOBODY, {"new": new.full_name}
    else:
        message, names = HANDED_OVER, {"old": old.full_name, "new": new.full_name}
    handover = staff_note(
        session,
        actor,
        case,
        message,
        now,
        kind=TimelineEventKind.HANDOVER,
        internal_note=note,
        **names,
    )
    told = None
    notification = None
    if tell_victim:
        language = case.victim.language
        told = TimelineEvent(
            case=case,
            kind=TimelineEventKind.NOTE,
            occurred_on=london_today(now),
            summary=in_language(language, YOUR_NEW_OFFICER) % {"name": new.full_name},
            language=language,
            visible_to_victim=True,
            recorded_by_id=actor.officer_id,
            created_at=now,
        )
        session.add(told)
        if case.status == CaseStatus.ACTIVE:
            sent = notify_victim(session, case.victim, "new_officer", {"url": sign_in_url}, now)
            if sent:
                notification = sent[0]
                session.flush()  # the notification's id, for the entry and the audit
                told.notification_id = notification.id
    session.flush()
    audit(
        session,
        actor,
        case,
        "case.reassigned",
        {
            "from_officer": old.id if old else None,
            "to_officer": new.id,
            "handover_event": handover.id,
            "victim_event": told.id if told else None,
            "notification": notification.id if notification else None,
        },
        now,
    )
    return handover
