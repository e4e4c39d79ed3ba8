"""Automatic backups on real stores and real folders: the copy, its check, where it goes, when
it is due, rotation, the warnings, and targets that are missing, read-only or full."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest

from odsc_desk.domain import cash, payments, service_requests, settings
from odsc_desk.maintenance import autobackup, backups, integrity
from odsc_desk.maintenance.autobackup import BackupError
from odsc_desk.shared.errors import ValidationError
from odsc_desk.shared.messages import render
from odsc_desk.storage.schema import APPLICATION_ID
from odsc_desk.storage.store import STORE_FILE, open_store
from tests.conftest import FAST_HASHER, cannot_run_here, read_only

AUTO = Path("backups") / "auto"


def visit(counter) -> dict:
    r = service_requests.record_request(
        counter.store, counter.clerk, service_code="MOHA-BIRTH", citizen_name="ນາງ ນ້ອຍ"
    )
    return payments.record_payment(counter.store, counter.clerk, r["tracking"])


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def store_files(data_dir: Path) -> dict[str, str]:
    """The live store's files, to show a backup never changed them."""
    return {p.name: digest(p) for p in data_dir.glob(f"{STORE_FILE}*")}


def rows(path: Path, table: str) -> int:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


def second_at(counter, folder: Path) -> None:
    settings.set_value(counter.store, counter.supervisor, "backup_second_location", str(folder))


@pytest.fixture
def busy(open_counter):
    for _ in range(3):
        visit(open_counter)
    return open_counter


def test_a_copy_is_one_checked_file_named_by_counter_and_office_time(busy):
    report = autobackup.run_backup(busy.store, busy.data_dir)
    assert report["failures"] == []
    (made,) = report["copies"]
    path = Path(made["path"])
    # 02:00 UTC is 09:00 in Vientiane
    assert path == busy.data_dir / AUTO / "odsc-VTE-SST-1-2026-11-26T090000.sqlite3"
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]  # no partial left
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    finally:
        conn.close()
    assert rows(path, "payments") == 3
    last = autobackup.last_backup(busy.data_dir)
    assert last.path == path and last.business_date == date(2026, 11, 26)


def test_the_copy_is_taken_online_and_holds_only_what_was_committed(busy):
    """Another connection in the middle of a payment: the copy neither waits for it nor
    catches half of it."""
    other = open_store(busy.data_dir, clock=busy.clock, hasher=FAST_HASHER)
    try:
        other.conn.execute("BEGIN IMMEDIATE")
        other.conn.execute("INSERT INTO settings (key, value) VALUES ('printer', 'half-done')")
        report = autobackup.run_backup(busy.store, busy.data_dir)
        other.conn.execute("COMMIT")
    finally:
        other.close()
    path = Path(report["copies"][0]["path"])
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        assert conn.execute("SELECT COUNT(*) FROM settings WHERE key = 'printer'").fetchone() == (
            0,
        )
    finally:
        conn.close()


def test_a_second_location_gets_the_same_checked_copy(busy, tmp_path):
    usb = tmp_path / "usb"
    usb.mkdir()
    second_at(busy, usb)
    report = autobackup.run_backup(busy.store, busy.data_dir)
    assert report["failures"] == []
    local, remote = (Path(c["path"]) for c in report["copies"])
    assert remote == usb / local.name
    assert digest(remote) == digest(local)


def test_due_daily_after_the_day_is_closed_and_when_the_usb_drive_comes_back(
    open_counter, tmp_path
):
    c = open_counter
    assert autobackup.due(c.store, c.data_dir) == "daily"
    assert autobackup.run_due(c.store, c.data_dir)["reason"] == "daily"
    assert autobackup.due(c.store, c.data_dir) is None
    assert autobackup.run_due(c.store, c.data_dir) is None
    visit(c)
    c.clock.advance(hours=8)
    assert autobackup.due(c.store, c.data_dir) is None  # a payment alone waits for the day
    cash.close_cash(c.store, c.clerk, 60_000)
    assert autobackup.due(c.store, c.data_dir) == "day_closed"
    autobackup.run_due(c.store, c.data_dir)
    assert autobackup.due(c.store, c.data_dir) is None
    usb = tmp_path / "usb"
    second_at(c, usb)
    assert autobackup.due(c.store, c.data_dir) is None  # not plugged in: nothing to do yet
    usb.mkdir()
    assert autobackup.due(c.store, c.data_dir) == "second_location"
    autobackup.run_due(c.store, c.data_dir)
    assert autobackup.due(c.store, c.data_dir) is None
    c.clock.advance(hours=16)  # the next morning
    assert autobackup.due(c.store, c.data_dir) == "daily"


