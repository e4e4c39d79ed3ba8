"""A bar chart drawn on the server as SVG: no script, no library to ship, a few hundred bytes
per chart, and crisp at any zoom. The geometry is worked out here; the template writes the
elements. Colours come from the style sheet (classes), since the pages allow no inline style.
"""

from __future__ import annotations

from dataclasses import dataclass

WIDTH, HEIGHT = 640, 200
_LEFT, _BOTTOM, _TOP = 48, 24, 8  # room for the axis labels


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str  # the date or month it counts, for the table and the tooltip
    value: int


@dataclass(frozen=True)
class Tick:
    y: float
    text: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    baseline: float
    left: int
    bars: list[Bar]
    ticks: list[Tick]
    first: str
    last: str


def _nice_top(most: int) -> int:
    """The axis's top: the smallest 1, 2 or 5 times a power of ten at or above `most`."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if factor * step >= most:
                return factor * step
        step *= 10


def bar_chart(points: list[tuple[str, int]]) -> Chart:
    """One bar per (label, value), in order, on an axis from zero."""
    top = _nice_top(max([value for _, value in points] + [1]))
    plot_h = HEIGHT - _BOTTOM - _TOP
    plot_w = WIDTH - _LEFT - 8
    slot = plot_w / max(len(points), 1)
    gap = min(4.0, slot * 0.2)
    baseline = float(HEIGHT - _BOTTOM)
    bars = []
    for n, (label, value) in enumerate(points):
        height = plot_h * value / top
        bars.append(
            Bar(
                x=round(_LEFT + n * slot + gap / 2, 1),
                y=round(baseline - height, 1),
                width=round(slot - gap, 1),
                height=round(height, 1),
                label=label,
                value=value,
            )
        )
    ticks = [
        Tick(y=round(baseline - plot_h * share, 1), text=f"{round(top * share):,}")
        for share in (0, 0.5, 1)
    ]
    return Chart(
        WIDTH,
        HEIGHT,
        baseline,
        _LEFT,
        bars,
        ticks,
        points[0][0] if points else "",
        points[-1][0] if points else "",
    )
