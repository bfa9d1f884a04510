"""Database engine set-up that the ORM does not do by itself."""

from __future__ import annotations

from flask import Flask, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

from portal.extensions import db
from portal.transactions import WRITING as _WRITING

READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _configure_sqlite(engine: Engine) -> None:
    """SQLite: enforce foreign keys, and let SQLAlchemy own transactions.

    pysqlite starts transactions lazily and ignores SAVEPOINT semantics; taking
    over BEGIN makes transactions (and the tests' rollback) behave as on
    PostgreSQL. See SQLAlchemy's "Serializable isolation / Savepoints" notes.

    A request that may write begins with BEGIN IMMEDIATE: it takes SQLite's
    one write lock first (waiting up to busy_timeout), so it never reads, then
    finds it cannot write because another request wrote in between ("database
    is locked"), and what it counts before writing (codes, guesses) cannot
    change under it. Pages that only read keep the cheaper deferred BEGIN (and
    write, when they must, through portal.transactions.write_after_reading).
    """

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _WRITING.get() else "BEGIN")


def _mark_writing() -> None:
    _WRITING.set(request.method not in READ_ONLY_METHODS)


def _unmark_writing(_error=None) -> None:
    _WRITING.set(False)


def init_app(app: Flask) -> None:
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            _configure_sqlite(db.engine)
    app.before_request(_mark_writing)
    app.teardown_request(_unmark_writing)
