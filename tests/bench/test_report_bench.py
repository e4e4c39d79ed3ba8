"""The committee's monthly PDF for the nation (issue 14, "Speed": <= 3 s), on PostgreSQL and the
synthetic nation of test_centre_bench (tests/bench/nation.py, ODSC_NATION_REQUESTS its size).

Measured as /report.pdf makes it: the figures gathered (monthly.gather) and drawn (pdf.monthly_pdf),
beside the bare baseline of the same figures gathered without drawing, so the table says what the
PDF itself costs. ODSC_BENCH_REPORT_RUNS (default 7) is the timed reports, after one warm-up
(fonts registered, ReportLab's modules loaded, PostgreSQL's caches warm).
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Connection

from sync.server.db import make_engine
from sync.server.figures import volume
from sync.server.figures.periods import parse_period
from sync.server.report import monthly
from sync.server.report.pdf import monthly_pdf
from sync.server.web.levels import Level, Registry
from tests.bench.nation import LoadedNation, Shape, ensure_nation
from tests.bench.timing import NOTES, Figure, median_ms, report
from tests.receipts.conftest import text_of

RUNS = int(os.environ.get("ODSC_BENCH_REPORT_RUNS", "7"))
MONTH = "2026-11"  # the last whole month of the nation's history
TODAY = date(2026, 12, 1)  # the centre's "today": the day after the history
NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
TARGET_MS = 3000.0


@pytest.fixture(scope="module")
def conn() -> Iterator[Connection]:
    loaded: LoadedNation = ensure_nation(Shape())
    meta = loaded.meta
    NOTES.append(
        f"nation: {meta['requests']:,} requests, {meta['offices']} offices,"
        f" {meta['counters']} counters, cached as PostgreSQL database {loaded.database}"
    )
    engine = make_engine(loaded.url)
    with engine.connect() as connection:
        yield connection
    engine.dispose()


def _timed(action: Callable[[], object]) -> list[float]:
    action()
    samples = []
    for _ in range(RUNS):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    return samples


def test_the_nations_monthly_report(conn: Connection) -> None:
    registry = Registry.read(conn)
    period = parse_period(MONTH)

    def gather() -> monthly.Monthly:
        return monthly.gather(
            conn, Level("nation"), registry, period,
            now=NOW, today=TODAY, silent_days=3, made_by="bench",
        )  # fmt: skip

    ready = gather()
    pdf = monthly_pdf(ready)
    received = volume.volume(conn, Level("nation").area, period)["totals"]["received"]
    assert received > 0 and f"{received:,}" in text_of(pdf)  # the real nation, drawn
    bare = _timed(gather)
    ours = _timed(lambda: monthly_pdf(gather()))
    drawing = _timed(lambda: monthly_pdf(ready))
    result = report(
        Figure(
            f"committee PDF: nation, {MONTH}",
            f"median <= {TARGET_MS:g} ms",
            median_ms(ours),
            ratio=statistics.median(ours) / statistics.median(bare),
            passed=median_ms(ours) <= TARGET_MS,
            note=f"bare (the same figures gathered, not drawn): median {median_ms(bare):.0f} ms;"
            f" drawing alone: median {median_ms(drawing):.0f} ms; slowest {max(ours) * 1000:.0f}"
            f" ms; {len(pdf):,} bytes; {RUNS} runs",
        )
    )
    assert result.passed, result.note
