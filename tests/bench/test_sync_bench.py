"""The sync benchmark: the issue's speed and byte targets, measured through the fault proxy on
loopback against a real `odsc-server serve` process.

- bytes on the wire (both directions, headers included, every call of the run: status, pushes,
  reference) per visit, for a 30-day backlog of ~10,000 ops, gzip on: <= 300 B;
- round trips (HTTP requests) to sync those ~10,000 ops: <= 40;
- the same backlog over 50 kbit/s with 800 ms round trips: <= 1.3x the time its bytes alone
  need at that bandwidth;
- the centre on PostgreSQL, 50 devices pushing 100-op batches at once: >= 3,000 ops/s, p99 push
  latency <= 3 s, no failed push.

ODSC_BENCH_SYNC_OPS changes the backlog (default 10000); ODSC_BENCH_SYNC_SLOW_RUNS the number of
runs over the slow link (default 1: one takes about four minutes).
"""

from __future__ import annotations

import itertools
import os
import shutil
import statistics
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from odsc_desk.storage.store import Store, open_store
from sync import client, protocol
from tests.bench.sync_rig import (
    COUNTER,
    OFFICE,
    Backlog,
    Device,
    centre,
    enroll_device,
    pg_database,
    push_bodies,
    sqlite_url,
    write_backlog,
)
from tests.bench.timing import NOTES, Figure, median_ms, p99_ms, report
from tests.conftest import FAST_HASHER, FakeClock
from tests.sync.proxy import PASS, FaultProxy, Throttle

BACKLOG_OPS = int(os.environ.get("ODSC_BENCH_SYNC_OPS", "10000"))
CALENDAR_DAYS = 30
FAST_RUNS = 3
SLOW_RUNS = int(os.environ.get("ODSC_BENCH_SYNC_SLOW_RUNS", "1"))
BYTES_PER_VISIT = 300
ROUND_TRIPS = 40
BANDWIDTH, RTT, SLOW_RATIO = 50_000, 0.8, 1.3

DEVICES, BATCH, BATCHES_PER_DEVICE, INGEST_ROUNDS = 50, 100, 10, 3
INGEST_OPS_S, INGEST_P99_S = 3_000, 3.0


@pytest.fixture(scope="module")
def backlog(tmp_path_factory: pytest.TempPathFactory) -> Backlog:
    started = time.perf_counter()
    made = write_backlog(tmp_path_factory.mktemp("backlog") / "data", BACKLOG_OPS, CALENDAR_DAYS)
    NOTES.append(
        f"sync backlog: {made.ops:,} ops ({made.visits:,} visits over {made.days} working days"
        f" in {CALENDAR_DAYS} calendar days), written in {time.perf_counter() - started:.0f} s"
    )
    return made


@dataclass(frozen=True)
class Run:
    seconds: float
    bytes_up: int
    bytes_down: int
    requests: int
    ops: int

    @property
    def bytes(self) -> int:
        return self.bytes_up + self.bytes_down


def _copy(backlog: Backlog, folder: Path) -> Store:
    shutil.copytree(backlog.data_dir, folder)
    return open_store(folder, clock=FakeClock(), hasher=FAST_HASHER)


def sync_backlog(backlog: Backlog, folder: Path, link: Throttle | None) -> Run:
    """One counter's whole backlog to a fresh centre (SQLite: the wire is the same on both),
    through the proxy, in one `sync_once`."""
    folder.mkdir()
    store = _copy(backlog, folder / "counter")
    try:
        with (
            centre(sqlite_url(folder), folder) as server,
            FaultProxy(("127.0.0.1", server.port)) as proxy,
        ):
            client.enroll(store, proxy.url, server.enroll_code(OFFICE, COUNTER))
            proxy.reset()
            proxy.set_mode(link or PASS)
            started = time.perf_counter()
            result = client.sync_once(store)
            seconds = time.perf_counter() - started
            assert result.ok and result.pending == 0, result
            assert result.pushed == backlog.ops
            run = Run(seconds, proxy.bytes_up, proxy.bytes_down, proxy.requests, backlog.ops)
    finally:
        store.close()
    return run


def test_bytes_and_round_trips_for_a_30_day_backlog(backlog: Backlog, tmp_path: Path) -> None:
    runs = [sync_backlog(backlog, tmp_path / f"run{n}", None) for n in range(FAST_RUNS)]
    per_visit = statistics.median(r.bytes / backlog.visits for r in runs)
    trips = statistics.median(r.requests for r in runs)
    seconds = [r.seconds for r in runs]
    last = runs[-1]
    bytes_figure = report(
        Figure(
            f"sync: bytes per visit, {backlog.ops:,}-op backlog, gzip",
            f"<= {BYTES_PER_VISIT} B",
            median_ms(seconds),
            passed=per_visit <= BYTES_PER_VISIT,
            note=f"{per_visit:.0f} B/visit ({last.bytes / backlog.ops:.0f} B/op);"
            f" up {last.bytes_up:,} B, down {last.bytes_down:,} B; time = whole sync on loopback",
        )
    )
    trips_figure = report(
        Figure(
            f"sync: round trips for {backlog.ops:,} ops",
            f"<= {ROUND_TRIPS}",
            passed=trips <= ROUND_TRIPS,
            note=f"{trips:.0f} HTTP requests (status, pushes, reference)",
        )
    )
    assert bytes_figure.passed, bytes_figure.note
    assert trips_figure.passed, trips_figure.note


