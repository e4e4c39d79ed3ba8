"""The published fee catalog as the public reads it: the version in effect today, the next one
held for a later day, any version by its number, and the services grouped by ministry.

Read from the `catalogs` table, the very text counters import, through the counter's own reader
(parse_catalog), so the public sees exactly the fees a counter charges. A version's text never
changes once published, so its reading is kept per process by its sha256.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, or_, select

from odsc_desk.shared.catalog_file import LEGAL_BASIS, parse_catalog
from odsc_desk.shared.clock import local_date, parse_stamp
from odsc_desk.shared.text import has_control, nfc
from sync.server.db import catalogs

QUERY_MAX = 80  # characters of a search: longer than any service's name


@dataclass(frozen=True)
class Document:
    code: str
    name_lo: str
    name_en: str


@dataclass(frozen=True)
class Service:
    code: str
    ministry: str
    name_lo: str
    name_en: str
    fee: int
    days: int
    documents: tuple[Document, ...]
    legal_basis_lo: str | None
    legal_basis_en: str | None


@dataclass(frozen=True)
class Ministry:
    code: str
    name_lo: str
    name_en: str
    services: tuple[Service, ...]


@dataclass(frozen=True)
class Version:
    """One published version. `effective` is the day it took (or takes) effect: its effective
    date, or the Vientiane day it was published for a version in effect at once."""

    version: int
    label: str
    sha256: str
    effective: date
    published_at: str
    ministries: tuple[Ministry, ...]

    @property
    def services(self) -> tuple[Service, ...]:
        return tuple(s for m in self.ministries for s in m.services)

    def service(self, code: str) -> Service | None:
        return next((s for s in self.services if s.code == code), None)


def _optional(item: dict[str, Any], key: str) -> str | None:
    # Checked when published (check_legal_basis); a version an older centre published holds
    # whatever it was given, and anything but text is shown as no legal basis.
    value = item.get(key)
    return nfc(value) if isinstance(value, str) and nfc(value) else None


@lru_cache(maxsize=32)
def _read(sha256: str, text: str) -> tuple[Ministry, ...]:
    """A version's services by ministry, in the order the catalog lists its ministries, each
    ministry's services by code (as parse_catalog orders them)."""
    data = json.loads(text)
    parsed = parse_catalog(data)
    extra = {
        str(item.get("code", "")).upper(): {key: _optional(item, key) for key in LEGAL_BASIS}
        for item in data["services"]
    }
    by_ministry: dict[str, list[Service]] = {}
    for row in parsed.services:
        documents = tuple(Document(**d) for d in json.loads(row["documents"]))
        by_ministry.setdefault(row["ministry_code"], []).append(
            Service(
                row["code"],
                row["ministry_code"],
                row["name_lo"],
                row["name_en"],
                row["fee"],
                row["days"],
                documents,
                extra[row["code"]]["legal_basis_lo"],
                extra[row["code"]]["legal_basis_en"],
            )
        )
    return tuple(
        Ministry(m["code"], nfc(m["name_lo"]), nfc(m["name_en"]), tuple(by_ministry[m["code"]]))
        for m in data["ministries"]
        if m["code"] in by_ministry
    )


_COLUMNS = (
    catalogs.c.version,
    catalogs.c.label,
    catalogs.c.sha256,
    catalogs.c.catalog,
    catalogs.c.published_at,
    catalogs.c.effective_from,
)


def _version(row: Any) -> Version:
    effective = (
        date.fromisoformat(row.effective_from)
        if row.effective_from
        else local_date(parse_stamp(row.published_at))
    )
    return Version(
        row.version,
        row.label,
        row.sha256,
        effective,
        row.published_at,
        _read(row.sha256, row.catalog),
    )


def in_effect(conn: Connection, today: date) -> Version | None:
    """The version counters charge today: the newest whose day has come."""
    row = conn.execute(
        select(*_COLUMNS)
        .where(
            or_(
                catalogs.c.effective_from.is_(None),
                catalogs.c.effective_from <= today.isoformat(),
            )
        )
        .order_by(catalogs.c.version.desc())
    ).first()
    return None if row is None else _version(row)


def upcoming(conn: Connection, today: date) -> Version | None:
    """The next version held for a later day, if one is published."""
    row = conn.execute(
        select(*_COLUMNS)
        .where(catalogs.c.effective_from > today.isoformat())
        .order_by(catalogs.c.version)
    ).first()
    return None if row is None else _version(row)


def by_number(conn: Connection, version: int) -> Version | None:
    row = conn.execute(select(*_COLUMNS).where(catalogs.c.version == version)).first()
    return None if row is None else _version(row)


def clean_query(text: str) -> str | None:
    """A search as typed, ready to compare; None for one too long or with control characters
    (nothing a person types in a search box)."""
    if len(text) > QUERY_MAX or has_control(text):
        return None
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def matches(service: Service, ministry: Ministry, query: str) -> bool:
    """Every word of the query appears in the service's code, its Lao or English name, or its
    ministry's code or names (Lao has no case; casefold is for the Latin letters)."""
    haystack = " ".join(
        (
            service.code,
            service.name_lo,
            service.name_en,
            ministry.code,
            ministry.name_lo,
            ministry.name_en,
        )
    ).casefold()
    return all(word in haystack for word in query.split())


def search(version: Version, query: str) -> tuple[Ministry, ...]:
    """The ministries with the services that match, in their order; all of them for no query."""
    if not query:
        return version.ministries
    found = (
        Ministry(m.code, m.name_lo, m.name_en, tuple(s for s in m.services if matches(s, m, query)))
        for m in version.ministries
    )
    return tuple(m for m in found if m.services)


def changes(now: Version, later: Version) -> dict[str, Any]:
    """What the next version changes for the public: each service's new fee where it differs
    (by code), and the services it adds and drops."""
    before = {s.code: s for s in now.services}
    after = {s.code: s for s in later.services}
    return {
        "fees": {
            code: after[code].fee
            for code in before.keys() & after.keys()
            if before[code].fee != after[code].fee
        },
        "added": [after[code] for code in sorted(after.keys() - before.keys())],
        "removed": [before[code] for code in sorted(before.keys() - after.keys())],
    }
