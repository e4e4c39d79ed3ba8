"""`odsc check`: is the file sound, is the audit chain unbroken, do the facts match it?

Three layers, each catching what the one before cannot: SQLite's own integrity_check (a damaged
file); the hash chain (an audit row edited, deleted or reordered); and every fact row re-hashed
against the digest its audit row recorded (a fact edited, deleted or slipped in behind the
application's back, say with the sqlite3 shell after dropping the append-only triggers).
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from collections.abc import Iterator
from typing import Any, TypedDict

from odsc_desk.domain.settings import SETTINGS
from odsc_desk.shared.canonical import GENESIS, audit_content, canonical, chain_hash, fact_link
from odsc_desk.shared.catalog_file import services_sha256
from odsc_desk.shared.errors import ValidationError
from odsc_desk.storage import office_facts
from odsc_desk.storage.chain import SYNCED, fact_id, link_hash
from odsc_desk.storage.outbox import TAMPERED
from odsc_desk.storage.schema import APPEND_ONLY
from odsc_desk.storage.store import Store

# Fact tables audited one row per fact, in insertion order: every append-only table but the
# catalog's services (covered by their version's sha256) and the audit log itself.
AUDITED = tuple(t for t in APPEND_ONLY if t not in ("services", "audit_log"))


def _rows(store: Store, table: str) -> Iterator[dict[str, Any]]:
    cursor = store.conn.execute(f"SELECT * FROM {table} ORDER BY rowid")
    names = [c[0] for c in cursor.description]
    for row in cursor:
        yield dict(zip(names, row, strict=True))


def _problem(kind: str, **where: Any) -> dict[str, Any]:
    return {"kind": kind, **where}


def _counts(store: Store) -> tuple[dict[str, int], dict[str, int]]:
    links = dict(store.conn.execute("SELECT entity, COUNT(*) FROM audit_log GROUP BY entity"))
    rows = {table: store.scalar(f"SELECT COUNT(*) FROM {table}") for table in AUDITED}
    return links, rows


def _broken_fact(store: Store, table: str, row: dict[str, Any] | None, seq: int) -> dict[str, Any]:
    """A fact link that does not hash: say whether a row went missing or one was altered."""
    links, rows = _counts(store)
    if row is None or rows[table] < links.get(table, 0):
        return _problem("fact.missing", table=table, seq=seq)
    return _problem("fact.changed", table=table, id=fact_id(table, row), seq=seq)


class _Outbox:
    """The queue walked alongside the chain: ops the centre acknowledged are gone from it and
    only counted, the rest (pending or parked) must be the very facts, each under its link's
    seq (the number it travels to the centre under), its payload the fact's canonical JSON byte
    for byte: the client sends the payload, so a payload edited on its own (with or without its
    sha256) would reach the centre while the fact here says otherwise."""

    def __init__(self, store: Store) -> None:
        self._cursor = store.conn.execute(
            "SELECT op_id, sha256, seq, payload FROM outbox ORDER BY seq"
        )
        # op_id, sha256, seq, payload
        self._next: tuple[str, str, int, str | None] | None = self._cursor.fetchone()
        self.acknowledged = store.scalar("SELECT ops FROM outbox_acked WHERE id = 1")
        self.gone = 0

    def match(self, op_id: str, payload: bytes, digest: bytes, seq: int) -> str | None:
        """None when the queue agrees with this fact, else the problem's kind."""
        if self._next is not None and self._next[0] == op_id:
            _, sha, queued_seq, queued = self._next
            self._next = self._cursor.fetchone()
            if queued_seq != seq:
                return "outbox.mismatch"
            if sha != digest.hex() or queued is None or queued.encode() != payload:
                return TAMPERED
            return None
        self.gone += 1
        return None

    def leftover(self) -> str | None:
        return None if self._next is None else self._next[0]


