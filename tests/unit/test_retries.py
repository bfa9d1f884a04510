"""Backoff between attempts to send a notification (portal/domain/retries.py)."""

import random
from datetime import timedelta

from portal.domain.retries import MAX_DELAY, backoff


def test_backoff_grows_exponentially_with_jitter_and_a_cap():
    rng = random.Random(1)
    waits = [backoff(attempt, rng) for attempt in range(1, 8)]
    for attempt, wait in enumerate(waits, start=1):
        base = timedelta(seconds=30) * 2 ** (attempt - 1)
        assert base * 0.5 <= wait <= base * 1.5
    assert backoff(40, rng) <= MAX_DELAY * 1.5
    assert len({backoff(3) for _ in range(20)}) > 1, "jitter spreads retries"
