"""London's time: the day it is where the units work, and quiet hours (when a message
may be sent to someone who chose safe times)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def london_today(now: datetime | None = None) -> date:
    """The day it is in England and Wales at the moment `now` (timezone-aware; None: now).
    Not the machine's own day (`date.today()`), which is UTC's on a server: a day behind
    London's from 23:00 to midnight in summer."""
    return (now or datetime.now(UTC)).astimezone(LONDON).date()


def is_within(local: time, safe_from: time, safe_until: time) -> bool:
    """True when `local` is inside the window; a window may cross midnight."""
    if safe_from == safe_until:
        return True
    if safe_from < safe_until:
        return safe_from <= local < safe_until
    return local >= safe_from or local < safe_until


def next_safe_moment(now: datetime, safe_from: time | None, safe_until: time | None) -> datetime:
    """`now` if contact is safe now, else when the person's window next opens (UTC-aware)."""
    if safe_from is None or safe_until is None:
        return now
    local = now.astimezone(LONDON)
    if is_within(local.timetz().replace(tzinfo=None), safe_from, safe_until):
        return now
    opening = datetime.combine(local.date(), safe_from, tzinfo=LONDON)
    if opening <= local:
        opening = datetime.combine(local.date() + timedelta(days=1), safe_from, tzinfo=LONDON)
    return opening.astimezone(now.tzinfo)
