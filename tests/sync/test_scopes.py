"""Scopes: an account reads an area only when one of its grants covers it whole (a province its
districts and offices, a district its offices, a ministry its services anywhere); personal data
only for an office grant on its office or an account given it; every such read logged. Over HTTP,
every refusal is a 403 problem, and the old province path (`/provinces/VTE`) answers through the
hierarchy as `/provinces/LA-VT` does."""

from __future__ import annotations

import secrets
from functools import partial

import pytest
from sqlalchemy import select

from odsc_desk.shared.catalog_file import demo_catalog_path
from sync import protocol
from sync.server import accounts, hierarchy, reference, scopes
from sync.server.db import access_log, open_db, writing
from sync.server.db import accounts as accounts_table
from sync.server.figures.area import Area
from tests.conftest import FakeClock
from tests.sync.conftest import assert_problem, get
from tests.sync.test_hierarchy import enroll_device


def _hierarchy(engine, clock):
    with writing(engine) as conn:
        reference.publish(conn, demo_catalog_path(), clock())
        hierarchy.add_district(conn, "VT-01", "LA-VT", "Sisattanak", "ເມືອງສີສັດຕະນາກ")
        for office, district in (("VTE-SST", "VT-01"), ("VTE-XAY", None), ("LPB-CHO", None)):
            hierarchy.add_office(conn, office, None, district, office, "ຫ້ອງການ", clock())


def _account(engine, clock, grants, personal_data=False):
    with writing(engine) as conn:
        name = f"{' '.join(grants)} {secrets.token_hex(4)}"  # each test's own account
        made, token = accounts.add_token(conn, name, "viewer", grants, clock(), personal_data)
        row = conn.execute(select(accounts_table).where(accounts_table.c.id == made["id"])).one()
        return scopes.load_account(conn, row), token


@pytest.fixture(scope="module")
def centre(shared_db_url):
    clock = FakeClock()
    engine = open_db(shared_db_url)
    _hierarchy(engine, clock)
    yield engine, clock
    engine.dispose()


NATION = Area("nation")
LA_VT, LA_LP = Area("province", "LA-VT"), Area("province", "LA-LP")
VT_01 = Area("district", "VT-01")
SST, XAY, CHO = Area("office", "VTE-SST"), Area("office", "VTE-XAY"), Area("office", "LPB-CHO")


def _moic(area):
    return Area(area.place, area.code, "MOIC")


@pytest.mark.parametrize(
    ("grants", "allowed", "refused"),
    [
        (["nation"], [NATION, LA_LP, VT_01, CHO, _moic(NATION)], []),
        (
            ["province:LA-VT"],
            [LA_VT, VT_01, SST, XAY, _moic(LA_VT), _moic(SST)],
            [NATION, LA_LP, CHO, _moic(NATION), Area("district", "LP-01")],
        ),
        (["district:VT-01"], [VT_01, SST, _moic(SST)], [LA_VT, XAY, CHO, NATION]),
        (["office:VTE-SST"], [SST, _moic(SST)], [XAY, VT_01, LA_VT, NATION]),
        (
            ["ministry:MOIC"],
            [_moic(NATION), _moic(LA_LP), _moic(SST)],
            [NATION, LA_VT, SST, Area("office", "VTE-SST", "MOHA")],
        ),
        # Grants add up office by office, never to the place above them.
        (["district:VT-01", "office:LPB-CHO"], [SST, CHO, VT_01], [LA_VT, LA_LP, XAY, NATION]),
    ],
)
def test_an_account_reads_what_one_of_its_grants_covers(centre, grants, allowed, refused):
    engine, clock = centre
    account, _ = _account(engine, clock, grants)
    assert [a for a in allowed if not scopes.allows(account, a)] == []
    assert [a for a in refused if scopes.allows(account, a)] == []


def test_the_reach_follows_the_hierarchy_as_it_grows(centre):
    engine, clock = centre
    account, _ = _account(engine, clock, ["province:LA-LP"])
    assert not scopes.allows(account, Area("office", "LPB-NEW"))
    with writing(engine) as conn:
        hierarchy.add_office(conn, "LPB-NEW", None, None, "New", "ໃໝ່", clock())
        row = conn.execute(select(accounts_table).where(accounts_table.c.id == account.id)).one()
        again = scopes.load_account(conn, row)
    assert scopes.allows(again, Area("office", "LPB-NEW"))


@pytest.mark.parametrize(
    ("grants", "personal_data", "sees", "hidden"),
    [
        (["office:VTE-SST"], False, [SST, _moic(SST)], [XAY, VT_01]),
        (["province:LA-VT"], False, [], [SST, LA_VT, VT_01]),
        (["district:VT-01"], False, [], [SST, VT_01]),
        (["province:LA-VT"], True, [SST, XAY, LA_VT], [CHO, NATION]),
        (["nation"], True, [NATION, CHO], []),
        (["nation"], False, [], [NATION, CHO]),
    ],
)
def test_personal_data_goes_to_an_office_grant_or_by_name(
    centre, grants, personal_data, sees, hidden
):
    engine, clock = centre
    account, _ = _account(engine, clock, grants, personal_data)
    assert [a for a in sees if not scopes.sees_personal_data(account, a)] == []
    assert [a for a in hidden if scopes.sees_personal_data(account, a)] == []


