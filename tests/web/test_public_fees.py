"""The public fee catalog (issue 15, item 1): `/fees`, its search, the next version announced,
the open data (JSON and CSV) and an office's wall poster, against the `catalogs` table a real
server on loopback reads. Refusals in both languages, and nothing written by any of it."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import select

from odsc_desk.shared.catalog_file import demo_catalog_path, parse_catalog
from sync.server import hierarchy
from sync.server.db import catalogs, writing
from sync.server.web.fees_pages import PUBLIC_URL_ENV
from sync.server.web.site import CSP
from tests.receipts.conftest import png_pages, poppler_text, qr_codes, reader
from tests.sync.conftest import (
    BACKENDS,
    LiveServer,
    centre_database,
    count_rows,
    running_server,
)

LEGAL_LO = "ດຳລັດ ເລກທີ 002/ນຍ, ລົງວັນທີ 12/01/2019"
LEGAL_EN = "Decree No. 002/PM of 12 January 2019"
FORMULA = '=HYPERLINK("http://example.test","click")'
NEXT_DAY = date(2026, 12, 1)  # the server's clock starts on 26/11/2026 (tests/conftest.py)


def catalog_data(version: int = 1) -> dict[str, Any]:
    """The demo catalog with a legal basis on two services (one of them a formula, as a careless
    or hostile editor might type it) and a service done the same day; version 2 raises a fee and
    adds a service."""
    data = json.loads(demo_catalog_path().read_text(encoding="utf-8"))
    data["version"] = version
    services = data["services"]
    services[0].update(legal_basis_lo=LEGAL_LO, legal_basis_en=LEGAL_EN)
    services[1].update(legal_basis_en=FORMULA)
    services[2]["days"] = 0  # done while the citizen waits
    if version == 2:
        services[0]["fee"] += 25_000
        services.append({**services[0], "code": "MOIC-ENT-NEW", "name_en": "New registration"})
    return data


def write(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / f"catalog-{data['version']}.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def server(tmp_path: Path) -> Iterator[LiveServer]:
    with running_server(f"sqlite:///{tmp_path / 'centre.db'}") as live:
        live.publish_catalog(write(tmp_path, catalog_data(1)))
        with writing(live.engine) as conn:
            hierarchy.add_office(
                conn, "VTE-SST", None, None, "Sisattanak ODSC", "ສູນບໍລິການ ສີສັດຕະນາກ", live.clock()
            )
        yield live


@pytest.fixture
def with_next(server: LiveServer, tmp_path: Path) -> LiveServer:
    """Version 2 published to take effect on NEXT_DAY."""
    data = {**catalog_data(2), "effective_from": NEXT_DAY.isoformat()}
    server.publish_catalog(write(tmp_path, data))
    return server


def get(server: LiveServer, path: str, **params: str) -> requests.Response:
    return requests.get(server.url + path, params=params, timeout=30)


def stored(server: LiveServer, version: int) -> list[dict[str, Any]]:
    """The services of a version as the counter's reader reads the catalogs table."""
    with server.engine.connect() as conn:
        text = conn.execute(
            select(catalogs.c.catalog).where(catalogs.c.version == version)
        ).scalar_one()
    return parse_catalog(json.loads(text)).services


def on_page(html: str) -> dict[str, tuple[int, int]]:
    """Each service on the page: code → (fee, days)."""
    found = re.findall(
        r'data-code="([^"]+)".*?data-fee="(\d+)".*?data-days="(\d+)"', html, flags=re.S
    )
    return {code: (int(fee), int(days)) for code, fee, days in found}


# -- the page ---------------------------------------------------------------------------------


def test_the_page_shows_exactly_the_catalog_in_effect_in_lao_then_english(
    server: LiveServer,
) -> None:
    services = stored(server, 1)
    lao = get(server, "/fees")
    assert lao.status_code == 200
    assert lao.headers["Content-Security-Policy"] == CSP
    assert lao.headers["Cache-Control"] == "public, max-age=300"
    assert "set-cookie" not in lao.headers
    assert on_page(lao.text) == {s["code"]: (s["fee"], s["days"]) for s in services}
    assert '<html lang="lo">' in lao.text
    assert "ສະບັບທີ 1, ມີຜົນແຕ່ວັນທີ 26/11/2026" in lao.text
    assert "150,000 ກີບ" in lao.text
    for service in services:
        assert service["name_lo"] in lao.text
        assert service["ministry_lo"] in lao.text
        for document in json.loads(service["documents"]):
            assert document["name_lo"] in lao.text
    assert LEGAL_LO in lao.text
    english = get(server, "/fees", lang="en")
    assert '<html lang="en">' in english.text
    assert "Version 1, in effect from 26/11/2026" in english.text
    assert "150,000 kip" in english.text
    assert all(s["ministry_en"] in english.text for s in services)
    assert LEGAL_EN in english.text
    assert "1 working day<" in english.text and "3 working days" in english.text
    assert english.text.count("the same day") == 1
    assert lao.text.count("ພາຍໃນມື້ດຽວກັນ") == 1
    # A formula is shown as the text it is (escaped as every page's text is).
    assert "=HYPERLINK(&#34;http://example.test&#34;,&#34;click&#34;)" in english.text


