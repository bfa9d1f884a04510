"""The rate limits' in-process store: RATELIMIT_STORAGE_URI "inprocess://", the embedded
default when there is no Redis (production requires Redis: README "Running in
production").

It is the `limits` library's memory store, counting exactly as that does, with one
change: how expired counts are swept away. The library's store starts a new thread
(a 10 ms timer) to sweep whenever its last one has finished: under load, a thread for
every few requests. Starting a thread makes the request wait for it to run, so each of
a worker's busy threads hands Python's lock over and back: about a tenth of the CPU time
of a light page (the start page, sign-in) under `make bench`. Here the sweep runs in the
request that writes a count, at most once every SWEEP_SECONDS, and never in two threads
at once; no thread is started. Between sweeps an expired count is already read as zero
(the library checks each key's expiry when it reads it): the sweep only frees memory.
"""

from __future__ import annotations

import threading
import time

from limits.storage import MemoryStorage

#: How often at most a write to the store also sweeps expired counts from memory.
SWEEP_SECONDS = 1.0


class InProcessStorage(MemoryStorage):
    """`limits`' MemoryStorage that sweeps in the writing request, not in a new thread."""

    STORAGE_SCHEME = ["inprocess"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: str):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.timer.cancel()  # the one timer the library starts on creation
        self._sweeping = threading.Lock()
        self._next_sweep = time.monotonic() + SWEEP_SECONDS

    # The library's stores call this (name-mangled: MemoryStorage.__schedule_expiry) on
    # every write; tests/unit/test_rate_limit_store.py fails if a newer `limits` stops.
    def _MemoryStorage__schedule_expiry(self) -> None:
        now = time.monotonic()
        if now < self._next_sweep or not self._sweeping.acquire(blocking=False):
            return
        try:
            self._next_sweep = now + SWEEP_SECONDS
            self._MemoryStorage__expire_events()
        except KeyError:
            # The library's sweep lists the keys, then reads each one: another thread's
            # get() (an expired count), clear() or reset() may remove one meanwhile. In
            # the library's timer thread that only ended the sweep; here it would fail
            # the request's count, and flask-limiter would take that for a store that is
            # down and count in a fresh fallback store. The next sweep frees the rest.
            pass
        finally:
            self._sweeping.release()
