"""Every fact in its own typed table at the centre: a real counter's week, synced by the real
client, arrives column for column, with the centre's own columns (a payment's service, a void's
amount, a request's status and working days, …) equal to what the counter's own store says.
On SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, select

from odsc_desk.domain import (
    cash,
    catalog,
    closures,
    feedback,
    payments,
    prints,
    service_requests,
    signing,
    users,
)
from odsc_desk.domain.workdays import is_working_day, office_closures
from odsc_desk.shared.catalog_file import demo_catalog_path
from odsc_desk.shared.facts import FACTS
from odsc_desk.storage import ledger
from odsc_desk.storage.chain import fact_id
from sync import client
from sync.protocol import Op
from sync.server.db import CENTRE_COLUMNS, TYPED, refused_ops
from tests.conftest import PASSWORD, Counter
from tests.sync.conftest import LiveServer, enroll_counter, outbox_ops, push

OWNER = ("device_id", "office", "counter")


def a_week(c: Counter) -> None:
    """Every fact kind as the counter's services write them. Requests taken in on Thursday 26
    November 2026 become ready after a closure (Friday), a weekend, and Lao National Day
    (Wednesday 2 December), late; one is ready the day it came; others are sent back, rejected,
    withdrawn, collected. A second clerk takes one request and its payment, which the first
    clerk then voids, refunds and records feedback on. The counter's cash session must be
    open."""
    s, clerk, boss = c.store, c.clerk, c.supervisor
    second = users.add_user(s, boss, "ket", "clerk", PASSWORD)

    def take(service: str, name: str, by: users.Actor = clerk, **extra: Any) -> str:
        made = service_requests.record_request(
            s, by, service_code=service, citizen_name=name, **extra
        )
        return str(made["tracking"])

    def move(tracking: str, *statuses: str) -> None:
        for status in statuses:
            reason = "ຂາດເອກະສານ" if status in service_requests.NEEDS_REASON else None
            service_requests.change_status(s, clerk, tracking, status, reason)

    documents = [d["code"] for d in catalog.get_service(s, "MOHA-BIRTH")["documents"]]
    birth = take("MOHA-BIRTH", "ນາງ ນ້ອຍ", phone="020 5555 1234", documents=documents[:2])
    birth_paid = payments.record_payment(s, clerk, birth)
    marriage = take("MOHA-MARR", "ທ້າວ ສົມສັກ", second, village="ບ້ານ ໂພນທັນ", id_number="1234567")
    wrong = payments.record_payment(s, second, marriage)
    payments.void_payment(s, clerk, wrong["receipt"], "ພິມຜິດ", boss)
    marriage_paid = payments.record_payment(s, second, marriage)
    payments.refund_payment(s, clerk, marriage_paid["receipt"], 1_000, "overcharged", boss)
    returned = take("MOHA-BIRTH", "Ket")
    move(returned, "incomplete", "in_process", "incomplete", "in_process")
    move(take("MOHA-MARR", "Noy"), "rejected")
    move(take("MOHA-BIRTH", "Dao"), "withdrawn")
    closures.add_closure(s, boss, date(2026, 11, 27), "ນ້ຳຖ້ວມ")
    feedback.record_feedback(s, clerk, birth, 5, "ດີຫຼາຍ")
    feedback.record_feedback(s, clerk, marriage, 2)
    with s.transaction():
        signing.ensure_key(s, clerk.id)
        prints.record_print(s, clerk, birth_paid["id"], copy=False, fmt="80mm")
        prints.record_print(s, clerk, birth_paid["id"], copy=True, fmt="a5")
        ledger.append(
            s,
            "sequence_floors",
            {
                "id": f"floor-{s.office['device_id']}",
                "kind": "receipt",
                "period": "2026",
                "floor": 9,
                "reason": "restored from a backup",
                "at": s.now_stamp(),
                "by": None,
            },
        )
    session = cash.open_session(s)
    assert session is not None
    short = cash.expected_cash(s, session["id"]) - 2_000
    cash.close_cash(s, clerk, short, boss, "ເງິນຂາດ")

    c.clock.advance(days=4, hours=8)  # Monday 30 November, 16:00 in Vientiane
    cash.open_cash(s, clerk, 10_000)
    move(birth, "in_process", "ready", "collected")
    move(returned, "ready")
    late = take("MOHA-BIRTH", "Phone")
    payments.record_payment(s, clerk, late)
    move(take("MOHA-BIRTH", "Quick"), "in_process", "ready")  # on time: the same day
    c.clock.advance(days=3)  # Thursday 3 December, after Lao National Day
    move(marriage, "in_process", "ready")
    move(late, "in_process", "ready")
    feedback.record_feedback(s, clerk, late, 4)


def counter_rows(c: Counter) -> dict[str, dict[str, dict[str, Any]]]:
    """Every typed table as the centre should hold it, from the counter's own store alone: the
    registry's columns as stored, and the centre's own worked out here by plain SQL."""
    s, office = c.store, c.store.office
    owner = {
        "device_id": office["device_id"],
        "office": office["office_code"],
        "counter": office["counter"],
    }
    local = "date({}, '+7 hours')"  # Vientiane, UTC+7 all year
    first = (
        f"(SELECT {local.format('MIN(e.at)')} FROM status_events e"
        " WHERE e.request_id = r.id AND e.status IN ({}))"
    )
    ready = first.format("'ready'")
    closed = first.format("'collected', 'rejected', 'withdrawn'")
    queries = {
        "requests": f"SELECT r.*, c.status, c.seq AS status_seq, 0 AS shared, {ready} AS ready_on,"
        f" {closed} AS closed_on,"
        " (SELECT COUNT(*) FROM status_events e WHERE e.request_id = r.id"
        "   AND e.status = 'incomplete') AS returned"
        " FROM requests r JOIN request_current c ON c.request_id = r.id",
        "status_events": f"SELECT *, {local.format('at')} AS business_date FROM status_events",
        "payments": "SELECT p.*, r.service_code FROM payments p"
        " JOIN requests r ON r.id = p.request_id",
        "voids": "SELECT v.*, p.amount, r.service_code, p.by AS payment_by FROM voids v"
        " JOIN payments p ON p.id = v.payment_id JOIN requests r ON r.id = p.request_id",
        "refunds": "SELECT f.*, r.service_code, p.by AS payment_by FROM refunds f"
        " JOIN payments p ON p.id = f.payment_id JOIN requests r ON r.id = p.request_id",
        "cash_sessions": "SELECT * FROM cash_sessions",
        "cash_closes": "SELECT c.*, s.business_date FROM cash_closes c"
        " JOIN cash_sessions s ON s.id = c.session_id",
        "feedback": f"SELECT f.*, {local.format('f.at')} AS business_date, r.service_code,"
        " r.created_by AS request_by FROM feedback f JOIN requests r ON r.id = f.request_id",
        "receipt_prints": f"SELECT *, {local.format('at')} AS business_date FROM receipt_prints",
        "closures": f"SELECT *, {local.format('created_at')} AS business_date FROM closures",
        "sequence_floors": f"SELECT *, {local.format('at')} AS business_date FROM sequence_floors",
    }
    assert set(queries) == set(TYPED)
    days_off = office_closures(s)
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for table, sql in queries.items():
        rows = out[table] = {}
        for row in s.all(sql):
            op_id = fact_id(table, row)
            rows[op_id] = {**row, **owner, "id": op_id}
    for request in out["requests"].values():
        # The centre published this counter's catalog before any request was taken.
        request["fee_check"] = "catalog"
        request["working_days"] = None
        if request["ready_on"] is not None:
            start = date.fromisoformat(request["business_date"])
            span = (date.fromisoformat(request["ready_on"]) - start).days
            request["working_days"] = sum(
                is_working_day(start + timedelta(days=n), days_off) for n in range(1, span + 1)
            )
    return out


def centre_rows(engine: Engine, device_id: str) -> dict[str, dict[str, dict[str, Any]]]:
    with engine.connect() as conn:
        return {
            name: {
                row.id: dict(row._mapping)
                for row in conn.execute(select(table).where(table.c.device_id == device_id))
            }
            for name, table in TYPED.items()
        }


def synced(server: LiveServer, c: Counter) -> None:
    """Enrolled and synced by the real client, as `odsc sync` does it."""
    office = c.store.office
    client.enroll(c.store, server.url, server.enroll_code(office["office_code"], office["counter"]))
    result = client.sync_once(c.store)
    assert result.ok, result


def test_a_counters_week_arrives_in_the_typed_tables_column_for_column(live_server, sync_counter):
    live_server.publish_catalog(demo_catalog_path())
    a_week(sync_counter)
    synced(live_server, sync_counter)
    expected = counter_rows(sync_counter)
    found = centre_rows(live_server.engine, sync_counter.store.office["device_id"])
    for table in TYPED:
        assert found[table].keys() == expected[table].keys(), table
        for op_id, row in found[table].items():
            # Every column the centre holds, the registry's and its own, has its expected value.
            assert set(row) <= set(expected[table][op_id]), (table, op_id)
            assert row == {k: expected[table][op_id][k] for k in row}, (table, op_id)
    # The week holds what it was written to hold, so the comparison above compared something:
    # each of the centre's own columns holds a value somewhere (none left to its default).
    # (But `requests.shared`: one counter's week writes on no other counter's request; its 1 is
    # checked where two counters do, tests/sync/test_office_writes.py.)
    for table, columns in CENTRE_COLUMNS.items():
        for column in columns:
            if (table, column) == ("requests", "shared"):
                assert not any(row[column] for row in found[table].values())
                continue
            assert any(row[column] for row in found[table].values()), (table, column)
    requests = found["requests"].values()
    assert {r["status"] for r in requests} == {"collected", "ready", "rejected", "withdrawn"}
    assert sorted(r["working_days"] for r in requests if r["ready_on"]) == [0, 1, 1, 2, 3]
    assert [r["returned"] for r in requests if r["returned"]] == [2]
    assert [c["difference"] for c in found["cash_closes"].values()] == [-2_000]


def test_status_events_keep_the_latest_status_whatever_order_they_arrive_in(
    live_server, sync_counter
):
    """A status moves its request only past the request's own latest seq; the first ready sets
    the ready date and working days once, every closing event counts."""
    token = enroll_counter(live_server, sync_counter)
    request = service_requests.record_request(
        sync_counter.store, sync_counter.clerk, service_code="MOHA-BIRTH", citizen_name="Noy"
    )
    assert push(live_server.url, token, device(sync_counter), outbox_ops(sync_counter)).ok
    top = outbox_ops(sync_counter)[-1].seq

    def event(seq: int, status: str, at: str) -> Op:
        row = {
            "request_id": request["id"], "seq": seq, "status": status, "reason": None,
            "at": at, "by": sync_counter.clerk.id,
        }  # fmt: skip
        return Op(top + seq, "status_events", row)

    later = [event(3, "ready", "2026-11-30T03:00:00.000000Z")]
    earlier = [
        event(1, "in_process", "2026-11-26T03:00:00.000000Z"),
        event(2, "ready", "2026-11-27T03:00:00.000000Z"),  # a retried op, from a parked queue
    ]
    for batch in (later, earlier):
        reply = push(live_server.url, token, device(sync_counter), batch).json()
        assert (reply["stored"], reply["rejected"]) == (len(batch), [])
    with live_server.engine.connect() as conn:
        row = conn.execute(select(TYPED["requests"])).one()
    assert (row.status, row.status_seq) == ("ready", 3)
    # The first ready to arrive set the date: the centre does not rewrite what it counted.
    assert (row.ready_on, row.working_days) == ("2026-11-30", 2)


def device(c: Counter) -> str:
    return str(c.store.office["device_id"])


def request_op(seq: int, version: int, fee: int, created_at: str, n: int) -> Op:
    """A request as the counter writes it, under a catalog version and fee of the test's."""
    row = {
        "id": f"req-{n}", "tracking": f"VTE-SST-1-261126-{n}", "business_date": "2026-11-26",
        "daily_seq": n, "created_at": created_at, "created_by": "clerk-1",
        "citizen_name": "Noy", "name_key": "noy", "phone": None, "id_number": None,
        "village": None, "service_code": "MOHA-BIRTH", "catalog_version": version, "fee": fee,
        "promised_date": "2026-12-01", "documents": "[]",
    }  # fmt: skip
    return Op(seq, "requests", row)


