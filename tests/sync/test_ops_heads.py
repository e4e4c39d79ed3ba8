"""The heads a counter signs over its ops (docs/OFFICE_SHARING.md, D9), between real counters and
a real centre on loopback (SQLite and PostgreSQL).

- The multiset hash does not depend on the order its ops come in, takes one out again, and
  keeps its value past the 65,535 additions a lane holds before it is cleared.
- A counter's push carries its signed head; the centre keeps it when it names the set the
  centre holds (the first push after a receipt made the key is answered "no key", and the head
  signed again once the key is sent is kept), and counter 2 checks counter 1's facts against it:
  nothing waits, and counter 2 holds exactly counter 1's facts.
- A page with a fact altered, or a fact added in counter 1's name, its rows and digest made to
  agree (as a hub or a box on the office's LAN could), is refused whole: nothing kept, the
  cursor where it was. The counter's error says so in Lao and English.
- A page whose heads were taken out: counter 1's facts read there wait, kept nowhere, until a
  head covers them; the next page with a head takes them.
- Bad inputs at the centre: a malformed `X-Ops-Set` is a 400 with nothing stored; a head signed
  by another key, or naming another set, is not kept, and the push is stored all the same.
"""

from __future__ import annotations

import base64
import json
import random
from collections.abc import Callable
from typing import Any

import pytest
import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from requests.adapters import HTTPAdapter
from sqlalchemy import func, select

from odsc_desk.api import office_facts, signing, sync_state
from odsc_desk.shared import ops_set
from odsc_desk.shared.ops_set import Head, OpsSet
from sync import client, feed_encoding, protocol
from sync.feed_encoding import FeedOp, Roster
from sync.protocol import Op
from sync.server.db import devices, ops
from tests.sync.conftest import (
    LiveServer,
    assert_problem,
    counter_facts,
    newest_head,
    outbox_ops,
    push,
    synced,
    visit,
)


def _op(n: int) -> tuple[int, str, str]:
    return n, f"op-{n}", f"{n:064x}"


def test_the_set_is_the_same_in_any_order_and_takes_an_op_out() -> None:
    elements = [_op(n) for n in range(500)]
    forward, shuffled = OpsSet(), OpsSet()
    for element in elements:
        forward.add(*element)
    random.Random(7).shuffle(elements)
    for element in elements:
        shuffled.add(*element)
    assert (forward.count, forward.digest()) == (shuffled.count, shuffled.digest())
    more = OpsSet.of(forward.to_bytes(), forward.count)
    more.add(*_op(999))
    assert more.digest() != forward.digest()
    more.remove(*_op(999))
    assert (more.count, more.digest()) == (forward.count, forward.digest())
    assert OpsSet().digest() != forward.digest()


def test_a_set_keeps_its_value_past_what_a_lane_holds() -> None:
    many = OpsSet()
    for _ in range(70_000):
        many.add(*_op(1))
    for _ in range(70_000):
        many.remove(*_op(1))
    assert (many.count, many.digest()) == (0, OpsSet().digest())
    # 2^16 copies of one op add up to nothing in each lane: the count tells them apart.
    wrapped = OpsSet()
    for _ in range(1 << 16):
        wrapped.add(*_op(2))
    assert wrapped.to_bytes() == OpsSet().to_bytes() and wrapped.count == 1 << 16


def _centre_set(server: LiveServer, device_id: str) -> tuple[int, int, int]:
    """(ops held, the count of the set kept, the count of the newest head kept)."""
    with server.engine.connect() as conn:
        held = conn.execute(
            select(func.count()).select_from(ops).where(ops.c.device_id == device_id)
        ).scalar_one()
        counted = conn.execute(
            select(devices.c.ops_count).where(devices.c.device_id == device_id)
        ).scalar_one()
    newest = newest_head(server.engine, device_id)
    assert newest is not None, "no head kept"
    return held, counted, newest


