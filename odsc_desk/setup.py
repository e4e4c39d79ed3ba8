"""`odsc init`: a new store for one office counter, its first admin and its catalog."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import Any

from odsc_desk import catalog, ledger
from odsc_desk.clock import Clock, system_clock
from odsc_desk.errors import ValidationError
from odsc_desk.ids import new_id
from odsc_desk.store import open_store, store_path
from odsc_desk.text import clean_name
from odsc_desk.users import check_password_strength, clean_username, insert_user

_OFFICE_CODE = re.compile(r"[A-Z]{2,5}(-[A-Z0-9]{2,6}){0,2}")
COUNTER_MAX = 99


def clean_office_code(value: str) -> str:
    code = (value or "").strip().upper()
    if not _OFFICE_CODE.fullmatch(code):
        raise ValidationError("office.code_invalid", "office_code")
    return code


def clean_counter(value: int | str) -> int:
    text = str(value).strip()
    if not re.fullmatch(r"[0-9]{1,2}", text) or not 1 <= int(text) <= COUNTER_MAX:
        raise ValidationError("office.counter_invalid", "counter", limit=COUNTER_MAX)
    return int(text)


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def init_store(
    data_dir: Path | str,
    *,
    office_code: str,
    office_name: str,
    counter: int | str,
    admin: str,
    password: str,
    catalog_file: Path | str,
    clock: Clock = system_clock,
    hasher: Any = None,
) -> dict[str, Any]:
    """Everything is checked before the file is made, and the file is removed if setup fails,
    so a refused `init` leaves the data folder exactly as it was."""
    code = clean_office_code(office_code)
    name = clean_name(office_name, "office_name")
    number = clean_counter(counter)
    clean_username(admin)
    check_password_strength(password)
    cat = catalog.read_catalog_file(catalog_file)
    path = store_path(Path(data_dir))
    if path.exists():
        raise ValidationError("store.exists", "data_dir", path=str(path))
    # The store is built under a temporary name and renamed into place only when complete, so
    # a crash or a full disk during init never leaves a half-made store behind.
    for stale in path.parent.glob(f"{path.name}.init-*"):
        stale.unlink()
    building = path.with_name(f"{path.name}.init-{new_id()}")
    try:
        store = open_store(
            data_dir, create=True, clock=clock, hasher=hasher, filename=building.name
        )
    except BaseException:
        _remove(building)
        raise
    try:
        with store.transaction():
            office = {
                "id": 1,
                "device_id": new_id(),
                "office_code": code,
                "office_name": name,
                "counter": number,
                "created_at": store.now_stamp(),
            }
            store.conn.execute(
                "INSERT INTO office (id, device_id, office_code, office_name, counter, created_at)"
                " VALUES (:id, :device_id, :office_code, :office_name, :counter, :created_at)",
                office,
            )
            user = insert_user(store, None, admin, "admin", password)
            digest = hashlib.sha256(ledger.canonical(office)).digest()
            ledger.audit(store, user.id, "store_initialised", "office", "1", digest)
            catalog.insert_catalog(store, user.id, cat)
        store.close()
        os.replace(building, path)
    except BaseException:
        store.close()
        _remove(building)
        raise
    return {
        "office_code": code,
        "office_name": name,
        "counter": number,
        "admin": user.username,
        "catalog_version": cat.version,
    }
