"""Who may read what through /api/v1: the area a request names, checked against its caller.

An account reads an area its grants cover (sync.server.scopes.allows); names, phones, ID numbers
and villages only where `sees_personal_data` says so. A counter's device token reads the figures
of its own office and nothing else: no other office, no figures per clerk (who approved a drawer
included) and no records, since the counter holds its own office's records already.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from sync.protocol import Problem
from sync.server import scopes
from sync.server.auth import Device
from sync.server.figures import catalog as figure_catalog
from sync.server.figures.area import Area
from sync.server.figures.errors import bad_input
from sync.server.scopes import Account

DENIED = "scope.denied"
# What the cash figure says per person (who approved each drawer): kept from device tokens as
# the other per-clerk figures are.
PER_PERSON = ("approvers", "previous_approvers")


def area_of(
    province: str | None, district: str | None, office: str | None, ministry: str | None
) -> Area:
    """The area a request names: at most one place (none is the nation), optionally one
    ministry's services in it. Anything else is a 422 `figures.area`."""
    named = [
        (place, code)
        for place, code in (("province", province), ("district", district), ("office", office))
        if code is not None
    ]
    if len(named) > 1:
        given = ", ".join(f"{place}={code}" for place, code in named)
        raise bad_input("figures.area", f"name one place, not several: {given}")
    if not named:
        return Area.parse("nation", ministry)
    place, code = named[0]
    return Area.parse(f"{place}:{code}", ministry)


def _grants(account: Account) -> str:
    return ", ".join(str(g) for g in account.grants) or "none"


def check_area(who: Device | Account, area: Area) -> None:
    """Refuse (403 scope.denied) an area the caller may not read."""
    if isinstance(who, Device):
        if area.place != "office" or area.code != who.office:
            raise Problem(
                403,
                DENIED,
                f"a counter's token reads only its own office's figures (office={who.office}),"
                f" not {area}",
            )
        return
    if not scopes.allows(who, area):
        raise Problem(403, DENIED, f"{area} is outside this account's scopes ({_grants(who)})")


def check_per_clerk(who: Device | Account, clerks: bool) -> None:
    """Refuse a figure per clerk to a counter's token."""
    if clerks and isinstance(who, Device):
        raise Problem(403, DENIED, "a counter's token does not read figures per clerk")


def for_caller(who: Device | Account, answer: dict[str, Any]) -> dict[str, Any]:
    """A figure's answer as the caller may have it: without what it says per person for a
    counter's token."""
    if isinstance(who, Device):
        return {k: v for k, v in answer.items() if k not in PER_PERSON}
    return answer


def account_only(who: Device | Account) -> Account:
    """Records are read with an account's token, never a counter's."""
    if isinstance(who, Device):
        raise Problem(
            403, DENIED, "records are read with an account's token; a counter holds its own"
        )
    return who


def record_area(conn: Connection, account: Account, office: str, service: str) -> Area:
    """The area through which `account` may read one record (a request of `service` at
    `office`): the office itself, else the office's services of a ministry it is granted.
    403 scope.denied when neither."""
    whole = Area("office", office)
    if scopes.allows(account, whole):
        return whole
    known = figure_catalog.services(conn).get(service)
    if known is not None:
        narrowed = Area("office", office, known.ministry)
        if scopes.allows(account, narrowed):
            return narrowed
    raise Problem(
        403,
        DENIED,
        f"office {office}'s {service} is outside this account's scopes ({_grants(account)})",
    )
