"""A counter pulls its office's other counters' facts (docs/OFFICE_SHARING.md, D1, D5, D6),
between real counters and a real centre on loopback (SQLite and PostgreSQL).

- After a sync, a counter holds exactly the facts its office's other counters pushed, each as
  its origin wrote it, apart from its own: nothing in its own fact tables, outbox or audit
  chain, and `odsc check` still passes. Another office's counter holds none of them.
- Syncing again keeps nothing twice; a run read page by page (a page of two positions) keeps the
  same as one read at once; only what is new is read the next time.
- What a counter checks at pull (D6), on pages the centre would never send: a number in another
  counter's series, a fact that refers to a request nobody holds, a fact held under the same
  device and seq with other content, are each refused and counted while the rest is kept and
  the cursor moves on; a page of another office, or whose rows do not match its digest, is
  refused whole, with nothing kept and the cursor where it was.
- Over a link that refuses, cuts and delays the feed's pages at random (seeded), with pages of a
  few positions, the counter ends holding every fact once.
- The office's day (D8): each counter's figures as its own daily summary gives them, and the
  office's total, with the time of the centre's last page.
- A citizen back at another counter is found there (by number, its end, phone or name) and
  shown as the request stands at its own counter, marked as that counter's.
"""

from __future__ import annotations

from typing import Any

import pytest
import requests
from sqlalchemy import select

from odsc_desk.api import (
    browse,
    daybook,
    integrity,
    office_anomalies,
    office_day,
    office_facts,
    outbox,
    payments,
    service_requests,
)
from odsc_desk.shared.canonical import canonical
from odsc_desk.shared.clock import local_date
from odsc_desk.shared.errors import NotFoundError
from odsc_desk.shared.money import format_kip
from sync import client, feed_encoding, office_pull, protocol
from sync.errors import SyncError
from sync.feed_encoding import FeedOp, Roster
from sync.protocol import Op
from sync.server.db import ops
from tests.sync.conftest import LiveServer, counter_facts, next_day, synced, visit
from tests.sync.proxy import (
    PASS,
    CutRequest,
    CutResponse,
    Delay,
    FaultProxy,
    OnlyFor,
    RandomFaults,
    Refuse,
)
from tests.sync.test_cli_sync import odsc, one_json


def _foreign(store: Any) -> dict[str, bytes]:
    """Every office fact the store holds: `device/seq` -> its canonical row."""
    return {f"{f.device_id}/{f.seq}": canonical(f.row) for f in office_facts.facts(store)}


def _own(server: LiveServer, counter: Any) -> dict[str, bytes]:
    """Every fact the counter pushed, as the centre holds it: `device/seq` -> its canonical row
    (the centre recomputed each from the row it received)."""
    device = counter.store.office["device_id"]
    with server.engine.connect() as conn:
        rows = conn.execute(select(ops.c.seq, ops.c.payload).where(ops.c.device_id == device))
        return {f"{device}/{seq}": payload.encode() for seq, payload in rows}


def _untouched(counter: Any) -> tuple[Any, ...]:
    """What a pull must never change: the counter's own facts, queue and chain."""
    store = counter.store
    return (
        counter_facts(store),
        outbox.pending_count(store),
        store.scalar("SELECT max(seq) FROM audit_log"),
    )


def test_a_counter_holds_its_office_facts_as_their_origin_wrote_them(
    live_server: LiveServer, office_counters: tuple[Any, Any, Any]
) -> None:
    one, two, elsewhere = office_counters
    visit(elsewhere)
    visit(two)
    assert synced(two).office_kept == 0  # nothing of the office yet
    visit(one)
    visit(one, "ທ້າວ ສົມ")
    next_day(one)  # a drawer closed and another opened: the office's day facts too
    visit(one, "ນາງ ແກ້ວ")
    synced(one)
    before = _untouched(two)
    result = synced(two)
    assert result.office_kept == len(_own(live_server, one)) and result.office_as_of is not None
    assert _foreign(two.store) == _own(live_server, one)
    assert _untouched(two) == before
    assert integrity.check_store(two.store)["ok"]
    assert office_facts.state(two.store)["as_of"] == result.office_as_of

    # Counter 1 reads counter 2's; LPB's counter holds nothing of VTE-SST.
    synced(one)
    assert _foreign(one.store) == _own(live_server, two)
    synced(elsewhere)
    assert _foreign(elsewhere.store) == {}

    # Again: nothing twice. Then only the new is read.
    assert synced(two).office_kept == 0
    assert _foreign(two.store) == _own(live_server, one)
    visit(one, "ນາງ ດາວ")
    synced(one)
    assert synced(two).office_kept == 2  # a request and its payment
    assert _foreign(two.store) == _own(live_server, one)
    assert integrity.check_store(two.store)["ok"]


