"""Quiet hours: when a message may be sent to someone who chose safe times."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


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
