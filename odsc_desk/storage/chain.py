"""Facts and their places in the audit chain, read off a connection.

A fact's audit link names only its table, so facts meet their links per table in order: the n-th
row of a table (by rowid; the tables are append-only) is the n-th link naming it. `odsc check`
walks them this way, the sync queue finds an op's place by it, and the migrations use it before
any `Store` exists: so this module works on a bare connection and imports no store.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from odsc_desk.shared.facts import FACTS

# Facts the centre receives (the fact registry). Users are local accounts (their password hashes
# never leave the counter), catalog rows come *from* the centre and a signing key's row holds its
# private key (the centre gets the public key on its own), so none of those is queued.
SYNCED = frozenset(FACTS)


def fact_id(table: str, row: Mapping[str, Any]) -> str:
    """The name a fact goes by in the outbox and in `odsc check`'s reports."""
    fact = FACTS.get(table)
    if fact is not None:
        return fact.fact_id(row)
    if table == "catalog_versions":
        return str(row["version"])
    return str(row["id"])


def tail(conn: sqlite3.Connection, table: str, count: int) -> Iterator[tuple[int, dict[str, Any]]]:
    """(audit seq, row) for the last `count` facts of `table`, oldest first, streamed."""
    if count <= 0:
        return
    links = conn.execute(
        "SELECT seq FROM (SELECT seq FROM audit_log WHERE entity = ? ORDER BY seq DESC LIMIT ?)"
        " ORDER BY seq",
        (table, count),
    )
    rows = conn.execute(
        f"SELECT * FROM {table} WHERE rowid >= (SELECT rowid FROM {table}"
        " ORDER BY rowid DESC LIMIT 1 OFFSET ?) ORDER BY rowid",
        (count - 1,),
    )
    names = [c[0] for c in rows.description]
    for (seq,), values in zip(links, rows, strict=False):
        yield seq, dict(zip(names, values, strict=True))


def _fact_rowid(conn: sqlite3.Connection, table: str, op_id: str) -> int | None:
    """The inverse of `fact_id` for synced tables."""
    fact = FACTS[table]
    names = fact.id_fields
    parts = op_id.rsplit("/", len(names) - 1)
    if len(parts) != len(names):
        # An id without its optional columns (a status event about the counter's own request)
        names = tuple(n for n in names if fact.field(n).required)
        parts = op_id.rsplit("/", len(names) - 1)
    if len(parts) != len(names):
        return None  # not an id this counter wrote: `odsc check` will name it
    where = " AND ".join(f"{name} = ?" for name in names)
    row = conn.execute(f"SELECT rowid FROM {table} WHERE {where}", parts).fetchone()
    return None if row is None else int(row[0])


def chain_seqs(conn: sqlite3.Connection, ops: Iterable[tuple[str, str]]) -> dict[str, int]:
    """The audit-chain seq of each (table, op_id) named, for those found."""
    wanted: dict[str, set[str]] = {}
    for table, op_id in ops:
        if table in SYNCED:
            wanted.setdefault(table, set()).add(op_id)
    found: dict[str, int] = {}
    for table, ids in wanted.items():
        rowids = [r for r in (_fact_rowid(conn, table, op_id) for op_id in ids) if r is not None]
        if not rowids:
            continue
        count = conn.execute(
            f"SELECT COUNT(*) FROM {table} WHERE rowid >= ?", (min(rowids),)
        ).fetchone()[0]
        for seq, row in tail(conn, table, count):
            op_id = fact_id(table, row)
            if op_id in ids:
                found[op_id] = seq
    return found


# -- the chain's head, the anchor others keep of it -----------------------------------------------
#
# A chain kept in the same file as the facts cannot catch a rewrite of both on its own: whoever
# re-hashes every link after an edit gets a chain that verifies. A (seq, hash) pair kept outside
# the file (by the centre at each push, on the paper of a daily summary) pins the chain up to
# that seq: any later edit before it changes the hash found there.

# The clock column of each audited table outside the fact registry.
_LOCAL_TIMES = {
    "users": "created_at",
    "catalog_versions": "imported_at",
    "counter_keys": "created_at",
}
# Tables with no time of their own: their row is written in the same transaction as, and right
# after, the fact it completes (a payment's transfer reference, a close's note count).
_FOLLOWERS = frozenset({"payment_references", "cash_counts"})


def head(conn: sqlite3.Connection) -> tuple[int, bytes] | None:
    """The newest link: (seq, hash), None for an empty chain."""
    row = conn.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    return None if row is None else (int(row[0]), bytes(row[1]))


def link_hash(conn: sqlite3.Connection, seq: int) -> bytes | None:
    """The hash the chain holds at `seq`, None if it has no link there."""
    row = conn.execute("SELECT hash FROM audit_log WHERE seq = ?", (seq,)).fetchone()
    return None if row is None else bytes(row[0])


def head_before(conn: sqlite3.Connection, end: str) -> tuple[int, bytes] | None:
    """The newest link written before the UTC stamp `end` (the end of a day, say).

    Links of facts carry no time (the fact row does): the n-th row of a table is its n-th link,
    so the last row of each table written before `end` names its link, counted from the end of
    the chain (a recent day reads only its own rows). A device clock set back could misplace a
    link by its time; the pair returned is a real link of the chain either way.
    """
    times = {table: fact.device_time for table, fact in FACTS.items()} | _LOCAL_TIMES
    best = (
        conn.execute(
            "SELECT MAX(seq) FROM audit_log WHERE at IS NOT NULL AND at < ?", (end,)
        ).fetchone()[0]
        or 0
    )
    for table, column in times.items():
        last = conn.execute(
            f"SELECT rowid FROM {table} WHERE {column} < ? ORDER BY rowid DESC LIMIT 1", (end,)
        ).fetchone()
        if last is None:
            continue
        after = conn.execute(f"SELECT COUNT(*) FROM {table} WHERE rowid > ?", last).fetchone()[0]
        link = conn.execute(
            "SELECT seq FROM audit_log WHERE entity = ? ORDER BY seq DESC LIMIT 1 OFFSET ?",
            (table, after),
        ).fetchone()
        if link is not None:
            best = max(best, int(link[0]))
    while True:
        following = conn.execute(
            "SELECT entity FROM audit_log WHERE seq = ?", (best + 1,)
        ).fetchone()
        if following is None or following[0] not in _FOLLOWERS:
            break
        best += 1
    if best == 0:
        return None
    found = link_hash(conn, best)
    return None if found is None else (best, found)


def fact_row(conn: sqlite3.Connection, table: str, op_id: str) -> dict[str, Any] | None:
    """The synced fact an op names, as stored."""
    rowid = _fact_rowid(conn, table, op_id)
    if rowid is None:
        return None
    cursor = conn.execute(f"SELECT * FROM {table} WHERE rowid = ?", (rowid,))
    names = [c[0] for c in cursor.description]
    values = cursor.fetchone()
    return None if values is None else dict(zip(names, values, strict=True))
