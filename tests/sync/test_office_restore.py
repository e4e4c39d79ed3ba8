"""A counter of the office restored from an older backup (docs/OFFICE_SHARING.md, D6), between
real counters and a real centre on loopback (SQLite and PostgreSQL).

- The restored counter's next sync takes back its own facts that only the centre held (as the
  centre holds them: the centre answers "already held", and counts each once): the request it
  had moved shows the status it had again, and `odsc check` passes.
- A restored counter writes facts under audit seqs its lost copy had used and pushed; the
  centre keeps both, each under its own id, and so does every other counter of the office (the
  later fact as the device's next life, odsc_desk/storage/office_facts.py), refusing nothing.
- A centre from before `/sync/own` answers 404: nothing is taken back, and the run goes on.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from odsc_desk.api import browse, cash, integrity, office_facts, service_requests, sync_state
from odsc_desk.maintenance import backups
from odsc_desk.storage.store import open_store
from sync import client, protocol
from sync.feed_encoding import FeedOp, Roster
from sync.protocol import Op
from sync.server.db import requests as centre_requests
from tests.conftest import FAST_HASHER
from tests.sync.conftest import (
    LiveServer,
    ReleasedCentre,
    assert_problem,
    centre_facts,
    counter_facts,
    get,
    make_office_counter,
    newest_head,
    synced,
    visit,
)
from tests.sync.test_office_pull import _keep, _page
from tests.sync.test_office_writes import LAST_RELEASED


def _restore(counter: Any, tmp_path: Path, backup: Path) -> dict[str, str]:
    """Counter `counter` set up again from `backup` on a new PC; returns its facts the restore
    lost."""
    before = counter_facts(counter.store)
    counter.store.close()
    folder = tmp_path / "new-pc"
    backups.restore(folder, backup, None, clock=counter.clock)
    counter.store = open_store(folder, clock=counter.clock, hasher=FAST_HASHER)
    counter.data_dir = folder
    after = counter_facts(counter.store)
    return {k: v for k, v in before.items() if k not in after}


def _centre_status(server: LiveServer, tracking: str) -> str:
    with server.engine.connect() as conn:
        return str(
            conn.execute(
                select(centre_requests.c.status).where(centre_requests.c.tracking == tracking)
            ).scalar_one()
        )


def test_a_restored_counter_takes_back_its_lost_facts_and_every_counter_keeps_all(
    live_server: LiveServer, office_counters: tuple[Any, Any, Any], tmp_path: Path
) -> None:
    one, two, _ = office_counters
    tracking = visit(one)["tracking"]
    synced(one)
    backups.backup(one.store, tmp_path / "monday.sqlite3")
    service_requests.change_status(one.store, one.clerk, tracking, "in_process", None)
    later = visit(one)["tracking"]
    synced(one)
    device = one.store.office["device_id"]
    held = centre_facts(live_server.engine, device)

    lost = _restore(one, tmp_path, tmp_path / "monday.sqlite3")
    assert len(lost) == 3  # the move, the later request and its payment
    assert sync_state.read(one.store)["recover_from"] is not None
    taken = synced(one)
    assert taken.recovered == 3
    assert sync_state.read(one.store)["recover_from"] is None
    # Held again as the centre holds them, and not one fact more at the centre than before
    # but the numbering floors the restore added.
    assert centre_facts(live_server.engine, device) == counter_facts(one.store)
    added = set(counter_facts(one.store)) - set(held)
    assert {op_id.split("/")[0] for op_id in added} <= {
        r["id"] for r in one.store.all("SELECT id FROM sequence_floors")
    }
    assert _centre_status(live_server, tracking) == "in_process"
    assert browse.request_detail(one.store, tracking)["status"] == "in_process"
    assert browse.request_detail(one.store, later)["balance"] == 0
    assert integrity.check_store(one.store)["ok"]
    assert synced(one).recovered == 0  # once
    # The set its heads sign is the centre's again, the facts taken back counted once under
    # the seqs the centre holds them by (docs/OFFICE_SHARING.md, D9): its head is kept.
    count = len(centre_facts(live_server.engine, device))
    assert sync_state.ops_set(one.store)[1] == count
    assert newest_head(live_server.engine, device) == count

    synced(two)
    pulled = {f.op_id for f in office_facts.facts(two.store) if f.device_id == device}
    assert pulled == set(centre_facts(live_server.engine, device))
    assert two.store.scalar_int("SELECT COUNT(*) FROM office_waiting") == 0


def test_a_fact_at_a_seq_held_under_another_id_is_the_devices_next_life(
    unsigned_counters: tuple[Any, Any],
) -> None:
    one, two = unsigned_counters
    tracking = visit(one)["tracking"]
    synced(one)
    synced(two)
    device = one.store.office["device_id"]
    request = one.store.one("SELECT * FROM requests")
    assert request is not None
    seq = one.store.scalar_int("SELECT seq FROM audit_log WHERE entity = 'requests'")
    # What a restored counter 1 would write at that seq: another request, its own id.
    other = {
        **request,
        "id": request["id"][:-1] + ("1" if request["id"][-1] != "1" else "2"),
        "tracking": tracking[:-1] + "9",
        "daily_seq": 9,
    }
    after = office_facts.state(two.store)["after"]
    roster = Roster("VTE-SST", [(device, 1)])
    page = _page(two, [FeedOp(after + 1, device, Op(seq, "requests", other))], roster, after)
    pulled = _keep(two, page)
    assert (pulled.kept, pulled.refused) == (1, 0)
    lives = {(f.seq, f.life) for f in office_facts.facts(two.store) if f.entity == "requests"}
    assert lives == {(seq, 0), (seq, 1)}
    assert browse.request_detail(two.store, other["tracking"])["status"] == "received"
    # Read again: both held, nothing twice.
    again = _keep(two, page)
    assert (again.kept, again.refused) == (0, 0)
    assert len([f for f in office_facts.facts(two.store) if f.entity == "requests"]) == 2


def test_a_centre_without_own_ops_takes_nothing_back_and_the_run_goes_on(
    released_centre: Any, tmp_path: Path, clock: Any
) -> None:
    centre: ReleasedCentre = released_centre(LAST_RELEASED)
    one = make_office_counter(tmp_path / "one", clock, "VTE-SST", 1)
    try:
        client.enroll(one.store, centre.url, centre.enroll_code("VTE-SST", 1))
        cash.open_cash(one.store, one.clerk, 0)
        visit(one)
        synced(one)
        backups.backup(one.store, tmp_path / "monday.sqlite3")
        visit(one)
        synced(one)
        lost = _restore(one, tmp_path, tmp_path / "monday.sqlite3")
        assert lost
        result = synced(one)
        assert result.recovered == 0
        assert sync_state.read(one.store)["recover_from"] is None
    finally:
        one.store.close()


def test_own_ops_are_the_callers_alone_and_bad_reads_are_refused(
    live_server: LiveServer, office_counters: tuple[Any, Any, Any]
) -> None:
    one, two, _ = office_counters
    visit(one)
    synced(one)
    token = one.store.scalar("SELECT token FROM sync_state")
    url = live_server.url + protocol.OWN_OPS
    mine = get(url, token, params={"limit": 1})
    assert mine.status_code == 200
    first = mine.json()
    _, ops, _ = protocol.decode_batch(first["batch"])
    assert len(ops) == 1 and first["next"] == {"seq": ops[0].seq, "op": ops[0].op_id}
    rest = get(url, token, params={"seq": first["next"]["seq"], "op": first["next"]["op"]})
    _, more, _ = protocol.decode_batch(rest.json()["batch"])
    assert rest.json()["next"] is None
    assert {o.op_id for o in ops + more} == set(counter_facts(one.store))
    # Counter 2 reads its own, none of counter 1's.
    others = get(url, two.store.scalar("SELECT token FROM sync_state")).json()
    assert protocol.decode_batch(others["batch"])[1] == []
    for params in ({"seq": 0}, {"limit": 0}, {"limit": protocol.MAX_OPS + 1}, {"op": "x" * 401}):
        assert_problem(get(url, token, params=params), 422, "request.invalid")
    assert_problem(get(url, None), 401)
    viewer = live_server.viewer_token()
    assert_problem(get(url, viewer), 403, "auth.device_only")
