"""People and machines at the centre: accounts, their role and their scopes.

A person has a password, kept as an Argon2id hash (argon2-cffi's PasswordHasher, RFC 9106's
parameters); it signs in to the web pages. A machine has a token, shown once when it is made and
kept only as its sha256, like a device's. Each account has one role (ROLES) and one or more
scopes (sync.server.scopes.Grant). Names are unique, revoked accounts included, so that a name in
the access log always means one account; a revoked account stays listed, its token or password
refused from then on.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from argon2 import PasswordHasher, Type
from sqlalchemy import Connection, delete, insert, select, update

from odsc_desk.shared.clock import stamp
from odsc_desk.shared.passwords import common_passwords
from odsc_desk.shared.text import has_control, nfc
from sync.server import hierarchy
from sync.server.auth import new_token
from sync.server.db import (
    ROLES,
    access_log,
    account_scopes,
    accounts,
    catalogs,
    districts,
    offices,
    token_hash,
    web_sessions,
)
from sync.server.problems import Refused
from sync.server.scopes import NATION, Grant

NAME_MAX = 100  # accounts.name
PASSWORD_MIN = 10
PERSON, TOKEN = "person", "token"
VIEWER = "viewer"
SCOPE_SPELLING = "nation, province:LA-VT, district:CODE, ministry:MOIC or office:VTE-SST"

_hasher = PasswordHasher(type=Type.ID)


def clean_name(text: str) -> str:
    name = nfc(text)
    if not name or len(name) > NAME_MAX or has_control(name):
        raise Refused(f"an account's name must be 1 to {NAME_MAX} printable characters")
    if name.isdigit():
        raise Refused(f"an account's name cannot be only digits ({name!r} reads as an id)")
    return name


def clean_role(text: str) -> str:
    if text not in ROLES:
        raise Refused(f"no role {text!r}: choose one of {', '.join(ROLES)}")
    return text


def check_password(password: str, name: str) -> None:
    """At least PASSWORD_MIN characters, not only spaces, not one character repeated, not one
    of the common passwords the counter refuses too, and not the account's name (nor the name
    backwards), whatever the case and spacing."""
    if len(password) < PASSWORD_MIN:
        raise Refused(f"the password must have at least {PASSWORD_MIN} characters")
    if has_control(password):
        raise Refused("the password holds a control or invisible character")
    folded = "".join(nfc(password).casefold().split())
    if not folded:
        raise Refused("the password cannot be only spaces")
    if len(set(folded)) == 1:
        raise Refused("the password cannot be one character repeated")
    if nfc(password).lower() in common_passwords():  # folded as the counter folds it
        raise Refused("the password is one of the most common ones: choose another")
    own = "".join(name.casefold().split())
    if folded in (own, own[::-1]):
        raise Refused("the password cannot be the account's name")


def parse_grant(conn: Connection, text: str) -> Grant:
    """One --scope: a place or a ministry the centre knows."""
    value = text.strip()
    kind, _, code = value.partition(":")
    kind = kind.strip().lower()
    code = code.strip()
    if kind == NATION and not code:
        return Grant(NATION)
    if not code:
        raise Refused(f"not a scope: {value!r}; write {SCOPE_SPELLING}")
    if kind == "province":
        return Grant(kind, hierarchy.clean_province(code))
    if kind == "district":
        district = hierarchy.clean_district_code(code)
        found = conn.execute(select(districts.c.code).where(districts.c.code == district))
        if found.first() is None:
            raise Refused(f"no district {district} is registered (see: odsc-server district list)")
        return Grant(kind, district)
    if kind == "office":
        office = hierarchy.clean_office(code)
        known = conn.execute(select(offices.c.code).where(offices.c.code == office)).first()
        if known is None:
            raise Refused(f"no office {office} is registered (see: odsc-server office list)")
        return Grant(kind, office)
    if kind == "ministry":
        ministry = code.upper()
        if ministry not in _ministries(conn):
            raise Refused(
                f"no published catalog lists the ministry {ministry}"
                " (see: odsc-server catalog publish)"
            )
        return Grant(kind, ministry)
    raise Refused(f"not a scope: {value!r}; write {SCOPE_SPELLING}")


def _ministries(conn: Connection) -> set[str]:
    found: set[str] = set()
    for text in conn.execute(select(catalogs.c.catalog)).scalars():
        found |= {m["code"] for m in json.loads(text).get("ministries", [])}
    return found


def clean_grants(conn: Connection, texts: Sequence[str]) -> tuple[Grant, ...]:
    if not texts:
        raise Refused(f"give at least one --scope ({SCOPE_SPELLING})")
    grants = tuple(sorted({parse_grant(conn, text) for text in texts}))
    if Grant(NATION) in grants and len(grants) > 1:
        raise Refused("the nation covers every other scope: give --scope nation alone")
    return grants


def _insert(
    conn: Connection,
    name: str,
    kind: str,
    role: str,
    grants: tuple[Grant, ...],
    personal_data: bool,
    now: datetime,
    **secret: Any,
) -> dict[str, Any]:
    if conn.execute(select(accounts.c.id).where(accounts.c.name == name)).first() is not None:
        raise Refused(f"an account named {name!r} exists already (see: odsc-server user list)")
    made = stamp(now)
    account_id = conn.execute(
        insert(accounts)
        .values(
            name=name,
            kind=kind,
            role=role,
            personal_data=int(personal_data),
            created_at=made,
            **secret,
        )
        .returning(accounts.c.id)
    ).scalar_one()
    conn.execute(
        insert(account_scopes),
        [{"account_id": account_id, "kind": g.kind, "code": g.code} for g in grants],
    )
    return {
        "id": int(account_id),
        "name": name,
        "kind": kind,
        "role": role,
        "scopes": [str(g) for g in grants],
        "personal_data": personal_data,
        "created_at": made,
    }


def add_person(
    conn: Connection,
    name: str,
    role: str,
    scopes: Sequence[str],
    password: str,
    now: datetime,
    personal_data: bool = False,
) -> dict[str, Any]:
    """A person's account; its password hashed with Argon2id."""
    cleaned = clean_name(name)
    checked_role = clean_role(role)
    grants = clean_grants(conn, scopes)
    check_password(password, cleaned)
    return _insert(
        conn,
        cleaned,
        PERSON,
        checked_role,
        grants,
        personal_data,
        now,
        password_hash=_hasher.hash(password),
    )


