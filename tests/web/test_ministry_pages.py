"""The pages through a ministry's scope: a person granted one ministry lands on the nation's
overview and drills down, every number on it the API's for that scope (asked with a token of
the same scope and `?ministry=`), the ministry named on the page; the overdue list holds only
that ministry's services; pages not counted per service (counters, cash drawers) are refused
with a page in both languages. On SQLite and PostgreSQL (the `centre` fixture)."""

from __future__ import annotations

import csv
import html
import io
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
import requests

from sync.server import accounts
from sync.server.db import writing
from sync.server.report.words import both
from sync.server.web.i18n import tr
from tests.sync.test_figures_scene import MINISTRY, NOW
from tests.web import test_committee_report as report
from tests.web.conftest import PASSWORD, SHOTS, Centre
from tests.web.figures_on_page import HEADLINE, PageFigures
from tests.web.test_overdue_page import OverduePage
from tests.web.test_services_pages import FIELDS, RATES, ServicesPage

LEVELS = [
    ("/area/nation", {}, None),
    ("/area/province/LA-VT", {"province": "LA-VT"}, None),
    ("/area/district/VT-01", {"district": "VT-01"}, None),
    ("/area/office/VTE-SST", {"office": "VTE-SST"}, None),
    ("/area/counter/VTE-SST/2", {"office": "VTE-SST"}, ("VTE-SST", 2)),
]
PERIODS = ["2026-11", "2026"]
TILES_BY = {"/area/nation": "province", "/area/province/LA-VT": "district"}


class Scope:
    """A person and an API token of the same ministry's scope."""

    def __init__(self, centre: Centre, ministry: str) -> None:
        self.centre = centre
        self.ministry = ministry
        self.web = centre.login(centre.person(f"ministry:{ministry}"))
        with writing(centre.engine) as conn:
            _, self.token = accounts.add_token(
                conn, f"web {ministry}", "viewer", [f"ministry:{ministry}"], NOW
            )

    def api(self, path: str, **params: Any) -> Any:
        """The API's answer for this scope: always this ministry's services."""
        reply = requests.get(
            self.centre.url + path,
            params={**params, "ministry": self.ministry},
            headers={"Authorization": f"Bearer {self.token}"},
            timeout=30,
        )
        assert reply.status_code == 200, reply.text
        return reply.json()

    def page(
        self, path: str, query: dict[str, str] | None = None, status: int = 200
    ) -> requests.Response:
        reply = self.web.get(f"{self.centre.url}{path}?{urlencode(query or {})}", timeout=30)
        assert reply.status_code == status, reply.text
        return reply


@pytest.fixture(scope="module")
def moha(centre: Centre) -> Scope:
    return Scope(centre, "MOHA")


def _number(text: str) -> float | None:
    return None if text == "" else float(text)


def _api_headline(
    scope: Scope, area: dict[str, str], period: str, counter: tuple[str, int] | None
) -> dict[str, dict[str, float | None]]:
    by = {"by": "counter"} if counter else {}

    def figure(name: str) -> dict[str, Any]:
        answer = scope.api(f"/api/v1/figures/{name}", period=period, **area, **by)
        if counter is None:
            return dict(answer["totals"])
        rows = [r for r in answer["rows"] if (r["office"], r["counter"]) == counter]
        return rows[0] if rows else {"previous": {}}

    volume, revenue = figure("volume"), figure("revenue")
    satisfaction, overdue = figure("satisfaction"), figure("overdue")
    times = None if counter else figure("timeliness")
    out = {}
    for side in ("current", "previous"):

        def of(values: dict[str, Any], side: str = side) -> dict[str, Any]:
            return values if side == "current" else values.get("previous", {})

        found = {
            "received": of(volume).get("received", 0),
            "on_time_rate": None if times is None else of(times)["on_time_rate"],
            "overdue": of(overdue).get("overdue", 0),
            "net": of(revenue).get("net", 0),
            "mean_rating": of(satisfaction).get("mean_rating"),
            "response_rate": of(satisfaction).get("response_rate"),
        }
        out[side] = {k: None if v is None else float(v) for k, v in found.items()}
    return out


