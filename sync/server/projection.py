"""The typed tables, from the ops a push stored.

Every fact goes into its kind's table (sync/server/db.py, `TYPED`) with the registry's columns
and the centre's own (`CENTRE_COLUMNS`): a payment carries its request's service, a void or
refund its payment's amount, service and clerk, feedback its request's service and clerk, a cash
close its session's business date, and a fact without a business date of its own the office's
local date of its device time. A status event also moves its request: the latest status (by the
request's own sequence, whatever order events arrive in), the date it was first ready and how
many working days that took, the date it was closed, how often it was sent back. A request's fee
is checked against the centre's catalogs as it arrives (`db.FEE_CHECKS`). A status event that
makes a request whose citizen agreed to messages ready, returns it for documents, or gives it a
new date (an event that keeps its status and counts as no step) queues a message to the
citizen's phone (sync/server/messages.py) when it is still the request's latest status at the
end of the push: a counter back after days offline does not announce "ready" for
a request already collected.

What a fact refers to is looked up in the same batch first (a counter sends in ledger order, so
it always comes earlier), then in the database: `load` reads it once per kind, before the push's
reference checks, which use the same rows. The writes are one INSERT per table, one UPDATE for
the requests the batch moved and the roll-ups' upserts (rollups.writes), handed back to the push,
which runs them with its own in one statement on PostgreSQL (db.write_all).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import Connection, bindparam, null, select

from odsc_desk.shared.calendar_file import Calendar
from odsc_desk.shared.catalog_file import parse_catalog
from odsc_desk.shared.clock import local_date
from odsc_desk.shared.facts import FACTS
from odsc_desk.shared.request_history import CLOSED_STATUSES, StatusEvent, fold
from sync.protocol import LATER, Op
from sync.server import calendars, messages, rollups
from sync.server.db import (
    CENTRE_COLUMNS,
    TYPED,
    Write,
    cash_sessions,
    catalogs,
    closures,
    inserted,
    kept,
    one_of,
    online_feedback,
    payments,
    requests,
    status_events,
    updated,
)
from sync.server.figures.workdays import working_days_between
from sync.server.rollups import Contribution

Owner = tuple[str, int]  # (office, counter)

# The column by which a fact names another, and the kind of fact it names.
REFERS: dict[str, tuple[str, str]] = {
    "status_events": ("request_id", "requests"),
    "feedback": ("request_id", "requests"),
    "payments": ("request_id", "requests"),
    "voids": ("payment_id", "payments"),
    "refunds": ("payment_id", "payments"),
    "receipt_prints": ("payment_id", "payments"),
    "cash_closes": ("session_id", "cash_sessions"),
}

# Each table's columns copied from the fact's row as the counter wrote it; the later ones
# (protocol.LATER) only into a database that has them (see project).
_COPIED: dict[str, tuple[str, ...]] = {
    name: tuple(
        c.name for c in table.columns if c.name in FACTS[name].columns and c.name not in LATER[name]
    )
    for name, table in TYPED.items()
}


# The facts whose every column on the wire is copied into their table (with the later ones): a
# row is taken in whole, without naming its columns one by one.
_WHOLE_ROW = frozenset(
    name for name in TYPED if set(FACTS[name].columns) <= {*_COPIED[name], *LATER[name]}
)


# The centre's own columns a database replayed at an early revision (0005) does not have yet.
_LATER_CENTRE = {"requests": ("shared",)}


@cache
def _typed(name: str, later: bool) -> tuple[str, ...]:
    """The columns of a typed row of `name` (`later`: with the later ones, see project)."""
    names = dict.fromkeys(
        (
            *CENTRE_COLUMNS[name],
            *_COPIED[name],
            *(LATER[name] if later else ()),
            *("id", "device_id", "office", "counter"),
        )
    )
    return tuple(n for n in names if later or n not in _LATER_CENTRE.get(name, ()))


# A request's state, kept current by its status events; `shared` (0017) only in a database
# that has the later columns (see project).
_STATE = ("status", "status_seq", "ready_on", "closed_on", "returned", "working_days")
_LATER_STATE = (*_STATE, *_LATER_CENTRE["requests"])


def _state_names(later: bool) -> tuple[str, ...]:
    return _LATER_STATE if later else _STATE


@dataclass
class Request:
    """A request as the facts referring to it need it, and its state the status events move."""

    owner: Owner
    business_date: str
    service_code: str
    created_by: str | None
    promised_date: str | None
    tracking: str = ""
    # Where a message about it goes: the citizen's phone when they agreed, and their language.
    phone: str | None = None
    sms_lang: str | None = None
    rated_online: bool = False  # the citizen rated it online (the centre holds the request)
    status: str = "received"
    status_seq: int = 0
    ready_on: str | None = None
    closed_on: str | None = None
    returned: int = 0
    working_days: int | None = None
    # Another counter of the office wrote on it: its status is the fold of its events (D4).
    shared: int = 0
    # Of a shared request, the device of its last event the fold took (status_seq is its seq).
    latest_device: str | None = None

    def state(self, later: bool) -> dict[str, Any]:
        return {name: getattr(self, name) for name in _state_names(later)}


@dataclass
class Payment:
    owner: Owner
    amount: int
    service_code: str | None
    by: str | None


@dataclass
class Session:
    owner: Owner
    business_date: str


@dataclass
class Known:
    """The facts a batch refers to, by id: read from the database, then added to as the
    batch's own facts are taken in seq order."""

    requests: dict[str, Request] = field(default_factory=dict)
    payments: dict[str, Payment] = field(default_factory=dict)
    sessions: dict[str, Session] = field(default_factory=dict)


