"""Anchors outside the counter's file: the audit-chain heads the centre has seen.

A counter's audit chain shows that its file was not edited only to someone who trusts the
file's newest link: whoever can rewrite the file can recompute the chain from the edit on. So
at each push a counter shows the centre its chain head (`X-Chain-Head: <seq>:<hash>`) and, for
the last head the centre holds for it, the hash its chain holds at that seq now
(`X-Chain-Anchor: <seq>:<hash>`, or `<seq>:missing` when it has no link there). The centre keeps
every head it has seen, and judges each new one against the last:

- "ok": the first head, or the chain still holds the last head's link (it extends it);
- "rewritten": the chain holds another link at that seq (or another head at the same seq):
  what the centre anchored was changed;
- "behind": the chain does not show the last head — no link there, a head below it (a counter
  restored from an older backup), or no anchor for that seq at all, so continuity is unproven.

A flag is not a refusal: the push is stored as any other, because the facts it carries are what
the reports must see. Released counters send neither header and nothing changes for them.

An admin who has looked into a flag (a counter restored from a backup, with the office's word
for it) clears it with `odsc-server chain clear DEVICE --reason …`: the clear is kept with who,
when and why (`chain_clears`) and covers the heads seen until then; a head judged "rewritten" or
"behind" after it is a new flag.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from sqlalchemy import ColumnElement, Connection, Table, func, insert, or_, select

from odsc_desk.shared.text import REASON_MAX, has_control, nfc
from sync.protocol import MAX_INT, Problem
from sync.server.db import chain_clears, chain_heads, devices
from sync.server.problems import Refused

HEAD_HEADER = "X-Chain-Head"
ANCHOR_HEADER = "X-Chain-Anchor"
OK, REWRITTEN, BEHIND = "ok", "rewritten", "behind"
MISSING = "missing"

# An audit seq (1 up, within the protocol's integers) and a sha256 in lowercase hex. Leading
# zeros are refused so that one link has one spelling.
_SEQ = r"([1-9][0-9]{0,15})"
_HEAD = re.compile(_SEQ + r":([0-9a-f]{64})")
_ANCHOR = re.compile(_SEQ + r":([0-9a-f]{64}|" + MISSING + ")")


class Anchor(BaseModel):
    """The head the centre holds for a device, and how it stood to the one before it."""

    seq: int
    hash: str
    status: str


class ChainFlag(BaseModel):
    device_id: str
    office: str
    counter: int
    status: str
    seq: int
    seen_at: str


@dataclass(frozen=True)
class Link:
    seq: int
    hash: str  # lowercase hex, or MISSING in an anchor


@dataclass(frozen=True)
class Claim:
    """What a push says of the counter's chain: its head, and its link at the centre's head."""

    head: Link
    anchor: Link | None


def _link(pattern: re.Pattern[str], name: str, value: str) -> Link:
    found = pattern.fullmatch(value.strip())
    if found is None or int(found[1]) > MAX_INT:
        raise Problem(
            400,
            "anchor.header",
            f"{name} must be <seq>:<sha256 in lowercase hex>"
            + (" or <seq>:missing" if pattern is _ANCHOR else ""),
        )
    return Link(int(found[1]), found[2])


def read_claim(head: str | None, anchor: str | None) -> Claim | None:
    """The chain headers of a push; None when it sent neither (a released counter)."""
    if head is None and anchor is None:
        return None
    if head is None:
        raise Problem(400, "anchor.header", f"{ANCHOR_HEADER} needs {HEAD_HEADER} beside it")
    return Claim(
        _link(_HEAD, HEAD_HEADER, head),
        None if anchor is None else _link(_ANCHOR, ANCHOR_HEADER, anchor),
    )


def _judge(last: Any, claim: Claim) -> str:
    """How the claimed head stands to `last`, the newest head held (a row, or None)."""
    if last is None:
        return OK
    head, anchor = claim.head, claim.anchor
    if head.seq < last.seq:
        return BEHIND
    if head.seq == last.seq:
        return REWRITTEN  # the same seq, another link (the identical head is not judged again)
    if anchor is None or anchor.seq != last.seq or anchor.hash == MISSING:
        return BEHIND
    return OK if anchor.hash == last.hash else REWRITTEN


def _last(conn: Connection, device_id: str) -> Any:
    return conn.execute(
        select(chain_heads.c.seq, chain_heads.c.hash, chain_heads.c.status)
        .where(chain_heads.c.device_id == device_id)
        .order_by(chain_heads.c.id.desc())
        .limit(1)
    ).first()


def record(conn: Connection, device_id: str, claim: Claim, seen_at: str) -> dict[str, Any]:
    """Judge and keep the claimed head, inside the push's transaction (which holds the device's
    row, so the pushes of one device are judged one after another). The same head shown again
    adds nothing: it is the head already held, with its status."""
    last = _last(conn, device_id)
    if last is not None and (last.seq, last.hash) == (claim.head.seq, claim.head.hash):
        return {"seq": int(last.seq), "hash": last.hash, "status": last.status}
    status = _judge(last, claim)
    conn.execute(
        chain_heads.insert().values(
            device_id=device_id,
            seq=claim.head.seq,
            hash=claim.head.hash,
            seen_at=seen_at,
            status=status,
            anchor=None if claim.anchor is None else spelled(claim.anchor),
        )
    )
    return {"seq": claim.head.seq, "hash": claim.head.hash, "status": status}


def spelled(link: Link) -> str:
    """A link as its header spells it: `<seq>:<hash>` (or `<seq>:missing` in an anchor)."""
    return f"{link.seq}:{link.hash}"


def held(conn: Connection, device_id: str) -> dict[str, Any] | None:
    """The newest head held for the device, or None (it never sent one)."""
    last = _last(conn, device_id)
    if last is None:
        return None
    return {"seq": int(last.seq), "hash": last.hash, "status": last.status}


def _cleared() -> Any:
    """Per device, the newest head an admin's clear covers."""
    return (
        select(chain_clears.c.device_id, func.max(chain_clears.c.head_id).label("head_id"))
        .group_by(chain_clears.c.device_id)
        .subquery()
    )


