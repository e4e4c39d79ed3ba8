"""The fault proxy itself, proven against a tiny real HTTP server and `requests`.

The origin server counts every byte its sockets receive and send, so the proxy's counters can be
held to the byte, and it records which requests it handled in full (as a sync server commits a
batch before it answers).
"""

from __future__ import annotations

import contextlib
import io
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from tests.sync.proxy import (
    PASS,
    CutRequest,
    CutResponse,
    Delay,
    FaultProxy,
    OnlyFor,
    PassThrough,
    RandomFaults,
    Refuse,
    Throttle,
)


# -- the origin server ---------------------------------------------------------------------------
@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    connections: int = 0
    received: int = 0  # bytes read from its sockets
    sent: int = 0  # bytes written to its sockets
    handled: list[bytes] = field(default_factory=list)  # request bodies read in full
    partial: int = 0  # requests whose body ended early

    def add(self, name: str, n: int) -> None:
        with self.lock:
            setattr(self, name, getattr(self, name) + n)


class _CountingSocket(io.RawIOBase):
    def __init__(self, sock: socket.socket, tally: Tally) -> None:
        self._sock, self._tally = sock, tally

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        n = self._sock.recv_into(buffer)
        self._tally.add("received", n)
        return n


class _CountingWriter:
    def __init__(self, sock: socket.socket, tally: Tally) -> None:
        self._sock, self._tally = sock, tally

    def write(self, data: bytes) -> int:
        self._sock.sendall(data)
        self._tally.add("sent", len(data))
        return len(data)

    def flush(self) -> None:
        pass


class _Handler(BaseHTTPRequestHandler):
    """POST /echo answers with the body it read; GET /bytes/N answers N bytes."""

    protocol_version = "HTTP/1.1"  # keep-alive, as uvicorn
    timeout = 5
    server: _Origin

    def setup(self) -> None:
        super().setup()
        tally = self.server.tally
        tally.add("connections", 1)
        self.rfile = io.BufferedReader(_CountingSocket(self.connection, tally))
        self.wfile = _CountingWriter(self.connection, tally)  # type: ignore[assignment]

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        body = self.rfile.read(length)
        if len(body) < length:
            self.server.tally.add("partial", 1)
            self.close_connection = True
            return
        with self.server.tally.lock:
            self.server.tally.handled.append(body)
        self._answer(body)

    def do_GET(self) -> None:
        self._answer(b"x" * int(self.path.rsplit("/", 1)[1]))

    def _answer(self, body: bytes) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass  # quiet test output


class _Origin(ThreadingHTTPServer):
    request_queue_size = 512  # the many-connections test opens 200 at once
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.tally = Tally()

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # cut connections are the point here; the tally says what the server saw


@pytest.fixture
def origin() -> Iterator[_Origin]:
    server = _Origin()
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(5)


@pytest.fixture
def proxy(origin: _Origin) -> Iterator[FaultProxy]:
    with FaultProxy(origin.server_address[:2]) as p:
        yield p


def until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.005)


# -- pass-through and counting -------------------------------------------------------------------
def test_pass_through_counts_every_byte_both_ways(proxy: FaultProxy, origin: _Origin) -> None:
    with requests.Session() as session:
        for size in (0, 10, 70_000):
            reply = session.post(f"{proxy.url}/echo", data=b"a" * size, timeout=5)
            assert reply.status_code == 200 and reply.content == b"a" * size
        assert session.get(f"{proxy.url}/bytes/3000", timeout=5).content == b"x" * 3000
    until(lambda: proxy.bytes_up == origin.tally.received)
    assert proxy.bytes_down == origin.tally.sent
    assert proxy.bytes_up > 70_000 + 4 * 100  # bodies plus headers
    assert proxy.requests == 4 and proxy.connections == origin.tally.connections == 1


def test_counts_match_the_client_side_to_the_byte(proxy: FaultProxy) -> None:
    request = b"GET /bytes/1234 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    with socket.create_connection(("127.0.0.1", proxy.port), timeout=5) as sock:
        sock.sendall(request)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    assert received.endswith(b"x" * 1234)
    until(lambda: proxy.log[0].outcome == "closed")
    assert (proxy.bytes_up, proxy.bytes_down) == (len(request), len(received))
    record = proxy.log[0]
    assert (record.bytes_up, record.bytes_down, record.faults) == (
        len(request),
        len(received),
        [PASS],
    )


def test_reset_zeroes_counters_and_log(proxy: FaultProxy) -> None:
    assert requests.get(f"{proxy.url}/bytes/10", timeout=5).ok
    assert proxy.bytes_down > 0 and proxy.log
    proxy.reset()
    assert (proxy.bytes_up, proxy.bytes_down, proxy.connections, proxy.requests) == (0, 0, 0, 0)
    assert proxy.log == []


