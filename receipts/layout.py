"""Flowing boxes onto pages: an 80 mm roll as tall as its content, or A5/A4 pages that break.

A document is built as a `Flow`: a column of boxes (lines of text, label/value rows, table
rows, rules, drawings), each knowing its height and how to paint itself. `render` then cuts the
column into pages (never inside a box; a table's header is repeated on a new page), paints
each page's background (watermarks) and boxes, and returns the PDF's bytes.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from reportlab import rl_config
from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4 as A4_SIZE
from reportlab.lib.pagesizes import A5 as A5_SIZE
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from receipts import fonts
from receipts.lines import Style, draw, wrap

Paint = Callable[[Canvas, float, float], None]  # (left x, top y)

# Page streams deflated but not also ASCII85-encoded: ReportLab's default dates from 7-bit
# mail; binary streams are a fifth smaller and save milliseconds per document on an old PC.
rl_config.useA85 = 0


@dataclass(frozen=True)
class Page:
    """A page size and its margins, in points. `height` None: a roll cut after the content."""

    name: str
    width: float
    height: float | None
    side: float
    top: float
    bottom: float

    @property
    def room(self) -> float:
        return self.width - 2 * self.side


ROLL_80MM = Page("80mm", 80 * mm, None, side=4 * mm, top=4 * mm, bottom=10 * mm)
A5 = Page("a5", A5_SIZE[0], A5_SIZE[1], side=14 * mm, top=14 * mm, bottom=14 * mm)
A4 = Page("a4", A4_SIZE[0], A4_SIZE[1], side=18 * mm, top=16 * mm, bottom=16 * mm)
PAGES = {page.name: page for page in (ROLL_80MM, A5, A4)}


@dataclass
class Box:
    height: float
    paint: Paint
    keep_with_next: bool = False
    header: Box | None = None  # put first on a new page when the page breaks before this box


@dataclass(frozen=True)
class Column:
    width: float
    align: str = "left"


@dataclass
class Flow:
    """A column of boxes `width` points wide."""

    width: float
    boxes: list[Box] = field(default_factory=list)

    def add(self, height: float, paint: Paint, keep_with_next: bool = False) -> Box:
        box = Box(height, paint, keep_with_next)
        self.boxes.append(box)
        return box

    def space(self, height: float) -> None:
        self.add(height, lambda canvas, x, y: None)

    def text(self, text: str, style: Style, indent: float = 0.0, keep: bool = False) -> None:
        """A paragraph, wrapped to the column, one box per line."""
        room = self.width - indent
        for line in wrap(text, style, room):
            self.add(style.leading, _line_painter(line, style, indent, room), keep)

    def rule(
        self, weight: float = 0.5, gap: float = 3.0, dash: tuple[int, int] | None = None
    ) -> None:
        def paint(canvas: Canvas, x: float, y: float) -> None:
            canvas.saveState()
            canvas.setLineWidth(weight)
            if dash:
                canvas.setDash(*dash)
            canvas.line(x, y - gap, x + self.width, y - gap)
            canvas.restoreState()

        self.add(2 * gap, paint)

    def row(self, cells: Sequence[tuple[str, Style, float, float]], pad: float = 0.0) -> Box:
        """One row of wrapped cells: (text, style, x offset, width) each."""
        laid = [(wrap(text, style, room), style, left, room) for text, style, left, room in cells]
        height = max((len(lines) * style.leading for lines, style, _, _ in laid), default=0.0)

        def paint(canvas: Canvas, x: float, y: float) -> None:
            for lines, style, left, room in laid:
                top = y - pad
                for line in lines:
                    draw(canvas, x + left, top - style.ascent, line, style, room)
                    top -= style.leading

        return self.add(height + 2 * pad, paint)

    def pair(
        self,
        label: str,
        value: str,
        label_style: Style,
        value_style: Style,
        label_width: float,
        gap: float = 2.0,
    ) -> None:
        """A label and its value side by side, each wrapped in its own column."""
        value_left = label_width + gap
        self.row(
            [
                (label, label_style, 0.0, label_width),
                (value, value_style, value_left, self.width - value_left),
            ],
            pad=0.6,
        )

    def check(self, text: str, checked: bool, style: Style) -> None:
        """A checklist line: a drawn box (ticked or empty; the fonts have no ☑) and text."""
        side = style.size * 0.8
        indent = side + 4.0
        box = self.row([(text, style, indent, self.width - indent)], pad=0.8)
        inner = box.paint

        def paint(canvas: Canvas, x: float, y: float) -> None:
            inner(canvas, x, y)
            bottom = y - 0.8 - style.ascent
            canvas.saveState()
            canvas.setLineWidth(0.7)
            canvas.rect(x, bottom, side, side)
            if checked:
                canvas.setLineWidth(1.2)
                canvas.line(
                    x + side * 0.18, bottom + side * 0.5, x + side * 0.42, bottom + side * 0.2
                )
                canvas.line(
                    x + side * 0.42, bottom + side * 0.2, x + side * 0.85, bottom + side * 0.9
                )
            canvas.restoreState()

        box.paint = paint

    def table(
        self,
        columns: Sequence[Column],
        rows: Sequence[Sequence[str]],
        body: Style,
        header: Sequence[str] | None = None,
        head: Style | None = None,
        total: Sequence[str] | None = None,
    ) -> None:
        """A table: a header row (repeated after a page break), body rows, a total row."""
        pad = 2.0
        lefts = []
        left = 0.0
        for column in columns:
            lefts.append(left)
            left += column.width

        def cells(values: Sequence[str], style: Style) -> list[tuple[str, Style, float, float]]:
            return [
                (value, style.but(align=column.align), at + pad, column.width - 2 * pad)
                for value, column, at in zip(values, columns, lefts, strict=True)
            ]

        header_box = None
        if header is not None:
            header_box = self.row(cells(header, head or body.but(bold=True)), 1.0)
            header_box.keep_with_next = True
            self._underline(header_box, 0.8)
        for values in rows:
            box = self.row(cells(values, body), 0.8)
            box.header = header_box
            self._underline(box, 0.25, colors.grey)
        if total is not None:
            box = self.row(cells(total, body.but(bold=True)), 1.0)
            box.header = header_box

    def _underline(self, box: Box, weight: float, color: colors.Color = colors.black) -> None:
        inner = box.paint

        def paint(canvas: Canvas, x: float, y: float) -> None:
            inner(canvas, x, y)
            canvas.saveState()
            canvas.setLineWidth(weight)
            canvas.setStrokeColor(color)
            canvas.line(x, y - box.height, x + self.width, y - box.height)
            canvas.restoreState()

        box.paint = paint

    def drawing(self, drawing: Drawing, align: str = "center", keep: bool = False) -> None:
        offset = {"left": 0.0, "center": (self.width - drawing.width) / 2}.get(
            align, self.width - drawing.width
        )

        def paint(canvas: Canvas, x: float, y: float) -> None:
            renderPDF.draw(drawing, canvas, x + offset, y - drawing.height)

        self.add(drawing.height, paint, keep)


def _line_painter(line: str, style: Style, indent: float, room: float) -> Paint:
    def paint(canvas: Canvas, x: float, y: float) -> None:
        draw(canvas, x + indent, y - style.ascent, line, style, room)

    return paint


@dataclass(frozen=True)
class PageInfo:
    number: int
    count: int
    width: float
    height: float


Decorate = Callable[[Canvas, PageInfo], None]


def paginate(flow: Flow, page: Page) -> list[list[Box]]:
    if page.height is None:
        return [list(flow.boxes)]
    room = page.height - page.top - page.bottom
    pages: list[list[Box]] = [[]]
    used = 0.0
    boxes = flow.boxes
    for i, box in enumerate(boxes):
        # A box that must stay with the next ones (a heading, a table header) moves with them.
        needed = box.height
        j = i
        while boxes[j].keep_with_next and j + 1 < len(boxes):
            j += 1
            needed += boxes[j].height
        if pages[-1] and used + min(needed, room) > room:
            pages.append([])
            used = 0.0
            if box.header is not None and box.header is not box:
                pages[-1].append(box.header)
                used += box.header.height
        pages[-1].append(box)
        used += box.height
    return pages


def render(
    flow: Flow,
    page: Page,
    *,
    title: str,
    author: str,
    subject: str = "",
    decorate: Decorate | None = None,
) -> bytes:
    """The flow as a PDF: `decorate` paints each page's background (watermarks, footers)."""
    fonts.register()
    pages = paginate(flow, page)
    buffer = io.BytesIO()
    # Our own font as the canvas's first: ReportLab would otherwise list Helvetica, unembedded.
    canvas = Canvas(
        buffer, pagesize=(page.width, page.height or 100.0), initialFontName=fonts.REGULAR
    )
    canvas.setTitle(title)
    canvas.setAuthor(author)
    canvas.setSubject(subject)
    canvas.setCreator("ODSC Desk")
    for number, boxes in enumerate(pages, start=1):
        height = page.height or page.top + sum(b.height for b in boxes) + page.bottom
        canvas.setPageSize((page.width, height))
        if decorate is not None:
            canvas.saveState()
            decorate(canvas, PageInfo(number, len(pages), page.width, height))
            canvas.restoreState()
        y = height - page.top
        for box in boxes:
            box.paint(canvas, page.side, y)
            y -= box.height
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()
