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
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page
from sqlalchemy import Engine, create_engine

from tests.support.browser_problems import BrowserProblems

BROWSER_TESTS = Path(__file__).resolve().parent
REPO_ROOT = BROWSER_TESTS.parent.parent
VENV_BIN = REPO_ROOT / ".venv" / "bin"
CHROMIUM = Path("/usr/bin/chromium")
STARTUP_TIMEOUT_SECONDS = 30
SHUTDOWN_TIMEOUT_SECONDS = 10

#: Mobile first: an iPhone SE-sized screen.
MOBILE_VIEWPORT = {"width": 375, "height": 667}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test in tests/browser with `browser` (and only those)."""
    for item in items:
        path = Path(str(item.path)).resolve()
        if BROWSER_TESTS in path.parents:
            item.add_marker(pytest.mark.browser)


def _venv_tool(name: str) -> str:
    tool = VENV_BIN / name
    return str(tool) if tool.exists() else str(Path(sys.executable).parent / name)


@pytest.fixture(scope="session", autouse=True)
def _require_chromium() -> None:
    """No chromium: fail on CI (a test run that checks nothing must not pass), else skip."""
    if CHROMIUM.exists() and os.access(CHROMIUM, os.X_OK):
        return
    reason = f"{CHROMIUM} is missing: install it with `apt-get install -y chromium`"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true, so browser tests may not be skipped)")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (our own server)
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=SHUTDOWN_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=SHUTDOWN_TIMEOUT_SECONDS)


@contextmanager
def _gunicorn(workdir: Path, wsgi_app: str) -> Iterator[str]:
    """Serve `wsgi_app` under gunicorn on a free local port; yield its base URL.

    The app runs with PORTAL_ENV=testing on its own SQLite database in
    `workdir`, built by `flask db upgrade` and filled by `flask demo load`.
    """
    env = {
        **os.environ,
        "PORTAL_ENV": "testing",
        "PORTAL_TEST_DATABASE_URL": f"sqlite:///{workdir / 'browser.db'}",
        "FLASK_APP": "wsgi.py",
    }
    flask = _venv_tool("flask")
    for command in ([flask, "db", "upgrade"], [flask, "demo", "load"]):
        try:
            subprocess.run(
                command, cwd=REPO_ROOT, env=env, check=True, capture_output=True, text=True
            )
        except subprocess.CalledProcessError as error:
            pytest.fail(
                f"{' '.join(command[1:])} failed (exit code {error.returncode}):\n"
                f"{error.stdout}\n{error.stderr}"
            )

    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    stdout_path = workdir / "gunicorn.out"
    stderr_path = workdir / "gunicorn.err"
    command = [
        _venv_tool("gunicorn"),
        "-k",
        "gthread",
        "--threads",
        "4",
        "-w",
        "1",
        "--no-control-socket",
        "-b",
        f"127.0.0.1:{port}",
        wsgi_app,
    ]
    with stdout_path.open("wb") as stdout, stderr_path.open("wb") as stderr:
        process = subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=stdout, stderr=stderr)
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
        while not _healthy(f"{base_url}/healthz"):
            if process.poll() is not None or time.monotonic() > deadline:
                _stop(process)
                errors = stderr_path.read_text(errors="replace")
                print(f"gunicorn stderr:\n{errors}", file=sys.stderr)
                pytest.fail(
                    f"gunicorn ({wsgi_app}) did not answer 200 on {base_url}/healthz within "
                    f"{STARTUP_TIMEOUT_SECONDS} s (exit code {process.returncode}):\n{errors}"
                )
            time.sleep(0.1)
        yield base_url
    finally:
        _stop(process)


@pytest.fixture(scope="session")
def live_workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("live_server")


@pytest.fixture(scope="session")
def live_server(live_workdir: Path) -> Iterator[str]:
    """The portal under gunicorn on a free local port; yields its base URL."""
    with _gunicorn(live_workdir, "wsgi:app") as url:
        yield url


@pytest.fixture(scope="session")
def live_database(live_workdir: Path, live_server: str) -> Iterator[Engine]:
    """The live server's own database, to read what it wrote (the outbox, say)."""
    engine = create_engine(f"sqlite:///{live_workdir / 'browser.db'}")
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def probe_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The portal plus the test-only probe pages (tests/support/probe.py) under gunicorn."""
    with _gunicorn(tmp_path_factory.mktemp("probe_server"), "tests.browser.probe_wsgi:app") as url:
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
