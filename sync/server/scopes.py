"""What an account may read: its grants, resolved through the hierarchy, against an Area.

A grant names a place — the nation, a province, a district, an office — or a ministry (that
ministry's services in every office). An account may read an area when one of its grants covers
it whole: a province grant covers the province, each of its districts and each of its offices;
a district grant its offices; an office grant that office; a ministry grant any place, but only
for that ministry's services (an area naming that ministry). Nothing is covered by adding up
grants: two district grants do not make their province.

Personal data (citizens' names, phones, ID numbers) goes only to an office grant for that
office, or to an account given it by name (`--personal-data`), within its grants; every read of
it is written to `access_log` (who, what, when, how many records).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import Connection, insert, select

from odsc_desk.shared.clock import stamp, system_clock
from sync.server.db import SCOPE_KINDS, access_log, account_scopes, districts, offices

NATION = "nation"


class Area(Protocol):
    """What a scope is checked against: sync.server.figures.area.Area. Described here rather
    than imported, because the figures read the reports' sums and the reports check scopes:
    importing it would close a loop of imports."""

    @property
    def place(self) -> str: ...  # "nation", "province", "district" or "office"

    @property
    def code(self) -> str: ...

    @property
    def ministry(self) -> str | None: ...


@dataclass(frozen=True, order=True)
class Grant:
    kind: str  # SCOPE_KINDS
    code: str = ""  # "" for the nation

    def __post_init__(self) -> None:
        if self.kind not in SCOPE_KINDS or (self.kind == NATION) != (self.code == ""):
            raise ValueError(f"not a grant: {self.kind}:{self.code}")

    def __str__(self) -> str:
        return self.kind if self.kind == NATION else f"{self.kind}:{self.code}"


@dataclass(frozen=True)
class Reach:
    """Every place and ministry an account's grants cover, resolved when it was loaded."""

    nation: bool = False
    provinces: frozenset[str] = frozenset()
    districts: frozenset[str] = frozenset()
    offices: frozenset[str] = frozenset()
    ministries: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Account:
    """A caller with an account at the centre (a person, or a machine's token)."""

    id: int
    name: str
    role: str
    grants: tuple[Grant, ...]
    personal_data: bool
    reach: Reach


def reach_of(conn: Connection, grants: Iterable[Grant]) -> Reach:
    """The places `grants` cover, as the hierarchy stands now."""
    by_kind: dict[str, set[str]] = {kind: set() for kind in SCOPE_KINDS}
    for grant in grants:
        by_kind[grant.kind].add(grant.code)
    provinces = by_kind["province"]
    district_codes = set(by_kind["district"])
    office_codes = set(by_kind["office"])
    if provinces:
        district_codes |= set(
            conn.execute(select(districts.c.code).where(districts.c.province.in_(provinces)))
            .scalars()
            .all()
        )
        office_codes |= set(
            conn.execute(select(offices.c.code).where(offices.c.province.in_(provinces)))
            .scalars()
            .all()
        )
    if by_kind["district"]:
        office_codes |= set(
            conn.execute(select(offices.c.code).where(offices.c.district.in_(by_kind["district"])))
            .scalars()
            .all()
        )
    return Reach(
        nation=bool(by_kind[NATION]),
        provinces=frozenset(provinces),
        districts=frozenset(district_codes),
        offices=frozenset(office_codes),
        ministries=frozenset(by_kind["ministry"]),
    )


def grants_of(conn: Connection, account_id: int) -> tuple[Grant, ...]:
    rows = conn.execute(
        select(account_scopes.c.kind, account_scopes.c.code).where(
            account_scopes.c.account_id == account_id
        )
    )
    return tuple(sorted(Grant(r.kind, r.code) for r in rows))


def load_account(conn: Connection, row: Any) -> Account:
    """The caller an `accounts` row stands for, with its grants resolved."""
    grants = grants_of(conn, row.id)
    return Account(
        id=int(row.id),
        name=row.name,
        role=row.role,
        grants=grants,
        personal_data=bool(row.personal_data),
        reach=reach_of(conn, grants),
    )


def allows(account: Account, area: Area) -> bool:
    """Whether one of the account's grants covers the whole of `area`."""
    reach = account.reach
    if reach.nation or (area.ministry is not None and area.ministry in reach.ministries):
        return True
    if area.place == "province":
        return area.code in reach.provinces
    if area.place == "district":
        return area.code in reach.districts
    if area.place == "office":
        return area.code in reach.offices
    return False  # the nation: only a nation grant


@dataclass(frozen=True)
class _Whole:
    """A place with every ministry's services: what the reports' totals cover."""

    place: str
    code: str
    ministry: None = None


def reads_office(account: Account, office: str) -> bool:
    """Whether the account may read an office's totals (all its services)."""
    return allows(account, _Whole("office", office))


def reads_province(account: Account, province: str) -> bool:
    """Whether the account may read a province's totals (all its services)."""
    return allows(account, _Whole("province", province))


def sees_personal_data(account: Account, area: Area) -> bool:
    """Names, phones and ID numbers: for an office grant on its own office, or an account
    given personal data by name, and only within what it may read."""
    if not allows(account, area):
        return False
    return account.personal_data or (
        area.place == "office" and Grant("office", area.code) in account.grants
    )


def log_access(
    conn: Connection,
    account: Account,
    action: str,
    target: str,
    records: int,
    at: datetime | None = None,
) -> None:
    """Write down a read of personal data, in the reading transaction: `action` what was read
    (e.g. "records.requests"), `target` which (an area, a tracking number), `records` how many
    came back."""
    if not action or len(action) > 40:
        raise ValueError(f"an access log action is 1 to 40 characters: {action!r}")
    if records < 0:
        raise ValueError(f"a count of records cannot be negative: {records}")
    conn.execute(
        insert(access_log).values(
            account_id=account.id,
            at=stamp(at or system_clock()),
            action=action,
            target=target,
            records=records,
        )
    )
