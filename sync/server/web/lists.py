"""The overdue list and the counters, at any level the person's scope covers (`?area=` spells
the level as the overview's address does: `nation`, `province/LA-VT`, `counter/VTE-SST/2`).

Every number comes from the figures' own functions (figures/overdue.py, figures/operations.py),
as /api/v1 reads them. The overdue rows carry no personal data; a person the scope lets see it
(scopes.sees_personal_data) is shown each request's citizen's name and phone, read by
records.find_request, and that read is written to the access log in the same transaction, as
the API does. The exports are the API's files (sync/server/exports.py), cells neutralised there.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import Connection

from odsc_desk.shared.clock import local_date, parse_stamp
from sync.server import exports, records, scopes
from sync.server.context import Context, context
from sync.server.db import reading, writing
from sync.server.figures import catalog, fees, operations, overdue
from sync.server.figures.area import Area
from sync.server.figures.errors import FigureRefused
from sync.server.figures.periods import Period, parse_period
from sync.server.tables import table
from sync.server.web import pages, sessions
from sync.server.web.levels import Level, Registry, UnknownLevel, parse
from sync.server.web.overview import _is_silent as is_silent  # as the overview counts it
from sync.server.web.render import render

router = APIRouter(include_in_schema=False)

PAGE = 50  # overdue requests a page
_SERVICE_MAX = 64


def address(level: Level) -> str:
    """The level as `?area=` spells it."""
    return level.path.removeprefix("/area/")


@dataclass(frozen=True)
class Asked:
    session: sessions.Session
    registry: Registry
    level: Level


def _asked(request: Request, ctx: Context, per_service: bool = False) -> Asked | Response:
    """The person and the level asked for, or the answer refusing it (login, 404, 403). A
    level the person reads only through a ministry's services is refused (403) unless the page
    counts `per_service`: what is kept per counter or per drawer (syncs, cash) cannot be
    limited to one ministry, and a page not yet built for it must not guess."""
    found = pages._session(request, ctx)
    if found is None:
        return pages._to_login(request)
    with reading(ctx.engine) as conn:
        registry = Registry.read(conn)
    text = request.query_params.get("area", "").strip()
    if not text:
        level = pages._home(found.account)
        if level is None:
            return pages._refusal(request, 403, "no_place_scope")
    elif text == "nation":
        level = Level("nation")
    else:
        place, _, code = text.partition("/")
        try:
            level = parse(place, code, registry)
        except UnknownLevel:
            return pages._refusal(request, 404, "not_found", (text[:80], text[:80]))
    readable = pages.scoped(found.account, level)
    if readable is None or (readable.ministry is not None and not per_service):
        names = (level.name(registry, "lo"), level.name(registry, "en"))
        return pages._refusal(
            request, 403, "denied" if readable is None else "not_per_service", names
        )
    return Asked(found, registry, readable)


def _period(request: Request, today: date) -> tuple[Period | None, str]:
    text = request.query_params.get("period", "").strip()
    try:
        return (parse_period(text) if text else pages.this_month(today)), text
    except FigureRefused:
        return None, text


# -- overdue -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class OverdueList:
    items: list[dict[str, Any]]
    total: int
    next: str | None
    personal: bool


def _walk(
    conn: Connection, area: Area, period: Period, today: date, after: str | None, limit: int
) -> Iterator[dict[str, Any]]:
    """The figure's pages from `after` on, each with its `next`."""
    while True:
        answer = overdue.overdue(conn, area, period, today=today, after=after, limit=limit)
        yield answer["overdue"]
        after = answer["overdue"]["next"]
        if after is None:
            return


def _keep(level: Level, service: str | None, item: dict[str, Any]) -> bool:
    return (level.place != "counter" or item["counter"] == level.counter) and (
        service is None or item["service"] == service
    )


def _total(conn: Connection, level: Level, period: Period, today: date, service: str | None) -> int:
    """The overdue count of the level (a counter's row of its office's by counter), of one
    service's when asked."""
    area = level.area
    if level.place == "counter" and service is not None:
        return sum(
            _keep(level, service, item)
            for chunk in _walk(conn, area, period, today, None, overdue.MAX_LIMIT)
            for item in chunk["items"]
        )
    by = "counter" if level.place == "counter" else "service" if service else None
    answer = overdue.overdue(conn, area, period, by, today=today, limit=1)
    if by is None:
        return int(answer["totals"]["overdue"])
    for row in answer["rows"]:
        if (by == "service" and row["service"] == service) or (
            by == "counter" and (row["office"], row["counter"]) == (level.code, level.counter)
        ):
            return int(row["overdue"])
    return 0


