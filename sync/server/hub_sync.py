"""`odsc-server hub sync`: one run between an office's hub and its centre (docs/OFFICE_SHARING.md,
D7), started by a timer as `messages send` is.

In order, each step kept as it goes, so a run cut off anywhere loses nothing and doubles
nothing (the next run starts where this one stopped, and the centre answers "already held"
for what it took before a reply was lost):

1. **Announce** each counter enrolled with the hub that the centre was not told of (or whose
   receipt key it was not told of): `POST /relay/devices`. A counter that syncs straight to
   the centre and moves to the hub is taken over so (docs/OFFICE_SHARING.md, D7).
2. **Read the centre's office feed**: the ops of the office's counters that sync straight to the
   centre, kept as if they had pushed here (the push's whole pipeline, so their bounds and
   references are checked and the hub's own feed numbers them for its counters), each head
   with the ops it covers, so the hub keeps it too and hands it to its counters. A counter
   the hub announced that the centre now lists has moved to the centre: the hub stops
   relaying for it (what it had not relayed, the counter sends the centre again).
3. **Relay** every op the hub's counters pushed, in the order the hub took them (its office
   feed: a payment at counter 2 for counter 1's request reaches the centre after the request),
   each run of one counter's ops as one `POST /relay/push` under its name, cut after each head
   the counter signed over its ops (docs/OFFICE_SHARING.md, D9), which goes with the ops it
   covers: the centre then holds what the head names. `relayed_pos` moves past a run once the
   centre answered it. An op the centre refuses is kept in `hub_refused` and tried again at
   the next run, before the new ones.
4. **Forward the chain heads** each counter showed the hub, in the order seen, with the anchor
   each came with (an empty batch carrying the headers): the centre judges the counter's chain
   as if it had pushed itself.
5. **Mirror the catalog and the calendar**: the versions in effect and held for a later day,
   unchanged (same versions and sha256), asked with the ETag the hub would answer itself.
"""

from __future__ import annotations

import itertools
import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import requests
from sqlalchemy import Connection, Engine, delete, func, insert, select, update

from odsc_desk.shared import ops_set
from odsc_desk.shared.clock import Clock, local_date, stamp
from odsc_desk.shared.errors import OdscError
from odsc_desk.shared.ops_set import Head
from sync import feed_encoding, protocol
from sync.errors import SyncError
from sync.feed_encoding import FeedError, FeedHead, FeedOp
from sync.protocol import Op
from sync.server import anchors, calendars, hub, reference
from sync.server.auth import COUNTER, Device, new_token
from sync.server.context import Context
from sync.server.db import (
    chain_heads,
    devices,
    hub_counters,
    hub_refused,
    hub_upstream,
    office_feed,
    ops,
    ops_heads_table,
    reading,
    token_hash,
    writing,
)
from sync.server.hub import UPSTREAM, Upstream
from sync.server.problems import Refused
from sync.server.push import apply_push
from sync.transport import Transport, compact_json

log = logging.getLogger(__name__)

_HEX_KEY = re.compile(r"[0-9a-f]{64}")  # an Ed25519 public key in hex
RELAY_PAGE = 500  # ops read from the hub's feed at a time, and sent in one push at most
FEED_PAGE = protocol.MAX_OPS  # positions asked of the centre's feed at a time


@dataclass
class HubRun:
    """What one run did."""

    announced: int = 0  # counters the centre was told of
    relayed: int = 0  # ops the centre now holds (stored by this run, or held before)
    stored: int = 0  # of which it stored now
    refused: int = 0  # ops the centre refused (kept in hub_refused)
    heads: int = 0  # chain heads forwarded
    flagged: list[str] = field(default_factory=list)  # counters whose chain the centre flagged
    pulled: int = 0  # ops of counters that sync to the centre, kept here
    pull_refused: int = 0
    catalog: int | None = None  # the version in effect here after the run
    calendar: int | None = None
    error: SyncError | None = None


