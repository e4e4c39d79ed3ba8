"""The appointment slip and the three notices a counter hands a citizen about a request.

- the appointment slip: when to come back, and which documents were received or are missing;
- a request for additional documents (the missing ones, and the reason given when the request
  was marked incomplete);
- a refusal notice, with the reason recorded when the request was rejected;
- a new appointment date for an overdue request, with an apology. The new date is the
  service's full processing time counted again from today in working days (skipping weekends,
  Lao holidays and office closures, as intake does): the counter cannot know how much work is
  left, and a second broken promise is worse than a later date. The clerk may give another
  working day instead. Printing it records the date (service_requests.record_new_date) so the
  centre can show it on the status page and tell a citizen who agreed to messages; the same
  date printed again records nothing. The request keeps its first promised date, so it stays
  on the overdue list.

Each is refused when the request is in no state for it (nothing missing, not rejected, not
overdue). Printing a slip or any other notice records nothing (but the counter's signing key,
made the first time a slip or receipt is printed).

The slip carries a QR of its slip code (`shared.slip_code`, signed with the counter's key): the
centre's status page opens the request from it, and takes the citizen's rating once. Below the
QR, for a request with a phone, how to look it up without the QR: the tracking number and the
last four digits of that phone, at the centre's status page.
"""

from __future__ import annotations

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
    catalog,
    public_address,
    public_link,
    reports,
    service_requests,
    settings,
    signing,
    users,
    workdays,
)
from odsc_desk.shared import request_history
from odsc_desk.shared.catalog_file import CatalogDocument
from odsc_desk.shared.clock import local_date
from odsc_desk.shared.errors import StateError, ValidationError
from odsc_desk.shared.money import format_kip
from receipts import layout, output
from receipts.labels import both, day_text, en, lo, moment_text
from receipts.lines import Style, draw
from receipts.receipt import GREY, LOOKS, Look, header, qr_painter

NOTICE_KINDS = ("missing-documents", "refusal", "new-date")
SLIP_FORMAT = "80mm"
NOTICE_FORMAT = "a4"
# The centre's page where a tracking number and phone digits are typed (sync/server/web).
STATUS_PATH = "/status"
SLIP_QR = 24 * mm


@dataclass(frozen=True)
class RequestData:
    office: Office
    request: service_requests.RequestDetail
    documents: list[CatalogDocument]  # the service's checklist: code, name_lo, name_en
    received_by: str | None
    today: date
    grouping: str
    unit: str

    def kip(self, amount: int) -> str:
        return format_kip(amount, self.grouping, self.unit)

    def last_reason(self, status: str) -> service_requests.StatusEvent | None:
        # A new date's event keeps the status it had: it is not the change that gave it.
        found = [
            h for h in self.request["history"] if h["status"] == status and h["new_date"] is None
        ]
        return found[-1] if found else None


def load(store: Store, tracking: str) -> RequestData:
    request = service_requests.get_request(store, tracking)
    service = catalog.get_service(store, request["service_code"], request["catalog_version"])
    return RequestData(
        office=store.office,
        request=request,
        documents=service["documents"],
        received_by=reports.received_by(store, request["id"]),
        today=local_date(store.now()),
        grouping=str(settings.get(store, "money_grouping")),
        unit=str(settings.get(store, "money_unit")),
    )


def _start(data: RequestData, fmt: str, title: str) -> tuple[layout.Flow, Look, Style, Style]:
    page = layout.PAGES[fmt]
    look = LOOKS[fmt]
    flow = layout.Flow(page.room)
    header(flow, data.office, look)
    # Lao above English: a notice's title is too long for one line of both.
    flow.text(lo(title), Style(look.title, bold=True, align="center"))
    flow.text(en(title), Style(look.title * 0.8, bold=True, align="center"))
    flow.space(3)
    return flow, look, Style(look.body), Style(look.label, color=GREY)


def _who(flow: layout.Flow, data: RequestData, look: Look, body: Style, label: Style) -> None:
    r = data.request
    flow.pair(both("tracking"), r["tracking"], label, body.but(bold=True), look.label_width)
    flow.pair(both("received_on"), moment_text(r["created_at"]), label, body, look.label_width)
    flow.pair(both("citizen"), r["citizen_name"], label, body, look.label_width)
    for key, value in (
        ("phone", r["phone"]),
        ("id_number", r["id_number"]),
        ("village", r["village"]),
    ):
        if value:
            flow.pair(both(key), value, label, body, look.label_width)
    service = r["service"]
    flow.pair(both("service"), service["name_lo"], label, body, look.label_width)
    flow.pair("", f"{service['name_en']} ({service['code']})", label, body, look.label_width)