def test_rotation_keeps_the_newest_daily_and_month_end_copies_of_this_counter_only(counter):
    c = counter
    settings.set_value(c.store, c.supervisor, "backup_keep_daily", "3")
    settings.set_value(c.store, c.supervisor, "backup_keep_monthly", "2")
    auto = c.data_dir / AUTO
    auto.mkdir(parents=True)
    # Not ours to delete: another counter's copies, a hand-made backup.
    strangers = ["odsc-VTE-SST-2-2026-10-01T170000.sqlite3", "before-the-move.sqlite3"]
    for name in strangers:
        (auto / name).write_bytes(b"x")
    moments = [(10, 30, 17), (10, 31, 17), (11, 1, 17), (11, 2, 9), (11, 2, 17)]
    moments += [(11, 27, 17), (11, 28, 17), (11, 30, 17), (12, 1, 17)]
    for month, day, hour in moments:
        c.clock.set_local(2026, month, day, hour)
        assert autobackup.run_backup(c.store, c.data_dir)["failures"] == []
    left = sorted(p.name for p in auto.iterdir())
    # Daily: 28 Nov, 30 Nov, 1 Dec. Month-end: November's (30 Nov) and December's (1 Dec).
    assert left == sorted(
        [
            *strangers,
            "odsc-VTE-SST-1-2026-11-28T170000.sqlite3",
            "odsc-VTE-SST-1-2026-11-30T170000.sqlite3",
            "odsc-VTE-SST-1-2026-12-01T170000.sqlite3",
        ]
    )


def test_rotation_with_more_months_keeps_each_months_last_copy(tmp_path):
    folder = tmp_path / "auto"
    folder.mkdir()
    names = [
        f"odsc-VTE-SST-1-2026-{m:02d}-{d:02d}T170000.sqlite3"
        for m, d in ((9, 29), (9, 30), (10, 30), (10, 31), (11, 1), (11, 2))
    ]
    for name in names:
        (folder / name).write_bytes(b"copy")
    deleted = autobackup.rotate(folder, "VTE-SST-1", keep_daily=2, keep_monthly=3)
    assert sorted(p.name for p in deleted) == [names[0], names[2]]
    # Settings of 0 still never delete the newest copy.
    autobackup.rotate(folder, "VTE-SST-1", keep_daily=0, keep_monthly=0)
    assert [p.name for p in folder.iterdir()] == [names[-1]]


def test_warnings_no_copy_an_old_copy_and_a_second_location_that_cannot_be_used(counter, tmp_path):
    c = counter
    assert [w.code for w in autobackup.status(c.store, c.data_dir)["warnings"]] == ["backup.none"]
    autobackup.run_backup(c.store, c.data_dir)
    assert autobackup.status(c.store, c.data_dir)["warnings"] == []
    c.clock.advance(days=2)
    assert autobackup.status(c.store, c.data_dir)["warnings"] == []
    c.clock.advance(hours=1)
    (stale,) = autobackup.status(c.store, c.data_dir)["warnings"]
    assert stale.code == "backup.stale"
    assert "26/11/2026 09:00, 2 days ago" in stale.message_en
    usb = tmp_path / "usb"
    second_at(c, usb)
    codes = [w.code for w in autobackup.status(c.store, c.data_dir)["warnings"]]
    assert codes == ["backup.stale", "backup.second_missing"]
    usb.mkdir()
    with read_only(usb):
        codes = [w.code for w in autobackup.status(c.store, c.data_dir)["warnings"]]
        assert codes == ["backup.stale", "backup.second_unwritable"]


# -- targets that fail ---------------------------------------------------------------------------
def test_a_missing_second_location_is_reported_and_the_local_copy_still_made(busy, tmp_path):
    usb = tmp_path / "usb-not-plugged-in"
    second_at(busy, usb)
    before = store_files(busy.data_dir)
    report = autobackup.run_backup(busy.store, busy.data_dir)
    (failure,) = report["failures"]
    assert failure["code"] == "backup.target_missing"
    assert "USB" in failure["message_en"] and "USB" in failure["message_lo"]
    assert len(report["copies"]) == 1
    assert not usb.exists()
    assert store_files(busy.data_dir) == before


def test_a_read_only_second_location_leaves_nothing_behind(busy, tmp_path):
    usb = tmp_path / "usb"
    usb.mkdir()
    second_at(busy, usb)
    before = store_files(busy.data_dir)
    with read_only(usb):
        report = autobackup.run_backup(busy.store, busy.data_dir)
    (failure,) = report["failures"]
    assert failure["code"] == "backup.target_readonly"
    assert failure["message_lo"].startswith("ຂຽນໃສ່ບ່ອນສຳຮອງ")
    assert list(usb.iterdir()) == []
    assert store_files(busy.data_dir) == before


