"""The cash and revenue page: each office's (each counter's, at an office) revenue and drawers
equal the revenue and cash figures' (/api/v1), and so do the totals; per clerk and per approver
within one office only, equal to the API's, and absent (files refused) above it; outliers
marked in words by the rule the page states, recomputed here from the API's numbers; the
files hold the page's rows; another province is refused every page and file; a bad query is a
4xx page in both languages. And in Chromium: both pages in Lao and English, a row followed to
the level below, screenshots in SHOTS."""

from __future__ import annotations

import csv
import io
from html.parser import HTMLParser
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.web.conftest import PASSWORD, SHOTS, Centre

LEVELS = [
    ("nation", {}, "office"),
    ("province/LA-VT", {"province": "LA-VT"}, "office"),
    ("district/VT-01", {"district": "VT-01"}, "office"),
    ("office/VTE-SST", {"office": "VTE-SST"}, "counter"),
    ("counter/VTE-SST/2", {"office": "VTE-SST"}, "counter"),
]
REVENUE = ("payments", "gross", "voids", "voided", "refunds", "refunded", "net", "void_rate",
           "refund_rate")  # fmt: skip
CASH = ("closed", "differences", "difference_sum", "largest_difference", "approved")
RATED = {"void_rate", "refund_rate", "largest_difference"}  # None when there is nothing