def _page_headline(shown: PageFigures) -> dict[str, dict[str, float | None]]:
    return {
        "current": {name: _number(shown.current[name]) for name in HEADLINE},
        "previous": {name: _number(shown.previous.get(name, "")) for name in HEADLINE},
    }


def test_the_home_is_the_nation_of_the_ministry(moha: Scope) -> None:
    reply = moha.page("/", {"lang": "lo"})
    shown = PageFigures(reply.text)
    assert 'id="level" data-place="nation"' in reply.text
    assert 'id="ministry-note" data-ministry="MOHA"' in reply.text
    assert "MOHA" in reply.text and tr("lo", "ministry_only", ministry="").split()[0] in reply.text
    # Counters' syncs are not counted per service: the page does not give them.
    assert "silent" not in shown.current and "counters" not in shown.current
    english = moha.page("/", {"lang": "en"}).text
    assert "The figures on this page count only the services of" in english


@pytest.mark.parametrize("period", PERIODS)
@pytest.mark.parametrize(("path", "area", "counter"), LEVELS)
def test_every_level_equals_the_api_for_the_scope(
    moha: Scope,
    path: str,
    area: dict[str, str],
    counter: tuple[str, int] | None,
    period: str,
) -> None:
    reply = moha.page(path, {"period": period})
    assert 'id="ministry-note" data-ministry="MOHA"' in reply.text
    assert _page_headline(PageFigures(reply.text)) == _api_headline(moha, area, period, counter)


@pytest.mark.parametrize("path", list(TILES_BY))
def test_the_tiles_and_trend_equal_the_api(moha: Scope, path: str) -> None:
    area = dict(LEVELS[[p for p, _, _ in LEVELS].index(path)][1])
    shown = PageFigures(moha.page(path, {"period": "2026-11"}).text)
    by = TILES_BY[path]
    volume = moha.api("/api/v1/figures/volume", period="2026-11", by=by, **area)["rows"]
    times = moha.api("/api/v1/figures/timeliness", period="2026-11", by=by, **area)["rows"]
    for row in volume:
        if row[by] in shown.tiles:
            assert int(shown.tiles[row[by]]["data-received"]) == row["received"]
    for row in times:
        if row[by] in shown.tiles:
            rate = row["on_time_rate"]
            assert shown.tiles[row[by]]["data-rate"] == ("" if rate is None else repr(rate))
    assert {r[by] for r in volume if r["received"]} - {None} <= set(shown.tiles)
    days = moha.api("/api/v1/statistics", period="2026-11", timeframe="day", **area)
    assert shown.trend == [piece["processed"] for piece in days]


def test_only_the_ministry_s_services_are_counted(centre: Centre, moha: Scope) -> None:
    """The ministry's received are its services' alone: fewer than every service's, and the
    sum over the ministries is the whole (no service counted twice, none of another's)."""
    whole = centre.api("/api/v1/figures/volume", period="2026")["totals"]["received"]
    ministries = sorted(set(MINISTRY.values()))
    parts: dict[str, int] = {}
    for ministry in ministries:
        scope = moha if ministry == "MOHA" else Scope(centre, ministry)
        shown = PageFigures(scope.page("/area/nation", {"period": "2026"}).text)
        parts[ministry] = int(shown.current["received"])
    assert 0 < parts["MOHA"] < whole
    assert sum(parts.values()) == whole


def _overdue(scope: Scope, query: dict[str, str]) -> OverduePage:
    shown = OverduePage(scope.page("/overdue", query).text)
    following = shown.next
    while following:
        more = OverduePage(scope.web.get(scope.centre.url + following.replace("&amp;", "&")).text)
        shown.rows += more.rows
        following = more.next
    return shown


