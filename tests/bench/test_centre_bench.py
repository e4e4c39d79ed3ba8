"""The centre's benchmark (issue 13, "Speed and scale"), on PostgreSQL and a synthetic nation
(tests/bench/nation.py, loaded once and cached as a database of its own):

- every figure of sync.server.figures.FIGURES for the whole nation over a year (p95 <= 300 ms)
  and for one office's month (p95 <= 50 ms), and the overdue list's first page (<= 100 ms),
  each beside the same figure computed by plain SQL on the typed tables, without the roll-ups
  (the raw queries below; their answers are checked equal to the figure's before timing);
- ingest: 50 devices pushing 100-op batches at once through `odsc-server serve` (uvicorn on
  loopback, its own process), the typed tables and roll-ups kept current, beside the same rows
  inserted by plain psycopg (one transaction per 100-op batch, 50 client threads), rounds
  alternating in one run: >= 0.5x the bare rate, p99 push latency <= 3 s, with `serve
  --workers` one per CPU (ODSC_BENCH_WORKERS). The same server in one process, and in one
  process with its roll-up upserts switched off, each in a run of its own beside bare inserts,
  say what the workers bring and what the roll-ups cost; and the workers again, each push
  with the head its device signs over its ops (docs/OFFICE_SHARING.md, D9), what the heads
  cost;
- the database's size per request: ops, typed tables, roll-ups, their indexes.

ODSC_NATION_REQUESTS sets the nation's size (default 10,000,000: a load of about an hour on two
cores, then cached; 500,000 took 5 minutes); 50000 is plenty to work on the bench itself.
ODSC_NATION_WORKERS (default: the CPUs) sets the processes that load it. ODSC_BENCH_FIGURE_RUNS
(default 30) is the timed calls per figure; ODSC_BENCH_RAW_SECONDS (default 60) bounds the time
the raw queries of one figure may take in all (at least 3 runs).
"""

from __future__ import annotations

import gzip
import itertools
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest
import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from psycopg import sql
from sqlalchemy import Connection, text
from sqlalchemy.engine import make_url

from odsc_desk.shared import ops_set
from odsc_desk.shared.clock import stamp as clock_stamp
from odsc_desk.shared.clock import system_clock
from odsc_desk.shared.ops_set import Head, OpsSet
from sync import protocol
from sync.protocol import Op
from sync.server.db import make_engine, metadata, open_db
from sync.server.figures.area import Area
from sync.server.figures.periods import Period, parse_period
from sync.server.figures.registry import FIGURES
from tests.bench.nation import (
    OPS_COLUMNS,
    TYPED_COLUMNS,
    CounterPlan,
    FeeBook,
    LoadedNation,
    Nation,
    OfficeProjector,
    Shape,
    dsn,
    ensure_nation,
    fee_book,
    publish_catalogs,
)
from tests.bench.sync_rig import centre, enroll_device, pg_database
from tests.bench.timing import NOTES, Figure, median_ms, p99_ms, report
from tests.sync.conftest import ServerProcess, free_port, wait_until_ready

RUNS = int(os.environ.get("ODSC_BENCH_FIGURE_RUNS", "30"))
RAW_SECONDS = float(os.environ.get("ODSC_BENCH_RAW_SECONDS", "60"))
RAW_MIN_RUNS = 3
YEAR = "2025"  # a whole year inside the history
MONTH = "2026-10"
TODAY = date(2026, 12, 1)  # the centre's "today": the day after the history
NATION_MS, OFFICE_MS, OVERDUE_PAGE_MS = 300.0, 50.0, 100.0

SIDE_BY_SIDE: list[tuple[str, list[float], list[float]]] = []


def p95_ms(samples: list[float]) -> float:
    if len(samples) < 2:
        return samples[0] * 1000
    return statistics.quantiles(samples, n=20, method="inclusive")[18] * 1000


def _say(line: str) -> None:
    print(f"[nation] {line}", file=sys.stderr, flush=True)


