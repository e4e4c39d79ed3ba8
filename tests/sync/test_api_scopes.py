"""Scopes through /api/v1: a province's account never reads another province, a ministry's only
its services, figures per clerk only for one office, and names, phones, ID numbers and villages
only for the office's own account or one granted personal data, each such read in the access
log. Every refusal is a 403 problem body. On SQLite and PostgreSQL (the `centre` of
test_api_v1)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from sync.server.db import access_log, accounts
from sync.server.figures.registry import FIGURES, Area
from sync.server.records import PERSONAL
from tests.sync.conftest import assert_problem
from tests.sync.test_api_v1 import FORMULA_NAME, MONTH, centre, expected_figure

__all__ = ["centre"]  # the fixture, shared with test_api_v1


def _log(centre) -> list[Any]:
    with centre.server.engine.connect() as conn:
        return conn.execute(
            select(accounts.c.name, access_log.c.action, access_log.c.target,
                   access_log.c.records, access_log.c.at)
            .join(accounts, accounts.c.id == access_log.c.account_id)
            .order_by(access_log.c.id)
        ).all()  # fmt: skip


def _count(centre) -> int:
    with centre.server.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(access_log)).scalar_one()


def _tracking(centre, key: str, name: str) -> str:
    rows = centre.counters[key].store.all(
        "SELECT tracking FROM requests WHERE citizen_name = ?", (name,)
    )
    return rows[0]["tracking"]


# -- places ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "params"),
    [
        ("vt", {"province": "LA-LP"}),
        ("vt", {"office": "LPB-CHO"}),
        ("vt", {}),
        ("lp", {"province": "LA-VT"}),
        ("lp", {"office": "VTE-SST"}),
        ("sst", {"office": "VTE-XAY"}),
        ("sst", {"province": "LA-VT"}),
        ("moic", {}),
        ("moic", {"ministry": "MOHA"}),
        ("moic", {"province": "LA-VT"}),
    ],
)
def test_an_area_outside_the_scopes_is_refused_everywhere(centre, who, params):
    for path, extra in (
        ("/figures/volume", {}),
        ("/figures/revenue.csv", {}),
        ("/statistics", {}),
        ("/records/requests", {}),
        ("/records/payments.xlsx", {}),
    ):
        reply = centre.get(path, who, period=MONTH, **params, **extra)
        problem = assert_problem(reply, 403, "scope.denied")
        assert "outside" in problem["detail"]


@pytest.mark.parametrize(
    ("who", "params", "area"),
    [
        ("vt", {"province": "LA-VT"}, Area("province", "LA-VT")),
        ("vt", {"office": "VTE-XAY"}, Area("office", "VTE-XAY")),
        ("lp", {"province": "LA-LP"}, Area("province", "LA-LP")),
        ("sst", {"office": "VTE-SST"}, Area("office", "VTE-SST")),
        ("moic", {"ministry": "MOIC"}, Area("nation", ministry="MOIC")),
        ("moic", {"province": "LA-LP", "ministry": "MOIC"}, Area("province", "LA-LP", "MOIC")),
    ],
)
def test_an_area_inside_the_scopes_is_answered(centre, who, params, area):
    for name in ("volume", "revenue", "satisfaction"):
        body = centre.ok(f"/figures/{name}", who, period=MONTH, by="service", **params)
        assert body == expected_figure(centre, name, area, "service")


def test_a_ministry_reads_only_its_services(centre):
    volume = centre.ok("/figures/volume", "moic", period=MONTH, ministry="MOIC", by="service")
    assert {row["ministry"] for row in volume["rows"]} == {"MOIC"}
    nation = centre.ok("/figures/volume", "nation", period=MONTH, by="ministry")
    (moic,) = [row for row in nation["rows"] if row["ministry"] == "MOIC"]
    assert volume["totals"]["received"] == moic["received"] > 0
    requests = centre.ok("/records/requests", "moic", period=MONTH, ministry="MOIC", limit=500)
    assert requests["items"] and {i["service_code"][:4] for i in requests["items"]} == {"MOIC"}
    payments = centre.ok("/records/payments", "moic", period=MONTH, ministry="MOIC", limit=500)
    assert {i["service_code"][:4] for i in payments["items"]} == {"MOIC"}
    # one record: a MOIC request yes, a MOHA one no
    moic_one = _tracking(centre, "VTE-SST-1", FORMULA_NAME)
    assert centre.ok(f"/records/requests/{moic_one}", "moic")["service_code"] == "MOIC-ENT-REG"
    moha_one = _tracking(centre, "VTE-SST-1", "ນາງ ນ້ອຍ")
    assert_problem(centre.get(f"/records/requests/{moha_one}", "moic"), 403, "scope.denied")
    # a figure with no services cannot be narrowed to a ministry's
    assert_problem(
        centre.get("/figures/cash", "moic", period=MONTH, ministry="MOIC"), 422, "figures.ministry"
    )


def test_one_record_outside_the_scopes_is_refused(centre):
    sst_request = _tracking(centre, "VTE-SST-1", "ນາງ ນ້ອຍ")
    assert_problem(centre.get(f"/records/requests/{sst_request}", "lp"), 403, "scope.denied")
    cho_request = _tracking(centre, "LPB-CHO-1", "ທ້າວ ຫຼວງ")
    assert_problem(centre.get(f"/records/requests/{cho_request}", "vt"), 403, "scope.denied")
    assert_problem(centre.get(f"/records/requests/{cho_request}", "sst"), 403, "scope.denied")
    assert centre.ok(f"/records/requests/{cho_request}", "lp")["office"] == "LPB-CHO"


# -- clerks -----------------------------------------------------------------------------------


def test_figures_per_clerk_only_for_one_office(centre):
    for name in (n for n, f in FIGURES.items() if f.clerk_by):
        for who, params in (("nation", {}), ("vt", {"province": "LA-VT"})):
            reply = centre.get(f"/figures/{name}", who, period=MONTH, by="clerk", **params)
            assert_problem(reply, 403, "figures.clerk_scope")
        body = centre.ok(f"/figures/{name}", "sst", period=MONTH, office="VTE-SST", by="clerk")
        assert body["rows"] and all("clerk" in row for row in body["rows"])


def test_records_name_the_clerks_only_for_one_office(centre):
    wide = centre.ok("/records/requests", "vt", period=MONTH, province="LA-VT", limit=500)
    assert all("created_by" not in i for i in wide["items"])
    assert all("by" not in e for i in wide["items"] for e in i["history"])
    one = centre.ok("/records/requests", "vt", period=MONTH, office="VTE-SST", limit=500)
    assert all("created_by" in i for i in one["items"])
    assert any(e["by"] for i in one["items"] for e in i["history"])


# -- personal data ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "params"),
    [
        ("nation", {}),
        ("vt", {"province": "LA-VT"}),
        ("vt", {"office": "VTE-SST"}),  # the office, through a province grant
        ("moic", {"ministry": "MOIC"}),
    ],
)
def test_personal_data_is_absent_beyond_an_office_scope(centre, who, params):
    before = _count(centre)
    items = centre.ok("/records/requests", who, period=MONTH, limit=500, **params)["items"]
    assert items
    for item in items:
        assert not set(PERSONAL) & set(item), item
    tracking = items[0]["tracking"]
    assert not set(PERSONAL) & set(centre.ok(f"/records/requests/{tracking}", who))
    assert _count(centre) == before  # nothing personal was read, nothing logged


def test_an_office_account_reads_personal_data_and_the_read_is_logged(centre):
    before = _count(centre)
    items = centre.ok("/records/requests", "sst", period=MONTH, office="VTE-SST", limit=500)[
        "items"
    ]
    by_name = {i["citizen_name"]: i for i in items}
    first = by_name["ນາງ ນ້ອຍ"]
    assert (first["phone"], first["id_number"], first["village"]) == (
        "02055550001", "ID-0001", "ບ້ານ ໂພນໄຊ",
    )  # fmt: skip
    assert all(set(PERSONAL) <= set(i) for i in items)  # present, null where not given
    tracking = first["tracking"]
    detail = centre.ok(f"/records/requests/{tracking}", "sst")
    assert detail["citizen_name"] == "ນາງ ນ້ອຍ"
    logged = _log(centre)[before:]
    assert [(r.action, r.target, r.records) for r in logged] == [
        ("records.requests", f"office:VTE-SST {MONTH}", len(items)),
        ("records.request", tracking, 1),
    ]
    assert {r.name.split()[0] for r in logged} == {"sst"}
    assert {r.at for r in logged} == {"2026-12-10T03:00:00.000000Z"}  # the centre's clock


def test_an_account_granted_personal_data_reads_it_within_its_scopes(centre):
    before = _count(centre)
    page = centre.ok("/records/requests", "nation-pd", period=MONTH, limit=3)
    assert all(set(PERSONAL) <= set(i) for i in page["items"])
    (logged,) = _log(centre)[before:]
    assert (logged.action, logged.target, logged.records) == (
        "records.requests",
        "nation 2026-11",
        3,
    )
    # an empty page holds no one's data: nothing to log
    centre.ok("/records/requests", "nation-pd", period="2026-10")
    assert _count(centre) == before + 1
