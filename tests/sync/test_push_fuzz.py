"""Issue 12's proof: pushes generated with a valid device token reach the centre's validation,
never make it fail, and leave every report equal to what an honest centre would hold.

test_openapi_fuzz.py lets schemathesis draw bodies from the OpenAPI schema; nearly all of them
are refused on their shape (422) before a row is read, so they never test the validation. Here
hypothesis builds well-formed batches from the fact registry (the device's own id, the digest
over its ops, gzip as the client sends) whose values lie inside and just outside each column's
bounds, and schemathesis sends them (`operation.Case`, `case.call()`) and checks each answer
against the OpenAPI document. Each op's fate is predicted from what its values and references
were drawn as, by the rules of PROTOCOL_NOTES.md ("POST /sync/push", step 2).

The stateful part is hypothesis' RuleBasedStateMachine, not schemathesis' stateful mode: that
mode chains operations through OpenAPI links, and the push has none (its reply names nothing
another operation takes). Its model is an honest centre written from the same rules; after
every push, every report must equal the model's figures.

SQLite runs the full size, PostgreSQL a smaller one: the same code and queries on both.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, ClassVar, TypeVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from schemathesis import openapi
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.transport import Response
from schemathesis.specs.openapi.schemas import OpenApiSchema
from sqlalchemy import Engine, select

from odsc_desk.shared.canonical import canonical
from odsc_desk.shared.catalog_file import MAX_FEE, SERVICE_CODE_MAX
from odsc_desk.shared.clock import stamp
from odsc_desk.shared.facts import AMOUNT_MAX, FACTS, INT_MAX
from odsc_desk.shared.facts import Fact as FactKind
from odsc_desk.shared.facts import Field as Column
from odsc_desk.shared.request_history import STATUSES
from sync import protocol
from sync.server.app import create_app
from sync.server.context import Context
from sync.server.db import open_db, ops
from sync.server.enrollment import EnrollRequest, enroll
from tests.conftest import FakeClock
from tests.sync.conftest import _Admin, centre_database

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
AT = "2026-11-26T01:00:00.000000Z"
DAYS = ("2026-11-25", "2026-11-26")
# The three counters of every scene: two of one office, one of another province's office.
WHO = ("self", "neighbour", "stranger")
TOTALS = ("devices", "requests", "payments", "gross", "voided", "refunded", "fee_total")
DAY_TOTALS = (
    "requests",
    "payments",
    "voids",
    "refunds",
    "gross",
    "voided",
    "refunded",
    "fee_total",
)

# The column by which a fact names another, and the kind it names (PROTOCOL_NOTES.md, push
# step 2): only these are held to the centre's facts.
REFERS = {
    "status_events": ("request_id", "requests"),
    "feedback": ("request_id", "requests"),
    "payments": ("request_id", "requests"),
    "voids": ("payment_id", "payments"),
    "refunds": ("payment_id", "payments"),
    "receipt_prints": ("payment_id", "payments"),
    "cash_closes": ("session_id", "cash_sessions"),
}
# What a reference to one's own payment may still be refused for.
PAYMENT_STATE = frozenset({"payment.voided", "payment.refunded", "refund.over"})
# The counter's rules the registry's Field cannot say (PROTOCOL_NOTES.md, sync/server/push.py):
# a tighter bound, a shorter text, texts that are always a date, and a floor's period, which is
# its kind's: a business date for tracking numbers, a year for receipts.
TIGHTER = {("requests", "fee"): (0, MAX_FEE)}
SHORTER = {("requests", "service_code"): SERVICE_CODE_MAX}
DATED = {("requests", "promised_date"), ("closures", "date"), ("status_events", "new_date")}
# A new date keeps an open status: on any other the centre refuses it (push.py).
NEW_DATE_STATUSES = frozenset({"received", "incomplete", "in_process"})
PERIOD = ("sequence_floors", "period")
WRITER = ("status_events", "device_id")  # the writing device: the pusher's own, or none


def is_date(fact: FactKind, col: Column) -> bool:
    return col.name == "business_date" or (fact.table, col.name) in DATED


@dataclass(frozen=True)
class Sizes:
    batches: int  # generated pushes
    runs: int  # state machine runs
    steps: int  # steps per run
    # Long enough to be held to reach every fate an op can have (the rarest need a payment
    # refunded, then voided): what the values drawn reach does not depend on the database.
    every_fate: bool


# About 45 s on SQLite; PostgreSQL runs the same code and queries, fewer times.
SIZES = {
    "sqlite": Sizes(batches=300, runs=12, steps=35, every_fate=True),
    "postgresql": Sizes(batches=150, runs=3, steps=25, every_fate=False),
}


# -- the centre, reached through schemathesis -------------------------------------------------


@dataclass
class Centre:
    backend: str
    engine: Engine
    clock: FakeClock
    schema: OpenApiSchema
    viewer: str
    offices: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    outcomes: Counter[str] = field(default_factory=Counter)  # of the state machine's ops

    @property
    def sizes(self) -> Sizes:
        return SIZES[self.backend]

    def enroll(self, who: str, office: str, counter: int, device_id: str) -> Desk:
        code = _Admin(self.engine, self.clock).enroll_code(office, counter)
        request = EnrollRequest(code=code, device_id=device_id, office=office, counter=counter)
        reply = enroll(Context(self.engine, self.clock), request)
        return Desk(who, device_id, office, counter, reply.token)

    def push(self, token: str, body: dict[str, Any]) -> Response:
        """One push, gzip JSON as the client sends it, checked against the OpenAPI document."""
        case = self.schema[protocol.PUSH]["POST"].Case(
            body=protocol.gzip_body(json.dumps(body).encode()),
            media_type="application/json",
            headers={"Authorization": f"Bearer {token}", "Content-Encoding": "gzip"},
        )
        response = case.call()
        case.validate_response(response, checks=CHECKS)
        return response

    def report(self, path: str, **params: str) -> Response:
        """A report as the province's viewer reads it, checked against the OpenAPI document."""
        case = self.schema[protocol.REPORTS + path]["GET"].Case(
            path_parameters=params, headers={"Authorization": f"Bearer {self.viewer}"}
        )
        response = case.call()
        case.validate_response(response, checks=CHECKS)
        return response

    def held(self, op_ids: list[str]) -> dict[str, tuple[str, bytes]]:
        """The ops the centre holds of `op_ids`: op_id -> (device, sha256)."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(ops.c.op_id, ops.c.device_id, ops.c.sha256).where(ops.c.op_id.in_(op_ids))
            )
            return {r.op_id: (r.device_id, bytes(r.sha256)) for r in rows}


@pytest.fixture(params=sorted(SIZES))
def centre(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Centre]:
    """An empty centre on SQLite or PostgreSQL, with a viewer token for its reports."""
    clock = FakeClock()
    with centre_database(request.param, tmp_path) as url:
        engine = open_db(url)
        viewer = _Admin(engine, clock).viewer_token()
        schema = openapi.from_asgi("/openapi.json", create_app(engine, clock=clock))
        yield Centre(request.param, engine, clock, schema, viewer)
        engine.dispose()


# -- counters and their facts -----------------------------------------------------------------


@dataclass
class Desk:
    """An enrolled counter as the test drives it: its seqs rise as a real counter's do."""

    who: str
    device_id: str
    office: str
    counter: int
    token: str
    seqs: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    numbers: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    queue: list[Sent] = field(default_factory=list)  # written, not yet pushed
    last: list[Sent] = field(default_factory=list)  # the last batch pushed

    @property
    def prefix(self) -> str:
        return f"{self.office}-{self.counter}-"


