"""`odsc diagnose --out FILE.zip`: what support staff need when something goes wrong, in one file.

The zip holds:
- versions.json   this program, Python, the OS, SQLite and the libraries, the PC's clock;
- settings.json   every setting, the office, the user names and roles, the sync state;
- store.json      the file's size and its WAL's, pages, schema migrations, rows per table,
                  the backups folder, free disk space;
- integrity.json  `odsc check`'s result (SQLite's own check, the audit chain, the facts);
- sync.json       what waits for the centre, the last sync and its error, parked ops;
- logs/*.log      the last 2,000 lines of each program's log.

Never a secret: no password hash, no sync token, no signing key. They are not read into the
report, the logs are masked as they are written and again as they are copied, and every member
is scrubbed of the store's actual secrets before it is written, in case one slipped in anyway.

The store is opened read-only and never migrated: the report describes the file as it is, and
works on a store that is damaged, newer than this program, or missing (then the report holds
what can be known without it: the versions, the file's facts and the logs, with the reason).
"""

from __future__ import annotations

import json
import locale
import platform
import re
import shutil
import sqlite3
import sys
import time
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from importlib import metadata
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher

from odsc_desk import __version__
from odsc_desk.domain import settings, users
from odsc_desk.maintenance import integrity, logs
from odsc_desk.shared import safe_files
from odsc_desk.shared.clock import system_clock
from odsc_desk.shared.errors import OdscError, StoreError
from odsc_desk.shared.messages import render
from odsc_desk.storage import outbox, schema, sync_state
from odsc_desk.storage.store import BACKUP_DIR, Store, store_path, translate_sqlite_error
from odsc_desk.storage.store_file import connect_read_only, has_sqlite_header, is_ours

LOG_LINES = 2000
# The libraries whose versions matter when something breaks. Read from the installed packages'
# metadata, never by importing them: the core must not load Qt.
DISTRIBUTIONS = (
    "odsc-desk",
    "PySide6-Essentials",
    "shiboken6",
    "reportlab",
    "uharfbuzz",
    "pypdfium2",
    "sqlite-utils",
    "requests",
    "urllib3",
    "certifi",
    "cryptography",
    "argon2-cffi",
    "platformdirs",
    "holidays",
    "laonlp",
    "fastapi",
    "uvicorn",
    "SQLAlchemy",
    "alembic",
    "psycopg",
)

# Columns never copied into the report, whatever table a later version adds them to.
_SECRET_COLUMN = re.compile(r"token|password|secret|private", re.IGNORECASE)

StatusReader = Callable[[Store], Mapping[str, Any]]


@dataclass(frozen=True)
class Report:
    members: dict[str, bytes]
    # Why the store could not be read (an OdscError's dict), or None.
    store_error: dict[str, Any] | None
    # None when the check could not run.
    integrity_ok: bool | None


def _when(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp).astimezone().isoformat(timespec="seconds")


def _error(exc: BaseException, path: Path) -> dict[str, Any]:
    if isinstance(exc, sqlite3.Error):
        return {**translate_sqlite_error(exc, path).as_dict(), "detail": str(exc)}
    if isinstance(exc, OdscError):
        return exc.as_dict()
    # A bug, or damage no rule foresaw: the report must still be written, and say what it met.
    return {"code": "unexpected", "detail": logs.mask(f"{type(exc).__name__}: {exc}")}


def _guard(section: Callable[[], Any], path: Path) -> Any:
    try:
        return section()
    except Exception as exc:
        return {"error": _error(exc, path)}


# -- opening the store as it is ----------------------------------------------------------------


def open_read_only(data_dir: Path) -> Store:
    """The store without migrating or writing it; a StoreError says why it cannot be read."""
    path = store_path(data_dir)
    if not path.is_file():
        raise StoreError("store.missing", path=str(path))
    if not has_sqlite_header(path):
        raise StoreError("store.foreign", path=str(path))
    try:
        conn = connect_read_only(path, check_same_thread=False)
    except sqlite3.Error as exc:
        raise translate_sqlite_error(exc, path) from exc
    try:
        conn.execute("PRAGMA query_only = ON")
        if not is_ours(conn):
            raise StoreError("store.foreign", path=str(path))
    except sqlite3.Error as exc:
        conn.close()
        raise translate_sqlite_error(exc, path) from exc
    except StoreError:
        conn.close()
        raise
    return Store(path, conn, system_clock, PasswordHasher())


