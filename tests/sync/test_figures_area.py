"""Areas of the figures: their spellings, and the offices and services each one covers, read
through the centre's office registry and its catalogs."""

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from odsc_desk.shared.catalog_file import demo_catalog_path
from sync.server import hierarchy, reference
from sync.server.db import open_db, requests, writing
from sync.server.figures import catalog
from sync.server.figures.area import Area, offices_clause, services_clause
from sync.server.figures.errors import FigureRefused
from tests.sync.conftest import centre_database

NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "ministry", "area"),
    [
        ("nation", None, Area("nation")),
        ("province:LA-VT", None, Area("province", "LA-VT")),
        ("district:VT-01", "MOHA", Area("district", "VT-01", "MOHA")),
        ("office:VTE-SST", None, Area("office", "VTE-SST")),
        (" office:LPB-CHO ", None, Area("office", "LPB-CHO")),
    ],
)
def test_parse(text, ministry, area):
    assert Area.parse(text, ministry) == area


@pytest.mark.parametrize(
    ("text", "ministry"),
    [
        ("", None),
        ("nation:LA-VT", None),
        ("province", None),
        ("province:VTE", None),  # a prefix, not an ISO 3166-2:LA code
        ("province:la-vt", None),
        ("office:vte-sst", None),
        ("office:VTE-SST-X-Y", None),
        ("district:VT 01", None),
        ("world", None),
        ("nation", ""),
        ("nation", "MO HA"),
    ],
)
def test_parse_refuses_with_a_422(text, ministry):
    with pytest.raises(FigureRefused) as caught:
        Area.parse(text, ministry)
    assert (caught.value.status, caught.value.code) == (422, "figures.area")


def test_to_json_and_str():
    area = Area("province", "LA-VT", "MOHA")
    assert area.to_json() == {"place": "province", "code": "LA-VT", "ministry": "MOHA"}
    assert str(area) == "province:LA-VT (MOHA)"
    assert str(Area("nation")) == "nation"


@pytest.fixture(params=["sqlite", "postgresql"])
def centre(request, tmp_path):
    """A centre with offices in two provinces (one placed in a district) and the demo catalog;
    a request of each of two services at each office."""
    with centre_database(request.param, tmp_path) as url:
        engine = open_db(url)
        with writing(engine) as conn:
            hierarchy.add_district(conn, "VT-01", "LA-VT", "Sisattanak", "ສີສັດຕະນາກ")
            hierarchy.add_office(conn, "VTE-SST", None, "VT-01", "Sisattanak", "ສີສັດຕະນາກ", NOW)
            hierarchy.register_enrolled(conn, "VTE-XAY", NOW)
            hierarchy.register_enrolled(conn, "LPB-CHO", NOW)
            reference.publish(conn, demo_catalog_path(), NOW)
            for office in ("VTE-SST", "VTE-XAY", "LPB-CHO"):
                for service in ("MOHA-BIRTH", "MOIC-ENT-REG"):
                    conn.execute(
                        requests.insert().values(
                            id=f"{office}/{service}", device_id="d", office=office, counter=1,
                            business_date="2026-11-26", tracking="T", daily_seq=1,
                            service_code=service, catalog_version=1, fee=0,
                            created_at="2026-11-26T02:00:00.000000Z",
                        )
                    )  # fmt: skip
        yield engine
        engine.dispose()


def _ids(engine, area):
    with engine.connect() as conn:
        where = offices_clause(area, requests.c.office) & services_clause(
            area, requests.c.service_code, conn
        )
        return sorted(r.id for r in conn.execute(select(requests.c.id).where(where)))


@pytest.mark.parametrize(
    ("area", "ids"),
    [
        (
            Area("nation"),
            ["LPB-CHO/MOHA-BIRTH", "LPB-CHO/MOIC-ENT-REG", "VTE-SST/MOHA-BIRTH",
             "VTE-SST/MOIC-ENT-REG", "VTE-XAY/MOHA-BIRTH", "VTE-XAY/MOIC-ENT-REG"],
        ),
        (
            Area("province", "LA-VT"),
            ["VTE-SST/MOHA-BIRTH", "VTE-SST/MOIC-ENT-REG", "VTE-XAY/MOHA-BIRTH",
             "VTE-XAY/MOIC-ENT-REG"],
        ),
        (Area("province", "LA-LP", "MOHA"), ["LPB-CHO/MOHA-BIRTH"]),
        (Area("district", "VT-01"), ["VTE-SST/MOHA-BIRTH", "VTE-SST/MOIC-ENT-REG"]),
        (Area("office", "VTE-XAY", "MOIC"), ["VTE-XAY/MOIC-ENT-REG"]),
        (Area("province", "LA-XA"), []),
        (Area("nation", "", "NOBODY"), []),
    ],
)  # fmt: skip
def test_clauses_cover_the_area(centre, area, ids):
    assert _ids(centre, area) == ids


def test_a_service_keeps_the_ministry_of_the_newest_catalog_listing_it(centre, tmp_path):
    data = json.loads(demo_catalog_path().read_text(encoding="utf-8"))
    data["version"] = 2
    for service in data["services"]:
        if service["code"] == "MOHA-BIRTH":
            service["ministry"] = "MPS"
    data["services"] = [s for s in data["services"] if s["code"] != "MOIC-ENT-REG"]
    path = tmp_path / "v2.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with writing(centre) as conn:
        reference.publish(conn, path, NOW)
    with centre.connect() as conn:
        found = catalog.services(conn)
    assert found["MOHA-BIRTH"].ministry == "MPS"
    assert found["MOIC-ENT-REG"].ministry == "MOIC"  # dropped from v2: v1's ministry stays
    assert _ids(centre, Area("province", "LA-LP", "MPS")) == ["LPB-CHO/MOHA-BIRTH"]
    assert _ids(centre, Area("province", "LA-LP", "MOHA")) == []
