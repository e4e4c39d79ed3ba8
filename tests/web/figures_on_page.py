"""What a page says, read from its data- attributes, and what the API says for the same level
and period: the two a test compares."""

from __future__ import annotations

from datetime import datetime, timedelta
from html.parser import HTMLParser
from typing import Any

from odsc_desk.shared.clock import parse_stamp
from tests.web.conftest import Centre

HEADLINE = ("received", "on_time_rate", "overdue", "net", "mean_rating", "response_rate")


class PageFigures(HTMLParser):
    """The headline figures (data-figure), the previous period's (data-previous), the tiles
    (data-code with data-rate, data-received) and the trend table's cells."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.current: dict[str, str] = {}
        self.previous: dict[str, str] = {}
        self.tiles: dict[str, dict[str, str]] = {}
        self.trend: list[int] = []
        self._in_trend = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if "data-figure" in found:
            self.current[found["data-figure"]] = found["data-value"]
        if "data-previous" in found:
            self.previous[found["data-previous"]] = found["data-value"]
        if tag == "a" and "data-code" in found:
            self.tiles[found["data-code"]] = found
        if tag == "table" and found.get("id") == "trend-table":
            self._in_trend = True
        if self._in_trend and tag == "td":
            self.trend.append(int(found["data-value"]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._in_trend = False


def _number(text: str) -> float | None:
    return None if text == "" else float(text)


def page_numbers(figures: PageFigures) -> dict[str, Any]:
    return {
        "current": {name: _number(figures.current[name]) for name in HEADLINE},
        # A counter's page has no previous on-time rate: it is not counted per counter.
        "previous": {name: _number(figures.previous.get(name, "")) for name in HEADLINE},
        "silent": int(figures.current["silent"]),
        "counters": int(figures.current["counters"]),
    }


def _pick(answer: dict[str, Any], counter: tuple[str, int] | None) -> dict[str, Any]:
    if counter is None:
        return answer["totals"]
    for row in answer["rows"]:
        if (row["office"], row["counter"]) == counter:
            return row
    return {"previous": {}}


def api_numbers(
    centre: Centre,
    area: dict[str, str],
    period: str,
    now: datetime,
    silent_days: int = 3,
    counter: tuple[str, int] | None = None,
) -> dict[str, Any]:
    """The same figures from /api/v1 (area: the API's query, e.g. {"province": "LA-VT"})."""
    by = {"by": "counter"} if counter else {}

    def figure(name: str) -> dict[str, Any]:
        return _pick(centre.api(f"/api/v1/figures/{name}", period=period, **area, **by), counter)

    volume, revenue = figure("volume"), figure("revenue")
    satisfaction, overdue = figure("satisfaction"), figure("overdue")
    times = None if counter else figure("timeliness")
    sides: dict[str, Any] = {}
    for side in ("current", "previous"):

        def of(values: dict[str, Any], side: str = side) -> dict[str, Any]:
            return values if side == "current" else values.get("previous", {})

        sides[side] = {
            "received": of(volume).get("received", 0),
            "on_time_rate": None if times is None else of(times)["on_time_rate"],
            "overdue": of(overdue).get("overdue", 0),
            "net": of(revenue).get("net", 0),
            "mean_rating": of(satisfaction).get("mean_rating"),
            "response_rate": of(satisfaction).get("response_rate"),
        }
    rows = centre.api("/api/v1/figures/operations", period=period, by="counter", **area)["rows"]
    if counter:
        rows = [r for r in rows if (r["office"], r["counter"]) == counter]
    limit = timedelta(days=silent_days)
    silent = [
        r for r in rows if r["last_sync"] is None or now - parse_stamp(r["last_sync"]) > limit
    ]
    return {**sides, "silent": len(silent), "counters": len(rows)}


def as_floats(numbers: dict[str, Any]) -> dict[str, Any]:
    """Integers and rates alike as floats (a page writes 27, the API 27), None kept."""
    return {
        side: {k: None if v is None else float(v) for k, v in values.items()}
        if isinstance(values, dict)
        else values
        for side, values in numbers.items()
    }
