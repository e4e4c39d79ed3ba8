"""Sync protocol v1 is unchanged on the wire: a push recorded by the client of commit ce89b91 is
taken whole by today's server, and today's encoder turns the same rows into the same bytes.

tests/data/push_v1_ce89b91.json was made with that commit's own code, run from a worktree of it:
its `odsc` command filled a real counter store (as tests/data/make_store.sh does, plus a refund,
a receipt print and a closure), then the batch its `_Run.push_all` would send first was built
from the outbox (`outbox.pending_batch`, `encode_batch`, `compact_json`). Never regenerate it
with newer code: its point is that the old client wrote it.
"""

import hashlib
import json
from pathlib import Path

import requests
from sqlalchemy import func, select

from sync import protocol
from sync.server.db import ops as ops_table
from tests.sync.conftest import get, post_raw

RECORDED = json.loads(
    (Path(__file__).parents[1] / "data" / "push_v1_ce89b91.json").read_text(encoding="utf-8")
)
BODY = RECORDED["body"]
ROWS = sum(len(group["rows"]) for group in BODY["ops"].values())
TOP_SEQ = max(row[0] for group in BODY["ops"].values() for row in group["rows"])


def compact_json(value):
    # Exactly sync.transport.compact_json, the bytes the client gzips (the same at ce89b91 and
    # now); copied, not imported, since sync.transport imports odsc_desk (through sync.errors).
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


def _enroll(server):
    code = server.enroll_code(RECORDED["office"], RECORDED["counter"])
    sent = {
        "code": code,
        "device_id": RECORDED["device_id"],
        "office": RECORDED["office"],
        "counter": RECORDED["counter"],
    }
    if RECORDED["public_key"] is not None:
        sent["public_key"] = RECORDED["public_key"]  # as the old client's enroll() sends it
    reply = requests.post(server.url + protocol.ENROLL, json=sent, timeout=10)
    assert reply.status_code == 200, reply.text
    return reply.json()["token"]


def _push_recorded(server, token):
    body = protocol.gzip_body(compact_json(BODY))
    return post_raw(server.url + protocol.PUSH, token, body, {"Content-Encoding": "gzip"})


def _stored_ops(server):
    with server.engine.connect() as conn:
        query = select(func.count()).where(ops_table.c.device_id == RECORDED["device_id"])
        return conn.execute(query).scalar_one()


def test_the_recorded_push_is_stored_whole(live_server):
    token = _enroll(live_server)
    reply = _push_recorded(live_server, token)
    assert reply.status_code == 200, reply.text
    assert reply.json() == {
        "high_water": TOP_SEQ,
        "stored": ROWS,
        "duplicates": 0,
        "conflicts": [],
        "rejected": [],
    }
    assert _stored_ops(live_server) == ROWS
    status = get(live_server.url + protocol.STATUS, token)
    assert (status.json()["high_water"], status.json()["ops"]) == (TOP_SEQ, ROWS)


def test_the_recorded_push_again_is_all_duplicates(live_server):
    token = _enroll(live_server)
    _push_recorded(live_server, token)
    again = _push_recorded(live_server, token)
    assert again.status_code == 200, again.text
    assert again.json() == {
        "high_water": TOP_SEQ,
        "stored": 0,
        "duplicates": ROWS,
        "conflicts": [],
        "rejected": [],
    }
    assert _stored_ops(live_server) == ROWS


def test_todays_encoder_rebuilds_the_recorded_body():
    device, ops, rejected = protocol.decode_batch(BODY)
    assert (device, rejected, len(ops)) == (RECORDED["device_id"], [], ROWS)
    assert protocol.encode_batch(device, ops) == BODY


def test_todays_encoder_gives_the_recorded_bytes():
    device, ops, _ = protocol.decode_batch(BODY)
    sent = compact_json(protocol.encode_batch(device, ops))
    assert hashlib.sha256(sent).hexdigest() == RECORDED["body_bytes_sha256"]
    assert sent == compact_json(BODY)  # and the file holds those bytes, keys in the same order