def _open_flags() -> Any:
    """Per device, its newest head judged other than "ok" and not covered by a clear."""
    cleared = _cleared()
    return (
        select(chain_heads.c.device_id, func.max(chain_heads.c.id).label("id"))
        .select_from(chain_heads.outerjoin(cleared, cleared.c.device_id == chain_heads.c.device_id))
        .where(
            chain_heads.c.status != OK,
            or_(cleared.c.head_id.is_(None), chain_heads.c.id > cleared.c.head_id),
        )
        .group_by(chain_heads.c.device_id)
        .subquery()
    )


def flags(conn: Connection, scope: Callable[[Table], ColumnElement[bool]]) -> list[dict[str, Any]]:
    """Per device in `scope` whose chain was judged other than "ok" since its last clear, its
    newest such head. A flag stays after later pushes: a chain rewritten once is not made good
    by growing on from the rewrite, and a restore from a backup is a fact the province should
    know, until an admin who looked into it clears it."""
    newest = _open_flags()
    rows = conn.execute(
        select(
            chain_heads.c.device_id,
            devices.c.office,
            devices.c.counter,
            chain_heads.c.status,
            chain_heads.c.seq,
            chain_heads.c.seen_at,
        )
        .select_from(
            newest.join(chain_heads, chain_heads.c.id == newest.c.id).join(
                devices, devices.c.device_id == chain_heads.c.device_id
            )
        )
        .where(scope(devices))
        .order_by(devices.c.office, devices.c.counter, chain_heads.c.device_id)
    )
    return [
        {
            "device_id": r.device_id,
            "office": r.office,
            "counter": int(r.counter),
            "status": r.status,
            "seq": int(r.seq),
            "seen_at": r.seen_at,
        }
        for r in rows
    ]


def clear(
    conn: Connection, device_id: str, reason: str, cleared_by: str, now: str
) -> dict[str, Any]:
    """Clear a device's chain flag, with the reason and who did it; Refused when the device is
    unknown or has no flag to clear. The clear covers every head seen until now."""
    why = nfc(reason)
    if not why or len(why) > REASON_MAX or has_control(why):
        raise Refused(f"the reason must be 1 to {REASON_MAX} printable characters")
    if (
        conn.execute(select(devices.c.device_id).where(devices.c.device_id == device_id)).first()
        is None
    ):
        raise Refused(f"no device {device_id!r} is enrolled (see: odsc-server devices)")
    flagged = _open_flags()
    found = conn.execute(select(flagged.c.id).where(flagged.c.device_id == device_id)).first()
    if found is None:
        raise Refused(f"device {device_id} has no chain flag to clear")
    head_id = conn.execute(
        select(func.max(chain_heads.c.id)).where(chain_heads.c.device_id == device_id)
    ).scalar_one()
    row = {
        "device_id": device_id,
        "head_id": int(head_id),
        "cleared_at": now,
        "cleared_by": cleared_by,
        "reason": why,
    }
    conn.execute(insert(chain_clears).values(**row))
    return row


def clears(conn: Connection) -> list[dict[str, Any]]:
    """Every clear ever made, oldest first, with the seq of the newest head it covers."""
    rows = conn.execute(
        select(
            chain_clears.c.device_id,
            chain_clears.c.cleared_at,
            chain_clears.c.cleared_by,
            chain_clears.c.reason,
            chain_heads.c.seq.label("through_seq"),
        )
        .select_from(chain_clears.join(chain_heads, chain_heads.c.id == chain_clears.c.head_id))
        .order_by(chain_clears.c.id)
    )
    return [dict(r._mapping) for r in rows]
