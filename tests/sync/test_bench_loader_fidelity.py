"""The benchmark's bulk loader writes exactly what the push path writes (tests/bench/nation.py).

A small nation (four offices in four provinces, two months, every fate made common) goes to two
PostgreSQL databases: once pushed through the real server on loopback, device by device, in
batches as counters send them; once through the loader (COPY, the in-memory projection and the
roll-ups added up in SQL). Every typed table, every roll-up row, the numbers, the ops and the
devices' counts must be equal, row for row. The benchmark's figures are only worth something if
the nation it measures is one the centre could have built itself.

PostgreSQL only: the loader is PostgreSQL's COPY.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import psycopg
import pytest
import requests
from sqlalchemy.engine import make_url

from odsc_desk.shared.canonical import canonical
from sync import protocol
from sync.protocol import Op
from sync.server.db import TYPED, metadata
from tests.bench.nation import CounterPlan, Fates, Nation, Shape, dsn, load, publish_catalogs
from tests.sync.conftest import centre_database, push, running_server

BATCH = 400  # ops per push: the client's batches grow to a few hundred on a good link

# Every case common enough that two months of four offices hold each of them several times.
BUSY = Fates(
    voided=0.04,
    rejected=0.05,
    incomplete=0.10,
    stuck=0.03,
    late=0.15,
    early=0.10,
    never_collected=0.10,
    feedback=0.5,
    reprint=0.1,
    cash_difference=0.2,
    late_adopter=0.4,
    off_catalog=0.4,
    draft_catalog=0.3,
    closures_per_year=15,
)
SHAPE = Shape(
    requests=1_300,
    offices=4,
    first=date(2026, 8, 3),
    last=date(2026, 9, 30),
    seed=7,
    fates=BUSY,
)

# The tables to compare, and the columns left out: what the server stamps with its own clock.
COMPARED: dict[str, tuple[str, ...]] = {
    **{name: () for name in TYPED},
    "rollup": (),
    "rollup_clerks": (),
    "rollup_durations": (),
    "numbers": (),
    "refused_ops": (),
    "ops": ("received_at",),
    "devices": ("token_sha256", "enrolled_at", "last_sync", "clock_offset", "max_ahead"),
}

# What the nation never holds: floors (raised by a counter restored from an old backup) and
# refused ops (the nation's counters write only what the centre takes). Both must stay empty.
NEVER_WRITTEN = ("refused_ops", "sequence_floors")


@dataclass(frozen=True)
class Both:
    nation: Nation
    pushed: str  # database names
    loaded: str


def _database(url: str) -> str:
    name = make_url(url).database
    assert name is not None
    return name


def _month_chunks(nation: Nation) -> list[tuple[CounterPlan, list[Op]]]:
    """Each device's ops cut by calendar month of their device time, in the order a nation's
    counters reach the centre over time: month by month, and within a month office by office,
    counter 1 (which announces the office's closures) first."""
    chunks: dict[tuple[str, str, int], list[Op]] = {}
    plans = {}
    for counter in nation.counters:
        plans[(counter.office.code, counter.number)] = counter
        for op in nation.ops(counter):
            month = protocol.device_time(op.entity, op.row)[:7]
            chunks.setdefault((month, counter.office.code, counter.number), []).append(op)
    return [
        (plans[(office, number)], chunks[(m, office, number)])
        for m, office, number in sorted(chunks)
    ]


def _enroll(url: str, code: str, counter: CounterPlan) -> str:
    reply = requests.post(
        url + protocol.ENROLL,
        json={
            "code": code,
            "device_id": counter.device_id,
            "office": counter.office.code,
            "counter": counter.number,
        },
        timeout=30,
    )
    assert reply.status_code == 200, reply.text
    token: str = reply.json()["token"]
    return token


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Both]:
    nation = Nation(SHAPE)
    folder = tmp_path_factory.mktemp("fidelity")
    with (
        centre_database("postgresql", folder) as pushed_url,
        centre_database("postgresql", folder) as loaded_url,
    ):
        with running_server(pushed_url) as server:
            publish_catalogs(server.engine, nation.catalogs)
            tokens = {
                c.device_id: _enroll(server.url, server.enroll_code(c.office.code, c.number), c)
                for c in nation.counters
            }
            for counter, chunk in _month_chunks(nation):
                for start in range(0, len(chunk), BATCH):
                    batch = chunk[start : start + BATCH]
                    reply = push(server.url, tokens[counter.device_id], counter.device_id, batch)
                    assert reply.status_code == 200, reply.text
                    body = reply.json()
                    assert (body["stored"], body["rejected"]) == (len(batch), []), body
        loaded = _database(loaded_url)
        load(nation, loaded)
        yield Both(nation, _database(pushed_url), loaded)


