"""Browser tests: Debian's chromium, driven by Playwright, against a live gunicorn.

The server runs the real app (PORTAL_ENV=testing) on its own SQLite database,
built by `flask db upgrade` and filled by `flask demo load`, exactly as an
operator would; `probe_server` does the same for the portal plus the test-only
probe pages (tests/browser/probe_wsgi.py), which test_htmx.py drives.
`playwright install` is never needed: the tests launch /usr/bin/chromium.
Without it they are skipped locally and fail on CI.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import BrowserContext, Page
from sqlalchemy import Engine, create_engine

from portal import create_app
from tests.support.browser_problems import BrowserProblems
from tests.support.live_server import gunicorn

BROWSER_TESTS = Path(__file__).resolve().parent
CHROMIUM = Path("/usr/bin/chromium")

#: Mobile first: an iPhone SE-sized screen.
MOBILE_VIEWPORT = {"width": 375, "height": 667}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test in tests/browser with `browser` (and only those)."""
    for item in items:
        path = Path(str(item.path)).resolve()
        if BROWSER_TESTS in path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session", autouse=True)
def _require_chromium() -> None:
    """No chromium: fail on CI (a test run that checks nothing must not pass), else skip."""
    if CHROMIUM.exists() and os.access(CHROMIUM, os.X_OK):
        return
    reason = f"{CHROMIUM} is missing: install it with `apt-get install -y chromium`"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true, so browser tests may not be skipped)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def live_workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("live_server")


@pytest.fixture(scope="session")
def live_server(live_workdir: Path) -> Iterator[str]:
    """The portal under gunicorn on a free local port; yields its base URL."""
    with gunicorn(live_workdir, "tests.browser.live_wsgi:app") as url:
        yield url


@pytest.fixture(scope="session")
def live_database(live_workdir: Path, live_server: str) -> Iterator[Engine]:
    """The live server's own database, to read what it wrote (the outbox, say)."""
    engine = create_engine(f"sqlite:///{live_workdir / 'browser.db'}")
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def live_app(live_workdir: Path, live_server: str) -> Iterator[Flask]:
    """The portal's app on the live server's database, to write records and sessions
    (tests/support/victim_browser.py)."""
    app = create_app(
        "testing", {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{live_workdir / 'browser.db'}"}
    )
    yield app
    with app.app_context():
        from portal.extensions import db

        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def probe_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The portal plus the test-only probe pages (tests/support/probe.py) under gunicorn."""
    with gunicorn(tmp_path_factory.mktemp("probe_server"), "tests.browser.probe_wsgi:app") as url:
        yield url


@pytest.fixture(scope="session")
def base_url(live_server: str) -> str:
    """pytest-playwright's `base_url`: the live server (so `page.goto("/")` works)."""
    return live_server


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--disable-sync",
            "--disable-quic",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any], live_server: str) -> dict[str, Any]:
    return {
        **browser_context_args,
        "viewport": MOBILE_VIEWPORT,
        # Accept-Language decides the language of a first visit: make it English.
        "locale": "en-GB",
        "base_url": live_server,
    }


@pytest.fixture
def problems(page: Page) -> BrowserProblems:
    """What goes wrong in `page`: console errors, failed requests, CSP violations."""
    return BrowserProblems(page)


@pytest.fixture
def no_js(new_context) -> BrowserContext:
    """A browser with JavaScript off, on the live server, at 375px (browser_context_args)."""
    context: BrowserContext = new_context(java_script_enabled=False)
    assert context.pages == []
    return context
