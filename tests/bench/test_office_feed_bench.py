"""The office feed's bytes on the wire (issue 16, "Speed": at most 150 bytes a visit pulled), and
the store a counter grows by to keep them (at most 1.5 KB a foreign visit).

The busiest office of a synthetic nation (tests/bench/nation.py): each of its counters pushes its
first weeks through `odsc-server serve` on loopback, then one of them reads the others' ops
from the feed page by page, asking for Brotli or gzip as a counter does, and reads each page
back (sync/feed_encoding.py). Reported: the bytes of the answers (status line, headers and
compressed body) over the visits (requests) they carry, beside the same ops as the pushes
carried them (gzip), the baseline the feed's encoding starts from, and the page as gzip alone
(a reader without Brotli).

ODSC_FEED_OPS (default 3000) sets the ops each counter pushes.
"""

from __future__ import annotations

import gzip
import itertools
import json
import os
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import brotli
import pytest
import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from odsc_desk.shared import ops_set
from odsc_desk.shared.facts import FACTS
from odsc_desk.shared.ops_set import Head, OpsSet
from sync import feed_encoding, office_pull, protocol
from sync.feed_encoding import FeedOp, Roster
from sync.protocol import Op
from sync.transport import Transport
from tests.bench.nation import FIRST_DAY, CounterPlan, Nation, Shape, publish_catalogs
from tests.bench.sync_rig import centre, enroll_device, pg_database
from tests.bench.test_centre_bench import _body
from tests.bench.timing import Figure, report
from tests.conftest import FakeClock
from tests.sync.conftest import make_office_counter
from tests.sync.proxy import FaultProxy, Throttle

OPS_EACH = int(os.environ.get("ODSC_FEED_OPS", "3000"))
BYTES_A_VISIT = 150


def _visits(ops: list[Op]) -> list[list[Op]]:
    """The ops as a counter's runs push them: one visit (its request and what follows) a push."""
    pushes: list[list[Op]] = []
    for op in ops:
        if op.entity == "requests" or not pushes:
            pushes.append([])
        pushes[-1].append(op)
    return pushes


def _push_all(url: str, token: str, device_id: str, ops: list[Op], key: Ed25519PrivateKey) -> int:
    """Push `ops` a visit at a time, each push with the head the counter signs over its ops (as
    a counter of this release does, docs/OFFICE_SHARING.md, D9), each wholly stored and its
    head kept; the gzip bytes sent."""
    sent = 0
    found = OpsSet()
    with requests.Session() as session:
        for batch in _visits(ops):
            for op in batch:
                found.add(op.seq, op.op_id, op.sha256.hex())
            digest = found.digest()
            signature = key.sign(ops_set.message(device_id, found.count, digest))
            body = _body(device_id, batch)
            reply = session.post(
                url + protocol.PUSH,
                data=body,
                headers={
                    "Authorization": f"Bearer {token}",
                    "Content-Type": "application/json",
                    "Content-Encoding": "gzip",
                    ops_set.HEADER: Head(found.count, digest, signature).spelled(),
                },
                timeout=300,
            )
            answer = reply.json()
            assert reply.status_code == 200 and not answer["rejected"], reply.text
            assert answer["ops_set"]["kept"], answer
            sent += len(body)
    return sent


def _enrolled(
    server: Any, device_id: str, office: str, number: int
) -> tuple[str, Ed25519PrivateKey]:
    """A device's token and its key, bound at enrollment."""
    key = Ed25519PrivateKey.generate()
    public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex()
    return enroll_device(server, device_id, office, number, public), key


def _wire(reply: requests.Response, body: bytes) -> int:
    """The bytes of an HTTP/1.1 answer as sent: status line, headers, body."""
    head = len(f"HTTP/1.1 {reply.status_code} {reply.reason}\r\n")
    head += sum(len(f"{k}: {v}\r\n") for k, v in reply.raw.headers.items()) + 2
    return head + len(body)


