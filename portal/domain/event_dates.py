"""The date of a timeline entry, as an officer types it: a day, a month or a year.

A sentence event is dated as precisely as the victim may be told it (a release
only ever as a month or a year); a call, letter or meeting to the day. The parts
asked for depend on the precision: a day needs all three, a month needs the
month and the year (and no day, so nobody is told a day by mistake), a year
needs only the year. What happened cannot be in the future. The date kept for a
month is its first day, for a year the 1st of January: no more than the victim
may be told is stored.
"""

from __future__ import annotations

import enum
from datetime import date

from portal.domain.vocabulary import DatePrecision

EARLIEST_YEAR = 1950

#: The parts of the date each precision needs.
PARTS_NEEDED = {
    DatePrecision.DAY: ("day", "month", "year"),
    DatePrecision.MONTH: ("month", "year"),
    DatePrecision.YEAR: ("year",),
}


class DateProblem(enum.StrEnum):
    EMPTY = "empty"
    MISSING_DAY = "missing-day"
    MISSING_MONTH = "missing-month"
    MISSING_YEAR = "missing-year"
    MISSING_DAY_MONTH = "missing-day-month"
    MISSING_DAY_YEAR = "missing-day-year"
    MISSING_MONTH_YEAR = "missing-month-year"
    NOT_REAL = "real"
    YEAR_DIGITS = "year"
    FUTURE = "future"
    TOO_EARLY = "early"
    DAY_NOT_WANTED = "day-not-wanted"  # a day typed for a month or a year
    MONTH_NOT_WANTED = "month-not-wanted"  # a month typed for a year


def read_date(
    day: str, month: str, year: str, precision: DatePrecision, today: date
) -> tuple[date | None, DateProblem | None, list[str]]:
    """(the date, None, []) for a good date; else (None, the problem, the parts to fix)."""
    typed = {"day": day.strip(), "month": month.strip(), "year": year.strip()}
    needed = PARTS_NEEDED[precision]
    unwanted = [name for name in typed if name not in needed and typed[name]]
    if unwanted:
        problem = DateProblem.DAY_NOT_WANTED if "day" in unwanted else DateProblem.MONTH_NOT_WANTED
        return None, problem, unwanted
    parts = {name: typed[name] for name in needed}
    missing = [name for name, value in parts.items() if not value]
    if len(missing) == len(parts):
        return None, DateProblem.EMPTY, list(parts)
    if missing:
        return None, DateProblem("missing-" + "-".join(missing)), missing
    wrong = [name for name, value in parts.items() if not value.isdigit()]
    if wrong:
        return None, DateProblem.NOT_REAL, wrong
    if len(parts["year"]) != 4:
        return None, DateProblem.YEAR_DIGITS, ["year"]
    try:
        found = date(int(parts["year"]), int(parts.get("month", 1)), int(parts.get("day", 1)))
    except ValueError:
        return None, DateProblem.NOT_REAL, list(parts)
    if found > today:
        return None, DateProblem.FUTURE, list(parts)
    if found.year < EARLIEST_YEAR:
        return None, DateProblem.TOO_EARLY, ["year"]
    return found, None, []
