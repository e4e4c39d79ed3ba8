"""The overdue page: its count and rows equal the overdue figure's (/api/v1) at every level and
for one service, oldest first; another province's list and files are refused; names and phones
only for a person the scope lets see them, and that reading logged; the CSV and XLSX files hold
the list's rows."""

from __future__ import annotations

import csv
import io
from html.parser import HTMLParser
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from sync.server import records
from sync.server.db import access_log, accounts
from tests.web.conftest import Centre

LEVELS = [
    ("nation", {}),
    ("province/LA-VT", {"province": "LA-VT"}),
    ("district/VT-01", {"district": "VT-01"}),
    ("office/VTE-SST", {"office": "VTE-SST"}),
]
PERIOD = "2026"


class OverduePage(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__()
        self.total: int | None = None
        self.rows: list[tuple[str, int]] = []
        self.personal = 0
        self.next: str | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if found.get("id") == "overdue-total":
            self.total = int(found["data-value"])
        if tag == "tr" and "data-tracking" in found:
            self.rows.append((found["data-tracking"], int(found["data-days"])))
        if "personal" in found.get("class", "").split():
            self.personal += 1
        if found.get("id") == "next-page":
            self.next = found["href"]


def _api_list(centre: Centre, area: dict[str, str], **more: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        params = {**area, "period": PERIOD, "limit": "500", **more}
        if cursor:
            params["cursor"] = cursor
        answer = centre.api("/api/v1/figures/overdue", **params)
        items += answer["overdue"]["items"]
        cursor = answer["overdue"]["next"]
        if cursor is None:
            return items


def _walk_page(centre: Centre, web: Any, query: str) -> OverduePage:
    """Every page of the list, its rows joined."""
    reply = web.get(f"{centre.url}/overdue?{query}", timeout=30)
    assert reply.status_code == 200, reply.text
    first = OverduePage(reply.text)
    following = first.next
    while following:
        more = OverduePage(web.get(centre.url + following.replace("&amp;", "&"), timeout=30).text)
        first.rows += more.rows
        following = more.next
    return first


@pytest.mark.parametrize(("address", "area"), LEVELS)
def test_the_list_equals_the_figure(centre: Centre, address: str, area: dict[str, str]) -> None:
    web = centre.login(centre.person("nation"))
    shown = _walk_page(centre, web, f"area={address}&period={PERIOD}")
    expected = _api_list(centre, area)
    totals = centre.api("/api/v1/figures/overdue", period=PERIOD, **area)["totals"]
    assert shown.total == totals["overdue"] == len(expected)
    assert shown.rows == [(i["tracking"], i["days_late"]) for i in expected]
    assert shown.personal == 0  # a nation-wide viewer is given no names


def test_the_scene_has_overdue_requests(centre: Centre) -> None:
    assert centre.api("/api/v1/figures/overdue", period=PERIOD)["totals"]["overdue"] > 0


def test_one_service_and_a_counter(centre: Centre) -> None:
    web = centre.login(centre.person("nation"))
    everything = _api_list(centre, {})
    for service in sorted({i["service"] for i in everything}):
        shown = _walk_page(centre, web, f"area=nation&period={PERIOD}&service={service}")
        wanted = [(i["tracking"], i["days_late"]) for i in everything if i["service"] == service]
        assert shown.rows == wanted and shown.total == len(wanted)
    office = [i for i in everything if i["office"] == "VTE-SST"]
    for counter in sorted({i["counter"] for i in office}):
        shown = _walk_page(centre, web, f"area=counter/VTE-SST/{counter}&period={PERIOD}")
        wanted = [(i["tracking"], i["days_late"]) for i in office if i["counter"] == counter]
        assert shown.rows == wanted and shown.total == len(wanted)


def test_another_province_is_refused(centre: Centre) -> None:
    web = centre.login(centre.person("province:LA-LP"))
    for path in ("/overdue", "/overdue.csv", "/overdue.xlsx", "/counters"):
        reply = web.get(f"{centre.url}{path}?area=province/LA-VT", timeout=30)
        assert reply.status_code == 403, path
        assert "text/html" in reply.headers["content-type"]
        reply = web.get(f"{centre.url}{path}?area=office/VTE-SST", timeout=30)
        assert reply.status_code == 403, path
    assert web.get(f"{centre.url}/overdue?area=province/LA-LP", timeout=30).status_code == 200


def test_logged_out_goes_to_the_login(centre: Centre) -> None:
    import requests

    for path in ("/overdue", "/overdue.csv", "/counters"):
        reply = requests.get(centre.url + path, allow_redirects=False, timeout=30)
        assert reply.status_code == 303 and reply.headers["location"] == "/login"


def _log(centre: Centre, name: str) -> list[tuple[str, str, int]]:
    with centre.engine.connect() as conn:
        return [
            (r.action, r.target, r.records)
            for r in conn.execute(
                select(access_log.c.action, access_log.c.target, access_log.c.records)
                .join(accounts, accounts.c.id == access_log.c.account_id)
                .where(accounts.c.name == name)
                .order_by(access_log.c.id)
            )
        ]


def test_personal_data_only_with_the_right_and_logged(centre: Centre) -> None:
    expected = _api_list(centre, {"office": "VTE-SST"})
    assert expected
    query = f"area=office/VTE-SST&period={PERIOD}"
    viewer = centre.person("province:LA-VT")
    page = OverduePage(centre.login(viewer).get(f"{centre.url}/overdue?{query}", timeout=30).text)
    assert page.personal == 0 and len(page.rows) == len(expected)
    assert _log(centre, viewer) == []

    own = centre.person("office:VTE-SST")  # an office's own account reads its names
    web = centre.login(own)
    reply = web.get(f"{centre.url}/overdue?{query}", timeout=30)
    page = OverduePage(reply.text)
    assert page.personal == 2 * len(expected)
    assert 'id="personal-note"' in reply.text
    assert _log(centre, own) == [("web.overdue", f"office:VTE-SST {PERIOD}", len(expected))]
    web.get(f"{centre.url}/overdue.csv?{query}", timeout=30)
    assert _log(centre, own)[-1] == ("web.overdue.csv", f"office:VTE-SST {PERIOD}", len(expected))


def test_the_files_hold_the_rows(centre: Centre) -> None:
    expected = _api_list(centre, {"province": "LA-VT"})
    web = centre.login(centre.person("nation"))
    query = f"area=province/LA-VT&period={PERIOD}"
    reply = web.get(f"{centre.url}/overdue.csv?{query}", timeout=30)
    assert reply.status_code == 200
    assert reply.headers["content-type"].startswith("text/csv")
    assert "attachment" in reply.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(reply.content.decode("utf-8-sig"))))
    assert [(r["tracking"], int(r["days_late"])) for r in rows] == [
        (i["tracking"], i["days_late"]) for i in expected
    ]
    assert "citizen_name" not in rows[0] and rows[0]["name_en"]
    reply = web.get(f"{centre.url}/overdue.xlsx?{query}", timeout=30)
    assert reply.status_code == 200
    sheet = load_workbook(io.BytesIO(reply.content), read_only=True)["overdue"]
    values = list(sheet.values)
    column = values[0].index("tracking")
    assert [v[column] for v in values[1:]] == [i["tracking"] for i in expected]


def test_a_bad_period_is_said(centre: Centre) -> None:
    web = centre.login(centre.person("nation"))
    reply = web.get(f"{centre.url}/overdue?period=not-a-period", timeout=30)
    assert reply.status_code == 400 and 'id="period-error"' in reply.text


def test_a_list_longer_than_an_export_holds_is_refused_not_cut(
    centre: Centre, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = _api_list(centre, {"province": "LA-VT"})
    assert len(expected) >= 2
    monkeypatch.setattr(records, "EXPORT_MAX", len(expected) - 1)
    web = centre.login(centre.person("nation"))
    query = f"area=province/LA-VT&period={PERIOD}"
    for fmt in ("csv", "xlsx"):
        reply = web.get(f"{centre.url}/overdue.{fmt}?{query}", timeout=30)
        assert reply.status_code == 422
        assert reply.headers["content-type"].startswith("text/html")
        most = f"{len(expected) - 1:,}"
        assert f"More than {most} rows" in reply.text and f"ເກີນ {most} ລາຍການ" in reply.text
    monkeypatch.setattr(records, "EXPORT_MAX", len(expected))
    assert web.get(f"{centre.url}/overdue.csv?{query}", timeout=30).status_code == 200
