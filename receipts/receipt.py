"""The fee receipt: on an 80 mm roll or an A5/A4 sheet, signed, and marked COPY, VOID or refunded.

`print_receipt` is what a counter calls: the core's `issue_receipt` decides, in one store
transaction, whether this print is the original or a copy, signs it (making the counter's key on
its first receipt) and records the print, with the PDF rendered and written beside the target
inside that transaction; only then is the file put in place. A failure anywhere before leaves
no file and no record; a crash between the commit and the rename leaves a recorded print with
no file, so the next print says COPY: never two "originals".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache, partial
from itertools import groupby
from pathlib import Path
from typing import Any

from reportlab.graphics.barcode import qrencoder
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from odsc_desk.api import (
    Actor,
    Office,
    ReceiptPrint,
    Store,
    catalog,
    issue_receipt,
    payments,
    prepare_receipt,
    public_link,
    reports,
    settings,
    users,
)
from odsc_desk.shared import receipt_code
from odsc_desk.shared.money import format_kip
from receipts import labels, layout, output, words
from receipts.labels import both, day_text, moment_text
from receipts.lines import Style, draw, width

GREY = colors.Color(0.35, 0.35, 0.35)
WATERMARK = colors.Color(0.82, 0.82, 0.82)
VOID_RED = colors.Color(0.75, 0.1, 0.1)


@dataclass(frozen=True)
class ReceiptData:
    """Everything a receipt shows, read from the store."""

    office: Office
    payment: payments.PaymentRow
    service: catalog.Service
    void: reports.VoidNote | None
    refunds: list[reports.RefundNote]
    grouping: str
    unit: str
    legal_basis: str
    origin: int | None = None  # another counter's receipt, copied here: that counter

    def kip(self, amount: int) -> str:
        return format_kip(amount, self.grouping, self.unit)


def load(store: Store, receipt: str) -> ReceiptData:
    """A receipt's data, this counter's or, as pulled, another counter's of the office, or
    NotFoundError("receipt.unknown")."""
    payment, origin = payments.get_any_payment(store, receipt)
    if origin is None:
        corrections = reports.receipt_corrections(store, payment["id"])
    else:
        corrections = reports.office_receipt_corrections(store, payment["id"])
    return ReceiptData(
        origin=origin,
        office=store.office,
        payment=payment,
        service=catalog.get_service(store, payment["service_code"], payment["catalog_version"]),
        void=corrections["void"],
        refunds=corrections["refunds"],
        grouping=str(settings.get(store, "money_grouping")),
        unit=str(settings.get(store, "money_unit")),
        legal_basis=str(settings.get(store, "legal_basis")),
    )


@dataclass(frozen=True)
class Look:
    """Sizes for one paper size."""

    body: float
    label: float
    title: float
    figure_pt: float
    label_width: float
    qr: float


LOOKS = {
    "80mm": Look(body=8.6, label=6.8, title=12, figure_pt=12, label_width=24 * mm, qr=30 * mm),
    "a5": Look(body=10, label=8, title=15, figure_pt=14, label_width=38 * mm, qr=34 * mm),
    "a4": Look(body=11, label=9, title=17, figure_pt=16, label_width=48 * mm, qr=38 * mm),
}


def header(flow: layout.Flow, office: Office, look: Look) -> None:
    """Office name and counter, centred: every document starts with it."""
    flow.text(office["office_name"], Style(look.title * 0.85, bold=True, align="center"))
    counter = f"{office['office_code']} · {labels.both('counter')} {office['counter']}"
    flow.text(counter, Style(look.label, align="center", color=GREY))
    flow.rule(0.8)


# What QR's alphanumeric mode holds (capitals, digits, space and $%*+-./:), 5.5 bits a character
# against 8 in byte mode.
_ALPHANUMERIC = re.compile(r"[0-9A-Z $%*+\-./:]*")


@lru_cache(maxsize=64)
def qr_modules(text: str) -> tuple[tuple[bool, ...], ...]:
    """The QR matrix of `text` from ReportLab's own encoder, error correction level M (a
    smudged thermal print still scans). A link (`https://odsc.gov.la/v/ODSC1:...`) goes in two
    segments: the address in byte mode, then the code from its last "/" on, all capitals, in the
    compact alphanumeric mode; a bare code is one alphanumeric segment. Cached: a reprint has
    the same code."""
    cut = len(text)
    while cut and _ALPHANUMERIC.fullmatch(text[cut - 1]):
        cut -= 1
    qr = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    if cut:
        qr.addData(qrencoder.QR8bitByte(text[:cut]))
    if cut < len(text):
        qr.addData(qrencoder.QRAlphaNum(text[cut:]))
    qr.make()
    return tuple(tuple(bool(m) for m in row) for row in qr.modules)


def qr_painter(text: str, size: float, quiet: int = 2) -> layout.Paint:
    """Paints the QR as one path of dark runs on a white square (which also keeps a COPY or
    VOID watermark out of it). Drawn directly: ReportLab's QR widget builds a shape object per
    run and renders each through its graphics machinery, several times slower."""
    rows = qr_modules(text)
    module = size / (len(rows) + 2 * quiet)

    runs = [
        (r, cells[0][0], len(cells))
        for r, row in enumerate(rows)
        for dark, group in groupby(enumerate(row), key=lambda item: item[1])
        if dark
        for cells in [list(group)]
    ]

    def paint(canvas: Canvas, x: float, y: float) -> None:
        canvas.saveState()
        canvas.setFillColor(colors.white)
        canvas.rect(x, y - size, size, size, stroke=0, fill=1)
        canvas.setFillColor(colors.black)
        # One path of rectangles, written as PDF operators: hundreds of them per code.
        ops = [
            f"{x + (col + quiet) * module:.3f} {y - (r + quiet + 1) * module:.3f}"
            f" {count * module:.3f} {module:.3f} re"
            for r, col, count in runs
        ]
        canvas.addLiteral("\n".join([*ops, "f"]))
        canvas.restoreState()

    return paint


def build(
    data: ReceiptData,
    *,
    fmt: str,
    code: str,
    copy: bool,
    print_seq: int,
    printed_at: str,
    link: str | None = None,
) -> bytes:
    """The receipt's PDF: pure rendering, no store access. The QR holds `link` (the centre's
    page for `code`, api.public_link), or the bare code when there is none."""
    page = layout.PAGES[fmt]
    look = LOOKS[fmt]
    p = data.payment
    flow = layout.Flow(page.room)
    body = Style(look.body)
    label = Style(look.label, color=GREY)
    header(flow, data.office, look)
    flow.text(both("receipt"), Style(look.title, bold=True, align="center"))
    if copy:
        flow.text(f"{both('copy')} · {both('print_no')} {print_seq}", _banner(look))
    if data.origin is not None:
        # The header names the counter printing it; the receipt is the other one's.
        whose = f"{labels.lo('copy_of')} {data.origin} / {labels.en('copy_of')} {data.origin}"
        flow.text(whose, Style(look.body, bold=True, align="center"))
    if data.void is not None:
        flow.text(both("void"), _banner(look).but(color=VOID_RED))
    flow.space(2)

    def pair(key: str, value: str, style: Style = body) -> None:
        flow.pair(both(key), value, label, style, look.label_width)

    pair("receipt_no", p["receipt"], body.but(bold=True))
    pair("date", moment_text(p["at"]))
    pair("payer", p["citizen_name"])
    if p["id_number"]:
        pair("id_number", p["id_number"])
    service = data.service
    pair("service", service["name_lo"])
    flow.pair("", f"{service['name_en']} ({service['code']})", label, body, look.label_width)
    pair("tracking", p["tracking"])
    flow.rule(0.4, dash=(1, 2))
    pair("amount", data.kip(p["amount"]), Style(look.figure_pt, bold=True))
    flow.pair(both("in_words"), words.kip_lao(p["amount"]), label, body, look.label_width)
    flow.pair("", words.kip_english(p["amount"]), label, body, look.label_width)
    flow.rule(0.4, dash=(1, 2))
    pair("method", both(p["method"]))
    if data.origin is None:
        pair("clerk", p["clerk"])
    else:  # another counter's clerks are not known here
        pair("counter", str(data.origin))
    pair("return_on", day_text(p["promised_date"]), body.but(bold=True))
    if data.void is not None:
        v = data.void
        flow.space(2)
        flow.text(
            f"{both('voided_on')}: {moment_text(v['at'])}. {both('reason')}: {v['reason']}"
            f"{_approved(v['approved_by'])}",
            body.but(color=VOID_RED),
        )
    for refund in data.refunds:
        flow.space(2)
        flow.text(
            f"{both('refunded')} {data.kip(refund['amount'])} · {moment_text(refund['at'])}."
            f" {both('reason')}: {refund['reason']}{_approved(refund['approved_by'])}",
            body,
        )
    flow.rule(0.8)
    flow.text(f"{both('legal_basis')}: {data.legal_basis}", Style(look.label, color=GREY))
    flow.space(3)
    flow.add(look.qr, _centred(qr_painter(link or code, look.qr), (page.room - look.qr) / 2))
    flow.text(
        f"{both('verify')}: {receipt_code.short_code(code)}", Style(look.label, align="center")
    )
    flow.text(both("scan"), Style(look.label, align="center", color=GREY))
    if copy:
        flow.text(
            f"{both('printed')} {moment_text(printed_at)} ({labels.en('print_no')} {print_seq})",
            Style(look.label, align="center", color=GREY),
        )
    marks = [both("copy")] if copy else []
    if data.void is not None:
        marks.append(both("void"))
    return layout.render(
        flow,
        page,
        title=f"{labels.en('receipt')} {p['receipt']}",
        author=data.office["office_name"],
        subject=f"{p['tracking']} {service['code']}",
        decorate=watermark(marks, roll=page.height is None) if marks else None,
    )


def _approved(name: str) -> str:
    """The approver after a correction's reason; nothing where not known (another counter's)."""
    return f" ({labels.en('approved_by')} {name})" if name else ""


def _centred(paint: layout.Paint, offset: float) -> layout.Paint:
    return lambda canvas, x, y: paint(canvas, x + offset, y)


def _banner(look: Look) -> Style:
    return Style(look.title * 0.9, bold=True, align="center")


def watermark(marks: list[str], roll: bool) -> layout.Decorate:
    """Big pale diagonal words behind the content: across the middle of a sheet, or every
    11 cm down a roll."""
    text = "  ".join(marks)

    def paint(canvas: Canvas, info: layout.PageInfo) -> None:
        style = Style(28 if roll else info.width / 12, bold=True, color=WATERMARK)
        span = width(text, style)
        if roll:
            heights = [info.height - 60 * mm - k * 110 * mm for k in range(50)]
            heights = [h for h in heights if h > 30 * mm] or [info.height / 2]
        else:
            heights = [info.height / 2]
        for y in heights:
            canvas.saveState()
            canvas.translate(info.width / 2, y)
            canvas.rotate(35)
            draw(canvas, -span / 2, 0, text, style, span)
            canvas.restoreState()

    return paint


def _render(
    store: Store, receipt: str, fmt: str, issued: ReceiptPrint
) -> tuple[ReceiptData, bytes]:
    """What the core hands a receipt's print to: its data read again and drawn."""
    data = load(store, receipt)
    pdf = build(
        data,
        fmt=fmt,
        code=issued.code,
        copy=issued.copy,
        print_seq=issued.print_seq,
        printed_at=issued.printed_at,
        link=public_link(store, "v", issued.code),
    )
    return data, pdf


