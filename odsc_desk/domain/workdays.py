"""Promised return dates: N working days after intake.

Working days skip Saturdays, Sundays, Lao public holidays (the `holidays` package's LA calendar)
and the office's own closures. The intake day itself does not count: a one-day service is ready
the next working day.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from odsc_desk.storage.store import Store


@lru_cache(maxsize=16)
def _lao_holidays(year: int) -> frozenset[date]:
    # Imported on first use: the package loads every country's calendar machinery, a tenth of
    # the counter's start-up, and the login never needs a promised date.
    import holidays

    return frozenset(holidays.country_holidays("LA", years=year))


def office_closures(store: Store) -> set[date]:
    return {date.fromisoformat(r[0]) for r in store.conn.execute("SELECT date FROM closures")}


def is_working_day(day: date, closures: set[date]) -> bool:
    return day.weekday() < 5 and day not in _lao_holidays(day.year) and day not in closures


def add_working_days(start: date, days: int, closures: set[date]) -> date:
    day = start
    remaining = days
    while remaining > 0:
        day += timedelta(days=1)
        if is_working_day(day, closures):
            remaining -= 1
    return day
