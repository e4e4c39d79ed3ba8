"""The `odsc` command line: the README scenario end to end, and what each command reports.

Most tests call `ui.cli.main.main` in-process against a copy of one data folder built per
module with the real `init`. In-process runs use a fixed clock (a Thursday morning in Vientiane)
and, for the users added after `init`, cheap Argon2 parameters; the admin's hash is the real
default one. A few tests run the installed console script: the whole scenario once, with the
real clock and real hashing costs, and some refusals, to check exit codes, that `--json` prints
exactly one JSON object, and that a missing password fails at once instead of waiting for input.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import partial
from pathlib import Path
from time import sleep
from typing import Any

import pytest
from argon2 import PasswordHasher

from odsc_desk import __version__
from odsc_desk.queries import export
from odsc_desk.shared.clock import VIENTIANE
from odsc_desk.storage.store import STORE_FILE, open_store
from ui.cli import context as cli_context
from ui.cli import main as cli

ODSC = Path(sys.executable).parent / "odsc"
if not ODSC.exists():  # run by an interpreter outside the project's virtualenv
    ODSC = Path(shutil.which("odsc") or ODSC)
OFFICE_NAME = "ຫ້ອງການບໍລິການປະຕູດຽວ ເມືອງສີສັດຕະນາກ"
LAO_NAME = "ສົມສັກ ພົມມະຈັນ"
LAO_VILLAGE = "ບ້ານໂພນສະອາດ"
# admin's hash has the real (slow) Argon2 cost; boss is a second admin with a cheap one.
# `odsc backup --out` encrypts; `odsc restore` of its copy asks for the same passphrase.
BACKUP_PASSPHRASE = {"ODSC_BACKUP_PASSPHRASE": "lantern-by-the-river"}
PASSWORDS = {
    "admin": "kettle-blue-17",
    "boss": "river-stone-42",
    "somchai": "mango-lantern-9",
    "noy": "paper-window-3",
}
ODSC_ENV = (
    "ODSC_DATA_DIR",
    "ODSC_USER",
    "ODSC_PASSWORD",
    "ODSC_NEW_PASSWORD",
    "ODSC_SUPERVISOR_PASSWORD",
)
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)

# What `build_base` leaves in the data folder (all on 2026-11-26, cash session open, float
# 100,000 kip): one request per state the refusals need.
DAY = "2026-11-26"
RECEIVED = "VTE-SST-1-261126-0001"  # MOHA-BIRTH, 10,000 due, Lao name, phone, ID, village
PAID = "VTE-SST-1-261126-0002"  # MOHA-MARR, paid 30,000 cash (receipt R_PAID), still received
COLLECTED = "VTE-SST-1-261126-0003"  # MOHA-BIRTH, paid 10,000 cash (R_COLLECTED), collected
REJECTED = "VTE-SST-1-261126-0004"  # MOHA-BIRTH, unpaid, rejected
R_PAID = "VTE-SST-1-2026-000001"
R_COLLECTED = "VTE-SST-1-2026-000002"
BASE_EXPECTED_CASH = 100_000 + 30_000 + 10_000


@dataclass
class Clock:
    """A clock the tests move by hand: 09:00 on Thursday 26 November 2026 in Vientiane."""

    moment: datetime = field(default_factory=lambda: datetime(2026, 11, 26, 2, 0, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, **delta: float) -> None:
        self.moment += timedelta(**delta)


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def json(self) -> Any:
        return one_json(self.out)


def one_json(out: str) -> dict[str, Any]:
    """stdout of a `--json` run: exactly one JSON object on one line."""
    assert out.endswith("\n") and out.count("\n") == 1, out
    value = json.loads(out)
    assert isinstance(value, dict)
    return value


def _environment(mp: pytest.MonkeyPatch, user: str | None, env: dict | None) -> None:
    for name in ODSC_ENV:
        mp.delenv(name, raising=False)
    if user in PASSWORDS:
        mp.setenv("ODSC_PASSWORD", PASSWORDS[user])
    mp.setenv("ODSC_SUPERVISOR_PASSWORD", PASSWORDS["somchai"])
    for name, value in (env or {}).items():
        if value is None:
            mp.delenv(name, raising=False)
        else:
            mp.setenv(name, value)


def run_cli(
    data_dir: Path | None,
    *args: Any,
    user: str | None = None,
    env: dict[str, str | None] | None = None,
    json_out: bool = False,
    clock: Clock | None = None,
) -> Result:
    """`odsc [--data-dir D] [--json] [--user U] ARGS` in-process.

    ODSC_PASSWORD is the user's password and ODSC_SUPERVISOR_PASSWORD somchai's, unless `env`
    says otherwise (None removes a variable).
    """
    argv = [] if data_dir is None else ["--data-dir", str(data_dir)]
    if json_out:
        argv.append("--json")
    if user is not None:
        argv += ["--user", user]
    argv += [str(a) for a in args]
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as mp, redirect_stdout(out), redirect_stderr(err):
        _environment(mp, user, env)
        mp.setattr(
            cli_context,
            "open_store",
            partial(open_store, clock=clock or Clock(), hasher=FAST_HASHER),
        )
        try:
            code = cli.main(argv)
        except SystemExit as exc:
            code = exc.code
    return Result(code, out.getvalue(), err.getvalue())


def script_env(env: dict[str, str | None] | None = None) -> dict[str, str]:
    environ = {k: v for k, v in os.environ.items() if k not in ODSC_ENV}
    # Lao on stdout needs a UTF-8 stream; test_json_output_survives_a_non_utf8_stdout covers
    # a console that is not.
    environ["PYTHONIOENCODING"] = "utf-8"
    for name, value in (env or {}).items():
        if value is None:
            environ.pop(name, None)
        else:
            environ[name] = value
    return environ


def run_script(
    data_dir: Path,
    *args: Any,
    user: str | None = None,
    env: dict[str, str | None] | None = None,
    json_out: bool = False,
    timeout: float = 60,
) -> Result:
    """The installed `odsc` console script, stdin not a terminal, with a timeout.

    ODSC_PASSWORD is the user's password; `env` adds variables (None removes one).
    """
    argv = [str(ODSC), "--data-dir", str(data_dir)]
    if json_out:
        argv.append("--json")
    if user is not None:
        argv += ["--user", user]
    environ = {"ODSC_PASSWORD": PASSWORDS[user]} if user in PASSWORDS else {}
    environ.update(env or {})
    proc = subprocess.run(
        [*argv, *(str(a) for a in args)],
        env=script_env(environ),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        encoding="utf-8",
        timeout=timeout,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


def ok(result: Result) -> Result:
    assert result.code == 0, result
    return result


def snapshot(data_dir: Path) -> tuple[list[str], list[str]]:
    """The data folder's file names and the store's full SQL dump."""
    names = sorted(
        str(p.relative_to(data_dir))
        for p in data_dir.rglob("*")
        if not p.name.endswith(("-wal", "-shm"))
    )
    conn = sqlite3.connect(data_dir / STORE_FILE)
    try:
        return names, list(conn.iterdump())
    finally:
        conn.close()


def init_args(**override: str) -> list[str]:
    options = {
        "--office-code": "VTE-SST",
        "--office-name": OFFICE_NAME,
        "--counter": "1",
        "--admin": "admin",
        **override,
    }
    args = ["init"]
    for option, value in options.items():
        args += [option, value]
    return [*args, "--demo-catalog"]


def build_base(data: Path) -> Path:
    """The shared starting point: a real `init`, three users, an open session, four requests."""
    run = partial(run_cli, data)
    ok(run(*init_args(), env={"ODSC_NEW_PASSWORD": PASSWORDS["admin"]}))
    for name, role in (("boss", "admin"), ("somchai", "supervisor"), ("noy", "clerk")):
        new = {"ODSC_NEW_PASSWORD": PASSWORDS[name]}
        ok(run("user", "add", name, "--role", role, user="admin", env=new))
    ok(run("session", "open", "--float", "100000", user="noy"))
    new = ("request", "new", "--service")
    ok(
        run(
            *new,
            "MOHA-BIRTH",
            "--citizen-name",
            LAO_NAME,
            "--phone",
            "020 5555 1234",
            "--id-number",
            "ab123456",
            "--village",
            LAO_VILLAGE,
            "--documents",
            "BIRTH-NOTICE",
            user="noy",
        )
    )
    ok(run(*new, "MOHA-MARR", "--citizen-name", "Khamla Vongsa", user="noy"))
    ok(run("pay", PAID, user="noy"))
    ok(run(*new, "MOHA-BIRTH", "--citizen-name", "ບຸນມີ ແກ້ວມະນີ", user="noy"))
    ok(run("pay", COLLECTED, user="noy"))
    for status in ("in_process", "ready", "collected"):
        ok(run("request", "status", COLLECTED, status, user="noy"))
    ok(run(*new, "MOHA-BIRTH", "--citizen-name", "Noy Sisouk", user="noy"))
    ok(run("request", "status", REJECTED, "rejected", "--reason", "ເອກະສານປອມ", user="noy"))
    return data


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_base(tmp_path_factory.mktemp("cli-base") / "data")


@pytest.fixture
def data(base: Path, tmp_path: Path) -> Path:
    """A private copy of the base data folder, free to write to."""
    return Path(shutil.copytree(base, tmp_path / "data"))


def groups(rows: list[dict[str, Any]], key: str) -> dict[str, tuple[int, int]]:
    return {g[key]: (g["count"], g["amount"]) for g in rows}


# -- the README scenario, with the installed console script


def wait_if_midnight_is_near(seconds: float = 90) -> None:
    """The scenario runs on the real clock; a cash session must not span Vientiane midnight."""
    now = datetime.now(VIENTIANE)
    midnight = datetime.combine(now.date() + timedelta(days=1), time(), VIENTIANE)
    left = (midnight - now).total_seconds()
    if left < seconds:
        sleep(left + 1)


def test_readme_scenario_with_the_installed_console_script(tmp_path: Path) -> None:
    wait_if_midnight_is_near()
    data = tmp_path / "data"

    def odsc(*args: Any, user: str | None = None, env: dict | None = None, expect: int = 0):
        result = run_script(data, *args, user=user, env=env, json_out=True)
        assert result.code == expect, result
        return result.json

    clerk = partial(odsc, user="noy")
    supervisor = partial(odsc, user="somchai")

    def new(service: str, name: str, *extra: str) -> dict[str, Any]:
        return clerk("request", "new", "--service", service, "--citizen-name", name, *extra)

    def trackings(*args: str) -> list[str]:
        return [r["tracking"] for r in clerk("request", "list", *args)["requests"]]

    # init, users, catalog
    init = odsc(*init_args(), env={"ODSC_NEW_PASSWORD": PASSWORDS["admin"]})
    assert init == {
        "office_code": "VTE-SST",
        "office_name": OFFICE_NAME,
        "counter": 1,
        "admin": "admin",
        "catalog_version": 1,
        "data_dir": str(data),
    }
    for name, role in (("somchai", "supervisor"), ("noy", "clerk")):
        new_password = {"ODSC_NEW_PASSWORD": PASSWORDS[name]}
        added = odsc("user", "add", name, "--role", role, user="admin", env=new_password)
        assert added == {"username": name, "role": role}
    catalog = odsc("catalog", "list")
    fees = {s["code"]: s["fee"] for s in catalog["services"]}
    assert (catalog["version"], len(fees)) == (1, 9)
    assert fees["MOHA-BIRTH"] == 10_000 and fees["MOIC-ENT-REG"] == 150_000

    # the day starts; a citizen asks for a birth certificate
    session = clerk("session", "open", "--float", "100000")
    assert session["float_amount"] == 100_000
    today = session["business_date"]
    year = today[:4]
    a = new(
        "MOHA-BIRTH",
        LAO_NAME,
        *("--phone", "020 5555 1234", "--id-number", "ab123456", "--village", LAO_VILLAGE),
        *("--documents", "BIRTH-NOTICE, FAMBOOK-COPY"),
    )
    t_a = a["tracking"]
    assert t_a == f"VTE-SST-1-{today[2:].replace('-', '')}-0001"
    shown = clerk("request", "show", t_a)
    assert (shown["citizen_name"], shown["village"]) == (LAO_NAME, LAO_VILLAGE)
    assert (shown["phone"], shown["id_number"]) == ("02055551234", "AB123456")
    assert (shown["status"], shown["fee"], shown["balance"]) == ("received", 10_000, 10_000)
    assert shown["missing_documents"] == []
    promised_a = shown["promised_date"]
    assert promised_a > today

    assert clerk("request", "status", t_a, "in_process")["status"] == "in_process"
    pay_a = clerk("pay", t_a)
    assert (pay_a["receipt"], pay_a["amount"]) == (f"VTE-SST-1-{year}-000001", 10_000)
    early_backup = tmp_path / "after-first-payment.sqlite3"
    backup = supervisor("backup", "--out", early_backup, env=BACKUP_PASSPHRASE)
    assert backup["path"] == str(early_backup)
    clerk("request", "status", t_a, "ready")
    collected = clerk("request", "status", t_a, "collected")
    assert [h["status"] for h in collected["history"]] == ["in_process", "ready", "collected"]
    assert (collected["paid"], collected["balance"]) == (10_000, 0)

    # a second request, paid by transfer
    t_b = new("MOIC-ENT-REG", "Khamla Vongsa")["tracking"]
    pay_b = clerk("pay", t_b, "--method", "transfer")
    assert (pay_b["receipt"], pay_b["amount"], pay_b["method"]) == (
        f"VTE-SST-1-{year}-000002",
        150_000,
        "transfer",
    )

    # a receipt voided and one refunded in part, each approved by the supervisor
    approval = {"ODSC_SUPERVISOR_PASSWORD": PASSWORDS["somchai"]}
    t_c = new("MOHA-MARR", "ບຸນມີ ແກ້ວມະນີ")["tracking"]
    r_c = clerk("pay", t_c)["receipt"]
    void = clerk("void", r_c, "--reason", "ຄີຊ້ຳ", "--supervisor", "somchai", env=approval)
    assert (void["receipt"], void["amount"]) == (r_c, 30_000)
    t_d = new("MPS-ID-CARD", "Vanna Sisouvanh")["tracking"]
    r_d = clerk("pay", t_d)["receipt"]
    assert r_d == f"VTE-SST-1-{year}-000004"
    refund_args = ("--amount", "10,000", "--reason", "ຄ່າທຳນຽມຜິດ", "--supervisor", "somchai")
    refund = clerk("refund", r_d, *refund_args, env=approval)
    assert (refund["receipt"], refund["amount"]) == (r_d, 10_000)

    feedback = clerk("feedback", t_a, "--rating", "5", "--comment", "ບໍລິການດີຫຼາຍ")
    assert (feedback["tracking"], feedback["rating"]) == (t_a, 5)

    # finding requests
    assert trackings("--date", today) == [t_d, t_c, t_b, t_a]
    assert trackings("--date", today, "--status", "received") == [t_d, t_c, t_b]
    assert trackings("--status", "collected") == [t_a]
    assert trackings("--overdue") == []
    assert trackings("--search", "ສົມ") == [t_a]
    assert trackings("--search", "khamla") == [t_b]
    assert trackings("--search", "020 5555") == [t_a]
    assert trackings("--search", t_c.lower()) == [t_c]

    # the day's figures
    day = clerk("day")
    assert (day["date"], day["requests"]) == (today, 4)
    assert day["payments"] == {"count": 4, "amount": 220_000}
    assert day["totals"] == {"gross": 220_000, "voided": 30_000, "refunded": 10_000, "net": 180_000}
    assert groups(day["by_service"], "service") == {
        "MOIC-ENT-REG": (1, 150_000),
        "MOHA-MARR": (1, 30_000),
        "MPS-ID-CARD": (1, 30_000),
        "MOHA-BIRTH": (1, 10_000),
    }
    assert groups(day["by_ministry"], "ministry") == {
        "MOIC": (1, 150_000),
        "MOHA": (2, 40_000),
        "MPS": (1, 30_000),
    }
    assert groups(day["by_clerk"], "clerk") == {"noy": (4, 220_000)}
    assert groups(day["by_method"], "method") == {"transfer": (1, 150_000), "cash": (3, 70_000)}
    voids = [(v["receipt"], v["by"], v["approved_by"]) for v in day["voids"]]
    assert voids == [(r_c, "noy", "somchai")]
    refunds = [(f["receipt"], f["amount"], f["approved_by"]) for f in day["refunds"]]
    assert refunds == [(r_d, 10_000, "somchai")]
    # float + cash taken - cash voided - cash refunded; the transfer is not in the drawer
    expected = 100_000 + (10_000 + 30_000 + 30_000) - 30_000 - 10_000
    assert day["cash"]["expected"] == expected == 130_000
    assert day["cash"]["counted"] is None

    # counted what was expected: no approval needed
    closed = clerk("session", "close", "--counted", "130,000")
    assert (closed["expected"], closed["difference"], closed["approved_by"]) == (130_000, 0, None)
    assert clerk("day")["cash"]["counted"] == 130_000
    check = odsc("check")
    assert (check["ok"], check["integrity"], check["problems"]) == (True, "ok", [])

    # export: UTF-8 with a byte-order mark, Lao intact
    out = tmp_path / "requests.csv"
    assert clerk("export", "--from", today, "--to", today, "--out", out)["rows"] == 4
    raw = out.read_bytes()
    assert raw.startswith(codecs.BOM_UTF8)
    rows = {r["tracking"]: r for r in csv.DictReader(io.StringIO(raw.decode("utf-8-sig")))}
    assert list(rows) == [t_a, t_b, t_c, t_d]
    assert (rows[t_a]["citizen_name"], rows[t_a]["village"]) == (LAO_NAME, LAO_VILLAGE)
    assert (rows[t_a]["service_lo"], rows[t_a]["status"]) == ("ໃບແຈ້ງເກີດ", "collected")
    paid = {t: r["paid"] for t, r in rows.items()}
    assert paid == {t_a: "10000", t_b: "150000", t_c: "0", t_d: "20000"}

    # a closure on A's promised day moves the promised date of a later request, not A's
    supervisor("closure", "add", promised_a, "--reason", "ບຸນທາດຫຼວງ")
    assert odsc("closure", "list")["closures"] == [{"date": promised_a, "reason": "ບຸນທາດຫຼວງ"}]
    assert new("MOHA-BIRTH", "ແສງ ດາວ")["promised_date"] > promised_a
    assert clerk("request", "show", t_a)["promised_date"] == promised_a

    values = odsc("setting", "list")["settings"]
    assert values["cash_difference_limit"] == 0 and values["allow_partial_payment"] is False

    # restore the early backup: numbers printed after it are never handed out again
    restored = supervisor("restore", early_backup, env=BACKUP_PASSPHRASE)
    assert Path(restored["previous_saved_as"]).is_file()
    assert restored["floors_raised"] == 2  # receipts of the year, requests of the day
    assert trackings() == [t_a]
    t_f = new("MOHA-MARR", "Khamla Two")["tracking"]
    assert t_f.endswith("-0006")
    assert clerk("pay", t_f)["receipt"] == f"VTE-SST-1-{year}-000005"

    # the restored session (float 100,000; 10,000 and 30,000 cash) counted 1,000 short
    refused = clerk("session", "close", "--counted", "139000", expect=1)
    assert refused["error"]["code"] == "session.reason_required"
    refused = clerk("session", "close", "--counted", "139000", "--reason", "ທອນຜິດ", expect=1)
    assert refused["error"]["code"] == "session.difference_needs_approval"
    closed = clerk(
        "session", "close", "--counted", "139000", "--reason", "ທອນຜິດ",
        "--supervisor", "somchai", env=approval,
    )  # fmt: skip
    assert (closed["expected"], closed["difference"]) == (140_000, -1_000)
    assert closed["approved_by"] is not None

    changed = supervisor("setting", "set", "cash_difference_limit", "5,000")
    assert changed == {"key": "cash_difference_limit", "value": 5_000}
    assert odsc("setting", "list")["settings"]["cash_difference_limit"] == 5_000
    assert odsc("check")["ok"] is True


# -- the console script: exit codes, one JSON object, no hanging on a missing password


def test_script_refusal_prints_one_json_error_and_changes_nothing(data: Path) -> None:
    before = snapshot(data)
    result = run_script(data, "pay", RECEIVED, "--amount", "abc", user="noy", json_out=True)
    assert result.code == 1
    error = result.json["error"]
    assert (error["code"], error["field"]) == ("amount.not_whole", "amount")
    assert result.err.splitlines() == [
        f"ຜິດພາດ: {error['message_lo']}",
        f"Error: {error['message_en']}",
    ]
    assert snapshot(data) == before


def test_script_usage_error_exits_2(data: Path) -> None:
    result = run_script(data, "frobnicate", user="noy", json_out=True)
    assert result.code == 2
    assert "ຄຳສັ່ງບໍ່ຖືກຕ້ອງ / Invalid command" in result.err
    # With --json even a usage error answers with one JSON object.
    assert json.loads(result.out)["error"]["code"] == "usage"


def test_script_missing_store_exits_3(tmp_path: Path) -> None:
    result = run_script(tmp_path / "nowhere", "day", user="noy", json_out=True)
    assert result.code == 3
    assert result.json["error"]["code"] == "store.missing"
    assert result.err.startswith("ຜິດພາດ: ")
    assert "\nError: No store at " in result.err
    assert not (tmp_path / "nowhere").exists()


@pytest.mark.parametrize(
    ("args", "user", "variable"),
    [
        (
            ("request", "new", "--service", "MOHA-BIRTH", "--citizen-name", "Somsak"),
            "noy",
            "ODSC_PASSWORD",
        ),
        (
            ("void", R_PAID, "--reason", "x", "--supervisor", "somchai"),
            "noy",
            "ODSC_SUPERVISOR_PASSWORD",
        ),
        (("user", "add", "kham", "--role", "clerk"), "admin", "ODSC_NEW_PASSWORD"),
    ],
    ids=["own", "supervisor", "new"],
)
def test_script_missing_password_fails_at_once_without_a_terminal(
    data: Path, args: tuple[str, ...], user: str, variable: str
) -> None:
    before = snapshot(data)
    result = run_script(data, *args, user=user, env={variable: None}, timeout=20)
    assert result.code == 1
    lo, en = result.err.splitlines()
    assert lo.startswith("ຜິດພາດ: ") and variable in lo
    assert en == f"Error: A password is needed: set {variable} or type it when asked"
    assert snapshot(data) == before


def test_script_init_without_a_new_password_fails_and_creates_nothing(tmp_path: Path) -> None:
    result = run_script(tmp_path / "data", *init_args())
    assert result.code == 1
    assert "ODSC_NEW_PASSWORD" in result.err
    assert not (tmp_path / "data").exists()


def test_json_output_survives_a_non_utf8_stdout(data: Path) -> None:
    """`odsc --json day > day.json` on Windows: a redirected stdout uses the ANSI code page."""
    proc = subprocess.run(
        [str(ODSC), "--data-dir", str(data), "--json", "--user", "noy", "day", "--date", DAY],
        env=script_env({"PYTHONIOENCODING": "cp1252", "ODSC_PASSWORD": PASSWORDS["noy"]}),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    assert one_json(proc.stdout.decode("utf-8"))["date"] == DAY


# -- in-process: what the commands report


def test_version() -> None:
    result = run_cli(None, "--version")
    assert (result.code, result.out.strip()) == (0, f"odsc {__version__}")


def test_text_output_shows_lao_and_kip(data: Path) -> None:
    shown = ok(run_cli(data, "request", "show", RECEIVED, user="noy")).out
    assert f"{RECEIVED}  [received]" in shown and LAO_NAME in shown and LAO_VILLAGE in shown
    assert "fee 10,000 ₭ · paid 0 ₭ · promised 2026-11-27" in shown
    assert "missing documents: FAMBOOK-COPY" in shown
    day = ok(run_cli(data, "day", "--date", DAY, user="noy")).out
    assert "gross 40,000 ₭ · voided 0 ₭ · refunded 0 ₭ · net 40,000 ₭" in day
    assert f"cash expected {BASE_EXPECTED_CASH:,} ₭ · counted - · diff -" in day


def test_user_list(data: Path) -> None:
    users = ok(run_cli(data, "user", "list", user="noy", json_out=True)).json["users"]
    assert [(u["username"], u["role"]) for u in users] == [
        ("admin", "admin"),
        ("boss", "admin"),
        ("noy", "clerk"),
        ("somchai", "supervisor"),
    ]


def test_data_dir_user_and_password_from_the_environment(data: Path) -> None:
    env = {"ODSC_DATA_DIR": str(data), "ODSC_USER": "noy", "ODSC_PASSWORD": PASSWORDS["noy"]}
    args = ("request", "new", "--service", "MOHA-BIRTH", "--citizen-name", "Somsak")
    result = ok(run_cli(None, *args, env=env, json_out=True))
    assert result.json["tracking"] == "VTE-SST-1-261126-0005"


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("ສົມ", [RECEIVED]),
        ("ສົມສັກ ພົມ", [RECEIVED]),
        ("ພົມມະ", [RECEIVED]),
        ("KHAMLA", [PAID]),
        ("vongsa", [PAID]),
        ("020 5555", [RECEIVED]),
        ("02055551234", [RECEIVED]),
        ("ab123456", [RECEIVED]),
        (COLLECTED.lower(), [COLLECTED]),
        ("nobody", []),
    ],
)
def test_request_list_search(data: Path, text: str, found: list[str]) -> None:
    rows = ok(run_cli(data, "request", "list", "--search", text, user="noy", json_out=True))
    rows = rows.json["requests"]
    assert [r["tracking"] for r in rows] == found


def test_request_list_filters(data: Path) -> None:
    def listed(*args: str) -> list[str]:
        result = ok(run_cli(data, "request", "list", *args, user="noy", json_out=True))
        return [r["tracking"] for r in result.json["requests"]]

    assert listed("--date", DAY) == [REJECTED, COLLECTED, PAID, RECEIVED]
    assert listed("--date", "2026-11-25") == []
    assert listed("--status", "rejected") == [REJECTED]
    assert listed("--status", "received", "--search", "ສົມ") == [RECEIVED]
    assert listed("--limit", "1") == [REJECTED]
    none = ok(run_cli(data, "request", "list", "--date", "2026-11-25", user="noy")).out
    assert none == "(ບໍ່ມີ / none)\n"


def test_overdue_lists_open_requests_past_their_promised_date(data: Path) -> None:
    listed = run_cli(data, "request", "list", "--overdue", user="noy", json_out=True)
    listed = listed.json["requests"]
    assert listed == []
    later = Clock()
    later.advance(days=30)
    rows = run_cli(
        data, "request", "list", "--overdue", user="noy", json_out=True, clock=later
    ).json
    assert [r["tracking"] for r in rows["requests"]] == [PAID, RECEIVED]


@pytest.mark.parametrize("typed", ["10,000", "10.000", "10 000", " 10000 ", "₭10,000"])
def test_pay_reads_amounts_as_people_type_them(data: Path, typed: str) -> None:
    paid = ok(run_cli(data, "pay", RECEIVED, "--amount", typed, user="noy", json_out=True)).json
    assert (paid["amount"], paid["receipt"]) == (10_000, "VTE-SST-1-2026-000003")


def test_session_open_accepts_a_zero_float(data: Path) -> None:
    ok(run_cli(data, "session", "close", "--counted", BASE_EXPECTED_CASH, user="noy"))
    opened = ok(run_cli(data, "session", "open", "--float", "0", user="noy", json_out=True))
    assert opened.json["float_amount"] == 0


def test_close_with_a_difference_needs_a_supervisor(data: Path) -> None:
    short = BASE_EXPECTED_CASH - 500
    before = snapshot(data)
    without_reason = run_cli(
        data, "session", "close", "--counted", short, user="noy", json_out=True
    )
    assert without_reason.code == 1
    assert without_reason.json["error"]["code"] == "session.reason_required"
    assert snapshot(data) == before
    refused = run_cli(
        data, "session", "close", "--counted", short, "--reason", "change", user="noy",
        json_out=True,
    )  # fmt: skip
    assert refused.code == 1
    assert refused.json["error"]["code"] == "session.difference_needs_approval"
    assert "Error: The cash differs by -500 kip (over the 0 kip allowed)" in refused.err
    assert snapshot(data) == before
    args = ("session", "close", "--counted", short, "--reason", "change", "--supervisor", "somchai")
    closed = ok(run_cli(data, *args, user="noy", json_out=True)).json
    assert (closed["expected"], closed["counted"], closed["difference"]) == (
        BASE_EXPECTED_CASH,
        short,
        -500,
    )
    [session] = run_cli(data, "day", user="noy", json_out=True).json["cash"]["sessions"]
    assert (session["approved_by"], session["closed_by"], session["difference"]) == (
        "somchai",
        "noy",
        -500,
    )


def test_close_within_the_allowed_difference_needs_no_supervisor(data: Path) -> None:
    ok(run_cli(data, "setting", "set", "cash_difference_limit", "1000", user="somchai"))
    args = ("session", "close", "--counted", BASE_EXPECTED_CASH + 1_000, "--reason", "found")
    closed = ok(run_cli(data, *args, user="noy", json_out=True)).json
    assert (closed["difference"], closed["approved_by"]) == (1_000, None)


def test_yesterdays_open_session_must_be_closed_first(data: Path) -> None:
    tomorrow = Clock()
    tomorrow.advance(days=1)
    stale = run_cli(data, "pay", RECEIVED, user="noy", json_out=True, clock=tomorrow)
    assert (stale.code, stale.json["error"]["code"]) == (1, "session.stale")
    assert f"The cash session of {DAY} is still open" in stale.err
    again = run_cli(data, "session", "open", "--float", "0", user="noy", clock=tomorrow)
    assert again.code == 1 and "already open" in again.err
    run = partial(run_cli, data, user="noy", json_out=True, clock=tomorrow)
    ok(run("session", "close", "--counted", BASE_EXPECTED_CASH))
    assert ok(run("session", "open", "--float", "0")).json["business_date"] == "2026-11-27"
    assert ok(run("pay", RECEIVED)).json["receipt"] == "VTE-SST-1-2026-000003"


def test_part_payments_once_the_office_allows_them(data: Path) -> None:
    run = partial(run_cli, data, json_out=True)
    assert run("pay", RECEIVED, "--amount", "4000", user="noy").code == 1
    ok(run("setting", "set", "allow_partial_payment", "yes", user="somchai"))
    assert ok(run("pay", RECEIVED, "--amount", "4000", user="noy")).json["amount"] == 4_000
    assert ok(run("request", "show", RECEIVED, user="noy")).json["balance"] == 6_000
    assert ok(run("pay", RECEIVED, user="noy")).json["amount"] == 6_000
    done = run("pay", RECEIVED, user="noy")
    assert (done.code, done.json["error"]["code"]) == (1, "payment.nothing_due")


def test_refund_of_a_transfer_leaves_the_drawer_alone(data: Path) -> None:
    run = partial(run_cli, data, json_out=True)
    args = ("request", "new", "--service", "MOIC-ENT-REG", "--citizen-name", "Bounmy")
    tracking = ok(run(*args, user="noy")).json["tracking"]
    receipt = ok(run("pay", tracking, "--method", "transfer", user="noy")).json["receipt"]
    args = ("refund", receipt, "--amount", "50000", "--reason", "ຈ່າຍເກີນ", "--supervisor", "somchai")
    ok(run(*args, user="noy"))
    day = ok(run("day", user="noy")).json
    assert day["totals"] == {"gross": 190_000, "voided": 0, "refunded": 50_000, "net": 140_000}
    assert day["cash"]["expected"] == BASE_EXPECTED_CASH


def test_void_and_refund_of_cash_come_out_of_the_drawer(data: Path) -> None:
    run = partial(run_cli, data, user="noy", json_out=True)
    ok(run("void", R_PAID, "--reason", "ຄີຜິດ", "--supervisor", "somchai"))
    args = ("--amount", "2500", "--reason", "ຄືນ", "--supervisor", "somchai")
    ok(run("refund", R_COLLECTED, *args))
    day = ok(run("day", "--date", DAY)).json
    assert day["totals"] == {"gross": 40_000, "voided": 30_000, "refunded": 2_500, "net": 7_500}
    assert day["cash"]["expected"] == BASE_EXPECTED_CASH - 30_000 - 2_500
    shown = ok(run("request", "show", PAID)).json
    assert (shown["paid"], shown["balance"], shown["payments"][0]["voided"]) == (0, 30_000, 1)


def test_a_closure_moves_the_promised_date_of_later_requests(data: Path) -> None:
    shown = run_cli(data, "request", "show", RECEIVED, user="noy", json_out=True).json
    assert shown["promised_date"] == "2026-11-27"
    args = ("closure", "add", "2026-11-27", "--reason", "ນ້ຳຖ້ວມ")
    ok(run_cli(data, *args, user="somchai"))
    assert run_cli(data, "closure", "list").out == "2026-11-27 ນ້ຳຖ້ວມ\n"
    args = ("request", "new", "--service", "MOHA-BIRTH", "--citizen-name", "Somsak")
    later = ok(run_cli(data, *args, user="noy", json_out=True)).json
    assert later["promised_date"] == "2026-11-30"  # Friday closed, then the weekend
    shown = run_cli(data, "request", "show", RECEIVED, user="noy", json_out=True).json
    assert shown["promised_date"] == "2026-11-27"


def test_restore_keeps_numbering_above_what_was_printed_after_the_backup(
    data: Path, tmp_path: Path
) -> None:
    run = partial(run_cli, data, json_out=True)
    backup = tmp_path / "backup.sqlite3"
    ok(run("backup", "--out", backup, user="somchai", env=BACKUP_PASSPHRASE))
    new = ("request", "new", "--service", "MOHA-MARR", "--citizen-name")
    lost = ok(run(*new, "Lost One", user="noy")).json["tracking"]
    assert ok(run("pay", lost, user="noy")).json["receipt"] == "VTE-SST-1-2026-000003"
    restored = ok(run("restore", backup, user="somchai", env=BACKUP_PASSPHRASE)).json
    assert restored["floors_raised"] == 2
    assert Path(restored["previous_saved_as"]).parent == data / "backups"
    assert run("request", "show", lost, user="noy").json["error"]["code"] == "request.unknown"
    after = ok(run(*new, "After Restore", user="noy")).json["tracking"]
    assert after == "VTE-SST-1-261126-0006"
    assert ok(run("pay", after, user="noy")).json["receipt"] == "VTE-SST-1-2026-000004"
    assert ok(run("check")).json["ok"] is True


def test_restore_into_an_empty_folder_needs_no_user(data: Path, tmp_path: Path) -> None:
    """A new PC after a disk failure: there is no store to check a password against."""
    backup = tmp_path / "backup.sqlite3"
    ok(run_cli(data, "backup", "--out", backup, user="somchai", env=BACKUP_PASSPHRASE))
    fresh = tmp_path / "fresh"
    restored = ok(run_cli(fresh, "restore", backup, env=BACKUP_PASSPHRASE, json_out=True)).json
    assert restored["previous_saved_as"] is None
    shown = ok(run_cli(fresh, "request", "show", RECEIVED, user="noy", json_out=True)).json
    assert shown["citizen_name"] == LAO_NAME


def test_export_writes_utf8_with_a_bom_and_keeps_lao(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "export.csv"
    args = ("export", "--from", DAY, "--to", DAY, "--out", out)
    assert ok(run_cli(data, *args, user="noy", json_out=True)).json["rows"] == 4
    raw = out.read_bytes()
    assert raw.startswith(codecs.BOM_UTF8)
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [(r["tracking"], r["status"], r["paid"]) for r in rows] == [
        (RECEIVED, "received", "0"),
        (PAID, "received", "30000"),
        (COLLECTED, "collected", "10000"),
        (REJECTED, "rejected", "0"),
    ]
    assert (rows[0]["citizen_name"], rows[0]["village"], rows[0]["service_lo"]) == (
        LAO_NAME,
        LAO_VILLAGE,
        "ໃບແຈ້ງເກີດ",
    )
    assert rows[1]["receipts"] == R_PAID


def test_export_of_an_empty_range_has_only_the_header(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "empty.csv"
    args = ("export", "--from", "2026-11-27", "--to", "2026-12-31", "--out", out)
    assert ok(run_cli(data, *args, user="noy", json_out=True)).json["rows"] == 0
    assert out.read_text(encoding="utf-8-sig").splitlines() == [",".join(export.COLUMNS)]


def test_settings_list_and_set(data: Path) -> None:
    run = partial(run_cli, data, json_out=True)
    assert run("setting", "list").json["settings"] == {
        "cash_difference_limit": 0,
        "allow_partial_payment": False,
        "max_amount": 100_000_000,
        "money_grouping": ",",
        "money_unit": "ກີບ",
        "legal_basis": "ດຳລັດວ່າດ້ວຍຄ່າທຳນຽມ ແລະ ຄ່າບໍລິການ ເລກທີ 001/ປທ, 2017",
        "print_after_payment": "ask",
        "receipt_paper": "80mm",
        "printer": "",
        "a4_printer": "",
        "idle_lock_minutes": 15,
        "backup_second_location": "",
        "backup_keep_daily": 14,
        "backup_keep_monthly": 12,
        "self_approval": False,
    }
    assert ok(run("setting", "set", "max_amount", "5,000", user="somchai")).json["value"] == 5_000
    refused = run("pay", RECEIVED, "--amount", "10000", user="noy")
    assert (refused.code, refused.json["error"]["code"]) == (1, "amount.too_large")
    assert "Error: The amount is over the limit of 5,000 kip" in refused.err
    text = ok(run_cli(data, "setting", "list")).out
    assert "max_amount = 5000    # Largest amount in one entry (kip)" in text


def test_feedback_is_shown_with_the_request(data: Path) -> None:
    args = ("feedback", COLLECTED, "--rating", "4", "--comment", "ໄວ ແລະ ສຸພາບ")
    ok(run_cli(data, *args, user="noy"))
    shown = run_cli(data, "request", "show", COLLECTED, user="noy", json_out=True).json
    assert (shown["feedback"]["rating"], shown["feedback"]["comment"]) == (4, "ໄວ ແລະ ສຸພາບ")


def test_check_reports_a_row_changed_behind_the_apps_back(data: Path) -> None:
    conn = sqlite3.connect(data / STORE_FILE)
    with conn:
        conn.execute("DROP TRIGGER requests_no_update")
        conn.execute(
            "UPDATE requests SET citizen_name = 'Someone Else' WHERE tracking = ?", (PAID,)
        )
    conn.close()
    result = run_cli(data, "check", json_out=True)
    assert result.code == 1
    assert result.json["ok"] is False
    assert result.json["problems"][0]["kind"] == "fact.changed"
    lo, en, _ = result.err.splitlines()
    assert lo.startswith("ຂໍ້ມູນໃນ requests") and en.startswith("A row of requests")


def test_base_is_consistent(base: Path) -> None:
    day = run_cli(base, "day", user="noy", json_out=True).json
    assert day["cash"]["expected"] == BASE_EXPECTED_CASH
    assert run_cli(base, "check", json_out=True).json["ok"] is True
    statuses = {
        t: run_cli(base, "request", "show", t, user="noy", json_out=True).json["status"]
        for t in (RECEIVED, PAID, COLLECTED, REJECTED)
    }
    assert statuses == {
        RECEIVED: "received",
        PAID: "received",
        COLLECTED: "collected",
        REJECTED: "rejected",
    }
    assert date.fromisoformat(DAY).weekday() == 3  # the fixed clock's Thursday


def test_output_cut_short_by_a_pipe_is_not_an_error(data: Path) -> None:
    """`odsc day | head` must not end in a traceback when the reader leaves early."""
    odsc = Path(sys.executable).with_name("odsc")
    env = {**os.environ, "ODSC_DATA_DIR": str(data)}
    # `true` reads nothing and exits at once: odsc, slower to start, then writes into a
    # pipe whose reader is gone.
    reader = subprocess.run(
        f"'{odsc}' catalog list | true; echo \"status ${{PIPESTATUS[0]}}\"",
        shell=True,
        executable="/bin/bash",
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "Traceback" not in reader.stderr
    assert reader.stdout.strip() == "status 0"
