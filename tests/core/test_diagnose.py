"""`odsc diagnose --out FILE.zip`: the report opened and read back, on a healthy, a damaged, a
newer and a missing store; no secret in it; no file overwritten; the store never changed."""

from __future__ import annotations

import hashlib
import io
import json
import sqlite3
import subprocess
import sys
import zipfile
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest

from odsc_desk import __version__
from odsc_desk.domain import cash, payments, service_requests, settings, signing
from odsc_desk.maintenance import diagnose, logs
from odsc_desk.shared.messages import render
from odsc_desk.storage import outbox, schema
from odsc_desk.storage.store import store_path
from tests.conftest import PASSWORD, Counter, make_counter
from ui.cli import main as cli

TOKEN = "sync-token-Qw8Zp2Lk9Xv4Rt7Yb1Nm6"
MEMBERS = {"versions.json", "settings.json", "store.json", "integrity.json", "sync.json"}


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def json(self) -> dict[str, Any]:
        return json.loads(self.out)


def odsc(data_dir: Path, *args: Any, json_out: bool = True) -> Run:
    """`odsc [--json] --data-dir D ARGS` in-process."""
    out, err = io.StringIO(), io.StringIO()
    flags = ["--json"] if json_out else []
    with redirect_stdout(out), redirect_stderr(err):
        code = cli.main(["--data-dir", str(data_dir), *flags, *(str(a) for a in args)])
    return Run(code, out.getvalue(), err.getvalue())


