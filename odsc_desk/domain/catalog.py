"""The service catalog: versioned, published by the centre, never edited at a counter.

A catalog file lists ministries, documents and services. Importing it adds a whole new version;
requests keep the version (and fee) they were taken under, so a fee change never rewrites the
past. A version may carry an effective date: until that day (in Vientiane) it is held, and new
requests keep taking the version before it.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import TypedDict

from odsc_desk.domain.users import Actor, require_role
from odsc_desk.shared.catalog_file import Catalog, CatalogDocument, read_catalog_file
from odsc_desk.shared.clock import local_date
from odsc_desk.shared.errors import NotFoundError, ValidationError
from odsc_desk.shared.text import nfc
from odsc_desk.storage import ledger
from odsc_desk.storage.store import Store


class _ServiceFields(TypedDict):
    version: int
    code: str
    ministry_code: str
    ministry_lo: str
    ministry_en: str
    name_lo: str
    name_en: str
    fee: int
    days: int


class _ServiceRow(_ServiceFields):
    """A row of `services` as stored."""

    documents: str  # JSON: a list of {code, name_lo, name_en}


class Service(_ServiceFields):
    """One service of one catalog version, its documents read."""

    documents: list[CatalogDocument]


class CatalogImport(TypedDict):
    version: int
    services: int  # how many the file lists
    added: bool  # False: this very version was already here


def newest_version(store: Store) -> int | None:
    """The newest version held, in effect or not: a new one must not be older."""
    return store.scalar_or_none(int, "SELECT MAX(version) FROM catalog_versions")


def current_version(store: Store, day: date | None = None) -> int | None:
    """The version in effect on `day` (today by the store's clock): the newest one without an
    effective date or whose date has come. A version dated later is held until its day."""
    on = (day if day is not None else local_date(store.now())).isoformat()
    return store.scalar_or_none(
        int,
        "SELECT MAX(version) FROM catalog_versions"
        " WHERE effective_from IS NULL OR effective_from <= ?",
        (on,),
    )


def _read(row: _ServiceRow) -> Service:
    return {**row, "documents": json.loads(row["documents"])}


def insert_catalog(store: Store, actor_id: str, catalog: Catalog) -> bool:
    """Inside the caller's transaction. False when this exact version is already here."""
    existing = store.one(
        "SELECT sha256 FROM catalog_versions WHERE version = ?", (catalog.version,)
    )
    if existing is not None:
        if existing["sha256"] == catalog.sha256:
            return False
        raise ValidationError("catalog.version_clash", "catalog", version=catalog.version)
    latest = newest_version(store)
    if latest is not None and catalog.version < latest:
        raise ValidationError(
            "catalog.version_old", "catalog", version=catalog.version, current=latest
        )
    ledger.append(
        store,
        "catalog_versions",
        {
            "version": catalog.version,
            "label": catalog.label,
            "sha256": catalog.sha256,
            "imported_at": store.now_stamp(),
            "imported_by": actor_id,
            # None (in effect at once) is left out of the row's digest, as before m007.
            "effective_from": catalog.effective_from,
        },
    )
    store.conn.executemany(
        "INSERT INTO services (version, code, ministry_code, ministry_lo, ministry_en,"
        " name_lo, name_en, fee, days, documents) VALUES (:version, :code, :ministry_code,"
        " :ministry_lo, :ministry_en, :name_lo, :name_en, :fee, :days, :documents)",
        catalog.services,
    )
    return True


def import_catalog(store: Store, actor: Actor, path: Path | str) -> CatalogImport:
    require_role(actor, "admin")
    catalog = read_catalog_file(path)
    with store.transaction():
        added = insert_catalog(store, actor.id, catalog)
    return {"version": catalog.version, "services": len(catalog.services), "added": added}


def list_services(store: Store, version: int | None = None) -> list[Service]:
    version = version if version is not None else current_version(store)
    rows = store.all_as(
        _ServiceRow,
        "SELECT * FROM services WHERE version = ? ORDER BY ministry_code, code",
        (version,),
    )
    return [_read(row) for row in rows]


def get_service(store: Store, code: str, version: int | None = None) -> Service:
    version = version if version is not None else current_version(store)
    row = store.one_as(
        _ServiceRow,
        "SELECT * FROM services WHERE version = ? AND code = ?",
        (version, nfc(code or "").upper()),
    )
    if row is None:
        raise NotFoundError("service.unknown", "service", code=code)
    return _read(row)