@pytest.mark.parametrize(
    ("address", "area"), [("nation", {}), ("province/LA-VT", {"province": "LA-VT"})]
)
def test_the_overdue_list_holds_only_the_ministry_s(
    moha: Scope, address: str, area: dict[str, str]
) -> None:
    shown = _overdue(moha, {"area": address, "period": "2026"})
    form = moha.page("/overdue", {"area": address}).text
    offered = {s for s in MINISTRY if f'<option value="{s}"' in form}
    assert offered == {s for s, m in MINISTRY.items() if m == "MOHA"}
    answer = moha.api("/api/v1/figures/overdue", period="2026", limit=500, **area)
    items = answer["overdue"]["items"]
    assert answer["overdue"]["next"] is None
    assert items and {MINISTRY[i["service"]] for i in items} == {"MOHA"}
    assert shown.total == answer["totals"]["overdue"] == len(items)
    assert shown.rows == [(i["tracking"], i["days_late"]) for i in items]
    # Another ministry's service asked by name gives nothing of it.
    other = next(s for s, m in MINISTRY.items() if m != "MOHA")
    asked = _overdue(moha, {"area": address, "period": "2026", "service": other})
    assert (asked.total, asked.rows) == (0, [])
    text = moha.page("/overdue.csv", {"area": address, "period": "2026"}).content.decode(
        "utf-8-sig"
    )
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["tracking"] for r in rows] == [i["tracking"] for i in items]
    assert {MINISTRY[r["service"]] for r in rows} == {"MOHA"}


@pytest.mark.parametrize("by", ["service", "ministry"])
@pytest.mark.parametrize(
    ("address", "area"), [("nation", {}), ("office/VTE-SST", {"office": "VTE-SST"})]
)
def test_the_services_page_counts_only_the_ministry_s(
    moha: Scope, address: str, area: dict[str, str], by: str
) -> None:
    reply = moha.page("/services", {"area": address, "by": by, "period": "2026"})
    assert 'id="ministry-note" data-ministry="MOHA"' in reply.text
    shown = ServicesPage(reply.text)
    expected: dict[str, dict[str, float | None]] = {}
    totals: dict[str, float | None] = {}
    for figure, field in FIELDS:
        answer = moha.api(f"/api/v1/figures/{figure}", period="2026", by=by, **area)
        value = answer["totals"][field]
        totals[field] = None if value is None else float(value)
        for row in answer["rows"]:
            cell = row[field]
            expected.setdefault(row[by] or "", {})[field] = None if cell is None else float(cell)
    empty = {field: None if field in RATES else 0.0 for _, field in FIELDS}
    rows = {
        code: {field: _number(r[f"data-{field.replace('_', '-')}"]) for _, field in FIELDS}
        for code, r in shown.rows.items()
    }
    assert rows == {code: {**empty, **values} for code, values in expected.items()}
    assert {
        field: _number(shown.totals[f"data-{field.replace('_', '-')}"]) for _, field in FIELDS
    } == totals
    if by == "ministry":
        assert set(rows) == {"MOHA"}
    else:
        assert rows and {MINISTRY[code] for code in rows} == {"MOHA"}
    text = moha.page(
        "/services", {"area": address, "by": by, "period": "2026", "format": "csv"}
    ).content.decode("utf-8-sig")
    assert sorted(r[by] for r in csv.DictReader(io.StringIO(text))) == sorted(rows)


@pytest.mark.parametrize("path", ["/counters", "/cash"])
@pytest.mark.parametrize("address", ["nation", "office/VTE-SST", ""])
def test_pages_not_counted_per_service_are_refused(moha: Scope, path: str, address: str) -> None:
    query = {"area": address} if address else {}
    reply = moha.page(path, query, 403)
    assert "text/html" in reply.headers["content-type"]
    for lang in ("lo", "en"):
        assert tr(lang, "not_per_service", area="").split(":")[0] in html.unescape(reply.text)


