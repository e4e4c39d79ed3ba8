"""What the centre reads: per office, per province, per business day. The HTTP report endpoints
and `odsc-server stats` call the same functions.

fee_total follows the counter's own day report (queries.daybook): gross (payments) − voided
payments' amounts − refunds, each counted on its own business date. Every figure is one grouped
query over the typed fact tables (indexed by office and date), never a scan of the raw ops.

Beside the figures, every report says how far they can be trusted: the office's counters' last
sync, their clocks (clock_skew), and the counters whose audit chain did not extend the head the
centre held (chain_flags). A day is answered only for a date a counter could have written.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from pydantic import BaseModel
from sqlalchemy import ColumnElement, Connection, Table, func, select, true

from sync import protocol
from sync.protocol import Problem
from sync.server import anchors, hierarchy, scopes
from sync.server.anchors import ChainFlag
from sync.server.auth import UNAUTHORIZED, Caller, Device
from sync.server.context import Ctx
from sync.server.db import devices, offices, payments, reading, refunds, requests, voids
from sync.server.enrollment import OFFICE_PATTERN
from sync.server.problems import documented
from sync.server.scopes import Account

# A clock more than this far off the server's is flagged (PROTOCOL_NOTES.md, "Clock skew").
SKEW_LIMIT = 600
# A province's ISO 3166-2 code (LA-VT), or a prefix of office codes (VTE), as released viewers
# ask for it (protocol v1).
PROVINCE_PATTERN = r"^([A-Z]{2,5}|LA-[A-Z]{2})$"
_COUNTS = ("requests", "payments", "voids", "refunds", "gross", "voided", "refunded")
_TOTALS = ("devices", "requests", "payments", "gross", "voided", "refunded", "fee_total")

Scope = Callable[[Table], ColumnElement[bool]]

# Amounts are summed in two parts, so that no SUM can pass 64 bits: SQLite stops a query with
# "integer overflow" where PostgreSQL would go on in numeric. A stored amount is within ±2**53
# (the protocol's integers), so each part is below 2**27 a row and 2**36 rows fit; Python adds
# the parts without limit. Integer division and % truncate alike on both databases, so
# high * _PART + low is the amount whatever its sign.
_PART = 2**26

# No counter wrote a business date before the system existed, and none is more than a year
# ahead of the centre's own date: a date outside is a typing slip (or `/days/0`, which a date
# parser reads as 1970-01-01), not a day to answer with zeros.
FIRST_DAY = date(2020, 1, 1)
_ISO_DAY = re.compile(r"\d{4}-\d\d-\d\d")


def _sum(column: ColumnElement[int]) -> tuple[ColumnElement[Any], ColumnElement[Any]]:
    return func.sum(column // _PART), func.sum(column % _PART)


def _total(high: int | None, low: int | None) -> int:
    return int(high or 0) * _PART + int(low or 0)


class ClockSkew(BaseModel):
    devices_flagged: int
    max_seconds: int


class Totals(BaseModel):
    devices: int
    requests: int
    payments: int
    gross: int
    voided: int
    refunded: int
    fee_total: int
    last_sync: str | None
    clock_skew: ClockSkew
    # Counters whose audit chain did not extend the head the centre held (sync/server/anchors.py)
    chain_flags: list[ChainFlag]


class OfficeReport(Totals):
    office: str


class ProvinceReport(Totals):
    province: str  # as asked: LA-VT, or the prefix VTE
    code: str  # ISO 3166-2
    name_en: str
    name_lo: str
    offices: list[str]


class DayReport(BaseModel):
    office: str
    date: str
    requests: int
    payments: int
    voids: int
    refunds: int
    gross: int
    voided: int
    refunded: int
    fee_total: int
    # The office's counters as they stand now, beside the day's figures: a day's figures are
    # only as complete as its counters' last sync.
    devices: int
    last_sync: str | None
    clock_skew: ClockSkew
    chain_flags: list[ChainFlag]


def last_day(today: date) -> date:
    """A year after `today`, the latest business date a report answers for."""
    try:
        return today.replace(year=today.year + 1)
    except ValueError:  # 29 February
        return today.replace(year=today.year + 1, day=28)


def check_day(day: date, today: date) -> date:
    """`day`, if a report may be asked for it; else a 422 `report.date`."""
    if not FIRST_DAY <= day <= last_day(today):
        raise Problem(
            422,
            "report.date",
            f"no report for {day.isoformat()}: dates run from {FIRST_DAY.isoformat()} "
            f"to {last_day(today).isoformat()}",
        )
    return day


def path_day(text: str, day: date, today: date) -> date:
    """`day` as FastAPI read it from the path's `text`, if a report may be asked for it.
    FastAPI takes more than YYYY-MM-DD for a date (`0` is 1970-01-01, as seconds since then);
    such a spelling names no business date a counter wrote."""
    if not _ISO_DAY.fullmatch(text):
        raise Problem(422, "report.date", f"write the date as YYYY-MM-DD, not {text[:40]!r}")
    return check_day(day, today)


def _figures(conn: Connection, scope: Scope, day: str | None = None) -> dict[str, dict[str, int]]:
    """Per office: how many requests, payments, voids and refunds, and their amounts."""

    def where(table: Table) -> ColumnElement[bool]:
        clause = scope(table)
        return clause if day is None else clause & (table.c.business_date == day)

    out: dict[str, dict[str, int]] = {}

    def add(office: str, **values: int) -> None:
        out.setdefault(office, dict.fromkeys(_COUNTS, 0)).update(values)

    for office, n in conn.execute(
        select(requests.c.office, func.count()).where(where(requests)).group_by(requests.c.office)
    ):
        add(office, requests=int(n))
    for office, n, high, low in conn.execute(
        select(payments.c.office, func.count(), *_sum(payments.c.amount))
        .where(where(payments))
        .group_by(payments.c.office)
    ):
        add(office, payments=int(n), gross=_total(high, low))
    # A payment counts once however many void rows name it, and only an office's own payments
    # can be voided in its figures.
    voided = select(voids.c.office, voids.c.payment_id).where(where(voids)).distinct().subquery()
    paid = (payments.c.id == voided.c.payment_id) & (payments.c.office == voided.c.office)
    for office, n, high, low in conn.execute(
        select(voided.c.office, func.count(), *_sum(payments.c.amount))
        .select_from(voided.join(payments, paid))
        .group_by(voided.c.office)
    ):
        add(office, voids=int(n), voided=_total(high, low))
    for office, n, high, low in conn.execute(
        select(refunds.c.office, func.count(), *_sum(refunds.c.amount))
        .where(where(refunds))
        .group_by(refunds.c.office)
    ):
        add(office, refunds=int(n), refunded=_total(high, low))
    return out


def _skew(offset: int | None, ahead: int | None) -> int:
    """How far off a device's clock is known to be, in seconds; 0 when within the limit."""
    worst = max(abs(offset or 0), ahead or 0)
    return worst if worst > SKEW_LIMIT else 0