@pytest.mark.parametrize("backend", BACKENDS)
def test_either_database_gives_the_same_page_and_files(backend: str, tmp_path: Path) -> None:
    with centre_database(backend, tmp_path) as url, running_server(url) as live:
        live.publish_catalog(write(tmp_path, catalog_data(1)))
        live.publish_catalog(write(tmp_path, {**catalog_data(2), "effective_from": "2026-12-01"}))
        services = stored(live, 1)
        assert on_page(get(live, "/fees").text) == {
            s["code"]: (s["fee"], s["days"]) for s in services
        }
        answer = get(live, "/open/catalog.json").json()
        assert (answer["version"], answer["next"]["version"]) == (1, 2)
        _same_services(answer, services)


def test_a_service_has_its_own_anchor(server: LiveServer) -> None:
    page = get(server, "/fees").text
    assert all(f'id="{s["code"]}"' in page for s in stored(server, 1))


def test_no_catalog_yet_says_so(tmp_path: Path) -> None:
    with running_server(f"sqlite:///{tmp_path / 'empty.db'}") as empty:
        page = get(empty, "/fees", lang="en")
        assert page.status_code == 200
        assert "No fee catalog has been published yet" in page.text
        assert get(empty, "/open/catalog.json").status_code == 404
        assert get(empty, "/fees/poster.pdf", office="VTE-SST").status_code == 404


# -- search -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "lang", "expected"),
    [
        ("enterprise registration", "en", {"MOIC-ENT-REG"}),
        ("ENTERPRISE", "en", {"MOIC-ENT-REG"}),
        ("ຈົດທະບຽນວິສາຫະກິດ", "lo", {"MOIC-ENT-REG"}),
        ("moic-biz", "lo", {"MOIC-BIZ-LIC"}),
        ("ກະຊວງພາຍໃນ", "lo", "MOHA"),  # a ministry's name: all its services
    ],
)
def test_search_finds_by_lao_or_english_name_or_code(
    server: LiveServer, query: str, lang: str, expected: set[str] | str
) -> None:
    page = get(server, "/fees", q=query, lang=lang)
    assert page.status_code == 200
    found = set(on_page(page.text))
    if isinstance(expected, str):
        expected = {s["code"] for s in stored(server, 1) if s["ministry_code"] == expected}
        assert len(expected) > 1
    assert found == expected
    assert 'id="found"' in page.text


def test_a_search_that_finds_nothing_says_so(server: LiveServer) -> None:
    page = get(server, "/fees", q="passport", lang="en")
    assert on_page(page.text) == {}
    assert "No service matches “passport”" in page.text


@pytest.mark.parametrize("query", ["x" * 81, "fee\x00s", "a\x1bb"])
def test_a_bad_search_is_refused_in_both_languages(server: LiveServer, query: str) -> None:
    page = get(server, "/fees", q=query)
    assert page.status_code == 400
    assert "ຄຳຊອກຫາຍາວເກີນ 80 ຕົວອັກສອນ" in page.text
    assert "A search is at most 80 characters" in page.text


# -- the next version -------------------------------------------------------------------------


def test_the_next_version_is_announced_with_its_new_fees(with_next: LiveServer) -> None:
    now, later = stored(with_next, 1), stored(with_next, 2)
    page = get(with_next, "/fees", lang="en")
    assert on_page(page.text) == {s["code"]: (s["fee"], s["days"]) for s in now}
    assert "Version 2 takes effect on 01/12/2026" in page.text
    raised = {s["code"]: s["fee"] for s in later}["MOIC-ENT-REG"]
    assert f'data-fee-next="{raised}"' in page.text
    assert "From 01/12/2026 the fee becomes 175,000 kip" in page.text
    assert 'data-added="MOIC-ENT-NEW"' in page.text
    assert page.text.count("data-fee-next=") == 1  # only the fee that changes
    assert "ແຕ່ວັນທີ 01/12/2026 ຄ່າທຳນຽມຈະເປັນ 175,000 ກີບ" in get(with_next, "/fees").text


