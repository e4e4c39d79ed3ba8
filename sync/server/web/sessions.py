"""A person's session on the web pages: a random id in a cookie, of which the database keeps
only the sha256, ended by logging out, by IDLE without a page, or at once when the account is
revoked (every page reads the account again, so a revocation needs no list of sessions)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, Engine, delete, func, insert, select, update

from odsc_desk.shared.clock import parse_stamp, stamp
from odsc_desk.shared.text import nfc
from sync.server.accounts import PERSON
from sync.server.db import accounts, reading, web_sessions, writing
from sync.server.scopes import Account, load_account
from sync.server.web import throttle

COOKIE = "odsc_session"
IDLE = timedelta(hours=12)
# Writing the time a session was last used on every page would make every read a write; a
# minute's slack in a 12-hour idle limit costs nothing.
TOUCH_EVERY = timedelta(minutes=1)

_hasher = PasswordHasher(type=Type.ID)
# Checked against when the name is no person's account, so an unknown name takes as long to
# refuse as a wrong password and names cannot be probed by timing.
_DECOY = _hasher.hash(secrets.token_urlsafe(16))


@dataclass(frozen=True)
class Session:
    account: Account
    csrf: str
    digest: bytes


def _digest(session_id: str) -> bytes:
    return hashlib.sha256(session_id.encode("utf-8", "surrogatepass")).digest()


def check_password(conn: Connection, name: str, password: str) -> int | None:
    """The id of the person's account `name` and `password` open, or None. A machine's token
    account, a revoked account and an unknown name are all None, after as long a check."""
    row = conn.execute(
        select(accounts.c.id, accounts.c.password_hash).where(
            accounts.c.name == nfc(name),
            accounts.c.kind == PERSON,
            accounts.c.revoked_at.is_(None),
        )
    ).first()
    try:
        _hasher.verify(row.password_hash if row else _DECOY, password)
    except (VerificationError, InvalidHashError):
        return None
    return int(row.id) if row else None


def check_throttled(
    conn: Connection, name: str, password: str, now: datetime
) -> int | throttle.Refusal:
    """check_password behind the login throttle (throttle.py): the account's id, or why the
    attempt was refused, a failure counted in the same transaction. The login form and the
    password page (its current password) count towards the same lock."""
    digest = throttle.name_digest(name)
    throttle.take_turn(conn, digest)
    refusal = throttle.throttled(conn, digest, now)
    if refusal is not None:
        return refusal
    account_id = check_password(conn, name, password)
    if account_id is None:
        return throttle.failed(conn, digest, now)
    throttle.succeeded(conn, digest)
    return account_id


def start(conn: Connection, account_id: int, now: datetime) -> str:
    """A new session for the account; returns its id (for the cookie, never stored). Sessions
    left idle too long by anyone are cleared on the way: most end without a logout."""
    conn.execute(delete(web_sessions).where(web_sessions.c.seen_at < stamp(now - IDLE)))
    session_id = secrets.token_urlsafe(32)
    conn.execute(
        insert(web_sessions).values(
            id_sha256=_digest(session_id),
            account_id=account_id,
            csrf=secrets.token_urlsafe(32),
            created_at=stamp(now),
            seen_at=stamp(now),
        )
    )
    return session_id


def find(engine: Engine, session_id: str | None, now: datetime) -> Session | None:
    """The live session of that id, with its account as it stands now; None (and the session
    ended) when it is idle too long or its account was revoked."""
    if not session_id:
        return None
    digest = _digest(session_id)
    with reading(engine) as conn:
        row = conn.execute(
            select(web_sessions.c.csrf, web_sessions.c.seen_at, accounts)
            .join(accounts, accounts.c.id == web_sessions.c.account_id)
            .where(web_sessions.c.id_sha256 == digest)
        ).first()
        if row is None:
            return None
        seen = parse_stamp(row.seen_at)
        alive = row.revoked_at is None and now - seen < IDLE
        found = Session(load_account(conn, row), row.csrf, digest) if alive else None
    if found is None:
        end(engine, digest)
    elif now - seen >= TOUCH_EVERY:
        with writing(engine) as conn:
            conn.execute(
                update(web_sessions)
                .where(web_sessions.c.id_sha256 == digest)
                .values(seen_at=stamp(now))
            )
    return found


def latest_logins(conn: Connection) -> dict[int, str]:
    """Each account's latest login among the sessions still kept (a session ended by logging
    out or by idling is forgotten, so an account without one has no known login)."""
    rows = conn.execute(
        select(web_sessions.c.account_id, func.max(web_sessions.c.created_at)).group_by(
            web_sessions.c.account_id
        )
    )
    return {int(account_id): latest for account_id, latest in rows}


def end(engine: Engine, digest: bytes) -> None:
    with writing(engine) as conn:
        conn.execute(delete(web_sessions).where(web_sessions.c.id_sha256 == digest))
