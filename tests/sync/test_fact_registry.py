"""The fact registry (odsc_desk/shared/facts.py) against every place a fact is described: the
counter's schema, its rules, the sync queue, the wire and the centre. Any drift fails here."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import BigInteger, Integer, String, Text

from odsc_desk.domain import cash, payments, prints
from odsc_desk.shared import request_history
from odsc_desk.shared.catalog_file import MAX_FEE, demo_catalog_path, parse_catalog
from odsc_desk.shared.errors import ValidationError
from odsc_desk.shared.facts import AMOUNT_MAX, FACTS, KINDS, Field
from odsc_desk.storage import chain
from sync import protocol
from sync.protocol import Op
from sync.server import db
from tests.conftest import every_kind_of_fact
from tests.sync.conftest import enroll_counter, next_day, outbox_ops, post_raw, push, visit

SQL_TYPES = {"INTEGER": int, "TEXT": str}


@pytest.mark.parametrize("table", sorted(FACTS))
def test_the_counters_schema_holds_each_fact_as_declared(open_counter, table):
    columns = open_counter.store.all(f"PRAGMA table_info({table})")
    declared = FACTS[table].fields
    assert [c["name"] for c in columns] == [f.name for f in declared]
    for column, field in zip(columns, declared, strict=True):
        assert SQL_TYPES[column["type"]] is field.type, field.name
        # A primary key is required whatever `notnull` says (SQLite leaves it 0 for TEXT keys).
        assert bool(column["notnull"] or column["pk"]) == field.required, field.name


def test_the_registry_names_the_counters_own_choices():
    statuses = FACTS["status_events"].field("status").choices
    assert statuses is not None and set(statuses) == set(request_history.TRANSITIONS)
    assert FACTS["payments"].field("method").choices == payments.METHODS
    assert set(prints.FORMATS) <= {"80mm", "a5", "a4"}


def test_every_synced_table_has_one_kind_and_every_kind_one_table():
    assert chain.SYNCED == set(FACTS) == set(KINDS)
    assert len(set(KINDS.values())) == len(KINDS)


def test_the_wire_lists_the_registrys_columns_in_its_order():
    for table, fact in FACTS.items():
        assert list(protocol.FIELDS[table]) == list(fact.columns)
        assert protocol.DEVICE_TIME[table] in fact.columns


def test_every_fact_kind_has_its_typed_table_at_the_centre():
    assert set(db.TYPED) == set(db.CENTRE_COLUMNS) == set(FACTS)


@pytest.mark.parametrize("name", sorted(FACTS))
def test_the_centres_typed_tables_hold_registry_columns(name):
    """The centre's typed copy of a fact holds every column of the fact, of the same type; its
    other columns are the op's id, who sent it (device, office, counter) and the centre's own
    (db.CENTRE_COLUMNS), none of them a registry column under another meaning."""
    table, fact = db.TYPED[name], FACTS[name]
    own = set(db.CENTRE_COLUMNS[name])
    assert own <= set(table.columns.keys())
    assert not own & set(fact.columns)
    assert set(fact.columns) <= set(table.columns.keys())
    for column in table.columns:
        if column.name in {"id", "device_id", "office", "counter", *own}:
            continue
        field = fact.field(column.name)
        expected = int if isinstance(column.type, Integer | BigInteger) else str
        assert isinstance(column.type, Integer | BigInteger | String | Text)
        assert field.type is expected, column.name


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        (Field("rating", int, minimum=1, maximum=5), 0, "minimum"),
        (Field("rating", int, minimum=1, maximum=5), 6, "maximum"),
        (Field("rating", int, minimum=1, maximum=5), 5, None),
        (Field("method", str, choices=("cash",)), "gold", "choice"),
        (Field("method", str, choices=("cash",)), "cash", None),
    ],
)
def test_a_field_names_what_is_out_of_bounds(field, value, problem):
    assert field.problem(value) == problem


def _bounded_cases() -> list[tuple[str, str, object]]:
    """For each bounded column of a fact a busy day writes, a value just outside its bounds."""
    cases: list[tuple[str, str, object]] = []
    for table, fact in FACTS.items():
        for field in fact.fields:
            if field.choices is not None:
                cases.append((table, field.name, "x" if field.type is str else 7))
            if field.minimum is not None and field.minimum > -protocol.MAX_INT:
                cases.append((table, field.name, field.minimum - 1))
            if field.maximum is not None and field.maximum < protocol.MAX_INT:
                cases.append((table, field.name, field.maximum + 1))
    return cases


def test_the_centre_refuses_each_value_the_counter_cannot_write(live_server, sync_counter):
    """One push holding every out-of-bounds value: each op refused on its own with the column
    named, the honest ops stored."""
    counter = sync_counter
    every_kind_of_fact(counter)
    token = enroll_counter(live_server, counter)
    batch = outbox_ops(counter)
    samples = {op.entity: op for op in batch}
    assert set(samples) >= {"requests", "payments", "feedback", "cash_closes", "status_events"}
    seq = batch[-1].seq
    forged: list[Op] = []
    expected: list[dict[str, object]] = []
    for table, column, value in _bounded_cases():
        if table not in samples:
            continue
        seq += 1
        row = {**samples[table].row, column: value}
        # A fresh op_id through an id column other than the one under test.
        id_field = next(f for f in FACTS[table].id_fields if f != column)
        row[id_field] = f"forged-{seq}"
        forged.append(Op(seq, table, row))
        expected.append(
            {"seq": seq, "op_id": FACTS[table].fact_id(row), "reason": f"row.value:{column}"}
        )
    assert len(forged) > 15
    body = protocol.encode_batch(counter.store.office["device_id"], [*batch, *forged])
    reply = post_raw(live_server.url + protocol.PUSH, token, json.dumps(body).encode())
    assert reply.status_code == 200, reply.text
    assert reply.json()["rejected"] == expected
    assert reply.json()["stored"] == len(batch)


def _demo_catalog_with_fee(fee: int) -> dict[str, object]:
    data = json.loads(demo_catalog_path().read_text(encoding="utf-8"))
    data["services"][0]["fee"] = fee
    return data


def test_a_requests_fee_is_bounded_by_what_a_catalog_can_hold():
    """The counter's schema checks only `fee >= 0`; the catalog import keeps the upper bound,
    and the registry (so the centre) holds a fee to that same bound."""
    fee = FACTS["requests"].field("fee")
    highest = parse_catalog(_demo_catalog_with_fee(MAX_FEE)).services
    assert max(s["fee"] for s in highest) == MAX_FEE
    assert fee.problem(MAX_FEE) is None
    with pytest.raises(ValidationError):
        parse_catalog(_demo_catalog_with_fee(MAX_FEE + 1))
    assert fee.problem(MAX_FEE + 1) == "maximum"


def test_a_drawer_closed_below_zero_is_a_fact_the_centre_holds(live_server, sync_counter):
    """A refund today of an earlier day's cash payment takes the expected cash below zero: the
    registry allows it down to -AMOUNT_MAX, not past it, and the centre stores the close."""
    counter = sync_counter
    paid = visit(counter)
    next_day(counter)  # today's drawer opens with no float
    payments.refund_payment(
        counter.store,
        counter.clerk,
        paid["receipt"],
        paid["amount"],
        "overcharged",
        counter.supervisor,
    )
    closed = cash.close_cash(
        counter.store, counter.clerk, 0, counter.supervisor, "refund of yesterday's receipt"
    )
    assert closed["expected"] == -paid["amount"]
    expected = FACTS["cash_closes"].field("expected")
    assert expected.problem(closed["expected"]) is None
    assert expected.problem(-AMOUNT_MAX) is None and expected.problem(AMOUNT_MAX) is None
    assert expected.problem(-AMOUNT_MAX - 1) == "minimum"
    assert expected.problem(AMOUNT_MAX + 1) == "maximum"

    token = enroll_counter(live_server, counter)
    batch = outbox_ops(counter)
    reply = push(live_server.url, token, counter.store.office["device_id"], batch)
    assert reply.status_code == 200, reply.text
    assert reply.json()["rejected"] == [] and reply.json()["stored"] == len(batch)
