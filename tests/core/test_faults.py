"""Faults: a full disk, a locked, damaged, foreign, newer, missing or read-only store, a failed
or killed `init`. Each gets a clear message in Lao and English, a non-zero exit from `odsc`,
and leaves the store exactly as it was.

Every fault is real: SQLite's own "database or disk is full" path (max_page_count), a second
connection holding the write lock, garbage written over pages of the file, files made by other
programs, a read-only file (chattr +i when running as root, whom chmod does not stop; chmod
otherwise), a file-size limit the kernel enforces (RLIMIT_FSIZE), and a real SIGKILL.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from odsc_desk.domain import cash, payments, service_requests, users
from odsc_desk.maintenance import integrity
from odsc_desk.shared.errors import OdscError, StoreError
from odsc_desk.shared.messages import MESSAGES, render
from odsc_desk.storage import schema
from odsc_desk.storage.store import open_store, store_path
from tests.conftest import (
    FAST_HASHER,
    PASSWORD,
    FakeClock,
    make_counter,
    read_only,
)

ODSC = Path(sys.executable).parent / "odsc"
if not ODSC.exists():  # run by an interpreter outside the project's virtualenv
    ODSC = Path(shutil.which("odsc") or ODSC)
WORKER = Path(__file__).with_name("crash_worker.py")
LAO = re.compile("[\u0e80-\u0eff]")
INIT_ARGS = (
    "init",
    "--office-code",
    "VTE-SST",
    "--office-name",
    "ຫ້ອງການບໍລິການປະຕູດຽວ ເມືອງສີສັດຕະນາກ",
    "--counter",
    "1",
    "--admin",
    "admin",
)
POSIX_ONLY = pytest.mark.skipif(
    not hasattr(signal, "SIGKILL"), reason="needs POSIX signals and resource limits"
)
NEW_REQUEST = ("request", "new", "--service", "MOHA-BIRTH", "--citizen-name", "ສົມສັກ ພົມມະຈັນ")


# -- helpers ----------------------------------------------------------------------------------


def run_cli(data_dir: Path, *args: str, preexec_fn=None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ODSC_")}
    env.update(ODSC_USER="noy", ODSC_PASSWORD=PASSWORD, ODSC_NEW_PASSWORD=PASSWORD)
    return subprocess.run(
        [str(ODSC), "--data-dir", str(data_dir), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        preexec_fn=preexec_fn,
    )


def dump(path: Path) -> list[str]:
    """The store's whole content as SQL, read through a separate read-only connection."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def folder(path: Path) -> dict[str, str] | None:
    """Every file under `path` with its sha256; None when the folder does not exist."""
    if not path.exists():
        return None
    return {
        str(p.relative_to(path)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(path.rglob("*"))
        if p.is_file()
    } | {str(p.relative_to(path)) + "/": "" for p in path.rglob("*") if p.is_dir()}


def assert_bilingual(err: OdscError, code: str, **params: str) -> None:
    assert err.code == code, (err.code, err.message_en)
    assert (err.message_lo, err.message_en) == render(code, **params)
    assert LAO.search(err.message_lo), err.message_lo
    assert not LAO.search(err.message_en), err.message_en


def assert_cli_says(cli: subprocess.CompletedProcess, code: str, exit_code: int, **params) -> None:
    """Exit code, no traceback, and both languages of the message on stderr."""
    assert "Traceback" not in cli.stderr, cli.stderr
    assert cli.returncode == exit_code, (cli.returncode, cli.stderr)
    if params:
        lo, en = render(code, **params)
        assert f"ຜິດພາດ: {lo}\nError: {en}" in cli.stderr, cli.stderr
    else:  # the parameters are not known exactly: every literal part of both templates
        for template in MESSAGES[code]:
            for part in re.split(r"\{[^}]*\}", template):
                assert part.strip() in cli.stderr, (part, cli.stderr)


def counter_with_requests(data_dir: Path, paid: int = 3) -> Path:
    """A closed store with an open cash session and `paid` paid requests; returns the file."""
    clock = FakeClock()
    c = make_counter(data_dir, clock)
    cash.open_cash(c.store, c.clerk, 0)
    for n in range(paid):
        clock.advance(minutes=2)
        r = service_requests.record_request(
            c.store, c.clerk, service_code="MOHA-MARR", citizen_name=f"ນ້ອຍ ແສງສະຫວ່າງ {n}"
        )
        payments.record_payment(c.store, c.clerk, r["tracking"])
    c.store.close()
    path = store_path(data_dir)
    assert not Path(f"{path}-wal").exists()  # closed cleanly: everything is in the main file
    return path


# -- a full disk ------------------------------------------------------------------------------


def test_full_disk_records_nothing_and_numbers_continue(open_counter):
    c = open_counter
    store = c.store
    unpaid = service_requests.record_request(
        store, c.clerk, service_code="MOHA-BIRTH", citizen_name="Noy"
    )
    recorded = [unpaid["tracking"]]
    normal_limit = store.scalar("PRAGMA max_page_count")
    # SQLite's own full-disk path: the file may not grow past one more page.
    store.conn.execute(f"PRAGMA max_page_count = {store.scalar('PRAGMA page_count') + 1}")
    for _ in range(500):
        before = dump(store.path)
        try:
            r = service_requests.record_request(
                store, c.clerk, service_code="MOHA-MARR", citizen_name="ສົມສັກ ພົມມະຈັນ"
            )
        except StoreError as exc:
            err = exc
            break
        recorded.append(r["tracking"])
    else:
        pytest.fail("the store never filled up")

    assert_bilingual(err, "store.full", path=str(store.path))
    assert not store.conn.in_transaction
    assert dump(store.path) == before  # not one row of the refused request
    assert integrity.check_store(store)["ok"]

    store.conn.execute(f"PRAGMA max_page_count = {normal_limit}")  # space freed
    r = service_requests.record_request(
        store, c.clerk, service_code="MOHA-MARR", citizen_name="Ket"
    )
    assert r["tracking"] == f"VTE-SST-1-261126-{len(recorded) + 1:04d}"
    p = payments.record_payment(store, c.clerk, unpaid["tracking"])
    assert p["receipt"] == "VTE-SST-1-2026-000001"
    assert integrity.check_store(store)["ok"]


# -- a locked store ---------------------------------------------------------------------------


def hold_write_lock(path: Path, *, exclusive_file: bool = False) -> sqlite3.Connection:
    """Another program in the middle of writing: the write lock held, a row not yet committed."""
    other = sqlite3.connect(path, isolation_level=None)
    if exclusive_file:
        other.execute("PRAGMA locking_mode = EXCLUSIVE")
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO settings (key, value) VALUES ('other_program', '1')")
    return other


def test_locked_store_refuses_quickly_and_works_once_released(tmp_path):
    data_dir = tmp_path / "data"
    path = counter_with_requests(data_dir, paid=1)
    clock = FakeClock()
    store = open_store(data_dir, clock=clock, hasher=FAST_HASHER, busy_timeout_ms=200)
    try:
        clerk = users.authenticate(store, "noy", PASSWORD)
        unpaid = service_requests.record_request(
            store, clerk, service_code="MOHA-BIRTH", citizen_name="A"
        )
        before = dump(path)
        other = hold_write_lock(path)
        try:
            started = time.monotonic()
            with pytest.raises(StoreError) as err:
                service_requests.record_request(
                    store, clerk, service_code="MOHA-BIRTH", citizen_name="B"
                )
            waited = time.monotonic() - started
            assert_bilingual(err.value, "store.locked", path=str(path))
            assert 0.15 <= waited < 3, waited  # it waited its busy timeout, then gave up
            with pytest.raises(StoreError) as err:
                payments.record_payment(store, clerk, unpaid["tracking"])
            assert err.value.code == "store.locked"
            assert not store.conn.in_transaction
            assert dump(path) == before
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert dump(path) == before
        r = service_requests.record_request(
            store, clerk, service_code="MOHA-BIRTH", citizen_name="B"
        )
        p = payments.record_payment(store, clerk, unpaid["tracking"])
        assert r["tracking"] == "VTE-SST-1-261126-0003"  # no number lost to the refusals
        assert p["receipt"] == "VTE-SST-1-2026-000002"
        assert integrity.check_store(store)["ok"]
    finally:
        store.close()


def test_store_held_exclusively_cannot_even_be_opened(tmp_path):
    data_dir = tmp_path / "data"
    path = counter_with_requests(data_dir, paid=1)
    before = dump(path)
    other = hold_write_lock(path, exclusive_file=True)
    try:
        with pytest.raises(StoreError) as err:
            open_store(data_dir, clock=FakeClock(), busy_timeout_ms=200)
        assert_bilingual(err.value, "store.locked", path=str(path))
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert dump(path) == before


def test_locked_store_cli(tmp_path):
    # The CLI waits its 5 s busy timeout before giving up: the one slow test of this file.
    data_dir = tmp_path / "data"
    path = counter_with_requests(data_dir, paid=1)
    before = dump(path)
    other = hold_write_lock(path)
    try:
        cli = run_cli(data_dir, *NEW_REQUEST)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert_cli_says(cli, "store.locked", 3, path=str(path))
    assert cli.stdout == ""
    assert dump(path) == before


# -- a damaged file ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def healthy_store(tmp_path_factory) -> Path:
    """A closed store big enough that page 3 and page 4 are tables and indexes, not free."""
    return counter_with_requests(tmp_path_factory.mktemp("healthy") / "data", paid=40)


def damaged_copy(healthy: Path, target_dir: Path, page: int) -> Path:
    """A copy of the store with one page (1-based) overwritten by 4 KiB of seeded garbage."""
    target_dir.mkdir()
    path = target_dir / healthy.name
    shutil.copyfile(healthy, path)
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    page_size, pages = (
        conn.execute(f"PRAGMA {p}").fetchone()[0] for p in ("page_size", "page_count")
    )
    conn.close()
    assert page < pages
    with path.open("r+b") as handle:
        handle.seek((page - 1) * page_size)
        handle.write(random.Random(page).randbytes(4096))
    return path


@pytest.mark.parametrize("page", [3, 4])
def test_damaged_store_cli_says_so_clearly(healthy_store, tmp_path, page):
    path = damaged_copy(healthy_store, tmp_path / "data", page)
    damaged = path.read_bytes()
    cli = run_cli(path.parent, "check")
    assert cli.returncode in (1, 3), (cli.returncode, cli.stderr)
    # exit 3: the store cannot be used; exit 1: `check` ran and found the damage.
    assert_cli_says(
        cli, "store.corrupt" if cli.returncode == 3 else "sqlite.integrity", cli.returncode
    )
    assert path.read_bytes() == damaged  # the evidence is left as it was


@pytest.mark.parametrize("page", [3, 4])
def test_damaged_store_is_reported_by_check_store(healthy_store, tmp_path, page):
    """The API the desktop app will call: a refusal or a failed check, never a raw sqlite3 error."""
    path = damaged_copy(healthy_store, tmp_path / "data", page)
    try:
        store = open_store(path.parent, clock=FakeClock(), hasher=FAST_HASHER)
    except StoreError as err:
        assert_bilingual(err, "store.corrupt", path=str(path))
        return
    try:
        try:
            result = integrity.check_store(store)
        except StoreError as err:
            assert_bilingual(err, "store.corrupt", path=str(path))
            return
        assert result["ok"] is False
        assert result["problems"][0]["kind"] == "sqlite.integrity"
    finally:
        store.close()


# -- foreign, empty, newer and missing stores -------------------------------------------------


def make_other_sqlite(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE contacts (name TEXT, phone TEXT)")
    conn.execute("INSERT INTO contacts VALUES ('Noy', '020 5555 1234')")
    conn.commit()
    conn.close()


FOREIGN = {
    "another-programs-sqlite": make_other_sqlite,
    "png": lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8),
    "text": lambda p: p.write_text("Shopping list: rice, fish sauce\n", encoding="utf-8"),
}


@pytest.mark.parametrize("kind", list(FOREIGN))
def test_foreign_file_is_refused_untouched(tmp_path, kind):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    path = store_path(data_dir)
    FOREIGN[kind](path)
    before = folder(data_dir)
    with pytest.raises(StoreError) as err:
        open_store(data_dir, clock=FakeClock())
    assert_bilingual(err.value, "store.foreign", path=str(path))
    cli = run_cli(data_dir, *NEW_REQUEST)
    assert_cli_says(cli, "store.foreign", 3, path=str(path))
    assert folder(data_dir) == before


def test_empty_file_is_not_taken_for_a_store(tmp_path):
    """A zero-byte odsc.sqlite3 (a copy cut short, a crash as the file was made) holds no
    ledger: opening it must refuse it, not quietly turn it into an empty store that `check`
    passes."""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    path = store_path(data_dir)
    path.write_bytes(b"")
    cli = run_cli(data_dir, "check")
    assert cli.returncode == 3, (cli.returncode, cli.stdout, cli.stderr)
    assert "Traceback" not in cli.stderr
    assert folder(data_dir) == {"odsc.sqlite3": hashlib.sha256(b"").hexdigest()}
    with pytest.raises(StoreError):
        open_store(data_dir, clock=FakeClock())
    assert path.stat().st_size == 0


def test_newer_store_is_refused_untouched(tmp_path):
    data_dir = tmp_path / "data"
    path = counter_with_requests(data_dir, paid=1)
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at)"
        " VALUES (?, 'm042_from_the_future', '2027-01-01 00:00:00+00:00')",
        (schema.MIGRATION_SET,),
    )
    conn.commit()
    conn.close()
    before = folder(data_dir)
    with pytest.raises(StoreError) as err:
        open_store(data_dir, clock=FakeClock())
    assert_bilingual(err.value, "store.newer", path=str(path), migrations="m042_from_the_future")
    cli = run_cli(data_dir, "check")
    assert_cli_says(cli, "store.newer", 3, path=str(path), migrations="m042_from_the_future")
    assert folder(data_dir) == before  # no backup taken, no migration tried


