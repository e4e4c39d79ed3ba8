"""Bad input to every endpoint gets a 4xx problem body and changes nothing."""

import asyncio
import gzip
import json
import socket
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
import requests

from odsc_desk.domain import cash
from sync import protocol
from sync.protocol import Op
from sync.server.app import BodyLimit
from sync.server.db import writing
from sync.server.enrollment import revoke
from tests.conftest import Counter, FakeClock
from tests.sync.conftest import (
    LiveServer,
    assert_problem,
    count_rows,
    enroll_counter,
    get,
    make_office_counter,
    outbox_ops,
    post_raw,
    push,
    visit,
)

GET_ENDPOINTS = [
    protocol.STATUS,
    protocol.REFERENCE,
    f"{protocol.REPORTS}/offices",
    f"{protocol.REPORTS}/offices/VTE-SST",
    f"{protocol.REPORTS}/offices/VTE-SST/days/2026-11-26",
    f"{protocol.REPORTS}/provinces/VTE",
]


@dataclass
class Enrolled:
    server: LiveServer
    counter: Counter
    token: str
    device_id: str


@pytest.fixture(scope="module")
def enrolled(shared_server, tmp_path_factory):
    """A server (shared by this module: every test here checks it changed nothing) with one
    enrolled counter that has pushed a visit."""
    counter = make_office_counter(tmp_path_factory.mktemp("counter"), FakeClock())
    cash.open_cash(counter.store, counter.clerk, 0)
    token = enroll_counter(shared_server, counter)
    visit(counter)
    device_id = counter.store.office["device_id"]
    assert push(shared_server.url, token, device_id, outbox_ops(counter)).status_code == 200
    yield Enrolled(shared_server, counter, token, device_id)
    counter.store.close()


