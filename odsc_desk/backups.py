"""Online backups and restores of the store, through SQLite's backup API.

A backup is a consistent copy taken while the app may be writing. A restore first saves the
current store, then replaces it, then raises the number floors so that no receipt or tracking
number the lost tail of the ledger may already have printed is handed out again.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from odsc_desk import ledger
from odsc_desk.clock import Clock, stamp, system_clock
from odsc_desk.errors import AuthError, OdscError, StoreError, ValidationError
from odsc_desk.ids import new_id
from odsc_desk.schema import APPLICATION_ID
from odsc_desk.store import (
    BACKUP_DIR,
    SQLITE_MAGIC,
    Store,
    open_store,
    store_path,
    translate_sqlite_error,
)
from odsc_desk.users import Actor


def _copy_into(source: sqlite3.Connection, target: Path) -> None:
    dest = sqlite3.connect(target)
    try:
        source.backup(dest)
        # A backup is one self-contained file, not a WAL pair.
        dest.execute("PRAGMA journal_mode = DELETE")
        result = dest.execute("PRAGMA integrity_check").fetchone()[0]
        if result != "ok":
            raise StoreError("backup.verify_failed", path=str(target), detail=result)
    finally:
        dest.close()


def backup(store: Store, out: Path | str) -> dict[str, Any]:
    target = Path(out)
    if target.exists():
        raise ValidationError("file.exists", "out", path=str(target))
    if not target.parent.is_dir():
        raise ValidationError("file.no_folder", "out", path=str(target.parent))
    try:
        _copy_into(store.conn, target)
    except (sqlite3.Error, OSError) as exc:
        target.unlink(missing_ok=True)
        if isinstance(exc, sqlite3.Error):
            raise translate_sqlite_error(exc, target) from exc
        raise StoreError("store.io", path=str(target), detail=str(exc)) from exc
    except OdscError:
        target.unlink(missing_ok=True)
        raise
    return {"path": str(target), "bytes": target.stat().st_size}


def _inspect_backup(path: Path) -> dict[str, Any]:
    """Refuse anything that is not a sound ODSC store before it goes near the live one."""
    if not path.is_file():
        raise ValidationError("file.missing", "file", path=str(path))
    with path.open("rb") as handle:
        if handle.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
            raise ValidationError("restore.not_store", "file", path=str(path))
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
                raise ValidationError("restore.not_store", "file", path=str(path))
            if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise ValidationError("restore.damaged", "file", path=str(path))
            office = conn.execute("SELECT office_code, counter FROM office").fetchone()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise ValidationError("restore.damaged", "file", path=str(path)) from exc
    if office is None:
        raise ValidationError("restore.not_store", "file", path=str(path))
    return {"office_code": office[0], "counter": office[1]}


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
    found = _inspect_backup(source_path)
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
                if actor is None or actor.role not in ("supervisor", "admin"):
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
    source_conn = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True)
    try:
        target = sqlite3.connect(live)
        try:
            source_conn.backup(target)
        finally:
            target.close()
    finally:
        source_conn.close()
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
                    "floor_raised",
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
