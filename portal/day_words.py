"""Days in words in the page's language ("1 December 2026", "March 2025"), each put in
words once a language and pattern: Babel takes tens of microseconds each time, and a
timeline or a list shows dozens of days, most of them the same few.

Only days (`date`) are kept: a moment is put in London time first, so a caller turns it
into London's day before asking (`london_day`)."""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from babel.dates import format_date
from flask_babel import get_locale

from portal.domain.contact_times import LONDON
from portal.models import DatePrecision, TimelineEvent

#: Babel patterns for each precision of a timeline entry's date (a month is the
#: stand-alone month name), and how much of the ISO date the machine-readable `datetime`
#: carries: no more than the words say.
DATE_PATTERNS = {DatePrecision.DAY: "long", DatePrecision.MONTH: "LLLL y", DatePrecision.YEAR: "y"}
ISO_LENGTH = {DatePrecision.DAY: 10, DatePrecision.MONTH: 7, DatePrecision.YEAR: 4}


def day_in_words(day: date, pattern: str = "long") -> str:
    """`day` in words in the page's language, with Babel's `pattern`."""
    if isinstance(day, datetime):  # a moment has a time zone: never kept as a day
        raise TypeError("day_in_words takes a day: put a moment in London time first")
    return _in_words(day, pattern, str(get_locale()))


@lru_cache(maxsize=8192)
def _in_words(day: date, pattern: str, locale: str) -> str:
    return format_date(day, format=pattern, locale=locale)


def london_day(moment: datetime) -> date:
    """The day in London at `moment` (an aware datetime)."""
    return moment.astimezone(LONDON).date()


def event_date(event: TimelineEvent) -> str:
    """A timeline entry's date in the page's language, as precisely as it is known."""
    return day_in_words(event.occurred_on, DATE_PATTERNS[event.precision])


def event_datetime(event: TimelineEvent) -> str:
    """The `datetime` attribute, no more precise than the words."""
    return event.occurred_on.isoformat()[: ISO_LENGTH[event.precision]]
