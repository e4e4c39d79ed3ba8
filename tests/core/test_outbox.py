import sqlite3

import pytest

from odsc_desk.domain import cash, payments, service_requests
from odsc_desk.maintenance import integrity
from odsc_desk.shared import facts
from odsc_desk.shared.errors import StoreError
from odsc_desk.storage import chain, outbox, schema
from odsc_desk.storage.store import open_store, store_path
from tests.conftest import FAST_HASHER, every_kind_of_fact, make_counter, todays_tables


def _visit(c):
    r = service_requests.record_request(
        c.store, c.clerk, service_code="MOHA-BIRTH", citizen_name="Noy"
    )
    payments.record_payment(c.store, c.clerk, r["tracking"])
    return r


def _ops(store):
    return [op for (op,) in store.conn.execute("SELECT op_id FROM outbox ORDER BY seq")]


def _queue(store):
    return store.all("SELECT * FROM outbox ORDER BY seq")


def test_acknowledged_ops_leave_the_queue_and_the_ledger_still_checks(open_counter):
    c = open_counter
    for _ in range(3):
        _visit(c)
    queued = _ops(c.store)
    waiting = outbox.pending_count(c.store)
    assert outbox.acknowledge(c.store, queued[:4]) == 4
    assert outbox.acknowledge(c.store, queued[:4]) == 0  # a repeated ack changes nothing
    assert _ops(c.store) == queued[4:]
    assert outbox.pending_count(c.store) == waiting - 4
    assert integrity.check_store(c.store)["ok"]


def test_an_op_that_vanished_without_an_ack_is_reported(open_counter):
    c = open_counter
    _visit(c)
    conn = sqlite3.connect(store_path(c.data_dir))
    conn.execute("DELETE FROM outbox WHERE seq = (SELECT MAX(seq) FROM outbox)")
    conn.commit()
    conn.close()
    problems = integrity.check_store(c.store)["problems"]
    assert problems == [{"kind": "outbox.missing", "missing": 1}]


def test_an_op_travels_under_its_facts_audit_seq(open_counter):
    c = open_counter
    every_kind_of_fact(c)
    queue = _queue(c.store)
    assert {op["entity"] for op in queue} == chain.SYNCED
    links = dict(c.store.conn.execute("SELECT seq, entity FROM audit_log"))
    assert all(links[op["seq"]] == op["entity"] for op in queue)
    found = chain.chain_seqs(c.store.conn, [(op["entity"], op["op_id"]) for op in queue])
    assert found == {op["op_id"]: op["seq"] for op in queue}
    assert {op["entity"]: op["kind"] for op in queue} == facts.KINDS
    assert integrity.check_store(c.store)["ok"]


def test_an_op_moved_off_its_audit_seq_is_reported(open_counter):
    c = open_counter
    _visit(c)
    last = c.store.scalar("SELECT MAX(seq) FROM outbox")
    conn = sqlite3.connect(store_path(c.data_dir))
    conn.execute("UPDATE outbox SET seq = seq + 1000 WHERE seq = ?", (last,))
    conn.commit()
    conn.close()
    [problem] = integrity.check_store(c.store)["problems"]
    assert problem["kind"] == "outbox.mismatch"
    assert problem["seq"] == last


def test_pending_batches_come_in_chain_order_without_parked_ops(open_counter):
    c = open_counter
    for _ in range(4):
        _visit(c)
    queue = _queue(c.store)
    assert [op["seq"] for op in outbox.pending_batch(c.store, 3)] == [q["seq"] for q in queue[:3]]
    outbox.park(c.store, {queue[1]["op_id"]: "rejected: row.type:fee"})
    batch = outbox.pending_batch(c.store, 3)
    assert [op["op_id"] for op in batch] == [
        queue[0]["op_id"],
        queue[2]["op_id"],
        queue[3]["op_id"],
    ]
    assert set(batch[0]) == {"seq", "op_id", "entity", "payload", "sha256"}
    assert batch[0]["payload"] == queue[0]["payload"]


def test_parked_ops_stay_queued_with_their_reason_until_retried(open_counter):
    c = open_counter
    for _ in range(3):
        _visit(c)
    queue = _queue(c.store)
    reasons = {queue[0]["op_id"]: "conflict: op.conflict", queue[3]["op_id"]: "rejected: op.office"}
    assert outbox.park(c.store, reasons) == 2
    assert outbox.park(c.store, {"no-such-op": "x"}) == 0
    assert outbox.pending_count(c.store) == len(queue) - 2
    assert outbox.parked_count(c.store) == 2
    listed = outbox.parked(c.store)
    assert [(p["op_id"], p["reason"], p["attempts"]) for p in listed] == [
        (queue[0]["op_id"], "conflict: op.conflict", 1),
        (queue[3]["op_id"], "rejected: op.office", 1),
    ]
    assert [(p["kind"], p["entity"]) for p in listed] == [
        (queue[0]["kind"], "cash_sessions"),
        (queue[3]["kind"], "requests"),
    ]
    # Parked ops are still the facts, in place: the ledger checks.
    assert integrity.check_store(c.store)["ok"]

    assert outbox.retry_parked(c.store) == 2
    assert outbox.retry_parked(c.store) == 0
    assert outbox.parked(c.store) == []
    assert outbox.pending_count(c.store) == len(queue)
    # Refused again: the count of refusals grows.
    outbox.park(c.store, {queue[0]["op_id"]: "conflict: op.conflict"})
    assert outbox.parked(c.store)[0]["attempts"] == 2
    assert integrity.check_store(c.store)["ok"]


