"""The office feed's bytes on the wire (issue 16, "Speed": at most 150 bytes a visit pulled).

The busiest office of a synthetic nation (tests/bench/nation.py): each of its counters pushes its
first weeks through `odsc-server serve` on loopback, then one of them reads the others' ops
from the feed page by page, gzip as the client would ask for it. Reported: the bytes of the
answers (status line, headers and compressed body) over the visits (requests) they carry, beside
the same ops as the pushes carried them (gzip), the baseline the feed's encoding starts from.

ODSC_FEED_OPS (default 3000) sets the ops each counter pushes.
"""

from __future__ import annotations

import gzip
import itertools
import json
import os
from pathlib import Path
from typing import Any

import pytest
import requests

from sync import protocol
from tests.bench.nation import CounterPlan, Nation, Shape, publish_catalogs
from tests.bench.sync_rig import centre, enroll_device, pg_database
from tests.bench.test_centre_bench import _body
from tests.bench.timing import Figure, report

OPS_EACH = int(os.environ.get("ODSC_FEED_OPS", "3000"))
BYTES_A_VISIT = 150


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
            token = enroll_device(server, counter.device_id, office, counter.number)
            tokens[counter.device_id] = token
            ops = list(itertools.islice(nation.ops(counter), OPS_EACH))
            for start in range(0, len(ops), 500):
                body = _body(counter.device_id, ops[start : start + 500])
                reply = requests.post(
                    server.url + protocol.PUSH,
                    data=body,
                    headers={
                        "Authorization": f"Bearer {token}",
                        "Content-Type": "application/json",
                        "Content-Encoding": "gzip",
                    },
                    timeout=120,
                )
                assert reply.status_code == 200 and not reply.json()["rejected"], reply.text
                if counter is not counters[0]:
                    pushed_bytes += len(body)
        reader = tokens[counters[0].device_id]
        wire, visits, after, more = 0, 0, 0, True
        with requests.Session() as session:
            while more:
                reply = session.get(
                    server.url + protocol.OFFICE_FEED,
                    params={"after": after, "limit": protocol.MAX_OPS},
                    headers={"Authorization": f"Bearer {reader}", "Accept-Encoding": "gzip"},
                    stream=True,
                    timeout=120,
                )
                raw = reply.raw.read(decode_content=False)
                assert reply.status_code == 200, reply.status_code
                wire += _wire(reply, raw)
                answer = _json(raw, reply)
                for run in answer["runs"]:
                    visits += len(run["batch"]["ops"].get("requests", {}).get("rows", []))
                after, more = answer["next"], answer["more"]
    assert visits, "the others pushed no request"
    per_visit = wire / visits
    figure = report(
        Figure(
            "office feed: bytes on the wire a visit pulled",
            f"<= {BYTES_A_VISIT} B",
            passed=per_visit <= BYTES_A_VISIT,
            note=f"{per_visit:,.0f} B a visit ({visits:,} visits of {len(counters) - 1} counters"
            f" of {office}, {wire:,} B); the same ops as pushed, gzip:"
            f" {pushed_bytes / visits:,.0f} B a visit",
        )
    )
    assert figure.passed, figure.note


def _json(raw: bytes, reply: requests.Response) -> dict[str, Any]:
    body = gzip.decompress(raw) if reply.headers.get("Content-Encoding") == "gzip" else raw
    answer: dict[str, Any] = json.loads(body)
    return answer
