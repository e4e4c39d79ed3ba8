"""The roll-ups, kept current in the push's own transaction.

Each stored fact contributes counts to the day and the month it counts on (sync/server/db.py
says which day for each kind). A push's contributions are added up here first, then written with
one upsert per table (`col = col + excluded.col`), so a push of a thousand visits touches each
roll-up row once. Rows are written in key order: two pushes that share rows (the counters of one
office share `rollup_durations`) take their locks in the same order and cannot deadlock.

Only ops stored by this push contribute: a duplicate or a conflict never reaches here, so
resending a batch, or splitting it into many pushes, adds the same totals.

Maintained in the transaction rather than refreshed later: a figure is then exactly the facts
the centre holds at that moment, with nothing to schedule or to fall behind, and the cost is a
few upserts per push (the issue's ingest benchmark measures it).

An amount column stops at the largest 64-bit integer (9.2×10**18 kip) rather than fail the push:
only facts each within the bounds yet absurd together reach it (9,300 payments of the largest
amount a counter can record, in one counter's day), and the typed tables keep them exact.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import BigInteger, Column, ColumnElement, Numeric, Table, cast, func

from sync.server.db import (
    ONLINE,
    Write,
    insert_statement,
    kept,
    rollup,
    rollup_clerks,
    rollup_durations,
)

# The counts a clerk's row holds: what they took in (received), and the revenue and ratings of
# the requests and payments they took.
_CLERK_COUNTS = frozenset(c.name for c in rollup_clerks.columns if not c.primary_key)


# Kip amounts: up to 2**53 a fact, so a sum of them can pass 64 bits (see the docstring).
_MONEY = frozenset({"gross", "voided", "refunded"})
_LARGEST = 2**63 - 1

# A roll-up row's key, in its table's primary-key order: text and whole numbers.
_Key = tuple[Any, ...]


class Contribution(NamedTuple):
    """What one fact adds to the roll-ups. A tuple: a push makes one for most of its ops."""

    day: str  # YYYY-MM-DD: the date it counts on
    office: str
    counter: int
    service_code: str | None  # None: the centre does not hold the request it belongs to
    counts: Mapping[str, int]  # `rollup` columns
    clerk: str | None = None  # the clerk whose row in `rollup_clerks` it adds to
    days: int | None = None  # a request that became ready after this many working days


def writes(contributions: Iterable[Contribution]) -> list[Write]:
    """The upserts that add the contributions to both grains of every roll-up they touch (run
    them with db.write_all)."""
    # Added up by day first, then each day's sums into the day's and the month's rows.
    totals: dict[_Key, dict[str, int]] = {}
    clerks: dict[_Key, dict[str, int]] = {}
    durations: dict[_Key, dict[str, int]] = {}
    online = False  # only a rating given online counts in the ONLINE columns
    for c in contributions:
        online = online or any(name in ONLINE for name in c.counts)
        service = c.service_code or ""
        _add(totals, (c.day, c.office, c.counter, service), c.counts)
        if c.clerk is not None:
            clerk_counts = {k: v for k, v in c.counts.items() if k in _CLERK_COUNTS}
            if clerk_counts:
                _add(clerks, (c.day, c.office, c.counter, c.clerk), clerk_counts)
        if c.days is not None:
            _add(durations, (c.day, c.office, service, c.days), {"requests": 1})
    return [
        _upsert(rollup, _both_grains(totals), online),
        _upsert(rollup_durations, _both_grains(durations), online),
        _upsert(rollup_clerks, _both_grains(clerks), online),
    ]


def _add(sums: dict[_Key, dict[str, int]], key: _Key, counts: Mapping[str, int]) -> None:
    row = sums.setdefault(key, {})
    for name, value in counts.items():
        row[name] = row.get(name, 0) + value


def _both_grains(by_day: dict[_Key, dict[str, int]]) -> dict[_Key, dict[str, int]]:
    """(day, *rest) sums as ("D", day, *rest) and ("M", month, *rest) rows."""
    out: dict[_Key, dict[str, int]] = {}
    for (day, *rest), counts in by_day.items():
        out[("D", day, *rest)] = counts
        _add(out, ("M", day[:7], *rest), counts)
    return out


def _upsert(table: Table, rows: dict[_Key, dict[str, int]], online: bool) -> Write:
    """One statement for all of a table's rows: inserted, or added to the row already there."""
    key, counted = _columns(table, online)
    # Every row carries every count, 0 for those it does not add to: one statement a table.
    # Naming only the counts a push adds to made a new statement for most pushes, each built
    # and compiled anew (66 of 277 in a run of the ingest bench's pushes).
    zeros = dict.fromkeys(counted, 0)
    values = []
    for k in sorted(rows):
        row = dict(zip(key, k, strict=True))
        row.update(zeros)
        row.update(rows[k])  # a contribution names only counts of the tables it adds to
        values.append(row)
    return Write(_upsert_statement, (table, online), table, values)


@cache
def _columns(table: Table, online: bool) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A roll-up table's key and its counts; the ONLINE ones only for a rating given online
    (and so never when migration 0005 replays the ops a centre held, before 0009 added them)."""
    key = tuple(c.name for c in table.primary_key.columns)
    counts = (c.name for c in table.columns if not c.primary_key)
    return key, tuple(name for name in counts if online or name not in ONLINE)


@kept
def _upsert_statement(dialect: str, table: Table, online: bool, slot: str = "rows") -> Any:
    key, counted = _columns(table, online)
    statement = insert_statement(dialect, table, key + counted, slot)
    return statement.on_conflict_do_update(
        index_elements=list(key),
        set_={name: _added(dialect, table.c[name], statement.excluded[name]) for name in counted},
    )


def _added(dialect: str, held: Column[Any], more: ColumnElement[Any]) -> ColumnElement[Any]:
    """`held + more`; for an amount, no more than _LARGEST. A push adds at most protocol.MAX_OPS
    amounts, so `more` alone always fits."""
    if held.name not in _MONEY:
        return held + more
    if dialect == "postgresql":  # bigint + bigint would fail past 64 bits
        return cast(func.least(cast(held, Numeric) + more, _LARGEST), BigInteger)
    return func.min(held + more, _LARGEST)  # SQLite turns an overflowing sum into a REAL