# -- faults --------------------------------------------------------------------------------------
def test_refuse_fails_fast_and_the_server_never_hears(proxy: FaultProxy, origin: _Origin) -> None:
    proxy.set_mode(Refuse())
    started = time.monotonic()
    with pytest.raises(requests.ConnectionError):
        requests.post(f"{proxy.url}/echo", data=b"hello", timeout=5)
    assert time.monotonic() - started < 1.0
    assert origin.tally.connections == 0 and proxy.bytes_up == 0
    assert proxy.log[0].outcome == "refused"


def test_cut_request_leaves_the_server_a_partial_request(
    proxy: FaultProxy, origin: _Origin
) -> None:
    proxy.set_mode(CutRequest(after=300))  # past the headers, inside the 5,000-byte body
    with pytest.raises(requests.ConnectionError):
        requests.post(f"{proxy.url}/echo", data=b"b" * 5000, timeout=5)
    until(lambda: origin.tally.partial == 1)
    assert origin.tally.received == proxy.bytes_up == 300
    assert origin.tally.handled == [] and proxy.bytes_down == 0
    assert proxy.log[0].outcome == "cut request"


def test_cut_request_at_zero_bytes_sends_the_server_nothing(
    proxy: FaultProxy, origin: _Origin
) -> None:
    proxy.set_mode(CutRequest(after=0))
    with pytest.raises(requests.ConnectionError):
        requests.post(f"{proxy.url}/echo", data=b"b" * 50, timeout=5)
    until(lambda: proxy.log[0].closed is not None)
    assert origin.tally.received == proxy.bytes_up == 0 and origin.tally.handled == []


def test_cut_response_after_the_server_handled_the_request(
    proxy: FaultProxy, origin: _Origin
) -> None:
    proxy.set_mode(CutResponse(after=0))
    with pytest.raises(requests.ConnectionError):
        requests.post(f"{proxy.url}/echo", data=b"commit me", timeout=5)
    assert origin.tally.handled == [b"commit me"]  # the server did the work...
    assert proxy.bytes_down == 0  # ...and the client heard nothing of it
    assert proxy.log[0].outcome == "cut response"


def test_cut_response_inside_the_body_delivers_exactly_that_much(
    proxy: FaultProxy, origin: _Origin
) -> None:
    proxy.set_mode(CutResponse(after=300))
    with pytest.raises(requests.RequestException):
        requests.get(f"{proxy.url}/bytes/5000", timeout=5)
    assert proxy.bytes_down == 300
    until(lambda: origin.tally.sent > 5000)  # the server sent all of it


def test_a_mode_switch_applies_to_a_kept_alive_connection(
    proxy: FaultProxy, origin: _Origin
) -> None:
    with requests.Session() as session:
        assert session.post(f"{proxy.url}/echo", data=b"1", timeout=5).ok
        proxy.set_mode(CutResponse())
        with pytest.raises(requests.ConnectionError):
            session.post(f"{proxy.url}/echo", data=b"2", timeout=5)
        proxy.set_mode(PASS)
        assert session.post(f"{proxy.url}/echo", data=b"3", timeout=5).ok
    assert origin.tally.handled == [b"1", b"2", b"3"]
    first, second = proxy.log
    assert first.faults == [PASS, CutResponse()] and first.outcome == "cut response"
    assert second.faults == [PASS]


def test_only_for_aims_a_fault_at_one_kind_of_request(proxy: FaultProxy, origin: _Origin) -> None:
    proxy.set_mode(OnlyFor("POST /echo", CutResponse()))
    with requests.Session() as session:
        assert session.get(f"{proxy.url}/bytes/7", timeout=5).content == b"x" * 7
        with pytest.raises(requests.ConnectionError):
            session.post(f"{proxy.url}/echo", data=b"pushed", timeout=5)
        assert session.get(f"{proxy.url}/bytes/8", timeout=5).ok
    assert origin.tally.handled == [b"pushed"]
    assert [r.faults for r in proxy.log] == [[PASS, CutResponse()], [PASS]]


def test_delay_adds_latency_each_way(proxy: FaultProxy) -> None:
    proxy.set_mode(Delay(one_way=0.2))
    with requests.Session() as session:
        started = time.monotonic()
        assert session.get(f"{proxy.url}/bytes/100", timeout=5).ok
        elapsed = time.monotonic() - started
    assert 0.4 <= elapsed < 0.4 + 0.25


@pytest.mark.parametrize(
    ("bits_per_second", "rtt", "size"),
    [(200_000, 0.2, 25_000), (50_000, 0.8, 2_000)],
    ids=["200kbit-25KB-each-way", "50kbit-800ms"],
)
def test_throttle_takes_the_time_the_bytes_need(
    proxy: FaultProxy, bits_per_second: int, rtt: float, size: int
) -> None:
    """An echo moves `size` bytes up, then back: the wire time of both plus one round trip."""
    proxy.set_mode(Throttle(bits_per_second, rtt))
    started = time.monotonic()
    reply = requests.post(f"{proxy.url}/echo", data=b"t" * size, timeout=30)
    elapsed = time.monotonic() - started
    assert reply.content == b"t" * size
    expected = (proxy.bytes_up + proxy.bytes_down) * 8 / bits_per_second + rtt
    assert expected * 0.8 <= elapsed <= expected * 1.2, (elapsed, expected)