def load(conn: Connection, ops: Iterable[Op], later: bool = True) -> Known:
    """Read, in one query per kind, the stored facts `ops` refer to."""
    wanted: dict[str, set[str]] = {"requests": set(), "payments": set(), "cash_sessions": set()}
    for op in ops:
        if op.entity in REFERS:
            column, kind = REFERS[op.entity]
            wanted[kind].add(op.row[column])
    known = Known()
    dialect = conn.dialect.name
    if wanted["requests"]:
        _load_requests(conn, wanted["requests"], known, later)
    if wanted["payments"]:
        for pay in conn.execute(_payments_of(dialect), {"ids": list(wanted["payments"])}):
            known.payments[pay.id] = Payment(
                (pay.office, pay.counter), int(pay.amount), pay.service_code, pay.by
            )
    if wanted["cash_sessions"]:
        ids = list(wanted["cash_sessions"])
        for session in conn.execute(_sessions_of(dialect), {"ids": ids}):
            known.sessions[session.id] = Session(
                (session.office, session.counter), session.business_date
            )
    return known


def _load_requests(conn: Connection, ids: set[str], known: Known, later: bool) -> None:
    """`later` False: the database predates the messages' columns (migration 0005 replaying)."""
    for row in conn.execute(_requests_of(conn.dialect.name, later), {"ids": list(ids)}):
        request = Request(
            (row.office, row.counter), row.business_date, row.service_code, row.created_by,
            row.promised_date,
        )  # fmt: skip
        for name in _state_names(later):
            setattr(request, name, getattr(row, name))
        if later:
            request.tracking = row.tracking
            request.rated_online = bool(row.rated_online)
            if row.sms_consent == 1:
                request.phone, request.sms_lang = row.phone, row.sms_lang
        known.requests[row.id] = request


def project(
    conn: Connection,
    device_id: str,
    owner: Owner,
    stored: Sequence[Op],
    known: Known,
    dated_catalogs: bool = True,
    received: str | None = None,
) -> list[Write]:
    """The writes of the typed rows of the ops a push stored, the moves of the requests their
    status events name, and their roll-ups, for db.write_all (the caller adds its own); the
    messages the events bring are queued here. `known` is what `load` read for the same ops.
    `dated_catalogs` False: the database is at migration 0005, which replays the ops it holds:
    it predates catalogs' effective dates (0008; every version took effect at once then), the
    online ratings (0009; none had come online), the messages' columns (0010), the national
    calendar (0012) and the new dates (0014). `received`: the push's time at the centre;
    messages are queued only then, never when held ops are replayed."""
    if not stored:
        return []
    batch = _Batch(conn, device_id, owner, known, dated_catalogs, stored, received)
    for op in sorted(stored, key=lambda o: o.seq):
        batch.take(op)
    return batch.write()


