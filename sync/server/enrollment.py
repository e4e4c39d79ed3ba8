"""Enrollment: an admin makes a one-time code for an office counter; the counter trades it for
its device token.

A code works once. Its reply may be lost on a district link, so the device that used it may ask
again for REPEAT_MINUTES, but only by proving it holds the key it enrolled with: the centre
answers an unproven repeat with a challenge, and hands the token out again only for the
challenge signed with that Ed25519 key (sync.protocol.enroll_proof_message). Anyone else who
learns a used code and the device id (shown by `odsc sync status`) gets nothing. Every attempt
with one code from one counter yields the same token, derived from the code with the server's
key (migration 0002): a late copy of an earlier attempt cannot void the token the counter kept.
A new code (after a revocation, say) yields a new token and the old one stops working. Codes,
like tokens, are stored only as their sha256.

Codes the centre does not know count against the address that sent them: after
WRONG_CODE_LIMIT in WRONG_CODE_MINUTES it answers 429 until the oldest leaves the window.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import secrets
from datetime import datetime, timedelta
from ipaddress import ip_address
from typing import Annotated, Any, NamedTuple

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from fastapi import APIRouter, Header, Request
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Connection, Row, insert, select, update
from sqlalchemy.exc import IntegrityError

from odsc_desk.shared import receipt_code
from odsc_desk.shared.clock import parse_stamp, stamp
from odsc_desk.shared.office_codes import clean_counter, clean_office_code
from sync import protocol
from sync.protocol import Problem
from sync.server import hierarchy, hub
from sync.server.auth import COUNTER, RELAY
from sync.server.context import Context, Ctx
from sync.server.db import devices, enroll_codes, server_keys, token_hash, writing
from sync.server.rate_window import RateWindow, window_of

# No 0/O or 1/I: a code is read off a screen and typed at a counter.
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
_GROUPS, _GROUP = 4, 5  # 20 characters of 32 = 100 bits
DEFAULT_TTL_HOURS = 72
MAX_TTL_HOURS = 24 * 30

# A lost reply is noticed at once (the command says it failed), so minutes are enough to ask
# again; after that the code is dead and an admin makes a new one.
REPEAT_MINUTES = 10
# A challenge is signed the moment it arrives; this only bounds how long a copy of one is worth.
CHALLENGE_MINUTES = 2
# A released counter that had no key yet enrolls without one, makes its key, and at once
# enrolls again to send it (unsigned: it cannot sign). That second call is let through only
# this soon after the first and only while no key is bound; the moment one is, it is the proof.
KEYLESS_SECONDS = 120
WRONG_CODE_LIMIT = 10
WRONG_CODE_MINUTES = 10
# Reverse proxies whose X-Forwarded-For is believed (comma-separated addresses); by default the
# address is the connection's own, and a proxy's header is ignored, since anyone can write one.
TRUSTED_PROXIES_ENV = "ODSC_SERVER_TRUSTED_PROXIES"

OFFICE_PATTERN = r"^[A-Z]{2,5}(-[A-Z0-9]{2,6}){0,2}$"  # as odsc_desk.domain.office_setup accepts
DEVICE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$"


def normalize_code(code: str) -> str:
    """People type codes with or without dashes and spaces, in either case."""
    return "".join(code.split()).replace("-", "").upper()


def create_code(
    conn: Connection, office: str, counter: int | str, now: datetime, ttl_hours: int | None = None
) -> dict[str, Any]:
    """A new code for (office, counter); refused with an OdscError for a bad office or counter.
    An office not yet registered is registered in the province its code's prefix names, and
    refused when it names none (hierarchy.register_enrolled)."""
    return _new_code(
        conn, clean_office_code(office), clean_counter(counter), COUNTER, now, ttl_hours
    )


def create_relay_code(
    conn: Connection, office: str, now: datetime, ttl_hours: int | None = None
) -> dict[str, Any]:
    """A new code for the office's hub (docs/OFFICE_SHARING.md, D7): it enrolls as the office's
    relay, counter 0 (it is none of the office's counters)."""
    return _new_code(conn, clean_office_code(office), 0, RELAY, now, ttl_hours)


def _new_code(
    conn: Connection,
    office_code: str,
    number: int,
    role: str,
    now: datetime,
    ttl_hours: int | None,
) -> dict[str, Any]:
    hours = DEFAULT_TTL_HOURS if ttl_hours is None else ttl_hours
    if not 1 <= hours <= MAX_TTL_HOURS:
        raise Problem(422, "enroll.ttl", f"--ttl-hours must be between 1 and {MAX_TTL_HOURS}")
    hub.check_office(conn, office_code)
    hierarchy.register_enrolled(conn, office_code, now)
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(_GROUPS * _GROUP))
    code = "-".join(raw[i : i + _GROUP] for i in range(0, len(raw), _GROUP))
    expires = stamp(now + timedelta(hours=hours))
    conn.execute(
        insert(enroll_codes).values(
            code_sha256=token_hash(raw),
            office=office_code,
            counter=number,
            role=role,
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
    public_url: str | None = None  # where citizens check receipts (ODSC_PUBLIC_URL)


def device_token(key: bytes, code: str, device_id: str) -> str:
    return _b64(hmac.new(key, f"{code}\n{device_id}".encode(), hashlib.sha256).digest())


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _challenge_mac(key: bytes, digest: bytes, device_id: str, issued: str) -> str:
    # A key of its own, derived from the token key, so no challenge can ever equal a token.
    own = hmac.new(key, b"enroll challenges", hashlib.sha256).digest()
    mac = hmac.new(own, digest + f"\n{device_id}\n{issued}".encode(), hashlib.sha256)
    return _b64(mac.digest())


def make_challenge(key: bytes, digest: bytes, device_id: str, now: str) -> str:
    """A challenge for one code and one device, valid CHALLENGE_MINUTES: nothing is stored,
    the centre's MAC over the code, the device and the moment is the proof that it made it."""
    return f"{now}.{_challenge_mac(key, digest, device_id, now)}"


class Proof(NamedTuple):
    """What a repeat brings to show it comes from the device that used the code."""

    challenge: str
    signature: str


def _proven(
    key: bytes, digest: bytes, device_id: str, public_key: str, proof: Proof, now: str
) -> bool:
    issued, _, mac = proof.challenge.rpartition(".")
    # As bytes: a header may carry any Latin-1 character, which compare_digest refuses in a str.
    made = _challenge_mac(key, digest, device_id, issued).encode()
    if not hmac.compare_digest(mac.encode(), made):
        return False  # not made here, or for another code or device
    limit = stamp(parse_stamp(issued) + timedelta(minutes=CHALLENGE_MINUTES))
    if not issued <= now < limit:
        return False
    try:
        signature = base64.urlsafe_b64decode(proof.signature + "=" * (-len(proof.signature) % 4))
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key)).verify(
            signature, protocol.enroll_proof_message(proof.challenge, device_id)
        )
    except (InvalidSignature, ValueError, binascii.Error):
        return False
    return True


