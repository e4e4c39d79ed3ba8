"""Accounts, roles, logins and approvals. Passwords are kept only as Argon2id hashes.

Logins are slowed and then locked after failures, by the name typed (`authenticate`): the
window, the idle lock, a supervisor's approval and every `odsc` command go through it. A new
password is held to `check_password_strength`; passwords set before the rule still log in.
"""

from __future__ import annotations

import hashlib
import logging
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypedDict

from argon2.exceptions import InvalidHashError, VerificationError

from odsc_desk.shared.clock import VIENTIANE, parse_stamp, stamp
from odsc_desk.shared.errors import AuthError, NotFoundError, ValidationError
from odsc_desk.shared.ids import new_id
from odsc_desk.shared.passwords import common_passwords
from odsc_desk.shared.text import nfc
from odsc_desk.storage import ledger
from odsc_desk.storage.store import Store

log = logging.getLogger("odsc.users")

ROLES = ("clerk", "supervisor", "admin")
_RANK = {role: rank for rank, role in enumerate(ROLES)}
PASSWORD_MIN = 10
USERNAME_MAX = 40  # characters (code points) once in NFC: a Lao name's marks count
# A name this long or longer may not appear inside its password; a shorter one (noy) may, as
# it would refuse ordinary words (annoying), but never as the whole password or reversed.
NAME_INSIDE_MIN = 4

# Failed logins, counted by the name typed: the first FREE_FAILURES cost nothing (a mistyped
# password), then each failure makes the next attempt wait twice as long as the last, from 1 s
# up to MAX_WAIT; after LOCK_AFTER failures in a row the name is locked for LOCK_TIME, or until
# a supervisor unlocks it. A success or an unlock starts the count again. Ten guesses per
# quarter hour per name, where a script used to try 40 a second.
FREE_FAILURES = 3
MAX_WAIT = timedelta(seconds=60)
LOCK_AFTER = 10
LOCK_TIME = timedelta(minutes=15)


@dataclass(frozen=True)
class Actor:
    """Someone who has proved who they are; every write names one."""

    id: str
    username: str
    role: str


class User(TypedDict):
    """A row of `users`."""

    id: str
    username: str
    role: str
    password_hash: str  # Argon2id
    created_at: str
    created_by: str | None  # user id; None for the first admin, made by `init`


class UserSummary(TypedDict):
    """A user as `list_users` shows one: never the password hash."""

    username: str
    role: str
    created_at: str


class _Credentials(TypedDict):
    id: str
    username: str
    role: str
    password_hash: str


def has_role(actor: Actor, role: str) -> bool:
    """Roles are ranked: an admin may do what a supervisor may, a supervisor what a clerk may."""
    return _RANK[actor.role] >= _RANK[role]


def require_role(actor: Actor, role: str) -> None:
    if not has_role(actor, role):
        raise AuthError("auth.role", "user", user=actor.username, role=role)


def username_key(value: str) -> str:
    """The one form a user name is stored, compared and looked up in: NFC, white space folded
    and trimmed, lower case. A name typed decomposed (NFD) or with its marks in another order
    finds and collides with the same name stored composed."""
    return nfc(value or "").lower()


def clean_username(value: str) -> str:
    """A new user name, in its key form (`username_key`), or `user.name_invalid`.

    Allowed: letters of any script with their combining marks (Unicode L* and M*: Lao vowel
    signs and tone marks, as in ສົມສັກ), digits (N*) and '.', '-', '_'. Refused, as before:
    an empty name, white space inside (a name is one word at the command line), control and
    format characters (invisible, and a zero-width space would make two look-alike names),
    other punctuation and symbols, more than USERNAME_MAX characters. Also refused: a mark
    that does not sit on a letter (a name of marks only, or a mark after a digit or a
    separator), which would print as a dotted circle.
    """
    name = username_key(value)
    if not name or len(name) > USERNAME_MAX or not all(_username_char(ch) for ch in name):
        raise ValidationError("user.name_invalid", "username", limit=USERNAME_MAX)
    base = ""  # the category of the last character that is not a mark
    for ch in name:
        kind = unicodedata.category(ch)[0]
        if kind != "M":
            base = kind
        elif base != "L":
            raise ValidationError("user.name_invalid", "username", limit=USERNAME_MAX)
    return name


