"""The hierarchy as data: nation → province → district → office → counter.

Provinces are reference data (data/provinces.json: the 18 provinces under their ISO 3166-2:LA
codes, with the prefixes office codes use); migration 0006 wrote them into `provinces`.
Districts and offices are registered by an admin (`odsc-server district add`, `office add`,
`office import`), and an office is registered on its own when a code is made to enroll one of
its counters and its code's prefix names a province (VTE-SST is in LA-VT).

Nothing here changes a row it did not mean to: registering an office that is already known only
fills in what it lacked (its names, district or province) and is refused when it would change
what is there, so a typing slip never moves an office or renames it silently.
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from odsc_desk.shared.clock import stamp
from odsc_desk.shared.errors import OdscError
from odsc_desk.shared.office_codes import clean_office_code
from odsc_desk.shared.text import has_control, nfc
from sync.server.db import devices, districts, offices, provinces
from sync.server.problems import Refused

NAME_MAX = 120
_DISTRICT = re.compile(r"[A-Z0-9]{1,8}(-[A-Z0-9]{1,8}){0,2}")
DISTRICT_MAX = 20  # districts.code
_ISO = re.compile(r"LA-[A-Z]{2}")
IMPORT_MAX_ROWS = 5000  # a nation has a few hundred offices: more is the wrong file

# The columns of a ministry's office list (`odsc-server office import`), in any order.
CSV_REQUIRED = ("code", "name_en", "name_lo")
CSV_OPTIONAL = ("province", "district", "district_name_en", "district_name_lo")


@dataclass(frozen=True)
class Province:
    code: str
    iso_name: str
    name_en: str
    name_lo: str
    prefixes: tuple[str, ...]


@cache
def reference_provinces() -> tuple[Province, ...]:
    """The provinces shipped with the server (data/provinces.json)."""
    text = resources.files("sync.server").joinpath("data", "provinces.json").read_text("utf-8")
    return tuple(
        Province(p["code"], p["iso_name"], p["name_en"], p["name_lo"], tuple(p["prefixes"]))
        for p in json.loads(text)["provinces"]
    )


@cache
def _by_prefix() -> dict[str, str]:
    return {prefix: p.code for p in reference_provinces() for prefix in p.prefixes}


def office_prefix(office: str) -> str:
    """What an office code starts with: VTE of VTE-SST."""
    return office.split("-", 1)[0]


def province_of(office: str) -> str | None:
    """The province an office code's prefix names (LA-VT for VTE-SST), or None."""
    return _by_prefix().get(office_prefix(office))


def province_code(text: str) -> str | None:
    """A province named by its ISO code (LA-VT) or by a prefix office codes use (VTE, VT)."""
    value = text.strip().upper()
    if _ISO.fullmatch(value):
        return value if any(p.code == value for p in reference_provinces()) else None
    return _by_prefix().get(value)


def province_names(conn: Connection, code: str) -> dict[str, Any]:
    """A province's row (code, name_en, name_lo) as migration 0006 wrote it."""
    return dict(conn.execute(select(provinces).where(provinces.c.code == code)).one()._mapping)


# -- checking what an admin types -------------------------------------------------------------


def clean_district_code(text: str) -> str:
    code = text.strip().upper()
    if len(code) > DISTRICT_MAX or not _DISTRICT.fullmatch(code):
        raise Refused(
            f"not a district code: {text!r} (letters A-Z and digits, up to three parts "
            f"joined by '-', at most {DISTRICT_MAX} characters, e.g. VT-01)"
        )
    return code


def clean_province(text: str) -> str:
    code = province_code(text)
    if code is None:
        raise Refused(f"no province {text!r}: give its ISO 3166-2 code, e.g. LA-VT")
    return code


def clean_office(text: str) -> str:
    try:
        return clean_office_code(text)
    except OdscError as exc:
        raise Refused(f"not an office code: {text!r} ({exc.message_en})") from exc


def clean_name_en(text: str, what: str) -> str:
    name = _clean_name(text, what)
    if _lao_letters(name):
        raise Refused(f"{what} is written in Lao: put the Lao name in the Lao name's place")
    return name


