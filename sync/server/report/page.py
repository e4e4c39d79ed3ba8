"""`GET /report.pdf?area=…&period=YYYY-MM`: the monthly report of a level the person's scope
covers, in one click from the overview.

Refused as every page refuses (lists._asked: the login page, 404 for an unknown area, 403 out of
scope), and with a 400 page in both languages for a period that is not one month, or for a
counter (the report is of an office and the levels above it). No period: the last whole month.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from odsc_desk.shared.clock import local_date
from sync.server import exports
from sync.server.context import context
from sync.server.db import reading
from sync.server.figures.errors import FigureRefused
from sync.server.figures.periods import Period, parse_period
from sync.server.report import monthly
from sync.server.web import lists, pages
from sync.server.web.i18n import tr
from sync.server.web.render import render

router = APIRouter(include_in_schema=False)


def _refused(request: Request, key: str, **values: str) -> Response:
    return render(
        request,
        "refused.html",
        pages._lang(request),
        400,
        title_lo=tr("lo", "report_refused"),
        title_en=tr("en", "report_refused"),
        message_lo=tr("lo", key, **values),
        message_en=tr("en", key, **values),
    )


def _month(text: str, fallback: Period) -> Period | None:
    if not text:
        return fallback
    try:
        period = parse_period(text)
    except FigureRefused:
        return None
    return period if period.kind == "month" else None


@router.get("/report.pdf")
def report_pdf(request: Request) -> Response:
    ctx = context(request)
    # Through a ministry's scope the report counts its services only (monthly.gather).
    asked = lists._asked(request, ctx, per_service=True)
    if isinstance(asked, Response):
        return asked
    now = ctx.now()
    today = local_date(now)
    text = request.query_params.get("period", "").strip()
    period = _month(text, pages.shortcuts(today)["last_month"])
    if period is None:
        return _refused(request, "report_bad_month", text=text[:40])
    if asked.level.place == "counter":
        return _refused(request, "report_counter")
    # ReportLab and the fonts load with the first report, not with every start of the server.
    from sync.server.report.pdf import monthly_pdf

    with reading(ctx.engine) as conn:
        report = monthly.gather(
            conn,
            asked.level,
            asked.registry,
            period,
            now=now,
            today=today,
            silent_days=pages._silent_days(request.query_params.get("silent")),
            made_by=asked.session.account.name,
        )
    name = exports.name_for("committee-report", asked.level.area, period)
    return Response(
        monthly_pdf(report),
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{name}.pdf"',
            "Cache-Control": "no-store",
        },
    )
