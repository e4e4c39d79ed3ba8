"""Overdue now: requests not yet ready (received, sent back, in process) whose promised date
has passed, oldest promised first, a page at a time.

Read from `requests` through its `requests_open` index (status, promised date, office): the
open requests are few beside the history, so no roll-up is needed. A period narrows the list to
the requests promised within it; the previous period's count is of those promised within that
one and still overdue today. Rows carry no personal data: a tracking number, not a name. A row
also carries the new date the office last gave the citizen (the new-date notice), if any: the
request stays overdue against its first promise, but whoever follows it up sees what was said.
"""

from __future__ import annotations

import base64
import binascii
import re
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, func, or_, select

from odsc_desk.shared.clock import local_date, system_clock
from sync.server import calendars
from sync.server.db import closures, requests, status_events
from sync.server.figures.area import Area, offices_clause, services_clause
from sync.server.figures.breakdown import Breakdown, Key, side_by_side
from sync.server.figures.errors import bad_input
from sync.server.figures.figure import Figure, answer
from sync.server.figures.periods import Period
from sync.server.figures.workdays import working_days_between

OPEN = ("received", "incomplete", "in_process")
MAX_LIMIT = 500
_CURSOR = re.compile(r"(\d{4}-\d\d-\d\d)\|(.+)", re.DOTALL)


def encode_cursor(promised_date: str, request_id: str) -> str:
    raw = f"{promised_date}|{request_id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[str, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, ValueError) as exc:
        raise bad_input("figures.cursor", "not a cursor this list gave") from exc
    found = _CURSOR.fullmatch(raw)
    if found is None:
        raise bad_input("figures.cursor", "not a cursor this list gave")
    return found[1], found[2]


def _open(conn: Connection, area: Area, period: Period, today: date) -> ColumnElement[bool]:
    """Requests promised within the period and before today, in the area, still open."""
    last = min(period.end, today - timedelta(days=1))
    return and_(
        requests.c.promised_date.between(period.start.isoformat(), last.isoformat()),
        offices_clause(area, requests.c.office),
        services_clause(area, requests.c.service_code, conn),
    )


def _counts(
    conn: Connection, where: ColumnElement[bool], breakdown: Breakdown
) -> dict[Key, dict[str, int]]:
    keys = breakdown.columns(requests)
    query = select(*keys, func.count()).where(requests.c.status.in_(OPEN), where)
    if keys:
        query = query.group_by(*keys)
    return breakdown.fold(
        (tuple(row[: len(keys)]), {"overdue": int(row[-1])})
        for row in conn.execute(query)
        if row[-1]
    )


def _page(
    conn: Connection, where: ColumnElement[bool], after: tuple[str, str] | None, limit: int
) -> list[Any]:
    """limit + 1 requests from `after` on, oldest promised first: one index range per open
    status, merged here, so the index gives each run in order."""
    c = requests.c
    # Ties on a promised date go by id in code-point order, as Python sorts them below: on
    # PostgreSQL whatever the database's collation.
    ident = c.id.collate("C") if conn.dialect.name == "postgresql" else c.id
    found: list[Any] = []
    for status in OPEN:
        query = select(
            c.id, c.tracking, c.office, c.counter, c.service_code, c.business_date,
            c.promised_date, c.status,
        ).where(c.status == status, where)  # fmt: skip
        if after is not None:
            query = query.where(
                or_(c.promised_date > after[0], and_(c.promised_date == after[0], ident > after[1]))
            )
        found.extend(conn.execute(query.order_by(c.promised_date, ident).limit(limit + 1)))
    found.sort(key=lambda r: (r.promised_date, r.id))
    return found[: limit + 1]


def _closures(conn: Connection, offices: set[str], since: str, today: date) -> dict[str, set[date]]:
    out: dict[str, set[date]] = {office: set() for office in offices}
    if not offices:
        return out
    for office, day in conn.execute(
        select(closures.c.office, closures.c.date).where(
            closures.c.office.in_(sorted(offices)),
            closures.c.date.between(since, today.isoformat()),
        )
    ):
        out[office].add(date.fromisoformat(day))
    return out


def _new_dates(conn: Connection, ids: list[str]) -> dict[str, str]:
    """The last new date each of these requests was given; none for those never given one."""
    s = status_events.c
    given: dict[str, str] = {}
    if ids:
        for request_id, day in conn.execute(
            select(s.request_id, s.new_date)
            .where(s.request_id.in_(ids), s.new_date.is_not(None))
            .order_by(s.request_id, s.seq)
        ):
            given[request_id] = day  # in seq order: the last one stays
    return given


def overdue(
    conn: Connection,
    area: Area,
    period: Period,
    by: str | None = None,
    *,
    today: date | None = None,
    after: str | None = None,
    limit: int = 50,
) -> dict[str, Any]:
    """The overdue figure; `after` is the `next` cursor of the page before, `today` the
    centre's local date (the system clock's when not given)."""
    FIGURE.check(area, by)
    if not 1 <= limit <= MAX_LIMIT:
        raise bad_input("figures.limit", f"a page holds 1 to {MAX_LIMIT} requests, not {limit}")
    today = today or local_date(system_clock())
    position = decode_cursor(after) if after is not None else None
    breakdown = Breakdown(conn, by)
    where = _open(conn, area, period, today)
    current = _counts(conn, where, breakdown)
    previous = _counts(conn, _open(conn, area, period.previous(), today), breakdown)
    page = _page(conn, where, position, limit)
    more = len(page) > limit
    page = page[:limit]
    shut = _closures(conn, {r.office for r in page}, page[0].promised_date if page else "", today)
    national = calendars.in_effect(conn, today)  # the days off counted as the counters do
    told = _new_dates(conn, [r.id for r in page])
    items = [
        {
            "tracking": r.tracking,
            "office": r.office,
            "counter": int(r.counter),
            "service": r.service_code,
            "received_on": r.business_date,
            "promised_date": r.promised_date,
            "status": r.status,
            "days_late": working_days_between(
                date.fromisoformat(r.promised_date), today, shut[r.office], national
            ),
            "new_date": told.get(r.id),
        }
        for r in page
    ]
    empty = {"overdue": 0}
    return answer(
        FIGURE,
        area,
        period,
        by,
        side_by_side(breakdown, current, previous, empty),
        {"overdue": sum(v["overdue"] for v in current.values()), "today": today.isoformat()},
        {"overdue": sum(v["overdue"] for v in previous.values())},
        overdue={
            "items": items,
            "next": encode_cursor(page[-1].promised_date, page[-1].id) if more else None,
        },
    )


FIGURE = Figure(
    name="overdue",
    function=overdue,
    summary="requests not ready whose promised date has passed, oldest promised first",
    by=("service", "ministry", "office", "district", "province", "counter"),
)