def test_on_its_day_the_next_version_is_the_one_shown(with_next: LiveServer) -> None:
    with_next.clock.moment = datetime(2026, 11, 30, 16, 59, tzinfo=UTC)  # 23:59 in Vientiane
    assert 'data-version="1"' in get(with_next, "/fees").text
    with_next.clock.advance(minutes=1)
    page = get(with_next, "/fees", lang="en")
    assert on_page(page.text) == {s["code"]: (s["fee"], s["days"]) for s in stored(with_next, 2)}
    assert "Version 2, in effect from 01/12/2026" in page.text
    assert 'id="next"' not in page.text


# -- open data --------------------------------------------------------------------------------


def _same_services(answer: dict[str, Any], services: list[dict[str, Any]]) -> None:
    """The open data's services are the stored ones, field by field (in ministry order there,
    in code order here)."""
    fields = ("code", "ministry", "name_lo", "name_en", "fee", "days")
    assert sorted(tuple(s[f] for f in fields) for s in answer["services"]) == sorted(
        (s["code"], s["ministry_code"], s["name_lo"], s["name_en"], s["fee"], s["days"])
        for s in services
    )
    documents = {s["code"]: json.loads(s["documents"]) for s in services}
    assert {s["code"]: s["documents"] for s in answer["services"]} == documents
    assert {s["currency"] for s in answer["services"]} == {"LAK"}


def test_the_json_is_the_catalog_in_effect_and_names_the_next(with_next: LiveServer) -> None:
    reply = get(with_next, "/open/catalog.json")
    assert reply.status_code == 200
    assert reply.headers["content-type"] == "application/json"
    assert reply.headers["Cache-Control"] == "public, max-age=300"
    assert reply.headers["Access-Control-Allow-Origin"] == "*"  # any site may use open data
    answer = reply.json()
    assert (answer["version"], answer["effective_from"]) == (1, "2026-11-26")
    with with_next.engine.connect() as conn:
        sha = conn.execute(select(catalogs.c.sha256).where(catalogs.c.version == 1)).scalar_one()
    assert answer["sha256"] == sha
    _same_services(answer, stored(with_next, 1))
    first = next(s for s in answer["services"] if s["code"] == "MOIC-ENT-REG")
    assert (first["legal_basis_lo"], first["legal_basis_en"]) == (LEGAL_LO, LEGAL_EN)
    assert answer["next"] == {
        "version": 2,
        "effective_from": "2026-12-01",
        "url": f"{with_next.url}/open/catalog/2.json",
    }
    later = get(with_next, "/open/catalog/2.json")
    assert later.headers["Cache-Control"] == "public, max-age=86400"
    assert (later.json()["version"], later.json()["effective_from"]) == (2, "2026-12-01")
    _same_services(later.json(), stored(with_next, 2))


def test_a_refetch_of_an_unchanged_file_is_a_304(server: LiveServer) -> None:
    for path in ("/open/catalog.json", "/open/catalog.csv", "/open/catalog/1.json"):
        first = get(server, path)
        tag = first.headers["ETag"]
        again = requests.get(server.url + path, headers={"If-None-Match": tag}, timeout=10)
        assert again.status_code == 304, path
        assert again.content == b""
        other = requests.get(server.url + path, headers={"If-None-Match": '"x"'}, timeout=10)
        assert other.status_code == 200
        assert other.content == first.content


