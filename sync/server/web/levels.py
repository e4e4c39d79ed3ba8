"""The levels a person drills through — nation, province, district, office, counter — with
their names, their place above and their address on the site.

A counter is no area of the figures (they stop at an office); its figures are its office's,
broken down by counter, and its scope is its office's. A level seen through a ministry's scope
carries that ministry: its area, and so every figure read for it, counts only the ministry's
services, as /api/v1 answers `?ministry=` for that scope.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, replace
from typing import Literal, cast

from sqlalchemy import Connection

from sync.server import hierarchy
from sync.server.figures.area import Area
from sync.server.figures.errors import FigureRefused
from sync.server.figures.places import Places, read_places
from sync.server.web.i18n import Lang, tr

Place = Literal["nation", "province", "district", "office", "counter"]
PLACES: tuple[Place, ...] = ("nation", "province", "district", "office", "counter")
_COUNTER = re.compile(r"(.+)/([1-9][0-9]{0,2})")


class UnknownLevel(Exception):
    """An address naming no place this centre has registered."""


@dataclass(frozen=True)
class Level:
    place: Place
    code: str = ""  # a counter's office
    counter: int = 0
    ministry: str | None = None  # only this ministry's services count

    @property
    def area(self) -> Area:
        """The area the figures are asked for (a counter's office) and the scope checks."""
        if self.place == "nation":
            return Area("nation", "", self.ministry)
        if self.place == "counter":
            return Area("office", self.code, self.ministry)
        return Area(self.place, self.code, self.ministry)

    def narrowed(self, ministry: str | None) -> Level:
        """The same place, counting only `ministry`'s services (None: every service)."""
        return replace(self, ministry=ministry)

    @property
    def path(self) -> str:
        if self.place == "nation":
            return "/area/nation"
        if self.place == "counter":
            return f"/area/counter/{self.code}/{self.counter}"
        return f"/area/{self.place}/{self.code}"

    def name(self, registry: Registry, lang: Lang) -> str:
        if self.place == "nation":
            return tr(lang, "nation")
        if self.place == "counter":
            office = Level("office", self.code).name(registry, lang)
            return f"{tr(lang, 'counter_named', counter=self.counter)} · {office}"
        places = registry.places
        named = {
            "province": places.provinces.get(self.code),
            "district": places.districts.get(self.code),
            "office": places.offices.get(self.code),
        }[self.place]
        title = None if named is None else named.name_lo if lang == "lo" else named.name_en
        return f"{title} ({self.code})" if title else self.code

    def above(self, registry: Registry) -> list[Level]:
        """The levels above this one, the nation first; a district or a province the registry
        does not place this one in is left out."""
        if self.place == "nation":
            return []
        province = district = None
        if self.place in ("office", "counter"):
            found = registry.places.office(self.code)
            province, district = found.province, found.district
        elif self.place == "district":
            province = registry.district_province.get(self.code)
        chain = [Level("nation")]
        if province:
            chain.append(Level("province", province))
        if district:
            chain.append(Level("district", district))
        if self.place == "counter":
            chain.append(Level("office", self.code))
        return [up.narrowed(self.ministry) for up in chain]


@dataclass(frozen=True)
class Registry:
    """The hierarchy as it stands: the places' names and each district's province."""

    places: Places
    district_province: dict[str, str]

    @classmethod
    def read(cls, conn: Connection) -> Registry:
        return cls(
            read_places(conn),
            {d["code"]: d["province"] for d in hierarchy.list_districts(conn)},
        )


def parse(place: str, code: str, registry: Registry) -> Level:
    """The level an address names, known to the registry; UnknownLevel otherwise."""
    if place not in PLACES or place == "nation":
        raise UnknownLevel(place)
    if place == "counter":
        found = _COUNTER.fullmatch(code)
        if found is None or found[1] not in registry.places.offices:
            raise UnknownLevel(code)
        return Level("counter", found[1], int(found[2]))
    try:
        Area.parse(f"{place}:{code}")
    except FigureRefused as exc:
        raise UnknownLevel(code) from exc
    places = registry.places
    known: dict[str, Collection[str]] = {
        "province": places.provinces,
        "district": places.districts,
        "office": places.offices,
    }
    if code not in known[place]:
        raise UnknownLevel(code)
    return Level(cast(Place, place), code)  # one of PLACES, checked above
