"""What waits for an officer: the queues of "What needs you first", for any page to reuse.

Three lists, each one query whatever the number of cases (the victim is joined in,
the total counted by a window over the same rows):

- `to_triage`: new registrations in the officer's region (an admin's also include the
  national queue, cases whose court, so region, is not known yet);
- `possible_duplicates`: registrations still in triage that registration flagged as
  perhaps the same person about the same offender as a live case;
- `waiting_for_contact`: the officer's own active cases where first contact has not
  been made yet (the 20-working-day clock is still running).

Each row carries how long it has waited, in working days, against the target
(portal.domain.waiting). Rows come longest wait first, so overdue ones first: a
wait only grows as `clock_started_on` goes back, so one order gives both.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, aliased

from portal.domain.contact_times import LONDON
from portal.domain.waiting import Wait, wait
from portal.models import Case, CaseStatus, Language, Victim, VictimLiaisonOfficer

#: How many rows a list shows on a page; the total is always counted.
LIST_LIMIT = 50


def today_in_england(now: datetime | None = None) -> date:
    """The day it is where the units work (a wait is counted in their working days)."""
    return (now or datetime.now(LONDON)).astimezone(LONDON).date()


@dataclass(frozen=True)
class Duplicate:
    """The live case a registration may duplicate (shown to staff only)."""

    case_id: int
    reference: str
    region_id: int | None


@dataclass(frozen=True)
class QueueRow:
    case_id: int
    reference: str
    victim_name: str
    victim_language: Language
    region_id: int | None  # None: the national queue
    status: CaseStatus
    officer_id: int | None
    clock_started_on: date
    wait: Wait
    possible_duplicate: Duplicate | None = None


@dataclass(frozen=True)
class Queue:
    """Some rows of a list (at most `limit`), and how many there are in all."""

    rows: list[QueueRow]
    total: int
    limit: int

    @property
    def truncated(self) -> bool:
        return self.total > len(self.rows)


def _triage_scope(officer: VictimLiaisonOfficer):
    """Registrations this officer triages: their region's; an admin's also the national queue."""
    mine = Case.region_id == officer.region_id
    if officer.role.sees_every_region:
        return or_(mine, Case.region_id.is_(None))
    return mine


def _run(
    session: Session, conditions: list, today: date, limit: int | None, duplicates=None
) -> Queue:
    """One statement: the rows, their victims, (their flagged case) and the total."""
    limit = limit or LIST_LIMIT
    total = func.count().over().label("total")
    columns = [
        Case.id,
        Case.reference,
        Victim.full_name,
        Victim.language,
        Case.region_id,
        Case.status,
        Case.officer_id,
        Case.clock_started_on,
    ]
    if duplicates is not None:
        columns += [duplicates.id, duplicates.reference, duplicates.region_id]
    statement = select(*columns, total).select_from(Case).join(Victim, Victim.id == Case.victim_id)
    if duplicates is not None:
        statement = statement.join(duplicates, duplicates.id == Case.possible_duplicate_of_id)
    statement = statement.where(*conditions).order_by(Case.clock_started_on, Case.id).limit(limit)
    rows = []
    count = 0
    for found in session.execute(statement):
        count = found.total
        rows.append(
            QueueRow(
                case_id=found[0],
                reference=found[1],
                victim_name=found[2],
                victim_language=Language(found[3]),
                region_id=found[4],
                status=CaseStatus(found[5]),
                officer_id=found[6],
                clock_started_on=found[7],
                wait=wait(found[7], today),
                possible_duplicate=Duplicate(found[8], found[9], found[10])
                if duplicates is not None
                else None,
            )
        )
    return Queue(rows=rows, total=count, limit=limit)


def to_triage(
    session: Session, officer: VictimLiaisonOfficer, today: date, limit: int | None = None
) -> Queue:
    """New registrations to triage (not those flagged as possible duplicates: see below)."""
    conditions = [
        _triage_scope(officer),
        Case.status == CaseStatus.TRIAGE,
        Case.possible_duplicate_of_id.is_(None),
    ]
    return _run(session, conditions, today, limit)


def possible_duplicates(
    session: Session, officer: VictimLiaisonOfficer, today: date, limit: int | None = None
) -> Queue:
    """Registrations in triage flagged as possibly the same as a live case, with that case."""
    conditions = [
        _triage_scope(officer),
        Case.status == CaseStatus.TRIAGE,
        Case.possible_duplicate_of_id.is_not(None),
    ]
    return _run(session, conditions, today, limit, duplicates=aliased(Case, name="flagged"))


def waiting_for_contact(
    session: Session, officer: VictimLiaisonOfficer, today: date, limit: int | None = None
) -> Queue:
    """The officer's active cases where first contact has not been made yet."""
    conditions = [
        Case.officer_id == officer.id,
        Case.status == CaseStatus.ACTIVE,
        Case.first_contact_on.is_(None),
    ]
    return _run(session, conditions, today, limit)


@dataclass(frozen=True)
class NeedsYou:
    """Everything "What needs you first" lists for one officer."""

    to_triage: Queue
    possible_duplicates: Queue
    waiting_for_contact: Queue


def needs_you(
    session: Session, officer: VictimLiaisonOfficer, today: date, limit: int | None = None
) -> NeedsYou:
    limit = limit or LIST_LIMIT
    if not officer.is_active:
        empty = Queue(rows=[], total=0, limit=limit)
        return NeedsYou(empty, empty, empty)
    return NeedsYou(
        to_triage=to_triage(session, officer, today, limit),
        possible_duplicates=possible_duplicates(session, officer, today, limit),
        waiting_for_contact=waiting_for_contact(session, officer, today, limit),
    )