def _rows(
    conn: Connection,
    level: Level,
    period: Period,
    today: date,
    service: str | None,
    after: str | None,
    wanted: int,
) -> tuple[list[dict[str, Any]], str | None]:
    """At least `wanted` rows of the level's (and service's) from `after` on, whole pages of
    the figure at a time (so its cursor goes on from the last), or all there are."""
    filtered = level.place == "counter" or service is not None
    limit = overdue.MAX_LIMIT if filtered else min(wanted, overdue.MAX_LIMIT)
    found: list[dict[str, Any]] = []
    following: str | None = None
    for chunk in _walk(conn, level.area, period, today, after, limit):
        found.extend(item for item in chunk["items"] if _keep(level, service, item))
        following = chunk["next"]
        if len(found) >= wanted:
            break
    return found, following


def _personal(conn: Connection, items: list[dict[str, Any]]) -> None:
    """Each row's citizen's name and phone, from the request behind its tracking number."""
    for item in items:
        row = records.find_request(conn, item["tracking"])
        item["citizen_name"] = None if row is None else row.citizen_name
        item["phone"] = None if row is None else row.phone


@contextmanager
def _reading(ctx: Context, logged: bool) -> Iterator[Connection]:
    if logged:
        with writing(ctx.engine) as conn:
            yield conn
    else:
        with reading(ctx.engine) as conn:
            yield conn


def _overdue_list(
    ctx: Context,
    asked: Asked,
    period: Period,
    service: str | None,
    after: str | None,
    wanted: int,
    action: str,
) -> OverdueList:
    account, level = asked.session.account, asked.level
    personal = scopes.sees_personal_data(account, level.area)
    today = local_date(ctx.now())
    with _reading(ctx, personal) as conn:
        items, following = _rows(conn, level, period, today, service, after, wanted)
        total = _total(conn, level, period, today, service)
        if personal and items:
            _personal(conn, items)
            target = f"{level.area} {period.label}" + (f" service={service}" if service else "")
            scopes.log_access(conn, account, action, target, len(items), ctx.now())
    return OverdueList(items, total, following, personal)


def _service(request: Request) -> str | None:
    text = request.query_params.get("service", "").strip()
    return text[:_SERVICE_MAX] or None


@router.get("/overdue")
def overdue_page(request: Request) -> Response:
    ctx = context(request)
    asked = _asked(request, ctx, per_service=True)
    if isinstance(asked, Response):
        return asked
    lang = pages._lang(request)
    period, text = _period(request, local_date(ctx.now()))
    service = _service(request)
    after = request.query_params.get("after") or None
    with reading(ctx.engine) as conn:
        services = catalog.services(conn)
        ministry = pages.ministry_names(conn, asked.level)
    seen = None
    bad_cursor = False
    if period is not None:
        try:
            seen = _overdue_list(ctx, asked, period, service, after, PAGE, "web.overdue")
        except FigureRefused:
            bad_cursor = True
    query = {
        "area": address(asked.level),
        **({"period": text} if text else {}),
        **({"service": service} if service else {}),
    }
    response = render(
        request,
        "overdue.html",
        lang,
        200 if seen is not None else 400,
        session=asked.session,
        registry=asked.registry,
        level=asked.level,
        area_text=address(asked.level),
        period=period,
        period_text=text or (period.label if period else ""),
        bad_period=period is None,
        bad_cursor=bad_cursor,
        service=service,
        services=sorted(
            (s for s in services.values() if asked.level.ministry in (None, s.ministry)),
            key=lambda s: s.code,
        ),
        ministry=ministry,
        service_names=services,
        seen=seen,
        first_link="/overdue?" + urlencode(query),
        next_link=(
            "/overdue?" + urlencode({**query, "after": seen.next}) if seen and seen.next else None
        ),
        csv_link="/overdue.csv?" + urlencode(query),
        xlsx_link="/overdue.xlsx?" + urlencode(query),
        received_day=_day,
        request_after=after,
    )
    return pages._remember_lang(request, response)


def _day(text: str | None) -> str:
    return "" if not text else date.fromisoformat(text[:10]).strftime("%d/%m/%Y")


