"""A counter's own ops, read back (docs/OFFICE_SHARING.md, D6): for a counter restored from an
older backup, which has lost the facts it wrote and pushed after that backup.

The office feed leaves a reader's own ops out (it holds them, as a rule); a restored counter
does not, so it asks for its own from the first seq after its backup on: every op the centre
(or the office's hub) holds of the caller's device with a seq from `seq` on, in (seq, op id)
order, as one push batch (`protocol.encode_batch`, with its digest) and where the next read
starts. A restored counter wrote new facts under the seqs its lost copy had used, so a seq may
hold two ops: a page ends before a seq it already carries, as a push carries each seq once.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel
from sqlalchemy import and_, bindparam, or_, select

from sync import protocol
from sync.protocol import Op
from sync.server.auth import DEVICE_ONLY, UNAUTHORIZED, DeviceCaller
from sync.server.context import Ctx
from sync.server.db import kept, ops, reading
from sync.server.problems import documented

PAGE = 500


class Next(BaseModel):
    seq: int
    op: str  # the last op id read at that seq


class OwnReply(BaseModel):
    batch: dict[str, Any]  # a push body: {v, device, digest, ops}
    next: Next | None  # where the next read starts; None: nothing more


router = APIRouter(tags=["sync"])


@router.get(
    protocol.OWN_OPS,
    response_model=OwnReply,
    summary="The caller's own ops from a seq on (a counter restored from an older backup)",
    responses=documented({**UNAUTHORIZED, 403: DEVICE_ONLY, 422: "request.invalid"}),
)
def own_endpoint(
    who: DeviceCaller,
    ctx: Ctx,
    seq: Annotated[int, Query(ge=1, le=protocol.MAX_INT, description="the first seq wanted")] = 1,
    op: Annotated[
        str, Query(max_length=400, description="at `seq`, the op id after which to read")
    ] = "",
    limit: Annotated[int, Query(ge=1, le=protocol.MAX_OPS, description="ops at most")] = PAGE,
) -> dict[str, Any]:
    with reading(ctx.engine) as conn:
        rows = conn.execute(
            _page(conn.dialect.name),
            {"device": who.device_id, "seq": seq, "op": op, "limit": limit + 1},
        ).all()
    page: list[Op] = []
    for row in rows[:limit]:
        if any(held.seq == row.seq for held in page):
            break  # its second op at this seq: the next page's
        page.append(Op.held(int(row.seq), row.entity, json.loads(row.payload), bytes(row.sha256)))
    more = len(rows) > len(page)
    last = page[-1] if page else None
    return {
        "batch": protocol.encode_batch(who.device_id, page),
        "next": {"seq": last.seq, "op": last.op_id} if more and last is not None else None,
    }


@kept
def _page(dialect: str) -> Any:
    o = ops.c
    after = or_(
        o.seq > bindparam("seq"), and_(o.seq == bindparam("seq"), o.op_id > bindparam("op"))
    )
    return (
        select(o.op_id, o.seq, o.entity, o.payload, o.sha256)
        .where(o.device_id == bindparam("device"), after)
        .order_by(o.seq, o.op_id)
        .limit(bindparam("limit"))
    )
