"""The caseload: the cases an officer may see, filtered, searched, sorted and paged.

One statement counts the cases that match and one fetches the page of them, with
each case's victim, officer and region joined in (no query per row), whatever the
number of cases. Only cases in the officer's reach are ever considered
(portal.services.staff_cases.in_reach): their region's, or every region's and the
national queue for an admin.

The filters are plain values (`Filters`), checked by the view's form first; a value
this module does not know is ignored, never an error.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session, contains_eager

from portal.domain import references
from portal.domain.vocabulary import CaseStatus, Language, OfficerRole, SentenceStage
from portal.domain.waiting import Wait, wait
from portal.models import Case, Region, Victim, VictimLiaisonOfficer
from portal.services.paging import first_and_last
from portal.services.staff_cases import in_reach

#: Cases a page shows unless asked for another number, and the bounds of what may be asked.
PAGE_SIZE = 25
PAGE_SIZES = range(10, 101)
#: The longest search the page accepts (a name or a reference is far shorter).
SEARCH_MAX = 100

#: Cases that still wait for an officer's first contact: the 20-working-day clock runs.
CLOCK_RUNNING = (CaseStatus.TRIAGE, CaseStatus.ACTIVE)


class Whose(enum.StrEnum):
    MINE = "mine"  # assigned to the officer
    REGION = "region"  # everything in reach: the region's (every region's, for an admin)


class Only(enum.StrEnum):
    """Narrowing filters that are either on or off."""

    WAITING = "waiting"  # my active cases with no first contact yet
    WELSH = "welsh"  # the victim prefers Welsh
    ACCESS_NEEDS = "access"  # the victim told us of access needs


class Sort(enum.StrEnum):
    WAITED = "waited"  # waited longest first (cases still waiting before the rest)
    NEWEST = "newest"  # the newest clock first
    REFERENCE = "reference"
    REFERENCE_DESC = "reference-desc"
    NAME = "name"
    NAME_DESC = "name-desc"


#: The region filter's value for the national queue (cases whose region is not known).
NATIONAL_QUEUE = "national"


def default_whose(officer: VictimLiaisonOfficer) -> Whose:
    """A VLO starts from their own cases; a manager or an admin from everything in reach."""
    return Whose.MINE if officer.role is OfficerRole.VLO else Whose.REGION


@dataclass(frozen=True)
class Filters:
    whose: Whose | None = None  # None: the officer's default (default_whose)
    #: An admin's choice of region: a region's id, NATIONAL_QUEUE, or None for all.
    region: int | str | None = None
    statuses: frozenset[CaseStatus] = frozenset()
    stages: frozenset[SentenceStage] = frozenset()
    only: frozenset[Only] = frozenset()
    search: str = ""
    sort: Sort = Sort.WAITED
    page: int = 1
    size: int = PAGE_SIZE


@dataclass(frozen=True)
class Row:
    case: Case
    #: How long the victim has waited for first contact, while they still wait.
    wait: Wait | None


@dataclass(frozen=True)
class CaseloadPage:
    rows: list[Row]
    total: int
    page: int  # the page shown: the one asked for, or the last when that was too far
    pages: int
    size: int
    filters: Filters = field(repr=False)

    @property
    def first(self) -> int:
        """The position of the first case shown (1-based), 0 when none."""
        return first_and_last(self.page, self.size, len(self.rows))[0]

    @property
    def last(self) -> int:
        return first_and_last(self.page, self.size, len(self.rows))[1]


def compact_reference(text: str) -> str:
    """A reference as typed, in any case, with or without spaces and dashes: its letters
    and digits in upper case ("vcs abcd 1234" -> "VCSABCD1234")."""
    return re.sub(r"[\s\-‐-―]", "", text.upper())


def _search(text: str):
    """Cases whose reference or victim's name contains `text` (case-insensitive)."""
    text = " ".join(text.split())
    name = func.lower(Victim.full_name).contains(text.lower(), autoescape=True)
    conditions = [name]
    compact = compact_reference(text)
    if compact and compact.isalnum():
        # References are stored in upper case with dashes: compare without the dashes.
        conditions.append(func.replace(Case.reference, "-", "").contains(compact, autoescape=True))
        typed = references.normalise(text)
        if references.is_valid(typed):  # a whole reference, look-alike letters mapped
            conditions.append(Case.reference == typed)
    return or_(*conditions)


