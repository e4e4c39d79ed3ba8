"""The sync queue: what waits for the centre, and forgetting what the centre has.

An op the centre has acknowledged is deleted, not kept with its payload emptied: its fact row
and audit link already hold everything it carried, and a queue of emptied rows would leave most
of the file's pages two-thirds empty. A counter of acknowledged ops lets `odsc check` tell an op
the centre has from one that went missing.
"""

from __future__ import annotations

from collections.abc import Iterable

from odsc_desk.store import Store

_CHUNK = 500  # SQLite's bound-parameter limit is far above this; it keeps statements small


def pending_count(store: Store) -> int:
    return store.scalar("SELECT COUNT(*) FROM outbox WHERE state = 'pending'")


def acknowledge(store: Store, op_ids: Iterable[str]) -> int:
    """Drop ops the centre has stored; returns how many were still queued."""
    ids = list(op_ids)
    dropped = 0
    with store.transaction():
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            marks = ", ".join("?" for _ in chunk)
            dropped += store.conn.execute(
                f"DELETE FROM outbox WHERE op_id IN ({marks})", chunk
            ).rowcount
        store.conn.execute("UPDATE outbox_acked SET ops = ops + ? WHERE id = 1", (dropped,))
    return dropped
