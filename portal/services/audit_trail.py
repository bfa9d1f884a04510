"""Audit trails for managers: what happened to a case, and what a member of staff did.

Rows come newest first, a page at a time, from the two indexes made for them
(`ix_audit_events_case_created`, `ix_audit_events_actor_created`): two
statements a page (a count and the page), however long the audit grows.

Each row is one of three kinds, decided by the same rule in SQL (to filter) and
in Python (to show):

- refused: a request by someone not signed in as staff, one answered 400 or
  worse (403 for a role, 404 for another region's case), or a refusal the
  service recorded itself (a security code refused, a sign-in refused);
- views: any other GET;
- changes: everything else (a form sent, a decision, a sign-in).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, func, not_, select
from sqlalchemy.orm import Session

from portal.models import (
    ActorType,
    AuditEvent,
    Case,
    OfficerRole,
    VictimLiaisonOfficer,
)
from portal.services.paging import Page

#: Rows on one page of a trail.
PER_PAGE = 25

#: Events the service writes when it refuses something (portal/services/security_codes.py,
#: staff_auth.py): refused, whatever their detail says.
REFUSAL_ACTIONS = frozenset(
    {
        "security code refused",
        "security code guesses used up",
        "staff sign-in refused",
        "staff sign-in locked",
    }
)


class Kind(enum.StrEnum):
    VIEWS = "views"
    CHANGES = "changes"
    REFUSED = "refused"


def _status(detail: Any) -> int | None:
    """The HTTP status a request audit recorded (a number; anything else is not one)."""
    status = detail.get("status") if isinstance(detail, dict) else None
    if isinstance(status, bool) or not isinstance(status, int | float):
        return None
    return int(status)


def kind_of(action: str, detail: Any) -> Kind:
    """Which kind an audit row is (the Python twin of `_kind_condition`)."""
    allowed = detail.get("allowed") if isinstance(detail, dict) else None
    if allowed is False or (_status(detail) or 0) >= 400 or action in REFUSAL_ACTIONS:
        return Kind.REFUSED
    return Kind.VIEWS if action.startswith("GET ") else Kind.CHANGES


def _refused(dialect: str):
    """1 for a refused row, else 0. The detail is whatever a service wrote: its values are
    looked at only once their JSON type is right (no cast can fail), and a CASE keeps a
    missing key from making the row neither refused nor not."""
    detail = AuditEvent.detail
    if dialect == "postgresql":
        allowed_false = and_(
            func.json_typeof(detail["allowed"]) == "boolean",
            detail["allowed"].as_string() == "false",
        )
        status_is_number = func.json_typeof(detail["status"]) == "number"
    else:  # SQLite's JSON functions
        allowed_false = func.json_type(detail, '$."allowed"') == "false"
        status_is_number = func.json_type(detail, '$."status"').in_(("integer", "real"))
    return case(
        (allowed_false, 1),
        (AuditEvent.action.in_(sorted(REFUSAL_ACTIONS)), 1),
        (status_is_number, case((detail["status"].as_float() >= 400, 1), else_=0)),
        else_=0,
    )


def _kind_condition(kind: Kind | None, dialect: str):
    if kind is None:
        return None
    refused = _refused(dialect)
    if kind is Kind.REFUSED:
        return refused == 1
    is_view = AuditEvent.action.like("GET %")
    return and_(refused == 0, is_view if kind is Kind.VIEWS else not_(is_view))


@dataclass(frozen=True)
class Entry:
    """One row of a trail, with the names it needs to be read."""

    id: int
    at: datetime
    actor_type: ActorType
    actor_id: int | None
    #: The officer's name, when a member of staff did it (and their account exists).
    officer_name: str | None
    #: That officer's region (a manager may open the trails of their own region's staff).
    officer_region_id: int | None
    action: str
    case_id: int | None
    case_reference: str | None
    address: str | None
    status: int | None
    #: False for a request by someone not signed in as staff.
    signed_in: bool
    kind: Kind
    #: Someone acting for the victim did it (the victim is the actor; the detail names the
    #: representative: portal.services.representatives).
    representative: bool = False


@dataclass(frozen=True)
class Trail(Page):
    """A page of an audit trail."""

    per_page: int = PER_PAGE


class NoSuchPage(LookupError):
    """A page after the trail's last (or before its first)."""


def _trail(session: Session, where, kind: Kind | None, page: int) -> Trail:
    if page < 1:
        raise NoSuchPage(page)
    conditions = [where]
    condition = _kind_condition(kind, session.get_bind().dialect.name)
    if condition is not None:
        conditions.append(condition)
    total = session.scalar(select(func.count()).select_from(AuditEvent).where(*conditions)) or 0
    if page > 1 and (page - 1) * PER_PAGE >= total:
        raise NoSuchPage(page)
    rows = session.execute(
        select(
            AuditEvent,
            VictimLiaisonOfficer.full_name,
            VictimLiaisonOfficer.region_id,
            Case.reference,
        )
        .outerjoin(
            VictimLiaisonOfficer,
            and_(
                AuditEvent.actor_type == ActorType.STAFF,
                VictimLiaisonOfficer.id == AuditEvent.actor_id,
            ),
        )
        .outerjoin(Case, Case.id == AuditEvent.case_id)
        .where(*conditions)
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
        .limit(PER_PAGE)
        .offset((page - 1) * PER_PAGE)
    ).all()
    entries = [
        Entry(
            id=event.id,
            at=event.created_at,
            actor_type=event.actor_type,
            actor_id=event.actor_id,
            officer_name=name,
            officer_region_id=region_id,
            action=event.action,
            case_id=event.case_id,
            case_reference=reference,
            address=event.address,
            status=_status(event.detail),
            signed_in=not (isinstance(event.detail, dict) and event.detail.get("allowed") is False),
            kind=kind_of(event.action, event.detail),
            representative=isinstance(event.detail, dict) and "representative" in event.detail,
        )
        for event, name, region_id, reference in rows
    ]
    return Trail(entries=entries, total=total, page=page)


def for_case(session: Session, case_id: int, kind: Kind | None = None, page: int = 1) -> Trail:
    """Everything recorded about the case: staff views and changes, refusals, the
    service's own events (a possible duplicate flagged, say). Newest first."""
    return _trail(session, AuditEvent.case_id == case_id, kind, page)


def for_officer(
    session: Session, officer_id: int, kind: Kind | None = None, page: int = 1
) -> Trail:
    """What the officer looked at and did, signed in: every page, every case opened,
    every change. Newest first."""
    return _trail(
        session,
        and_(AuditEvent.actor_type == ActorType.STAFF, AuditEvent.actor_id == officer_id),
        kind,
        page,
    )


def officer_in_reach(
    session: Session, viewer: VictimLiaisonOfficer, officer_id: int
) -> VictimLiaisonOfficer | None:
    """The officer whose trail `viewer` asks for, if they may see it: an admin anyone's,
    a manager their own region's; None otherwise (the console answers 404)."""
    if not viewer.is_active or viewer.role not in (OfficerRole.MANAGER, OfficerRole.ADMIN):
        return None
    officer = session.get(VictimLiaisonOfficer, officer_id)
    if officer is None or not viewer.sees_region(officer.region_id):
        return None
    return officer
