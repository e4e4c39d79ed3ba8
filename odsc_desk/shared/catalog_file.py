"""A catalog file: reading it, checking it and its fingerprint. Pure, so the centre publishes
a catalog through the very checks a counter imports it with.

A catalog file lists ministries, documents and services with their fees (whole kip) and
processing days; `parse_catalog` turns it into the service rows a version holds, or says in Lao
and English what is wrong. An optional `effective_from` ("YYYY-MM-DD", a Vientiane calendar day)
holds a version back until that day; without it a version is in effect at once.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any, TypedDict

from odsc_desk.shared.canonical import canonical
from odsc_desk.shared.errors import NotFoundError, ValidationError
from odsc_desk.shared.text import has_control, nfc

MAX_FEE = 100_000_000
MAX_DAYS = 365


class Names(TypedDict):
    name_lo: str
    name_en: str


class CatalogDocument(Names):
    """A document a service asks for, as a service row's `documents` (JSON) lists it."""

    code: str


@dataclass(frozen=True)
class Catalog:
    version: int
    label: str
    services: list[dict[str, Any]]
    sha256: str
    effective_from: str | None = None  # "YYYY-MM-DD"; None: in effect at once


def demo_catalog_path() -> Path:
    return Path(str(resources.files("odsc_desk") / "data" / "demo_catalog.json"))


# The longest service code: the centre's figures are keyed by it (sync/server/db.py roll-ups).
SERVICE_CODE_MAX = 64


def _text(item: dict[str, Any], key: str, where: str) -> str:
    value = item.get(key)
    if not isinstance(value, str) or not nfc(value) or has_control(value):
        raise ValidationError("catalog.field", "catalog", where=f"{where}.{key}")
    return nfc(value)


def _whole_number(item: dict[str, Any], key: str, where: str, limit: int) -> int:
    value = item.get(key)
    # bool is an int in Python; a fee of `true` is still a mistake.
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= limit:
        raise ValidationError("catalog.number", "catalog", where=f"{where}.{key}", limit=limit)
    return value


def _index(items: Any, kind: str) -> dict[str, Names]:
    if not isinstance(items, list):
        raise ValidationError("catalog.field", "catalog", where=kind)
    found: dict[str, Names] = {}
    for n, item in enumerate(items):
        where = f"{kind}[{n}]"
        if not isinstance(item, dict):
            raise ValidationError("catalog.field", "catalog", where=where)
        code = _text(item, "code", where)
        if code in found:
            raise ValidationError("catalog.duplicate", "catalog", code=code)
        found[code] = {
            "name_lo": _text(item, "name_lo", where),
            "name_en": _text(item, "name_en", where),
        }
    return found


def _effective_from(data: dict[str, Any]) -> str | None:
    value = data.get("effective_from")
    if value is None:
        return None
    try:
        # Exactly YYYY-MM-DD: it is compared as text with business dates.
        if isinstance(value, str) and date.fromisoformat(value).isoformat() == value:
            return value
    except ValueError:
        pass
    raise ValidationError("catalog.field", "catalog", where="effective_from")