# -- the sections -------------------------------------------------------------------------------


def versions(data_dir: Path) -> dict[str, Any]:
    def version(name: str) -> str | None:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return None

    now = datetime.now().astimezone()
    return {
        "odsc_desk": __version__,
        "made_at": now.isoformat(timespec="seconds"),
        "utc_offset": now.strftime("%z"),
        "data_dir": str(Path(data_dir).absolute()),
        "python": {
            "version": platform.python_version(),
            "implementation": platform.python_implementation(),
            "executable": sys.executable,
            # True in the PyInstaller bundle.
            "frozen": bool(getattr(sys, "frozen", False)),
        },
        "platform": {
            "system": platform.system(),
            "release": platform.release(),
            "version": platform.version(),
            "machine": platform.machine(),
            "platform": platform.platform(),
        },
        "sqlite": sqlite3.sqlite_version,
        "encoding": {
            "filesystem": sys.getfilesystemencoding(),
            "preferred": locale.getpreferredencoding(False),
        },
        "packages": {name: version(name) for name in DISTRIBUTIONS},
    }


def _file_facts(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {"path": str(path), "exists": False}
    stat = path.stat()
    modified = _when(stat.st_mtime)
    return {"path": str(path), "exists": True, "bytes": stat.st_size, "modified": modified}


def _folder(data_dir: Path) -> list[dict[str, Any]]:
    """What the data folder holds at its top (the store's files, backups/, logs/, a lock file
    left by a window), so support sees what is there without asking for a screenshot."""
    if not data_dir.is_dir():
        return []
    return [
        {"name": p.name + "/", "exists": True} if p.is_dir() else {**_file_facts(p), "name": p.name}
        for p in sorted(data_dir.iterdir())
    ]


def _backups(data_dir: Path) -> list[dict[str, Any]]:
    folder = data_dir / BACKUP_DIR
    if not folder.is_dir():
        return []
    return [_file_facts(p) for p in sorted(folder.iterdir()) if p.is_file()]


def _tables(store: Store) -> dict[str, Any]:
    names = [
        r[0]
        for r in store.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
        )
    ]
    quoted = {name: '"' + name.replace('"', '""') + '"' for name in names}
    return {
        name: _guard(partial(store.scalar, f"SELECT COUNT(*) FROM {quoted[name]}"), store.path)
        for name in names
    }


def _migrations(store: Store) -> dict[str, Any]:
    applied = [
        {"name": m.name, "applied_at": m.applied_at} for m in schema.migrations.applied(store.db)
    ]
    names = [m["name"] for m in applied]
    known = schema.known_migrations()
    return {
        "schema_version": names[-1] if names else None,
        "applied": applied,
        "known_to_this_program": known,
        # An older store (this program would migrate it on opening) ...
        "pending": [name for name in known if name not in names],
        # ... or a newer one (this program refuses it).
        "unknown": [name for name in names if name not in known],
    }


def _sqlite_facts(store: Store) -> dict[str, Any]:
    pragma = store.scalar
    return {
        "page_size": pragma("PRAGMA page_size"),
        "page_count": pragma("PRAGMA page_count"),
        "freelist_count": pragma("PRAGMA freelist_count"),
        "journal_mode": pragma("PRAGMA journal_mode"),
        "user_version": pragma("PRAGMA user_version"),
    }


def store_section(
    data_dir: Path, store: Store | None, error: dict[str, Any] | None
) -> dict[str, Any]:
    path = store_path(data_dir)
    section: dict[str, Any] = {
        "file": _file_facts(path),
        "wal": _file_facts(path.with_name(path.name + "-wal")),
        "shm": _file_facts(path.with_name(path.name + "-shm")),
        "data_folder": _guard(lambda: _folder(data_dir), path),
        "backups": _guard(lambda: _backups(data_dir), path),
        "disk_free_bytes": _guard(lambda: shutil.disk_usage(data_dir).free, path),
    }
    if store is None:
        return {**section, "error": error}
    return {
        **section,
        "sqlite": _guard(lambda: _sqlite_facts(store), path),
        "migrations": _guard(lambda: _migrations(store), path),
        "rows": _guard(lambda: _tables(store), path),
    }


