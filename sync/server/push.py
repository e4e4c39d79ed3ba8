"""Applying a pushed batch: every op stored once, whatever the network did to the push.

One batch, one transaction. The ops are inserted with ON CONFLICT DO NOTHING on op_id; what was
not inserted is then read back and classified: the same bytes are a duplicate (a retry after a
lost reply, acknowledged again), different bytes are a conflict (reported, nothing overwritten).
A row the server will not take (bad shape, another counter's number, an impossible value) is
rejected on its own, so one bad op never stalls the queue behind it.

The centre also holds each op to what it already has, as the counter's own rules did when it
wrote it (`_Held`): a status change or feedback only for a request of the same counter, a
void, refund or receipt print only of a payment of the same counter (a void of one neither
voided nor refunded, a refund of no more than is left of it), a cash close only of a session
of the same counter. "Already has" counts the ops before it in the same batch: a counter sends
in ledger order, so a fact always arrives after what it refers to. An op naming something the
centre does not hold is refused like any other (the counter parks it): that is either a forgery
or the follower of an op that was itself refused, and it can be retried once that one is fixed.

Each stored op also goes into its kind's typed table and adds to the roll-ups, in the same
transaction (projection.py, rollups.py); an op refused is kept in `refused_ops` until it is
stored (the counter parks it meanwhile).

Pushes from one device take turns on its `devices` row (SELECT … FOR UPDATE on PostgreSQL,
BEGIN IMMEDIATE on SQLite), so two copies of a batch racing each other store it once. The chain
head a push shows (X-Chain-Head) is judged and kept in the same transaction (anchors.py).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, NamedTuple

import orjson
from fastapi import APIRouter, Depends, Header, Request
from pydantic import BaseModel
from sqlalchemy import Connection, bindparam, delete, func, select

from odsc_desk.shared.clock import stamp
from odsc_desk.shared.ops_set import Head
from sync import fact_rules, protocol
from sync.protocol import Op, Problem, Rejected
from sync.server import anchors, ops_heads, projection
from sync.server.anchors import Anchor, Claim
from sync.server.auth import DEVICE_ONLY, UNAUTHORIZED, Device, DeviceCaller
from sync.server.context import Context, Ctx
from sync.server.db import (
    Write,
    devices,
    dialect_insert,
    insert_statement,
    inserted,
    kept,
    many_params,
    numbers,
    office_feed,
    office_feeds,
    one_of,
    ops,
    refunds,
    refused_ops,
    updated,
    voids,
    write_all,
    writing,
)
from sync.server.problems import documented


class _Incoming(NamedTuple):
    """An op with what the server computes from it once: its id, bytes, digest and time. A
    tuple: one is made for every op pushed."""

    op: Op
    op_id: str
    payload: str
    digest: bytes
    device_time: str


class PushReply(BaseModel):
    high_water: int
    stored: int
    duplicates: int
    conflicts: list[dict[str, Any]]
    rejected: list[dict[str, Any]]
    # Only when the push showed its chain head (sync/server/anchors.py): absent, not null, for
    # the released counters that send none.
    anchor: Anchor | None = None
    # Only when the push carried X-Ops-Set (sync/server/ops_heads.py): whether its head held.
    ops_set: ops_heads.OpsVerdict | None = None


def read_batch(raw: bytes, encoding: str | None) -> Any:
    """The push body as JSON, gunzipped within the limits."""
    coding = (encoding or "identity").strip().lower()
    if coding == "gzip":
        raw = protocol.gunzip_body(raw)
    elif coding != "identity":
        raise Problem(415, "body.encoding", f"unsupported Content-Encoding: {coding[:40]}")
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        pass  # what orjson refuses (NaN, a number past 64 bits) is read as it always was
    try:
        return json.loads(raw)
    except (ValueError, RecursionError) as exc:  # also bad UTF-8 and absurdly long numbers
        raise Problem(400, "body.json", "the body is not valid JSON") from exc


def apply_push(
    ctx: Context,
    who: Device,
    body: Any,
    device_clock: str | None = None,
    claim: Claim | None = None,
    head: Head | None = None,
) -> dict[str, Any]:
    """Store a decoded push body for `who`; returns the reply of PROTOCOL_NOTES.md."""
    device_id, batch, rejected = protocol.decode_batch(body)
    if device_id != who.device_id:
        raise Problem(403, "push.device", "the batch names another device than the token's")
    incoming = [_prepare(op) for op in batch]
    if not protocol.check_digest(body["digest"], [i.digest for i in incoming], rejected):
        raise Problem(422, "batch.digest", "the batch digest does not match its ops")
    accepted, refused, conflicts, repeats = _screen(incoming, who)
    now = ctx.now()
    with writing(ctx.engine) as conn:
        reply = _store(
            conn,
            who,
            accepted,
            rejected + refused,
            now,
            _clock_offset(device_clock, now),
            claim,
            head,
        )
    reply["duplicates"] += repeats
    reply["conflicts"] = _listed(conflicts + reply["conflicts"])
    reply["rejected"] = _listed(rejected + refused + reply["rejected"])
    return reply


def _prepare(op: Op) -> _Incoming:
    payload = op.payload
    return _Incoming(
        op=op,
        op_id=op.op_id,
        payload=payload.decode(),
        digest=hashlib.sha256(payload).digest(),
        device_time=protocol.device_time(op.entity, op.row),
    )


def _screen(
    incoming: list[_Incoming], who: Device
) -> tuple[list[_Incoming], list[Rejected], list[Rejected], int]:
    """Ops to store; ops refused; conflicts inside the batch itself; copies repeated in it."""
    prefix = f"{who.office}-{who.counter}-"
    accepted: dict[str, _Incoming] = {}
    rejected: list[Rejected] = []
    conflicts: list[Rejected] = []
    repeats = 0
    for item in incoming:
        reason = _refusal(item, prefix, who.device_id)
        if reason is not None:
            rejected.append(Rejected(item.op.seq, item.op_id, reason))
            continue
        first = accepted.get(item.op_id)
        if first is None:
            accepted[item.op_id] = item
        elif first.digest == item.digest:
            repeats += 1
        else:
            conflicts.append(Rejected(item.op.seq, item.op_id, "conflict.content"))
    return list(accepted.values()), rejected, conflicts, repeats


def _refusal(item: _Incoming, prefix: str, device_id: str) -> str | None:
    """Why the centre will not hold this op, or None. The counter never writes such a row; a
    bug or a forged batch might."""
    return fact_rules.refusal(item.op.entity, item.op.row, prefix, device_id)


def _store(
    conn: Connection,
    who: Device,
    accepted: list[_Incoming],
    parked: list[Rejected],
    now: datetime,
    offset: int | None,
    claim: Claim | None,
    head: Head | None,
) -> dict[str, Any]:
    dialect = conn.dialect.name
    locked = conn.execute(_device_lock(dialect), {"device": who.device_id}).one()
    if locked.revoked_at is not None:
        raise Problem(401, "auth.revoked", "this device has been revoked")
    received = stamp(now)
    # Before this push's ops are in: they are added as stored.
    held_set = ops_heads.current(conn, who.device_id, locked.ops_set, locked.ops_count, head)
    accepted, refused, known = _check_references(conn, who, accepted)
    inserted = _insert_ops(conn, who, accepted, received)
    stored = [i for i in accepted if i.op_id in inserted]
    duplicates, conflicts = _classify(conn, who, [i for i in accepted if i.op_id not in inserted])
    owner = (who.office, who.counter)
    stored_ops = [i.op for i in stored]
    writes = projection.project(conn, who.device_id, owner, stored_ops, known, received=received)
    _park(conn, who.device_id, locked.parked, parked + refused, [i.op_id for i in stored], received)
    held = [i.op.seq for i in stored] + [i.op.seq for i in duplicates]
    high_water = max([locked.high_water, *held])
    ahead = [locked.max_ahead] if locked.max_ahead is not None else []
    # Every stored op's time has the one form `_refusal` holds it to (fixed width, in UTC): the
    # latest sorts last as text, and only it is read.
    latest = max((i.device_time for i in stored), default=None)
    if latest is not None and (moment := fact_rules.parse_stamp(latest)) is not None:
        ahead.append(_seconds(moment - now))
    if held_set is not None:
        ops_heads.grown(held_set, (ops_heads.Held(i.op.seq, i.op_id, i.digest) for i in stored))
    verdict = (
        None
        if head is None or held_set is None
        else ops_heads.judge(who.device_id, locked.public_key, held_set, head)
    )
    # Computed here, not by the UPDATE: the row is locked since the push began.
    device = {
        "device_id": who.device_id,
        "last_sync": received,
        "high_water": high_water,
        "ops": locked.ops + len(stored),
        "max_ahead": max(ahead) if ahead else None,
        "clock_offset": offset if offset is not None else locked.clock_offset,
    }
    if held_set is not None:
        device |= {"ops_set": held_set.to_bytes(), "ops_count": held_set.count}
    device_row = updated(devices, "device_id", tuple(device), [device])
    # Last before the closing statement: the office's feed row is locked from here to the commit.
    kept_head = verdict is not None and verdict.kept
    feed, last = _fed(conn, who.office, stored, 1 if kept_head else 0)
    closing = [*writes, _raised_numbers(who, stored), device_row, feed]
    if kept_head and head is not None:
        # The head's own position, right after the ops it covers.
        closing.append(ops_heads.kept_at(who.office, last, who.device_id, head, received))
    write_all(conn, closing)
    reply: dict[str, Any] = {
        "high_water": high_water,
        "stored": len(stored),
        "duplicates": len(duplicates),
        "conflicts": conflicts,
        "rejected": refused,
    }
    if claim is not None:
        reply["anchor"] = anchors.record(conn, who.device_id, claim, received)
    if verdict is not None:
        reply["ops_set"] = verdict.model_dump(exclude_none=True)
    return reply


def replay(conn: Connection, who: Device, held: list[Op], dated_catalogs: bool = True) -> None:
    """Write the typed rows and roll-ups of ops the centre already holds, as pushing them now
    would: each read and checked as a push reads and checks it (in seq order, each seeing the
    ones before it and all that was projected earlier), and only those that pass projected.
    Migration 0005 fills the typed tables through this. `held`, like a push, repeats no seq and
    holds at most protocol.MAX_OPS ops. `dated_catalogs`: as projection.project."""
    _, batch, _ = protocol.decode_batch(protocol.encode_batch(who.device_id, held))
    accepted, _, _, _ = _screen([_prepare(op) for op in batch], who)
    taken, _, known = _checked(conn, who, accepted, later=dated_catalogs)
    owner = (who.office, who.counter)
    taken_ops = [i.op for i in taken]
    write_all(
        conn, projection.project(conn, who.device_id, owner, taken_ops, known, dated_catalogs)
    )


_Owner = tuple[str, int]  # (office, counter)


@dataclass
class _Payment:
    owner: _Owner
    amount: int
    voided: bool = False
    refunded: int = 0


@dataclass
class _Held:
    """The facts this batch's ops refer to, as the centre holds them at each op in seq order:
    what is stored, plus the ops of the batch taken so far."""

    requests: dict[str, _Owner]
    payments: dict[str, _Payment]
    sessions: dict[str, _Owner]


# The references the centre holds each op to: the projection's (a payment is of a request of
# its own counter, as the counter's own schema requires).
_REFERS = projection.REFERS


def _check_references(
    conn: Connection, who: Device, accepted: list[_Incoming]
) -> tuple[list[_Incoming], list[Rejected], projection.Known]:
    """The ops to store, those refused for what they refer to, and the stored facts they refer
    to (for the projection). Ops the centre already holds are passed on unchecked, for
    `_classify` (a resent void is a duplicate, not a second void of its payment)."""
    if not accepted:
        return [], [], projection.Known()
    ids = [i.op_id for i in accepted]
    stored = set(conn.execute(_held_op_ids(conn.dialect.name), {"ids": ids}).scalars())
    taken, refused, known = _checked(conn, who, [i for i in accepted if i.op_id not in stored])
    return [i for i in accepted if i.op_id in stored] + taken, refused, known


def _checked(
    conn: Connection, who: Device, fresh: list[_Incoming], later: bool = True
) -> tuple[list[_Incoming], list[Rejected], projection.Known]:
    """`fresh` checked in seq order, each op seeing those taken before it: (taken, refused, the
    stored facts they refer to). `later`: as projection.load."""
    fresh = sorted(fresh, key=lambda i: i.op.seq)
    known = projection.load(conn, [i.op for i in fresh], later)
    held = _held(conn, known)
    owner = (who.office, who.counter)
    taken: list[_Incoming] = []
    refused: list[Rejected] = []
    for item in fresh:
        reason = _reference_refusal(item.op, owner, held)
        if reason is None:
            _note(item.op, owner, held)
            taken.append(item)
        else:
            refused.append(Rejected(item.op.seq, item.op_id, reason))
    return taken, refused, known


def _held(conn: Connection, known: projection.Known) -> _Held:
    """Who owns each stored fact in `known`, and how much of each payment is undone."""
    held = _Held(
        {rid: r.owner for rid, r in known.requests.items()},
        {pid: _Payment(p.owner, p.amount) for pid, p in known.payments.items()},
        {sid: s.owner for sid, s in known.sessions.items()},
    )
    if not held.payments:
        return held
    ids = set(held.payments)

    # Only the payment's own counter's voids and refunds count (a centre that ran before these
    # checks may hold others). Refunds are added up here, not by SUM: rows stored before the
    # bounds were checked could overflow a database's 64-bit sum.
    def own(payment_id: str, office: str, counter: int) -> _Payment | None:
        payment = held.payments.get(payment_id)
        return payment if payment is not None and payment.owner == (office, counter) else None

    dialect = conn.dialect.name
    for void in conn.execute(_voids_of(dialect), {"ids": list(ids)}):
        if (payment := own(void.payment_id, void.office, void.counter)) is not None:
            payment.voided = True
    for refund in conn.execute(_refunds_of(dialect), {"ids": list(ids)}):
        if (payment := own(refund.payment_id, refund.office, refund.counter)) is not None:
            payment.refunded += int(refund.amount)
    return held


def _reference_refusal(op: Op, owner: _Owner, held: _Held) -> str | None:
    """Why the counter `owner` could not have written `op` given what the centre holds."""
    if op.entity not in _REFERS:
        return None
    column, kind = _REFERS[op.entity]
    ref = op.row[column]
    found: _Owner | _Payment | None
    if kind == "requests":
        found = held.requests.get(ref)
    elif kind == "payments":
        found = held.payments.get(ref)
    else:
        found = held.sessions.get(ref)
    if found is None:
        return f"ref.unknown:{column}"
    if (found.owner if isinstance(found, _Payment) else found) != owner and not _shared(
        op, found, owner
    ):
        # Another office's or counter's: a counter acts only on its own, and on its office's
        # requests and receipts as _shared says.
        return f"ref.owner:{column}"
    if not isinstance(found, _Payment) or op.entity == "receipt_prints":
        return None
    if found.voided:
        return "payment.voided"
    if op.entity == "voids" and found.refunded:
        return "payment.refunded"  # a receipt refunded in part cannot then be voided whole
    if op.entity == "refunds" and op.row["amount"] > found.amount - found.refunded:
        return "refund.over"
    return None


def _shared(op: Op, found: _Owner | _Payment, owner: _Owner) -> bool:
    """Whether `op` is a fact a counter writes on another counter's request or receipt of its
    office (docs/OFFICE_SHARING.md, D2; `protocol.OFFICE_WRITES`): a payment, a status event
    that names its device (D3: two counters apart would otherwise take the same id), or a
    print of a receipt (a copy)."""
    office = found.owner[0] if isinstance(found, _Payment) else found[0]
    if op.entity not in protocol.OFFICE_WRITES or office != owner[0]:
        return False
    return op.entity != "status_events" or "device_id" in op.row


def _note(op: Op, owner: _Owner, held: _Held) -> None:
    """Take a stored op into `held`, for the ops after it in the batch."""
    row = op.row
    if op.entity == "requests":
        held.requests[row["id"]] = owner
    elif op.entity == "payments":
        held.payments[row["id"]] = _Payment(owner, row["amount"])
    elif op.entity == "cash_sessions":
        held.sessions[row["id"]] = owner
    elif op.entity == "voids":
        held.payments[row["payment_id"]].voided = True
    elif op.entity == "refunds":
        held.payments[row["payment_id"]].refunded += row["amount"]


def _insert_ops(
    conn: Connection, who: Device, accepted: list[_Incoming], received: str
) -> set[str]:
    if not accepted:
        return set()
    # One statement for the whole batch, in op_id order so two transactions that share op_ids
    # take their index locks in the same order and cannot deadlock.
    rows = [
        {
            "op_id": i.op_id,
            "device_id": who.device_id,
            "seq": i.op.seq,
            "entity": i.op.entity,
            "kind": i.op.kind,
            "payload": i.payload,
            "sha256": i.digest,
            "device_time": i.device_time,
            "received_at": received,
        }
        for i in sorted(accepted, key=lambda i: i.op_id)
    ]
    dialect = conn.dialect.name
    params = many_params(dialect, ops, rows)
    return set(conn.execute(_ops_insert(dialect), params).scalars())


@kept
def _ops_insert(dialect: str) -> Any:
    return (
        insert_statement(dialect, ops, _OPS_COLUMNS)
        .on_conflict_do_nothing(index_elements=["op_id"])
        .returning(ops.c.op_id)
    )


_OPS_COLUMNS = (
    "op_id", "device_id", "seq", "entity", "kind", "payload", "sha256", "device_time",
    "received_at",
)  # fmt: skip


def _classify(
    conn: Connection, who: Device, others: list[_Incoming]
) -> tuple[list[_Incoming], list[Rejected]]:
    """Ops already here: the same bytes from the same device are duplicates, anything else a
    conflict."""
    if not others:
        return [], []
    found = {
        row.op_id: row
        for row in conn.execute(_held_ops(conn.dialect.name), {"ids": [i.op_id for i in others]})
    }
    duplicates: list[_Incoming] = []
    conflicts: list[Rejected] = []
    for item in others:
        # Always there: ON CONFLICT skipped it because a committed row holds its op_id (a
        # writer still in flight makes the insert wait for its outcome, on both databases).
        held = found[item.op_id]
        if held.device_id != who.device_id:
            conflicts.append(Rejected(item.op.seq, item.op_id, "conflict.device"))
        elif bytes(held.sha256) != item.digest:
            conflicts.append(Rejected(item.op.seq, item.op_id, "conflict.content"))
        else:
            duplicates.append(item)
    return duplicates, conflicts


def _park(
    conn: Connection,
    device_id: str,
    held: bool,
    refused: list[Rejected],
    stored: list[str],
    received: str,
) -> None:
    """Keep what this push refused (the counter parks it), and forget what it stored. `held`:
    the centre held refused ops of the device when the push began."""
    dialect = conn.dialect.name
    # Most devices have nothing parked: the device's lock reads whether it has, which saves a
    # DELETE naming every op stored.
    if stored and held:
        conn.execute(_unpark(dialect), {"device": device_id, "ids": stored})
    # One row per op, its latest refusal (a batch may carry two rows under one id), in key order.
    latest = {r.op_id: r for r in sorted(refused, key=lambda r: r.seq)}
    if not latest:
        return
    rows = [
        {
            "device_id": device_id,
            "op_id": op_id,
            "seq": r.seq,
            "reason": r.reason,
            "first_at": received,
            "last_at": received,
        }
        for op_id, r in sorted(latest.items())
    ]
    conn.execute(_park_upsert(dialect), rows)


def _fed(conn: Connection, office: str, stored: list[_Incoming], extra: int) -> tuple[Write, int]:
    """The stored ops' positions in the office's feed, next after its last, in seq order, and
    the last position taken: `extra` more are taken after the ops (a kept head's)."""
    if not stored and not extra:
        return inserted(office_feed, _FEED_COLUMNS, []), 0
    last = conn.execute(
        _feed_raise(conn.dialect.name), {"office": office, "count": len(stored) + extra}
    ).scalar_one()
    first = last - extra - len(stored) + 1
    rows = [
        {"office": office, "pos": first + n, "op_id": item.op_id}
        for n, item in enumerate(sorted(stored, key=lambda i: i.op.seq))
    ]
    return inserted(office_feed, _FEED_COLUMNS, rows), int(last)


_FEED_COLUMNS = ("office", "pos", "op_id")


def _raised_numbers(who: Device, stored: list[_Incoming]) -> Write:
    """Keep the highest tracking and receipt numbers (and floors) each counter has used."""
    highs: dict[tuple[str, str], int] = {}

    def note(kind: str, period: str, value: int) -> None:
        key = (kind, period)
        highs[key] = max(highs.get(key, value), value)

    for item in stored:
        row = item.op.row
        if item.op.entity == "requests":
            note("tracking", row["business_date"], row["daily_seq"])
        elif item.op.entity == "payments":
            note("receipt", str(row["receipt_year"]), row["receipt_seq"])
        elif item.op.entity == "sequence_floors":  # its period checked by _rule
            note(row["kind"], row["period"], row["floor"])
    rows = [
        {"office": who.office, "counter": who.counter, "kind": k, "period": p, "high": v}
        for (k, p), v in sorted(highs.items())
    ]
    return Write(_numbers_upsert, (), numbers, rows)


# The push's statements, built once per dialect (db.kept).


@kept
def _device_lock(dialect: str) -> Any:
    """The device's row, locked for the push, and whether it has refused ops parked."""
    d = devices.c
    parked = select(refused_ops.c.seq).where(refused_ops.c.device_id == d.device_id).exists()
    query = select(
        d.revoked_at,
        d.high_water,
        d.max_ahead,
        d.ops,
        d.clock_offset,
        d.public_key,
        d.ops_set,
        d.ops_count,
        parked.label("parked"),
    )
    return query.where(d.device_id == bindparam("device")).with_for_update(of=devices)


@kept
def _held_op_ids(dialect: str) -> Any:
    return select(ops.c.op_id).where(one_of(dialect, ops.c.op_id))


@kept
def _held_ops(dialect: str) -> Any:
    return select(ops.c.op_id, ops.c.sha256, ops.c.device_id).where(one_of(dialect, ops.c.op_id))


@kept
def _voids_of(dialect: str) -> Any:
    v = voids.c
    return select(v.payment_id, v.office, v.counter).where(one_of(dialect, v.payment_id))


@kept
def _refunds_of(dialect: str) -> Any:
    r = refunds.c
    return select(r.payment_id, r.office, r.counter, r.amount).where(one_of(dialect, r.payment_id))


@kept
def _unpark(dialect: str) -> Any:
    r = refused_ops.c
    return delete(refused_ops).where(r.device_id == bindparam("device"), one_of(dialect, r.op_id))


@kept
def _park_upsert(dialect: str) -> Any:
    statement = dialect_insert(dialect, refused_ops)
    return statement.on_conflict_do_update(
        index_elements=["device_id", "op_id"],
        set_={
            "seq": statement.excluded.seq,
            "reason": statement.excluded.reason,
            "last_at": statement.excluded.last_at,
        },
    )


@kept
def _feed_raise(dialect: str) -> Any:
    """The office's last position raised by :count (from 0 for its first push), and returned."""
    statement = dialect_insert(dialect, office_feeds).values(
        office=bindparam("office"), last_pos=bindparam("count")
    )
    raised = office_feeds.c.last_pos + statement.excluded.last_pos
    statement = statement.on_conflict_do_update(
        index_elements=["office"], set_={"last_pos": raised}
    )
    return statement.returning(office_feeds.c.last_pos)


@kept
def _numbers_upsert(dialect: str, slot: str = "rows") -> Any:
    names = ("office", "counter", "kind", "period", "high")
    statement = insert_statement(dialect, numbers, names, slot)
    larger = func.greatest if dialect == "postgresql" else func.max
    return statement.on_conflict_do_update(
        index_elements=["office", "counter", "kind", "period"],
        set_={"high": larger(numbers.c.high, statement.excluded.high)},
    )


def _seconds(delta: timedelta) -> int:
    return round(delta.total_seconds())


def _clock_offset(header: str | None, now: datetime) -> int | None:
    """Seconds the device's clock is ahead (+) or behind (−) the server's, from X-Device-Time;
    None when absent or unreadable (it is advice, not part of the batch)."""
    if not header or len(header) > 64:
        return None
    try:
        moment = datetime.fromisoformat(header.strip())
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return _seconds(moment - now)


def _listed(items: list[Rejected]) -> list[dict[str, Any]]:
    return [
        {"seq": r.seq, "op_id": r.op_id, "reason": r.reason}
        for r in sorted(items, key=lambda r: r.seq)
    ]


router = APIRouter(tags=["sync"])

_BATCH_SCHEMA = {
    "type": "object",
    "required": ["v", "device", "digest", "ops"],
    "properties": {
        "v": {"type": "integer", "enum": [protocol.VERSION]},
        "device": {"type": "string"},
        "digest": {"type": "string"},
        "ops": {
            "type": "object",
            "description": "ops grouped by table: {table: {cols: [...], rows: [[seq, ...]]}}",
            "additionalProperties": {
                "type": "object",
                "required": ["cols", "rows"],
                "properties": {
                    "cols": {"type": "array", "items": {"type": "string"}},
                    "rows": {"type": "array", "items": {"type": "array"}},
                },
            },
        },
    },
}


def push_answers(forbidden: str) -> dict[int, str]:
    """A push's refusals (problems.documented); `forbidden`: who may not call it, besides a
    batch in another device's name."""
    return {
        **UNAUTHORIZED,
        400: "body.json, body.gzip, anchor.header, ops_set.header, request.incomplete",
        403: f"{forbidden}, push.device",
        413: "body.too_large, batch.too_many",
        415: "body.encoding",
        422: "batch.shape, batch.version, batch.entity, batch.columns, batch.seq, batch.digest",
    }


async def raw_body(request: Request) -> bytes:
    """The body as sent (gzip), read through the size limit of the body-limit middleware."""
    return await request.body()


@router.post(
    protocol.PUSH,
    response_model=PushReply,
    response_model_exclude_unset=True,
    summary="Push a batch of ops (gzip JSON, see sync/protocol.py)",
    responses=documented(push_answers(DEVICE_ONLY)),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": _BATCH_SCHEMA}},
        }
    },
)
def push_endpoint(
    who: DeviceCaller,
    raw: Annotated[bytes, Depends(raw_body)],
    ctx: Ctx,
    content_encoding: Annotated[str | None, Header()] = None,
    x_device_time: Annotated[str | None, Header()] = None,
    x_chain_head: Annotated[
        str | None,
        Header(description="the counter's newest audit link, `<seq>:<sha256 hex>`"),
    ] = None,
    x_chain_anchor: Annotated[
        str | None,
        Header(
            description="the counter's link at the seq of the last head the centre holds "
            "(`<seq>:<sha256 hex>`, or `<seq>:missing`)"
        ),
    ] = None,
    x_ops_set: Annotated[
        str | None,
        Header(description="the counter's signed head over its ops (sync/server/ops_heads.py)"),
    ] = None,
) -> dict[str, Any]:
    # A def endpoint: gunzip, JSON and the database work run in the thread pool, not the loop.
    # The headers first: a malformed one refuses the push before anything is read.
    claim = anchors.read_claim(x_chain_head, x_chain_anchor)
    head = ops_heads.read_head(x_ops_set)
    body = read_batch(raw, content_encoding)
    return apply_push(ctx, who, body, x_device_time, claim, head)
