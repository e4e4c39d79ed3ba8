"""Migration 0005 fills the typed tables and the roll-ups from the ops a centre already holds.

A database made by the previous release (revision 0004) holds a week of every kind of fact at
two counters, stored as that release's push stored them (the op, and typed copies of requests,
payments, voids and refunds with their few columns); and the forged ops an older centre took in
before revision 0003, whose typed copies 0003 deleted. Upgraded to head, its typed tables and
roll-ups equal those of a fresh centre that took the same ops through the push: the forged ops
stay out, and no op counts twice. The migration also goes back down to exactly 0004. On SQLite
and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import Engine, inspect, text

from odsc_desk.domain import cash
from odsc_desk.shared.catalog_file import demo_catalog_path
from sync import protocol
from sync.protocol import Op
from sync.server import reference
from sync.server.db import TYPED, _alembic_config, make_engine, open_db, token_hash, writing
from tests.conftest import Counter, FakeClock
from tests.sync.conftest import (
    centre_database,
    enroll_counter,
    make_office_counter,
    outbox_ops,
    push,
    running_server,
)
from tests.sync.test_rollups import held, typed
from tests.sync.test_typed_facts import a_week

# What the push of revisions 0001 to 0004 copied into its four typed tables, besides who sent it.
OLD_TYPED = {
    "requests": ("id", "business_date", "tracking", "daily_seq", "service_code",
                 "catalog_version", "fee", "created_at"),
    "payments": ("id", "business_date", "receipt", "receipt_year", "receipt_seq", "request_id",
                 "amount", "method", "at"),
    "voids": ("id", "business_date", "payment_id", "at"),
    "refunds": ("id", "business_date", "payment_id", "amount", "at"),
}  # fmt: skip
BEFORE_0003 = "2026-11-20T02:00:00.000000Z"
RECEIVED = "2026-11-26T02:00:00.000000Z"


def migrate(engine: Engine, revision: str, down: bool = False) -> None:
    config = _alembic_config()
    with writing(engine) as conn:
        config.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(config, revision)


def device(c: Counter) -> str:
    return str(c.store.office["device_id"])


def old_push(engine: Engine, c: Counter, ops: list[Op], received: str) -> None:
    """Store `ops` as the push of revisions 0001-0004 did: each op, and typed copies of four
    kinds, without any check of what they refer to."""
    office = c.store.office
    owner = {"device_id": device(c), "office": office["office_code"], "counter": office["counter"]}
    with writing(engine) as conn:
        for op in ops:
            conn.execute(
                text(
                    "INSERT INTO ops (op_id, device_id, seq, entity, kind, payload, sha256,"
                    " device_time, received_at) VALUES (:op_id, :device_id, :seq, :entity,"
                    " :kind, :payload, :sha256, :device_time, :received_at)"
                ),
                {
                    "op_id": op.op_id, "device_id": device(c), "seq": op.seq,
                    "entity": op.entity, "kind": op.kind, "payload": op.payload.decode(),
                    "sha256": op.sha256, "device_time": protocol.device_time(op.entity, op.row),
                    "received_at": received,
                },
            )  # fmt: skip
            if op.entity in OLD_TYPED:
                columns = (*owner, *OLD_TYPED[op.entity])
                conn.execute(
                    text(
                        f"INSERT INTO {op.entity} ({', '.join(columns)})"
                        f" VALUES ({', '.join(':' + name for name in columns)})"
                    ),
                    {**owner, **{name: op.row[name] for name in OLD_TYPED[op.entity]}},
                )


def sent_before_later_columns(c: Counter) -> list[Op]:
    """The counter's queued ops as its client sent them to a centre of revision 0004, whose
    status reply listed no later columns: a status event's clock left out (today's counter
    writes one)."""
    return [
        Op(op.seq, op.entity, protocol.accepted_row(op.entity, op.row, {})) for op in outbox_ops(c)
    ]


def forged(victim: Counter, thief: Counter, ops: list[Op]) -> list[Op]:
    """What a centre before revision 0003 took from `thief`'s token: a payment of 2**53 kip,
    a void of the victim's payment, a refund of a payment that never was, and a status change
    of the victim's request. Each is refused by today's push."""
    payment = next(op.row for op in ops if op.entity == "payments")
    request = next(op.row for op in ops if op.entity == "requests")
    prefix = f"{thief.store.office['office_code']}-{thief.store.office['counter']}"
    rows: list[tuple[str, dict[str, Any]]] = [
        ("payments", {**payment, "id": "forged-payment", "receipt": f"{prefix}-2026-99999",
                      "receipt_seq": 99999, "amount": 2**53}),
        ("voids", {"id": "forged-void", "payment_id": payment["id"], "session_id": "s",
                   "business_date": "2026-11-26", "reason": "x", "approved_by": "u",
                   "at": RECEIVED, "by": "u"}),
        ("refunds", {"id": "forged-refund", "payment_id": "no-such-payment", "session_id": "s",
                     "business_date": "2026-11-26", "amount": 5_000_000, "reason": "x",
                     "approved_by": "u", "at": RECEIVED, "by": "u"}),
        ("status_events", {"request_id": request["id"], "seq": 90, "status": "collected",
                           "reason": None, "at": RECEIVED, "by": "u"}),
    ]  # fmt: skip
    return [Op(90_000 + n, entity, row) for n, (entity, row) in enumerate(rows)]


@pytest.fixture
def weeks(tmp_path: Path) -> Iterator[tuple[Counter, Counter]]:
    """Counters 1 and 2 of VTE-SST, each after a week of every kind of fact."""
    made = []
    for number in (1, 2):
        c = make_office_counter(tmp_path / f"c{number}", FakeClock(), "VTE-SST", number)
        cash.open_cash(c.store, c.clerk, 50_000)
        a_week(c)
        made.append(c)
    yield made[0], made[1]
    for c in made:
        c.store.close()


def enrolled(engine: Engine, weeks: tuple[Counter, Counter]) -> None:
    """The counters' devices, as enrollment made them, and the catalog they took requests by."""
    with writing(engine) as conn:
        reference.publish(conn, demo_catalog_path(), FakeClock()())
        for n, c in enumerate(weeks):
            office = c.store.office
            conn.execute(
                text(
                    "INSERT INTO devices (device_id, office, counter, token_sha256, enrolled_at,"
                    " high_water, ops) VALUES (:d, :o, :c, :t, :at, 0, 0)"
                ),
                {"d": device(c), "o": office["office_code"], "c": office["counter"],
                 "t": token_hash(f"token-{n}"), "at": BEFORE_0003},
            )  # fmt: skip