@dataclass(frozen=True)
class Drawn:
    """A row and what the centre must make of it."""

    entity: str
    row: dict[str, Any]
    # The reasons it may be refused with for its own values; empty for a row a counter writes.
    refused: frozenset[str] = frozenset()
    # Whose fact its checked reference names: "own", "office" (another counter's of its office),
    # "other" (another office's) or "nothing" (None: no reference).
    ref: str | None = None

    @property
    def op_id(self) -> str:
        return FACTS[self.entity].fact_id(self.row)

    @property
    def digest(self) -> bytes:
        return hashlib.sha256(canonical(self.row)).digest()


@dataclass(frozen=True)
class Sent:
    seq: int
    fact: Drawn


def honest(entity: str, desk: Desk, **values: Any) -> Drawn:
    """A row as the counter `desk` writes it: a valid value in every column, then `values`."""
    fact = FACTS[entity]
    n = next(desk.numbers)
    row: dict[str, Any] = {}
    for f in fact.fields:
        value: Any
        if not f.required:
            value = None
        elif f.name == "id":
            value = f"{desk.device_id}-{entity}-{n}"
        elif f.name == fact.numbered:
            value = f"{desk.prefix}{n}"
        elif f.name in ("daily_seq", "receipt_seq"):  # the number in `numbered`
            value = n
        elif f.name == fact.device_time:
            value = AT
        elif is_date(fact, f):
            value = DAYS[-1]
        elif (fact.table, f.name) == PERIOD:
            value = DAYS[-1] if row["kind"] == "tracking" else DAYS[-1][:4]
        elif f.choices is not None:
            value = f.choices[0]
        elif f.type is int:
            value = max(f.minimum or 0, 0)
        else:
            value = "clerk-1"
        row[f.name] = value
    return Drawn(entity, {**row, **values})


def batch_body(device_id: str, sent: list[Sent], order: dict[str, list[str]]) -> dict[str, Any]:
    """The push body: ops grouped by table, each group's columns in `order` (default: the
    registry's), and the digest over the ops in seq order. A row with a lone surrogate has no
    canonical bytes: the centre refuses it on reading, and then holds the batch to its seqs
    alone (protocol.check_digest), so it is left out of the digest."""
    groups: dict[str, dict[str, Any]] = {}
    digests = []
    for s in sorted(sent, key=lambda s: s.seq):
        cols = order.get(s.fact.entity) or list(FACTS[s.fact.entity].columns)
        group = groups.setdefault(s.fact.entity, {"cols": cols, "rows": []})
        group["rows"].append([s.seq, *(s.fact.row.get(c) for c in cols)])
        with contextlib.suppress(UnicodeEncodeError):
            digests.append(s.fact.digest)
    digest = protocol.batch_digest(digests)
    return {"v": protocol.VERSION, "device": device_id, "digest": digest, "ops": groups}


# -- values inside and just outside each column's bounds ---------------------------------------

LAO = st.characters(min_codepoint=0x0E80, max_codepoint=0x0EFF)
CONTROL = st.characters(min_codepoint=0x01, max_codepoint=0x1F)
CHARS = st.one_of(LAO, CONTROL, st.characters(codec="utf-8", exclude_characters="\x00"))
STAMPS = st.datetimes(datetime(2025, 1, 1), datetime(2027, 12, 31), timezones=st.just(UTC)).map(
    stamp
)
BAD_STAMPS = [
    "", "2026-11-26", "2026-11-26T01:00:00Z", "2026-11-26 01:00:00.000000Z",
    "2026-02-30T01:00:00.000000Z", "2026-11-26T24:00:00.000000Z",
    "2026-11-26T01:00:00.000000+07:00", "ມື້ວານນີ້",
]  # fmt: skip
DATES = st.dates(date(2020, 1, 1), date(2030, 12, 31)).map(date.isoformat)
BAD_DATES = ["", "2026-02-30", "2026-13-01", "26/11/2026", "2026-11-26T00:00", "20261126", "ມື້ນີ້"]
PERIODS = {"tracking": DATES, "receipt": st.integers(1000, 9999).map(str)}
BAD_PERIODS = [*BAD_DATES, "26", "2026-11", "ປີ 2026"]  # neither kind's
HUGE = [INT_MAX + 1, -INT_MAX - 1, 2**63, -(2**63) - 1, 2**64]
Outcome = tuple[Any, frozenset[str]]  # a value and the reasons it may be refused with
T = TypeVar("T")


def texts(limit: int) -> st.SearchStrategy[str]:
    """Text a column holds: empty, short (Lao, control characters, anything but NUL), or
    exactly at its limit."""
    return st.one_of(
        st.just(""), st.text(CHARS, max_size=min(limit, 24)), CHARS.map(lambda c: c * limit)
    )


# Numbered, not drawn: hypothesis draws the same few UUIDs over and over.
FRESH = itertools.count(1)


def weighted(*choices: tuple[st.SearchStrategy[T], int]) -> st.SearchStrategy[T]:
    """One of the strategies, each as often as its weight (which st.one_of does not take)."""
    return st.sampled_from([s for s, weight in choices for _ in range(weight)]).flatmap(lambda s: s)


def fresh_ids() -> st.SearchStrategy[str]:
    return st.builds(lambda: f"fuzz-{next(FRESH)}")


def nothing_ids() -> st.SearchStrategy[str]:
    return st.builds(lambda: f"nothing-{next(FRESH)}")


