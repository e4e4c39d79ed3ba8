"""The benchmark's big store: ten years of a busy counter, generated once and cached on disk.

    /tmp/odsc-bench/store-<size>-<key>/data/odsc.sqlite3   the store
    /tmp/odsc-bench/store-<size>-<key>/meta.json           counts, timings, sizes, check result

The key covers what the rows depend on: GENERATOR_VERSION (bump it when the history or the batch
writer changes), the schema as the migrations build it, and the ledger and id code. A schema
change therefore regenerates the store (about 15 minutes for 1M pairs), so the size figure always
describes the current schema. Service changes that alter rows are caught by the fidelity test.
Measurements never write to the cached file: they work on a copy.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from odsc_desk.domain import users
from odsc_desk.maintenance import integrity
from odsc_desk.shared import ids
from odsc_desk.storage import ledger
from odsc_desk.storage.schema import migrations
from odsc_desk.storage.store import STORE_FILE, Store, open_store
from tests.bench.history import HISTORY_END, History, Staff, Writer, default_first_day, moment
from tests.bench.writers import BatchWriter, catalog_services
from tests.conftest import FAST_HASHER, PASSWORD, FakeClock, make_counter

GENERATOR_VERSION = 1
CACHE_ROOT = Path(os.environ.get("ODSC_BENCH_CACHE", "/tmp/odsc-bench"))
SEED = 20261126
EXTRA_CLERKS = ("keo", "phet", "vanh")
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


# -- deterministic, history-dated ids -------------------------------------------------------------
class _ClockTime:
    """Stands in for the `time` module inside odsc_desk.shared.ids: ids carry the history's time."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock

    def time_ns(self) -> int:
        return (self.clock() - EPOCH) // timedelta(microseconds=1) * 1000


class _SeededOs:
    """Stands in for `os` inside shared.ids: the random bits come from a seeded generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def urandom(self, n: int) -> bytes:
        return self.rng.randbytes(n)


@contextmanager
def history_ids(clock: FakeClock, seed: int) -> Iterator[None]:
    """UUIDv7s stamped with the fake clock and drawn from a seed.

    Why: ids made in ten minutes of generation would all share a few milliseconds and so land in
    random order within them, unlike ten years of real use; and a seeded draw lets the fidelity
    test compare two stores byte for byte.
    """
    saved = ids.time, ids.os
    ids.time, ids.os = _ClockTime(clock), _SeededOs(random.Random(seed))  # type: ignore[assignment]
    try:
        yield
    finally:
        ids.time, ids.os = saved


# -- a fresh counter -----------------------------------------------------------------------------
def make_template(data_dir: Path, first: date) -> None:
    """`odsc init` with the demo catalog, an admin, a supervisor and four clerks, set up the
    working day before `first`."""
    clock = FakeClock(moment(first - timedelta(days=1), 8 * 3600))
    with history_ids(clock, SEED - 1):
        counter = make_counter(data_dir, clock)
        for name in EXTRA_CLERKS:
            clock.advance(minutes=5)
            users.add_user(counter.store, counter.admin, name, "clerk", PASSWORD)
    counter.store.close()


def staff(store: Store) -> Staff:
    def login(name: str) -> users.Actor:
        return users.authenticate(store, name, PASSWORD)

    return Staff([login(n) for n in ("noy", *EXTRA_CLERKS)], login("somchai"))


def play_history(
    data_dir: Path,
    pairs: int,
    writer_class: type[BatchWriter] | Any,
    *,
    seed: int = SEED,
    progress: bool = False,
    **history_args: Any,
) -> dict[str, Any]:
    """Play a history onto the counter in `data_dir` with the given writer; returns its tally.

    `history_args` go to History (first, end, peak, fates)."""
    clock = FakeClock()
    store = open_store(data_dir, clock=clock, hasher=FAST_HASHER)
    _generation_pragmas(store.conn)
    try:
        writer: Writer = writer_class(store)
        history = History(pairs, staff(store), catalog_services(store), seed, **history_args)
        started = time.perf_counter()
        with history_ids(clock, seed + 2):
            tally = history.run(writer, clock, _progress(history, started) if progress else None)
        _durable_pragmas(store.conn)
    finally:
        store.close()
    return asdict(tally)


def _generation_pragmas(conn: sqlite3.Connection) -> None:
    # Generation only (they change how fast rows are written, not what is written): a crash just
    # means generating again, so no fsync and no WAL; a big cache keeps the randomly-inserted
    # indexes (name, phone, ID number) in memory.
    conn.execute("PRAGMA journal_mode = MEMORY")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -2000000")


def _durable_pragmas(conn: sqlite3.Connection) -> None:
    # Back to what open_store sets, so the cached file is what a real counter's would be.
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")


def _progress(history: History, started: float) -> Any:
    step = max(1, len(history.days) // 20)

    def report(n: int, day: date) -> None:
        if (n + 1) % step == 0 or n + 1 == len(history.days):
            done = history.tally.requests
            elapsed = time.perf_counter() - started
            print(
                f"  generated {day}  {done:>9,} requests  {elapsed:7.0f} s"
                f"  ({done / max(elapsed, 1e-9):,.0f} pairs/s)",
                flush=True,
            )

    return report


# -- sizes ---------------------------------------------------------------------------------------
def file_bytes(path: Path) -> int:
    """page_count * page_size, after folding any WAL into the file."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        return pages * conn.execute("PRAGMA page_size").fetchone()[0]
    finally:
        conn.close()