def test_each_requests_fee_is_checked_against_the_published_catalogs(
    live_server, sync_counter, tmp_path
):
    demo = json.loads(demo_catalog_path().read_text(encoding="utf-8"))
    birth_fee = next(s["fee"] for s in demo["services"] if s["code"] == "MOHA-BIRTH")
    live_server.publish_catalog(demo_catalog_path())  # version 1, at 02:00
    live_server.clock.advance(hours=1)
    newer = {**demo, "version": 2, "label": "v2"}
    (tmp_path / "v2.json").write_text(json.dumps(newer, ensure_ascii=False), encoding="utf-8")
    live_server.publish_catalog(tmp_path / "v2.json")  # version 2, at 03:00
    token = enroll_counter(live_server, sync_counter)
    before, after = "2026-11-26T02:30:00.000000Z", "2026-11-26T03:30:00.000000Z"
    cases = {
        "req-1": (request_op(1, 1, birth_fee, before, 1), "catalog"),
        "req-2": (request_op(2, 1, birth_fee, after, 2), "old_version"),
        "req-3": (request_op(3, 2, birth_fee, after, 3), "catalog"),
        "req-4": (request_op(4, 1, birth_fee + 1, before, 4), "off_catalog"),
        "req-5": (request_op(5, 7, birth_fee, after, 5), "unknown"),
    }
    reply = push(live_server.url, token, device(sync_counter), [op for op, _ in cases.values()])
    assert reply.json()["stored"] == len(cases), reply.text
    with live_server.engine.connect() as conn:
        found = conn.execute(select(TYPED["requests"].c.id, TYPED["requests"].c.fee_check))
        checks = {row.id: row.fee_check for row in found}
    assert checks == {rid: check for rid, (_, check) in cases.items()}


