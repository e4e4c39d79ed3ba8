"""The national calendar of Lao public holidays and closures, as the centre publishes it.

Governed as the fee catalog is (sync.server.governance: an editor drafts, another person
approves, an approver publishes with an effective date) and delivered as it is
(reference.answer: the version in effect today, the held ones with `X-Reference-Upcoming: 1`,
an ETag over their sha256s). A calendar is checked by the counter's own reader
(odsc_desk.shared.calendar_file) before it is published. When nothing is published the first
draft starts from the `holidays` package's days of this year and the next, with their Lao and
English names: the package stays the calendar of every year no version covers.

The centre's own figures count working days by the version in effect today (`in_effect`).
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Header, Response
from sqlalchemy import Connection, bindparam, select

from odsc_desk.shared.calendar_file import (
    FIRST_YEAR,
    LAST_YEAR,
    Calendar,
    parse_calendar,
    read_calendar_file,
)
from odsc_desk.shared.clock import local_date
from odsc_desk.shared.national_days import package_days
from sync import protocol
from sync.server import governance, reference
from sync.server.auth import Caller
from sync.server.context import Ctx
from sync.server.db import calendar_drafts, calendars, kept

CALENDARS = reference.Kept(
    "calendar",
    calendars,
    "calendar",
    parse_calendar,
    first_at_once=False,
    none_code="calendar.none",
)


def publish_data(
    conn: Connection,
    data: Any,
    now: datetime,
    *,
    effective_from: date | None = None,
    drafted_by: str | None = None,
    approved_by: str | None = None,
) -> dict[str, Any]:
    """Publish a calendar object (as a calendar file holds it) as a new version: the rules of
    reference.store_version (a newer version, a day not past nor before one published)."""
    return reference.store_version(
        conn,
        CALENDARS,
        data,
        now,
        effective_from=effective_from,
        drafted_by=drafted_by,
        approved_by=approved_by,
    )


def publish(conn: Connection, path: Path | str, now: datetime, **named: Any) -> dict[str, Any]:
    """Publish the calendar file at `path` (see publish_data)."""
    _, data = read_calendar_file(path)
    return publish_data(conn, data, now, **named)


def first_draft(now: datetime) -> dict[str, Any]:
    """What a first draft holds: the package's holidays of this year and the next."""
    year = local_date(now).year
    years = [year, year + 1]
    return {
        # A label both the Lao and the English pages can show.
        "label": f"ວັນພັກລັດຖະການ {year}-{year + 1} · Lao public holidays {year}-{year + 1}",
        "years": years,
        "days": package_days(years),
    }


CALENDAR = governance.Governed(
    noun="calendar",
    table=calendars,
    drafts=calendar_drafts,
    column="calendar",
    check=parse_calendar,
    publish_data=publish_data,
    publish_path=publish,
    read_file=read_calendar_file,
    first=first_draft,
)


# -- the version in effect, for the centre's figures ------------------------------------------


# Each version's calendar, by its sha256: a version's content never changes under its number
# (reference.store_version refuses other content under a number used), and keying by content
# keeps two databases of one process apart.
_PARSED: dict[str, Calendar] = {}


class Published:
    """The published versions' effective days, read once: a push asks for the calendar of every
    ready day it meets, and each version's content is read and parsed once a process."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        # Newest first: the first in effect on a day is the one of that day.
        self.versions = conn.execute(_versions(conn.dialect.name)).all()

    def on(self, day: date) -> Calendar | None:
        """The calendar in effect on `day`, or None when none is: the package's days then."""
        text = day.isoformat()
        for row in self.versions:
            if row.effective_from is None or row.effective_from <= text:
                return self._calendar(row.version, row.sha256)
        return None

    def _calendar(self, version: int, sha256: str) -> Calendar:
        if sha256 not in _PARSED:
            statement = _content(self.conn.dialect.name)
            content = self.conn.execute(statement, {"version": version}).scalar_one()
            _PARSED[sha256] = parse_calendar(json.loads(content))
        return _PARSED[sha256]


def in_effect(conn: Connection, today: date) -> Calendar | None:
    """The calendar in effect on `today`, or None when none is published: the package's days
    then."""
    return Published(conn).on(today)


@kept
def _versions(dialect: str) -> Any:
    c = calendars.c
    return select(c.version, c.effective_from, c.sha256).order_by(c.version.desc())


@kept
def _content(dialect: str) -> Any:
    return select(calendars.c.calendar).where(calendars.c.version == bindparam("version"))


# -- the difference a draft makes -------------------------------------------------------------


def package_calendar(data: dict[str, Any]) -> dict[str, Any]:
    """The package's days of the years `data` names (those that are years): what a first
    draft is compared with, as nothing is published to compare it with."""
    years = data.get("years")
    named = (
        [y for y in years if isinstance(y, int) and FIRST_YEAR <= y <= LAST_YEAR]
        if isinstance(years, list)
        else []
    )
    return {"days": package_days(sorted(set(named)))}


def _days(data: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    if data is None:
        return {}
    return {str(d.get("date")): d for d in data.get("days", []) if isinstance(d, dict)}


def difference(
    old: dict[str, Any] | None, new: dict[str, Any]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[tuple[dict[str, Any], dict[str, Any]]]]:
    """Days added, removed and changed (kind or names) from `old` to `new`, in date order."""
    before, after = _days(old), _days(new)
    return (
        [after[d] for d in sorted(after.keys() - before.keys())],
        [before[d] for d in sorted(before.keys() - after.keys())],
        [
            (before[d], after[d])
            for d in sorted(before.keys() & after.keys())
            if before[d] != after[d]
        ],
    )


router = APIRouter(tags=["reference"])


@router.get(
    protocol.CALENDAR,
    summary="The national calendar in effect today (ETag / If-None-Match → 304), and held ones"
    " if asked",
    responses={
        200: {
            "description": "{version, label, sha256, calendar}; ETag is the sha256. With"
            " X-Reference-Upcoming: 1 also `upcoming`: [{version, label, sha256, calendar}]"
            " of versions taking effect on a later day, and the ETag covers them all"
        },
        304: {"description": "the counter already has this snapshot"},
        404: {"description": "no calendar has been published yet: keep the package's"},
    },
)
def calendar_endpoint(
    _who: Caller,
    ctx: Ctx,
    if_none_match: Annotated[str | None, Header()] = None,
    x_reference_upcoming: Annotated[str | None, Header()] = None,
) -> Response:
    return reference.answer(ctx, CALENDARS, if_none_match, x_reference_upcoming == "1")
