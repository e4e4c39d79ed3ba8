"""The hierarchy as data: the 18 provinces (checked against ISO 3166-2:LA as pycountry has it),
office codes placed by their prefix, districts and offices registered by `odsc-server district`
and `office` (one by one or from a ministry's CSV, all rows or none), an enrolled office
registered on its own, and migration 0006 registering the offices a centre already held."""

from __future__ import annotations

import importlib
import json
import unicodedata
from importlib import resources

import pycountry
import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import select, text

from sync.server import cli, hierarchy
from sync.server.context import Context
from sync.server.db import make_engine, offices, open_db, provinces, writing
from sync.server.enrollment import EnrollRequest, create_code, enroll
from tests.conftest import FakeClock
from tests.sync.conftest import count_rows

LAO = ("\u0e80", "\u0eff")
PROVINCES = json.loads(
    resources.files("sync.server").joinpath("data", "provinces.json").read_text("utf-8")
)["provinces"]
MIGRATION = importlib.import_module("sync.server.migrations.versions.0006_hierarchy_people")


def at_revision(url: str, revision: str) -> None:
    """Bring an empty centre database to `revision` only, as a release that stopped there did."""
    engine = make_engine(url)
    config = Config()
    config.set_main_option("script_location", str(resources.files("sync.server") / "migrations"))
    with writing(engine) as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
    engine.dispose()


def _cli(capsys, *argv):
    try:
        code = cli.main(list(argv))
    except SystemExit as exc:  # argparse's usage errors
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def enroll_device(engine, office, counter, device_id, clock=None):
    """A counter enrolled as `odsc sync enroll` does it, in this process."""
    clock = clock or FakeClock()
    with writing(engine) as conn:
        code = create_code(conn, office, counter, clock())["code"]
    request = EnrollRequest(code=code, device_id=device_id, office=office, counter=counter)
    return enroll(Context(engine, clock), request).token


# -- the provinces ----------------------------------------------------------------------------


def test_the_provinces_are_iso_3166_2_la():
    iso = {s.code: s for s in pycountry.subdivisions.get(country_code="LA")}
    assert len(PROVINCES) == 18
    assert {p["code"] for p in PROVINCES} == set(iso)
    for p in PROVINCES:
        assert p["iso_name"] == iso[p["code"]].name, p["code"]
        expected_type = "Prefecture" if p["code"] == "LA-VT" else "Province"
        assert iso[p["code"]].type == expected_type
    # ISO names the capital and the province alike ("Viangchan"); ours tell them apart.
    assert len({p["name_en"] for p in PROVINCES}) == 18


def test_the_lao_names_are_lao_script_in_one_spelling():
    for p in PROVINCES:
        name = p["name_lo"]
        assert unicodedata.is_normalized("NFC", name), p["code"]
        assert all(LAO[0] <= ch <= LAO[1] for ch in name), p["code"]
        # AM is U+0EB3, never NIGGAHITA + AA (which looks the same and searches differently).
        assert "\u0ecd\u0eb2" not in name and "\u0ecd\u0ec9\u0eb2" not in name, p["code"]
        expected_start = "ນະຄອນຫຼວງ" if p["code"] == "LA-VT" else "ແຂວງ"
        assert name.startswith(expected_start), p["code"]
    assert len({p["name_lo"] for p in PROVINCES}) == 18


def test_every_prefix_names_one_province():
    seen: dict[str, str] = {}
    for p in PROVINCES:
        assert p["prefixes"][0] == p["code"][3:]  # the ISO suffix first
        for prefix in p["prefixes"]:
            assert prefix not in seen, f"{prefix}: {seen.get(prefix)} and {p['code']}"
            assert prefix.isascii() and prefix.isupper() and 2 <= len(prefix) <= 5
            seen[prefix] = p["code"]


@pytest.mark.parametrize(
    ("office", "province"),
    [
        ("VTE-SST", "LA-VT"),
        ("VTE-XAY", "LA-VT"),
        ("VTE-NAX", "LA-VT"),
        ("VTE-CTB", "LA-VT"),
        ("VTE-HAT", "LA-VT"),
        ("VT-01", "LA-VT"),
        ("LPB-CHO", "LA-LP"),
        ("SVK", "LA-SV"),
        ("XKG-A1", None),
        ("LA-VT", None),  # an ISO code is not an office prefix
    ],
)
def test_an_office_code_is_placed_by_its_prefix(office, province):
    assert hierarchy.province_of(office) == province


