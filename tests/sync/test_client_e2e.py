"""The client against the real centre on loopback, on SQLite and on PostgreSQL.

"Exactly the facts" is checked the strongest way there is: every synced fact row of the counter,
re-hashed, against every op the centre holds for the device (same ids, same sha256, no more).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import Engine, func, select, update

from odsc_desk.domain import payments, service_requests, signing
from odsc_desk.maintenance import backups, integrity
from odsc_desk.shared.catalog_file import demo_catalog_path
from odsc_desk.storage import ledger, outbox
from odsc_desk.storage.store import open_store
from sync import client, protocol
from sync.errors import SyncError
from sync.server import enrollment
from sync.server.db import catalogs, devices, metadata, ops, writing
from sync.server.db import payments as centre_payments
from tests.conftest import FAST_HASHER
from tests.core.test_cli import snapshot
from tests.sync.conftest import centre_facts, counter_facts, make_office_counter, push, visit
from tests.sync.proxy import PASS, CutResponse, FaultProxy

DEMO = json.loads(demo_catalog_path().read_text(encoding="utf-8"))


def enrolled(server: Any, counter: Any) -> Any:
    office = counter.store.office
    code = server.enroll_code(office["office_code"], office["counter"])
    client.enroll(counter.store, server.url, code)
    return counter


def a_busy_day(c: Any) -> None:
    """Visits, a status change, a void and a refund (with a supervisor), feedback."""
    first = visit(c, name="ນາງ ນ້ອຍ")
    second = visit(c, name="ທ້າວ ສົມສັກ", service="MOHA-MARR")
    service_requests.change_status(c.store, c.clerk, first["tracking"], "in_process")
    payments.void_payment(c.store, c.clerk, first["receipt"], "ພິມຜິດ", c.supervisor)
    payments.refund_payment(c.store, c.clerk, second["receipt"], 1_000, "overcharged", c.supervisor)
    visit(c, name="Ket")


def dump_centre(engine: Engine) -> dict[str, list[dict[str, Any]]]:
    """A backup of the centre's whole database, table by table."""
    with engine.connect() as conn:
        return {
            table.name: [dict(row._mapping) for row in conn.execute(select(table))]
            for table in metadata.sorted_tables
        }


def restore_centre(engine: Engine, backup: dict[str, list[dict[str, Any]]]) -> None:
    with engine.begin() as conn:
        for table in reversed(metadata.sorted_tables):
            conn.execute(table.delete())
        for table in metadata.sorted_tables:
            if backup[table.name]:
                conn.execute(table.insert(), backup[table.name])


