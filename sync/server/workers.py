"""`odsc-server serve --workers N`: N processes, each accepting on a socket of its own.

uvicorn's own supervisor hands every worker the one listening socket, and asyncio accepts every
connection waiting on it at once in whichever process wakes first: fifty counters pushing
together landed mostly on one worker while the other idled, and the push rate of two processes
was barely that of one (measured in tests/bench/test_centre_bench.py). Here each worker listens
on its own SO_REUSEPORT socket of the same port, and Linux spreads new connections across the
sockets by a hash of their addresses, so each process gets its share of the counters.

The parent only supervises: it starts the workers, starts a new one on the same socket if one
dies, and stops them all on SIGTERM or SIGINT.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import signal
import socket
import threading
from multiprocessing.process import BaseProcess
from types import FrameType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import FastAPI

log = logging.getLogger("uvicorn.error")

# Objects allocated (less those freed) before the cyclic collector's youngest generation is
# collected; Python's default is 700. A push holds a few thousand dicts and lists while it is
# stored, and fifty counters pushing keep a few dozen pushes in flight in each process: at 700
# the collector traversed them again and again, promoted them, and ran full collections over
# the server's whole heap every few dozen pushes. Measured in the ingest bench (two processes,
# 150,000 ops): 2.7 s of the collector in 16.5 s of the server's CPU at 700, 0.1 s at 20,000,
# and the server's CPU an op from about 110 to 92-99 us. The cycles a push makes are still
# collected, 20,000 allocations later: a few megabytes at most.
_YOUNG_COLLECTED_AFTER = 20_000

_GRACE_S = 30.0  # a worker's time to finish the pushes it is storing before it is killed


def listeners(host: str, port: int, count: int) -> list[socket.socket]:
    """`count` sockets listening on one port, or OSError when the port is taken.

    Linux lets any process of the same user add a SO_REUSEPORT socket to a port whose sockets
    all have it. A plain bind first proves no other server is on the port (a second centre
    there would silently take half the pushes into its own database); the moment between that
    probe and the binds below is the only window left."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.create_server((host, port), family=family) as probe:
        port = probe.getsockname()[1]  # port 0 names a free one: every socket takes the same
    made: list[socket.socket] = []
    try:
        for _ in range(count):
            sock = socket.create_server((host, port), family=family, reuse_port=True)
            made.append(sock)
            # Accepted connections inherit it. asyncio sets it only on sockets made with the
            # TCP protocol number, which create_server does not give: without it every answer
            # after the first on a kept-alive connection waited ~40 ms for a delayed ACK.
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    except OSError:
        for sock in made:
            sock.close()
        raise
    return made


def run(app: FastAPI, sockets: list[socket.socket]) -> None:
    """Serve `app` on `sockets` in this process until it is stopped."""
    import uvicorn

    gc.set_threshold(_YOUNG_COLLECTED_AFTER)
    uvicorn.Server(uvicorn.Config(app, log_level="info", proxy_headers=False)).run(sockets=sockets)


def _serve(target: str, sock: socket.socket) -> None:
    """One worker: the app over the database `target`, on its own socket."""
    from sync.server.app import create_app

    run(create_app(target), [sock])  # already migrated by the parent: this only opens it


def supervise(target: str, sockets: list[socket.socket]) -> None:
    """Run a worker per socket until SIGTERM or SIGINT, then stop them all."""
    spawn = multiprocessing.get_context("spawn")  # a new interpreter: no state shared by fork
    stopping = threading.Event()

    def stop(signum: int, frame: FrameType | None) -> None:
        stopping.set()

    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, stop)

    def start(sock: socket.socket) -> BaseProcess:
        worker = spawn.Process(target=_serve, args=(target, sock), daemon=False)
        worker.start()
        return worker

    workers = [start(sock) for sock in sockets]
    while not stopping.wait(0.5):
        for n, worker in enumerate(workers):
            if not worker.is_alive():
                log.warning(
                    "worker %s stopped (exit code %s): starting another",
                    worker.pid,
                    worker.exitcode,
                )
                workers[n] = start(sockets[n])
    for worker in workers:
        if worker.is_alive() and worker.pid is not None:
            os.kill(worker.pid, signal.SIGTERM)
    for worker in workers:
        worker.join(_GRACE_S)
        if worker.is_alive():
            worker.kill()
            worker.join()