def test_the_migration_wrote_the_provinces_file(server_db_url):
    """0006 writes its own copy of the provinces (a migration must do the same whenever it runs):
    today it is the shipped file, names and prefixes alike."""
    engine = open_db(server_db_url)
    with engine.connect() as conn:
        rows = {tuple(r) for r in conn.execute(select(provinces))}
    engine.dispose()
    assert rows == {(p["code"], p["name_en"], p["name_lo"]) for p in PROVINCES}
    written = {code: prefixes for code, _, _, prefixes in MIGRATION.PROVINCES}
    assert written == {p["code"]: tuple(p["prefixes"]) for p in PROVINCES}


# -- districts and offices --------------------------------------------------------------------


def test_districts_and_offices_are_registered_and_listed(server_db_url, capsys):
    db = ("--db", server_db_url)
    code, out, err = _cli(
        capsys, "district", "add", "vt-01", "--province", "LA-VT",
        "--name-en", "Chanthabouly", "--name-lo", "ເມືອງຈັນທະບູລີ", *db,
    )  # fmt: skip
    assert code == 0, err
    assert out == "District VT-01 (Chanthabouly, LA-VT) registered.\n"
    code, out, err = _cli(
        capsys, "office", "add", "VTE-CTB", "--district", "VT-01",
        "--name-en", "Chanthabouly ODSC", "--name-lo", "ຫ້ອງການບໍລິການປະຕູດຽວ ຈັນທະບູລີ", *db,
    )  # fmt: skip
    assert (code, out) == (0, "Office VTE-CTB registered.\n"), err
    # No district: the province its prefix names.
    code, _, err = _cli(
        capsys, "office", "add", "LPB-CHO", "--name-en", "Chomphet", "--name-lo", "ຈອມເພັດ", *db
    )
    assert code == 0, err
    # A prefix no province has: placed by hand.
    code, _, err = _cli(
        capsys, "office", "add", "XKG-A1", "--province", "LA-XE",
        "--name-en", "Kaleum", "--name-lo", "ກະເລີມ", *db,
    )  # fmt: skip
    assert code == 0, err
    engine = open_db(server_db_url)
    enroll_device(engine, "VTE-CTB", 1, "dev-ctb-1")
    enroll_device(engine, "VTE-CTB", 2, "dev-ctb-2")
    engine.dispose()

    code, out, _ = _cli(capsys, "office", "list", "--json", *db)
    listed = {o["code"]: o for o in json.loads(out)}
    assert list(listed) == ["LPB-CHO", "VTE-CTB", "XKG-A1"]
    ctb = listed["VTE-CTB"]
    assert (ctb["province"], ctb["district"], ctb["counters"]) == ("LA-VT", "VT-01", [1, 2])
    assert ctb["name_lo"] == "ຫ້ອງການບໍລິການປະຕູດຽວ ຈັນທະບູລີ"
    assert (listed["LPB-CHO"]["province"], listed["LPB-CHO"]["counters"]) == ("LA-LP", [])
    assert listed["XKG-A1"]["province"] == "LA-XE"
    code, out, _ = _cli(capsys, "office", "list", *db)
    assert "VTE-CTB  LA-VT  VT-01  Chanthabouly ODSC" in out and "counters 1,2" in out

    code, out, _ = _cli(capsys, "district", "list", "--json", *db)
    assert json.loads(out) == [
        {
            "code": "VT-01",
            "province": "LA-VT",
            "name_en": "Chanthabouly",
            "name_lo": "ເມືອງຈັນທະບູລີ",
            "offices": 1,
        }
    ]


