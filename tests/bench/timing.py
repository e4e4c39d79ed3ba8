"""Timing helpers and the results table the bench prints at the end.

Medians, not means: the machine is shared and noisy, and one stall should not move a figure.
p99 is reported where the issue asks for it (the tail a clerk feels at the counter).
"""

from __future__ import annotations

import cProfile
import io
import pstats
import re
import sqlite3
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from odsc_desk.storage.store import Store


def ms(seconds: float) -> float:
    return seconds * 1000.0


def median_ms(samples: list[float]) -> float:
    return ms(statistics.median(samples))


def p99_ms(samples: list[float]) -> float:
    return ms(statistics.quantiles(samples, n=100, method="inclusive")[98])


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def repeat(action: Callable[[], object], times: int, warmup: int = 3) -> list[float]:
    for _ in range(warmup):
        action()
    return [timed(action) for _ in range(times)]


@dataclass
class Figure:
    name: str
    target: str
    median_ms: float | None = None
    p99_ms: float | None = None
    ratio: float | None = None
    passed: bool | None = None  # None: reported, no target
    note: str = ""

    def verdict(self) -> str:
        return "-" if self.passed is None else "PASS" if self.passed else "FAIL"


RESULTS: list[Figure] = []
NOTES: list[str] = []  # context printed above the table: generation time, sizes


def report(figure: Figure) -> Figure:
    """Keep a figure for the table (before asserting, so failures are tabled too)."""
    RESULTS.append(figure)
    return figure


def _num(value: float | None, fmt: str) -> str:
    return "" if value is None else format(value, fmt)


def table() -> str:
    headers = ("figure", "target", "median", "p99", "ours/bare", "result", "note")
    rows = [
        (
            f.name,
            f.target,
            _num(f.median_ms, ".2f"),
            _num(f.p99_ms, ".2f"),
            _num(f.ratio, ".2f"),
            f.verdict(),
            f.note,
        )
        for f in RESULTS
    ]
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=True)]

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(headers), rule, *(line(r) for r in rows)])


def python_profile(action: Callable[[], object], times: int, top: int = 15) -> str:
    """Where the time of `times` calls goes, by Python function (cumulative)."""
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(times):
        action()
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
    return out.getvalue()


# cProfile shows only "sqlite3 execute" for a slow query; these say which statement, and why.
@dataclass
class _Statement:
    calls: int = 0
    seconds: float = 0.0
    params: Any = field(default=())


class _TimedCursor:
    """A cursor whose fetching time is charged to its statement (store.all fetches after
    execute returns, so timing execute alone would miss most of a big SELECT)."""

    def __init__(self, cursor: sqlite3.Cursor, statement: _Statement) -> None:
        self._cursor = cursor
        self._statement = statement

    @property
    def description(self) -> Any:
        return self._cursor.description

    def _timed(self, fetch: Callable[[], Any]) -> Any:
        started = time.perf_counter()
        try:
            return fetch()
        finally:
            self._statement.seconds += time.perf_counter() - started

    def fetchone(self) -> Any:
        return self._timed(self._cursor.fetchone)

    def fetchall(self) -> list[Any]:
        return self._timed(self._cursor.fetchall)

    def __iter__(self) -> Iterator[Any]:
        while (row := self.fetchone()) is not None:
            yield row


class _TimedConnection:
    """Stands in for Store.conn and times every statement by its SQL text."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self.statements: dict[str, _Statement] = {}

    def execute(self, sql: str, params: Any = ()) -> _TimedCursor:
        statement = self.statements.setdefault(sql, _Statement(params=params))
        started = time.perf_counter()
        cursor = self._conn.execute(sql, params)
        statement.seconds += time.perf_counter() - started
        statement.calls += 1
        return _TimedCursor(cursor, statement)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)


def _plan(conn: sqlite3.Connection, sql: str, params: Any) -> list[str]:
    if not re.match(r"\s*(SELECT|INSERT|UPDATE|DELETE)", sql, re.IGNORECASE):
        return []
    try:
        return [row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}", params)]
    except sqlite3.Error:
        return []


def sql_profile(store: Store, action: Callable[[], object], times: int, top: int = 6) -> str:
    """The statements `times` calls of `action` spend most time in, with their query plans."""
    real = store.conn
    timed = _TimedConnection(real)
    store.conn = timed  # type: ignore[assignment]
    try:
        for _ in range(times):
            action()
    finally:
        store.conn = real
    total = sum(s.seconds for s in timed.statements.values())
    lines = [f"SQL: {total * 1000 / times:.2f} ms per call in {len(timed.statements)} statements"]
    ranked = sorted(timed.statements.items(), key=lambda item: -item[1].seconds)
    for sql, statement in ranked[:top]:
        text = " ".join(sql.split())
        lines.append(
            f"  {statement.seconds * 1000 / times:8.2f} ms/call  x{statement.calls / times:g}"
            f"  {text[:150]}{'...' if len(text) > 150 else ''}"
        )
        lines += [f"{'':22}plan: {step}" for step in _plan(real, sql, statement.params)]
    return "\n".join(lines)