@pytest.fixture(scope="module")
def loaded() -> LoadedNation:
    got = ensure_nation(Shape(), progress=_say)
    meta = got.meta
    ops = f"{meta['ops']:,} ops" if meta.get("raw_ops", True) else "raw ops left out"
    NOTES.append(
        f"nation: {meta['requests']:,} requests, {ops}, {meta['offices']} offices,"
        f" {meta['counters']} counters, {meta['first']}..{meta['last']};"
        f" loaded in {meta['seconds']['total']:,.0f} s ({meta['seconds']}), cached as"
        f" PostgreSQL database {got.database}"
    )
    return got


@pytest.fixture(scope="module")
def conn(loaded: LoadedNation) -> Iterator[Connection]:
    engine = make_engine(loaded.url)
    with engine.connect() as connection:
        yield connection
    engine.dispose()
    if SIDE_BY_SIDE:
        NOTES.append(_side_by_side_table())


def _side_by_side_table() -> str:
    rows = [
        ("measured", "ours median", "ours p95", "raw median", "raw p95", "raw runs", "raw/ours")
    ]
    for name, ours, raw in SIDE_BY_SIDE:
        rows.append(
            (
                name,
                f"{median_ms(ours):.1f}",
                f"{p95_ms(ours):.1f}",
                f"{median_ms(raw):.1f}",
                f"{p95_ms(raw):.1f}",
                str(len(raw)),
                f"{statistics.median(raw) / statistics.median(ours):.1f}x",
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "figures beside the same on the raw typed tables (ms):\n" + "\n".join(lines)


def _timed(action: Callable[[], object], runs: int, budget: float | None = None) -> list[float]:
    """`runs` timings after one warm-up call; with a budget, fewer once it is spent (never fewer
    than RAW_MIN_RUNS)."""
    action()
    samples: list[float] = []
    spent = 0.0
    while len(samples) < runs:
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
        spent += samples[-1]
        if budget is not None and spent > budget and len(samples) >= RAW_MIN_RUNS:
            break
    return samples


# -- the same figures, by plain SQL on the typed tables ------------------------------------------
def _area(area: Area) -> tuple[str, dict[str, Any]]:
    if area.place == "nation":
        return "TRUE", {}
    if area.place == "office":
        return "office = :code", {"code": area.code}
    column = "province" if area.place == "province" else "district"
    return f"office IN (SELECT code FROM offices WHERE {column} = :code)", {"code": area.code}


def _one(conn: Connection, sql: str, area: Area, period: Period, **more: Any) -> dict[str, Any]:
    where, params = _area(area)
    row = conn.execute(
        text(sql.format(area=where)),
        {"start": period.start.isoformat(), "end": period.end.isoformat(), **params, **more},
    ).one()
    return dict(row._mapping)


def raw_volume(conn: Connection, area: Area, period: Period) -> dict[str, Any]:
    return _one(
        conn,
        "SELECT (SELECT COUNT(*) FROM requests WHERE business_date BETWEEN :start AND :end"
        "        AND {area}) AS received,"
        " (SELECT COUNT(*) FROM requests WHERE ready_on BETWEEN :start AND :end AND {area})"
        "  AS ready,"
        " COUNT(*) FILTER (WHERE status = 'collected') AS collected,"
        " COUNT(*) FILTER (WHERE status = 'rejected') AS rejected,"
        " COUNT(*) FILTER (WHERE status = 'withdrawn') AS withdrawn,"
        " COUNT(*) FILTER (WHERE status = 'incomplete') AS returned"
        " FROM status_events WHERE business_date BETWEEN :start AND :end AND {area}",
        area,
        period,
    )


def raw_timeliness(conn: Connection, area: Area, period: Period) -> dict[str, Any]:
    return _one(
        conn,
        "SELECT COUNT(*) AS ready, COUNT(*) FILTER (WHERE ready_on <= promised_date) AS on_time,"
        " percentile_cont(0.5) WITHIN GROUP (ORDER BY working_days) AS median_days,"
        " percentile_cont(0.9) WITHIN GROUP (ORDER BY working_days) AS p90_days,"
        " (SELECT COUNT(*) FROM status_events WHERE status = 'incomplete'"
        "  AND business_date BETWEEN :start AND :end AND {area}) AS returned"
        " FROM requests WHERE ready_on BETWEEN :start AND :end AND {area}",
        area,
        period,
    )


_OPEN = "status IN ('received', 'incomplete', 'in_process')"


def raw_overdue(conn: Connection, area: Area, period: Period) -> dict[str, Any]:
    last = min(period.end, TODAY - timedelta(days=1))
    where, params = _area(area)
    bounds = {"start": period.start.isoformat(), "last": last.isoformat(), **params}
    count = conn.execute(
        text(
            f"SELECT COUNT(*) FROM requests WHERE {_OPEN}"
            f" AND promised_date BETWEEN :start AND :last AND {where}"
        ),
        bounds,
    ).scalar_one()
    page = conn.execute(
        text(
            f"SELECT tracking FROM requests WHERE {_OPEN}"
            f" AND promised_date BETWEEN :start AND :last AND {where}"
            ' ORDER BY promised_date, id COLLATE "C" LIMIT 51'
        ),
        bounds,
    ).scalars()
    return {"overdue": count, "page": list(page)[:50]}


def raw_revenue(conn: Connection, area: Area, period: Period) -> dict[str, Any]:
    def part(table: str, count: str, amount: str) -> str:
        return (
            f"(SELECT COUNT(*) AS {count}, COALESCE(SUM(amount), 0) AS {amount} FROM {table}"
            " WHERE business_date BETWEEN :start AND :end AND {area})"
        )

    return _one(
        conn,
        "SELECT * FROM "
        + ", ".join(
            f"{part(t, c, a)} AS {t}"
            for t, c, a in (
                ("payments", "payments", "gross"),
                ("voids", "voids", "voided"),
                ("refunds", "refunds", "refunded"),
            )
        ),
        area,
        period,
    )


def raw_fees(conn: Connection, area: Area, period: Period) -> dict[str, Any]:
    where, params = _area(area)
    bounds = {"start": period.start.isoformat(), "end": period.end.isoformat(), **params}
    out: dict[str, Any] = {f"fee_{c}": 0 for c in ("catalog", "off_catalog", "old_version")}
    out["fee_unknown"] = 0
    for check, _service, n in conn.execute(
        text(
            "SELECT fee_check, service_code, COUNT(*) FROM requests"
            f" WHERE business_date BETWEEN :start AND :end AND {where}"
            " GROUP BY fee_check, service_code"
        ),
        bounds,
    ):
        out[f"fee_{check}"] += n
    versions = conn.execute(
        text(
            "SELECT DISTINCT ON (device_id) device_id, catalog_version FROM requests"
            f" WHERE business_date <= :end AND {where}"
            " ORDER BY device_id, business_date DESC, created_at DESC"
        ),
        bounds,
    )
    out["versions"] = {device: version for device, version in versions}
    return out


def raw_cash(conn: Connection, area: Area, period: Period) -> dict[str, Any]:
    return _one(
        conn,
        "SELECT COUNT(*) AS closed, COUNT(*) FILTER (WHERE difference <> 0) AS differences,"
        " COALESCE(SUM(difference), 0) AS difference_sum, COUNT(approved_by) AS approved"
        " FROM cash_closes WHERE business_date BETWEEN :start AND :end AND {area}",
        area,
        period,
    )


def raw_satisfaction(conn: Connection, area: Area, period: Period) -> dict[str, Any]:
    ratings = ", ".join(f"COUNT(*) FILTER (WHERE rating = {n}) AS rating_{n}" for n in range(1, 6))
    return _one(
        conn,
        "SELECT (SELECT COUNT(*) FROM requests WHERE business_date BETWEEN :start AND :end"
        "        AND {area}) AS received,"
        f" COUNT(*) AS feedback, COALESCE(SUM(rating), 0) AS rating_sum, {ratings}"
        " FROM feedback WHERE business_date BETWEEN :start AND :end AND {area}",
        area,
        period,
    )


def raw_operations(conn: Connection, area: Area, period: Period) -> dict[str, Any]:
    where, params = _area(area)
    counters = conn.execute(
        text(f"SELECT COUNT(*) FROM devices WHERE revoked_at IS NULL AND {where}"), params
    ).scalar_one()
    conn.execute(text("SELECT device_id, COUNT(*) FROM refused_ops GROUP BY device_id")).all()
    return {"counters": counters}


RAW: dict[str, Callable[[Connection, Area, Period], dict[str, Any]]] = {
    "volume": raw_volume,
    "timeliness": raw_timeliness,
    "overdue": raw_overdue,
    "revenue": raw_revenue,
    "fees": raw_fees,
    "cash": raw_cash,
    "satisfaction": raw_satisfaction,
    "operations": raw_operations,
}
# The raw queries that answer for the previous period too, as every figure does.
_CURRENT_ONLY = ("operations",)


def raw(name: str, conn: Connection, area: Area, period: Period) -> dict[str, Any]:
    answer = RAW[name](conn, area, period)
    if name not in _CURRENT_ONLY:
        previous = RAW[name](conn, area, period.previous())
        answer["previous"] = previous
    return answer


def figure(name: str, conn: Connection, area: Area, period: Period) -> dict[str, Any]:
    extra: dict[str, Any] = {"today": TODAY} if name == "overdue" else {}
    answer: dict[str, Any] = FIGURES[name].function(conn, area, period, None, **extra)
    return answer


def _same(name: str, answer: dict[str, Any], plain: dict[str, Any]) -> None:
    """The figure and the raw query agree on what both compute."""

    def agree(totals: dict[str, Any], counted: dict[str, Any], where: str) -> None:
        for key, value in counted.items():
            if key in ("previous", "page", "versions"):
                continue
            mine = totals[key]
            if isinstance(value, float) or isinstance(mine, float):
                assert mine is not None and abs(mine - value) < 1e-9, (name, where, key)
            else:
                assert mine == value, (name, where, key, mine, value)

    agree(answer["totals"], plain, "period")
    if "previous" in plain:
        agree(answer["totals"]["previous"], plain["previous"], "previous")
    if name == "overdue":
        assert [i["tracking"] for i in answer["overdue"]["items"]] == plain["page"]
    if name == "fees":
        running = {c["device_id"]: c["catalog_version"] for c in answer["versions"]["counters"]}
        assert {d: v for d, v in running.items() if v is not None} == plain["versions"]


# -- the figures -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Scope:
    label: str
    area: Area
    period: Period
    target_ms: float


def _busiest_office(conn: Connection) -> str:
    office: str = conn.execute(
        text(
            "SELECT office FROM rollup WHERE grain = 'M' AND period = :month"
            " GROUP BY office ORDER BY SUM(received) DESC, office LIMIT 1"
        ),
        {"month": MONTH},
    ).scalar_one()
    return office


def _scope(conn: Connection, which: str) -> Scope:
    if which == "nation-year":
        return Scope(f"nation, {YEAR}", Area("nation"), parse_period(YEAR), NATION_MS)
    office = _busiest_office(conn)
    return Scope(
        f"office {office}, {MONTH}", Area("office", office), parse_period(MONTH), OFFICE_MS
    )


def _measure(
    name: str, label: str, target_ms: float, ours: list[float], plain: list[float]
) -> Figure:
    SIDE_BY_SIDE.append((label, ours, plain))
    p95 = p95_ms(ours)
    return report(
        Figure(
            label,
            f"p95 <= {target_ms:g} ms",
            median_ms(ours),
            ratio=statistics.median(ours) / statistics.median(plain),
            passed=p95 <= target_ms,
            note=f"p95 {p95:.1f} ms; raw tables: median {median_ms(plain):.1f} ms,"
            f" p95 {p95_ms(plain):.1f} ms ({len(plain)} runs)",
        )
    )


@pytest.mark.parametrize("which", ["nation-year", "office-month"])
@pytest.mark.parametrize("name", list(FIGURES))
def test_figure_beside_the_raw_tables(conn: Connection, name: str, which: str) -> None:
    scope = _scope(conn, which)
    _same(
        name,
        figure(name, conn, scope.area, scope.period),
        raw(name, conn, scope.area, scope.period),
    )
    ours = _timed(lambda: figure(name, conn, scope.area, scope.period), RUNS)
    plain = _timed(lambda: raw(name, conn, scope.area, scope.period), RUNS, RAW_SECONDS)
    result = _measure(name, f"figure {name}: {scope.label}", scope.target_ms, ours, plain)
    assert result.passed, result.note


def test_the_overdue_lists_first_page(conn: Connection, loaded: LoadedNation) -> None:
    """The nation's oldest overdue requests, over the whole history: one page of 50."""
    shape = loaded.nation.shape
    period = parse_period(f"{shape.first.isoformat()}..{shape.last.isoformat()}")
    area = Area("nation")
    answer = figure("overdue", conn, area, period)
    assert len(answer["overdue"]["items"]) == min(50, answer["totals"]["overdue"]) > 0
    _same("overdue", answer, raw("overdue", conn, area, period))
    ours = _timed(lambda: figure("overdue", conn, area, period), RUNS)
    plain = _timed(lambda: raw("overdue", conn, area, period), RUNS, RAW_SECONDS)
    label = f"overdue list, first page: nation, {period.label}"
    result = _measure("overdue", label, OVERDUE_PAGE_MS, ours, plain)
    assert result.passed, result.note


# -- ingest ------------------------------------------------------------------------------------
DEVICES, BATCH, BATCHES_PER_ROUND, ROUNDS = 50, 100, 10, 3
INGEST_RATIO, INGEST_P99_S = 0.5, 3.0
# `serve --workers`: one process per core, as the README advises for a centre's server.
WORKERS = int(os.environ.get("ODSC_BENCH_WORKERS", str(os.cpu_count() or 1)))
# The devices pushing are the first of a full-size nation (busy Vientiane counters, their first
# weeks), whatever size of nation the figures are measured on: the ingest is the same test.
INGEST_SHAPE = Shape(requests=10_000_000)

# `odsc-server serve` with the roll-up upserts taken out: the same push path otherwise, so the
# difference in rate is what keeping the roll-ups current costs.
WITHOUT_ROLLUPS = (
    "import sys\n"
    "from sync.server import rollups\n"
    "rollups.writes = lambda contributions: []\n"
    "from sync.server.cli import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)


@dataclass
class WithoutRollups(ServerProcess):
    def start(self) -> None:
        command = [sys.executable, "-c", WITHOUT_ROLLUPS, "serve", "--db", self.db_url]
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                [*command, "--port", str(self.port)], stdout=log, stderr=subprocess.STDOUT
            )
        wait_until_ready(self.url, lambda: self.proc is not None and self.proc.poll() is None)


Rows = list[tuple[str, list[tuple[Any, ...]]]]  # (table, rows), in the order inserted


@dataclass(frozen=True)
class Stream:
    """One device's first ops, cut into the batches it pushes (ROUNDS rounds of
    BATCHES_PER_ROUND), the rows the push path writes for each batch, and its key with the
    head it signs for each batch (docs/OFFICE_SHARING.md, D9: the set of its ops once the batch
    is stored)."""

    counter: CounterPlan
    batches: list[list[Op]]
    rows: list[Rows]
    key: Ed25519PrivateKey
    heads: list[str]

    def round(self, n: int) -> range:
        return range(n * BATCHES_PER_ROUND, (n + 1) * BATCHES_PER_ROUND)


def _streams(nation: Nation, fees: FeeBook) -> list[Stream]:
    wanted = ROUNDS * BATCHES_PER_ROUND * BATCH
    projectors: dict[str, OfficeProjector] = {}
    streams = []
    for counter in nation.counters[:DEVICES]:
        ops = list(itertools.islice(nation.ops(counter), wanted))
        assert len(ops) == wanted, f"{counter.prefix} wrote only {len(ops)} ops"
        batches = [ops[i : i + BATCH] for i in range(0, wanted, BATCH)]
        office = counter.office.code
        projector = projectors.setdefault(office, OfficeProjector(office, fees))
        key = Ed25519PrivateKey.generate()
        rows = [_rows(counter, b, projector) for b in batches]
        streams.append(Stream(counter, batches, rows, key, _heads(counter.device_id, batches, key)))
    return streams


def _heads(device_id: str, batches: list[list[Op]], key: Ed25519PrivateKey) -> list[str]:
    """The `X-Ops-Set` each batch goes with, signed before the clock starts (as a counter signs
    as it sends)."""
    found, heads = OpsSet(), []
    for batch in batches:
        for op in batch:
            found.add(op.seq, op.op_id, op.sha256.hex())
        digest = found.digest()
        signature = key.sign(ops_set.message(device_id, found.count, digest))
        heads.append(Head(found.count, digest, signature).spelled())
    return heads


def _rows(counter: CounterPlan, batch: list[Op], projector: OfficeProjector) -> Rows:
    """The rows the push path writes for a batch (the fidelity-tested projection): its ops and
    their typed rows, each as first written (a request before its events move it)."""
    groups: dict[str, list[tuple[Any, ...]]] = {"ops": []}
    received = clock_stamp(system_clock())
    for op in batch:
        groups["ops"].append(
            (
                op.op_id, counter.device_id, op.seq, op.entity, op.kind, op.payload.decode(),
                op.sha256, protocol.device_time(op.entity, op.row), received,
            )
        )  # fmt: skip
        typed = projector.take(counter.device_id, counter.number, op)
        groups.setdefault(op.entity, []).append(tuple(typed[c] for c in TYPED_COLUMNS[op.entity]))
    return list(groups.items())


def _body(device_id: str, ops: list[Op]) -> bytes:
    batch = protocol.encode_batch(device_id, ops)
    return gzip.compress(json.dumps(batch, separators=(",", ":"), ensure_ascii=False).encode())


def _inserts() -> dict[str, sql.Composed]:
    return {
        table: sql.SQL("INSERT INTO {} ({}) VALUES ({})").format(
            sql.Identifier(table),
            sql.SQL(", ").join(map(sql.Identifier, columns)),
            sql.SQL(", ").join(sql.Placeholder() * len(columns)),
        )
        for table, columns in {"ops": OPS_COLUMNS, **TYPED_COLUMNS}.items()
    }


Worker = Callable[[threading.Barrier], list[float]]


def _at_once(work: list[Worker]) -> tuple[float, list[float]]:
    """Run every worker in its own thread, all released together: (wall time, every latency)."""
    gate = threading.Barrier(len(work) + 1)
    results: list[list[float]] = [[] for _ in work]
    failures: list[BaseException] = []

    def run(n: int) -> None:
        try:
            results[n] = work[n](gate)
        except BaseException as exc:  # reported below: a thread's exception is otherwise lost
            failures.append(exc)
            gate.abort()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(work))]
    for t in threads:
        t.start()
    with suppress(threading.BrokenBarrierError):  # a worker failed before the start: see below
        gate.wait()
    started = time.perf_counter()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    assert not failures, failures[:3]
    return wall, [s for r in results for s in r]