def test_a_pull_page_by_page_keeps_the_same(
    live_server: LiveServer, office_counters: tuple[Any, Any, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    one, two, _ = office_counters
    for name in ("ນາງ ນ້ອຍ", "ທ້າວ ສົມ", "ນາງ ແກ້ວ"):
        visit(one, name)
    synced(one)
    monkeypatch.setattr(office_pull, "PAGE", 2)
    result = synced(two)
    assert result.office_kept == len(_own(live_server, one))
    assert _foreign(two.store) == _own(live_server, one)


# -- what a counter checks at pull (D6) --------------------------------------------------------
def _page(counter: Any, items: list[FeedOp], roster: Roster, after: int) -> dict[str, Any]:
    """A page as the centre writes one, for `counter`'s office."""
    return {
        "office": roster.office,
        "devices": [{"device_id": d, "counter": n, "key_id": None} for d, n in roster.devices],
        "after": after,
        **feed_encoding.encode(roster, after, items),
        "next": max((item.pos for item in items), default=after),
        "more": False,
        "as_of": counter.store.now_stamp(),
    }


def _keep(counter: Any, page: dict[str, Any]) -> office_pull.Pulled:
    pulled = office_pull.Pulled()
    office_pull._keep_page(counter.store, page, page["after"], pulled)
    return pulled


def test_facts_a_counter_could_not_have_written_are_refused_and_the_rest_kept(
    unsigned_counters: tuple[Any, Any],
) -> None:
    one, two = unsigned_counters
    visit(one)
    synced(one)
    synced(two)
    held = _foreign(two.store)
    device = one.store.office["device_id"]
    roster = Roster("VTE-SST", [(device, 1)])
    after = office_facts.state(two.store)["after"]
    request = one.store.one("SELECT * FROM requests")
    payment = one.store.one("SELECT * FROM payments")
    assert request is not None and payment is not None
    seq = max(int(key.split("/")[1]) for key in held)
    paid_at = one.store.scalar_int("SELECT seq FROM audit_log WHERE entity = 'payments'")
    feedback = {
        "id": "0190f0f0-0000-7000-8000-000000000001", "request_id": request["id"], "rating": 5,
        "at": one.store.now_stamp(), "by": request["created_by"],
    }  # fmt: skip
    forged = [
        # A receipt number of counter 2's series, from counter 1.
        Op(seq + 1, "payments", {**payment, "id": feedback["id"][:-1] + "2",
                                 "receipt": "VTE-SST-2-2026-000009", "receipt_seq": 9}),
        # Feedback on a request nobody holds.
        Op(seq + 2, "feedback", {**feedback, "request_id": "no-such-request"}),
        # A fact held already, under its device, seq and id, with other content.
        Op(paid_at, "payments", {**payment, "amount": payment["amount"] + 1_000}),
        # And one that is fine.
        Op(seq + 3, "feedback", feedback),
    ]  # fmt: skip
    items = [FeedOp(after + n, device, op) for n, op in enumerate(forged, 1)]
    pulled = _keep(two, _page(two, items, roster, after))
    assert pulled.reasons == {"op.office": 1, "ref.unknown:request_id": 1, "conflict.content": 1}
    assert (pulled.kept, pulled.refused) == (1, 3)
    assert set(_foreign(two.store)) == set(held) | {f"{device}/{seq + 3}"}
    state = office_facts.state(two.store)
    assert (state["after"], state["refused"]) == (after + 4, 3)

    # Read again (a page whose reply was lost): nothing more kept, the same refused.
    pulled = _keep(two, _page(two, items, roster, after))
    assert (pulled.kept, pulled.refused) == (0, 3)


def test_a_page_of_another_office_or_altered_is_refused_whole(
    office_counters: tuple[Any, Any, Any],
) -> None:
    one, two, _ = office_counters
    visit(one)
    synced(one)
    ops = counter_facts(one.store)
    assert ops
    device = one.store.office["device_id"]
    request = one.store.one("SELECT * FROM requests")
    items = [
        FeedOp(1, device, Op(2, "requests", {k: v for k, v in request.items() if v is not None}))
    ]
    before = (_foreign(two.store), office_facts.state(two.store))

    elsewhere = _page(two, items, Roster("LPB-LPB", [(device, 1)]), 0)
    altered = _page(two, items, Roster("VTE-SST", [(device, 1)]), 0)
    names = altered["tables"]["requests"]["cols"]
    altered["tables"]["requests"]["columns"][3 + names.index("fee")] = [1]
    itself = _page(
        two, items, Roster("VTE-SST", [(device, 1), (two.store.office["device_id"], 2)]), 0
    )
    for page in (elsewhere, altered, itself):
        with pytest.raises(SyncError) as refused:
            _keep(two, page)
        assert refused.value.code == "sync.office_invalid"
        assert refused.value.message_lo and refused.value.message_en
        assert (_foreign(two.store), office_facts.state(two.store)) == before


# -- a bad link ----------------------------------------------------------------------------------
FEED_FAULTS = (
    (PASS, 4.0),
    (Refuse(), 1.0),
    (CutRequest(after=40), 1.0),  # inside the request line
    (CutResponse(after=0), 2.0),  # the page was read at the centre; the reply is lost
    (CutResponse(after=300), 2.0),  # the reply dies inside its body
    (Delay(3.0), 1.0),  # the reply comes after the counter gave up
)


@pytest.mark.parametrize("seed", range(2))
def test_a_pull_over_a_bad_link_keeps_every_fact_once(
    live_server: LiveServer,
    office_counters: tuple[Any, Any, Any],
    monkeypatch: pytest.MonkeyPatch,
    seed: int,
) -> None:
    """Counter 2 pulls through a link that refuses, cuts and delays the feed's pages at random
    (seeded), a few positions a page; once the link heals and a run finishes, it holds exactly
    counter 1's facts, each once."""
    one, two, _ = office_counters
    for n in range(12):
        visit(one, f"ນາງ ນ້ອຍ {n}")
    synced(one)
    monkeypatch.setattr(office_pull, "PAGE", 3)
    with FaultProxy(("127.0.0.1", live_server.port)) as proxy:
        with two.store.transaction():
            two.store.conn.execute("UPDATE sync_state SET server_url = ?", (proxy.url,))
        proxy.set_mode(OnlyFor(f"GET {protocol.OFFICE_FEED}", RandomFaults(seed, FEED_FAULTS)))
        failed = 0
        with requests.Session() as session:
            for _ in range(12):
                result = client.sync_once(two.store, session, timeouts=(2.0, 1.0))
                failed += not result.ok
            proxy.set_mode(PASS)
            final = client.sync_once(two.store, session)
        drawn = {fault for record in proxy.log for fault in record.faults}
    assert final.ok and final.office_refused == 0, final
    assert failed and drawn - {PASS}, "the link never failed"
    assert _foreign(two.store) == _own(live_server, one)
    assert integrity.check_store(two.store)["ok"]


# -- the office's day (D8) -------------------------------------------------------------------
def test_the_office_day_shows_every_counter_as_its_own_summary_does(
    office_counters: tuple[Any, Any, Any],
) -> None:
    one, two, _ = office_counters
    day = local_date(two.store.now())
    assert office_day.office_day(two.store, day)["as_of"] is None  # nothing read yet
    for name in ("ນາງ ນ້ອຍ", "ທ້າວ ສົມ", "ນາງ ແກ້ວ"):
        visit(one, name)
    voided = visit(one, "ນາງ ດາວ")
    payments.void_payment(one.store, one.clerk, voided["receipt"], "ຜິດ", one.supervisor)
    refunded = visit(two, "ທ້າວ ບຸນ")
    payments.refund_payment(two.store, two.clerk, refunded["receipt"], 5_000, "ຄືນ", two.supervisor)
    synced(one)
    result = synced(two)

    figures = office_day.office_day(two.store, day)
    assert figures["as_of"] == result.office_as_of and figures["office"] == "VTE-SST"
    assert [(c["counter"], c["own"]) for c in figures["counters"]] == [(1, False), (2, True)]
    for counter, row in zip((one, two), figures["counters"], strict=True):
        own = daybook.day_totals(counter.store, day)
        assert (row["requests"], row["payments"], row["gross"]) == (
            own["requests"], own["payments"]["count"], own["totals"]["gross"]
        )  # fmt: skip
        assert (row["voided"], row["refunded"], row["net"]) == (
            own["totals"]["voided"], own["totals"]["refunded"], own["totals"]["net"]
        )  # fmt: skip
    total = figures["total"]
    assert total["requests"] == 5 and total["net"] == sum(c["net"] for c in figures["counters"])
    assert figures["counters"][0]["voided"] == voided["amount"]
    assert figures["counters"][1]["refunded"] == 5_000

    # `odsc day --office`, as a clerk at counter 2 reads it.
    shown = odsc(two.data_dir, "day", "--office", "--date", day.isoformat(), user="noy")
    assert shown.code == 0, shown
    head, *rows, clashes, none = shown.out.splitlines()
    assert head.startswith(f"VTE-SST {day}") and "office data as of" in head
    assert [row.split()[0] for row in rows] == ["1", "2*", "total"]
    assert "impossible histories" in clashes and none.split() == ["ບໍ່ມີ", "/", "none"]
    assert f"net {format_kip(total['net'])}" in rows[-1]
    as_json = odsc(two.data_dir, "day", "--office", "--date", day.isoformat(), json_out=True)
    assert one_json(as_json.out) == {
        **figures,
        "anomalies": office_anomalies.office_anomalies(two.store, day),
    }


# -- another counter's request, found and shown (D8) ---------------------------------------------
def test_a_citizen_back_at_another_counter_is_found_and_shown_as_it_stands(
    office_counters: tuple[Any, Any, Any],
) -> None:
    one, two, _ = office_counters
    taken = service_requests.record_request(
        one.store, one.clerk, service_code="MOHA-BIRTH", citizen_name="ນາງ ແສງດາວ ພົມມະຈັນ",
        phone="020 5555 1234",
    )  # fmt: skip
    tracking = taken["tracking"]
    payments.record_payment(one.store, one.clerk, tracking)
    for status in ("in_process", "ready"):
        service_requests.change_status(one.store, one.clerk, tracking, status)
    mine = visit(two, "ທ້າວ ສົມສັກ")
    synced(one)
    result = synced(two)

    # Found at counter 2 by what the citizen brings: the number, its end, the phone, the name.
    *_, day, seq = tracking.split("-")
    for text in (tracking, f"1-{day}-{int(seq)}", "02055551234", "ແສງດາວ", "ນາງ ແສງ"):
        page = browse.page_requests(two.store, browse.Filters(search=text))
        assert [(r["tracking"], r["counter"], r["status"]) for r in page.rows] == [
            (tracking, 1, "ready")
        ], text
    # Its end alone is counter 2's own first request's too: its own comes first.
    both = browse.page_requests(two.store, browse.Filters(search=f"{day}-{int(seq)}")).rows
    assert [(r["tracking"], r["counter"]) for r in both] == [
        (mine["tracking"], None),
        (tracking, 1),
    ]
    # The list's own filters hold for it too; its own requests come first and say none.
    assert (
        browse.page_requests(two.store, browse.Filters(search=tracking, status="received")).rows
        == []
    )
    own = browse.page_requests(two.store, browse.Filters(search=mine["tracking"])).rows
    assert [(r["tracking"], r["counter"]) for r in own] == [(mine["tracking"], None)]

    shown = browse.request_detail(two.store, tracking)
    assert (shown["served_at"], shown["office_as_of"]) == (1, result.office_as_of)
    assert shown["status"] == "ready" and shown["citizen_name"] == "ນາງ ແສງດາວ ພົມມະຈັນ"
    assert [e["status"] for e in shown["history"]] == ["in_process", "ready"]
    assert (shown["paid"], shown["balance"]) == (shown["fee"], 0)
    assert [p["receipt"] for p in shown["payments"]] == [
        r["receipt"] for r in one.store.all("SELECT receipt FROM payments")
    ]
    at_home = browse.request_detail(one.store, tracking)
    assert {k: at_home[k] for k in ("status", "paid", "balance", "fee", "promised_date")} == {
        k: shown[k] for k in ("status", "paid", "balance", "fee", "promised_date")
    }
    assert browse.request_detail(two.store, mine["tracking"])["served_at"] is None
    # Counter 2's own records know no such request (serving it: tests/sync/test_office_writes.py).
    with pytest.raises(NotFoundError):
        service_requests.get_request(two.store, tracking)