def _raw(url: str, head: str, body_chunks=(), *, timeout=20.0) -> tuple[int, dict, bytes]:
    """Send a hand-made HTTP/1.1 request (headers a client library would not send) and read the
    answer until the server closes the connection."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=timeout) as sock:
        sock.sendall(head.replace("\n", "\r\n").encode() + b"\r\n")
        for chunk in body_chunks:
            sock.sendall(chunk)
        data = b""
        while b"\r\n\r\n" not in data or not _complete(data):
            more = sock.recv(65536)
            if not more:
                break
            data += more
    header_block, _, body = data.partition(b"\r\n\r\n")
    lines = header_block.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.strip().lower(): v.strip() for k, v in (h.split(":", 1) for h in lines[1:])}
    return status, headers, body


def _complete(data: bytes) -> bool:
    head, _, body = data.partition(b"\r\n\r\n")
    for line in head.decode("latin-1").split("\r\n")[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            return len(body) >= int(value)
    return False


def _push_body(token_device, ops):
    return json.dumps(protocol.encode_batch(token_device, ops)).encode()


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (b"{not json", 400, "body.json"),
        (b"\xff\xfe\x00garbage", 400, "body.json"),
        (b"[" * 100_000, 400, "body.json"),
        (b'{"v": 1, "seq": ' + b"9" * 5000 + b"}", 400, "body.json"),
        (b"[]", 422, "batch.shape"),
        (b"null", 422, "batch.shape"),
        (b'{"v": 2, "device": "d", "digest": "", "ops": {}}', 422, "batch.version"),
        (b'{"v": 1, "device": 7, "digest": "", "ops": {}}', 422, "batch.shape"),
        (b'{"v": 1, "device": "D", "digest": "", "ops": []}', 422, "batch.shape"),
        (b'{"v": 1, "device": "D", "digest": "", "ops": {"users": {}}}', 422, "batch.entity"),
        (
            b'{"v": 1, "device": "D", "digest": "", "ops": {"requests": {"cols": ["x"], '
            b'"rows": []}}}',
            422,
            "batch.columns",
        ),
        (
            b'{"v": 1, "device": "D", "digest": "", "ops": {"feedback": {"cols": [], '
            b'"rows": "abc"}}}',
            422,
            "batch.shape",
        ),
        (
            b'{"v": 1, "device": "D", "digest": "", "ops": {"feedback": {"cols": [], '
            b'"rows": [[true]]}}}',
            422,
            "batch.seq",
        ),
        (
            b'{"v": 1, "device": "D", "digest": "", "ops": {"feedback": {"cols": [], '
            b'"rows": [[1], [1]]}}}',
            422,
            "batch.seq",
        ),
    ],
)
def test_a_push_that_is_not_a_batch_is_refused(enrolled, body, status, code):
    server, token = enrolled.server, enrolled.token
    before = count_rows(server.engine)
    assert_problem(post_raw(server.url + protocol.PUSH, token, body), status, code)
    gzipped = protocol.gzip_body(body)
    sent = post_raw(server.url + protocol.PUSH, token, gzipped, {"Content-Encoding": "gzip"})
    assert_problem(sent, status, code)
    assert count_rows(server.engine) == before


def test_a_body_labelled_gzip_that_is_not_is_refused(enrolled):
    server, token, device_id = enrolled.server, enrolled.token, enrolled.device_id
    before = count_rows(server.engine)
    body = _push_body(device_id, outbox_ops(enrolled.counter))
    sent = post_raw(server.url + protocol.PUSH, token, body, {"Content-Encoding": "gzip"})
    assert_problem(sent, 400, "body.gzip")
    sent = post_raw(server.url + protocol.PUSH, token, body, {"Content-Encoding": "br"})
    assert_problem(sent, 415, "body.encoding")
    assert count_rows(server.engine) == before


def test_a_gzip_bomb_is_refused_before_it_inflates(enrolled):
    server, token = enrolled.server, enrolled.token
    bomb = gzip.compress(b"\x00" * (protocol.MAX_INFLATED + 1024 * 1024), compresslevel=9)
    assert len(bomb) < protocol.MAX_BODY / 10
    before = count_rows(server.engine)
    sent = post_raw(server.url + protocol.PUSH, token, bomb, {"Content-Encoding": "gzip"})
    assert_problem(sent, 413, "body.too_large")
    assert count_rows(server.engine) == before


def test_too_many_ops_in_one_push_are_refused(enrolled):
    server, token, device_id = enrolled.server, enrolled.token, enrolled.device_id
    feedback = {"request_id": "r", "rating": 5, "at": "2026-11-26T02:00:00.000000Z", "by": "u"}
    ops = [Op(n, "feedback", {**feedback, "id": f"f{n}"}) for n in range(1, protocol.MAX_OPS + 2)]
    before = count_rows(server.engine)
    assert_problem(push(server.url, token, device_id, ops), 413, "batch.too_many")
    assert count_rows(server.engine) == before


@pytest.mark.parametrize("path", [protocol.PUSH, protocol.ENROLL])
def test_a_declared_huge_body_is_refused_without_reading_it(enrolled, path):
    server, token = enrolled.server, enrolled.token
    before = count_rows(server.engine)
    status, headers, body = _raw(
        server.url,
        f"POST {path} HTTP/1.1\nHost: x\nAuthorization: Bearer {token}\n"
        f"Content-Type: application/json\nContent-Length: {50 * protocol.MAX_BODY}\n",
    )  # no body is sent at all: the answer must come from the header alone
    assert status == 413
    assert headers["content-type"] == "application/problem+json"
    assert json.loads(body)["code"] == "body.too_large"
    assert count_rows(server.engine) == before


def test_a_streamed_body_is_cut_off_at_the_limit(enrolled):
    server, token = enrolled.server, enrolled.token
    chunk = b"x" * 65536
    chunks = [b"%x\r\n%s\r\n" % (len(chunk), chunk)] * (protocol.MAX_BODY // len(chunk) + 2)
    before = count_rows(server.engine)
    status, _, body = _raw(
        server.url,
        f"POST {protocol.PUSH} HTTP/1.1\nHost: x\nAuthorization: Bearer {token}\n"
        "Transfer-Encoding: chunked\n",
        chunks,  # the final empty chunk is never sent: the server must not wait for it
    )
    assert status == 413
    assert json.loads(body)["code"] == "body.too_large"
    assert count_rows(server.engine) == before


def test_a_content_length_that_is_not_a_number_is_refused(enrolled):
    """uvicorn's HTTP parser refuses it (plain-text 400) before the app; the app's own check
    covers ASGI servers that pass such a header on."""
    server, token = enrolled.server, enrolled.token
    before = count_rows(server.engine)
    status, _, _ = _raw(
        server.url,
        f"POST {protocol.PUSH} HTTP/1.1\nHost: x\nAuthorization: Bearer {token}\n"
        "Content-Length: 12abc\nConnection: close\n",
    )
    assert status == 400
    assert count_rows(server.engine) == before
    sent = []

    async def app(scope, receive, send):
        raise AssertionError("the app must not be reached")

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "headers": [(b"content-length", b"12abc")], "method": "POST"}
    # In a thread of its own: Playwright's sync API (tests/web) keeps an event loop running in
    # this one for the session, whatever test ran before.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, BodyLimit(app, protocol.MAX_BODY)(scope, receive, send)).result()
    assert sent[0]["status"] == 400
    assert json.loads(sent[1]["body"])["code"] == "body.length"


def test_rows_with_a_nul_or_a_lone_surrogate_are_rejected_alone(enrolled):
    server, token, device_id = enrolled.server, enrolled.token, enrolled.device_id
    visit(enrolled.counter)
    fresh = outbox_ops(enrolled.counter)[-2:]  # the request and payment just made
    request = next(op for op in fresh if op.entity == "requests")
    top = fresh[-1].seq
    nul = Op(top + 1, "requests", {**request.row, "id": "nul", "village": "a\x00b"})
    batch = protocol.encode_batch(device_id, [*fresh, nul])
    # A lone surrogate has no UTF-8 form, so no digest: JSON can still spell it as an escape.
    group = batch["ops"]["requests"]
    lone = dict(zip(group["cols"], group["rows"][0][1:], strict=True))
    lone.update(id="lone", citizen_name="\ud800")
    group["rows"].append([top + 2, *lone.values()])
    body = json.dumps(batch).encode()
    assert b"\\ud800" in body
    reply = post_raw(server.url + protocol.PUSH, token, body)
    assert reply.status_code == 200, reply.text
    assert [(r["op_id"], r["reason"]) for r in reply.json()["rejected"]] == [
        ("nul", "row.type:village"),
        ("lone", "row.type:citizen_name"),
    ]
    assert reply.json()["stored"] == 2


@pytest.mark.parametrize(
    "number", ["NaN", "Infinity", "1e400", "1" + "0" * 30], ids=["nan", "inf", "huge-float", "huge"]
)
def test_a_row_with_a_number_json_allows_and_no_column_takes_is_rejected_alone(enrolled, number):
    """The body is read by orjson, and what orjson refuses (NaN, numbers past 64 bits) by the
    json module as before: such a row is refused on its own, and the rest of the push stored."""
    server, token, device_id = enrolled.server, enrolled.token, enrolled.device_id
    visit(enrolled.counter)
    fresh = outbox_ops(enrolled.counter)[-2:]  # the request and payment just made
    request = next(op for op in fresh if op.entity == "requests")
    odd = Op(fresh[-1].seq + 1, "requests", {**request.row, "id": "odd", "fee": 7777777})
    body = json.dumps(protocol.encode_batch(device_id, [*fresh, odd])).encode()
    assert body.count(b"7777777") == 1
    reply = post_raw(server.url + protocol.PUSH, token, body.replace(b"7777777", number.encode()))
    assert reply.status_code == 200, reply.text
    assert [(r["op_id"], r["reason"]) for r in reply.json()["rejected"]] == [
        ("odd", "row.type:fee")
    ]
    assert reply.json()["stored"] == 2


@pytest.mark.parametrize("path", GET_ENDPOINTS)
def test_every_endpoint_needs_a_valid_token(enrolled, path):
    server, token = enrolled.server, enrolled.token
    url = server.url + path
    before = count_rows(server.engine)
    assert_problem(get(url, None), 401, "auth.missing")
    assert_problem(requests.get(url, headers={"Authorization": f"Basic {token}"}), 401)
    assert_problem(get(url, token + "x"), 401, "auth.invalid")
    assert_problem(get(url, "' OR 1=1 --"), 401, "auth.invalid")
    lao = {"Authorization": "Bearer ໂທເຄັນ".encode()}  # not Latin-1: sent as raw UTF-8 bytes
    assert_problem(requests.get(url, headers=lao, timeout=10), 401, "auth.invalid")
    assert count_rows(server.engine) == before


def test_a_revoked_token_is_refused_by_every_endpoint(live_server, sync_counter):
    token = enroll_counter(live_server, sync_counter)
    device_id = sync_counter.store.office["device_id"]
    visit(sync_counter)
    with writing(live_server.engine) as conn:
        revoke(conn, device_id, live_server.clock())
    before = count_rows(live_server.engine)
    for path in GET_ENDPOINTS:
        assert_problem(get(live_server.url + path, token), 401, "auth.revoked")
    reply = push(live_server.url, token, device_id, outbox_ops(sync_counter))
    assert_problem(reply, 401, "auth.revoked")
    assert count_rows(live_server.engine) == before


def test_a_push_needs_a_valid_token(enrolled):
    server, device_id = enrolled.server, enrolled.device_id
    visit(enrolled.counter)
    ops = outbox_ops(enrolled.counter)
    before = count_rows(server.engine)
    assert_problem(push(server.url, None, device_id, ops), 401, "auth.missing")
    assert_problem(push(server.url, "nope", device_id, ops), 401, "auth.invalid")
    assert_problem(push(server.url, server.viewer_token(), device_id, ops), 403)
    assert count_rows(server.engine)["ops"] == before["ops"]


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/api/v1/nothing-here", 404),
        ("GET", "/api/v2/sync/push", 404),
        ("GET", protocol.PUSH, 405),
        ("DELETE", protocol.STATUS, 405),
        ("PUT", protocol.ENROLL, 405),
    ],
)
def test_unknown_paths_and_methods_get_problem_bodies(shared_server, method, path, status):
    reply = requests.request(method, shared_server.url + path, timeout=10)
    assert_problem(reply, status)


def test_malformed_json_to_enroll_is_refused(shared_server):
    shared_server.enroll_code("VTE-SST", 1)
    before = count_rows(shared_server.engine)
    reply = requests.post(
        shared_server.url + protocol.ENROLL,
        data=b'{"code": "x", ',
        headers={"Content-Type": "application/json"},
        timeout=10,
    )
    assert_problem(reply, 422, "request.invalid")
    assert count_rows(shared_server.engine) == before
