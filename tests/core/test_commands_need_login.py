"""Which `odsc` commands need a login, and with which role; logins at the command line are
slowed and locked like the window's; a backup to a file is encrypted with a passphrase."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from odsc_desk.domain import service_requests, users
from odsc_desk.storage.store import STORE_FILE
from tests.conftest import PASSWORD, Counter
from tests.core.test_cli import Clock, run_cli

PASSPHRASE = {"ODSC_BACKUP_PASSPHRASE": "lantern-by-the-river"}
CITIZEN = "ສົມສັກ ພົມມະຈັນ"
TOKEN = "sync-token-Qw8Zp2Lk9Xv4Rt7Yb1Nm6"


@pytest.fixture
def counter_with_data(counter: Counter) -> Counter:
    service_requests.record_request(
        counter.store, counter.clerk, service_code="MOHA-BIRTH", citizen_name=CITIZEN
    )
    with counter.store.transaction():
        counter.store.conn.execute("UPDATE sync_state SET token = ? WHERE id = 1", (TOKEN,))
    return counter


def dump(data: Path) -> list[str]:
    return list(sqlite3.connect(data / STORE_FILE).iterdump())


def odsc(c: Counter, *args: Any, user: str | None = None, env: dict | None = None) -> Any:
    environment = {"ODSC_PASSWORD": PASSWORD, **PASSPHRASE, **(env or {})}
    return run_cli(c.data_dir, *args, user=user, env=environment, json_out=True, clock=c.clock)


@pytest.mark.parametrize(
    "args",
    [
        ("request", "list"),
        ("request", "show", "VTE-SST-1-261126-0001"),
        ("day",),
        ("user", "list"),
        ("export", "--from", "2026-11-26", "--to", "2026-11-26", "--out", "{tmp}/e.csv"),
        ("backup", "--out", "{tmp}/b.sqlite3"),
        ("sync", "parked"),
        ("sync", "parked", "--retry"),
        ("sync", "run", "--once"),
        ("user", "unlock", "noy"),
        ("summary", "--out", "{tmp}/s.pdf"),
    ],
    ids=lambda a: " ".join(a[:2]),
)
def test_reading_personal_data_secrets_or_writing_needs_a_login(
    counter_with_data: Counter, tmp_path: Path, args: tuple[str, ...]
):
    c = counter_with_data
    out = tmp_path / "out"
    out.mkdir()
    before = dump(c.data_dir)
    result = odsc(c, *(a.format(tmp=out) for a in args))
    assert result.code == 1, result
    assert result.json["error"]["code"] == "user.needed"
    assert CITIZEN not in result.out + result.err
    assert dump(c.data_dir) == before
    assert list(out.iterdir()) == []


@pytest.mark.parametrize(
    "args",
    [
        ("backup", "--out", "{tmp}/b.sqlite3"),
        ("sync", "parked", "--retry"),
        ("user", "unlock", "somchai"),
        ("sync", "enroll", "--server", "https://localhost:1", "--code", "x"),
    ],
    ids=lambda a: " ".join(a[:2]),
)
def test_a_clerk_may_not_back_up_to_a_file_retry_parked_ops_or_unlock(
    counter_with_data: Counter, tmp_path: Path, args: tuple[str, ...]
):
    c = counter_with_data
    out = tmp_path / "out"
    out.mkdir()
    before = dump(c.data_dir)
    result = odsc(c, *(a.format(tmp=out) for a in args), user="noy")
    assert result.code == 1, result
    assert result.json["error"]["code"] == "auth.role"
    assert dump(c.data_dir) == before
    assert list(out.iterdir()) == []


def test_a_supervisor_retries_parked_ops(counter_with_data: Counter):
    result = odsc(counter_with_data, "sync", "parked", "--retry", user="somchai")
    assert result.code == 0, result
    assert result.json == {"requeued": 0}


@pytest.mark.parametrize(
    "args",
    [("check",), ("catalog", "list"), ("setting", "list"), ("closure", "list"), ("sync", "status")],
    ids=" ".join,
)
def test_commands_without_personal_data_or_secrets_need_no_login(
    counter_with_data: Counter, args: tuple[str, ...]
):
    result = odsc(counter_with_data, *args)
    assert result.code == 0, result
    assert CITIZEN not in result.out and TOKEN not in result.out


def test_the_automatic_backup_needs_no_login_and_stays_whole(counter_with_data: Counter):
    result = odsc(counter_with_data, "backup", "--auto")
    assert result.code == 0, result
    [copy] = result.json["copies"]
    with sqlite3.connect(copy["path"]) as conn:
        assert conn.execute("SELECT token FROM sync_state").fetchone()[0] == TOKEN


def test_a_backup_to_a_file_is_encrypted_and_restores_with_its_passphrase(
    counter_with_data: Counter, tmp_path: Path
):
    c = counter_with_data
    out = tmp_path / "usb" / "monday.odsc"
    out.parent.mkdir()
    made = odsc(c, "backup", "--out", out, user="somchai")
    assert made.code == 0, made
    sealed = out.read_bytes()
    assert not sealed.startswith(b"SQLite format 3")
    for clear in (CITIZEN.encode("utf-8"), TOKEN.encode("ascii"), b"counter_keys", b"argon2"):
        assert clear not in sealed
    assert sorted(p.name for p in out.parent.iterdir()) == ["monday.odsc"]
    assert not list(c.data_dir.glob(".clear-*"))  # the copy in clear is gone

    fresh = tmp_path / "new-pc"
    other = {"ODSC_BACKUP_PASSPHRASE": "not-the-passphrase"}
    wrong = run_cli(fresh, "restore", out, env=other, json_out=True)
    assert (wrong.code, wrong.json["error"]["code"]) == (1, "restore.passphrase_wrong")
    cut = tmp_path / "cut.odsc"
    cut.write_bytes(sealed[: len(sealed) - 100])
    damaged = run_cli(fresh, "restore", cut, env=PASSPHRASE, json_out=True)
    assert (damaged.code, damaged.json["error"]["code"]) == (1, "restore.damaged")
    assert not (fresh / STORE_FILE).exists()

    restored = run_cli(fresh, "restore", out, env=PASSPHRASE, json_out=True)
    assert restored.code == 0, restored
    assert restored.json["restored_from"] == str(out)
    assert [p.name for p in fresh.iterdir() if p.name.startswith(".clear")] == []
    with sqlite3.connect(fresh / STORE_FILE) as conn:
        assert conn.execute("SELECT token FROM sync_state").fetchone()[0] == TOKEN
    check = run_cli(fresh, "check", json_out=True)
    assert check.code == 0 and check.json["ok"] is True


def test_a_backup_passphrase_follows_the_password_rules(counter: Counter, tmp_path: Path):
    out = tmp_path / "b.odsc"
    result = odsc(counter, "backup", "--out", out, user="somchai", env={
        "ODSC_BACKUP_PASSPHRASE": "password12"
    })  # fmt: skip
    assert (result.code, result.json["error"]["code"]) == (1, "user.password_common")
    assert not out.exists()


def test_command_line_guesses_are_slowed_then_locked(counter: Counter):
    """26 guesses in 13.6 s used to be refused one by one and the right password then worked
    at once. Now the fourth attempt waits, and the tenth failure locks the name."""
    clock = Clock(counter.clock.moment)
    wrong = {"ODSC_PASSWORD": "guess-password-1"}

    def guess(password_env: dict[str, str]) -> str:
        result = run_cli(
            counter.data_dir, "request", "list", user="noy", env=password_env, json_out=True,
            clock=clock,
        )  # fmt: skip
        return "ok" if result.code == 0 else result.json["error"]["code"]

    assert [guess(wrong) for _ in range(4)] == ["auth.failed"] * 3 + ["auth.wait"]
    for _ in range(7):
        clock.advance(seconds=60)
        last = guess(wrong)
    assert last == "auth.locked"
    assert guess({"ODSC_PASSWORD": PASSWORD}) == "auth.locked"
    listed = run_cli(
        counter.data_dir, "user", "list", user="somchai", env={"ODSC_PASSWORD": PASSWORD},
        json_out=True, clock=clock,
    )  # fmt: skip
    assert [lock["username"] for lock in listed.json["locks"]] == ["noy"]
    unlocked = run_cli(
        counter.data_dir, "user", "unlock", "noy", user="somchai",
        env={"ODSC_PASSWORD": PASSWORD}, json_out=True, clock=clock,
    )  # fmt: skip
    assert unlocked.json == {"username": "noy", "failures_cleared": users.LOCK_AFTER}
    assert guess({"ODSC_PASSWORD": PASSWORD}) == "ok"
