"""The tampering matrix (issue 12, finding 3): each kind of edit to a copy of a real store, and
which anchor catches it. The README's table is this test's `MATRIX`.

- chain: `odsc check` (the file's own hash chain, facts re-hashed against it, the queue);
- printed: the head printed on the first day's summary, checked by `odsc check --heads`;
- centre: the head the centre holds from the last push, against the `X-Chain-Anchor` value the
  counter would send now (sync/anchor.py): the centre flags a chain whose link at its head's seq
  is not the one it was sent (sync/server/anchors.py judges exactly this).

The timeline: day 1 (summary printed), day 2 (a backup taken, more facts, a push), then one more
payment after the push. Edits before the printed head reach every anchor's range; the newest
payment lies beyond both outside anchors, and no anchor can see its loss.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from odsc_desk.maintenance import integrity
from odsc_desk.queries import reports
from odsc_desk.shared.canonical import GENESIS, audit_content, canonical, chain_hash, fact_link
from odsc_desk.storage import outbox
from odsc_desk.storage.schema import APPEND_ONLY
from odsc_desk.storage.store import open_store, store_path
from sync import anchor
from tests.conftest import FAST_HASHER, Counter
from tests.sync.conftest import next_day, visit

Edit = Callable[[sqlite3.Connection, "Story"], None]


class Story:
    """The reference store and the anchors taken of it along the way."""

    def __init__(self, c: Counter, tmp: Path) -> None:
        self.day_one_payment = visit(c, name="Noy")["id"]
        visit(c, name="Ket")
        next_day(c)
        self.printed = reports.day_chain_head(c.store, date(2026, 11, 26))
        self.backup = tmp / "backup.sqlite3"
        c.store.conn.execute("VACUUM INTO ?", (str(self.backup),))
        visit(c, name="Bua")
        self.centre = outbox.chain_head(c.store)  # what the last push showed the centre
        self.newest_payment = visit(c, name="Dao")["id"]  # after the push: no anchor covers it
        c.store.close()
        self.file = store_path(c.data_dir)


def _drop_guards(conn: sqlite3.Connection) -> None:
    """What an attacker with the sqlite3 shell does first: drop the append-only triggers."""
    for table in APPEND_ONLY:
        for event in ("update", "delete"):
            conn.execute(f"DROP TRIGGER IF EXISTS {table}_no_{event}")


def _rehash(conn: sqlite3.Connection) -> None:
    """Recompute every link and queued op from the facts as they now are: the rewrite anyone
    with the file and the code can make."""
    rows: dict[str, list[tuple[object, ...]]] = {}
    names: dict[str, list[str]] = {}
    previous = GENESIS
    links = conn.execute(
        "SELECT seq, entity, at, actor, action, entity_id, digest FROM audit_log ORDER BY seq"
    ).fetchall()
    for seq, entity, at, actor, action, entity_id, digest in links:
        if at is None:
            if entity not in rows:
                cursor = conn.execute(f"SELECT * FROM {entity} ORDER BY rowid")
                names[entity] = [d[0] for d in cursor.description]
                rows[entity] = cursor.fetchall()
            row = dict(zip(names[entity], rows[entity].pop(0), strict=True))
            payload = canonical(row)
            content = fact_link(seq, entity, hashlib.sha256(payload).digest())
            conn.execute(
                "UPDATE outbox SET payload = ?, sha256 = ? WHERE seq = ?",
                (payload.decode(), hashlib.sha256(payload).hexdigest(), seq),
            )
        else:
            content = audit_content(seq, at, actor, action, entity, entity_id, bytes(digest))
        previous = chain_hash(previous, content)
        conn.execute("UPDATE audit_log SET hash = ? WHERE seq = ?", (previous, seq))


def change(conn: sqlite3.Connection, story: Story) -> None:
    conn.execute("UPDATE payments SET amount = 1 WHERE id = ?", (story.day_one_payment,))


def delete(conn: sqlite3.Connection, story: Story) -> None:
    conn.execute("DELETE FROM payments WHERE id = ?", (story.day_one_payment,))


def reorder(conn: sqlite3.Connection, story: Story) -> None:
    """Two old requests swap places in their table (and so in the chain's reading of it)."""
    first, second = conn.execute("SELECT * FROM requests ORDER BY rowid LIMIT 2").fetchall()
    marks = ", ".join("?" for _ in first)
    for table, column in (("request_current", "request_id"), ("requests", "id")):
        conn.execute(f"DELETE FROM {table} WHERE {column} IN (?, ?)", (first[0], second[0]))
    conn.execute(f"INSERT INTO requests VALUES ({marks})", second)
    conn.execute(f"INSERT INTO requests VALUES ({marks})", first)


def insert(conn: sqlite3.Connection, story: Story) -> None:
    """A payment slipped in with no link of its own (a copy of an old one, a new receipt)."""
    row = conn.execute("SELECT * FROM payments WHERE id = ?", (story.day_one_payment,)).fetchone()
    forged = ("forged", "VTE-SST-1-2026-999999", row[2], 999999, *row[4:])
    conn.execute(f"INSERT INTO payments VALUES ({', '.join('?' for _ in row)})", forged)


def rehash_after_change(conn: sqlite3.Connection, story: Story) -> None:
    change(conn, story)
    _rehash(conn)


def _cut(conn: sqlite3.Connection, keep: int) -> None:
    """Delete the newest facts after link `keep`, with their links and their ops: the chain
    simply ends earlier, and every link left still verifies."""
    gone = conn.execute("SELECT entity FROM audit_log WHERE seq > ?", (keep,)).fetchall()
    for (table,) in gone:
        conn.execute(f"DELETE FROM {table} WHERE rowid = (SELECT MAX(rowid) FROM {table})")
    conn.execute("DELETE FROM request_current WHERE request_id NOT IN (SELECT id FROM requests)")
    conn.execute("DELETE FROM audit_log WHERE seq > ?", (keep,))
    conn.execute("DELETE FROM outbox WHERE seq > ?", (keep,))


def delete_newest_unanchored(conn: sqlite3.Connection, story: Story) -> None:
    """The payment made after the last push and the last printed summary."""
    _cut(conn, conn.execute("SELECT MAX(seq) FROM audit_log").fetchone()[0] - 1)


def delete_newest_pushed(conn: sqlite3.Connection, story: Story) -> None:
    """Back through the payment the last push's head ended on."""
    assert story.centre is not None
    _cut(conn, story.centre["seq"] - 1)


def restore_old_backup(conn: sqlite3.Connection, story: Story) -> None:
    """The whole file replaced by a backup from before the push, as a restore does."""
    with sqlite3.connect(story.backup) as source:
        source.backup(conn)


# (edit, {anchors that catch it}). Honest rows: the newest fact deleted before any anchor was
# taken of it is caught by nothing (the next payment then reuses its receipt number).
MATRIX: list[tuple[Edit, set[str]]] = [
    (change, {"chain"}),
    (delete, {"chain"}),
    (reorder, {"chain"}),
    (insert, {"chain"}),
    (rehash_after_change, {"printed", "centre"}),
    (delete_newest_pushed, {"centre"}),
    (delete_newest_unanchored, set()),
    (restore_old_backup, {"centre"}),
]


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> Story:
    from odsc_desk.domain import cash
    from tests.conftest import FakeClock, make_counter

    tmp = tmp_path_factory.mktemp("story")
    c = make_counter(tmp / "data", FakeClock())
    cash.open_cash(c.store, c.clerk, 50_000)
    return Story(c, tmp)


def caught_by(story: Story, edit: Edit, tmp: Path) -> set[str]:
    data = tmp / "copy"
    data.mkdir()
    copy = store_path(data)
    copy.write_bytes(story.file.read_bytes())
    conn = sqlite3.connect(copy)
    _drop_guards(conn)
    edit(conn, story)
    conn.commit()
    conn.close()
    store = open_store(data, hasher=FAST_HASHER)
    try:
        assert story.printed is not None and story.centre is not None
        caught = set()
        if not integrity.check_store(store)["ok"]:
            caught.add("chain")
        printed = {"line": 1, "seq": story.printed["seq"], "prefix": story.printed["hash"][:12]}
        if integrity.check_heads(store, [printed])["problems"]:
            caught.add("printed")
        held = f"{story.centre['seq']}:{story.centre['hash']}"
        if anchor.anchor_value(store, story.centre["seq"]) != held:
            caught.add("centre")
        return caught
    finally:
        store.close()


def test_the_untouched_copy_passes_every_anchor(story, tmp_path):
    assert caught_by(story, lambda conn, s: None, tmp_path) == set()


@pytest.mark.parametrize(("edit", "catchers"), MATRIX, ids=[e.__name__ for e, _ in MATRIX])
def test_each_edit_is_caught_by_exactly_these_anchors(story, tmp_path, edit, catchers):
    assert caught_by(story, edit, tmp_path) == catchers