def test_another_ministry_s_scope_is_not_widened(centre: Centre, moha: Scope) -> None:
    """A ministry's person reads every place, but only through their ministry: the API refuses
    them a place's whole figures, and the page never shows them."""
    reply = requests.get(
        centre.url + "/api/v1/figures/volume",
        params={"period": "2026", "ministry": "MOIC"},
        headers={"Authorization": f"Bearer {moha.token}"},
        timeout=30,
    )
    assert reply.status_code == 403
    page = moha.page("/area/office/VTE-SST", {"period": "2026"}).text
    assert 'data-ministry="MOHA"' in page and 'data-ministry="MOIC"' not in page


def test_in_a_browser_from_the_nation_down(centre: Centre, chromium: Any) -> None:
    """Logging in lands on the nation's overview of the ministry; a province's tile leads to
    its overview, still of the ministry; the counters are refused. Screenshots in both
    languages."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    backend = centre.server.db_url.split(":", 1)[0].split("+")[0]
    name = centre.person("ministry:MOHA")
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="lo-LA")
    page = context.new_page()
    try:
        page.goto(centre.url + "/login")
        page.fill("#name", name)
        page.fill("#password", PASSWORD)
        page.click("#login-button")
        page.wait_for_selector("#ministry-note")
        assert page.get_attribute("#level", "data-place") == "nation"
        page.screenshot(path=str(SHOTS / f"{backend}-ministry-nation-lo.png"), full_page=True)
        page.click('#tiles a[data-code="LA-VT"]')
        page.wait_for_selector("#ministry-note")
        assert page.get_attribute("#level", "data-code") == "LA-VT"
        page.click("#other-lang")
        assert page.get_attribute("html", "lang") == "en"
        page.screenshot(path=str(SHOTS / f"{backend}-ministry-province-en.png"), full_page=True)
        page.click("#nav-overdue")
        page.wait_for_selector("#overdue-total")
        assert page.get_attribute("#ministry-note", "data-ministry") == "MOHA"
        page.screenshot(path=str(SHOTS / f"{backend}-ministry-overdue-en.png"), full_page=True)
        page.goto(centre.url + "/counters?area=province/LA-VT")
        assert "cannot be limited to your ministry" in page.inner_text("main")
        page.screenshot(path=str(SHOTS / f"{backend}-ministry-counters-refused.png"))
    finally:
        context.close()


def test_the_committee_report_counts_only_the_ministry_s(moha: Scope, tmp_path: Path) -> None:
    """The overview links to the report; through a ministry's scope it holds that ministry's
    services' figures (the API's with `?ministry=`), names the ministry, and leaves out what
    is not counted per service (counters gone silent, the drawers' cash)."""
    overview = moha.page("/area/nation", {"period": report.MONTH}).text
    assert 'id="report-pdf"' in overview
    text = report._text(
        report._pdf(moha.centre, moha.web, area="nation", period=report.MONTH), tmp_path
    )
    assert both("ministry_only") in text and "(MOHA)" in text
    want = _api_headline(moha, {}, report.MONTH, None)
    now, before = want["current"], want["previous"]

    def whole(value: float | None) -> int | None:
        return None if value is None else int(value)

    assert report._after(text, both("received")) == [
        report._grouped(whole(now["received"])),
        report._grouped(whole(before["received"])),
    ]
    assert report._after(text, both("net_fees")) == [
        report._grouped(whole(now["net"])),
        report._grouped(whole(before["net"])),
    ]
    assert report._after(text, both("on_time_rate")) == [
        report._percent(now["on_time_rate"]),
        report._percent(before["on_time_rate"]),
    ]
    assert both("silent", days=3) not in text and both("cash_title") not in text
    report._check_places(moha, text, {}, "province")  # type: ignore[arg-type]
    report._check_ministries(moha, text, {})  # type: ignore[arg-type]
    assert "MOIC · " not in text
