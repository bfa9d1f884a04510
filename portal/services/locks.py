"""Serialising requests that count before they write (limits, the last administrator).

PostgreSQL: a transaction-scoped advisory lock per key, released at commit or
rollback, so parallel requests for the same thing take turns and none sees room
for one more that is not there. SQLite: a writing request already holds the
database's one write lock from its first statement (portal.database).
"""

from __future__ import annotations

import hashlib

from sqlalchemy import select, text
from sqlalchemy.orm import Session


def serialise(session: Session, *keys: str) -> None:
    """Wait for, then hold until the caller's transaction ends, a lock on each of `keys`."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for key in sorted(keys):
        number = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big", signed=True)
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": number})


def lock_row(session: Session, record) -> None:
    """Wait for, then hold until the caller's transaction ends, the row lock on `record`, and
    read it again: a one-time change made by a parallel request (the same form from two
    tabs) has committed by then, so checking "is it done already?" now sees it. Called
    before the change reads or writes anything of `record`. SQLite: the writing request
    holds the database's one write lock already (portal.database); this only reads again."""
    model = type(record)
    session.execute(select(model.id).where(model.id == record.id).with_for_update())
    session.refresh(record)
