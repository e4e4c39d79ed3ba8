"""The daily summary's two charts, drawn with ReportLab's own graphics (no matplotlib).

Chart labels are Latin only (service codes, hours): ReportLab's chart strings are not shaped,
so Lao titles are set above the charts by the text engine instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors

from receipts import fonts

BAR = colors.Color(0.2, 0.4, 0.65)
# Always shown, so two days' histograms line up. The office has no opening-hours setting: a day
# with work earlier or later widens the axis to it, hour by hour, never skipping one.
OFFICE_HOURS = range(7, 18)


def _step(top: int) -> int:
    """A round step (1, 2, 5, 10, 20, 50 …) giving at most six ticks up to `top`."""
    step = 1
    factors = (2, 2.5, 2)
    n = 0
    while top > step * 6:
        step = int(step * factors[n % 3])
        n += 1
    return step


def _count_label(value: float) -> str:
    return f"{value:.0f}" if value else ""  # an empty hour needs no "0" over it


def _chart(names: list[str], values: list[int], width: float, height: float, angle: int) -> Drawing:
    fonts.register()
    drawing = Drawing(width, height, initialFontName=fonts.LATIN)  # else Helvetica, unembedded
    chart = VerticalBarChart()
    chart.x, chart.y = 28, 34 if angle else 18
    chart.width, chart.height = width - 36, height - chart.y - 8
    chart.data = [values or [0]]
    chart.categoryAxis.categoryNames = names or ["-"]
    chart.categoryAxis.labels.fontName = fonts.LATIN
    chart.categoryAxis.labels.fontSize = 6.5
    if angle:
        chart.categoryAxis.labels.angle = angle
        chart.categoryAxis.labels.boxAnchor = "ne"
        chart.categoryAxis.labels.dx, chart.categoryAxis.labels.dy = 4, -2
    chart.valueAxis.labels.fontName = fonts.LATIN
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    step = _step(max(values, default=0))
    chart.valueAxis.valueStep = step
    chart.valueAxis.valueMax = max(step * 4, -(-max(values, default=0) // step) * step)
    chart.bars[0].fillColor = BAR
    chart.bars[0].strokeColor = None
    chart.barLabelFormat = _count_label
    chart.barLabels.fontName = fonts.LATIN
    chart.barLabels.fontSize = 6.5
    chart.barLabels.nudge = 5
    drawing.add(chart)
    return drawing


def by_service(rows: Sequence[Mapping[str, Any]], width: float, height: float) -> Drawing:
    """Requests taken per service (codes on the axis; the table beside names them)."""
    return _chart([r["service"] for r in rows], [r["count"] for r in rows], width, height, 30)


def day_hours(*busy: Iterable[int]) -> range:
    """Every hour from the office's first to its last, stretched to any hour with work in it
    (requests taken or payments received): 07–17 on a usual day, 07–19 on a late one."""
    worked = [hour for hours in busy for hour in hours]
    return range(min([OFFICE_HOURS.start, *worked]), max([OFFICE_HOURS.stop - 1, *worked]) + 1)


def by_hour(counts: dict[int, int], hours: range, width: float, height: float) -> Drawing:
    """Requests taken per hour of the day (Vientiane time), over `hours` (`day_hours`)."""
    return _chart([f"{h:02d}" for h in hours], [counts.get(h, 0) for h in hours], width, height, 0)
