"""How fast to go: when to try again after a failure, and how many ops to send at once."""

from __future__ import annotations

import random
from collections.abc import Callable

BASE_DELAY = 2.0  # seconds
MAX_DELAY = 600.0  # ten minutes: a link that comes back is used within that at worst
FIRST_BATCH = 50
MAX_BATCH = 500


class Backoff:
    """Full-jitter exponential backoff.

    After `failures` failed attempts in a row, wait a random time between 0 and
    min(cap, base * 2 ** (failures - 1)) seconds: 0–2 s after the first, 0–4 s after the second,
    … never more than ten minutes. The jitter spreads out the counters of a province that all
    lost the same link, so they do not all come back in the same second.
    """

    def __init__(
        self,
        base: float = BASE_DELAY,
        cap: float = MAX_DELAY,
        random: Callable[[], float] = random.random,
    ) -> None:
        self.base = base
        self.cap = cap
        self.random = random

    def next_delay(self, failures: int) -> float:
        if failures <= 0:
            return 0.0
        # The exponent stops growing long before a float would overflow.
        ceiling = min(self.cap, self.base * 2.0 ** min(failures - 1, 60))
        return self.random() * ceiling


class BatchSize:
    """Ops per push: start small, double after each success, halve when the link or server
    struggles (a timeout, 413, 5xx), never below one or above the largest batch."""

    def __init__(self, size: int = FIRST_BATCH, largest: int = MAX_BATCH) -> None:
        self.largest = largest
        self.size = max(1, min(size, largest))

    def grow(self) -> None:
        self.size = min(self.largest, self.size * 2)

    def shrink(self) -> None:
        self.size = max(1, self.size // 2)
