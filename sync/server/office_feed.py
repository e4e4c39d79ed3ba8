"""The office's feed (docs/OFFICE_SHARING.md, D5): a counter reads, by cursor, the ops the centre
holds from the other counters of its office.

Each op the centre stores is numbered in its office's feed by the push that stores it (push.py,
migration 0016), in the order the centre commits them: a reader that has read up to a position
has seen every op before it, whatever committed late. `after` is the last position read; the
answer's `next` is where the next read starts. The reader's own ops are left out, but counted:
`next` moves past them, so a counter whose own ops fill a page still moves on.

The ops go as runs: consecutive positions of one device, each in the push's own encoding
(`protocol.encode_batch`: columns named once per table, rows in seq order, and the digest of the
run's ops), so a reader checks them as the centre checks a push. Within a run the ops are taken
in seq order, which their references allow: a device refers only to its own earlier facts and to
others' it already held, whose positions come before the run. Nothing of another office is ever
read: the office is the token's.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel
from sqlalchemy import Connection, bindparam, select

from sync import protocol
from sync.protocol import Op
from sync.server.auth import DEVICE_ONLY, UNAUTHORIZED, Device, DeviceCaller
from sync.server.context import Ctx
from sync.server.db import devices, kept, office_feed, office_feeds, ops
from sync.server.problems import documented

PAGE, LIMIT = 500, protocol.MAX_OPS  # ops a page: by default, at most


class FeedDevice(BaseModel):
    device_id: str
    counter: int
    key_id: str | None  # its receipt key's id, to check the receipts it printed


class FeedRun(BaseModel):
    first: int  # the position of the run's first op; the rest follow one by one
    batch: dict[str, Any]  # protocol.encode_batch: {v, device, digest, ops}


class FeedReply(BaseModel):
    office: str
    devices: list[FeedDevice]  # the office's other counters
    runs: list[FeedRun]
    next: int  # the `after` of the next read
    more: bool  # positions after `next` are held
    as_of: str  # the centre's time of this answer


def read(conn: Connection, who: Device, after: int, limit: int, now: str) -> FeedReply:
    """Up to `limit` positions of `who`'s office after `after`, without `who`'s own ops."""
    rows = conn.execute(
        _page(conn.dialect.name), {"office": who.office, "after": after, "limit": limit}
    ).all()
    last = conn.execute(
        select(office_feeds.c.last_pos).where(office_feeds.c.office == who.office)
    ).scalar_one_or_none()
    runs: list[FeedRun] = []
    current: list[Any] = []
    for row in rows:
        if current and (row.device_id != current[-1].device_id or row.pos != current[-1].pos + 1):
            runs.append(_run(current))
            current = []
        if row.device_id != who.device_id:
            current.append(row)
    if current:
        runs.append(_run(current))
    roster = conn.execute(
        select(devices.c.device_id, devices.c.counter, devices.c.key_id)
        .where(devices.c.office == who.office, devices.c.device_id != who.device_id)
        .order_by(devices.c.counter, devices.c.device_id)
    )
    next_pos = rows[-1].pos if rows else after
    return FeedReply(
        office=who.office,
        devices=[FeedDevice(device_id=d, counter=c, key_id=k) for d, c, k in roster],
        runs=runs,
        next=next_pos,
        more=(last or 0) > next_pos,
        as_of=now,
    )


def _run(rows: list[Any]) -> FeedRun:
    held = [Op(row.seq, row.entity, json.loads(row.payload)) for row in rows]
    return FeedRun(first=rows[0].pos, batch=protocol.encode_batch(rows[0].device_id, held))


@kept
def _page(dialect: str) -> Any:
    f, o = office_feed.c, ops.c
    return (
        select(f.pos, o.device_id, o.seq, o.entity, o.payload)
        .join_from(office_feed, ops, o.op_id == f.op_id)
        .where(f.office == bindparam("office"), f.pos > bindparam("after"))
        .order_by(f.pos)
        .limit(bindparam("limit"))
    )


router = APIRouter(tags=["sync"])


@router.get(
    protocol.OFFICE_FEED,
    response_model=FeedReply,
    summary="The ops of the office's other counters after a position (docs/OFFICE_SHARING.md)",
    responses=documented({**UNAUTHORIZED, 403: DEVICE_ONLY, 422: "request.invalid"}),
)
def feed_endpoint(
    who: DeviceCaller,
    ctx: Ctx,
    after: Annotated[
        int, Query(ge=0, description="the last position read (0: from the start)")
    ] = 0,
    limit: Annotated[int, Query(ge=1, le=LIMIT, description="positions to read at most")] = PAGE,
) -> FeedReply:
    with ctx.engine.connect() as conn:
        return read(conn, who, after, limit, ctx.now_stamp())
