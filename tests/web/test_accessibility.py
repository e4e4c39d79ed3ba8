"""Every page through axe-core (tests/web/vendor/axe.min.js, 4.14.1) in Chromium, in Lao and in
English: no violation at all (issue 14 asks for none "serious"; the pages have none of any impact,
and the test keeps it so).

axe runs with its default rules (WCAG 2.0/2.1/2.2 A and AA and its best practices). The pages'
Content-Security-Policy allows scripts from the server only, so axe is loaded as if the server
served it: Playwright answers a request for AXE_PATH on the server's own origin with the vendored
file. The pages are checked under their real policy (no bypass_csp); the server never serves
axe itself.

PAGES lists the pages by name; a page added to the site is added here by hand. Not in it: the
files (/report.pdf, the .csv and .xlsx exports), and the pages that need a record made first (a
catalog draft or version, an account's revoke form).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.web.conftest import PASSWORD, SHOTS, Centre

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
AXE_PATH = "/__test__/axe.min.js"  # no route of the server: Playwright answers it
BLOCKING = ("minor", "moderate", "serious", "critical")  # every impact axe reports

# One backend is enough: the markup does not depend on the database.
pytestmark = pytest.mark.parametrize("centre", ["sqlite"], indirect=True)

# (name, path) of each page a nation-wide admin sees (an admin sees every page); the login page
# is checked logged out (test_the_login_page).
PAGES = [
    ("nation", "/area/nation"),
    ("province", "/area/province/LA-VT"),
    ("district", "/area/district/VT-01"),
    ("office", "/area/office/VTE-SST"),
    ("counter", "/area/counter/VTE-SST/1"),
    ("year-and-table", "/area/office/VTE-SST?period=2026"),
    ("bad-period", "/area/nation?period=2026-13"),
    ("overdue", "/overdue?area=office/VTE-SST&period=2026"),
    ("overdue-nation", "/overdue?area=nation&period=2026"),
    ("counters", "/counters?area=nation"),
    ("counters-office", "/counters?area=office/VTE-SST&silent=1"),
    ("not-found", "/area/province/LA-XX"),
    ("services", "/services?area=nation&period=2026"),
    ("services-office", "/services?area=office/VTE-SST"),
    ("cash", "/cash?area=nation"),
    ("cash-office", "/cash?area=office/VTE-SST"),
    ("accounts", "/accounts"),
    ("accounts-new", "/accounts/new"),
    ("accounts-log", "/accounts/log"),
    ("password", "/password"),
    ("catalog", "/catalog"),
    # the citizens' pages (no login needed; the same pages logged in)
    ("fees", "/fees"),
    ("fees-search", "/fees?q=birth"),
    ("verify", "/verify"),
    ("verify-bad", "/verify?code=ODSC1:X"),
    ("status", "/status"),
    ("calendar", "/calendar"),
]


@pytest.fixture(scope="module")
def page(centre: Centre, chromium: Any) -> Iterator[Any]:
    """One logged-in tab for the module (log in once; each test opens its page)."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="lo-LA")
    source = AXE.read_text(encoding="utf-8")
    context.route(
        centre.url + AXE_PATH,
        lambda route: route.fulfill(body=source, content_type="text/javascript"),
    )
    tab = context.new_page()
    tab.goto(centre.url + "/login")
    tab.fill("#name", centre.person("nation", "admin"))
    tab.fill("#password", PASSWORD)
    tab.click("#login-button")
    tab.wait_for_selector("#level")
    yield tab
    context.close()


def violations(page: Any, base: str) -> list[dict[str, Any]]:
    """axe's violations on the page shown (axe loaded into it first). A click that navigates
    returns once the next page starts loading: its document may have no head yet to add axe
    to, so the page is let load first."""
    page.wait_for_load_state("load")
    page.add_script_tag(url=base + AXE_PATH)
    found: list[dict[str, Any]] = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return found


def _described(found: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"{v['impact']}: {v['id']} ({v['help']}): "
        + "; ".join(" ".join(n["target"]) for n in v["nodes"][:5])
        for v in found
    )


def _open(page: Any, url: str, lang: str) -> None:
    """The page at `url` in `lang`; asserts it was not redirected elsewhere."""
    joiner = "&" if "?" in url else "?"
    page.goto(f"{url}{joiner}lang={lang}")
    page.wait_for_load_state("load")
    assert urlsplit(page.url).path == urlsplit(url).path
    assert page.get_attribute("html", "lang") == lang


@pytest.mark.parametrize("lang", ["lo", "en"])
@pytest.mark.parametrize(("name", "path"), PAGES, ids=[name for name, _ in PAGES])
def test_no_serious_violation(centre: Centre, page: Any, name: str, path: str, lang: str) -> None:
    _open(page, centre.url + path, lang)
    found = violations(page, centre.url)
    blocking = [v for v in found if v["impact"] in BLOCKING]
    if blocking:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"axe-{name}-{lang}.png"), full_page=True)
    assert blocking == [], _described(blocking)


def test_the_login_page(centre: Centre, chromium: Any) -> None:
    """The login page logged out, and with its error shown (a wrong password), in both
    languages."""
    context = chromium.new_context(locale="lo-LA")
    source = AXE.read_text(encoding="utf-8")
    context.route(
        centre.url + AXE_PATH,
        lambda route: route.fulfill(body=source, content_type="text/javascript"),
    )
    tab = context.new_page()
    try:
        for lang in ("lo", "en"):
            _open(tab, centre.url + "/login", lang)
            blocking = [v for v in violations(tab, centre.url) if v["impact"] in BLOCKING]
            assert blocking == [], _described(blocking)
            tab.fill("#name", "nobody here")
            tab.fill("#password", "not the password")
            tab.click("#login-button")
            tab.wait_for_selector(".error")
            blocking = [v for v in violations(tab, centre.url) if v["impact"] in BLOCKING]
            assert blocking == [], _described(blocking)
    finally:
        context.close()


def test_axe_finds_a_violation_when_there_is_one(centre: Centre, page: Any) -> None:
    """The check can fail: an image without a text alternative is reported as critical."""
    _open(page, centre.url + "/area/nation", "en")
    page.evaluate(
        "() => { const i = document.createElement('img');"
        " i.src = '/static/fonts/none.png'; document.querySelector('main').append(i); }"
    )
    found = violations(page, centre.url)
    assert "image-alt" in [v["id"] for v in found if v["impact"] in BLOCKING]
