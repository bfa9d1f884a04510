"""A live gunicorn serving the portal, as an operator would run it, for the browser tests.

The app runs with PORTAL_ENV=testing on its own SQLite database, built by
`flask db upgrade` and filled by `flask demo load`.
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

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent.parent
VENV_BIN = REPO_ROOT / ".venv" / "bin"
STARTUP_TIMEOUT_SECONDS = 30
SHUTDOWN_TIMEOUT_SECONDS = 10


def venv_tool(name: str) -> str:
    tool = VENV_BIN / name
    return str(tool) if tool.exists() else str(Path(sys.executable).parent / name)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (our own server)
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=SHUTDOWN_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=SHUTDOWN_TIMEOUT_SECONDS)


@contextmanager
def gunicorn(workdir: Path, wsgi_app: str) -> Iterator[str]:
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
    flask = venv_tool("flask")
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

    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    stdout_path = workdir / "gunicorn.out"
    stderr_path = workdir / "gunicorn.err"
    command = [
        venv_tool("gunicorn"),
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
        while not healthy(f"{base_url}/healthz"):
            if process.poll() is not None or time.monotonic() > deadline:
                stop(process)
                errors = stderr_path.read_text(errors="replace")
                print(f"gunicorn stderr:\n{errors}", file=sys.stderr)
                pytest.fail(
                    f"gunicorn ({wsgi_app}) did not answer 200 on {base_url}/healthz within "
                    f"{STARTUP_TIMEOUT_SECONDS} s (exit code {process.returncode}):\n{errors}"
                )
            time.sleep(0.1)
        yield base_url
    finally:
        stop(process)
