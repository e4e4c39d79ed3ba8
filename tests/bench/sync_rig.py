"""What the sync benchmark runs on: a counter's 30-day offline backlog, the centre as a real
`odsc-server serve` process, and many devices' ready-made push bodies for the ingest test.

The backlog is written through the real services with the citizens of tests/bench/people.py, so
the bytes on the wire are those of real names, phones, ID numbers and villages (a handful of
repeated names would gzip to almost nothing and flatter the figure).
"""

from __future__ import annotations

import json
import random
import secrets
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import psycopg
import requests
from sqlalchemy.engine import Engine

from odsc_desk.domain import cash, catalog, payments, service_requests
from odsc_desk.storage import outbox
from sync import protocol
from sync.server.db import open_db
from tests.bench.history import MEASURE_DAY, moment, working_days
from tests.bench.people import People
from tests.conftest import FakeClock, cannot_run_here
from tests.sync.conftest import (
    PG_HOST,
    PG_PORT,
    PG_USER,
    ServerProcess,
    drop_pg_database,
    free_port,
    make_office_counter,
)

OFFICE, COUNTER = "VTE-SST", 1
DAY_OPENS = 8 * 3600  # seconds after local midnight
VISIT_GAP = (20, 240)  # seconds between two visits at the counter


@dataclass(frozen=True)
class Backlog:
    data_dir: Path
    ops: int
    visits: int
    days: int


def write_backlog(data_dir: Path, ops: int, calendar_days: int, seed: int = 30) -> Backlog:
    """A counter offline for `calendar_days` up to the measured day, with about `ops` ops
    queued: each working day a drawer opened, visits (a request and its payment), the drawer
    closed."""
    last = MEASURE_DAY - timedelta(days=1)
    days = working_days(last - timedelta(days=calendar_days - 1), last)
    per_day = max(1, -(-(ops - 2 * len(days)) // (2 * len(days))))  # rounded up
    clock = FakeClock(moment(days[0], DAY_OPENS))
    c = make_office_counter(data_dir, clock, OFFICE, COUNTER)
    people, rng = People(random.Random(seed)), random.Random(seed + 1)
    documents = {
        s["code"]: [d["code"] for d in s["documents"]] for s in catalog.list_services(c.store)
    }
    visits = 0
    for day in days:
        clock.moment = moment(day, DAY_OPENS)
        cash.open_cash(c.store, c.clerk, 500_000)
        for _ in range(per_day):
            clock.advance(seconds=rng.randint(*VISIT_GAP))
            citizen, service = people.citizen(), people.service_code()
            request = service_requests.record_request(
                c.store,
                c.clerk,
                service_code=service,
                citizen_name=citizen.name,
                phone=citizen.phone,
                id_number=citizen.id_number,
                village=citizen.village,
                documents=documents[service],
            )
            method = "transfer" if rng.random() < 0.15 else "cash"
            payments.record_payment(c.store, c.clerk, request["tracking"], method=method)
            visits += 1
        session = cash.open_session(c.store)
        cash.close_cash(c.store, c.clerk, cash.expected_cash(c.store, session["id"]))
    queued = outbox.pending_count(c.store)
    c.store.close()
    return Backlog(data_dir, queued, visits, len(days))


# -- the centre ----------------------------------------------------------------------------------
def sqlite_url(folder: Path) -> str:
    return f"sqlite:///{folder / 'centre.sqlite3'}"


@contextmanager
def pg_database() -> Iterator[str]:
    """A new, empty PostgreSQL database for the centre, dropped afterwards."""
    name = f"odsc_bench_{secrets.token_hex(6)}"
    try:
        admin = psycopg.connect(
            host=PG_HOST, port=PG_PORT, user=PG_USER, dbname="postgres", autocommit=True
        )
    except psycopg.OperationalError as exc:
        cannot_run_here(f"PostgreSQL is not reachable at {PG_HOST}:{PG_PORT}: {exc}")
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://{PG_USER}@{PG_HOST}:{PG_PORT}/{name}"
    finally:
        drop_pg_database(name)


@contextmanager
def centre(db_url: str, log_folder: Path, workers: int = 1) -> Iterator[ServerProcess]:
    """`odsc-server serve` in its own process (with `workers` processes), so the bench's client
    threads and proxy do not share its interpreter."""
    engine: Engine = open_db(db_url)
    server = ServerProcess(
        engine=engine,
        db_url=db_url,
        port=free_port(),
        log=log_folder / f"centre-{workers}.log",
        extra=("--workers", str(workers)),
    )
    server.start()
    try:
        yield server
    finally:
        server.stop()
        engine.dispose()


def enroll_device(
    server: ServerProcess, device_id: str, office: str, counter: int, public_key: str | None = None
) -> str:
    """The device's token; with `public_key` (hex) bound, as a counter's enrollment binds it."""
    body: dict[str, object] = {
        "code": server.enroll_code(office, counter),
        "device_id": device_id,
        "office": office,
        "counter": counter,
    }
    if public_key is not None:
        body["public_key"] = public_key
    reply = requests.post(server.url + protocol.ENROLL, json=body, timeout=30)
    reply.raise_for_status()
    return reply.json()["token"]


# -- many devices' pushes ------------------------------------------------------------------------
@dataclass
class Device:
    device_id: str
    office: str
    counter: int
    token: str = ""
    seq: int = 0
    number: int = 0

    @property
    def prefix(self) -> str:
        return f"{self.office}-{self.counter}-"


def renumbered_visit(
    device: Device, request: dict[str, Any], payment: dict[str, Any]
) -> list[tuple[str, dict[str, Any]]]:
    """A real visit's two rows as `device` would have written them: its own ids and numbers."""
    device.number += 1
    day = date.fromisoformat(request["business_date"])
    request_id, payment_id = str(uuid.uuid4()), str(uuid.uuid4())
    tracking = f"{device.prefix}{day:%y%m%d}-{device.number:04d}"
    receipt = f"{device.prefix}{payment['receipt_year']}-{device.number:06d}"
    return [
        (
            "requests",
            {**request, "id": request_id, "tracking": tracking, "daily_seq": device.number},
        ),
        (
            "payments",
            {
                **payment,
                "id": payment_id,
                "request_id": request_id,
                "receipt": receipt,
                "receipt_seq": device.number,
            },
        ),
    ]


def push_bodies(
    device: Device, visits: Iterator[tuple[dict[str, Any], dict[str, Any]]], batches: int, size: int
) -> list[bytes]:
    """`batches` gzip push bodies of `size` ops (size // 2 visits) each, as the client sends
    them."""
    bodies = []
    for _ in range(batches):
        ops: list[protocol.Op] = []
        for _ in range(size // 2):
            for entity, row in renumbered_visit(device, *next(visits)):
                device.seq += 1
                ops.append(protocol.Op(device.seq, entity, row))
        batch = protocol.encode_batch(device.device_id, ops)
        body = json.dumps(batch, separators=(",", ":"), ensure_ascii=False).encode()
        bodies.append(protocol.gzip_body(body))
    return bodies
