"""gunicorn on loopback, the same settings for the portal and the ceiling, and the
memory its workers use."""

from __future__ import annotations

import os
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
#: As the README's "Running in production" runs it: 2 workers of 8 threads each.
WORKERS = 2
THREADS = 8
GUNICORN_SETTINGS = [
    "-k",
    "gthread",
    "--workers",
    str(WORKERS),
    "--threads",
    str(THREADS),
    "--no-control-socket",
    "--log-level",
    "warning",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status < 500
    except urllib.error.HTTPError as error:
        return error.code < 500
    except OSError:
        return False


@contextmanager
def gunicorn(app: str, env: dict[str, str], log: Path, ready_path: str = "/") -> Iterator[Server]:
    """Serve the WSGI `app` ("module:name") and yield the running Server."""
    port = free_port()
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            [str(BIN / "gunicorn"), *GUNICORN_SETTINGS, "-b", f"127.0.0.1:{port}", app],
            env={**os.environ, **env},
            cwd=ROOT,
            stdout=log_file,
            stderr=log_file,
        )
        server = Server(process, f"http://127.0.0.1:{port}")
        try:
            deadline = time.monotonic() + 60
            while not _answers(server.base + ready_path):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn {app} did not start: see {log}")
                time.sleep(0.2)
            yield server
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=15)


class Server:
    def __init__(self, process: subprocess.Popen, base: str):
        self.process = process
        self.base = base

    def workers(self) -> list[int]:
        """The worker processes' ids (the master's children)."""
        master = self.process.pid
        found = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == master:
                found.append(int(entry.name))
        return sorted(found)

    def worker_peaks_mb(self) -> list[float]:
        """Each worker's peak resident memory so far (VmHWM), in MB."""
        return [peak for pid in self.workers() if (peak := _status_kb(pid, "VmHWM")) is not None]

    @contextmanager
    def watching_memory(self, every: float = 0.25) -> Iterator[list[float]]:
        """Samples the workers' resident memory while the block runs; the list holds the
        largest worker's largest sample, in MB, once the block is done."""
        peak = [0.0]
        stop = threading.Event()

        def sample() -> None:
            while not stop.is_set():
                for pid in self.workers():
                    rss = _status_kb(pid, "VmRSS")
                    if rss is not None:
                        peak[0] = max(peak[0], rss)
                stop.wait(every)

        thread = threading.Thread(target=sample, daemon=True)
        thread.start()
        try:
            yield peak
        finally:
            stop.set()
            thread.join()


def _status_kb(pid: int, field: str) -> float | None:
    """A /proc/<pid>/status memory field, in MB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None