def _reports(conn: Connection, scope: Scope) -> list[dict[str, Any]]:
    """One report per office with an enrolled device, in office order."""
    found: dict[str, dict[str, Any]] = {}
    rows = conn.execute(
        select(
            devices.c.office,
            devices.c.revoked_at,
            devices.c.last_sync,
            devices.c.clock_offset,
            devices.c.max_ahead,
        ).where(scope(devices))
    )
    for row in rows:
        office = found.setdefault(
            row.office,
            {"office": row.office, "devices": 0, "last_sync": None, "flagged": 0, "worst": 0},
        )
        office["devices"] += row.revoked_at is None
        if row.last_sync is not None:
            office["last_sync"] = max(office["last_sync"] or "", row.last_sync)
        skew = _skew(row.clock_offset, row.max_ahead)
        office["flagged"] += skew > 0
        office["worst"] = max(office["worst"], skew)
    figures = _figures(conn, scope)
    flagged: dict[str, list[dict[str, Any]]] = {}
    for flag in anchors.flags(conn, scope):
        flagged.setdefault(flag["office"], []).append(flag)
    out = []
    for name in sorted(found):
        office = found[name]
        f = figures.get(name, dict.fromkeys(_COUNTS, 0))
        out.append(
            {
                "office": name,
                "devices": office["devices"],
                "requests": f["requests"],
                "payments": f["payments"],
                "gross": f["gross"],
                "voided": f["voided"],
                "refunded": f["refunded"],
                "fee_total": f["gross"] - f["voided"] - f["refunded"],
                "last_sync": office["last_sync"],
                "clock_skew": {
                    "devices_flagged": office["flagged"],
                    "max_seconds": office["worst"],
                },
                "chain_flags": flagged.get(name, []),
            }
        )
    return out


def office_reports(conn: Connection, offices: list[str] | None = None) -> list[dict[str, Any]]:
    """Reports for every office with an enrolled device, or for those named."""
    if offices is None:
        return _reports(conn, lambda _table: true())
    return _reports(conn, lambda table: table.c.office.in_(offices))


def office_report(conn: Connection, office: str) -> dict[str, Any]:
    found = office_reports(conn, [office])
    if not found:
        raise Problem(404, "report.office_unknown", f"no counter of office {office} is enrolled")
    return found[0]