class _Batch:
    def __init__(
        self,
        conn: Connection,
        device_id: str,
        owner: Owner,
        known: Known,
        dated_catalogs: bool,
        stored: Sequence[Op],
        received: str | None,
    ) -> None:
        self.conn = conn
        self.stored = stored
        self.device_id = device_id
        self.owner = owner
        self.known = known
        self.rows: dict[str, list[dict[str, Any]]] = {name: [] for name in TYPED}
        self.new_requests: dict[str, tuple[dict[str, Any], Request]] = {}
        self.moved: dict[str, Request] = {}  # requests stored before this batch
        self.refold: dict[str, Request] = {}  # shared requests the batch's status events name
        self.contributions: list[Contribution] = []
        self.catalogs = _Catalogs(conn, dated_catalogs)
        self.office_closures: set[date] | None = None  # read at the first ready event
        self.later = dated_catalogs  # the database has the later columns (see project)
        self.received = received
        self.notices: list[messages.Notice] = []
        # The national calendar in effect on each ready day met (a database replayed before
        # migration 0012, dated_catalogs False, has none: the package's days).
        self.national: dict[str, Calendar | None] = {}
        self.published: calendars.Published | None = None  # read at the first ready day
        self.dated = dated_catalogs

    def take(self, op: Op) -> None:
        row = op.row
        typed = dict.fromkeys(_typed(op.entity, self.later))
        if self.later and op.entity in _WHOLE_ROW:
            typed.update(row)  # every column the row can carry is one of the table's
        else:
            typed.update({c: row.get(c) for c in _COPIED[op.entity]})
            if self.later:
                typed.update({c: row.get(c) for c in LATER[op.entity]})
        typed.update(
            id=op.op_id, device_id=self.device_id, office=self.owner[0], counter=self.owner[1]
        )
        _TAKE[op.entity](self, op, row, typed)
        if op.entity != "requests":  # written once its status events are in
            self.rows[op.entity].append(typed)

    def count(
        self,
        day: str,
        service_code: str | None,
        counts: dict[str, int],
        clerk: str | None = None,
        days: int | None = None,
    ) -> None:
        self.contributions.append(
            Contribution(day, self.owner[0], self.owner[1], service_code, counts, clerk, days)
        )

    # One method per fact kind: its centre columns, what it changes, what it counts.

    def _requests(self, op: Op, row: dict[str, Any], typed: dict[str, Any]) -> None:
        request = Request(
            self.owner, row["business_date"], row["service_code"], row.get("created_by"),
            row.get("promised_date"), row["tracking"],
        )  # fmt: skip
        if row.get("sms_consent") == 1:
            request.phone, request.sms_lang = row.get("phone"), row.get("sms_lang")
        self.known.requests[op.op_id] = request
        self.new_requests[op.op_id] = (typed, request)
        check = self.catalogs.check(
            row["catalog_version"],
            row["service_code"],
            row["fee"],
            row["created_at"],
            row["business_date"],
        )
        typed["fee_check"] = check
        self.count(
            row["business_date"],
            row["service_code"],
            {"received": 1, f"fee_{check}": 1},
            row.get("created_by"),
        )

    def _status_events(self, op: Op, row: dict[str, Any], typed: dict[str, Any]) -> None:
        request = self.known.requests[row["request_id"]]
        day = _local_day(row["at"])
        typed["business_date"] = day
        status, service = row["status"], request.service_code
        # A late request's new date keeps its status: no step of its own to count.
        new_day = row.get("new_date")
        if request.owner != self.owner:
            request.shared = 1  # another counter's request of the office (push._shared)
        if request.shared and self.later:
            self.refold[row["request_id"]] = request  # its status: in write, by the fold
        elif row["seq"] > request.status_seq:
            request.status, request.status_seq = status, row["seq"]
        if status == "ready" and request.ready_on is None:
            request.ready_on = day
            request.working_days = working_days_between(
                date.fromisoformat(request.business_date),
                date.fromisoformat(day),
                self._office_closures(),
                self._national(day),
            )
            on_time = request.promised_date is not None and day <= request.promised_date
            counts = {"ready": 1, "on_time": int(on_time)}
            self.count(day, service, counts, days=request.working_days)
        elif status in CLOSED_STATUSES:
            request.closed_on = request.closed_on or day
            self.count(day, service, {status: 1})
        elif status == "incomplete" and new_day is None:
            request.returned += 1
            self.count(day, service, {"returned": 1})
        if row["request_id"] not in self.new_requests:
            self.moved[row["request_id"]] = request
        kind = status if new_day is None else "new_date"
        if kind in messages.KINDS and request.phone and self.received is not None:
            self.notices.append(
                messages.Notice(op.op_id, row["request_id"], row["seq"], kind, request, new_day)
            )

    def _payments(self, op: Op, row: dict[str, Any], typed: dict[str, Any]) -> None:
        request = self.known.requests.get(row["request_id"])
        service = request.service_code if request is not None else None
        typed["service_code"] = service
        self.known.payments[op.op_id] = Payment(self.owner, row["amount"], service, row.get("by"))
        counts = {"payments": 1, "gross": row["amount"]}
        self.count(row["business_date"], service, counts, row.get("by"))

    def _voids(self, op: Op, row: dict[str, Any], typed: dict[str, Any]) -> None:
        paid = self.known.payments[row["payment_id"]]
        typed.update(amount=paid.amount, service_code=paid.service_code, payment_by=paid.by)
        counts = {"voids": 1, "voided": paid.amount}
        self.count(row["business_date"], paid.service_code, counts, paid.by)

    def _refunds(self, op: Op, row: dict[str, Any], typed: dict[str, Any]) -> None:
        paid = self.known.payments[row["payment_id"]]
        typed.update(service_code=paid.service_code, payment_by=paid.by)
        counts = {"refunds": 1, "refunded": row["amount"]}
        self.count(row["business_date"], paid.service_code, counts, paid.by)

    def _cash_sessions(self, op: Op, row: dict[str, Any], typed: dict[str, Any]) -> None:
        self.known.sessions[op.op_id] = Session(self.owner, row["business_date"])

    def _cash_closes(self, op: Op, row: dict[str, Any], typed: dict[str, Any]) -> None:
        typed["business_date"] = self.known.sessions[row["session_id"]].business_date

    def _feedback(self, op: Op, row: dict[str, Any], typed: dict[str, Any]) -> None:
        request = self.known.requests[row["request_id"]]
        day = _local_day(row["at"])
        typed.update(
            business_date=day, service_code=request.service_code, request_by=request.created_by
        )
        if request.rated_online:
            # One rating a request: the citizen rated it online before this one, taken at a
            # counter that had not yet heard, arrived. Kept, as every fact is; counted once.
            return
        rating = row["rating"]
        counts = {"feedback": 1, "rating_sum": rating, f"rating_{rating}": 1}
        self.count(day, request.service_code, counts, request.created_by)

    def _receipt_prints(self, op: Op, row: dict[str, Any], typed: dict[str, Any]) -> None:
        typed["business_date"] = _local_day(row["at"])

    def _closures(self, op: Op, row: dict[str, Any], typed: dict[str, Any]) -> None:
        typed["business_date"] = _local_day(row["created_at"])
        if self.office_closures is not None:
            self.office_closures.add(date.fromisoformat(row["date"]))

    def _national(self, day: str) -> Calendar | None:
        """The calendar in effect the day a request became ready: its working days are
        counted by the days off declared by then."""
        if not self.dated:
            return None
        if day not in self.national:
            if self.published is None:
                self.published = calendars.Published(self.conn)
            self.national[day] = self.published.on(date.fromisoformat(day))
        return self.national[day]

    def _office_closures(self) -> set[date]:
        """The office's closures known now: those held before this push, and the batch's own
        taken so far (a ready event counts a closure only if it arrived before it)."""
        if self.office_closures is None:
            statement = _closures_of(self.conn.dialect.name)
            held = self.conn.execute(statement, {"office": self.owner[0]}).scalars()
            self.office_closures = {date.fromisoformat(day) for day in held}
            self.office_closures.update(
                date.fromisoformat(r["date"]) for r in self.rows["closures"]
            )
        return self.office_closures

    def _refold(self) -> None:
        """The status of each shared request the batch moved: the fold of every event it has,
        stored and in the batch, in their one order (docs/OFFICE_SHARING.md, D4), as each
        counter of the office derives it."""
        s = status_events.c
        events: dict[str, list[StatusEvent]] = {rid: [] for rid in self.refold}
        query = select(s.request_id, s.device_id, s.seq, s.status, s.clock, s.new_date).where(
            one_of(self.conn.dialect.name, s.request_id)
        )
        typed_rows = [
            *self.conn.execute(query, {"ids": list(self.refold)}).mappings(),
            *(r for r in self.rows["status_events"] if r["request_id"] in events),
        ]
        for r in typed_rows:
            event = StatusEvent(r["seq"], r["status"], r["device_id"], r["clock"], r["new_date"])
            events[r["request_id"]].append(event)
        for rid, request in self.refold.items():
            history = fold(events[rid])
            taken = [e for e in history.events if e not in history.contested]
            request.status = history.status
            request.status_seq = taken[-1].seq if taken else 0
            request.latest_device = taken[-1].device_id if taken else None

    def _sequence_floors(self, op: Op, row: dict[str, Any], typed: dict[str, Any]) -> None:
        typed["business_date"] = _local_day(row["at"])

    def write(self) -> list[Write]:
        """Queue the messages; the rest is written by the caller."""
        if self.refold:
            self._refold()
        if self.notices and self.received is not None:
            # Only an event still its request's latest when the push is in.
            current = [
                n
                for n in self.notices
                if n.request.status_seq == n.seq
                and n.request.latest_device in (None, self.device_id)
            ]
            messages.queue(self.conn, self.owner[0], current, self.received)
        for typed, request in self.new_requests.values():
            typed.update(request.state(self.later))
            self.rows["requests"].append(typed)
        # The moved requests are not this batch's new ones (see _status_events): no row is
        # both inserted and updated, as db.write_all needs. In id order: two pushes that move
        # the same requests lock them in the same order.
        moved = [
            {"id": rid, **request.state(self.later)} for rid, request in sorted(self.moved.items())
        ]
        return [
            *(inserted(TYPED[name], _typed(name, self.later), r) for name, r in self.rows.items()),
            updated(requests, "id", ("id", *_state_names(self.later)), moved),
            *rollups.writes(self.contributions),
        ]


