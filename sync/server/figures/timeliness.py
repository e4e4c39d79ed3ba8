"""Timeliness: how many working days requests took from received to ready (median and 90th
percentile), how many were ready on or before the date promised, and how many were sent back
for missing documents. Counted on the day a request first became ready."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from sync.server.db import rollup, rollup_durations
from sync.server.figures.area import Area
from sync.server.figures.breakdown import Breakdown, Key, side_by_side
from sync.server.figures.figure import Figure, answer
from sync.server.figures.percentiles import MEDIAN, P90, percentile
from sync.server.figures.periods import Period
from sync.server.figures.rates import ratio
from sync.server.figures.sums import add_up, rollup_sums

COUNTS = ("ready", "on_time", "returned")
Histogram = dict[int, int]


def _derive(values: dict[str, int], histogram: Histogram) -> dict[str, Any]:
    return {
        **values,
        "on_time_rate": ratio(values["on_time"], values["ready"]),
        "measured": sum(histogram.values()),
        "median_days": percentile(histogram, MEDIAN),
        "p90_days": percentile(histogram, P90),
    }


def _read(
    conn: Connection, area: Area, period: Period, breakdown: Breakdown
) -> tuple[dict[Key, dict[str, int]], dict[Key, Histogram]]:
    counts = rollup_sums(conn, rollup, COUNTS, area, period, breakdown)
    histograms: dict[Key, Histogram] = {}
    per_day = rollup_sums(
        conn,
        rollup_durations,
        ("requests",),
        area,
        period,
        breakdown,
        group=[rollup_durations.c.days],
    )
    for key, values in per_day.items():
        *row, days = key
        into = histograms.setdefault(tuple(row), {})
        into[int(days)] = into.get(int(days), 0) + values["requests"]
    return counts, histograms


def _merged(histograms: dict[Key, Histogram]) -> Histogram:
    out: Histogram = {}
    for histogram in histograms.values():
        for days, n in histogram.items():
            out[days] = out.get(days, 0) + n
    return out


def timeliness(
    conn: Connection, area: Area, period: Period, by: str | None = None
) -> dict[str, Any]:
    FIGURE.check(area, by)
    breakdown = Breakdown(conn, by)
    empty = dict.fromkeys(COUNTS, 0)
    sides = []
    for when in (period, period.previous()):
        counts, histograms = _read(conn, area, when, breakdown)
        rows = {
            key: _derive(counts.get(key, empty), histograms.get(key, {}))
            for key in set(counts) | set(histograms)
        }
        total = _derive(add_up(counts.values(), COUNTS), _merged(histograms))
        sides.append((rows, total))
    (current, total), (previous, previous_total) = sides
    return answer(
        FIGURE,
        area,
        period,
        by,
        side_by_side(breakdown, current, previous, _derive(empty, {})),
        total,
        previous_total,
    )


FIGURE = Figure(
    name="timeliness",
    function=timeliness,
    summary="working days from received to ready (median, 90th percentile), on-time rate, "
    "returned for missing documents",
    by=("service", "ministry", "office", "district", "province"),
)