def parse_catalog(data: Any) -> Catalog:
    """Check a catalog file's content and turn it into service rows, or say what is wrong."""
    if not isinstance(data, dict):
        raise ValidationError("catalog.field", "catalog", where="(top level)")
    version = _whole_number(data, "version", "catalog", 1_000_000)
    if version < 1:
        raise ValidationError("catalog.number", "catalog", where="version", limit=1_000_000)
    label = _text(data, "label", "catalog")
    ministries = _index(data.get("ministries"), "ministries")
    documents = _index(data.get("documents"), "documents")
    raw_services = data.get("services")
    if not isinstance(raw_services, list) or not raw_services:
        raise ValidationError("catalog.field", "catalog", where="services")
    services: list[dict[str, Any]] = []
    seen: set[str] = set()
    for n, item in enumerate(raw_services):
        where = f"services[{n}]"
        if not isinstance(item, dict):
            raise ValidationError("catalog.field", "catalog", where=where)
        code = _text(item, "code", where).upper()
        if len(code) > SERVICE_CODE_MAX:  # the centre keys its figures by it
            raise ValidationError("catalog.field", "catalog", where=f"{where}.code")
        if code in seen:
            raise ValidationError("catalog.duplicate", "catalog", code=code)
        seen.add(code)
        ministry = _text(item, "ministry", where)
        if ministry not in ministries:
            raise ValidationError("catalog.reference", "catalog", where=where, code=ministry)
        doc_codes = item.get("documents", [])
        if not isinstance(doc_codes, list):
            raise ValidationError("catalog.field", "catalog", where=f"{where}.documents")
        docs: list[CatalogDocument] = []
        for doc in doc_codes:
            if not isinstance(doc, str):
                raise ValidationError("catalog.field", "catalog", where=f"{where}.documents")
            if doc not in documents:
                raise ValidationError("catalog.reference", "catalog", where=where, code=str(doc))
            docs.append({"code": doc, **documents[doc]})
        services.append(
            {
                "version": version,
                "code": code,
                "ministry_code": ministry,
                "ministry_lo": ministries[ministry]["name_lo"],
                "ministry_en": ministries[ministry]["name_en"],
                "name_lo": _text(item, "name_lo", where),
                "name_en": _text(item, "name_en", where),
                "fee": _whole_number(item, "fee", where, MAX_FEE),
                "days": _whole_number(item, "days", where, MAX_DAYS),
                "documents": json.dumps(docs, ensure_ascii=False, separators=(",", ":")),
            }
        )
    services.sort(key=lambda s: s["code"])
    return Catalog(
        version, label, services, services_sha256(label, services), _effective_from(data)
    )


# The legal basis of a service's fee (a decree's number and date), in Lao and English: optional
# text a counter does not use. It travels inside the catalog object, and so inside its sha256,
# because every released counter's reader (this one, and odsc_desk/catalog.py before it) reads
# only the keys it knows and checks the sha256 over the whole object as the centre sent it; the
# service rows a counter keeps, and their fingerprint, do not hold it. So it is checked where a
# catalog is published (check_legal_basis), not by parse_catalog: a counter never refuses a
# catalog over it.
LEGAL_BASIS = ("legal_basis_lo", "legal_basis_en")
LEGAL_BASIS_MAX = 300


def check_legal_basis(data: Any) -> None:
    """A published catalog's legal bases: each, when given, is text of at most LEGAL_BASIS_MAX
    characters. Call after parse_catalog (which checks the rest of the shape)."""
    for n, item in enumerate(data["services"]):
        for key in LEGAL_BASIS:
            if key in item and len(_text(item, key, f"services[{n}]")) > LEGAL_BASIS_MAX:
                raise ValidationError("catalog.field", "catalog", where=f"services[{n}].{key}")


def services_sha256(label: str, services: list[dict[str, Any]]) -> str:
    """The fingerprint of one catalog version, over its services in code order."""
    return hashlib.sha256(canonical({"label": label, "services": services})).hexdigest()


def read_json_file(path: Path | str, unreadable: str) -> Any:
    """A reference file's JSON, or NotFoundError / ValidationError `unreadable` (a message code
    with {path} and {detail}) in both languages."""
    try:
        # utf-8-sig: Windows editors often save JSON with a byte-order mark.
        return json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except FileNotFoundError as exc:
        raise NotFoundError("file.missing", "file", path=str(path)) from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValidationError(unreadable, "file", path=str(path), detail=str(exc)) from exc


def read_catalog_file(path: Path | str) -> Catalog:
    return parse_catalog(read_json_file(path, "catalog.unreadable"))


def snapshot_etag(shas: list[str]) -> str:
    """The tag of a reference answer: the in-effect version's sha256 alone (as protocol v1 has
    always sent it), or, with versions held for a later day, the sha256 over all of them in
    order, so that a new upcoming version changes the tag."""
    if len(shas) == 1:
        return shas[0]
    return hashlib.sha256(",".join(shas).encode()).hexdigest()