def province_report(conn: Connection, province: str) -> dict[str, Any]:
    """Totals of the offices registered in a province, named by its ISO code (LA-VT) or by a
    prefix its office codes use (VTE): the province as the hierarchy places its offices, not
    every code that starts with the prefix."""
    code = hierarchy.province_code(province)
    if code is None:
        raise Problem(404, "report.province_unknown", f"no province {province} is known")
    registered = select(offices.c.code).where(offices.c.province == code)
    found = _reports(conn, lambda table: table.c.office.in_(registered))
    syncs = [r["last_sync"] for r in found if r["last_sync"]]
    return {
        "province": province,
        **hierarchy.province_names(conn, code),
        "offices": [r["office"] for r in found],
        **{key: sum(r[key] for r in found) for key in _TOTALS},
        "last_sync": max(syncs) if syncs else None,
        "clock_skew": {
            "devices_flagged": sum(r["clock_skew"]["devices_flagged"] for r in found),
            "max_seconds": max((r["clock_skew"]["max_seconds"] for r in found), default=0),
        },
        "chain_flags": [flag for r in found for flag in r["chain_flags"]],
    }


def day_report(conn: Connection, office: str, day: date) -> dict[str, Any]:
    now = office_report(conn, office)  # an unknown office is a 404, not a day of zeros
    f = _figures(conn, lambda table: table.c.office == office, day.isoformat()).get(
        office, dict.fromkeys(_COUNTS, 0)
    )
    return {
        "office": office,
        "date": day.isoformat(),
        **f,
        "fee_total": f["gross"] - f["voided"] - f["refunded"],
        "devices": now["devices"],
        "last_sync": now["last_sync"],
        "clock_skew": now["clock_skew"],
        "chain_flags": now["chain_flags"],
    }


def _may_read(who: Device | Account, office: str) -> None:
    if isinstance(who, Device):
        if who.office != office:
            raise Problem(403, "report.other_office", "a counter may read only its own office")
    elif not scopes.reads_office(who, office):
        raise Problem(403, "report.out_of_scope", f"office {office} is outside this token's scope")


router = APIRouter(prefix=protocol.REPORTS, tags=["reports"])
Office = Annotated[str, Path(pattern=OFFICE_PATTERN, description="office code, e.g. VTE-SST")]
Province = Annotated[
    str, Path(pattern=PROVINCE_PATTERN, description="province code, e.g. LA-VT, or a prefix: VTE")
]
# A value that is no date at all is a `request.invalid`; one outside the bounds, or not spelt
# YYYY-MM-DD, a `report.date` (path_day).
Day = Annotated[
    date,
    Path(
        description=f"business date, YYYY-MM-DD, from {FIRST_DAY.isoformat()} to a year after "
        "the centre's today"
    ),
]


_OFFICE_ANSWERS = {
    **UNAUTHORIZED,
    403: "report.other_office, report.out_of_scope",
    404: "report.office_unknown",
    422: "request.invalid",
}


@router.get(
    "/offices",
    response_model=list[OfficeReport],
    summary="Every office's totals",
    responses=documented(UNAUTHORIZED),
)
def offices_endpoint(who: Caller, ctx: Ctx) -> list[dict[str, Any]]:
    """A counter's own office; an account's offices within its scope."""
    with reading(ctx.engine) as conn:
        if isinstance(who, Device):
            return office_reports(conn, [who.office])
        if who.reach.nation:
            return office_reports(conn)
        return office_reports(conn, sorted(who.reach.offices))


@router.get(
    "/offices/{office}",
    response_model=OfficeReport,
    summary="One office's totals",
    responses=documented(_OFFICE_ANSWERS),
)
def office_endpoint(office: Office, who: Caller, ctx: Ctx) -> dict[str, Any]:
    _may_read(who, office)
    with reading(ctx.engine) as conn:
        return office_report(conn, office)


@router.get(
    "/offices/{office}/days/{day}",
    response_model=DayReport,
    summary="One office's figures for one business date",
    responses=documented({**_OFFICE_ANSWERS, 422: "report.date, request.invalid"}),
)
def day_endpoint(
    office: Office, day: Day, who: Caller, ctx: Ctx, request: Request
) -> dict[str, Any]:
    _may_read(who, office)
    wanted = path_day(request.path_params["day"], day, ctx.now().date())
    with reading(ctx.engine) as conn:
        return day_report(conn, office, wanted)


@router.get(
    "/provinces/{prefix}",
    response_model=ProvinceReport,
    summary="Totals of a province's offices (LA-VT, or a prefix of its office codes: VTE)",
    responses=documented(
        {
            **UNAUTHORIZED,
            403: "report.viewer_only, report.out_of_scope",
            404: "report.province_unknown",
            422: "request.invalid",
        }
    ),
)
def province_endpoint(prefix: Province, who: Caller, ctx: Ctx) -> dict[str, Any]:
    if isinstance(who, Device):
        raise Problem(403, "report.viewer_only", "province totals need a viewer token")
    code = hierarchy.province_code(prefix)
    if code is not None and not scopes.reads_province(who, code):
        raise Problem(403, "report.out_of_scope", f"province {code} is outside this token's scope")
    with reading(ctx.engine) as conn:
        return province_report(conn, prefix)
