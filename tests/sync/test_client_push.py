"""How the client pushes, against a scripted centre on loopback that misbehaves on cue.

The scripted centre is a real HTTP server that reads real push bodies (gzip, decoded with the
protocol's own `decode_batch`) and answers as told: a timeout, a 413 above some size, a 5xx, a
whole-batch 422 for any batch holding a poison op, conflicts and rejects, a reply that does not
add up. The real centre is exercised end to end in test_client_e2e.py; these tests pin down the
client's own decisions (batch sizes, parking, what is settled and what is not) one by one.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from odsc_desk.domain import service_requests
from odsc_desk.maintenance import integrity
from odsc_desk.storage import outbox
from sync import client, protocol
from tests.sync.conftest import visit

TOKEN = "test-token-not-a-secret"


@dataclass
class Reply:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, status: int, value: Any, **headers: str) -> Reply:
        kind = "application/json" if status < 400 else "application/problem+json"
        return cls(status, json.dumps(value).encode(), {"Content-Type": kind, **headers})

    @classmethod
    def problem(cls, status: int, code: str, detail: str = "scripted") -> Reply:
        return cls.json(
            status,
            {
                "type": "about:blank",
                "title": code,
                "status": status,
                "code": code,
                "detail": detail,
            },
        )


@dataclass
class Script:
    """What the centre does. `held` maps op_id -> seq for what it stores."""

    high_water: int | None = None  # None: the highest seq held
    numbers: Any = field(default_factory=dict)
    poison: set[int] = field(default_factory=set)  # a batch holding one of these seqs: 422
    largest: int | None = None  # a batch above this many ops: 413
    fail: list[int] = field(default_factory=list)  # statuses for the next pushes
    stall: list[float] = field(default_factory=list)  # seconds to wait before the next replies
    conflicts: set[int] = field(default_factory=set)
    rejects: set[int] = field(default_factory=set)
    miscount: bool = False
    reference: Reply = field(default_factory=lambda: Reply.problem(404, "reference.none"))
    held: dict[str, int] = field(default_factory=dict)
    batches: list[list[int]] = field(default_factory=list)  # seqs of every push received
    headers: list[dict[str, str]] = field(default_factory=list)
    bodies: list[bytes] = field(default_factory=list)  # inflated push bodies
    sizes: list[int] = field(default_factory=list)  # push bodies' bytes on the wire

    def push(self, body: Any) -> Reply:
        _, ops, _ = protocol.decode_batch(body)
        seqs = [op.seq for op in ops]
        self.batches.append(seqs)
        if self.fail:
            status = self.fail.pop(0)
            return Reply.problem(status, "push.device" if status == 403 else "scripted")
        if self.largest is not None and len(ops) > self.largest:
            return Reply.problem(413, "batch.too_many")
        if self.poison & set(seqs):
            return Reply.problem(422, "batch.digest", "the batch digest does not match its ops")
        stored = duplicates = 0
        conflicts, rejected = [], []
        for op in ops:
            if op.seq in self.conflicts:
                conflicts.append({"seq": op.seq, "op_id": op.op_id, "reason": "conflict.content"})
            elif op.seq in self.rejects:
                rejected.append({"seq": op.seq, "op_id": op.op_id, "reason": "op.office"})
            elif op.op_id in self.held:
                duplicates += 1
            else:
                self.held[op.op_id] = op.seq
                stored += 1
        return Reply.json(
            200,
            {
                "high_water": max(self.held.values(), default=0),
                "stored": stored + self.miscount,
                "duplicates": duplicates,
                "conflicts": conflicts,
                "rejected": rejected,
            },
        )

    def status(self) -> Reply:
        high = max(self.held.values(), default=0) if self.high_water is None else self.high_water
        return Reply.json(200, {"high_water": high, "ops": len(self.held), "numbers": self.numbers})


class _Handler(BaseHTTPRequestHandler):
    server: _Centre

    def log_message(self, *args: Any) -> None:
        pass

    def _answer(self, reply: Reply) -> None:
        script = self.server.script
        if script.stall:
            time.sleep(script.stall.pop(0))  # the fault under test: a centre too slow to answer
        try:
            self.send_response(reply.status)
            for name, value in {"Content-Length": str(len(reply.body)), **reply.headers}.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(reply.body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting

    def do_GET(self) -> None:
        script = self.server.script
        script.headers.append(dict(self.headers))
        if self.headers.get("Authorization") != f"Bearer {TOKEN}":
            self._answer(Reply.problem(401, "auth.token"))
        elif self.path == protocol.STATUS:
            self._answer(script.status())
        elif self.path == protocol.REFERENCE:
            self._answer(script.reference)
        else:
            self._answer(Reply.problem(404, "not_found"))

    def do_POST(self) -> None:
        script = self.server.script
        raw = self.rfile.read(int(self.headers["Content-Length"]))
        script.headers.append(dict(self.headers))
        if self.headers.get("Authorization") != f"Bearer {TOKEN}":
            self._answer(Reply.problem(401, "auth.token"))
            return
        assert self.path == protocol.PUSH and self.headers["Content-Encoding"] == "gzip"
        script.sizes.append(len(raw))
        inflated = protocol.gunzip_body(raw)
        script.bodies.append(inflated)
        self._answer(script.push(json.loads(inflated)))


class _Centre(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.script = Script()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


@contextmanager
def running_centre() -> Iterator[_Centre]:
    server = _Centre()
    # A short poll interval: shutdown() waits for the loop to notice it.
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture
def centre() -> Iterator[_Centre]:
    with running_centre() as server:
        yield server


def configure(store: Any, url: str, batch_size: int = 50) -> None:
    """What a successful `odsc sync enroll` leaves behind."""
    with store.transaction():
        store.conn.execute(
            "UPDATE sync_state SET server_url = ?, token = ?, batch_size = ? WHERE id = 1",
            (url, TOKEN, batch_size),
        )


def queued(store: Any) -> list[dict[str, Any]]:
    return store.all("SELECT seq, op_id, state, last_error FROM outbox ORDER BY seq")


@pytest.fixture
def backlog(sync_counter):
    """35 visits after the cash session: 71 ops waiting."""
    for n in range(35):
        visit(sync_counter, name=f"ທ້າວ ສົມສັກ {n}")
    assert outbox.pending_count(sync_counter.store) == 71
    return sync_counter


def test_batches_grow_while_the_link_copes_and_everything_is_acknowledged(backlog, centre):
    store = backlog.store
    configure(store, centre.url, batch_size=5)
    ops = queued(store)
    result = client.sync_once(store)
    assert result.ok and result.error is None
    assert (result.pushed, result.parked, result.pending) == (71, 0, 0)
    assert [len(b) for b in centre.script.batches] == [5, 10, 20, 36]
    assert [s for b in centre.script.batches for s in b] == [op["seq"] for op in ops]
    assert centre.script.held == {op["op_id"]: op["seq"] for op in ops}
    assert queued(store) == []
    assert store.scalar("SELECT batch_size FROM sync_state") == 80
    assert store.scalar("SELECT acked_high_water FROM sync_state") == ops[-1]["seq"]
    assert integrity.check_store(store)["ok"]
    status = client.status(store)
    assert status["last_success"] == store.now_stamp() and status["last_error"] is None

    # Every call names the device's clock and its token; push bodies are compact UTF-8 JSON.
    for headers in centre.script.headers:
        assert headers["X-Device-Time"] == store.now_stamp()
        assert headers["Authorization"] == f"Bearer {TOKEN}"
    body = centre.script.bodies[0].decode()
    assert ", " not in body and '": ' not in body
    assert "ທ້າວ ສົມສັກ 0" in body and "\\u0e" not in body

    # A second run has nothing to send.
    again = client.sync_once(store)
    assert again.ok and again.pushed == 0 and len(centre.script.batches) == 4


def test_a_timeout_halves_the_batch_ends_the_run_and_the_resend_is_a_duplicate(backlog, centre):
    store = backlog.store
    configure(store, centre.url, batch_size=40)
    before = queued(store)
    centre.script.stall = [0.0, 1.5]  # the status answers; the first push answers too late
    result = client.sync_once(store, timeouts=(5, 0.5))
    assert not result.ok and result.error == "sync.timeout" and result.retry
    assert (result.pushed, result.pending) == (0, 71)
    assert queued(store) == before  # nothing settled without a reply
    assert store.scalar("SELECT batch_size FROM sync_state") == 20
    assert client.status(store)["last_error"]["code"] == "sync.timeout"
    # The centre had stored the batch; sending it again stores nothing twice.
    stored_first = dict(centre.script.held)
    assert len(stored_first) == 40
    result = client.sync_once(store, timeouts=(5, 5))
    assert result.ok and result.pushed == 71 and result.pending == 0
    assert len(centre.script.held) == 71
    assert client.status(store)["last_error"] is None
    assert integrity.check_store(store)["ok"]


def test_a_server_error_halves_the_batch_and_settles_nothing(backlog, centre):
    store = backlog.store
    configure(store, centre.url)
    centre.script.fail = [503]
    result = client.sync_once(store)
    assert not result.ok and result.error == "sync.server_error" and result.retry
    assert result.pending == 71 and result.parked == 0
    assert "503" in result.message_en and "Nothing is lost" in result.message_en
    assert store.scalar("SELECT batch_size FROM sync_state") == 25
    assert client.sync_once(store).pending == 0


def test_too_large_shrinks_until_it_fits_without_parking_anything(backlog, centre):
    store = backlog.store
    configure(store, centre.url)
    centre.script.largest = 12
    result = client.sync_once(store)
    assert result.ok and result.pushed == 71 and result.parked == 0
    accepted = [b for b in centre.script.batches if len(b) <= 12]
    assert sum(len(b) for b in accepted) == 71


def test_a_batch_over_the_centres_body_limit_is_split_before_it_is_sent(
    backlog, centre, monkeypatch
):
    store = backlog.store
    configure(store, centre.url)
    monkeypatch.setattr(client, "MAX_BODY", 900)  # the centre's 4 MiB, scaled to this backlog
    result = client.sync_once(store)
    assert result.ok and result.pushed == 71 and result.parked == 0
    assert max(centre.script.sizes) <= 900
    assert len(centre.script.sizes) > 3  # it really had to split


def test_one_poison_op_is_parked_and_the_rest_of_the_queue_drains(backlog, centre):
    store = backlog.store
    configure(store, centre.url)
    ops = queued(store)
    poison = ops[30]
    centre.script.poison = {poison["seq"]}
    result = client.sync_once(store)
    assert result.ok
    assert (result.pushed, result.parked, result.pending) == (70, 1, 0)
    [left] = queued(store)
    assert left["op_id"] == poison["op_id"] and left["state"] == "parked"
    assert "422" in left["last_error"] and "batch.digest" in left["last_error"]
    assert outbox.parked(store)[0]["reason"] == left["last_error"]
    assert len(centre.script.held) == 70 and poison["op_id"] not in centre.script.held
    # Found by halving, not by sending the ops one at a time.
    assert len(centre.script.batches) <= 15
    assert integrity.check_store(store)["ok"]
    # Sent again after a "fix", it is refused again and parked again.
    assert outbox.retry_parked(store) == 1
    again = client.sync_once(store)
    assert again.ok and again.parked == 1 and outbox.parked(store)[0]["attempts"] == 2
    centre.script.poison = set()
    outbox.retry_parked(store)
    assert client.sync_once(store).pushed == 1
    assert queued(store) == []


@pytest.mark.parametrize(
    ("status", "code"), [(401, "sync.unauthorized"), (403, "sync.refused"), (404, "sync.refused")]
)
def test_a_refusal_about_the_device_parks_nothing(backlog, centre, status, code):
    store = backlog.store
    configure(store, centre.url)
    before = queued(store)
    centre.script.fail = [status]
    result = client.sync_once(store)
    assert not result.ok and result.error == code and not result.retry
    assert queued(store) == before and len(centre.script.batches) == 1


def test_conflicts_and_rejects_in_a_reply_are_parked_with_their_reasons(backlog, centre):
    store = backlog.store
    configure(store, centre.url)
    ops = queued(store)
    centre.script.conflicts = {ops[3]["seq"]}
    centre.script.rejects = {ops[60]["seq"]}
    result = client.sync_once(store)
    assert result.ok and (result.pushed, result.parked, result.pending) == (69, 2, 0)
    assert [(p["op_id"], p["reason"]) for p in outbox.parked(store)] == [
        (ops[3]["op_id"], "conflict: conflict.content"),
        (ops[60]["op_id"], "rejected: op.office"),
    ]
    assert integrity.check_store(store)["ok"]


@pytest.mark.parametrize("fault", ["miscount", "unknown seq"])
def test_a_reply_that_does_not_account_for_the_batch_settles_nothing(backlog, centre, fault):
    store = backlog.store
    configure(store, centre.url)
    before = queued(store)
    if fault == "miscount":
        centre.script.miscount = True
    else:
        centre.script.conflicts = {10_000}  # never sent; made to appear in the reply below
        original = centre.script.push

        def push(body: Any) -> Reply:
            reply = original(body)
            value = json.loads(reply.body)
            value["conflicts"].append({"seq": 10_000, "op_id": "x", "reason": "?"})
            return Reply.json(200, value)

        centre.script.push = push  # type: ignore[method-assign]
    result = client.sync_once(store)
    assert not result.ok and result.error == "sync.bad_reply" and result.retry
    assert queued(store) == before


def test_the_centres_numbers_raise_the_floors(sync_counter, centre):
    store = sync_counter.store
    configure(store, centre.url)
    centre.script.numbers = {"receipt": {"2026": 40}, "tracking": {"261126": 17, "261125": 3}}
    result = client.sync_once(store)
    assert result.ok and result.floors_raised == 3
    r = service_requests.record_request(
        store, sync_counter.clerk, service_code="MOHA-BIRTH", citizen_name="A"
    )
    assert r["tracking"] == "VTE-SST-1-261126-0018"
    paid = visit(sync_counter)
    assert paid["receipt"] == "VTE-SST-1-2026-000041"
    # The floors are facts like any other: they travel to the centre too.
    assert result.floors_raised == store.scalar(
        "SELECT COUNT(*) FROM sequence_floors WHERE reason = 'centre'"
    )
    again = client.sync_once(store)
    assert again.floors_raised == 0
    assert integrity.check_store(store)["ok"]


@pytest.mark.parametrize(
    "numbers",
    [
        {"tracking": {"2026-11-26": 3}},
        {"receipt": {"2026": -1}},
        {"receipt": {"2026": "40"}},
        {"receipt": [1]},
        "lots",
    ],
)
def test_numbers_the_client_cannot_read_change_nothing(sync_counter, centre, numbers):
    store = sync_counter.store
    configure(store, centre.url)
    centre.script.numbers = numbers
    before = queued(store)
    result = client.sync_once(store)
    assert not result.ok and result.error == "sync.bad_reply"
    assert queued(store) == before and centre.script.batches == []


def test_a_centre_that_lost_acknowledged_ops_gets_them_again(backlog, centre):
    store = backlog.store
    configure(store, centre.url)
    ops = queued(store)
    assert client.sync_once(store).pushed == 71
    # The centre is restored from a backup that holds only the first 20 ops.
    centre.script.held = {op["op_id"]: op["seq"] for op in ops[:20]}
    result = client.sync_once(store)
    assert result.ok and result.requeued == 51 and result.pushed == 51
    assert centre.script.held == {op["op_id"]: op["seq"] for op in ops}
    assert store.scalar("SELECT acked_high_water FROM sync_state") == ops[-1]["seq"]
    assert integrity.check_store(store)["ok"]