def _checklist(flow: layout.Flow, data: RequestData, body: Style, only_missing: bool) -> None:
    received = set(data.request["documents"])
    shown = 0
    for doc in data.documents:
        has = doc["code"] in received
        if only_missing and has:
            continue
        state = both("doc_received") if has else both("doc_missing")
        flow.check(f"{doc['name_lo']} / {doc['name_en']} · {state}", has, body)
        shown += 1
    if not shown:
        flow.text(both("none"), body)


def _render(flow: layout.Flow, data: RequestData, fmt: str, title: str) -> bytes:
    return layout.render(
        flow,
        layout.PAGES[fmt],
        title=f"{both(title)} {data.request['tracking']}",
        author=data.office["office_name"],
        subject=data.request["tracking"],
        decorate=_page_numbers if layout.PAGES[fmt].height else None,
    )


def _page_numbers(canvas: Canvas, info: layout.PageInfo) -> None:
    if info.count > 1:
        style = Style(7, align="right", color=GREY)
        text = f"{both('page')} {info.number}/{info.count}"
        draw(canvas, 0, 8 * mm, text, style, info.width - 10 * mm)


@dataclass(frozen=True)
class SlipCode:
    """The slip's signed code, the link its QR holds (api.public_link: the bare code when the
    counter knows no public address) and the centre's public address, if known."""

    code: str
    link: str
    address: str | None


def _slip_qr(flow: layout.Flow, data: RequestData, fmt: str, slip_code: SlipCode) -> None:
    look = LOOKS[fmt]
    room = layout.PAGES[fmt].room
    centred = Style(look.label, align="center")
    # Smaller than a receipt's on a sheet, so the slip stays one page: 0.45 mm a module.
    size = min(look.qr, SLIP_QR)
    paint = qr_painter(slip_code.link, size)
    offset = (room - size) / 2
    flow.add(size, lambda canvas, x, y: paint(canvas, x + offset, y))
    flow.text(both("slip_scan"), centred)
    if data.request["phone"]:
        # Only a request with a phone has the second factor the typed lookup asks for.
        page = (slip_code.address or "") + STATUS_PATH
        hint = f"{lo('slip_status_hint')} {page} · {en('slip_status_hint')} {page}"
        flow.text(hint, centred.but(color=GREY))


def slip(data: RequestData, fmt: str = SLIP_FORMAT, code: SlipCode | None = None) -> bytes:
    """The appointment slip; with its QR when given the slip's code."""
    flow, look, body, label = _start(data, fmt, "slip")
    r = data.request
    _who(flow, data, look, body, label)
    flow.rule(0.4, dash=(1, 2))
    flow.pair(both("return_on"), day_text(r["promised_date"]), label,
              Style(look.figure_pt, bold=True), look.label_width)  # fmt: skip
    flow.rule(0.4, dash=(1, 2))
    flow.text(both("documents"), body.but(bold=True))
    _checklist(flow, data, body, only_missing=False)
    flow.rule(0.4, dash=(1, 2))
    flow.pair(both("fee"), data.kip(r["fee"]), label, body, look.label_width)
    flow.pair(both("paid"), data.kip(r["paid"]), label, body, look.label_width)
    if r["balance"] > 0:
        flow.pair(both("due"), data.kip(r["balance"]), label, body.but(bold=True),
                  look.label_width)  # fmt: skip
    if data.received_by:
        flow.pair(both("clerk"), data.received_by, label, body, look.label_width)
    flow.rule(0.8)
    flow.text(both("bring_slip"), Style(look.body, bold=True, align="center"))
    if code is not None:
        _slip_qr(flow, data, fmt, code)
    return _render(flow, data, fmt, "slip")


def new_date(data: RequestData, closures: set[date]) -> date:
    """The service's working days counted again from today (see the module's docstring)."""
    return workdays.add_working_days(data.today, data.request["service"]["days"], closures)


def _signature(flow: layout.Flow, look: Look, label: Style) -> None:
    flow.space(look.body * 3)
    flow.text("......................................................", label.but(align="right"))
    flow.text(f"{both('clerk')}", label.but(align="right"))