def _pusher(
    url: str, token: str, device_id: str, batches: list[list[Op]], heads: list[str] | None
) -> Worker:
    """A device pushing its batches, each with its signed head when `heads` are given."""
    bodies = [(_body(device_id, b), len(b)) for b in batches]  # made before the clock starts
    headers = {
        "Authorization": f"Bearer {token}",
        "Content-Type": "application/json",
        "Content-Encoding": "gzip",
    }
    signed = [{ops_set.HEADER: h} for h in heads] if heads else [{} for _ in batches]

    def push(gate: threading.Barrier) -> list[float]:
        latencies = []
        with requests.Session() as session:
            gate.wait()
            for (body, size), head in zip(bodies, signed, strict=True):
                started = time.perf_counter()
                reply = session.post(
                    url + protocol.PUSH, data=body, headers=headers | head, timeout=120
                )
                latencies.append(time.perf_counter() - started)
                assert reply.status_code == 200, reply.text[:300]
                answer = reply.json()
                assert (answer["stored"], answer["rejected"]) == (size, []), answer
                assert not head or answer["ops_set"]["kept"], answer
        return latencies

    return push


def _inserter(database: str, batches: list[Rows], statements: dict[str, sql.Composed]) -> Worker:
    def insert(gate: threading.Barrier) -> list[float]:
        latencies = []
        with psycopg.connect(dsn(database)) as conn, conn.cursor() as cursor:
            gate.wait()
            for groups in batches:
                started = time.perf_counter()
                with conn.transaction():
                    for table, rows in groups:
                        cursor.executemany(statements[table], rows)
                latencies.append(time.perf_counter() - started)
        return latencies

    return insert


