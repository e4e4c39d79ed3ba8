"""`odsc init`: a new store for one office counter, its first admin and its catalog."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import TypedDict

from argon2 import PasswordHasher

from odsc_desk.domain import catalog
from odsc_desk.domain.users import check_password_strength, clean_username, insert_user
from odsc_desk.shared.canonical import canonical
from odsc_desk.shared.catalog_file import read_catalog_file
from odsc_desk.shared.clock import Clock, system_clock
from odsc_desk.shared.errors import ValidationError
from odsc_desk.shared.ids import new_id
from odsc_desk.shared.office_codes import clean_counter, clean_office_code
from odsc_desk.shared.text import clean_name
from odsc_desk.storage import ledger
from odsc_desk.storage.store import open_store, store_path


class StoreInitialised(TypedDict):
    """What `init_store` made."""

    office_code: str
    office_name: str
    counter: int
    admin: str  # the first admin's user name
    catalog_version: int


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
    hasher: PasswordHasher | None = None,
) -> StoreInitialised:
    """Everything is checked before the file is made, and the file is removed if setup fails,
    so a refused `init` leaves the data folder exactly as it was."""
    code = clean_office_code(office_code)
    name = clean_name(office_name, "office_name")
    number = clean_counter(counter)
    clean_username(admin)
    check_password_strength(password)
    cat = read_catalog_file(catalog_file)
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
            digest = hashlib.sha256(canonical(office)).digest()
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
