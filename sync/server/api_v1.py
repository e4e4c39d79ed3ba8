"""/api/v1: the centre's figures, statistics and records, as JSON, CSV or XLSX.

Every figure of `sync.server.figures.registry.FIGURES` at `/figures/{name}` for an area (the
nation, or one province, district or office; optionally one ministry's services) and a period,
with its breakdown `by`; statistics shaped after GovStack's Registration building block;
requests with their history and payments with their voids and refunds, a page at a time by
cursor. Who may read what is sync.server.api_scope's; every refusal is a problem+json body.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Response
from sqlalchemy import Connection

from odsc_desk.shared.clock import local_date
from odsc_desk.shared.request_history import STATUSES
from sync.protocol import PREFIX, Problem
from sync.server import exports, records, scopes, statistics, tables
from sync.server.api_models import (
    FigureAnswer,
    FigureListed,
    PaymentPage,
    RequestDetail,
    RequestPage,
    StatisticsEntry,
)
from sync.server.api_scope import (
    account_only,
    area_of,
    check_area,
    check_per_clerk,
    for_caller,
    record_area,
)
from sync.server.auth import UNAUTHORIZED, Caller, Device
from sync.server.context import Context, Ctx
from sync.server.db import reading, writing
from sync.server.figures.errors import bad_input
from sync.server.figures.overdue import MAX_LIMIT as OVERDUE_MAX
from sync.server.figures.overdue import overdue
from sync.server.figures.registry import FIGURES, Area, Figure, Period, parse_period
from sync.server.problems import documented
from sync.server.records import Query as RecordQuery
from sync.server.records import Shown
from sync.server.scopes import Account

router = APIRouter(prefix=PREFIX, tags=["figures and records"])

OVERDUE_PAGE = 50  # the overdue list's page unless `limit` says otherwise
RECORDS_PAGE = 100

_PERIODS = "2026, 2026-Q1, 2026-03, 2026-W09, 2026-03-05 or 2026-03-01..2026-03-31"
_AREA_ANSWERS = {
    **UNAUTHORIZED,
    403: "scope.denied",
    422: "figures.area, figures.period, request.invalid",
}


# -- what every request names: an area and a period -------------------------------------------


def _area(
    province: Annotated[
        str | None, Query(max_length=40, description="a province, e.g. LA-VT (ISO 3166-2:LA)")
    ] = None,
    district: Annotated[str | None, Query(max_length=40, description="a district's code")] = None,
    office: Annotated[
        str | None, Query(max_length=40, description="an office, e.g. VTE-SST")
    ] = None,
    ministry: Annotated[
        str | None, Query(max_length=40, description="only this ministry's services, e.g. MOIC")
    ] = None,
) -> Area:
    """At most one of province, district and office (none: the nation)."""
    return area_of(province, district, office, ministry)


def _period(
    period: Annotated[str, Query(max_length=40, description=_PERIODS)],
) -> Period:
    return parse_period(period)


AreaParam = Annotated[Area, Depends(_area)]
PeriodParam = Annotated[Period, Depends(_period)]
By = Annotated[
    str | None,
    Query(max_length=20, description="service, ministry, office, district, province, counter or"
          " clerk (one office only); what each figure offers is listed at /figures"),
]  # fmt: skip
Cursor = Annotated[str | None, Query(max_length=400, description="the `next` of the page before")]


# -- figures ------------------------------------------------------------------------------------


def _figure(name: str) -> Figure:
    found = FIGURES.get(name)
    if found is None:
        raise Problem(
            404, "figures.unknown", f"no figure {name[:40]!r}: the figures are {', '.join(FIGURES)}"
        )
    return found


def _answer(
    ctx: Context,
    who: Device | Account,
    figure: Figure,
    area: Area,
    period: Period,
    by: str | None,
    cursor: str | None,
    limit: int | None,
) -> dict[str, Any]:
    check_area(who, area)
    check_per_clerk(who, figure.needs_office_area(by))
    with reading(ctx.engine) as conn:
        if figure.name == "overdue":
            answer = overdue(
                conn,
                area,
                period,
                by,
                today=local_date(ctx.now()),
                after=cursor,
                limit=limit or OVERDUE_PAGE,
            )
        elif cursor is not None or limit is not None:
            raise bad_input("figures.cursor", "only the overdue figure is given a page at a time")
        else:
            answer = figure.function(conn, area, period, by)
    return for_caller(who, answer)


Limit = Annotated[
    int | None,
    Query(ge=1, le=OVERDUE_MAX, description=f"overdue only: a page (default {OVERDUE_PAGE})"),
]
_FIGURE_ANSWERS = {
    **_AREA_ANSWERS,
    403: "scope.denied, figures.clerk_scope",
    404: "figures.unknown",
    422: "figures.area, figures.period, figures.by, figures.ministry, figures.cursor, "
    "figures.limit, request.invalid",
}


@router.get(
    "/figures",
    response_model=list[FigureListed],
    summary="The figures, and the breakdowns each offers",
    responses=documented(UNAUTHORIZED),
)
def figures_endpoint(who: Caller) -> list[dict[str, Any]]:
    return [
        {
            "name": f.name,
            "summary": f.summary,
            "by": list(f.by),
            "clerk_by": list(f.clerk_by),
            "per_service": f.per_service,
        }
        for f in FIGURES.values()
    ]


_EXPORT_DOC = (
    "CSV holds one table (`table`: totals, rows, or one of the figure's lists such as"
    " overdue.items; default rows with a breakdown, else totals); XLSX holds every table, one"
    " a sheet, with an `about` sheet saying what was asked."
)


def _export(fmt: str) -> dict[str, Any]:
    return {
        "response_class": Response,
        "responses": {
            200: {"content": {exports.FORMATS[fmt]: {}}, "description": f"a {fmt.upper()} file"},
            **documented({**_FIGURE_ANSWERS, 422: _FIGURE_ANSWERS[422] + ", figures.table"}),
        },
    }


def _figure_file(
    fmt: str,
    ctx: Context,
    who: Device | Account,
    name: str,
    area: Area,
    period: Period,
    by: str | None,
    cursor: str | None,
    limit: int | None,
    table: str | None,
) -> Response:
    answer = _answer(ctx, who, _figure(name), area, period, by, cursor, limit)
    found = tables.figure_tables(answer)
    first = table or tables.default_table(answer)
    if first not in found:
        raise bad_input(
            "figures.table", f"{name} has no table {first[:40]!r}: it has {', '.join(found)}"
        )
    return exports.as_file(
        found, first, fmt, exports.name_for(name, area, period, by and f"by-{by}")
    )


TableParam = Annotated[str | None, Query(max_length=40, description="CSV only: the table it holds")]


@router.get(
    "/figures/{name}.csv", summary="A figure as CSV", description=_EXPORT_DOC, **_export("csv")
)
def figure_csv(
    name: str,
    who: Caller,
    ctx: Ctx,
    area: AreaParam,
    period: PeriodParam,
    by: By = None,
    cursor: Cursor = None,
    limit: Limit = None,
    table: TableParam = None,
) -> Response:
    return _figure_file("csv", ctx, who, name, area, period, by, cursor, limit, table)


@router.get(
    "/figures/{name}.xlsx", summary="A figure as XLSX", description=_EXPORT_DOC, **_export("xlsx")
)
def figure_xlsx(
    name: str,
    who: Caller,
    ctx: Ctx,
    area: AreaParam,
    period: PeriodParam,
    by: By = None,
    cursor: Cursor = None,
    limit: Limit = None,
) -> Response:
    return _figure_file("xlsx", ctx, who, name, area, period, by, cursor, limit, None)


@router.get(
    "/figures/{name}",
    response_model=FigureAnswer,
    summary="One figure for an area and a period, with the previous period beside it",
    description="Names: "
    + "; ".join(f"`{f.name}`: {f.summary}" for f in FIGURES.values())
    + ". A counter's token reads its own office's figures, none per clerk.",
    responses=documented(_FIGURE_ANSWERS),
)
def figure_endpoint(
    name: str,
    who: Caller,
    ctx: Ctx,
    area: AreaParam,
    period: PeriodParam,
    by: By = None,
    cursor: Cursor = None,
    limit: Limit = None,
) -> dict[str, Any]:
    return _answer(ctx, who, _figure(name), area, period, by, cursor, limit)


# -- statistics (GovStack Registration BB) -------------------------------------------------------


def _statistics_period(period: str | None, start: str | None, end: str | None) -> Period:
    if period is not None and (start is not None or end is not None):
        raise bad_input("figures.period", "give period, or startDate and endDate, not both")
    if period is not None:
        return parse_period(period)
    if start is None or end is None:
        raise bad_input("figures.period", "give period, or both startDate and endDate")
    return parse_period(f"{start}..{end}")


@router.get(
    "/statistics",
    response_model=list[StatisticsEntry],
    summary="Requests processed, approved, sent back and rejected (GovStack Registration BB)",
    description="After GovStack's Registration building block `GET /data/statistics/1.0`: "
    "`startDate`, `endDate`, `registrationName` (a service code), `operator` (a counter user,"
    " within one office) and `timeframe` as it names them, an entry per time frame with its "
    "`references`. Added: the area, `period` instead of the two dates, and collected and "
    "withdrawn beside GovStack's four counts.",
    responses=documented(
        {
            **_AREA_ANSWERS,
            403: "scope.denied, figures.clerk_scope",
            422: "figures.area, figures.period, statistics.timeframe, request.invalid",
        }
    ),
)
def statistics_endpoint(
    who: Caller,
    ctx: Ctx,
    area: AreaParam,
    start: Annotated[
        str | None, Query(alias="startDate", max_length=10, description="YYYY-MM-DD")
    ] = None,
    end: Annotated[
        str | None, Query(alias="endDate", max_length=10, description="YYYY-MM-DD (included)")
    ] = None,
    period: Annotated[str | None, Query(max_length=40, description=_PERIODS)] = None,
    service: Annotated[
        str | None,
        Query(alias="registrationName", max_length=64, description="a service, e.g. MOHA-BIRTH"),
    ] = None,
    operator: Annotated[
        str | None, Query(max_length=100, description="a counter user's id (one office only)")
    ] = None,
    timeframe: Annotated[
        statistics.Timeframe | None,
        Query(description="an entry per day, ISO week, month or year (default: one entry)"),
    ] = None,
) -> list[dict[str, Any]]:
    asked = _statistics_period(period, start, end)
    check_area(who, area)
    check_per_clerk(who, operator is not None)
    with reading(ctx.engine) as conn:
        return statistics.statistics(conn, area, asked, timeframe, service, operator)


# -- records --------------------------------------------------------------------------------


@contextmanager
def _reading(ctx: Context, logged: bool) -> Iterator[Connection]:
    """A read, in a writing transaction when it is logged: the log entry is kept exactly when
    the answer is given."""
    if logged:
        with writing(ctx.engine) as conn:
            yield conn
    else:
        with reading(ctx.engine) as conn:
            yield conn


def _log(
    ctx: Context, conn: Connection, account: Account, action: str, target: str, count: int
) -> None:
    if count:
        scopes.log_access(conn, account, action, target, count, ctx.now())


Status = Annotated[
    str | None,
    Query(
        pattern=f"^({'|'.join(STATUSES)})$",
        description="only requests whose status is now this: " + ", ".join(STATUSES),
    ),
]
Service = Annotated[str | None, Query(max_length=64, description="only this service's")]
RecordsLimit = Annotated[int, Query(ge=1, le=records.MAX_LIMIT, description="records a page")]
_RECORD_ANSWERS = {
    **_AREA_ANSWERS,
    422: "figures.area, figures.period, records.cursor, request.invalid",
}
_RECORD_EXPORT = {
    **_AREA_ANSWERS,
    422: "figures.area, figures.period, records.too_many, request.invalid",
}


def _target(area: Area, period: Period, status: str | None, service: str | None) -> str:
    parts = [str(area), period.label]
    parts += [f"status={status}"] if status else []
    parts += [f"service={service}"] if service else []
    return " ".join(parts)


def _too_many(page: records.Page, what: str) -> None:
    """An export holds the whole list or nothing."""
    if page.next is not None:
        raise Problem(
            422,
            "records.too_many",
            f"more than {records.EXPORT_MAX:,} {what}: ask a shorter period or a smaller area",
        )


def _request_page(
    ctx: Context,
    who: Device | Account,
    wanted: RecordQuery,
    cursor: str | None,
    limit: int | None,
    action: str,
) -> tuple[records.Page, Shown]:
    """A page of requests (None for `limit`: all of them, for an export, or records.too_many),
    its read of personal data logged in the same transaction; and what the caller is shown."""
    account = account_only(who)
    check_area(account, wanted.area)
    shown = Shown(scopes.sees_personal_data(account, wanted.area), wanted.area.is_office)
    with _reading(ctx, shown.personal) as conn:
        page = records.request_page(conn, wanted, shown, cursor, limit or records.EXPORT_MAX)
        if limit is None:
            _too_many(page, "requests")
        if shown.personal:
            target = _target(wanted.area, wanted.period, wanted.status, wanted.service)
            _log(ctx, conn, account, action, target, len(page.items))
    return page, shown


@router.get(
    "/records/requests",
    response_model=RequestPage,
    response_model_exclude_unset=True,
    summary="Requests recorded in a period, with their status history, a page at a time",
    description="In the order (office, business date, id). Names, phones, ID numbers and "
    "villages only for an office's own account or one granted personal data (each such read "
    "is logged); the counter users' ids only for one office's area.",
    responses=documented(_RECORD_ANSWERS),
)
def requests_endpoint(
    who: Caller,
    ctx: Ctx,
    area: AreaParam,
    period: PeriodParam,
    status: Status = None,
    service: Service = None,
    cursor: Cursor = None,
    limit: RecordsLimit = RECORDS_PAGE,
) -> dict[str, Any]:
    wanted = RecordQuery(area, period, status, service)
    page, _ = _request_page(ctx, who, wanted, cursor, limit, "records.requests")
    return {"items": page.items, "next": page.next}


def _records_file(
    fmt: str,
    ctx: Context,
    who: Device | Account,
    wanted: RecordQuery,
    what: str,
) -> Response:
    if what == "requests":
        action = f"records.requests.{fmt}"
        page, shown = _request_page(ctx, who, wanted, None, None, action)
        found = exports.request_tables(page.items, shown)
    else:
        page, shown = _payment_page(ctx, who, wanted, None, None)
        found = exports.payment_tables(page.items, shown)
    name = exports.name_for(what, wanted.area, wanted.period, wanted.status, wanted.service)
    return exports.as_file(found, what, fmt, name)


def _records_export(fmt: str) -> dict[str, Any]:
    return {
        "response_class": Response,
        "responses": {
            200: {"content": {exports.FORMATS[fmt]: {}}, "description": f"a {fmt.upper()} file"},
            **documented(_RECORD_EXPORT),
        },
    }


@router.get(
    "/records/requests.csv",
    summary="Requests recorded in a period, as CSV (history in one cell)",
    **_records_export("csv"),
)
def requests_csv(
    who: Caller,
    ctx: Ctx,
    area: AreaParam,
    period: PeriodParam,
    status: Status = None,
    service: Service = None,
) -> Response:
    return _records_file("csv", ctx, who, RecordQuery(area, period, status, service), "requests")


@router.get(
    "/records/requests.xlsx",
    summary="Requests recorded in a period, as XLSX (a sheet of their status events)",
    **_records_export("xlsx"),
)
def requests_xlsx(
    who: Caller,
    ctx: Ctx,
    area: AreaParam,
    period: PeriodParam,
    status: Status = None,
    service: Service = None,
) -> Response:
    return _records_file("xlsx", ctx, who, RecordQuery(area, period, status, service), "requests")


@router.get(
    "/records/requests/{tracking}",
    response_model=RequestDetail,
    response_model_exclude_unset=True,
    summary="One request by its tracking number: its history and its payments",
    responses=documented(
        {**UNAUTHORIZED, 403: "scope.denied", 404: "records.unknown", 422: "request.invalid"}
    ),
)
def request_endpoint(
    tracking: Annotated[str, Path(max_length=60, description="e.g. VTE-SST-1-261126-0001")],
    who: Caller,
    ctx: Ctx,
) -> dict[str, Any]:
    account = account_only(who)
    wanted = tracking.strip().upper()
    with reading(ctx.engine) as conn:
        row = records.find_request(conn, wanted)
        if row is None:
            raise Problem(404, "records.unknown", f"no request {wanted[:60]!r} is held here")
        area = record_area(conn, account, row.office, row.service_code)
    shown = Shown(scopes.sees_personal_data(account, area), True)
    with _reading(ctx, shown.personal) as conn:
        detail = records.request_detail(conn, row, shown)
        if shown.personal:
            _log(ctx, conn, account, "records.request", wanted, 1)
    return detail


def _payment_page(
    ctx: Context, who: Device | Account, wanted: RecordQuery, cursor: str | None, limit: int | None
) -> tuple[records.Page, Shown]:
    """A page of payments (None for `limit`: all of them, or records.too_many)."""
    account = account_only(who)
    check_area(account, wanted.area)
    shown = Shown(False, wanted.area.is_office)
    with reading(ctx.engine) as conn:
        page = records.payment_page(conn, wanted, shown, cursor, limit or records.EXPORT_MAX)
    if limit is None:
        _too_many(page, "payments")
    return page, shown


@router.get(
    "/records/payments",
    response_model=PaymentPage,
    response_model_exclude_unset=True,
    summary="Payments taken in a period, with their voids and refunds, a page at a time",
    description="In the order (office, business date, id). Payments hold no personal data; "
    "the counter users' ids only for one office's area.",
    responses=documented(_RECORD_ANSWERS),
)
def payments_endpoint(
    who: Caller,
    ctx: Ctx,
    area: AreaParam,
    period: PeriodParam,
    service: Service = None,
    cursor: Cursor = None,
    limit: RecordsLimit = RECORDS_PAGE,
) -> dict[str, Any]:
    page, _ = _payment_page(ctx, who, RecordQuery(area, period, None, service), cursor, limit)
    return {"items": page.items, "next": page.next}


@router.get("/records/payments.csv", summary="Payments as CSV", **_records_export("csv"))
def payments_csv(
    who: Caller, ctx: Ctx, area: AreaParam, period: PeriodParam, service: Service = None
) -> Response:
    return _records_file("csv", ctx, who, RecordQuery(area, period, None, service), "payments")


@router.get(
    "/records/payments.xlsx",
    summary="Payments as XLSX (sheets of their voids and refunds)",
    **_records_export("xlsx"),
)
def payments_xlsx(
    who: Caller, ctx: Ctx, area: AreaParam, period: PeriodParam, service: Service = None
) -> Response:
    return _records_file("xlsx", ctx, who, RecordQuery(area, period, None, service), "payments")