def enroll(
    ctx: Context, req: EnrollRequest, proof: Proof | None = None, role: str = COUNTER
) -> EnrollReply:
    code = normalize_code(req.code)
    digest = token_hash(code)
    now = ctx.now_stamp()
    try:
        with writing(ctx.engine) as conn:
            key = conn.execute(
                select(server_keys.c.secret).where(server_keys.c.name == "device_tokens")
            ).scalar_one()
            token = device_token(key, code, req.device_id)
            _bind(conn, req, digest, token, now, key, proof, role)
    except IntegrityError as exc:
        # The same device enrolling with two codes at the same instant: one wins.
        raise Problem(409, "enroll.busy", "another enrollment of this device is under way") from exc
    return EnrollReply(
        device_id=req.device_id,
        office=req.office,
        counter=req.counter,
        token=token,
        server_time=now,
        public_url=ctx.public_url,
    )


def _bind(
    conn: Connection,
    req: EnrollRequest,
    digest: bytes,
    token: str,
    now: str,
    key: bytes,
    proof: Proof | None,
    role: str,
) -> None:
    code = conn.execute(
        select(enroll_codes).where(enroll_codes.c.code_sha256 == digest).with_for_update()
    ).first()
    if code is None:
        raise Problem(404, "enroll.unknown", "this enrollment code is not known")
    if code.expires_at <= now:
        raise Problem(410, "enroll.expired", "this enrollment code has expired; ask for a new one")
    if (code.office, code.counter) != (req.office, req.counter) or code.role != role:
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
    if code.device_id is not None:
        _repeat(conn, req, code, known, digest, token, now, key, proof)
        return
    conn.execute(
        update(enroll_codes)
        .where(enroll_codes.c.code_sha256 == digest)
        .values(device_id=req.device_id, used_at=now)
    )
    fields = {
        "token_sha256": token_hash(token),
        "public_key": req.public_key,
        "key_id": key_id_of(req.public_key),
        "enrolled_at": now,
        "revoked_at": None,
        # Enrolled here, the counter talks to this server: no relay speaks for it any more
        # (docs/OFFICE_SHARING.md, D7: a counter moves between its hub and the centre).
        "via": None,
    }
    if known is None:
        conn.execute(
            insert(devices).values(
                device_id=req.device_id,
                office=req.office,
                counter=req.counter,
                role=role,
                high_water=0,
                ops=0,
                **fields,
            )
        )
    else:
        conn.execute(update(devices).where(devices.c.device_id == req.device_id).values(**fields))