class RecordingSession(requests.Session):
    """A real session that notes (method, path, status) of every reply, and can act the moment
    the status reply is in (`after_status`)."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[str, str, int]] = []
        self.after_status: Callable[[], None] | None = None
        self.hooks["response"].append(self._note)

    def _note(self, response: requests.Response, *args: Any, **kwargs: Any) -> None:
        path = response.request.path_url
        self.seen.append((response.request.method, path, response.status_code))
        if path == protocol.STATUS and self.after_status is not None:
            self.after_status()


# -- enrollment ------------------------------------------------------------------------------


def test_enrollment_survives_a_lost_reply(live_server, sync_counter):
    store = sync_counter.store
    with store.transaction():  # a counter that has printed receipts has a signing key
        key = signing.ensure_key(store, sync_counter.clerk.id)
    code = live_server.enroll_code("VTE-SST", 1)
    with FaultProxy(("127.0.0.1", live_server.port), CutResponse(after=0)) as proxy:
        before = snapshot(sync_counter.data_dir)
        with pytest.raises(SyncError) as err:
            client.enroll(store, proxy.url, code)
        assert err.value.code == "sync.offline" and err.value.retry
        assert proxy.log[-1].outcome == "cut response"  # the centre answered; we never heard
        assert snapshot(sync_counter.data_dir) == before
        assert not client.is_configured(store)

        proxy.set_mode(PASS)
        done = client.enroll(store, proxy.url, code)
        assert done["server"] == proxy.url and done["device_id"] == store.office["device_id"]
        assert client.is_configured(store)
        token = store.scalar("SELECT token FROM sync_state")
        shown = json.dumps([done, client.status(store)])
        assert token not in shown and "token" not in done
        # The centre has the counter's public key, to check its receipts' signatures.
        with live_server.engine.connect() as conn:
            held = conn.execute(
                select(devices.c.public_key).where(devices.c.device_id == done["device_id"])
            ).scalar()
        assert held == signing.public_keys(store)[-1]["public_key"] and key

        visit(sync_counter)
        result = client.sync_once(store)
        assert result.ok and result.pushed == 3 and result.pending == 0


def test_enrollment_refusals_say_why_and_change_nothing(live_server, sync_counter, tmp_path, clock):
    store = sync_counter.store
    before = snapshot(sync_counter.data_dir)
    cases = [
        ("NOPE1-NOPE2-NOPE3-NOPE4", "sync.enroll_unknown"),
        (live_server.enroll_code("VTE-SST", 2), "sync.enroll_mismatch"),
        (live_server.enroll_code("VTE-SST", 1, ttl_hours=1), "sync.enroll_expired"),
    ]
    live_server.clock.advance(hours=2)
    for code, expected in cases:
        with pytest.raises(SyncError) as err:
            client.enroll(store, live_server.url, code)
        assert err.value.code == expected, err.value.message_en
        assert not err.value.retry and "{" not in err.value.message_en
    # A code used by one counter is refused to another device, even for the same counter.
    code = live_server.enroll_code("VTE-SST", 1)
    client.enroll(store, live_server.url, code)
    twin = make_office_counter(tmp_path / "twin", clock)
    try:
        with pytest.raises(SyncError) as err:
            client.enroll(twin.store, live_server.url, code)
        assert err.value.code == "sync.enroll_used"
        assert not client.is_configured(twin.store)
    finally:
        twin.store.close()
    # Only the successful enrollment changed the store, and only its sync state.
    names, dump = snapshot(sync_counter.data_dir)
    assert names == before[0]
    assert [line for line in dump if "sync_state" not in line] == [
        line for line in before[1] if "sync_state" not in line
    ]


def test_a_revoked_counter_is_told_to_enroll_again_and_loses_nothing(live_server, sync_counter):
    store = enrolled(live_server, sync_counter).store
    visit(sync_counter)
    with writing(live_server.engine) as conn:
        assert enrollment.revoke(conn, store.office["device_id"], live_server.clock())
    waiting = outbox.pending_count(store)
    result = client.sync_once(store)
    assert not result.ok and result.error == "sync.unauthorized" and not result.retry
    assert (result.pending, result.parked) == (waiting, 0)
    assert client.status(store)["last_error"]["code"] == "sync.unauthorized"


# -- pushing ---------------------------------------------------------------------------------


def test_records_made_offline_reach_the_centre_exactly_once(live_server, sync_counter):
    store = enrolled(live_server, sync_counter).store
    device = store.office["device_id"]
    live_server.stop()
    a_busy_day(sync_counter)
    waiting = outbox.pending_count(store)
    offline = client.sync_once(store, timeouts=(3, 10))
    # The link is up but the centre's program is stopped: said as such, not as "no network".
    assert not offline.ok and offline.error == "sync.server_down" and offline.retry
    assert offline.pending == waiting and "ບໍ່ມີຂໍ້ມູນໃດເສຍ" in offline.message_lo
    live_server.start()

    result = client.sync_once(store)
    assert result.ok and result.pushed == waiting and result.pending == 0
    assert centre_facts(live_server.engine, device) == counter_facts(store)
    status = client.status(store)
    assert status["last_success"] == store.now_stamp() and status["last_error"] is None
    assert status["acked_high_water"] == store.scalar("SELECT MAX(seq) FROM audit_log")
    assert integrity.check_store(store)["ok"]
    again = client.sync_once(store)
    assert again.ok and again.pushed == 0


def test_a_reply_lost_after_the_centre_committed_is_resent_without_doubling(
    live_server, sync_counter
):
    store = sync_counter.store
    device = store.office["device_id"]
    with FaultProxy(("127.0.0.1", live_server.port)) as proxy:
        client.enroll(store, proxy.url, live_server.enroll_code("VTE-SST", 1))
        a_busy_day(sync_counter)
        waiting = outbox.pending_count(store)
        session = RecordingSession()
        # Once the status reply is in, every later reply is cut before its first byte: the
        # push reaches the centre and is committed, and the counter never hears so.
        session.after_status = lambda: proxy.set_mode(CutResponse(after=0))
        lost = client.sync_once(store, session)
        assert not lost.ok and lost.error == "sync.offline" and lost.pending == waiting
        assert proxy.log[-1].outcome == "cut response"
        assert centre_facts(live_server.engine, device) == counter_facts(store)

        proxy.set_mode(PASS)
        session.after_status = None
        result = client.sync_once(store, session)
        assert result.ok and result.pushed == waiting and result.pending == 0
    assert centre_facts(live_server.engine, device) == counter_facts(store)
    with live_server.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(ops)).scalar() == waiting
    assert integrity.check_store(store)["ok"]


def test_a_conflict_and_a_bad_record_are_parked_and_the_rest_drains(live_server, sync_counter):
    store = enrolled(live_server, sync_counter).store
    device = store.office["device_id"]
    token = store.scalar("SELECT token FROM sync_state")
    paid = visit(sync_counter)
    # Another office's tracking number in this counter's ledger (a bug, say): the centre
    # refuses to file it under this counter.
    row = store.one("SELECT * FROM requests WHERE tracking = ?", (paid["tracking"],))
    with store.transaction():
        ledger.append(
            store,
            "requests",
            {**row, "id": "bad-1", "tracking": "LPB-LPB-1-261126-0099", "daily_seq": 99},
        )
    a_busy_day(sync_counter)
    # Something else already sent the centre different content under one of our op ids.
    queue = store.all("SELECT seq, entity, payload, op_id FROM outbox ORDER BY seq")
    target = next(op for op in queue if op["entity"] == "payments")
    forged = json.loads(target["payload"])
    forged["amount"] += 1
    # Sent with the request it pays for, which the centre needs to hold first.
    (request,) = [
        protocol.Op(op["seq"], "requests", json.loads(op["payload"]))
        for op in queue
        if op["entity"] == "requests" and json.loads(op["payload"])["id"] == forged["request_id"]
    ]
    reply = push(
        live_server.url, token, device, [request, protocol.Op(target["seq"], "payments", forged)]
    )
    assert reply.status_code == 200 and reply.json()["stored"] == 2

    result = client.sync_once(store)
    assert result.ok and result.parked == 2 and result.pending == 0
    parked = {p["op_id"]: p["reason"] for p in outbox.parked(store)}
    assert parked == {"bad-1": "rejected: op.office", target["op_id"]: "conflict: conflict.content"}
    held = centre_facts(live_server.engine, device)
    mine = counter_facts(store)
    assert set(held) == set(mine) - {"bad-1"}
    assert held[target["op_id"]] != mine[target["op_id"]]  # nothing overwritten
    assert all(held[k] == v for k, v in mine.items() if k not in parked)
    assert integrity.check_store(store)["ok"]

    # Retried without a fix, both are refused again; nothing else moves.
    assert outbox.retry_parked(store) == 2
    again = client.sync_once(store)
    assert again.ok and again.parked == 2 and again.pushed == 0
    assert {p["attempts"] for p in outbox.parked(store)} == {2}


# -- reference data --------------------------------------------------------------------------


def write_catalog(folder: Path, version: int, birth_fee: int) -> Path:
    data = copy.deepcopy(DEMO)
    data["version"], data["label"] = version, f"Catalog v{version}"
    for service in data["services"]:
        if service["code"] == "MOHA-BIRTH":
            service["fee"] = birth_fee
    path = folder / f"catalog-v{version}.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_a_published_catalog_reaches_the_counter_whole_or_not_at_all(
    live_server, sync_counter, tmp_path
):
    store, clerk = enrolled(live_server, sync_counter).store, sync_counter.clerk
    session = RecordingSession()
    assert client.sync_once(store, session).catalog_version is None  # nothing published
    old = service_requests.record_request(
        store, clerk, service_code="MOHA-BIRTH", citizen_name="Old"
    )

    assert live_server.publish_catalog(write_catalog(tmp_path, 2, 25_000)) == 2
    result = client.sync_once(store, session)
    assert result.ok and result.catalog_version == 2
    # The catalog, then the national calendar (none published: 404, and the sync goes on),
    # then the office's feed (nothing from other counters, but a page all the same).
    assert session.seen[-3:-1] == [
        ("GET", protocol.REFERENCE, 200),
        ("GET", protocol.CALENDAR, 404),
    ]
    method, path, status = session.seen[-1]
    assert (method, path.partition("?")[0], status) == ("GET", protocol.OFFICE_FEED, 200)
    new = service_requests.record_request(
        store, clerk, service_code="MOHA-BIRTH", citizen_name="New"
    )
    assert (new["fee"], new["catalog_version"]) == (25_000, 2)
    kept = service_requests.get_request(store, old["tracking"])
    assert (kept["catalog_version"], kept["fee"]) == (1, old["fee"])
    assert client.sync_once(store, session).catalog_version is None
    assert session.seen[-3] == ("GET", protocol.REFERENCE, 304)

    # v3 is damaged in the centre's database: one fee changed, its sha256 left as it was.
    live_server.publish_catalog(write_catalog(tmp_path, 3, 31_500))
    with writing(live_server.engine) as conn:
        text = conn.execute(select(catalogs.c.catalog).where(catalogs.c.version == 3)).scalar()
        assert text.count('"fee":31500') == 1
        damaged = text.replace('"fee":31500', '"fee":3150')
        conn.execute(update(catalogs).where(catalogs.c.version == 3).values(catalog=damaged))
    refused = client.sync_once(store, session)
    assert not refused.ok and refused.error == "sync.reference_mismatch"
    assert store.scalar("SELECT MAX(version) FROM catalog_versions") == 2
    assert client.status(store)["last_error"]["code"] == "sync.reference_mismatch"

    # Repaired, but the download is cut short on the way: still refused, still v2.
    with writing(live_server.engine) as conn:
        conn.execute(update(catalogs).where(catalogs.c.version == 3).values(catalog=text))
    with FaultProxy(("127.0.0.1", live_server.port), CutResponse(after=800)) as proxy:
        store.conn.execute("UPDATE sync_state SET server_url = ?", (proxy.url,))
        cut = client.sync_once(store)
        assert not cut.ok and cut.error == "sync.offline"
        assert proxy.log[-1].outcome == "cut response"
        assert store.scalar("SELECT MAX(version) FROM catalog_versions") == 2
        proxy.set_mode(PASS)
        whole = client.sync_once(store)
    assert whole.ok and whole.catalog_version == 3
    latest = service_requests.record_request(
        store, clerk, service_code="MOHA-BIRTH", citizen_name="L"
    )
    assert latest["fee"] == 31_500
    assert integrity.check_store(store)["ok"]


# -- restored from a backup ------------------------------------------------------------------


def test_a_counter_restored_from_an_older_backup_never_reuses_a_number(
    live_server, sync_counter, tmp_path, clock
):
    store = enrolled(live_server, sync_counter).store
    device = store.office["device_id"]
    for _ in range(3):
        visit(sync_counter)
    backups.backup(store, tmp_path / "monday.sqlite3")
    lost = [visit(sync_counter), visit(sync_counter)]
    assert client.sync_once(store).ok
    assert [p["receipt"][-6:] for p in lost] == ["000004", "000005"]
    store.close()

    # The PC dies; a new one is set up from Monday's backup file.
    backups.restore(tmp_path / "new-pc", tmp_path / "monday.sqlite3", None, clock=clock)
    restored = open_store(tmp_path / "new-pc", clock=clock, hasher=FAST_HASHER)
    sync_counter.store = restored
    try:
        assert restored.scalar("SELECT MAX(receipt_seq) FROM payments") == 3
        result = client.sync_once(restored)
        assert result.ok and result.floors_raised == 2 and result.requeued == 0
        fresh = visit(sync_counter)
        assert fresh["receipt"] == "VTE-SST-1-2026-000006"
        assert fresh["tracking"] == "VTE-SST-1-261126-0006"
        assert client.sync_once(restored).ok
        held = centre_facts(live_server.engine, device)
        assert counter_facts(restored).items() <= held.items()
        with live_server.engine.connect() as conn:
            receipts = conn.execute(select(centre_payments.c.receipt)).scalars().all()
        assert len(receipts) == len(set(receipts)) == 6
        assert integrity.check_store(restored)["ok"]
    finally:
        restored.close()


def test_a_centre_restored_from_an_older_backup_gets_everything_again(live_server, sync_counter):
    store = enrolled(live_server, sync_counter).store
    device = store.office["device_id"]
    a_busy_day(sync_counter)
    assert client.sync_once(store).ok
    backup = dump_centre(live_server.engine)
    held_then = len(centre_facts(live_server.engine, device))
    a_busy_day(sync_counter)
    assert client.sync_once(store).ok
    assert outbox.pending_count(store) == 0  # all acknowledged, gone from the queue

    live_server.stop()
    restore_centre(live_server.engine, backup)
    live_server.start()
    assert len(centre_facts(live_server.engine, device)) == held_then

    result = client.sync_once(store)
    assert result.ok and result.requeued == len(counter_facts(store)) - held_then
    assert result.pushed == result.requeued and result.pending == 0
    assert centre_facts(live_server.engine, device) == counter_facts(store)
    assert integrity.check_store(store)["ok"]
