"""Row identities: time-ordered UUIDs (version 7, RFC 9562).

Random UUIDs (v4) land all over a B-tree and bloat its pages; v7 values grow with time, so the
primary-key index is appended to. Uniqueness still rests on 74 random bits, not on the clock.
"""

from __future__ import annotations

import os
import re
import time
import uuid

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def new_id() -> str:
    millis = time.time_ns() // 1_000_000
    value = (millis & ((1 << 48) - 1)) << 80
    value |= int.from_bytes(os.urandom(10), "big") & ((1 << 80) - 1)
    value = (value & ~(0xF << 76)) | (0x7 << 76)  # version 7
    value = (value & ~(0x3 << 62)) | (0x2 << 62)  # RFC 4122 variant
    return str(uuid.UUID(int=value))


def packed(value: str) -> str | bytes:
    """An id as the office's facts are kept (odsc_desk/storage/office_facts.py): a UUID's 16
    bytes, anything else as it is."""
    return bytes.fromhex(value.replace("-", "")) if _UUID.fullmatch(value) else value


def unpacked(value: str | bytes) -> str:
    return str(uuid.UUID(bytes=value)) if isinstance(value, bytes) else value