def add_token(
    conn: Connection,
    name: str,
    role: str,
    scopes: Sequence[str],
    now: datetime,
    personal_data: bool = False,
) -> tuple[dict[str, Any], str]:
    """A machine's account and its token (returned once; only its sha256 is kept)."""
    cleaned = clean_name(name)
    checked_role = clean_role(role)
    grants = clean_grants(conn, scopes)
    token = new_token()
    made = _insert(
        conn,
        cleaned,
        TOKEN,
        checked_role,
        grants,
        personal_data,
        now,
        token_sha256=token_hash(token),
    )
    return made, token


def list_accounts(conn: Connection, viewer_tokens: bool = False) -> list[dict[str, Any]]:
    """Every account in the order made (or only the viewers' tokens), with its scopes."""
    query = select(
        accounts.c.id,
        accounts.c.name,
        accounts.c.kind,
        accounts.c.role,
        accounts.c.personal_data,
        accounts.c.created_at,
        accounts.c.revoked_at,
    ).order_by(accounts.c.id)
    if viewer_tokens:
        query = query.where(accounts.c.kind == TOKEN, accounts.c.role == VIEWER)
    scopes: dict[int, list[str]] = {}
    for row in conn.execute(
        select(account_scopes).order_by(account_scopes.c.kind, account_scopes.c.code)
    ):
        scopes.setdefault(row.account_id, []).append(str(Grant(row.kind, row.code)))
    return [
        {**r._mapping, "personal_data": bool(r.personal_data), "scopes": scopes.get(r.id, [])}
        for r in conn.execute(query)
    ]