def test_an_enrolled_office_is_registered_then_named(server_db_url, capsys):
    db = ("--db", server_db_url)
    code, _, err = _cli(capsys, "enroll", "--office", "VTE-SST", "--counter", "1", *db)
    assert code == 0, err
    engine = open_db(server_db_url)
    with engine.connect() as conn:
        row = conn.execute(select(offices).where(offices.c.code == "VTE-SST")).one()
    assert (row.province, row.district, row.name_en) == ("LA-VT", None, None)

    code, out, err = _cli(
        capsys, "office", "add", "VTE-SST", "--name-en", "Sisattanak ODSC",
        "--name-lo", "ຫ້ອງການບໍລິການປະຕູດຽວ ສີສັດຕະນາກ", *db,
    )  # fmt: skip
    assert (code, out) == (0, "Office VTE-SST completed (it was registered at enrollment).\n"), err
    # Moving it, or renaming it, is not what `add` does: refused, nothing changed.
    before = count_rows(engine)
    code, out, err = _cli(
        capsys, "office", "add", "VTE-SST", "--province", "LA-LP", "--name-en", "Sisattanak ODSC",
        "--name-lo", "ຫ້ອງການບໍລິການປະຕູດຽວ ສີສັດຕະນາກ", *db,
    )  # fmt: skip
    assert (code, out) == (1, "")
    assert "already registered with province LA-VT" in err
    assert count_rows(engine) == before
    engine.dispose()


def test_an_office_whose_prefix_names_no_province_is_registered_before_enrollment(
    server_db_url, capsys
):
    db = ("--db", server_db_url)
    engine = open_db(server_db_url)
    before = count_rows(engine)
    code, out, err = _cli(capsys, "enroll", "--office", "XKG-ABC", "--counter", "1", *db)
    assert (code, out) == (1, "")
    assert err.count("\n") == 1 and "office add XKG-ABC --province" in err
    assert count_rows(engine) == before
    code, _, err = _cli(
        capsys, "office", "add", "XKG-ABC", "--province", "LA-XE",
        "--name-en", "Lamam", "--name-lo", "ລະມາມ", *db,
    )  # fmt: skip
    assert code == 0, err
    code, out, err = _cli(capsys, "enroll", "--office", "XKG-ABC", "--counter", "1", *db)
    assert code == 0, err
    engine.dispose()


@pytest.fixture(scope="module")
def registered(shared_db_url):
    """A district, for the refusals below to clash with."""
    engine = open_db(shared_db_url)
    with writing(engine) as conn:
        hierarchy.add_district(conn, "VT-01", "LA-VT", "Chanthabouly", "ເມືອງຈັນທະບູລີ")
    yield shared_db_url
    engine.dispose()


_NAMES = ["--name-en", "Sisattanak", "--name-lo", "ສີສັດຕະນາກ"]
_LAO_AS_EN = ["--name-en", "ສີສັດຕະນາກ", "--name-lo", "ສີສັດຕະນາກ"]
_EN_AS_LAO = ["--name-en", "Sisattanak", "--name-lo", "Sisattanak"]
_BLANK_EN = ["--name-en", "  ", "--name-lo", "ສີສັດຕະນາກ"]
_IN_LP = ["--province", "LA-LP"]


@pytest.mark.parametrize(
    ("argv", "exit_code", "words"),
    [
        (["district", "add", "VT 01", "--province", "LA-VT", *_NAMES], 1, "district code"),
        (["district", "add", "VT-02", "--province", "LA-ZZ", *_NAMES], 1, "no province"),
        (["district", "add", "VT-02", "--province", "LA-VT", *_LAO_AS_EN], 1, "written in Lao"),
        (["district", "add", "VT-02", "--province", "LA-VT", *_EN_AS_LAO], 1, "Lao script"),
        (["district", "add", "VT-02", "--province", "LA-VT", *_BLANK_EN], 1, "empty"),
        (["district", "add", "VT-01", "--province", "LA-LP", *_NAMES], 1, "already registered"),
        (["district", "add", "VT-02", "--name-en", "x", "--name-lo", "ສ"], 2, "--province"),
        (["office", "add", "vte sst!", *_NAMES], 1, "office code"),
        (["office", "add", "XKG-ABC", *_NAMES], 1, "names no province"),
        (["office", "add", "VTE-SST", "--district", "VT-99", *_NAMES], 1, "not registered"),
        (["office", "add", "VTE-SST", "--district", "VT-01", *_IN_LP, *_NAMES], 1, "is in LA-VT"),
        (["office", "add", "VTE-SST", "--name-en", "x\x07", "--name-lo", "ສ"], 1, "control"),
        (["office", "add", "VTE-SST", "--name-en", "S" * 121, "--name-lo", "ສ"], 1, "longer"),
        (["office", "add", "VTE-SST", "--name-en", "Sisattanak"], 2, "--name-lo"),
    ],
)
def test_bad_hierarchy_input_is_refused_and_changes_nothing(
    registered, capsys, argv, exit_code, words
):
    engine = open_db(registered)
    before = count_rows(engine)
    code, out, err = _cli(capsys, *argv, "--db", registered)
    assert (code, out) == (exit_code, "")
    assert len(err.strip().splitlines()) == 1, err
    assert words.lower() in err.lower()
    assert count_rows(engine) == before
    engine.dispose()


