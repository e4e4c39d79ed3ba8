"""The fee poster for an office's wall: the catalog in effect, by ministry, on A4 or A3, with a
QR code to the public fee page in every page's foot.

Drawn with the counter's document engine (receipts/: its bundled fonts, Lao shaping, wrapping
and page flow), as the committee's report is. Every line is Lao with the English beneath it, in
grey: a wall is read by both. The fee is the largest figure on a row, in kip, grouped with
commas (web/numbers.py says why).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from reportlab.graphics.barcode import qrencoder
from reportlab.lib import colors
from reportlab.lib.pagesizes import A3, A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from receipts import layout
from receipts.lines import Style, draw
from sync.server.public_catalog import Ministry, Service, Version
from sync.server.web import numbers
from sync.server.web.i18n import tr

GREY = colors.Color(0.35, 0.35, 0.35)


class Office(Protocol):
    """The office a poster is for (poster_command.Office): its code and names, if registered
    with them."""

    @property
    def code(self) -> str: ...
    @property
    def name_lo(self) -> str | None: ...
    @property
    def name_en(self) -> str | None: ...


QR_SIZE = 34 * mm  # scans from a step or two back on A4; scaled up with A3
A3_SCALE = 1.15


def _page(size: str) -> tuple[layout.Page, float]:
    """The page (its foot kept free for the QR and the address) and the scale of everything
    drawn on it. A3 is A4 enlarged by the square root of two; its letters grow less than that,
    so that a catalog that takes two A4 pages fits more on one A3."""
    scale = A3_SCALE if size == "a3" else 1.0
    width, height = A3 if size == "a3" else A4
    side = 14 * mm * scale
    foot = (QR_SIZE + 10 * mm) * scale
    return layout.Page(size, width, height, side=side, top=side, bottom=foot), scale


def qr_painter(text: str, size: float) -> layout.Paint:
    """`text` as a QR code (ReportLab's encoder, error correction M) `size` points square with
    a quiet zone of four modules, as the standard asks for a code read from a wall."""
    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(text)
    code.make()
    modules = code.modules
    quiet = 4
    module = size / (len(modules) + 2 * quiet)

    def paint(canvas: Canvas, x: float, y: float) -> None:
        canvas.saveState()
        canvas.setFillColor(colors.white)
        canvas.rect(x, y - size, size, size, stroke=0, fill=1)
        canvas.setFillColor(colors.black)
        path = canvas.beginPath()
        for r, row in enumerate(modules):
            for c, dark in enumerate(row):
                if dark:
                    path.rect(
                        x + (c + quiet) * module,
                        y - (r + quiet + 1) * module,
                        module,
                        module,
                    )
        canvas.drawPath(path, stroke=0, fill=1)
        canvas.restoreState()

    return paint


def _both(flow: layout.Flow, key: str, lao: Style, english: Style, **values: object) -> None:
    flow.text(tr("lo", key, **values), lao, keep=True)
    flow.text(tr("en", key, **values), english)


def _office_name(office: Office, lang: str) -> str:
    name = office.name_lo if lang == "lo" else office.name_en
    return f"{name} ({office.code})" if name else office.code


def _title(flow: layout.Flow, version: Version, office: Office, scale: float) -> None:
    flow.text(tr("lo", "pub_poster_title"), Style(22 * scale, bold=True, align="center"))
    flow.text(
        tr("en", "pub_poster_title"), Style(13 * scale, bold=True, color=GREY, align="center")
    )
    flow.space(4 * scale)
    flow.text(_office_name(office, "lo"), Style(14 * scale, bold=True, align="center"))
    flow.text(_office_name(office, "en"), Style(10 * scale, color=GREY, align="center"))
    flow.space(3 * scale)
    day = numbers.day(version.effective)
    _both(
        flow,
        "pub_version_line",
        Style(10 * scale, align="center"),
        Style(8.5 * scale, color=GREY, align="center"),
        version=version.version,
        day=day,
    )
    flow.rule(0.8 * scale, gap=3 * scale)
    flow.space(4 * scale)


def _columns(width: float) -> list[tuple[float, float, str]]:
    """(left, width, align) of the service, documents, days and fee columns."""
    shares = (0.36, 0.36, 0.1, 0.18)
    aligns = ("left", "left", "right", "right")
    out = []
    left = 0.0
    for share, align in zip(shares, aligns, strict=True):
        out.append((left, width * share, align))
        left += width * share
    return out


def _cells(
    values: Sequence[str],
    styles: tuple[Style, ...],
    columns: list[tuple[float, float, str]],
) -> list[tuple[str, Style, float, float]]:
    pad = 2.0
    return [
        (value, style.but(align=align), left + pad, width - 2 * pad)
        for value, style, (left, width, align) in zip(values, styles, columns, strict=True)
    ]


def _ministry(flow: layout.Flow, ministry: Ministry, scale: float) -> None:
    columns = _columns(flow.width)
    flow.space(3 * scale)
    flow.text(ministry.name_lo, Style(13 * scale, bold=True), keep=True)
    flow.text(ministry.name_en, Style(9 * scale, bold=True, color=GREY), keep=True)
    head_lo = Style(8.5 * scale, bold=True)
    head_en = Style(7.5 * scale, color=GREY)
    keys = ("pub_service", "pub_documents", "pub_days", "pub_fee_kip")
    lao = tuple(tr("lo", k) for k in keys)
    english = tuple(tr("en", k) for k in keys)
    top = flow.row(_cells(lao, (head_lo,) * 4, columns), 1.0)
    under = flow.row(_cells(english, (head_en,) * 4, columns), 0.5)
    del flow.boxes[-2:]  # one box of both lines: a page break repeats it whole

    def paint(canvas: Canvas, x: float, y: float) -> None:
        top.paint(canvas, x, y)
        under.paint(canvas, x, y - top.height)
        canvas.saveState()
        canvas.setLineWidth(0.8 * scale)
        end = y - top.height - under.height
        canvas.line(x, end, x + flow.width, end)
        canvas.restoreState()

    header = flow.add(top.height + under.height + 1.5, paint, keep_with_next=True)
    for service in ministry.services:
        _service(flow, service, columns, scale, header)


def _service(
    flow: layout.Flow,
    service: Service,
    columns: list[tuple[float, float, str]],
    scale: float,
    header: layout.Box,
) -> None:
    body = Style(10.5 * scale)
    grey = Style(8.5 * scale, color=GREY)
    fee = numbers.grouped(service.fee)
    first = (
        service.name_lo,
        ", ".join(d.name_lo for d in service.documents) or "—",
        str(service.days),
        fee,
    )
    second = (
        service.name_en,
        ", ".join(d.name_en for d in service.documents) or "—",
        "",
        "",
    )
    styles = (body.but(bold=True), body.but(size=9 * scale), body, Style(12.5 * scale, bold=True))
    lines = flow.row(_cells(first, styles, columns), 0.6)
    lines.keep_with_next = True
    lines.header = header
    under = flow.row(_cells(second, (grey, grey, grey, grey), columns), 0.3)
    under.header = header
    inner = under.paint

    def paint(canvas: Canvas, x: float, y: float) -> None:
        inner(canvas, x, y)
        canvas.saveState()
        canvas.setLineWidth(0.25 * scale)
        canvas.setStrokeColor(colors.grey)
        canvas.line(x, y - under.height, x + flow.width, y - under.height)
        canvas.restoreState()

    under.paint = paint
    under.height += 1.5 * scale


def _foot(page: layout.Page, scale: float, url: str) -> layout.Decorate:
    size = QR_SIZE * scale
    qr = qr_painter(url, size)

    def paint(canvas: Canvas, info: layout.PageInfo) -> None:
        bottom = 8 * mm * scale
        qr(canvas, page.width - page.side - size, bottom + size)
        room = page.room - size - 6 * mm
        top = bottom + size - 4 * mm * scale
        draw(
            canvas, page.side, top, tr("lo", "pub_poster_scan"), Style(11 * scale, bold=True), room
        )
        draw(
            canvas,
            page.side,
            top - 14 * scale,
            tr("en", "pub_poster_scan"),
            Style(9 * scale, color=GREY),
            room,
        )
        draw(canvas, page.side, top - 30 * scale, url, Style(10 * scale), room)
        pages = f"{info.number}/{info.count}"
        draw(canvas, page.side, bottom, pages, Style(7 * scale, color=GREY), room)

    return paint


def poster_pdf(version: Version, office: Office, size: str, url: str) -> bytes:
    """The poster of `office` for the catalog `version`; `url` is the public fee page the QR
    code opens."""
    page, scale = _page(size)
    flow = layout.Flow(page.room)
    _title(flow, version, office, scale)
    for ministry in version.ministries:
        _ministry(flow, ministry, scale)
    return layout.render(
        flow,
        page,
        title=f"{tr('en', 'pub_poster_title')} {office.code} v{version.version}",
        author="ODSC",
        subject=f"{office.code} {version.version} {size}",
        decorate=_foot(page, scale, url),
    )
