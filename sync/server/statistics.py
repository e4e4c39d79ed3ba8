"""Statistics shaped after GovStack's Registration building block (`GET /data/statistics/1.0`):
how many applications were processed, approved, sent back and rejected, per service
(`registrationName`), per operator and per time frame (day, week, month, year) between two
dates, each with the `references` of what was asked.

Read as the volume figure reads them: from the roll-ups, with the same meanings. processed =
requests received; approved = requests that became ready; sentBack = sent back for missing
documents; rejected = rejected; and, beyond GovStack's four, collected and withdrawn. Per
operator (a counter user, only within one office, as every figure per clerk) they come from the
office's slice of the typed tables instead, since the roll-ups keep per clerk only what was
received: processed = requests the clerk recorded, the others the status changes the clerk made.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any, Literal

from sqlalchemy import Connection, func, select

from sync.server.db import requests, rollup, status_events
from sync.server.figures.area import Area, services_clause
from sync.server.figures.breakdown import Breakdown
from sync.server.figures.errors import FigureRefused, bad_input
from sync.server.figures.periods import Period, dates_clause, span
from sync.server.figures.sums import add_up, rollup_sums

Timeframe = Literal["day", "week", "month", "year"]
TIMEFRAMES: tuple[Timeframe, ...] = ("day", "week", "month", "year")
MAX_BUCKETS = 400  # a leap year of days, with room

# GovStack's names, ours, and the two ODSC adds.
NAMES = {
    "processed": "received",
    "approved": "ready",
    "sentBack": "returned",
    "rejected": "rejected",
    "collected": "collected",
    "withdrawn": "withdrawn",
}
_COUNTS = tuple(NAMES.values())
_EVENTS = {"ready": "ready", "incomplete": "returned", "rejected": "rejected",
           "collected": "collected", "withdrawn": "withdrawn"}  # fmt: skip


def _next_start(day: date, timeframe: Timeframe) -> date:
    if timeframe == "day":
        return day + timedelta(days=1)
    if timeframe == "week":
        return day + timedelta(days=7 - day.weekday())  # the next Monday (ISO weeks)
    if timeframe == "month":
        return date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return date(day.year + 1, 1, 1)


def buckets(period: Period, timeframe: Timeframe | None) -> list[Period]:
    """The period cut at the edges of its days, ISO weeks, months or years; whole when no time
    frame is asked. The first and last pieces may be partial."""
    if timeframe is None:
        return [period]
    out: list[Period] = []
    start = period.start
    while start <= period.end:
        end = min(_next_start(start, timeframe) - timedelta(days=1), period.end)
        out.append(span(start, end))
        if len(out) > MAX_BUCKETS:
            raise bad_input(
                "statistics.timeframe",
                f"more than {MAX_BUCKETS} {timeframe}s: ask a shorter period or a longer"
                " time frame",
            )
        start = end + timedelta(days=1)
    return out


def _from_rollups(
    conn: Connection, area: Area, pieces: Sequence[Period], service: str | None
) -> list[dict[str, int]]:
    breakdown = Breakdown(conn, "service" if service is not None else None)
    key = (service,) if service is not None else ()
    empty = dict.fromkeys(_COUNTS, 0)
    return [
        rollup_sums(conn, rollup, _COUNTS, area, piece, breakdown).get(key, empty)
        for piece in pieces
    ]


def _per_operator(
    conn: Connection,
    area: Area,
    period: Period,
    pieces: Sequence[Period],
    service: str | None,
    operator: str,
) -> list[dict[str, int]]:
    """Counts per piece from the office's typed rows: what the operator recorded, and the
    status changes they made (a request is made ready once, so `ready` counts requests)."""
    by_day: dict[str, dict[str, int]] = {}
    r, s = requests.c, status_events.c

    def of_service(query: Any, column: Any) -> Any:
        query = query.where(services_clause(area, column, conn))
        return query.where(column == service) if service is not None else query

    recorded = of_service(
        select(r.business_date, func.count())
        .where(
            r.office == area.code, r.created_by == operator, dates_clause(r.business_date, period)
        )
        .group_by(r.business_date),
        r.service_code,
    )
    for day, n in conn.execute(recorded):
        by_day.setdefault(day, dict.fromkeys(_COUNTS, 0))["received"] += int(n)
    changed = of_service(
        select(s.business_date, s.status, func.count(func.distinct(s.request_id)))
        .select_from(status_events.join(requests, r.id == s.request_id))
        .where(
            s.office == area.code,
            s.by == operator,
            s.status.in_(_EVENTS),
            s.new_date.is_(None),  # a late request's new date keeps its status: no change
            dates_clause(s.business_date, period),
        )
        .group_by(s.business_date, s.status),
        r.service_code,
    )
    for day, status, n in conn.execute(changed):
        by_day.setdefault(day, dict.fromkeys(_COUNTS, 0))[_EVENTS[status]] += int(n)
    out = []
    for piece in pieces:
        first, last = piece.start.isoformat(), piece.end.isoformat()
        out.append(add_up((v for d, v in by_day.items() if first <= d <= last), _COUNTS))
    return out


def statistics(
    conn: Connection,
    area: Area,
    period: Period,
    timeframe: Timeframe | None = None,
    service: str | None = None,
    operator: str | None = None,
) -> list[dict[str, Any]]:
    """One entry per piece of the period (per `timeframe`), GovStack's shape."""
    if operator is not None and not area.is_office:
        raise FigureRefused(
            403, "figures.clerk_scope", "statistics per operator are only given for one office"
        )
    pieces = buckets(period, timeframe)
    counts = (
        _per_operator(conn, area, period, pieces, service, operator)
        if operator is not None
        else _from_rollups(conn, area, pieces, service)
    )
    return [
        {
            **{theirs: values[ours] for theirs, ours in NAMES.items()},
            "references": {
                "startDate": piece.start.isoformat(),
                "endDate": piece.end.isoformat(),
                "registrationName": service,
                "operator": operator,
                **{f"timeframe{t.capitalize()}": timeframe == t for t in TIMEFRAMES},
                "area": area.to_json(),
            },
        }
        for piece, values in zip(pieces, counts, strict=True)
    ]