def test_the_throttled_line_is_shared_by_connections(proxy: FaultProxy) -> None:
    """Two downloads at once take as long as both in a row: one district, one link."""
    proxy.set_mode(Throttle(400_000, 0.0))
    started = time.monotonic()
    threads = [
        threading.Thread(target=requests.get, args=(f"{proxy.url}/bytes/25000",)) for _ in range(2)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    expected = (proxy.bytes_up + proxy.bytes_down) * 8 / 400_000
    assert expected * 0.8 <= elapsed <= expected * 1.2, (elapsed, expected)


CHAOS = RandomFaults(
    seed=7,
    weights=((PASS, 2.0), (Refuse(), 1.0), (CutRequest(after=40), 1.0), (CutResponse(), 1.0)),
)


def _outcomes(url: str, n: int) -> list[str]:
    outcomes = []
    for i in range(n):
        try:
            requests.post(f"{url}/echo", data=f"op {i}".encode(), timeout=5).raise_for_status()
            outcomes.append("ok")
        except requests.ConnectionError:
            outcomes.append("error")
    return outcomes


def test_random_faults_are_seeded_and_do_what_they_picked(
    proxy: FaultProxy, origin: _Origin
) -> None:
    proxy.set_mode(CHAOS)
    outcomes = _outcomes(proxy.url, 40)
    picked = [record.faults[-1] for record in proxy.log]
    assert len(picked) == 40
    assert {type(f) for f in picked} == {PassThrough, Refuse, CutRequest, CutResponse}
    for fault, outcome in zip(picked, outcomes, strict=True):
        assert outcome == ("ok" if fault == PASS else "error"), fault
    # The server handled exactly the requests that passed, and those cut after it answered.
    handled = [f"op {i}".encode() for i, f in enumerate(picked) if f in (PASS, CutResponse())]
    assert origin.tally.handled == handled

    proxy.set_mode(CHAOS)  # the same seed again: the same faults in the same order
    proxy.reset()
    _outcomes(proxy.url, 40)
    assert [record.faults[-1] for record in proxy.log] == picked


def test_an_absent_server_looks_like_a_dead_link_and_a_new_target_heals_it(
    origin: _Origin,
) -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        dead = unused.getsockname()
    with FaultProxy(dead) as proxy:
        with pytest.raises(requests.ConnectionError):
            requests.get(f"{proxy.url}/bytes/1", timeout=5)
        assert proxy.log[0].outcome == "no upstream"
        proxy.target = origin.server_address[:2]
        assert requests.get(f"{proxy.url}/bytes/1", timeout=5).content == b"x"


def test_two_hundred_connections_at_once(proxy: FaultProxy, origin: _Origin) -> None:
    results: list[bool] = []
    barrier = threading.Barrier(200)

    def one(i: int) -> None:
        barrier.wait()
        reply = requests.post(f"{proxy.url}/echo", data=str(i).encode(), timeout=20)
        results.append(reply.content == str(i).encode())

    threads = [threading.Thread(target=one, args=(i,)) for i in range(200)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [True] * 200
    assert proxy.connections == origin.tally.connections == 200


def test_close_resets_open_connections_and_stops_listening(origin: _Origin) -> None:
    proxy = FaultProxy(origin.server_address[:2])
    sock = socket.create_connection(("127.0.0.1", proxy.port), timeout=5)
    sock.sendall(b"GET /bytes/5 HTTP/1.1\r\nHost: x\r\n\r\n")  # kept alive by the server
    received = b""
    while not received.endswith(b"xxxxx"):
        received += sock.recv(1000)
    proxy.close()
    proxy.close()  # twice is harmless
    with contextlib.suppress(ConnectionResetError):  # a reset is a close too
        assert sock.recv(1000) == b""
    sock.close()
    assert proxy.log[0].outcome == "shutdown"
    assert not any(t.name == "fault-proxy" and t.is_alive() for t in threading.enumerate())
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", proxy.port), timeout=5).close()


def test_random_mode_rejects_weights_that_cannot_be_drawn(proxy: FaultProxy) -> None:
    with pytest.raises(ValueError):
        proxy.set_mode(RandomFaults(seed=1, weights=((PASS, 0.0),)))
    with pytest.raises(ValueError):
        proxy.set_mode(RandomFaults(seed=1, weights=((PASS, 1.0), (Refuse(), -1.0))))
    with pytest.raises(ValueError):
        proxy.set_mode(OnlyFor("POST", RandomFaults(seed=1, weights=())))
    assert proxy.mode == PASS