def test_the_public_address_setting_names_the_links(
    server: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(PUBLIC_URL_ENV, "https://odsc.example.la/")
    answer = get(server, "/open/catalog.json").json()
    assert answer["url"] == "https://odsc.example.la/open/catalog/1.json"


def test_the_csv_is_one_row_per_service_with_formulas_neutralised(server: LiveServer) -> None:
    reply = get(server, "/open/catalog.csv")
    assert reply.status_code == 200
    assert reply.headers["content-type"].startswith("text/csv")
    assert reply.content.startswith(b"\xef\xbb\xbf")  # Excel reads Lao only with the mark
    rows = list(csv.DictReader(io.StringIO(reply.content.decode("utf-8-sig"))))
    services = stored(server, 1)
    assert sorted((r["code"], int(r["fee_kip"]), int(r["days"])) for r in rows) == sorted(
        (s["code"], s["fee"], s["days"]) for s in services
    )
    assert {r["version"] for r in rows} == {"1"}
    by_code = {r["code"]: r for r in rows}
    assert by_code["MOIC-ENT-REG"]["legal_basis_lo"] == LEGAL_LO
    assert by_code["MOIC-BIZ-LIC"]["legal_basis_en"] == "'" + FORMULA
    names = json.loads(services[0]["documents"])
    first = by_code[services[0]["code"]]
    assert first["documents_en"] == "; ".join(d["name_en"] for d in names)
    assert get(server, "/open/catalog/1.csv").content == reply.content


@pytest.mark.parametrize(
    "path",
    ["/open/catalog/2.json", "/open/catalog/0.json", "/open/catalog/abc.json", "/open/catalog.xml",
     "/open/catalog/1.xml", "/open/catalog/99999999.json"],
)  # fmt: skip
def test_an_unknown_file_is_a_404_in_both_languages(server: LiveServer, path: str) -> None:
    reply = get(server, path)
    assert reply.status_code == 404
    assert "ບໍ່ມີ" in reply.text
    assert "no such file" in reply.text or "no catalog version" in reply.text


# -- the poster -------------------------------------------------------------------------------


def poster(server: LiveServer, tmp_path: Path, **params: str) -> Path:
    reply = get(server, "/fees/poster.pdf", **params)
    assert reply.status_code == 200, reply.text
    assert reply.headers["content-type"] == "application/pdf"
    assert reply.headers["Cache-Control"] == "private, max-age=300"
    path = tmp_path / f"poster-{params.get('size', 'a4')}.pdf"
    path.write_bytes(reply.content)
    return path


def test_the_poster_lists_the_fees_and_its_qr_opens_the_fee_page(
    with_next: LiveServer, tmp_path: Path
) -> None:
    pdf = poster(with_next, tmp_path, office="vte-sst")
    text = poppler_text(pdf, "-layout")
    for service in stored(with_next, 1):
        assert f"{service['fee']:,}" in text
        assert service["name_en"] in " ".join(text.split())
    assert "175,000" not in text  # the version in effect today, not the next one
    assert "ສູນບໍລິການ ສີສັດຕະນາກ (VTE-SST)" in text
    assert "Sisattanak ODSC (VTE-SST)" in text
    assert "Version 1, in effect from 26/11/2026" in text
    assert qr_codes(pdf) == [f"{with_next.url}/fees"] * len(reader(pdf).pages)
    box = reader(pdf).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)


def test_the_a3_poster_is_a3_and_names_the_public_address(
    server: LiveServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(PUBLIC_URL_ENV, "https://odsc.example.la")
    pdf = poster(server, tmp_path, office="VTE-SST", size="a3", lang="en")
    box = reader(pdf).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 1191)
    assert qr_codes(pdf)[0] == "https://odsc.example.la/fees?lang=en"
    assert "https://odsc.example.la/fees?lang=en" in poppler_text(pdf)
    assert png_pages(pdf)


@pytest.mark.parametrize(
    ("params", "status", "lao", "english"),
    [
        ({"office": "VTE-SST", "size": "a5"}, 400, "ໂປສເຕີມີຂະໜາດ a4 ຫຼື a3", "A poster is a4 or a3"),
        ({"office": "LPB-XYZ"}, 404, "ບໍ່ພົບຫ້ອງການທີ່ມີລະຫັດ “LPB-XYZ”", "No office with the code"),
        ({"office": "../../etc"}, 404, "ບໍ່ພົບຫ້ອງການ", "No office with the code"),
        ({}, 404, "ບໍ່ພົບຫ້ອງການ", "No office with the code “—”"),
    ],
)  # fmt: skip
def test_a_bad_poster_request_is_refused_in_both_languages(
    server: LiveServer, params: dict[str, str], status: int, lao: str, english: str
) -> None:
    before = count_rows(server.engine)
    reply = get(server, "/fees/poster.pdf", **params)
    assert reply.status_code == status
    assert reply.headers["content-type"].startswith("text/html")
    assert lao in reply.text
    assert english in reply.text
    assert count_rows(server.engine) == before


def test_reading_the_public_pages_writes_nothing(with_next: LiveServer, tmp_path: Path) -> None:
    before = count_rows(with_next.engine)
    for path in ("/fees", "/open/catalog.json", "/open/catalog.csv", "/open/catalog/2.json"):
        assert get(with_next, path).status_code == 200
    poster(with_next, tmp_path, office="VTE-SST")
    assert count_rows(with_next.engine) == before