def run(engine: Engine, clock: Clock, session: requests.Session | None = None) -> HubRun:
    """One run; a failure (the link down, a refusal) stops it where it is and is the run's
    `error`, kept in hub_upstream.last_error. Refused when this server is no hub."""
    with reading(engine) as conn:
        up = hub.upstream(conn)
    if up is None:
        raise Refused("this server is no office's hub (see: odsc-server hub enroll --help)")
    done = HubRun()
    ctx = Context(engine, clock)
    try:
        transport = up.transport(clock, session)
        _announce(ctx, transport, up, done)
        # Before relaying: the centre's roster shows which counters moved to it from here.
        _pull_feed(ctx, transport, up, done)
        _retry_refused(ctx, transport, up, done)
        _relay(ctx, transport, up, done)
        _forward_heads(ctx, transport, done)
        done.catalog = _mirror(ctx, transport, reference.CATALOGS, protocol.REFERENCE)
        done.calendar = _mirror(ctx, transport, calendars.CALENDARS, protocol.CALENDAR)
    except SyncError as exc:
        done.error = exc
    if done.error is not None:
        _note(engine, last_error=f"{done.error.code}: {done.error.message_en}")
    else:
        _note(engine, last_error=None, last_success=stamp(clock()))
    return done


def _note(engine: Engine, **values: Any) -> None:
    """Keep the hub's place (or the run's outcome) in its one row of hub_upstream."""
    with writing(engine) as conn:
        conn.execute(update(hub_upstream).where(hub_upstream.c.id == 1).values(**values))


# -- 1. announce ------------------------------------------------------------------------------


def _announce(ctx: Context, transport: Transport, up: Upstream, done: HubRun) -> None:
    with reading(ctx.engine) as conn:
        due = conn.execute(
            select(devices.c.device_id, devices.c.counter, devices.c.public_key)
            .select_from(
                devices.outerjoin(hub_counters, hub_counters.c.device_id == devices.c.device_id)
            )
            .where(
                devices.c.office == up.office,
                devices.c.role == COUNTER,
                devices.c.via.is_(None),
                (hub_counters.c.announced_key.is_(None))
                | (hub_counters.c.announced_key != func.coalesce(devices.c.public_key, "")),
            )
            .order_by(devices.c.counter, devices.c.device_id)
        ).all()
    for device in due:
        response = transport.call(
            "POST",
            protocol.RELAY_DEVICES,
            body={
                "device_id": device.device_id,
                "counter": device.counter,
                "public_key": device.public_key,
            },
        )
        if response.status_code != 200:
            raise transport.refusal(response)
        key = device.public_key or ""
        with writing(ctx.engine) as conn:
            held = conn.execute(
                select(hub_counters.c.device_id).where(hub_counters.c.device_id == device.device_id)
            ).first()
            values = {"announced_key": key, "announced_at": ctx.now_stamp()}
            if held is None:
                conn.execute(insert(hub_counters).values(device_id=device.device_id, **values))
            else:
                conn.execute(
                    update(hub_counters)
                    .where(hub_counters.c.device_id == device.device_id)
                    .values(**values)
                )
        done.announced += 1


# -- 2. the centre's office feed ----------------------------------------------------------------


def _pull_feed(ctx: Context, transport: Transport, up: Upstream, done: HubRun) -> None:
    after = up.feed_after
    while True:
        response = transport.call(
            "GET",
            f"{protocol.OFFICE_FEED}?after={after}&limit={FEED_PAGE}",
            headers={"Accept-Encoding": "br, gzip"},
        )
        if response.status_code != 200:
            raise transport.refusal(response)
        answer = transport.json(response)
        try:
            roster, next_pos, more, _ = feed_encoding.frame(answer, after, up.office)
            items = feed_encoding.decode(roster, after, answer)
            heads = feed_encoding.decode_heads(roster, after, next_pos, answer)
        except FeedError as exc:
            raise SyncError("sync.office_invalid", retry=False, detail=str(exc)) from exc
        _known_devices(ctx, up.office, answer["devices"])
        events: list[FeedOp | FeedHead] = sorted([*items, *heads], key=lambda e: e.pos)
        for device_id, run in itertools.groupby(events, key=lambda e: e.device_id):
            _keep(ctx, up.office, dict(roster.devices)[device_id], device_id, list(run), done)
        _note(ctx.engine, feed_after=next_pos)
        after = next_pos
        if not more:
            return


