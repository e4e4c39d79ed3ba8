"""Automatic backups: a verified copy of the store every working day and after the day is closed.

Each copy is a consistent online backup (SQLite's backup API, one step, so one snapshot while
the counter may be writing) written to `<data folder>/backups/auto/` and, when the setting
`backup_second_location` names a folder (a USB drive), copied there too. A copy counts only
once it is whole and checked: it is written under a temporary name, `PRAGMA integrity_check`
and the application id are checked on the copy itself, the file is flushed to the disk, and only
then renamed to its real name. A failure (a folder that is missing, read-only or full) removes
the partial file, leaves the store alone, and is reported with a Lao and English message.

Names carry the counter and the office's local date and time, so copies of several counters
can share one USB drive and sort by age:  odsc-VTE-SST-1-2026-11-26T170502.sqlite3

Rotation, per folder and only among this counter's automatic copies: the newest copy of each
day is a daily copy and the newest of each month a month-end copy; the newest
`backup_keep_daily` daily and `backup_keep_monthly` month-end copies are kept (and always the
newest copy of all), the rest deleted. Pre-migrate, pre-restore and hand-made backups are never
touched.

When a copy is due (`due`): when today has no copy yet, when a cash session was closed after the
newest copy, or when the second location is back (plugged in) and has no copy of today.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import sqlite3
import tempfile
import time
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, TypedDict

from odsc_desk.domain import settings
from odsc_desk.shared.clock import VIENTIANE, local_date, parse_stamp
from odsc_desk.shared.errors import OdscError
from odsc_desk.shared.safe_files import cannot_write
from odsc_desk.storage.store import BACKUP_DIR, Office, Store
from odsc_desk.storage.store_file import connect_read_only, copy_store, is_ours

AUTO_DIR = "auto"
# Older than this, the window shows the last backup in red.
STALE_AFTER = timedelta(days=2)
# A `.partial` file this old is a leftover of a process that died while writing it.
PARTIAL_LEFTOVER_S = 3600
_NAME = re.compile(r"odsc-(?P<who>.+)-(?P<day>\d{4}-\d{2}-\d{2})T(?P<time>\d{6})\.sqlite3")
# What `safe_files.cannot_write` makes of a system error, as the backup says it of its folder.
_TARGET_CODES = {
    "file.disk_full": "backup.target_full",
    "file.folder_readonly": "backup.target_readonly",
}
# When SQLite only says "disk I/O error", the folder is asked again by writing this much at a
# time into a nameless file there, up to the copy's size.
_PROBE_CHUNK = 1 << 20


class BackupError(OdscError):
    """A copy that could not be written, or a reason to worry about the backups."""


@dataclass(frozen=True)
class Copy:
    path: Path
    counter: str  # "VTE-SST-1"
    taken: datetime  # in Vientiane time
    size: int

    @property
    def business_date(self) -> date:
        return self.taken.date()


def auto_dir(data_dir: Path | str) -> Path:
    return Path(data_dir) / BACKUP_DIR / AUTO_DIR


def counter_name(office: Office) -> str:
    return f"{office['office_code']}-{office['counter']}"


def copy_name(office: Office, moment: datetime) -> str:
    local = moment.astimezone(VIENTIANE)
    return f"odsc-{counter_name(office)}-{local:%Y-%m-%dT%H%M%S}.sqlite3"


def copies_in(folder: Path, counter: str | None = None) -> list[Copy]:
    """The automatic copies in `folder` (of one counter, if named), oldest first."""
    found = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    for path in entries:
        match = _NAME.fullmatch(path.name)
        if match is None or (counter is not None and match["who"] != counter):
            continue
        taken = datetime.strptime(f"{match['day']}T{match['time']}", "%Y-%m-%dT%H%M%S")
        try:
            size = path.stat().st_size
        except OSError:
            continue
        found.append(Copy(path, match["who"], taken.replace(tzinfo=VIENTIANE), size))
    return sorted(found, key=lambda c: (c.taken, c.path.name))


def last_backup(data_dir: Path | str) -> Copy | None:
    """The newest automatic copy in the data folder, if any."""
    found = copies_in(auto_dir(data_dir))
    return found[-1] if found else None


def second_location(store: Store) -> Path | None:
    value = str(settings.get(store, "backup_second_location")).strip()
    return Path(value).expanduser() if value else None


def due(store: Store, data_dir: Path | str) -> str | None:
    """Why a copy is due now ("daily", "day_closed", "second_location"), or None."""
    now = store.now()
    last = last_backup(data_dir)
    if last is None or last.business_date < local_date(now):
        return "daily"
    closed = store.scalar("SELECT MAX(closed_at) FROM cash_closes")
    if closed is not None and parse_stamp(closed) > last.taken:
        return "day_closed"
    second = second_location(store)
    if second is not None and _writable(second):
        today = local_date(now)
        mine = copies_in(second, counter_name(store.office))
        if not any(c.business_date == today for c in mine):
            return "second_location"
    return None


class CopyMade(TypedDict):
    path: str
    bytes: int
    seconds: float


class BackupReport(TypedDict):
    """One copy's outcome in every target; a failure is an error's `as_dict` and its target."""

    name: str
    copies: list[CopyMade]
    failures: list[dict[str, Any]]


class DueBackupReport(BackupReport):
    reason: str  # why the copy was due (see `due`)


class BackupStatus(TypedDict):
    last: Copy | None
    warnings: list[BackupError]


def run_due(store: Store, data_dir: Path | str) -> DueBackupReport | None:
    """Take a copy if one is due (see `due`); the report of `run_backup`, or None."""
    reason = due(store, data_dir)
    if reason is None:
        return None
    report = run_backup(store, data_dir)
    return {"reason": reason, **report}


def run_backup(store: Store, data_dir: Path | str) -> BackupReport:
    """One copy into every target; each target's outcome in the report, none raised."""
    office = store.office
    name = copy_name(office, store.now())
    keep_daily = int(settings.get(store, "backup_keep_daily"))
    keep_monthly = int(settings.get(store, "backup_keep_monthly"))
    targets = [auto_dir(data_dir)]
    second = second_location(store)
    if second is not None:
        targets.append(second)
    copies: list[CopyMade] = []
    failures: list[dict[str, Any]] = []
    verified: Path | None = None  # the first good copy: later targets copy the file
    for index, folder in enumerate(targets):
        started = time.perf_counter()
        try:
            if index == 0:
                _make_own_folder(folder)
            elif not folder.is_dir():
                raise BackupError("backup.target_missing", path=str(folder))
            target = folder / name
            write_verified(store.conn if verified is None else verified, target)
            verified = verified or target
            copies.append(
                {
                    "path": str(target),
                    "bytes": target.stat().st_size,
                    "seconds": round(time.perf_counter() - started, 3),
                }
            )
            rotate(folder, counter_name(office), keep_daily, keep_monthly)
        except OdscError as exc:
            failures.append({"target": str(folder), **exc.as_dict()})
    return {"name": name, "copies": copies, "failures": failures}


