"""The rules behind a manager's figures for a region, in plain dates (no database).

A manager's page (portal/services/region_figures.py) counts in SQL; these rules
turn the service's working-day targets into the dates and moments SQL compares
with, so that a count is one GROUP BY whatever the number of cases:

- "today" and the period (the last 4 weeks, today included) are days in
  Europe/London, where the Victim Liaison Units work;
- a wait of more than N working days is a start date before
  `earliest_start_within(today, N)` (bank holidays and weekends skipped);
- a victim told within N working days of a stage being recorded on day D was
  sent the notification before `told_by(D, N)` (London midnight, as a moment).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from portal.domain.contact_times import LONDON
from portal.domain.working_days import add_working_days, is_working_day

#: The period of the figures: the last 4 weeks, today included.
PERIOD_DAYS = 28
#: The service's aim: a victim hears of a new stage within 1 working day of it being
#: recorded, so that nobody learns it from the news first.
TOLD_WITHIN_WORKING_DAYS = 1
#: How long registrations awaiting triage have waited: up to 5, 6 to 10, 11 to 20 and
#: more than 20 working days (the first-contact target).
TRIAGE_BANDS = (5, 10, 20)
#: How soon victims were told: within 1, 2 to 5, more than 5 working days.
TOLD_BANDS = (TOLD_WITHIN_WORKING_DAYS, 5)


def london_midnight(day: date) -> datetime:
    """The moment `day` starts in Europe/London (timezone-aware)."""
    return datetime.combine(day, time(), tzinfo=LONDON)


@dataclass(frozen=True)
class Period:
    """The days from `first` to `last`, both included."""

    first: date
    last: date

    @property
    def days(self) -> list[date]:
        return [self.first + timedelta(days=n) for n in range((self.last - self.first).days + 1)]

    @property
    def starts_at(self) -> datetime:
        return london_midnight(self.first)

    @property
    def ends_at(self) -> datetime:
        """The moment after the period (the next day's London midnight)."""
        return london_midnight(self.last + timedelta(days=1))


def last_four_weeks(today: date) -> Period:
    return Period(today - timedelta(days=PERIOD_DAYS - 1), today)


def earliest_start_within(day: date, target: int) -> date:
    """The earliest start date whose wait, by `day`, is at most `target` working days
    (portal.domain.waiting.wait): anything that started before it has waited longer."""
    start, waited = day, 0
    while True:
        waited_one_day_earlier = waited + (1 if is_working_day(start) else 0)
        if waited_one_day_earlier > target:
            return start
        start, waited = start - timedelta(days=1), waited_one_day_earlier


def told_by(recorded_on: date, within: int) -> datetime:
    """The moment before which a notification counts as sent within `within` working days
    of a stage recorded on `recorded_on`: the London midnight that starts the working day
    after those allowed (a weekend or bank holiday before it counts no more)."""
    return london_midnight(add_working_days(recorded_on, within + 1))
