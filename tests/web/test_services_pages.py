"""The services and ministries page: every row and total equals the API's figures (volume,
timeliness, revenue, fees, satisfaction) by service and by ministry for the same level and
period; the uniform-fee check lists the fees figure's services charged off the catalog; the
CSV and XLSX files hold the page's rows; a person without the scope is refused the page and
every file; a bad period, area, breakdown or format is a 4xx page in both languages."""

from __future__ import annotations

import csv
import io
from html.parser import HTMLParser
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.web.conftest import Centre

LEVELS = [
    ("nation", {}),
    ("province/LA-VT", {"province": "LA-VT"}),
    ("district/VT-01", {"district": "VT-01"}),
    ("office/VTE-SST", {"office": "VTE-SST"}),
    ("counter/VTE-SST/2", {"office": "VTE-SST"}),  # a counter's are its office's
]
# (figure, field): what the page shows of each figure
FIELDS = [
    ("volume", "received"),
    ("timeliness", "ready"),
    ("timeliness", "on_time"),
    ("timeliness", "on_time_rate"),
    ("timeliness", "median_days"),
    ("timeliness", "p90_days"),
    ("revenue", "gross"),
    ("revenue", "net"),
    ("fees", "fee_off_catalog"),
    ("fees", "fee_old_version"),
    ("satisfaction", "feedback"),
    ("satisfaction", "mean_rating"),
    ("satisfaction", "response_rate"),
]
RATES = {"on_time_rate", "median_days", "p90_days", "mean_rating", "response_rate"}