def test_a_read_of_personal_data_is_logged(centre):
    engine, clock = centre
    account, _ = _account(engine, clock, ["office:VTE-XAY"])
    with writing(engine) as conn:
        scopes.log_access(conn, account, "records.requests", "office:VTE-XAY", 12, clock())
        with pytest.raises(ValueError):
            scopes.log_access(conn, account, "", "office:VTE-XAY", 1, clock())
        with pytest.raises(ValueError):
            scopes.log_access(conn, account, "records.requests", "office:VTE-XAY", -1, clock())
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                access_log.c.at, access_log.c.action, access_log.c.target, access_log.c.records
            ).where(access_log.c.account_id == account.id)
        ).all()
    assert [tuple(r) for r in rows] == [
        ("2026-11-26T02:00:00.000000Z", "records.requests", "office:VTE-XAY", 12)
    ]


# -- the reports over HTTP --------------------------------------------------------------------


@pytest.fixture
def reports(live_server):
    """Three offices in two provinces, each with a counter enrolled, and a token per scope."""
    _hierarchy(live_server.engine, live_server.clock)
    for n, office in enumerate(("VTE-SST", "VTE-XAY", "LPB-CHO")):
        enroll_device(live_server.engine, office, 1, f"dev-{n}", live_server.clock)
    tokens = {
        scope: _account(live_server.engine, live_server.clock, [scope])[1]
        for scope in ("province:LA-VT", "office:VTE-XAY", "ministry:MOIC", "district:VT-01")
    }
    base = f"{live_server.url}{protocol.REPORTS}"
    return lambda scope, path: get(base + path, tokens[scope])


def _offices(reply):
    assert reply.status_code == 200, reply.text
    return [r["office"] for r in reply.json()]


def test_a_province_viewer_reads_only_its_province(reports):
    read = partial(reports, "province:LA-VT")
    assert _offices(read("/offices")) == ["VTE-SST", "VTE-XAY"]
    assert read("/offices/VTE-SST").status_code == 200
    assert read("/offices/VTE-XAY/days/2026-11-26").status_code == 200
    for path in ("/offices/LPB-CHO", "/offices/LPB-CHO/days/2026-11-26"):
        problem = assert_problem(read(path), 403, "report.out_of_scope")
        assert "LPB-CHO" in problem["detail"]
    old, iso = read("/provinces/VTE"), read("/provinces/LA-VT")
    assert old.status_code == iso.status_code == 200
    assert (old.json()["province"], iso.json()["province"]) == ("VTE", "LA-VT")
    assert {k: v for k, v in old.json().items() if k != "province"} == {
        k: v for k, v in iso.json().items() if k != "province"
    }
    assert iso.json()["code"] == "LA-VT" and iso.json()["name_en"] == "Vientiane Capital"
    assert iso.json()["name_lo"] == "ນະຄອນຫຼວງວຽງຈັນ"
    assert iso.json()["offices"] == ["VTE-SST", "VTE-XAY"] and iso.json()["devices"] == 2
    for path in ("/provinces/LPB", "/provinces/LA-LP"):
        assert_problem(read(path), 403, "report.out_of_scope")


def test_narrower_scopes_read_less(reports):
    office = partial(reports, "office:VTE-XAY")
    assert _offices(office("/offices")) == ["VTE-XAY"]
    assert_problem(office("/offices/VTE-SST"), 403, "report.out_of_scope")
    assert_problem(office("/provinces/VTE"), 403, "report.out_of_scope")
    district = partial(reports, "district:VT-01")
    assert _offices(district("/offices")) == ["VTE-SST"]
    assert_problem(district("/offices/VTE-XAY"), 403, "report.out_of_scope")
    # An office's totals hold every ministry's services: a ministry's scope reads none of them.
    ministry = partial(reports, "ministry:MOIC")
    assert _offices(ministry("/offices")) == []
    assert_problem(ministry("/offices/VTE-SST"), 403, "report.out_of_scope")
    assert_problem(ministry("/provinces/LA-VT"), 403, "report.out_of_scope")


def test_a_province_with_no_office_yet_answers_with_zeros(live_server):
    reply = get(f"{live_server.url}{protocol.REPORTS}/provinces/LA-XE", live_server.viewer_token())
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert (body["offices"], body["devices"], body["fee_total"], body["last_sync"]) == (
        [],
        0,
        0,
        None,
    )
    assert body["name_en"] == "Sekong"
    reply = get(f"{live_server.url}{protocol.REPORTS}/provinces/LA-ZZ", live_server.viewer_token())
    assert_problem(reply, 404, "report.province_unknown")
