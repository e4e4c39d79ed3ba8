"""Upgrades: stores written by older versions, opened by this one.

The fixtures in tests/data were made by the real `odsc` of old commits (tests/data/README.md).
Opening one takes a backup first, then migrates in one transaction, then runs integrity_check;
every record must still be there and `odsc check` must pass. A store from a newer version is
refused and left byte for byte as it was; a process killed anywhere inside the migration leaves
a store that opens (old, then migrated; or new), never a broken one.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from odsc_desk.domain import cash, payments, service_requests, users
from odsc_desk.maintenance import integrity
from odsc_desk.shared.errors import StoreError
from odsc_desk.storage import schema
from odsc_desk.storage.store import STORE_FILE, open_store
from receipts.receipt import print_receipt
from tests.conftest import FAST_HASHER, FakeClock
from ui.cli.main import main as odsc

DATA = Path(__file__).parents[1] / "data"
WORKER = Path(__file__).with_name("upgrade_worker.py")
PASSWORD = "fixture-pass-1"
FIXTURES = ("store_m001.sqlite3", "store_m002_wide.sqlite3", "store_m002.sqlite3")
COUNTED = (
    "users",
    "catalog_versions",
    "services",
    "requests",
    "status_events",
    "cash_sessions",
    "cash_closes",
    "payments",
    "voids",
    "feedback",
    "settings",
)


def counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        names = [t for t in (*COUNTED, "receipt_prints", "counter_keys") if t in tables]
        return {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in names}
    finally:
        conn.close()


def applied(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return sorted(r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations"))
    finally:
        conn.close()


def old_store(tmp_path: Path, fixture: str) -> Path:
    data_dir = tmp_path / "data"
    data_dir.mkdir(parents=True)
    shutil.copyfile(DATA / fixture, data_dir / STORE_FILE)
    return data_dir


def files(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def clock() -> FakeClock:
    clock = FakeClock()
    clock.set_local(2026, 11, 30)  # a Monday after the fixtures were made
    return clock


@pytest.mark.parametrize("fixture", FIXTURES)
def test_an_old_store_is_backed_up_migrated_and_keeps_every_record(tmp_path, clock, fixture):
    data_dir = old_store(tmp_path, fixture)
    before = counts(DATA / fixture)
    old_migrations = applied(DATA / fixture)
    assert old_migrations != sorted(schema.known_migrations())

    store = open_store(data_dir, clock=clock, hasher=FAST_HASHER)
    try:
        # The backup came first: it is the store exactly as the old version left it.
        (saved,) = (data_dir / "backups").glob("pre-migrate-*.sqlite3")
        assert applied(saved) == old_migrations
        assert counts(saved) == before
        assert applied(data_dir / STORE_FILE) == sorted(schema.known_migrations())
        assert store.conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert integrity.check_store(store)["ok"], integrity.check_store(store)["problems"]
        after = counts(data_dir / STORE_FILE)
        assert {t: after[t] for t in before} == before
        # The old records work as records: a receipt printed again, a new day's work numbered
        # after the old one's.
        clerk = users.authenticate(store, "noy", PASSWORD)
        first = store.scalar("SELECT receipt FROM payments ORDER BY receipt_seq LIMIT 1")
        printed = print_receipt(store, clerk, first, tmp_path / "again.pdf", "80mm", False)
        assert (tmp_path / "again.pdf").read_bytes().startswith(b"%PDF")
        assert printed["receipt"] == first
        cash.open_cash(store, clerk, 50_000)
        r = service_requests.record_request(
            store, clerk, service_code="MOHA-BIRTH", citizen_name="ນ້ອຍ"
        )
        paid = payments.record_payment(store, clerk, r["tracking"])
        assert paid["receipt"].endswith(f"-2026-{before['payments'] + 1:06d}")
        assert integrity.check_store(store)["ok"]
    finally:
        store.close()
    assert odsc(["--data-dir", str(data_dir), "check"]) == 0


def test_opening_an_upgraded_store_again_changes_nothing(tmp_path, clock):
    data_dir = old_store(tmp_path, FIXTURES[0])
    open_store(data_dir, clock=clock, hasher=FAST_HASHER).close()
    before = files(data_dir)
    clock.advance(days=1)
    open_store(data_dir, clock=clock, hasher=FAST_HASHER).close()
    assert files(data_dir) == before  # no second backup, no second migration


def test_a_wide_store_whose_old_chain_is_broken_is_refused_and_left_as_it_was(tmp_path, clock):
    """Relinking an edited history would make it verify: the old chain is checked first."""
    data_dir = old_store(tmp_path, FIXTURES[0])
    path = data_dir / STORE_FILE
    conn = sqlite3.connect(path)
    conn.executescript(
        "DROP TRIGGER payments_no_update;"
        " UPDATE payments SET amount = amount - 5000 WHERE receipt_seq = 1;"
        " CREATE TRIGGER payments_no_update BEFORE UPDATE ON payments"
        " BEGIN SELECT RAISE(ABORT, 'append-only table: payments'); END;"
    )
    conn.close()
    edited = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(StoreError) as err:
        open_store(data_dir, clock=clock, hasher=FAST_HASHER)
    assert err.value.code == "store.upgrade_unverified"
    assert "payments row changed" in err.value.message_en
    assert hashlib.sha256(path.read_bytes()).hexdigest() == edited
    assert applied(path) == ["m001_initial"]


def test_a_store_from_a_newer_version_is_refused_and_left_byte_for_byte(tmp_path, clock, capsys):
    data_dir = old_store(tmp_path, FIXTURES[0])
    open_store(data_dir, clock=clock, hasher=FAST_HASHER).close()
    conn = sqlite3.connect(data_dir / STORE_FILE)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at)"
        " VALUES ('odsc_desk', 'm099_from_the_future', '2030-01-01')"
    )
    conn.commit()
    conn.close()
    before = files(data_dir)
    with pytest.raises(StoreError) as err:
        open_store(data_dir, clock=clock, hasher=FAST_HASHER)
    assert err.value.code == "store.newer"
    assert "m099_from_the_future" in err.value.message_en
    assert files(data_dir) == before
    assert odsc(["--data-dir", str(data_dir), "check"]) == 3
    told = capsys.readouterr().err
    assert "newer ODSC Desk" in told and "ລຸ້ນໃໝ່ກວ່າ" in told
    assert files(data_dir) == before


def _run_worker(data_dir: Path, kill_at: int, trace: bool = False) -> subprocess.CompletedProcess:
    env = {**os.environ, "UPGRADE_WORKER_TRACE": "1"} if trace else None
    return subprocess.run(
        [sys.executable, str(WORKER), str(data_dir), str(kill_at)],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )


# Statements worth a kill of their own: the write lock, the backup's last step (its copy is
# still `.partial`), each migration's start, the integrity check, the commit.
LANDMARKS = ("BEGIN IMMEDIATE", "PRAGMA journal_mode = DELETE", "SAVEPOINT", "PRAGMA integrity")


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX SIGKILL")
def test_a_process_killed_anywhere_in_the_migration_leaves_a_store_that_opens(tmp_path, clock):
    """SIGKILL at statements spread over the whole open (backup, relink, m002, m003, the check,
    the commit) and just after it. The store is then either the old one or the migrated one,
    never a mix; it opens with this code, checks out, and holds every record.

    A SIGKILL loses nothing the OS has been handed, so this proves the migration's atomicity,
    not survival of a power cut (that rests on SQLite's WAL with synchronous=FULL)."""
    fixture = "store_m002_wide.sqlite3"
    before = counts(DATA / fixture)
    old = applied(DATA / fixture)
    probe = _run_worker(old_store(tmp_path / "probe", fixture), 0, trace=True)
    assert probe.returncode == 0, probe.stderr
    total = int(probe.stdout.split()[-1])
    traced = [line.split(" ", 1) for line in probe.stderr.splitlines()]
    marks = {int(n) for n, text in traced if text.startswith(LANDMARKS) or text == "COMMIT"}
    points = sorted(marks | {m + 1 for m in marks} | {*range(1, total + 1, total // 8), total})
    outcomes = {"old": 0, "new": 0, "partial backup": 0}
    for n in points:
        data_dir = old_store(tmp_path / f"kill-{n}", fixture)
        run = _run_worker(data_dir, n)
        assert run.returncode == -signal.SIGKILL, (n, run.stdout, run.stderr)
        state = applied(data_dir / STORE_FILE)
        assert state in (old, sorted(schema.known_migrations())), (n, state)
        outcomes["old" if state == old else "new"] += 1
        outcomes["partial backup"] += bool(list((data_dir / "backups").glob("*.partial")))
        store = open_store(data_dir, clock=clock, hasher=FAST_HASHER)
        try:
            assert integrity.check_store(store)["ok"], (n, integrity.check_store(store))
        finally:
            store.close()
        after = counts(data_dir / STORE_FILE)
        assert {t: after[t] for t in before} == before, n
        assert list((data_dir / "backups").glob("pre-migrate-*.sqlite3")), n
    # The kills really landed inside the migration and after it.
    assert outcomes["old"] > len(marks) and outcomes["new"] >= 1, outcomes
    assert outcomes["partial backup"] >= 1, outcomes
