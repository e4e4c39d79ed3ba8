"""Protocol v1 both ways with the consent columns a counter now writes.

- A released centre (the code of commit b17729d, the last before the consent columns, taken out
  of this repository's history and run as its own `odsc-server serve` process) refuses a batch
  naming a column it does not know. A counter of today asks the centre what it takes (the status
  reply's "accepts", absent there) and leaves the later columns out: its facts all arrive.
- A released counter's push (no consent columns) is taken whole by today's centre:
  tests/sync/test_wire_compat.py replays one recorded by the client of commit ce89b91, and
  today's encoder still gives its bytes, since a later column is listed only when a row has it.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import requests

from odsc_desk.shared.facts import FACTS
from sync import client, protocol
from tests.sync.conftest import outbox_ops, post_raw
from tests.sync.test_messages import mark, take

RELEASED = "b17729d"  # the last commit before the consent columns


def test_a_released_centre_takes_every_fact_of_a_consenting_counter(released_centre, sync_counter):
    centre = released_centre(RELEASED)
    assert "accepts" not in (
        Path(centre.tree, "sync/server/status.py").read_text(encoding="utf-8")
    )  # it is the released code that serves
    counter = sync_counter
    client.enroll(counter.store, centre.url, centre.enroll_code("VTE-SST", 1))
    tracking = take(counter, sms_lang="en")
    mark(counter, tracking, "ready")
    ops = outbox_ops(counter)
    [request_op] = [op for op in ops if op.entity == "requests"]
    assert request_op.row["sms_consent"] == 1

    # As it is, the request would be refused whole: the released centre knows no such column.
    token = counter.store.one("SELECT token FROM sync_state")["token"]
    body = protocol.gzip_body(
        json.dumps(protocol.encode_batch(counter.store.office["device_id"], [request_op])).encode()
    )
    refused = post_raw(centre.url + protocol.PUSH, token, body, {"Content-Encoding": "gzip"})
    assert refused.status_code == 422 and refused.json()["code"] == "batch.columns"

    result = client.sync_once(counter.store)
    assert result.ok and result.parked == 0 and result.pushed == len(ops), result
    with sqlite3.connect(centre.db) as conn:
        held = conn.execute("SELECT count(*) FROM ops").fetchone()[0]
        stored = conn.execute(
            "SELECT tracking, status FROM requests WHERE tracking = ?", (tracking,)
        ).fetchone()
    assert held == len(ops)
    assert stored == (tracking, "ready")
    # Today's counter still holds the consent itself.
    row = counter.store.one("SELECT sms_consent, sms_lang FROM requests")
    assert (row["sms_consent"], row["sms_lang"]) == (1, "en")


def test_a_later_column_is_listed_only_when_a_row_carries_it(sync_counter):
    counter = sync_counter
    take(counter, sms_lang=None)
    device = counter.store.office["device_id"]
    plain = protocol.encode_batch(device, outbox_ops(counter))
    assert plain["ops"]["requests"]["cols"] == [
        c for c in FACTS["requests"].columns if c not in ("sms_consent", "sms_lang")
    ]
    take(counter, sms_lang="lo")
    mixed = protocol.encode_batch(device, outbox_ops(counter))
    assert mixed["ops"]["requests"]["cols"] == list(FACTS["requests"].columns)
    _, ops, rejected = protocol.decode_batch(mixed)
    assert rejected == [] and [op.row.get("sms_lang") for op in ops if op.entity == "requests"] == [
        None,
        "lo",
    ]


def test_a_centres_accepts_that_is_not_a_list_is_a_bad_reply(live_server, sync_counter):
    """`accepts` is read strictly: a reply that garbles it settles nothing."""
    counter = sync_counter
    office = counter.store.office
    client.enroll(counter.store, live_server.url, live_server.enroll_code(office["office_code"], 1))
    session = requests.Session()

    def garble(reply: requests.Response, *args: object, **kwargs: object) -> None:
        if reply.url.endswith(protocol.STATUS):
            data = reply.json()
            data["accepts"] = {"requests": "sms_consent"}
            reply._content = json.dumps(data).encode()
            reply.headers.pop("Content-Encoding", None)

    session.hooks["response"].append(garble)
    take(counter)
    result = client.sync_once(counter.store, session)
    assert not result.ok and result.pushed == 0
    assert result.error == "sync.bad_reply"
