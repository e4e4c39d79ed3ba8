"""A request's status for the citizen who holds its slip: found by the slip's code, or by the
tracking number with the last four digits of the phone the counter recorded.

What it tells: the service (as the request's catalog version names it), the office, the status
and the day it took it, the promised day and whether that has passed, and the documents still
missing when the request was sent back for them. Never a name, a phone or an ID number. A late
request shows the new date its counter's notice gave (the latest status event carrying one)
while that day has not passed; without one, or past it, the page says to ask the office.

A slip's code is checked against the public key the centre holds for the counter that signed it
(`devices.public_key`, bound at enrollment); the request must be that counter's. A revoked
counter's codes still open the requests it took before its revocation. Tracking numbers are
sequential, so the typed lookup shows nothing without the phone's digits, and a request taken
without a phone can be opened by its slip's code only. Slowing guessers is the pages' business
(status_pages), and "no such request" and "wrong digits" are one answer here: `None`.
"""

from __future__ import annotations

import hmac
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, select

from odsc_desk.shared import slip_code
from odsc_desk.shared.catalog_file import parse_catalog
from odsc_desk.shared.clock import local_date, parse_stamp
from odsc_desk.shared.receipt_code import VerificationError
from sync.server.db import catalogs, devices, offices, requests, status_events

OPEN = ("received", "incomplete", "in_process")
TRACKING = re.compile(r"[A-Z0-9][A-Z0-9-]{4,39}")
DIGITS = re.compile(r"[0-9]{4}")


@dataclass(frozen=True)
class Document:
    name_lo: str
    name_en: str


@dataclass(frozen=True)
class Status:
    """What the status page shows: nothing personal."""

    request_id: str
    tracking: str
    service_code: str
    service_lo: str
    service_en: str
    office_lo: str
    office_en: str
    status: str
    status_on: date
    promised: date | None
    late: bool
    missing: list[Document]
    new_date: date | None = None  # a late request's new date, while it has not passed


@dataclass(frozen=True)
class SlipLookup:
    """A slip code's answer: genuine or not, and the request when the centre holds it."""

    genuine: bool
    tracking: str | None = None
    status: Status | None = None


def clean_tracking(value: str) -> str | None:
    """A typed tracking number, upper case without spaces; None when it cannot be one."""
    text = re.sub(r"\s+", "", value).upper()
    return text if TRACKING.fullmatch(text) else None


def clean_digits(value: str) -> str | None:
    text = re.sub(r"\s+", "", value)
    return text if DIGITS.fullmatch(text) else None


def _last_digits(phone: str | None) -> str | None:
    digits = re.sub(r"[^0-9]", "", phone or "")
    return digits[-4:] if len(digits) >= 4 else None


_COLUMNS = (
    requests.c.id,
    requests.c.tracking,
    requests.c.device_id,
    requests.c.office,
    requests.c.counter,
    requests.c.service_code,
    requests.c.catalog_version,
    requests.c.created_at,
    requests.c.promised_date,
    requests.c.documents,
    requests.c.status,
    requests.c.phone,
)


def by_phone(conn: Connection, tracking: str, digits: str, today: date) -> Status | None:
    """The request with this tracking number whose phone ends in `digits`; None when there is
    no such request, it has no phone, or the digits differ (one answer for all three)."""
    rows = conn.execute(select(*_COLUMNS).where(requests.c.tracking == tracking)).all()
    found = None
    for row in rows:
        last = _last_digits(row.phone)
        # Compared in constant time, and every row compared: the answer's timing says nothing.
        if last is not None and hmac.compare_digest(last, digits) and found is None:
            found = row
    return None if found is None else _status(conn, found, today)


def _device_of(conn: Connection, wanted: str) -> Any:
    """The device whose public key has this id, by the index enrollment keeps for it
    (devices.key_id, migration 0011); the latest enrolled when a key was enrolled twice."""
    query = (
        select(
            devices.c.device_id,
            devices.c.office,
            devices.c.counter,
            devices.c.public_key,
            devices.c.revoked_at,
        )
        .where(devices.c.key_id == wanted, devices.c.public_key.is_not(None))
        .order_by(devices.c.enrolled_at.desc())
    )
    return conn.execute(query).first()