def test_a_30_day_backlog_over_50_kbit_and_800_ms(backlog: Backlog, tmp_path: Path) -> None:
    link = Throttle(BANDWIDTH, RTT)
    runs = [sync_backlog(backlog, tmp_path / f"slow{n}", link) for n in range(SLOW_RUNS)]
    ratios = [r.seconds / (r.bytes * 8 / BANDWIDTH) for r in runs]
    ratio = statistics.median(ratios)
    last = runs[-1]
    figure = report(
        Figure(
            f"sync: {backlog.ops:,} ops over 50 kbit/s + 800 ms RTT",
            f"<= {SLOW_RATIO}x bytes/bandwidth",
            median_ms([r.seconds for r in runs]),
            ratio=ratio,
            passed=ratio <= SLOW_RATIO,
            note=f"{last.seconds:.0f} s for {last.bytes:,} B ({last.bytes * 8 / BANDWIDTH:.0f} s"
            f" of bytes) in {last.requests} round trips; ratio is time / bytes' time",
        )
    )
    assert figure.passed, figure.note


# -- the centre's ingest on PostgreSQL -----------------------------------------------------------
def _visits(store: Store) -> Iterator[tuple[dict, dict]]:
    """The backlog's real (request, payment) pairs, round and round."""
    rows = store.all(
        "SELECT r.*, p.id AS p_id FROM requests r JOIN payments p ON p.request_id = r.id"
    )
    pays = {p["id"]: p for p in store.all("SELECT * FROM payments")}
    pairs = [({k: v for k, v in r.items() if k != "p_id"}, pays[r["p_id"]]) for r in rows]
    return itertools.cycle(pairs)


@dataclass
class Push:
    seconds: float
    status: int
    stored: int


def _pusher(device: Device, url: str, bodies: list[bytes], gate: threading.Barrier) -> list[Push]:
    done = []
    headers = {
        "Authorization": f"Bearer {device.token}",
        "Content-Type": "application/json",
        "Content-Encoding": "gzip",
        "Accept-Encoding": "gzip",
    }
    with requests.Session() as session:
        gate.wait()
        for body in bodies:
            started = time.perf_counter()
            reply = session.post(url + protocol.PUSH, data=body, headers=headers, timeout=60)
            seconds = time.perf_counter() - started
            stored = reply.json().get("stored", 0) if reply.status_code == 200 else 0
            done.append(Push(seconds, reply.status_code, stored))
    return done


def _ingest_round(url: str, work: list[tuple[Device, list[bytes]]]) -> tuple[float, list[Push]]:
    """Every device pushes its bodies one after another, all devices at once: (wall time, the
    pushes)."""
    gate = threading.Barrier(len(work) + 1)
    results: dict[str, list[Push]] = {}

    def run(device: Device, bodies: list[bytes]) -> None:
        results[device.device_id] = _pusher(device, url, bodies, gate)

    threads = [threading.Thread(target=run, args=pair) for pair in work]
    for t in threads:
        t.start()
    gate.wait()
    started = time.perf_counter()
    for t in threads:
        t.join()
    return time.perf_counter() - started, [p for r in results.values() for p in r]


def test_centre_ingest_on_postgresql(backlog: Backlog, tmp_path: Path) -> None:
    store = open_store(backlog.data_dir, clock=FakeClock(), hasher=FAST_HASHER)
    visits = _visits(store)
    devices = [
        Device(f"bench-device-{n:02d}", f"VTE-B{n // 10 + 1}", n % 10 + 1) for n in range(DEVICES)
    ]
    rounds: list[tuple[float, list[Push]]] = []
    with pg_database() as url, centre(url, tmp_path) as server:
        for device in devices:
            device.token = enroll_device(server, device.device_id, device.office, device.counter)
        for _ in range(INGEST_ROUNDS):
            work = [(d, push_bodies(d, visits, BATCHES_PER_DEVICE, BATCH)) for d in devices]
            rounds.append(_ingest_round(server.url, work))
    store.close()
    rates = [sum(p.stored for p in pushes) / wall for wall, pushes in rounds]
    pushes = [p for _, r in rounds for p in r]
    latencies = [p.seconds for p in pushes]
    failed = [p for p in pushes if p.status != 200 or p.stored != BATCH]
    rate = statistics.median(rates)
    figure = report(
        Figure(
            f"centre ingest, PostgreSQL, {DEVICES} devices x {BATCH}-op pushes",
            f">= {INGEST_OPS_S:,} ops/s, p99 <= {INGEST_P99_S:g} s",
            median_ms(latencies),
            p99_ms(latencies),
            passed=rate >= INGEST_OPS_S and p99_ms(latencies) <= INGEST_P99_S * 1000 and not failed,
            note=f"{rate:,.0f} ops/s (rounds: {', '.join(f'{r:,.0f}' for r in rates)});"
            f" {len(pushes)} pushes, {len(failed)} failed; times are push latencies",
        )
    )
    assert not failed, failed[:5]
    assert figure.passed, figure.note