@pytest.mark.parametrize("exists", [False, True], ids=["no-folder", "empty-folder"])
def test_missing_store_is_named_and_nothing_is_made(tmp_path, exists):
    data_dir = tmp_path / "data"
    if exists:
        data_dir.mkdir()
    before = folder(data_dir)
    cli = run_cli(data_dir, *NEW_REQUEST)
    assert_cli_says(cli, "store.missing", 3, path=str(store_path(data_dir)))
    assert folder(data_dir) == before


# -- a read-only store ------------------------------------------------------------------------


def test_read_only_store_refuses_writes_and_records_nothing(tmp_path):
    data_dir = tmp_path / "data"
    path = counter_with_requests(data_dir, paid=1)
    with read_only(path):
        before_bytes = path.read_bytes()
        before = dump(path)
        store = open_store(data_dir, clock=FakeClock(), hasher=FAST_HASHER)
        try:
            # A login counts failures in the store (users.authenticate): one that cannot be
            # written is refused as the file's fault, before any password is tried.
            with pytest.raises(StoreError) as err:
                users.authenticate(store, "noy", PASSWORD)
            assert_bilingual(err.value, "store.readonly", path=str(path))
            clerk_id = store.scalar("SELECT id FROM users WHERE username = 'noy'")
            clerk = users.Actor(clerk_id, "noy", "clerk")
            with pytest.raises(StoreError) as err:
                service_requests.record_request(
                    store, clerk, service_code="MOHA-BIRTH", citizen_name="A"
                )
            assert_bilingual(err.value, "store.readonly", path=str(path))
            assert not store.conn.in_transaction
        finally:
            store.close()
        cli = run_cli(data_dir, *NEW_REQUEST)
        assert_cli_says(cli, "store.readonly", 3, path=str(path))
        reading = run_cli(data_dir, "check")  # reading still works
        assert reading.returncode == 0, reading.stderr
        assert path.read_bytes() == before_bytes
        assert dump(path) == before