def receipt_pdf(
    store: Store, actor: Actor, receipt: str, fmt: str = "80mm", force_copy: bool = False
) -> tuple[ReceiptData, bytes, ReceiptPrint]:
    """The next print of a receipt as PDF bytes, not yet recorded: the window shows it and has
    it recorded (`api.record_receipt_print`) only when it goes to the printer or is saved."""
    if fmt not in LOOKS:
        raise ValueError(f"unknown receipt format {fmt!r}")
    render = partial(_render, store, receipt, fmt)
    (data, pdf), issued = prepare_receipt(store, actor, receipt, fmt, render, force_copy=force_copy)
    return data, pdf, issued


def print_receipt(
    store: Store,
    actor: Actor,
    receipt: str,
    out: Path | str,
    fmt: str = "80mm",
    force_copy: bool = False,
) -> dict[str, Any]:
    """Print (to a PDF file) a receipt; the second and later prints are copies."""
    users.require_role(actor, "clerk")
    if fmt not in LOOKS:
        raise ValueError(f"unknown receipt format {fmt!r}")
    target = output.check_target(out)
    staged: list[Path] = []

    def render(issued: ReceiptPrint) -> tuple[ReceiptData, bytes]:
        data, pdf = _render(store, receipt, fmt, issued)
        staged.append(output.stage(target, pdf))
        return data, pdf

    try:
        (data, pdf), issued = issue_receipt(
            store, actor, receipt, fmt, render, force_copy=force_copy
        )
    except BaseException:
        for path in staged:
            output.discard(path)
        raise
    # The print is recorded: now the file takes its name (see the module's docstring).
    output.publish(staged[0], target)
    return {
        "receipt": issued.receipt,
        "origin": issued.origin,
        "path": str(target),
        "format": fmt,
        "copy": issued.copy,
        "print": issued.print_seq,
        "voided": data.void is not None,
        "refunded": sum(r["amount"] for r in data.refunds),
        "code": issued.code,
        "bytes": len(pdf),
    }
