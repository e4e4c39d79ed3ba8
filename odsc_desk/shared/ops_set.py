"""A device's ops as one signed value: the multiset hash its heads carry (docs/OFFICE_SHARING.md,
D9).

A counter signs, at each push, the set of its ops the server will then hold; the server keeps
the head when its own set of the device's ops is the same, and feeds it to the office's other
counters, which check it against the ops they were fed. A *set*, not a chain: the counter knows
which of its ops the server holds (it sent them, and the reply names those refused) but not in
what order a lost reply, a refusal put right later or a hub's relay put them, and the
receivers see them in that order. So the hash must not depend on order, and must take an op
out again (one the server refused).

The hash is LtHash (Bellare and Micciancio's additive hash, with the parameters of Lewi et al.,
"Securing Update Propagation with Homomorphic Hashing", 2019): each element is expanded by
SHAKE128 into 1,024 numbers of 16 bits, and a set is their sum lane by lane, modulo 2^16. Adding
and taking out an element are one addition each, in any order. Python adds the 1,024 lanes of a
value at once, held in one integer with 32 bits a lane: a lane's carries pile up in its upper
half, which is cleared (`_reduce`) before 2^16 additions could fill it; a set is kept and
hashed in that form, its 1,024 lanes as 4,096 bytes.

An element is an op as the server holds it: its seq, id and sha256. The head is
`<n>:<sha256 of the set's bytes, hex>:<Ed25519 signature, urlsafe base64 without padding>`.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

LANES = 1024
_EXPANDED = LANES * 4  # bytes: 32 bits a lane, of which the lower 16 are drawn
_LOW = int.from_bytes(b"\xff\xff\x00\x00" * LANES, "little")  # each lane's 16 bits
_SPARE = int.from_bytes(b"\x00\x00\x01\x00" * LANES, "little")  # 2^16 in each lane
_ROOM = 0xFFFF  # additions a lane's upper half takes before it must be cleared
SIZE = _EXPANDED  # bytes of a set as kept and hashed: its lanes as held, 32 bits each
HEADER = "X-Ops-Set"
_DOMAIN = b"odsc-ops-set/1\n"
_HEAD = re.compile(r"(0|[1-9][0-9]{0,15}):([0-9a-f]{64}):([A-Za-z0-9_-]{86})")


def element(seq: int, op_id: str, sha256_hex: str) -> int:
    """An op's lanes (each below 2^16, one per 32 bits)."""
    data = _DOMAIN + f"{seq}\n{op_id}\n{sha256_hex}".encode()
    return int.from_bytes(hashlib.shake_128(data).digest(_EXPANDED), "little") & _LOW


def _negated(lanes: int) -> int:
    """2^16 - x in every lane: adding it takes x out, modulo 2^16."""
    return _SPARE - lanes


@dataclass
class OpsSet:
    """A multiset of ops and how many it holds; change it with add and remove."""

    lanes: int = 0
    count: int = 0
    _pending: int = 0  # additions since the upper halves were last cleared

    @classmethod
    def of(cls, kept: bytes | None, count: int) -> OpsSet:
        """A set as `to_bytes` kept it (None or empty: the empty set)."""
        if not kept:
            return cls(0, count)
        if len(kept) != SIZE:
            raise ValueError(f"a kept ops set is {SIZE} bytes, not {len(kept)}")
        return cls(int.from_bytes(kept, "little") & _LOW, count)

    def add(self, seq: int, op_id: str, sha256_hex: str) -> None:
        self._plus(element(seq, op_id, sha256_hex))
        self.count += 1

    def remove(self, seq: int, op_id: str, sha256_hex: str) -> None:
        self._plus(_negated(element(seq, op_id, sha256_hex)))
        self.count -= 1

    def _plus(self, lanes: int) -> None:
        if self._pending >= _ROOM:
            self._reduce()
        self.lanes += lanes
        self._pending += 1

    def _reduce(self) -> None:
        self.lanes &= _LOW
        self._pending = 0

    def to_bytes(self) -> bytes:
        """The set's 1,024 lanes, each as 32 bits little-endian (its upper 16 zero): what is
        kept and hashed. Twice the bytes of the lanes alone, and no work to write or read."""
        self._reduce()
        return self.lanes.to_bytes(_EXPANDED, "little")

    def digest(self) -> str:
        """The sha256 (hex) of the set's bytes: what a head names and its signature covers."""
        return hashlib.sha256(self.to_bytes()).hexdigest()


def message(device_id: str, count: int, digest: str) -> bytes:
    """What a device signs for a head."""
    return f"odsc-ops-head/1\n{device_id}\n{count}\n{digest}".encode()


@dataclass(frozen=True)
class Head:
    count: int
    digest: str  # hex
    signature: bytes  # 64 bytes

    def spelled(self) -> str:
        signature = base64.urlsafe_b64encode(self.signature).decode().rstrip("=")
        return f"{self.count}:{self.digest}:{signature}"


def read_head(value: str) -> Head | None:
    """A head as `Head.spelled` writes it; None when it is not one."""
    found = _HEAD.fullmatch(value.strip())
    if found is None:
        return None
    signature = base64.urlsafe_b64decode(found[3] + "==")
    return Head(int(found[1]), found[2], signature)


def signed_by(public_key_hex: str, device_id: str, head: Head) -> bool:
    """Whether `head` is signed by the device's key (hex)."""
    try:
        key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key_hex))
        key.verify(head.signature, message(device_id, head.count, head.digest))
    except (ValueError, InvalidSignature):
        return False
    return True
