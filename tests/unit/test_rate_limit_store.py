"""The rate limits' in-process store counts as `limits`' memory store does, sweeps expired
counts in the request that writes, and starts no thread to do it."""

import threading
import time

import pytest
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter, MovingWindowRateLimiter

from portal import rate_limit_store
from portal.rate_limit_store import InProcessStorage


@pytest.fixture
def threads_started(monkeypatch):
    """How many threads are started while the test runs."""
    started = []
    real_start = threading.Thread.start

    def start(thread):
        started.append(thread)
        real_start(thread)

    monkeypatch.setattr(threading.Thread, "start", start)
    return started


def test_the_scheme_names_this_store():
    assert isinstance(storage_from_string("inprocess://"), InProcessStorage)


@pytest.mark.parametrize("limiter_class", [FixedWindowRateLimiter, MovingWindowRateLimiter])
def test_it_counts_to_the_limit_and_refuses_the_next(limiter_class):
    limiter = limiter_class(InProcessStorage())
    limit = parse("3 per minute")
    assert [limiter.hit(limit, "203.0.113.7") for _ in range(4)] == [True, True, True, False]
    assert limiter.hit(limit, "203.0.113.8")  # another address counts on its own


def test_writing_counts_starts_no_thread(threads_started):
    storage = InProcessStorage()
    threads_started.clear()  # the library's one timer on creation, cancelled at once
    for n in range(50):
        storage.incr(f"key-{n % 5}", expiry=60)
        storage.acquire_entry("moving", limit=1000, expiry=60)
        time.sleep(0.001)  # the library's own store starts a timer again once one ends
    assert threads_started == []


def test_expired_counts_are_swept_from_memory_by_a_later_write(monkeypatch):
    monkeypatch.setattr(rate_limit_store, "SWEEP_SECONDS", 0.05)
    storage = InProcessStorage()
    storage.incr("brief", expiry=0.01)
    storage.acquire_entry("brief-window", limit=5, expiry=0.01)
    assert "brief" in storage.storage and "brief-window" in storage.events
    time.sleep(0.1)
    assert storage.get("brief") == 0  # read as expired before any sweep
    storage.incr("another", expiry=60)
    assert "brief" not in storage.storage
    assert not storage.events.get("brief-window")  # emptied (the library keeps the key)
    assert storage.get("another") == 1


def test_a_count_that_has_not_expired_survives_the_sweep(monkeypatch):
    monkeypatch.setattr(rate_limit_store, "SWEEP_SECONDS", 0.0)
    storage = InProcessStorage()
    storage.incr("lasting", expiry=60)
    storage.incr("other", expiry=60)
    assert storage.get("lasting") == 1


class RemovedMeanwhile(dict):
    """Expiry times from which another thread's get() removes a key while the sweep runs:
    the sweep has listed it, and then finds it gone."""

    def keys(self):
        return [*super().keys(), "removed-meanwhile"]


@pytest.mark.parametrize("limiter_class", [FixedWindowRateLimiter, MovingWindowRateLimiter])
def test_a_key_removed_while_the_sweep_runs_fails_no_count(monkeypatch, limiter_class):
    """The sweep runs in the request that counts: a key another thread removes meanwhile
    must not fail that request (flask-limiter would count in a fresh store instead)."""
    monkeypatch.setattr(rate_limit_store, "SWEEP_SECONDS", 0.0)
    storage = InProcessStorage()
    storage.expirations = RemovedMeanwhile()
    limiter = limiter_class(storage)
    limit = parse("3 per minute")
    assert [limiter.hit(limit, "203.0.113.7") for _ in range(4)] == [True, True, True, False]


def test_counts_from_many_threads_at_once_never_fail(monkeypatch):
    """Threads writing and reading counts that expire while others sweep."""
    monkeypatch.setattr(rate_limit_store, "SWEEP_SECONDS", 0.0)
    storage = InProcessStorage()
    failures = []
    stop = time.monotonic() + 1.5

    def count(n):
        i = 0
        while time.monotonic() < stop:
            try:
                storage.incr(f"{n}-{i % 500}", expiry=0.001)
                storage.get(f"{(n + 1) % 4}-{i % 500}")
            except Exception as error:  # any failure fails the test
                failures.append(error)
                return
            i += 1

    threads = [threading.Thread(target=count, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