@dataclass
class Pools:
    """The ids a drawn row may name: the facts the centre holds, per counter and kind."""

    held: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    op_ids: list[str] = field(default_factory=list)
    offices: dict[str, str] = field(default_factory=dict)  # each counter's office

    def whose(self, fact_id: str, desk: Desk) -> str:
        """Whose `fact_id` is, as `desk` sees it: "own", "office" or "other"."""
        holders = [w for w, kinds in self.held.items() if any(fact_id in i for i in kinds.values())]
        if not holders:
            return "other"  # an empty pool's stand-in (its rows are all spoiled anyway)
        if holders[0] == desk.who:
            return "own"
        return "office" if self.offices[holders[0]] == desk.office else "other"

    def ref(self, kind: str, who: str, whose: str) -> st.SearchStrategy[str]:
        if whose == "nothing":
            return nothing_ids()
        ids = [
            i
            for w, kinds in sorted(self.held.items())
            if (w == who) == (whose == "own")
            for i in kinds.get(kind, [])
        ]
        return st.sampled_from(ids) if ids else nothing_ids()

    def new_id(self) -> st.SearchStrategy[str]:
        """A new fact's id: fresh, or one the centre holds already (a collision; not a status
        change's request/seq, which no other fact's id may look like)."""
        held = [i for i in self.op_ids if "/" not in i]
        return weighted((fresh_ids(), 7), (st.sampled_from(held), 1)) if held else fresh_ids()


def inside(fact: FactKind, col: Column, desk: Desk, pools: Pools) -> st.SearchStrategy[Any]:
    """Values a counter can write in this column."""
    values: st.SearchStrategy[Any]
    if col.name == fact.device_time:
        values = STAMPS
    elif is_date(fact, col):
        values = DATES
    elif col.name == fact.numbered:
        values = st.text("0123456789-", max_size=20).map(lambda s: desk.prefix + s)
    elif col.name == "id" and fact.id_fields == ("id",):
        values = pools.new_id()
    elif (fact.table, col.name) == WRITER:
        values = st.just(desk.device_id)  # a counter names only itself
    elif col.choices is not None:
        values = st.sampled_from(col.choices)
    elif col.type is int:
        low, high = TIGHTER.get((fact.table, col.name), (col.minimum, col.maximum))
        low, high = -INT_MAX if low is None else low, INT_MAX if high is None else high
        values = st.one_of(st.sampled_from([low, high]), st.integers(low, high))
    else:
        values = texts(SHORTER.get((fact.table, col.name), col.max_length))
    return values if col.required else st.one_of(st.none(), values)


def ruled(fact: FactKind, col: Column, desk: Desk) -> st.SearchStrategy[Outcome] | None:
    """Values of this column that only the counter's rules refuse (the registry's type and
    length allow them), or None: they are where a centre slips most easily."""
    as_value = frozenset({f"row.value:{col.name}"})
    values: list[Any] = []
    if col.name == fact.numbered:
        others = [
            f"{desk.office}-{desk.counter + 1}-261126-1", f"XYZ-ABC-{desk.counter}-1", "261126-1",
            f"{desk.office}-{desk.counter}",
        ]  # fmt: skip
        return st.sampled_from(others).map(lambda v: (v, frozenset({"op.office"})))
    if col.type is int:
        if col.choices is not None:
            values = [-1, 2]
        else:
            low, high = TIGHTER.get((fact.table, col.name), (col.minimum, col.maximum))
            near = ([low - 1] if low is not None else []) + ([high + 1] if high is not None else [])
            values = [v for v in near if abs(v) <= INT_MAX]  # past 2**53 is a row.type
    elif col.name == fact.device_time:
        values = BAD_STAMPS
    elif is_date(fact, col):
        values = BAD_DATES
    elif (fact.table, col.name) == PERIOD:
        values = BAD_PERIODS
    elif (fact.table, col.name) in SHORTER:
        values = [c * (SHORTER[(fact.table, col.name)] + 1) for c in "xກ"]
    elif col.name == "id" and fact.id_fields == ("id",):
        values = ["fuzz/1", "/"]
    elif (fact.table, col.name) == WRITER:
        values = [desk.device_id + "-x", "fuzz-another-device"]  # a device not the pusher
    elif col.choices is not None:
        values = [v for v in ("", "CASH", "Received", "ສຳເລັດ", "cash ") if v not in col.choices]
    return st.sampled_from(values).map(lambda v: (v, as_value)) if values else None


def outside(fact: FactKind, col: Column, desk: Desk) -> st.SearchStrategy[Outcome]:
    """Values no counter writes in this column, each with the reasons it may be refused with:
    those only the rules refuse, and those a database cannot hold (NUL, a lone surrogate),
    most often."""

    def reason(kind: str) -> frozenset[str]:
        return frozenset({f"{kind}:{col.name}"})

    as_type = reason("row.type")
    options: list[tuple[st.SearchStrategy[Outcome], int]] = []
    if col.required:
        options.append((st.just((None, reason("row.missing"))), 1))
    by_rule = ruled(fact, col, desk)
    if by_rule is not None:
        options.append((by_rule, 3))
    if col.type is int:
        options.append((st.sampled_from([*HUGE, True, 1.5, "1"]).map(lambda v: (v, as_type)), 2))
        return weighted(*options)
    limit = col.max_length
    options += [
        (CHARS.map(lambda c: (c * (limit + 1), as_type)), 1),
        (st.text(CHARS, max_size=8).map(lambda t: (t + "\x00", as_type)), 2),
        (st.text(CHARS, max_size=8).map(lambda t: (t + "\ud800", as_type)), 2),
        (st.integers(-3, 3).map(lambda v: (v, as_type)), 1),
    ]
    return weighted(*options)


RULED = "!"  # a spoiled column's name after it: drawn from ruled(), not outside()


def any_spoil(fact: FactKind, desk: Desk) -> st.SearchStrategy[frozenset[str]]:
    """About half the rows clean; the others with one or two columns outside their bounds, one
    of the columns that name the op (a refusal still carries its name), or one column with a
    value only the counter's rules refuse."""

    def one(names: list[str]) -> st.SearchStrategy[frozenset[str]]:
        return st.sampled_from(names).map(lambda c: frozenset({c}))

    clean: st.SearchStrategy[frozenset[str]] = st.just(frozenset())
    options = [
        (clean, 5),
        (st.frozensets(st.sampled_from(fact.columns), min_size=1, max_size=2), 2),
        (one(list(fact.id_fields)), 1),
        (one([c.name + RULED for c in fact.fields if ruled(fact, c, desk) is not None]), 1),
    ]
    return weighted(*options)


def no_spoil(fact: FactKind, desk: Desk) -> st.SearchStrategy[frozenset[str]]:
    return st.just(frozenset())


def one_spoil(fact: FactKind, desk: Desk) -> st.SearchStrategy[frozenset[str]]:
    return st.sampled_from(fact.columns).map(lambda c: frozenset({c}))


Spoil = Callable[[FactKind, Desk], st.SearchStrategy[frozenset[str]]]