def clean_name_lo(text: str, what: str) -> str:
    name = _clean_name(text, what)
    if not _lao_letters(name):
        raise Refused(f"{what} must be written in Lao script")
    return name


def _clean_name(text: str, what: str) -> str:
    name = nfc(text)
    if not name:
        raise Refused(f"{what} is empty")
    if len(name) > NAME_MAX:
        raise Refused(f"{what} is longer than {NAME_MAX} characters")
    if has_control(name):
        raise Refused(f"{what} holds a control character")
    if not any(unicodedata.category(ch).startswith("L") for ch in name):
        raise Refused(f"{what} holds no letter")
    if unicodedata.category(name[0]).startswith("M"):
        raise Refused(f"{what} starts with a combining mark")
    return name


def _lao_letters(text: str) -> bool:
    return any("\u0e80" <= ch <= "\u0eff" and unicodedata.category(ch) == "Lo" for ch in text)


# -- districts ---------------------------------------------------------------------------------


def add_district(
    conn: Connection, code: str, province: str, name_en: str, name_lo: str
) -> dict[str, Any]:
    row = {
        "code": clean_district_code(code),
        "province": clean_province(province),
        "name_en": clean_name_en(name_en, "the English name"),
        "name_lo": clean_name_lo(name_lo, "the Lao name"),
    }
    known = conn.execute(select(districts).where(districts.c.code == row["code"])).first()
    if known is not None:
        if dict(known._mapping) == row:
            return {**row, "added": False}
        raise Refused(
            f"district {row['code']} is already registered, as {known.name_en} in {known.province}"
        )
    conn.execute(insert(districts).values(**row))
    return {**row, "added": True}


def list_districts(conn: Connection) -> list[dict[str, Any]]:
    count = (
        select(offices.c.district, func.count().label("offices"))
        .group_by(offices.c.district)
        .subquery()
    )
    rows = conn.execute(
        select(districts, func.coalesce(count.c.offices, 0).label("offices"))
        .select_from(districts.outerjoin(count, count.c.district == districts.c.code))
        .order_by(districts.c.province, districts.c.code)
    )
    return [dict(r._mapping) for r in rows]


# -- offices -----------------------------------------------------------------------------------

_FIELDS = ("province", "district", "name_en", "name_lo")


@dataclass
class _Plan:
    """What registering offices would write, checked in full before anything is."""

    districts: dict[str, dict[str, Any]] = field(default_factory=dict)  # new ones
    inserts: dict[str, dict[str, Any]] = field(default_factory=dict)
    updates: dict[str, dict[str, Any]] = field(default_factory=dict)
    unchanged: set[str] = field(default_factory=set)

    def district(self, conn: Connection, code: str) -> dict[str, Any] | None:
        if code in self.districts:
            return self.districts[code]
        row = conn.execute(select(districts).where(districts.c.code == code)).first()
        return None if row is None else dict(row._mapping)


