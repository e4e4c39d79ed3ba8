"""Periods of the figures: their spellings, the period before each, and the roll-up rows that
make one up (whole months as month rows, ragged edges as day rows)."""

from datetime import date, timedelta

import pytest

from sync.server.figures.errors import FigureRefused
from sync.server.figures.periods import Period, parse_period, span


@pytest.mark.parametrize(
    ("text", "kind", "start", "end"),
    [
        ("2026", "year", date(2026, 1, 1), date(2026, 12, 31)),
        ("2026-Q1", "quarter", date(2026, 1, 1), date(2026, 3, 31)),
        ("2026-Q4", "quarter", date(2026, 10, 1), date(2026, 12, 31)),
        ("2026-02", "month", date(2026, 2, 1), date(2026, 2, 28)),
        ("2028-02", "month", date(2028, 2, 1), date(2028, 2, 29)),
        ("2026-W09", "week", date(2026, 2, 23), date(2026, 3, 1)),
        ("2026-W01", "week", date(2025, 12, 29), date(2026, 1, 4)),
        ("2026-03-05", "day", date(2026, 3, 5), date(2026, 3, 5)),
        ("2026-03-01..2026-03-31", "range", date(2026, 3, 1), date(2026, 3, 31)),
        (" 2026-03 ", "month", date(2026, 3, 1), date(2026, 3, 31)),
    ],
)
def test_parse_period(text, kind, start, end):
    period = parse_period(text)
    assert (period.kind, period.start, period.end) == (kind, start, end)
    assert period.label == text.strip()


@pytest.mark.parametrize(
    "text",
    [
        "",
        "26",
        "2026-Q5",
        "2026-13",
        "2026-00",
        "2026-W54",
        "2026-W00",
        "2025-W53",  # 2025 has 52 ISO weeks
        "2026-02-30",
        "2026-3-5",
        "2026-03-31..2026-03-01",
        "1999",
        "0000-01",
        "2100-01-01",
        "1999-12-31..2000-01-05",
        "2026-03-01..",
        "2026-03-01" * 5,
        "week 9",
    ],
)
def test_parse_period_refuses_with_a_422(text):
    with pytest.raises(FigureRefused) as caught:
        parse_period(text)
    assert (caught.value.status, caught.value.code) == (422, "figures.period")
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    ("text", "previous"),
    [
        ("2026", "2025"),
        ("2026-Q1", "2025-Q4"),
        ("2026-Q3", "2026-Q2"),
        ("2026-03", "2026-02"),
        ("2026-01", "2025-12"),
        ("2026-W01", "2025-W52"),
        ("2021-W01", "2020-W53"),
        ("2026-03-01", "2026-02-28"),
        ("2026-03-10..2026-03-19", "2026-02-28..2026-03-09"),
        ("2000", "1999"),  # before the first year a period may be asked for: zeros, not an error
    ],
)
def test_previous(text, previous):
    assert parse_period(text).previous().label == previous


def test_previous_month_is_the_calendar_month_whatever_its_length():
    march = parse_period("2026-03")
    assert (march.previous().start, march.previous().end) == (date(2026, 2, 1), date(2026, 2, 28))


def test_a_range_s_previous_is_as_long_and_ends_the_day_before():
    period = span(date(2026, 1, 15), date(2026, 3, 10))
    before = period.previous()
    assert before.days == period.days
    assert before.end == period.start - timedelta(days=1)


@pytest.mark.parametrize(
    ("text", "pieces"),
    [
        ("2026", [("M", "2026-01", "2026-12")]),
        ("2026-03", [("M", "2026-03", "2026-03")]),
        ("2026-03-05", [("D", "2026-03-05", "2026-03-05")]),
        ("2026-W09", [("D", "2026-02-23", "2026-02-28"), ("D", "2026-03-01", "2026-03-01")]),
        (
            "2026-01-15..2026-03-10",
            [("D", "2026-01-15", "2026-01-31"), ("D", "2026-03-01", "2026-03-10"),
             ("M", "2026-02", "2026-02")],
        ),
        ("2026-01-01..2026-03-10", [("D", "2026-03-01", "2026-03-10"),
                                    ("M", "2026-01", "2026-02")]),
        ("2026-01-02..2026-01-30", [("D", "2026-01-02", "2026-01-30")]),
        ("2025-12-31..2027-01-01", [("D", "2025-12-31", "2025-12-31"),
                                    ("D", "2027-01-01", "2027-01-01"),
                                    ("M", "2026-01", "2026-12")]),
    ],
)  # fmt: skip
def test_pieces(text, pieces):
    assert parse_period(text).pieces() == pieces


def _days(period: Period) -> list[date]:
    out = []
    for grain, first, last in period.pieces():
        if grain == "D":
            day = date.fromisoformat(first)
            while day <= date.fromisoformat(last):
                out.append(day)
                day += timedelta(days=1)
        else:
            y, m = map(int, first.split("-"))
            while f"{y:04d}-{m:02d}" <= last:
                day = date(y, m, 1)
                while day.month == m:
                    out.append(day)
                    day += timedelta(days=1)
                y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return sorted(out)


def test_pieces_cover_every_day_once():
    start = date(2025, 12, 20)
    for offset in range(0, 80, 7):
        for length in (0, 1, 11, 12, 40, 75, 400):
            period = span(start + timedelta(days=offset), start + timedelta(days=offset + length))
            expected = [period.start + timedelta(days=n) for n in range(period.days)]
            assert _days(period) == expected, period.label


def test_to_json():
    assert parse_period("2026-W09").to_json() == {
        "label": "2026-W09",
        "kind": "week",
        "start": "2026-02-23",
        "end": "2026-03-01",
        "days": 7,
    }
