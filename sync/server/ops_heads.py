"""The heads a counter signs over its ops (docs/OFFICE_SHARING.md, D9), kept where they hold.

A push may carry `X-Ops-Set: <n>:<digest>:<signature>`: the counter's Ed25519 signature over
the multiset hash of its ops that the server holds once this push is stored (the ops it sent
before and now, less those refused: odsc_desk/shared/ops_set.py). The server keeps, per device,
the same hash over the ops it holds (`devices.ops_set`, `ops_count`; computed from its ops the
first time the device shows a head, then kept current by every push that stores its ops, a
hub's relay included). A head is *kept* when its signature checks with the device's key and it
names exactly that set: it takes a position of its own in the office's feed, after the ops it
covers, and the feed hands it to the office's other counters with those ops. A head that does
not hold is not an error: the push is stored as any other, and the reply says why
(`ops_set.kept` false, with the server's count), so the counter can put its set right and sign
again. A malformed header refuses the push (400 `ops_set.header`), nothing stored.

Released counters send no header, and nothing changes for them: their set is not kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Connection, and_, func, select

from odsc_desk.shared import ops_set
from odsc_desk.shared.ops_set import Head, OpsSet
from sync.protocol import Problem
from sync.server.db import Write, inserted, ops
from sync.server.db import ops_heads_table as ops_heads

NO_KEY, SIGNATURE, OTHER_SET = "no_key", "signature", "other_set"


class OpsVerdict(BaseModel):
    """A push reply's word on its head: kept, or why not, with the server's count of the
    device's ops."""

    kept: bool
    count: int
    reason: str | None = None


def read_head(value: str | None) -> Head | None:
    """The push's head; None when it sent none. Malformed: 400, before anything is read."""
    if value is None:
        return None
    head = ops_set.read_head(value)
    if head is None:
        raise Problem(
            400,
            "ops_set.header",
            f"{ops_set.HEADER} must be <count>:<sha256 hex>:<Ed25519 signature, base64url>",
        )
    return head


@dataclass(frozen=True)
class Held:
    """One of the device's ops as the set counts it."""

    seq: int
    op_id: str
    sha256: bytes


def current(
    conn: Connection, device_id: str, kept: bytes | None, count: int | None, head: Head | None
) -> OpsSet | None:
    """The device's set as it stands before this push's ops: as kept, or counted from its ops
    now that it shows a head; None while it never did (the set is not kept)."""
    if kept is not None and count is not None:
        return OpsSet.of(kept, count)
    if head is None:
        return None
    found = OpsSet()
    for row in conn.execute(
        select(ops.c.seq, ops.c.op_id, ops.c.sha256).where(ops.c.device_id == device_id)
    ):
        found.add(int(row.seq), row.op_id, bytes(row.sha256).hex())
    return found


def grown(found: OpsSet, stored: Iterable[Held]) -> OpsSet:
    for op in stored:
        found.add(op.seq, op.op_id, op.sha256.hex())
    return found


def judge(device_id: str, public_key: str | None, found: OpsSet, head: Head) -> OpsVerdict:
    """Whether the head is the device's and names the set the server holds."""
    if public_key is None:
        return OpsVerdict(kept=False, count=found.count, reason=NO_KEY)
    if not ops_set.signed_by(public_key, device_id, head):
        return OpsVerdict(kept=False, count=found.count, reason=SIGNATURE)
    if (head.count, head.digest) != (found.count, found.digest()):
        return OpsVerdict(kept=False, count=found.count, reason=OTHER_SET)
    return OpsVerdict(kept=True, count=found.count)


def kept_at(office: str, pos: int, device_id: str, head: Head, seen_at: str) -> Write:
    """The head kept at its own position of the office's feed (in the push's closing
    statement)."""
    row = {
        "office": office,
        "pos": pos,
        "device_id": device_id,
        "count": head.count,
        "digest": head.digest,
        "signature": head.signature,
        "seen_at": seen_at,
    }
    return inserted(ops_heads, tuple(row), [row])


def in_page(
    conn: Connection, office: str, after: int, through: int, devices: Sequence[str]
) -> list[dict[str, Any]]:
    """Per device of `devices`, its newest head kept at a position in (after, through]: it covers
    every op of the device before it, so the older ones in between add nothing. In position
    order."""
    if not devices or through <= after:
        return []
    h = ops_heads.c
    newest = (
        select(h.device_id, func.max(h.pos).label("pos"))
        .where(h.office == office, h.pos > after, h.pos <= through, h.device_id.in_(devices))
        .group_by(h.device_id)
        .subquery()
    )
    rows = conn.execute(
        select(h.pos, h.device_id, h.count.label("n"), h.digest, h.signature)
        .join(newest, and_(h.device_id == newest.c.device_id, h.pos == newest.c.pos))
        .where(h.office == office)
        .order_by(h.pos)
    )
    return [
        {
            "pos": int(r.pos),
            "device_id": r.device_id,
            "count": int(r.n),
            "digest": r.digest,
            "signature": bytes(r.signature),
        }
        for r in rows
    ]
