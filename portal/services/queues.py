"""What waits for an officer: the queues of "What needs you first", for any page to reuse.

Five lists, each one query whatever the number of cases: the page of rows with their
victims joined in, and the total counted in the same statement by a subquery over the
same cases without the victims (see `queue_of`):

- `to_triage`: new registrations in the officer's region (an admin's also include the
  national queue, cases whose court, so region, is not known yet);
- `possible_duplicates`: registrations still in triage that registration flagged as
  perhaps the same person about the same offender as a live case;
- `waiting_for_contact`: the officer's own active cases where first contact has not
  been made yet (the 20-working-day clock is still running);
- `requests_waiting`: requests the officer's victims sent (licence conditions, a
  statement, the decision summary) that no officer has moved on yet, on their active or
  paused cases (first step within portal.domain.requests.FIRST_STEP_WITHIN_WORKING_DAYS);
- `asked_to_come_back`: victims who left the scheme and asked to come back, on the
  officer's cases (or, for a case that had no officer yet, those they triage).

Each row carries how long it has waited, in working days, against the target
(portal.domain.waiting). Rows come longest wait first, so overdue ones first: a
wait only grows as the day it started goes back, so one order gives both.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

from sqlalchemy import and_, bindparam, func, or_, select
from sqlalchemy.orm import Session, aliased

from portal.domain import requests as request_rules
from portal.domain.contact_times import LONDON, london_today
from portal.domain.participation import COME_BACK_WITHIN_WORKING_DAYS
from portal.domain.waiting import Wait, wait
from portal.models import (
    Case,
    CaseStatus,
    Language,
    RequestKind,
    RequestStatus,
    Victim,
    VictimLiaisonOfficer,
    VictimRequest,
    fixed,
)

#: How many rows a list shows on a page; the total is always counted.
LIST_LIMIT = 50
#: How many rows each list of the officer's home page shows (the longest waits: "See
#: all" leads to the rest). Six lists of 50 made the home page 126 KB of HTML and the
#: slowest page at national scale.
HOME_LIMIT = 10


def today_in_england(now: datetime | None = None) -> date:
    """The day it is where the units work (a wait is counted in their working days)."""
    return london_today(now)


@dataclass(frozen=True)
class Duplicate:
    """The live case a registration may duplicate (shown to staff only)."""

    case_id: int
    reference: str
    region_id: int | None


@dataclass(frozen=True)
class CaseRow:
    """What every queue's row starts with: the case and its victim (CASE_AND_VICTIM)."""

    case_id: int
    reference: str
    victim_name: str
    victim_language: Language


@dataclass(frozen=True)
class QueueRow(CaseRow):
    region_id: int | None  # None: the national queue
    status: CaseStatus
    officer_id: int | None
    clock_started_on: date
    wait: Wait
    possible_duplicate: Duplicate | None = None


@dataclass(frozen=True)
class RequestRow(CaseRow):
    """A victim's request waiting for the officer's first step."""

    request_id: int
    kind: RequestKind
    sent_at: datetime
    wait: Wait


@dataclass(frozen=True)
class ComeBackRow(CaseRow):
    """A victim who left the scheme and asked to come back."""

    officer_id: int | None
    asked_at: datetime
    wait: Wait


@dataclass(frozen=True)
class Queue:
    """Some rows of a list (at most `limit`), and how many there are in all."""

    rows: list
    total: int
    limit: int

    @property
    def truncated(self) -> bool:
        return self.total > len(self.rows)


#: The live case a registration is flagged as perhaps duplicating. One alias for every
#: request: SQLAlchemy adapts each column of an alias the first time it is used, which
#: cost more than running the list's statement when each request made its own.
FLAGGED = aliased(Case, name="flagged")

#: The columns every queue's statement starts with (CaseRow's fields).
CASE_AND_VICTIM = (Case.id, Case.reference, Victim.full_name, Victim.language)


def queue_select(*columns):
    """A queue's statement: the case and its victim, then `columns`. Give it its FROM (the
    cases, without their victims), conditions, order and limit; `queue_of` joins the
    victims and counts the total."""
    return select(*CASE_AND_VICTIM, *columns)


def case_and_victim(found) -> dict:
    """CaseRow's fields from a row of `queue_select`."""
    return {
        "case_id": found[0],
        "reference": found[1],
        "victim_name": found[2],
        "victim_language": Language(found[3]),
    }