def object_bytes(path: Path) -> dict[str, int]:
    """Bytes per table and index (SQLite's dbstat), largest first."""
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(
            "SELECT name, SUM(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC"
        ).fetchall()
    finally:
        conn.close()
    return dict(rows)


def vacuumed_sizes(path: Path, scratch: Path) -> tuple[int, dict[str, int]]:
    """Size of a VACUUMed copy (VACUUM INTO leaves the original untouched)."""
    target = scratch / "vacuumed.sqlite3"
    target.unlink(missing_ok=True)
    conn = sqlite3.connect(path)
    try:
        conn.execute("VACUUM INTO ?", (str(target),))
    finally:
        conn.close()
    try:
        return file_bytes(target), object_bytes(target)
    finally:
        target.unlink()


# -- the cache -----------------------------------------------------------------------------------
@dataclass
class BigStore:
    root: Path
    meta: dict[str, Any]

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def path(self) -> Path:
        return self.data_dir / STORE_FILE


def _label(pairs: int) -> str:
    return f"{pairs // 1_000_000}m" if pairs % 1_000_000 == 0 else f"{pairs}"


def store_key() -> str:
    db = Database(memory=True)
    migrations.apply(db)
    schema = db.conn.execute(
        "SELECT group_concat(sql, ';') FROM (SELECT sql FROM sqlite_master"
        " WHERE sql IS NOT NULL AND name NOT LIKE '%migrations%' ORDER BY name)"
    ).fetchone()[0]
    digest = hashlib.sha256(schema.encode())
    for module in (ledger, ids):
        digest.update(Path(str(module.__file__)).read_bytes())
    return f"v{GENERATOR_VERSION}-{digest.hexdigest()[:10]}"


def ensure_store(pairs: int, *, verify: bool = True) -> BigStore:
    """The cached store for `pairs` requests, generated (and measured) first if missing."""
    prefix = f"store-{_label(pairs)}-"
    root = CACHE_ROOT / f"{prefix}{store_key()}"
    if (root / "meta.json").exists():
        return BigStore(root, json.loads((root / "meta.json").read_text()))
    # Stores of this size for an older schema or generator: several GB each, never used again.
    for stale in CACHE_ROOT.glob(f"*{prefix}*"):
        shutil.rmtree(stale, ignore_errors=True)
    building = CACHE_ROOT / f"building-{root.name}-{os.getpid()}"
    building.mkdir(parents=True)
    try:
        meta = _generate(building, pairs, verify)
        (building / "meta.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False))
        os.replace(building, root)
    finally:
        shutil.rmtree(building, ignore_errors=True)
    return BigStore(root, meta)


def _generate(root: Path, pairs: int, verify: bool) -> dict[str, Any]:
    data_dir = root / "data"
    print(f"\ngenerating a {pairs:,}-request store in {root} (cached for later runs)", flush=True)
    started = time.perf_counter()
    make_template(data_dir, default_first_day())
    tally = play_history(data_dir, pairs, BatchWriter, progress=True)
    generation_s = time.perf_counter() - started
    print(f"  generation took {generation_s:,.0f} s", flush=True)
    meta: dict[str, Any] = {
        "generator_version": GENERATOR_VERSION,
        "pairs": pairs,
        "tally": tally,
        "generation_s": generation_s,
        "history": [str(default_first_day()), str(HISTORY_END)],
    }
    meta.update(_measure_sizes(data_dir / STORE_FILE, root))
    if verify:
        meta["check"] = _check(data_dir)
    return meta


def _measure_sizes(path: Path, scratch: Path) -> dict[str, Any]:
    started = time.perf_counter()
    as_generated = file_bytes(path)
    objects = object_bytes(path)
    vacuumed, vacuumed_objects = vacuumed_sizes(path, scratch)
    print(f"  sizes measured in {time.perf_counter() - started:,.0f} s", flush=True)
    return {
        "bytes": as_generated,
        "objects": objects,
        "vacuumed_bytes": vacuumed,
        "vacuumed_objects": vacuumed_objects,
    }


def _check(data_dir: Path) -> dict[str, Any]:
    """`odsc check` on the generated store: the audit chain and every fact's digest must hold."""
    started = time.perf_counter()
    store = open_store(data_dir, hasher=FAST_HASHER)
    try:
        result = integrity.check_store(store)
    finally:
        store.close()
    seconds = time.perf_counter() - started
    print(f"  odsc check: ok={result['ok']} in {seconds:,.0f} s", flush=True)
    return {"ok": result["ok"], "problems": result["problems"][:3], "seconds": seconds}


@dataclass(repr=False)  # pytest prints fixtures of failing tests; the meta would fill screens
class CounterDay:
    """The working day after the history: the store copy open, a clerk logged in, cash open."""

    data_dir: Path
    store: Store
    clock: FakeClock
    clerk: users.Actor
    big: BigStore
