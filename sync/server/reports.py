"""What the centre reads: per office, per province, per business day. The HTTP report endpoints
and `odsc-server stats` call the same functions.

fee_total follows the counter's own day report: gross (payments) − voided payments' amounts −
refunds, each counted on its own business date. Every figure is one grouped, indexed query over
the typed fact tables, never a scan of the raw ops.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path
from pydantic import BaseModel
from sqlalchemy import ColumnElement, Connection, Table, func, select, true

from sync import protocol
from sync.server.auth import Caller, Device, Viewer
from sync.server.context import Ctx
from sync.server.db import devices, payments, refunds, requests, voids
from sync.server.enrollment import OFFICE_PATTERN
from sync.server.problems import Problem

# A clock more than this far off the server's is flagged (PROTOCOL_NOTES.md, "Clock skew").
SKEW_LIMIT = 600
PROVINCE_PATTERN = r"^[A-Z]{2,5}$"


class ClockSkew(BaseModel):
    devices_flagged: int
    max_seconds: int


class OfficeReport(BaseModel):
    office: str
    devices: int
    requests: int
    payments: int
    gross: int
    voided: int
    refunded: int
    fee_total: int
    last_sync: str | None
    clock_skew: ClockSkew


class ProvinceReport(OfficeReport):
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


def _where(table: Table, scope: ColumnElement[bool] | None, day: str | None) -> Any:
    clause = scope if scope is not None else true()
    if day is not None:
        clause = clause & (table.c.business_date == day)
    return clause


def _figures(conn: Connection, scope: Any, day: str | None = None) -> dict[str, dict[str, int]]:
    """Per office: requests, payments, voids, refunds and the three amounts."""

    def scoped(table: Table) -> Any:
        return _where(table, scope(table) if scope else None, day)

    out: dict[str, dict[str, int]] = {}

    def add(office: str, **values: int) -> None:
        figures = out.setdefault(
            office,
            dict.fromkeys(
                ("requests", "payments", "voids", "refunds", "gross", "voided", "refunded"), 0
            ),
        )
        figures.update({k: int(v or 0) for k, v in values.items()})

    for office, n in conn.execute(
        select(requests.c.office, func.count()).where(scoped(requests)).group_by(requests.c.office)
    ):
        add(office, requests=n)
    for office, n, amount in conn.execute(
        select(payments.c.office, func.count(), func.sum(payments.c.amount))
        .where(scoped(payments))
        .group_by(payments.c.office)
    ):
        add(office, payments=n, gross=amount)
    # A payment counts once however many void rows name it; only voids of the office's own
    # payments subtract from it.
    voided = select(voids.c.office, voids.c.payment_id).where(scoped(voids)).distinct().subquery()
    for office, n, amount in conn.execute(
        select(voided.c.office, func.count(), func.sum(payments.c.amount))
        .select_from(
            voided.join(
                payments,
                (payments.c.id == voided.c.payment_id) & (payments.c.office == voided.c.office),
            )
        )
        .group_by(voided.c.office)
    ):
        add(office, voids=n, voided=amount)
    for office, n, amount in conn.execute(
        select(refunds.c.office, func.count(), func.sum(refunds.c.amount))
        .where(scoped(refunds))
        .group_by(refunds.c.office)
    ):
        add(office, refunds=n, refunded=amount)
    return out


def _skew(offset: int | None, ahead: int | None) -> int:
    """How far off a device's clock is known to be, in seconds; 0 when within the limit."""
    worst = max(abs(offset or 0), ahead or 0)
    return worst if worst > SKEW_LIMIT else 0


def office_reports(conn: Connection, offices: Iterable[str] | None = None) -> list[dict[str, Any]]:
    """One report per office with an enrolled device, in office order (all, or those named)."""
    wanted = None if offices is None else sorted(set(offices))

    def scope(table: Table) -> Any:
        return table.c.office.in_(wanted) if wanted is not None else None

    return _reports(conn, scope if wanted is not None else None)