class CashPage(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__()
        self.places: dict[str, dict[str, str]] = {}
        self.clerks: dict[str, dict[str, str]] = {}
        self.approvers: dict[str, dict[str, str]] = {}
        self.totals: dict[str, str] = {}
        self.marks: dict[str, list[str]] = {}  # row (code or clerk) -> rules marked
        self.links: list[str] = []
        self._row = ""
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if found.get("id") == "cash-totals":
            self.totals = found
        if tag == "tr" and "data-code" in found:
            self._row = found["data-code"]
            self.places[self._row] = found
        if tag == "tr" and "data-clerk" in found:
            self._row = "clerk " + found["data-clerk"]
            self.clerks[found["data-clerk"]] = found
        if tag == "tr" and "data-approver" in found:
            self.approvers[found["data-approver"]] = found
        if tag == "tr":
            self.marks.setdefault(self._row, [])
        if tag == "li" and "data-rule" in found:
            self.marks[self._row].append(found["data-rule"])
        if tag == "a" and "below" in found.get("class", ""):
            self.links.append(found["href"])


def _number(text: str) -> float | None:
    return None if text == "" else float(text)


def _shown(attrs: dict[str, str], fields: tuple[str, ...]) -> dict[str, float | None]:
    return {f: _number(attrs[f"data-{f.replace('_', '-')}"]) for f in fields}


def _floats(values: dict[str, Any], fields: tuple[str, ...]) -> dict[str, float | None]:
    empty = {f: None if f in RATED else 0 for f in fields}
    return {f: None if v is None else float(v) for f, v in {**empty, **values}.items()}


def _page(centre: Centre, web: Any, query: str, status: int = 200) -> Any:
    reply = web.get(f"{centre.url}/cash?{query}", timeout=30)
    assert reply.status_code == status, reply.text[:2000]
    return reply


@pytest.fixture
def viewer(centre: Centre) -> Any:
    return centre.login(centre.person("nation"))


def _code(by: str, row: dict[str, Any]) -> str:
    return f"{row['office']}/{row['counter']}" if by == "counter" else row["office"]


def _expected(centre: Centre, area: dict[str, str], period: str, by: str) -> dict[str, Any]:
    money = centre.api("/api/v1/figures/revenue", period=period, by=by, **area)
    drawers = centre.api("/api/v1/figures/cash", period=period, by=by, **area)
    rows: dict[str, dict[str, Any]] = {}
    for answer, fields in ((money, REVENUE), (drawers, CASH)):
        for row in answer["rows"]:
            rows.setdefault(_code(by, row), {}).update({f: row[f] for f in fields})
    totals = {**{f: money["totals"][f] for f in REVENUE}, **{f: drawers["totals"][f] for f in CASH}}
    return {"rows": rows, "totals": totals, "money": money, "drawers": drawers}


def _rules(row: dict[str, Any], whole: dict[str, Any]) -> list[str]:
    """The page's stated rule: a rate more than twice the whole area's, or a drawer off by
    50,000 kip or more."""
    rates = dict(row)
    whole = dict(whole)
    for values in (rates, whole):
        if "closed" in values:
            values["drawer_rate"] = (
                values["differences"] / values["closed"] if values["closed"] else None
            )
    found = [
        rate
        for rate in ("void_rate", "refund_rate", "drawer_rate")
        if rates.get(rate) is not None
        and whole.get(rate) is not None
        and rates[rate] > 2 * whole[rate]
    ]
    if rates.get("largest_difference") is not None and abs(rates["largest_difference"]) >= 50_000:
        found.append("large")
    return found


@pytest.mark.parametrize("period", ["2026-11", "2026"])
@pytest.mark.parametrize(("address", "area", "by"), LEVELS)
def test_every_row_and_mark_equals_the_api(centre, viewer, address, area, by, period) -> None:
    shown = CashPage(_page(centre, viewer, f"area={address}&period={period}").text)
    expected = _expected(centre, area, period, by)
    rows = expected["rows"]
    if address.startswith("counter/"):
        rows = {code: r for code, r in rows.items() if code == "VTE-SST/2"}
    assert rows and expected["totals"]["payments"] > 0
    fields = REVENUE + CASH
    assert {code: _shown(r, fields) for code, r in shown.places.items()} == {
        code: _floats(r, fields) for code, r in rows.items()
    }
    # A counter's headline is its own row; its marks are measured against its office's.
    own = rows["VTE-SST/2"] if address.startswith("counter/") else expected["totals"]
    assert _shown(shown.totals, fields) == _floats(own, fields)
    for code, row in rows.items():
        assert shown.marks[code] == _rules({**dict.fromkeys(fields), **row}, expected["totals"])


@pytest.mark.parametrize("address", ["office/VTE-SST", "counter/VTE-SST/1", "office/LPB-CHO"])
def test_clerks_and_approvers_within_one_office(centre, viewer, address) -> None:
    office = {"office": address.split("/")[1]}
    shown = CashPage(_page(centre, viewer, f"area={address}&period=2026").text)
    clerks = centre.api("/api/v1/figures/revenue", period="2026", by="clerk", **office)["rows"]
    assert clerks
    assert {c: _shown(r, REVENUE) for c, r in shown.clerks.items()} == {
        r["clerk"]: _floats({f: r[f] for f in REVENUE}, REVENUE) for r in clerks
    }
    whole = centre.api("/api/v1/figures/revenue", period="2026", **office)["totals"]
    for r in clerks:
        assert shown.marks["clerk " + r["clerk"]] == _rules(r, whole)
    approvers = centre.api("/api/v1/figures/cash", period="2026", **office)["approvers"]
    assert approvers
    assert {
        a: (int(r["data-closed"]), int(r["data-differences"])) for a, r in shown.approvers.items()
    } == {r["approved_by"]: (r["closed"], r["differences"]) for r in approvers}


def test_some_row_is_marked_an_outlier(centre, viewer) -> None:
    """The scene holds a clerk, counter or office beyond the rule in some month: the marks
    above are not all empty lists."""
    marked = []
    for period in ("2026-10", "2026-11", "2026-12"):
        for address in ("nation", "office/VTE-SST", "office/VTE-XAY", "office/LPB-CHO"):
            shown = CashPage(_page(centre, viewer, f"area={address}&period={period}").text)
            marked += [rules for rules in shown.marks.values() if rules]
    assert marked


@pytest.mark.parametrize("address", ["nation", "province/LA-VT", "district/VT-01"])
def test_no_clerk_above_one_office(centre, viewer, address) -> None:
    reply = _page(centre, viewer, f"area={address}&period=2026")
    shown = CashPage(reply.text)
    assert shown.places and not shown.clerks and not shown.approvers
    assert 'id="no-clerks"' in reply.text
    assert "ຕົວເລກຕາມພະນັກງານ" in reply.text
    for table in ("clerks", "approvers"):
        refused = _page(centre, viewer, f"area={address}&period=2026&format=csv&table={table}", 403)
        assert "one office only" in refused.text and "ມີໃຫ້ສະເພາະຫ້ອງການດຽວ" in refused.text


def _csv(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def test_the_files_hold_the_page_s_rows(centre, viewer) -> None:
    query = "area=office/VTE-SST&period=2026"
    shown = CashPage(_page(centre, viewer, query).text)
    lines = _csv(_page(centre, viewer, query + "&format=csv").content)
    fields = REVENUE + CASH
    assert {f"{r['office']}/{r['counter']}": {f: _number(r[f]) for f in fields} for r in lines} == {
        code: _shown(r, fields) for code, r in shown.places.items()
    }
    assert [r["outlier"] for r in lines] == [", ".join(shown.marks[c]) for c in shown.places]
    clerks = _csv(_page(centre, viewer, query + "&format=csv&table=clerks").content)
    assert {r["clerk"]: int(r["payments"]) for r in clerks} == {
        c: int(r["data-payments"]) for c, r in shown.clerks.items()
    }
    reply = _page(centre, viewer, query + "&format=xlsx&table=approvers")
    book = load_workbook(io.BytesIO(reply.content))
    assert book.sheetnames == ["approvers", "places", "clerks"]
    head, *cells = book["approvers"].iter_rows(values_only=True)
    assert {c[0]: c[1] for c in cells} == {
        a: int(r["data-closed"]) for a, r in shown.approvers.items()
    }
    assert head == ("approved_by", "closed", "differences")


@pytest.mark.parametrize(
    "query",
    [
        "area=nation",
        "area=district/VT-01",
        "area=office/VTE-SST",
        "area=counter/VTE-SST/1",
        "area=nation&format=csv",
        "area=office/VTE-SST&format=xlsx",
        "area=office/VTE-SST&format=csv&table=clerks",
        "area=office/VTE-XAY&format=xlsx&table=approvers",
    ],
)
def test_another_province_is_refused_every_page_and_file(centre, query) -> None:
    web = centre.login(centre.person("province:LA-LP"))
    reply = _page(centre, web, query, 403)
    assert "ທ່ານບໍ່ມີສິດເບິ່ງຕົວເລກຂອງ" in reply.text and "You may not see" in reply.text


def test_an_office_s_person_sees_its_clerks(centre) -> None:
    web = centre.login(centre.person("office:LPB-CHO"))
    shown = CashPage(_page(centre, web, "period=2026").text)
    assert list(shown.places) == ["LPB-CHO/1"] and shown.clerks
    _page(centre, web, "area=office/VTE-SST&format=csv&table=clerks", 403)


@pytest.mark.parametrize(
    ("query", "status", "lao", "english"),
    [
        ("area=nation&format=pdf", 400, "format=pdf ບໍ່ແມ່ນທາງເລືອກ", "format=pdf is not one of"),
        ("area=nation&table=x", 400, "table=x ບໍ່ແມ່ນທາງເລືອກ", "table=x is not one of"),
        ("area=nation&period=13&format=xlsx", 400, "period=13 ບໍ່ແມ່ນ", "period=13 is not"),
        ("area=office/NOPE", 404, "ບໍ່ພົບ office/NOPE", "office/NOPE is not known"),
    ],
)
def test_a_bad_query_is_refused_in_both_languages(centre, viewer, query, status, lao, english):
    reply = _page(centre, viewer, query, status)
    assert lao in reply.text and english in reply.text


@pytest.mark.parametrize(("lang", "words"), [("lo", "ໄລຍະເວລາ 2026-00 ບໍ່ຖືກຕ້ອງ"),
                                             ("en", "2026-00 is not a period")])  # fmt: skip
def test_a_bad_period_shows_the_form_again(centre, lang, words) -> None:
    web = centre.login(centre.person("nation"), lang=lang)
    reply = _page(centre, web, "area=nation&period=2026-00", 400)
    assert words in reply.text and 'id="period"' in reply.text
    assert 'id="places-table"' not in reply.text


# -- in a browser --------------------------------------------------------------------------


def _shot(centre: Centre, page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    backend = centre.server.db_url.split(":", 1)[0].split("+")[0]
    page.screenshot(path=str(SHOTS / f"{backend}-{name}.png"), full_page=True)


def test_both_pages_in_both_languages(centre: Centre, chromium: Any) -> None:
    name = centre.person("province:LA-VT")
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="lo-LA")
    page = context.new_page()
    refused: list[str] = []  # what the CSP blocked, and any file the pages asked for in vain
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    page.on(
        "response",
        lambda r: (
            refused.append(r.url)
            if r.status >= 400 and not r.url.endswith("/favicon.ico")
            else None
        ),
    )
    try:
        page.goto(centre.url + "/login")
        page.fill("#name", name)
        page.fill("#password", PASSWORD)
        page.click("#login-button")
        page.wait_for_selector("#level")
        page.click("#nav-services")
        page.wait_for_selector("#services-chart")
        assert page.get_attribute("html", "lang") == "lo"
        page.fill("#period", "2026")
        page.click("#show")
        page.wait_for_selector("#services-table")
        assert "period=2026" in page.url and "by=service" in page.url
        _shot(centre, page, "services-lo")
        page.click("#by-ministry")
        page.wait_for_selector("#services-table")
        assert "by=ministry" in page.url
        page.click("#to-table")
        assert page.evaluate("location.hash") == "#services-table"
        page.click("#other-lang")
        assert page.get_attribute("html", "lang") == "en"
        _shot(centre, page, "services-ministry-en")
        with page.expect_download() as download:
            page.click("#export-xlsx")
        assert download.value.suggested_filename.endswith(".xlsx")
        page.click("#nav-cash")
        page.wait_for_selector("#places-table")
        page.click("#shortcut-this_year")
        page.wait_for_selector("#places-table")
        _shot(centre, page, "cash-province-en")
        page.locator("#places-table a.below").first.click()  # an office: the level below
        page.wait_for_selector("#clerks-table")
        assert page.get_attribute("#level", "data-place") == "office"
        assert "period=2026" in page.url
        _shot(centre, page, "cash-office-en")
        page.locator("#places-table a.below").first.click()  # a counter
        page.wait_for_selector("#places-table")
        assert page.get_attribute("#level", "data-place") == "counter"
        page.click("#other-lang")
        assert page.get_attribute("html", "lang") == "lo"
        _shot(centre, page, "cash-counter-lo")
        page.click("#back-overview")
        page.wait_for_selector("#level")
        page.click("#nav-cash")
        page.wait_for_selector("#places-table")
        _shot(centre, page, "cash-counter-month-lo")
        assert not refused, refused
    finally:
        context.close()
