"""Push: every op stored once; duplicates acknowledged, conflicts reported, bad rows rejected on
their own, and a device writes only for its own office counter."""

import hashlib
import json
from dataclasses import replace

from sqlalchemy import select

from odsc_desk.domain import cash, payments
from odsc_desk.shared.canonical import canonical
from sync import protocol
from sync.protocol import Op
from sync.server.db import ops as ops_table
from sync.server.db import payments as payments_table
from sync.server.db import requests as requests_table
from tests.sync.conftest import (
    assert_problem,
    count_rows,
    enroll_counter,
    make_office_counter,
    outbox_ops,
    post_raw,
    push,
    visit,
)


def _device(counter):
    return counter.store.office["device_id"]


def _stored(engine):
    with engine.connect() as conn:
        return {row.op_id: row for row in conn.execute(select(ops_table).order_by(ops_table.c.seq))}


def test_a_batch_is_stored_byte_for_byte_and_a_replay_is_all_duplicates(live_server, sync_counter):
    token = enroll_counter(live_server, sync_counter)
    for _ in range(3):
        visit(sync_counter)
    batch = outbox_ops(sync_counter)
    reply = push(live_server.url, token, _device(sync_counter), batch)
    assert reply.status_code == 200, reply.text
    assert reply.json() == {
        "high_water": batch[-1].seq,
        "stored": len(batch),
        "duplicates": 0,
        "conflicts": [],
        "rejected": [],
    }
    stored = _stored(live_server.engine)
    assert list(stored) == [op.op_id for op in batch]
    for op in batch:
        row = stored[op.op_id]
        assert row.payload.encode() == canonical(op.row)
        assert bytes(row.sha256) == hashlib.sha256(canonical(op.row)).digest()
        assert (row.entity, row.kind, row.seq) == (op.entity, op.kind, op.seq)
        assert row.device_id == _device(sync_counter)
        assert row.device_time == protocol.device_time(op.entity, op.row)
        assert row.received_at == "2026-11-26T02:00:00.000000Z"  # the server's own clock

    again = push(live_server.url, token, _device(sync_counter), batch)
    assert again.json() == {
        "high_water": batch[-1].seq,
        "stored": 0,
        "duplicates": len(batch),
        "conflicts": [],
        "rejected": [],
    }
    assert _stored(live_server.engine) == stored


def test_requests_and_payments_reach_the_report_tables(live_server, sync_counter):
    token = enroll_counter(live_server, sync_counter)
    paid = visit(sync_counter)
    push(live_server.url, token, _device(sync_counter), outbox_ops(sync_counter))
    with live_server.engine.connect() as conn:
        request = conn.execute(select(requests_table)).one()
        payment = conn.execute(select(payments_table)).one()
    assert (request.tracking, request.office, request.counter) == (paid["tracking"], "VTE-SST", 1)
    assert (request.business_date, request.fee) == ("2026-11-26", paid["amount"])
    assert (payment.receipt, payment.amount, payment.request_id) == (
        paid["receipt"],
        paid["amount"],
        request.id,
    )


def test_the_same_op_id_with_other_content_is_a_conflict_and_nothing_is_overwritten(
    live_server, sync_counter
):
    token = enroll_counter(live_server, sync_counter)
    visit(sync_counter)
    batch = outbox_ops(sync_counter)
    push(live_server.url, token, _device(sync_counter), batch)
    before = _stored(live_server.engine)
    request = next(op for op in batch if op.entity == "requests")
    changed = replace(request, row={**request.row, "citizen_name": "ທ້າວ ອື່ນ"})
    reply = push(live_server.url, token, _device(sync_counter), [changed])
    assert reply.json()["conflicts"] == [
        {"seq": request.seq, "op_id": request.op_id, "reason": "conflict.content"}
    ]
    assert reply.json()["stored"] == 0
    assert _stored(live_server.engine) == before


