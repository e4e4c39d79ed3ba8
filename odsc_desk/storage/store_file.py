"""The store as a file: whether a file is one of ours, and copying one. Each decided here once,
for opening, migrating, backing up, restoring and diagnosing alike."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from odsc_desk.storage.schema import APPLICATION_ID

SQLITE_MAGIC = b"SQLite format 3\x00"


def has_sqlite_header(path: Path) -> bool:
    """Whether the file starts as an SQLite database does. Only for a file SQLite has already
    refused, or one no connection of this process has open: closing any handle on a file
    drops every POSIX lock this process holds on it, SQLite's included. A window whose locks
    vanished lets an `odsc` run beside it believe it is alone, checkpoint and delete the WAL
    still in use, and the ledger is corrupted (tests/core/test_instance.py)."""
    with path.open("rb") as handle:
        return handle.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC


def is_ours(conn: sqlite3.Connection) -> bool:
    """Whether the open database carries this program's mark (set when the store is made)."""
    return bool(conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID)


def connect_read_only(path: Path, *, check_same_thread: bool = True) -> sqlite3.Connection:
    return sqlite3.connect(
        f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=check_same_thread
    )


def copy_store(source: sqlite3.Connection, target: Path, *, self_contained: bool = True) -> None:
    """`source` into the file `target` through SQLite's backup API. A copy to keep (a backup, the
    copy before a migration) is made one self-contained file, not a WAL pair, under a temporary
    name the caller renames once whole. A restore (`self_contained=False`) writes over the live
    store in place, which other connections (the window's) may hold in WAL mode: its journal
    mode is left alone, or changing it would wait on their locks."""
    dest = sqlite3.connect(target)
    try:
        source.backup(dest)
        if self_contained:
            dest.execute("PRAGMA journal_mode = DELETE")
    finally:
        dest.close()