@dataclass
class Variant:
    name: str
    rates: list[float] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return statistics.median(self.rates)

    def rounds(self) -> str:
        return ", ".join(f"{r:,.0f}" for r in self.rates)

    def run(self, work: list[Worker]) -> None:
        wall, latencies = _at_once(work)
        self.rates.append(DEVICES * BATCHES_PER_ROUND * BATCH / wall)
        self.latencies += latencies


@contextmanager
def _centre_without_rollups(db_url: str, folder: Path) -> Iterator[ServerProcess]:
    engine = open_db(db_url)
    server = WithoutRollups(
        engine=engine, db_url=db_url, port=free_port(), log=folder / "without-rollups.log"
    )
    server.start()
    try:
        yield server
    finally:
        server.stop()
        engine.dispose()


def _enrolled(server: ServerProcess, nation: Nation, streams: list[Stream]) -> dict[str, str]:
    publish_catalogs(server.engine, nation.catalogs)
    return {
        s.counter.device_id: enroll_device(
            server,
            s.counter.device_id,
            s.counter.office.code,
            s.counter.number,
            s.key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex(),
        )
        for s in streams
    }


def _side_by_side(
    nation: Nation, folder: Path, servers: list[tuple[str, int, bool]], signed: bool = False
) -> tuple[list[Variant], Variant]:
    """Each server of `servers` ((name, processes, with roll-ups), each over a fresh database)
    and bare inserts into another, ROUNDS rounds one after the other, so a noisy neighbour on
    the machine weighs on all of them alike: a Variant per server, and the bare one. `signed`:
    each push carries the head its device signs (D9)."""
    statements = _inserts()
    variants = [Variant(name) for name, _, _ in servers]
    bare = Variant("bare")
    with ExitStack() as stack:
        running = []
        for _, processes, rollups_kept in servers:
            url = stack.enter_context(pg_database())
            if rollups_kept:
                running.append(stack.enter_context(centre(url, folder, processes)))
            else:
                running.append(stack.enter_context(_centre_without_rollups(url, folder)))
        bare_url = stack.enter_context(pg_database())
        bare_engine = open_db(bare_url)  # the same schema, and the catalogs the fee check reads
        publish_catalogs(bare_engine, nation.catalogs)
        streams = _streams(nation, fee_book(bare_engine))
        bare_engine.dispose()
        bare_database = make_url(bare_url).database
        assert bare_database is not None
        tokens = [_enrolled(server, nation, streams) for server in running]
        for n in range(ROUNDS):
            for variant, server, token in zip(variants, running, tokens, strict=True):
                variant.run(
                    [
                        _pusher(
                            server.url,
                            token[s.counter.device_id],
                            s.counter.device_id,
                            [s.batches[b] for b in s.round(n)],
                            [s.heads[b] for b in s.round(n)] if signed else None,
                        )
                        for s in streams
                    ]
                )
            bare.run(
                [
                    _inserter(bare_database, [s.rows[b] for b in s.round(n)], statements)
                    for s in streams
                ]
            )
    return variants, bare


