"""Durability: SIGKILL in the middle of real work, and hand edits that `odsc check` must catch.

The crash tests run tests/core/crash_worker.py as a real subprocess on a real SQLite file and
kill it with a real SIGKILL, then reopen the store and prove: whatever a call returned is there;
no action is half-recorded (every fact has exactly one audit row and one outbox row, and
nothing else does); receipt and tracking numbers are gapless; `odsc check` passes; the next
number follows on.

The random kill times come from a seeded RNG. The seed is printed (pytest shows it for a failing
test) and can be replayed with ODSC_CRASH_SEED=<seed>; ODSC_CRASH_ITERATIONS=<n> runs a longer
soak.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter as Tally
from datetime import date
from pathlib import Path

import pytest

from odsc_desk.domain import cash, payments, service_requests, users
from odsc_desk.maintenance import integrity
from odsc_desk.shared.clock import stamp
from odsc_desk.shared.messages import render
from odsc_desk.storage import chain
from odsc_desk.storage.store import open_store, store_path
from tests.conftest import FAST_HASHER, PASSWORD, FakeClock, make_counter

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX SIGKILL")

WORKER = Path(__file__).with_name("crash_worker.py")
ODSC = Path(sys.executable).with_name("odsc")
if not ODSC.exists():  # run by an interpreter outside the project's virtualenv
    ODSC = Path(shutil.which("odsc") or ODSC)
OFFICE = "VTE-SST-1"
ITERATIONS = int(os.environ.get("ODSC_CRASH_ITERATIONS", "25"))
READY_TIMEOUT = 30.0


# -- helpers ----------------------------------------------------------------------------------


def run_cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ODSC_")}
    return subprocess.run(
        [str(ODSC), "--data-dir", str(data_dir), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def new_counter(data_dir: Path) -> FakeClock:
    """An initialised store with an open cash session; closed again, ready for other processes."""
    clock = FakeClock()
    c = make_counter(data_dir, clock)
    cash.open_cash(c.store, c.clerk, 50_000)
    c.store.close()
    return clock


class Worker:
    """One crash_worker.py process, its stdout lines collected as they arrive."""

    def __init__(self, *args: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(WORKER), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        self.lines: list[str] = []
        self.ready = threading.Event()
        self._pump = threading.Thread(target=self._read, daemon=True)
        self._pump.start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            if not line.endswith("\n"):
                continue  # a line cut short by the kill: that call's result was never shown
            self.lines.append(line.rstrip("\n"))
            if line == "READY\n":
                self.ready.set()
        self.ready.set()  # end of output: let a waiter see the worker died early

    def wait_ready(self) -> None:
        assert self.ready.wait(READY_TIMEOUT), "worker never said READY"
        assert self.proc.poll() is None, f"worker died before writing: {self.finish()[1]}"

    def kill(self) -> None:
        os.kill(self.proc.pid, signal.SIGKILL)

    def finish(self) -> tuple[int, str]:
        self.proc.wait(timeout=60)
        self._pump.join(timeout=60)
        return self.proc.returncode, self.proc.stderr.read()


class Printed:
    """What the workers said had returned: requests by tracking, payments by receipt."""

    def __init__(self) -> None:
        self.requests: set[str] = set()
        self.payments: dict[str, tuple[int, str]] = {}

    def take(self, lines: list[str]) -> None:
        for line in lines:
            kind, *rest = line.split()
            if kind == "REQ":
                assert rest[0] not in self.requests, f"tracking {rest[0]} handed out twice"
                self.requests.add(rest[0])
            elif kind == "PAY":
                receipt, amount, tracking = rest
                assert receipt not in self.payments, f"receipt {receipt} handed out twice"
                self.payments[receipt] = (int(amount), tracking)


def read_only(path: Path) -> sqlite3.Connection:
    # Read-only: it recovers the WAL index if a writer died, but never checkpoints or deletes
    # the WAL, so the next worker still opens a store just as the killed one left it.
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def assert_ledger_sound(conn: sqlite3.Connection, printed: Printed) -> tuple[int, int]:
    """Everything shown is stored, nothing is half-stored, numbers are gapless.

    Returns (requests, payments) in the store.
    """
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]

    requests = {
        row[0]: row[1:]
        for row in conn.execute("SELECT tracking, id, business_date, daily_seq, fee FROM requests")
    }
    tracking_of = {rid: tracking for tracking, (rid, *_) in requests.items()}
    stored_payments = {
        row[0]: row[1:]
        for row in conn.execute(
            "SELECT receipt, id, receipt_year, receipt_seq, amount, request_id FROM payments"
        )
    }

    # 1. Every call that returned is in the store, as it was shown.
    missing_requests = printed.requests - set(requests)
    assert not missing_requests, f"requests shown but lost: {sorted(missing_requests)}"
    for receipt, (amount, tracking) in printed.payments.items():
        assert receipt in stored_payments, f"payment {receipt} was shown but is lost"
        _, _, _, stored_amount, request_id = stored_payments[receipt]
        assert (stored_amount, tracking_of[request_id]) == (amount, tracking), receipt

    # 2. No half action: each fact has exactly one audit link and (if synced) one outbox row,
    #    and no audit or outbox row stands without its fact. (A fact's link names only its
    #    table; which row it is follows from the chain's order, checked by check_store below.)
    fact_ids: dict[str, list[str]] = {}
    for table in integrity.AUDITED:
        cursor = conn.execute(f"SELECT * FROM {table}")
        names = [c[0] for c in cursor.description]
        fact_ids[table] = [chain.fact_id(table, dict(zip(names, r, strict=True))) for r in cursor]
    audit = Tally(entity for (entity,) in conn.execute("SELECT entity FROM audit_log"))
    outbox = Tally(conn.execute("SELECT entity, op_id FROM outbox").fetchall())
    for table, ids in fact_ids.items():
        assert audit.get(table, 0) == len(ids), f"{table}: facts and audit links differ"
        queued = {eid: n for (entity, eid), n in outbox.items() if entity == table}
        expected = dict.fromkeys(ids, 1) if table in chain.SYNCED else {}
        assert queued == expected, f"{table}: facts and outbox rows differ"
    strays = set(audit) - set(integrity.AUDITED) - {"settings", "office"}
    assert not strays, f"audit rows for unknown entities: {strays}"
    assert {entity for entity, _ in outbox} <= chain.SYNCED
    seqs = [r[0] for r in conn.execute("SELECT seq FROM audit_log ORDER BY seq")]
    assert seqs == list(range(1, len(seqs) + 1)), "audit chain has a hole"

    # 3. Numbers: receipts gapless per year, tracking gapless per day, and spelled from them.
    by_year: dict[int, list[int]] = {}
    for receipt, (_, year, seq, _, _) in stored_payments.items():
        assert receipt == f"{OFFICE}-{year}-{seq:06d}"
        by_year.setdefault(year, []).append(seq)
    for year, numbers in by_year.items():
        assert sorted(numbers) == list(range(1, len(numbers) + 1)), f"receipt gap in {year}"
    by_day: dict[str, list[int]] = {}
    for tracking, (_, day, seq, _) in requests.items():
        assert tracking == f"{OFFICE}-{date.fromisoformat(day):%y%m%d}-{seq:04d}"
        by_day.setdefault(day, []).append(seq)
    for day, numbers in by_day.items():
        assert sorted(numbers) == list(range(1, len(numbers) + 1)), f"tracking gap on {day}"

    # 4. Never more paid than the fee (each worker pays a request once, in full).
    paid = Tally()
    for _, _, _, amount, request_id in stored_payments.values():
        paid[request_id] += amount
    for rid, _, _, fee in requests.values():
        assert paid[rid] in (0, fee)
    return len(requests), len(stored_payments)


# -- SIGKILL during a burst of payments -------------------------------------------------------


def test_sigkill_during_payment_burst_loses_nothing_that_returned(tmp_path):
    seed = int(os.environ.get("ODSC_CRASH_SEED", random.randrange(2**32)))
    print(f"crash seed {seed} (replay: ODSC_CRASH_SEED={seed})")
    rng = random.Random(seed)
    data_dir = tmp_path / "data"
    clock = new_counter(data_dir)
    path = store_path(data_dir)
    start = clock.moment.isoformat()
    printed = Printed()
    committed_unshown = 0

    for iteration in range(ITERATIONS):
        # Every fourth round two counters write at once, so a kill can land while the other
        # process waits for the write lock; numbers must stay unique and gapless across both.
        workers = [
            Worker("burst", str(data_dir), start, "noy", PASSWORD)
            for _ in range(2 if iteration % 4 == 3 else 1)
        ]
        for w in workers:
            w.wait_ready()
        began = time.monotonic()
        delays = [rng.uniform(0.05, 0.6) for _ in workers]
        for delay, w in sorted(zip(delays, workers, strict=True), key=lambda pair: pair[0]):
            time.sleep(max(0.0, began + delay - time.monotonic()))  # the crash moment itself
            w.kill()
        for w in workers:
            status, stderr = w.finish()
            assert status == -signal.SIGKILL, (
                f"seed {seed} round {iteration}: worker ended on its own ({status}): {stderr}"
            )
            printed.take(w.lines)
        conn = read_only(path)
        try:
            stored_requests, _ = assert_ledger_sound(conn, printed)
        except AssertionError as exc:
            raise AssertionError(f"seed {seed}, after round {iteration}: {exc}") from exc
        finally:
            conn.close()
        committed_unshown = stored_requests - len(printed.requests)

    print(
        f"{ITERATIONS} rounds: {len(printed.requests)} requests and {len(printed.payments)}"
        f" payments shown; {committed_unshown} requests committed but never shown"
    )
    assert len(printed.payments) >= ITERATIONS, "the workers barely wrote: kills came too soon"

    # The store opens normally and passes the full check, in-process and through the CLI.
    store = open_store(data_dir, clock=clock, hasher=FAST_HASHER)
    try:
        result = integrity.check_store(store)
        assert result["ok"], f"seed {seed}: {result['problems']}"
        top_receipt = store.scalar("SELECT MAX(receipt_seq) FROM payments")
        top_tracking = store.scalar("SELECT MAX(daily_seq) FROM requests")
        # After all the kills the next numbers follow on: nothing reused, nothing skipped.
        clerk = users.authenticate(store, "noy", PASSWORD)
        r = service_requests.record_request(
            store, clerk, service_code="MOHA-BIRTH", citizen_name="ສົມສັກ ພົມມະຈັນ"
        )
        p = payments.record_payment(store, clerk, r["tracking"])
        assert r["tracking"] == f"{OFFICE}-261126-{top_tracking + 1:04d}"
        assert p["receipt"] == f"{OFFICE}-2026-{top_receipt + 1:06d}"
        assert p["receipt"] not in printed.payments
        assert r["tracking"] not in printed.requests
    finally:
        store.close()
    cli = run_cli(data_dir, "check")
    assert cli.returncode == 0, cli.stderr
    assert cli.stdout.startswith("ok")


# SIGKILL at a chosen point inside one action's transaction (the clock kills its own process at
# its first reading once that many rows are written): nothing of the action may survive, and
# the number it was about to take is handed out next, so no gap opens. (A request row counts
# two writes: its trigger adds the request_current row.)
KILL_POINTS = [
    ("request", 0, "before any row"),
    ("request", 2, "after the request row"),
    ("request", 3, "after the request and audit rows"),
    ("payment", 0, "before any row"),
    ("payment", 1, "after the payment row"),
    ("payment", 2, "after the payment and audit rows"),
]


@pytest.mark.parametrize(
    ("action", "writes"),
    [(a, w) for a, w, _ in KILL_POINTS],
    ids=[f"{a}-{why.replace(' ', '-')}" for a, _, why in KILL_POINTS],
)
def test_sigkill_inside_a_transaction_leaves_no_trace(tmp_path, action, writes):
    data_dir = tmp_path / "data"
    clock = new_counter(data_dir)
    path = store_path(data_dir)
    w = Worker(
        "kill-in", str(data_dir), clock.moment.isoformat(), "noy", PASSWORD, action, str(writes)
    )
    status, stderr = w.finish()
    assert status == -signal.SIGKILL, f"worker was not killed inside the {action}: {stderr}"
    assert w.lines[-1].startswith(f"ARMED {action}"), w.lines
    printed = Printed()
    printed.take([line for line in w.lines if line.split()[0] in ("REQ", "PAY")])

    conn = read_only(path)
    try:
        stored_requests, stored_payments = assert_ledger_sound(conn, printed)
    finally:
        conn.close()
    assert (stored_requests, stored_payments) == (len(printed.requests), len(printed.payments))

    store = open_store(data_dir, clock=clock, hasher=FAST_HASHER)
    try:
        assert integrity.check_store(store)["ok"]
        clerk = users.authenticate(store, "noy", PASSWORD)
        r = service_requests.record_request(
            store, clerk, service_code="MOHA-BIRTH", citizen_name="Noy"
        )
        p = payments.record_payment(store, clerk, r["tracking"])
    finally:
        store.close()
    assert r["tracking"] == f"{OFFICE}-261126-{stored_requests + 1:04d}"
    assert p["receipt"] == f"{OFFICE}-2026-{stored_payments + 1:06d}"


# -- hand edits that `odsc check` must name ---------------------------------------------------


@pytest.fixture
def ledger_dir(tmp_path) -> Path:
    """A closed store with five paid requests, and check passing before any edit."""
    clock = FakeClock()
    c = make_counter(tmp_path / "data", clock)
    cash.open_cash(c.store, c.clerk, 0)
    for n in range(5):
        clock.advance(minutes=3)
        r = service_requests.record_request(
            c.store, c.clerk, service_code="MOHA-BIRTH", citizen_name=f"ສົມສັກ {n}"
        )
        payments.record_payment(c.store, c.clerk, r["tracking"])
    assert integrity.check_store(c.store)["ok"]
    c.store.close()
    return c.data_dir


def edit(data_dir: Path, *statements: str) -> None:
    """What someone with the sqlite3 shell could do: plain SQL, triggers dropped as needed."""
    conn = sqlite3.connect(store_path(data_dir), isolation_level=None)
    try:
        for statement in statements:
            conn.execute(statement)
    finally:
        conn.close()


def third_payment(data_dir: Path) -> tuple[str, str, int]:
    """(id, receipt, audit seq) of the third payment: tampering in the middle of the ledger."""
    conn = sqlite3.connect(store_path(data_dir))
    try:
        pid, receipt = conn.execute(
            "SELECT id, receipt FROM payments ORDER BY receipt_seq LIMIT 1 OFFSET 2"
        ).fetchone()
        # The third payment's link is the third link of the payments table.
        (seq,) = conn.execute(
            "SELECT seq FROM audit_log WHERE entity = 'payments' ORDER BY seq LIMIT 1 OFFSET 2"
        ).fetchone()
    finally:
        conn.close()
    return pid, receipt, seq


def check_fails_with(data_dir: Path, problem: dict) -> None:
    """`odsc check` exits non-zero, names the problem in Lao and English, and in --json."""
    cli = run_cli(data_dir, "--json", "check")
    assert cli.returncode == 1, (cli.returncode, cli.stderr)
    assert "Traceback" not in cli.stderr
    lo, en = render(problem["kind"], **problem)
    assert lo in cli.stderr
    assert en in cli.stderr
    report = json.loads(cli.stdout)
    assert report["ok"] is False
    assert report["problems"] == [problem]


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("at", stamp(FakeClock().moment)),
        ("action", "payment_voided"),
        ("hash", "x'00'"),
    ],
)
def test_check_names_an_edited_audit_row(ledger_dir, column, value):
    _, _, seq = third_payment(ledger_dir)
    edit(
        ledger_dir,
        "DROP TRIGGER audit_log_no_update",
        f"UPDATE audit_log SET {column} = {value if value.startswith('x') else repr(value)}"
        f" WHERE seq = {seq}",
    )
    # A link's own hash edited reads as its fact not matching it: both name the same row.
    expected = {"kind": "audit.broken", "seq": seq}
    if column == "hash":
        pid, _, _ = third_payment(ledger_dir)
        expected = {"kind": "fact.changed", "table": "payments", "id": pid, "seq": seq}
    check_fails_with(ledger_dir, expected)


def test_check_names_an_edited_payment_amount(ledger_dir):
    pid, _, seq = third_payment(ledger_dir)
    edit(
        ledger_dir,
        "DROP TRIGGER payments_no_update",
        f"UPDATE payments SET amount = 1000 WHERE id = '{pid}'",
    )
    check_fails_with(
        ledger_dir, {"kind": "fact.changed", "table": "payments", "id": pid, "seq": seq}
    )


def test_check_names_a_deleted_payment(ledger_dir):
    pid, _, seq = third_payment(ledger_dir)
    edit(ledger_dir, "DROP TRIGGER payments_no_delete", f"DELETE FROM payments WHERE id = '{pid}'")
    check_fails_with(ledger_dir, {"kind": "fact.missing", "table": "payments", "seq": seq})


def test_check_names_a_payment_slipped_in(ledger_dir):
    # A copy of a real payment under a new id and the next receipt number, audit chain untouched.
    edit(
        ledger_dir,
        "INSERT INTO payments (id, receipt, receipt_year, receipt_seq, request_id, session_id,"
        " business_date, amount, method, at, by)"
        f" SELECT 'forged-1', '{OFFICE}-2026-000006', 2026, 6, request_id, session_id,"
        " business_date, amount, method, at, by FROM payments ORDER BY receipt_seq LIMIT 1",
    )
    check_fails_with(ledger_dir, {"kind": "fact.unaudited", "table": "payments", "id": "forged-1"})


def test_check_names_an_edited_counter_number(ledger_dir):
    edit(ledger_dir, "UPDATE office SET counter = 2")
    check_fails_with(ledger_dir, {"kind": "office.changed"})