def notice(
    data: RequestData,
    kind: str,
    closures: set[date],
    fmt: str = NOTICE_FORMAT,
    new_day: date | None = None,
) -> bytes:
    """One of the three notices; StateError when the request is in no state for it. A new-date
    notice tells `new_day`, or when None the date `new_date` counts."""
    r = data.request
    if kind == "missing-documents":
        incomplete = data.last_reason("incomplete")
        if not r["missing_documents"] and r["status"] != "incomplete":
            raise StateError("notice.nothing_missing", "tracking", tracking=r["tracking"])
        title = "missing_title"
    elif kind == "refusal":
        if r["status"] != "rejected":
            raise StateError(
                "notice.not_rejected", "tracking", tracking=r["tracking"], status=r["status"]
            )
        title = "refusal_title"
    elif kind == "new-date":
        overdue = r["status"] in request_history.OPEN_STATUSES and r["promised_date"] < str(
            data.today
        )
        if not overdue:
            raise StateError(
                "notice.not_overdue",
                "tracking",
                tracking=r["tracking"],
                promised=r["promised_date"],
                status=r["status"],
            )
        title = "newdate_title"
    else:
        raise ValueError(f"unknown notice kind {kind!r}")
    flow, look, body, label = _start(data, fmt, title)
    flow.pair(both("date"), day_text(data.today), label, body, look.label_width)
    _who(flow, data, look, body, label)
    flow.rule(0.4, dash=(1, 2))
    if kind == "missing-documents":
        body_key = "missing_body" if r["missing_documents"] else "missing_none"
        flow.text(both(body_key), body)
        flow.space(2)
        _checklist(flow, data, body, only_missing=True)
        if incomplete is not None and incomplete["reason"]:
            flow.space(2)
            flow.pair(both("reason"), incomplete["reason"], label, body, look.label_width)
    elif kind == "refusal":
        rejected = data.last_reason("rejected")
        flow.text(both("refusal_body"), body)
        flow.space(2)
        reason = (rejected["reason"] if rejected is not None else None) or "-"
        flow.pair(both("reason"), reason, label, body.but(bold=True), look.label_width)
        if rejected is not None:
            flow.pair(both("date"), moment_text(rejected["at"]), label, body, look.label_width)
    else:
        flow.text(both("newdate_body"), body)
        flow.space(2)
        flow.pair(both("first_date"), day_text(r["promised_date"]), label, body,
                  look.label_width)  # fmt: skip
        flow.pair(both("new_date"), day_text(new_day or new_date(data, closures)), label,
                  Style(look.figure_pt, bold=True), look.label_width)  # fmt: skip
    flow.rule(0.8)
    flow.text(both("contact"), label)
    _signature(flow, look, label)
    return _render(flow, data, fmt, title)


def slip_pdf(
    store: Store, actor: Actor, tracking: str, fmt: str = SLIP_FORMAT
) -> tuple[RequestData, bytes]:
    """A request's appointment slip, for the window and the command line alike."""
    users.require_role(actor, "clerk")
    data = load(store, tracking)
    code = signing.make_slip_code(store, actor.id, data.request["tracking"])
    found = SlipCode(code, public_link(store, "s", code), public_address(store))
    return data, slip(data, fmt, found)


def write_slip(
    store: Store, actor: Actor, tracking: str, out: Path | str, fmt: str = SLIP_FORMAT
) -> dict[str, Any]:
    users.require_role(actor, "clerk")
    target = output.check_target(out)
    data, pdf = slip_pdf(store, actor, tracking, fmt)
    output.write_new(target, pdf)
    return {"tracking": data.request["tracking"], "path": str(target), "bytes": len(pdf)}


def notice_pdf(
    store: Store,
    actor: Actor,
    tracking: str,
    kind: str,
    fmt: str = NOTICE_FORMAT,
    new_day: date | None = None,
) -> tuple[RequestData, bytes, date | None]:
    """One of a request's notices, for the window and the command line alike, and for a
    new-date notice the date it tells, recorded once the notice is rendered (`new_day`, else
    counted: see the module's docstring)."""
    users.require_role(actor, "clerk")
    if new_day is not None and kind != "new-date":
        raise ValidationError("new_date.wrong_notice", "new_date", kind=kind)
    data = load(store, tracking)
    closures = workdays.office_closures(store)
    told = (new_day or new_date(data, closures)) if kind == "new-date" else None
    pdf = notice(data, kind, closures, fmt, told)
    if told is not None:
        service_requests.record_new_date(store, actor, data.request["tracking"], told)
    return data, pdf, told


def write_notice(
    store: Store,
    actor: Actor,
    tracking: str,
    kind: str,
    out: Path | str,
    fmt: str = NOTICE_FORMAT,
    new_day: date | None = None,
) -> dict[str, Any]:
    target = output.check_target(out)
    data, pdf, told = notice_pdf(store, actor, tracking, kind, fmt, new_day)
    output.write_new(target, pdf)
    result = {"tracking": data.request["tracking"], "kind": kind, "path": str(target)}
    if told is not None:
        result["new_date"] = told.isoformat()
    return {**result, "bytes": len(pdf)}
