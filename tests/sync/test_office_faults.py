"""The Proof of issue 16 (docs/OFFICE_SHARING.md, D7): one office, three counters, its hub and
the centre, a fault proxy on every link, seeded random partitions, kills and restarts, and a
counter restored from an old backup.

Each seed is one office: counters 1 and 2 sync with the office's hub, counter 3 straight with the
centre. The centre is a real `odsc-server serve` process (SQLite and PostgreSQL); the hub is one
too, on its own SQLite file; each is SIGKILLed at random, some of the hub's kills land while a
counter's sync is in flight, and started again. The hub's sync runs in this process, through
its own faulty link (a run cut off there is what a killed run leaves: each of its steps commits
as it goes). The counters record visits, unpaid requests, voids and refunds, and move and take
the balance of their own and each other's requests, syncing at random over their links; the
links fail at random per exchange (refused, cut either way, delayed) and are cut off entirely
for stretches (partitions). Counter 2 is restored from a backup taken earlier, on a new PC.

When the links heal and every side has synced, for every seed:
- the centre holds every fact once: each counter's own facts exactly (the restored counter took
  back at its first sync what it had pushed since the backup), its device row counting each
  once;
- the hub holds exactly the office's facts the centre holds, and nothing of another office;
- every counter holds exactly the office's facts: its own, and the others' as pulled;
- every request shows the same status at every counter as at the centre;
- each counter's receipt numbers at the centre run from 1 without a gap or a repeat;
- `odsc check` passes on every counter.

Knobs below: with them the file takes about 90 s on a 2-core machine, both databases together.
"""

from __future__ import annotations

import hashlib
import json
import random
import threading
from collections import Counter as Tally
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import Engine, func, select

from odsc_desk.api import browse, office_facts
from odsc_desk.domain import cash, payments, service_requests
from odsc_desk.maintenance import backups, integrity
from odsc_desk.shared.canonical import canonical
from odsc_desk.shared.clock import system_clock
from odsc_desk.shared.errors import OdscError
from odsc_desk.shared.request_history import TRANSITIONS
from odsc_desk.storage.store import open_store
from sync import client
from sync.server import enrollment, hub, hub_sync
from sync.server.db import devices, open_db, ops, sqlite_url, writing
from sync.server.db import payments as centre_payments
from sync.server.db import requests as centre_requests
from tests.conftest import FAST_HASHER, Counter, FakeClock
from tests.sync.conftest import (
    ServerProcess,
    centre_facts,
    counter_facts,
    free_port,
    make_office_counter,
)
from tests.sync.proxy import PASS, FaultProxy, RandomFaults, Refuse
from tests.sync.test_faults import FAULT_TIMEOUTS, FAULT_WEIGHTS, Day

# -- knobs ---------------------------------------------------------------------------------------
SEEDS = 6  # offices per database, each its own seed
STEPS = 70  # random steps per office
PARTITION = 0.06  # per step: a link is cut off entirely, for 2 to 6 steps
HUB_KILL = 0.04  # per step: the hub is SIGKILLed (half of them during a counter's sync)
CENTRE_KILL = 0.02  # per step: the centre is SIGKILLed
SETTLE_ROUNDS = 4  # full rounds of syncs once everything heals


def held_by_counter(c: Counter) -> dict[str, str]:
    """Every fact a counter holds, its own and the office's it pulled: op id -> sha256."""
    held = counter_facts(c.store)
    for fact in office_facts.facts(c.store):
        held[fact.op_id] = hashlib.sha256(canonical(fact.row)).hexdigest()
    return held