def test_feed_bytes_a_visit(tmp_path: Path) -> None:
    nation = Nation(Shape(requests=1_000_000))
    by_office: dict[str, list[CounterPlan]] = {}
    for counter in nation.counters:
        by_office.setdefault(counter.office.code, []).append(counter)
    office, counters = max(by_office.items(), key=lambda item: len(item[1]))
    if len(counters) < 2:
        pytest.fail("the nation has no office of two counters")
    pushed_bytes = 0
    with pg_database() as url, centre(url, tmp_path) as server:
        publish_catalogs(server.engine, nation.catalogs)
        tokens = {}
        for counter in counters:
            token, key = _enrolled(server, counter.device_id, office, counter.number)
            tokens[counter.device_id] = token
            ops = list(itertools.islice(nation.ops(counter), OPS_EACH))
            pushed = _push_all(server.url, token, counter.device_id, ops, key)
            if counter is not counters[0]:
                pushed_bytes += pushed
        reader = tokens[counters[0].device_id]
        wire, gzipped, visits = _read_all(server.url, reader, "gzip, br")
        wire_gzip, _, _ = _read_all(server.url, reader, "gzip")
    assert visits, "the others pushed no request"
    per_visit = wire / visits
    figure = report(
        Figure(
            "office feed: bytes on the wire a visit pulled",
            f"<= {BYTES_A_VISIT} B",
            passed=per_visit <= BYTES_A_VISIT,
            note=f"{per_visit:,.0f} B a visit, Brotli ({visits:,} visits of {len(counters) - 1}"
            f" counters of {office}, {wire:,} B); gzip: {wire_gzip / visits:,.0f} B;"
            f" the same ops as pushed, gzip: {pushed_bytes / visits:,.0f} B a visit",
        )
    )
    assert gzipped == "br"
    assert figure.passed, figure.note


def _read_all(url: str, token: str, accept: str) -> tuple[int, str, int]:
    """Bytes on the wire, the last answer's encoding, and the visits read, page by page."""
    wire, visits, after, more, encoding = 0, 0, 0, True, ""
    with requests.Session() as session:
        while more:
            reply = session.get(
                url + protocol.OFFICE_FEED,
                params={"after": after, "limit": protocol.MAX_OPS},
                headers={"Authorization": f"Bearer {token}", "Accept-Encoding": accept},
                stream=True,
                timeout=120,
            )
            raw = reply.raw.read(decode_content=False)
            assert reply.status_code == 200, reply.status_code
            wire += _wire(reply, raw)
            encoding = reply.headers.get("Content-Encoding", "")
            answer = _json(raw, encoding)
            roster = Roster(
                answer["office"], [(d["device_id"], d["counter"]) for d in answer["devices"]]
            )
            held = feed_encoding.decode(roster, answer["after"], answer)
            visits += sum(1 for item in held if item.op.entity == "requests")
            after, more = answer["next"], answer["more"]
    return wire, encoding, visits


def _json(raw: bytes, encoding: str) -> dict[str, Any]:
    body = {"br": brotli.decompress, "gzip": gzip.decompress}.get(encoding, bytes)(raw)
    answer: dict[str, Any] = json.loads(body)
    return answer


STORE_BYTES_A_VISIT = 1536


def test_store_size_a_foreign_visit(tmp_path: Path) -> None:
    """The office's facts as a counter keeps them (store m013): the same busiest office's other
    counters' ops, read through the pull's own path (pages decoded, checked, kept), and the
    store file's growth after VACUUM over the visits kept."""
    nation = Nation(Shape(requests=1_000_000))
    by_office: dict[str, list[CounterPlan]] = {}
    for counter in nation.counters:
        by_office.setdefault(counter.office.code, []).append(counter)
    office, counters = max(by_office.items(), key=lambda item: len(item[1]))
    reader = make_office_counter(tmp_path / "reader", FakeClock(), office, 99)
    store = reader.store
    others = counters[1:]
    roster = Roster(office, [(c.device_id, c.number) for c in others])
    items: list[FeedOp] = []
    for counter in others:
        for op in itertools.islice(nation.ops(counter), OPS_EACH):
            items.append(FeedOp(len(items) + 1, counter.device_id, op))
    store.conn.execute("VACUUM")
    before = store.path.stat().st_size
    pulled = office_pull.Pulled()
    for start in range(0, len(items), protocol.MAX_OPS):
        page = items[start : start + protocol.MAX_OPS]
        answer = {
            "office": office,
            "devices": [{"device_id": d, "counter": n, "key_id": None} for d, n in roster.devices],
            "after": start,
            **feed_encoding.encode(roster, start, page),
            "next": page[-1].pos,
            "more": False,
            "as_of": store.now_stamp(),
        }
        office_pull._keep_page(store, json.loads(json.dumps(answer)), start, pulled)
    store.conn.execute("VACUUM")
    grown = store.path.stat().st_size - before
    visits = sum(1 for item in items if item.op.entity == "requests")
    store.close()
    assert pulled.refused == 0, pulled.reasons
    per_visit = grown / visits
    figure = report(
        Figure(
            "office facts: store size a foreign visit",
            f"<= {STORE_BYTES_A_VISIT} B",
            passed=per_visit <= STORE_BYTES_A_VISIT,
            note=f"{per_visit:,.0f} B a visit ({visits:,} visits, {len(items):,} facts of"
            f" {len(others)} counters, {grown:,} B after VACUUM)",
        )
    )
    assert figure.passed, figure.note