def test_a_refused_op_is_kept_as_parked_until_it_is_stored(live_server, sync_counter):
    token = enroll_counter(live_server, sync_counter)
    service_requests.record_request(
        sync_counter.store, sync_counter.clerk, service_code="MOHA-BIRTH", citizen_name="Noy"
    )
    request = outbox_ops(sync_counter)[-1]
    assert request.entity == "requests"
    bad = Op(request.seq, "requests", {**request.row, "promised_date": "soon"})
    reply = push(live_server.url, token, device(sync_counter), [bad]).json()
    assert reply["rejected"] == [
        {"seq": request.seq, "op_id": request.op_id, "reason": "row.value:promised_date"}
    ]
    assert parked(live_server.engine) == {(device(sync_counter), request.op_id, request.seq)}
    live_server.clock.advance(hours=1)  # a retry refused again keeps the first moment
    push(live_server.url, token, device(sync_counter), [bad])
    with live_server.engine.connect() as conn:
        kept = conn.execute(select(refused_ops.c.first_at, refused_ops.c.last_at)).one()
    assert kept == ("2026-11-26T02:00:00.000000Z", "2026-11-26T03:00:00.000000Z")
    reply = push(live_server.url, token, device(sync_counter), [request]).json()
    assert reply["stored"] == 1
    assert parked(live_server.engine) == set()


