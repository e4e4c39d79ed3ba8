"""The code an appointment slip's QR holds: proof that the slip came from the counter that took
the request, and the key to the request's status and online feedback at the centre.

    ODSS1:VTE-SST-1-261126-0001:3F2A9C01B7DE:<signature>

version, the request's tracking number, the id of the counter's key, and the Ed25519 signature
of everything before it in base32 without padding: the same key, key id and signature text as a
receipt's code (`receipt_code`), so anyone holding the counter's public key checks either. Upper
case, digits and ":" only: the QR's compact alphanumeric mode. A tracking number alone is
sequential and guessable; the signature is not, so the code may open what the number may not.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from odsc_desk.shared.receipt_code import VerificationError, key_id

VERSION = "ODSS1"
_CODE = re.compile(
    r"(?P<payload>ODSS1:(?P<tracking>[A-Z0-9-]{1,40}):(?P<key>[0-9A-F]{12}))"
    r":(?P<signature>[A-Z2-7]{103})"
)


@dataclass(frozen=True)
class SlipClaim:
    """What a verified slip code vouches for: this counter's key signed this tracking number."""

    tracking: str
    key_id: str


def payload(tracking: str, signing_key: str) -> str:
    """The text the counter signs."""
    return f"{VERSION}:{tracking}:{signing_key}"


def encode(text: str, signature: bytes) -> str:
    """The code: the signed text and its signature (base32, no padding)."""
    return f"{text}:{base64.b32encode(signature).decode('ascii').rstrip('=')}"


def parse(code: str) -> tuple[SlipClaim, str, bytes]:
    """(claim, signed text, signature), or VerificationError("slip_code.malformed")."""
    match = _CODE.fullmatch(code.strip().upper())
    if match is None:
        raise VerificationError("slip_code.malformed")
    try:
        signature = base64.b32decode(match["signature"] + "=")
    except ValueError as exc:
        raise VerificationError("slip_code.malformed") from exc
    # The last character carries 3 of the signature's bits and 2 spare ones: a code whose spare
    # bits were changed would check out too, so only the one spelling the counter printed does.
    if encode(match["payload"], signature) != match[0]:
        raise VerificationError("slip_code.malformed")
    return SlipClaim(match["tracking"], match["key"]), match["payload"], signature


def verify(code: str, public_keys: Mapping[str, str | bytes]) -> SlipClaim:
    """The claim of a code whose signature checks out against the key it names.

    `public_keys` maps key ids to raw 32-byte public keys (bytes or hex)."""
    claim, text, signature = parse(code)
    key = public_keys.get(claim.key_id)
    if key is None:
        raise VerificationError("slip_code.unknown_key", key=claim.key_id)
    raw = bytes.fromhex(key) if isinstance(key, str) else key
    if key_id(raw) != claim.key_id:
        raise VerificationError("slip_code.key_mismatch", key=claim.key_id)
    try:
        Ed25519PublicKey.from_public_bytes(raw).verify(signature, text.encode("ascii"))
    except InvalidSignature as exc:
        raise VerificationError("slip_code.forged") from exc
    return claim