def _make_own_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _explain(exc, folder) from exc


def write_verified(source: sqlite3.Connection | Path, target: Path) -> None:
    """`source` (the store's connection, or a verified copy) into `target`, or nothing at all."""
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        if isinstance(source, Path):
            shutil.copyfile(source, partial)
        else:
            copy_store(source, partial)
        _flush(partial)
        _verify(partial, target)
        os.replace(partial, target)
        _flush_folder(target.parent)
    except (OSError, sqlite3.Error, BackupError) as exc:
        # A folder that refused the copy may refuse its removal too: then nothing was made.
        with suppress(OSError):
            partial.unlink(missing_ok=True)
        if isinstance(exc, BackupError):
            raise
        raise _explain(exc, target.parent, _copy_size(source)) from exc


def _copy_size(source: sqlite3.Connection | Path) -> int:
    """About how many bytes the copy takes; 0 if even that cannot be read."""
    try:
        if isinstance(source, Path):
            return source.stat().st_size
        pages = source.execute("PRAGMA page_count").fetchone()[0]
        return int(pages) * int(source.execute("PRAGMA page_size").fetchone()[0])
    except (OSError, sqlite3.Error):
        return 0


def _verify(partial: Path, target: Path) -> None:
    try:
        conn = connect_read_only(partial)
        try:
            ours = is_ours(conn)
            result = conn.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:  # damaged beyond what integrity_check can walk
        raise BackupError("backup.verify_failed", path=str(target), detail=str(exc)) from exc
    if not ours:
        raise BackupError("backup.verify_failed", path=str(target), detail="application_id")
    if result != "ok":
        raise BackupError("backup.verify_failed", path=str(target), detail=result)


def _flush(path: Path) -> None:
    """To the disk itself: a USB drive pulled out right after must still hold the copy."""
    with path.open("rb+") as handle:
        os.fsync(handle.fileno())


