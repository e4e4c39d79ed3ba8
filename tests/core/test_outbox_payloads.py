"""What is queued for the centre is what the ledger says (issue 12, finding 2).

An outbox payload edited behind the application's back (amount 10000 -> 1) used to pass `odsc
check` (it compared only the sha256 column) and was sent as stored. Now `odsc check` holds every
queued payload to its fact, and the client sends only ops proven to be their facts.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3

from odsc_desk.maintenance import integrity
from odsc_desk.storage import outbox
from odsc_desk.storage.store import store_path
from tests.conftest import Counter
from tests.core.test_cli import run_cli
from tests.sync.conftest import visit


def _edit(c: Counter, *statements: tuple[str, tuple[object, ...]]) -> None:
    """Statements run on the file as an attacker with the sqlite3 shell would."""
    conn = sqlite3.connect(store_path(c.data_dir))
    for sql, params in statements:
        conn.execute(sql, params)
    conn.commit()
    conn.close()


def _payment_op(c: Counter, payment_id: str) -> dict[str, object]:
    row = c.store.one(
        "SELECT seq, op_id, payload, sha256 FROM outbox WHERE op_id = ?", (payment_id,)
    )
    assert row is not None
    return row


def _lowered(payload: object) -> str:
    row = json.loads(str(payload))
    row["amount"] = 1
    return json.dumps(row, separators=(",", ":"), sort_keys=True, ensure_ascii=False)


def test_an_edited_payload_fails_the_check_and_is_named(open_counter):
    c = open_counter
    paid = visit(c)
    op = _payment_op(c, paid["id"])
    _edit(
        c, ("UPDATE outbox SET payload = ? WHERE op_id = ?", (_lowered(op["payload"]), paid["id"]))
    )
    [problem] = integrity.check_store(c.store)["problems"]
    assert problem == {"kind": "outbox.tampered", "id": paid["id"], "seq": op["seq"]}
    done = run_cli(c.data_dir, "check")
    assert done.code == 1
    assert paid["id"] in done.err and "will not be sent" in done.err


def test_a_payload_edited_with_its_sha256_fails_the_check_too(open_counter):
    c = open_counter
    paid = visit(c)
    payload = _lowered(_payment_op(c, paid["id"])["payload"])
    digest = hashlib.sha256(payload.encode()).hexdigest()
    _edit(
        c,
        (
            "UPDATE outbox SET payload = ?, sha256 = ? WHERE op_id = ?",
            (payload, digest, paid["id"]),
        ),
    )
    [problem] = integrity.check_store(c.store)["problems"]
    assert problem["kind"] == "outbox.tampered" and problem["id"] == paid["id"]


def test_a_tampered_op_is_parked_never_batched_and_the_rest_flows(open_counter):
    c = open_counter
    first, second = visit(c), visit(c, name="Ket")
    _edit(
        c,
        (
            "UPDATE outbox SET payload = ? WHERE op_id = ?",
            (_lowered(_payment_op(c, first["id"])["payload"]), first["id"]),
        ),
    )
    waiting = outbox.pending_count(c.store)
    batch, parked = outbox.sendable_batch(c.store, 100)
    assert parked == 1
    assert first["id"] not in {op["op_id"] for op in batch}
    assert second["id"] in {op["op_id"] for op in batch}
    assert len(batch) == waiting - 1
    assert [(p["op_id"], p["reason"]) for p in outbox.parked(c.store)] == [
        (first["id"], outbox.TAMPERED)
    ]
    # Parked, it is still not its fact: `odsc check` keeps saying so.
    assert integrity.check_store(c.store)["problems"][0]["kind"] == "outbox.tampered"


def test_a_fact_edited_with_its_op_is_not_sent_either(open_counter):
    """The payload matches the edited row, but the audit link hashed the row as it was."""
    c = open_counter
    paid = visit(c)
    op = _payment_op(c, paid["id"])
    payload = _lowered(op["payload"])
    _edit(
        c,
        ("DROP TRIGGER payments_no_update", ()),
        ("UPDATE payments SET amount = 1 WHERE id = ?", (paid["id"],)),
        (
            "UPDATE outbox SET payload = ?, sha256 = ? WHERE op_id = ?",
            (payload, hashlib.sha256(payload.encode()).hexdigest(), paid["id"]),
        ),
    )
    batch, parked = outbox.sendable_batch(c.store, 100)
    assert parked == 1 and paid["id"] not in {o["op_id"] for o in batch}
    assert integrity.check_store(c.store)["problems"][0]["kind"] == "fact.changed"


def test_untouched_queues_are_sent_whole(open_counter):
    c = open_counter
    for name in ("Noy", "Ket", "Bua"):
        visit(c, name=name)
    queued = outbox.pending_batch(c.store, 100)
    assert outbox.sendable_batch(c.store, 100) == (queued, 0)
    assert integrity.check_store(c.store)["ok"]
