"""Which cases a member of staff may see, and the one way to fetch one.

A VLO and a manager see their own region's cases; an admin sees every region,
and the national queue (cases whose court, so region, is not known yet). A case
outside that is not found, exactly as a case that does not exist: the console
answers 404 and the audit records the refused request (portal.access).
"""

from __future__ import annotations

from sqlalchemy import Select, false, select, true
from sqlalchemy.orm import Session

from portal.models import LARGEST_ID, Case, VictimLiaisonOfficer


def in_reach(officer: VictimLiaisonOfficer):
    """A SQL condition: the cases `officer` may see."""
    if not officer.is_active:
        return false()
    if officer.role.sees_every_region:
        return true()
    return Case.region_id == officer.region_id


def cases_for(officer: VictimLiaisonOfficer) -> Select:
    """Every case `officer` may see, to filter further."""
    return select(Case).where(in_reach(officer))


def case_for(
    session: Session, officer: VictimLiaisonOfficer, case_id: int, *options
) -> Case | None:
    """The case `case_id` if `officer` may see it (with `options`, e.g. selectinload), else
    None."""
    if not 0 < case_id <= LARGEST_ID:
        return None
    return session.scalars(
        cases_for(officer).where(Case.id == case_id).options(*options)
    ).one_or_none()