def _username_char(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LMN" or ch in "._-"


def check_password_strength(password: str, username: str = "") -> None:
    """A new password: at least PASSWORD_MIN characters, not only white space, not the user's
    name (nor the name backwards, nor containing a name of NAME_INSIDE_MIN characters or more),
    and not one of the common passwords shipped in odsc_desk/data/common_passwords.json (nor
    one character repeated). Applied where a password is set, never at login."""
    if len(password) < PASSWORD_MIN:
        raise ValidationError("user.password_short", "password", minimum=PASSWORD_MIN)
    folded = nfc(password).lower()  # white space folded and trimmed
    if not folded:
        raise ValidationError("user.password_blank", "password")
    name = username_key(username)
    if name and (folded in (name, name[::-1]) or (len(name) >= NAME_INSIDE_MIN and name in folded)):
        raise ValidationError("user.password_name", "password")
    if folded in common_passwords() or len(set(folded)) == 1:
        raise ValidationError("user.password_common", "password")


def insert_user(
    store: Store, creator: str | None, username: str, role: str, password: str
) -> Actor:
    """Inside the caller's transaction: used by `init` (no creator yet) and by `add_user`."""
    name = clean_username(username)
    if role not in ROLES:
        raise ValidationError("user.role_invalid", "role", roles=", ".join(ROLES))
    check_password_strength(password, name)
    if store.scalar("SELECT 1 FROM users WHERE username = ?", (name,)):
        raise ValidationError("user.exists", "username", user=name)
    row: User = {
        "id": new_id(),
        "username": name,
        "role": role,
        "password_hash": store.hasher.hash(password),
        "created_at": store.now_stamp(),
        "created_by": creator,
    }
    ledger.append(store, "users", row)
    return Actor(row["id"], name, role)


def grantable_roles(actor: Actor) -> list[str]:
    """The roles `actor` may give a new account: none below supervisor, never one above their
    own (a supervisor making an admin would make themselves one)."""
    return [role for role in ROLES if has_role(actor, "supervisor") and has_role(actor, role)]


def add_user(store: Store, actor: Actor, username: str, role: str, password: str) -> Actor:
    """A supervisor adds clerks and supervisors at the counter; only an admin adds an admin."""
    require_role(actor, "supervisor")
    if role in _RANK:  # an unknown role is refused with the list of roles, by `insert_user`
        require_role(actor, role)
    with store.transaction():
        return insert_user(store, actor.id, username, role, password)


def authenticate(store: Store, username: str, password: str) -> Actor:
    """The same answer for an unknown user and a wrong password, so names cannot be probed;
    names that are no account are slowed and locked as accounts are, for the same reason.

    Inside one write transaction: two attempts at once (two `odsc` processes) are taken one
    after the other, so running many in parallel gains no guesses."""
    key = username_key(username)
    actor: Actor | None = None
    with store.transaction():
        # A refusal is raised after the commit: the failure it counts must stay counted.
        refusal = _throttled(store, key)
        if refusal is None:
            actor = _check_password(store, key, password)
            if actor is None:
                refusal = _failed(store, key)
            else:
                store.conn.execute("DELETE FROM login_failures WHERE name = ?", (_name_id(key),))
    if actor is None:
        raise refusal or AuthError("auth.failed", "password")
    return actor


def _name_id(key: str) -> str:
    """How `login_failures` names a user: a digest of the name typed, so a password typed into
    the name field by mistake is not kept in the file."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class _Failures(TypedDict):
    failures: int
    last_at: str


def _wait(failures: int) -> timedelta:
    """How long after the last of `failures` failures in a row the next attempt must wait."""
    if failures >= LOCK_AFTER:
        return LOCK_TIME
    if failures < FREE_FAILURES:
        return timedelta(0)
    return min(timedelta(seconds=2 ** (failures - FREE_FAILURES)), MAX_WAIT)


def _remaining(store: Store, row: _Failures) -> timedelta:
    """What is left of the wait, never more than the whole wait: a clock set back after a
    failure must not lock a name for longer."""
    wait = _wait(row["failures"])
    return min(parse_stamp(row["last_at"]) + wait - store.now(), wait)


def _throttled(store: Store, key: str) -> AuthError | None:
    row = store.one_as(
        _Failures, "SELECT failures, last_at FROM login_failures WHERE name = ?", (_name_id(key),)
    )
    if row is None:
        return None
    if parse_stamp(row["last_at"]) > store.now():
        # The clock was set back since: the wait runs from now, not from a time to come.
        row["last_at"] = store.now_stamp()
        store.conn.execute(
            "UPDATE login_failures SET last_at = ? WHERE name = ?", (row["last_at"], _name_id(key))
        )
    left = _remaining(store, row)
    if left <= timedelta(0):
        return None
    log.warning(
        "login refused without a check: %s, %d failures in a row", _who(store, key), row["failures"]
    )
    if row["failures"] >= LOCK_AFTER:
        until = store.now() + left
        return AuthError("auth.locked", "password", until=_local_hhmm(until))
    return AuthError("auth.wait", "password", seconds=max(1, round(left.total_seconds())))


def _failed(store: Store, key: str) -> AuthError:
    """Count a failure (inside the caller's transaction) and say it in the log, by name and
    never with the password."""
    name = _name_id(key)
    count = 1 + (
        store.scalar_or_none(int, "SELECT failures FROM login_failures WHERE name = ?", (name,))
        or 0
    )
    store.conn.execute(
        "INSERT INTO login_failures (name, failures, last_at) VALUES (?, ?, ?)"
        " ON CONFLICT (name) DO UPDATE SET failures = excluded.failures,"
        " last_at = excluded.last_at",
        (name, count, store.now_stamp()),
    )
    log.warning("login failed: %s, %d failures in a row", _who(store, key), count)
    if count >= LOCK_AFTER:
        log.warning(
            "login locked for %d minutes: %s", LOCK_TIME // timedelta(minutes=1), _who(store, key)
        )
        return AuthError("auth.locked", "password", until=_local_hhmm(store.now() + LOCK_TIME))
    return AuthError("auth.failed", "password")


def _who(store: Store, key: str) -> str:
    """The user named in the log: an account's name; for a name that is no account only its
    length, since it may be a password typed into the name field."""
    if store.scalar("SELECT 1 FROM users WHERE username = ?", (key,)):
        return f"user {key!r}"
    return f"a name that is no account ({len(key)} characters)"


def _local_hhmm(moment: datetime) -> str:
    return moment.astimezone(VIENTIANE).strftime("%H:%M")


def _check_password(store: Store, key: str, password: str) -> Actor | None:
    row = store.one_as(
        _Credentials,
        "SELECT id, username, role, password_hash FROM users WHERE username = ?",
        (key,),
    )
    if row is None:
        # Spend the same time as a real check.
        store.hasher.hash(password or "")
        return None
    try:
        store.hasher.verify(row["password_hash"], password or "")
    except (VerificationError, InvalidHashError):
        return None
    return Actor(row["id"], row["username"], row["role"])


class LoginLock(TypedDict):
    """An account's failed logins in a row, and until when it is locked (None: it is not)."""

    username: str
    failures: int
    locked_until: str | None  # a stamp


def login_locks(store: Store) -> list[LoginLock]:
    """The accounts with failed logins in a row, for a supervisor (`odsc user list`, Accounts)."""
    locks: list[LoginLock] = []
    for account in list_users(store):
        row = store.one_as(
            _Failures,
            "SELECT failures, last_at FROM login_failures WHERE name = ?",
            (_name_id(account["username"]),),
        )
        if row is None:
            continue
        locked = row["failures"] >= LOCK_AFTER and _remaining(store, row) > timedelta(0)
        until = stamp(store.now() + _remaining(store, row)) if locked else None
        locks.append(
            {"username": account["username"], "failures": row["failures"], "locked_until": until}
        )
    return locks


def unlock(store: Store, actor: Actor, username: str) -> int:
    """A supervisor clears an account's failed logins (a locked clerk who knows their password
    again); only an admin unlocks an admin, as only an admin adds one. Returns how many
    failures were cleared."""
    require_role(actor, "supervisor")
    key = username_key(username)
    with store.transaction():
        role = store.scalar_or_none(str, "SELECT role FROM users WHERE username = ?", (key,))
        if role is None:
            raise NotFoundError("user.unknown", "username", user=username)
        require_role(actor, role)
        name = _name_id(key)
        cleared = (
            store.scalar_or_none(int, "SELECT failures FROM login_failures WHERE name = ?", (name,))
            or 0
        )
        store.conn.execute("DELETE FROM login_failures WHERE name = ?", (name,))
    log.warning("login unlocked: user %r by %r (%d failures cleared)", key, actor.username, cleared)
    return cleared


def approve(store: Store, username: str | None, password: str) -> Actor:
    """A supervisor's re-entered password, for voids, refunds and cash differences."""
    if not username:
        raise AuthError("auth.approval_needed", "supervisor")
    approver = authenticate(store, username, password)
    if _RANK[approver.role] < _RANK["supervisor"]:
        raise AuthError("auth.not_supervisor", "supervisor", user=approver.username)
    return approver


def check_four_eyes(actor: Actor, approver: Actor, self_approval: bool) -> None:
    """A void, a refund or a cash difference is approved by someone other than the person doing
    it, unless the office allows self-approval (the `self_approval` setting, for a one-person
    office). Both names are recorded with the fact (`by` and `approved_by`)."""
    if approver.id == actor.id and not self_approval:
        raise AuthError("approval.self", "supervisor", user=approver.username)


def list_users(store: Store) -> list[UserSummary]:
    return store.all_as(
        UserSummary, "SELECT username, role, created_at FROM users ORDER BY username"
    )
