"""Periods a figure is asked for: a day, an ISO week, a month, a quarter, a year or a custom
range of days, each with the period just before it.

A period is read from the roll-ups in the fewest rows: its whole months from the month rows
(grain "M") and only the days at its ragged edges from the day rows (grain "D"), so a year is
twelve rows per key, never 365.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Literal

from sqlalchemy import ColumnElement, Table, and_, or_

from odsc_desk.shared.clock import VIENTIANE, stamp
from sync.server.figures.errors import bad_input

Kind = Literal["day", "week", "month", "quarter", "year", "range"]

# No counter wrote a business date before this century, and a period past it is a typing slip.
FIRST_YEAR, LAST_YEAR = 2000, 2099
_MAX_TEXT = 40

_YEAR = re.compile(r"(\d{4})")
_QUARTER = re.compile(r"(\d{4})-Q([1-4])")
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_WEEK = re.compile(r"(\d{4})-W(\d{2})")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_RANGE = re.compile(r"(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})")


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    label: str
    kind: Kind = "range"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period just before: the previous calendar month, quarter or year for those, and
        otherwise as many days ending the day before this one starts."""
        if self.kind == "month":
            last = self.start - timedelta(days=1)
            return month(last.year, last.month)
        if self.kind == "quarter":
            last = self.start - timedelta(days=1)
            return quarter(last.year, (last.month - 1) // 3 + 1)
        if self.kind == "year":
            return year(self.start.year - 1)
        if self.kind == "day":
            return day(self.start - timedelta(days=1))
        if self.kind == "week":
            iso = (self.start - timedelta(days=7)).isocalendar()
            return week(iso.year, iso.week)
        end = self.start - timedelta(days=1)
        return span(end - timedelta(days=self.days - 1), end)

    def pieces(self) -> list[tuple[Literal["D", "M"], str, str]]:
        """The roll-up rows that make up the period: (grain, first period, last period), whole
        months as one run of month rows and the partial months at either edge as day rows."""
        out: list[tuple[Literal["D", "M"], str, str]] = []
        months: list[str] = []
        cursor = self.start
        while cursor <= self.end:
            last = _month_end(cursor.year, cursor.month)
            if cursor.day == 1 and last <= self.end:
                months.append(cursor.strftime("%Y-%m"))
            else:
                stop = min(last, self.end)
                out.append(("D", cursor.isoformat(), stop.isoformat()))
            cursor = last + timedelta(days=1)
        if months:  # consecutive by construction
            out.append(("M", months[0], months[-1]))
        return out

    def stamps(self) -> tuple[str, str]:
        """The period as stored stamps: from its first day's local midnight (included) to the
        local midnight after its last day (excluded), Vientiane time."""
        return (
            stamp(datetime.combine(self.start, time(), VIENTIANE)),
            stamp(datetime.combine(self.end + timedelta(days=1), time(), VIENTIANE)),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "kind": self.kind,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "days": self.days,
        }


def rollup_clause(table: Table, period: Period) -> ColumnElement[bool]:
    """The rows of a roll-up table (`grain`, `period` columns) that sum to `period`."""
    return or_(
        *(
            and_(table.c.grain == grain, table.c.period.between(first, last))
            for grain, first, last in period.pieces()
        )
    )


def dates_clause(column: Any, period: Period) -> ColumnElement[bool]:
    """A YYYY-MM-DD text column within the period (text sorts as the dates do)."""
    clause: ColumnElement[bool] = column.between(period.start.isoformat(), period.end.isoformat())
    return clause


def _year(text: str) -> int:
    value = int(text)
    if not FIRST_YEAR <= value <= LAST_YEAR:
        raise bad_input("figures.period", f"periods run from {FIRST_YEAR} to {LAST_YEAR}")
    return value


def _within_bounds(period: Period) -> Period:
    if period.start.year < FIRST_YEAR or period.end.year > LAST_YEAR:
        raise bad_input(
            "figures.period",
            f"periods run from {FIRST_YEAR} to {LAST_YEAR}, not {period.label}",
        )
    return period


def day(value: date) -> Period:
    return Period(value, value, value.isoformat(), "day")


def week(iso_year: int, number: int) -> Period:
    try:
        start = date.fromisocalendar(iso_year, number, 1)
    except ValueError as exc:
        raise bad_input("figures.period", f"{iso_year} has no ISO week {number}") from exc
    return Period(start, start + timedelta(days=6), f"{iso_year}-W{number:02d}", "week")


def month(year_: int, number: int) -> Period:
    if not 1 <= number <= 12:
        raise bad_input("figures.period", f"there is no month {number}")
    return Period(
        date(year_, number, 1), _month_end(year_, number), f"{year_}-{number:02d}", "month"
    )


def quarter(year_: int, number: int) -> Period:
    first = 3 * (number - 1) + 1
    return Period(
        date(year_, first, 1), _month_end(year_, first + 2), f"{year_}-Q{number}", "quarter"
    )


def year(value: int) -> Period:
    return Period(date(value, 1, 1), date(value, 12, 31), str(value), "year")


def span(start: date, end: date) -> Period:
    """A custom range of days, both included."""
    if end < start:
        raise bad_input("figures.period", f"the range ends ({end}) before it starts ({start})")
    return Period(start, end, f"{start.isoformat()}..{end.isoformat()}", "range")


def _date(text: str) -> date:
    if not _DAY.fullmatch(text):
        raise bad_input("figures.period", f"write a date as YYYY-MM-DD, not {text!r}")
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise bad_input("figures.period", f"there is no date {text}") from exc


_SPELLINGS = "2026, 2026-Q1, 2026-03, 2026-W09, 2026-03-05 or 2026-03-01..2026-03-31"


def parse_period(text: str) -> Period:
    """A period from its spelling: `2026`, `2026-Q1`, `2026-03`, `2026-W09`, `2026-03-05` or
    `2026-03-01..2026-03-31`, within the years FIRST_YEAR to LAST_YEAR. Anything else is a
    FigureRefused (422, figures.period)."""
    return _within_bounds(_read(text.strip()))


def _read(value: str) -> Period:
    if len(value) > _MAX_TEXT:
        raise bad_input("figures.period", f"a period is written {_SPELLINGS}")
    if found := _YEAR.fullmatch(value):
        return year(_year(found[1]))
    if found := _QUARTER.fullmatch(value):
        return quarter(_year(found[1]), int(found[2]))
    if found := _WEEK.fullmatch(value):
        return week(_year(found[1]), int(found[2]))
    if found := _MONTH.fullmatch(value):
        return month(_year(found[1]), int(found[2]))
    if _DAY.fullmatch(value):
        return day(_date(value))
    if found := _RANGE.fullmatch(value):
        return span(_date(found[1]), _date(found[2]))
    raise bad_input("figures.period", f"not a period: {value!r}; write {_SPELLINGS}")
