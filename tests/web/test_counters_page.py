"""The counters page: each counter's last sync, clock skew, anchors not extended and facts
parked equal the operations figure's (/api/v1) by counter; the silent ones are said in a word;
another province's counters are refused. And in a real browser: from the overview to the
overdue list and to the counters by the header's links, screenshots in Lao (SHOTS2)."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import PASSWORD, Centre

SHOTS2 = Path("/tmp/h/shots2")
LEVELS = [
    ("nation", {}),
    ("province/LA-VT", {"province": "LA-VT"}),
    ("district/VT-01", {"district": "VT-01"}),
    ("office/VTE-SST", {"office": "VTE-SST"}),
]


class CountersPage(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__()
        self.rows: dict[str, dict[str, str]] = {}
        self.silent: int | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if tag == "tr" and "data-code" in found:
            self.rows[found["data-code"]] = found
        if found.get("id") == "silent-count":
            self.silent = int(found["data-value"])


def _page(centre: Centre, web: Any, query: str) -> tuple[CountersPage, str]:
    reply = web.get(f"{centre.url}/counters?{query}", timeout=30)
    assert reply.status_code == 200, reply.text
    return CountersPage(reply.text), reply.text


@pytest.mark.parametrize(("address", "area"), LEVELS)
def test_the_rows_equal_the_figure(centre: Centre, address: str, area: dict[str, str]) -> None:
    web = centre.login(centre.person("nation"))
    shown, _ = _page(centre, web, f"area={address}")
    rows = centre.api("/api/v1/figures/operations", period="2026-12", by="counter", **area)["rows"]
    assert rows
    assert {
        code: (
            r["data-last-sync"],
            int(r["data-skew"]),
            int(r["data-chain"]),
            int(r["data-parked"]),
        )
        for code, r in shown.rows.items()
    } == {
        f"{r['office']}/{r['counter']}": (
            r["last_sync"] or "",
            r["max_clock_skew"],
            r["chain_flagged"],
            r["parked"],
        )
        for r in rows
    }


def test_a_counter_s_own_row(centre: Centre) -> None:
    web = centre.login(centre.person("nation"))
    shown, _ = _page(centre, web, "area=counter/VTE-SST/2")
    assert list(shown.rows) == ["VTE-SST/2"]


def test_silent_counters_are_marked_in_a_word(centre: Centre) -> None:
    centre.clock.advance(days=5)
    web = centre.login(centre.person("nation"))
    shown, html = _page(centre, web, "area=nation&silent=3")
    assert shown.silent == len(shown.rows) > 0
    assert all(r["data-silent"] == "yes" for r in shown.rows.values())
    assert html.count('class="mark-silent"') == len(shown.rows)
    shown, html = _page(centre, web, "area=nation&silent=7")
    assert shown.silent == 0 and 'class="mark-silent"' not in html


def test_another_province_is_refused(centre: Centre) -> None:
    web = centre.login(centre.person("province:LA-LP"))
    assert web.get(f"{centre.url}/counters?area=nation", timeout=30).status_code == 403
    assert web.get(f"{centre.url}/counters?area=district/VT-01", timeout=30).status_code == 403
    assert web.get(f"{centre.url}/counters?area=counter/VTE-SST/1", timeout=30).status_code == 403


def _shot(centre: Centre, page: Any, name: str) -> None:
    SHOTS2.mkdir(parents=True, exist_ok=True)
    backend = centre.server.db_url.split(":", 1)[0].split("+")[0]
    page.screenshot(path=str(SHOTS2 / f"{backend}-{name}.png"), full_page=True)


def test_from_the_overview_to_both_pages(centre: Centre, chromium: Any) -> None:
    name = centre.person("office:VTE-SST")
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="lo-LA")
    page = context.new_page()
    try:
        page.goto(centre.url + "/login")
        page.fill("#name", name)
        page.fill("#password", PASSWORD)
        page.click("#login-button")
        page.wait_for_selector("#level")
        assert page.get_attribute("html", "lang") == "lo"
        page.click("#nav-overdue")
        page.wait_for_selector("#overdue-total")
        page.select_option("#service", index=1)
        page.fill("#period", "2026")
        page.click("#show")
        page.wait_for_selector("#overdue-total")
        assert "period=2026" in page.url and "service=" in page.url
        _shot(centre, page, "overdue-service-lo")
        page.click("#back-overview")
        page.click("#nav-overdue")
        page.fill("#period", "2026")
        page.click("#show")
        page.wait_for_selector("#overdue-table")
        assert page.locator("td.personal").count() > 0  # the office's own account
        _shot(centre, page, "overdue-lo")
        with page.expect_download() as download:
            page.click("#export-xlsx")
        assert download.value.suggested_filename.endswith(".xlsx")
        page.click("#back-overview")
        page.click("#nav-counters")
        page.wait_for_selector("#counters-table")
        _shot(centre, page, "counters-lo")
        page.click("#other-lang")
        assert page.get_attribute("html", "lang") == "en"
        _shot(centre, page, "counters-en")
    finally:
        context.close()


@pytest.mark.parametrize(("address", "area"), LEVELS)
def test_the_catalog_version_equals_the_fees_figure(
    centre: Centre, address: str, area: dict[str, str]
) -> None:
    """Each counter's catalog version, and the newest published, are the fees figure's
    (`versions`), said in words: the newest, or older than which."""
    web = centre.login(centre.person("nation"), lang="en")
    shown, text = _page(centre, web, f"area={address}")
    versions = centre.api("/api/v1/figures/fees", period="2026-12", **area)["versions"]
    assert versions["counters"]
    expected = {
        f"{c['office']}/{c['counter']}": ""
        if c["catalog_version"] is None
        else str(c["catalog_version"])
        for c in versions["counters"]
    }
    assert {code: r["data-version"] for code, r in shown.rows.items()} == expected
    published = versions["published"]
    assert {r["data-published"] for r in shown.rows.values()} == {str(published)}
    for version in set(expected.values()) - {""}:
        said = (
            f"v{version} (the newest)"
            if int(version) >= published
            else (f"v{version} (older than v{published})")
        )
        assert said in text
