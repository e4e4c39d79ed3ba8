"""The chain anchor a push carries (sync/anchor.py) and what the counter does with the centre's
verdict (issue 12, finding 3), and the queue sending only what the ledger says (finding 2)."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from odsc_desk.storage import outbox, sync_state
from sync import anchor, client, protocol
from tests.core.test_outbox_payloads import _edit, _lowered, _payment_op
from tests.sync.conftest import centre_facts, visit

# -- the headers, seen by a server that records them ---------------------------------------------


@contextmanager
def recording(anchor_reply: dict[str, Any] | None) -> Iterator[tuple[str, list[dict[str, str]]]]:
    """A loopback server that holds nothing, accepts every push and records its headers."""
    seen: list[dict[str, str]] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _json(self, body: dict[str, Any], status: int = 200) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            if self.path == protocol.STATUS:
                self._json({"high_water": 0})
            else:
                self._json({"code": "reference.none", "status": 404}, 404)

        def do_POST(self) -> None:
            body = protocol.gunzip_body(self.rfile.read(int(self.headers["Content-Length"])))
            ops = sum(len(group["rows"]) for group in json.loads(body)["ops"].values())
            seen.append({k: v for k, v in self.headers.items() if k.startswith("X-Chain")})
            reply: dict[str, Any] = {"high_water": 0, "stored": ops, "duplicates": 0}
            reply |= {"conflicts": [], "rejected": []}
            if anchor_reply is not None:
                reply["anchor"] = anchor_reply
            self._json(reply)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()


def _enrolled_at(store: Any, url: str) -> None:
    sync_state.record(store, server_url=url, token="t" * 43)


def test_a_push_shows_its_head_then_anchors_to_the_head_the_centre_holds(sync_counter):
    store = sync_counter.store
    visit(sync_counter)
    first = outbox.chain_head(store)
    assert first is not None
    held = {"seq": first["seq"], "hash": first["hash"], "status": "ok"}
    with recording(held) as (url, seen):
        _enrolled_at(store, url)
        assert client.sync_once(store).chain == "ok"
        visit(sync_counter, name="Ket")
        now = outbox.chain_head(store)
        assert now is not None
        assert client.sync_once(store).ok
    assert seen[0] == {anchor.HEAD: f"{first['seq']}:{first['hash']}"}
    assert seen[1] == {
        anchor.HEAD: f"{now['seq']}:{now['hash']}",
        anchor.ANCHOR: f"{first['seq']}:{first['hash']}",
    }
    assert outbox.anchored_head(store) == {"seq": first["seq"], "hash": first["hash"]}


def test_a_released_centre_without_an_anchor_changes_nothing(sync_counter):
    store = sync_counter.store
    visit(sync_counter)
    with recording(None) as (url, seen):
        _enrolled_at(store, url)
        result = client.sync_once(store)
    assert result.ok and result.chain is None and result.pushed > 0
    assert outbox.anchored_head(store) is None and len(seen) == 1
    assert client.status(store)["last_error"] is None


@pytest.mark.parametrize("verdict", ["rewritten", "behind"])
def test_a_flagged_chain_is_the_last_error_in_lao_and_english(sync_counter, verdict):
    store = sync_counter.store
    visit(sync_counter)
    head = outbox.chain_head(store)
    assert head is not None
    with recording({"seq": head["seq"], "hash": head["hash"], "status": verdict}) as (url, _):
        _enrolled_at(store, url)
        result = client.sync_once(store)
    assert result.ok and result.chain == verdict and outbox.pending_count(store) == 0
    error = client.status(store)["last_error"]
    assert error is not None and error["code"] == f"chain.{verdict}"
    assert str(head["seq"]) in error["message_en"] and error["message_lo"]


def test_an_unreadable_anchor_settles_the_batch_and_stops_the_run(sync_counter):
    store = sync_counter.store
    visit(sync_counter)
    with recording({"seq": "1", "hash": "zz", "status": "ok"}) as (url, _):
        _enrolled_at(store, url)
        result = client.sync_once(store)
    assert not result.ok and result.error == "sync.bad_reply"
    assert outbox.pending_count(store) == 0  # what the centre acknowledged left the queue
    assert outbox.anchored_head(store) is None


# -- against the centre --------------------------------------------------------------------------


def test_the_centre_flags_a_counter_restored_from_an_older_backup(
    live_server, sync_counter, tmp_path
):
    c = sync_counter
    store = c.store
    code = live_server.enroll_code("VTE-SST", 1)
    client.enroll(store, live_server.url, code)
    visit(c)
    backup = tmp_path / "old.sqlite3"
    store.conn.execute("VACUUM INTO ?", (str(backup),))
    visit(c, name="Ket")
    assert client.sync_once(store).chain == "ok"
    visit(c, name="Bua")
    assert client.sync_once(store).chain == "ok"  # the chain extends the head it showed
    # The old backup back in place: its chain lacks the head the centre holds.
    with sqlite3.connect(backup) as old:
        old.backup(store.conn)
    visit(c, name="Dao")
    result = client.sync_once(store)
    assert result.chain in {"behind", "rewritten"}
    error = client.status(store)["last_error"]
    assert error is not None and error["code"] == f"chain.{result.chain}"


def test_a_lost_push_reply_is_no_false_alarm(live_server, sync_counter):
    """The centre stored a push whose reply never arrived: the counter still anchors to the
    head before it. The next run learns the held head from the status, so the chain, which
    did extend it, is not flagged "behind"."""
    c = sync_counter
    store = c.store
    client.enroll(store, live_server.url, live_server.enroll_code("VTE-SST", 1))
    visit(c)
    assert client.sync_once(store).chain == "ok"
    older = outbox.anchored_head(store)
    visit(c, name="Ket")
    assert client.sync_once(store).chain == "ok"
    assert outbox.anchored_head(store) != older
    assert older is not None
    outbox.record_anchored_head(store, older["seq"], older["hash"])  # the 2nd reply: lost
    visit(c, name="Bua")
    assert client.sync_once(store).chain == "ok"
    assert client.status(store)["last_error"] is None


def test_an_edited_payload_never_reaches_the_centre(live_server, sync_counter):
    c = sync_counter
    store = c.store
    client.enroll(store, live_server.url, live_server.enroll_code("VTE-SST", 1))
    paid, other = visit(c), visit(c, name="Ket")
    op = _payment_op(c, paid["id"])
    _edit(
        c, ("UPDATE outbox SET payload = ? WHERE op_id = ?", (_lowered(op["payload"]), paid["id"]))
    )
    result = client.sync_once(store)
    assert result.parked == 1
    held = centre_facts(live_server.engine, store.office["device_id"])
    assert paid["id"] not in held and other["id"] in held
    assert [(p["op_id"], p["reason"]) for p in outbox.parked(store)] == [
        (paid["id"], outbox.TAMPERED)
    ]
