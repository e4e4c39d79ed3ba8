"""Promised return dates: N working days after intake.

Working days skip Saturdays, Sundays, the country's days off and the office's own closures.
The country's days off are the national calendar the centre published, in effect on the day
the closures are read for, for the years it covers, and the `holidays` package's LA calendar
for any other year (odsc_desk.shared.national_days). The intake day itself does not count: a
one-day service is ready the next working day.
"""

from __future__ import annotations

from datetime import date, timedelta

from odsc_desk.domain import national_calendar
from odsc_desk.shared.calendar_file import Calendar
from odsc_desk.shared.clock import local_date
from odsc_desk.shared.national_days import days_off
from odsc_desk.storage.store import Store


class DaysOff(set[date]):
    """The office's own closures, carrying the national calendar in effect on the day they were
    read for: every caller that counts working days (the intake form, the slips' new date)
    passes what `office_closures` gives, so each counts by the same calendar. A plain set of
    closures counts by the package's holidays alone."""

    def __init__(self, closures: set[date], calendar: Calendar | None) -> None:
        super().__init__(closures)
        self.calendar = calendar


def office_closures(store: Store, on: date | None = None) -> DaysOff:
    """The office's closures and the national calendar in effect `on` (the store's today)."""
    day = local_date(store.now()) if on is None else on
    closures = {date.fromisoformat(r[0]) for r in store.conn.execute("SELECT date FROM closures")}
    return DaysOff(closures, national_calendar.in_effect(store, day))


def is_working_day(day: date, closures: set[date]) -> bool:
    calendar = closures.calendar if isinstance(closures, DaysOff) else None
    return day.weekday() < 5 and day not in days_off(day.year, calendar) and day not in closures


def add_working_days(start: date, days: int, closures: set[date]) -> date:
    day = start
    remaining = days
    while remaining > 0:
        day += timedelta(days=1)
        if is_working_day(day, closures):
            remaining -= 1
    return day