def _repeat(
    conn: Connection,
    req: EnrollRequest,
    code: Row[Any],
    known: Row[Any] | None,
    digest: bytes,
    token: str,
    now: str,
    key: bytes,
    proof: Proof | None,
) -> None:
    """The device that used this code asks again: its reply was lost. It gets the token it was
    given (nothing changes) only while the code is its enrollment in force, within
    REPEAT_MINUTES, and only by proving it holds the key bound at the first use."""
    used_at = parse_stamp(code.used_at)
    if (
        known is None
        or known.token_sha256 != token_hash(token)  # a later code replaced this one
        or now >= stamp(used_at + timedelta(minutes=REPEAT_MINUTES))
    ):
        raise Problem(409, "enroll.spent", "this code has already been used; ask for a new one")
    if known.public_key is None:
        if req.public_key is not None and now < stamp(used_at + timedelta(seconds=KEYLESS_SECONDS)):
            conn.execute(
                update(devices)
                .where(devices.c.device_id == req.device_id)
                .values(public_key=req.public_key, key_id=key_id_of(req.public_key))
            )
            return
        raise Problem(
            409,
            "enroll.spent",
            "this code has already been used, by a device that sent no key to prove itself"
            " with; ask for a new one",
        )
    if proof is not None and _proven(key, digest, req.device_id, known.public_key, proof, now):
        return
    refusal = "this code has already been used; sign the challenge with the device's key"
    if proof is not None:
        refusal = "the proof does not match the key this device enrolled with"
    challenge = make_challenge(key, digest, req.device_id, now)
    raise Problem(403, "enroll.proof", refusal, {protocol.ENROLL_CHALLENGE: challenge})


def key_id_of(public_key: str | None) -> str | None:
    """The id a receipt's code names this key by (receipt_code.key_id), kept so that a receipt's
    check finds its device by index; None for no key, or one that is not 32 bytes of hex."""
    try:
        raw = bytes.fromhex(public_key or "")
    except ValueError:
        return None
    return receipt_code.key_id(raw) if len(raw) == 32 else None


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


def _wrong_codes(request: Request) -> RateWindow:
    return window_of(
        request.app, "enroll.unknown", WRONG_CODE_LIMIT, timedelta(minutes=WRONG_CODE_MINUTES)
    )


def client_address(request: Request) -> str:
    """Who is asking: the connection's address, or behind a reverse proxy named in
    ODSC_SERVER_TRUSTED_PROXIES the right-most X-Forwarded-For address not itself such a proxy
    (addresses further left were written by the caller and prove nothing)."""
    peer = request.client.host if request.client is not None else "-"
    trusted = {
        _canonical_ip(part) for part in os.environ.get(TRUSTED_PROXIES_ENV, "").split(",")
    } - {""}
    if _canonical_ip(peer) not in trusted:
        return peer
    forwarded = ",".join(request.headers.getlist("x-forwarded-for")).split(",")
    for hop in reversed(forwarded):
        address = _canonical_ip(hop)
        if address and address not in trusted:
            return address
    return peer


def _canonical_ip(text: str) -> str:
    try:
        return str(ip_address(text.strip()))
    except ValueError:
        return ""


# The refusals of an enrollment (problems.documented).
ENROLL_ANSWERS = {
    403: "enroll.proof",
    404: "enroll.unknown",
    409: "enroll.used, enroll.spent, enroll.mismatch, enroll.elsewhere, enroll.revoked, "
    "enroll.busy",
    410: "enroll.expired",
    413: "body.too_large",
    422: "request.invalid",
    429: "enroll.rate_limited",
}

# A repeat's proof (protocol.ENROLL_CHALLENGE), in the headers of either enrollment.
Challenge = Annotated[str | None, Header(alias=protocol.ENROLL_CHALLENGE, max_length=200)]
Signature = Annotated[str | None, Header(alias=protocol.ENROLL_SIGNATURE, max_length=200)]

router = APIRouter(tags=["enrollment"])


@router.post(
    protocol.ENROLL,
    response_model=EnrollReply,
    summary="Trade a one-time enrollment code for a device token",
)
def enroll_endpoint(
    req: EnrollRequest,
    ctx: Ctx,
    request: Request,
    challenge: Challenge = None,
    signature: Signature = None,
) -> EnrollReply:
    return guarded_enroll(ctx, request, req, challenge, signature, COUNTER)


def guarded_enroll(
    ctx: Context,
    request: Request,
    req: EnrollRequest,
    challenge: str | None,
    signature: str | None,
    role: str,
) -> EnrollReply:
    """`enroll`, behind the limit on unknown codes from one address."""
    wrong = _wrong_codes(request)
    address = client_address(request)
    now = ctx.now()
    wait = wrong.wait_seconds(address, now)
    if wait:
        raise Problem(
            429,
            "enroll.rate_limited",
            f"too many unknown enrollment codes from {address}; try again in {wait} s",
            {"Retry-After": str(wait)},
        )
    proof = Proof(challenge, signature) if challenge and signature else None
    try:
        return enroll(ctx, req, proof, role)
    except Problem as exc:
        if exc.code == "enroll.unknown":
            wrong.note(address, now)
        raise