def _known_devices(ctx: Context, office: str, roster: list[dict[str, Any]]) -> None:
    """The counters of the centre's roster, as devices here: those it speaks for itself (they
    sync straight to it). One that was enrolled here has moved to the centre: this hub stops
    relaying for it and announces it again if it comes back."""
    now = ctx.now_stamp()
    with writing(ctx.engine) as conn:
        for entry in roster:
            device_id = entry["device_id"]
            known = conn.execute(
                select(devices.c.via, devices.c.office, devices.c.counter).where(
                    devices.c.device_id == device_id
                )
            ).first()
            if known is None:
                conn.execute(
                    insert(devices).values(
                        device_id=device_id,
                        office=office,
                        counter=entry["counter"],
                        role=COUNTER,
                        via=UPSTREAM,
                        token_sha256=token_hash(new_token()),
                        key_id=entry.get("key_id"),
                        public_key=_key(entry),
                        enrolled_at=now,
                        high_water=0,
                        ops=0,
                    )
                )
            elif (
                known.via is None
                and (known.office, known.counter) == (office, entry["counter"])
                and _announced(conn, device_id)
            ):
                # The centre lists a counter this hub announced: it moved to the centre (one
                # not announced yet is one that moved here, and the next announcement takes it).
                conn.execute(
                    update(devices)
                    .where(devices.c.device_id == device_id)
                    .values(via=UPSTREAM, token_sha256=token_hash(new_token()))
                )
                conn.execute(delete(hub_counters).where(hub_counters.c.device_id == device_id))
            elif known.via == UPSTREAM and _key(entry) is not None:
                # The key its heads are checked with, once the centre holds one.
                conn.execute(
                    update(devices)
                    .where(devices.c.device_id == device_id, devices.c.public_key.is_(None))
                    .values(public_key=_key(entry), key_id=entry.get("key_id"))
                )


def _key(entry: dict[str, Any]) -> str | None:
    """A roster entry's public key (hex), if it names a well-formed one."""
    key = entry.get("public_key")
    return key if isinstance(key, str) and _HEX_KEY.fullmatch(key) else None


def _announced(conn: Connection, device_id: str) -> bool:
    found = conn.execute(
        select(hub_counters.c.announced_key).where(hub_counters.c.device_id == device_id)
    ).first()
    return found is not None and found.announced_key is not None


def _keep(
    ctx: Context,
    office: str,
    counter: int,
    device_id: str,
    run: list[FeedOp | FeedHead],
    done: HubRun,
) -> None:
    """One device's run of a page, kept as if it had pushed it here, each head with the ops
    it covers."""
    who = Device(device_id, office, counter)
    for part, head in segments([(e.pos, e.op if isinstance(e, FeedOp) else e.head) for e in run]):
        for batch, last in _with_last(batches(part, protocol.MAX_OPS)):
            body = protocol.encode_batch(device_id, batch)
            reply = apply_push(ctx, who, body, head=head if last else None)
            done.pulled += int(reply["stored"])
            refused = len(reply["rejected"]) + len(reply["conflicts"])
            done.pull_refused += refused
            if refused:
                log.warning("hub: %d ops of %s from the centre refused", refused, device_id)


def segments(run: list[tuple[int, Op | Head]]) -> Iterator[tuple[list[Op], Head | None]]:
    """One device's ops and heads, in position order, as the ops each head covers (with it) and
    those after the last head (with none)."""
    part: list[Op] = []
    for _, event in run:
        if isinstance(event, Head):
            yield part, event
            part = []
        else:
            part.append(event)
    if part:
        yield part, None


def _with_last(parts: Iterator[list[Op]]) -> Iterator[tuple[list[Op], bool]]:
    """Each batch, and whether it is the last (an empty run is one empty batch: a head alone)."""
    listed = list(parts) or [[]]
    for n, batch in enumerate(listed):
        yield batch, n == len(listed) - 1


# -- 3. relay ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Held:
    pos: int
    device_id: str
    op: Op | Head  # an op, or a head its counter signed over its ops


def _heads(
    conn: Connection, office: str, after: int, through: int | None, relayable: list[str]
) -> list[_Held]:
    """The heads the hub kept of its counters after `after` (up to `through`), in order."""
    h = ops_heads_table.c
    query = select(h.pos, h.device_id, h.count, h.digest, h.signature).where(
        h.office == office, h.pos > after, h.device_id.in_(relayable)
    )
    if through is not None:
        query = query.where(h.pos <= through)
    return [
        _Held(int(r.pos), r.device_id, Head(int(r[2]), r.digest, bytes(r.signature)))
        for r in conn.execute(query.order_by(h.pos))
    ]


def _relayable(ctx: Context, office: str) -> dict[str, int]:
    """The counters whose ops this hub relays (enrolled here, announced), by device: counter."""
    with reading(ctx.engine) as conn:
        rows = conn.execute(
            select(devices.c.device_id, devices.c.counter)
            .join(hub_counters, hub_counters.c.device_id == devices.c.device_id)
            .where(
                devices.c.office == office,
                devices.c.role == COUNTER,
                devices.c.via.is_(None),
                hub_counters.c.announced_key.is_not(None),
            )
        ).all()
    return {r.device_id: int(r.counter) for r in rows}


