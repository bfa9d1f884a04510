"""How a region is doing, for its manager: a few counts, each one SQL statement.

- registrations awaiting triage, by how long they have waited (working days);
- each officer's cases: active, waiting for first contact, overdue (more than 20
  working days since the clock started, and no contact yet);
- first contacts made in the last 4 weeks, within 20 working days or not;
- how soon victims were told of a new stage recorded in the last 4 weeks (the
  timeline entry's notification: sent within 1 working day, 2 to 5, later, or not
  yet).

Every statement aggregates in the database (conditional sums, GROUP BY officer),
comparing with dates and moments worked out once by portal.domain.region_figures,
so the number of statements is the same for 10 cases or 10,000.

At national scale those statements take 100 ms or more for a busy region, so each
worker keeps a region's figures (`Kept`) and works them out again after FRESH_FOR, or
on a new day; the page says when they were worked out.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from sqlalchemy import Date, and_, case, func, literal, or_, select
from sqlalchemy.orm import Session

from portal.domain.case_timeline import CONTACT_WITHIN_WORKING_DAYS
from portal.domain.contact_times import london_today
from portal.domain.region_figures import (
    TOLD_BANDS,
    TRIAGE_BANDS,
    Period,
    earliest_start_within,
    last_four_weeks,
    london_midnight,
    told_by,
)
from portal.domain.waiting import wait
from portal.models import (
    TIMESTAMP,
    Case,
    CaseStatus,
    OfficerRole,
    OutboxNotification,
    Region,
    StaffSession,
    TimelineEvent,
    TimelineEventKind,
    VictimLiaisonOfficer,
)


@dataclass(frozen=True)
class AwaitingTriage:
    count: int
    #: The longest wait, in working days (None when nothing waits).
    oldest_waited: int | None
    #: How many have waited up to 5, 6 to 10, 11 to 20 and more than 20 working days.
    by_wait: tuple[int, int, int, int]


@dataclass(frozen=True)
class OfficerCases:
    #: None for active cases with no officer.
    officer_id: int | None
    name: str | None
    role: OfficerRole | None
    is_active: bool
    last_seen_at: datetime | None
    active: int = 0
    waiting_for_first_contact: int = 0
    overdue: int = 0


@dataclass(frozen=True)
class FirstContacts:
    within_target: int
    later: int


@dataclass(frozen=True)
class ToldOfStages:
    within_1: int
    within_2_to_5: int
    later: int
    not_sent: int

    @property
    def total(self) -> int:
        return self.within_1 + self.within_2_to_5 + self.later + self.not_sent


#: How long a region's figures are shown before they are worked out again.
FRESH_FOR = timedelta(minutes=5)


@dataclass(frozen=True)
class RegionFigures:
    #: The region (None in what `Kept` holds: no database row outlives its request).
    region: Region | None
    today: date
    period: Period
    awaiting_triage: AwaitingTriage
    officers: list[OfficerCases]
    first_contacts: FirstContacts
    told_of_stages: ToldOfStages
    #: When these were counted (UTC).
    worked_out_at: datetime


def _count_if(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _date(value: date):
    return literal(value, Date())


def _moment(value: datetime):
    return literal(value, TIMESTAMP)


def awaiting_triage(session: Session, region_id: int, today: date) -> AwaitingTriage:
    started = Case.clock_started_on
    up_to_5, up_to_10, up_to_20 = (earliest_start_within(today, n) for n in TRIAGE_BANDS)
    count, oldest, *bands = session.execute(
        select(
            func.count(),
            func.min(started),
            _count_if(started >= _date(up_to_5)),
            _count_if(and_(started < _date(up_to_5), started >= _date(up_to_10))),
            _count_if(and_(started < _date(up_to_10), started >= _date(up_to_20))),
            _count_if(started < _date(up_to_20)),
        ).where(Case.region_id == region_id, Case.status == CaseStatus.TRIAGE)
    ).one()
    return AwaitingTriage(
        count=count,
        oldest_waited=wait(oldest, today).waited if oldest is not None else None,
        by_wait=tuple(int(band) for band in bands),
    )


def officer_cases(session: Session, region_id: int, today: date) -> list[OfficerCases]:
    """The region's officers (and any other officer with an active case here), with their
    active cases; officers with none are listed too. Names in alphabetical order."""
    overdue_before = earliest_start_within(today, CONTACT_WITHIN_WORKING_DAYS)
    in_region = and_(Case.region_id == region_id, Case.status == CaseStatus.ACTIVE)
    no_contact = Case.first_contact_on.is_(None)
    counts = {
        officer_id: (active, waiting, overdue)
        for officer_id, active, waiting, overdue in session.execute(
            select(
                Case.officer_id,
                func.count(),
                _count_if(no_contact),
                _count_if(and_(no_contact, Case.clock_started_on < _date(overdue_before))),
            )
            .where(in_region)
            .group_by(Case.officer_id)
        )
    }
    last_seen = (
        select(func.max(StaffSession.last_seen_at))
        .where(StaffSession.officer_id == VictimLiaisonOfficer.id)
        .scalar_subquery()
    )
    officers = session.execute(
        select(
            VictimLiaisonOfficer.id,
            VictimLiaisonOfficer.full_name,
            VictimLiaisonOfficer.role,
            VictimLiaisonOfficer.is_active,
            last_seen,
        )
        .where(
            or_(
                VictimLiaisonOfficer.region_id == region_id,
                VictimLiaisonOfficer.id.in_(select(Case.officer_id).where(in_region)),
            )
        )
        .order_by(VictimLiaisonOfficer.full_name, VictimLiaisonOfficer.id)
    ).all()
    listed = [
        OfficerCases(officer_id, name, role, is_active, seen, *counts.get(officer_id, (0, 0, 0)))
        for officer_id, name, role, is_active, seen in officers
    ]
    if None in counts:
        listed.append(OfficerCases(None, None, None, True, None, *counts[None]))
    return listed


def first_contacts(session: Session, region_id: int, period: Period) -> FirstContacts:
    """Cases whose first contact fell in `period`: how many within 20 working days of the
    clock starting."""
    latest_allowed_start = case(
        {
            day: _date(earliest_start_within(day, CONTACT_WITHIN_WORKING_DAYS))
            for day in period.days
        },
        value=Case.first_contact_on,
    )
    total, within = session.execute(
        select(func.count(), _count_if(Case.clock_started_on >= latest_allowed_start)).where(
            Case.region_id == region_id,
            Case.first_contact_on >= _date(period.first),
            Case.first_contact_on <= _date(period.last),
        )
    ).one()
    return FirstContacts(within_target=int(within), later=int(total) - int(within))


def told_of_stages(session: Session, region_id: int, period: Period) -> ToldOfStages:
    """Stages recorded in `period` that caused a notification: how many working days
    (London days) from the entry being written to the notification being sent."""
    recorded = TimelineEvent.created_at
    sent = OutboxNotification.sent_at

    def told_before(within: int):
        return case(
            *[
                (
                    recorded < _moment(london_midnight(day + timedelta(days=1))),
                    _moment(told_by(day, within)),
                )
                for day in period.days
            ],
            else_=None,
        )

    quick, slower = (told_before(band) for band in TOLD_BANDS)
    was_sent = sent.is_not(None)
    row = session.execute(
        select(
            _count_if(and_(was_sent, sent < quick)),
            _count_if(and_(was_sent, sent >= quick, sent < slower)),
            _count_if(and_(was_sent, sent >= slower)),
            _count_if(sent.is_(None)),
        )
        .select_from(TimelineEvent)
        .join(Case, Case.id == TimelineEvent.case_id)
        .join(OutboxNotification, OutboxNotification.id == TimelineEvent.notification_id)
        .where(
            Case.region_id == region_id,
            TimelineEvent.kind == TimelineEventKind.STAGE,
            recorded >= _moment(period.starts_at),
            recorded < _moment(period.ends_at),
        )
    ).one()
    return ToldOfStages(*(int(value) for value in row))


def figures(session: Session, region: Region, now: datetime) -> RegionFigures:
    today = london_today(now)
    period = last_four_weeks(today)
    return RegionFigures(
        region=region,
        today=today,
        period=period,
        awaiting_triage=awaiting_triage(session, region.id, today),
        officers=officer_cases(session, region.id, today),
        first_contacts=first_contacts(session, region.id, period),
        told_of_stages=told_of_stages(session, region.id, period),
        worked_out_at=now,
    )


class Kept:
    """Each region's figures, counted at most once every FRESH_FOR and again on a new
    day (one for each app, in each worker; a manager's page can be up to FRESH_FOR
    behind, and says so). Nothing of the database session is kept."""

    def __init__(self, fresh_for: timedelta = FRESH_FOR) -> None:
        self.fresh_for = fresh_for
        self._by_region: dict[int, RegionFigures] = {}
        self._lock = threading.Lock()

    def figures(self, session: Session, region: Region, now: datetime) -> RegionFigures:
        with self._lock:
            found = self._by_region.get(region.id)
        if found is None or not self._fresh(found, now):
            found = replace(figures(session, region, now), region=None)
            with self._lock:
                self._by_region[region.id] = found
        return replace(found, region=region)

    def _fresh(self, found: RegionFigures, now: datetime) -> bool:
        return (
            found.worked_out_at <= now < found.worked_out_at + self.fresh_for
            and found.today == london_today(now)
        )


def regions(session: Session) -> list[Region]:
    """Every region, for an admin to choose from (by English name; the page sorts)."""
    return list(session.scalars(select(Region).order_by(Region.name_en)))


def region_by_code(session: Session, code: str) -> Region | None:
    return session.scalar(select(Region).where(Region.code == code))
