"""Accounts, roles and approvals. Passwords are kept only as Argon2id hashes."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import TypedDict

from argon2.exceptions import InvalidHashError, VerificationError

from odsc_desk.shared.errors import AuthError, ValidationError
from odsc_desk.shared.ids import new_id
from odsc_desk.shared.text import nfc
from odsc_desk.storage import ledger
from odsc_desk.storage.store import Store

ROLES = ("clerk", "supervisor", "admin")
_RANK = {role: rank for rank, role in enumerate(ROLES)}
PASSWORD_MIN = 8
USERNAME_MAX = 40  # characters (code points) once in NFC: a Lao name's marks count


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


def check_password_strength(password: str) -> None:
    if len(password) < PASSWORD_MIN:
        raise ValidationError("user.password_short", "password", minimum=PASSWORD_MIN)


def insert_user(
    store: Store, creator: str | None, username: str, role: str, password: str
) -> Actor:
    """Inside the caller's transaction: used by `init` (no creator yet) and by `add_user`."""
    name = clean_username(username)
    if role not in ROLES:
        raise ValidationError("user.role_invalid", "role", roles=", ".join(ROLES))
    check_password_strength(password)
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
    """The same answer for an unknown user and a wrong password, so names cannot be probed."""
    row = store.one_as(
        _Credentials,
        "SELECT id, username, role, password_hash FROM users WHERE username = ?",
        (username_key(username),),
    )
    if row is None:
        # Spend the same time as a real check.
        store.hasher.hash(password or "")
        raise AuthError("auth.failed", "password")
    try:
        store.hasher.verify(row["password_hash"], password or "")
    except (VerificationError, InvalidHashError) as exc:
        raise AuthError("auth.failed", "password") from exc
    return Actor(row["id"], row["username"], row["role"])


def approve(store: Store, username: str | None, password: str) -> Actor:
    """A supervisor's re-entered password, for voids, refunds and cash differences."""
    if not username:
        raise AuthError("auth.approval_needed", "supervisor")
    approver = authenticate(store, username, password)
    if _RANK[approver.role] < _RANK["supervisor"]:
        raise AuthError("auth.not_supervisor", "supervisor", user=approver.username)
    return approver


def list_users(store: Store) -> list[UserSummary]:
    return store.all_as(
        UserSummary, "SELECT username, role, created_at FROM users ORDER BY username"
    )
