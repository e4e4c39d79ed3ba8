"""Opening the local SQLite store: durability pragmas, identity checks, migrations, transactions.

One `Store` is one connection. Writers take the lock up front (BEGIN IMMEDIATE) so a second
process waits its turn instead of failing half-way through an action.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import closing, contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, TypedDict, TypeVar, cast

from argon2 import PasswordHasher
from sqlite_utils import Database

from odsc_desk.shared.clock import Clock, stamp, system_clock
from odsc_desk.shared.errors import StoreError
from odsc_desk.shared.ids import packed
from odsc_desk.storage.schema import APPLICATION_ID, MIGRATION_CLOCK, migrations
from odsc_desk.storage.store_file import connect_read_only, copy_store, has_sqlite_header, is_ours

STORE_FILE = "odsc.sqlite3"
BACKUP_DIR = "backups"

# What `sqlite3` binds: values by position (`?`) or by name (`:name`).
Params = Sequence[Any] | Mapping[str, Any]
# A row's shape, declared next to the query that makes it (a TypedDict, as a rule).
RowT = TypeVar("RowT", bound=Mapping[str, Any])
ValueT = TypeVar("ValueT")


def translate_sqlite_error(exc: sqlite3.Error, path: Path | str = "") -> StoreError:
    """Name what went wrong with the file in words a clerk can act on."""
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return StoreError("store.locked", path=str(path))
    if "full" in text:
        return StoreError("store.full", path=str(path))
    if "readonly" in text or "read-only" in text:
        return StoreError("store.readonly", path=str(path))
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return StoreError("store.corrupt", path=str(path))
    if "disk i/o" in text or "unable to open" in text:
        return StoreError("store.io", path=str(path), detail=str(exc))
    return StoreError("store.failed", path=str(path), detail=str(exc))


class Office(TypedDict):
    """Who this store is: its office, its counter and the device id it syncs as."""

    id: int  # always 1: one identity per store
    device_id: str
    office_code: str
    office_name: str
    counter: int
    created_at: str


class Store:
    """The counter's ledger file, opened and migrated."""

    def __init__(
        self,
        path: Path,
        conn: sqlite3.Connection,
        clock: Clock,
        hasher: PasswordHasher,
    ) -> None:
        self.path = path
        self.conn = conn
        self.db = Database(conn)
        self.clock = clock
        self.hasher = hasher
        self._office: Office | None = None

    # -- time ---------------------------------------------------------------------------------
    def now(self) -> datetime:
        return self.clock()

    def now_stamp(self) -> str:
        return stamp(self.clock())

    # -- reading ------------------------------------------------------------------------------
    def one(self, sql: str, params: Params = ()) -> dict[str, Any] | None:
        cursor = self.conn.execute(sql, params)
        row = cursor.fetchone()
        if row is None:
            return None
        return dict(zip([c[0] for c in cursor.description], row, strict=True))

    def all(self, sql: str, params: Params = ()) -> list[dict[str, Any]]:
        cursor = self.conn.execute(sql, params)
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    # The typed forms of `one` and `all`: `row_type` names the shape the query's columns make
    # (a TypedDict declared beside the query). Nothing checks it at run time: it states what the
    # SQL beside it selects, so the two are changed together.
    def one_as(self, row_type: type[RowT], sql: str, params: Params = ()) -> RowT | None:
        return cast("RowT | None", self.one(sql, params))

    def all_as(self, row_type: type[RowT], sql: str, params: Params = ()) -> list[RowT]:
        return cast("list[RowT]", self.all(sql, params))

    def scalar(self, sql: str, params: Params = ()) -> Any:
        row = self.conn.execute(sql, params).fetchone()
        return None if row is None else row[0]

    def scalar_int(self, sql: str, params: Params = ()) -> int:
        """The one value of a query that always yields an integer (a COUNT, a COALESCE(..., 0),
        a column declared INTEGER NOT NULL of a row that must exist)."""
        value = self.scalar(sql, params)
        if not isinstance(value, int):
            raise TypeError(f"expected an integer, got {value!r} from: {sql}")
        return value

    def scalar_or_none(self, kind: type[ValueT], sql: str, params: Params = ()) -> ValueT | None:
        """The one value of a query, a `kind`, or None when there is no row or it is NULL."""
        value = self.scalar(sql, params)
        if value is not None and not isinstance(value, kind):
            raise TypeError(f"expected {kind.__name__} or None, got {value!r} from: {sql}")
        return value

    @property
    def office(self) -> Office:
        if self._office is None:
            office = self.one_as(Office, "SELECT * FROM office WHERE id = 1")
            if office is None:
                raise StoreError("store.not_initialised", path=str(self.path))
            self._office = office
        return self._office

    # -- writing ------------------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One user action: everything inside commits together, or nothing does."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise translate_sqlite_error(exc, self.path) from exc
        try:
            yield
        except BaseException as exc:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise translate_sqlite_error(exc, self.path) from exc
            raise
        try:
            self.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise translate_sqlite_error(exc, self.path) from exc

    def close(self) -> None:
        self.conn.close()


