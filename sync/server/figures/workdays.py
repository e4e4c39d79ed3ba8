"""Working days at the centre: the same calendar the counter promises dates by.

Working days skip Saturdays, Sundays, Lao public holidays (the `holidays` package's LA calendar)
and the office's own closures. The centre may not import the counter's domain code
(odsc_desk/domain/workdays.py), so the rule is written here for the projection and the figures.
"""

from __future__ import annotations

from collections.abc import Set
from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def lao_holidays(year: int) -> frozenset[date]:
    """Lao public holidays of one year; built once per year (the package computes them)."""
    return frozenset(holidays.country_holidays("LA", years=year))


def is_working_day(day: date, closures: Set[date]) -> bool:
    return day.weekday() < 5 and day not in lao_holidays(day.year) and day not in closures


def working_days_between(start: date, end: date, closures: Set[date]) -> int:
    """Working days after `start` up to and including `end`: 0 when `end` is not after `start`
    (a request ready the day it was received took no working day)."""
    if end <= start:
        return 0
    # Whole weeks hold five weekdays each: only the holidays and closures in them need a look,
    # so a request that waited a year costs a few hundred set lookups, not a day-by-day walk.
    span = (end - start).days
    weeks, rest = divmod(span, 7)
    count = weeks * 5
    day = start + timedelta(days=weeks * 7)
    for _ in range(rest):
        day += timedelta(days=1)
        if day.weekday() < 5:
            count += 1
    removed = {
        d
        for year in range(start.year, end.year + 1)
        for d in lao_holidays(year)
        if start < d <= end and d.weekday() < 5
    }
    removed.update(d for d in closures if start < d <= end and d.weekday() < 5)
    return count - len(removed)
