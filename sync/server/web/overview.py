"""What the overview shows for one level and period, read as the figures of /api/v1 read it:
the same roll-up sums (sync.server.figures.many: several periods, or every place below, in
one query) with the same rates (figures.rates), and the overdue and operations figures
themselves, so a page and the API cannot disagree. A nation's year is a handful of queries
this way, where asking each figure for each tile and each month of the trend took some 45.

At a counter the figures are its office's broken down by counter; timeliness is not counted
per counter, so the on-time rate is left out there (and the page says so).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from odsc_desk.shared.clock import parse_stamp
from sync.server.db import rollup
from sync.server.figures import operations, overdue
from sync.server.figures.area import Area
from sync.server.figures.breakdown import Breakdown, Key
from sync.server.figures.many import sums_of_periods
from sync.server.figures.periods import Period
from sync.server.figures.rates import ratio
from sync.server.statistics import Timeframe, buckets
from sync.server.web.levels import Level, Registry

# A period up to DAILY_UP_TO days is charted per day, up to MONTHLY_UP_TO per month, a longer
# one per year: a chart of more bars than that is read as a smear.
DAILY_UP_TO = 62
MONTHLY_UP_TO = 3 * 366

# The roll-up columns the headline shows, summed as the volume, timeliness, revenue and
# satisfaction figures sum them; and those a tile shows (requests received, on-time rate).
HEADLINE = ("received", "ready", "on_time", "gross", "voided", "refunded", "feedback", "rating_sum")
TILE = ("received", "ready", "on_time")


@dataclass(frozen=True)
class Headline:
    received: int
    ready: int | None  # None: not counted at this level (a counter)
    on_time: int | None
    on_time_rate: float | None
    overdue: int
    net: int
    feedback: int
    mean_rating: float | None
    response_rate: float | None


@dataclass(frozen=True)
class Silent:
    counters: int
    silent: int


@dataclass(frozen=True)
class Tile:
    level: Level
    received: int
    on_time_rate: float | None  # tiles of places
    last_sync: str | None = None  # tiles of counters
    silent: bool = False


@dataclass(frozen=True)
class Overview:
    level: Level
    period: Period
    headline: Headline
    previous: Headline
    silent: Silent
    trend: list[tuple[date, int]]
    trend_by: Timeframe
    tiles: list[Tile]
    loose_offices: list[Tile]  # offices of a province placed in no district

    def trend_points(self, name: Callable[[date, str], str]) -> list[tuple[str, int]]:
        """The trend's bars, each named as `name` says a day, a month or a year."""
        return [(name(start, self.trend_by), value) for start, value in self.trend]


def _pick(answer: dict[str, Any], level: Level) -> tuple[dict[str, Any], dict[str, Any]]:
    """A figure's totals for the level, and the previous period's: a counter's row when the
    figure was asked by counter."""
    if level.place != "counter":
        totals = answer["totals"]
        return totals, totals["previous"]
    for row in answer["rows"]:
        if row["office"] == level.code and row["counter"] == level.counter:
            return row, row["previous"]
    return {}, {}


def _own(conn: Connection, level: Level) -> tuple[Breakdown, Key]:
    """How the roll-ups are grouped for the level's own figures, and the key of its row: a
    counter is a row of its office by counter, any other level the totals of its area."""
    if level.place == "counter":
        return Breakdown(conn, "counter"), (level.code, level.counter)
    return Breakdown(conn, None), ()


def _headline(sums: dict[str, int], overdue_now: int, timed: bool) -> Headline:
    """A period's headline from its sums; `timed`: timeliness is counted at the level."""
    return Headline(
        received=sums["received"],
        ready=sums["ready"] if timed else None,
        on_time=sums["on_time"] if timed else None,
        on_time_rate=ratio(sums["on_time"], sums["ready"]) if timed else None,
        overdue=overdue_now,
        net=sums["gross"] - sums["voided"] - sums["refunded"],
        feedback=sums["feedback"],
        mean_rating=ratio(sums["rating_sum"], sums["feedback"]),
        response_rate=ratio(sums["feedback"], sums["received"]),
    )


def _headlines(
    conn: Connection, level: Level, period: Period, today: date
) -> tuple[Headline, Headline]:
    breakdown, key = _own(conn, level)
    empty = dict.fromkeys(HEADLINE, 0)
    current, previous = (
        found.get(key, empty)
        for found in sums_of_periods(
            conn, rollup, HEADLINE, level.area, [period, period.previous()], breakdown
        )
    )
    late = _pick(
        overdue.overdue(conn, level.area, period, breakdown.by, today=today, limit=1), level
    )
    timed = level.place != "counter"
    return (
        _headline(current, late[0].get("overdue", 0), timed),
        _headline(previous, late[1].get("overdue", 0), timed),
    )


