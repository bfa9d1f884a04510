"""How a request's transaction begins on SQLite, and how a page that only reads may write.

On SQLite a request that may write (a POST) begins with BEGIN IMMEDIATE: it takes the one
write lock first, waiting its turn (busy_timeout). A page that only reads (a GET) begins
with the cheaper deferred BEGIN, which reads from a snapshot. A few reading pages write
all the same: the replies a victim has just read, the audit of a staff page, a session's
last-seen time. A deferred transaction cannot turn into a write once another request has
written since its snapshot: SQLite says "database is locked" at once (SQLITE_BUSY_SNAPSHOT),
whatever busy_timeout says, and the page would fail. `write_after_reading` ends the read
(it wrote nothing) and begins again as a writer. PostgreSQL needs none of it.
"""

from __future__ import annotations

from contextvars import ContextVar

from sqlalchemy.orm import Session, scoped_session

#: True while the request may write: its SQLite transactions begin with BEGIN IMMEDIATE.
WRITING: ContextVar[bool] = ContextVar("writing_request", default=False)


def write_after_reading(session: Session | scoped_session) -> None:
    """A request that began by reading is about to write: on SQLite, end its read-only
    transaction and let the next one begin with BEGIN IMMEDIATE, waiting for the write
    lock instead of failing. What was loaded stays loaded (nothing is expired). The
    write must not rest on what was read before (a conditional UPDATE, an INSERT)."""
    if WRITING.get():
        return
    WRITING.set(True)
    target = session() if isinstance(session, scoped_session) else session
    if target.get_bind().dialect.name != "sqlite" or not target.in_transaction():
        return
    keep = target.expire_on_commit
    target.expire_on_commit = False
    try:
        target.commit()
    finally:
        target.expire_on_commit = keep
