"""A counter process for the crash tests to kill: it writes, says what returned, and dies.

Run by tests/core/test_durability.py and test_faults.py as a subprocess, never imported by
pytest (the name does not start with test_). It uses the real store, the real SQLite file and
the real core functions; the only stand-in is the clock, which the tests need anyway to keep
the business date fixed, and which can also SIGKILL its own process at a chosen point inside a
transaction so a crash lands exactly where a test wants it.

Modes:

  burst DATA_DIR START USER PASSWORD
      Record a request, pay it, repeat until killed. After each call RETURNS, print one line
      and flush: "REQ <tracking>" or "PAY <receipt> <amount> <tracking>". "READY" comes first.

  kill-in DATA_DIR START USER PASSWORD ACTION WRITES
      Record and pay one request (printed as above), then start ACTION ("request" or
      "payment") and SIGKILL ourselves at the first clock reading inside its transaction once
      WRITES rows have been written in it. "ARMED <what>" is printed just before the call; if the
      call returns anyway, "SURVIVED" is printed and the exit status is 1.

  init DATA_DIR START KILL_AT_CALL
      `odsc init` in-process (fast password hashing), SIGKILLed at the KILL_AT_CALL-th clock
      reading. Prints "SURVIVED" and exits 1 if init finishes first.

START is an ISO-8601 UTC moment; the clock runs on from it at the real rate.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import sys
import time
from datetime import datetime, timedelta

from argon2 import PasswordHasher

from odsc_desk.domain import payments, service_requests, users
from odsc_desk.domain.office_setup import init_store
from odsc_desk.shared.catalog_file import demo_catalog_path
from odsc_desk.storage.store import open_store

# Same parameters as tests.conftest.FAST_HASHER (not imported: that would import pytest).
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
# Fee-bearing services of the demo catalog, so every request has something to pay.
SERVICES = ("MOHA-BIRTH", "MOHA-MARR", "MPWT-VEH-REG", "MOIC-ENT-REG", "MPS-ID-CARD")
NAMES = ("ສົມສັກ ພົມມະຈັນ", "ນ້ອຍ ແສງສະຫວ່າງ", "Khamla Vongsa", "ບຸນມີ ສີສຸພັນ")


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def die() -> None:
    sys.stdout.flush()
    os.kill(os.getpid(), signal.SIGKILL)


class KillClock:
    """Runs on from `start` at the real rate; can SIGKILL its process at a chosen reading."""

    def __init__(self, start: datetime) -> None:
        self.start = start
        self.began = time.monotonic()
        self.calls = 0
        self.kill_at_call: int | None = None
        self.conn: sqlite3.Connection | None = None
        self.baseline = 0
        self.kill_after_writes: int | None = None

    def arm_writes(self, conn: sqlite3.Connection, writes: int) -> None:
        self.conn, self.baseline, self.kill_after_writes = conn, conn.total_changes, writes

    def __call__(self) -> datetime:
        self.calls += 1
        if self.kill_at_call is not None and self.calls >= self.kill_at_call:
            die()
        if (
            self.kill_after_writes is not None
            and self.conn is not None
            and self.conn.in_transaction
            and self.conn.total_changes - self.baseline >= self.kill_after_writes
        ):
            die()
        return self.start + timedelta(seconds=time.monotonic() - self.began)


def request_and_pay(store, clerk, n: int) -> str:
    r = service_requests.record_request(
        store,
        clerk,
        service_code=SERVICES[n % len(SERVICES)],
        citizen_name=NAMES[n % len(NAMES)],
        phone=f"020{55500000 + n}",
    )
    say(f"REQ {r['tracking']}")
    p = payments.record_payment(store, clerk, r["tracking"], method="cash" if n % 3 else "transfer")
    say(f"PAY {p['receipt']} {p['amount']} {r['tracking']}")
    return r["tracking"]


def burst(data_dir: str, start: str, user: str, password: str) -> int:
    clock = KillClock(datetime.fromisoformat(start))
    store = open_store(data_dir, clock=clock, hasher=FAST_HASHER)
    clerk = users.authenticate(store, user, password)
    say("READY")
    n = 0
    while True:
        request_and_pay(store, clerk, n)
        n += 1


def kill_in(data_dir: str, start: str, user: str, password: str, action: str, writes: str) -> int:
    clock = KillClock(datetime.fromisoformat(start))
    store = open_store(data_dir, clock=clock, hasher=FAST_HASHER)
    clerk = users.authenticate(store, user, password)
    request_and_pay(store, clerk, 0)
    if action == "request":
        clock.arm_writes(store.conn, int(writes))
        say("ARMED request")
        service_requests.record_request(
            store, clerk, service_code=SERVICES[1], citizen_name=NAMES[1]
        )
    elif action == "payment":
        r = service_requests.record_request(
            store, clerk, service_code=SERVICES[1], citizen_name=NAMES[1]
        )
        say(f"REQ {r['tracking']}")
        clock.arm_writes(store.conn, int(writes))
        say(f"ARMED payment {r['tracking']}")
        payments.record_payment(store, clerk, r["tracking"])
    else:
        raise SystemExit(f"unknown action {action!r}")
    say("SURVIVED")
    return 1


def init(data_dir: str, start: str, kill_at_call: str) -> int:
    clock = KillClock(datetime.fromisoformat(start))
    clock.kill_at_call = int(kill_at_call)
    init_store(
        data_dir,
        office_code="VTE-SST",
        office_name="ຫ້ອງການບໍລິການປະຕູດຽວ ເມືອງສີສັດຕະນາກ",
        counter=1,
        admin="admin",
        password="counter-pass-1",
        catalog_file=demo_catalog_path(),
        clock=clock,
        hasher=FAST_HASHER,
    )
    say("SURVIVED")
    return 1


def main(argv: list[str]) -> int:
    modes = {"burst": burst, "kill-in": kill_in, "init": init}
    if not argv or argv[0] not in modes:
        raise SystemExit(f"usage: crash_worker.py {{{'|'.join(modes)}}} ...")
    return modes[argv[0]](*argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
