"""The SQL statements a request sends: to compare two requests statement for statement
(enumeration), or to check that a page's queries do not grow with the data (N+1)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from portal.extensions import db


@contextmanager
def statements(app) -> Iterator[list[str]]:
    """Every SQL statement the app sends while the block runs, parameters left out and
    savepoint names made equal (the test's transaction uses savepoints)."""
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append(re.sub(r"sa_savepoint_\d+", "sa_savepoint", re.sub(r"\s+", " ", statement)))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def queries(app, request) -> int:
    """How many statements `request()` sends, savepoints (the test's, not the app's)
    left out."""
    with statements(app) as seen:
        request()
    return sum(1 for statement in seen if "SAVEPOINT" not in statement.upper())
