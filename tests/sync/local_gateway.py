"""A small SMS gateway on loopback, for the message tests.

No real gateway can be reached from here, so the tests run this one: a real HTTP server on
127.0.0.1 speaking the shape sync/server/sms_gateway.py posts in. It keeps every request it was
sent (body and headers) and answers from a script the test sets: a status (and, for a 2xx, the
id it gives the message), or a pause longer than the sender's timeout. Nothing else in these
tests stands in for anything.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Answer:
    status: int = 200
    pause: float = 0.0  # seconds before answering: a timeout at the sender


@dataclass
class LocalGateway:
    url: str = ""
    received: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    # Answers for the next posts, in order; once used up, every post is taken (200).
    script: list[Answer] = field(default_factory=list)
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def next_answer(self) -> tuple[Answer, str]:
        with self._lock:
            answer = self.script.pop(0) if self.script else Answer()
            return answer, f"gw-{next(self._ids)}"


def _handler(gateway: LocalGateway) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length))
            answer, gateway_id = gateway.next_answer()
            with gateway._lock:
                gateway.received.append(body)
                gateway.headers.append(dict(self.headers.items()))
            if answer.pause:
                time.sleep(answer.pause)  # the gateway being slow is what is tested
            if 200 <= answer.status < 300:
                reply = {"id": gateway_id, "status": "accepted"}
            else:
                reply = {"error": f"scripted {answer.status}"}
            data = json.dumps(reply).encode()
            try:
                self.send_response(answer.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):  # the sender gave up waiting
                pass

        def log_message(self, format: str, *args: Any) -> None:
            pass  # quiet test output

    return Handler


@contextmanager
def local_gateway() -> Iterator[LocalGateway]:
    gateway = LocalGateway()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(gateway))
    server.daemon_threads = True
    gateway.url = f"http://127.0.0.1:{server.server_address[1]}/sms"
    thread = threading.Thread(target=server.serve_forever, daemon=True, name="local-gateway")
    thread.start()
    try:
        yield gateway
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
