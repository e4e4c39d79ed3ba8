"""What the monthly report says for one level and month: the headline, the counters gone silent
and the trend as the overview reads them (its batched sums of the roll-ups, which
tests/sync/test_figures_many.py holds equal to the figures'), the tables from the figures' own
functions: the paper, the pages and the API cannot disagree.

No personal data: places, services' ministries and counts only; the one name is the person who
made the report.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection

from sync.server.figures import cash, fees, overdue, revenue
from sync.server.figures.area import Area
from sync.server.figures.periods import Period, month, span
from sync.server.web import overview, pages
from sync.server.web.levels import Level, Registry

TREND_MONTHS = 12


class NotAMonth(ValueError):
    """The report is of a calendar month, for a nation, province, district or office."""


@dataclass(frozen=True)
class PlaceRow:
    level: Level
    received: int
    on_time_rate: float | None  # None at a counter: not counted per counter
    net: int
    overdue: int


@dataclass(frozen=True)
class Places:
    """A table of the places one level below (`by` keys the figures' rows)."""

    by: str
    rows: list[PlaceRow]


@dataclass(frozen=True)
class MinistryRow:
    ministry: str | None  # None: services no published catalog places in a ministry
    name_lo: str | None
    name_en: str | None
    net: int
    checked: int
    off_catalog: int
    old_version: int
    uniform_rate: float | None


@dataclass(frozen=True)
class Monthly:
    level: Level
    registry: Registry
    period: Period
    # the headline, the previous month's, the counters gone silent, and the trend: requests
    # received month by month, the twelve months to this one
    seen: overview.Overview
    silent_days: int
    places: list[Places]
    ministries: list[MinistryRow]
    ministry_totals: MinistryRow
    # the cash figure's totals, the previous month's under "previous"; None through a ministry's
    # scope (a drawer holds every service's money)
    cash: dict[str, Any] | None
    ministry: dict[str, str] | None  # the ministry's name in each language, when limited to one
    made_at: datetime
    made_by: str


def trend_span(period: Period) -> Period:
    """The 12 months ending with the report's."""
    first = period.start.year * 12 + period.start.month - TREND_MONTHS
    return span(month(first // 12, first % 12 + 1).start, period.end)


def _key(row: dict[str, Any], by: str) -> Any:
    return (row["office"], row["counter"]) if by == "counter" else row[by]


def _tile_key(tile: overview.Tile) -> Any:
    level = tile.level
    return (level.code, level.counter) if level.place == "counter" else level.code


def _places(
    conn: Connection, area: Area, period: Period, today: date, by: str, tiles: list[overview.Tile]
) -> Places:
    """The tiles the overview read (received, on-time rate), with each place's net fees and
    overdue requests from the revenue and overdue figures by the same key."""
    net = {_key(r, by): r["net"] for r in revenue.revenue(conn, area, period, by)["rows"]}
    late = {
        _key(r, by): r["overdue"]
        for r in overdue.overdue(conn, area, period, by, today=today, limit=1)["rows"]
    }
    return Places(
        by,
        [
            PlaceRow(
                level=tile.level,
                received=tile.received,
                on_time_rate=tile.on_time_rate,
                net=net.get(_tile_key(tile), 0),
                overdue=late.get(_tile_key(tile), 0),
            )
            for tile in tiles
        ],
    )


_BELOW = {"nation": "province", "province": "district", "district": "office", "office": "counter"}


def _ministry_row(values: dict[str, Any], net: int) -> MinistryRow:
    return MinistryRow(
        ministry=values.get("ministry"),
        name_lo=values.get("name_lo"),
        name_en=values.get("name_en"),
        net=net,
        checked=values["checked"],
        off_catalog=values["fee_off_catalog"],
        old_version=values["fee_old_version"],
        uniform_rate=values["uniform_rate"],
    )


def _ministries(
    conn: Connection, area: Area, period: Period
) -> tuple[list[MinistryRow], MinistryRow]:
    """Per ministry: the fees checked against the catalog, off it and at an old version (the
    fees figure), beside the net fees (the revenue figure); and the totals of both."""
    checked = fees.fees(conn, area, period, "ministry")
    money = revenue.revenue(conn, area, period, "ministry")
    net = {r["ministry"]: r["net"] for r in money["rows"]}
    rows = [_ministry_row(r, net.get(r["ministry"], 0)) for r in checked["rows"]]
    listed = {r.ministry for r in rows}
    # A ministry with payments but no request received in the month still shows its money.
    rows += [
        MinistryRow(r["ministry"], r.get("name_lo"), r.get("name_en"), r["net"], 0, 0, 0, None)
        for r in money["rows"]
        if r["ministry"] not in listed and r["net"]
    ]
    return rows, _ministry_row(checked["totals"], money["totals"]["net"])


def gather(
    conn: Connection,
    level: Level,
    registry: Registry,
    period: Period,
    *,
    now: datetime,
    today: date,
    silent_days: int,
    made_by: str,
) -> Monthly:
    if period.kind != "month":
        raise NotAMonth(period.label)
    if level.place == "counter":
        raise NotAMonth(level.path)
    seen = overview.read(
        conn, level, registry, period, now, today, silent_days, trend_of=trend_span(period)
    )
    by = _BELOW[level.place]
    places = [_places(conn, level.area, period, today, by, seen.tiles)]
    if seen.loose_offices:
        places.append(_places(conn, level.area, period, today, "office", seen.loose_offices))
    ministries, ministry_totals = _ministries(conn, level.area, period)
    return Monthly(
        level=level,
        registry=registry,
        period=period,
        seen=seen,
        silent_days=silent_days,
        places=places,
        ministries=ministries,
        ministry_totals=ministry_totals,
        cash=None if level.ministry else cash.cash(conn, level.area, period)["totals"],
        ministry=pages.ministry_names(conn, level),
        made_at=now,
        made_by=made_by,
    )