def _sync_state(store: Store) -> dict[str, Any]:
    """The sync's own row, without any column whose name says it holds a secret (the token):
    only whether one is set."""
    row = sync_state.read(store)
    kept = {k: v for k, v in row.items() if not _SECRET_COLUMN.search(k)}
    return {**kept, "token_set": bool(row["token"])}


def settings_section(store: Store) -> dict[str, Any]:
    path = store.path

    def values() -> dict[str, Any]:
        current = settings.all_values(store)
        changed = [k for k, v in current.items() if v != settings.SETTINGS[k].default]
        return {"values": current, "changed_from_default": changed}

    return {
        "settings": _guard(values, path),
        "office": _guard(lambda: store.office, path),
        # Names and roles only: never a password hash.
        "users": _guard(lambda: users.list_users(store), path),
        "sync_state": _guard(lambda: _sync_state(store), path),
    }


def integrity_section(store: Store) -> dict[str, Any]:
    started = time.monotonic()
    result = integrity.check_store(store)
    for problem in result["problems"]:
        problem["message_lo"], problem["message_en"] = render(problem["kind"], **problem)
    return {**result, "seconds": round(time.monotonic() - started, 3)}


def sync_section(store: Store, sync_status: StatusReader | None) -> dict[str, Any]:
    section: dict[str, Any] = {}
    if sync_status is not None:
        section["status"] = _guard(lambda: sync_status(store), store.path)
    section["parked"] = _guard(lambda: outbox.parked(store)[:100], store.path)
    return section


def _secrets(store: Store) -> list[str]:
    """The store's actual secrets, to scrub from the report whatever path they took."""
    queries = (
        "SELECT token FROM sync_state",
        "SELECT password_hash FROM users",
        "SELECT private_key FROM counter_keys",
    )
    found: list[str] = []
    for sql in queries:
        try:
            found += [str(r[0]) for r in store.conn.execute(sql) if r[0]]
        except sqlite3.Error:
            continue  # a table an older or damaged store lacks: nothing of it can leak either
    # Longest first, so a secret that contains another is scrubbed whole.
    return sorted({s for s in found if len(s) >= 8}, key=len, reverse=True)


def _scrub(data: bytes, secrets: list[str]) -> bytes:
    for secret in secrets:
        data = data.replace(secret.encode("utf-8"), logs.MASK.encode())
    return data


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=2, default=str).encode("utf-8")


def collect(
    data_dir: Path | str,
    sync_status: StatusReader | None = None,
    log_lines: int = LOG_LINES,
) -> Report:
    """Read everything the report holds; never raises for a store it cannot read."""
    data_dir = Path(data_dir)
    path = store_path(data_dir)
    try:
        store: Store | None = open_read_only(data_dir)
        error = None
    except StoreError as exc:
        store, error = None, exc.as_dict()
    sections: dict[str, Any] = {"versions.json": versions(data_dir)}
    integrity_ok = None
    secrets: list[str] = []
    try:
        sections["store.json"] = store_section(data_dir, store, error)
        if store is None:
            for name in ("settings.json", "integrity.json", "sync.json"):
                sections[name] = {"error": error}
        else:
            secrets = _secrets(store)
            sections["settings.json"] = settings_section(store)
            checked = _guard(lambda: integrity_section(store), path)
            sections["integrity.json"] = checked
            integrity_ok = checked.get("ok")
            sections["sync.json"] = sync_section(store, sync_status)
    finally:
        if store is not None:
            store.close()
    members = {name: _json(value) for name, value in sections.items()}
    for name, text in logs.tail(data_dir, log_lines).items():
        members[f"logs/{name}"] = text.encode("utf-8")
    members = {name: _scrub(data, secrets) for name, data in members.items()}
    return Report(members, error, integrity_ok)


# -- writing the zip ------------------------------------------------------------------------


def write_report(
    data_dir: Path | str,
    out: Path | str,
    *,
    sync_status: StatusReader | None = None,
    log_lines: int = LOG_LINES,
) -> dict[str, Any]:
    """Write the support report to `out`, a new file (see `safe_files`); returns what was
    written. A failure leaves nothing there."""
    target = Path(out)
    with safe_files.new_file(target) as handle:
        report = collect(data_dir, sync_status, log_lines)
        with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, data in report.members.items():
                archive.writestr(name, data)
    return {
        "path": str(target),
        "bytes": target.stat().st_size,
        "files": sorted(report.members),
        "store_error": report.store_error,
        "integrity_ok": report.integrity_ok,
    }
