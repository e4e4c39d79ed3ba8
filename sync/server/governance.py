"""Reference data governed: who may draft, approve and publish a version of the fee catalog
(CATALOG, below) or of the national calendar (sync.server.calendars.CALENDAR).

An editor (catalog_editor, or an admin) drafts a version from the one published last, edits it
and submits it; an approver (catalog_approver, or an admin) who is NOT the person who drafted it
approves it or returns it with a reason; an approved draft is published by an approver with an
effective date (today or later in Vientiane, checked by reference.publish_data) as the next
version number. The command line's
`catalog publish FILE` names who drafted and who approved and goes through the same checks.
Every refusal is a Problem (its code names a message in the pages' words) and changes nothing.
Publishing itself is `reference.publish_data`, the one way a version reaches the counters (for
the calendar, `calendars.publish_data`, through the same rules of versions and dates).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Table, insert, select, update

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


@dataclass(frozen=True)
class Governed:
    """Reference data published under four eyes: the fee catalog (CATALOG) or the national
    calendar (sync.server.calendars.CALENDAR). The rules are the same for both; what differs
    is where the versions and drafts are kept, how a version is checked and published, and
    where a first draft starts when nothing is published yet."""

    noun: str  # "catalog": the prefix of every refusal's code (catalog.own_draft)
    table: Table  # the published versions
    drafts: Table  # the versions on their way
    column: str  # the column of both that holds the object
    check: Callable[[Any], Any]  # refuses (OdscError) an object a counter would refuse
    publish_data: Callable[..., dict[str, Any]]  # reference.publish_data's signature
    publish_path: Callable[..., dict[str, Any]]  # reference.publish's signature
    read_file: Callable[[Path | str], Any]  # refuses (OdscError) a missing or bad file
    first: Callable[[datetime], dict[str, Any]] | None = None  # a first draft; None: refused

    def refuse(self, status: int, code: str, detail: str) -> Problem:
        return Problem(status, f"{self.noun}.{code}", detail)

    def require(self, who: Who, roles: tuple[str, ...], doing: str) -> None:
        if who.role not in roles:
            raise self.refuse(403, "role", f"{who.name} ({who.role}) may not {doing}")

    def person(self, conn: Connection, name: str, roles: tuple[str, ...], doing: str) -> Who:
        """An active account named `name` whose role may do `doing` (for the command line)."""
        row = conn.execute(
            select(accounts.c.name, accounts.c.role).where(
                accounts.c.name == nfc(name), accounts.c.revoked_at.is_(None)
            )
        ).first()
        if row is None:
            raise self.refuse(
                404, "account", f"no active account {name!r} (see: odsc-server user list)"
            )
        who = Who(row.name, row.role)
        self.require(who, roles, doing)
        return who

    # -- reading ------------------------------------------------------------------------------

    def _read(self, row: Any) -> dict[str, Any]:
        return {**row._mapping, self.column: json.loads(row._mapping[self.column])}

    def published(self, conn: Connection, version: int | None = None) -> dict[str, Any] | None:
        """A published version (the newest without `version`), its object read."""
        query = select(self.table).order_by(self.table.c.version.desc())
        if version is not None:
            query = query.where(self.table.c.version == version)
        row = conn.execute(query).first()
        return None if row is None else self._read(row)

    def versions(self, conn: Connection) -> list[dict[str, Any]]:
        """Every published version, newest first, with who drafted and approved it."""
        c = self.table.c
        query = select(
            c.version, c.label, c.published_at, c.effective_from, c.drafted_by, c.approved_by
        ).order_by(c.version.desc())
        return [dict(row._mapping) for row in conn.execute(query)]

    def open_drafts(self, conn: Connection) -> list[dict[str, Any]]:
        """Every draft not yet published, newest first."""
        query = (
            select(self.drafts)
            .where(self.drafts.c.state != "published")
            .order_by(self.drafts.c.id.desc())
        )
        return [self._read(row) for row in conn.execute(query)]

    def draft(self, conn: Connection, draft_id: int) -> dict[str, Any]:
        row = conn.execute(select(self.drafts).where(self.drafts.c.id == draft_id)).first()
        if row is None:
            raise self.refuse(404, "no_draft", f"no {self.noun} draft {draft_id}")
        return self._read(row)

    def newest(self, conn: Connection) -> int | None:
        row = conn.execute(
            select(self.table.c.version).order_by(self.table.c.version.desc())
        ).first()
        return None if row is None else int(row.version)

    # -- drafting -----------------------------------------------------------------------------

    def start(self, conn: Connection, who: Who, now: datetime) -> int:
        """A new draft: a copy of the version published last (without its number and date),
        or the first draft `first` makes when nothing is published yet."""
        self.require(who, EDITORS, f"draft a {self.noun}")
        base = self.published(conn)
        if base is not None:
            content = _content(base[self.column])
        elif self.first is not None:
            content = self.first(now)
        else:
            raise self.refuse(
                409, "no_base", f"no {self.noun} is published yet: publish the first one"
            )
        made = conn.execute(
            insert(self.drafts).values(
                {
                    self.column: json.dumps(content, ensure_ascii=False),
                    "base_version": None if base is None else base["version"],
                    "state": "draft",
                    "drafted_by": who.name,
                    "created_at": stamp(now),
                    "updated_at": stamp(now),
                }
            )
        )
        key = made.inserted_primary_key
        assert key is not None  # an INSERT of one row always has one
        return int(key[0])

    def _own_open(self, conn: Connection, who: Who, draft_id: int) -> dict[str, Any]:
        """A draft its drafter may still change: only theirs, and only before it is
        submitted."""
        self.require(who, EDITORS, f"edit a {self.noun} draft")
        found = self.draft(conn, draft_id)
        if found["drafted_by"] != who.name:
            raise self.refuse(
                403, "not_drafter", f"draft {draft_id} is {found['drafted_by']}'s to edit"
            )
        if found["state"] not in ("draft", "returned"):
            raise self.refuse(
                409, "state", f"draft {draft_id} is {found['state']}: it cannot change"
            )
        return found

    def check_draft(self, conn: Connection, data: dict[str, Any]) -> None:
        """Refuse an object a counter would refuse (an OdscError in both languages), read as
        the version it would become."""
        self.check(_numbered(data, (self.newest(conn) or 0) + 1))

    def save(
        self, conn: Connection, who: Who, draft_id: int, data: dict[str, Any], now: datetime
    ) -> None:
        """Replace a draft's object (checked as a counter would read it). A returned draft
        that is edited is a draft again."""
        self._own_open(conn, who, draft_id)
        self.check_draft(conn, data)
        conn.execute(
            update(self.drafts)
            .where(self.drafts.c.id == draft_id)
            .values(
                {
                    self.column: json.dumps(_content(data), ensure_ascii=False),
                    "state": "draft",
                    "updated_at": stamp(now),
                }
            )
        )

    def _move(self, conn: Connection, draft_id: int, was: str, **values: Any) -> None:
        """Change a draft's state only from the state it was read in: of two people deciding
        at once, the second is refused."""
        moved = conn.execute(
            update(self.drafts)
            .where(self.drafts.c.id == draft_id, self.drafts.c.state == was)
            .values(**values)
        )
        if moved.rowcount != 1:
            raise self.refuse(409, "state", f"draft {draft_id} changed meanwhile: read it again")

    def submit(self, conn: Connection, who: Who, draft_id: int, now: datetime) -> None:
        found = self._own_open(conn, who, draft_id)
        self.check_draft(conn, found[self.column])
        self._move(
            conn,
            draft_id,
            found["state"],
            state="submitted",
            submitted_at=stamp(now),
            decided_by=None,
            decided_at=None,
            reason=None,
        )

    def _decidable(self, conn: Connection, who: Who, draft_id: int, doing: str) -> None:
        self.require(who, APPROVERS, doing)
        found = self.draft(conn, draft_id)
        if found["drafted_by"] == who.name:
            raise self.refuse(
                403, "own_draft", f"{who.name} drafted draft {draft_id}: another must decide"
            )
        if found["state"] != "submitted":
            raise self.refuse(409, "state", f"draft {draft_id} is {found['state']}, not submitted")

    def approve(self, conn: Connection, who: Who, draft_id: int, now: datetime) -> None:
        self._decidable(conn, who, draft_id, f"approve a {self.noun} draft")
        self._move(
            conn,
            draft_id,
            "submitted",
            state="approved",
            decided_by=who.name,
            decided_at=stamp(now),
        )

    def clean_reason(self, text: str) -> str:
        reason = " ".join(nfc(text or "").split())
        if not reason or len(reason) > REASON_MAX or has_control(reason):
            raise self.refuse(
                422, "reason_needed", f"a return needs a reason of 1 to {REASON_MAX} characters"
            )
        return reason

    def send_back(
        self, conn: Connection, who: Who, draft_id: int, reason: str, now: datetime
    ) -> None:
        """Return a submitted draft to its drafter with the reason."""
        self._decidable(conn, who, draft_id, f"return a {self.noun} draft")
        self._move(
            conn,
            draft_id,
            "submitted",
            state="returned",
            decided_by=who.name,
            decided_at=stamp(now),
            reason=self.clean_reason(reason),
        )

    # -- publishing ---------------------------------------------------------------------------

    def parse_day(self, text: str) -> date:
        try:
            day = date.fromisoformat(text)
            if day.isoformat() == text:
                return day
        except ValueError:
            pass
        raise self.refuse(422, "effective_date", f"{text!r} is not a date written YYYY-MM-DD")

    def publish(
        self, conn: Connection, who: Who, draft_id: int, effective: date, now: datetime
    ) -> dict[str, Any]:
        """Publish an approved draft as the next version, in effect from `effective`."""
        self.require(who, APPROVERS, f"publish a {self.noun}")
        found = self.draft(conn, draft_id)
        if found["state"] != "approved":
            raise self.refuse(409, "state", f"draft {draft_id} is {found['state']}, not approved")
        newest = self.newest(conn)
        if newest != found["base_version"]:
            # The approver compared it with a version that is no longer the last one:
            # publishing it would quietly undo what was published since.
            raise self.refuse(
                409,
                "base_moved",
                f"version {newest} was published after draft {draft_id} was made from"
                f" {found['base_version']}: start a new draft",
            )
        done = self.publish_data(
            conn,
            _numbered(found[self.column], (newest or 0) + 1),
            now,
            effective_from=effective,
            drafted_by=found["drafted_by"],
            approved_by=found["decided_by"],
        )
        self._move(
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
        self,
        conn: Connection,
        path: Path | str,
        drafted_by: str,
        approved_by: str,
        effective: date | None,
        now: datetime,
    ) -> dict[str, Any]:
        """The command line's `catalog publish FILE` (or `calendar publish FILE`): the same
        four eyes as the pages, named."""
        # What is published, first: a bad file is refused in its own words.
        self.read_file(path)
        drafter = self.person(conn, drafted_by, EDITORS, f"draft a {self.noun}")
        approver = self.person(conn, approved_by, APPROVERS, f"approve a {self.noun}")
        if drafter.name == approver.name:
            raise self.refuse(
                403, "own_draft", f"{drafter.name} cannot approve their own {self.noun}"
            )
        day = effective if effective is not None else local_date(now)
        return self.publish_path(
            conn, path, now, effective_from=day, drafted_by=drafter.name, approved_by=approver.name
        )


def _content(data: dict[str, Any]) -> dict[str, Any]:
    """An object as a draft keeps it: without its version number and day."""
    return {k: v for k, v in data.items() if k not in ("version", "effective_from")}


def _numbered(data: dict[str, Any], version: int) -> dict[str, Any]:
    return {**data, "version": version}


def _check_catalog(data: Any) -> None:
    """A catalog as a counter reads it, and its legal basis, which the public pages show:
    checked before anyone approves."""
    parse_catalog(data)
    check_legal_basis(data)


CATALOG = Governed(
    noun="catalog",
    table=catalogs,
    drafts=catalog_drafts,
    column="catalog",
    check=_check_catalog,
    publish_data=reference.publish_data,
    publish_path=reference.publish,
    read_file=read_catalog_file,
)
# The catalog's pages, command and tests call these by name.
person = CATALOG.person
published = CATALOG.published
versions = CATALOG.versions
drafts = CATALOG.open_drafts
draft = CATALOG.draft
start = CATALOG.start
check = CATALOG.check_draft
save = CATALOG.save
submit = CATALOG.submit
approve = CATALOG.approve
clean_reason = CATALOG.clean_reason
send_back = CATALOG.send_back
parse_day = CATALOG.parse_day
publish = CATALOG.publish
publish_file = CATALOG.publish_file


# -- the difference a draft makes -------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    code: str
    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class Codes:
    """The ministries (or documents) a draft adds, removes and names anew, by code."""

    added: list[dict[str, Any]]
    removed: list[dict[str, Any]]
    changed: list[Change]  # field: name_lo or name_en

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


@dataclass(frozen=True)
class Difference:
    added: list[dict[str, Any]]
    removed: list[dict[str, Any]]
    changed: list[Change]
    label: tuple[str, str] | None  # (old, new) when the label changed
    ministries: Codes
    documents: Codes

    @property
    def empty(self) -> bool:
        mine = self.added or self.removed or self.changed or self.label
        return not mine and self.ministries.empty and self.documents.empty


def _services(data: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    if data is None:
        return {}
    return {str(s.get("code", "")).upper(): s for s in data.get("services", [])}


def _codes(old: dict[str, Any] | None, new: dict[str, Any], key: str) -> Codes:
    """`key` ("ministries" or "documents") compared by code; unlike a service's, these codes
    are compared as written, as the catalog's reader matches them."""
    before = {str(m.get("code", "")): m for m in (old or {}).get(key, [])}
    after = {str(m.get("code", "")): m for m in new.get(key, [])}
    return Codes(
        added=[m for code, m in after.items() if code not in before],
        removed=[m for code, m in before.items() if code not in after],
        changed=[
            Change(code, name, before[code].get(name), m.get(name))
            for code, m in after.items()
            if code in before
            for name in ("name_lo", "name_en")
            if before[code].get(name) != m.get(name)
        ],
    )


def difference(old: dict[str, Any] | None, new: dict[str, Any]) -> Difference:
    """Services added, removed and changed (field by field) from `old` to `new`; and the
    ministries and documents added, removed and renamed."""
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
        ministries=_codes(old, new, "ministries"),
        documents=_codes(old, new, "documents"),
    )
