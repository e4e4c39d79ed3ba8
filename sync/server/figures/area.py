"""The area a figure covers: the nation, a province, a district or an office, optionally only
one ministry's services in it.

Offices are placed by the centre's `offices` table (province, district): a figure for a
province reads the rows of the offices registered in it, whatever their codes look like.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal, cast

from sqlalchemy import ColumnElement, Connection, select, true

from sync.server.db import offices
from sync.server.enrollment import OFFICE_PATTERN
from sync.server.figures.catalog import ministry_services
from sync.server.figures.errors import bad_input

Place = Literal["nation", "province", "district", "office"]

_CODES: dict[str, re.Pattern[str]] = {
    "province": re.compile(r"LA-[A-Z]{2}"),  # ISO 3166-2:LA
    "district": re.compile(r"[A-Z0-9]{1,8}(-[A-Z0-9]{1,8}){0,2}"),  # as hierarchy.py registers
    "office": re.compile(OFFICE_PATTERN.strip("^$")),
}
_MINISTRY = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,39}")
_SPELLING = "nation, province:LA-VT, district:CODE or office:VTE-SST"


@dataclass(frozen=True)
class Area:
    place: Place
    code: str = ""
    ministry: str | None = None

    @classmethod
    def parse(cls, text: str, ministry: str | None = None) -> Area:
        """An area from its spelling — `nation`, `province:LA-VT`, `district:CODE`,
        `office:VTE-SST` — and a ministry code when only its services count. Anything else is
        a FigureRefused (422, figures.area)."""
        value = text.strip()
        place, _, code = value.partition(":")
        if ministry is not None and not _MINISTRY.fullmatch(ministry):
            raise bad_input("figures.area", f"not a ministry code: {ministry[:40]!r}")
        if place == "nation" and not code:
            return cls("nation", "", ministry)
        if place in ("province", "district", "office"):
            if not _CODES[place].fullmatch(code):
                raise bad_input("figures.area", f"not a {place} code: {code[:40]!r}")
            return cls(cast(Place, place), code, ministry)
        raise bad_input("figures.area", f"not an area: {value[:60]!r}; write {_SPELLING}")

    @property
    def is_office(self) -> bool:
        return self.place == "office"

    def to_json(self) -> dict[str, Any]:
        return {"place": self.place, "code": self.code, "ministry": self.ministry}

    def __str__(self) -> str:
        where = self.place if self.place == "nation" else f"{self.place}:{self.code}"
        return where if self.ministry is None else f"{where} ({self.ministry})"


def offices_clause(area: Area, column: Any) -> ColumnElement[bool]:
    """`column` (an office code) names an office in the area."""
    if area.place == "nation":
        return true()
    if area.place == "office":
        clause: ColumnElement[bool] = column == area.code
        return clause
    placed = offices.c.province if area.place == "province" else offices.c.district
    inside: ColumnElement[bool] = column.in_(select(offices.c.code).where(placed == area.code))
    return inside


def services_clause(area: Area, column: Any, conn: Connection) -> ColumnElement[bool]:
    """`column` (a service code) is one of the area's ministry's services, or any service when
    the area names no ministry."""
    if area.ministry is None:
        return true()
    clause: ColumnElement[bool] = column.in_(ministry_services(conn, area.ministry))
    return clause
