"""The fee catalog, governed: who may draft, approve and publish a catalog version.

An editor (catalog_editor, or an admin) drafts a version from the one published last, edits it
and submits it; an approver (catalog_approver, or an admin) who is NOT the person who drafted it
approves it or returns it with a reason; an approved draft is published by an approver with an
effective date (today or later in Vientiane, checked by reference.publish_data) as the next
version number. The command line's
`catalog publish FILE` names who drafted and who approved and goes through the same checks.
Every refusal is a Problem (its code names a message in the pages' words) and changes nothing.
Publishing itself is `reference.publish_data`, the one way a version reaches the counters.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, insert, select, update

from odsc_desk.shared.catalog_file import check_legal_basis, parse_catalog, read_catalog_file
from odsc_desk.shared.clock import local_date, stamp
from odsc_desk.shared.text import has_control, nfc
from sync.protocol import Problem
from sync.server import reference
from sync.server.db import accounts, catalog_drafts, catalogs

EDITORS = ("catalog_editor", "admin")
APPROVERS = ("catalog_approver", "admin")
REASON_MAX = 1000
# The fields of a service the pages compare and edit, in the catalog file's spelling.
SERVICE_FIELDS = (
    "ministry", "name_lo", "name_en", "fee", "days", "documents", "legal_basis_lo",
    "legal_basis_en",
)  # fmt: skip


@dataclass(frozen=True)
class Who:
    """The person acting: their account's name (kept on drafts and versions) and role."""

    name: str
    role: str


def _refuse(status: int, code: str, detail: str) -> Problem:
    return Problem(status, f"catalog.{code}", detail)


def _require(who: Who, roles: tuple[str, ...], doing: str) -> None:
    if who.role not in roles:
        raise _refuse(403, "role", f"{who.name} ({who.role}) may not {doing}")


def person(conn: Connection, name: str, roles: tuple[str, ...], doing: str) -> Who:
    """An active account named `name` whose role may do `doing` (for the command line)."""
    row = conn.execute(
        select(accounts.c.name, accounts.c.role).where(
            accounts.c.name == nfc(name), accounts.c.revoked_at.is_(None)
        )
    ).first()
    if row is None:
        raise _refuse(404, "account", f"no active account {name!r} (see: odsc-server user list)")
    who = Who(row.name, row.role)
    _require(who, roles, doing)
    return who


# -- reading ----------------------------------------------------------------------------------


def published(conn: Connection, version: int | None = None) -> dict[str, Any] | None:
    """A published version (the newest without `version`), its catalog object read."""
    query = select(catalogs).order_by(catalogs.c.version.desc())
    if version is not None:
        query = query.where(catalogs.c.version == version)
    row = conn.execute(query).first()
    if row is None:
        return None
    return {**row._mapping, "catalog": json.loads(row.catalog)}


def versions(conn: Connection) -> list[dict[str, Any]]:
    """Every published version, newest first, with who drafted and approved it."""
    query = select(
        catalogs.c.version,
        catalogs.c.label,
        catalogs.c.published_at,
        catalogs.c.effective_from,
        catalogs.c.drafted_by,
        catalogs.c.approved_by,
    ).order_by(catalogs.c.version.desc())
    return [dict(row._mapping) for row in conn.execute(query)]


def drafts(conn: Connection) -> list[dict[str, Any]]:
    """Every draft not yet published, newest first."""
    query = (
        select(catalog_drafts)
        .where(catalog_drafts.c.state != "published")
        .order_by(catalog_drafts.c.id.desc())
    )
    return [{**row._mapping, "catalog": json.loads(row.catalog)} for row in conn.execute(query)]


def draft(conn: Connection, draft_id: int) -> dict[str, Any]:
    row = conn.execute(select(catalog_drafts).where(catalog_drafts.c.id == draft_id)).first()
    if row is None:
        raise _refuse(404, "no_draft", f"no catalog draft {draft_id}")
    return {**row._mapping, "catalog": json.loads(row.catalog)}


def _newest(conn: Connection) -> int | None:
    row = conn.execute(select(catalogs.c.version).order_by(catalogs.c.version.desc())).first()
    return None if row is None else int(row.version)