#: What a queue's statement is run with. Each statement is built once (functools.cache,
#: one for each shape: an admin's scope, say) with these in place of the officer's values:
#: building a statement and its cache key took longer than running it (4.6 ms of the
#: officer's home page, on a slow machine, for its five lists).
OFFICER_ID = bindparam("officer_id")
REGION_ID = bindparam("region_id")
LIMIT = bindparam("limit")
OFFSET = bindparam("offset")


def counted(statement):
    """A `queue_select` statement as `queue_of` runs it: the page's rows with their victims
    joined in, and the total as a subquery over the same FROM and conditions without the
    victims (every case has one), which both databases count once. A window over the
    rows (`count(*) OVER ()`) made them join every victim of the list to keep ten: 1,100
    registrations waiting in a region at national scale took 4.4 ms on SQLite, where the
    page and the count take 1.3. Build it once (see OFFICER_ID)."""
    total_of = (
        statement.with_only_columns(func.count()).order_by(None).limit(None).offset(None)
    ).scalar_subquery()
    return statement.join(Victim, Victim.id == Case.victim_id).add_columns(total_of.label("total"))


def queue_of(session: Session, statement, make_row, limit: int, **values) -> Queue:
    """Run a `counted` statement with its bound `values` (and `limit`), and make each row
    with `make_row(found)`."""
    rows, total = [], 0
    for found in session.execute(statement, {"limit": limit, **values}):
        total = found.total
        rows.append(make_row(found))
    return Queue(rows=rows, total=total, limit=limit)


def officer_values(officer: VictimLiaisonOfficer) -> dict:
    """The values a queue's statement is run with for `officer`."""
    return {"officer_id": officer.id, "region_id": officer.region_id}


def _triage_scope(every_region: bool):
    """Registrations an officer triages: their region's; an admin's (`every_region`) also
    the national queue."""
    mine = Case.region_id == REGION_ID
    if every_region:
        return or_(mine, Case.region_id.is_(None))
    return mine


#: The conditions of each list `_run` reads, for an officer who sees every region or not.
_LISTS = {
    "to_triage": lambda every_region: [
        _triage_scope(every_region),
        Case.status == CaseStatus.TRIAGE,
        Case.possible_duplicate_of_id.is_(None),
    ],
    "possible_duplicates": lambda every_region: [
        _triage_scope(every_region),
        Case.status == CaseStatus.TRIAGE,
        Case.possible_duplicate_of_id.is_not(None),
    ],
    "waiting_for_contact": lambda _every_region: [
        Case.officer_id == OFFICER_ID,
        # As the partial index ix_cases_awaiting_first_contact says (models.fixed).
        fixed(Case.status, CaseStatus.ACTIVE),
        Case.first_contact_on.is_(None),
    ],
}


@cache
def _list_statement(name: str, every_region: bool):
    """One statement: the rows, their victims, (their flagged case) and the total."""
    columns = [Case.region_id, Case.status, Case.officer_id, Case.clock_started_on]
    duplicates = FLAGGED if name == "possible_duplicates" else None
    if duplicates is not None:
        columns += [duplicates.id, duplicates.reference, duplicates.region_id]
    statement = queue_select(*columns).select_from(Case)
    if duplicates is not None:
        statement = statement.join(duplicates, duplicates.id == Case.possible_duplicate_of_id)
    return counted(
        statement.where(*_LISTS[name](every_region))
        .order_by(Case.clock_started_on, Case.id)
        .limit(LIMIT)
    )


def _run(
    session: Session, name: str, officer: VictimLiaisonOfficer, today: date, limit: int | None
) -> Queue:
    every_region = officer.role.sees_every_region
    return queue_of(
        session,
        _list_statement(name, every_region),
        lambda found: QueueRow(
            **case_and_victim(found),
            region_id=found[4],
            status=CaseStatus(found[5]),
            officer_id=found[6],
            clock_started_on=found[7],
            wait=wait(found[7], today),
            possible_duplicate=Duplicate(found[8], found[9], found[10])
            if name == "possible_duplicates"
            else None,
        ),
        limit or LIST_LIMIT,
        **officer_values(officer),
    )


def to_triage(
    session: Session, officer: VictimLiaisonOfficer, today: date, limit: int | None = None
) -> Queue:
    """New registrations to triage (not those flagged as possible duplicates: see below)."""
    return _run(session, "to_triage", officer, today, limit)


