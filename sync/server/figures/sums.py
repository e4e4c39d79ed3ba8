"""Sums over the roll-ups for an area and a period: whole months from month rows, the ragged
edges from day rows (periods.rollup_clause), amounts summed so that no SUM can overflow."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Connection, Table, func, select

from sync.server.figures.area import Area, offices_clause, services_clause
from sync.server.figures.breakdown import Breakdown, Key, side_by_side
from sync.server.figures.figure import Figure, answer
from sync.server.figures.periods import Period, rollup_clause
from sync.server.reports import _sum, _total

# Kip amounts: up to ±2**53 a fact, so their sums take reports._sum's two-part path.
MONEY = frozenset({"gross", "voided", "refunded"})


def rollup_where(conn: Connection, table: Table, area: Area, period: Period) -> ColumnElement[bool]:
    clause = rollup_clause(table, period) & offices_clause(area, table.c.office)
    if "service_code" in table.c:
        clause = clause & services_clause(area, table.c.service_code, conn)
    return clause


def rollup_sums(
    conn: Connection,
    table: Table,
    names: Sequence[str],
    area: Area,
    period: Period,
    breakdown: Breakdown,
    group: Sequence[Any] = (),
) -> dict[Key, dict[str, int]]:
    """Per row key of `breakdown` (and any `group` columns after it), the sums of the columns
    `names` of `table` over the area and period. Keys with no rows are absent."""
    keys = [*breakdown.columns(table), *group]
    wanted: list[Any] = []
    for name in names:
        wanted.extend(_sum(table.c[name]) if name in MONEY else [func.sum(table.c[name])])
    query = select(*keys, *wanted).where(rollup_where(conn, table, area, period))
    if keys:
        query = query.group_by(*keys)
    grouped: list[tuple[Key, dict[str, int]]] = []
    for row in conn.execute(query):
        raw, sums = tuple(row[: len(keys)]), list(row[len(keys) :])
        if sums and sums[0] is None:  # SUM over no rows at all
            continue
        out: dict[str, int] = {}
        for name in names:
            if name in MONEY:
                out[name] = _total(sums.pop(0), sums.pop(0))
            else:
                out[name] = int(sums.pop(0) or 0)
        grouped.append((raw, out))
    if not group:
        return breakdown.fold(grouped)
    # The extra columns stay in the key, after the breakdown's.
    width = len(keys) - len(group)
    return breakdown.fold_with(grouped, width)


def add_up(groups: Iterable[Mapping[str, int]], names: Sequence[str]) -> dict[str, int]:
    out = dict.fromkeys(names, 0)
    for values in groups:
        for name in names:
            out[name] += values[name]
    return out


Derive = Callable[[dict[str, int]], dict[str, Any]]
# The sums of a period per row key of a breakdown, when the caller already holds them.
Sums = Callable[[Period, Breakdown], dict[Key, dict[str, int]]]


def summed(
    conn: Connection,
    figure: Figure,
    table: Table,
    names: Sequence[str],
    area: Area,
    period: Period,
    by: str | None,
    derive: Derive = dict,
    sums: Sums | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A figure made of roll-up sums: per row and in total, this period's and the previous
    one's, each with what `derive` adds (rates, net amounts); `extra` goes into the answer
    as it is. `sums` gives a period's sums instead of a query (see refold)."""
    figure.check(area, by)
    breakdown = Breakdown(conn, by)
    current, previous = (
        sums(when, breakdown)
        if sums is not None
        else rollup_sums(conn, table, names, area, when, breakdown)
        for when in (period, period.previous())
    )
    empty = derive(dict.fromkeys(names, 0))
    return answer(
        figure,
        area,
        period,
        by,
        side_by_side(
            breakdown,
            {key: derive(values) for key, values in current.items()},
            {key: derive(values) for key, values in previous.items()},
            empty,
        ),
        derive(add_up(current.values(), names)),
        derive(add_up(previous.values(), names)),
        **extra,
    )


def refold(
    by_service: dict[Key, dict[str, int]], breakdown: Breakdown, names: Sequence[str]
) -> dict[Key, dict[str, int]]:
    """Sums per service (rollup_sums by "service") as the sums of `breakdown`, which must be by
    service, by ministry or the totals alone: what rollup_sums would give, without a query."""
    if breakdown.by is None:
        return {(): add_up(by_service.values(), names)} if by_service else {}
    if breakdown.by not in ("service", "ministry"):
        raise ValueError(f"sums per service cannot give sums by {breakdown.by}")
    return breakdown.fold(by_service.items())
