"""The chain anchor a push carries: this counter's audit-chain head, and its proof of continuity.

A chain kept in the same file as the facts cannot catch a rewrite of both: whoever edits a fact
and re-hashes every link after it, or deletes the newest facts with their links, or restores an
older backup, holds a chain that verifies. The centre keeps the heads a counter sent, outside the
counter's file, and holds each new chain to the last one. Two optional headers (protocol v1: a
released centre ignores them) carry it:

- `X-Chain-Head: <seq>:<hash>`: the newest link of the chain when the push is sent;
- `X-Chain-Anchor: <seq>:<hash>`: at the seq of the last head the centre acknowledged, the hash
  this chain holds *now* there (`<seq>:missing` if it has no link there any more). The centre
  compares it with the hash it was sent then: equal, the chain extends it; different, the
  history before it was rewritten; missing, the chain was cut short.

The push reply may carry `"anchor": {"seq", "hash", "status"}`: the head the centre now holds
for this counter, which the next push anchors to, and its verdict: "ok", "rewritten" or
"behind". A reply without it (a released centre) changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from odsc_desk.api import Store, outbox

HEAD = "X-Chain-Head"
ANCHOR = "X-Chain-Anchor"
MISSING = "missing"
STATUSES = ("ok", "rewritten", "behind")
# A link's hash: sha256, 64 lower-case hex digits (how the counter writes it and the centre
# answers it).
_HASH = re.compile(r"[0-9a-f]{64}")


def anchor_value(store: Store, seq: int) -> str:
    """What this chain holds now at `seq`, as `X-Chain-Anchor` says it."""
    found = outbox.link_at(store, seq)
    return f"{seq}:{found or MISSING}"


def push_headers(store: Store) -> dict[str, str]:
    """The headers of one push: the chain's head and, once the centre has acknowledged a head,
    the proof that the chain still extends it. Read at the moment of the push, so the head
    covers every op of the batch."""
    headers: dict[str, str] = {}
    head = outbox.chain_head(store)
    if head is not None:
        headers[HEAD] = f"{head['seq']}:{head['hash']}"
    anchored = outbox.anchored_head(store)
    if anchored is not None:
        headers[ANCHOR] = anchor_value(store, anchored["seq"])
    return headers


@dataclass(frozen=True)
class Verdict:
    """The centre's answer about the chain: the head it holds now and whether the pushed chain
    extends the one before ("ok"), rewrote it ("rewritten") or fell short of it ("behind")."""

    seq: int
    hash: str
    status: str

    @property
    def flagged(self) -> bool:
        return self.status != "ok"


def read_verdict(reply: dict[str, Any]) -> Verdict | None:
    """The reply's "anchor", None when it has none. Raises ValueError when it is not one."""
    if "anchor" not in reply:
        return None
    given = reply["anchor"]
    if not isinstance(given, dict):
        raise ValueError("push reply: anchor")
    seq, hash_hex, status = given.get("seq"), given.get("hash"), given.get("status")
    if (
        not isinstance(seq, int)
        or isinstance(seq, bool)
        or seq < 1
        or not isinstance(hash_hex, str)
        or not _HASH.fullmatch(hash_hex)
        or status not in STATUSES
    ):
        raise ValueError("push reply: anchor")
    return Verdict(seq, hash_hex, str(status))


def remember(store: Store, verdict: Verdict) -> None:
    """Keep the head the centre now holds: the next push proves the chain still extends it."""
    outbox.record_anchored_head(store, verdict.seq, verdict.hash)