def test_ingest_beside_bare_inserts(tmp_path: Path) -> None:
    nation = Nation(INGEST_SHAPE)
    # One server at a time beside the 50 bare clients: a server process may hold 30 of
    # PostgreSQL's 100 connections, so two servers of two processes each would not fit.
    (ours,), bare = _side_by_side(nation, tmp_path, [(f"{WORKERS} processes", WORKERS, True)])
    (one,), bare_one = _side_by_side(nation, tmp_path, [("one process", 1, True)])
    (lean,), bare_lean = _side_by_side(nation, tmp_path, [("without roll-ups", 1, False)])
    (heads,), bare_heads = _side_by_side(
        nation, tmp_path, [(f"{WORKERS} processes, signed heads", WORKERS, True)], signed=True
    )
    ratio = ours.rate / bare.rate
    p99 = p99_ms(ours.latencies)
    report(
        Figure(
            "ingest: bare psycopg, 50 threads, 1 transaction per 100 ops",
            "reported",
            median_ms(bare.latencies),
            p99_ms(bare.latencies),
            note=f"{bare.rate:,.0f} ops/s (rounds: {bare.rounds()}); times per batch",
        )
    )
    report(
        Figure(
            "ingest: the push path without its roll-up upserts, one process",
            "reported",
            median_ms(lean.latencies),
            p99_ms(lean.latencies),
            ratio=lean.rate / bare_lean.rate,
            note=f"{lean.rate:,.0f} ops/s (rounds: {lean.rounds()}) beside bare at"
            f" {bare_lean.rate:,.0f}; keeping the roll-ups current costs"
            f" {1 - (one.rate / bare_one.rate) / (lean.rate / bare_lean.rate):.0%} of this"
            " rate (as ratios to bare: the runs are apart)",
        )
    )
    report(
        Figure(
            "ingest: typed tables + roll-ups, one process",
            "reported",
            median_ms(one.latencies),
            p99_ms(one.latencies),
            ratio=one.rate / bare_one.rate,
            note=f"{one.rate:,.0f} ops/s (rounds: {one.rounds()}) beside bare at"
            f" {bare_one.rate:,.0f} ops/s (rounds: {bare_one.rounds()})",
        )
    )
    report(
        Figure(
            f"ingest: the same, each push with its signed head (D9), serve --workers {WORKERS}",
            "reported",
            median_ms(heads.latencies),
            p99_ms(heads.latencies),
            ratio=heads.rate / bare_heads.rate,
            note=f"{heads.rate:,.0f} ops/s (rounds: {heads.rounds()}) beside bare at"
            f" {bare_heads.rate:,.0f}; the heads cost"
            f" {1 - (heads.rate / bare_heads.rate) / ratio:.0%} of the rate without them"
            " (as ratios to bare: the runs are apart)",
        )
    )
    result = report(
        Figure(
            f"ingest: {DEVICES} devices x {BATCH}-op pushes, typed tables + roll-ups,"
            f" serve --workers {WORKERS}",
            f">= {INGEST_RATIO}x bare, p99 <= {INGEST_P99_S:g} s",
            median_ms(ours.latencies),
            p99,
            ratio=ratio,
            passed=ratio >= INGEST_RATIO and p99 <= INGEST_P99_S * 1000,
            note=f"{ours.rate:,.0f} ops/s (rounds: {ours.rounds()}); {len(ours.latencies)}"
            " pushes into fresh databases; times are push latencies",
        )
    )
    assert result.passed, result.note


