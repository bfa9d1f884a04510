"""Exponential backoff with jitter for notifications that failed for now."""

from __future__ import annotations

import random
from datetime import timedelta

BASE_DELAY = timedelta(seconds=30)
MAX_DELAY = timedelta(hours=6)


def backoff(attempts: int, rng: random.Random | None = None) -> timedelta:
    """The wait after `attempts` tries: 30 s, 1 min, 2 min… capped at 6 h, ±50% jitter."""
    rng = rng or random.SystemRandom()
    exponential = BASE_DELAY * (2 ** max(attempts - 1, 0))
    capped = min(exponential, MAX_DELAY)
    return capped * rng.uniform(0.5, 1.5)