def test_a_counters_head_is_kept_and_the_office_checks_its_facts_against_it(
    live_server: LiveServer, office_counters: Any
) -> None:
    one, two, _ = office_counters
    device = one.store.office["device_id"]
    visit(one)
    visit(one, "ທ້າວ ສົມພອນ")
    synced(one)
    held, counted, newest = _centre_set(live_server, device)
    assert held == counted == newest == sync_state.ops_set(one.store)[1]
    synced(two)
    heads = two.store.all("SELECT device_id, count, signing FROM office_heads")
    assert heads == [{"device_id": device, "count": held, "signing": 1}]
    assert two.store.scalar_int("SELECT COUNT(*) FROM office_waiting") == 0
    pulled = {f.op_id for f in office_facts.facts(two.store)}
    assert pulled == set(counter_facts(one.store))


class _Rewriting(HTTPAdapter):
    """Hands the office feed's pages through `change` on their way to the counter: what a hub
    or a box on the office's LAN could do to them. Everything else passes as it came."""

    def __init__(self, change: Callable[[dict[str, Any]], None]) -> None:
        super().__init__()
        self.change = change

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        response = super().send(request, **kwargs)
        if protocol.OFFICE_FEED in (request.url or "") and response.status_code == 200:
            page = response.json()
            self.change(page)
            response._content = json.dumps(page).encode()
            response.headers.pop("Content-Encoding", None)
        return response


def _rewriting(change: Callable[[dict[str, Any]], None]) -> requests.Session:
    session = requests.Session()
    session.mount("http://", _Rewriting(change))
    return session


def _reencoded(page: dict[str, Any], edit: Callable[[list[FeedOp]], list[FeedOp]]) -> None:
    """The page with its ops edited, written again with a digest that agrees."""
    roster = Roster(page["office"], [(d["device_id"], d["counter"]) for d in page["devices"]])
    items = edit(feed_encoding.decode(roster, page["after"], page))
    page.update(feed_encoding.encode(roster, page["after"], items))


def _altered_amount(items: list[FeedOp]) -> list[FeedOp]:
    edited = []
    for item in items:
        row = dict(item.op.row)
        if item.op.entity == "payments":
            row["amount"] = row["amount"] // 2
        edited.append(FeedOp(item.pos, item.device_id, Op(item.op.seq, item.op.entity, row)))
    return edited


def _added_request(items: list[FeedOp]) -> list[FeedOp]:
    first = next(i for i in items if i.op.entity == "requests")
    row = dict(first.op.row)
    row["id"] = "019a0000-0000-7000-8000-000000000001"
    row["daily_seq"] = 99
    row["tracking"] = row["tracking"].rsplit("-", 1)[0] + "-0099"
    forged = FeedOp(first.pos, first.device_id, Op(first.op.seq + 1000, "requests", row))
    return sorted([*items, forged], key=lambda i: (i.pos, i.op.seq))


@pytest.mark.parametrize("edit", [_altered_amount, _added_request], ids=["altered", "added"])
def test_a_page_with_a_fact_changed_in_a_counters_name_is_refused_whole(
    office_counters: Any, edit: Callable[[list[FeedOp]], list[FeedOp]]
) -> None:
    one, two, _ = office_counters
    visit(one)
    synced(one)
    result = client.sync_once(two.store, session=_rewriting(lambda p: _reencoded(p, edit)))
    assert not result.ok and result.error == "sync.office_invalid", result
    assert "ຂໍ້ມູນ" in (result.message_lo or "") and result.message_en, result
    assert office_facts.facts(two.store) == []
    assert office_facts.state(two.store)["after"] == 0
    assert two.store.scalar_int("SELECT COUNT(*) FROM office_heads") == 0
    # The same page as the centre sent it is taken.
    synced(two)
    assert {f.op_id for f in office_facts.facts(two.store)} == set(counter_facts(one.store))