def store_path(data_dir: Path) -> Path:
    return Path(data_dir) / STORE_FILE


def _connect(path: Path, busy_timeout_ms: int) -> sqlite3.Connection:
    # isolation_level=None: no implicit transactions; every write goes through transaction().
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = FULL")
    # An own fact's id as the office's facts key it (a UUID's 16 bytes): how a payment taken
    # here on another counter's request finds that request, through its index.
    conn.create_function("uuid_blob", 1, _uuid_blob, deterministic=True)
    return conn


def _uuid_blob(value: str | None) -> str | bytes | None:
    return None if value is None else packed(value)


def _known_migration_names() -> list[str]:
    return [m.name for m in migrations.pending(Database(memory=True))]


def _refusal(exc: sqlite3.Error, path: Path) -> StoreError:
    """A file SQLite cannot read: someone else's file (foreign) or a store that is damaged."""
    if "not a database" in str(exc) and path.exists() and not has_sqlite_header(path):
        return StoreError("store.foreign", path=str(path))
    return translate_sqlite_error(exc, path)


def _check_identity(conn: sqlite3.Connection, path: Path) -> None:
    if not is_ours(conn):
        raise StoreError("store.foreign", path=str(path))


def _save_copy(path: Path, target: Path) -> None:
    """A copy of the store through the backup API, under a temporary name until it is whole:
    a process killed half-way leaves a `.partial` file, never a truncated copy that looks real.

    Read through a connection of its own: the one migrating holds the write lock, and the
    backup API cannot read from a connection inside a write transaction. In WAL mode the reader
    sees the last commit, which the lock guarantees is the store as it is now.
    """
    partial = target.with_name(target.name + ".partial")
    with closing(connect_read_only(path)) as source:
        copy_store(source, partial)
    os.replace(partial, target)


def _refuse_newer(db: Database, path: Path) -> None:
    """Before anything is written: a store from a newer version is left exactly as it is."""
    applied = {m.name for m in migrations.applied(db)}
    unknown = applied - set(_known_migration_names())
    if unknown:
        raise StoreError("store.newer", path=str(path), migrations=", ".join(sorted(unknown)))


def _migrate(db: Database, path: Path, clock: Clock) -> None:
    if not migrations.pending(db):
        return
    # All pending migrations run in one write transaction: a process killed (or a power cut)
    # half-way leaves the store as it was, never half-migrated. A second process opening the
    # store at the same moment waits for the lock, then finds nothing left to do.
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        if migrations.pending(db):
            if migrations.applied(db):
                # A copy of the store as it was, taken before any schema change touches it.
                backup_dir = path.parent / BACKUP_DIR
                name = f"pre-migrate-{stamp(clock()).replace(':', '')}.sqlite3"
                try:
                    backup_dir.mkdir(parents=True, exist_ok=True)
                    _save_copy(path, backup_dir / name)
                except OSError as exc:
                    raise StoreError("store.io", path=str(backup_dir), detail=str(exc)) from exc
            token = MIGRATION_CLOCK.set(clock)
            try:
                migrations.apply(db)
            finally:
                MIGRATION_CLOCK.reset(token)
            # Checked before the commit: a migration that damaged the file is rolled back.
            result = db.conn.execute("PRAGMA integrity_check").fetchone()[0]
            if result != "ok":
                raise StoreError("store.corrupt", path=str(path))
        db.conn.execute("COMMIT")
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise


def open_store(
    data_dir: Path | str,
    *,
    create: bool = False,
    clock: Clock = system_clock,
    hasher: PasswordHasher | None = None,
    busy_timeout_ms: int = 5000,
    filename: str = STORE_FILE,
) -> Store:
    """Open (or with `create`, make) the store in `data_dir`, migrated to this version."""
    path = Path(data_dir) / filename
    existed = path.exists()
    if not existed and not create:
        raise StoreError("store.missing", path=str(path))
    if existed:
        # An empty file is not a store either: never quietly turn it into one. (The rest of the
        # header is read by SQLite itself: see `store_file.has_sqlite_header`.)
        if path.stat().st_size == 0:
            raise StoreError("store.foreign", path=str(path))
    else:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError("store.io", path=str(path), detail=str(exc)) from exc
    try:
        conn = _connect(path, busy_timeout_ms)
    except sqlite3.Error as exc:
        raise _refusal(exc, path) from exc
    try:
        if existed:
            _check_identity(conn, path)
        db = Database(conn)
        if existed:
            _refuse_newer(db, path)
        else:
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
        _migrate(db, path, clock)
    except sqlite3.Error as exc:
        conn.close()
        raise _refusal(exc, path) from exc
    except StoreError:
        conn.close()
        raise
    return Store(path, conn, clock, hasher or PasswordHasher())
