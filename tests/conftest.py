"""Shared fixtures: a real SQLite store in a temporary folder, a settable clock, and users.

Password hashing uses Argon2id with small parameters here so fixtures stay quick; the hash
format and the verification path are the production ones.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher

from odsc_desk.domain import (
    cash,
    closures,
    feedback,
    payments,
    prints,
    service_requests,
    signing,
    users,
)
from odsc_desk.domain.office_setup import init_store
from odsc_desk.shared.catalog_file import demo_catalog_path
from odsc_desk.storage import ledger
from odsc_desk.storage.store import Store, open_store

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PASSWORD = "counter-pass-1"
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@dataclass
class FakeClock:
    """A clock tests move by hand. Starts on a Thursday morning in Vientiane (UTC+7)."""

    moment: datetime = field(default_factory=lambda: datetime(2026, 11, 26, 2, 0, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, **delta: float) -> None:
        self.moment += timedelta(**delta)

    def set_local(self, year: int, month: int, day: int, hour: int = 9) -> None:
        self.moment = datetime(year, month, day, hour - 7, tzinfo=UTC)


@dataclass
class Counter:
    """An initialised counter: its store, clock and the three kinds of user."""

    data_dir: Path
    store: Store
    clock: FakeClock
    admin: users.Actor
    supervisor: users.Actor
    clerk: users.Actor


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def make_counter(
    data_dir: Path, clock: FakeClock, office: str = "VTE-SST", counter: int = 1
) -> Counter:
    init_store(
        data_dir,
        office_code=office,
        office_name="ຫ້ອງການບໍລິການປະຕູດຽວ ເມືອງສີສັດຕະນາກ",
        counter=counter,
        admin="admin",
        password=PASSWORD,
        catalog_file=demo_catalog_path(),
        clock=clock,
        hasher=FAST_HASHER,
    )
    store = open_store(data_dir, clock=clock, hasher=FAST_HASHER)
    # The first admin as `init` made them, without a login: tests that build a store of an
    # older schema (without m005's login_failures) use this too.
    admin_id = store.scalar("SELECT id FROM users WHERE username = 'admin'")
    admin = users.Actor(admin_id, "admin", "admin")
    supervisor = users.add_user(store, admin, "somchai", "supervisor", PASSWORD)
    clerk = users.add_user(store, admin, "noy", "clerk", PASSWORD)
    return Counter(data_dir, store, clock, admin, supervisor, clerk)


@pytest.fixture
def counter(tmp_path: Path, clock: FakeClock) -> Counter:
    c = make_counter(tmp_path / "data", clock)
    yield c
    c.store.close()


@pytest.fixture
def open_counter(counter: Counter) -> Counter:
    """A counter whose cash session is open, ready to take payments."""
    cash.open_cash(counter.store, counter.clerk, 50_000)
    return counter


def cannot_run_here(reason: str) -> None:
    """Skip on a developer's machine that lacks something; in CI a missing tool is a failure."""
    if os.environ.get("CI"):
        pytest.fail(f"CI must run this test: {reason}")
    pytest.skip(reason)


@contextmanager
def read_only(path: Path) -> Iterator[None]:
    """Make a file or folder truly read-only for this process and its children.

    Root ignores chmod, but not the immutable attribute (chattr +i, on ext4 and most Linux file
    systems); anyone else gets chmod. Where neither can be had: a skip, or in CI a failure.
    """
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        if shutil.which("chattr") is None:
            cannot_run_here("running as root without chattr: no way to make the file read-only")
        made = subprocess.run(["chattr", "+i", str(path)], capture_output=True, text=True)
        if made.returncode != 0:
            cannot_run_here(f"this file system cannot make a file immutable: {made.stderr.strip()}")
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(path)], check=True)
    else:
        mode = path.stat().st_mode
        path.chmod(0o555 if path.is_dir() else 0o444)
        try:
            yield
        finally:
            path.chmod(mode)


def every_kind_of_fact(c: Counter) -> None:
    """At least one op of every synced table, as the services write them."""
    s = c.store
    first = service_requests.record_request(
        s, c.clerk, service_code="MOHA-BIRTH", citizen_name="Noy"
    )
    payments.record_payment(s, c.clerk, first["tracking"])
    second = service_requests.record_request(
        s, c.clerk, service_code="MOHA-MARR", citizen_name="Ket"
    )
    service_requests.change_status(s, c.clerk, second["tracking"], "in_process")
    paid = payments.record_payment(s, c.clerk, second["tracking"])
    payments.void_payment(s, c.clerk, paid["receipt"], "typo", c.supervisor)
    again = payments.record_payment(s, c.clerk, second["tracking"])
    payments.refund_payment(s, c.clerk, again["receipt"], 1000, "overcharged", c.supervisor)
    feedback.record_feedback(s, c.clerk, first["tracking"], 5)
    closures.add_closure(s, c.supervisor, date(2026, 12, 24), "flood")
    with s.transaction():
        signing.ensure_key(s, c.clerk.id)
        prints.record_print(s, c.clerk, again["id"], copy=False, fmt="80mm")
        ledger.append(
            s,
            "sequence_floors",
            {
                "id": "floor-1",
                "kind": "receipt",
                "period": "2026",
                "floor": 9,
                "reason": "test",
                "at": s.now_stamp(),
                "by": None,
            },
        )
    cash.close_cash(s, c.clerk, cash.expected_cash(s, cash.open_session(s)["id"]))


def todays_tables(later: list[Any]) -> list[Any]:
    """m007, m010 to m016 among the store migrations `later`. Tests that make an old store with
    today's code (cutting the migrations short) give it these early: today's code reads and
    writes a catalog version's effective date, reads the national calendar and a request's new
    dates, writes status events' clocks and reads the office's facts beside its own (and what
    the centre takes on them), and the upgrade then runs the others and skips them. Stores
    that released versions really wrote are opened in tests/core/test_upgrade.py."""
    wanted = (
        "m007_catalog_effective",
        "m010_national_calendar",
        "m011_new_date",
        "m012_status_clock",
        "m013_office_facts",
        "m014_office_writes",
    )
    names = {m.name for m in later}
    # m015 rewrites `receipt_prints`, which m002 makes: early only in a store that has it (a
    # store from before m002 prints nothing of another counter's before it upgrades).
    if "m002_receipts" not in names:
        wanted += ("m015_office_copies",)
    # m016 adds to `sync_state`, which m003 makes, and which today's code reads whole.
    if "m003_sync_state" not in names:
        wanted += ("m016_recovery",)
    return [m for m in later if m.name in wanted]
