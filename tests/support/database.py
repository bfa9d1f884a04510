"""The test database: built from nothing by the real migrations."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import text

from portal.config import PROJECT_ROOT
from portal.extensions import db

MIGRATIONS = str(PROJECT_ROOT / "migrations")


def reset_database(app: Flask) -> None:
    """Drop everything, so that the migrations run from nothing."""
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
        else:
            db.drop_all()
            with db.engine.begin() as connection:
                connection.execute(text("DROP TABLE IF EXISTS alembic_version"))


def lift_audit_guard(session) -> None:
    """For a test that committed for real and must clean up after itself: let this
    transaction delete audit rows, which the migrations' triggers otherwise refuse
    (tests/functional/test_audit_guard.py shows they do). Only a superuser can do
    this on PostgreSQL (the tests run as one); the guard is back at commit."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL session_replication_role = replica"))
    else:
        session.execute(text("DROP TRIGGER IF EXISTS audit_events_no_delete"))


def restore_audit_guard(session) -> None:
    """After lift_audit_guard, in the same transaction (SQLite only needs it)."""
    if session.get_bind().dialect.name != "postgresql":
        session.execute(
            text(
                "CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events "
                "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only: DELETE refused'); END"
            )
        )