def test_a_conflict_inside_one_batch_keeps_the_first(live_server, sync_counter):
    token = enroll_counter(live_server, sync_counter)
    visit(sync_counter)
    batch = outbox_ops(sync_counter)
    request = next(op for op in batch if op.entity == "requests")
    twin = Op(batch[-1].seq + 1, "requests", {**request.row, "citizen_name": "ທ້າວ ອື່ນ"})
    copy = Op(batch[-1].seq + 2, "requests", request.row)
    reply = push(live_server.url, token, _device(sync_counter), [*batch, twin, copy]).json()
    assert reply["stored"] == len(batch)
    assert reply["duplicates"] == 1
    assert reply["conflicts"] == [
        {"seq": twin.seq, "op_id": request.op_id, "reason": "conflict.content"}
    ]
    assert _stored(live_server.engine)[request.op_id].payload.encode() == canonical(request.row)


def test_rows_of_the_wrong_shape_are_rejected_alone_and_the_rest_is_stored(
    live_server, sync_counter
):
    token = enroll_counter(live_server, sync_counter)
    visit(sync_counter)
    batch = outbox_ops(sync_counter)
    request = next(op for op in batch if op.entity == "requests")
    payment = next(op for op in batch if op.entity == "payments")
    top = batch[-1].seq
    bad_fee = Op(top + 1, "requests", {**request.row, "id": "r-fee", "fee": "20000"})
    no_name = Op(top + 2, "requests", {**request.row, "id": "r-name", "citizen_name": None})
    refund = Op(top + 3, "payments", {**payment.row, "id": "p-neg", "amount": -5000})
    huge = Op(top + 4, "payments", {**payment.row, "id": "p-huge", "amount": 2**64})
    bad_day = Op(top + 5, "payments", {**payment.row, "id": "p-day", "business_date": "2026-02-30"})
    bad_time = Op(top + 6, "payments", {**payment.row, "id": "p-time", "at": "yesterday"})
    bad_year = Op(top + 7, "payments", {**payment.row, "id": "p-year", "receipt_year": 20266})
    body = protocol.encode_batch(
        _device(sync_counter),
        [*batch, bad_fee, no_name, refund, huge, bad_day, bad_time, bad_year],
    )
    short_row = [top + 8, *body["ops"]["requests"]["rows"][0][1:-1]]  # one value missing
    body["ops"]["requests"]["rows"].append(short_row)
    reply = post_raw(live_server.url + protocol.PUSH, token, json.dumps(body).encode())
    assert reply.status_code == 200, reply.text
    result = reply.json()
    assert result["stored"] == len(batch)
    assert result["rejected"] == [
        {"seq": top + 1, "op_id": "r-fee", "reason": "row.type:fee"},
        {"seq": top + 2, "op_id": "r-name", "reason": "row.missing:citizen_name"},
        {"seq": top + 3, "op_id": "p-neg", "reason": "row.value:amount"},
        {"seq": top + 4, "op_id": "p-huge", "reason": "row.type:amount"},
        {"seq": top + 5, "op_id": "p-day", "reason": "row.value:business_date"},
        {"seq": top + 6, "op_id": "p-time", "reason": "row.value:at"},
        {"seq": top + 7, "op_id": "p-year", "reason": "row.value:receipt_year"},
        {"seq": top + 8, "op_id": str(top + 8), "reason": "row.length"},
    ]
    assert set(_stored(live_server.engine)) == {op.op_id for op in batch}
    assert result["high_water"] == batch[-1].seq  # rejected ops are not held


def test_ops_numbered_for_another_office_or_counter_are_rejected(
    live_server, sync_counter, tmp_path, clock
):
    token = enroll_counter(live_server, sync_counter)
    for office, number in [("LPB-CHO", 1), ("VTE-SST", 2), ("VTE-SS", 1)]:
        other = make_office_counter(tmp_path / f"{office}-{number}", clock, office, number)
        cash.open_cash(other.store, other.clerk, 0)
        visit(other)
        theirs = outbox_ops(other)
        before = count_rows(live_server.engine)
        reply = push(live_server.url, token, _device(sync_counter), theirs).json()
        numbered = {op.op_id for op in theirs if op.entity in ("requests", "payments")}
        assert {r["op_id"] for r in reply["rejected"]} == numbered
        assert {r["reason"] for r in reply["rejected"]} == {"op.office"}
        with live_server.engine.connect() as conn:
            assert conn.execute(select(requests_table)).all() == []
            assert conn.execute(select(payments_table)).all() == []
        assert count_rows(live_server.engine)["ops"] == before["ops"] + len(theirs) - 2
        other.store.close()


