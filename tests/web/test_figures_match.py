"""Every number on the overview equals the API's for the same level and period: the headline
figures and the previous period's, the counters gone silent, the tiles of the level below and
the trend's bars."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from tests.sync.test_figures_scene import NOW
from tests.web.conftest import Centre
from tests.web.figures_on_page import PageFigures, api_numbers, as_floats, page_numbers

LEVELS = [
    ("/area/nation", {}, None),
    ("/area/province/LA-VT", {"province": "LA-VT"}, None),
    ("/area/province/LA-LP", {"province": "LA-LP"}, None),
    ("/area/district/VT-01", {"district": "VT-01"}, None),
    ("/area/office/VTE-XAY", {"office": "VTE-XAY"}, None),
    ("/area/counter/VTE-SST/2", {"office": "VTE-SST"}, ("VTE-SST", 2)),
]
PERIODS = ["2026-11", "2026-Q4", "2026", "2026-10-15..2026-11-10", "2026-12"]
TILES_BY = {"nation": "province", "province": "district", "district": "office"}


@pytest.fixture
def viewer(centre: Centre) -> object:
    """A nation-wide person, logged in at the clock's time (a test may move it days on)."""
    return centre.login(centre.person("nation"))


def _page(centre: Centre, viewer: object, path: str, **query: str) -> PageFigures:
    reply = viewer.get(f"{centre.url}{path}?{urlencode(query)}", timeout=30)  # type: ignore[attr-defined]
    assert reply.status_code == 200, reply.text
    return PageFigures(reply.text)


@pytest.mark.parametrize("period", PERIODS)
@pytest.mark.parametrize(("path", "area", "counter"), LEVELS)
def test_the_headline_equals_the_api(centre, viewer, path, area, counter, period) -> None:
    shown = _page(centre, viewer, path, period=period)
    assert as_floats(page_numbers(shown)) == as_floats(
        api_numbers(centre, area, period, NOW, counter=counter)
    )


def test_silent_counters_follow_the_days_asked(centre) -> None:
    centre.clock.advance(days=5)
    now = centre.clock()
    viewer = centre.login(centre.person("nation"))
    for days in (3, 7):
        shown = page_numbers(_page(centre, viewer, "/area/nation", silent=str(days)))
        expected = api_numbers(centre, {}, "2026-12", now, silent_days=days)
        assert (shown["silent"], shown["counters"]) == (expected["silent"], expected["counters"])
    assert page_numbers(_page(centre, viewer, "/area/nation", silent="3"))["silent"] == 4
    assert page_numbers(_page(centre, viewer, "/area/nation", silent="7"))["silent"] == 0


@pytest.mark.parametrize("period", ["2026-11", "2026"])
@pytest.mark.parametrize(("path", "area", "place"), [
    ("/area/nation", {}, "nation"),
    ("/area/province/LA-VT", {"province": "LA-VT"}, "province"),
    ("/area/district/VT-01", {"district": "VT-01"}, "district"),
])  # fmt: skip
def test_the_tiles_equal_the_api_by_the_level_below(centre, viewer, path, area, place, period):
    shown = _page(centre, viewer, path, period=period).tiles
    by = TILES_BY[place]
    times = centre.api("/api/v1/figures/timeliness", period=period, by=by, **area)["rows"]
    volume = centre.api("/api/v1/figures/volume", period=period, by=by, **area)["rows"]
    for row in times:
        if row[by] in shown:
            rate = row["on_time_rate"]
            assert shown[row[by]]["data-rate"] == ("" if rate is None else repr(rate))
    for row in volume:
        if row[by] in shown:
            assert int(shown[row[by]]["data-received"]) == row["received"]
    with_data = {r[by] for r in volume if r["received"]} - {None}
    assert with_data <= set(shown)  # every place with requests has its tile


def test_the_office_s_tiles_are_its_counters(centre, viewer) -> None:
    shown = _page(centre, viewer, "/area/office/VTE-SST", period="2026-11").tiles
    rows = centre.api("/api/v1/figures/volume", period="2026-11", by="counter", office="VTE-SST")
    assert {code: int(t["data-received"]) for code, t in shown.items()} == {
        f"{r['office']}/{r['counter']}": r["received"] for r in rows["rows"]
    }


@pytest.mark.parametrize(("period", "timeframe"), [("2026-11", "day"), ("2026", "month")])
def test_the_trend_equals_the_statistics(centre, viewer, period, timeframe) -> None:
    shown = _page(centre, viewer, "/area/province/LA-VT", period=period).trend
    pieces = centre.api("/api/v1/statistics", period=period, timeframe=timeframe, province="LA-VT")
    assert shown == [p["processed"] for p in pieces]
    assert sum(shown) > 0


def test_a_counter_s_trend_adds_up_to_its_received(centre, viewer) -> None:
    shown = _page(centre, viewer, "/area/counter/VTE-SST/1", period="2026-11")
    assert sum(shown.trend) == int(shown.current["received"]) > 0
    assert len(shown.trend) == 30
