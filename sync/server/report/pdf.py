"""The monthly report drawn on A4 with the counter's document engine (receipts/: its bundled
fonts, Lao shaping, wrapping and page flow), so Lao prints and copies back the same way.

Headings are Lao with the English beneath; a table's header is a Lao line over an English one;
a row's label is "Lao / English". Numbers are grouped with commas, as web/numbers.py explains;
money is in kip (the unit in the header, not in every cell). A place or ministry cell starts
with its code so a wrapped name never moves the code off the row's first line.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from odsc_desk.shared.clock import stamp
from receipts import charts, fonts, layout
from receipts.lines import Style, draw
from sync.server.figures.places import Named
from sync.server.report.monthly import MinistryRow, Monthly, Places
from sync.server.report.words import both, en, lo
from sync.server.web import numbers
from sync.server.web.levels import Level

PAGE = layout.A4
GREY = colors.Color(0.35, 0.35, 0.35)
BODY = Style(9)
LABEL = Style(8.5, color=GREY)
PAD = 2.0  # layout.Flow.table's padding on each side of a cell
_PLACES = {"province": "provinces", "district": "districts", "office": "offices"}


def _heading(flow: layout.Flow, key: str, **values: object) -> None:
    flow.space(6)
    flow.text(lo(key, **values), Style(11.5, bold=True), keep=True)
    flow.text(en(key, **values), Style(8.5, bold=True, color=GREY), keep=True)
    flow.add(1.5, lambda canvas, x, y: None, keep_with_next=True)  # with what it heads


def _table(
    flow: layout.Flow,
    keys: Sequence[str],
    shares: Sequence[float],
    rows: Sequence[Sequence[str]],
    total: Sequence[str] | None = None,
) -> None:
    """A table whose header is a Lao line over an English line; the first column is left
    aligned, the others (figures) right aligned. `shares` of the width, one per column."""
    columns = [
        layout.Column(flow.width * share, "left" if i == 0 else "right")
        for i, share in enumerate(shares)
    ]
    head = BODY.but(bold=True)
    left = 0.0
    lao = []
    for key, column in zip(keys, columns, strict=True):
        lao.append((lo(key), head.but(align=column.align), left + PAD, column.width - 2 * PAD))
        left += column.width
    flow.row(lao, 1.0).keep_with_next = True
    flow.table(
        columns,
        rows,
        BODY,
        header=[en(key) for key in keys],
        head=Style(8, bold=True, color=GREY),
        total=total,
    )


def _count(value: int) -> str:
    return numbers.grouped(value)


def _signed(value: int | None) -> str:
    if value is None:
        return numbers.DASH
    return ("+" if value > 0 else "") + numbers.grouped(value)


def _title(flow: layout.Flow, report: Monthly) -> None:
    flow.text(lo("title"), Style(15, bold=True, align="center"))
    flow.text(en("title"), Style(10, bold=True, color=GREY, align="center"))
    flow.space(5)
    level, registry, period = report.level, report.registry, report.period
    before = period.previous()
    pairs = [
        ("scope", f"{level.name(registry, 'lo')} / {level.name(registry, 'en')}"),
        *(
            [("ministry_only", f"{report.ministry['lo']} / {report.ministry['en']}")]
            if report.ministry
            else []
        ),
        (
            "month",
            f"{numbers.period_name(period, 'lo')} / {numbers.period_name(period, 'en')}"
            f" ({numbers.day(period.start)}–{numbers.day(period.end)})",
        ),
        ("compared", f"{numbers.period_name(before, 'lo')} / {numbers.period_name(before, 'en')}"),
        ("made_at", numbers.moment(stamp(report.made_at), "lo")),
        ("made_by", report.made_by),
    ]
    for key, value in pairs:
        flow.pair(both(key), value, LABEL, BODY.but(bold=True), 68 * mm)
    flow.rule()


def _headline(flow: layout.Flow, report: Monthly) -> None:
    now, before = report.seen.headline, report.seen.previous
    silent = report.seen.silent
    _heading(flow, "headline")
    rows = [
        [both("received"), _count(now.received), _count(before.received)],
        [
            both("on_time_rate"),
            numbers.percent(now.on_time_rate),
            numbers.percent(before.on_time_rate),
        ],
        [both("ready"), _count(now.ready or 0), _count(before.ready or 0)],
        [both("overdue"), _count(now.overdue), _count(before.overdue)],
        [both("net_fees"), _count(now.net), _count(before.net)],
        [
            both("mean_rating"),
            numbers.decimal(now.mean_rating, 2),
            numbers.decimal(before.mean_rating, 2),
        ],
        [
            both("response_rate"),
            numbers.percent(now.response_rate),
            numbers.percent(before.response_rate),
        ],
    ]
    if report.ministry is None:  # a counter's syncs are not counted per service
        rows.append(
            [
                both("silent", days=report.silent_days),
                lo("silent_of", silent=_count(silent.silent), counters=_count(silent.counters)),
                both("now_only"),
            ]
        )
    _table(flow, ("figure", "this_month", "previous_month"), (0.56, 0.22, 0.22), rows)
    flow.space(2)
    flow.text(both("overdue_note"), LABEL.but(size=7.5))


def _trend_chart(points: list[tuple[date, int]], width: float, height: float) -> Drawing:
    """Requests received per month: month numbers on the axis (a chart's labels are not
    shaped, so Latin only; the heading above says what they count), each bar's count above it."""
    fonts.register()
    drawing = Drawing(width, height, initialFontName=fonts.LATIN)  # else Helvetica, unembedded
    chart = VerticalBarChart()
    chart.x, chart.y = 8, 18
    chart.width, chart.height = width - 16, height - chart.y - 10
    values = [value for _, value in points]
    chart.data = [values or [0]]
    chart.categoryAxis.categoryNames = [f"{m:%m/%Y}" for m, _ in points] or ["-"]
    chart.categoryAxis.labels.fontName = fonts.LATIN
    chart.categoryAxis.labels.fontSize = 6.5
    # Each bar carries its count: a scale beside them would only repeat it, less exactly.
    chart.valueAxis.visible = False
    chart.valueAxis.valueMin = 0
    top = max(values, default=0)
    chart.valueAxis.valueMax = max(top * 1.12, 4)  # room for the count over the tallest bar
    chart.bars[0].fillColor = charts.BAR
    chart.bars[0].strokeColor = None
    chart.barLabelFormat = lambda value: numbers.grouped(int(value))
    chart.barLabels.fontName = fonts.LATIN
    chart.barLabels.fontSize = 6.5
    chart.barLabels.nudge = 5
    drawing.add(chart)
    return drawing


