"""The fault suite of issue 5: sync through a bad link, killed processes and restored backups,
each test on both centre databases (SQLite and PostgreSQL: the server_db_url fixture).

The tests end on the strongest check there is (`assert_converged`): every synced fact of the
counter, re-hashed, against every op the centre holds for its device (same ids, same sha256, no
more), the same counts in the centre's report tables and its device row, the same fee total on
both sides, an empty queue and `odsc check` ok.

The counts below are the suite's knobs: with these values the whole file takes about 90 s on a
2-core machine, both databases together (the seeded runs and the 200 counters about 30 s each).
"""

from __future__ import annotations

import json
import logging
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

import psycopg
import pytest
import requests
from sqlalchemy import Engine, func, select
from sqlalchemy.engine import make_url

from odsc_desk.domain import cash, payments, service_requests, signing
from odsc_desk.maintenance import backups, integrity
from odsc_desk.shared.clock import stamp
from odsc_desk.storage import chain, ledger, outbox
from odsc_desk.storage.store import Store, open_store
from sync import client, protocol
from sync.errors import SyncError
from sync.server import reports
from sync.server.db import devices, ops
from sync.server.db import payments as centre_payments
from sync.server.db import refunds as centre_refunds
from sync.server.db import requests as centre_requests
from sync.server.db import voids as centre_voids
from tests.conftest import FAST_HASHER, PASSWORD, Counter, FakeClock
from tests.sync.conftest import (
    PG_HOST,
    PG_PORT,
    PG_USER,
    LiveServer,
    ServerProcess,
    centre_facts,
    counter_facts,
    make_office_counter,
    push,
    visit,
)
from tests.sync.proxy import (
    PASS,
    CutRequest,
    CutResponse,
    Delay,
    FaultProxy,
    OnlyFor,
    RandomFaults,
    Refuse,
    Throttle,
)

# -- knobs ---------------------------------------------------------------------------------------
SEEDS = 20  # seeded random-fault runs per database, each its own counter
OPS_PER_RUN = 150  # facts each of those counters records (and must sync exactly once)
SYNC_EVERY = 6  # counter actions between two sync attempts
FAULT_TIMEOUTS = (2.0, 0.35)  # the client's connect / read timeouts while the link is bad
DELAY = 0.2  # one way: a delayed exchange outlasts the read timeout, the centre still commits
REPLAYS = 4  # pushes whose reply is lost after the commit, before two syncs race
POISON_VISITS = 60  # visits queued around two poison ops
CLIENT_KILL_VISITS = 60  # backlog of the counter killed mid-sync (2 ops a visit)
SERVER_KILL_VISITS = 400  # backlog pushed while the server is killed
SERVER_KILLS = 2  # SIGKILLs of the server, each inside a push transaction
COUNTERS = 200  # counters syncing at once
COUNTER_VISITS = 2  # visits each of them records

# Per exchange (one request and its reply), on every call the client makes: enroll, status,
# push, reference.
FAULT_WEIGHTS = (
    (PASS, 10.0),
    (Refuse(), 2.0),
    (CutRequest(after=0), 1.0),  # the connection dies before the request leaves
    (CutRequest(after=200), 1.0),  # inside the headers
    (CutRequest(after=1500), 1.0),  # inside a push body
    (CutResponse(after=0), 3.0),  # the centre committed; the reply is lost
    (CutResponse(after=60), 1.0),  # the reply dies inside its headers
    (Delay(DELAY), 1.0),  # the reply comes after the client gave up
)
PUSHES = f"POST {protocol.PUSH}"
SERVICES = ("MOHA-BIRTH", "MOHA-MARR", "MPS-ID-CARD", "MOHA-FAM-BK", "MOIC-BIZ-LIC")
NAMES = ("ນາງ ນ້ອຍ", "ທ້າວ ສົມສັກ ພົມມະວົງ", "Ket Sisoulath", "ນາງ ແສງຈັນ", "Bounmy")


# -- what each side holds ------------------------------------------------------------------------


def counter_fee_total(store: Store) -> int:
    """Payments less voided payments less refunds, in kip, as the centre's reports count."""
    return store.scalar(
        "SELECT (SELECT COALESCE(SUM(amount), 0) FROM payments)"
        " - (SELECT COALESCE(SUM(p.amount), 0) FROM payments p JOIN voids v ON v.payment_id = p.id)"
        " - (SELECT COALESCE(SUM(amount), 0) FROM refunds)"
    )