def _flush_folder(folder: Path) -> None:
    if os.name == "nt":
        return  # Windows cannot open a folder to flush it; NTFS journals the rename
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _explain(exc: OSError | sqlite3.Error, folder: Path, size: int = 0) -> BackupError:
    """Name what went wrong with the target in words a clerk can act on. `size` is what the
    copy needed: when SQLite hides the system's reason, writing that much shows it."""
    where = str(folder)
    if isinstance(exc, sqlite3.Error):
        name = getattr(exc, "sqlite_errorname", "")
        if name == "SQLITE_FULL" or "full" in str(exc).lower():
            return BackupError("backup.target_full", path=where)
        if not name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_IOERR")):
            return BackupError("backup.failed", path=where, detail=str(exc))
        # SQLite says only "unable to open" or "disk I/O error" (a file too big for the drive,
        # a user's quota): the folder itself is asked. Only an I/O error is worth writing a
        # copy's worth of bytes again; an open that failed shows with an empty file.
        probed = _try_writing(folder, size if name.startswith("SQLITE_IOERR") else 0)
        if probed is None:
            return BackupError("backup.failed", path=where, detail=str(exc))
        exc = probed
    if exc.errno == errno.ENOENT and not folder.is_dir():
        return BackupError("backup.target_missing", path=where)
    code = _TARGET_CODES.get(cannot_write(exc, folder).code)
    if code is not None:
        return BackupError(code, path=where)
    return BackupError("backup.failed", path=where, detail=exc.strerror or str(exc))


def _try_writing(folder: Path, size: int) -> OSError | None:
    """The system's reason for refusing `size` bytes (at least none: the file itself) in a
    nameless temporary file in `folder`, flushed to the disk; None when it takes them. The file
    is gone once closed, whatever happened."""
    try:
        with tempfile.TemporaryFile(dir=folder, buffering=0) as probe:
            zeros = bytes(min(size, _PROBE_CHUNK))
            left = size
            while left > 0:
                left -= probe.write(zeros[:left])
            os.fsync(probe.fileno())
    except OSError as exc:
        return exc
    return None


def _writable(folder: Path) -> bool:
    """Whether a file can really be made there (permissions, a read-only mount, a locked USB)."""
    return folder.is_dir() and _try_writing(folder, 0) is None


def rotate(folder: Path, counter: str, keep_daily: int, keep_monthly: int) -> list[Path]:
    """Delete this counter's automatic copies that are neither among the newest `keep_daily`
    daily copies nor the newest `keep_monthly` month-end copies; the deleted paths."""
    copies = copies_in(folder, counter)
    if not copies:
        return []
    daily: dict[date, Copy] = {}
    for copy in copies:  # oldest first: the last one seen of a day is its newest
        daily[copy.business_date] = copy
    monthly: dict[tuple[int, int], Copy] = {}
    for day in sorted(daily):
        monthly[(day.year, day.month)] = daily[day]
    keep = {copies[-1].path}
    if keep_daily > 0:
        keep |= {daily[day].path for day in sorted(daily)[-keep_daily:]}
    if keep_monthly > 0:
        keep |= {monthly[month].path for month in sorted(monthly)[-keep_monthly:]}
    deleted = []
    for copy in copies:
        if copy.path not in keep:
            try:
                copy.path.unlink()
            except OSError:
                continue  # tried again after the next copy
            deleted.append(copy.path)
    _remove_leftovers(folder)
    return deleted


def _remove_leftovers(folder: Path) -> None:
    """`.partial` files of processes that died while writing them (a power cut)."""
    now = time.time()
    for path in folder.glob(".odsc-*.partial"):
        try:
            if now - path.stat().st_mtime > PARTIAL_LEFTOVER_S:
                path.unlink()
        except OSError:
            continue


def backup_warnings(data_dir: Path | str, second: Path | None, now: datetime) -> list[BackupError]:
    """What the window warns about: no recent copy, or a second location it cannot use."""
    warnings = []
    last = last_backup(data_dir)
    if last is None:
        warnings.append(BackupError("backup.none"))
    elif now - last.taken > STALE_AFTER:
        warnings.append(
            BackupError(
                "backup.stale",
                when=f"{last.taken:%d/%m/%Y %H:%M}",
                days=(now - last.taken).days,
            )
        )
    if second is not None:
        if not second.is_dir():
            warnings.append(BackupError("backup.second_missing", path=str(second)))
        elif not _writable(second):
            warnings.append(BackupError("backup.second_unwritable", path=str(second)))
    return warnings


def status(store: Store, data_dir: Path | str) -> BackupStatus:
    """The newest copy and the warnings, for the window's status line."""
    return {
        "last": last_backup(data_dir),
        "warnings": backup_warnings(data_dir, second_location(store), store.now()),
    }