_Take = Callable[[_Batch, Op, dict[str, Any], dict[str, Any]], None]
_TAKE: dict[str, _Take] = {
    "requests": _Batch._requests,
    "status_events": _Batch._status_events,
    "payments": _Batch._payments,
    "voids": _Batch._voids,
    "refunds": _Batch._refunds,
    "cash_sessions": _Batch._cash_sessions,
    "cash_closes": _Batch._cash_closes,
    "feedback": _Batch._feedback,
    "receipt_prints": _Batch._receipt_prints,
    "closures": _Batch._closures,
    "sequence_floors": _Batch._sequence_floors,
}


def _local_day(moment: str) -> str:
    """The office's date at a device stamp (the push checked its form). The same moment as
    clock.parse_stamp reads, parsed in C: strptime was a fifth of the projection's time."""
    return local_date(datetime.fromisoformat(moment)).isoformat()


# A published version's fees, by its content's sha256: a version never changes once published
# (reference.publish refuses other content under a number already used), so what one push read
# serves every later push of this process, and keying by content keeps two databases apart.
# Reading and parsing the whole catalog at every push was a tenth of the ingest's Python time.
_FEES: dict[str, dict[str, int]] = {}


@dataclass(frozen=True)
class _Published:
    at: str  # when the centre published it: a counter could hold it from then on
    effective_from: str | None  # the day it takes effect at a counter (None: at once)
    sha256: str