def drawn_rows(
    entity: str,
    desk: Desk,
    pools: Pools,
    spoil: Spoil,
    whose_refs: tuple[str, ...] = ("own", "other", "nothing"),
) -> st.SearchStrategy[Drawn]:
    """Rows of `entity` written by `desk`, some columns spoiled, naming facts of the counters
    in `whose_refs`. Each column's strategies are built once here: hypothesis spends far
    longer building a strategy than drawing from it."""
    fact = FACTS[entity]
    ins = {col.name: inside(fact, col, desk, pools) for col in fact.fields}
    outs = {col.name: outside(fact, col, desk) for col in fact.fields}
    rules = {col.name: r for col in fact.fields if (r := ruled(fact, col, desk)) is not None}
    ref_column, kind = REFERS.get(entity, ("", ""))
    refs = {whose: pools.ref(kind, desk.who, whose) for whose in whose_refs}
    # Drawn freely, a third of the references to the counter's own facts, where the payment
    # rules come in; the rest to another's or to none, so refusals on references stay common
    # beside those on values (which half the rows' spoiled columns bring).
    spoils, whom = spoil(fact, desk), st.sampled_from(whose_refs)
    periods = st.sampled_from(sorted(PERIODS)).flatmap(lambda kind: PERIODS[kind])

    @st.composite
    def rows(draw: st.DrawFn) -> Drawn:
        drawn = draw(spoils)
        spoiled = {c.removesuffix(RULED) for c in drawn}
        row: dict[str, Any] = {}
        refused: set[str] = set()
        whose = None
        for col in fact.columns:
            if col in spoiled:
                row[col], reasons = draw(rules[col] if col + RULED in drawn else outs[col])
                refused |= reasons
            elif col == ref_column:
                whose = draw(whom)
                row[col] = draw(refs[whose])
                if whose == "other":
                    whose = pools.whose(row[col], desk)
            else:
                row[col] = draw(ins[col])
        if entity == "cash_closes" and "difference" not in spoiled:
            # A rule between columns (a wrong difference: the state machine's close_cash).
            counted, expected = row["counted"], row["expected"]
            ints = all(isinstance(v, int) and not isinstance(v, bool) for v in (counted, expected))
            row["difference"] = counted - expected if ints else 0
            if spoiled & {"counted", "expected"}:
                refused |= {"row.value:difference", "row.type:difference"}
        if entity == "status_events" and row.get("status") not in NEW_DATE_STATUSES:
            # Another: a new date only on an event that keeps an open status. A clean row keeps
            # the rule (else half the events would be refused for it and crowd out the other
            # outcomes); test_new_date_sync breaks it on purpose.
            if not spoiled & {"status", "new_date"}:
                row["new_date"] = None
            elif row["new_date"] is not None:
                refused |= {"row.value:new_date"}
        if (entity, "period") == PERIOD and "period" not in spoiled:
            # Another: a period of the floor's kind.
            row["period"] = draw(PERIODS.get(row["kind"], periods))
            if "kind" in spoiled:
                refused |= {"row.value:period"}
        return Drawn(entity, row, frozenset(refused), None if refused else whose)

    return rows()


# -- 1. generated pushes reach the validation ------------------------------------------------


@dataclass
class Scene:
    centre: Centre
    desks: dict[str, Desk]
    rows: dict[str, st.SearchStrategy[Drawn]]  # per counter: its rows of every kind
    pools: Pools
    # Per counter, table and column: its rows breaking that column's rule alone.
    breaking: dict[tuple[str, str, str], st.SearchStrategy[Drawn]] = field(default_factory=dict)


def fuzz_scene(centre: Centre) -> Scene:
    """VTE-SST counters 1 and 2 and LPB-CHO counter 1, each holding at the centre a request
    with a status, four small payments (two of them refunded in part, one voided), a cash
    session and a closure. The voided and refunded payments are there from the start so a
    drawn void or refund meets each payment state often, not only when an earlier draw
    happened to void one (CI once drew no void on a voided payment in 400 pushes)."""
    places = {"self": ("VTE-SST", 1), "neighbour": ("VTE-SST", 2), "stranger": ("LPB-CHO", 1)}
    desks = {
        who: centre.enroll(who, office, n, f"fuzz-{who}") for who, (office, n) in places.items()
    }
    pools = Pools(offices={who: desk.office for who, desk in desks.items()})
    for who, desk in desks.items():
        request = honest("requests", desk)
        paid = [
            honest("payments", desk, amount=2_000, request_id=request.row["id"]) for _ in range(4)
        ]
        session = honest("cash_sessions", desk)
        refunded = [honest("refunds", desk, payment_id=p.row["id"], amount=500) for p in paid[:2]]
        voided = honest("voids", desk, payment_id=paid[3].row["id"])
        facts = [
            request, *paid, *refunded, voided, session, honest("closures", desk),
            honest("status_events", desk, request_id=request.row["id"], seq=1),
        ]  # fmt: skip
        sent = [Sent(next(desk.seqs), f) for f in facts]
        reply = centre.push(desk.token, batch_body(desk.device_id, sent, {}))
        assert reply.status_code == 200 and reply.json()["stored"] == len(facts), reply.text
        pools.held[who] = {
            "requests": [request.row["id"]],
            "payments": [p.row["id"] for p in paid],
            "cash_sessions": [session.row["id"]],
        }
        pools.op_ids += [f.op_id for f in facts]
    rows = {
        who: st.one_of([drawn_rows(e, desk, pools, any_spoil) for e in sorted(FACTS)])
        for who, desk in desks.items()
    }
    return Scene(centre, desks, rows, pools)


@dataclass(frozen=True)
class FuzzBatch:
    who: str
    facts: list[Drawn]
    order: dict[str, list[str]]  # each table's columns, in the order its group lists them


def ruled_columns() -> list[tuple[str, str]]:
    """Every (table, column) with values only the counter's rules refuse."""
    anyone = Desk("self", "d", "VTE-SST", 1, "")
    return [
        (t, c.name) for t, f in FACTS.items() for c in f.fields if ruled(f, c, anyone) is not None
    ]


@st.composite
def fuzz_batches(draw: st.DrawFn, scene: Scene, broken: tuple[str, str] | None = None) -> FuzzBatch:
    """A batch of free rows; with `broken` (a table and column), also one row breaking that
    column's rule alone."""
    who = draw(st.sampled_from(WHO))
    facts = draw(st.lists(scene.rows[who], min_size=0 if broken else 1, max_size=6))
    if broken is not None:
        key = (who, *broken)
        if key not in scene.breaking:
            table, column = broken
            only = st.just(frozenset({column + RULED}))
            scene.breaking[key] = drawn_rows(table, scene.desks[who], scene.pools, lambda *_: only)
        facts.insert(draw(st.integers(0, len(facts))), draw(scene.breaking[key]))
    order = {e: draw(st.permutations(FACTS[e].columns)) for e in sorted({f.entity for f in facts})}
    return FuzzBatch(who, facts, order)