def test_conflicts_and_duplicates_are_not_parked(live_server, sync_counter):
    token = enroll_counter(live_server, sync_counter)
    service_requests.record_request(
        sync_counter.store, sync_counter.clerk, service_code="MOHA-BIRTH", citizen_name="Noy"
    )
    request = outbox_ops(sync_counter)[-1]
    assert request.entity == "requests"
    push(live_server.url, token, device(sync_counter), [request])
    other = Op(request.seq, "requests", {**request.row, "citizen_name": "Ket"})
    reply = push(live_server.url, token, device(sync_counter), [request]).json()
    assert reply["duplicates"] == 1
    reply = push(live_server.url, token, device(sync_counter), [other]).json()
    assert [c["reason"] for c in reply["conflicts"]] == ["conflict.content"]
    assert parked(live_server.engine) == set()


def parked(engine: Engine) -> set[tuple[str, str, int]]:
    with engine.connect() as conn:
        rows = conn.execute(select(refused_ops.c.device_id, refused_ops.c.op_id, refused_ops.c.seq))
        return {(d, o, int(s)) for d, o, s in rows}


@pytest.mark.parametrize(
    ("entity", "column", "value"),
    [
        ("requests", "promised_date", "2026-02-30"),
        ("requests", "service_code", "X" * 65),
        ("closures", "date", "next week"),
    ],
)
def test_dates_and_codes_the_figures_key_on_are_refused_when_no_counter_writes_them(
    live_server, sync_counter, entity, column, value
):
    token = enroll_counter(live_server, sync_counter)
    if entity == "closures":
        closures.add_closure(sync_counter.store, sync_counter.supervisor, date(2026, 12, 24), "x")
    else:
        service_requests.record_request(
            sync_counter.store, sync_counter.clerk, service_code="MOHA-BIRTH", citizen_name="N"
        )
    honest = next(op for op in outbox_ops(sync_counter) if op.entity == entity)
    forged = Op(honest.seq, entity, {**honest.row, column: value})
    reply = push(live_server.url, token, device(sync_counter), [forged]).json()
    assert reply["rejected"] == [
        {"seq": honest.seq, "op_id": honest.op_id, "reason": f"row.value:{column}"}
    ]
    assert FACTS[entity].field(column).problem(value) is None  # beyond what the registry says
