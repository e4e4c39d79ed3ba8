"""`odsc check`: is the file sound, is the audit chain unbroken, do the facts match it?

Three layers, each catching what the one before cannot: SQLite's own integrity_check (a damaged
file); the hash chain (an audit row edited, deleted or reordered); and every fact row re-hashed
against the digest its audit row recorded (a fact edited, deleted or slipped in behind the
application's back, say with the sqlite3 shell after dropping the append-only triggers).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from typing import Any

from odsc_desk.catalog import services_sha256
from odsc_desk.ledger import GENESIS, SYNCED, audit_content, canonical, chain_hash
from odsc_desk.settings import SETTINGS
from odsc_desk.store import Store

# Fact tables audited one row per fact, in insertion order.
AUDITED = (
    "users",
    "catalog_versions",
    "closures",
    "requests",
    "status_events",
    "cash_sessions",
    "cash_closes",
    "payments",
    "voids",
    "refunds",
    "feedback",
    "sequence_floors",
    "counter_keys",
    "receipt_prints",
)


def _rows(store: Store, table: str) -> Iterator[dict[str, Any]]:
    cursor = store.conn.execute(f"SELECT * FROM {table} ORDER BY rowid")
    names = [c[0] for c in cursor.description]
    for row in cursor:
        yield dict(zip(names, row, strict=True))


def _entity_id(table: str, row: dict[str, Any]) -> str:
    return str(row["version"]) if table == "catalog_versions" else row["id"]


def _problem(kind: str, **where: Any) -> dict[str, Any]:
    return {"kind": kind, **where}


def verify_audit(store: Store) -> tuple[int, list[dict[str, Any]]]:
    """Walk the chain once, checking links and matching each fact to its audit row."""
    facts = {table: _rows(store, table) for table in AUDITED}
    # Synced facts enter the outbox in the same order as the audit chain.
    outbox = store.conn.execute("SELECT op_id, sha256 FROM outbox ORDER BY seq")
    # Rows that may change in place (settings) or are written once outside `append` (office):
    # the last audit digest for each must match what is there now.
    latest: dict[tuple[str, str], bytes] = {}
    previous = GENESIS
    expected_seq = 1
    count = 0
    problems: list[dict[str, Any]] = []
    cursor = store.conn.execute(
        "SELECT seq, at, actor, action, entity, entity_id, digest, hash FROM audit_log ORDER BY seq"
    )
    for seq, at, actor, action, entity, entity_id, digest, stored_hash in cursor:
        count += 1
        content = audit_content(seq, at, actor, action, entity, entity_id, bytes(digest))
        if seq != expected_seq:
            return count, [_problem("audit.gap", seq=seq, expected=expected_seq)]
        computed = chain_hash(previous, content)
        if computed != stored_hash:
            return count, [_problem("audit.broken", seq=seq)]
        previous = stored_hash
        expected_seq += 1
        if entity in ("settings", "office"):
            latest[(entity, entity_id)] = bytes(digest)
            continue
        row = next(facts[entity], None) if entity in facts else None
        if row is None or _entity_id(entity, row) != entity_id:
            problems.append(_problem("fact.missing", table=entity, id=entity_id, seq=seq))
        elif hashlib.sha256(canonical(row)).digest() != bytes(digest):
            problems.append(_problem("fact.changed", table=entity, id=entity_id, seq=seq))
        elif entity in SYNCED and outbox.fetchone() != (entity_id, bytes(digest).hex()):
            problems.append(_problem("outbox.mismatch", id=entity_id, seq=seq))
        if problems:
            return count, problems
    extra_op = outbox.fetchone()
    if extra_op is not None:
        return count, [_problem("outbox.mismatch", id=extra_op[0], seq="-")]
    for table, rows in facts.items():
        extra = next(rows, None)
        if extra is not None:
            return count, [_problem("fact.unaudited", table=table, id=_entity_id(table, extra))]
    for key, value in store.conn.execute("SELECT key, value FROM settings"):
        digest = hashlib.sha256(canonical({"key": key, "value": value})).digest()
        if key not in SETTINGS or latest.get(("settings", key)) != digest:
            return count, [_problem("setting.changed", key=key)]
    office = store.one("SELECT * FROM office")
    if (
        office is not None
        and latest.get(("office", "1")) != hashlib.sha256(canonical(office)).digest()
    ):
        return count, [_problem("office.changed")]
    return count, []


def verify_catalog(store: Store) -> list[dict[str, Any]]:
    for version, label, sha in store.conn.execute(
        "SELECT version, label, sha256 FROM catalog_versions ORDER BY version"
    ):
        services = store.all("SELECT * FROM services WHERE version = ? ORDER BY code", (version,))
        if services_sha256(label, services) != sha:
            return [_problem("catalog.changed", version=version)]
    return []


def verify_current(store: Store) -> list[dict[str, Any]]:
    """The derived status table must agree with the latest status event of every request."""
    row = store.one(
        "SELECT r.tracking FROM requests r LEFT JOIN request_current c ON c.request_id = r.id"
        " WHERE c.request_id IS NULL OR c.status IS NOT COALESCE((SELECT e.status"
        " FROM status_events e WHERE e.request_id = r.id ORDER BY e.seq DESC LIMIT 1),"
        " 'received') LIMIT 1"
    )
    return [_problem("current.mismatch", tracking=row["tracking"])] if row else []


def check_store(store: Store) -> dict[str, Any]:
    try:
        return _check(store)
    except sqlite3.DatabaseError as exc:
        # Damage bad enough that SQLite cannot even walk the file to check it.
        return {
            "ok": False,
            "integrity": [str(exc)],
            "audit_rows": None,
            "problems": [_problem("sqlite.integrity", detail=str(exc))],
        }


def _check(store: Store) -> dict[str, Any]:
    integrity = [r[0] for r in store.conn.execute("PRAGMA integrity_check")]
    if integrity != ["ok"]:
        return {
            "ok": False,
            "integrity": integrity,
            "audit_rows": None,
            "problems": [_problem("sqlite.integrity", detail=integrity[0])],
        }
    if store.scalar("SELECT COUNT(*) FROM office") != 1:
        return {
            "ok": False,
            "integrity": "ok",
            "audit_rows": None,
            "problems": [_problem("store.not_initialised", path=str(store.path))],
        }
    audit_rows, problems = verify_audit(store)
    problems = problems or verify_catalog(store) or verify_current(store)
    return {"ok": not problems, "integrity": "ok", "audit_rows": audit_rows, "problems": problems}


def describe(problem: dict[str, Any]) -> str:
    return json.dumps(problem, ensure_ascii=False)