def _plan_office(
    conn: Connection,
    plan: _Plan,
    code: str,
    province: str | None,
    district: str | None,
    name_en: str,
    name_lo: str,
) -> None:
    """Check one office and add what it needs to `plan`; Refused when it cannot be registered."""
    office = clean_office(code)
    if office in plan.inserts or office in plan.updates or office in plan.unchanged:
        raise Refused(f"office {office} is named twice")
    wanted: dict[str, Any] = {
        "name_en": clean_name_en(name_en, "the English name"),
        "name_lo": clean_name_lo(name_lo, "the Lao name"),
        "province": clean_province(province) if province else None,
        "district": None,
    }
    if district:
        wanted["district"] = clean_district_code(district)
        found = plan.district(conn, wanted["district"])
        if found is None:
            raise Refused(
                f"district {wanted['district']} is not registered"
                f" (odsc-server district add {wanted['district']} --province …)"
            )
        if wanted["province"] is None:
            wanted["province"] = found["province"]
        elif wanted["province"] != found["province"]:
            raise Refused(
                f"district {wanted['district']} is in {found['province']},"
                f" not in {wanted['province']}"
            )
    if wanted["province"] is None:
        wanted["province"] = province_of(office)
        if wanted["province"] is None:
            raise Refused(
                f"the prefix {office_prefix(office)} of office {office} names no province:"
                " give its province (e.g. LA-VT)"
            )
    known = conn.execute(select(offices).where(offices.c.code == office)).first()
    if known is None:
        plan.inserts[office] = wanted
        return
    if wanted["district"] is None:  # left out: the district registered stays
        wanted["district"] = known.district
    clashes = [
        f"{name} {getattr(known, name)}"
        for name in _FIELDS
        if getattr(known, name) is not None and getattr(known, name) != wanted[name]
    ]
    if clashes:
        raise Refused(f"office {office} is already registered with {', '.join(clashes)}")
    missing = {
        name: wanted[name]
        for name in _FIELDS
        if getattr(known, name) is None and wanted[name] is not None
    }
    if missing:
        plan.updates[office] = missing
    else:
        plan.unchanged.add(office)


def _write(conn: Connection, plan: _Plan, now: str) -> None:
    for row in plan.districts.values():
        conn.execute(insert(districts).values(**row))
    for code, row in plan.inserts.items():
        conn.execute(insert(offices).values(code=code, registered_at=now, **row))
    for code, row in plan.updates.items():
        conn.execute(update(offices).where(offices.c.code == code).values(**row))


def add_office(
    conn: Connection,
    code: str,
    province: str | None,
    district: str | None,
    name_en: str,
    name_lo: str,
    now: datetime,
) -> str:
    """Register an office, or fill in what an office registered at enrollment lacks. Returns
    "added", "completed" or "unchanged"."""
    plan = _Plan()
    _plan_office(conn, plan, code, province, district, name_en, name_lo)
    _write(conn, plan, stamp(now))
    return "added" if plan.inserts else "completed" if plan.updates else "unchanged"


def register_enrolled(conn: Connection, office: str, now: datetime) -> None:
    """Before a code is made for one of its counters: an office not yet registered is registered
    in the province its prefix names, or refused."""
    if conn.execute(select(offices.c.code).where(offices.c.code == office)).first() is not None:
        return
    province = province_of(office)
    if province is None:
        raise Refused(
            f"office {office} is not registered and its prefix {office_prefix(office)} names no"
            f" province: register it first (odsc-server office add {office} --province LA-…"
            " --name-en … --name-lo …)",
            "enroll.office_unknown",
        )
    conn.execute(insert(offices).values(code=office, province=province, registered_at=stamp(now)))


def list_offices(conn: Connection) -> list[dict[str, Any]]:
    """Every registered office with its counters (active devices) and their newest sync."""
    active = devices.c.revoked_at.is_(None)
    found = {
        r.code: {**r._mapping, "counters": [], "last_sync": None}
        for r in conn.execute(select(offices).order_by(offices.c.code))
    }
    for r in conn.execute(
        select(devices.c.office, devices.c.counter, devices.c.last_sync)
        .where(active)
        .order_by(devices.c.office, devices.c.counter)
    ):
        office = found.get(r.office)
        if office is None:  # a device of an office that predates the registry: never after 0006
            continue
        if r.counter not in office["counters"]:
            office["counters"].append(r.counter)
        if r.last_sync is not None:
            office["last_sync"] = max(office["last_sync"] or "", r.last_sync)
    return list(found.values())


# -- a ministry's list of offices (CSV) ----------------------------------------------------------


class ImportRefused(Refused):
    """Some rows of an office list cannot be registered: each named with its line."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        lines = "\n".join(f"  {p}" for p in problems)
        super().__init__(
            f"{path}: {len(problems)} problem(s), nothing was imported:\n{lines}", "office.import"
        )


def _rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """(line number, fields) of each record, the header first; blank lines skipped."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            reader = csv.reader(f, strict=True)
            while True:
                line = reader.line_num + 1
                try:
                    fields = next(reader)
                except StopIteration:
                    return
                if any(part.strip() for part in fields):
                    yield line, fields
    except csv.Error as exc:
        raise ImportRefused(path, [f"line {reader.line_num}: not CSV ({exc})"]) from exc
    except UnicodeDecodeError as exc:
        raise Refused(f"{path} is not UTF-8 text: save the list as CSV UTF-8") from exc
    except OSError as exc:
        raise Refused(f"cannot read {path}: {exc.strerror or exc}") from exc