class ServicesPage(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__()
        self.rows: dict[str, dict[str, str]] = {}
        self.totals: dict[str, str] = {}
        self.uniform: dict[str, str] = {}
        self.strays: dict[str, dict[str, str]] = {}
        self._table = ""
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if tag == "table":
            self._table = found.get("id", "")
        if tag == "tr" and self._table == "services-table" and "data-code" in found:
            self.rows[found["data-code"]] = found
        if found.get("id") == "services-totals":
            self.totals = found
        if found.get("id") == "uniform-rate":
            self.uniform = found
        if tag == "tr" and self._table == "uniform-table" and "data-service" in found:
            self.strays[found["data-service"]] = found


def _number(text: str) -> float | None:
    return None if text == "" else float(text)


def _shown(attrs: dict[str, str]) -> dict[str, float | None]:
    return {field: _number(attrs[f"data-{field.replace('_', '-')}"]) for _, field in FIELDS}


def _api(centre: Centre, area: dict[str, str], period: str, by: str) -> tuple[dict, dict]:
    """Rows by code ("" for none) and totals, each field from its own figure."""
    rows: dict[str, dict[str, Any]] = {}
    totals: dict[str, Any] = {}
    for figure, field in FIELDS:
        answer = centre.api(f"/api/v1/figures/{figure}", period=period, by=by, **area)
        totals[field] = answer["totals"][field]
        for row in answer["rows"]:
            rows.setdefault(row[by] or "", {})[field] = row[field]
    empty = {field: None if field in RATES else 0 for _, field in FIELDS}
    return {code: {**empty, **values} for code, values in rows.items()}, totals


def _floats(values: dict[str, Any]) -> dict[str, float | None]:
    return {k: None if v is None else float(v) for k, v in values.items()}


def _page(centre: Centre, web: Any, query: str, status: int = 200) -> Any:
    reply = web.get(f"{centre.url}/services?{query}", timeout=30)
    assert reply.status_code == status, reply.text[:2000]
    return reply


@pytest.fixture
def viewer(centre: Centre) -> Any:
    return centre.login(centre.person("nation"))


@pytest.mark.parametrize("period", ["2026-11", "2026"])
@pytest.mark.parametrize("by", ["service", "ministry"])
@pytest.mark.parametrize(("address", "area"), LEVELS)
def test_every_row_equals_the_api(centre, viewer, address, area, by, period) -> None:
    shown = ServicesPage(_page(centre, viewer, f"area={address}&by={by}&period={period}").text)
    rows, totals = _api(centre, area, period, by)
    assert rows and totals["received"] > 0
    assert {code: _shown(r) for code, r in shown.rows.items()} == {
        code: _floats(values) for code, values in rows.items()
    }
    assert _shown(shown.totals) == _floats(totals)


@pytest.mark.parametrize(("address", "area"), LEVELS[:4])
def test_the_uniform_fee_check_equals_the_fees_figure(centre, viewer, address, area) -> None:
    shown = ServicesPage(_page(centre, viewer, f"area={address}&period=2026-Q4").text)
    fees = centre.api("/api/v1/figures/fees", period="2026-Q4", **area)
    strays = fees["off_catalog"]
    assert strays  # the scene charges one service off the catalog, others at an old version
    assert {
        code: (
            int(s["data-fee-off-catalog"]),
            int(s["data-fee-old-version"]),
            int(s["data-checked"]),
        )
        for code, s in shown.strays.items()
    } == {s["service"]: (s["fee_off_catalog"], s["fee_old_version"], s["checked"]) for s in strays}
    assert _number(shown.uniform["data-uniform-rate"]) == fees["totals"]["uniform_rate"]
    assert int(shown.uniform["data-checked"]) == fees["totals"]["checked"]


def _csv(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


@pytest.mark.parametrize("by", ["service", "ministry"])
def test_the_files_hold_the_page_s_rows(centre, viewer, by) -> None:
    query = f"area=province/LA-VT&by={by}&period=2026"
    shown = ServicesPage(_page(centre, viewer, query).text)
    reply = _page(centre, viewer, query + "&format=csv")
    assert reply.headers["content-type"].startswith("text/csv")
    assert "attachment" in reply.headers["content-disposition"]
    lines = _csv(reply.content)
    assert {line[by]: {f: _number(line[f]) for _, f in FIELDS} for line in lines} == {
        code: _shown(r) for code, r in shown.rows.items()
    }
    book = load_workbook(io.BytesIO(_page(centre, viewer, query + "&format=xlsx").content))
    assert book.sheetnames == [by, "uniform_fees"]
    head, *cells = book[by].iter_rows(values_only=True)
    assert [dict(zip(head, c, strict=True))[by] or "" for c in cells] == list(shown.rows)
    assert [dict(zip(head, c, strict=True))["received"] for c in cells] == [
        int(r["data-received"]) for r in shown.rows.values()
    ]
    strays = _csv(_page(centre, viewer, query + "&format=csv&table=uniform").content)
    assert {s["service"]: int(s["fee_off_catalog"]) for s in strays} == {
        code: int(s["data-fee-off-catalog"]) for code, s in shown.strays.items()
    }


@pytest.mark.parametrize(
    "query",
    [
        "area=nation",
        "area=district/VT-01&by=ministry",
        "area=office/VTE-SST",
        "area=counter/VTE-SST/1",
        "area=nation&format=csv",
        "area=office/VTE-SST&format=xlsx",
        "area=province/LA-VT&format=csv&table=uniform",
        "area=office/VTE-XAY&format=xlsx&table=uniform",
    ],
)
def test_another_province_is_refused_every_page_and_file(centre, query) -> None:
    web = centre.login(centre.person("province:LA-LP"))
    reply = _page(centre, web, query, 403)
    assert "text/html" in reply.headers["content-type"]
    assert "ທ່ານບໍ່ມີສິດເບິ່ງຕົວເລກຂອງ" in reply.text and "You may not see" in reply.text


def test_the_own_province_is_shown(centre) -> None:
    web = centre.login(centre.person("province:LA-LP"))
    shown = ServicesPage(_page(centre, web, "period=2026").text)  # their home: their province
    assert shown.rows and int(shown.totals["data-received"]) > 0


@pytest.mark.parametrize(
    ("query", "status", "lao", "english"),
    [
        ("by=clerk", 400, "by=clerk ບໍ່ແມ່ນທາງເລືອກ", "by=clerk is not one of"),
        ("format=pdf", 400, "format=pdf ບໍ່ແມ່ນທາງເລືອກ", "format=pdf is not one of"),
        ("table=people", 400, "table=people ບໍ່ແມ່ນທາງເລືອກ", "table=people is not one of"),
        ("period=2026-13&format=csv", 400, "period=2026-13 ບໍ່ແມ່ນ", "period=2026-13 is not"),
        ("area=province/LA-XX", 404, "ບໍ່ພົບ province/LA-XX", "province/LA-XX is not known"),
    ],
)
def test_a_bad_query_is_refused_in_both_languages(centre, viewer, query, status, lao, english):
    reply = _page(centre, viewer, "area=nation&" + query if "area" not in query else query, status)
    assert lao in reply.text and english in reply.text


@pytest.mark.parametrize(("lang", "words"), [("lo", "ໄລຍະເວລາ 2026-13 ບໍ່ຖືກຕ້ອງ"),
                                             ("en", "2026-13 is not a period")])  # fmt: skip
def test_a_bad_period_shows_the_form_again(centre, lang, words) -> None:
    web = centre.login(centre.person("nation"), lang=lang)
    reply = _page(centre, web, "area=nation&period=2026-13", 400)
    assert words in reply.text and 'id="period"' in reply.text
    assert 'id="services-table"' not in reply.text