def verify_audit(store: Store) -> tuple[int, list[dict[str, Any]]]:
    """Walk the chain once: each link's hash, each fact re-hashed against its link, the queue."""
    facts = {table: _rows(store, table) for table in AUDITED}
    outbox = _Outbox(store)
    # Rows that may change in place (settings) or are written once outside `append` (office):
    # the last digest recorded for each must match what is there now.
    latest: dict[tuple[str, str], bytes] = {}
    previous = GENESIS
    count = 0
    cursor = store.conn.execute(
        "SELECT seq, entity, hash, at, actor, action, entity_id, digest FROM audit_log ORDER BY seq"
    )
    for seq, entity, stored_hash, at, actor, action, entity_id, digest in cursor:
        count += 1
        if seq != count:
            return count, [_problem("audit.gap", seq=seq, expected=count)]
        if entity in facts:
            if (at, actor, action, entity_id, digest) != (None, None, None, None, None):
                return count, [_problem("audit.broken", seq=seq)]
            row = next(facts[entity], None)
            payload = canonical(row) if row else b""
            fact_digest = hashlib.sha256(payload).digest()
            if row is None or chain_hash(previous, fact_link(seq, entity, fact_digest)) != bytes(
                stored_hash
            ):
                return count, [_broken_fact(store, entity, row, seq)]
            if entity in SYNCED:
                wrong = outbox.match(fact_id(entity, row), payload, fact_digest, seq)
                if wrong is not None:
                    return count, [_problem(wrong, id=fact_id(entity, row), seq=seq)]
        else:
            content = audit_content(seq, at, actor, action, entity, entity_id, bytes(digest or b""))
            if chain_hash(previous, content) != bytes(stored_hash):
                return count, [_problem("audit.broken", seq=seq)]
            latest[(entity, entity_id)] = bytes(digest or b"")
        previous = bytes(stored_hash)
    if outbox.leftover() is not None:
        return count, [_problem("outbox.mismatch", id=outbox.leftover(), seq="-")]
    if outbox.gone != outbox.acknowledged:
        return count, [_problem("outbox.missing", missing=outbox.gone - outbox.acknowledged)]
    for table, rows in facts.items():
        extra = next(rows, None)
        if extra is not None:
            return count, [_problem("fact.unaudited", table=table, id=fact_id(table, extra))]
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
    """The derived status table must agree with the latest status event of every request, or
    with the fold of its events for one that other counters of the office wrote on too."""
    shared = office_facts.shared_own(store)
    row = store.one(
        "SELECT r.tracking FROM requests r LEFT JOIN request_current c ON c.request_id = r.id"
        " WHERE c.request_id IS NULL OR (r.id NOT IN (SELECT value FROM json_each(?))"
        " AND c.status IS NOT COALESCE((SELECT e.status FROM status_events e"
        " WHERE e.request_id = r.id ORDER BY e.seq DESC LIMIT 1), 'received')) LIMIT 1",
        (json.dumps(shared),),
    )
    if row is not None:
        return [_problem("current.mismatch", tracking=row["tracking"])]
    for request_id in shared:
        found = store.one(
            "SELECT r.tracking, c.status FROM requests r JOIN request_current c"
            " ON c.request_id = r.id WHERE r.id = ?",
            (request_id,),
        )
        if found is not None and found["status"] != office_facts.history(store, request_id).status:
            return [_problem("current.mismatch", tracking=found["tracking"])]
    return []


# One problem found: its message code (`kind`) and the message's parameters (table, id, seq…).
Problem = dict[str, Any]


class CheckResult(TypedDict):
    """What `odsc check` found. `integrity` is SQLite's own verdict: "ok", or its lines."""

    ok: bool
    integrity: str | list[str]
    audit_rows: int | None  # the links verified, once the file itself is sound
    problems: list[Problem]  # empty when ok; the first one found otherwise


def check_store(store: Store) -> CheckResult:
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


def _check(store: Store) -> CheckResult:
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


# -- printed heads --------------------------------------------------------------------------------
#
# The daily summary prints the chain's head at the end of its day (`reports.day_chain_head`). A
# paper copy is an anchor outside the file: whoever rewrites the chain before that row (edits a
# fact and re-hashes every link after it) or cuts it short (deletes the newest facts, restores an
# older backup) cannot change the paper.

_HEAD_LINE = re.compile(r"(\d{1,12})\s+([0-9A-Fa-f]{8,64})")


class PrintedHead(TypedDict):
    line: int  # its line in the file, from 1
    seq: int
    prefix: str  # the start of the link's hash, in lower-case hex


class HeadsResult(TypedDict):
    checked: int
    problems: list[Problem]  # every printed head the store does not hold


def read_heads(text: str, path: str) -> list[PrintedHead]:
    """The lines "<seq> <hash prefix>" typed from daily summaries; blank lines and lines
    starting with # are skipped. Raises ValidationError naming the first line that is neither."""
    heads: list[PrintedHead] = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        found = _HEAD_LINE.fullmatch(stripped)
        if found is None:
            raise ValidationError("heads.line_invalid", "heads", line=number, path=path)
        heads.append({"line": number, "seq": int(found[1]), "prefix": found[2].lower()})
    if not heads:
        raise ValidationError("heads.empty", "heads", path=path)
    return heads


def check_heads(store: Store, heads: list[PrintedHead]) -> HeadsResult:
    """Each printed head against the link the store holds at its seq."""
    last = store.scalar_int("SELECT COALESCE(MAX(seq), 0) FROM audit_log")
    problems: list[Problem] = []
    for printed in heads:
        where = {"line": printed["line"], "seq": printed["seq"], "prefix": printed["prefix"]}
        found = link_hash(store.conn, printed["seq"])
        if found is None:
            problems.append(_problem("heads.missing", last=last, **where))
        elif not found.hex().startswith(printed["prefix"]):
            problems.append(_problem("heads.mismatch", **where))
    return {"checked": len(heads), "problems": problems}