# -- a ministry's list of offices -------------------------------------------------------------

GOOD_CSV = """\
code,name_en,name_lo,province,district,district_name_en,district_name_lo
VTE-SST,Sisattanak ODSC,ຫ້ອງການ ສີສັດຕະນາກ,,VT-02,Sisattanak,ເມືອງສີສັດຕະນາກ
VTE-XAY,Xaysettha ODSC,ຫ້ອງການ ໄຊເສດຖາ,LA-VT,VT-03,Xaysettha,ເມືອງໄຊເສດຖາ
VTE-HAT,Hadxaifong ODSC,ຫ້ອງການ ຫາດຊາຍຟອງ,,VT-02,,
LPB-CHO,Chomphet ODSC,ຫ້ອງການ ຈອມເພັດ,,,,
"""


def test_an_office_list_is_imported(server_db_url, capsys, tmp_path):
    db = ("--db", server_db_url)
    code, _, _ = _cli(capsys, "enroll", "--office", "LPB-CHO", "--counter", "1", *db)
    assert code == 0
    path = tmp_path / "offices.csv"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD_CSV.encode())  # as a spreadsheet saves it
    code, out, err = _cli(capsys, "office", "import", str(path), *db)
    assert code == 0, err
    assert out == (
        f"Imported {path}: 3 offices registered, 1 completed, 0 unchanged,"
        " 2 districts registered.\n"
    )
    code, out, _ = _cli(capsys, "office", "list", "--json", *db)
    placed = {o["code"]: (o["province"], o["district"], o["name_en"]) for o in json.loads(out)}
    assert placed == {
        "LPB-CHO": ("LA-LP", None, "Chomphet ODSC"),
        "VTE-HAT": ("LA-VT", "VT-02", "Hadxaifong ODSC"),
        "VTE-SST": ("LA-VT", "VT-02", "Sisattanak ODSC"),
        "VTE-XAY": ("LA-VT", "VT-03", "Xaysettha ODSC"),
    }
    # The same list again changes nothing.
    engine = open_db(server_db_url)
    before = count_rows(engine)
    code, out, _ = _cli(capsys, "office", "import", str(path), *db)
    assert code == 0 and "0 offices registered, 0 completed, 4 unchanged, 0 districts" in out
    assert count_rows(engine) == before
    engine.dispose()


BAD_CSV = """\
code,name_en,name_lo,province,district
VTE-SST,Sisattanak ODSC,ຫ້ອງການ ສີສັດຕະນາກ,,
XKG-ABC,Lamam ODSC,ຫ້ອງການ ລະມາມ,,
VTE-XAY,Xaysettha ODSC,Xaysettha,,
VTE-SST,Sisattanak again,ຫ້ອງການ ສີສັດຕະນາກ,,
LPB-CHO,Chomphet ODSC,ຫ້ອງການ ຈອມເພັດ,LA-LP
VTE-HAT,Hadxaifong ODSC,ຫ້ອງການ ຫາດຊາຍຟອງ,LA-VT,VT-77
LPB-LPB,Luang Prabang ODSC,ຫ້ອງການ ຫຼວງພະບາງ,LA-ZZ,
"""


