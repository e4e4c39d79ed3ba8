"""Login throttling at the centre, by the counter's rule (odsc_desk.domain.users) and numbers:
the first FREE_FAILURES failures in a row cost nothing, then each makes the next attempt wait
twice as long as the last, from 1 s up to MAX_WAIT; after LOCK_AFTER the name is locked for
LOCK_TIME. A success starts the count again.

Written again here rather than imported: the centre does not import the counter's domain or
storage (tests/test_layers.py). Failures are counted in the database, so every worker of the
server slows the same name, and by a digest of the name typed, so a password typed into the
name field is never kept.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, delete, select, text

from odsc_desk.shared.clock import VIENTIANE, parse_stamp, stamp
from odsc_desk.shared.text import nfc
from sync.server.db import dialect_insert, web_login_failures

FREE_FAILURES = 3
MAX_WAIT = timedelta(seconds=60)
LOCK_AFTER = 10
LOCK_TIME = timedelta(minutes=15)


@dataclass(frozen=True)
class Refusal:
    """Why a login was refused: "failed", "wait" (with seconds) or "locked" (until HH:MM)."""

    kind: str
    seconds: int = 0
    until: str = ""


def name_digest(name: str) -> bytes:
    """The counter's key for a name typed (NFC, lower case), hashed."""
    return hashlib.sha256(nfc(name or "").lower().encode("utf-8", "surrogatepass")).digest()


def wait_after(failures: int) -> timedelta:
    if failures >= LOCK_AFTER:
        return LOCK_TIME
    if failures < FREE_FAILURES:
        return timedelta(0)
    return min(timedelta(seconds=2 ** (failures - FREE_FAILURES)), MAX_WAIT)


def take_turn(conn: Connection, digest: bytes) -> None:
    """Attempts at one name are taken one after the other, so guesses sent in parallel gain
    nothing. SQLite's write transaction (BEGIN IMMEDIATE) does this already; PostgreSQL takes
    a lock for the name until the transaction ends."""
    if conn.dialect.name == "postgresql":
        key = int.from_bytes(digest[:8], "big", signed=True)
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


def _local_hhmm(moment: datetime) -> str:
    return moment.astimezone(VIENTIANE).strftime("%H:%M")


def throttled(conn: Connection, digest: bytes, now: datetime) -> Refusal | None:
    """The refusal an attempt gets without its password being checked, if it came too soon."""
    row = conn.execute(
        select(web_login_failures.c.failures, web_login_failures.c.last_at).where(
            web_login_failures.c.name_sha256 == digest
        )
    ).first()
    if row is None:
        return None
    wait = wait_after(row.failures)
    # Never more than the whole wait: a clock set back after a failure must not lock longer.
    left = min(parse_stamp(row.last_at) + wait - now, wait)
    if left <= timedelta(0):
        return None
    if row.failures >= LOCK_AFTER:
        return Refusal("locked", until=_local_hhmm(now + left))
    return Refusal("wait", seconds=max(1, round(left.total_seconds())))


def failed(conn: Connection, digest: bytes, now: datetime) -> Refusal:
    """Count a failure; the refusal says the name is locked when this one locked it."""
    insert = dialect_insert(conn.dialect.name, web_login_failures).values(
        name_sha256=digest, failures=1, last_at=stamp(now)
    )
    conn.execute(
        insert.on_conflict_do_update(
            index_elements=[web_login_failures.c.name_sha256],
            set_={"failures": web_login_failures.c.failures + 1, "last_at": stamp(now)},
        )
    )
    count = conn.execute(
        select(web_login_failures.c.failures).where(web_login_failures.c.name_sha256 == digest)
    ).scalar_one()
    if count >= LOCK_AFTER:
        return Refusal("locked", until=_local_hhmm(now + LOCK_TIME))
    return Refusal("failed")


def succeeded(conn: Connection, digest: bytes) -> None:
    conn.execute(delete(web_login_failures).where(web_login_failures.c.name_sha256 == digest))
