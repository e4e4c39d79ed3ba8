"""Issue 12, finding 1: no push can break the reports, and a centre broken before the fix heals.

The attack was 1,100 payments of 2**53 from one device token: on SQLite every report and
`odsc-server stats` failed with "integer overflow", on PostgreSQL the gross read 9.9×10**18.
Replayed, each payment is now refused. Amounts within the bounds can still add up past 64 bits
(9,300 payments of the largest amount a counter can record): the reports give the exact sum. A
centre that stored the attack before the fix takes those rows out of its reports when it is
upgraded, and keeps the ops themselves.
"""

from __future__ import annotations

import json
import subprocess
from typing import Any

import pytest
from alembic import command
from sqlalchemy import create_engine, func, insert, select
from sqlalchemy.exc import OperationalError

from odsc_desk.domain import cash
from odsc_desk.shared.facts import AMOUNT_MAX, INT_MAX
from sync import protocol
from sync.protocol import Op
from sync.server import db
from sync.server.reports import office_reports
from tests.conftest import FakeClock
from tests.sync.conftest import (
    LiveServer,
    count_rows,
    enroll_counter,
    get,
    make_office_counter,
    outbox_ops,
    push,
    server_command,
    visit,
)

AT = "2026-11-26T03:00:00.000000Z"
DAY = "2026-11-26"
FIGURES = ("requests", "payments", "gross", "voided", "refunded", "fee_total")


def _payments(amount: int, count: int, request_id: str, first_seq: int = 1) -> list[Op]:
    """Payments of `request_id` numbered for VTE-SST counter 1, as a counter writes them."""
    return [
        Op(
            first_seq + n,
            "payments",
            {
                "id": f"pay-{amount}-{n}",
                "receipt": f"VTE-SST-1-2026-{500000 + n}",
                "receipt_year": 2026,
                "receipt_seq": 500000 + n,
                "request_id": request_id,
                "session_id": "s",
                "business_date": DAY,
                "amount": amount,
                "method": "cash",
                "at": AT,
                "by": "u",
            },
        )
        for n in range(count)
    ]


def _every_report(server: LiveServer, viewer: str) -> dict[str, dict[str, Any]]:
    base = f"{server.url}{protocol.REPORTS}"
    out = {}
    for path in ("/offices/VTE-SST", f"/offices/VTE-SST/days/{DAY}", "/provinces/VTE"):
        reply = get(base + path, viewer)
        assert reply.status_code == 200, reply.text
        out[path] = {k: reply.json()[k] for k in FIGURES}
    listed = get(base + "/offices", viewer)
    assert listed.status_code == 200, listed.text
    assert [{k: r[k] for k in FIGURES} for r in listed.json()] == [out["/offices/VTE-SST"]]
    return out