def centre_fee_total(engine: Engine, device_id: str) -> int:
    mine = centre_payments.c.device_id == device_id
    with engine.connect() as conn:
        paid = conn.execute(select(func.sum(centre_payments.c.amount)).where(mine)).scalar()
        voided = conn.execute(
            select(func.sum(centre_payments.c.amount))
            .join(centre_voids, centre_voids.c.payment_id == centre_payments.c.id)
            .where(mine)
        ).scalar()
        refunded = conn.execute(
            select(func.sum(centre_refunds.c.amount)).where(centre_refunds.c.device_id == device_id)
        ).scalar()
    return (paid or 0) - (voided or 0) - (refunded or 0)


def assert_converged(engine: Engine, c: Counter, *, parked: int = 0) -> None:
    """The centre holds exactly the counter's facts, once each, and the counter is clean."""
    store = c.store
    device = store.office["device_id"]
    mine = counter_facts(store)
    held = centre_facts(engine, device)
    poison = {p["op_id"] for p in outbox.parked(store)}
    assert len(poison) == parked
    assert set(held) == set(mine) - poison, "missing at the centre or unknown to the counter"
    assert {k: mine[k] for k in held} == held, "stored content differs from the counter's"
    with engine.connect() as conn:
        row = conn.execute(select(devices).where(devices.c.device_id == device)).one()
        typed = {
            t.name: conn.execute(
                select(func.count()).select_from(t).where(t.c.device_id == device)
            ).scalar_one()
            for t in (centre_requests, centre_payments, centre_voids, centre_refunds)
        }
    assert row.ops == len(held), "the device's op count is off (counted twice?)"
    assert row.high_water == store.scalar(
        "SELECT MAX(seq) FROM audit_log WHERE entity IN ({})".format(
            ", ".join(f"'{t}'" for t in chain.SYNCED)
        )
    )
    here = {t: store.scalar(f"SELECT COUNT(*) FROM {t}") for t in typed}
    if not parked:
        assert typed == here
        assert centre_fee_total(engine, device) == counter_fee_total(store)
    assert outbox.pending_count(store) == 0 and outbox.parked_count(store) == parked
    check = integrity.check_store(store)
    assert check["ok"], check["problems"]