# -- in a real browser, at a phone's size -----------------------------------------------------

PAGE_BUDGET = 50_000  # bytes on the wire, page, style sheet and fonts (issue 15, item 6)
PHONE = {"width": 360, "height": 740}
# What this page adds to the frame: each must be a large enough target for a thumb.
TAPPED = ("#q", "#search-button", "#open-json", "#open-csv", "#office", "#size", "#poster-button")


@pytest.fixture
def phone(chromium: Any) -> Iterator[Any]:
    """A phone-sized tab with scripts off and an empty cache."""
    context = chromium.new_context(viewport=PHONE, java_script_enabled=False)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["lo", "en"])
def test_the_page_weighs_under_the_budget_with_its_fonts(
    with_next: LiveServer, chromium: Any, lang: str
) -> None:
    from tests.web.test_page_weight import Wire

    context = chromium.new_context(viewport=PHONE)  # the measure needs the page's own script
    try:
        wire = Wire(context.new_page())
        got = wire.load(with_next.url + "/fees" + ("?lang=en" if lang == "en" else ""))
    finally:
        context.close()
    assert any(url.endswith(".woff2") for url in got), got  # the Lao font came too
    assert sum(got.values()) <= PAGE_BUDGET, got


def test_on_a_phone_with_scripts_off_a_person_finds_a_service(
    with_next: LiveServer, phone: Any
) -> None:
    from tests.web.conftest import SHOTS

    SHOTS.mkdir(parents=True, exist_ok=True)
    phone.goto(with_next.url + "/fees")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    for selector in TAPPED:
        box = phone.locator(selector).bounding_box()
        assert box is not None and box["height"] >= 44, (selector, box)
    for link in phone.locator(".public-nav a").all():
        assert link.bounding_box()["height"] >= 44
    phone.screenshot(path=str(SHOTS / "fees-lo.png"), full_page=True)
    phone.focus("#q")
    phone.keyboard.type("ຈົດທະບຽນ")
    phone.keyboard.press("Enter")
    phone.wait_for_url("**/fees?q=*")
    assert phone.locator("article.service").evaluate_all("a => a.map(e => e.id)") == [
        "MOIC-ENT-REG"
    ]
    assert phone.locator("#found").inner_text().startswith("ພົບ 1 ບໍລິການ")
    phone.goto(with_next.url + "/fees?lang=en")
    phone.screenshot(path=str(SHOTS / "fees-en.png"), full_page=True)
    phone.fill("#q", "birth")
    phone.click("#search-button")
    phone.wait_for_url("**/fees?lang=en&q=birth")
    assert phone.locator("article.service h3").all_inner_texts() == ["Birth certificate MOHA-BIRTH"]
    phone.screenshot(path=str(SHOTS / "fees-search-en.png"), full_page=True)
    # Lao, at a click, keeps the search.
    phone.click("#other-lang")
    assert phone.locator("article.service").count() == 1
    assert phone.locator("html").get_attribute("lang") == "lo"
    # A refusal is in both languages, whatever the language asked for.
    phone.goto(with_next.url + "/fees?q=" + "x" * 81)
    assert phone.locator("p[lang=lo].refusal").is_visible()
    assert phone.locator("p[lang=en].refusal").is_visible()
    phone.screenshot(path=str(SHOTS / "fees-refused.png"), full_page=True)


@pytest.mark.parametrize("lang", ["lo", "en"])
def test_axe_finds_no_serious_violation(with_next: LiveServer, chromium: Any, lang: str) -> None:
    from tests.web.test_accessibility import AXE, AXE_PATH, BLOCKING, _described, violations

    context = chromium.new_context(viewport=PHONE)
    source = AXE.read_text(encoding="utf-8")
    context.route(
        with_next.url + AXE_PATH,
        lambda route: route.fulfill(body=source, content_type="text/javascript"),
    )
    tab = context.new_page()
    try:
        for path in ("/fees", "/fees?q=birth", "/fees?q=nothing-like-it", "/fees?q=" + "x" * 90):
            tab.goto(with_next.url + path + ("&" if "?" in path else "?") + f"lang={lang}")
            blocking = [v for v in violations(tab, with_next.url) if v["impact"] in BLOCKING]
            assert blocking == [], (path, _described(blocking))
    finally:
        context.close()
