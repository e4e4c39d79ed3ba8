"""Cash: the cash sessions closed (on their session's business date), how many drawers were
counted off what the ledger expected, by how much in all and at most, and who approved them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, case, func, select

from sync.server.db import cash_closes
from sync.server.figures.area import Area, offices_clause
from sync.server.figures.breakdown import Breakdown, Key, side_by_side
from sync.server.figures.figure import Figure, answer
from sync.server.figures.periods import Period, dates_clause
from sync.server.reports import _sum, _total

_EMPTY: dict[str, Any] = {
    "closed": 0,
    "differences": 0,
    "difference_sum": 0,
    "largest_difference": None,
    "approved": 0,
}


def _merge(into: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    largest = [
        v for v in (into["largest_difference"], values["largest_difference"]) if v is not None
    ]
    return {
        "closed": into["closed"] + values["closed"],
        "differences": into["differences"] + values["differences"],
        "difference_sum": into["difference_sum"] + values["difference_sum"],
        # the difference furthest from zero, with its sign: a shortfall (negative) over an
        # excess of the same size
        "largest_difference": max(largest, key=lambda v: (abs(v), -v)) if largest else None,
        "approved": into["approved"] + values["approved"],
    }


def _read(
    conn: Connection, area: Area, period: Period, breakdown: Breakdown
) -> dict[Key, dict[str, Any]]:
    c = cash_closes.c
    keys = breakdown.columns(cash_closes)
    off = c.difference != 0
    query = select(
        *keys,
        func.count(),
        func.count(case((off, 1))),
        *_sum(c.difference),
        func.max(c.difference),
        func.min(c.difference),
        func.count(c.approved_by),
    ).where(offices_clause(area, c.office), dates_clause(c.business_date, period))
    if keys:
        query = query.group_by(*keys)
    out: dict[Key, dict[str, Any]] = {}
    for row in conn.execute(query):
        raw = tuple(row[: len(keys)])
        closed, differences, high, low, most, least, approved = row[len(keys) :]
        if not closed:
            continue
        most, least = int(most), int(least)
        key = breakdown.key(raw)
        out[key] = _merge(
            out.get(key, _EMPTY),
            {
                "closed": int(closed),
                "differences": int(differences),
                "difference_sum": _total(high, low),
                "largest_difference": most if most > -least else least,
                "approved": int(approved),
            },
        )
    return out


def _approvers(conn: Connection, area: Area, period: Period) -> list[dict[str, Any]]:
    """Per approver (a counter user): the closes approved, and how many of them were off."""
    c = cash_closes.c
    rows = conn.execute(
        select(c.approved_by, func.count(), func.count(case((c.difference != 0, 1))))
        .where(
            offices_clause(area, c.office),
            dates_clause(c.business_date, period),
            c.approved_by.is_not(None),
        )
        .group_by(c.approved_by)
        .order_by(c.approved_by)
    )
    return [{"approved_by": r[0], "closed": int(r[1]), "differences": int(r[2])} for r in rows]


def cash(conn: Connection, area: Area, period: Period, by: str | None = None) -> dict[str, Any]:
    FIGURE.check(area, by)
    breakdown = Breakdown(conn, by)
    current, previous = (_read(conn, area, when, breakdown) for when in (period, period.previous()))

    def total(values: dict[Key, dict[str, Any]]) -> dict[str, Any]:
        out = _EMPTY
        for v in values.values():
            out = _merge(out, v)
        return out

    # Who approved is a figure per person: only for one office, as the clerks' figures are.
    approvers = (
        {
            "approvers": _approvers(conn, area, period),
            "previous_approvers": _approvers(conn, area, period.previous()),
        }
        if area.is_office
        else {}
    )
    return answer(
        FIGURE,
        area,
        period,
        by,
        side_by_side(breakdown, current, previous, _EMPTY),
        total(current),
        total(previous),
        **approvers,
    )


FIGURE = Figure(
    name="cash",
    function=cash,
    summary="cash sessions closed, drawers off (count, sum, largest) and who approved",
    by=("office", "district", "province", "counter"),
    per_service=False,
)
