"""Issue 12, finding 8: a status change's id (`request_id/seq`) cannot be taken by another device.

Another office that learns a request's id pushes status changes under the ids the real counter
will use. Before the request reaches the centre they name a request it does not hold; after, one
of another office counter. Either way they are refused, and the real changes, sent by the real
client, are stored with nothing parked. Nor can another kind of fact take such an id, and the
ops a counter sends in order go through in one batch or across several.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from odsc_desk.domain import cash, payments, service_requests
from odsc_desk.storage import outbox
from sync import client
from sync.protocol import Op
from sync.server.db import refused_ops
from tests.conftest import Counter, FakeClock
from tests.sync.conftest import (
    LiveServer,
    centre_facts,
    count_rows,
    counter_facts,
    enroll_counter,
    make_office_counter,
    outbox_ops,
    push,
    visit,
)

AT = "2026-11-26T03:00:00.000000Z"


def _counter(tmp_path: Path, office: str, number: int) -> Counter:
    c = make_office_counter(tmp_path / f"{office}-{number}", FakeClock(), office, number)
    cash.open_cash(c.store, c.clerk, 0)
    return c


@pytest.fixture
def counters(tmp_path: Path) -> Iterator[dict[str, Counter]]:
    made = {
        "real": _counter(tmp_path, "VTE-SST", 1),
        "neighbour": _counter(tmp_path, "VTE-SST", 2),
        "stranger": _counter(tmp_path, "LPB-CHO", 1),
    }
    yield made
    for c in made.values():
        c.store.close()


def _squat(request_id: str, seqs: range) -> list[Op]:
    rows = [
        {"request_id": request_id, "seq": seq, "status": "rejected", "reason": "squatted",
         "at": AT, "by": "u"}
        for seq in seqs
    ]  # fmt: skip
    return [Op(n, "status_events", row) for n, row in enumerate(rows, start=1)]


def _reasons(reply: Any) -> list[str]:
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert (body["stored"], body["conflicts"]) == (0, [])
    return [r["reason"] for r in body["rejected"]]


def test_status_ids_cannot_be_squatted(live_server: LiveServer, counters: dict[str, Counter]):
    real = counters["real"]
    request_id = visit(real)["request_id"]
    request = real.store.one("SELECT id, tracking FROM requests WHERE id = ?", (request_id,))
    assert request is not None
    for status in ("in_process", "ready"):
        service_requests.change_status(real.store, real.clerk, request["tracking"], status)
    tokens = {name: enroll_counter(live_server, c) for name, c in counters.items()}
    devices = {name: c.store.office["device_id"] for name, c in counters.items()}

    def held_rows() -> dict[str, int]:
        rows = count_rows(live_server.engine)
        del rows["refused_ops"]  # which each refusal adds to: checked below
        return rows

    def squat(who: str, ops: list[Op]) -> list[str]:
        before = held_rows()
        reasons = _reasons(push(live_server.url, tokens[who], devices[who], ops))
        assert held_rows() == before
        with live_server.engine.connect() as conn:
            parked = conn.execute(
                select(refused_ops.c.op_id).where(refused_ops.c.device_id == devices[who])
            ).scalars()
            assert {op.op_id for op in ops} <= set(parked)
        return reasons

    # Before the request is at the centre: the ids the counter will use, and more.
    assert squat("stranger", _squat(request["id"], range(1, 6))) == ["ref.unknown:request_id"] * 5
    assert squat("neighbour", _squat(request["id"], range(1, 3))) == ["ref.unknown:request_id"] * 2

    # The real counter syncs through its own client: every op stored, nothing parked.
    client.enroll(real.store, live_server.url, live_server.enroll_code("VTE-SST", 1))
    result = client.sync_once(real.store)
    assert result.ok and result.parked == 0 and result.pending == 0, result
    assert outbox.parked(real.store) == []
    assert (
        centre_facts(live_server.engine, devices["real"]).keys() == counter_facts(real.store).keys()
    )
    assert f"{request['id']}/2" in centre_facts(live_server.engine, devices["real"])

    # Once it is there, the next ids belong to its counter alone.
    assert squat("stranger", _squat(request["id"], range(3, 6))) == ["ref.owner:request_id"] * 3
    assert squat("neighbour", _squat(request["id"], range(3, 6))) == ["ref.owner:request_id"] * 3
    # Nor can a fact of another kind, keyed by its own id, take one.
    taken = {"id": f"{request['id']}/3", "date": "2026-12-24", "reason": "x", "created_at": AT,
             "created_by": "u"}  # fmt: skip
    assert squat("stranger", [Op(1, "closures", taken)]) == ["row.value:id"]

    service_requests.change_status(real.store, real.clerk, request["tracking"], "collected")
    result = client.sync_once(real.store)
    assert result.ok and result.parked == 0 and result.pending == 0, result
    assert f"{request['id']}/3" in centre_facts(live_server.engine, devices["real"])


def test_references_inside_one_batch_follow_seq_order(
    live_server: LiveServer, counters: dict[str, Counter]
):
    """A void after its payment in the same batch is taken; one before it is not, since a
    counter never writes a void first."""
    real = counters["real"]
    paid = visit(real)
    payments.void_payment(real.store, real.clerk, paid["receipt"], "typo", real.supervisor)
    ops = outbox_ops(real)
    void = next(op for op in ops if op.entity == "voids")
    token = enroll_counter(live_server, real)
    device = real.store.office["device_id"]
    reordered = [void, *(op for op in ops if op is not void)]
    early = [Op(seq, op.entity, op.row) for seq, op in enumerate(reordered, start=1)]
    reply = push(live_server.url, token, device, early).json()
    assert reply["rejected"] == [
        {"seq": 1, "op_id": void.op_id, "reason": "ref.unknown:payment_id"}
    ]
    assert reply["stored"] == len(ops) - 1


def test_an_op_before_what_it_refers_to_is_refused_until_that_arrives(
    live_server: LiveServer, counters: dict[str, Counter]
):
    """Across pushes too: a refund sent before its payment is refused (the counter parks it);
    sent again once the payment is held, it is stored. A resent batch is all duplicates."""
    real = counters["real"]
    paid = visit(real)
    payments.refund_payment(real.store, real.clerk, paid["receipt"], 1000, "over", real.supervisor)
    ops = outbox_ops(real)
    token = enroll_counter(live_server, real)
    device = real.store.office["device_id"]
    refund = [op for op in ops if op.entity == "refunds"]
    rest = [op for op in ops if op.entity != "refunds"]
    reply = push(live_server.url, token, device, refund).json()
    assert [r["reason"] for r in reply["rejected"]] == ["ref.unknown:payment_id"]
    assert push(live_server.url, token, device, rest).json()["stored"] == len(rest)
    again = push(live_server.url, token, device, refund).json()
    assert (again["stored"], again["rejected"]) == (1, [])
    resent = push(live_server.url, token, device, ops).json()
    assert (resent["stored"], resent["duplicates"], resent["rejected"]) == (0, len(ops), [])
    assert resent["high_water"] == max(op.seq for op in ops)
