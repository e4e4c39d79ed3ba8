"""Satisfaction: how many citizens rated the service (per request received), the mean rating
and how the ratings spread over 1 to 5. Feedback counts on the day it was given, against the
service and the clerk of its request, whether given at the counter or online from the slip's QR
(sync.server.online_feedback); `feedback_online` says how many of them came online. One rating a
request: the first the centre holds counts."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from sync.server.db import ONLINE, RATINGS, rollup, rollup_clerks
from sync.server.figures.area import Area
from sync.server.figures.figure import Figure
from sync.server.figures.periods import Period
from sync.server.figures.rates import ratio
from sync.server.figures.sums import summed

COUNTS = ("received", *RATINGS, *ONLINE)


def _derive(values: dict[str, int]) -> dict[str, Any]:
    return {
        **values,
        "response_rate": ratio(values["feedback"], values["received"]),
        "mean_rating": ratio(values["rating_sum"], values["feedback"]),
        "online_share": ratio(values["feedback_online"], values["feedback"]),
    }


def satisfaction(
    conn: Connection, area: Area, period: Period, by: str | None = None
) -> dict[str, Any]:
    table = rollup_clerks if by == "clerk" else rollup
    return summed(conn, FIGURE, table, COUNTS, area, period, by, _derive)


FIGURE = Figure(
    name="satisfaction",
    function=satisfaction,
    summary="feedback per request received, mean rating and ratings 1 to 5",
    by=("service", "ministry", "office", "district", "province", "counter", "clerk"),
    clerk_by=("clerk",),
)
