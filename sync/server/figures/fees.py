"""Uniform fees: every request's fee against the centre's published catalogs when it arrived
(db.FEE_CHECKS), the services charged off the catalog or at an old version, and the catalog
version each counter runs."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, select

from sync.server.db import FEES, catalogs, devices, requests, rollup
from sync.server.figures.area import Area, offices_clause
from sync.server.figures.breakdown import Breakdown, Key, side_by_side
from sync.server.figures.figure import Figure
from sync.server.figures.periods import Period
from sync.server.figures.rates import ratio
from sync.server.figures.sums import Sums, refold, rollup_sums, summed


def _derive(values: dict[str, int]) -> dict[str, Any]:
    checked = sum(values[name] for name in FEES)
    return {**values, "checked": checked, "uniform_rate": ratio(values["fee_catalog"], checked)}


def _off_catalog(
    per_service: Breakdown, current: dict[Key, dict[str, int]], previous: dict[Key, dict[str, int]]
) -> list[dict[str, Any]]:
    """Services charged off the catalog or at an old version in either period."""

    def strays(values: dict[Any, dict[str, int]]) -> dict[Any, dict[str, Any]]:
        return {
            key: _derive(v)
            for key, v in values.items()
            if v["fee_off_catalog"] or v["fee_old_version"]
        }

    return side_by_side(
        per_service, strays(current), strays(previous), _derive(dict.fromkeys(FEES, 0))
    )


def _versions(conn: Connection, area: Area, period: Period) -> dict[str, Any]:
    """The catalog version of each enrolled counter's newest request up to the period's end,
    beside the newest version the centre had published by then."""
    end = period.end.isoformat()
    running = (
        select(requests.c.catalog_version)
        .where(
            requests.c.office == devices.c.office,
            requests.c.device_id == devices.c.device_id,
            requests.c.business_date <= end,
        )
        .order_by(requests.c.business_date.desc(), requests.c.created_at.desc())
        .limit(1)
        .scalar_subquery()
    )
    rows = conn.execute(
        select(
            devices.c.office,
            devices.c.counter,
            devices.c.device_id,
            devices.c.last_sync,
            running.label("catalog_version"),
        )
        .where(offices_clause(area, devices.c.office), devices.c.revoked_at.is_(None))
        .order_by(devices.c.office, devices.c.counter, devices.c.device_id)
    )
    _, until = period.stamps()  # published by the end of the period's last day
    published = conn.execute(
        select(func.max(catalogs.c.version)).where(catalogs.c.published_at < until)
    ).scalar()
    return {
        "published": None if published is None else int(published),
        "counters": [
            {
                "office": r.office,
                "counter": int(r.counter),
                "device_id": r.device_id,
                "last_sync": r.last_sync,
                "catalog_version": None if r.catalog_version is None else int(r.catalog_version),
            }
            for r in rows
        ],
    }


def fees(conn: Connection, area: Area, period: Period, by: str | None = None) -> dict[str, Any]:
    FIGURE.check(area, by)
    per_service = Breakdown(conn, "service")
    by_service = {
        when: rollup_sums(conn, rollup, FEES, area, when, per_service)
        for when in (period, period.previous())
    }
    # The totals, and the rows by service or ministry, fold from the sums per service the
    # off-catalog list needs anyway: two queries of the roll-ups rather than four.
    reused: Sums | None = None
    if by in (None, "service", "ministry"):
        reused = lambda when, breakdown: refold(by_service[when], breakdown, FEES)  # noqa: E731
    return summed(
        conn,
        FIGURE,
        rollup,
        FEES,
        area,
        period,
        by,
        _derive,
        sums=reused,
        off_catalog=_off_catalog(per_service, *by_service.values()),
        versions=_versions(conn, area, period),
    )


FIGURE = Figure(
    name="fees",
    function=fees,
    summary="requests' fees against the catalog; services charged off it or at an old "
    "version; the catalog version each counter runs",
    by=("service", "ministry", "office", "district", "province", "counter"),
)
