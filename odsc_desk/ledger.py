"""Writing a fact: the row, its audit-chain link and its outbox entry, in the caller's transaction.

The audit row holds the sha256 of the fact's canonical JSON (its digest) and chains to the row
before it: hash = sha256(previous hash + canonical JSON of the audit row). Editing a fact breaks
its digest; editing, deleting or reordering audit rows breaks the chain. The outbox entry carries
the same canonical JSON and digest to the server, so what the centre receives is provably what
was written here.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from odsc_desk.store import Store

GENESIS = bytes(32)

# Facts the centre receives. Users are local accounts (their password hashes never leave the
# counter), catalog rows come *from* the centre and a signing key's row holds its private key
# (the centre gets the public key on its own), so none of those is queued. Receipt prints are:
# the centre watches reprints.
SYNCED = frozenset(
    {
        "receipt_prints",
        "requests",
        "status_events",
        "payments",
        "voids",
        "refunds",
        "cash_sessions",
        "cash_closes",
        "feedback",
        "closures",
        "sequence_floors",
    }
)


def canonical(row: dict[str, Any]) -> bytes:
    """Sorted keys, no spaces, UTF-8, and no null fields.

    Dropping nulls keeps old digests valid when a later migration adds a nullable column.
    """
    present = {k: v for k, v in row.items() if v is not None}
    return json.dumps(present, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def chain_hash(previous: bytes, audit_row: dict[str, Any]) -> bytes:
    return hashlib.sha256(previous + canonical(audit_row)).digest()


def audit_content(
    seq: int, at: str, actor: str | None, action: str, entity: str, entity_id: str, digest: bytes
) -> dict[str, Any]:
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


def fact_id(table: str, row: dict[str, Any]) -> str:
    """The name a fact goes by in the outbox and in `odsc check`'s reports."""
    if table == "catalog_versions":
        return str(row["version"])
    if table == "status_events":
        return f"{row['request_id']}/{row['seq']}"
    return row["id"]


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


def append(store: Store, action: str, table: str, row: dict[str, Any]) -> None:
    """Insert a fact row with its audit link and, for synced facts, its outbox entry.

    The fact row names its own author and time; the link holds only the chain hash over the
    row's digest, which `odsc check` recomputes from the row.
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
    if table in SYNCED:
        # The op travels under its link's seq: the centre's high-water mark then names a point
        # in this chain, and an op lost at the centre can be rebuilt from its fact.
        store.conn.execute(
            "INSERT INTO outbox (seq, op_id, kind, entity, payload, sha256, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                seq,
                fact_id(table, row),
                action,
                table,
                payload.decode(),
                digest.hex(),
                store.now_stamp(),
            ),
        )
