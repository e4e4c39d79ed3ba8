"""A figure: its function, the breakdowns it offers and the areas it may be asked for; and the
one shape every figure answers in."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import Connection

from sync.server.figures.area import Area
from sync.server.figures.errors import FigureRefused, bad_input
from sync.server.figures.periods import Period


class FigureFunction(Protocol):
    def __call__(
        self, conn: Connection, area: Area, period: Period, by: str | None = None
    ) -> dict[str, Any]: ...


@dataclass(frozen=True)
class Figure:
    name: str
    function: FigureFunction
    summary: str
    by: tuple[str, ...]  # the breakdowns offered; None (totals alone) always is
    # Breakdowns per clerk (a counter user): only within one office's area, never beyond it.
    clerk_by: tuple[str, ...] = ()
    # False for figures that are not counted per service (cash, operations): a ministry area
    # cannot narrow them, so it is refused rather than answered for every service.
    per_service: bool = True

    def needs_office_area(self, by: str | None) -> bool:
        return by in self.clerk_by

    def check(self, area: Area, by: str | None) -> None:
        """Refuse a breakdown the figure does not offer (422), a per-clerk breakdown beyond one
        office (403), and a ministry where the figure has no services (422)."""
        if by is not None and by not in self.by:
            raise bad_input(
                "figures.by", f"{self.name} is broken down by {', '.join(self.by)}, not {by!r}"
            )
        if by in self.clerk_by and not area.is_office:
            raise FigureRefused(
                403, "figures.clerk_scope", "figures per clerk are only given for one office"
            )
        if area.ministry is not None and (not self.per_service or by in self.clerk_by):
            what = "per clerk" if by in self.clerk_by else self.name
            raise bad_input(
                "figures.ministry",
                f"{what} figures are not counted per service: ask without a ministry",
            )


def answer(
    figure: Figure,
    area: Area,
    period: Period,
    by: str | None,
    rows: list[dict[str, Any]],
    totals: dict[str, Any],
    previous_totals: dict[str, Any],
    **extra: Any,
) -> dict[str, Any]:
    """The shape of every figure: what was asked, the totals with the previous period's beside
    them, and a row per key of the breakdown."""
    return {
        "figure": figure.name,
        "area": area.to_json(),
        "by": by,
        "period": period.to_json(),
        "previous": period.previous().to_json(),
        "totals": {**totals, "previous": previous_totals},
        "rows": rows,
        **extra,
    }