def _numbered(data: dict[str, Any], version: int) -> dict[str, Any]:
    return {**data, "version": version}


# -- drafting ---------------------------------------------------------------------------------


def start(conn: Connection, who: Who, now: datetime) -> int:
    """A new draft: a copy of the version published last (without its number and date)."""
    _require(who, EDITORS, "draft a catalog")
    base = published(conn)
    if base is None:
        raise _refuse(409, "no_base", "no catalog is published yet: publish the first one")
    content = {k: v for k, v in base["catalog"].items() if k not in ("version", "effective_from")}
    made = conn.execute(
        insert(catalog_drafts).values(
            catalog=json.dumps(content, ensure_ascii=False),
            base_version=base["version"],
            state="draft",
            drafted_by=who.name,
            created_at=stamp(now),
            updated_at=stamp(now),
        )
    )
    key = made.inserted_primary_key
    assert key is not None  # an INSERT of one row always has one
    return int(key[0])


def _own_open(conn: Connection, who: Who, draft_id: int) -> dict[str, Any]:
    """A draft its drafter may still change: only theirs, and only before it is submitted."""
    _require(who, EDITORS, "edit a catalog draft")
    found = draft(conn, draft_id)
    if found["drafted_by"] != who.name:
        raise _refuse(403, "not_drafter", f"draft {draft_id} is {found['drafted_by']}'s to edit")
    if found["state"] not in ("draft", "returned"):
        raise _refuse(409, "state", f"draft {draft_id} is {found['state']}: it cannot change")
    return found


def check(conn: Connection, data: dict[str, Any]) -> None:
    """Refuse a catalog a counter would refuse (an OdscError in both languages), read as the
    version it would become."""
    numbered = _numbered(data, (_newest(conn) or 0) + 1)
    parse_catalog(numbered)
    check_legal_basis(numbered)  # the public pages show it: checked before anyone approves


def save(conn: Connection, who: Who, draft_id: int, data: dict[str, Any], now: datetime) -> None:
    """Replace a draft's catalog (checked as a counter would read it). A returned draft that is
    edited is a draft again."""
    _own_open(conn, who, draft_id)
    check(conn, data)
    content = {k: v for k, v in data.items() if k not in ("version", "effective_from")}
    conn.execute(
        update(catalog_drafts)
        .where(catalog_drafts.c.id == draft_id)
        .values(
            catalog=json.dumps(content, ensure_ascii=False), state="draft", updated_at=stamp(now)
        )
    )


def _move(conn: Connection, draft_id: int, was: str, **values: Any) -> None:
    """Change a draft's state only from the state it was read in: of two people deciding at
    once, the second is refused."""
    moved = conn.execute(
        update(catalog_drafts)
        .where(catalog_drafts.c.id == draft_id, catalog_drafts.c.state == was)
        .values(**values)
    )
    if moved.rowcount != 1:
        raise _refuse(409, "state", f"draft {draft_id} changed meanwhile: read it again")


def submit(conn: Connection, who: Who, draft_id: int, now: datetime) -> None:
    found = _own_open(conn, who, draft_id)
    check(conn, found["catalog"])
    _move(
        conn,
        draft_id,
        found["state"],
        state="submitted",
        submitted_at=stamp(now),
        decided_by=None,
        decided_at=None,
        reason=None,
    )


def _decidable(conn: Connection, who: Who, draft_id: int, doing: str) -> dict[str, Any]:
    _require(who, APPROVERS, doing)
    found = draft(conn, draft_id)
    if found["drafted_by"] == who.name:
        raise _refuse(403, "own_draft", f"{who.name} drafted draft {draft_id}: another must decide")
    if found["state"] != "submitted":
        raise _refuse(409, "state", f"draft {draft_id} is {found['state']}, not submitted")
    return found


def approve(conn: Connection, who: Who, draft_id: int, now: datetime) -> None:
    _decidable(conn, who, draft_id, "approve a catalog draft")
    _move(
        conn,
        draft_id,
        "submitted",
        state="approved",
        decided_by=who.name,
        decided_at=stamp(now),
    )


