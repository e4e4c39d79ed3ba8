"""Working days at the centre: the counter's calendar (weekends, Lao holidays, closures)."""

from datetime import date, timedelta

import pytest

from sync.server.figures.workdays import is_working_day, lao_holidays, working_days_between


def _walk(start: date, end: date, closures: set[date]) -> int:
    """The definition, day by day: working days after start up to and including end."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        count += is_working_day(day, closures)
    return count


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 3, 6), True),  # a Friday
        (date(2026, 3, 7), False),  # Saturday
        (date(2026, 3, 8), False),  # Women's day, a Sunday
        (date(2026, 3, 9), False),  # its day in lieu, a Monday
        (date(2026, 4, 15), False),  # Lao New Year
        (date(2026, 12, 2), False),  # National Day
        (date(2026, 12, 3), True),
    ],
)
def test_is_working_day_follows_the_lao_calendar(day, working):
    assert is_working_day(day, set()) is working


def test_a_closure_is_not_a_working_day():
    assert not is_working_day(date(2026, 3, 10), {date(2026, 3, 10)})


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        (date(2026, 3, 5), date(2026, 3, 5), 0),  # ready the same day
        (date(2026, 3, 5), date(2026, 3, 4), 0),  # before: never negative
        (date(2026, 3, 5), date(2026, 3, 6), 1),  # Thursday → Friday
        (date(2026, 3, 6), date(2026, 3, 9), 0),  # Friday → in-lieu Monday: no working day
        (date(2026, 3, 6), date(2026, 3, 10), 1),
        (date(2026, 4, 10), date(2026, 4, 20), 3),  # 13, 17, 20: Lao New Year 14–16
        (date(2025, 12, 30), date(2026, 1, 2), 2),  # across the year: New Year's Day
    ],
)
def test_working_days_between(start, end, days):
    assert working_days_between(start, end, set()) == days


def test_working_days_between_skips_closures_only_inside_the_span():
    closures = {date(2026, 3, 11), date(2026, 3, 20), date(2026, 3, 2)}
    assert working_days_between(date(2026, 3, 10), date(2026, 3, 12), closures) == 1
    # a closure on a Saturday removes nothing more
    assert working_days_between(date(2026, 3, 13), date(2026, 3, 16), {date(2026, 3, 14)}) == 1


def test_working_days_between_equals_the_day_by_day_walk():
    closures = {date(2026, 5, 4), date(2026, 12, 31), date(2027, 1, 5)}
    start = date(2025, 12, 1)
    for offset in range(0, 420, 3):
        for length in (0, 1, 2, 5, 6, 7, 8, 13, 30, 400):
            a = start + timedelta(days=offset)
            b = a + timedelta(days=length)
            assert working_days_between(a, b, closures) == _walk(a, b, closures), (a, b)


def test_holidays_are_built_once_per_year():
    lao_holidays.cache_clear()
    lao_holidays(2026)
    lao_holidays(2026)
    info = lao_holidays.cache_info()
    assert (info.hits, info.misses) == (1, 1)
