"""Revenue: payments taken and the fees they brought, what was voided and refunded, and the net
the centres kept. A void or refund counts on its own business date, against the service and
the clerk of the payment it undoes."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from sync.server.db import REVENUE, rollup, rollup_clerks
from sync.server.figures.area import Area
from sync.server.figures.figure import Figure
from sync.server.figures.periods import Period
from sync.server.figures.rates import ratio
from sync.server.figures.sums import summed


def _derive(values: dict[str, int]) -> dict[str, Any]:
    return {
        **values,
        "net": values["gross"] - values["voided"] - values["refunded"],
        "void_rate": ratio(values["voids"], values["payments"]),
        "refund_rate": ratio(values["refunds"], values["payments"]),
    }


def revenue(conn: Connection, area: Area, period: Period, by: str | None = None) -> dict[str, Any]:
    table = rollup_clerks if by == "clerk" else rollup
    return summed(conn, FIGURE, table, REVENUE, area, period, by, _derive)


FIGURE = Figure(
    name="revenue",
    function=revenue,
    summary="payments, gross, voided, refunded and net fees; void and refund rates",
    by=("service", "ministry", "office", "district", "province", "counter", "clerk"),
    clerk_by=("clerk",),
)
