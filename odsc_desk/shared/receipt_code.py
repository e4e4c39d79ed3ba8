"""The verification code a receipt's QR holds, and how anyone with the public key checks it.

    ODSC1:VTE-SST-1-2026-000123:150000:202611260900:3F2A9C01B7DE:<signature>

version, receipt number, amount in kip, local date and time (Asia/Vientiane, to the minute,
as printed), the id of the counter's key, and the Ed25519 signature of everything before it,
in base32 without padding. Every character is upper case, a digit or ":", so the QR is encoded
in its compact alphanumeric mode. Pure: the centre (and anyone with the counter's public key)
checks a receipt with this module alone; the counter signs through `domain.signing`.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from odsc_desk.shared.clock import VIENTIANE, parse_stamp
from odsc_desk.shared.errors import OdscError

VERSION = "ODSC1"
_CODE = re.compile(
    r"(?P<payload>ODSC1:(?P<receipt>[A-Z0-9-]{1,40}):(?P<amount>[0-9]{1,15}):"
    r"(?P<when>[0-9]{12}):(?P<key>[0-9A-F]{12})):(?P<signature>[A-Z2-7]{103})"
)


class VerificationError(OdscError):
    """The code is malformed, names an unknown key, or its signature does not match."""


def key_id(public_key: bytes) -> str:
    """A short name for a public key: 12 hex digits (48 bits) of its SHA-256, upper case."""
    return hashlib.sha256(public_key).hexdigest()[:12].upper()


@dataclass(frozen=True)
class Claim:
    """What a verified code vouches for."""

    receipt: str
    amount: int
    at: datetime  # Vientiane wall-clock time, to the minute
    key_id: str


def payload(receipt: str, amount: int, at_stamp: str, key_id: str) -> str:
    when = parse_stamp(at_stamp).astimezone(VIENTIANE).strftime("%Y%m%d%H%M")
    return f"{VERSION}:{receipt}:{amount}:{when}:{key_id}"


def short_code(code: str) -> str:
    """The first twelve signature characters in threes, for a person to read out."""
    signature = code.rsplit(":", 1)[-1][:12]
    return "-".join(signature[i : i + 4] for i in range(0, 12, 4))


def parse(code: str) -> tuple[Claim, str, bytes]:
    """(claim, signed text, signature) of a code, or VerificationError if it is malformed."""
    match = _CODE.fullmatch(code.strip())
    if match is None:
        raise VerificationError("receipt_code.malformed")
    try:
        at = datetime.strptime(match["when"], "%Y%m%d%H%M").replace(tzinfo=VIENTIANE)
        signature = base64.b32decode(match["signature"] + "=" * 1)
    except ValueError as exc:
        raise VerificationError("receipt_code.malformed") from exc
    claim = Claim(match["receipt"], int(match["amount"]), at, match["key"])
    return claim, match["payload"], signature


def verify(code: str, public_keys: Mapping[str, str | bytes]) -> Claim:
    """The claim a code makes, once its signature checks out against the named key.

    `public_keys` maps key ids to raw 32-byte public keys (bytes or hex), as
    `domain.signing.public_keys` lists them for a counter.
    """
    claim, text, signature = parse(code)
    key = public_keys.get(claim.key_id)
    if key is None:
        raise VerificationError("receipt_code.unknown_key", key=claim.key_id)
    raw = bytes.fromhex(key) if isinstance(key, str) else key
    if key_id(raw) != claim.key_id:
        raise VerificationError("receipt_code.key_mismatch", key=claim.key_id)
    try:
        Ed25519PublicKey.from_public_bytes(raw).verify(signature, text.encode("ascii"))
    except InvalidSignature as exc:
        raise VerificationError("receipt_code.forged") from exc
    return claim