def waiting_for_first_contact():
    """A SQL condition: the clock runs (no first contact yet, still open)."""
    return and_(Case.first_contact_on.is_(None), Case.status.in_(CLOCK_RUNNING))


def _conditions(officer: VictimLiaisonOfficer, filters: Filters) -> tuple[list, list]:
    """What `filters` ask of the cases, and what they ask of their victims (their language,
    needs or name: only these need the victims joined, for the count)."""
    on_cases = [in_reach(officer)]
    if (filters.whose or default_whose(officer)) is Whose.MINE:
        on_cases.append(Case.officer_id == officer.id)
    if officer.role.sees_every_region and filters.region is not None:
        if filters.region == NATIONAL_QUEUE:
            on_cases.append(Case.region_id.is_(None))
        else:
            on_cases.append(Case.region_id == filters.region)
    if filters.statuses:
        on_cases.append(Case.status.in_(sorted(filters.statuses)))
    if filters.stages:
        on_cases.append(Case.stage.in_(sorted(filters.stages)))
    if Only.WAITING in filters.only:
        on_cases += [
            Case.officer_id == officer.id,
            Case.status == CaseStatus.ACTIVE,
            Case.first_contact_on.is_(None),
        ]
    on_victims = []
    if Only.WELSH in filters.only:
        on_victims.append(Victim.language == Language.WELSH)
    if Only.ACCESS_NEEDS in filters.only:
        on_victims.append(func.trim(func.coalesce(Victim.accessibility_needs, "")) != "")
    if filters.search.strip():
        on_victims.append(_search(filters.search))  # the reference, or the victim's name
    return on_cases, on_victims


def _order(sort: Sort) -> Sequence:
    if sort is Sort.NEWEST:
        return (Case.clock_started_on.desc(), Case.id.desc())
    if sort is Sort.REFERENCE:
        return (Case.reference.asc(),)
    if sort is Sort.REFERENCE_DESC:
        return (Case.reference.desc(),)
    if sort is Sort.NAME:
        return (func.lower(Victim.full_name).asc(), Case.id.asc())
    if sort is Sort.NAME_DESC:
        return (func.lower(Victim.full_name).desc(), Case.id.desc())
    # Waited longest: those still waiting for first contact, oldest clock first; then
    # the rest, in the same order.
    still_waiting = case((waiting_for_first_contact(), 0), else_=1)
    return (still_waiting, Case.clock_started_on.asc(), Case.id.asc())


def caseload(
    session: Session, officer: VictimLiaisonOfficer, filters: Filters, today: date
) -> CaseloadPage:
    """The page of cases `filters` ask for: two statements, whatever the data."""
    on_cases, on_victims = _conditions(officer, filters)
    conditions = [*on_cases, *on_victims]
    size = filters.size if filters.size in PAGE_SIZES else PAGE_SIZE
    counted = select(func.count(Case.id)).select_from(Case)
    if on_victims:  # every case has its victim: join them only to filter on them
        counted = counted.join(Case.victim)
    total = session.scalar(counted.where(*conditions))
    pages = max(1, -(-total // size))
    page = min(max(filters.page, 1), pages)
    cases = session.scalars(
        select(Case)
        .join(Case.victim)
        .outerjoin(Case.officer)
        .outerjoin(Case.region)
        .where(*conditions)
        .options(
            contains_eager(Case.victim), contains_eager(Case.officer), contains_eager(Case.region)
        )
        .order_by(*_order(filters.sort))
        .limit(size)
        .offset((page - 1) * size)
    ).all()
    rows = [
        Row(
            case=item,
            wait=wait(item.clock_started_on, today)
            if item.first_contact_on is None and item.status in CLOCK_RUNNING
            else None,
        )
        for item in cases
    ]
    return CaseloadPage(rows, total, page, pages, size, filters)


def regions_to_filter(session: Session, officer: VictimLiaisonOfficer) -> list[Region]:
    """The regions an admin may narrow the list to (none for anyone else: no query)."""
    if not officer.role.sees_every_region:
        return []
    return list(session.scalars(select(Region).order_by(Region.name_en)))
