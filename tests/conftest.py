"""Shared fixtures: the app on a real database, a transaction per test, a page client.

The database is SQLite in a temporary file, or PostgreSQL when
PORTAL_TEST_DATABASE_URL names one (scripts/run_tests.sh sets it from
TEST_DATABASE_URL). The schema is built by the real migrations, so every run
also tests `flask db upgrade` from nothing.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from flask_sqlalchemy.session import _app_ctx_id
from sqlalchemy.orm import Session, scoped_session, sessionmaker

from portal import create_app
from portal.demo import load_demo_data
from portal.demo_console import london_today
from portal.extensions import db
from tests.support.database import MIGRATIONS, reset_database
from tests.support.pages import PageClient


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that touches the database runs on SQLite and on PostgreSQL."""
    for item in items:
        if "db_session" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.database)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("PORTAL_TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'portal-test.db'}"


#: Where the `app` fixture keeps the day in London it loaded the demo data (`demo_day`).
DEMO_DAY = pytest.StashKey[date]()


@pytest.fixture(scope="session")
def app(database_url: str, request: pytest.FixtureRequest) -> Iterator[Flask]:
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": database_url})
    reset_database(app)
    with app.app_context():
        upgrade(directory=MIGRATIONS)
        request.config.stash[DEMO_DAY] = london_today()
        load_demo_data()
        db.session.remove()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def demo_day(app: Flask, request: pytest.FixtureRequest) -> date:
    """The day in London the demo data was loaded, which its dates count from ("registered
    today", "waited 3 working days"): the run may have passed midnight since."""
    return request.config.stash[DEMO_DAY]


@pytest.fixture
def db_session(app: Flask) -> Iterator:
    """One transaction per test, rolled back at the end (savepoints inside).

    No application context stays pushed during the test: each request gets its
    own, as in production, and all of them share the test's connection.
    """
    with app.app_context():
        connection = db.engine.connect()
        transaction = connection.begin()
        original = db.session
        # A plain Session: Flask-SQLAlchemy's own would pick the engine, not this
        # connection, and commit for real.
        db.session = scoped_session(
            sessionmaker(bind=connection, join_transaction_mode="create_savepoint"),
            scopefunc=_app_ctx_id,
        )
        db.session.test_connection = connection
    try:
        yield db.session
    finally:
        with app.app_context():
            db.session.remove()
        db.session = original
        transaction.rollback()
        connection.close()


@pytest.fixture
def client(app: Flask, db_session) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def pages(client: FlaskClient) -> PageClient:
    return PageClient(client)


@pytest.fixture(scope="session")
def probe_app(database_url: str, app: Flask) -> Flask:
    """The portal plus the test-only probe blueprint (tests/support/probe.py)."""
    from jinja2 import ChoiceLoader, DictLoader

    from tests.support import probe

    probe_app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": database_url})
    probe_app.register_blueprint(probe.bp)
    probe_app.register_blueprint(probe.staff_bp)
    probe_app.jinja_loader = ChoiceLoader([probe_app.jinja_loader, DictLoader(probe.TEMPLATES)])
    return probe_app


@pytest.fixture
def probe_client(probe_app: Flask, db_session) -> FlaskClient:
    return probe_app.test_client()


@pytest.fixture
def app_db(db_session) -> Iterator[Session]:
    """A session on the test's connection, to look at what requests wrote.

    It holds no application context: one kept open during requests would be
    shared by all of them (one `g`, one session), unlike in production.
    """
    session = Session(bind=db_session.test_connection, join_transaction_mode="create_savepoint")
    try:
        yield session
    finally:
        session.close()


@pytest.fixture(autouse=True)
def suite_encryption_keys() -> Iterator[None]:
    """A test that starts another app (a production one) sets the encryption keys for the
    whole process: afterwards, the suite's keys again, so rows encrypted by the `app`
    fixture (the demo data's outbox) stay readable."""
    from portal import encryption

    keys = encryption._keys
    yield
    encryption._keys = keys


@pytest.fixture(autouse=True)
def fresh_rate_limits() -> None:
    """Each test starts with no requests counted against its address."""
    from portal.extensions import limiter

    if getattr(limiter, "_storage", None) is not None:  # an app has set it up
        limiter.reset()


@pytest.fixture(autouse=True)
def fresh_region_figures(app: Flask) -> Iterator[None]:
    """Each test counts a manager's figures afresh: the kept ones (region_figures.Kept) are
    keyed by region id, which SQLite gives again to the next test's region."""
    app.extensions.pop("region_figures", None)
    yield
