"""A counter changes the status of another counter's request of its office
(docs/OFFICE_SHARING.md, D2, D3, D4), between real counters and a real centre on loopback
(SQLite and PostgreSQL).

- Counter 2 finds counter 1's request, moves it and hands the result over; each event is counter
  2's own fact (its table, chain and outbox, its device in the event's id), the centre takes
  it, and counter 1, counter 2 and the centre all show the same status and history; `odsc
  check` passes on both counters.
- A citizen whose request counter 1 took pays its fee at counter 2 and collects the result
  there, while counter 1 has not synced: the receipt is counter 2's (its series, its drawer,
  its daily summary, its printed receipt naming the request), and once both have synced the
  request is paid and collected at counter 1 too, and the office's day shows both counters.
- Two counters apart change one request at once: after both sync, both counters and the
  centre reach the same status, the one the fold of D4 gives, the other event kept as
  contested.
- The centre refuses a status event about another counter's request without the writer's
  device in it, one naming another device, and one about another office's request; the pull
  refuses an event whose device is not the one that wrote it.
- A centre that does not take such events (released before them) leaves the request read-only
  at counter 2: the change is refused in Lao and English and nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from odsc_desk.api import (
    browse,
    daybook,
    daylist,
    integrity,
    office_day,
    office_facts,
    outbox,
    payments,
    service_requests,
)
from odsc_desk.shared import request_history
from odsc_desk.shared.clock import local_date
from odsc_desk.shared.errors import NotFoundError, StateError
from odsc_desk.shared.ids import unpacked
from odsc_desk.storage import sync_state
from receipts.receipt import print_receipt
from sync import office_pull, protocol
from sync.feed_encoding import FeedOp, Roster
from sync.protocol import Op
from sync.server.db import requests as centre_requests
from tests.receipts.conftest import poppler_text
from tests.sync.conftest import (
    LiveServer,
    ReleasedCentre,
    count_rows,
    enrolled_counter,
    outbox_ops,
    push,
    synced,
    visit,
)

LAST_RELEASED = "5234e7c"  # the office feed, before counters wrote on each other's requests


def _status(counter: Any, tracking: str) -> str:
    return str(browse.request_detail(counter.store, tracking)["status"])


def _centre(server: LiveServer, tracking: str) -> tuple[str, int]:
    with server.engine.connect() as conn:
        row = conn.execute(
            select(centre_requests.c.status, centre_requests.c.shared).where(
                centre_requests.c.tracking == tracking
            )
        ).one()
    return str(row.status), int(row.shared)


def _move(counter: Any, tracking: str, status: str, reason: str | None = None) -> Any:
    return service_requests.change_status(counter.store, counter.clerk, tracking, status, reason)


def test_a_counter_moves_and_hands_over_another_counters_request(
    live_server: LiveServer, office_counters: tuple[Any, Any, Any]
) -> None:
    one, two, _ = office_counters
    tracking = visit(one)["tracking"]  # taken and paid at counter 1
    synced(one)
    synced(two)
    assert office_facts.takes(two.store, "status_events")
    audit = two.store.scalar_int("SELECT MAX(seq) FROM audit_log")

    moved = _move(two, tracking, "in_process")
    assert moved["status"] == "in_process" and moved["tracking"] == tracking
    [own] = two.store.all("SELECT * FROM status_events")
    assert own["device_id"] == two.store.office["device_id"] and own["seq"] == 1
    [queued] = [op for op in outbox_ops(two) if op.entity == "status_events"]
    assert queued.op_id == f"{own['request_id']}/{own['device_id']}/1"
    assert two.store.scalar_int("SELECT MAX(seq) FROM audit_log") == audit + 1
    # Counter 1's request is still only counter 1's: nothing of it entered counter 2's tables.
    assert two.store.scalar_int("SELECT COUNT(*) FROM requests") == 0
    with_reason = browse.request_detail(two.store, tracking)
    assert with_reason["served_at"] == 1 and with_reason["writable"]

    synced(two)
    assert _centre(live_server, tracking) == ("in_process", 1)
    assert _status(one, tracking) == "received"  # until counter 1 pulls
    synced(one)
    assert _status(one, tracking) == "in_process"
    history = service_requests.get_request(one.store, tracking)["history"]
    assert [(h["status"], h["by"]) for h in history] == [("in_process", "VTE-SST-2")]

    # Counter 1 finishes the work; counter 2, where the citizen came back, hands it over.
    _move(one, tracking, "ready")
    synced(one)
    synced(two)
    assert _status(two, tracking) == "ready"
    _move(two, tracking, "collected")
    synced(two)
    synced(one)
    for counter in (one, two):
        assert _status(counter, tracking) == "collected"
        detail = browse.request_detail(counter.store, tracking)
        assert [h["status"] for h in detail["history"]] == ["in_process", "ready", "collected"]
        assert integrity.check_store(counter.store)["ok"], counter
    assert _centre(live_server, tracking) == ("collected", 1)
    # Nothing more to take: each side's events are acknowledged, none parked.
    assert outbox.pending_count(one.store) == outbox.pending_count(two.store) == 0


def test_a_citizen_pays_and_collects_at_another_counter(
    live_server: LiveServer, office_counters: tuple[Any, Any, Any], tmp_path: Any
) -> None:
    one, two, _ = office_counters
    request = service_requests.record_request(
        one.store, one.clerk, service_code="MOHA-BIRTH", citizen_name="ນາງ ບົວພັນ ສີວົງ"
    )
    tracking, fee = request["tracking"], request["fee"]
    _move(one, tracking, "in_process")
    _move(one, tracking, "ready")
    synced(one)
    synced(two)
    assert browse.request_detail(two.store, tracking)["balance"] == fee

    paid = payments.record_payment(two.store, two.clerk, tracking)
    assert paid["receipt"] == "VTE-SST-2-2026-000001" and paid["amount"] == fee
    _move(two, tracking, "collected")  # settled, so it can be handed over
    assert two.store.scalar_int("SELECT COUNT(*) FROM requests") == 0
    # Counter 2's own receipt, in its drawer and its day, naming counter 1's request.
    day = local_date(two.store.now())
    [listed] = daylist.day_payments(two.store, day)
    assert (listed["tracking"], listed["service"], listed["amount"]) == (
        tracking,
        "MOHA-BIRTH",
        fee,
    )
    assert daybook.day_totals(two.store, day)["by_service"][0]["amount"] == fee
    [found] = browse.page_requests(two.store, browse.Filters(search=tracking)).rows
    assert (found["counter"], found["paid"]) == (1, fee)  # its counter's, paid here
    pdf = tmp_path / "receipt.pdf"
    print_receipt(two.store, two.clerk, paid["receipt"], pdf)
    text = poppler_text(pdf)
    assert tracking in text and paid["receipt"] in text and "ບົວພັນ" in text

    synced(two)
    synced(one)
    shown = service_requests.get_request(one.store, tracking)
    assert (shown["status"], shown["paid"], shown["balance"]) == ("collected", fee, 0)
    assert [(p["receipt"], p["by"]) for p in shown["payments"]] == [(paid["receipt"], "VTE-SST-2")]
    [row] = browse.page_requests(one.store, browse.Filters(search=tracking)).rows
    assert row["paid"] == fee
    figures = office_day.office_day(one.store, day)
    assert [(c["counter"], c["requests"], c["payments"]) for c in figures["counters"]] == [
        (1, 1, 0),
        (2, 0, 1),
    ]
    assert figures["total"]["net"] == fee
    for counter in (one, two):
        assert integrity.check_store(counter.store)["ok"], counter
    assert _centre(live_server, tracking) == ("collected", 1)


def test_two_counters_apart_reach_the_same_status(
    live_server: LiveServer, office_counters: tuple[Any, Any, Any]
) -> None:
    one, two, _ = office_counters
    tracking = visit(one)["tracking"]
    _move(one, tracking, "in_process")
    synced(one)
    synced(two)
    # Apart: counter 1 calls it ready, counter 2 sends it back for a document.
    _move(one, tracking, "ready")
    _move(two, tracking, "incomplete", "ຂາດສຳເນົາບັດປະຈຳຕົວ")
    # The event the fold puts first (the lower device id, their clocks being equal) reaches the
    # centre last, so a centre that took the latest arrival would differ.
    first, last = sorted((one, two), key=lambda c: c.store.office["device_id"], reverse=True)
    for counter in (first, last, first, last):
        synced(counter)
    events = [
        request_history.StatusEvent(1, "in_process", one.store.office["device_id"], 1),
        request_history.StatusEvent(2, "ready", one.store.office["device_id"], 2),
        request_history.StatusEvent(1, "incomplete", two.store.office["device_id"], 2),
    ]
    expected = request_history.fold(events)
    assert len(expected.contested) == 1  # one of the two could not follow the other
    request_id = one.store.scalar("SELECT id FROM requests")
    for counter in (one, two):
        assert _status(counter, tracking) == expected.status
        assert office_facts.history(counter.store, request_id) == expected
        assert integrity.check_store(counter.store)["ok"]
    assert _centre(live_server, tracking) == (expected.status, 1)


def test_the_centre_refuses_events_a_counter_of_the_office_could_not_have_written(
    live_server: LiveServer, office_counters: tuple[Any, Any, Any]
) -> None:
    one, two, elsewhere = office_counters
    tracking = visit(one)["tracking"]
    other_office = visit(elsewhere)["tracking"]
    synced(one)
    synced(elsewhere)
    ids = {
        t: s.store.scalar("SELECT id FROM requests")
        for t, s in ((tracking, one), (other_office, elsewhere))
    }
    device = two.store.office["device_id"]
    token = sync_state.read(two.store)["token"]

    def event(request: str, seq: int, **extra: Any) -> Op:
        row = {
            "request_id": ids[request], "seq": 1, "status": "in_process",
            "at": "2026-12-05T01:00:00.000000Z", "by": two.clerk.id, "clock": 1, **extra,
        }  # fmt: skip
        return Op(seq, "status_events", row)

    before = count_rows(live_server.engine)
    forged = [
        event(tracking, 1),  # no device: it would take counter 1's own id request/1
        event(tracking, 2, device_id=one.store.office["device_id"]),  # another device's
        event(other_office, 3, device_id=device),  # another office's request
    ]
    reply = push(live_server.url, token, device, forged)
    assert reply.status_code == 200, reply.text
    reasons = {r["seq"]: r["reason"] for r in reply.json()["rejected"]}
    assert reasons == {
        1: "ref.owner:request_id",
        2: "row.value:device_id",
        3: "ref.owner:request_id",
    }
    after = count_rows(live_server.engine)
    assert after.pop("refused_ops") == before.pop("refused_ops") + 3  # the centre's log of them
    assert after == before


def test_the_pull_refuses_an_event_in_another_devices_name(
    live_server: LiveServer, office_counters: tuple[Any, Any, Any]
) -> None:
    one, two, _ = office_counters
    tracking = visit(one)["tracking"]
    synced(one)
    synced(two)
    request_id = two.store.scalar("SELECT id FROM office_requests")
    row = {
        "request_id": unpacked(request_id), "seq": 1, "status": "in_process",
        "at": "2026-12-05T01:00:00.000000Z", "by": one.clerk.id, "clock": 1,
        "device_id": two.store.office["device_id"],  # counter 1 writing as counter 2
    }  # fmt: skip
    roster = Roster("VTE-SST", ((one.store.office["device_id"], 1),))
    kept, refused, waits = office_pull._checked(
        two.store,
        roster,
        [FeedOp(99, one.store.office["device_id"], Op(99, "status_events", row))],
        [],
    )
    assert (
        kept == [] and waits == [] and [reason for _, reason in refused] == ["row.value:device_id"]
    )
    assert _status(two, tracking) == "received"


def test_a_released_centre_leaves_another_counters_request_read_only(
    released_centre: Callable[[str], ReleasedCentre], tmp_path: Any, clock: Any
) -> None:
    centre = released_centre(LAST_RELEASED)
    one = enrolled_counter(tmp_path, clock, centre, "VTE-SST", 1)  # type: ignore[arg-type]
    two = enrolled_counter(tmp_path, clock, centre, "VTE-SST", 2)  # type: ignore[arg-type]
    try:
        tracking = visit(one)["tracking"]
        synced(one)
        synced(two)
        assert not office_facts.takes(two.store, "status_events")
        assert _status(two, tracking) == "received"  # found and shown
        assert not browse.request_detail(two.store, tracking)["writable"]
        audit = two.store.scalar_int("SELECT MAX(seq) FROM audit_log")
        with pytest.raises(StateError) as refused:
            _move(two, tracking, "in_process")
        assert refused.value.code == "office.read_only"
        assert "ປ່ອງ 1" in refused.value.message_lo and tracking in refused.value.message_lo
        assert "counter 1" in refused.value.message_en
        assert two.store.scalar_int("SELECT MAX(seq) FROM audit_log") == audit
        with pytest.raises(StateError) as refused:
            payments.record_payment(two.store, two.clerk, tracking)
        assert refused.value.code == "office.read_only"
        assert outbox.pending_count(two.store) == 0
        # Its own requests only: the slips and notices still refuse another's.
        with pytest.raises(NotFoundError):
            service_requests.get_request(two.store, tracking)
    finally:
        one.store.close()
        two.store.close()


def test_protocol_ids_of_status_events() -> None:
    row = {"request_id": "r", "seq": 3, "status": "ready", "at": "x", "by": "u"}
    assert Op(1, "status_events", row).op_id == "r/3"
    assert Op(1, "status_events", {**row, "device_id": "d"}).op_id == "r/d/3"
    assert protocol.LATER["status_events"][-1] == "device_id"