def _reports(conn: Connection, scope: Any) -> list[dict[str, Any]]:
    reports: dict[str, dict[str, Any]] = {}
    query = select(
        devices.c.office,
        devices.c.revoked_at,
        devices.c.last_sync,
        devices.c.clock_offset,
        devices.c.max_ahead,
    )
    if scope is not None:
        query = query.where(scope(devices))
    for row in conn.execute(query):
        report = reports.setdefault(
            row.office,
            {"office": row.office, "devices": 0, "last_sync": None, "flagged": 0, "worst": 0},
        )
        report["devices"] += row.revoked_at is None
        if row.last_sync is not None and (report["last_sync"] or "") < row.last_sync:
            report["last_sync"] = row.last_sync
        skew = _skew(row.clock_offset, row.max_ahead)
        report["flagged"] += skew > 0
        report["worst"] = max(report["worst"], skew)
    figures = _figures(conn, scope)
    out = []
    for office in sorted(reports):
        report = reports[office]
        f = figures.get(office) or _figures_zero()
        out.append(
            {
                "office": office,
                "devices": report["devices"],
                "requests": f["requests"],
                "payments": f["payments"],
                "gross": f["gross"],
                "voided": f["voided"],
                "refunded": f["refunded"],
                "fee_total": f["gross"] - f["voided"] - f["refunded"],
                "last_sync": report["last_sync"],
                "clock_skew": {
                    "devices_flagged": report["flagged"],
                    "max_seconds": report["worst"],
                },
            }
        )
    return out


def _figures_zero() -> dict[str, int]:
    return dict.fromkeys(
        ("requests", "payments", "voids", "refunds", "gross", "voided", "refunded"), 0
    )


def office_report(conn: Connection, office: str) -> dict[str, Any]:
    found = office_reports(conn, [office])
    if not found:
        raise Problem(404, "report.office_unknown", f"no counter of office {office} is enrolled")
    return found[0]


def province_report(conn: Connection, prefix: str) -> dict[str, Any]:
    """Totals of the offices whose code starts with `prefix-` (VTE-SST is in province VTE)."""
    found = _reports(conn, lambda table: table.c.office.like(f"{prefix}-%"))
    if not found:
        raise Problem(404, "report.province_unknown", f"no office of province {prefix} is enrolled")
    total: dict[str, Any] = {"office": prefix, "offices": [r["office"] for r in found]}
    for key in ("devices", "requests", "payments", "gross", "voided", "refunded", "fee_total"):
        total[key] = sum(r[key] for r in found)
    syncs = [r["last_sync"] for r in found if r["last_sync"]]
    total["last_sync"] = max(syncs) if syncs else None
    total["clock_skew"] = {
        "devices_flagged": sum(r["clock_skew"]["devices_flagged"] for r in found),
        "max_seconds": max(r["clock_skew"]["max_seconds"] for r in found),
    }
    return total


def day_report(conn: Connection, office: str, day: date) -> dict[str, Any]:
    office_report(conn, office)  # an unknown office is a 404, not a day of zeros
    f = (
        _figures(conn, lambda table: table.c.office == office, day.isoformat()).get(office)
        or _figures_zero()
    )
    return {
        "office": office,
        "date": day.isoformat(),
        **f,
        "fee_total": f["gross"] - f["voided"] - f["refunded"],
    }


def _may_read(who: Device | Viewer, office: str) -> None:
    if isinstance(who, Device) and who.office != office:
        raise Problem(403, "report.other_office", "a counter may read only its own office")


router = APIRouter(prefix=protocol.REPORTS, tags=["reports"])
Office = Annotated[str, Path(pattern=OFFICE_PATTERN, description="office code, e.g. VTE-SST")]
Province = Annotated[str, Path(pattern=PROVINCE_PATTERN, description="province code, e.g. VTE")]


@router.get("/offices", response_model=list[OfficeReport], summary="Every office's totals")
def offices_endpoint(who: Caller, ctx: Ctx) -> list[dict[str, Any]]:
    with ctx.engine.connect() as conn:
        return office_reports(conn, [who.office] if isinstance(who, Device) else None)


@router.get("/offices/{office}", response_model=OfficeReport, summary="One office's totals")
def office_endpoint(office: Office, who: Caller, ctx: Ctx) -> dict[str, Any]:
    _may_read(who, office)
    with ctx.engine.connect() as conn:
        return office_report(conn, office)


@router.get(
    "/offices/{office}/days/{day}",
    response_model=DayReport,
    summary="One office's figures for one business date",
)
def day_endpoint(office: Office, day: date, who: Caller, ctx: Ctx) -> dict[str, Any]:
    _may_read(who, office)
    with ctx.engine.connect() as conn:
        return day_report(conn, office, day)


@router.get(
    "/provinces/{prefix}",
    response_model=ProvinceReport,
    summary="Totals of a province's offices (codes starting with PREFIX-)",
)
def province_endpoint(prefix: Province, who: Caller, ctx: Ctx) -> dict[str, Any]:
    if isinstance(who, Device):
        raise Problem(403, "report.viewer_only", "province totals need a viewer token")
    with ctx.engine.connect() as conn:
        return province_report(conn, prefix)