def _is_silent(last_sync: str | None, now: datetime, days: int) -> bool:
    return last_sync is None or now - parse_stamp(last_sync) > timedelta(days=days)


def _counters(conn: Connection, level: Level, period: Period) -> list[dict[str, Any]]:
    """The operations figure's rows per counter (each counter's last sync); none through a
    ministry's scope, as the API refuses it there (syncs are not counted per service)."""
    if level.ministry is not None:
        return []
    rows: list[dict[str, Any]] = operations.operations(conn, level.area, period, "counter")["rows"]
    if level.place == "counter":
        return [r for r in rows if r["office"] == level.code and r["counter"] == level.counter]
    return rows


def _trend(
    conn: Connection, level: Level, period: Period
) -> tuple[list[tuple[date, int]], Timeframe]:
    """Requests received per piece of the period: GovStack's `processed` of the statistics
    (sync.server.statistics) for a place; a counter's, which the statistics stop short of, as
    the volume figure counts them by counter."""
    timeframe: Timeframe = (
        "day" if period.days <= DAILY_UP_TO else "month" if period.days <= MONTHLY_UP_TO else "year"
    )
    pieces = buckets(period, timeframe)
    breakdown, key = _own(conn, level)
    sums = sums_of_periods(conn, rollup, ("received",), level.area, pieces, breakdown)
    return [
        (piece.start, found.get(key, {}).get("received", 0))
        for piece, found in zip(pieces, sums, strict=True)
    ], timeframe


def _below(conn: Connection, area: Area, period: Period, by: str) -> dict[Key, dict[str, int]]:
    """The tiles' sums per place `by` below the area, in one query."""
    return sums_of_periods(conn, rollup, TILE, area, [period], Breakdown(conn, by))[0]


def _place_tiles(sums: dict[Key, dict[str, int]], levels: list[Level]) -> list[Tile]:
    """A tile per level below, with its requests received and on-time rate (as the volume and
    timeliness figures give them by that place)."""
    empty = dict.fromkeys(TILE, 0)
    tiles = []
    for below in levels:
        values = sums.get((below.code,), empty)
        tiles.append(
            Tile(
                level=below,
                received=values["received"],
                on_time_rate=ratio(values["on_time"], values["ready"]),
            )
        )
    return tiles


def _tiles(
    conn: Connection,
    level: Level,
    registry: Registry,
    period: Period,
    counters: list[dict[str, Any]],
    now: datetime,
    silent_days: int,
) -> tuple[list[Tile], list[Tile]]:
    places = registry.places
    if level.place == "nation":
        below = [Level("province", code) for code in sorted(places.provinces)]
        return _place_tiles(_below(conn, level.area, period, "province"), below), []
    if level.place == "province":
        districts = sorted(d for d, p in registry.district_province.items() if p == level.code)
        loose = sorted(
            o.code for o in places.offices.values()
            if o.province == level.code and o.district is None
        )  # fmt: skip
        # One read by office serves both: the districts' sums are their offices' added up.
        by_office = _below(conn, level.area, period, "office")
        by_district = Breakdown(conn, "district").fold(by_office.items())
        return (
            _place_tiles(by_district, [Level("district", d) for d in districts]),
            _place_tiles(by_office, [Level("office", o) for o in loose]),
        )
    if level.place == "district":
        offices = sorted(o.code for o in places.offices.values() if o.district == level.code)
        return _place_tiles(
            _below(conn, level.area, period, "office"), [Level("office", o) for o in offices]
        ), []
    if level.place == "office":
        received = _below(conn, level.area, period, "counter")
        return [
            Tile(
                level=Level("counter", r["office"], r["counter"]),
                received=received.get((r["office"], r["counter"]), {}).get("received", 0),
                on_time_rate=None,
                last_sync=r["last_sync"],
                silent=_is_silent(r["last_sync"], now, silent_days),
            )
            for r in counters
        ], []
    return [], []


def read(
    conn: Connection,
    level: Level,
    registry: Registry,
    period: Period,
    now: datetime,
    today: date,
    silent_days: int,
    trend_of: Period | None = None,
) -> Overview:
    """The overview; its trend over `trend_of` when given (the committee's monthly report
    charts the twelve months to its month), else over the period itself."""
    current, previous = _headlines(conn, level, period, today)
    counters = _counters(conn, level, period)
    trend, trend_by = _trend(conn, level, trend_of or period)
    tiles, loose = _tiles(conn, level, registry, period, counters, now, silent_days)
    return Overview(
        level=level,
        period=period,
        headline=current,
        previous=previous,
        silent=Silent(
            counters=len(counters),
            silent=sum(_is_silent(r["last_sync"], now, silent_days) for r in counters),
        ),
        trend=trend,
        trend_by=trend_by,
        tiles=tiles,
        loose_offices=loose,
    )