def by_slip(conn: Connection, code: str, today: date) -> SlipLookup:
    """What a slip's code opens: not genuine (malformed, an unknown key, a forged or altered
    signature, a request of another counter, or a revoked counter's request taken after its
    revocation), genuine but not yet reported by the counter, or the request's status."""
    try:
        claim, _, _ = slip_code.parse(code)
        device = _device_of(conn, claim.key_id)
        if device is None:
            return SlipLookup(False)
        slip_code.verify(code, {claim.key_id: device.public_key})
    except VerificationError:
        return SlipLookup(False)
    if not claim.tracking.startswith(f"{device.office}-{device.counter}-"):
        return SlipLookup(False)  # a counter numbers only its own requests
    rows = list(
        conn.execute(
            select(*_COLUMNS).where(
                requests.c.tracking == claim.tracking,
                requests.c.office == device.office,
                requests.c.counter == device.counter,
            )
        )
    )
    if device.revoked_at is not None:
        rows = [r for r in rows if r.created_at < device.revoked_at]
        if not rows:
            return SlipLookup(False)
    if not rows:
        return SlipLookup(True, claim.tracking)
    # The counter's own request first: one office counter re-enrolled keeps its numbers.
    rows.sort(key=lambda r: r.device_id != device.device_id)
    return SlipLookup(True, claim.tracking, _status(conn, rows[0], today))


@lru_cache(maxsize=32)
def _catalog(version: int, sha256: str, text: str) -> Mapping[str, dict[str, Any]]:
    """A published version's services by code (kept per version and content: a version never
    changes once published)."""
    return {s["code"]: s for s in parse_catalog(json.loads(text)).services}


def _service(conn: Connection, version: int, code: str) -> dict[str, Any] | None:
    row = conn.execute(
        select(catalogs.c.sha256, catalogs.c.catalog).where(catalogs.c.version == version)
    ).one_or_none()
    if row is None:
        return None
    return _catalog(version, row.sha256, row.catalog).get(code)


def _status(conn: Connection, row: Any, today: date) -> Status:
    service = _service(conn, int(row.catalog_version), row.service_code)
    office = conn.execute(
        select(offices.c.name_lo, offices.c.name_en).where(offices.c.code == row.office)
    ).one_or_none()
    latest = conn.execute(
        select(status_events.c.at)
        # The day it took its status: a new date keeps the status it had.
        .where(status_events.c.request_id == row.id, status_events.c.new_date.is_(None))
        .order_by(status_events.c.seq.desc())
        .limit(1)
    ).scalar_one_or_none()
    since = local_date(parse_stamp(latest or row.created_at))
    promised = date.fromisoformat(row.promised_date) if row.promised_date else None
    late = row.status in OPEN and promised is not None and promised < today
    new_date = _new_date(conn, row.id) if late else None
    missing: list[Document] = []
    if row.status == "incomplete" and service is not None:
        received = set(_received(row.documents))
        missing = [
            Document(d["name_lo"], d["name_en"])
            for d in json.loads(service["documents"])
            if d["code"] not in received
        ]
    return Status(
        request_id=row.id,
        tracking=row.tracking,
        service_code=row.service_code,
        service_lo=service["name_lo"] if service else row.service_code,
        service_en=service["name_en"] if service else row.service_code,
        office_lo=(office.name_lo if office else None) or row.office,
        office_en=(office.name_en if office else None) or row.office,
        status=row.status,
        status_on=since,
        promised=promised,
        late=late,
        missing=missing,
        new_date=new_date if new_date is not None and new_date >= today else None,
    )


def _new_date(conn: Connection, request_id: str) -> date | None:
    """The last new date a counter gave the request, if any (migration 0014)."""
    s = status_events.c
    found = conn.execute(
        select(s.new_date)
        .where(s.request_id == request_id, s.new_date.is_not(None))
        .order_by(s.seq.desc())
        .limit(1)
    ).scalar_one_or_none()
    return None if found is None else date.fromisoformat(found)


def _received(text: str | None) -> list[str]:
    try:
        found = json.loads(text or "[]")
    except ValueError:
        return []
    return [d for d in found if isinstance(d, str)] if isinstance(found, list) else []