def held_for_office(engine: Engine, office: str) -> dict[str, str]:
    """Every op a server holds of the office's counters: op id -> sha256."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(ops.c.op_id, ops.c.sha256)
            .join(devices, devices.c.device_id == ops.c.device_id)
            .where(devices.c.office == office)
        )
        return {op_id: bytes(sha).hex() for op_id, sha in rows}


class Office:
    """One seed's office: its hub, its three counters, its links."""

    EVENTS = ("partitions", "hub kills in a sync", "hub kills", "centre kills")

    def __init__(self, centre: ServerProcess, folder: Path, seed: int, stack: ExitStack) -> None:
        self.rng = random.Random(seed)
        self.seed = seed
        self.office = f"VTE-H{seed + 1}"
        self.centre = centre
        hub_url = sqlite_url(folder / "hub.sqlite3").render_as_string()
        self.hub = ServerProcess(
            engine=open_db(hub_url), db_url=hub_url, port=free_port(), log=folder / "hub.log"
        )
        self.hub.start()
        stack.callback(self.hub.engine.dispose)
        stack.callback(self.hub.kill)
        # The links: the hub to the centre, counters 1 and 2 to the hub, counter 3 to the centre.
        self.up = stack.enter_context(FaultProxy(("127.0.0.1", centre.port)))
        self.lan = stack.enter_context(FaultProxy(("127.0.0.1", self.hub.port)))
        self.direct = stack.enter_context(FaultProxy(("127.0.0.1", centre.port)))
        self.links = (self.up, self.lan, self.direct)
        self.session = stack.enter_context(requests.Session())
        with writing(centre.engine) as conn:
            code = enrollment.create_relay_code(conn, self.office, system_clock())["code"]
        hub.enroll(self.hub.engine, self.up.url, code, self.office, system_clock)
        clock = FakeClock()
        self.counters: list[Counter] = []
        for n, (server, link) in enumerate(
            ((self.hub, self.lan), (self.hub, self.lan), (centre, self.direct)), start=1
        ):
            c = make_office_counter(folder / f"counter-{n}", clock, self.office, n)
            client.enroll_counter(c.store, c.admin, link.url, server.enroll_code(self.office, n))
            cash.open_cash(c.store, c.clerk, 100_000)
            self.counters.append(c)
        stack.callback(self.close)
        self.days = [Day(c, self.rng) for c in self.counters]
        self.cut_until: dict[int, int] = {}  # link index -> step its partition ends
        self.events = dict.fromkeys(self.EVENTS, 0)
        self.restored = False
        self.backup = folder / "counter-2-backup.sqlite3"
        self.new_pc = folder / "counter-2-new-pc"

    def close(self) -> None:
        for c in self.counters:
            c.store.close()

    # -- the links and the processes ---------------------------------------------------------
    def faults(self, step: int) -> None:
        """Each link fails at random, or is cut off while its partition lasts."""
        for n, link in enumerate(self.links):
            if self.cut_until.get(n, -1) < step and self.rng.random() < PARTITION:
                self.cut_until[n] = step + self.rng.randint(2, 6)
                self.events["partitions"] += 1
            cut = self.cut_until.get(n, -1) >= step
            link.set_mode(
                Refuse() if cut else RandomFaults(self.seed * 100 + step * 3 + n, FAULT_WEIGHTS)
            )

    def heal(self) -> None:
        for link in self.links:
            link.set_mode(PASS)
        for server in (self.centre, self.hub):
            if server.proc is None:
                server.start()

    def kills(self) -> None:
        if self.rng.random() < HUB_KILL:
            if self.rng.random() < 0.5:
                # While a counter of the hub syncs: the kill lands wherever that sync is.
                timer = threading.Timer(self.rng.uniform(0.0, 0.05), self.hub.kill)
                timer.start()
                self.sync(self.counters[self.rng.randrange(2)])
                timer.join()
                self.events["hub kills in a sync"] += 1
            else:
                self.hub.kill()
                self.events["hub kills"] += 1
            self.hub.start()
        if self.rng.random() < CENTRE_KILL:
            self.centre.kill()
            self.centre.start()
            self.events["centre kills"] += 1

    # -- what happens at the office ----------------------------------------------------------
    def sync(self, c: Counter) -> client.SyncResult:
        result = client.sync_once(c.store, self.session, timeouts=FAULT_TIMEOUTS)
        assert result.ok or result.retry, (result.error, result.message_en)
        assert result.parked == 0 and result.office_refused == 0, result
        return result

    def hub_sync(self) -> hub_sync.HubRun:
        done = hub_sync.run(self.hub.engine, system_clock, self.session)
        assert done.error is None or done.error.retry, done.error.message_en
        assert done.refused == 0 and done.pull_refused == 0, done
        return done

    def serve(self, c: Counter) -> None:
        """A citizen at counter `c` about a request of the office, its own or another's: its
        balance taken, or its next move."""
        own = [r["tracking"] for r in c.store.all("SELECT tracking FROM requests")]
        foreign = [r["tracking"] for r in c.store.all("SELECT tracking FROM office_requests")]
        if not own + foreign:
            return
        tracking = self.rng.choice(own + foreign)
        shown = browse.request_detail(c.store, tracking)
        if not shown["writable"]:
            return
        try:
            if shown["balance"] > 0 and self.rng.random() < 0.5:
                payments.record_payment(c.store, c.clerk, tracking)
                return
            moves = [m for m in TRANSITIONS[shown["status"]] if m not in ("rejected", "withdrawn")]
            if moves:
                move = self.rng.choice(moves)
                reason = "ຂາດເອກະສານ" if move == "incomplete" else None
                service_requests.change_status(c.store, c.clerk, tracking, move, reason)
        except OdscError:
            pass  # not payable, or not to be handed over with a balance: the clerk is told so

    def restore_counter_two(self, step: int) -> None:
        c = self.counters[1]
        if step == STEPS // 4:
            backups.backup(c.store, self.backup)
        elif step == 3 * STEPS // 4 and not self.restored:
            # The PC dies right after a sync: what it pushed since the backup is upstream only.
            self.lan.set_mode(PASS)
            if self.hub.proc is None:
                self.hub.start()
            result = self.sync(c)
            assert result.ok and result.pending == 0, result
            before = counter_facts(c.store)
            c.store.close()
            backups.restore(self.new_pc, self.backup, None, clock=c.clock)
            c.store = open_store(self.new_pc, clock=c.clock, hasher=FAST_HASHER)
            c.data_dir = self.new_pc
            self.days[1] = Day(c, self.rng)
            after = counter_facts(c.store)
            lost = {k: v for k, v in before.items() if k not in after}
            self.restored = True
            # As the README's restore on a new PC goes: a sync before the next citizen, which
            # brings the numbers the lost copy used and takes back what it wrote (its audit
            # seqs it reuses all the same).
            result = self.sync(c)
            assert result.ok and result.floors_raised > 0 and result.recovered == len(lost), (
                result,
                len(lost),
            )

    def step(self, step: int) -> None:
        self.faults(step)
        self.kills()
        self.restore_counter_two(step)
        roll = self.rng.random()
        c = self.counters[self.rng.randrange(3)]
        if roll < 0.45:
            self.days[self.counters.index(c)].act()
        elif roll < 0.60:
            self.serve(c)
        elif roll < 0.85:
            self.sync(c)
        else:
            self.hub_sync()

    def settle(self) -> None:
        self.heal()
        for _ in range(SETTLE_ROUNDS):
            for c in self.counters:
                result = self.sync(c)
                assert result.ok, result
            done = self.hub_sync()
            assert done.error is None, done

    # -- what must hold ----------------------------------------------------------------------
    def check(self) -> None:
        centre_engine, office = self.centre.engine, self.office
        everything = held_for_office(centre_engine, office)
        for n, c in enumerate(self.counters, start=1):
            device = c.store.office["device_id"]
            held = centre_facts(centre_engine, device)
            assert held == counter_facts(c.store), f"counter {n}: the centre holds other facts"
            with centre_engine.connect() as conn:
                counted = conn.execute(
                    select(devices.c.ops).where(devices.c.device_id == device)
                ).scalar_one()
            assert counted == len(held), f"counter {n}: counted twice"
            assert held_by_counter(c) == everything, f"counter {n}: not the office's facts"
            assert integrity.check_store(c.store)["ok"], f"counter {n}"
        assert held_for_office(self.hub.engine, office) == everything
        with self.hub.engine.connect() as conn:
            others = conn.execute(
                select(func.count()).select_from(devices).where(devices.c.office != office)
            ).scalar_one()
        assert others == 0, "the hub holds another office's counters"
        with centre_engine.connect() as conn:
            statuses = dict(
                conn.execute(
                    select(centre_requests.c.tracking, centre_requests.c.status).where(
                        centre_requests.c.office == office
                    )
                ).all()
            )
            receipts = conn.execute(
                select(centre_payments.c.counter, centre_payments.c.receipt_seq).where(
                    centre_payments.c.office == office
                )
            ).all()
        for n, c in enumerate(self.counters, start=1):
            for tracking, status in statuses.items():
                assert browse.request_detail(c.store, tracking)["status"] == status, (n, tracking)
            seqs = sorted(seq for counter, seq in receipts if counter == n)
            assert seqs == list(range(1, len(seqs) + 1)), f"counter {n}'s receipts: {seqs}"


@pytest.fixture
def centre(server_process: ServerProcess) -> Iterator[ServerProcess]:
    yield server_process


def test_an_office_with_a_hub_converges_under_seeded_faults_kills_and_a_restore(
    centre: ServerProcess, tmp_path: Path
) -> None:
    drawn: list[Any] = []
    events: Tally[str] = Tally()
    for seed in range(SEEDS):
        folder = tmp_path / f"office-{seed}"
        folder.mkdir()
        with ExitStack() as stack:
            office = Office(centre, folder, seed, stack)
            for step in range(STEPS):
                office.step(step)
            office.settle()
            try:
                office.check()
            except AssertionError as exc:
                raise AssertionError(f"seed {seed}: {exc}") from exc
            assert office.restored
            drawn += [f for link in office.links for r in link.log for f in r.faults]
            events.update(office.events)
    # Every kind of fault was drawn, and every kind of partition and kill happened.
    assert {f for f in drawn} == {PASS, Refuse()} | {f for f, _ in FAULT_WEIGHTS}
    assert all(events[kind] > 0 for kind in Office.EVENTS), events
    print(json.dumps({"exchanges": len(drawn), "faulty": sum(f != PASS for f in drawn), **events}))
