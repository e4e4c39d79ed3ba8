"""The office's feed (docs/OFFICE_SHARING.md, D5): a counter reads, by cursor, the ops the centre
holds from the other counters of its office.

Each op the centre stores is numbered in its office's feed by the push that stores it (push.py,
migration 0016), in the order the centre commits them: a reader that has read up to a position
has seen every op before it, whatever committed late. `after` is the last position read; the
answer's `next` is where the next read starts. The reader's own ops are left out, but counted:
`next` moves past them, so a counter whose own ops fill a page still moves on.

The page is in the feed's own encoding (sync/feed_encoding.py: ids, times and numbers written
as what the reader does not know yet, column by column, with the digest of the page's ops), and
goes Brotli-compressed to a reader that accepts it: a district's link carries a visit in about
a hundred and thirty bytes. Nothing of another office is ever read: the office is the token's.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import brotli
from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel
from sqlalchemy import Connection, bindparam, select

from odsc_desk.shared.ops_set import Head
from sync import feed_encoding, protocol
from sync.feed_encoding import FeedHead, FeedOp, Roster
from sync.protocol import Op
from sync.server import ops_heads
from sync.server.auth import COUNTER, DEVICE_ONLY, RELAY, UNAUTHORIZED, Device, FeedCaller
from sync.server.context import Ctx
from sync.server.db import devices, kept, office_feed, office_feeds, ops, reading
from sync.server.problems import documented

PAGE, LIMIT = 500, protocol.MAX_OPS  # ops a page: by default, at most
# Brotli's quality 10 writes a page a quarter smaller than 9 (and than gzip), at about 50 µs an
# op of the centre's time: a catch-up page of 2,000 ops takes a tenth of a second.
QUALITY = 10


class FeedDevice(BaseModel):
    device_id: str
    counter: int
    key_id: str | None  # its receipt key's id, to check the receipts it printed
    public_key: str | None  # that key (hex): its heads are signed with it


class FeedTable(BaseModel):
    cols: list[str]
    columns: list[list[Any]]  # pos, device, seq, then `cols`: one value an op in each


class FeedReply(BaseModel):
    office: str
    devices: list[FeedDevice]  # the office's other counters: an op's `device` is a place here
    after: int  # the position the page starts after
    tables: dict[str, FeedTable]  # sync/feed_encoding.py
    digest: str  # sync/feed_encoding.py: over every op read, in position order
    # Per device, its newest head in the page ({pos, device, head}: sync/server/ops_heads.py)
    heads: list[dict[str, Any]]
    next: int  # the `after` of the next read
    more: bool  # positions after `next` are held
    as_of: str  # the centre's time of this answer


def read(conn: Connection, who: Device, after: int, limit: int, now: str) -> dict[str, Any]:
    """Up to `limit` positions of `who`'s office after `after`, without what `who` holds
    already: a counter's own ops, or for an office's hub (a relay) the ops of the counters it
    announced, which it relayed (docs/OFFICE_SHARING.md, D7). A FeedReply, as the dict it is
    sent as (pages are large; they skip the model's checks)."""
    # The last position first: every position up to it is committed (D5), a head's too.
    last = (
        conn.execute(
            select(office_feeds.c.last_pos).where(office_feeds.c.office == who.office)
        ).scalar_one_or_none()
        or 0
    )
    # A page is `limit` positions (a kept head takes one, with no op at it), so a reader knows
    # where the next full page ends before it asks.
    next_pos = max(after, min(last, after + limit))
    rows = conn.execute(
        _page(conn.dialect.name), {"office": who.office, "after": after, "through": next_pos}
    ).all()
    roster = conn.execute(
        select(
            devices.c.device_id,
            devices.c.counter,
            devices.c.key_id,
            devices.c.public_key,
            devices.c.via,
        )
        .where(
            devices.c.office == who.office,
            devices.c.device_id != who.device_id,
            devices.c.role == COUNTER,
        )
        .order_by(devices.c.counter, devices.c.device_id)
    ).all()
    if who.role == RELAY:
        roster = [d for d in roster if d.via != who.device_id]
    others = {d.device_id for d in roster}
    held = [
        FeedOp(
            row.pos,
            row.device_id,
            Op.held(row.seq, row.entity, json.loads(row.payload), bytes(row.sha256)),
        )
        for row in rows
        if row.device_id in others
    ]
    listed = Roster(who.office, [(d.device_id, d.counter) for d in roster])
    page = feed_encoding.encode(listed, after, held)
    heads = [
        FeedHead(h["pos"], h["device_id"], Head(h["count"], h["digest"], h["signature"]))
        for h in ops_heads.in_page(conn, who.office, after, next_pos, sorted(others))
    ]
    return {
        "office": who.office,
        "devices": [
            {
                "device_id": d.device_id,
                "counter": d.counter,
                "key_id": d.key_id,
                "public_key": d.public_key,
            }
            for d in roster
        ],
        "after": after,
        **page,
        "heads": feed_encoding.encode_heads(listed, heads),
        "next": next_pos,
        "more": last > next_pos,
        "as_of": now,
    }


@kept
def _page(dialect: str) -> Any:
    f, o = office_feed.c, ops.c
    return (
        select(f.pos, o.device_id, o.seq, o.entity, o.payload, o.sha256)
        .join_from(office_feed, ops, o.op_id == f.op_id)
        .where(
            f.office == bindparam("office"),
            f.pos > bindparam("after"),
            f.pos <= bindparam("through"),
        )
        .order_by(f.pos)
    )


def _accepts_brotli(header: str) -> bool:
    """Whether an Accept-Encoding header takes "br" (and not at q=0)."""
    for part in header.split(","):
        name, _, params = part.partition(";")
        if name.strip().lower() == "br":
            return params.replace(" ", "").lower() not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


router = APIRouter(tags=["sync"])


@router.get(
    protocol.OFFICE_FEED,
    response_model=FeedReply,
    summary="The ops of the office's other counters after a position (docs/OFFICE_SHARING.md)",
    responses=documented({**UNAUTHORIZED, 403: DEVICE_ONLY, 422: "request.invalid"}),
)
def feed_endpoint(
    request: Request,
    who: FeedCaller,
    ctx: Ctx,
    after: Annotated[
        int, Query(ge=0, description="the last position read (0: from the start)")
    ] = 0,
    limit: Annotated[int, Query(ge=1, le=LIMIT, description="positions to read at most")] = PAGE,
) -> Response:
    with reading(ctx.engine) as conn:
        reply = read(conn, who, after, limit, ctx.now_stamp())
    body = json.dumps(reply, ensure_ascii=False, separators=(",", ":")).encode()
    headers = {"Vary": "Accept-Encoding"}
    if _accepts_brotli(request.headers.get("accept-encoding", "")):
        # Set here, the encoding keeps the gzip middleware off this answer.
        body = brotli.compress(body, quality=QUALITY)
        headers["Content-Encoding"] = "br"
    return Response(body, media_type="application/json", headers=headers)
