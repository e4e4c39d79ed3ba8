"""What the centre holds for a counter: its high-water seq and the numbers it has used.

A counter restored from an old backup (or a centre restored from one) compares this with its own
state: the counter resends what the centre lacks and raises its sequence floors above every
tracking and receipt number the centre has seen, so no number is ever handed out twice. It also
learns the last audit-chain head the centre holds for it (`anchor`), which its next push must
show it still holds (sync/server/anchors.py).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy import Connection, select

from sync import protocol
from sync.server import anchors
from sync.server.anchors import Anchor
from sync.server.auth import DEVICE_ONLY, UNAUTHORIZED, Device, DeviceCaller
from sync.server.context import Ctx
from sync.server.db import devices, numbers, reading
from sync.server.problems import documented


class StatusReply(BaseModel):
    device_id: str
    office: str
    counter: int
    high_water: int
    ops: int
    last_sync: str | None
    server_time: str
    numbers: dict[str, dict[str, int]]
    # The last chain head the centre holds (null before the first): what the counter's next
    # push anchors to with X-Chain-Anchor.
    anchor: Anchor | None
    # The columns added to the wire after v1's release that this centre takes, per table
    # (`protocol.LATER`): a counter sends a later column only to a centre listing it.
    accepts: dict[str, list[str]]
    # The facts this centre takes from a counter on another counter's request or receipt of
    # its office (`protocol.OFFICE_WRITES`); absent from a centre before copies of receipts,
    # which took status events naming their device and payments.
    office_writes: list[str]
    # The id of the receipt key the centre holds for this device, null when it holds none: a
    # counter with a key then registers it (sync/server/device_keys.py).
    key_id: str | None


def counter_numbers(conn: Connection, office: str, counter: int) -> dict[str, dict[str, int]]:
    """{"receipt": {"2026": 123}, "tracking": {"261126": 42}}: per year and per business date
    (as YYMMDD, the form inside a tracking number), the highest number held for the counter."""
    out: dict[str, dict[str, int]] = {"receipt": {}, "tracking": {}}
    rows = conn.execute(
        select(numbers.c.kind, numbers.c.period, numbers.c.high).where(
            numbers.c.office == office, numbers.c.counter == counter
        )
    )
    for kind, period, high in rows:
        key = period[2:].replace("-", "") if kind == "tracking" else period
        out[kind][key] = int(high)
    return out


def device_status(conn: Connection, who: Device, server_time: str) -> dict[str, Any]:
    row = conn.execute(
        select(devices.c.high_water, devices.c.ops, devices.c.last_sync, devices.c.key_id).where(
            devices.c.device_id == who.device_id
        )
    ).one()
    return {
        "device_id": who.device_id,
        "office": who.office,
        "counter": who.counter,
        "high_water": int(row.high_water),
        "ops": int(row.ops),
        "last_sync": row.last_sync,
        "server_time": server_time,
        "numbers": counter_numbers(conn, who.office, who.counter),
        "anchor": anchors.held(conn, who.device_id),
        "accepts": {table: list(cols) for table, cols in protocol.LATER.items() if cols},
        "office_writes": list(protocol.OFFICE_WRITES),
        "key_id": row.key_id,
    }


router = APIRouter(tags=["sync"])


@router.get(
    protocol.STATUS,
    response_model=StatusReply,
    summary="What the centre holds for you",
    responses=documented({**UNAUTHORIZED, 403: DEVICE_ONLY}),
)
def status_endpoint(who: DeviceCaller, ctx: Ctx) -> dict[str, Any]:
    with reading(ctx.engine) as conn:
        return device_status(conn, who, ctx.now_stamp())
