"""Volume: how many requests were received, became ready, were collected, rejected, withdrawn
or sent back for missing documents, each counted on the day it happened."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from sync.server.db import rollup
from sync.server.figures.area import Area
from sync.server.figures.figure import Figure
from sync.server.figures.periods import Period
from sync.server.figures.sums import summed

COUNTS = ("received", "ready", "collected", "rejected", "withdrawn", "returned")


def volume(conn: Connection, area: Area, period: Period, by: str | None = None) -> dict[str, Any]:
    return summed(conn, FIGURE, rollup, COUNTS, area, period, by)


FIGURE = Figure(
    name="volume",
    function=volume,
    summary="requests received, ready, collected, rejected, withdrawn and returned",
    by=("service", "ministry", "office", "district", "province", "counter"),
)
