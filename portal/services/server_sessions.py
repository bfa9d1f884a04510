"""What victims' and staff sessions kept on the server share: when one has run out.

A session row holds `created_at`, `last_seen_at` and `ended_at`. It ends for
good after `idle` without a request, after `lifetime` in all, or when
`still_allowed` says its owner may no longer be signed in; `last_seen_at` is
written at most every TOUCH_EVERY, so a page view is not a database write.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import object_session

from portal.transactions import write_after_reading

#: last_seen_at is written at most this often.
TOUCH_EVERY = timedelta(minutes=1)


def still_live(
    record,
    now: datetime,
    *,
    idle: timedelta,
    lifetime: timedelta,
    still_allowed: bool,
    touch: bool = True,
) -> bool:
    """Whether `record` is live at `now`; ends it (and returns False) when it has run out.

    A request that is not the person's doing (a page polling for news) asks with
    `touch=False`: it is checked like any other, but does not count as activity."""
    if record.ended_at is not None:
        return False
    expired = (
        now - record.last_seen_at >= idle
        or now - record.created_at >= lifetime
        or not (still_allowed)
    )
    if expired or (touch and now - record.last_seen_at >= TOUCH_EVERY):
        write_after_reading(object_session(record))
        if expired:
            record.ended_at = now
            return False
        record.last_seen_at = now
    return True