def test_a_read_only_data_folder_still_gets_its_copy_on_the_usb_drive(busy, tmp_path):
    """The local copy fails: the second location is written from the store itself."""
    auto = busy.data_dir / AUTO
    auto.mkdir(parents=True)
    usb = tmp_path / "usb"
    usb.mkdir()
    second_at(busy, usb)
    with read_only(auto):
        report = autobackup.run_backup(busy.store, busy.data_dir)
    assert [f["code"] for f in report["failures"]] == ["backup.target_readonly"]
    (copy,) = report["copies"]
    assert Path(copy["path"]).parent == usb
    assert rows(Path(copy["path"]), "payments") == 3


# A child process makes one backup of the store at argv[1] and lists argv[2] after it. Its
# store is opened before `limit_file_size` (argv[3], bytes; 0: none) is set: past that size the
# kernel refuses each write with EFBIG, as a USB drive formatted FAT32 refuses a file over
# 4 GiB and as a user's quota refuses one more block. SQLite passes on only "disk I/O error".
BACKUP_CHILD = textwrap.dedent(
    """
    import json, signal, sys
    from pathlib import Path
    from odsc_desk.maintenance import autobackup
    from odsc_desk.storage.store import open_store
    from tests.conftest import FAST_HASHER, FakeClock
    store = open_store(sys.argv[1], clock=FakeClock(), hasher=FAST_HASHER)
    if int(sys.argv[3]):
        import resource
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a refused write, not a killed process
        hard = resource.getrlimit(resource.RLIMIT_FSIZE)[1]
        resource.setrlimit(resource.RLIMIT_FSIZE, (int(sys.argv[3]), hard))
    report = autobackup.run_backup(store, sys.argv[1])
    store.close()
    report["left"] = sorted(p.name for p in Path(sys.argv[2]).iterdir())
    print(json.dumps(report))
    """
)


def backup_in_child(
    data_dir: Path, folder: Path, *, mount: str = "", limit_file_size: int = 0
) -> dict:
    """`BACKUP_CHILD`'s report. `mount` (shell commands) runs first, in a private mount
    namespace (unshare) no other process on the machine sees: a tiny tmpfs is a real "No space
    left on device", a read-only remount a real read-only file system."""
    command = [sys.executable, "-c", BACKUP_CHILD, str(data_dir), str(folder), str(limit_file_size)]
    if mount:
        if shutil.which("unshare") is None:
            cannot_run_here("no unshare(1): no private mount to fill or make read-only")
        script = f'{mount} && exec "$@"'
        command = ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", script, "sh"]
        command += [sys.executable, "-c", BACKUP_CHILD, str(data_dir), str(folder)]
        command += [str(limit_file_size)]
    run = subprocess.run(
        command, capture_output=True, text=True, timeout=60, cwd=Path(__file__).parents[2]
    )
    if run.returncode != 0 and "mount" in run.stderr:
        cannot_run_here(f"cannot mount a private tmpfs here: {run.stderr.strip()}")
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def test_a_full_second_location_is_reported_and_the_partial_copy_removed(busy, tmp_path):
    usb = tmp_path / "usb"
    usb.mkdir()
    second_at(busy, usb)
    busy.store.close()
    before = store_files(busy.data_dir)
    report = backup_in_child(
        busy.data_dir, usb, mount=f"mount -t tmpfs -o size=128k odsc-test {usb}"
    )
    (failure,) = report["failures"]
    assert failure["code"] == "backup.target_full"
    assert "full" in failure["message_en"] and "ເຕັມ" in failure["message_lo"]
    assert report["left"] == []
    assert len(report["copies"]) == 1
    assert store_files(busy.data_dir) == before


def test_a_full_data_folder_is_reported_and_the_partial_copy_removed(busy):
    """The local copy is written by SQLite itself, which says only "database or disk is full"."""
    auto = busy.data_dir / AUTO
    auto.mkdir(parents=True)
    busy.store.close()
    before = store_files(busy.data_dir)
    report = backup_in_child(
        busy.data_dir, auto, mount=f"mount -t tmpfs -o size=128k odsc-test {auto}"
    )
    assert [f["code"] for f in report["failures"]] == ["backup.target_full"]
    assert report["failures"][0]["message_en"] == render("backup.target_full", path=str(auto))[1]
    assert (report["copies"], report["left"]) == ([], [])
    assert store_files(busy.data_dir) == before


