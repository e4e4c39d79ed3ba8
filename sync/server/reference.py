"""Reference data the centre publishes to every counter: the service catalog and its fees.

A catalog file is checked by the counter's own reader (`odsc_desk.domain.catalog`) before it is
published, so the centre can never hand out a catalog a counter would refuse. The snapshot's
sha256 is over its canonical JSON; counters send it back as If-None-Match and get a 304 when
nothing changed, or verify the new snapshot against it before swapping it in.

A version may take effect on a later day (`effective_from`, a Vientiane calendar day). Until
then it is held: a counter asking as protocol v1 always did gets the newest version in effect
today, so an old counter never charges a future fee early; a counter that asks with the header
`X-Reference-Upcoming: 1` also gets the held versions, to apply on their day even offline.
`publish_data` is the one way in, whether from the command line or the web pages (both check
who drafted and who approved first: sync.server.governance).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Header, Response
from sqlalchemy import Connection, Table, insert, or_, select

from odsc_desk.shared.canonical import canonical
from odsc_desk.shared.catalog_file import (
    Catalog,
    check_legal_basis,
    parse_catalog,
    read_catalog_file,
    snapshot_etag,
)
from odsc_desk.shared.clock import local_date, stamp
from sync import protocol
from sync.protocol import Problem
from sync.server import hub
from sync.server.auth import Caller
from sync.server.context import Context, Ctx
from sync.server.db import catalogs, reading


def _check_effective(
    conn: Connection, table: Table, effective: str | None, today: date, first_at_once: bool
) -> None:
    """A version's day must not be past, nor before the day of one published already: the
    version in effect on any day is then simply the newest one whose day has come."""
    if effective is None:
        return
    if effective < today.isoformat():
        raise Problem(
            409,
            "reference.effective_past",
            f"the effective date {effective} is before today ({today.isoformat()} in Vientiane)",
        )
    latest_day = conn.execute(
        select(table.c.effective_from)
        .where(table.c.effective_from.is_not(None))
        .order_by(table.c.effective_from.desc())
    ).first()
    if latest_day is not None and effective < latest_day.effective_from:
        raise Problem(
            409,
            "reference.effective_order",
            f"the effective date {effective} is before {latest_day.effective_from}, the date of"
            " a version already published",
        )
    if (
        first_at_once
        and conn.execute(select(table.c.version)).first() is None
        and effective > today.isoformat()
    ):
        raise Problem(
            409,
            "reference.effective_first",
            "the first catalog published takes effect at once: counters need one in effect",
        )


@dataclass(frozen=True)
class Kept:
    """Where one kind of reference data is published: its table, the column holding the
    object, and whether its first version must take effect at once (counters need a catalog
    in effect; without a calendar they keep the package's)."""

    noun: str
    table: Table
    column: str
    parse: Callable[[Any], Any]  # the counter's reader: .version, .label, .effective_from
    first_at_once: bool
    none_code: str  # the 404 when nothing is published


def _published_catalog(data: Any) -> Catalog:
    """A catalog as a counter reads it; its legal basis (the public pages show it, counters
    ignore it) is checked before it is kept."""
    parsed = parse_catalog(data)
    check_legal_basis(data)
    return parsed


CATALOGS = Kept(
    "catalog",
    catalogs,
    "catalog",
    _published_catalog,
    first_at_once=True,
    none_code="reference.none",
)


def store_version(
    conn: Connection,
    kept: Kept,
    data: Any,
    now: datetime,
    *,
    effective_from: date | None = None,
    drafted_by: str | None = None,
    approved_by: str | None = None,
) -> dict[str, Any]:
    """Publish an object (as its file holds it) as a new version of `kept`.

    `effective_from` overrides any date the object names. Raises an OdscError (from the
    counter's reader) for an object a counter would refuse, and a Problem for a version that is
    not newer than what is published or a day that is past or out of order. Publishing the very
    same version again changes nothing (`added` is False).
    """
    hub.check_publishing(conn, kept.noun)
    if effective_from is not None and isinstance(data, dict):
        data = {**data, "effective_from": effective_from.isoformat()}
    parsed = kept.parse(data)
    version, effective = parsed.version, parsed.effective_from
    text = canonical(data)
    sha = hashlib.sha256(text).hexdigest()
    done = {"version": version, "label": parsed.label, "sha256": sha, "effective_from": effective}
    table = kept.table
    same = conn.execute(select(table.c.sha256).where(table.c.version == version)).first()
    if same is not None:
        if same.sha256 == sha:
            return {**done, "added": False}
        raise Problem(
            409,
            "reference.version_clash",
            f"{kept.noun} version {version} is already published with other content;"
            f" give the new {kept.noun} a higher version",
        )
    latest = conn.execute(select(table.c.version).order_by(table.c.version.desc())).first()
    if latest is not None and version < latest.version:
        raise Problem(
            409,
            "reference.version_old",
            f"{kept.noun} version {version} is older than the published {latest.version}",
        )
    _check_effective(conn, table, effective, local_date(now), kept.first_at_once)
    governed = {"effective_from": effective, "drafted_by": drafted_by, "approved_by": approved_by}
    conn.execute(
        insert(table).values(
            {
                "version": version,
                "label": parsed.label,
                "sha256": sha,
                kept.column: text.decode(),
                "published_at": stamp(now),
                # Only the columns given: a database still at an older revision (as upgrade
                # tests build them) takes an ungoverned version as it always did.
                **{name: value for name, value in governed.items() if value is not None},
            }
        )
    )
    return {**done, "added": True}


def publish_data(
    conn: Connection,
    data: Any,
    now: datetime,
    *,
    effective_from: date | None = None,
    drafted_by: str | None = None,
    approved_by: str | None = None,
) -> dict[str, Any]:
    """Publish a catalog object (as a catalog file holds it) as a new version (see
    store_version)."""
    return store_version(
        conn,
        CATALOGS,
        data,
        now,
        effective_from=effective_from,
        drafted_by=drafted_by,
        approved_by=approved_by,
    )


def publish(
    conn: Connection,
    path: Path | str,
    now: datetime,
    *,
    effective_from: date | None = None,
    drafted_by: str | None = None,
    approved_by: str | None = None,
) -> dict[str, Any]:
    """Publish the catalog file at `path` (see publish_data)."""
    read_catalog_file(path)  # a missing or unreadable file says so in the reader's words
    # The file as read (the reader accepts a byte-order mark); counters import this object.
    data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    return publish_data(
        conn,
        data,
        now,
        effective_from=effective_from,
        drafted_by=drafted_by,
        approved_by=approved_by,
    )


def _matches(if_none_match: str | None, sha: str) -> bool:
    if not if_none_match:
        return False
    for tag in if_none_match.split(","):
        tag = tag.strip()
        if tag == "*" or tag.removeprefix("W/").strip('"') == sha:
            return True
    return False


def _entry(key: str, version: int, label: str, sha: str, content: str) -> str:
    """One version as the answer carries it. The stored canonical text goes out as it is: no
    parse and re-serialise per download."""
    head = json.dumps(
        {"version": version, "label": label, "sha256": sha},
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return f'{head[:-1]},"{key}":{content}}}'


router = APIRouter(tags=["reference"])


@router.get(
    protocol.REFERENCE,
    summary="The catalog in effect today (ETag / If-None-Match → 304), and held ones if asked",
    responses={
        200: {
            "description": "{version, label, sha256, catalog}; ETag is the sha256. With"
            " X-Reference-Upcoming: 1 also `upcoming`: [{version, label, sha256, catalog}]"
            " of versions taking effect on a later day, and the ETag covers them all"
        },
        304: {"description": "the counter already has this snapshot"},
        404: {"description": "no catalog has been published yet"},
    },
)
def reference_endpoint(
    _who: Caller,
    ctx: Ctx,
    if_none_match: Annotated[str | None, Header()] = None,
    x_reference_upcoming: Annotated[str | None, Header()] = None,
) -> Response:
    return answer(ctx, CATALOGS, if_none_match, x_reference_upcoming == "1")


def answer(ctx: Context, kept: Kept, if_none_match: str | None, upcoming: bool) -> Response:
    """The version in effect today (and, if asked, those held for a later day) as a snapshot
    whose ETag is over their sha256s; 304 when the counter has it; 404 `<noun>.none` when
    nothing is published (or, to one not asking for held versions, nothing is in effect)."""
    today = local_date(ctx.now()).isoformat()
    table = kept.table
    public = {protocol.PUBLIC_URL_HEADER: ctx.public_url} if ctx.public_url else {}
    with reading(ctx.engine) as conn:
        snapshot = _snapshot(conn, kept, today, upcoming)
        if snapshot is None:
            raise Problem(404, kept.none_code, f"no {kept.noun} has been published yet", public)
        wanted, tag = snapshot
        # The tag depends on the header: a cache between must keep the two answers apart.
        etag = {"ETag": f'"{tag}"', "Vary": "X-Reference-Upcoming", **public}
        if _matches(if_none_match, tag):
            return Response(status_code=304, headers=etag)
        rows = {
            row.version: _entry(kept.column, row.version, row.label, row.sha256, row.content)
            for row in conn.execute(
                select(
                    table.c.version,
                    table.c.label,
                    table.c.sha256,
                    table.c[kept.column].label("content"),
                ).where(table.c.version.in_(wanted))
            )
        }
    content = rows[wanted[0]]
    if upcoming:
        content = f'{content[:-1]},"upcoming":[{",".join(rows[v] for v in wanted[1:])}]}}'
    return Response(content, media_type="application/json", headers=etag)


def _snapshot(
    conn: Connection, kept: Kept, today: str, upcoming: bool
) -> tuple[list[int], str] | None:
    """The versions an answer on `today` carries (the one in effect first, then, if asked, those
    held for a later day) and its ETag; None when there is nothing to answer."""
    table = kept.table
    current = conn.execute(
        select(table.c.version, table.c.sha256)
        .where(or_(table.c.effective_from.is_(None), table.c.effective_from <= today))
        .order_by(table.c.version.desc())
    ).first()
    later = (
        conn.execute(
            select(table.c.version, table.c.sha256)
            .where(table.c.effective_from > today)
            .order_by(table.c.version)
        ).all()
        if upcoming
        else []
    )
    if current is None:
        # Only a calendar can be held with none in effect (a catalog's first version takes
        # effect at once): the first held one takes the answer's head, the counter files
        # each by its own day all the same.
        if not later:
            return None
        current, later = later[0], later[1:]
    versions = [current, *later]
    return [int(v.version) for v in versions], snapshot_etag([v.sha256 for v in versions])


def in_effect_version(conn: Connection, kept: Kept, today: str) -> int | None:
    """The version in effect on `today`, or None."""
    snapshot = _snapshot(conn, kept, today, upcoming=False)
    return None if snapshot is None else snapshot[0][0]


def held_etag(conn: Connection, kept: Kept, today: str) -> str | None:
    """The ETag this server would answer with `X-Reference-Upcoming: 1` (None: it holds
    nothing): an office's hub asks its centre with it, and is answered 304 while it holds what
    the centre publishes."""
    snapshot = _snapshot(conn, kept, today, upcoming=True)
    return None if snapshot is None else snapshot[1]


def mirror(conn: Connection, kept: Kept, entry: Any, now: datetime) -> bool:
    """Keep a version as another server answered it (an office's hub keeps its centre's):
    the same version, label, content and sha256. Checked as publishing checks it (the counter's
    reader takes it, its sha256 is over its content); False when it is held already. Raises
    ValueError for an entry that is not one, or that clashes with a version held."""
    if not isinstance(entry, dict) or not isinstance(entry.get(kept.column), dict):
        raise ValueError(f"a {kept.noun} entry is an object with {kept.column!r}")
    data = entry[kept.column]
    parsed = kept.parse(data)  # an OdscError for what a counter would refuse
    text = canonical(data)
    sha = hashlib.sha256(text).hexdigest()
    if (entry.get("version"), entry.get("label"), entry.get("sha256")) != (
        parsed.version,
        parsed.label,
        sha,
    ):
        raise ValueError(f"{kept.noun} version {entry.get('version')!r} does not match its content")
    table = kept.table
    same = conn.execute(select(table.c.sha256).where(table.c.version == parsed.version)).first()
    if same is not None:
        if same.sha256 != sha:
            raise ValueError(f"{kept.noun} version {parsed.version} is held with other content")
        return False
    conn.execute(
        insert(table).values(
            {
                "version": parsed.version,
                "label": parsed.label,
                "sha256": sha,
                kept.column: text.decode(),
                "published_at": stamp(now),
                "effective_from": parsed.effective_from,
            }
        )
    )
    return True
