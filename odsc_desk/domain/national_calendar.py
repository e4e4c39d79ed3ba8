"""The national calendar at the counter: the versions the centre published (store migration
m010), and the one in effect on a day.

A version is imported only as the centre sent it and proved it (sync/calendar_pull.py); the
version in effect on a day is the newest whose effective date has come. A promised date is
counted with the version in effect on the day the request is taken, and kept on the request:
a closure published later does not move a date already promised.
"""

from __future__ import annotations

import json
from datetime import date
from functools import lru_cache
from typing import Any

from odsc_desk.shared.calendar_file import Calendar, parse_calendar
from odsc_desk.shared.canonical import canonical
from odsc_desk.shared.errors import ValidationError
from odsc_desk.storage.store import Store


@lru_cache(maxsize=8)
def _parsed(sha256: str, text: str) -> Calendar:
    # Keyed by the sha256 too: a version's text never changes under its number and digest.
    return parse_calendar(json.loads(text))


def in_effect(store: Store, day: date) -> Calendar | None:
    """The calendar in effect on `day`, or None when none has come: the package's days."""
    row = store.one(
        "SELECT sha256, calendar FROM calendar_versions"
        " WHERE effective_from IS NULL OR effective_from <= ? ORDER BY version DESC LIMIT 1",
        (day.isoformat(),),
    )
    return None if row is None else _parsed(row["sha256"], row["calendar"])


def versions(store: Store) -> list[dict[str, Any]]:
    """Every version here, newest first (without its days)."""
    return store.all(
        "SELECT version, label, sha256, effective_from, imported_at"
        " FROM calendar_versions ORDER BY version DESC"
    )


def etag(store: Store) -> str | None:
    row = store.one("SELECT etag FROM calendar_pull WHERE id = 1")
    return None if row is None else row["etag"]


def insert_version(store: Store, parsed: Calendar, sha256: str, data: dict[str, Any]) -> bool:
    """Inside the caller's transaction. False when this exact version is already here; a
    version here with other content, or older than the newest here, is refused."""
    existing = store.one(
        "SELECT sha256 FROM calendar_versions WHERE version = ?", (parsed.version,)
    )
    if existing is not None:
        if existing["sha256"] == sha256:
            return False
        raise ValidationError("calendar.version_clash", "calendar", version=parsed.version)
    newest = store.one("SELECT MAX(version) AS v FROM calendar_versions")
    if newest is not None and newest["v"] is not None and parsed.version < newest["v"]:
        raise ValidationError(
            "calendar.version_old", "calendar", version=parsed.version, current=newest["v"]
        )
    store.conn.execute(
        "INSERT INTO calendar_versions (version, label, sha256, effective_from, calendar,"
        " imported_at) VALUES (?, ?, ?, ?, ?, ?)",
        (
            parsed.version,
            parsed.label,
            sha256,
            parsed.effective_from,
            canonical(data).decode(),
            store.now_stamp(),
        ),
    )
    return True


def set_etag(store: Store, value: str | None) -> None:
    """Inside the caller's transaction, with the versions the answer brought."""
    store.conn.execute("UPDATE calendar_pull SET etag = ? WHERE id = 1", (value,))
