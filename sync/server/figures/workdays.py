"""Working days at the centre: the same calendar the counter promises dates by.

Working days skip Saturdays, Sundays, the country's days off (the published national calendar
for the years it covers, the `holidays` package's LA calendar otherwise:
odsc_desk.shared.national_days) and the office's own closures. The centre may not import the
counter's domain code (odsc_desk/domain/workdays.py), so the rule is written here for the
projection and the figures; the caller passes the calendar in effect (sync.server.calendars).
"""

from __future__ import annotations

from collections.abc import Set
from datetime import date, timedelta

from odsc_desk.shared.calendar_file import Calendar
from odsc_desk.shared.national_days import days_off, package_holidays

# The package's days of one year, built once per year (the figures' tests count the builds).
lao_holidays = package_holidays


def is_working_day(day: date, closures: Set[date], calendar: Calendar | None = None) -> bool:
    return day.weekday() < 5 and day not in days_off(day.year, calendar) and day not in closures


def working_days_between(
    start: date, end: date, closures: Set[date], calendar: Calendar | None = None
) -> int:
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
        for d in days_off(year, calendar)
        if start < d <= end and d.weekday() < 5
    }
    removed.update(d for d in closures if start < d <= end and d.weekday() < 5)
    return count - len(removed)
