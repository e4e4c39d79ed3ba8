"""The pages in a real browser (Debian's Chromium, headless, driven by Playwright): log in, the
overview in Lao, English at a click, drill from the nation to a counter by the tiles, change
the period; every page's figures against the API's, and a screenshot of each in both languages
(SHOTS) for a person to look at."""

from __future__ import annotations

from typing import Any

import pytest

from tests.sync.test_figures_scene import NOW
from tests.web.conftest import PASSWORD, SHOTS, Centre
from tests.web.figures_on_page import PageFigures, api_numbers, as_floats, page_numbers

# The drill-down: the tile clicked at each level, the level it leads to, its API area.
DRILL = [
    ("LA-VT", "province", {"province": "LA-VT"}, None),
    ("VT-01", "district", {"district": "VT-01"}, None),
    ("VTE-SST", "office", {"office": "VTE-SST"}, None),
    ("VTE-SST/1", "counter", {"office": "VTE-SST"}, ("VTE-SST", 1)),
]


@pytest.fixture
def page(centre: Centre, chromium: Any) -> Any:
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="lo-LA")
    yield context.new_page()
    context.close()


def _shot(centre: Centre, page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    backend = centre.server.db_url.split(":", 1)[0].split("+")[0]
    page.screenshot(path=str(SHOTS / f"{backend}-{name}.png"), full_page=True)


def _lang(page: Any) -> str:
    return str(page.get_attribute("html", "lang"))


def _matches_api(centre: Centre, page: Any, area: dict[str, str], counter: Any, period: str):
    shown = page_numbers(PageFigures(page.content()))
    assert as_floats(shown) == as_floats(api_numbers(centre, area, period, NOW, counter=counter))


def _both_languages(centre: Centre, page: Any, name: str) -> None:
    """Screenshots in the language shown and the other, by the link; back where it was."""
    first = _lang(page)
    _shot(centre, page, f"{name}-{first}")
    page.click("#other-lang")
    assert _lang(page) != first
    _shot(centre, page, f"{name}-{_lang(page)}")
    page.click("#other-lang")
    assert _lang(page) == first


def _lao_font_loaded(page: Any) -> bool:
    return bool(
        page.evaluate(
            "document.fonts.ready.then(() => [...document.fonts].some("
            "f => f.family.includes('Noto Sans Lao') && f.status === 'loaded'))"
        )
    )


def test_log_in_read_in_lao_switch_to_english_and_drill_to_a_counter(
    centre: Centre, page: Any
) -> None:
    name = centre.person("nation")
    page.goto(centre.url + "/")
    assert page.url.endswith("/login")
    assert _lang(page) == "lo"
    _shot(centre, page, "0-login-lo")
    page.fill("#name", name)
    page.fill("#password", PASSWORD)
    page.click("#login-button")

    assert page.url == centre.url + "/"
    assert _lang(page) == "lo"
    assert page.inner_text("#headline-title") == "ຕົວເລກຫຼັກ"
    assert page.get_attribute("#level", "data-place") == "nation"
    assert _lao_font_loaded(page)
    _matches_api(centre, page, {}, None, "2026-12")
    _shot(centre, page, "1-nation-lo")

    page.click("#other-lang")
    assert _lang(page) == "en"
    assert page.inner_text("#headline-title") == "Headline figures"
    _shot(centre, page, "1-nation-en")

    for number, (tile, place, area, counter) in enumerate(DRILL, start=2):
        page.click(f'a.tile[data-code="{tile}"]')
        assert page.get_attribute("#level", "data-place") == place
        assert _lang(page) == "en"  # the choice is kept from page to page
        _matches_api(centre, page, area, counter, "2026-12")
        _both_languages(centre, page, f"{number}-{place}")


def test_change_the_period_in_the_form(centre: Centre, page: Any) -> None:
    page.goto(centre.url + "/login?lang=en")
    page.fill("#name", centre.person("province:LA-VT"))
    page.fill("#password", PASSWORD)
    page.click("#login-button")
    assert page.get_attribute("#level", "data-code") == "LA-VT"  # a province viewer's start
    for period in ("2026-11", "2026-Q4", "2026-10-01..2026-10-31"):
        page.fill("#period", period)
        page.click("#show")
        assert page.get_attribute("#period-shown", "data-period") == period
        _matches_api(centre, page, {"province": "LA-VT"}, None, period)
    _shot(centre, page, "6-period-range-en")
    page.click("#shortcut-this_year")
    assert page.get_attribute("#period-shown", "data-period") == "2026"
    page.click("summary")  # the chart's data as a table, one click away
    assert page.is_visible("#trend-table")
    _shot(centre, page, "7-year-table-en")
    page.fill("#period", "2026-13")
    page.click("#show")
    assert page.inner_text("#period-error") == "2026-13 is not a period"
    _shot(centre, page, "8-bad-period-en")


def test_a_province_viewer_sees_a_refusal_page(centre: Centre, page: Any) -> None:
    page.goto(centre.url + "/login")
    page.fill("#name", centre.person("province:LA-VT"))
    page.fill("#password", PASSWORD)
    page.click("#login-button")
    reply = page.goto(centre.url + "/area/province/LA-LP")
    assert reply is not None and reply.status == 403
    assert "You may not see" in page.content()
    _shot(centre, page, "9-refused-lo")


def test_a_wrong_password_and_the_keyboard(centre: Centre, page: Any) -> None:
    page.goto(centre.url + "/login")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.fill("#name", centre.person("nation"))
    page.fill("#password", "not the password")
    page.click("#login-button")
    assert page.inner_text("#login-error") == "ຊື່ຜູ້ໃຊ້ ຫຼື ລະຫັດຜ່ານບໍ່ຖືກຕ້ອງ"
    _shot(centre, page, "0-login-failed-lo")