def _relay(ctx: Context, transport: Transport, up: Upstream, done: HubRun) -> None:
    after = up.relayed_pos
    while True:
        relayable = _relayable(ctx, up.office)
        with reading(ctx.engine) as conn:
            rows = conn.execute(
                select(
                    office_feed.c.pos,
                    ops.c.device_id,
                    ops.c.seq,
                    ops.c.entity,
                    ops.c.payload,
                    ops.c.sha256,
                )
                .join_from(office_feed, ops, ops.c.op_id == office_feed.c.op_id)
                .where(office_feed.c.office == up.office, office_feed.c.pos > after)
                .order_by(office_feed.c.pos)
                .limit(RELAY_PAGE)
            ).all()
            # The heads of its counters up to the page's last op (past it: none is left).
            through = int(rows[-1].pos) if len(rows) == RELAY_PAGE else None
            heads = _heads(conn, up.office, after, through, sorted(relayable))
        if not rows and not heads:
            return
        held: list[_Held] = [
            _Held(
                int(r.pos),
                r.device_id,
                Op.held(int(r.seq), r.entity, json.loads(r.payload), bytes(r.sha256)),
            )
            for r in rows
        ]
        events = sorted([*held, *heads], key=lambda e: e.pos)
        for device_id, run in itertools.groupby(events, key=lambda h: h.device_id):
            batch = list(run)
            if device_id in relayable:
                for part, head in segments([(e.pos, e.op) for e in batch]):
                    for ops_batch, last in _with_last(batches(part, RELAY_PAGE)):
                        signed = {ops_set.HEADER: head.spelled()} if head and last else {}
                        _push(ctx, transport, device_id, ops_batch, done, signed)
            elif _is_hubs(ctx, device_id, up.office):
                # A counter of this hub the centre was not told of yet (it enrolled during the
                # run): the next run announces it, and relays from here.
                return
            after = batch[-1].pos
            _note(ctx.engine, relayed_pos=after)


def batches(run: list[Op], size: int) -> Iterator[list[Op]]:
    """One device's ops, in their order, as batches of at most `size` in which no seq repeats:
    a counter restored from an older backup wrote new facts under the seqs its lost copy had
    pushed, and a push carries each seq once."""
    batch: list[Op] = []
    seqs: set[int] = set()
    for op in run:
        if len(batch) == size or op.seq in seqs:
            yield batch
            batch, seqs = [], set()
        batch.append(op)
        seqs.add(op.seq)
    if batch:
        yield batch


def _is_hubs(ctx: Context, device_id: str, office: str) -> bool:
    """Whether the device is a counter enrolled with this hub (not one of the centre's)."""
    with reading(ctx.engine) as conn:
        via = conn.execute(
            select(devices.c.via).where(
                devices.c.device_id == device_id, devices.c.office == office
            )
        ).first()
    return via is not None and via.via is None


