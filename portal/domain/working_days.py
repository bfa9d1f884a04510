"""Working days in England and Wales: weekdays that are not bank holidays.

Bank holidays come from the `holidays` library (England and Wales share the
same list; Scotland and Northern Ireland differ and are not served here).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import date
from functools import cache

import holidays


@cache
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


@cache
def _weekday_holidays(year: int) -> tuple[int, ...]:
    """The ordinals of the year's bank holidays that fall on a weekday, in order (a bank
    holiday on a weekend has a substitute weekday, which the library lists too)."""
    return tuple(sorted(day.toordinal() for day in _bank_holidays(year) if day.weekday() < 5))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


# Counting rather than walking day by day: a registration that has waited a year costs
# what one that has waited a day does (lists of waits are on every officer's page).
# date(1, 1, 1), ordinal 1, is a Monday, so (ordinal - 1) % 7 is the weekday.


def _weekdays_up_to(ordinal: int) -> int:
    """How many weekdays from date(1, 1, 1) up to and including the day `ordinal`."""
    weeks, rest = divmod(ordinal, 7)
    return weeks * 5 + min(rest, 5)


def _nth_weekday(count: int) -> int:
    """The ordinal of the first day with `count` weekdays up to and including it."""
    weeks, rest = divmod(count, 5)
    if rest == 0:
        return (weeks - 1) * 7 + 5  # that week's Friday
    return weeks * 7 + rest


def _holidays_between(first: int, last: int) -> int:
    """Weekday bank holidays from the day `first` to the day `last` (ordinals), inclusive."""
    found = 0
    for year in range(date.fromordinal(first).year, date.fromordinal(last).year + 1):
        days = _weekday_holidays(year)
        found += bisect_right(days, last) - bisect_left(days, first)
    return found


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start` (start itself does not count)."""
    if days < 0:
        raise ValueError("days must not be negative")
    if days == 0:
        return start
    first = start.toordinal()
    before = _weekdays_up_to(first)
    end = _nth_weekday(before + days)
    # Each bank holiday passed on the way pushes the end on by a weekday, which may pass
    # another: until the working days up to the end are `days`.
    while missing := days - (_weekdays_up_to(end) - before - _holidays_between(first + 1, end)):
        end = _nth_weekday(_weekdays_up_to(end) + missing)
    return date.fromordinal(end)


def working_days_between(start: date, end: date) -> int:
    """How many working days after `start`, up to and including `end` (0 if end <= start):
    how long something that arrived on `start` has waited by `end`."""
    if end <= start:
        return 0
    first, last = start.toordinal(), end.toordinal()
    weekdays = _weekdays_up_to(last) - _weekdays_up_to(first)
    return weekdays - _holidays_between(first + 1, last)
