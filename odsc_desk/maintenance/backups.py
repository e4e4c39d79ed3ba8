"""Online backups and restores of the store, through SQLite's backup API.

A backup is a consistent copy taken while the app may be writing. A restore first saves the
current store, then replaces it, then raises the number floors so that no receipt or tracking
number the lost tail of the ledger may already have printed is handed out again.
"""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing, suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypedDict

from odsc_desk.domain import users
from odsc_desk.domain.users import Actor
from odsc_desk.maintenance.autobackup import BackupError, auto_dir, write_verified
from odsc_desk.shared import safe_files
from odsc_desk.shared.clock import Clock, stamp, system_clock
from odsc_desk.shared.errors import AuthError, StoreError, ValidationError
from odsc_desk.shared.ids import new_id
from odsc_desk.storage import ledger
from odsc_desk.storage.schema import known_migrations
from odsc_desk.storage.store import BACKUP_DIR, Store, open_store, store_path
from odsc_desk.storage.store_file import connect_read_only, copy_store, has_sqlite_header, is_ours


class SavedCopy(TypedDict):
    path: str
    bytes: int


class BackupOffice(TypedDict):
    """Whose store a backup file is."""

    office_code: str
    counter: int


def backup(store: Store, out: Path | str) -> SavedCopy:
    """A verified copy of the store at `out`: a new file, never over a file or through a link
    already there (see `safe_files`). A failure leaves nothing there."""
    target = Path(out)
    # The name is taken first, as an empty file only this call made: the verified copy then
    # replaces that file and nothing else, whatever another program does meanwhile.
    safe_files.open_new(target).close()
    try:
        _check_room(store, target.parent)
        write_verified(store.conn, target)
    except BaseException:
        with suppress(OSError):
            target.unlink()
        raise
    return {"path": str(target), "bytes": target.stat().st_size}


def _check_room(store: Store, folder: Path) -> None:
    """Refuse before copying when the folder's disk cannot hold the copy. SQLite calls a disk
    full only when a write says so: a full quota, or a network share that says so only when
    the copy is flushed, comes back as "disk I/O error", which tells a clerk nothing."""
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    page_size = store.conn.execute("PRAGMA page_size").fetchone()[0]
    if shutil.disk_usage(folder).free < pages * page_size:
        raise BackupError("backup.target_full", path=str(folder))


