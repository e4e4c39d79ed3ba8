"""Sums of several periods in one query (sync.server.figures.many) equal the per-period sums
(sums.rollup_sums) on the figures scene, on SQLite and PostgreSQL; and the overview, which
reads through them, scans the roll-ups a fixed few times whatever the number of tiles or
months in its trend."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Connection, event

from odsc_desk.shared.clock import local_date
from sync.server.db import RATINGS, REVENUE, rollup, rollup_clerks
from sync.server.figures.area import Area
from sync.server.figures.breakdown import Breakdown
from sync.server.figures.many import sums_of_periods
from sync.server.figures.periods import Period, parse_period, span
from sync.server.figures.sums import rollup_sums
from sync.server.statistics import Timeframe, buckets
from sync.server.web import overview
from sync.server.web.levels import Level, Registry
from tests.sync.test_figures_scene import AREAS, NOW, centre, desks  # noqa: F401 - fixtures

NAMES = ("received", "ready", "on_time", *REVENUE, *RATINGS)
BY = (None, "service", "ministry", "office", "district", "province", "counter")
PERIODS = ("2026-10", "2026-Q4", "2026-W45", "2026-10-15..2026-11-10", "2026-12-02", "2026")


@pytest.fixture
def conn(centre: Any) -> Iterator[Connection]:  # noqa: F811 - the scene's fixture
    with centre.engine.connect() as connection:
        yield connection


def _one_by_one(
    conn: Connection, table: Any, area: Area, periods: list[Period], by: str | None
) -> list[dict[Any, dict[str, int]]]:
    breakdown = Breakdown(conn, by)
    return [rollup_sums(conn, table, NAMES, area, p, breakdown) for p in periods]


@pytest.mark.parametrize("text", PERIODS)
def test_a_period_and_the_previous_equal_their_sums_one_by_one(conn: Connection, text: str) -> None:
    period = parse_period(text)
    both = [period, period.previous()]
    for area in AREAS:
        for by in BY:
            batched = sums_of_periods(conn, rollup, NAMES, area, both, Breakdown(conn, by))
            assert batched == _one_by_one(conn, rollup, area, both, by), (text, area, by)


def test_the_scene_s_sums_are_not_empty(conn: Connection) -> None:
    """The comparisons above compare figures, not two empty answers."""
    (year,) = sums_of_periods(
        conn, rollup, NAMES, Area("nation"), [parse_period("2026")], Breakdown(conn, "counter")
    )
    assert len(year) == 4
    assert all(v["received"] and v["gross"] and v["feedback"] for v in year.values())


@pytest.mark.parametrize(("text", "timeframe"), [("2026", "month"), ("2026-10", "day")])
def test_a_trend_s_pieces_equal_their_sums_one_by_one(
    conn: Connection, text: str, timeframe: Timeframe
) -> None:
    pieces = buckets(parse_period(text), timeframe)
    for area in AREAS:
        for by in (None, "counter", "province"):
            batched = sums_of_periods(conn, rollup, NAMES, area, pieces, Breakdown(conn, by))
            assert batched == _one_by_one(conn, rollup, area, pieces, by), (text, area, by)


def test_a_clerk_s_sums_equal_their_sums_one_by_one(conn: Connection) -> None:
    period = parse_period("2026-Q4")
    both = [period, period.previous()]
    names = ("received", *REVENUE, *RATINGS)
    area = Area("office", "VTE-SST")
    batched = sums_of_periods(conn, rollup_clerks, names, area, both, Breakdown(conn, "clerk"))
    breakdown = Breakdown(conn, "clerk")
    assert batched[0]
    assert batched == [rollup_sums(conn, rollup_clerks, names, area, p, breakdown) for p in both]


def test_periods_that_share_a_day_are_refused(conn: Connection) -> None:
    october = parse_period("2026-10")
    with pytest.raises(ValueError, match="share days"):
        sums_of_periods(
            conn,
            rollup,
            NAMES,
            Area("nation"),
            [october, span(october.end, october.end)],
            Breakdown(conn, None),
        )


def test_no_periods_ask_nothing(conn: Connection) -> None:
    assert sums_of_periods(conn, rollup, NAMES, Area("nation"), [], Breakdown(conn, None)) == []


@pytest.mark.parametrize(
    ("level", "scans"),
    [
        (Level("nation"), 3),  # the headline's two periods, the trend's months, the tiles
        (Level("province", "LA-VT"), 3),  # districts and loose offices from one read
        (Level("counter", "VTE-SST", 1), 2),  # no tiles below a counter
    ],
)
def test_the_overview_scans_the_roll_ups_a_few_times(
    conn: Connection, level: Level, scans: int
) -> None:
    registry = Registry.read(conn)
    seen: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if "FROM rollup" in statement:
            seen.append(statement)

    event.listen(conn, "before_cursor_execute", note)
    try:
        read = overview.read(
            conn, level, registry, parse_period("2026"), NOW, local_date(NOW), silent_days=3
        )
    finally:
        event.remove(conn, "before_cursor_execute", note)
    assert len(seen) == scans
    assert len(read.trend) == 12 and sum(v for _, v in read.trend) == read.headline.received
