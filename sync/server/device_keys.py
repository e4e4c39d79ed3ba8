"""A counter's receipt key, registered after enrollment when the centre holds none for it.

The public keys the centre holds are the only trust roots for receipts and slips
(sync/server/verify.py, request_status.py). Enrollment binds one when the counter sends it, but a
counter enrolled by a release before keys, or before its first receipt made its key, sent none:
its genuine receipts would read "not genuine" for ever. Such a counter, seeing `key_id` null in
its status reply, sends its key here with its Ed25519 signature over
`protocol.device_key_message`, which proves it holds the private part and binds the key to this
device alone.

A key is set only where none is held, never replaced: a stolen token must not be able to swap a
counter's trust root, so the key it would sign receipts with. Changing a held key is an admin's
matter (a new enrollment code, `odsc-server enroll`, with the counter's new key). Sending the key
already held is answered as a success, so a retry after a lost reply is harmless. No challenge
is needed: the signed message names the device and the key, and replaying it can only set that
same key for that same device, which is what its holder asked for.
"""

from __future__ import annotations

import base64
import binascii

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Connection, select, update

from odsc_desk.shared import receipt_code
from sync import protocol
from sync.protocol import Problem
from sync.server.auth import DEVICE_ONLY, UNAUTHORIZED, Device, DeviceCaller
from sync.server.context import Ctx
from sync.server.db import devices, writing
from sync.server.problems import documented

# An Ed25519 signature (64 bytes) in urlsafe base64 without padding is 86 characters.
_SIGNATURE_CHARS = 86


class KeyRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    public_key: str = Field(pattern=r"^[0-9a-f]{64}$", description="Ed25519 public key, hex")
    signature: str = Field(
        min_length=_SIGNATURE_CHARS,
        max_length=_SIGNATURE_CHARS,
        pattern=r"^[A-Za-z0-9_-]+$",
        description="Ed25519 signature of device_key_message, urlsafe base64 without padding",
    )


class KeyReply(BaseModel):
    device_id: str
    key_id: str


def _signed(device_id: str, public_key: str, signature: str) -> bool:
    try:
        raw = base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4))
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key)).verify(
            raw, protocol.device_key_message(device_id, public_key)
        )
    except (InvalidSignature, ValueError, binascii.Error):
        return False
    return True


def register(conn: Connection, who: Device, req: KeyRequest) -> KeyReply:
    """Bind `req.public_key` to the calling device when it holds none; a Problem otherwise, with
    nothing written."""
    row = conn.execute(
        select(devices.c.public_key, devices.c.revoked_at)
        .where(devices.c.device_id == who.device_id)
        .with_for_update()
    ).one()
    if row.revoked_at is not None:
        # Revoked between the token's check and this transaction.
        raise Problem(401, "auth.revoked", "this device has been revoked")
    if not _signed(who.device_id, req.public_key, req.signature):
        raise Problem(403, "key.proof", "the signature does not prove this device holds the key")
    key_id = receipt_code.key_id(bytes.fromhex(req.public_key))
    if row.public_key == req.public_key:
        return KeyReply(device_id=who.device_id, key_id=key_id)
    if row.public_key is not None:
        raise Problem(
            409,
            "key.held",
            "the centre already holds another key for this device and never replaces one;"
            " to change it, an admin makes a new enrollment code for the counter",
        )
    elsewhere = conn.execute(
        select(devices.c.device_id).where(
            devices.c.key_id == key_id,
            devices.c.public_key == req.public_key,
            devices.c.device_id != who.device_id,
        )
    ).first()
    if elsewhere is not None:
        # Two devices with one private key (a copied store): whose receipt is whose could not
        # be told apart.
        raise Problem(409, "key.elsewhere", "this key is held for another device")
    conn.execute(
        update(devices)
        .where(devices.c.device_id == who.device_id, devices.c.public_key.is_(None))
        .values(public_key=req.public_key, key_id=key_id)
    )
    return KeyReply(device_id=who.device_id, key_id=key_id)


router = APIRouter(tags=["sync"])


@router.post(
    protocol.DEVICE_KEY,
    response_model=KeyReply,
    summary="Register your receipt key when the centre holds none",
    responses=documented(
        {
            **UNAUTHORIZED,
            403: f"{DEVICE_ONLY}, key.proof",
            409: "key.held, key.elsewhere",
            413: "body.too_large",
            422: "request.invalid",
        }
    ),
)
def key_endpoint(req: KeyRequest, who: DeviceCaller, ctx: Ctx) -> KeyReply:
    with writing(ctx.engine) as conn:
        return register(conn, who, req)