def _stats(db_url: str) -> dict[str, Any]:
    done = subprocess.run(
        [*server_command(), "stats", "--db", db_url, "--office", "VTE-SST", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return {k: v for k, v in json.loads(done.stdout).items() if k in FIGURES}


@pytest.fixture
def honest(live_server: LiveServer, tmp_path: Any) -> Any:
    """VTE-SST counter 1 with one visit, synced; its token, device id, fee and request id."""
    c = make_office_counter(tmp_path / "counter", FakeClock())
    cash.open_cash(c.store, c.clerk, 0)
    paid = visit(c)
    token = enroll_counter(live_server, c)
    device = c.store.office["device_id"]
    assert push(live_server.url, token, device, outbox_ops(c)).json()["rejected"] == []
    request_id = c.store.scalar("SELECT id FROM requests")
    yield token, device, paid["amount"], request_id
    c.store.close()


def test_the_attack_replayed_is_refused_and_every_report_answers(
    live_server: LiveServer, honest: Any
) -> None:
    token, device, fee, request_id = honest
    viewer = live_server.viewer_token()
    before_rows, before = count_rows(live_server.engine), _every_report(live_server, viewer)
    attack = _payments(INT_MAX, 1100, request_id, first_seq=1000)
    reply = push(live_server.url, token, device, attack)
    assert reply.status_code == 200, reply.text
    assert reply.json()["stored"] == 0
    assert [r["reason"] for r in reply.json()["rejected"]] == ["row.value:amount"] * 1100
    # Nothing is held but the record of the refused ops, which the counter parks.
    assert count_rows(live_server.engine) == {
        **before_rows,
        "refused_ops": before_rows["refused_ops"] + 1100,
    }
    assert _every_report(live_server, viewer) == before
    assert before["/offices/VTE-SST"]["gross"] == before["/offices/VTE-SST"]["fee_total"] == fee
    assert _stats(live_server.db_url) == before["/offices/VTE-SST"]


def test_sums_past_64_bits_are_exact_in_every_report(live_server: LiveServer, honest: Any) -> None:
    """9,300 payments of the largest amount a counter can record: more than 2**63 kip in all."""
    token, device, fee, request_id = honest
    viewer = live_server.viewer_token()
    many = _payments(AMOUNT_MAX, 9300, request_id, first_seq=1000)
    for start in range(0, len(many), protocol.MAX_OPS):
        reply = push(live_server.url, token, device, many[start : start + protocol.MAX_OPS])
        assert reply.status_code == 200, reply.text
        assert reply.json()["rejected"] == []
    gross = 9300 * AMOUNT_MAX + fee
    assert gross > 2**63
    expected = {"requests": 1, "payments": 9301, "gross": gross, "voided": 0, "refunded": 0,
                "fee_total": gross}  # fmt: skip
    reports = _every_report(live_server, viewer)
    assert all(figures == expected for figures in reports.values()), reports
    assert _stats(live_server.db_url) == expected
    # The roll-ups took every push too: their amount stops at the largest 64-bit integer
    # (sync/server/rollups.py) where the typed tables above keep the exact sum.
    with live_server.engine.connect() as conn:
        (day,) = conn.execute(
            select(db.rollup.c.payments, db.rollup.c.gross).where(
                db.rollup.c.grain == "D", db.rollup.c.period == DAY, db.rollup.c.payments > 0
            )
        ).all()  # one row: the honest visit's service, which all these payments are of
    assert tuple(day) == (9301, 2**63 - 1)


def _at_revision(url: str, revision: str) -> None:
    """Migrate a new database only as far as `revision`, as a centre of that time left it."""
    engine = db.make_engine(url)
    try:
        config = db._alembic_config()
        with db.writing(engine) as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, revision)
    finally:
        engine.dispose()


def _owner(device: str, office: str, counter: int) -> dict[str, Any]:
    return {"device_id": device, "office": office, "counter": counter, "business_date": DAY}


def test_a_centre_poisoned_before_the_fix_reports_honestly_once_upgraded(
    server_db_url: str,
) -> None:
    _at_revision(server_db_url, "0002")
    engine = create_engine(db.database_url(server_db_url))
    sst, cho = _owner("dev-sst", "VTE-SST", 1), _owner("dev-cho", "LPB-CHO", 1)
    honest = {
        "id": "honest",
        "receipt": "VTE-SST-1-2026-000001",
        "receipt_year": 2026,
        "receipt_seq": 1,
        "request_id": "r",
        "session_id": "s",
        "business_date": DAY,
        "amount": 20_000,
        "method": "cash",
        "at": AT,
        "by": "u",
    }
    request = {
        "id": "r", "tracking": "VTE-SST-1-261126-0001", "business_date": DAY, "daily_seq": 1,
        "created_at": AT, "created_by": "u", "citizen_name": "ນາງ ນ້ອຍ", "name_key": "ນາງ ນ້ອຍ",
        "phone": None, "id_number": None, "village": None, "service_code": "MOHA-BIRTH",
        "catalog_version": 1, "fee": 20_000, "promised_date": DAY, "documents": "[]",
    }  # fmt: skip
    # Each fact as that centre's push held it: the op, and the typed copy of those days.
    sent = [Op(1, "requests", request), Op(2, "payments", honest)] + [
        Op(3 + n, "payments", {**honest, "id": f"forged-{n}", "receipt_seq": 2 + n,
                               "amount": INT_MAX})
        for n in range(1100)
    ]  # fmt: skip
    old_columns = ("id", "receipt", "receipt_year", "receipt_seq", "request_id", "amount",
                   "method", "at")  # fmt: skip
    payment_rows = [
        {**sst, **{k: op.row[k] for k in old_columns}} for op in sent if op.entity == "payments"
    ]
    with engine.begin() as conn:
        for device, (office, counter) in (("dev-sst", ("VTE-SST", 1)), ("dev-cho", ("LPB-CHO", 1))):
            conn.execute(insert(db.devices).values(
                device_id=device, office=office, counter=counter,
                token_sha256=db.token_hash(device), enrolled_at=AT, high_water=0, ops=0,
            ))  # fmt: skip
        conn.execute(insert(db.payments), payment_rows)
        conn.execute(insert(db.ops), [
            {"op_id": op.op_id, "device_id": "dev-sst", "seq": op.seq, "entity": op.entity,
             "kind": op.kind, "payload": op.payload.decode(),
             "sha256": op.sha256, "device_time": AT, "received_at": AT}
            for op in sent
        ])  # fmt: skip
        conn.execute(insert(db.requests).values(
            **sst, id="r", tracking="VTE-SST-1-261126-0001", daily_seq=1,
            service_code="MOHA-BIRTH", catalog_version=1, fee=20_000, created_at=AT,
        ))  # fmt: skip
        conn.execute(insert(db.requests).values(  # a forged fee, with no op behind it
            **sst, id="r-forged", tracking="VTE-SST-1-261126-0002", daily_seq=2,
            service_code="MOHA-BIRTH", catalog_version=1, fee=10**12, created_at=AT,
        ))  # fmt: skip
        # Another office voids the honest payment; a refund names no payment at all.
        conn.execute(insert(db.voids).values(**cho, id="void-x", payment_id="honest", at=AT))
        conn.execute(insert(db.refunds).values(
            **sst, id="refund-x", payment_id="nothing", amount=5_000_000, at=AT,
        ))  # fmt: skip
        # The finding as it was: the sum itself fails on SQLite and is absurd on PostgreSQL.
        total = select(func.sum(db.payments.c.amount))
        if conn.dialect.name == "sqlite":
            with pytest.raises(OperationalError, match="integer overflow"):
                conn.execute(total).scalar_one()
        else:
            assert conn.execute(total).scalar_one() > 9.9 * 10**18
    engine.dispose()
    engine = db.open_db(server_db_url)  # the upgrade to this version
    try:
        rows = count_rows(engine)
        with engine.connect() as conn:
            reports = {r["office"]: {k: r[k] for k in FIGURES} for r in office_reports(conn)}
    finally:
        engine.dispose()
    assert rows["ops"] == 1102  # the record of what was sent is kept whole
    assert (rows["payments"], rows["requests"], rows["voids"], rows["refunds"]) == (1, 1, 0, 0)
    assert reports["VTE-SST"] == {"requests": 1, "payments": 1, "gross": 20_000, "voided": 0,
                                  "refunded": 0, "fee_total": 20_000}  # fmt: skip
    assert _stats(server_db_url) == reports["VTE-SST"]
