"""The published catalog as open data: one JSON document and one CSV table per version.

The JSON names each version's day of effect and its sha256 (the one counters check), and lists
services with their ministry, fee in whole kip, processing days, documents and legal basis. The
CSV has one row per service, written as the centre's other exports are (exports.csv_bytes: UTF-8
with a byte-order mark, every text cell guarded against formula injection).
"""

from __future__ import annotations

import json
from typing import Any

from sync.server import exports
from sync.server.public_catalog import Service, Version
from sync.server.tables import Table

CURRENCY = "LAK"  # whole kip
CSV_COLUMNS = [
    "version",
    "effective_from",
    "ministry",
    "ministry_lo",
    "ministry_en",
    "code",
    "name_lo",
    "name_en",
    "fee_kip",
    "days",
    "documents_lo",
    "documents_en",
    "legal_basis_lo",
    "legal_basis_en",
]


def _service(service: Service) -> dict[str, Any]:
    return {
        "code": service.code,
        "ministry": service.ministry,
        "name_lo": service.name_lo,
        "name_en": service.name_en,
        "fee": service.fee,
        "currency": CURRENCY,
        "days": service.days,
        "documents": [
            {"code": d.code, "name_lo": d.name_lo, "name_en": d.name_en} for d in service.documents
        ],
        "legal_basis_lo": service.legal_basis_lo,
        "legal_basis_en": service.legal_basis_en,
    }


def document(version: Version, *, base: str, later: Version | None = None) -> dict[str, Any]:
    """A version as JSON; `later` (for the catalog in effect) names the next one and where it
    is. `base` is the centre's public address, for the links."""
    answer: dict[str, Any] = {
        "version": version.version,
        "label": version.label,
        "effective_from": version.effective.isoformat(),
        "published_at": version.published_at,
        "sha256": version.sha256,
        "url": f"{base}/open/catalog/{version.version}.json",
        "ministries": [
            {"code": m.code, "name_lo": m.name_lo, "name_en": m.name_en} for m in version.ministries
        ],
        "services": [_service(s) for s in version.services],
    }
    if later is not None:
        answer["next"] = {
            "version": later.version,
            "effective_from": later.effective.isoformat(),
            "url": f"{base}/open/catalog/{later.version}.json",
        }
    return answer


def json_bytes(answer: dict[str, Any]) -> bytes:
    return json.dumps(answer, ensure_ascii=False, indent=1).encode()


def csv_bytes(version: Version) -> bytes:
    rows: list[list[str | int | float | None]] = [
        [
            version.version,
            version.effective.isoformat(),
            m.code,
            m.name_lo,
            m.name_en,
            s.code,
            s.name_lo,
            s.name_en,
            s.fee,
            s.days,
            "; ".join(d.name_lo for d in s.documents),
            "; ".join(d.name_en for d in s.documents),
            s.legal_basis_lo,
            s.legal_basis_en,
        ]
        for m in version.ministries
        for s in m.services
    ]
    return exports.csv_bytes(Table(f"catalog-{version.version}", CSV_COLUMNS, rows))