def possible_duplicates(
    session: Session, officer: VictimLiaisonOfficer, today: date, limit: int | None = None
) -> Queue:
    """Registrations in triage flagged as possibly the same as a live case, with that case."""
    return _run(session, "possible_duplicates", officer, today, limit)


def waiting_for_contact(
    session: Session, officer: VictimLiaisonOfficer, today: date, limit: int | None = None
) -> Queue:
    """The officer's active cases where first contact has not been made yet."""
    return _run(session, "waiting_for_contact", officer, today, limit)


def local_day(moment: datetime) -> date:
    """The day a moment fell on where the units work (a wait starts on it)."""
    return moment.astimezone(LONDON).date()


@cache
def _requests_waiting_statement():
    since = func.coalesce(VictimRequest.sent_at, VictimRequest.created_at)
    return counted(
        queue_select(VictimRequest.id, VictimRequest.kind, since.label("since"))
        .select_from(VictimRequest)
        .join(Case, Case.id == VictimRequest.case_id)
        .where(
            Case.officer_id == OFFICER_ID,
            Case.status.in_(sorted(request_rules.OFFICER_MAY_ACT)),
            VictimRequest.status == RequestStatus.SENT,
        )
        .order_by(since, VictimRequest.id)
        .limit(LIMIT)
    )


def requests_waiting(
    session: Session, officer: VictimLiaisonOfficer, today: date, limit: int | None = None
) -> Queue:
    """Requests the officer's victims sent that wait for the first step (sent, and no
    officer has moved them on since), on the officer's active or paused cases, the
    longest wait first. A statement returned and sent again waits from its new sending."""
    return queue_of(
        session,
        _requests_waiting_statement(),
        lambda found: RequestRow(
            **case_and_victim(found),
            request_id=found[4],
            kind=RequestKind(found[5]),
            sent_at=found.since,
            wait=wait(local_day(found.since), today, request_rules.FIRST_STEP_WITHIN_WORKING_DAYS),
        ),
        limit or LIST_LIMIT,
        **officer_values(officer),
    )


@cache
def _asked_to_come_back_statement(every_region: bool):
    return counted(
        queue_select(Case.officer_id, Case.come_back_asked_at)
        .select_from(Case)
        .where(
            Case.status == CaseStatus.CLOSED,
            Case.left_at.is_not(None),
            Case.come_back_asked_at.is_not(None),
            or_(
                Case.officer_id == OFFICER_ID,
                and_(Case.officer_id.is_(None), _triage_scope(every_region)),
            ),
        )
        .order_by(Case.come_back_asked_at, Case.id)
        .limit(LIMIT)
    )


def asked_to_come_back(
    session: Session, officer: VictimLiaisonOfficer, today: date, limit: int | None = None
) -> Queue:
    """Victims who left the scheme and asked to come back: on the officer's own cases, and
    on cases left before they had an officer, in the registrations this officer triages.
    The longest wait first."""
    return queue_of(
        session,
        _asked_to_come_back_statement(officer.role.sees_every_region),
        lambda found: ComeBackRow(
            **case_and_victim(found),
            officer_id=found[4],
            asked_at=found[5],
            wait=wait(local_day(found[5]), today, COME_BACK_WITHIN_WORKING_DAYS),
        ),
        limit or LIST_LIMIT,
        **officer_values(officer),
    )


@dataclass(frozen=True)
class NeedsYou:
    """Everything "What needs you first" lists for one officer."""

    to_triage: Queue
    possible_duplicates: Queue
    waiting_for_contact: Queue
    requests_waiting: Queue
    asked_to_come_back: Queue


def needs_you(
    session: Session, officer: VictimLiaisonOfficer, today: date, limit: int | None = None
) -> NeedsYou:
    """Every list of "What needs you first". `limit`: the rows of the lists whose rest the
    caseload shows ("See all"); the requests and the victims asking to come back, which
    have no page of their own, show LIST_LIMIT."""
    limit = limit or LIST_LIMIT
    if not officer.is_active:
        empty = Queue(rows=[], total=0, limit=limit)
        return NeedsYou(empty, empty, empty, empty, empty)
    return NeedsYou(
        to_triage=to_triage(session, officer, today, limit),
        possible_duplicates=possible_duplicates(session, officer, today, limit),
        waiting_for_contact=waiting_for_contact(session, officer, today, limit),
        requests_waiting=requests_waiting(session, officer, today, LIST_LIMIT),
        asked_to_come_back=asked_to_come_back(session, officer, today, LIST_LIMIT),
    )
