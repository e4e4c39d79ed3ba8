"""The supervisor's daily summary on A4: the day's money exactly as `daybook.day_totals` has it,
plus who worked, overdue requests, feedback, and two charts.

Every money figure printed comes straight from `day_totals` (the same function behind
`odsc day` and the cash close), so the paper and the drawer can never disagree. The cash comes
drawer by drawer (`reports.day_cash`): each session's float, expected cash, count, difference
and its reason on a line of its own, and the day's shortages and overages summed apart, never
netted into one figure.

Tables with many columns set their header as a Lao line over an English one, each column as
wide as its widest cell, with a gap between columns: a copied or extracted row then reads as
its cells, never as two cells run into one phrase.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from odsc_desk.api import (
    Actor,
    Office,
    Store,
    daybook,
    outbox,
    reports,
    service_requests,
    settings,
    users,
)
from odsc_desk.shared.clock import local_date
from odsc_desk.shared.money import format_kip
from receipts import charts, layout, output
from receipts.labels import both, day_text, en, lo, moment_text
from receipts.lines import Style, draw, width
from receipts.receipt import GREY, LOOKS, header

PAGE = layout.A4
LOOK = LOOKS["a4"]
GAP = 10.0  # points of blank between two columns, beyond the table's own padding
PAD = 2.0  # the table's padding on each side of a cell (layout.Flow.table)
# Words of the cash section not (yet) in receipts/labels.py.
CASH_WORDS = {
    "shortages": ("ເງິນຂາດ", "Shortages"),
    "overages": ("ເງິນເກີນ", "Overages"),
    "session": ("ຮອບ", "Session"),
}


@dataclass(frozen=True)
class SummaryData:
    office: Office
    day: date
    totals: daybook.DayTotals  # untouched
    activity: reports.DayActivity
    cash: reports.DayCash
    overdue: list[service_requests.RequestRow]
    chain_head: outbox.ChainHead | None  # the audit chain's newest link at the day's end
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
        cash=reports.day_cash(store, day),
        overdue=service_requests.overdue(store, day),
        chain_head=reports.day_chain_head(store, day),
        grouping=str(settings.get(store, "money_grouping")),
        unit=str(settings.get(store, "money_unit")),
    )


def heading(flow: layout.Flow, key: str) -> None:
    flow.space(5)
    flow.text(both(key), Style(LOOK.body + 1, bold=True), keep=True)


def _group_table(
    flow: layout.Flow,
    data: SummaryData,
    groups: Sequence[Mapping[str, Any]],
    key: str,
    named: bool,
) -> None:
    if not groups:
        flow.text(both("none"), Style(LOOK.label + 0.5, color=GREY))
        return
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
        table(flow, ("code", "name", "count", "fees"), "llrr", rows, total, flexible=1)
    else:
        table(flow, ("name", "count", "fees"), "lrr", rows, total, flexible=0)


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
        # The count after a colon: "1 ratings" never reads wrong that way, in either language.
        f"{fb['average']:.2f} / 5 ({lo('average')}/{en('average')};"
        f" {lo('ratings')}/{en('ratings')}: {fb['count']})"
        if fb["count"]
        else both("none")
    )
    flow.pair(both("feedback"), feedback, label, body, LOOK.label_width)
    flow.pair(both("chain_head"), head_text(data.chain_head), label, body, LOOK.label_width)
    # money
    heading(flow, "totals")
    quarter = flow.width / 4
    columns = [layout.Column(quarter, "right") for _ in range(4)]
    money = t["totals"]
    flow.table(
        columns,
        [[data.kip(money[k]) for k in ("gross", "voided", "refunded", "net")]],
        body.but(bold=True),
        header=[both("gross"), both("voided"), both("refunds"), both("net")],
    )
    heading(flow, "by_service")
    _group_table(flow, data, t["by_service"], "service", named=True)
    heading(flow, "by_ministry")
    _group_table(flow, data, t["by_ministry"], "ministry", named=True)
    heading(flow, "by_method")
    _group_table(flow, data, t["by_method"], "method", named=False)
    heading(flow, "by_clerk")
    _group_table(flow, data, t["by_clerk"], "clerk", named=False)
    _corrections(flow, data, "voids", t["voids"])
    _corrections(flow, data, "refunds", t["refunds"])
    _cash(flow, data)
    _overdue(flow, data)
    # charts
    heading(flow, "chart_services")
    flow.drawing(charts.by_service(a["requests_by_service"], flow.width, 62 * mm))
    names = " · ".join(f"{r['service']}: {r['service_lo']}" for r in a["requests_by_service"])
    if names:
        flow.text(names, label)
    heading(flow, "chart_hours")
    hours = charts.day_hours(a["requests_by_hour"], a["payments_by_hour"])
    flow.drawing(charts.by_hour(a["requests_by_hour"], hours, flow.width, 52 * mm))
    return layout.render(
        flow,
        PAGE,
        title=f"{en('summary')} {data.day.isoformat()}",
        author=data.office["office_name"],
        subject=f"{data.office['office_code']}-{data.office['counter']} {data.day.isoformat()}",
        decorate=footer(data.office, data.day),
    )


def head_text(head: outbox.ChainHead | None) -> str:
    """The chain head as a supervisor types it into `odsc check --heads`: "<row> <hash>", the
    hash cut to 12 hex digits so it can be typed. 48 bits: a rewrite never matches by chance,
    though one ground for days on purpose could (the centre keeps the whole hash)."""
    return "-" if head is None else f"{head['seq']} {head['hash'][:12]}"


def _words(key: str) -> tuple[str, str]:
    return CASH_WORDS.get(key) or (lo(key), en(key))


def table(
    flow: layout.Flow,
    keys: Sequence[str],
    aligns: str,
    rows: Sequence[Sequence[str]],
    total: Sequence[str] | None = None,
    flexible: int | None = None,
) -> None:
    """A table headed by a Lao line over an English line, one label per column on each.

    Each column is as wide as its widest label or cell, and a blank `GAP` column separates
    every two, so no two cells ever run together. The `flexible` column (free text, such as a
    reason) takes the room left over and wraps; it never shrinks below its labels. `aligns`
    gives each column's alignment: "l" or "r".
    """
    body = Style(LOOK.label + 0.5)
    head = body.but(bold=True)
    english = Style(LOOK.label, bold=True, color=GREY)
    lines = [*rows, *([total] if total else [])]
    words = [_words(key) for key in keys]
    floors = [max(width(lao, head), width(eng, english)) for lao, eng in words]
    needs = [
        max([floor, *(width(line[i], head if line is total else body) for line in lines)])
        for i, floor in enumerate(floors)
    ]
    room = flow.width - GAP * (len(keys) - 1) - 2 * PAD * len(keys)
    if flexible is not None:
        others = sum(needs) - needs[flexible]
        needs[flexible] = max(floors[flexible], room - others)
    scale = min(1.0, room / sum(needs))  # only when even the labels cannot fit: cells wrap
    columns: list[layout.Column] = []
    for i, (need, align) in enumerate(zip(needs, aligns, strict=True)):
        if i:
            columns.append(layout.Column(GAP))
        columns.append(layout.Column(need * scale + 2 * PAD, "right" if align == "r" else "left"))

    def spaced(cells: Sequence[str]) -> list[str]:
        out: list[str] = []
        for i, cell in enumerate(cells):
            out += [cell] if i == 0 else ["", cell]
        return out

    left = 0.0
    lao_cells = []
    for column, cell in zip(columns, spaced([lao for lao, _ in words]), strict=True):
        lao_cells.append((cell, head.but(align=column.align), left + PAD, column.width - 2 * PAD))
        left += column.width
    flow.row(lao_cells, 1.0).keep_with_next = True
    flow.table(
        columns,
        [spaced(row) for row in rows],
        body,
        header=spaced([eng for _, eng in words]),
        head=english,
        total=spaced(total) if total else None,
    )


def _corrections(
    flow: layout.Flow, data: SummaryData, key: str, rows: Sequence[Mapping[str, Any]]
) -> None:
    heading(flow, key)
    if not rows:
        flow.text(both("none"), Style(LOOK.label + 0.5, color=GREY))
        return
    cells = [
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
    keys = ("receipt_no", "fees", "reason", "by", "approved_by", "time")
    table(flow, keys, "lrllll", cells, total, flexible=2)


def _signed(data: SummaryData, amount: int | None) -> str:
    if amount is None:
        return "-"
    return ("+" if amount > 0 else "-" if amount < 0 else "") + data.kip(abs(amount))


def _cash(flow: layout.Flow, data: SummaryData) -> None:
    """Each drawer on its own line; shortages and overages summed apart."""
    heading(flow, "cash_title")
    body = Style(LOOK.label + 0.5)
    cash = data.cash
    if not cash["sessions"]:
        flow.text(both("none"), body.but(color=GREY))
        return
    rows = [
        [
            f"{moment_text(s['opened_at'])[-5:]} {s['opened_by']}",
            data.kip(s["float_amount"]),
            data.kip(s["expected"]),
            "-" if s["counted"] is None else data.kip(s["counted"]),
            _signed(data, s["difference"]),
            s["reason"] or "",
            s["approved_by"] or "",
        ]
        for s in cash["sessions"]
    ]
    keys = ("session", "float", "expected", "counted", "difference", "reason", "approved_by")
    table(flow, keys, "lrrrrll", rows, flexible=5)
    flow.space(2)
    label = Style(LOOK.label, color=GREY)
    for key, amount in (("shortages", cash["shortages"]), ("overages", cash["overages"])):
        lao, eng = CASH_WORDS[key]
        figure = _signed(data, amount)
        flow.pair(f"{lao} / {eng}", figure, label, body.but(bold=True), LOOK.label_width)


def _overdue(flow: layout.Flow, data: SummaryData) -> None:
    heading(flow, "overdue")
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


def footer(office: Office, day: date) -> layout.Decorate:
    """The page's foot: the counter and the day on the left, the page number on the right."""

    def paint(canvas: Canvas, info: layout.PageInfo) -> None:
        style = Style(7, color=GREY)
        left = f"{office['office_code']}-{office['counter']} · {day_text(day)}"
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
        "chain_head": data.chain_head,
        "bytes": len(pdf),
    }