PAYMENT_STATE_PUSHES = 12


@st.composite
def payment_state_batches(draw: st.DrawFn, scene: Scene) -> FuzzBatch:
    """A batch of clean voids and refunds naming the counter's own payments (voided, refunded
    in part or untouched in the scene)."""
    who = draw(st.sampled_from(WHO))
    desk = scene.desks[who]
    rows = st.one_of(
        [drawn_rows(e, desk, scene.pools, no_spoil, ("own",)) for e in ("refunds", "voids")]
    )
    facts = draw(st.lists(rows, min_size=1, max_size=6))
    order = {e: draw(st.permutations(FACTS[e].columns)) for e in sorted({f.entity for f in facts})}
    return FuzzBatch(who, facts, order)


def verdict_of(sent: Sent, device_id: str, got: str | None, held: dict[str, Any]) -> str:
    """Check one op's fate against what it was drawn as; returns its class for the tally."""
    fact = sent.fact
    if fact.refused:
        assert got in fact.refused, (sent, got)
        return "refused on its values"
    if fact.op_id in held:
        device, digest = held[fact.op_id]
        if device != device_id:
            assert got == "conflict.device", (sent, got)
        else:
            assert got == (None if digest == fact.digest else "conflict.content"), (sent, got)
        return "already held"
    if fact.ref is not None:
        column = REFERS[fact.entity][0]
        if fact.ref == "nothing":
            assert got == f"ref.unknown:{column}", (sent, got)
        elif fact.ref == "office" and office_write(fact):
            assert got is None, (sent, got)
        elif fact.ref in ("office", "other"):
            assert got == f"ref.owner:{column}", (sent, got)
        elif fact.entity in ("voids", "refunds"):
            assert got is None or got in PAYMENT_STATE, (sent, got)
        else:
            assert got is None, (sent, got)
        return "stored" if got is None else "refused on its references"
    assert got is None, (sent, got)
    return "stored"


def office_write(fact: Drawn) -> bool:
    """A fact a counter may write on another counter's request or receipt of its office (D2):
    a payment, a print of a receipt (a copy), or a status change naming its writer."""
    if fact.entity == "status_events":
        return fact.row.get("device_id") is not None
    return fact.entity in ("payments", "receipt_prints")


def push_and_judge(scene: Scene, batch: FuzzBatch, tally: Counter[str]) -> None:
    desk = scene.desks[batch.who]
    sent = [Sent(next(desk.seqs), f) for f in batch.facts]
    clean = [s.fact.op_id for s in sent if not s.fact.refused]
    held = scene.centre.held(clean)
    reply = scene.centre.push(desk.token, batch_body(desk.device_id, sent, batch.order))
    tally["pushes"] += 1
    tally[f"answered {reply.status_code}"] += 1
    assert reply.status_code == 200, reply.text
    body = reply.json()
    verdicts = {r["seq"]: r["reason"] for r in body["rejected"] + body["conflicts"]}
    assert len(verdicts) == len(body["rejected"]) + len(body["conflicts"])
    assert body["stored"] + body["duplicates"] + len(verdicts) == len(sent), body
    # An op_id twice in one batch is left unjudged here (the first counts, the others are its
    # copies: the state machine's push_with_a_copy checks that).
    repeated = {op_id for op_id, n in Counter(clean).items() if n > 1}
    stored = []
    for s in sent:
        if not s.fact.refused and s.fact.op_id in repeated:
            continue
        verdict = verdict_of(s, desk.device_id, verdicts.get(s.seq), held)
        tally[verdict] += 1
        if s.seq in verdicts:
            reason = verdicts[s.seq]
            tally[reason.split(":")[0]] += 1
        if verdict == "stored":
            stored.append(s.fact)
    now = scene.centre.held([f.op_id for f in stored])
    assert {f.op_id: now.get(f.op_id) for f in stored} == {
        f.op_id: (desk.device_id, f.digest) for f in stored
    }
    tally["ops"] += len(sent)


def all_reports(centre: Centre, offices: list[str], provinces: list[str]) -> list[Response]:
    answers = [centre.report("/offices")]
    for office in offices:
        answers.append(centre.report("/offices/{office}", office=office))
        for day in DAYS:
            answers.append(centre.report("/offices/{office}/days/{day}", office=office, day=day))
    answers += [centre.report("/provinces/{prefix}", prefix=p) for p in provinces]
    return answers


def test_generated_pushes_reach_the_validation(centre: Centre) -> None:
    scene = fuzz_scene(centre)
    tally: Counter[str] = Counter()
    started = time.monotonic()

    def push(batches: st.SearchStrategy[FuzzBatch], examples: int) -> None:
        @given(batch=batches)
        @settings(
            max_examples=examples,
            deadline=None,
            derandomize=True,  # the same pushes every run: a failure is reproducible
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        )
        def push_one(batch: FuzzBatch) -> None:
            push_and_judge(scene, batch, tally)

        push_one()

    push(fuzz_batches(scene), centre.sizes.batches)
    # Then every rule beyond the registry's types, broken in a few pushes of its own: drawn
    # freely, the rarer ones might never come up.
    for broken in ruled_columns():
        push(fuzz_batches(scene, broken), 2)
    # And clean voids and refunds of the counter's own payments, a few pushes of their own, so
    # each refusal a payment's state gives comes up (free draws name an own payment in a void
    # or refund a few dozen times in a run, too few to be sure of the rarest).
    push(payment_state_batches(scene), PAYMENT_STATE_PUSHES)
    judged = sum(tally[k] for k in ("stored", "refused on its values", "refused on its references"))
    print(
        f"\n{centre.backend}: {tally['pushes']} pushes, {tally['ops']} ops in "
        f"{time.monotonic() - started:.1f} s: {dict(sorted(tally.items()))}"
    )
    # Every push is well formed, so every one reaches the validation (200 with each op's fate),
    # and the values drawn reach each of its outcomes.
    assert tally["pushes"] >= centre.sizes.batches // 2
    assert tally["answered 200"] == tally["pushes"]
    for outcome in ("stored", "refused on its values", "refused on its references"):
        assert tally[outcome] >= judged // 10, (outcome, tally)
    assert tally["conflict.device"] > 0 and tally["conflict.content"] > 0, tally
    if centre.sizes.every_fate:  # and every refusal a payment's state gives
        assert all(tally[reason] > 0 for reason in PAYMENT_STATE), tally
    offices, provinces = ["VTE-SST", "LPB-CHO"], ["VTE", "LPB"]
    assert all(r.status_code == 200 for r in all_reports(centre, offices, provinces))