def read_zip(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        return {name: archive.read(name) for name in archive.namelist()}


def section(members: dict[str, bytes], name: str) -> Any:
    return json.loads(members[name].decode("utf-8"))


def file_state(data_dir: Path) -> dict[str, str]:
    """The store's content: its file and its WAL, by sha256. Not the -shm index (SQLite's
    shared memory), nor an empty -wal: a read-only reader of a WAL store may leave one."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(data_dir.glob("odsc.sqlite3*"))
        if not p.name.endswith("-shm") and p.stat().st_size > 0
    }


@pytest.fixture
def busy(counter: Counter) -> Counter:
    """A counter with a paid request, a signing key, an enrollment, and a log."""
    store = counter.store
    cash.open_cash(store, counter.clerk, 50_000)
    request = service_requests.record_request(
        store, counter.clerk, service_code="MOHA-BIRTH", citizen_name="ສົມສັກ ພົມມະຈັນ"
    )
    payments.record_payment(store, counter.clerk, request["tracking"])
    with store.transaction():
        signing.ensure_key(store, counter.admin.id)
    settings.set_value(store, counter.supervisor, "idle_lock_minutes", "5")
    # What a successful `odsc sync enroll` leaves behind.
    with store.transaction():
        store.conn.execute(
            "UPDATE sync_state SET server_url = ?, token = ?, enrolled_at = ? WHERE id = 1",
            ("https://centre.example", TOKEN, store.now_stamp()),
        )
    return counter


def secrets_of(counter: Counter) -> list[str]:
    """What the store holds that must never leave it: the token, the password hashes, the
    receipts' signing key."""
    conn = counter.store.conn
    found = [TOKEN]
    found += [r[0] for r in conn.execute("SELECT password_hash FROM users")]
    found += [r[0] for r in conn.execute("SELECT private_key FROM counter_keys")]
    assert len(found) == 1 + 3 + 1
    return found


def test_report_holds_every_section_and_reads_back(busy: Counter, tmp_path: Path):
    store, data = busy.store, busy.data_dir
    before = file_state(data)
    out = tmp_path / "report.zip"
    run = odsc(data, "diagnose", "--out", out)
    assert run.code == 0, run.err
    assert run.json["path"] == str(out) and run.json["bytes"] == out.stat().st_size
    assert run.json["integrity_ok"] is True and run.json["store_error"] is None
    members = read_zip(out)
    assert set(members) == MEMBERS

    versions = section(members, "versions.json")
    assert versions["odsc_desk"] == __version__
    assert versions["sqlite"] == sqlite3.sqlite_version
    assert versions["python"]["version"] == ".".join(map(str, sys.version_info[:3]))
    assert versions["packages"]["PySide6-Essentials"] == metadata.version("PySide6-Essentials")
    assert versions["packages"]["reportlab"] == metadata.version("reportlab")
    assert versions["data_dir"] == str(data)

    kept = section(members, "settings.json")
    assert kept["settings"]["values"] == settings.all_values(store)
    assert kept["settings"]["values"]["idle_lock_minutes"] == 5
    assert kept["settings"]["changed_from_default"] == ["idle_lock_minutes"]
    assert kept["office"]["office_code"] == "VTE-SST"
    assert [(u["username"], u["role"]) for u in kept["users"]] == [
        ("admin", "admin"),
        ("noy", "clerk"),
        ("somchai", "supervisor"),
    ]
    assert kept["sync_state"]["server_url"] == "https://centre.example"
    assert kept["sync_state"]["token_set"] is True
    assert "token" not in kept["sync_state"]

    facts = section(members, "store.json")
    assert facts["file"]["bytes"] == store_path(data).stat().st_size
    assert facts["sqlite"]["journal_mode"] == "wal"
    assert facts["sqlite"]["page_count"] * facts["sqlite"]["page_size"] >= facts["file"]["bytes"]
    assert facts["migrations"]["schema_version"] == schema.known_migrations()[-1]
    assert facts["migrations"]["pending"] == facts["migrations"]["unknown"] == []
    rows = facts["rows"]
    for table in ("payments", "requests", "users", "audit_log", "outbox", "counter_keys"):
        assert rows[table] == store.scalar(f"SELECT COUNT(*) FROM {table}"), table
    assert rows["payments"] == 1 and rows["users"] == 3
    assert facts["disk_free_bytes"] > 0
    listed = {entry["name"]: entry for entry in facts["data_folder"]}
    assert listed["odsc.sqlite3"]["bytes"] == facts["file"]["bytes"]
    assert set(listed) >= {"odsc.sqlite3", "odsc.sqlite3-wal"}

    checked = section(members, "integrity.json")
    assert checked["ok"] is True and checked["integrity"] == "ok"
    assert checked["audit_rows"] == store.scalar("SELECT COUNT(*) FROM audit_log")

    sync = section(members, "sync.json")
    assert sync["status"]["enrolled"] is True
    assert sync["status"]["pending"] == outbox.pending_count(store) > 0
    assert sync["parked"] == []
    # Read-only: the report changed nothing in the store's files.
    assert file_state(data) == before


def test_no_secret_is_anywhere_in_the_report(busy: Counter, tmp_path: Path):
    data = busy.data_dir
    secrets = secrets_of(busy)
    # A log that leaked: lines a careless caller wrote past the filter, as they would sit in
    # the file. The report must not carry them on.
    folder = logs.log_folder(data)
    folder.mkdir()
    leaked = [f"2026-11-26T09:00:00.000+07:00 WARNING odsc.x saw {s}" for s in secrets]
    leaked.append(f"2026-11-26T09:00:01.000+07:00 WARNING odsc.x login password={PASSWORD}")
    (folder / "odsc-desk.log").write_text("\n".join(leaked) + "\n", encoding="utf-8")
    out = tmp_path / "report.zip"
    assert odsc(data, "diagnose", "--out", out).code == 0
    raw = out.read_bytes()
    members = read_zip(out)
    assert "logs/odsc-desk.log" in members
    assert members["logs/odsc-desk.log"].decode().count(logs.MASK) == len(secrets) + 1
    for secret in [*secrets, PASSWORD]:
        needle = secret.encode("utf-8")
        assert needle not in raw
        assert all(needle not in content for content in members.values()), secret


def test_logs_are_the_last_two_thousand_lines_across_rotated_files(busy: Counter, tmp_path):
    folder = logs.log_folder(busy.data_dir)
    folder.mkdir()
    (folder / "odsc.log.1").write_text(
        "".join(f"old line {n}\n" for n in range(1500)), encoding="utf-8"
    )
    (folder / "odsc.log").write_text(
        "".join(f"new line {n}\n" for n in range(1200)), encoding="utf-8"
    )
    out = tmp_path / "report.zip"
    assert odsc(busy.data_dir, "diagnose", "--out", out).code == 0
    lines = read_zip(out)["logs/odsc.log"].decode("utf-8").splitlines()
    assert len(lines) == diagnose.LOG_LINES == 2000
    assert lines[0] == "old line 700" and lines[799] == "old line 1499"
    assert lines[800] == "new line 0" and lines[-1] == "new line 1199"


def test_an_existing_file_is_never_overwritten(busy: Counter, tmp_path: Path):
    out = tmp_path / "report.zip"
    out.write_bytes(b"keep me")
    run = odsc(busy.data_dir, "diagnose", "--out", out)
    assert run.code == 1
    assert run.json["error"]["code"] == "file.exists"
    lo, en = render("file.exists", path=str(out))
    assert run.err.splitlines() == [f"ຜິດພາດ: {lo}", f"Error: {en}"]
    assert out.read_bytes() == b"keep me"


def test_a_missing_folder_for_the_report_is_refused(busy: Counter, tmp_path: Path):
    out = tmp_path / "no-such-folder" / "report.zip"
    run = odsc(busy.data_dir, "diagnose", "--out", out)
    assert run.code == 1
    assert run.json["error"]["code"] == "file.no_folder"
    assert "Folder not found" in run.err
    assert not out.parent.exists()


def test_a_damaged_store_is_reported_not_failed_on(tmp_path: Path, clock):
    data = tmp_path / "data"
    counter = make_counter(data, clock)
    cash.open_cash(counter.store, counter.clerk, 0)
    for n in range(30):
        r = service_requests.record_request(
            counter.store, counter.clerk, service_code="MOHA-MARR", citizen_name=f"ນ້ອຍ {n}"
        )
        payments.record_payment(counter.store, counter.clerk, r["tracking"])
    root = counter.store.scalar("SELECT rootpage FROM sqlite_master WHERE name = 'payments'")
    page_size = counter.store.scalar("PRAGMA page_size")
    counter.store.close()
    with store_path(data).open("r+b") as handle:  # garbage over the payments table's root page
        handle.seek((root - 1) * page_size)
        handle.write(b"\xa5" * page_size)
    before = file_state(data)
    out = tmp_path / "report.zip"
    run = odsc(data, "diagnose", "--out", out)
    assert run.code == 0, run.err
    assert run.json["integrity_ok"] is False
    members = read_zip(out)
    assert set(members) >= MEMBERS
    checked = section(members, "integrity.json")
    assert checked["ok"] is False
    assert checked["problems"][0]["kind"] == "sqlite.integrity"
    assert checked["problems"][0]["message_en"].startswith("The database file is damaged")
    facts = section(members, "store.json")
    assert facts["rows"]["requests"] == 30  # what can still be read is still reported
    said = odsc(data, "diagnose", "--out", tmp_path / "again.zip", json_out=False)
    assert said.code == 0
    assert said.out.splitlines()[2:] == list(render("diagnose.integrity_failed"))
    assert file_state(data) == before


def test_garbage_in_place_of_the_store_still_gives_versions_and_logs(tmp_path: Path):
    data = tmp_path / "data"
    data.mkdir()
    store_path(data).write_bytes(b"SQLite format 3\x00" + b"\x07garbage" * 500)
    logs.log_folder(data).mkdir()
    (logs.log_folder(data) / "odsc-desk.log").write_text("last words\n", encoding="utf-8")
    out = tmp_path / "report.zip"
    run = odsc(data, "diagnose", "--out", out)
    assert run.code == 0, run.err
    assert run.json["store_error"]["code"] == "store.corrupt"
    members = read_zip(out)
    assert set(members) == MEMBERS | {"logs/odsc-desk.log"}
    assert members["logs/odsc-desk.log"] == b"last words\n"
    assert section(members, "versions.json")["odsc_desk"] == __version__
    facts = section(members, "store.json")
    assert facts["error"]["code"] == "store.corrupt"
    assert facts["file"]["bytes"] == store_path(data).stat().st_size
    for name in ("settings.json", "integrity.json", "sync.json"):
        assert section(members, name)["error"]["code"] == "store.corrupt"


def test_a_newer_store_is_described_and_left_alone(busy: Counter, tmp_path: Path):
    busy.store.close()
    conn = sqlite3.connect(store_path(busy.data_dir))
    with conn:
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at)"
            " VALUES (?, 'm042_from_the_future', '2027-01-01 00:00:00+00:00')",
            (schema.MIGRATION_SET,),
        )
    conn.close()
    before = file_state(busy.data_dir)
    out = tmp_path / "report.zip"
    run = odsc(busy.data_dir, "diagnose", "--out", out)
    assert run.code == 0, run.err
    migrations = section(read_zip(out), "store.json")["migrations"]
    assert migrations["unknown"] == ["m042_from_the_future"]
    assert migrations["schema_version"] == "m042_from_the_future"
    assert file_state(busy.data_dir) == before


def test_a_missing_store_gives_a_report_and_makes_no_folder(tmp_path: Path):
    data = tmp_path / "nowhere"
    out = tmp_path / "report.zip"
    run = odsc(data, "diagnose", "--out", out, json_out=False)
    assert run.code == 0, run.err
    text = run.out.splitlines()
    size = f"{out.stat().st_size:,}"
    assert text[:2] == list(render("diagnose.written", path=str(out), size=size))
    missing_lo, missing_en = render("store.missing", path=str(store_path(data)))
    assert text[2:] == [missing_lo, missing_en, *render("diagnose.store_unreadable")]
    members = read_zip(out)
    assert set(members) == MEMBERS
    assert section(members, "store.json")["file"] == {
        "path": str(store_path(data)),
        "exists": False,
    }
    assert section(members, "sync.json")["error"]["code"] == "store.missing"
    assert not data.exists()


def test_the_core_reads_library_versions_without_loading_qt(busy: Counter, tmp_path: Path):
    script = (
        "import sys; from pathlib import Path; from odsc_desk.maintenance import diagnose;"
        f"r = diagnose.collect(Path({str(busy.data_dir)!r}));"
        "assert b'PySide6-Essentials' in r.members['versions.json'];"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "[]"
