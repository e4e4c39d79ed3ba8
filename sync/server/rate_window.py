"""How often one key (a client address, a request's tracking number) did something in the last
few minutes, in this process's memory: the centre's one way to slow a guesser or a flood.

A restart forgets the counts, and `serve --workers N` counts in each of its N processes, so a
key gets at most N times the limit: enough against a guesser (enrollment codes carry 100 bits,
receipts an Ed25519 signature, request status a second factor) and no table written per guess.
"""

from __future__ import annotations

import math
import threading
from collections import deque
from datetime import datetime, timedelta
from typing import Any
from weakref import WeakKeyDictionary


class RateWindow:
    """At most `limit` events per key in any `window`; a key over it waits until its oldest
    event leaves the window."""

    _TIDY_AT = 10_000  # keys held before the quiet ones are dropped

    def __init__(self, limit: int, window: timedelta) -> None:
        self.limit = limit
        self.window = window
        self._lock = threading.Lock()
        self._seen: dict[str, deque[datetime]] = {}

    def wait_seconds(self, key: str, now: datetime) -> int:
        """Seconds before `key` may act again: 0 when it may now."""
        with self._lock:
            seen = self._recent(key, now)
            if len(seen) < self.limit:
                return 0
            free_at = seen[0] + self.window
            return max(1, math.ceil((free_at - now).total_seconds()))

    def note(self, key: str, now: datetime) -> None:
        with self._lock:
            if len(self._seen) >= self._TIDY_AT:
                for other in list(self._seen):
                    self._recent(other, now)
            self._seen.setdefault(key, deque()).append(now)

    def take(self, key: str, now: datetime) -> int:
        """Counts one event unless `key` is over the limit: the seconds to wait, 0 when counted."""
        wait = self.wait_seconds(key, now)
        if not wait:
            self.note(key, now)
        return wait

    def _recent(self, key: str, now: datetime) -> deque[datetime]:
        seen = self._seen.get(key, deque())
        start = now - self.window
        while seen and seen[0] <= start:
            seen.popleft()
        if not seen:
            self._seen.pop(key, None)
        return seen


# One set of windows per app and name (tests run many apps, each with its own clock, in one
# process, and must not count each other's requests).
_windows: WeakKeyDictionary[Any, dict[str, RateWindow]] = WeakKeyDictionary()
_windows_lock = threading.Lock()


def window_of(app: Any, name: str, limit: int, window: timedelta) -> RateWindow:
    with _windows_lock:
        named = _windows.setdefault(app, {})
        if name not in named:
            named[name] = RateWindow(limit, window)
        return named[name]