def clean_reason(text: str) -> str:
    reason = " ".join(nfc(text or "").split())
    if not reason or len(reason) > REASON_MAX or has_control(reason):
        raise _refuse(
            422, "reason_needed", f"a return needs a reason of 1 to {REASON_MAX} characters"
        )
    return reason


def send_back(conn: Connection, who: Who, draft_id: int, reason: str, now: datetime) -> None:
    """Return a submitted draft to its drafter with the reason."""
    _decidable(conn, who, draft_id, "return a catalog draft")
    _move(
        conn,
        draft_id,
        "submitted",
        state="returned",
        decided_by=who.name,
        decided_at=stamp(now),
        reason=clean_reason(reason),
    )


# -- publishing -------------------------------------------------------------------------------


def parse_day(text: str) -> date:
    try:
        day = date.fromisoformat(text)
        if day.isoformat() == text:
            return day
    except ValueError:
        pass
    raise _refuse(422, "effective_date", f"{text!r} is not a date written YYYY-MM-DD")


def publish(
    conn: Connection, who: Who, draft_id: int, effective: date, now: datetime
) -> dict[str, Any]:
    """Publish an approved draft as the next version, in effect from `effective`."""
    _require(who, APPROVERS, "publish a catalog")
    found = draft(conn, draft_id)
    if found["state"] != "approved":
        raise _refuse(409, "state", f"draft {draft_id} is {found['state']}, not approved")
    newest = _newest(conn)
    if newest != found["base_version"]:
        # The approver compared it with a version that is no longer the last one: publishing
        # it would quietly undo what was published since.
        raise _refuse(
            409,
            "base_moved",
            f"version {newest} was published after draft {draft_id} was made from"
            f" {found['base_version']}: start a new draft",
        )
    done = reference.publish_data(
        conn,
        _numbered(found["catalog"], (newest or 0) + 1),
        now,
        effective_from=effective,
        drafted_by=found["drafted_by"],
        approved_by=found["decided_by"],
    )
    _move(
        conn,
        draft_id,
        "approved",
        state="published",
        effective_from=effective.isoformat(),
        published_version=done["version"],
        published_at=stamp(now),
    )
    return done


def publish_file(
    conn: Connection,
    path: Path | str,
    drafted_by: str,
    approved_by: str,
    effective: date | None,
    now: datetime,
) -> dict[str, Any]:
    """The command line's `catalog publish FILE`: the same four eyes as the pages, named."""
    read_catalog_file(path)  # what is published first: a bad file is refused in its own words
    drafter = person(conn, drafted_by, EDITORS, "draft a catalog")
    approver = person(conn, approved_by, APPROVERS, "approve a catalog")
    if drafter.name == approver.name:
        raise _refuse(403, "own_draft", f"{drafter.name} cannot approve their own catalog")
    day = effective if effective is not None else local_date(now)
    return reference.publish(
        conn, path, now, effective_from=day, drafted_by=drafter.name, approved_by=approver.name
    )


# -- the difference a draft makes -------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    code: str
    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class Difference:
    added: list[dict[str, Any]]
    removed: list[dict[str, Any]]
    changed: list[Change]
    label: tuple[str, str] | None  # (old, new) when the label changed

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.label)


def _services(data: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    if data is None:
        return {}
    return {str(s.get("code", "")).upper(): s for s in data.get("services", [])}


def difference(old: dict[str, Any] | None, new: dict[str, Any]) -> Difference:
    """Services added, removed and changed (field by field) from `old` to `new`."""
    before, after = _services(old), _services(new)
    changed = [
        Change(code, name, before[code].get(name), after[code].get(name))
        for code in sorted(before.keys() & after.keys())
        for name in SERVICE_FIELDS
        if before[code].get(name) != after[code].get(name)
    ]
    old_label = (old or {}).get("label")
    return Difference(
        added=[after[code] for code in sorted(after.keys() - before.keys())],
        removed=[before[code] for code in sorted(before.keys() - after.keys())],
        changed=changed,
        label=None if old_label == new.get("label") else (str(old_label), str(new.get("label"))),
    )
