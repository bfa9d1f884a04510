"""A portal under gunicorn on loopback, for the benchmarks (never for the tests).

`served(env)` prepares a fresh database (migrations and demo data), calls
`prepare(app)` for any extra data a benchmark needs, starts gunicorn
(-k gthread) on a free port, waits for it, yields the base URL, and stops it.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
sys.path.insert(0, str(ROOT))  # so that a benchmark's prepare() can import the portal

from benchmarks.server import GUNICORN_SETTINGS  # noqa: E402


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> float:
    """GET `url`; milliseconds taken."""
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            response.read()
    except urllib.error.HTTPError as error:
        error.read()
    return (time.perf_counter() - started) * 1000


@contextmanager
def served(
    settings: dict[str, str] | None = None,
    prepare: Callable[[str], None] | None = None,
    database_url: str | None = None,
) -> Iterator[str]:
    """Serve the portal (development settings, a fresh database) and yield its base URL.

    `database_url` names a PostgreSQL database to use (it is emptied first);
    by default a temporary SQLite file. `prepare(database_url)` runs after the
    demo data is loaded.
    """
    with tempfile.TemporaryDirectory() as directory:
        url = database_url or f"sqlite:///{directory}/bench.db"
        env = dict(
            os.environ,
            PORTAL_ENV="development",
            DATABASE_URL=url,
            FLASK_APP="wsgi.py",
            NOTIFICATIONS_OUTBOX_DIR=str(Path(directory) / "outbox"),
            # The benchmark measures pages, not the rate limits that would refuse it.
            RATELIMIT_DEFAULT="1000000 per minute",
            **(settings or {}),
        )
        if database_url:
            subprocess.run(
                [BIN / "python", "-c", _EMPTY_DATABASE, url], env=env, cwd=ROOT, check=True
            )
        for command in (["db", "upgrade"], ["demo", "load"]):
            subprocess.run(
                [BIN / "flask", *command], env=env, cwd=ROOT, check=True, capture_output=True
            )
        if prepare is not None:
            prepare(url)
        port = free_port()
        server = subprocess.Popen(
            [
                BIN / "gunicorn",
                *GUNICORN_SETTINGS,  # the same as every benchmark's
                "-b",
                f"127.0.0.1:{port}",
                "wsgi:app",
            ],
            env=env,
            cwd=ROOT,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                try:
                    fetch(base + "/healthz")
                    break
                except OSError:
                    time.sleep(0.2)
            yield base
        finally:
            server.terminate()
            server.wait(timeout=10)


_EMPTY_DATABASE = """
import sys
from sqlalchemy import create_engine, text
url = sys.argv[1].replace("postgresql://", "postgresql+psycopg://", 1)
with create_engine(url).begin() as connection:
    connection.execute(text("DROP SCHEMA public CASCADE"))
    connection.execute(text("CREATE SCHEMA public"))
"""
