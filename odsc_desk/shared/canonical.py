"""Canonical JSON and the audit chain's hashes: the bytes both ends agree a fact is.

The counter hashes a fact's canonical JSON into its audit chain and sends the same bytes to the
centre, which recomputes them from the row it received; so this is shared, and pure.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

import orjson

GENESIS = bytes(32)  # the "previous hash" of the first link
_FLAT = frozenset({str, int, bool})  # what canonical() hands orjson


def canonical(row: Mapping[str, Any]) -> bytes:
    """Sorted keys, no spaces, UTF-8, and no null fields.

    Dropping nulls keeps old digests valid when a later migration adds a nullable column.
    """
    present = {k: v for k, v in row.items() if v is not None}
    # A fact's row holds only text and whole numbers: orjson writes those exactly as json.dumps
    # does (tests/core/test_canonical.py holds the two to every character), in a third of the
    # time, which the centre spends on every op it takes. Anything else (a float, which the two
    # spell apart, a nested object in a catalog, a number past 64 bits) goes the one way it
    # always went.
    if set(map(type, present.values())) <= _FLAT:
        try:
            return orjson.dumps(present, option=orjson.OPT_SORT_KEYS)
        except TypeError:  # a key that is not text, or a number orjson does not take
            pass
    return json.dumps(present, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def chain_hash(previous: bytes, audit_row: Mapping[str, Any]) -> bytes:
    return hashlib.sha256(previous + canonical(audit_row)).digest()


def audit_content(
    seq: int, at: str, actor: str | None, action: str, entity: str, entity_id: str, digest: bytes
) -> dict[str, Any]:
    """What the link of an entry that is not a fact row (a setting, the office) hashes."""
    return {
        "seq": seq,
        "at": at,
        "actor": actor,
        "action": action,
        "entity": entity,
        "entity_id": entity_id,
        "digest": digest.hex(),
    }


def fact_link(seq: int, entity: str, digest: bytes) -> dict[str, Any]:
    """What a fact's audit link hashes: its place in the chain, its table, its row's digest."""
    return {"seq": seq, "entity": entity, "digest": digest.hex()}