def _rows(database: str, table: str, left_out: tuple[str, ...]) -> list[tuple[Any, ...]]:
    columns = [c.name for c in metadata.tables[table].columns if c.name not in left_out]
    key = [c.name for c in metadata.tables[table].primary_key.columns] or columns
    quoted = ", ".join(f'"{c}"' for c in columns)
    order = ", ".join(f'"{c}"' for c in key)
    with psycopg.connect(dsn(database)) as conn:
        return conn.execute(f"SELECT {quoted} FROM {table} ORDER BY {order}").fetchall()


@pytest.mark.parametrize("table", sorted(COMPARED))
def test_the_loader_writes_what_the_push_path_writes(both: Both, table: str) -> None:
    pushed = _rows(both.pushed, table, COMPARED[table])
    loaded = _rows(both.loaded, table, COMPARED[table])
    only_pushed = sorted(set(pushed) - set(loaded))
    only_loaded = sorted(set(loaded) - set(pushed))
    assert (only_pushed[:3], only_loaded[:3]) == ([], []), (
        f"{table}: {len(only_pushed)} rows only pushed, {len(only_loaded)} only loaded"
    )
    assert pushed == loaded
    if table not in NEVER_WRITTEN:
        assert pushed, f"{table} is empty: the comparison proves nothing"


def _scalar(database: str, query: str) -> Any:
    with psycopg.connect(dsn(database)) as conn:
        row = conn.execute(query).fetchone()
        assert row is not None
        return row[0]


# Each case the figures tell apart, and a query that finds it in the typed tables: equal tables
# prove the loader right only for cases the small nation holds.
CASES = {
    "fee checked against the catalog": "SELECT COUNT(*) FROM requests WHERE fee_check = 'catalog'",
    "fee of an old version": "SELECT COUNT(*) FROM requests WHERE fee_check = 'old_version'",
    "fee off the catalog": "SELECT COUNT(*) FROM requests WHERE fee_check = 'off_catalog'",
    "catalog the centre never published": (
        "SELECT COUNT(*) FROM requests WHERE fee_check = 'unknown'"
    ),
    "returned for a missing document": "SELECT COUNT(*) FROM requests WHERE returned > 0",
    "rejected": "SELECT COUNT(*) FROM requests WHERE status = 'rejected'",
    "withdrawn": "SELECT COUNT(*) FROM requests WHERE status = 'withdrawn'",
    "collected": "SELECT COUNT(*) FROM requests WHERE status = 'collected'",
    "ready, not collected": "SELECT COUNT(*) FROM requests WHERE status = 'ready'",
    "ready late": "SELECT COUNT(*) FROM requests WHERE ready_on > promised_date",
    "ready on time": "SELECT COUNT(*) FROM requests WHERE ready_on <= promised_date",
    "open and overdue": (
        "SELECT COUNT(*) FROM requests WHERE status IN ('received', 'incomplete', 'in_process')"
        " AND promised_date < '2026-09-30'"
    ),
    "a closure inside a request's working days": (
        "SELECT COUNT(*) FROM requests r JOIN closures c ON c.office = r.office"
        " AND c.date > r.business_date AND c.date <= r.ready_on"
    ),
    "voided": "SELECT COUNT(*) FROM voids",
    "refunded": "SELECT COUNT(*) FROM refunds",
    "feedback": "SELECT COUNT(*) FROM feedback",
    "a receipt printed again": "SELECT COUNT(*) FROM receipt_prints WHERE copy = 1",
    "a drawer closed off the expected cash": (
        "SELECT COUNT(*) FROM cash_closes WHERE difference <> 0 AND approved_by IS NOT NULL"
    ),
    "paid by transfer": "SELECT COUNT(*) FROM payments WHERE method = 'transfer'",
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_small_nation_holds_every_case(both: Both, case: str) -> None:
    assert _scalar(both.loaded, CASES[case]) > 0, case


def test_the_nation_is_the_same_every_time(both: Both) -> None:
    """Seeded: a second plan of the same shape writes the same ops, byte for byte."""

    def digest(nation: Nation) -> str:
        h = hashlib.sha256()
        for counter in nation.counters:
            h.update(counter.device_id.encode())
            for op in nation.ops(counter):
                h.update(f"{op.seq}/{op.entity}/".encode() + canonical(op.row))
        return h.hexdigest()

    assert digest(Nation(SHAPE)) == digest(both.nation)
