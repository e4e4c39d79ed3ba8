"""The office's daily summary on A4 (docs/OFFICE_SHARING.md, D8): every counter's figures for
the day and the office's total, and the office's impossible histories (D4), for the supervisor.

The figures are `office_day`'s (the same as `odsc day --office`), each counter's meaning what
its own daily summary means; the other counters' are as fresh as the last office page this
counter read, and the paper says as of when. A counter's own daily summary (receipts/
summary.py) stays the record of its own cash: this page counts no drawer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from odsc_desk.api import Actor, Office, Store, office_anomalies, office_day, settings, users
from odsc_desk.shared.clock import local_date
from odsc_desk.shared.money import format_kip
from receipts import layout, output
from receipts.labels import both, day_text, en, lo, moment_text
from receipts.lines import Style
from receipts.receipt import GREY, LOOKS, header
from receipts.summary import footer, heading, table

PAGE = layout.A4
LOOK = LOOKS["a4"]


@dataclass(frozen=True)
class OfficeSummaryData:
    office: Office
    day: date
    figures: office_day.OfficeDay
    anomalies: office_anomalies.Anomalies
    grouping: str
    unit: str

    def kip(self, amount: int) -> str:
        return format_kip(amount, self.grouping, self.unit)


def load(store: Store, day: date) -> OfficeSummaryData:
    return OfficeSummaryData(
        office=store.office,
        day=day,
        figures=office_day.office_day(store, day),
        anomalies=office_anomalies.office_anomalies(store, day),
        grouping=str(settings.get(store, "money_grouping")),
        unit=str(settings.get(store, "money_unit")),
    )


def _pair(key: str) -> str:
    """A label in both languages, short: "ປ່ອງບໍລິການ/Counter"."""
    return f"{lo(key)}/{en(key)}"


def _status(status: str) -> str:
    return both(f"st_{status}")


def _counter(number: int) -> str:
    return f"{_pair('counter')} {number}"


def office_summary(data: OfficeSummaryData) -> bytes:
    figures = data.figures
    flow = layout.Flow(PAGE.room)
    body = Style(LOOK.label + 0.5)
    label = Style(LOOK.label, color=GREY)
    header(flow, data.office, LOOK)
    flow.text(
        f"{both('office_summary')} · {day_text(data.day)}",
        Style(LOOK.title, bold=True, align="center"),
    )
    flow.space(3)
    fresh = moment_text(figures["as_of"]) if figures["as_of"] is not None else both("office_never")
    flow.pair(both("office_as_of"), fresh, label, body.but(bold=True), LOOK.label_width)
    heading(flow, "by_counter")
    rows = [
        [
            f"{c['counter']} ({_pair('this_counter')})" if c["own"] else str(c["counter"]),
            f"{c['requests']:,}",
            f"{c['payments']:,}",
            data.kip(c["gross"]),
            data.kip(c["voided"]),
            data.kip(c["refunded"]),
            data.kip(c["net"]),
        ]
        for c in figures["counters"]
    ]
    t = figures["total"]
    total = [
        both("total"),
        f"{t['requests']:,}",
        f"{t['payments']:,}",
        *(data.kip(t[k]) for k in ("gross", "voided", "refunded", "net")),
    ]
    keys = ("counter", "requests", "payments", "gross", "voided", "refunds", "net")
    table(flow, keys, "lrrrrrr", rows, total)
    _anomalies(flow, data, body, label)
    return layout.render(
        flow,
        PAGE,
        title=f"{en('office_summary')} {data.day.isoformat()}",
        author=data.office["office_name"],
        subject=f"{data.office['office_code']} {data.day.isoformat()}",
        decorate=footer(data.office, data.day),
    )


def _anomalies(flow: layout.Flow, data: OfficeSummaryData, body: Style, label: Style) -> None:
    """Each impossible history as a few lines: the request, then the facts that clash."""
    found = data.anomalies
    heading(flow, "anomalies")
    window = f"{day_text(found['since'])} – {day_text(found['until'])}"
    flow.text(f"{_pair('anomalies_window')} {window}. {both('anomalies_answer')}", label)
    bold = body.but(bold=True)
    indent = 6.0
    flow.space(2)
    flow.text(both("contested"), bold, keep=True)
    for c in found["contested"]:
        flow.text(
            f"{c['tracking']} ({_counter(c['served_at'])}) · {_pair('status_now')}:"
            f" {_status(c['status'])}",
            body,
            keep=True,
        )
        e = c["event"]
        said = f"{_pair('wanted')} {_status(e['status'])} · {_counter(e['counter'])}"
        said += f" · {moment_text(e['at'])}" + (f" · {e['reason']}" if e["reason"] else "")
        flow.text(said, body, indent=indent, keep=c["after"] is not None)
        if (a := c["after"]) is not None:
            flow.text(
                f"{_pair('after_event')} {_status(a['status'])} · {_counter(a['counter'])}"
                f" · {moment_text(a['at'])}",
                label,
                indent=indent,
            )
    if not found["contested"]:
        flow.text(both("none"), label, indent=indent)
    flow.space(2)
    flow.text(both("overpaid"), bold, keep=True)
    for o in found["overpaid"]:
        flow.text(
            f"{o['tracking']} ({_counter(o['served_at'])}) · {_pair('fee')} {data.kip(o['fee'])}"
            f" · {_pair('paid')} {data.kip(o['paid'])}",
            body,
            keep=True,
        )
        for r in o["receipts"]:
            marks = [_pair("voided")] if r["voided"] else []
            if r["refunded"]:
                marks.append(f"{_pair('refunded')} {data.kip(r['refunded'])}")
            flow.text(
                " · ".join(
                    [
                        r["receipt"],
                        _counter(r["counter"]),
                        data.kip(r["amount"]),
                        moment_text(r["at"]),
                        *marks,
                    ]
                ),
                label,
                indent=indent,
            )
    if not found["overpaid"]:
        flow.text(both("none"), label, indent=indent)


def office_summary_pdf(
    store: Store, actor: Actor, day: date | None = None
) -> tuple[OfficeSummaryData, bytes]:
    """The office's summary of `day` (today by default), for the window and the command line."""
    users.require_role(actor, "clerk")
    data = load(store, day or local_date(store.now()))
    return data, office_summary(data)


def write_office_summary(
    store: Store, actor: Actor, out: Path | str, day: date | None = None
) -> dict[str, Any]:
    users.require_role(actor, "clerk")
    target = output.check_target(out)
    data, pdf = office_summary_pdf(store, actor, day)
    output.write_new(target, pdf)
    return {
        "date": data.day.isoformat(),
        "path": str(target),
        "as_of": data.figures["as_of"],
        "counters": data.figures["counters"],
        "total": data.figures["total"],
        "contested": len(data.anomalies["contested"]),
        "overpaid": len(data.anomalies["overpaid"]),
        "bytes": len(pdf),
    }
