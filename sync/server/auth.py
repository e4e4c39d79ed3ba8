"""Who is calling: a counter (device token) or an account's machine token (a viewer's, say).

Tokens are 32 random bytes; the database holds only their sha256, so a lookup is one indexed
read and a stolen copy of the database grants nothing. An account comes with its grants
resolved (sync.server.scopes), ready for `allows`.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import bindparam, select

from sync.protocol import Problem
from sync.server.context import Context, Ctx
from sync.server.db import accounts, devices, kept, reading, token_hash
from sync.server.scopes import Account, load_account

_bearer = HTTPBearer(
    auto_error=False,
    description="A device token (from enrollment) or an account's token"
    " (odsc-server user add --token, viewer add).",
)
_CHALLENGE = {"WWW-Authenticate": "Bearer"}

# The refusals of `caller` and `device`, for the OpenAPI document (problems.documented).
UNAUTHORIZED = {401: "auth.missing, auth.invalid, auth.revoked"}
DEVICE_ONLY = "auth.device_only"


COUNTER, RELAY = "counter", "relay"  # devices.role (migration 0018)


@dataclass(frozen=True)
class Device:
    device_id: str
    office: str
    counter: int  # 0 for a relay: it is no counter of its office
    role: str = COUNTER


def new_token() -> str:
    return secrets.token_urlsafe(32)


def identify(ctx: Context, token: str) -> Device | Account:
    digest = token_hash(token)
    with reading(ctx.engine) as conn:
        device = conn.execute(_device_by_token(conn.dialect.name), {"digest": digest}).first()
        if device is not None:
            if device.revoked_at is not None:
                raise Problem(401, "auth.revoked", "this device has been revoked", _CHALLENGE)
            return Device(device.device_id, device.office, device.counter, device.role)
        account = conn.execute(select(accounts).where(accounts.c.token_sha256 == digest)).first()
        if account is None:
            raise Problem(401, "auth.invalid", "the token is not known here", _CHALLENGE)
        if account.revoked_at is not None:
            raise Problem(401, "auth.revoked", "this token has been revoked", _CHALLENGE)
        return load_account(conn, account)


@kept
def _device_by_token(dialect: str) -> Any:
    """Built once (db.kept): every request of every counter asks it."""
    d = devices.c
    query = select(d.device_id, d.office, d.counter, d.revoked_at, d.role)
    return query.where(d.token_sha256 == bindparam("digest"))


def caller(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)], ctx: Ctx
) -> Device | Account:
    if credentials is None or not credentials.credentials:
        raise Problem(401, "auth.missing", "send 'Authorization: Bearer <token>'", _CHALLENGE)
    return identify(ctx, credentials.credentials)


Caller = Annotated[Device | Account, Depends(caller)]


async def device(who: Caller) -> Device:  # async: no thread-pool hop (context._context)
    # A relay (an office's hub) writes nothing of its own: it forwards its counters' ops
    # under their names, by the relay's endpoints (sync/server/relays.py).
    if not isinstance(who, Device) or who.role != COUNTER:
        raise Problem(403, "auth.device_only", "only an enrolled counter may call this")
    return who


DeviceCaller = Annotated[Device, Depends(device)]
RELAY_ONLY = "auth.relay_only"


async def relay(who: Caller) -> Device:
    if not isinstance(who, Device) or who.role != RELAY:
        raise Problem(403, RELAY_ONLY, "only an office's enrolled hub may call this")
    return who


RelayCaller = Annotated[Device, Depends(relay)]


async def counter_or_relay(who: Caller) -> Device:
    """A counter, or an office's hub: the office's feed answers both (sync/server/office_feed)."""
    if not isinstance(who, Device):
        raise Problem(403, "auth.device_only", "only an enrolled counter or hub may call this")
    return who


FeedCaller = Annotated[Device, Depends(counter_or_relay)]
