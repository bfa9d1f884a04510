"""Database engine set-up that the ORM does not do by itself."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from portal.extensions import db


def _configure_sqlite(engine: Engine) -> None:
    """SQLite: enforce foreign keys, and let SQLAlchemy own transactions.

    pysqlite starts transactions lazily and ignores SAVEPOINT semantics; taking
    over BEGIN makes transactions (and the tests' rollback) behave as on
    PostgreSQL. See SQLAlchemy's "Serializable isolation / Savepoints" notes.
    """

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        connection.exec_driver_sql("BEGIN")


def init_app(app: Flask) -> None:
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            _configure_sqlite(db.engine)