# -- a seeded day at the counter -----------------------------------------------------------------
class Day:
    """Visits, unpaid requests, voids and refunds, drawn from `rng`."""

    def __init__(self, c: Counter, rng: random.Random) -> None:
        self.c, self.rng = c, rng
        self.open_receipts: list[tuple[str, int]] = []  # (receipt, amount): may be voided

    def act(self) -> None:
        c, rng = self.c, self.rng
        c.clock.advance(seconds=rng.randint(20, 120))
        roll = rng.random()
        if roll < 0.12 and self.open_receipts:
            receipt, _ = self.open_receipts.pop(rng.randrange(len(self.open_receipts)))
            payments.void_payment(c.store, c.clerk, receipt, "ພິມຜິດ / misprint", c.supervisor)
        elif roll < 0.22 and self.open_receipts:
            receipt, amount = self.open_receipts.pop(rng.randrange(len(self.open_receipts)))
            refund = rng.randint(1, amount // 1000) * 1000
            payments.refund_payment(c.store, c.clerk, receipt, refund, "ຄືນເງິນ", c.supervisor)
        elif roll < 0.30:
            service_requests.record_request(
                c.store, c.clerk, service_code=rng.choice(SERVICES), citizen_name=rng.choice(NAMES)
            )
        else:
            paid = visit(c, name=rng.choice(NAMES), service=rng.choice(SERVICES))
            self.open_receipts.append((paid["receipt"], paid["amount"]))


def ops_recorded(store: Store) -> int:
    return store.scalar("SELECT ops FROM outbox_acked") + outbox.pending_count(store)


# -- syncing over a bad link ---------------------------------------------------------------------
def sync_attempt(store: Store, session: requests.Session) -> client.SyncResult:
    """One run over the faulty link: it may fail, but only as a network failure that a later run
    can cure, and it never parks anything for the link's sake."""
    result = client.sync_once(store, session, timeouts=FAULT_TIMEOUTS)
    assert result.ok or result.retry, (result.error, result.message_en)
    assert result.parked == 0, outbox.parked(store)
    return result


def enroll_through(store: Store, url: str, code: str, session: requests.Session) -> int:
    """Enroll over the faulty link, trying the same code again until it works; returns how many
    attempts failed."""
    for failed in range(100):
        try:
            client.enroll(store, url, code, session=session, timeouts=FAULT_TIMEOUTS)
            return failed
        except SyncError as exc:
            assert exc.retry, exc.message_en
    raise AssertionError("enrollment never got through")


def sync_until_drained(store: Store, session: requests.Session, attempts: int = 200) -> int:
    """Sync over the faulty link until a run ends with nothing pending; returns the failures."""
    for failed in range(attempts):
        result = sync_attempt(store, session)
        if result.ok and result.pending == 0:
            return failed
    raise AssertionError(f"still {outbox.pending_count(store)} pending after {attempts} runs")


def token_of(store: Store) -> str:
    return store.scalar("SELECT token FROM sync_state")


def until(condition: Callable[[], bool], timeout: float = 30.0, every: float = 0.002) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(every)


# -- exactly once --------------------------------------------------------------------------------
def test_exactly_once_under_seeded_random_faults(live_server: LiveServer, tmp_path: Path) -> None:
    """SEEDS counters, each recording OPS_PER_RUN facts while syncing through a link that
    refuses, cuts and delays at random (seeded); once the link heals and a sync finishes, the
    centre holds exactly each counter's facts."""
    totals = {"requests": 0, "payments": 0, "fee_total": 0}
    failed_runs = 0
    with FaultProxy(("127.0.0.1", live_server.port)) as proxy:
        for seed in range(SEEDS):
            c = make_office_counter(tmp_path / f"run-{seed}", FakeClock(), "VTE-SST", seed + 1)
            rng = random.Random(seed)
            proxy.set_mode(RandomFaults(seed, FAULT_WEIGHTS))
            # The counter's key first, as `odsc sync enroll` and the window make it: a lost
            # enrollment reply is recovered by proving that key (a code works once).
            with c.store.transaction():
                signing.ensure_key(c.store, c.admin.id)
            with requests.Session() as session:
                code = live_server.enroll_code("VTE-SST", seed + 1)
                failed_runs += enroll_through(c.store, proxy.url, code, session)
                cash.open_cash(c.store, c.clerk, 100_000)
                day = Day(c, rng)
                actions = 0
                while ops_recorded(c.store) < OPS_PER_RUN:
                    day.act()
                    actions += 1
                    if actions % SYNC_EVERY == 0:
                        failed_runs += not sync_attempt(c.store, session).ok
                proxy.set_mode(PASS)
                final = client.sync_once(c.store, session)
            assert final.ok and final.pending == 0, (seed, final)
            try:
                assert_converged(live_server.engine, c)
            except AssertionError as exc:
                raise AssertionError(f"seed {seed}: {exc}") from exc
            totals["requests"] += c.store.scalar("SELECT COUNT(*) FROM requests")
            totals["payments"] += c.store.scalar("SELECT COUNT(*) FROM payments")
            totals["fee_total"] += counter_fee_total(c.store)
            c.store.close()
        drawn = [fault for record in proxy.log for fault in record.faults]
    # Every kind of fault was drawn, and runs failed because of them.
    assert set(drawn) == {fault for fault, _ in FAULT_WEIGHTS}
    assert failed_runs > SEEDS
    print(
        f"{len(drawn)} exchanges, {sum(f != PASS for f in drawn)} faulty, {failed_runs} failed runs"
    )
    with live_server.engine.connect() as conn:
        office = reports.office_report(conn, "VTE-SST")
    assert {k: office[k] for k in totals} == totals
    assert office["devices"] == SEEDS


def test_replies_lost_after_the_commit_then_two_syncs_racing_store_each_op_once(
    live_server: LiveServer, sync_counter: Counter
) -> None:
    """Every push reaches the centre and is committed, and every reply is lost, REPLAYS times;
    then two syncs of the same counter race (the app's thread and `odsc sync run`, say)."""
    c = sync_counter
    for _ in range(30):
        visit(c)
    a, b = visit(c), visit(c)
    payments.void_payment(c.store, c.clerk, a["receipt"], "ພິມຜິດ", c.supervisor)
    payments.refund_payment(c.store, c.clerk, b["receipt"], 5_000, "ຄືນເງິນ", c.supervisor)
    waiting = outbox.pending_count(c.store)
    with FaultProxy(("127.0.0.1", live_server.port)) as proxy:
        client.enroll(c.store, proxy.url, live_server.enroll_code("VTE-SST", 1))
        proxy.set_mode(OnlyFor(PUSHES, CutResponse(after=0)))
        for _ in range(REPLAYS):
            lost = client.sync_once(c.store)
            assert not lost.ok and lost.error == "sync.offline" and lost.pending == waiting
        held = centre_facts(live_server.engine, c.store.office["device_id"])
        assert 0 < len(held) < waiting  # the first batch, stored once however often it came
        assert [r.outcome for r in proxy.log].count("cut response") == REPLAYS

        proxy.set_mode(PASS)
        results: list[client.SyncResult] = []
        gate = threading.Barrier(2)

        def racer() -> None:
            store = open_store(c.data_dir, clock=c.clock, hasher=FAST_HASHER)
            try:
                gate.wait()
                results.append(client.sync_once(store))
            finally:
                store.close()

        threads = [threading.Thread(target=racer) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert [r.ok for r in results] == [True, True], results
    assert sum(r.pushed for r in results) >= waiting
    assert_converged(live_server.engine, c)


def test_other_content_under_a_stored_op_id_is_a_conflict_and_overwrites_nothing(
    live_server: LiveServer, sync_counter: Counter
) -> None:
    c = sync_counter
    paid = visit(c)
    visit(c)
    client.enroll(c.store, live_server.url, live_server.enroll_code("VTE-SST", 1))
    assert client.sync_once(c.store).ok
    device = c.store.office["device_id"]
    with live_server.engine.connect() as conn:
        stored = conn.execute(select(ops).where(ops.c.op_id == paid["id"])).one()
        report = reports.office_report(conn, "VTE-SST")
    forged = {**json.loads(stored.payload), "amount": paid["amount"] + 90_000}
    forgery = [protocol.Op(stored.seq, "payments", forged)]
    with FaultProxy(("127.0.0.1", live_server.port), CutResponse(after=0)) as proxy:
        # The forger's first reply is lost and it sends again: a conflict both times.
        with pytest.raises(requests.ConnectionError):
            push(proxy.url, token_of(c.store), device, forgery)
        proxy.set_mode(PASS)
        reply = push(proxy.url, token_of(c.store), device, forgery)
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert (body["stored"], body["duplicates"], body["rejected"]) == (0, 0, [])
    assert [(x["seq"], x["op_id"]) for x in body["conflicts"]] == [(stored.seq, paid["id"])]
    with live_server.engine.connect() as conn:
        after = conn.execute(select(ops).where(ops.c.op_id == paid["id"])).one()
        amount = conn.execute(
            select(centre_payments.c.amount).where(centre_payments.c.id == paid["id"])
        ).scalar_one()
        report_after = reports.office_report(conn, "VTE-SST")
    assert (after.payload, bytes(after.sha256)) == (stored.payload, bytes(stored.sha256))
    assert amount == paid["amount"]
    assert {k: report_after[k] for k in ("requests", "payments", "fee_total")} == {
        k: report[k] for k in ("requests", "payments", "fee_total")
    }
    assert_converged(live_server.engine, c)


def test_poison_ops_are_parked_and_the_rest_drains_over_a_bad_link(
    live_server: LiveServer, sync_counter: Counter
) -> None:
    """Two ops the centre refuses, in the middle of the queue, with the link failing at random:
    both end parked with the centre's reason and everything else arrives once."""
    c = sync_counter
    for _ in range(POISON_VISITS // 2):
        visit(c)
    template = c.store.one("SELECT * FROM requests LIMIT 1")
    poison = {
        # Another office's number in this counter's ledger (a bug, say).
        "other-office": {"tracking": "LPB-LPB-1-261125-0001", "daily_seq": 1},
        # A name longer than any the centre accepts.
        "too-long": {
            "tracking": "VTE-SST-1-261125-0002",
            "daily_seq": 2,
            "citizen_name": "ກ" * 2100,
        },
    }
    with c.store.transaction():
        for op_id, change in poison.items():
            row = {**template, "id": op_id, "business_date": "2026-11-25", **change}
            ledger.append(c.store, "requests", row)
    for _ in range(POISON_VISITS - POISON_VISITS // 2):
        visit(c)
    with FaultProxy(("127.0.0.1", live_server.port)) as proxy, requests.Session() as session:
        client.enroll(c.store, proxy.url, live_server.enroll_code("VTE-SST", 1))
        proxy.set_mode(RandomFaults(99, FAULT_WEIGHTS))
        for _ in range(200):
            result = client.sync_once(c.store, session, timeouts=FAULT_TIMEOUTS)
            assert result.ok or result.retry, result.error
            if result.ok and result.pending == 0:
                break
        assert any(r.outcome != "closed" for r in proxy.log)
    reasons = {p["op_id"]: p["reason"] for p in outbox.parked(c.store)}
    assert reasons == {
        "other-office": "rejected: op.office",
        "too-long": "rejected: row.type:citizen_name",
    }
    assert_converged(live_server.engine, c, parked=2)


def test_a_push_cut_mid_body_is_no_server_error(
    live_server: LiveServer, sync_counter: Counter, caplog: pytest.LogCaptureFixture
) -> None:
    """On a district link bodies are cut all day long: that is the network, not a server fault,
    and must not fill the centre's log with tracebacks."""
    c = sync_counter
    for _ in range(20):
        visit(c)
    with FaultProxy(("127.0.0.1", live_server.port)) as proxy:
        client.enroll(c.store, proxy.url, live_server.enroll_code("VTE-SST", 1))
        proxy.set_mode(OnlyFor(PUSHES, CutRequest(after=1500)))
        with caplog.at_level(logging.WARNING):
            cut = client.sync_once(c.store)
            assert not cut.ok and cut.error == "sync.offline"
            # The server's side of the cut is done once it has closed its connection.
            until(lambda: all(r.closed is not None for r in proxy.log))
            proxy.set_mode(PASS)
            assert client.sync_once(c.store).ok
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert_converged(live_server.engine, c)


def test_a_late_copy_of_an_earlier_enrollment_does_not_lock_the_counter_out(
    live_server: LiveServer, sync_counter: Counter
) -> None:
    """The first attempt is held up on the way in past the client's timeout; the counter tries
    again and is enrolled; then the first attempt reaches the centre. The counter must still be
    able to sync with the token it kept."""
    c = sync_counter
    visit(c)
    code = live_server.enroll_code("VTE-SST", 1)
    enrolls = f"POST {protocol.ENROLL}"
    with FaultProxy(("127.0.0.1", live_server.port), OnlyFor(enrolls, Delay(1.0))) as proxy:
        with pytest.raises(SyncError) as late:
            client.enroll(c.store, proxy.url, code, timeouts=(2, 0.2))
        assert late.value.code == "sync.timeout"
        proxy.set_mode(PASS)
        client.enroll(c.store, proxy.url, code)
        # The held-up attempt arrives now and is answered into the void.
        until(lambda: all(r.closed is not None for r in proxy.log))
        result = client.sync_once(c.store)
    assert result.ok, result.error
    assert_converged(live_server.engine, c)


# -- killed processes ----------------------------------------------------------------------------
def odsc(data_dir: Path, *args: str) -> subprocess.Popen[bytes]:
    command = [str(Path(sys.executable).with_name("odsc")), "--data-dir", str(data_dir), *args]
    # `odsc sync run` writes (the queue, the link's state): it needs a login.
    env = {**os.environ, "ODSC_USER": "noy", "ODSC_PASSWORD": PASSWORD}
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)


def held_count(engine: Engine, device_id: str) -> int:
    with engine.connect() as conn:
        return conn.execute(
            select(func.count()).select_from(ops).where(ops.c.device_id == device_id)
        ).scalar_one()


def test_a_counter_killed_mid_sync_loses_nothing_and_doubles_nothing(
    live_server: LiveServer, sync_counter: Counter
) -> None:
    """`odsc sync run` through a 50 kbit/s, 800 ms link, SIGKILLed twice: while a push is on
    its way up, and after the centre committed a push whose reply is still on its way down."""
    c = sync_counter
    for _ in range(CLIENT_KILL_VISITS):
        visit(c)
    device = c.store.office["device_id"]
    with FaultProxy(("127.0.0.1", live_server.port)) as proxy:
        client.enroll(c.store, proxy.url, live_server.enroll_code("VTE-SST", 1))
        c.store.close()
        proxy.set_mode(Throttle(50_000, 0.8))

        run = odsc(c.data_dir, "sync", "run")
        # Mid-upload: the status call is done and a push is partly through.
        until(lambda: proxy.requests >= 2 and proxy.log[-1].bytes_up > 1_200)
        run.send_signal(signal.SIGKILL)
        run.wait(10)
        # What the dead client had already handed to the network may still reach the centre.
        until(lambda: all(r.closed is not None for r in proxy.log))

        held = held_count(live_server.engine, device)
        run = odsc(c.data_dir, "sync", "run")
        # After a commit: the centre holds more, the counter has not heard yet.
        until(lambda: held_count(live_server.engine, device) > held)
        run.send_signal(signal.SIGKILL)
        run.wait(10)
        # Killed between the centre's commit and the counter settling the reply: ops the centre
        # holds are still queued here.
        store = open_store(c.data_dir, clock=c.clock, hasher=FAST_HASHER)
        queued = {r["op_id"] for r in outbox.pending_batch(store, 100_000)}
        store.close()
        assert queued & set(centre_facts(live_server.engine, device))

        proxy.set_mode(PASS)
        finish = odsc(c.data_dir, "sync", "run", "--once")
        out, _ = finish.communicate(timeout=60)
        assert finish.returncode == 0, out.decode()
    c.store = open_store(c.data_dir, clock=c.clock, hasher=FAST_HASHER)
    assert_converged(live_server.engine, c)


@contextmanager
def write_watch(db_url: str) -> Iterator[Callable[[], bool]]:
    """A probe saying whether a write transaction is open in the centre's database right now:
    on PostgreSQL a backend holding a transaction id, on SQLite the write lock taken."""
    url = make_url(db_url)
    if url.get_backend_name() == "postgresql":
        with psycopg.connect(
            host=PG_HOST, port=PG_PORT, user=PG_USER, dbname="postgres", autocommit=True
        ) as conn:

            def writing() -> bool:
                return bool(
                    conn.execute(
                        "SELECT count(*) FROM pg_stat_activity"
                        " WHERE datname = %s AND backend_xid IS NOT NULL",
                        (url.database,),
                    ).fetchone()[0]
                )

            yield writing
        return
    conn = sqlite3.connect(url.database, timeout=0, isolation_level=None, check_same_thread=False)
    try:

        def writing() -> bool:
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError:
                return True  # locked: the server is inside a write
            conn.execute("ROLLBACK")
            return False

        yield writing
    finally:
        conn.close()


def assert_whole_pushes(engine: Engine, device_id: str) -> None:
    """Nothing half-written: the device row and the report tables agree with the ops."""
    with engine.connect() as conn:
        by_entity = dict(
            conn.execute(
                select(ops.c.entity, func.count())
                .where(ops.c.device_id == device_id)
                .group_by(ops.c.entity)
            ).all()
        )
        row = conn.execute(select(devices).where(devices.c.device_id == device_id)).one()
        for table in (centre_requests, centre_payments, centre_voids, centre_refunds):
            typed = conn.execute(
                select(func.count()).select_from(table).where(table.c.device_id == device_id)
            ).scalar_one()
            assert typed == by_entity.get(table.name, 0), table.name
        top = conn.execute(select(func.max(ops.c.seq)).where(ops.c.device_id == device_id)).scalar()
    assert row.ops == sum(by_entity.values())
    assert row.high_water == (top or 0)


def test_a_server_killed_mid_push_loses_nothing_and_doubles_nothing(
    server_process: ServerProcess, sync_counter: Counter
) -> None:
    """`odsc-server serve` SIGKILLed SERVER_KILLS times while a push transaction is open, and
    restarted on the same database each time."""
    c = sync_counter
    for _ in range(SERVER_KILL_VISITS):
        visit(c)
    device = c.store.office["device_id"]
    client.enroll(c.store, server_process.url, server_process.enroll_code("VTE-SST", 1))
    kills = 0
    with write_watch(server_process.db_url) as writing:
        for _ in range(SERVER_KILLS):
            stop, killed = threading.Event(), threading.Event()

            def killer(stop: threading.Event, killed: threading.Event) -> None:
                while not stop.is_set():
                    if writing():
                        server_process.kill()
                        killed.set()
                        return

            watcher = threading.Thread(target=killer, args=(stop, killed))
            watcher.start()
            result = client.sync_once(c.store, timeouts=(5, 30))
            stop.set()
            watcher.join()
            assert killed.is_set(), "no push transaction was caught open"
            kills += 1
            # Killed mid-push the link is cut (offline); killed before the request reaches it,
            # nothing listens any more (server_down). Either way nothing is lost.
            assert not result.ok and result.error in ("sync.offline", "sync.server_down"), result
            assert_whole_pushes(server_process.engine, device)
            server_process.start()
    result = client.sync_once(c.store)
    assert result.ok and result.pending == 0, result
    assert kills == SERVER_KILLS
    assert_converged(server_process.engine, c)


# -- restored from older backups -----------------------------------------------------------------
@contextmanager
def centre_backups(server: LiveServer, tmp_path: Path) -> Iterator[tuple[Callable, Callable]]:
    """(take, put_back): a real backup of the centre's database while the server is stopped —
    a file copy of the SQLite database, a template copy of the PostgreSQL one."""
    url = make_url(server.db_url)
    postgres = url.get_backend_name() == "postgresql"
    saved = f"{url.database}_backup" if postgres else str(tmp_path / "centre-backup.sqlite3")

    def admin() -> psycopg.Connection:
        return psycopg.connect(
            host=PG_HOST, port=PG_PORT, user=PG_USER, dbname="postgres", autocommit=True
        )

    def copy(source: str, target: str) -> None:
        server.stop()
        server.engine.dispose()  # no connection left: SQLite checkpoints, PostgreSQL may copy
        if postgres:
            with admin() as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
                conn.execute(f'CREATE DATABASE "{target}" TEMPLATE "{source}"')
        else:
            for suffix in ("-wal", "-shm"):
                Path(target + suffix).unlink(missing_ok=True)
            shutil.copyfile(source, target)
        server.start()

    try:
        yield (lambda: copy(url.database, saved)), (lambda: copy(saved, url.database))
    finally:
        if postgres:
            with admin() as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{saved}" WITH (FORCE)')


def test_a_centre_restored_from_an_older_backup_gets_everything_again(
    live_server: LiveServer, sync_counter: Counter, tmp_path: Path
) -> None:
    c = sync_counter
    rng = random.Random(5)
    day = Day(c, rng)
    with (
        FaultProxy(("127.0.0.1", live_server.port)) as proxy,
        requests.Session() as session,
        centre_backups(live_server, tmp_path) as (take_backup, restore_backup),
    ):
        client.enroll(c.store, proxy.url, live_server.enroll_code("VTE-SST", 1))
        for _ in range(40):
            day.act()
        assert client.sync_once(c.store, session).ok
        take_backup()
        for _ in range(40):
            day.act()
        assert client.sync_once(c.store, session).ok
        assert outbox.pending_count(c.store) == 0  # acknowledged, gone from the queue
        restore_backup()
        assert len(centre_facts(live_server.engine, c.store.office["device_id"])) < len(
            counter_facts(c.store)
        )
        proxy.set_mode(RandomFaults(5, FAULT_WEIGHTS))
        sync_until_drained(c.store, session)
    assert_converged(live_server.engine, c)


def test_a_counter_restored_from_an_older_backup_converges_and_reuses_no_number(
    live_server: LiveServer, sync_counter: Counter, tmp_path: Path
) -> None:
    c = sync_counter
    device = c.store.office["device_id"]
    with FaultProxy(("127.0.0.1", live_server.port)) as proxy, requests.Session() as session:
        client.enroll(c.store, proxy.url, live_server.enroll_code("VTE-SST", 1))
        for _ in range(10):
            visit(c)
        backups.backup(c.store, tmp_path / "monday.sqlite3")
        for _ in range(10):
            visit(c)
        assert client.sync_once(c.store, session).ok
        before = counter_facts(c.store)
        c.store.close()

        # The PC dies; a new one is set up from Monday's backup, over the same bad link.
        backups.restore(tmp_path / "new-pc", tmp_path / "monday.sqlite3", None, clock=c.clock)
        c.store = open_store(tmp_path / "new-pc", clock=c.clock, hasher=FAST_HASHER)
        proxy.set_mode(RandomFaults(11, FAULT_WEIGHTS))
        sync_until_drained(c.store, session)
        for _ in range(10):
            visit(c)
        sync_until_drained(c.store, session)
    now = counter_facts(c.store)
    held = centre_facts(live_server.engine, device)
    assert held == {**before, **now}  # what the restore lost is still at the centre, once
    with live_server.engine.connect() as conn:
        receipts = conn.execute(select(centre_payments.c.receipt)).scalars().all()
        tracking = conn.execute(select(centre_requests.c.tracking)).scalars().all()
    assert len(receipts) == len(set(receipts)) == 30
    assert len(tracking) == len(set(tracking)) == 30
    assert outbox.pending_count(c.store) == outbox.parked_count(c.store) == 0
    assert integrity.check_store(c.store)["ok"]


# -- many counters, odd clocks -------------------------------------------------------------------
RETRIES = 3  # a sync cut off by the link is tried again, as the runner's backoff would


def test_two_hundred_counters_syncing_at_once_all_converge(
    live_server: LiveServer, tmp_path: Path
) -> None:
    counters = []
    for n in range(COUNTERS):
        office, number = f"VTE-D{n // 50 + 1}", n % 50 + 1  # a district has at most 99
        c = make_office_counter(tmp_path / f"c{n}", FakeClock(), office, number)
        cash.open_cash(c.store, c.clerk, 0)
        for _ in range(COUNTER_VISITS):
            visit(c)
        counters.append((c, live_server.enroll_code(office, number)))
    errors: list[BaseException] = []
    retried: list[SyncError] = []
    gate = threading.Barrier(COUNTERS)
    with FaultProxy(("127.0.0.1", live_server.port)) as proxy:

        def counter_day(c: Counter, code: str) -> None:
            try:
                gate.wait()
                client.enroll(c.store, proxy.url, code, timeouts=(30, 60))
                # As the window's runner does: a sync the overloaded link cut off is tried
                # again. Seen in CI with the whole suite's load: 21 of 200 first syncs cut off
                # (sync.offline) when the centre closed an idle kept-alive connection while the
                # proxy, starved of the CPU, had not yet passed the close on. (A run returns
                # its error: it raises none.)
                for _ in range(RETRIES):
                    result = client.sync_once(c.store, timeouts=(30, 60))
                    if result.ok or not result.retry or result.failure is None:
                        break
                    retried.append(result.failure)
                assert result.ok and result.pending == 0, result
            except BaseException as exc:  # collected for the assertion below
                errors.append(exc)

        started = time.monotonic()
        threads = [threading.Thread(target=counter_day, args=pair) for pair in counters]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - started
        assert proxy.connections >= COUNTERS
    assert errors == []
    for c, _ in counters:
        assert_converged(live_server.engine, c)
        c.store.close()
    print(
        f"{COUNTERS} counters enrolled and synced at once in {elapsed:.1f} s;"
        f" {len(retried)} syncs tried again ({sorted({e.code for e in retried})})"
    )


def test_a_counter_whose_clock_is_a_year_off_is_stored_as_it_wrote_and_flagged(
    live_server: LiveServer, tmp_path: Path
) -> None:
    ahead, behind, right = FakeClock(), FakeClock(), FakeClock()
    ahead.advance(days=365)
    behind.advance(days=-365)
    counters = {
        "ahead": make_office_counter(tmp_path / "ahead", ahead, "VTE-SST", 1),
        "behind": make_office_counter(tmp_path / "behind", behind, "VTE-SST", 2),
        "right": make_office_counter(tmp_path / "right", right, "VTE-CTB", 1),
    }
    for c in counters.values():
        cash.open_cash(c.store, c.clerk, 0)
        paid = visit(c)
        office = c.store.office
        code = live_server.enroll_code(office["office_code"], office["counter"])
        client.enroll(c.store, live_server.url, code)
        assert client.sync_once(c.store).ok
        assert_converged(live_server.engine, c)
        with live_server.engine.connect() as conn:
            stored = conn.execute(select(ops).where(ops.c.op_id == paid["id"])).one()
            day = reports.day_report(
                conn, office["office_code"], date.fromisoformat(paid["business_date"])
            )
        # Kept as the counter wrote it, and filed under the counter's own business date.
        assert stored.device_time == paid["at"]
        assert stored.received_at == stamp(live_server.clock())
        assert day["payments"] >= 1
    with live_server.engine.connect() as conn:
        sst = reports.office_report(conn, "VTE-SST")
        ctb = reports.office_report(conn, "VTE-CTB")
    year = timedelta(days=365).total_seconds()
    assert sst["clock_skew"]["devices_flagged"] == 2
    assert sst["clock_skew"]["max_seconds"] >= year * 0.99
    assert ctb["clock_skew"] == {"devices_flagged": 0, "max_seconds": 0}
    for c in counters.values():
        c.store.close()