def test_a_batch_naming_another_device_is_forbidden_and_changes_nothing(live_server, sync_counter):
    token = enroll_counter(live_server, sync_counter)
    visit(sync_counter)
    before = count_rows(live_server.engine)
    reply = push(live_server.url, token, "someone-else", outbox_ops(sync_counter))
    assert_problem(reply, 403, "push.device")
    assert count_rows(live_server.engine) == before


def test_a_batch_whose_digest_does_not_match_is_refused_whole(live_server, sync_counter):
    token = enroll_counter(live_server, sync_counter)
    visit(sync_counter)
    body = protocol.encode_batch(_device(sync_counter), outbox_ops(sync_counter))
    before = count_rows(live_server.engine)
    # A value changed on the way (the digest no longer covers the rows) ...
    rows = body["ops"]["payments"]["rows"]
    amount = body["ops"]["payments"]["cols"].index("amount") + 1
    rows[0][amount] += 1
    reply = post_raw(live_server.url + protocol.PUSH, token, json.dumps(body).encode())
    assert_problem(reply, 422, "batch.digest")
    # ... or an op left out.
    body = protocol.encode_batch(_device(sync_counter), outbox_ops(sync_counter))
    body["ops"].pop("payments")
    reply = post_raw(live_server.url + protocol.PUSH, token, json.dumps(body).encode())
    assert_problem(reply, 422, "batch.digest")
    assert count_rows(live_server.engine) == before


def test_sql_looking_text_and_odd_unicode_are_stored_verbatim(live_server, sync_counter):
    token = enroll_counter(live_server, sync_counter)
    paid = visit(sync_counter, name="Robert'); DROP TABLE ops; --")
    payments.void_payment(
        sync_counter.store,
        sync_counter.clerk,
        paid["receipt"],
        "' OR '1'='1",
        sync_counter.supervisor,
    )
    batch = outbox_ops(sync_counter)
    request = next(op for op in batch if op.entity == "requests")
    odd = {
        **request.row,
        "id": "odd-1",
        "tracking": "VTE-SST-1-261126-9999",
        # right-to-left override, zero-width joiner, astral letters, a Lao tone mark alone,
        # a byte-order mark, a backslash and quotes
        "citizen_name": "\u202eຂໍ້\u200d👩🏽‍⚕️ 𝔘𝔫𝔦 ່ \ufeff\\\"'",
        "village": "%s %% $1 :name ?; --",
    }
    everything = [*batch, Op(batch[-1].seq + 1, "requests", odd)]
    reply = push(live_server.url, token, _device(sync_counter), everything)
    assert reply.json()["stored"] == len(everything)
    stored = _stored(live_server.engine)
    for op in everything:
        assert stored[op.op_id].payload.encode() == canonical(op.row)
        assert json.loads(stored[op.op_id].payload) == op.row
    with live_server.engine.connect() as conn:
        tracking = conn.execute(
            select(requests_table.c.tracking).where(requests_table.c.id == "odd-1")
        ).scalar_one()
    assert tracking == odd["tracking"]


def test_receive_time_is_kept_beside_device_time(live_server, sync_counter):
    token = enroll_counter(live_server, sync_counter)
    visit(sync_counter)
    live_server.clock.advance(days=3)  # an honest backlog arrives three days late
    push(live_server.url, token, _device(sync_counter), outbox_ops(sync_counter))
    for row in _stored(live_server.engine).values():
        assert row.device_time.startswith("2026-11-26T02:00")
        assert row.received_at == "2026-11-29T02:00:00.000000Z"
