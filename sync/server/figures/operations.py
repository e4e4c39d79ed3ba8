"""Operations: how far the centre's figures can be trusted, counter by counter — when each last
synced, how far its clock is off, whether its audit chain failed to extend the head the centre
held, and how many of its facts the centre refused and the counter keeps parked.

These describe the counters as they stand now; only the facts parked are also counted per
period (by the day the centre first refused them), with the previous period beside."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Table, func, select

from sync.server import anchors
from sync.server.db import devices, refused_ops
from sync.server.figures.area import Area, offices_clause
from sync.server.figures.breakdown import Breakdown, Key, side_by_side
from sync.server.figures.figure import Figure, answer
from sync.server.figures.periods import Period
from sync.server.reports import _skew

_EMPTY: dict[str, Any] = {
    "counters": 0,
    "never_synced": 0,
    "last_sync": None,  # the newest of their syncs
    "stalest_sync": None,  # the oldest: how far behind the least recent counter is
    "clock_flagged": 0,
    "max_clock_skew": 0,
    "chain_flagged": 0,
    "parked": 0,
    "parked_new": 0,  # of those parked, first refused within the period
}


def _newest(a: str | None, b: str | None) -> str | None:
    return max(a, b) if a and b else a or b


def _oldest(a: str | None, b: str | None) -> str | None:
    return min(a, b) if a and b else a or b


def _merge(into: dict[str, Any], v: dict[str, Any]) -> dict[str, Any]:
    return {
        **{name: into[name] + v[name] for name in _ADDED},
        "last_sync": _newest(into["last_sync"], v["last_sync"]),
        "stalest_sync": _oldest(into["stalest_sync"], v["stalest_sync"]),
        "max_clock_skew": max(into["max_clock_skew"], v["max_clock_skew"]),
    }


_ADDED = ("counters", "never_synced", "clock_flagged", "chain_flagged", "parked", "parked_new")


def _parked_new(conn: Connection, area: Area, period: Period) -> dict[str, int]:
    """Per device, the facts still parked that the centre first refused within the period."""
    since, until = period.stamps()
    rows = conn.execute(
        select(refused_ops.c.device_id, func.count())
        .select_from(refused_ops.join(devices, devices.c.device_id == refused_ops.c.device_id))
        .where(
            offices_clause(area, devices.c.office),
            refused_ops.c.first_at >= since,
            refused_ops.c.first_at < until,
        )
        .group_by(refused_ops.c.device_id)
    )
    return {r[0]: int(r[1]) for r in rows}


def _devices(conn: Connection, area: Area) -> list[dict[str, Any]]:
    """Every enrolled (not revoked) device in the area, as it stands now."""

    def scope(table: Table) -> Any:
        return offices_clause(area, table.c.office)

    chains = {flag["device_id"]: flag for flag in anchors.flags(conn, scope)}
    parked = {
        r[0]: (int(r[1]), r[2])
        for r in conn.execute(
            select(refused_ops.c.device_id, func.count(), func.min(refused_ops.c.first_at))
            .select_from(refused_ops.join(devices, devices.c.device_id == refused_ops.c.device_id))
            .where(scope(devices))
            .group_by(refused_ops.c.device_id)
        )
    }
    rows = conn.execute(
        select(
            devices.c.device_id,
            devices.c.office,
            devices.c.counter,
            devices.c.last_sync,
            devices.c.ops,
            devices.c.clock_offset,
            devices.c.max_ahead,
        )
        .where(scope(devices), devices.c.revoked_at.is_(None))
        .order_by(devices.c.office, devices.c.counter, devices.c.device_id)
    )
    out = []
    for r in rows:
        chain = chains.get(r.device_id)
        waiting, oldest = parked.get(r.device_id, (0, None))
        out.append(
            {
                "device_id": r.device_id,
                "office": r.office,
                "counter": int(r.counter),
                "last_sync": r.last_sync,
                "ops": int(r.ops),
                "clock_offset": None if r.clock_offset is None else int(r.clock_offset),
                "clock_skew": _skew(r.clock_offset, r.max_ahead),
                "chain_status": chain["status"] if chain else None,
                "chain_seen_at": chain["seen_at"] if chain else None,
                "parked": waiting,
                "parked_since": oldest,
            }
        )
    return out


def _values(device: dict[str, Any], parked_new: int) -> dict[str, Any]:
    """One device's contribution to its row and to the totals."""
    return {
        "counters": 1,
        "never_synced": int(device["last_sync"] is None),
        "last_sync": device["last_sync"],
        "stalest_sync": device["last_sync"],
        "clock_flagged": int(device["clock_skew"] > 0),
        "max_clock_skew": device["clock_skew"],
        "chain_flagged": int(device["chain_status"] is not None),
        "parked": device["parked"],
        "parked_new": parked_new,
    }


def operations(
    conn: Connection, area: Area, period: Period, by: str | None = None
) -> dict[str, Any]:
    FIGURE.check(area, by)
    breakdown = Breakdown(conn, by)
    found = _devices(conn, area)
    new_now, new_before = (_parked_new(conn, area, p) for p in (period, period.previous()))
    current: dict[Key, dict[str, Any]] = {}
    previous: dict[Key, dict[str, int]] = {}
    listed: dict[Key, list[dict[str, Any]]] = {}
    for device in found:
        raw = (device["office"], device["counter"]) if by == "counter" else (device["office"],)
        key = breakdown.key(raw) if by else ()
        current[key] = _merge(
            current.get(key, _EMPTY), _values(device, new_now.get(device["device_id"], 0))
        )
        before = previous.setdefault(key, {"parked_new": 0})
        before["parked_new"] += new_before.get(device["device_id"], 0)
        listed.setdefault(key, []).append(device)
    if by == "counter":  # a counter's row lists its devices (one, unless it was replaced)
        for key, values in current.items():
            values["devices"] = listed[key]
    total = dict(_EMPTY)
    for values in current.values():
        total = _merge(total, values)
    return answer(
        FIGURE,
        area,
        period,
        by,
        side_by_side(breakdown, current, previous, {"parked_new": 0}) if by else [],
        total,
        {"parked_new": sum(values["parked_new"] for values in previous.values())},
    )


FIGURE = Figure(
    name="operations",
    function=operations,
    summary="each counter's last sync, clock skew, chain flags and facts parked",
    by=("office", "district", "province", "counter"),
    per_service=False,
)
