import sqlite3

from odsc_desk import dossiers, integrity, outbox, payments
from odsc_desk.store import store_path


def _visit(c):
    r = dossiers.record_request(c.store, c.clerk, service_code="MOHA-BIRTH", citizen_name="Noy")
    payments.record_payment(c.store, c.clerk, r["tracking"])


def _ops(store):
    return [op for (op,) in store.conn.execute("SELECT op_id FROM outbox ORDER BY seq")]


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