def test_a_read_only_file_system_is_named_as_such(busy):
    """A read-only mount (a USB drive's lock switch, a disk the system remounted read-only)."""
    auto = busy.data_dir / AUTO
    auto.mkdir(parents=True)
    busy.store.close()
    mount = f"mount -t tmpfs -o size=1m odsc-test {auto} && mount -o remount,ro {auto}"
    report = backup_in_child(busy.data_dir, auto, mount=mount)
    (failure,) = report["failures"]
    assert failure["code"] == "backup.target_readonly"
    lo, en = render("backup.target_readonly", path=str(auto))
    assert (failure["message_lo"], failure["message_en"]) == (lo, en)
    assert (report["copies"], report["left"]) == ([], [])


def test_a_file_too_large_for_the_drive_is_not_a_bare_disk_io_error(busy):
    """SQLite reports EFBIG (and EDQUOT) as "disk I/O error": the folder is asked again, and the
    clerk reads that the drive cannot take the copy, in Lao and English, not SQLite's words."""
    if sys.platform == "win32":
        cannot_run_here("no file size limit (RLIMIT_FSIZE) on Windows")
    auto = busy.data_dir / AUTO
    auto.mkdir(parents=True)
    busy.store.close()
    before = store_files(busy.data_dir)
    assert (busy.data_dir / STORE_FILE).stat().st_size > 65536
    report = backup_in_child(busy.data_dir, auto, limit_file_size=65536)
    (failure,) = report["failures"]
    assert failure["code"] == "backup.target_full"
    lo, en = render("backup.target_full", path=str(auto))
    assert (failure["message_lo"], failure["message_en"]) == (lo, en)
    assert "I/O" not in failure["message_en"]
    # Neither the partial copy nor the folder's probe file is left behind.
    assert (report["copies"], report["left"]) == ([], [])
    assert store_files(busy.data_dir) == before


def test_a_copy_that_fails_its_check_is_not_kept(busy, tmp_path):
    good = Path(autobackup.run_backup(busy.store, busy.data_dir)["copies"][0]["path"])
    damaged = tmp_path / "damaged.sqlite3"
    data = bytearray(good.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 4096] = b"\xff" * 4096  # a page of the tables
    damaged.write_bytes(bytes(data))
    target = tmp_path / "out" / good.name
    target.parent.mkdir()
    with pytest.raises(BackupError) as err:
        autobackup.write_verified(damaged, target)
    assert err.value.code == "backup.verify_failed"
    assert list(target.parent.iterdir()) == []


# -- restores --------------------------------------------------------------------------------------
def test_a_damaged_backup_is_refused_and_the_store_left_as_it_was(busy, tmp_path):
    good = Path(autobackup.run_backup(busy.store, busy.data_dir)["copies"][0]["path"])
    damaged = tmp_path / "damaged.sqlite3"
    data = bytearray(good.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 4096] = b"\xff" * 4096
    damaged.write_bytes(bytes(data))
    visit(busy)
    busy.store.close()
    before = store_files(busy.data_dir)
    with pytest.raises(ValidationError) as err:
        backups.restore(busy.data_dir, damaged, busy.supervisor, clock=busy.clock)
    assert err.value.code == "restore.damaged"
    assert store_files(busy.data_dir) == before
    assert not list((busy.data_dir / "backups").glob("pre-restore-*"))


def test_a_backup_from_a_newer_version_is_refused_before_it_replaces_anything(busy, tmp_path):
    newer = tmp_path / "newer.sqlite3"
    backups.backup(busy.store, newer)
    conn = sqlite3.connect(newer)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at)"
        " VALUES ('odsc_desk', 'm099_from_the_future', '2030-01-01')"
    )
    conn.commit()
    conn.close()
    busy.store.close()
    before = store_files(busy.data_dir)
    with pytest.raises(ValidationError) as err:
        backups.restore(busy.data_dir, newer, busy.supervisor, clock=busy.clock)
    assert err.value.code == "restore.newer"
    assert store_files(busy.data_dir) == before


def test_restoring_an_automatic_copy_saves_the_store_first_and_raises_the_floors(busy):
    copy = Path(autobackup.run_backup(busy.store, busy.data_dir)["copies"][0]["path"])
    after = visit(busy)  # printed after the copy: its number must never come back
    busy.store.close()
    result = backups.restore(busy.data_dir, copy, busy.supervisor, clock=busy.clock)
    saved = Path(result["previous_saved_as"])
    assert saved.parent == busy.data_dir / "backups" and saved.name.startswith("pre-restore-")
    assert rows(saved, "payments") == 4
    assert result["floors_raised"] >= 1
    store = open_store(busy.data_dir, clock=busy.clock, hasher=FAST_HASHER)
    try:
        assert integrity.check_store(store)["ok"]
        r = service_requests.record_request(
            store, busy.clerk, service_code="MOHA-BIRTH", citizen_name="ກ"
        )
        again = payments.record_payment(store, busy.clerk, r["tracking"])
        assert again["receipt"] > after["receipt"]
    finally:
        store.close()
