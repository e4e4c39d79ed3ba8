"""The sync queue: what waits for the centre, and forgetting what the centre has.

An op's seq is its fact's audit-chain seq (`ledger.append` writes it), so the number it travels
under names its place in this counter's history, and the centre's high-water mark says exactly
which facts it holds.

An op the centre has acknowledged is deleted, not kept with its payload emptied: its fact row
and audit link already hold everything it carried, and a queue of emptied rows would leave most
of the file's pages two-thirds empty. A counter of acknowledged ops lets `odsc check` tell an op
the centre has from one that went missing. The same facts can rebuild a deleted op when the
centre turns out to have lost it (`requeue_after`).

An op the centre refuses (a conflict, an invalid row) is *parked*: it stays in the queue with
the centre's reason, out of the way of the ops behind it, until someone fixes the cause and
sends it again (`retry_parked`).

What is sent is what the ledger says: an op leaves only once its payload is proven to be its
fact row, byte for byte, and that row is proven to be the one its audit link hashed
(`sendable_batch`). The queue is a copy, and a copy edited behind the application's back
(amount 10000 -> 1) would otherwise reach the centre with a digest that matches itself.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from typing import TypedDict

from odsc_desk.shared.canonical import GENESIS, canonical, chain_hash, fact_link
from odsc_desk.shared.facts import KINDS
from odsc_desk.storage import own_set, sync_state
from odsc_desk.storage.chain import SYNCED, fact_id, fact_row, head, link_hash, tail
from odsc_desk.storage.store import Store

_CHUNK = 500  # SQLite's bound-parameter limit is far above this; it keeps statements small


class QueuedOp(TypedDict):
    """An op waiting to be sent (`pending_batch`)."""

    seq: int  # its fact's audit-chain seq
    op_id: str
    entity: str  # the fact's table
    # The column may be NULL (acknowledged ops were once kept, emptied), but every op queued
    # since, and so every pending one, carries its fact's canonical JSON.
    payload: str
    sha256: str


class ParkedOp(TypedDict):
    """An op the centre refused, set aside (`parked`)."""

    seq: int
    op_id: str
    kind: str
    entity: str
    reason: str | None  # the centre's last refusal
    attempts: int
    created_at: str


def pending_count(store: Store) -> int:
    return store.scalar_int("SELECT COUNT(*) FROM outbox WHERE state = 'pending'")


def parked_count(store: Store) -> int:
    return store.scalar_int("SELECT COUNT(*) FROM outbox WHERE state = 'parked'")


def pending_batch(store: Store, limit: int) -> list[QueuedOp]:
    """The oldest `limit` ops waiting to be sent, in chain order."""
    return store.all_as(
        QueuedOp,
        "SELECT seq, op_id, entity, payload, sha256 FROM outbox WHERE state = 'pending'"
        " ORDER BY seq LIMIT ?",
        (limit,),
    )


# The reason an op that is not its fact is parked under (and `odsc check`'s problem for it).
TAMPERED = "outbox.tampered"


def is_its_fact(store: Store, op: QueuedOp) -> bool:
    """Is this queued op exactly its fact, as the audit chain recorded it?

    Three things must hold: the payload is the canonical JSON of the fact row it names, its
    sha256 is that JSON's, and the link at the op's seq hashes that very row (so a fact edited
    together with its op, without rewriting the chain after it, is caught here too).
    """
    row = fact_row(store.conn, op["entity"], op["op_id"])
    if row is None or op["payload"] is None:
        return False
    payload = canonical(row)
    digest = hashlib.sha256(payload).digest()
    if op["payload"].encode() != payload or op["sha256"] != digest.hex():
        return False
    previous = GENESIS if op["seq"] == 1 else link_hash(store.conn, op["seq"] - 1)
    stored = link_hash(store.conn, op["seq"])
    return (
        previous is not None
        and stored is not None
        and chain_hash(previous, fact_link(op["seq"], op["entity"], digest)) == stored
    )


def sendable_batch(store: Store, limit: int) -> tuple[list[QueuedOp], int]:
    """The oldest `limit` ops waiting, each proven to be its fact (`is_its_fact`); an op that is
    not is parked under `TAMPERED`, never sent. Returns (the batch, how many were parked)."""
    set_aside = 0
    while True:
        batch = pending_batch(store, limit)
        bad = {op["op_id"]: TAMPERED for op in batch if not is_its_fact(store, op)}
        if not bad:
            return batch, set_aside
        set_aside += park(store, bad)


def _drop(store: Store, op_ids: list[str]) -> tuple[int, int]:
    """Delete acknowledged ops: (how many were still queued, the highest seq among them)."""
    dropped, top = 0, 0
    for start in range(0, len(op_ids), _CHUNK):
        chunk = op_ids[start : start + _CHUNK]
        marks = ", ".join("?" for _ in chunk)
        highest = store.scalar_or_none(
            int, f"SELECT MAX(seq) FROM outbox WHERE op_id IN ({marks})", chunk
        )
        top = max(top, highest or 0)
        dropped += store.conn.execute(
            f"DELETE FROM outbox WHERE op_id IN ({marks})", chunk
        ).rowcount
    store.conn.execute("UPDATE outbox_acked SET ops = ops + ? WHERE id = 1", (dropped,))
    return dropped, top


def drop_held(store: Store, op_ids: Iterable[str]) -> int:
    """Drop ops the centre held before this chain wrote them (inside the caller's transaction):
    facts a restored counter took back from it (storage/recovery.py). The acknowledged seq does
    not move: the centre holds them under the seqs of the lost copy, not of this chain."""
    return _drop(store, list(op_ids))[0]


def settle(
    store: Store, acked: Iterable[str], parked: Mapping[str, str] | None = None
) -> tuple[int, int]:
    """What one push reply says, in one transaction: drop the ops the centre holds, park the
    ones it refused (op_id -> its reason). Returns (dropped, parked)."""
    ids = list(acked)
    with store.transaction():
        dropped, top = _drop(store, ids)
        if top:
            sync_state.acknowledged_up_to(store, top)
        own_set.taken_out(store, (parked or {}).keys())
        held = 0
        for op_id, reason in (parked or {}).items():
            held += store.conn.execute(
                "UPDATE outbox SET state = 'parked', last_error = ?, attempts = attempts + 1"
                " WHERE op_id = ?",
                (reason, op_id),
            ).rowcount
    return dropped, held


def acknowledge(store: Store, op_ids: Iterable[str]) -> int:
    """Drop ops the centre has stored; returns how many were still queued."""
    return settle(store, op_ids)[0]


def park(store: Store, reasons: Mapping[str, str]) -> int:
    """Set aside ops the centre refused, each with its reason; returns how many."""
    return settle(store, (), reasons)[1]


def parked(store: Store) -> list[ParkedOp]:
    """The parked ops, oldest first, with the centre's reason and how often it refused them."""
    return store.all_as(
        ParkedOp,
        "SELECT seq, op_id, kind, entity, last_error AS reason, attempts, created_at"
        " FROM outbox WHERE state = 'parked' ORDER BY seq",
    )


def retry_parked(store: Store) -> int:
    """Put every parked op back in the queue (after the cause was fixed); returns how many.

    The last reason stays with the op until the centre answers again.
    """
    with store.transaction():
        return store.conn.execute(
            "UPDATE outbox SET state = 'pending' WHERE state = 'parked'"
        ).rowcount


def requeue_after(store: Store, seq: int) -> int:
    """Queue again every synced fact past chain seq `seq` that is no longer queued.

    For a centre restored from an older backup: it has lost what we sent after its backup, and
    those ops were acknowledged and deleted here. Their facts rebuild them byte for byte (same
    op_id, same digest); each one is taken off the acknowledged count so `odsc check` still
    balances. Returns how many ops were queued again.
    """
    requeued = 0
    with store.transaction():
        now = store.now_stamp()
        for table in sorted(SYNCED):
            count = store.scalar_int(
                "SELECT COUNT(*) FROM audit_log WHERE entity = ? AND seq > ?", (table, seq)
            )
            for link, row in tail(store.conn, table, count):
                payload = canonical(row)
                # OR IGNORE: an op still queued (pending or parked) stays as it is.
                requeued += store.conn.execute(
                    # Counted in the set the centre was told of already (own_set.py).
                    "INSERT OR IGNORE INTO outbox"
                    " (seq, op_id, kind, entity, payload, sha256, created_at, in_set)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, 1)",
                    (
                        link,
                        fact_id(table, row),
                        KINDS[table],
                        table,
                        payload.decode(),
                        hashlib.sha256(payload).hexdigest(),
                        now,
                    ),
                ).rowcount
        store.conn.execute("UPDATE outbox_acked SET ops = ops - ? WHERE id = 1", (requeued,))
        sync_state.lost_after(store, seq)
    return requeued


# -- the chain's head, and the centre's anchor of it ---------------------------------------------


class ChainHead(TypedDict):
    """A link of the audit chain as it is sent and printed: its seq and its hash in hex."""

    seq: int
    hash: str


def chain_head(store: Store) -> ChainHead | None:
    """The newest link of the chain (None before the first)."""
    found = head(store.conn)
    return None if found is None else {"seq": found[0], "hash": found[1].hex()}


def link_at(store: Store, seq: int) -> str | None:
    """The hash (hex) the chain holds now at `seq`, None when it has no link there."""
    found = link_hash(store.conn, seq)
    return None if found is None else found.hex()


def anchored_head(store: Store) -> ChainHead | None:
    """The last head the centre acknowledged holding for this counter (None before any).

    Kept in `sync_state` (m006) beside the rest of the conversation with the centre: it is what
    the centre said, not a fact. A store restored from a backup brings the backup's, older one;
    the centre, which holds the newer head, then flags the counter at its next push.
    """
    row = store.conn.execute(
        "SELECT anchor_seq, anchor_hash FROM sync_state WHERE id = 1"
    ).fetchone()
    if row is None or not row[0] or row[1] is None:
        return None
    return {"seq": int(row[0]), "hash": str(row[1])}


def record_anchored_head(store: Store, seq: int, hash_hex: str) -> None:
    """Remember the head the centre now holds for this counter (its push reply's anchor)."""
    with store.transaction():
        store.conn.execute(
            "UPDATE sync_state SET anchor_seq = ?, anchor_hash = ? WHERE id = 1", (seq, hash_hex)
        )
