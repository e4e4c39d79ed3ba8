"""How a figure's rows are keyed: the `by` of a figure (service, ministry, office, district,
province, counter or clerk).

A query groups by the columns the roll-ups hold (a service, an office, an office's counter, a
clerk); ministries, districts and provinces are folded from those here, through the catalog and
the office registry, so no query joins through them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Column, Connection, Table

from sync.server.figures.catalog import Service, names, services
from sync.server.figures.places import Places, read_places

BY = ("service", "ministry", "office", "district", "province", "counter", "clerk")

Key = tuple[Any, ...]


class Breakdown:
    """The rows of one `by` (None: the totals alone), with the catalog and the registry read
    once, when first needed."""

    def __init__(self, conn: Connection, by: str | None) -> None:
        self.conn = conn
        self.by = by
        self._services: dict[str, Service] | None = None
        self._places: Places | None = None

    @property
    def services(self) -> dict[str, Service]:
        if self._services is None:
            self._services = services(self.conn)
        return self._services

    @property
    def places(self) -> Places:
        if self._places is None:
            self._places = read_places(self.conn)
        return self._places

    def columns(self, table: Table) -> list[Column[Any]]:
        """The columns of `table` a query groups by."""
        if self.by is None:
            return []
        if self.by in ("service", "ministry"):
            return [table.c.service_code]
        if self.by in ("office", "district", "province"):
            return [table.c.office]
        if self.by == "counter":
            return [table.c.office, table.c.counter]
        return [table.c.clerk]

    def key(self, raw: Key) -> Key:
        """A row's key from the grouped columns' values."""
        if self.by == "ministry":
            known = self.services.get(raw[0])
            return (known.ministry if known else None,)
        if self.by == "district":
            return (self.places.office(raw[0]).district,)
        if self.by == "province":
            return (self.places.office(raw[0]).province,)
        if self.by == "counter":
            return (raw[0], int(raw[1]))
        return tuple(raw)

    def label(self, key: Key) -> dict[str, Any]:
        """What a person reads to know the row: its code and, where the centre has them, the
        names in English and Lao."""
        if self.by is None:
            return {}
        code = key[0]
        if self.by == "service":
            known = self.services.get(code)
            return {
                "service": code,
                **names(known),
                "ministry": known.ministry if known else None,
            }
        if self.by == "ministry":
            found = next((s for s in self.services.values() if s.ministry == code), None)
            return {
                "ministry": code,
                "name_en": found.ministry_en if found else None,
                "name_lo": found.ministry_lo if found else None,
            }
        if self.by == "office":
            office = self.places.office(code)
            return {
                "office": code,
                "name_en": office.name_en,
                "name_lo": office.name_lo,
                "district": office.district,
                "province": office.province,
            }
        if self.by in ("district", "province"):
            table = self.places.districts if self.by == "district" else self.places.provinces
            named = table.get(code) if code is not None else None
            return {
                self.by: code,
                "name_en": named.name_en if named else None,
                "name_lo": named.name_lo if named else None,
            }
        if self.by == "counter":
            return {"office": code, "counter": key[1]}
        return {"clerk": code}

    def fold(self, grouped: Iterable[tuple[Key, Mapping[str, int]]]) -> dict[Key, dict[str, int]]:
        """Sums per row key of values grouped by the queried columns."""
        return self.fold_with(grouped, None)

    def fold_with(
        self, grouped: Iterable[tuple[Key, Mapping[str, int]]], width: int | None
    ) -> dict[Key, dict[str, int]]:
        """As fold, when only the first `width` grouped columns are the breakdown's: the
        others are kept in the key after it as they are."""
        out: dict[Key, dict[str, int]] = {}
        for raw, values in grouped:
            key = self.key(raw) if width is None else (*self.key(raw[:width]), *raw[width:])
            into = out.setdefault(key, dict.fromkeys(values, 0))
            for name, value in values.items():
                into[name] += value
        return out


def _order(key: Key) -> tuple[Any, ...]:
    # An unknown place or ministry (None) sorts after the known ones.
    return tuple((part is None, "" if part is None else part) for part in key)


def side_by_side(
    breakdown: Breakdown,
    current: Mapping[Key, dict[str, Any]],
    previous: Mapping[Key, dict[str, Any]],
    empty: dict[str, Any],
) -> list[dict[str, Any]]:
    """One row per key of either period: its label, this period's values and, under
    "previous", the previous period's (`empty` where a period has none)."""
    keys = sorted(set(current) | set(previous), key=_order)
    return [
        {
            **breakdown.label(key),
            **current.get(key, empty),
            "previous": previous.get(key, empty),
        }
        for key in keys
    ]
