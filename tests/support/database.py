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