def old_centre(url: str, weeks: tuple[Counter, Counter]) -> Engine:
    """A centre at revision 0004 holding the two weeks, and the forgeries taken before 0003."""
    first, second = weeks
    engine = make_engine(url)
    migrate(engine, "0002")
    enrolled(engine, weeks)
    old_push(engine, second, forged(first, second, outbox_ops(first)), BEFORE_0003)
    migrate(engine, "0004")
    for c in weeks:
        old_push(engine, c, sent_before_later_columns(c), RECEIVED)
    return engine


def test_0005_fills_the_typed_tables_and_rollups_as_a_fresh_push_would(
    server_db_url, tmp_path, weeks
):
    first, second = weeks
    engine = old_centre(server_db_url, weeks)
    with engine.connect() as conn:
        typed_before = {
            t: conn.execute(text(f"SELECT COUNT(*) FROM {t}")).scalar() for t in OLD_TYPED
        }
    assert typed_before["voids"] == 2 and typed_before["payments"] == 8  # 0003 took the forged
    engine.dispose()
    upgraded = open_db(server_db_url)
    try:
        found_rows, found_rollups = typed(upgraded), held(upgraded)
    finally:
        upgraded.dispose()

    backend = "postgresql" if server_db_url.startswith("postgresql") else "sqlite"
    (tmp_path / "fresh").mkdir()
    with centre_database(backend, tmp_path / "fresh") as url, running_server(url) as fresh:
        fresh.publish_catalog(demo_catalog_path())
        tokens = {device(c): enroll_counter(fresh, c) for c in weeks}
        for c in weeks:
            ops = sent_before_later_columns(c)
            reply = push(fresh.url, tokens[device(c)], device(c), ops).json()
            assert (reply["stored"], reply["rejected"]) == (len(ops), [])
        forgeries = forged(first, second, outbox_ops(first))
        reply = push(fresh.url, tokens[device(second)], device(second), forgeries).json()
        assert (reply["stored"], len(reply["rejected"])) == (0, len(forgeries))
        assert found_rows == typed(fresh.engine)
        assert found_rollups == held(fresh.engine)

    # Every honest op once, in its own table; no forgery anywhere.
    honest = sorted(op.op_id for c in weeks for op in outbox_ops(c))
    assert sorted(row["id"] for rows in found_rows.values() for row in rows) == honest
    assert found_rollups["rollup"] and found_rollups["rollup_durations"]


def schema(engine: Engine) -> dict[str, tuple[list[str], list[str]]]:
    """Each table's columns and indexes, by name."""
    found = inspect(engine)
    return {
        table: (
            sorted(c["name"] for c in found.get_columns(table)),
            sorted(i["name"] or "" for i in found.get_indexes(table)),
        )
        for table in found.get_table_names()
    }


def test_0005_goes_down_to_exactly_0004_and_up_again(server_db_url, weeks):
    engine = make_engine(server_db_url)
    try:
        migrate(engine, "0004")
        at_0004 = schema(engine)
        enrolled(engine, weeks)
        for c in weeks:
            old_push(engine, c, sent_before_later_columns(c), RECEIVED)
        migrate(engine, "0005")
        filled = typed(engine), held(engine)
        migrate(engine, "0004", down=True)
        assert schema(engine) == at_0004
        migrate(engine, "0005")
        assert (typed(engine), held(engine)) == filled
        assert all(filled[0][name] for name in TYPED)
    finally:
        engine.dispose()
