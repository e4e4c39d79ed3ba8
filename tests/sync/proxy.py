"""A fault-injecting TCP proxy for the sync tests: a district's bad link, on loopback.

The proxy listens on 127.0.0.1 and forwards to one target. Its *mode* says what happens to each
HTTP exchange (one request and its reply) that crosses it: pass through, refuse, cut the request
before the server has all of it, cut the reply after the server has committed and answered,
delay, or throttle to a bandwidth with a round-trip latency. A seeded random mode draws one of
those per exchange, and OnlyFor aims a mode at requests whose request line starts a given way
(the pushes, say, and not the status calls before them).

The mode can be switched at any time from any thread. It is read when an exchange's first
request bytes arrive, so a switch applies to the next request even on a kept-alive connection
(requests' Session reuses its connections: a fault picked once per connection would stop
applying after the first success). The server is connected to only then, so a refused request
never reaches it. An exchange starts with the first request byte the client sends after it has
been given reply bytes: HTTP/1.1 clients (requests, urllib3) never pipeline, so this is exact
for them.

Byte counters count what the proxy delivered to the other side (headers included): after a cut
they say exactly how much of the request reached the server, or of the reply reached the client.

Everything runs on one asyncio loop in a background thread, so 200 concurrent counters cost 200
coroutines, not 800 threads.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import random
import socket
import struct
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from types import TracebackType

CHUNK = 16 * 1024  # bytes read from a socket at a time
HEAD = 256  # request bytes read before picking a fault, unless the request line ends sooner
SLICE = 1024  # a throttled chunk goes out in slices this size, so the first bytes arrive early
QUEUE_CHUNKS = 16  # chunks read ahead per direction: the proxy's "send buffer"


# -- faults --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PassThrough:
    """Bytes go through untouched."""


@dataclass(frozen=True)
class Refuse:
    """The client's connection is reset (an RST) as soon as its request starts; the server
    never hears of it."""


@dataclass(frozen=True)
class CutRequest:
    """The server gets the first `after` bytes of the request, then both sides are cut.

    With `after` at or beyond the request's length the whole request passes and nothing is cut.
    """

    after: int


@dataclass(frozen=True)
class CutResponse:
    """The whole request reaches the server; once the server answers, the client gets only the
    first `after` bytes of the reply before the cut. The server answers only after its work is
    done, so with after=0 the server committed and the client never learns it."""

    after: int = 0


@dataclass(frozen=True)
class Delay:
    """Every chunk arrives `one_way` seconds after it was sent, in both directions."""

    one_way: float


@dataclass(frozen=True)
class Throttle:
    """A line of `bits_per_second` each way with a round-trip time of `rtt` seconds.

    Modelled as a line per direction that serialises one byte at a time (a token bucket with no
    burst) plus a one-way delay of rtt/2 per chunk, so moving B bytes one way takes
    B*8/bits_per_second + rtt/2 seconds. The line is the proxy's, shared by its connections, as
    a district's link is.
    """

    bits_per_second: float
    rtt: float = 0.0


Fault = PassThrough | Refuse | CutRequest | CutResponse | Delay | Throttle


@dataclass(frozen=True)
class RandomFaults:
    """Per exchange, one of the faults drawn with the given weights from random.Random(seed)."""

    seed: int
    weights: Sequence[tuple[Fault, float]]


@dataclass(frozen=True)
class OnlyFor:
    """`mode` for exchanges whose request line starts with `prefix` (e.g. "POST /api/v1/sync/push");
    every other exchange passes through."""

    prefix: str
    mode: Fault | RandomFaults


Mode = Fault | RandomFaults | OnlyFor

PASS = PassThrough()


# -- records -------------------------------------------------------------------------------------
@dataclass
class ConnectionRecord:
    """One client connection: the fault of each of its exchanges, the bytes it moved and how it
    ended ("open", "closed", "refused", "cut request", "cut response", "reset", "no upstream",
    "shutdown")."""

    number: int
    opened: float  # time.monotonic()
    closed: float | None = None
    faults: list[Fault] = field(default_factory=list)
    bytes_up: int = 0  # delivered to the server
    bytes_down: int = 0  # delivered to the client
    outcome: str = "open"


class _Cut(Exception):
    def __init__(self, outcome: str) -> None:
        super().__init__(outcome)
        self.outcome = outcome


_EOF = object()


@dataclass
class _Line:
    """One direction of the shared link: when it has finished sending what it was given."""

    free_at: float = 0.0


class _Connection:
    def __init__(self, record: ConnectionRecord) -> None:
        self.record = record
        self.fault: Fault = PASS  # the current exchange's
        self.read_up = 0  # request bytes read from the client in this exchange
        self.read_down = 0  # reply bytes read from the server in this exchange
        self.delivered_down = 0  # reply bytes delivered to the client in this exchange


UP, DOWN = "up", "down"


class FaultProxy:
    """The proxy. Use as a context manager, or call close()."""

    def __init__(self, target: tuple[str, int], mode: Mode = PASS) -> None:
        self._target = target
        self._lock = threading.Lock()
        self._mode: Mode = PASS
        self._rng = random.Random(0)
        self.set_mode(mode)
        self._bytes = {UP: 0, DOWN: 0}
        self._connections = 0
        self._requests = 0
        self._log: list[ConnectionRecord] = []
        self._lines = {UP: _Line(), DOWN: _Line()}
        self._tasks: set[asyncio.Task[None]] = set()
        self._closed = False
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="fault-proxy")
        self._thread.daemon = True  # a failing test must not hang the interpreter at exit
        self._thread.start()
        try:
            self._server = asyncio.run_coroutine_threadsafe(self._listen(), self._loop).result(10)
        except BaseException:
            self._stop_loop()
            raise
        self.port: int = self._server.sockets[0].getsockname()[1]

    # -- public --------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def target(self) -> tuple[str, int]:
        with self._lock:
            return self._target

    @target.setter
    def target(self, target: tuple[str, int]) -> None:
        """Point new connections elsewhere (a restarted server on another port)."""
        with self._lock:
            self._target = target

    @property
    def mode(self) -> Mode:
        with self._lock:
            return self._mode

    def set_mode(self, mode: Mode) -> None:
        """Switch the fault; it applies from the next exchange on, on every connection."""
        chance = mode.mode if isinstance(mode, OnlyFor) else mode
        if isinstance(chance, RandomFaults) and (
            any(w < 0 for _, w in chance.weights) or sum(w for _, w in chance.weights) <= 0
        ):
            raise ValueError("RandomFaults needs non-negative weights that add up to more than 0")
        with self._lock:
            self._mode = mode
            if isinstance(chance, RandomFaults):
                self._rng = random.Random(chance.seed)

    @property
    def bytes_up(self) -> int:
        """Bytes delivered to the server, since the start or the last reset()."""
        with self._lock:
            return self._bytes[UP]

    @property
    def bytes_down(self) -> int:
        """Bytes delivered to the client, since the start or the last reset()."""
        with self._lock:
            return self._bytes[DOWN]

    @property
    def connections(self) -> int:
        """Client connections accepted (refused ones included)."""
        with self._lock:
            return self._connections

    @property
    def requests(self) -> int:
        """Exchanges begun: requests whose first byte reached the proxy (round trips)."""
        with self._lock:
            return self._requests

    @property
    def log(self) -> list[ConnectionRecord]:
        """A copy of the per-connection records, oldest first."""
        with self._lock:
            return [dataclasses.replace(r, faults=list(r.faults)) for r in self._log]

    def reset(self) -> None:
        """Zero the counters and forget the log (connections still open count on afresh)."""
        with self._lock:
            self._bytes = {UP: 0, DOWN: 0}
            self._connections = 0
            self._requests = 0
            self._log = []

    def close(self) -> None:
        """Stop listening, reset every open connection and join the proxy's thread."""
        if self._closed:
            return
        self._closed = True
        try:
            asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(10)
        finally:
            self._stop_loop()

    def __enter__(self) -> FaultProxy:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # -- loop side -----------------------------------------------------------------------------
    def _stop_loop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()

    async def _listen(self) -> asyncio.Server:
        # A deep backlog: 200 counters may connect in the same instant.
        return await asyncio.start_server(self._serve, "127.0.0.1", 0, backlog=1024)

    async def _shutdown(self) -> None:
        self._server.close()
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await self._server.wait_closed()

    def _pick(self, head: bytes) -> Fault:
        """The fault for an exchange whose request begins with `head`."""
        with self._lock:
            mode = self._mode
            if isinstance(mode, OnlyFor):
                if not head.startswith(mode.prefix.encode()):
                    return PASS
                mode = mode.mode
            if isinstance(mode, RandomFaults):
                faults = [f for f, _ in mode.weights]
                weights = [w for _, w in mode.weights]
                return self._rng.choices(faults, weights)[0]
            return mode

    def _begin_exchange(self, conn: _Connection, head: bytes) -> None:
        conn.fault = self._pick(head)
        conn.read_up = conn.read_down = conn.delivered_down = 0
        with self._lock:
            conn.record.faults.append(conn.fault)
            self._requests += 1

    async def _serve(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        with self._lock:
            self._connections += 1
            record = ConnectionRecord(self._connections, time.monotonic())
            self._log.append(record)
            target = self._target
        conn = _Connection(record)
        server_w: asyncio.StreamWriter | None = None
        graceful = False
        try:
            head = await _head(client_r, b"")
            if head:
                self._begin_exchange(conn, head)
                if isinstance(conn.fault, Refuse):
                    raise _Cut("refused")
                try:
                    server_r, server_w = await asyncio.open_connection(*target)
                except OSError as exc:
                    raise _Cut("no upstream") from exc
                await self._pump(conn, head, client_r, client_w, server_r, server_w)
            record.outcome = "closed"
            graceful = True
        except _Cut as cut:
            record.outcome = cut.outcome
        except OSError:
            record.outcome = "reset"
        except asyncio.CancelledError:
            # close() cancels this task; ending it cancelled would make Python 3.11's
            # start_server callback log a spurious "Exception in callback" (fixed in 3.12).
            record.outcome = "shutdown"
        finally:
            record.closed = time.monotonic()
            self._tasks.discard(task)
            if graceful:
                client_w.close()
            else:
                _reset(client_w)
            if server_w is not None:
                # Graceful even after a cut: what was delivered before the cut must reach the
                # server, which then sees the request end early.
                server_w.close()

    async def _pump(
        self,
        conn: _Connection,
        head: bytes,
        client_r: asyncio.StreamReader,
        client_w: asyncio.StreamWriter,
        server_r: asyncio.StreamReader,
        server_w: asyncio.StreamWriter,
    ) -> None:
        """Move bytes both ways until both sides have closed, or raise how it ended early."""
        up: asyncio.Queue[object] = asyncio.Queue(QUEUE_CHUNKS)
        down: asyncio.Queue[object] = asyncio.Queue(QUEUE_CHUNKS)
        tasks = [
            asyncio.create_task(self._read_requests(conn, head, client_r, up)),
            asyncio.create_task(self._send(conn, up, server_w, UP)),
            asyncio.create_task(self._read_replies(conn, server_r, down)),
            asyncio.create_task(self._send(conn, down, client_w, DOWN)),
        ]
        try:
            done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
        finally:
            for t in tasks:
                t.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        errors = [t.exception() for t in done if t.exception() is not None]
        # A cut explains the resets it causes on the other side: report the cut.
        errors.sort(key=lambda e: not isinstance(e, _Cut))
        if errors:
            raise errors[0]

    async def _read_requests(
        self,
        conn: _Connection,
        data: bytes,
        reader: asyncio.StreamReader,
        queue: asyncio.Queue[object],
    ) -> None:
        """Client to server, from the first exchange's head on."""
        loop = asyncio.get_running_loop()
        while data:
            arrived = loop.time()
            data, cut = self._request_bytes(conn, data)
            if data:
                await queue.put((arrived, conn.fault, data))
            if cut:
                await queue.put(_Cut(cut))
                return
            data = await reader.read(CHUNK)
            if data and conn.delivered_down:  # the reply is in: this is the next request
                data = await _head(reader, data)
                self._begin_exchange(conn, data)
        await queue.put(_EOF)

    async def _read_replies(
        self, conn: _Connection, reader: asyncio.StreamReader, queue: asyncio.Queue[object]
    ) -> None:
        """Server to client."""
        loop = asyncio.get_running_loop()
        while data := await reader.read(CHUNK):
            arrived = loop.time()
            data, cut = self._reply_bytes(conn, data)
            if data:
                await queue.put((arrived, conn.fault, data))
            if cut:
                await queue.put(_Cut(cut))
                return
        await queue.put(_EOF)

    def _request_bytes(self, conn: _Connection, data: bytes) -> tuple[bytes, str | None]:
        """What of these request bytes goes on, and whether the connection is cut after them."""
        fault = conn.fault
        if isinstance(fault, Refuse):
            return b"", "refused"
        room = fault.after - conn.read_up if isinstance(fault, CutRequest) else len(data)
        conn.read_up += len(data)
        if len(data) > room:
            return data[:room], "cut request"
        return data, None

    def _reply_bytes(self, conn: _Connection, data: bytes) -> tuple[bytes, str | None]:
        fault = conn.fault
        room = fault.after - conn.read_down if isinstance(fault, CutResponse) else len(data)
        conn.read_down += len(data)
        if len(data) > room:
            return data[:room], "cut response"
        return data, None

    async def _send(
        self,
        conn: _Connection,
        queue: asyncio.Queue[object],
        writer: asyncio.StreamWriter,
        direction: str,
    ) -> None:
        loop = asyncio.get_running_loop()
        line = self._lines[direction]
        while True:
            item = await queue.get()
            if item is _EOF:
                if writer.can_write_eof():
                    with contextlib.suppress(OSError):  # the peer may be gone already
                        writer.write_eof()
                return
            if isinstance(item, _Cut):
                raise item
            arrived, fault, data = item  # type: ignore[misc]
            for piece, due in _schedule(line, arrived, fault, data):
                wait = due - loop.time()
                if wait > 0:
                    await asyncio.sleep(wait)
                # Counted before the write: the peer may read the bytes before drain() returns,
                # and a test that has read them must find them counted.
                self._count(conn, direction, len(piece))
                writer.write(piece)
                await writer.drain()

    def _count(self, conn: _Connection, direction: str, n: int) -> None:
        with self._lock:
            self._bytes[direction] += n
            if direction == UP:
                conn.record.bytes_up += n
            else:
                conn.record.bytes_down += n
                conn.delivered_down += n


def _schedule(
    line: _Line, arrived: float, fault: Fault, data: bytes
) -> Iterator[tuple[bytes, float]]:
    """The pieces of a chunk and when each is due at the far end.

    Lazy on purpose: a throttled piece takes its turn on the shared line only when the previous
    one has gone, so connections sharing the line interleave as on a real link.
    """
    if isinstance(fault, Throttle):
        rate = fault.bits_per_second / 8
        for start in range(0, len(data), SLICE):
            piece = data[start : start + SLICE]
            line.free_at = max(arrived, line.free_at) + len(piece) / rate
            yield piece, line.free_at + fault.rtt / 2
    elif isinstance(fault, Delay):
        yield data, arrived + fault.one_way
    else:
        yield data, arrived


async def _head(reader: asyncio.StreamReader, data: bytes) -> bytes:
    """`data` and what follows it, until the request line is complete (or HEAD bytes, or the
    end): enough to pick a fault by the request line. Empty when the client closed at once."""
    while b"\r\n" not in data and len(data) < HEAD:
        more = await reader.read(CHUNK)
        if not more:
            break
        data += more
    return data


def _reset(writer: asyncio.StreamWriter) -> None:
    """Close with an RST, as a dropped link or a refusing firewall looks to the client."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()
