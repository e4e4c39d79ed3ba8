"""The store as a file: whether a file is one of ours, and copying one. Each decided here once,
for opening, migrating, backing up, restoring and diagnosing alike."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

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


def connect_read_only(path: Path, **options: Any) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, **options)


def copy_store(source: sqlite3.Connection, target: Path) -> None:
    """`source` into the file `target` through SQLite's backup API, as one self-contained file
    (not a WAL pair). The caller names a temporary `target` and renames it once whole."""
    dest = sqlite3.connect(target)
    try:
        source.backup(dest)
        dest.execute("PRAGMA journal_mode = DELETE")
    finally:
        dest.close()