@dataclass
class _Catalogs:
    """The centre's published catalogs, read once per push: every version's publication time,
    effective day and content digest; the fees of each version a request of the push names
    come from _FEES."""

    conn: Connection
    dated: bool  # the table has effective dates (see project)
    published: dict[int, _Published] | None = None

    def check(
        self, version: int, service_code: str, fee: int, created_at: str, business_date: str
    ) -> str:
        if self.published is None:
            self.published = {
                r.version: _Published(r.published_at, r.effective_from, r.sha256)
                for r in self.conn.execute(_published(self.conn.dialect.name, self.dated))
            }
        if version not in self.published:
            return "unknown"
        if self._fees(version).get(service_code) != fee:
            return "off_catalog"
        if version == max(self.published):  # most requests: nothing newer to have used
            return "catalog"
        # Old only if the counter should have used a newer version: one it could hold by then
        # and in effect on the request's day (a counter takes the version in effect on its
        # business date, and holds a later-dated one unused until its day).
        newer = any(
            v > version
            and p.at < created_at
            and (p.effective_from is None or p.effective_from <= business_date)
            for v, p in self.published.items()
        )
        return "old_version" if newer else "catalog"

    def _fees(self, version: int) -> dict[str, int]:
        assert self.published is not None  # check() read them
        sha = self.published[version].sha256
        if sha not in _FEES:
            statement = _catalog_text(self.conn.dialect.name)
            text = self.conn.execute(statement, {"version": version}).scalar_one()
            # Read as a counter imports it, so codes compare as the counter wrote them.
            parsed = parse_catalog(json.loads(text))
            _FEES[sha] = {s["code"]: s["fee"] for s in parsed.services}
        return _FEES[sha]


