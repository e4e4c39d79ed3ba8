"""Upgrading a store written by the first versions, before the ledger was made lean.

Until then every audit link repeated its fact's time, author, action, id and digest, status
events had a UUID of their own, and the queue named status events by that UUID. The lean layout
was then written into the first migration (m001) itself, so a store made by those versions
records "m001 applied" yet holds the old tables: it is recognised by its status events' `id`.

The upgrade, inside the migration's transaction (all of it happens, or none):
1. The old chain is verified under the old rules: every link, every fact against its digest,
   the queue against the facts. A store that fails is refused and left as it was: relinking it
   would turn a damaged or edited history into a chain that verifies.
2. Status events lose their UUID (named by request and place, as now); sequence floors gain
   `by`; the table of acknowledged ops is counted from the queue.
3. The chain is rebuilt link by link under today's rules, and one more link records the old
   chain's head hash: the new chain vouches for the old one, and the pre-migrate backup keeps
   the old file whole.
4. Queued status events are renamed and re-digested from their new rows; ops the centre had
   acknowledged leave the queue and are counted, as today.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator
from typing import Any

from odsc_desk.shared.canonical import GENESIS, audit_content, canonical, chain_hash, fact_link
from odsc_desk.shared.errors import StoreError
from odsc_desk.storage.chain import SYNCED, fact_id

RELINK_ACTION = "ledger_relinked"
# Links that are not facts: their time, author and digest stay in the link itself.
_NOT_FACTS = ("settings", "office")


def is_wide(conn: sqlite3.Connection) -> bool:
    columns = {row[1] for row in conn.execute("PRAGMA table_info(status_events)")}
    return "id" in columns


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def _rows(conn: sqlite3.Connection, table: str) -> Iterator[dict[str, Any]]:
    cursor = conn.execute(f"SELECT * FROM {table} ORDER BY rowid")
    names = [c[0] for c in cursor.description]
    for row in cursor:
        yield dict(zip(names, row, strict=True))


def _old_entity_id(table: str, row: dict[str, Any]) -> str:
    return str(row["version"]) if table == "catalog_versions" else row["id"]


def _refuse(seq: Any, why: str) -> StoreError:
    return StoreError("store.upgrade_unverified", seq=seq, detail=why)


def _verify_wide(conn: sqlite3.Connection, audited: tuple[str, ...]) -> bytes:
    """The old `odsc check`, link by link; the head hash of a chain that holds."""
    facts = {table: _rows(conn, table) for table in audited}
    ops = conn.execute("SELECT op_id, sha256 FROM outbox ORDER BY seq")
    previous = GENESIS
    cursor = conn.execute(
        "SELECT seq, at, actor, action, entity, entity_id, digest, hash FROM audit_log ORDER BY seq"
    )
    for count, (seq, at, actor, action, entity, entity_id, digest, stored) in enumerate(cursor, 1):
        content = audit_content(seq, at, actor, action, entity, entity_id, bytes(digest))
        if seq != count or chain_hash(previous, content) != bytes(stored):
            raise _refuse(seq, "audit link")
        if entity in facts:
            row = next(facts[entity], None)
            if row is None or _old_entity_id(entity, row) != entity_id:
                raise _refuse(seq, f"{entity} row missing")
            if hashlib.sha256(canonical(row)).digest() != bytes(digest):
                raise _refuse(seq, f"{entity} row changed")
            if entity in SYNCED and ops.fetchone() != (entity_id, bytes(digest).hex()):
                raise _refuse(seq, "queue")
        elif entity not in _NOT_FACTS:
            raise _refuse(seq, f"unknown entity {entity}")
        previous = bytes(stored)
    if ops.fetchone() is not None:
        raise _refuse("-", "queue")
    for table, rows in facts.items():
        if next(rows, None) is not None:
            raise _refuse("-", f"{table} row not in the chain")
    return previous


def _statement(statements: list[str], start: str) -> str:
    return next(s for s in statements if s.lstrip().startswith(start))


# Each old status event id -> its new op: (op id, payload as text, payload as bytes).
_Renamed = dict[str, tuple[str, str, bytes]]


def _lean_status_events(conn: sqlite3.Connection, initial: list[str]) -> _Renamed:
    """Rebuild status events without their UUID; each old id -> (new op id, payload, digest)."""
    renamed: _Renamed = {}
    conn.execute("ALTER TABLE status_events RENAME TO status_events_wide")
    conn.execute(_statement(initial, "CREATE TABLE status_events"))
    for row in _rows(conn, "status_events_wide"):
        lean = {k: v for k, v in row.items() if k != "id"}
        conn.execute(
            "INSERT INTO status_events (request_id, seq, status, reason, at, by)"
            " VALUES (:request_id, :seq, :status, :reason, :at, :by)",
            lean,
        )
        payload = canonical(lean)
        renamed[row["id"]] = (fact_id("status_events", lean), payload.decode(), payload)
    conn.execute("DROP TABLE status_events_wide")  # its triggers go with it
    conn.execute(_statement(initial, "CREATE TRIGGER status_events_current"))
    return renamed


def _lean_chain(
    conn: sqlite3.Connection,
    initial: list[str],
    audited: tuple[str, ...],
    old_head: bytes,
    at: str,
) -> None:
    """Every link again under today's rules, then one link naming the old chain's head."""
    status_digests = (
        hashlib.sha256(canonical(row)).digest() for row in _rows(conn, "status_events")
    )
    conn.execute("ALTER TABLE audit_log RENAME TO audit_log_wide")
    conn.execute(_statement(initial, "CREATE TABLE audit_log"))
    previous = GENESIS
    seq = 0
    for seq, at, actor, action, entity, entity_id, digest in conn.execute(
        "SELECT seq, at, actor, action, entity, entity_id, digest FROM audit_log_wide ORDER BY seq"
    ):
        if entity in audited:
            fact_digest = next(status_digests) if entity == "status_events" else bytes(digest)
            link = chain_hash(previous, fact_link(seq, entity, fact_digest))
            conn.execute(
                "INSERT INTO audit_log (seq, entity, hash) VALUES (?, ?, ?)", (seq, entity, link)
            )
        else:
            content = audit_content(seq, at, actor, action, entity, entity_id, bytes(digest))
            link = chain_hash(previous, content)
            conn.execute(
                "INSERT INTO audit_log (seq, entity, hash, at, actor, action, entity_id, digest)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (seq, entity, link, at, actor, action, entity_id, digest),
            )
        previous = link
    conn.execute("DROP TABLE audit_log_wide")
    seq += 1
    content = audit_content(seq, at, None, RELINK_ACTION, "audit_log", "wide", old_head)
    conn.execute(
        "INSERT INTO audit_log (seq, entity, hash, at, actor, action, entity_id, digest)"
        " VALUES (?, 'audit_log', ?, ?, NULL, ?, 'wide', ?)",
        (seq, chain_hash(previous, content), at, RELINK_ACTION, old_head),
    )


def _lean_outbox(conn: sqlite3.Connection, initial: list[str], renamed: _Renamed) -> None:
    for old_id, (op_id, payload, raw) in renamed.items():
        conn.execute(
            "UPDATE outbox SET op_id = ?, payload = ?, sha256 = ?"
            " WHERE entity = 'status_events' AND op_id = ?",
            (op_id, payload, hashlib.sha256(raw).hexdigest(), old_id),
        )
    acked = conn.execute("DELETE FROM outbox WHERE state = 'acked'").rowcount
    conn.execute(_statement(initial, "CREATE TABLE outbox_acked"))
    conn.execute("INSERT INTO outbox_acked (id, ops) VALUES (1, ?)", (acked,))


def relink(
    conn: sqlite3.Connection,
    initial: list[str],
    append_only: tuple[str, ...],
    triggers: list[str],
    at: str,
) -> None:
    """Bring a wide store to the lean layout (a no-op on a lean one). `initial` holds m001's
    statements, `append_only` the tables m001 and m002 made append-only and `triggers` their
    triggers; `at` stamps the link that records the old chain's head."""
    if not is_wide(conn):
        return
    present = _tables(conn)
    # The audited fact tables (as in `odsc check`) this store has: m002's only if it ran.
    audited = tuple(t for t in append_only if t not in ("services", "audit_log") and t in present)
    old_head = _verify_wide(conn, audited)
    renamed = _lean_status_events(conn, initial)
    conn.execute("ALTER TABLE sequence_floors ADD COLUMN by TEXT")
    _lean_chain(conn, initial, audited, old_head, at)
    _lean_outbox(conn, initial, renamed)
    for statement in triggers:
        if " ON status_events " in statement or " ON audit_log " in statement:
            conn.execute(statement)
