"""An office's hub at the centre (docs/OFFICE_SHARING.md, D7): a relay device.

A hub enrolls with a relay code (`odsc-server hub code --office X`) as its office's relay, a
device of role "relay" and counter 0: it is none of the office's counters and writes no fact of
its own, so the counters' endpoints refuse its token (auth.device). It announces each counter
enrolled with it (`RELAY_DEVICES`: the device, its counter number and public key), which the
centre keeps as a device of the office with `via` naming the relay and a token no one holds;
and it pushes each such counter's batches under the counter's name (`RELAY_PUSH` with the
header `X-Origin-Device`), with the counter's own chain headers. The push's whole pipeline
then runs with the counter as its caller (push.apply_push): the same bounds, references,
numbers, anchors and feed, so exactly once end to end is the centre's op ids, as ever.
"""

from __future__ import annotations

import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Request
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import insert, select, update

from sync import protocol
from sync.protocol import Problem
from sync.server import anchors, enrollment, ops_heads
from sync.server.auth import COUNTER, RELAY, RELAY_ONLY, UNAUTHORIZED, Device, RelayCaller
from sync.server.context import Context, Ctx
from sync.server.db import devices, reading, token_hash, writing
from sync.server.enrollment import DEVICE_PATTERN, OFFICE_PATTERN, EnrollReply, EnrollRequest
from sync.server.problems import documented
from sync.server.push import PushReply, apply_push, push_answers, raw_body, read_batch


class RelayEnrollRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=1, max_length=64)
    device_id: str = Field(pattern=DEVICE_PATTERN)
    office: str = Field(pattern=OFFICE_PATTERN)
    public_key: str | None = Field(default=None, max_length=200)


class Announced(BaseModel):
    """A counter enrolled with the hub."""

    model_config = ConfigDict(extra="forbid")

    device_id: str = Field(pattern=DEVICE_PATTERN)
    counter: int = Field(ge=1, le=99, strict=True)
    public_key: str | None = Field(default=None, max_length=200)


class AnnounceReply(BaseModel):
    device_id: str
    office: str
    counter: int
    via: str  # the relay


router = APIRouter(tags=["relay"])


@router.post(
    protocol.RELAY_ENROLL,
    response_model=EnrollReply,
    summary="An office's hub trades a relay code for its token",
    responses=documented(enrollment.ENROLL_ANSWERS),
)
def relay_enroll_endpoint(
    req: RelayEnrollRequest,
    ctx: Ctx,
    request: Request,
    challenge: enrollment.Challenge = None,
    signature: enrollment.Signature = None,
) -> EnrollReply:
    # Counter 0: the relay code was made for it (enrollment.create_relay_code), and no counter's
    # code names 0, so neither kind of code enrolls the other kind of device.
    full = EnrollRequest.model_construct(
        code=req.code,
        device_id=req.device_id,
        office=req.office,
        counter=0,
        public_key=req.public_key,
    )
    return enrollment.guarded_enroll(ctx, request, full, challenge, signature, RELAY)


@router.post(
    protocol.RELAY_DEVICES,
    response_model=AnnounceReply,
    summary="An office's hub announces a counter enrolled with it",
    responses=documented({**UNAUTHORIZED, 403: RELAY_ONLY, 409: "relay.device"}),
)
def announce_endpoint(relay: RelayCaller, req: Announced, ctx: Ctx) -> dict[str, Any]:
    answer = {
        "device_id": req.device_id,
        "office": relay.office,
        "counter": req.counter,
        "via": relay.device_id,
    }
    with writing(ctx.engine) as conn:
        known = conn.execute(
            select(
                devices.c.office,
                devices.c.counter,
                devices.c.role,
                devices.c.via,
                devices.c.public_key,
                devices.c.revoked_at,
            )
            .where(devices.c.device_id == req.device_id)
            .with_for_update()
        ).first()
        if known is not None:
            if (known.office, known.counter, known.role) != (relay.office, req.counter, COUNTER):
                raise Problem(409, "relay.device", "this device is enrolled otherwise here")
            if known.revoked_at is not None:
                raise Problem(409, "relay.device", "this device was revoked at the centre")
            changes: dict[str, Any] = {}
            if known.via != relay.device_id:
                # The counter moved to this hub from the centre (it re-enrolled there with the
                # hub's code): the token it held here stops working, and the hub speaks for it.
                changes.update(via=relay.device_id, token_sha256=_nobodys_token())
            if known.public_key is None and req.public_key is not None:
                # Its key, made after the hub first announced it: set where none is held, never
                # replaced (sync/server/device_keys.py).
                changes.update(
                    public_key=req.public_key, key_id=enrollment.key_id_of(req.public_key)
                )
            if changes:
                conn.execute(
                    update(devices).where(devices.c.device_id == req.device_id).values(**changes)
                )
            return answer  # announced again (the hub's reply was lost, or a key to add)
        conn.execute(
            insert(devices).values(
                device_id=req.device_id,
                office=relay.office,
                counter=req.counter,
                role=COUNTER,
                via=relay.device_id,
                token_sha256=_nobodys_token(),
                public_key=req.public_key,
                key_id=enrollment.key_id_of(req.public_key),
                enrolled_at=ctx.now_stamp(),
                high_water=0,
                ops=0,
            )
        )
    return answer


def _nobodys_token() -> bytes:
    """A token no one holds: the counter talks to its hub, the hub to the centre."""
    return token_hash(secrets.token_urlsafe(32))


def origin(ctx: Context, relay: Device, device_id: str | None) -> Device:
    """The counter a relay pushes for: one it announced, of its office, not revoked. A counter
    that moved from the hub to the centre is the centre's alone: what the hub had not relayed
    yet, the counter sends again (its status reply's high-water is below what it sent)."""
    with reading(ctx.engine) as conn:
        found = conn.execute(
            select(devices.c.office, devices.c.counter, devices.c.revoked_at).where(
                devices.c.device_id == (device_id or ""),
                devices.c.via == relay.device_id,
                devices.c.role == COUNTER,
            )
        ).first()
    if found is None or found.office != relay.office or found.revoked_at is not None:
        raise Problem(
            403, "relay.origin", f"send {protocol.RELAY_ORIGIN}: a counter this hub announced"
        )
    return Device(str(device_id), found.office, found.counter)


@router.post(
    protocol.RELAY_PUSH,
    response_model=PushReply,
    response_model_exclude_unset=True,
    summary="An office's hub pushes a counter's batch under the counter's name",
    responses=documented(push_answers(f"{RELAY_ONLY}, relay.origin")),
)
def relay_push_endpoint(
    relay: RelayCaller,
    raw: Annotated[bytes, Depends(raw_body)],
    ctx: Ctx,
    x_origin_device: Annotated[
        str | None, Header(description="the counter whose batch this is", max_length=100)
    ] = None,
    content_encoding: Annotated[str | None, Header()] = None,
    x_chain_head: Annotated[str | None, Header(description="the counter's, as it sent it")] = None,
    x_chain_anchor: Annotated[
        str | None, Header(description="the counter's, as it sent it")
    ] = None,
    x_ops_set: Annotated[str | None, Header(description="the counter's, as it signed it")] = None,
) -> dict[str, Any]:
    claim = anchors.read_claim(x_chain_head, x_chain_anchor)
    head = ops_heads.read_head(x_ops_set)
    who = origin(ctx, relay, x_origin_device)
    body = read_batch(raw, content_encoding)
    # No device clock: the relay's moment of sending is not the counter's.
    return apply_push(ctx, who, body, None, claim, head)