# The projection's lookups, built once per dialect (db.kept).


@kept
def _requests_of(dialect: str, later: bool) -> Any:
    r = requests.c
    # `later`: the messages' columns (0010), and whether the citizen rated it online (0009).
    contact: tuple[Any, ...] = ()
    if later:
        rated = select(online_feedback.c.request_id).where(online_feedback.c.request_id == r.id)
        online = rated.exists().label("rated_online")
        contact = (r.tracking, r.phone, r.sms_consent, r.sms_lang, online)
    return select(
        r.id, r.office, r.counter, r.business_date, r.service_code, r.created_by, r.promised_date,
        *(r[name] for name in _state_names(later)), *contact,
    ).where(one_of(dialect, r.id))  # fmt: skip


@kept
def _payments_of(dialect: str) -> Any:
    p = payments.c
    query = select(p.id, p.office, p.counter, p.amount, p.service_code, p.by)
    return query.where(one_of(dialect, p.id))


@kept
def _sessions_of(dialect: str) -> Any:
    s = cash_sessions.c
    return select(s.id, s.office, s.counter, s.business_date).where(one_of(dialect, s.id))


@kept
def _closures_of(dialect: str) -> Any:
    return select(closures.c.date).where(closures.c.office == bindparam("office"))


@kept
def _published(dialect: str, dated: bool) -> Any:
    c = catalogs.c
    effective = c.effective_from if dated else null()
    return select(c.version, c.published_at, effective.label("effective_from"), c.sha256)


@kept
def _catalog_text(dialect: str) -> Any:
    return select(catalogs.c.catalog).where(catalogs.c.version == bindparam("version"))