# -- 2. a stateful run against an honest centre ------------------------------------------------


@dataclass
class Paid:
    who: str
    amount: int
    day: str
    voided_on: str | None = None
    refunds: list[tuple[str, int]] = field(default_factory=list)

    @property
    def left(self) -> int:
        return self.amount - sum(amount for _, amount in self.refunds)


@dataclass
class Expected:
    """A push's reply as an honest centre gives it."""

    high_water: int
    stored: int = 0
    duplicates: int = 0
    conflicts: dict[int, tuple[str, str]] = field(default_factory=dict)  # seq: (op_id, reason)
    rejected: dict[int, tuple[str | None, frozenset[str]]] = field(default_factory=dict)


class HonestCentre:
    """What a centre keeping the protocol's rules holds (PROTOCOL_NOTES.md, push step 2),
    written from those rules rather than from sync/server/push.py."""

    def __init__(self, offices: dict[str, str]) -> None:
        self.offices = offices  # each counter's office
        self.ops: dict[str, tuple[str, Drawn]] = {}  # op_id: (who, fact)
        self.requests: dict[str, tuple[str, str]] = {}  # id: (who, business date)
        self.payments: dict[str, Paid] = {}
        self.sessions: dict[str, str] = {}  # id: who
        self.high_water: dict[str, int] = {}

    def push(self, who: str, sent: list[Sent]) -> Expected:
        expected = Expected(self.high_water.get(who, 0))
        first: dict[str, bytes] = {}  # the batch's ops so far, by op_id
        for s in sorted(sent, key=lambda s: s.seq):
            fact = s.fact
            if fact.refused:
                expected.rejected[s.seq] = (None, fact.refused)
                continue
            op_id, digest = fact.op_id, fact.digest
            if op_id in first:  # the same op_id twice in one batch
                if first[op_id] == digest:
                    expected.duplicates += 1
                else:
                    expected.conflicts[s.seq] = (op_id, "conflict.content")
                continue
            first[op_id] = digest
            if op_id in self.ops:
                owner, held = self.ops[op_id]
                if owner != who:
                    expected.conflicts[s.seq] = (op_id, "conflict.device")
                elif held.digest != digest:
                    expected.conflicts[s.seq] = (op_id, "conflict.content")
                else:
                    expected.duplicates += 1
                continue
            reason = self._refusal(who, fact)
            if reason is not None:
                expected.rejected[s.seq] = (op_id, frozenset({reason}))
                continue
            self._take(who, fact)
            self.ops[op_id] = (who, fact)
            expected.stored += 1
            expected.high_water = max(expected.high_water, s.seq)
        self.high_water[who] = expected.high_water
        return expected

    def _refusal(self, who: str, fact: Drawn) -> str | None:
        if fact.entity not in REFERS:
            return None
        column, kind = REFERS[fact.entity]
        ref = fact.row[column]
        owners = {
            "requests": {i: w for i, (w, _) in self.requests.items()},
            "payments": {i: p.who for i, p in self.payments.items()},
            "cash_sessions": self.sessions,
        }[kind]
        if ref not in owners:
            return f"ref.unknown:{column}"
        mine = owners[ref] == who
        if not mine and not (self.offices[owners[ref]] == self.offices[who] and office_write(fact)):
            return f"ref.owner:{column}"
        if kind != "payments" or fact.entity == "receipt_prints":
            return None
        paid = self.payments[ref]
        if paid.voided_on is not None:
            return "payment.voided"
        if fact.entity == "voids" and paid.refunds:
            return "payment.refunded"
        if fact.entity == "refunds" and fact.row["amount"] > paid.left:
            return "refund.over"
        return None

    def _take(self, who: str, fact: Drawn) -> None:
        row = fact.row
        if fact.entity == "requests":
            self.requests[row["id"]] = (who, row["business_date"])
        elif fact.entity == "payments":
            self.payments[row["id"]] = Paid(who, row["amount"], row["business_date"])
        elif fact.entity == "cash_sessions":
            self.sessions[row["id"]] = who
        elif fact.entity == "voids":
            self.payments[row["payment_id"]].voided_on = row["business_date"]
        elif fact.entity == "refunds":
            self.payments[row["payment_id"]].refunds.append((row["business_date"], row["amount"]))

    def figures(self, whos: set[str], day: str | None = None) -> dict[str, int]:
        """The counters `whos`' figures, all days or one (each fact on its own business date)."""

        def on(d: str | None) -> bool:
            return d is not None and (day is None or d == day)

        paid = [p for p in self.payments.values() if p.who in whos]
        refunds = [a for p in paid for d, a in p.refunds if on(d)]
        voided = [p.amount for p in paid if on(p.voided_on)]
        out = {
            "requests": sum(w in whos and on(d) for w, d in self.requests.values()),
            "payments": sum(on(p.day) for p in paid),
            "voids": len(voided),
            "refunds": len(refunds),
            "gross": sum(p.amount for p in paid if on(p.day)),
            "voided": sum(voided),
            "refunded": sum(refunds),
        }
        out["fee_total"] = out["gross"] - out["voided"] - out["refunded"]
        return out


def pick(report: dict[str, Any], keys: tuple[str, ...]) -> dict[str, int]:
    return {k: report[k] for k in keys}


AMOUNTS = st.one_of(st.integers(1, 500_000), st.sampled_from([1, MAX_FEE, AMOUNT_MAX]))
WHOM = st.sampled_from(WHO)
DAY = st.sampled_from(DAYS)


