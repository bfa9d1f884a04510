"""One-time form keys: a form sent twice (a double click, Back and send again, a retry
after a timeout) writes once.

Each form that writes carries a random key (portal.forms.new_submission_key) saved,
unique on its case, with what it wrote. `once` looks for the row an earlier sending
wrote; if there is none it writes in a savepoint, and if two requests raced and the
other saved first (the unique constraint refuses this one; PostgreSQL makes it wait
for the other's commit) it returns the other's row instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

T = TypeVar("T")


def once(session: Session, find: Callable[[], T | None], write: Callable[[], T]) -> tuple[T, bool]:
    """The row this form wrote: (row, True) if written now, (row, False) if written before."""
    found = find()
    if found is not None:
        return found, False
    try:
        with session.begin_nested():
            written = write()
            session.flush()
    except IntegrityError:
        found = find()
        if found is None:
            raise
        return found, False
    return written, True