# -- init that fails or is killed -------------------------------------------------------------


BAD_CATALOGS = {
    "not-json": ("{ this is not json", "catalog.unreadable"),
    "no-services": (
        json.dumps({"version": 1, "label": "x", "ministries": [], "documents": [], "services": []}),
        "catalog.field",
    ),
}


@pytest.mark.parametrize("exists", [False, True], ids=["no-folder", "folder-with-a-file"])
@pytest.mark.parametrize("bad", list(BAD_CATALOGS))
def test_init_with_a_bad_catalog_leaves_the_folder_as_it_was(tmp_path, bad, exists):
    content, code = BAD_CATALOGS[bad]
    catalog = tmp_path / "catalog.json"
    catalog.write_text(content, encoding="utf-8")
    data_dir = tmp_path / "data"
    if exists:
        data_dir.mkdir()
        (data_dir / "notes.txt").write_text("keep me", encoding="utf-8")
    before = folder(data_dir)
    cli = run_cli(data_dir, *INIT_ARGS, "--catalog", str(catalog))
    assert_cli_says(cli, code, 1)
    assert folder(data_dir) == before


def no_file_over_64_kib() -> None:
    """In the child: the kernel refuses to let any file grow past 64 KiB (a disk that fills)."""
    import resource

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # get EFBIG from write(), not a signal
    resource.setrlimit(resource.RLIMIT_FSIZE, (65536, 65536))