def inspect_backup(path: Path) -> BackupOffice:
    """Refuse anything that is not a sound ODSC store before it goes near the live one."""
    if not path.is_file():
        raise ValidationError("file.missing", "file", path=str(path))
    if not has_sqlite_header(path):
        raise ValidationError("restore.not_store", "file", path=str(path))
    try:
        conn = connect_read_only(path)
        try:
            if not is_ours(conn):
                raise ValidationError("restore.not_store", "file", path=str(path))
            if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise ValidationError("restore.damaged", "file", path=str(path))
            # A copy this version cannot open must not replace a store it can.
            made_by = {r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations")}
            newer = made_by - set(known_migrations())
            if newer:
                raise ValidationError(
                    "restore.newer", "file", path=str(path), migrations=", ".join(sorted(newer))
                )
            office = conn.execute("SELECT office_code, counter FROM office").fetchone()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise ValidationError("restore.damaged", "file", path=str(path)) from exc
    if office is None:
        raise ValidationError("restore.not_store", "file", path=str(path))
    return {"office_code": office[0], "counter": office[1]}


# What each backup in the data folder is, by the start of its name (the restore list shows it).
NAME_PREFIXES = (
    ("pre-migrate-", "pre-migrate"),
    ("pre-restore-", "pre-restore"),
    ("odsc-", "automatic"),
)


def list_backups(
    data_dir: Path | str, second: Path | None = None, counter: str = ""
) -> list[dict[str, Any]]:
    """Every backup file in `<data>/backups` and `<data>/backups/auto`, and the automatic copies
    of `counter` ("VTE-SST-1") in the second location, newest first. Not opened: see
    `inspect_backup`."""
    folders = [(Path(data_dir) / BACKUP_DIR, "here"), (auto_dir(data_dir), "here")]
    if second is not None:
        folders.append((second, "second"))
    found = []
    for folder, where in folders:
        try:
            paths = [p for p in folder.iterdir() if p.suffix == ".sqlite3" and p.is_file()]
        except OSError:
            continue  # a missing or unreadable folder holds nothing to list
        for path in paths:
            kind = next((k for prefix, k in NAME_PREFIXES if path.name.startswith(prefix)), "other")
            if where == "second" and not path.name.startswith(f"odsc-{counter}-"):
                continue  # other counters' copies and other files on a shared drive
            stat = path.stat()
            found.append(
                {
                    "path": path,
                    "kind": kind,
                    "where": where,
                    "bytes": stat.st_size,
                    "modified": datetime.fromtimestamp(stat.st_mtime, UTC),
                }
            )
    return sorted(found, key=lambda b: b["modified"], reverse=True)


def _high_water(conn: sqlite3.Connection) -> list[tuple[str, str, int]]:
    rows = conn.execute(
        "SELECT 'receipt' AS kind, CAST(receipt_year AS TEXT) AS period, MAX(receipt_seq) AS top"
        " FROM payments GROUP BY receipt_year"
        " UNION ALL SELECT 'tracking', business_date, MAX(daily_seq) FROM requests"
        " GROUP BY business_date"
        " UNION ALL SELECT kind, period, MAX(floor) FROM sequence_floors GROUP BY kind, period"
    )
    best: dict[tuple[str, str], int] = {}
    for kind, period, top in rows:
        best[(kind, period)] = max(best.get((kind, period), 0), top)
    return [(kind, period, top) for (kind, period), top in best.items()]


def _salvage_high_water(path: Path) -> list[tuple[str, str, int]]:
    """Numbers a damaged store had issued, as far as its pages can still be read."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return _high_water(conn)
        finally:
            conn.close()
    except sqlite3.Error:
        return []


def restore(
    data_dir: Path | str,
    source: Path | str,
    actor: Actor | None,
    *,
    clock: Clock = system_clock,
) -> dict[str, Any]:
    """Replace the store in `data_dir` with a backup. `actor` is required while it opens."""
    source_path = Path(source)
    found = inspect_backup(source_path)
    live = store_path(Path(data_dir))
    saved_as = None
    marks: list[tuple[str, str, int]] = []
    if live.exists():
        try:
            current = open_store(data_dir, clock=clock)
        except StoreError:
            current = None  # damaged or foreign: set aside below, restoring is the cure
        if current is not None:
            try:
                if actor is None or not users.has_role(actor, "supervisor"):
                    raise AuthError(
                        "auth.role", "user", user=getattr(actor, "username", "-"), role="supervisor"
                    )
                office = current.office
                if (office["office_code"], office["counter"]) != (
                    found["office_code"],
                    found["counter"],
                ):
                    raise ValidationError(
                        "restore.other_counter",
                        "file",
                        office=f"{found['office_code']}-{found['counter']}",
                    )
                marks = _high_water(current.conn)
                backup_dir = live.parent / BACKUP_DIR
                backup_dir.mkdir(exist_ok=True)
                saved = backup_dir / f"pre-restore-{stamp(clock()).replace(':', '')}.sqlite3"
                backup(current, saved)
                saved_as = str(saved)
            finally:
                current.close()
        else:
            aside = live.with_name(f"{live.name}.damaged-{stamp(clock()).replace(':', '')}")
            marks = _salvage_high_water(live)
            live.rename(aside)
            for suffix in ("-wal", "-shm"):
                Path(f"{live}{suffix}").unlink(missing_ok=True)
            saved_as = str(aside)
    else:
        live.parent.mkdir(parents=True, exist_ok=True)
    with closing(connect_read_only(source_path)) as source_conn:
        copy_store(source_conn, live, self_contained=False)
    store = open_store(data_dir, clock=clock)
    try:
        raised = raise_floors(store, marks, actor, "restore")
    finally:
        store.close()
    return {
        "restored_from": str(source_path),
        "previous_saved_as": saved_as,
        "floors_raised": raised,
    }


def raise_floors(
    store: Store, marks: list[tuple[str, str, int]], actor: Actor | None, reason: str
) -> int:
    """Keep numbering above (kind, period, top) marks this store may not hold itself: those of
    the store it replaced ("restore"), or those the centre holds for this counter ("centre")."""
    restored = {(k, p): top for k, p, top in _high_water(store.conn)}
    raised = 0
    with store.transaction():
        for kind, period, top in marks:
            if restored.get((kind, period), 0) < top:
                ledger.append(
                    store,
                    "sequence_floors",
                    {
                        "id": new_id(),
                        "kind": kind,
                        "period": period,
                        "floor": top,
                        "reason": reason,
                        "by": actor.id if actor else None,
                        "at": store.now_stamp(),
                    },
                )
                raised += 1
    return raised