def test_facts_read_without_a_head_wait_for_one(office_counters: Any) -> None:
    one, two, _ = office_counters
    visit(one)
    synced(one)
    synced(two)  # counter 1 is known to sign from here on
    visit(one, "ທ້າວ ສົມພອນ")
    synced(one)
    result = client.sync_once(two.store, session=_rewriting(lambda page: page.update(heads=[])))
    assert result.ok and result.office_kept == 0, result
    waiting = two.store.scalar_int("SELECT COUNT(*) FROM office_waiting")
    assert waiting == len(counter_facts(one.store)) - len(office_facts.facts(two.store)) > 0
    assert result.office_waiting == waiting
    visit(one, "ນາງ ແສງ")
    synced(one)
    synced(two)
    assert two.store.scalar_int("SELECT COUNT(*) FROM office_waiting") == 0
    assert {f.op_id for f in office_facts.facts(two.store)} == set(counter_facts(one.store))


def _signed(private: Ed25519PrivateKey, device_id: str, found: OpsSet) -> str:
    digest = found.digest()
    signature = private.sign(ops_set.message(device_id, found.count, digest))
    return Head(found.count, digest, signature).spelled()


def test_the_centre_refuses_a_malformed_head_and_keeps_no_head_it_cannot_check(
    live_server: LiveServer, sync_counter: Any
) -> None:
    c = sync_counter
    device = c.store.office["device_id"]
    client.enroll_counter(c.store, c.admin, live_server.url, live_server.enroll_code("VTE-SST", 1))
    token = sync_state.read(c.store)["token"]
    visit(c)
    queued = outbox_ops(c)
    for bad in ("12", "1:" + "0" * 64 + ":short", "x:" + "0" * 64 + ":" + "A" * 86):
        reply = push(live_server.url, token, device, queued, headers={ops_set.HEADER: bad})
        assert_problem(reply, 400, "ops_set.header")
    with live_server.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(ops)).scalar_one() == 0
    found = OpsSet()
    for op in queued:
        found.add(op.seq, op.op_id, op.sha256.hex())
    stranger = _signed(Ed25519PrivateKey.generate(), device, found)
    reply = push(live_server.url, token, device, queued, headers={ops_set.HEADER: stranger})
    assert reply.status_code == 200, reply.text
    answer = reply.json()
    assert answer["stored"] == len(queued)
    assert answer["ops_set"] == {"kept": False, "count": len(queued), "reason": "signature"}
    synced(c)  # the same ops again, under the counter's own head
    held, counted, newest = _centre_set(live_server, device)
    assert held == counted == newest == len(queued)
    key = c.store.scalar("SELECT private_key FROM counter_keys")
    own = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(key))
    found.remove(queued[-1].seq, queued[-1].op_id, queued[-1].sha256.hex())
    reply = push(
        live_server.url, token, device, [], headers={ops_set.HEADER: _signed(own, device, found)}
    )
    assert reply.json()["ops_set"] == {"kept": False, "count": held, "reason": "other_set"}
    assert _centre_set(live_server, device) == (held, counted, newest)


def test_a_head_the_centre_has_no_key_for_is_signed_again_once_it_has(
    live_server: LiveServer, sync_counter: Any
) -> None:
    c = sync_counter
    device = c.store.office["device_id"]
    client.enroll(c.store, live_server.url, live_server.enroll_code("VTE-SST", 1))  # no key yet
    with c.store.transaction():
        signing.ensure_key(c.store, c.admin.id)  # made since, as a first receipt makes it
    visit(c)
    result = synced(c)
    assert result.key_sent
    held, counted, newest = _centre_set(live_server, device)
    assert held == counted == newest == sync_state.ops_set(c.store)[1]


def test_a_head_spelled_and_read_back_is_the_same() -> None:
    head = Head(3, "ab" * 32, bytes(range(64)))
    assert ops_set.read_head(head.spelled()) == head
    assert base64.urlsafe_b64decode(head.spelled().rsplit(":", 1)[1] + "==") == head.signature
    assert ops_set.read_head("03:" + "ab" * 32 + ":" + head.spelled().rsplit(":", 1)[1]) is None
