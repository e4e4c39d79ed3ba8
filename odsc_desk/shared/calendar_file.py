"""A national calendar file: Lao public holidays and national closures, read and checked. Pure,
so the centre publishes a calendar through the very checks a counter imports it with.

A calendar names the years it covers and, for those years, every day off for the whole
country: a public holiday ("holiday") or a day the government declares closed ("closure", e.g.
an extra Pi Mai day), each with its Lao and English name. For a covered year the calendar is
the whole truth (a holiday it leaves out is a working day); a year it does not cover keeps the
`holidays` package's LA calendar (odsc_desk/shared/national_days.py). An optional
`effective_from` ("YYYY-MM-DD", a Vientiane day) holds a version back until that day.

    {"version": 2, "label": "Holidays 2027", "years": [2027],
     "days": [{"date": "2027-04-17", "kind": "closure",
               "name_lo": "ພັກບຸນປີໃໝ່ເພີ່ມ", "name_en": "Extra Pi Mai day"}]}
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from odsc_desk.shared.catalog_file import read_json_file
from odsc_desk.shared.errors import ValidationError
from odsc_desk.shared.text import has_control, nfc

KINDS = ("holiday", "closure")
FIRST_YEAR, LAST_YEAR = 2000, 2100
MAX_YEARS = 10
MAX_DAYS = 100 * MAX_YEARS  # far more than any year's holidays; bounds what a form can send
NAME_MAX = 200


@dataclass(frozen=True)
class NationalDay:
    day: date
    kind: str  # KINDS
    name_lo: str
    name_en: str


@dataclass(frozen=True)
class Calendar:
    version: int
    label: str
    years: tuple[int, ...]
    days: tuple[NationalDay, ...]  # in date order
    effective_from: str | None = None  # "YYYY-MM-DD"; None: in effect at once

    def days_off(self, year: int) -> frozenset[date] | None:
        """The days off of a year the calendar covers; None for a year it does not."""
        if year not in self.years:
            return None
        return frozenset(d.day for d in self.days if d.day.year == year)


def _field(where: str) -> ValidationError:
    return ValidationError("calendar.field", "calendar", where=where)


def _text(item: dict[str, Any], key: str, where: str) -> str:
    value = item.get(key)
    if not isinstance(value, str) or not nfc(value).strip() or has_control(value):
        raise _field(f"{where}.{key}")
    text = " ".join(nfc(value).split())
    if len(text) > NAME_MAX:
        raise _field(f"{where}.{key}")
    return text


def _whole(value: Any) -> bool:
    # bool is an int in Python; a version of `true` is still a mistake.
    return isinstance(value, int) and not isinstance(value, bool)


def parse_day(value: Any, where: str) -> date:
    """Exactly YYYY-MM-DD: days are compared as text with business dates."""
    try:
        if isinstance(value, str) and date.fromisoformat(value).isoformat() == value:
            return date.fromisoformat(value)
    except ValueError:
        pass
    raise ValidationError("calendar.date", "calendar", where=where, value=str(value)[:40])


def _years(value: Any) -> tuple[int, ...]:
    if (
        not isinstance(value, list)
        or not 1 <= len(value) <= MAX_YEARS
        or not all(_whole(y) and FIRST_YEAR <= y <= LAST_YEAR for y in value)
        or len(set(value)) != len(value)
    ):
        raise ValidationError(
            "calendar.years", "calendar", first=FIRST_YEAR, last=LAST_YEAR, most=MAX_YEARS
        )
    return tuple(sorted(value))


def _day(item: Any, where: str, years: tuple[int, ...]) -> NationalDay:
    if not isinstance(item, dict):
        raise _field(where)
    day = parse_day(item.get("date"), f"{where}.date")
    if day.year not in years:
        years_text = ", ".join(str(y) for y in years)
        raise ValidationError("calendar.outside", "calendar", day=day, years=years_text)
    kind = item.get("kind")
    if kind not in KINDS:
        raise ValidationError("calendar.kind", "calendar", where=f"{where}.kind")
    if kind == "closure" and day.weekday() >= 5:
        # A holiday may fall on a weekend and still be its day; a closure declared for a day
        # already off is a slip of the pen (the day meant was another).
        raise ValidationError("calendar.weekend", "calendar", day=day)
    return NationalDay(day, kind, _text(item, "name_lo", where), _text(item, "name_en", where))


def parse_calendar(data: Any) -> Calendar:
    """Check a calendar file's content, or say in Lao and English what is wrong."""
    if not isinstance(data, dict):
        raise _field("(top level)")
    version = data.get("version")
    if not isinstance(version, int) or not _whole(version) or not 1 <= version <= 1_000_000:
        raise ValidationError("calendar.version", "calendar", limit=1_000_000)
    label = _text(data, "label", "calendar")
    years = _years(data.get("years"))
    raw = data.get("days")
    if not isinstance(raw, list) or len(raw) > MAX_DAYS:
        raise _field("days")
    days: dict[date, NationalDay] = {}
    for n, item in enumerate(raw):
        found = _day(item, f"days[{n}]", years)
        if found.day in days:
            raise ValidationError("calendar.duplicate", "calendar", day=found.day)
        days[found.day] = found
    effective = data.get("effective_from")
    if effective is not None:
        parse_day(effective, "effective_from")
    return Calendar(version, label, years, tuple(days[d] for d in sorted(days)), effective)


def day_entry(day: NationalDay) -> dict[str, str]:
    """One day as a calendar file writes it."""
    return {
        "date": day.day.isoformat(),
        "kind": day.kind,
        "name_lo": day.name_lo,
        "name_en": day.name_en,
    }


def read_calendar_file(path: Path | str) -> tuple[Calendar, dict[str, Any]]:
    """The checked calendar and the object the file holds (what is published as it is)."""
    data = read_json_file(path, "calendar.unreadable")
    return parse_calendar(data), data