def import_offices(conn: Connection, path: Path, now: datetime) -> dict[str, int]:
    """Register every office of a CSV file (CSV_REQUIRED and CSV_OPTIONAL columns, with a
    header). Every row is checked first; one bad row and nothing is written."""
    rows = list(_rows(path))
    if not rows:
        raise Refused(
            f"{path} is empty: the first line names the columns ({', '.join(CSV_REQUIRED)})"
        )
    (_, header), records = rows[0], rows[1:]
    columns = [nfc(name).lower() for name in header]
    unknown = [c for c in columns if c not in CSV_REQUIRED + CSV_OPTIONAL]
    missing = [c for c in CSV_REQUIRED if c not in columns]
    if unknown or missing or len(set(columns)) != len(columns):
        raise ImportRefused(
            path,
            [
                f"line {rows[0][0]}: the header must name the columns {', '.join(CSV_REQUIRED)}"
                f" and may name {', '.join(CSV_OPTIONAL)}, each once"
                + (f"; unknown: {', '.join(unknown)}" if unknown else "")
                + (f"; missing: {', '.join(missing)}" if missing else "")
            ],
        )
    if not records:
        raise Refused(f"{path} lists no office")
    if len(records) > IMPORT_MAX_ROWS:
        raise Refused(f"{path} lists more than {IMPORT_MAX_ROWS} offices: is it the right file?")
    plan, problems = _Plan(), []
    for line, fields in records:
        if len(fields) != len(columns):
            problems.append(f"line {line}: {len(fields)} fields, the header names {len(columns)}")
            continue
        row = dict(zip(columns, (part.strip() for part in fields), strict=True))
        try:
            _plan_row(conn, plan, row)
        except Refused as exc:
            problems.append(f"line {line}: {exc.detail}")
    if problems:
        raise ImportRefused(path, problems)
    _write(conn, plan, stamp(now))
    return {
        "offices_added": len(plan.inserts),
        "offices_completed": len(plan.updates),
        "offices_unchanged": len(plan.unchanged),
        "districts_added": len(plan.districts),
    }


def _plan_row(conn: Connection, plan: _Plan, row: dict[str, str]) -> None:
    district = row.get("district", "")
    names = (row.get("district_name_en", ""), row.get("district_name_lo", ""))
    if district and any(names):
        _plan_district(conn, plan, row, district, names)
    elif any(names):
        raise Refused("district names are given but no district code")
    _plan_office(
        conn,
        plan,
        row["code"],
        row.get("province") or None,
        district or None,
        row["name_en"],
        row["name_lo"],
    )


def _plan_district(
    conn: Connection, plan: _Plan, row: dict[str, str], code: str, names: tuple[str, str]
) -> None:
    """A district named with its names in an office's row: registered with the office unless it
    is already, in which case the names must be the ones registered."""
    wanted = {
        "code": clean_district_code(code),
        "name_en": clean_name_en(names[0], "the district's English name"),
        "name_lo": clean_name_lo(names[1], "the district's Lao name"),
    }
    known = plan.district(conn, wanted["code"])
    if known is not None:
        if (known["name_en"], known["name_lo"]) != (wanted["name_en"], wanted["name_lo"]):
            raise Refused(
                f"district {wanted['code']} is already named"
                f" {known['name_en']} / {known['name_lo']}"
            )
        return
    given = row.get("province")
    province = clean_province(given) if given else province_of(clean_office(row["code"]))
    if province is None:
        raise Refused(f"a new district {wanted['code']} needs the office's province")
    plan.districts[wanted["code"]] = {**wanted, "province": province}