_COLUMNS = [
    "tracking", "office", "counter", "service", "name_lo", "name_en", "received_on",
    "promised_date", "status", "days_late", "new_date",
]  # fmt: skip


def _overdue_file(request: Request, fmt: Literal["csv", "xlsx"]) -> Response:
    ctx = context(request)
    asked = _asked(request, ctx, per_service=True)
    if isinstance(asked, Response):
        return asked
    period, _ = _period(request, local_date(ctx.now()))
    if period is None:
        return pages._refusal(request, 404, "not_found", ("period", "period"))
    service = _service(request)
    found = _overdue_list(
        ctx, asked, period, service, None, records.EXPORT_MAX, f"web.overdue.{fmt}"
    )
    if found.next is not None:  # a file cut short would pass for the whole list
        most = f"{records.EXPORT_MAX:,}"
        return pages._refusal(request, 422, "too_many", (most, most))
    with reading(ctx.engine) as conn:
        services = catalog.services(conn)
    rows = [{**item, **catalog.names(services.get(item["service"]))} for item in found.items]
    columns = _COLUMNS + (["citizen_name", "phone"] if found.personal else [])
    name = exports.name_for("overdue", asked.level.area, period, service)
    return exports.as_file({"overdue": table("overdue", rows, columns)}, "overdue", fmt, name)


@router.get("/overdue.csv")
def overdue_csv(request: Request) -> Response:
    return _overdue_file(request, "csv")


@router.get("/overdue.xlsx")
def overdue_xlsx(request: Request) -> Response:
    return _overdue_file(request, "xlsx")


# -- counters ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CounterRow:
    office: str
    counter: int
    last_sync: str | None
    days_silent: int | None  # None: never synced
    silent: bool
    clock_skew: int
    chain_flagged: int
    parked: int
    catalog_version: int | None  # None: no request recorded yet


def _days_silent(last_sync: str | None, now: datetime) -> int | None:
    return None if last_sync is None else (now - parse_stamp(last_sync)).days


def running_versions(versions: dict[str, Any]) -> dict[tuple[str, int], int | None]:
    """The catalog version each counter runs, from the fees figure's `versions`: that of its
    device that synced last, when the counter's device was replaced."""
    newest: dict[tuple[str, int], dict[str, Any]] = {}
    for device in versions["counters"]:
        key = (device["office"], device["counter"])
        held = newest.get(key)
        if held is None or (device["last_sync"] or "") > (held["last_sync"] or ""):
            newest[key] = device
    return {key: device["catalog_version"] for key, device in newest.items()}


def counter_rows(
    conn: Connection, level: Level, period: Period, now: datetime, silent_days: int
) -> tuple[list[CounterRow], int | None]:
    """The operations figure by counter, for the level (a counter: its own row), each with
    the catalog version it runs; and the newest version published (the fees figure's)."""
    versions = fees.fees(conn, level.area, period)["versions"]
    running = running_versions(versions)
    out = []
    for r in operations.operations(conn, level.area, period, "counter")["rows"]:
        if level.place == "counter" and (r["office"], r["counter"]) != (level.code, level.counter):
            continue
        days = _days_silent(r["last_sync"], now)
        out.append(
            CounterRow(
                office=r["office"],
                counter=r["counter"],
                last_sync=r["last_sync"],
                days_silent=days,
                silent=is_silent(r["last_sync"], now, silent_days),
                clock_skew=r["max_clock_skew"],
                chain_flagged=r["chain_flagged"],
                parked=r["parked"],
                catalog_version=running.get((r["office"], r["counter"])),
            )
        )
    return out, versions["published"]


@router.get("/counters")
def counters_page(request: Request) -> Response:
    ctx = context(request)
    asked = _asked(request, ctx)
    if isinstance(asked, Response):
        return asked
    lang = pages._lang(request)
    now = ctx.now()
    silent_days = pages._silent_days(request.query_params.get("silent"))
    period = pages.this_month(local_date(now))
    with reading(ctx.engine) as conn:
        rows, published = counter_rows(conn, asked.level, period, now, silent_days)
    response = render(
        request,
        "counters.html",
        lang,
        200,
        session=asked.session,
        registry=asked.registry,
        level=asked.level,
        area_text=address(asked.level),
        silent_days=silent_days,
        rows=rows,
        published=published,
        silent_count=sum(r.silent for r in rows),
    )
    return pages._remember_lang(request, response)