def test_an_office_list_with_bad_rows_imports_nothing_and_names_each(
    shared_db_url, capsys, tmp_path
):
    path = tmp_path / "offices.csv"
    path.write_text(BAD_CSV, encoding="utf-8")
    engine = open_db(shared_db_url)
    before = count_rows(engine)
    code, out, err = _cli(capsys, "office", "import", str(path), "--db", shared_db_url)
    assert (code, out) == (1, "")
    lines = err.splitlines()
    assert "6 problem(s), nothing was imported" in lines[0]
    assert [line.split(":")[0].strip() for line in lines[1:]] == [
        f"line {n}" for n in (3, 4, 5, 6, 7, 8)
    ]
    assert "names no province" in lines[1] and "Lao script" in lines[2]
    assert "named twice" in lines[3]
    assert "4 fields, the header names 5" in lines[4] and "VT-77 is not registered" in lines[5]
    assert "no province 'LA-ZZ'" in lines[6]
    assert count_rows(engine) == before
    engine.dispose()


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "is empty"),
        (b"code,name_en\nVTE-SST,Sisattanak\n", "missing: name_lo"),
        (b"code,name_en,name_lo,zone\nVTE-SST,S,\xe0\xba\xaa,x\n", "unknown: zone"),
        (b"code,name_en,name_lo\n", "lists no office"),
        ("code,name_en,name_lo\nVTE-SST,S,ສ\n".encode("utf-16"), "not UTF-8"),
        (b'code,name_en,name_lo\nVTE-SST,"S,\xe0\xba\xaa\n', "not CSV"),
    ],
)
def test_a_file_that_is_no_office_list_is_refused(shared_db_url, capsys, tmp_path, content, words):
    path = tmp_path / "offices.csv"
    path.write_bytes(content)
    engine = open_db(shared_db_url)
    before = count_rows(engine)
    code, out, err = _cli(capsys, "office", "import", str(path), "--db", shared_db_url)
    assert (code, out) == (1, "")
    assert words in err
    assert count_rows(engine) == before
    engine.dispose()


def test_a_missing_office_list_is_refused(shared_db_url, capsys, tmp_path):
    code, out, err = _cli(
        capsys, "office", "import", str(tmp_path / "none.csv"), "--db", shared_db_url
    )
    assert (code, out) == (1, "")
    assert err.count("\n") == 1 and "cannot read" in err and "No such file" in err


# -- a centre upgraded from 0005 ----------------------------------------------------------------


def test_the_upgrade_registers_every_office_it_held(server_db_url, capsys):
    at_revision(server_db_url, "0005")
    engine = make_engine(server_db_url)
    with writing(engine) as conn:
        for n, (office, at) in enumerate(
            [
                ("VTE-SST", "2026-01-05T02:00:00.000000Z"),
                ("VTE-SST", "2026-01-03T02:00:00.000000Z"),
                ("LPB-CHO", "2026-02-01T02:00:00.000000Z"),
                ("QQQ-X1", "2026-03-01T02:00:00.000000Z"),
            ]
        ):
            conn.execute(
                text(
                    "INSERT INTO devices (device_id, office, counter, token_sha256, enrolled_at,"
                    " high_water, ops) VALUES (:d, :o, :c, :t, :at, 0, 0)"
                ),
                {"d": f"dev-{n}", "o": office, "c": n + 1, "t": bytes([n]) * 32, "at": at},
            )
        # A code made but not yet used: its office is registered too.
        conn.execute(
            text(
                "INSERT INTO enroll_codes (code_sha256, office, counter, created_at, expires_at)"
                " VALUES (:h, 'SVK-KPL', 1, '2026-03-02T02:00:00.000000Z',"
                " '2026-03-05T02:00:00.000000Z')"
            ),
            {"h": b"\x09" * 32},
        )
    engine.dispose()
    engine = open_db(server_db_url)
    with engine.connect() as conn:
        rows = {r.code: (r.province, r.registered_at) for r in conn.execute(select(offices))}
    assert rows == {
        "LPB-CHO": ("LA-LP", "2026-02-01T02:00:00.000000Z"),
        "QQQ-X1": (None, "2026-03-01T02:00:00.000000Z"),
        "SVK-KPL": ("LA-SV", "2026-03-02T02:00:00.000000Z"),
        "VTE-SST": ("LA-VT", "2026-01-03T02:00:00.000000Z"),
    }
    code, out, _ = _cli(capsys, "office", "list", "--db", server_db_url)
    assert "QQQ-X1  no province" in out
    # The office nobody could place is placed by hand.
    code, out, err = _cli(
        capsys, "office", "add", "QQQ-X1", "--province", "LA-XS",
        "--name-en", "Anouvong", "--name-lo", "ອະນຸວົງ", "--db", server_db_url,
    )  # fmt: skip
    assert code == 0, err
    with engine.connect() as conn:
        placed = conn.execute(select(offices.c.province).where(offices.c.code == "QQQ-X1"))
        assert placed.scalar_one() == "LA-XS"
    engine.dispose()