def find(conn: Connection, wanted: str, viewer_tokens: bool = False) -> Any:
    """An account by its id (digits, as the lists show it) or its name."""
    is_id = wanted.isascii() and wanted.isdigit() and len(wanted) <= 9
    query = select(accounts.c.id, accounts.c.name, accounts.c.revoked_at).where(
        accounts.c.id == int(wanted) if is_id else accounts.c.name == wanted
    )
    if viewer_tokens:
        query = query.where(accounts.c.kind == TOKEN, accounts.c.role == VIEWER)
    return conn.execute(query).first()


def revoke(
    conn: Connection, wanted: str, now: datetime, viewer_tokens: bool = False
) -> dict[str, Any]:
    """Revoke an account; revoking one already revoked keeps the first moment. Refused for an
    account that is not there (or, with viewer_tokens, not a viewer's token)."""
    name = " ".join(wanted.split())
    found = find(conn, name, viewer_tokens) if name else None
    if found is None:
        what, listing = ("viewer", "viewer list") if viewer_tokens else ("account", "user list")
        raise Refused(f"no {what} {name!r} (see: odsc-server {listing})")
    revoked_at = found.revoked_at
    if revoked_at is None:
        revoked_at = stamp(now)
        conn.execute(
            update(accounts).where(accounts.c.id == found.id).values(revoked_at=revoked_at)
        )
    return {
        "id": int(found.id),
        "name": found.name,
        "revoked_at": revoked_at,
        "already": found.revoked_at is not None,
    }


def person(conn: Connection, wanted: str) -> Any:
    """A person's live account by its id or name: refused for a machine's token, a revoked
    account and one that is not there."""
    name = " ".join(wanted.split())
    found = find(conn, name) if name else None
    if found is None:
        raise Refused(f"no account {name!r} (see: odsc-server user list)")
    if found.revoked_at is not None:
        raise Refused(f"account {found.name!r} is revoked: make a new one")
    kind = conn.execute(select(accounts.c.kind).where(accounts.c.id == found.id)).scalar_one()
    if kind != PERSON:
        raise Refused(f"account {found.name!r} is a machine's token: it has no password")
    return found


def set_password(
    conn: Connection, wanted: str, password: str, keep_session: bytes | None = None
) -> dict[str, Any]:
    """A person's new password (the same rules as a first one), and every session of theirs
    ended but `keep_session` (the one that changed it, on the web page): a session someone else
    held with the old password stops at their next page. Nothing changes when it is refused."""
    found = person(conn, wanted)
    check_password(password, found.name)
    new_hash = _hasher.hash(password)
    conn.execute(update(accounts).where(accounts.c.id == found.id).values(password_hash=new_hash))
    ended = delete(web_sessions).where(web_sessions.c.account_id == found.id)
    if keep_session is not None:
        ended = ended.where(web_sessions.c.id_sha256 != keep_session)
    return {"id": int(found.id), "name": found.name, "sessions_ended": conn.execute(ended).rowcount}


def read_access_log(
    conn: Connection, account_id: int | None, before: int | None, limit: int
) -> list[dict[str, Any]]:
    """The access log newest first (by id: the order the reads were written), each row with its
    account's name; only one account's reads when `account_id` is given, and only rows older
    than the row `before` (a page's cursor) when it is."""
    query = (
        select(
            access_log.c.id,
            access_log.c.at,
            access_log.c.account_id,
            accounts.c.name.label("account"),
            access_log.c.action,
            access_log.c.target,
            access_log.c.records,
        )
        .join(accounts, accounts.c.id == access_log.c.account_id)
        .order_by(access_log.c.id.desc())
        .limit(limit)
    )
    if account_id is not None:
        query = query.where(access_log.c.account_id == account_id)
    if before is not None:
        query = query.where(access_log.c.id < before)
    return [dict(r._mapping) for r in conn.execute(query)]
