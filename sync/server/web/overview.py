"""What the overview shows for one level and period, read through the figures' own functions
(sync.server.figures, as /api/v1 reads them): never a query of its own, so a page and the API
cannot disagree.

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
from sync.server.figures import operations, overdue, revenue, satisfaction, timeliness, volume
from sync.server.figures.area import Area
from sync.server.figures.periods import Period
from sync.server.statistics import Timeframe, buckets, statistics
from sync.server.web.levels import Level, Registry

# A period up to DAILY_UP_TO days is charted per day, up to MONTHLY_UP_TO per month, a longer
# one per year: a chart of more bars than that is read as a smear.
DAILY_UP_TO = 62
MONTHLY_UP_TO = 3 * 366


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


def _headlines(
    conn: Connection, level: Level, period: Period, today: date
) -> tuple[Headline, Headline]:
    area, by = level.area, "counter" if level.place == "counter" else None
    figures = {
        "volume": volume.volume(conn, area, period, by),
        "revenue": revenue.revenue(conn, area, period, by),
        "satisfaction": satisfaction.satisfaction(conn, area, period, by),
        "overdue": overdue.overdue(conn, area, period, by, today=today, limit=1),
    }
    if by is None:
        figures["timeliness"] = timeliness.timeliness(conn, area, period)
    out = []
    for side in (0, 1):
        picked = {name: _pick(answer, level)[side] for name, answer in figures.items()}
        times = picked.get("timeliness")
        out.append(
            Headline(
                received=picked["volume"].get("received", 0),
                ready=None if times is None else times["ready"],
                on_time=None if times is None else times["on_time"],
                on_time_rate=None if times is None else times["on_time_rate"],
                overdue=picked["overdue"].get("overdue", 0),
                net=picked["revenue"].get("net", 0),
                feedback=picked["satisfaction"].get("feedback", 0),
                mean_rating=picked["satisfaction"].get("mean_rating"),
                response_rate=picked["satisfaction"].get("response_rate"),
            )
        )
    return out[0], out[1]


def _is_silent(last_sync: str | None, now: datetime, days: int) -> bool:
    return last_sync is None or now - parse_stamp(last_sync) > timedelta(days=days)


def _counters(conn: Connection, level: Level, period: Period) -> list[dict[str, Any]]:
    """The operations figure's rows per counter (each counter's last sync)."""
    rows: list[dict[str, Any]] = operations.operations(conn, level.area, period, "counter")["rows"]
    if level.place == "counter":
        return [r for r in rows if r["office"] == level.code and r["counter"] == level.counter]
    return rows


def _trend(
    conn: Connection, level: Level, period: Period
) -> tuple[list[tuple[date, int]], Timeframe]:
    timeframe: Timeframe = (
        "day" if period.days <= DAILY_UP_TO else "month" if period.days <= MONTHLY_UP_TO else "year"
    )
    if level.place != "counter":
        return [
            (date.fromisoformat(piece["references"]["startDate"]), piece["processed"])
            for piece in statistics(conn, level.area, period, timeframe)
        ], timeframe
    # GovStack's statistics stop at an office: a counter's trend is the volume figure, by
    # counter, for each piece of the period.
    return [
        (
            piece.start,
            _pick(volume.volume(conn, level.area, piece, "counter"), level)[0].get("received", 0),
        )
        for piece in buckets(period, timeframe)
    ], timeframe


def _place_tiles(
    conn: Connection, area: Area, period: Period, by: str, levels: list[Level]
) -> list[Tile]:
    """A tile per level below, with its on-time rate and requests received (by `by`)."""
    times = {r[by]: r for r in timeliness.timeliness(conn, area, period, by)["rows"]}
    counts = {r[by]: r for r in volume.volume(conn, area, period, by)["rows"]}
    return [
        Tile(
            level=below,
            received=counts.get(below.code, {}).get("received", 0),
            on_time_rate=times.get(below.code, {}).get("on_time_rate"),
        )
        for below in levels
    ]


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
        return _place_tiles(conn, level.area, period, "province", below), []
    if level.place == "province":
        districts = sorted(d for d, p in registry.district_province.items() if p == level.code)
        loose = sorted(
            o.code for o in places.offices.values()
            if o.province == level.code and o.district is None
        )  # fmt: skip
        return (
            _place_tiles(
                conn, level.area, period, "district", [Level("district", d) for d in districts]
            ),
            _place_tiles(conn, level.area, period, "office", [Level("office", o) for o in loose]),
        )
    if level.place == "district":
        offices = sorted(o.code for o in places.offices.values() if o.district == level.code)
        return _place_tiles(
            conn, level.area, period, "office", [Level("office", o) for o in offices]
        ), []
    if level.place == "office":
        received = {
            (r["office"], r["counter"]): r.get("received", 0)
            for r in volume.volume(conn, level.area, period, "counter")["rows"]
        }
        return [
            Tile(
                level=Level("counter", r["office"], r["counter"]),
                received=received.get((r["office"], r["counter"]), 0),
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
) -> Overview:
    current, previous = _headlines(conn, level, period, today)
    counters = _counters(conn, level, period)
    trend, trend_by = _trend(conn, level, period)
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
