"""The services the centre's published catalogs list: each service's ministry and names, from
the newest version that lists it (a service dropped from the catalog keeps the ministry it had).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select

from odsc_desk.shared.catalog_file import parse_catalog
from sync.server.db import catalogs


@dataclass(frozen=True)
class Service:
    code: str
    ministry: str
    name_en: str
    name_lo: str
    ministry_en: str
    ministry_lo: str


# Parsed versions by their sha256: a published version never changes, so it is read once per
# process however many figures ask.
_parsed: dict[str, dict[str, Service]] = {}


def _services(text: str) -> dict[str, Service]:
    # Published through the counter's own reader (reference.publish), so it parses.
    return {
        s["code"]: Service(
            s["code"],
            s["ministry_code"],
            s["name_en"],
            s["name_lo"],
            s["ministry_en"],
            s["ministry_lo"],
        )
        for s in parse_catalog(json.loads(text)).services
    }


def services(conn: Connection) -> dict[str, Service]:
    """Every service any published version lists, as the newest such version has it."""
    found: dict[str, Service] = {}
    held = conn.execute(
        select(catalogs.c.version, catalogs.c.sha256).order_by(catalogs.c.version)
    ).all()
    missing = [r.version for r in held if r.sha256 not in _parsed]
    if missing:
        for row in conn.execute(
            select(catalogs.c.sha256, catalogs.c.catalog).where(catalogs.c.version.in_(missing))
        ):
            _parsed[row.sha256] = _services(row.catalog)
    for row in held:  # oldest first: a newer version's entry replaces an older one's
        found.update(_parsed[row.sha256])
    return found


def ministry_services(conn: Connection, ministry: str) -> list[str]:
    return sorted(code for code, s in services(conn).items() if s.ministry == ministry)


def names(service: Service | None) -> dict[str, Any]:
    if service is None:
        return {"name_en": None, "name_lo": None}
    return {"name_en": service.name_en, "name_lo": service.name_lo}
