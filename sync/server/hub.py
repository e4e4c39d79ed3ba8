"""An office's hub (docs/OFFICE_SHARING.md, D7): `odsc-server` run inside an office, on its LAN.

A hub is the server program with its own database, enrolled once at its centre as the office's
relay (`odsc-server hub enroll`, which keeps the centre's address and the relay's token in
`hub_upstream`). The office's counters enroll with the hub and push and pull as with a centre:
protocol v1 unchanged, so a released counter can use one. `odsc-server hub sync`
(sync/server/hub_sync.py), run by a timer, carries what the counters wrote up to the centre and
what the centre holds for the office down.

Two rules keep a hub to its office: it makes enrollment codes for its own office only, and it
publishes no catalog or calendar of its own (it serves the centre's, unchanged).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

import requests
from sqlalchemy import Connection, Engine, func, insert, inspect, select

from odsc_desk.shared.clock import Clock, stamp
from sync import protocol
from sync.errors import SyncError
from sync.protocol import Problem
from sync.server.auth import COUNTER
from sync.server.db import devices, hub_upstream, reading, writing
from sync.server.problems import Refused
from sync.transport import Transport

# `devices.via` at a hub for a counter the hub knows only from the centre's feed: it syncs
# straight to the centre, so the hub neither relays its ops nor holds its token.
UPSTREAM = "upstream"


@dataclass(frozen=True)
class Upstream:
    """What a hub keeps of its centre (the row of hub_upstream)."""

    url: str
    device_id: str  # the relay's, at the centre
    office: str
    token: str
    ca_bundle: str | None
    relayed_pos: int  # this hub's office feed, relayed up to here
    feed_after: int  # the centre's office feed, read up to here
    last_success: str | None
    last_error: str | None

    def transport(self, clock: Clock, session: requests.Session | None = None) -> Transport:
        return Transport(
            self.url,
            device_time=lambda: stamp(clock()),
            token=self.token,
            ca_bundle=self.ca_bundle,
            session=session,
        )


def upstream(conn: Connection) -> Upstream | None:
    """The hub's centre, or None on a centre (a server enrolled nowhere)."""
    row = conn.execute(select(hub_upstream).where(hub_upstream.c.id == 1)).first()
    if row is None:
        return None
    return Upstream(
        row.url,
        row.device_id,
        row.office,
        row.token,
        row.ca_bundle,
        int(row.relayed_pos),
        int(row.feed_after),
        row.last_success,
        row.last_error,
    )


def _hub_of(conn: Connection) -> Upstream | None:
    """`upstream`, also on a database at a revision before hubs (as the upgrade tests build
    them, and publish and enroll on): such a database is no hub's."""
    if not inspect(conn).has_table(hub_upstream.name):
        return None
    return upstream(conn)


def check_office(conn: Connection, office: str) -> None:
    """On a hub, an enrollment code for another office is refused: nothing of another office
    ever reaches a hub."""
    up = _hub_of(conn)
    if up is not None and office != up.office:
        raise Problem(
            409,
            "hub.office",
            f"this server is the hub of {up.office}: it enrolls that office's counters only",
        )


def check_publishing(conn: Connection, noun: str) -> None:
    """A hub serves its centre's catalog and calendar unchanged, and publishes none."""
    if _hub_of(conn) is not None:
        raise Problem(
            409,
            "hub.publishes_nothing",
            f"this server is an office's hub: its {noun} comes from its centre"
            " (odsc-server hub sync)",
        )


def enroll(
    engine: Engine,
    url: str,
    code: str,
    office: str,
    clock: Clock,
    ca_bundle: str | None = None,
    session: requests.Session | None = None,
) -> dict[str, Any]:
    """Enroll this server at the centre `url` as the hub of `office`, with a code made there by
    `odsc-server hub code --office OFFICE`. Refused (nothing kept) when it is a hub already,
    when its database holds another office's counters, or when the centre refuses."""
    with reading(engine) as conn:
        if upstream(conn) is not None:
            raise Refused("this server is already a hub (see: odsc-server hub status)")
        others = conn.execute(
            select(func.count()).where(devices.c.office != office, devices.c.role == COUNTER)
        ).scalar_one()
    if others:
        raise Refused(f"this database holds counters of offices other than {office}")
    device_id = f"hub-{office.lower()}-{secrets.token_hex(4)}"
    transport = Transport(
        url, device_time=lambda: stamp(clock()), ca_bundle=ca_bundle, session=session
    )
    response = transport.call(
        "POST",
        protocol.RELAY_ENROLL,
        body={"code": code, "device_id": device_id, "office": office},
    )
    if response.status_code != 200:
        raise transport.refusal(response)
    reply = transport.json(response)
    if not isinstance(reply, dict) or not isinstance(reply.get("token"), str):
        raise SyncError("sync.bad_reply", retry=True, server=transport.base, detail="enrollment")
    with writing(engine) as conn:
        conn.execute(
            insert(hub_upstream).values(
                id=1,
                url=transport.base,
                device_id=device_id,
                office=office,
                token=reply["token"],
                ca_bundle=ca_bundle,
                enrolled_at=stamp(clock()),
            )
        )
    return {"device_id": device_id, "office": office, "upstream": transport.base}
