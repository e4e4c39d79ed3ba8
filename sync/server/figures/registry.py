"""The figures by name: what the API, the CLI and the dashboard offer (FIGURES).

Kept out of the package's __init__: every module of the package imports the package first, so
an __init__ importing them back would close an import cycle (tests/test_layers.py).
"""

from __future__ import annotations

from sync.server.figures import (
    cash,
    fees,
    operations,
    overdue,
    revenue,
    satisfaction,
    timeliness,
    volume,
)
from sync.server.figures.area import Area
from sync.server.figures.errors import FigureRefused
from sync.server.figures.figure import Figure
from sync.server.figures.periods import Period, parse_period

FIGURES: dict[str, Figure] = {
    f.name: f
    for f in (
        volume.FIGURE,
        timeliness.FIGURE,
        overdue.FIGURE,
        revenue.FIGURE,
        fees.FIGURE,
        cash.FIGURE,
        satisfaction.FIGURE,
        operations.FIGURE,
    )
}

__all__ = ["FIGURES", "Area", "Figure", "FigureRefused", "Period", "parse_period"]
