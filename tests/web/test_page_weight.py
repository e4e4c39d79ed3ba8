"""The pages' weight on the wire, a budget guard (issue 14: "First load of the overview <= 300 KB
on the wire (compressed, fonts and scripts included), a later page <= 60 KB").

Measured in Chromium as the bytes it received (Chrome DevTools Protocol, each request's
Network.loadingFinished encodedDataLength: headers and compressed body as they came over the
socket; a file served from the browser's cache costs nothing), for the overview opened with an
empty cache by a person logged in, then a later page with that cache warm. `Wire` is also what
tests/bench/test_pages_bench.py measures with.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import requests

from tests.web.conftest import PASSWORD, Centre

FIRST_LOAD_BUDGET = 300_000  # bytes: the 300 KB, read as 1000s
LATER_PAGE_BUDGET = 60_000

# A budget, not a timing: one backend is enough.
pytestmark = pytest.mark.parametrize("centre", ["sqlite"], indirect=True)


@dataclass
class Wire:
    """What one tab receives over the network, request by request."""

    page: Any
    urls: dict[str, str] = field(default_factory=dict)
    received: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        cdp = self.page.context.new_cdp_session(self.page)
        cdp.on("Network.requestWillBeSent", self._sent)
        cdp.on("Network.loadingFinished", self._finished)
        cdp.on("Network.loadingFailed", self._failed)
        cdp.send("Network.enable")

    def _sent(self, event: dict[str, Any]) -> None:
        redirect = event.get("redirectResponse")
        if redirect is not None:  # the same request id goes on: keep the redirect's own bytes
            self.received[f"{event['requestId']} {redirect['url']}"] = int(
                redirect.get("encodedDataLength", 0)
            )
        self.urls[event["requestId"]] = event["request"]["url"]

    def _finished(self, event: dict[str, Any]) -> None:
        self.received[event["requestId"]] = int(event["encodedDataLength"])

    def _failed(self, event: dict[str, Any]) -> None:
        raise AssertionError(f"{self.urls.get(event['requestId'])} failed: {event}")

    def load(self, url: str) -> dict[str, int]:
        """Open `url` and wait until it, its style sheet and its fonts are all in: the bytes
        received for each URL fetched on the way (redirects included)."""
        self.urls.clear()
        self.received.clear()
        self.page.goto(url)
        self.page.evaluate("document.fonts.ready.then(() => true)")
        self.page.wait_for_load_state("networkidle")
        pending = set(self.urls) - set(self.received)
        assert not pending, [self.urls[p] for p in pending]
        return {self.urls.get(key, key.partition(" ")[2]): n for key, n in self.received.items()}


def logged_in_state(chromium: Any, base: str, name: str, password: str = PASSWORD) -> Any:
    """A browser's cookies after `name` logged in by the form (for a fresh context: an empty
    cache with the session)."""
    context = chromium.new_context()
    try:
        tab = context.new_page()
        tab.goto(base + "/login")
        tab.fill("#name", name)
        tab.fill("#password", password)
        tab.click("#login-button")
        tab.wait_for_selector("#level")
        return context.storage_state()
    finally:
        context.close()


def total(received: dict[str, int]) -> int:
    return sum(received.values())


def described(received: dict[str, int]) -> str:
    return ", ".join(f"{url.split('/', 3)[-1] or '/'}: {n:,} B" for url, n in received.items())


@pytest.fixture
def wire(centre: Centre, chromium: Any) -> Iterator[Wire]:
    state = logged_in_state(chromium, centre.url, centre.person("nation"))
    context = chromium.new_context(storage_state=state, locale="lo-LA")
    yield Wire(context.new_page())
    context.close()


def test_the_overview_s_first_load_and_a_later_page_keep_their_budget(
    centre: Centre, wire: Wire
) -> None:
    first = wire.load(centre.url + "/")
    assert wire.page.get_attribute("#level", "data-place") == "nation"
    fetched = {url.rsplit("/", 1)[-1] for url in first}
    assert {"web.css", "NotoSansLao-Regular.woff2", "NotoSansLao-Bold.woff2"} <= fetched, first
    assert total(first) <= FIRST_LOAD_BUDGET, described(first)
    for later in ("/area/province/LA-VT", "/overdue?area=province/LA-VT&period=2026"):
        again = wire.load(centre.url + later)
        # The style sheet and fonts come from the browser's cache: only the page is fetched.
        assert [url for url, n in again.items() if n] == [centre.url + later], described(again)
        assert total(again) <= LATER_PAGE_BUDGET, described(again)


def test_text_is_compressed_and_static_files_are_cached(centre: Centre) -> None:
    """Why a later page is small: the HTML and CSS come gzipped, the font is WOFF2 (compressed
    already, so sent as it is), and the browser keeps the static files."""
    web = centre.login(centre.person("nation"))
    page = web.get(centre.url + "/", timeout=30)
    assert page.headers["Content-Encoding"] == "gzip"
    assert page.headers["Cache-Control"] == "no-store"  # a page holds personal figures
    sheet = requests.get(centre.url + "/static/web.css", timeout=10)
    assert sheet.headers["Content-Encoding"] == "gzip"
    assert sheet.headers["Cache-Control"] == "public, max-age=300"
    font = requests.get(centre.url + "/static/fonts/NotoSansLao-Regular.woff2", timeout=10)
    assert font.headers["Content-Type"] == "font/woff2"
    assert "Content-Encoding" not in font.headers
    assert font.headers["Cache-Control"] == "public, max-age=604800"
    assert font.content[:4] == b"wOF2"
    current = requests.get(
        centre.url + "/static/web.css", headers={"If-None-Match": sheet.headers["ETag"]}, timeout=10
    )
    assert current.status_code == 304 and current.content == b""
    assert current.headers["Cache-Control"] == "public, max-age=300"
    missing = requests.get(centre.url + "/static/fonts/none.woff2", timeout=10)
    assert missing.status_code == 404 and "Cache-Control" not in missing.headers