CATCH_UP_DAYS, CATCH_UP_COUNTERS = 30, 10
LAN_BITS, LAN_RTT, CATCH_UP_RATIO = 1_000_000, 0.020, 2.0


def _busy_office(nation: Nation) -> tuple[str, list[tuple[CounterPlan, list[Op]]]]:
    """The nation's busiest counters as the counters 1..CATCH_UP_COUNTERS of one office (the
    busiest's), each with its first CATCH_UP_DAYS days of facts, renumbered into that office."""
    busiest = sorted(nation.counters, key=lambda c: c.share, reverse=True)[:CATCH_UP_COUNTERS]
    office = busiest[0].office.code
    end = f"{FIRST_DAY + timedelta(days=CATCH_UP_DAYS)}T"
    counters = []
    for number, counter in enumerate(busiest, 1):
        prefix = f"{office}-{number}-"
        month = itertools.takewhile(
            lambda op: protocol.device_time(op.entity, op.row) < end, nation.ops(counter)
        )
        ops = []
        for op in month:
            numbered = FACTS[op.entity].numbered
            row = dict(op.row)
            if numbered is not None:
                row[numbered] = prefix + row[numbered][len(counter.prefix) :]
            ops.append(Op(op.seq, op.entity, row))
        counters.append((counter, ops))
    return office, counters


def test_a_counter_off_for_30_days_catches_up_over_the_lan(tmp_path: Path) -> None:
    """Ten busy counters of one office push thirty days; an eleventh, off all that time, pulls
    them through a 1 Mbit/s line with 20 ms round trips (tests/sync/proxy.py's Throttle), as
    `odsc sync run` does. Its time against the time its bytes alone take on that line."""
    nation = Nation(Shape(requests=10_000_000))
    office, counters = _busy_office(nation)
    with pg_database() as url, centre(url, tmp_path) as server:
        publish_catalogs(server.engine, nation.catalogs)
        for number, (counter, ops) in enumerate(counters, 1):
            token, key = _enrolled(server, counter.device_id, office, number)
            _push_all(server.url, token, counter.device_id, ops, key)
        reader = make_office_counter(
            tmp_path / "reader", FakeClock(), office, CATCH_UP_COUNTERS + 1
        )
        token = enroll_device(
            server, reader.store.office["device_id"], office, CATCH_UP_COUNTERS + 1
        )
        with FaultProxy(("127.0.0.1", server.port), Throttle(LAN_BITS, LAN_RTT)) as link:
            transport = Transport(link.url, device_time=reader.store.now_stamp, token=token)
            started = time.perf_counter()
            pulled = office_pull.pull(reader.store, transport)
            seconds = time.perf_counter() - started
            moved = link.bytes_down + link.bytes_up
        reader.store.close()
    assert pulled is not None and pulled.refused == 0, pulled
    ops = sum(len(o) for _, o in counters)
    visits = sum(1 for _, o in counters for op in o if op.entity == "requests")
    assert pulled.kept == ops
    bytes_time = moved * 8 / LAN_BITS
    ratio = seconds / bytes_time
    figure = report(
        Figure(
            f"office feed: {CATCH_UP_DAYS} days of {CATCH_UP_COUNTERS} counters over 1 Mbit/s",
            f"<= {CATCH_UP_RATIO}x bytes/bandwidth",
            seconds * 1000,
            ratio=ratio,
            passed=ratio <= CATCH_UP_RATIO,
            note=f"{seconds:.1f} s for {ops:,} facts ({visits:,} visits), {moved:,} B"
            f" ({bytes_time:.1f} s of bytes, {moved / visits:.0f} B a visit) in"
            f" {pulled.pages} pages",
        )
    )
    assert figure.passed, figure.note