def test_one_push_reply_settles_in_one_step_and_raises_the_acked_high_water(open_counter):
    c = open_counter
    for _ in range(3):
        _visit(c)
    queue = _queue(c.store)
    acked = [op["op_id"] for op in queue[:4]]
    assert outbox.settle(c.store, acked, {queue[4]["op_id"]: "rejected: x"}) == (4, 1)
    assert c.store.scalar("SELECT acked_high_water FROM sync_state") == queue[3]["seq"]
    assert c.store.scalar("SELECT ops FROM outbox_acked") == 4
    # An older ack never lowers it.
    outbox.acknowledge(c.store, [])
    assert c.store.scalar("SELECT acked_high_water FROM sync_state") == queue[3]["seq"]
    assert integrity.check_store(c.store)["ok"]


def test_a_failed_settle_changes_nothing(open_counter):
    c = open_counter
    _visit(c)
    before = _queue(c.store)
    # The park step fails after the ack step has run: neither may stay.
    c.store.conn.execute(
        "CREATE TRIGGER no_park BEFORE UPDATE OF state ON outbox"
        " BEGIN SELECT RAISE(ABORT, 'no parking'); END"
    )
    with pytest.raises(StoreError):
        outbox.settle(c.store, [before[0]["op_id"]], {before[1]["op_id"]: "x"})
    assert _queue(c.store) == before
    assert c.store.scalar("SELECT ops FROM outbox_acked") == 0
    assert c.store.scalar("SELECT acked_high_water FROM sync_state") == 0


def test_ops_the_centre_lost_are_rebuilt_from_their_facts(open_counter):
    c = open_counter
    every_kind_of_fact(c)
    original = _queue(c.store)
    cut = original[len(original) // 3]["seq"]
    # The centre acknowledged everything; one op is still parked, and a newer one pending.
    outbox.settle(c.store, [op["op_id"] for op in original[1:]], {original[0]["op_id"]: "x"})
    service_requests.record_request(c.store, c.clerk, service_code="MOHA-BIRTH", citizen_name="Bee")
    newest = _queue(c.store)[1:]
    acked = c.store.scalar("SELECT ops FROM outbox_acked")
    assert c.store.scalar("SELECT acked_high_water FROM sync_state") == original[-1]["seq"]

    # Then it turns out to hold nothing past `cut`.
    lost = [op for op in original[1:] if op["seq"] > cut]
    assert outbox.requeue_after(c.store, cut) == len(lost)
    queue = {op["op_id"]: op for op in _queue(c.store)}
    for op in lost:
        rebuilt = queue[op["op_id"]]
        for column in ("seq", "kind", "entity", "payload", "sha256"):
            assert rebuilt[column] == op[column], column
        assert rebuilt["state"] == "pending"
    assert queue[original[0]["op_id"]]["state"] == "parked"  # left as it was
    assert all(queue[op["op_id"]] == op for op in newest)
    assert len(queue) == 1 + len(lost) + len(newest)
    assert c.store.scalar("SELECT ops FROM outbox_acked") == acked - len(lost)
    assert c.store.scalar("SELECT acked_high_water FROM sync_state") == cut
    assert integrity.check_store(c.store)["ok"]
    # Asking again finds nothing more to rebuild.
    assert outbox.requeue_after(c.store, cut) == 0
    assert outbox.requeue_after(c.store, 0) == len(original) - 1 - len(lost)
    assert integrity.check_store(c.store)["ok"]


def test_a_store_from_before_m003_gets_sync_state_and_chain_seqs(tmp_path, clock):
    """Before m003 the queue numbered itself; the upgrade gives each op its chain seq."""
    known = schema.migrations._migrations
    at = [m.name for m in known].index("m003_sync_state")
    later = known[at:]
    known[at:] = todays_tables(later)
    try:
        old = make_counter(tmp_path / "data", clock)
        cash.open_cash(old.store, old.clerk, 0)
        for _ in range(3):
            _visit(old)
        # What ledger.append wrote before m003: the queue's own numbering, 1, 2, 3...
        conn = old.store.conn
        ids = _ops(old.store)
        conn.execute("UPDATE outbox SET seq = -seq")
        conn.executemany("UPDATE outbox SET seq = ? WHERE op_id = ?", enumerate(ids, start=1))
        # and acknowledgements as they were then (no sync_state yet).
        conn.execute("DELETE FROM outbox WHERE seq <= 2")
        conn.execute("UPDATE outbox_acked SET ops = 2")
        assert [op["seq"] for op in _queue(old.store)] == [3, 4, 5, 6, 7]
        old.store.close()
    finally:
        known[at:] = later
    store = open_store(tmp_path / "data", clock=clock, hasher=FAST_HASHER)
    try:
        assert list((tmp_path / "data" / "backups").glob("pre-migrate-*.sqlite3"))
        state = store.one("SELECT * FROM sync_state")
        assert state["token"] is None and state["acked_high_water"] == 0
        links = dict(store.conn.execute("SELECT seq, entity FROM audit_log"))
        queue = _queue(store)
        assert len(queue) == 5
        assert all(links[op["seq"]] == op["entity"] for op in queue)
        assert integrity.check_store(store)["ok"]
    finally:
        store.close()
