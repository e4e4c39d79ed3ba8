"""Writing a fact: the row, its audit-chain link and its outbox entry, in the caller's transaction.

The audit row holds the sha256 of the fact's canonical JSON (its digest) and chains to the row
before it: hash = sha256(previous hash + canonical JSON of the audit row). Editing a fact breaks
its digest; editing, deleting or reordering audit rows breaks the chain. The outbox entry carries
the same canonical JSON and digest to the server, so what the centre receives is provably what
was written here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from odsc_desk.shared.canonical import GENESIS, audit_content, canonical, chain_hash, fact_link
from odsc_desk.shared.facts import FACTS, KINDS
from odsc_desk.storage.chain import fact_id
from odsc_desk.storage.store import Store


def _next_link(store: Store) -> tuple[int, bytes]:
    last = store.conn.execute(
        "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    return (last[0] + 1, last[1]) if last else (1, GENESIS)


def audit(
    store: Store,
    actor: str | None,
    action: str,
    entity: str,
    entity_id: str,
    digest: bytes,
) -> None:
    """Append a link for something that is not a fact row (a setting, the office identity),
    with its time, author and digest kept in the link itself (inside the caller's transaction).
    """
    seq, previous = _next_link(store)
    at = store.now_stamp()
    content = audit_content(seq, at, actor, action, entity, entity_id, digest)
    store.conn.execute(
        "INSERT INTO audit_log (seq, at, actor, action, entity, entity_id, digest, hash)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (seq, at, actor, action, entity, entity_id, digest, chain_hash(previous, content)),
    )


def append(store: Store, table: str, row: Mapping[str, Any]) -> None:
    """Insert a fact row with its audit link and, for synced facts, its outbox entry.

    The fact row names its own author and time; the link holds only the chain hash over the
    row's digest, which `odsc check` recomputes from the row. A synced fact's op kind comes
    from the fact registry, never from the caller.
    """
    payload = canonical(row)
    digest = hashlib.sha256(payload).digest()
    columns = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    store.conn.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", tuple(row.values()))
    seq, previous = _next_link(store)
    store.conn.execute(
        "INSERT INTO audit_log (seq, entity, hash) VALUES (?, ?, ?)",
        (seq, table, chain_hash(previous, fact_link(seq, table, digest))),
    )
    if table in FACTS:
        # The op travels under its link's seq: the centre's high-water mark then names a point
        # in this chain, and an op lost at the centre can be rebuilt from its fact.
        store.conn.execute(
            "INSERT INTO outbox (seq, op_id, kind, entity, payload, sha256, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                seq,
                fact_id(table, row),
                KINDS[table],
                table,
                payload.decode(),
                digest.hex(),
                store.now_stamp(),
            ),
        )
