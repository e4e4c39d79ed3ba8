"""The supervisor's daily summary on A4: the day's money exactly as `daybook.day_totals` has it,
plus who worked, overdue requests, feedback, and two charts.

Every money figure printed comes straight from `day_totals` (the same function behind
`odsc day` and the cash close), so the paper and the drawer can never disagree.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from odsc_desk.api import Actor, Office, Store, daybook, reports, service_requests, settings, users
from odsc_desk.shared.clock import local_date
from odsc_desk.shared.money import format_kip
from receipts import charts, layout, output
from receipts.labels import both, day_text, en, lo, moment_text
from receipts.lines import Style, draw
from receipts.receipt import GREY, LOOKS, header

PAGE = layout.A4
LOOK = LOOKS["a4"]


@dataclass(frozen=True)
class SummaryData:
    office: Office
    day: date
    totals: daybook.DayTotals  # untouched
    activity: reports.DayActivity
    overdue: list[service_requests.RequestRow]
    grouping: str
    unit: str

    def kip(self, amount: int) -> str:
        return format_kip(amount, self.grouping, self.unit)


def load(store: Store, day: date) -> SummaryData:
    return SummaryData(
        office=store.office,
        day=day,
        totals=daybook.day_totals(store, day),
        activity=reports.day_activity(store, day),
        overdue=service_requests.overdue(store, day),
        grouping=str(settings.get(store, "money_grouping")),
        unit=str(settings.get(store, "money_unit")),
    )


def _heading(flow: layout.Flow, key: str) -> None:
    flow.space(5)
    flow.text(both(key), Style(LOOK.body + 1, bold=True), keep=True)


def _group_table(
    flow: layout.Flow,
    data: SummaryData,
    groups: Sequence[Mapping[str, Any]],
    key: str,
    named: bool,
) -> None:
    body = Style(LOOK.label + 0.5)
    room = flow.width
    if named:
        columns = [
            layout.Column(room * 0.2),
            layout.Column(room * 0.5),
            layout.Column(room * 0.1, "right"),
            layout.Column(room * 0.2, "right"),
        ]
        header = [both("code"), both("name"), both("count"), both("fees")]
    else:
        columns = [
            layout.Column(room * 0.7),
            layout.Column(room * 0.1, "right"),
            layout.Column(room * 0.2, "right"),
        ]
        header = [both("name"), both("count"), both("fees")]
    rows = []
    for g in groups:
        name = both(g[key]) if key == "method" else g[key]
        row = [name, f"{g['count']:,}", data.kip(g["amount"])]
        if named:
            row.insert(1, f"{g[f'{key}_lo']} / {g[f'{key}_en']}")
        rows.append(row)
    count = sum(g["count"] for g in groups)
    amount = sum(g["amount"] for g in groups)
    total = [both("total"), f"{count:,}", data.kip(amount)]
    if named:
        total.insert(1, "")
    if not rows:
        flow.text(both("none"), body.but(color=GREY))
        return
    flow.table(columns, rows, body, header=header, total=total)


def summary(data: SummaryData) -> bytes:
    t = data.totals
    a = data.activity
    flow = layout.Flow(PAGE.room)
    body = Style(LOOK.label + 0.5)
    label = Style(LOOK.label, color=GREY)
    header(flow, data.office, LOOK)
    flow.text(
        f"{both('summary')} · {day_text(data.day)}", Style(LOOK.title, bold=True, align="center")
    )
    flow.space(3)
    # who and when
    sessions = t["cash"]["sessions"]
    for s in sessions:
        opened = f"{lo('opened')}/{en('opened')} {moment_text(s['opened_at'])} ({s['opened_by']})"
        if s["closed_at"]:
            closed = (
                f"{lo('closed')}/{en('closed')} {moment_text(s['closed_at'])} ({s['closed_by']})"
            )
        else:
            closed = both("not_closed")
        flow.pair(both("sessions"), f"{opened} · {closed}", label, body, LOOK.label_width)
    if not sessions:
        flow.pair(both("sessions"), both("none"), label, body, LOOK.label_width)
    staff = ", ".join(a["clerks"]) or "-"
    flow.pair(both("staff"), staff, label, body, LOOK.label_width)
    flow.pair(both("requests_taken"), f"{t['requests']:,}", label, body, LOOK.label_width)
    flow.pair(both("payments"), f"{t['payments']['count']:,}", label, body, LOOK.label_width)
    fb = a["feedback"]
    feedback = (
        f"{fb['average']:.2f} / 5 ({lo('average')}/{en('average')}, {fb['count']} {en('ratings')})"
        if fb["count"]
        else both("none")
    )
    flow.pair(both("feedback"), feedback, label, body, LOOK.label_width)
    # money
    _heading(flow, "totals")
    quarter = flow.width / 4
    columns = [layout.Column(quarter, "right") for _ in range(4)]
    money = t["totals"]
    flow.table(
        columns,
        [[data.kip(money[k]) for k in ("gross", "voided", "refunded", "net")]],
        body.but(bold=True),
        header=[both("gross"), both("voided"), both("refunds"), both("net")],
    )
    _heading(flow, "by_service")
    _group_table(flow, data, t["by_service"], "service", named=True)
    _heading(flow, "by_ministry")
    _group_table(flow, data, t["by_ministry"], "ministry", named=True)
    _heading(flow, "by_method")
    _group_table(flow, data, t["by_method"], "method", named=False)
    _heading(flow, "by_clerk")
    _group_table(flow, data, t["by_clerk"], "clerk", named=False)
    _corrections(flow, data, "voids", t["voids"])
    _corrections(flow, data, "refunds", t["refunds"])
    _cash(flow, data)
    _overdue(flow, data)
    # charts
    _heading(flow, "chart_services")
    flow.drawing(charts.by_service(a["requests_by_service"], flow.width, 62 * mm))
    names = " · ".join(f"{r['service']}: {r['service_lo']}" for r in a["requests_by_service"])
    if names:
        flow.text(names, label)
    _heading(flow, "chart_hours")
    flow.drawing(charts.by_hour(a["requests_by_hour"], flow.width, 52 * mm))
    return layout.render(
        flow,
        PAGE,
        title=f"{en('summary')} {data.day.isoformat()}",
        author=data.office["office_name"],
        subject=f"{data.office['office_code']}-{data.office['counter']} {data.day.isoformat()}",
        decorate=_footer(data),
    )


def _corrections(
    flow: layout.Flow, data: SummaryData, key: str, rows: Sequence[Mapping[str, Any]]
) -> None:
    _heading(flow, key)
    body = Style(LOOK.label + 0.5)
    if not rows:
        flow.text(both("none"), body.but(color=GREY))
        return
    room = flow.width
    columns = [
        layout.Column(room * 0.24),
        layout.Column(room * 0.13, "right"),
        layout.Column(room * 0.27),
        layout.Column(room * 0.11),
        layout.Column(room * 0.12),
        layout.Column(room * 0.13),
    ]
    table = [
        [
            r["receipt"],
            data.kip(r["amount"]),
            r["reason"],
            r["by"],
            r["approved_by"],
            moment_text(r["at"]),
        ]
        for r in rows
    ]
    total = [both("total"), data.kip(sum(r["amount"] for r in rows)), "", "", "", ""]
    header = [
        both("receipt_no"),
        both("fees"),
        both("reason"),
        both("by"),
        both("approved_by"),
        both("time"),
    ]
    flow.table(columns, table, body, header=header, total=total)


def _cash(flow: layout.Flow, data: SummaryData) -> None:
    _heading(flow, "cash_title")
    body = Style(LOOK.label + 0.5)
    cash = data.totals["cash"]
    room = flow.width
    money = layout.Column(room * 0.18, "right")  # wide enough for "164,072,000 ກີບ" in bold
    columns = [layout.Column(room * 0.16), money, money, money, money, layout.Column(room * 0.12)]

    def kip_or_dash(value: int | None) -> str:
        return "-" if value is None else data.kip(value)

    rows = [
        [
            moment_text(s["opened_at"]),
            data.kip(s["float_amount"]),
            data.kip(s["expected"]),
            kip_or_dash(s["counted"]),
            kip_or_dash(s["difference"]),
            s["approved_by"] or "",
        ]
        for s in cash["sessions"]
    ]
    total = [
        both("total"),
        "",
        data.kip(cash["expected"]),
        kip_or_dash(cash["counted"]),
        kip_or_dash(cash["difference"]),
        "",
    ]
    header = [
        both("sessions"),
        both("float"),
        both("expected"),
        both("counted"),
        both("difference"),
        both("approved_by"),
    ]
    if not rows:
        flow.text(both("none"), body.but(color=GREY))
        return
    flow.table(columns, rows, body, header=header, total=total)


def _overdue(flow: layout.Flow, data: SummaryData) -> None:
    _heading(flow, "overdue")
    body = Style(LOOK.label + 0.5)
    if not data.overdue:
        flow.text(both("none"), body.but(color=GREY))
        return
    room = flow.width
    columns = [
        layout.Column(room * 0.27),
        layout.Column(room * 0.27),
        layout.Column(room * 0.2),
        layout.Column(room * 0.14),
        layout.Column(room * 0.12, "right"),
    ]
    rows = [
        [
            r["tracking"],
            r["citizen_name"],
            r["service_code"],
            day_text(r["promised_date"]),
            str((data.day - date.fromisoformat(r["promised_date"])).days),
        ]
        for r in data.overdue
    ]
    header = [both("tracking"), both("citizen"), both("service"), both("return_on"),
              both("days_late")]  # fmt: skip
    flow.table(columns, rows, body, header=header)
    flow.text(f"{both('total')}: {len(rows):,}", body.but(bold=True))


def _footer(data: SummaryData) -> layout.Decorate:
    def paint(canvas: Canvas, info: layout.PageInfo) -> None:
        style = Style(7, color=GREY)
        left = f"{data.office['office_code']}-{data.office['counter']} · {day_text(data.day)}"
        draw(canvas, PAGE.side, 9 * mm, left, style, PAGE.room)
        page = f"{both('page')} {info.number}/{info.count}"
        draw(canvas, PAGE.side, 9 * mm, page, style.but(align="right"), PAGE.room)

    return paint


def summary_pdf(store: Store, actor: Actor, day: date | None = None) -> tuple[SummaryData, bytes]:
    """The daily summary of `day` (today by default), for the window and the command line."""
    users.require_role(actor, "clerk")
    data = load(store, day or local_date(store.now()))
    return data, summary(data)


def write_summary(
    store: Store, actor: Actor, out: Path | str, day: date | None = None
) -> dict[str, Any]:
    users.require_role(actor, "clerk")
    target = output.check_target(out)
    data, pdf = summary_pdf(store, actor, day)
    output.write_new(target, pdf)
    return {
        "date": data.day.isoformat(),
        "path": str(target),
        "totals": data.totals["totals"],
        "payments": data.totals["payments"],
        "overdue": len(data.overdue),
        "bytes": len(pdf),
    }