def _push(
    ctx: Context,
    transport: Transport,
    device_id: str,
    batch: list[Op],
    done: HubRun,
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    """One relayed push; the ops the centre refused are kept to try again, those it holds are
    forgotten from hub_refused."""
    body = protocol.gzip_body(compact_json(protocol.encode_batch(device_id, batch)))
    response = transport.call(
        "POST",
        protocol.RELAY_PUSH,
        body=body,
        gzipped=True,
        headers={protocol.RELAY_ORIGIN: device_id, **(headers or {})},
    )
    if response.status_code != 200:
        raise transport.refusal(response)
    reply = transport.json(response)
    refused = _refusals(reply, transport)
    held = [op.op_id for op in batch if op.op_id not in refused]
    now = ctx.now_stamp()
    with writing(ctx.engine) as conn:
        if held:
            conn.execute(delete(hub_refused).where(hub_refused.c.op_id.in_(held)))
        for op in batch:
            if op.op_id in refused:
                conn.execute(delete(hub_refused).where(hub_refused.c.op_id == op.op_id))
                conn.execute(
                    insert(hub_refused).values(
                        op_id=op.op_id,
                        device_id=device_id,
                        seq=op.seq,
                        reason=refused[op.op_id],
                        refused_at=now,
                    )
                )
    done.relayed += len(held)
    done.stored += int(reply.get("stored", 0))
    done.refused += len(refused)
    for op_id, reason in refused.items():
        log.warning("hub: the centre refused %s of %s: %s", op_id, device_id, reason)
    return dict(reply)


def _refusals(reply: Any, transport: Transport) -> dict[str, str]:
    """The op ids a push reply refused (rejected or in conflict), with the reason."""
    if not isinstance(reply, dict):
        raise SyncError("sync.bad_reply", retry=True, server=transport.base, detail="push reply")
    out: dict[str, str] = {}
    for key in ("rejected", "conflicts"):
        for item in reply.get(key) or []:
            if isinstance(item, dict) and isinstance(item.get("op_id"), str):
                out[item["op_id"]] = str(item.get("reason", key))
    return out


def _retry_refused(ctx: Context, transport: Transport, up: Upstream, done: HubRun) -> None:
    """The ops the centre refused before, sent again in the order the hub took them (what they
    referred to may have reached the centre since)."""
    with reading(ctx.engine) as conn:
        rows = conn.execute(
            select(ops.c.device_id, ops.c.seq, ops.c.entity, ops.c.payload, ops.c.sha256)
            .join(hub_refused, hub_refused.c.op_id == ops.c.op_id)
            .join(office_feed, office_feed.c.op_id == ops.c.op_id)
            .order_by(office_feed.c.pos)
        ).all()
    if not rows:
        return
    relayable = _relayable(ctx, up.office)
    for device_id, run in itertools.groupby(rows, key=lambda r: r.device_id):
        if device_id not in relayable:
            continue
        batch = [Op.held(int(r.seq), r.entity, json.loads(r.payload), bytes(r.sha256)) for r in run]
        for part in batches(batch, RELAY_PAGE):
            _push(ctx, transport, device_id, part, done)


# -- 4. chain heads ---------------------------------------------------------------------------


def _forward_heads(ctx: Context, transport: Transport, done: HubRun) -> None:
    with reading(ctx.engine) as conn:
        due = conn.execute(
            select(
                chain_heads.c.id,
                chain_heads.c.device_id,
                chain_heads.c.seq,
                chain_heads.c.hash,
                chain_heads.c.anchor,
            )
            .join(hub_counters, hub_counters.c.device_id == chain_heads.c.device_id)
            .join(devices, devices.c.device_id == chain_heads.c.device_id)
            .where(
                chain_heads.c.id > hub_counters.c.head_id,
                hub_counters.c.announced_key.is_not(None),
                devices.c.via.is_(None),
            )
            .order_by(chain_heads.c.id)
        ).all()
    for head in due:
        headers = {anchors.HEAD_HEADER: f"{head.seq}:{head.hash}"}
        if head.anchor is not None:
            headers[anchors.ANCHOR_HEADER] = head.anchor
        reply = _push(ctx, transport, head.device_id, [], done, headers)
        verdict = reply.get("anchor")
        if isinstance(verdict, dict) and verdict.get("status") not in (None, anchors.OK):
            done.flagged.append(head.device_id)
        with writing(ctx.engine) as conn:
            conn.execute(
                update(hub_counters)
                .where(hub_counters.c.device_id == head.device_id)
                .values(head_id=head.id)
            )
        done.heads += 1


# -- 5. catalog and calendar --------------------------------------------------------------------


def _mirror(ctx: Context, transport: Transport, kept: reference.Kept, path: str) -> int | None:
    """The centre's versions of `kept`, kept here unchanged; the version in effect here after."""
    today = local_date(ctx.now()).isoformat()
    with reading(ctx.engine) as conn:
        tag = reference.held_etag(conn, kept, today)
    headers = {"X-Reference-Upcoming": "1"}
    if tag is not None:
        headers["If-None-Match"] = f'"{tag}"'
    response = transport.call("GET", path, headers=headers)
    if response.status_code == 200:
        answer = transport.json(response)
        entries = [answer, *(answer.get("upcoming") or [])] if isinstance(answer, dict) else []
        try:
            with writing(ctx.engine) as conn:
                for entry in entries:
                    reference.mirror(conn, kept, entry, ctx.now())
        except (ValueError, OdscError) as exc:
            raise SyncError(
                "sync.bad_reply", retry=False, server=transport.base, detail=str(exc)[:200]
            ) from exc
    elif response.status_code not in (304, 404):
        raise transport.refusal(response)
    with reading(ctx.engine) as conn:
        return reference.in_effect_version(conn, kept, today)