class PushMachine(RuleBasedStateMachine):
    """Counters write facts (honest ones and forgeries) and push them; the model says what an
    honest centre answers and holds. Each run has offices of its own on the shared centre, so
    the offices and provinces before it must keep their figures, plus its own."""

    centre: ClassVar[Centre]  # set by a subclass per test: hypothesis makes the instances

    def __init__(self) -> None:
        super().__init__()
        centre = self.centre
        n = next(centre.offices)
        places = {"self": ("VTE", 1), "neighbour": ("VTE", 2), "stranger": ("LPB", 1)}
        self.offices_before, self.provinces_before = self._figures_before()
        self.desks = {
            who: centre.enroll(who, f"{province}-M{n:04d}", number, f"machine-{n}-{who}")
            for who, (province, number) in places.items()
        }
        self.offices: dict[str, set[str]] = {}
        self.provinces: dict[str, set[str]] = {}
        for who, (province, _) in places.items():
            self.offices.setdefault(self.desks[who].office, set()).add(who)
            self.provinces.setdefault(province, set()).add(who)
        self.model = HonestCentre({who: desk.office for who, desk in self.desks.items()})
        # What the counters wrote, pushed or not: the facts forgeries name.
        self.known: dict[str, dict[str, list[str]]] = {
            kind: {who: [] for who in WHO} for kind in ("requests", "payments", "sessions")
        }
        self.amounts: dict[str, int] = {}  # a payment's amount
        self.owners: dict[str, str] = {}  # a request's counter
        self.status_seq: dict[str, int] = {}  # a request's next status seq at its counter
        self.nothing = itertools.count()
        self.spoiled: dict[tuple[str, str], st.SearchStrategy[Drawn]] = {}
        # Each counter starts with a day's work at the centre, for the rules to act on.
        for who in WHO:
            for day in DAYS:
                self.visit(who, day, fee=20_000, amount=20_000, send=False)
            self.open_cash(who, amount=50_000, send=True)
        self.changed = True

    def _figures_before(self) -> tuple[dict[str, dict[str, int]], dict[str, dict[str, int]]]:
        offices = {r["office"]: pick(r, TOTALS) for r in self.centre.report("/offices").json()}
        provinces = {}
        for province in ("VTE", "LPB"):
            reply = self.centre.report("/provinces/{prefix}", prefix=province)
            assert reply.status_code in (200, 404), reply.text
            zero = dict.fromkeys(TOTALS, 0)
            provinces[province] = pick(reply.json(), TOTALS) if reply.status_code == 200 else zero
        return offices, provinces

    # -- writing and pushing --------------------------------------------------------------------

    def _write(self, who: str, *facts: Drawn, send: bool = True) -> None:
        desk = self.desks[who]
        desk.queue += [Sent(next(desk.seqs), f) for f in facts]
        if send:
            self._push(desk, desk.queue)
            desk.queue = []

    def _push(self, desk: Desk, sent: list[Sent]) -> None:
        expected = self.model.push(desk.who, sent)
        reply = self.centre.push(desk.token, batch_body(desk.device_id, sent, {}))
        assert reply.status_code == 200, reply.text
        got = reply.json()
        assert (got["high_water"], got["stored"], got["duplicates"]) == (
            expected.high_water, expected.stored, expected.duplicates,
        ), (got, expected)  # fmt: skip
        assert {c["seq"]: (c["op_id"], c["reason"]) for c in got["conflicts"]} == expected.conflicts
        assert {r["seq"] for r in got["rejected"]} == set(expected.rejected), (got, expected)
        for r in got["rejected"]:
            op_id, reasons = expected.rejected[r["seq"]]
            assert r["reason"] in reasons and op_id in (None, r["op_id"]), (r, expected)
        outcomes = self.centre.outcomes
        outcomes.update(r["reason"].split(":")[0] for r in got["rejected"] + got["conflicts"])
        outcomes.update(stored=got["stored"], duplicates=got["duplicates"], pushes=1)
        desk.last = sent
        self.changed = True

    def _target(self, data: st.DataObject, kind: str, who: str) -> str:
        """A fact the counter `who` wrote (half the time), another counter's (pushed or not), or
        one no counter wrote."""
        whose = data.draw(st.sampled_from(["own", "own", "other", "nothing"]), label="whose")
        ids = [
            i
            for w, written in self.known[kind].items()
            if whose != "nothing" and (w == who) == (whose == "own")
            for i in written
        ]
        return data.draw(st.sampled_from(ids)) if ids else f"nothing-{next(self.nothing)}"

    # -- the facts a counter writes, and forgeries of them ------------------------------------

    @rule(who=WHOM, day=DAY, fee=st.integers(0, MAX_FEE), amount=AMOUNTS, send=st.booleans())
    def visit(self, who: str, day: str, fee: int, amount: int, send: bool) -> None:
        desk = self.desks[who]
        request = honest("requests", desk, business_date=day, fee=fee)
        payment = honest(
            "payments", desk, business_date=day, amount=amount, request_id=request.row["id"],
            receipt_year=2026,
        )  # fmt: skip
        self.known["requests"][who].append(request.row["id"])
        self.owners[request.row["id"]] = who
        self.known["payments"][who].append(payment.row["id"])
        self.amounts[payment.row["id"]] = amount
        self._write(who, request, payment, send=send)

    @rule(who=WHOM, amount=st.integers(0, AMOUNT_MAX), send=st.booleans())
    def open_cash(self, who: str, amount: int, send: bool) -> None:
        session = honest("cash_sessions", self.desks[who], float_amount=amount)
        self.known["sessions"][who].append(session.row["id"])
        self._write(who, session, send=send)

    @rule(data=st.data(), who=WHOM, day=DAY, send=st.booleans())
    def void(self, data: st.DataObject, who: str, day: str, send: bool) -> None:
        payment = self._target(data, "payments", who)
        voiding = honest("voids", self.desks[who], payment_id=payment, business_date=day)
        self._write(who, voiding, send=send)

    @rule(data=st.data(), who=WHOM, day=DAY, send=st.booleans())
    def refund(self, data: st.DataObject, who: str, day: str, send: bool) -> None:
        payment = self._target(data, "payments", who)
        paid = self.model.payments.get(payment)
        left = paid.left if paid is not None else self.amounts.get(payment, 1000)
        # Within what is left, all of it, one kip more (often), or any amount.
        within, over = st.integers(1, max(left, 1)), st.just(left + 1)
        amount = data.draw(weighted((within, 1), (st.just(left), 1), (over, 2), (AMOUNTS, 1)))
        row = honest(
            "refunds", self.desks[who], payment_id=payment, business_date=day, amount=amount
        ).row
        refused = frozenset() if 1 <= amount <= AMOUNT_MAX else frozenset({"row.value:amount"})
        self._write(who, Drawn("refunds", row, refused), send=send)

    @rule(data=st.data(), who=WHOM, rating=st.integers(0, 6), send=st.booleans())
    def feedback(self, data: st.DataObject, who: str, rating: int, send: bool) -> None:
        request = self._target(data, "requests", who)
        row = honest("feedback", self.desks[who], request_id=request, rating=rating).row
        refused = frozenset() if 1 <= rating <= 5 else frozenset({"row.value:rating"})
        self._write(who, Drawn("feedback", row, refused), send=send)

    @rule(data=st.data(), who=WHOM, status=st.sampled_from(STATUSES), send=st.booleans())
    def change_status(self, data: st.DataObject, who: str, status: str, send: bool) -> None:
        """A status change. Another counter's takes the id (request/seq) the request's own
        counter uses next, as a squatter would: the own counter's must still be stored."""
        request = self._target(data, "requests", who)
        seq = self.status_seq.get(request, 1)
        if self.owners.get(request) == who:
            self.status_seq[request] = seq + 1
        change = honest("status_events", self.desks[who], request_id=request, seq=seq)
        self._write(who, Drawn("status_events", {**change.row, "status": status}), send=send)

    @rule(data=st.data(), who=WHOM, counted=st.integers(0, AMOUNT_MAX), send=st.booleans())
    def close_cash(self, data: st.DataObject, who: str, counted: int, send: bool) -> None:
        session = self._target(data, "sessions", who)
        expected = data.draw(st.integers(-AMOUNT_MAX - 1, AMOUNT_MAX + 1))
        off = data.draw(st.sampled_from([0, 0, 0, 1]), label="a difference that does not add up")
        row = honest(
            "cash_closes", self.desks[who], session_id=session, counted=counted,
            expected=expected, difference=counted - expected + off,
        ).row  # fmt: skip
        refused: frozenset[str] = frozenset()
        if abs(expected) > AMOUNT_MAX:
            refused = frozenset({"row.value:expected"})
        elif off:
            refused = frozenset({"row.value:difference"})
        self._write(who, Drawn("cash_closes", row, refused), send=send)

    @rule(data=st.data(), who=WHOM, copy=st.sampled_from([0, 1]), send=st.booleans())
    def print_receipt(self, data: st.DataObject, who: str, copy: int, send: bool) -> None:
        payment = self._target(data, "payments", who)
        printed = honest("receipt_prints", self.desks[who], payment_id=payment, seq=1, copy=copy)
        self._write(who, printed, send=send)

    @rule(data=st.data(), who=WHOM, entity=st.sampled_from(sorted(FACTS)), send=st.booleans())
    def out_of_bounds(self, data: st.DataObject, who: str, entity: str, send: bool) -> None:
        """A fact with one value no counter writes (drawn as in the first test)."""
        if (who, entity) not in self.spoiled:
            self.spoiled[who, entity] = drawn_rows(entity, self.desks[who], Pools(), one_spoil)
        self._write(who, data.draw(self.spoiled[who, entity]), send=send)

    # A fact the centre holds sent again changed, or by another counter: a conflict, never an
    # overwrite. (Its own copy as it is: `resend`.) The counter's own changed copy is a rule of
    # its own, so that hypothesis, which turns a random set of rules off in each run, does not
    # leave it out with the others' (CI once drew it in none of 12 runs).
    @precondition(lambda self: bool(self.model.ops))
    @rule(data=st.data())
    def copy_held_changed(self, data: st.DataObject) -> None:
        self._copy_held(data, "own changed")

    @precondition(lambda self: bool(self.model.ops))
    @rule(data=st.data(), how=st.sampled_from(["other as is", "other changed"]))
    def copy_held_by_another(self, data: st.DataObject, how: str) -> None:
        self._copy_held(data, how)

    def _copy_held(self, data: st.DataObject, how: str) -> None:
        op_id = data.draw(st.sampled_from(sorted(self.model.ops)))
        owner, held = self.model.ops[op_id]
        who = owner if how == "own changed" else data.draw(WHOM.filter(lambda w: w != owner))
        fact = FACTS[held.entity]
        row = dict(held.row)
        if how.endswith("changed"):
            row[fact.device_time] = "2026-11-26T01:30:00.000000Z"
        foreign = fact.numbered is not None and not row[fact.numbered].startswith(
            self.desks[who].prefix
        )
        self._write(who, Drawn(held.entity, row, frozenset({"op.office"} if foreign else ())))

    @precondition(lambda self: any(d.queue for d in self.desks.values()))
    @rule(data=st.data())
    def push_with_a_copy(self, data: st.DataObject) -> None:
        """A batch holding its last op twice, under two seqs."""
        desk = data.draw(st.sampled_from([d for d in self.desks.values() if d.queue]))
        self._write(desk.who, desk.queue[-1].fact)

    @precondition(lambda self: any(d.last for d in self.desks.values()))
    @rule(data=st.data())
    def resend(self, data: st.DataObject) -> None:
        """The last batch again, as after a lost reply."""
        desk = data.draw(st.sampled_from([d for d in self.desks.values() if d.last]))
        self._push(desk, desk.last)

    # -- what the reports say -------------------------------------------------------------------

    @invariant()
    def reports_are_the_honest_centres(self) -> None:
        """Checked after each step that pushed: the others change nothing at the centre."""
        if not self.changed:
            return
        self.changed = False
        offices = dict(self.offices_before)
        for office, whos in self.offices.items():
            offices[office] = pick({"devices": len(whos), **self.model.figures(whos)}, TOTALS)
            self.centre.outcomes.update(
                {f"reports with {k}": 1 for k in ("voided", "refunded") if offices[office][k]}
            )
        listed = self.centre.report("/offices")
        assert listed.status_code == 200, listed.text
        assert {r["office"]: pick(r, TOTALS) for r in listed.json()} == offices
        for office, whos in self.offices.items():
            reply = self.centre.report("/offices/{office}", office=office)
            assert reply.status_code == 200, reply.text
            assert pick(reply.json(), TOTALS) == offices[office]
            for day in DAYS:
                reply = self.centre.report("/offices/{office}/days/{day}", office=office, day=day)
                assert reply.status_code == 200, reply.text
                assert pick(reply.json(), DAY_TOTALS) == self.model.figures(whos, day), day
        for province, whos in self.provinces.items():
            reply = self.centre.report("/provinces/{prefix}", prefix=province)
            assert reply.status_code == 200, reply.text
            ours = {"devices": len(whos), **self.model.figures(whos)}
            before = self.provinces_before[province]
            assert pick(reply.json(), TOTALS) == {k: before[k] + ours[k] for k in TOTALS}


def test_honest_and_forged_pushes_keep_the_reports_honest(centre: Centre) -> None:
    started = time.monotonic()

    class OnThisCentre(PushMachine):
        pass

    OnThisCentre.centre = centre
    run_state_machine_as_test(
        OnThisCentre,
        settings=settings(
            max_examples=centre.sizes.runs,
            stateful_step_count=centre.sizes.steps,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        ),
    )
    runs = next(centre.offices) - 1
    outcomes = centre.outcomes
    print(
        f"\n{centre.backend}: {runs} state machine runs in {time.monotonic() - started:.1f} s: "
        f"{dict(sorted(outcomes.items()))}"
    )
    assert runs >= centre.sizes.runs
    if not centre.sizes.every_fate:
        return
    # The rules reach the fates an op can have, and reports that net voids and refunds. (Hypothesis
    # turns a random set of rules off in each run, so the rarest fates are the first test's.)
    for outcome in (
        "stored", "duplicates", "conflict.device", "conflict.content", "ref.unknown", "ref.owner",
        "row.value", "row.type", "reports with voided", "reports with refunded",
    ):  # fmt: skip
        assert outcomes[outcome] > 0, (outcome, outcomes)