@POSIX_ONLY
def test_init_that_cannot_write_leaves_the_folder_as_it_was(tmp_path):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    cli = run_cli(data_dir, *INIT_ARGS, "--demo-catalog", preexec_fn=no_file_over_64_kib)
    assert cli.returncode == 3, (cli.returncode, cli.stderr)
    assert "Traceback" not in cli.stderr
    assert LAO.search(cli.stderr)
    assert "Error: " in cli.stderr
    assert folder(data_dir) == {}, "a refused init left files behind"


def kill_init(data_dir: Path) -> None:
    """`init` SIGKILLed at its first clock reading: after the schema is made, inside the
    transaction that writes the office, the admin and the catalog."""
    worker = subprocess.run(
        [sys.executable, str(WORKER), "init", str(data_dir), FakeClock().moment.isoformat(), "1"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert worker.returncode == -signal.SIGKILL, (worker.returncode, worker.stdout, worker.stderr)


@POSIX_ONLY
def test_init_killed_midway_can_be_run_again(tmp_path):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    kill_init(data_dir)
    cli = run_cli(data_dir, *INIT_ARGS, "--demo-catalog")
    assert cli.returncode == 0, (cli.returncode, cli.stderr)
    check = run_cli(data_dir, "check")
    assert check.returncode == 0, check.stderr


@POSIX_ONLY
def test_init_killed_midway_is_not_passed_by_check(tmp_path):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    kill_init(data_dir)
    check = run_cli(data_dir, "check")
    assert check.returncode != 0, f"`odsc check` passed a store init never finished: {check.stdout}"
    assert "Traceback" not in check.stderr
    assert LAO.search(check.stderr)
    assert "Error: " in check.stderr