# -- size ------------------------------------------------------------------------------------------
ROLLUPS = ("rollup", "rollup_clerks", "rollup_durations")


def test_database_size_per_request(loaded: LoadedNation) -> None:
    requests_held = loaded.meta["requests"]
    with psycopg.connect(dsn(loaded.database)) as conn:
        sizes = {
            name: (int(table), int(indexes))
            for name, table, indexes in conn.execute(
                "SELECT relname, pg_table_size(oid), pg_indexes_size(oid) FROM pg_class"
                " WHERE relkind = 'r' AND relname = ANY(%s)",
                (list(metadata.tables),),
            )
        }
    groups = {
        "ops (the raw facts)": ["ops"],
        "typed tables": [t for t in TYPED_COLUMNS],
        "roll-ups": list(ROLLUPS),
        "everything else": [
            t for t in sizes if t != "ops" and t not in TYPED_COLUMNS and t not in ROLLUPS
        ],
    }
    lines = ["database size per request (bytes): table + indexes"]
    for table, (heap, indexes) in sorted(sizes.items(), key=lambda item: -sum(item[1])):
        if heap + indexes >= 8192 * 4:
            lines.append(
                f"  {table:<18} {heap / requests_held:8.0f} + {indexes / requests_held:8.0f}"
            )
    NOTES.append("\n".join(lines))
    total = 0
    for label, tables in groups.items():
        heap = sum(sizes[t][0] for t in tables if t in sizes)
        indexes = sum(sizes[t][1] for t in tables if t in sizes)
        total += heap + indexes
        note = (
            f"{(heap + indexes) / requests_held:,.0f} B"
            f" ({heap / requests_held:,.0f} B rows, {indexes / requests_held:,.0f} B indexes)"
        )
        if tables == ["ops"] and not loaded.meta["raw_ops"]:
            note += "; this nation was loaded without them (ODSC_NATION_RAW_OPS=0)"
        report(Figure(f"size per request: {label}", "reported", note=note))
    report(
        Figure(
            "size per request: the whole database",
            "reported",
            note=f"{total / requests_held:,.0f} B per request; {total / 2**30:,.2f} GiB for"
            f" {requests_held:,} requests",
        )
    )
    assert total > 0
