"""Enrollment: an admin makes a one-time code for an office counter; the counter trades it for
its device token.

The code survives a lost reply: the same counter may present it again until it expires, while any
other device is refused. Every attempt with one code from one counter yields the same token,
derived from the code with the server's key (migration 0002): a late copy of an earlier attempt
cannot void the token the counter kept. A new code (after a revocation, say) yields a new token
and the old one stops working. Codes, like tokens, are stored only as their sha256.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import datetime, timedelta
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Connection, insert, select, update
from sqlalchemy.exc import IntegrityError

from odsc_desk.shared.clock import stamp
from odsc_desk.shared.office_codes import clean_counter, clean_office_code
from sync import protocol
from sync.protocol import Problem
from sync.server.context import Context, Ctx
from sync.server.db import devices, enroll_codes, server_keys, token_hash, writing

# No 0/O or 1/I: a code is read off a screen and typed at a counter.
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
_GROUPS, _GROUP = 4, 5  # 20 characters of 32 = 100 bits
DEFAULT_TTL_HOURS = 72
MAX_TTL_HOURS = 24 * 30

OFFICE_PATTERN = r"^[A-Z]{2,5}(-[A-Z0-9]{2,6}){0,2}$"  # as odsc_desk.domain.office_setup accepts
DEVICE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$"


def normalize_code(code: str) -> str:
    """People type codes with or without dashes and spaces, in either case."""
    return "".join(code.split()).replace("-", "").upper()


def create_code(
    conn: Connection, office: str, counter: int | str, now: datetime, ttl_hours: int | None = None
) -> dict[str, Any]:
    """A new code for (office, counter); refused with an OdscError for a bad office or counter."""
    office_code = clean_office_code(office)
    number = clean_counter(counter)
    hours = DEFAULT_TTL_HOURS if ttl_hours is None else ttl_hours
    if not 1 <= hours <= MAX_TTL_HOURS:
        raise Problem(422, "enroll.ttl", f"--ttl-hours must be between 1 and {MAX_TTL_HOURS}")
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(_GROUPS * _GROUP))
    code = "-".join(raw[i : i + _GROUP] for i in range(0, len(raw), _GROUP))
    expires = stamp(now + timedelta(hours=hours))
    conn.execute(
        insert(enroll_codes).values(
            code_sha256=token_hash(raw),
            office=office_code,
            counter=number,
            created_at=stamp(now),
            expires_at=expires,
        )
    )
    return {"code": code, "office": office_code, "counter": number, "expires_at": expires}


class EnrollRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=1, max_length=64)
    device_id: str = Field(pattern=DEVICE_PATTERN)
    office: str = Field(pattern=OFFICE_PATTERN)
    counter: int = Field(ge=1, le=99, strict=True)
    public_key: str | None = Field(default=None, max_length=200)


class EnrollReply(BaseModel):
    device_id: str
    office: str
    counter: int
    token: str
    server_time: str


def device_token(key: bytes, code: str, device_id: str) -> str:
    mac = hmac.new(key, f"{code}\n{device_id}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).rstrip(b"=").decode()


def enroll(ctx: Context, req: EnrollRequest) -> EnrollReply:
    code = normalize_code(req.code)
    digest = token_hash(code)
    now = ctx.now_stamp()
    try:
        with writing(ctx.engine) as conn:
            key = conn.execute(
                select(server_keys.c.secret).where(server_keys.c.name == "device_tokens")
            ).scalar_one()
            token = device_token(key, code, req.device_id)
            _bind(conn, req, digest, token, now)
    except IntegrityError as exc:
        # The same device enrolling with two codes at the same instant: one wins.
        raise Problem(409, "enroll.busy", "another enrollment of this device is under way") from exc
    return EnrollReply(
        device_id=req.device_id,
        office=req.office,
        counter=req.counter,
        token=token,
        server_time=now,
    )


def _bind(conn: Connection, req: EnrollRequest, digest: bytes, token: str, now: str) -> None:
    code = conn.execute(
        select(enroll_codes).where(enroll_codes.c.code_sha256 == digest).with_for_update()
    ).first()
    if code is None:
        raise Problem(404, "enroll.unknown", "this enrollment code is not known")
    if code.expires_at <= now:
        raise Problem(410, "enroll.expired", "this enrollment code has expired; ask for a new one")
    if (code.office, code.counter) != (req.office, req.counter):
        raise Problem(409, "enroll.mismatch", "this code was made for another office or counter")
    if code.device_id is not None and code.device_id != req.device_id:
        raise Problem(409, "enroll.used", "this code has already been used by another device")
    known = conn.execute(
        select(devices).where(devices.c.device_id == req.device_id).with_for_update()
    ).first()
    if known is not None and (known.office, known.counter) != (req.office, req.counter):
        raise Problem(
            409, "enroll.elsewhere", "this device is enrolled for another office or counter"
        )
    if known is not None and known.revoked_at is not None and code.used_at is not None:
        # Revocation outranks a retry of the code it was enrolled with; a new code from an
        # admin brings the device back.
        raise Problem(409, "enroll.revoked", "this device was revoked; ask for a new code")
    if code.device_id is None:
        conn.execute(
            update(enroll_codes)
            .where(enroll_codes.c.code_sha256 == digest)
            .values(device_id=req.device_id, used_at=now)
        )
    fields = {
        "token_sha256": token_hash(token),
        "public_key": req.public_key,
        "enrolled_at": now,
        "revoked_at": None,
    }
    if known is None:
        conn.execute(
            insert(devices).values(
                device_id=req.device_id,
                office=req.office,
                counter=req.counter,
                high_water=0,
                ops=0,
                **fields,
            )
        )
    else:
        conn.execute(update(devices).where(devices.c.device_id == req.device_id).values(**fields))


def revoke(conn: Connection, device_id: str, now: datetime) -> bool:
    """Stop a device's token from working; False when no such device is enrolled."""
    done = conn.execute(
        update(devices)
        .where(devices.c.device_id == device_id, devices.c.revoked_at.is_(None))
        .values(revoked_at=stamp(now))
    )
    if done.rowcount:
        return True
    # Already revoked: the wanted state holds.
    known = conn.execute(select(devices.c.device_id).where(devices.c.device_id == device_id))
    return known.first() is not None


router = APIRouter(tags=["enrollment"])


@router.post(
    protocol.ENROLL,
    response_model=EnrollReply,
    summary="Trade a one-time enrollment code for a device token",
)
def enroll_endpoint(req: EnrollRequest, ctx: Ctx) -> EnrollReply:
    return enroll(ctx, req)