def _place_cell(level: Level, report: Monthly) -> str:
    if level.place == "counter":
        return lo("counter_named", counter=level.counter)
    places = report.registry.places
    named: Named | None
    if level.place == "office":
        named = places.offices.get(level.code)
    else:
        named = (places.provinces if level.place == "province" else places.districts).get(
            level.code
        )
    return f"{level.code} · {named.name_lo}" if named and named.name_lo else level.code


def _places(flow: layout.Flow, report: Monthly, table: Places, loose: bool) -> None:
    key = "offices_no_district" if loose else _PLACES.get(table.by, "counters")
    _heading(flow, key)
    if not table.rows:
        flow.text(both("none_below"), BODY.but(color=GREY))
        return
    rows = [
        [
            _place_cell(row.level, report),
            _count(row.received),
            numbers.percent(row.on_time_rate),
            _count(row.net),
            _count(row.overdue),
        ]
        for row in table.rows
    ]
    keys = ("place", "received", "on_time", "net_fees", "overdue")
    _table(flow, keys, (0.36, 0.15, 0.12, 0.22, 0.15), rows)
    if table.by == "counter":
        flow.text(both("not_per_counter"), LABEL.but(size=7.5))


def _ministry_cell(row: MinistryRow) -> str:
    if row.ministry is None:
        return both("unknown_ministry")
    return f"{row.ministry} · {row.name_lo}" if row.name_lo else row.ministry


def _ministry_cells(row: MinistryRow) -> list[str]:
    return [
        _count(row.net),
        _count(row.checked),
        _count(row.off_catalog),
        _count(row.old_version),
        numbers.percent(row.uniform_rate),
    ]


def _fees(flow: layout.Flow, report: Monthly) -> None:
    _heading(flow, "fees_title")
    rows = [[_ministry_cell(row), *_ministry_cells(row)] for row in report.ministries]
    total = [both("total"), *_ministry_cells(report.ministry_totals)]
    keys = ("ministry", "net_fees", "checked", "off_catalog", "old_version", "uniform_rate")
    _table(flow, keys, (0.32, 0.2, 0.12, 0.12, 0.12, 0.12), rows, total)
    flow.space(2)
    flow.text(both("fees_note"), LABEL.but(size=7.5))


def _cash(flow: layout.Flow, report: Monthly) -> None:
    if report.cash is None:
        flow.space(2)
        flow.text(both("ministry_note"), LABEL.but(size=7.5))
        return
    now, before = report.cash, report.cash["previous"]
    _heading(flow, "cash_title")
    rows = [
        [both("closed"), _count(now["closed"]), _count(before["closed"])],
        [both("differences"), _count(now["differences"]), _count(before["differences"])],
        [
            both("difference_sum"),
            _signed(now["difference_sum"]),
            _signed(before["difference_sum"]),
        ],
        [
            both("largest"),
            _signed(now["largest_difference"]),
            _signed(before["largest_difference"]),
        ],
        [both("approved"), _count(now["approved"]), _count(before["approved"])],
    ]
    _table(flow, ("figure", "this_month", "previous_month"), (0.56, 0.22, 0.22), rows)


def _footer(report: Monthly) -> layout.Decorate:
    where = report.level.path.removeprefix("/area/")

    def paint(canvas: Canvas, info: layout.PageInfo) -> None:
        style = Style(7, color=GREY)
        left = f"{en('title')} · {where} · {report.period.label}"
        draw(canvas, PAGE.side, 9 * mm, left, style, PAGE.room)
        page = f"{both('page')} {info.number}/{info.count}"
        draw(canvas, PAGE.side, 9 * mm, page, style.but(align="right"), PAGE.room)

    return paint


def monthly_pdf(report: Monthly) -> bytes:
    flow = layout.Flow(PAGE.room)
    _title(flow, report)
    _headline(flow, report)
    _heading(flow, "trend")
    flow.drawing(_trend_chart(report.seen.trend, flow.width, 58 * mm))
    for i, table in enumerate(report.places):
        _places(flow, report, table, loose=i > 0)
    _fees(flow, report)
    _cash(flow, report)
    where = report.level.path.removeprefix("/area/")
    return layout.render(
        flow,
        PAGE,
        title=f"{en('title')} {where} {report.period.label}",
        author=report.made_by,
        subject=f"{where} {report.period.label}",
        decorate=_footer(report),
    )
