"""Roll-up sums of several periods in one query: what sums.rollup_sums gives for each period,
with each roll-up row labelled (a CASE) by the period it sums into and grouped by that label.

A page that shows a period beside the previous one, or a trend cut into months, then scans the
roll-ups once rather than once per period: on a nation's year that is the difference between
one query and a dozen.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from typing import Any

from sqlalchemy import Connection, Table, and_, case, func, or_, select

from sync.server.figures.area import Area, offices_clause, services_clause
from sync.server.figures.breakdown import Breakdown, Key
from sync.server.figures.periods import Period, rollup_clause
from sync.server.figures.sums import MONEY
from sync.server.reports import _sum, _total


def _apart(periods: Sequence[Period]) -> None:
    """A roll-up row may only sum into one period: periods sharing a day would each need it."""
    ordered = sorted(periods, key=lambda p: p.start)
    for before, after in pairwise(ordered):
        if after.start <= before.end:
            raise ValueError(f"periods {before.label} and {after.label} share days")


def sums_of_periods(
    conn: Connection,
    table: Table,
    names: Sequence[str],
    area: Area,
    periods: Sequence[Period],
    breakdown: Breakdown,
) -> list[dict[Key, dict[str, int]]]:
    """For each of `periods` (which must not share a day), in order, what
    rollup_sums(conn, table, names, area, period, breakdown) gives, from one query."""
    _apart(periods)
    if not periods:
        return []
    clauses = [rollup_clause(table, period) for period in periods]
    # Grouped by its name: PostgreSQL would not see two renderings of the CASE, each with its
    # own parameters, as one expression.
    which = case(*((clause, index) for index, clause in enumerate(clauses))).label("which")
    keys = breakdown.columns(table)
    wanted: list[Any] = []
    for name in names:
        wanted.extend(_sum(table.c[name]) if name in MONEY else [func.sum(table.c[name])])
    where = and_(or_(*clauses), offices_clause(area, table.c.office))
    if "service_code" in table.c:
        where = and_(where, services_clause(area, table.c.service_code, conn))
    query = select(which, *keys, *wanted).where(where).group_by(which, *keys)
    grouped: list[list[tuple[Key, dict[str, int]]]] = [[] for _ in periods]
    for row in conn.execute(query):
        raw, sums = tuple(row[1 : 1 + len(keys)]), list(row[1 + len(keys) :])
        if sums and sums[0] is None:  # as rollup_sums: a group of no values
            continue
        out: dict[str, int] = {}
        for name in names:
            if name in MONEY:
                out[name] = _total(sums.pop(0), sums.pop(0))
            else:
                out[name] = int(sums.pop(0) or 0)
        grouped[int(row[0])].append((raw, out))
    return [breakdown.fold(rows) for rows in grouped]
