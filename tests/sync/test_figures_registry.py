"""The registry of figures: every entry says what it offers, and a figure refuses what it does
not offer before it reads anything."""

import pytest

from sync.server.figures.area import Area
from sync.server.figures.breakdown import BY
from sync.server.figures.errors import FigureRefused
from sync.server.figures.periods import parse_period
from sync.server.figures.registry import FIGURES

MONTH = parse_period("2026-10")


def test_the_figures_of_the_issue():
    assert list(FIGURES) == [
        "volume", "timeliness", "overdue", "revenue", "fees", "cash", "satisfaction",
        "operations",
    ]  # fmt: skip


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_each_entry_describes_itself(name):
    figure = FIGURES[name]
    assert figure.name == name and figure.summary
    assert set(figure.by) <= set(BY)
    assert set(figure.clerk_by) <= set(figure.by)
    assert figure.needs_office_area("clerk") == ("clerk" in figure.by)
    assert not figure.needs_office_area(None)


def test_only_revenue_and_satisfaction_go_per_clerk():
    assert {n for n, f in FIGURES.items() if f.clerk_by} == {"revenue", "satisfaction"}


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_a_breakdown_not_offered_is_a_422(name):
    figure = FIGURES[name]
    for by in [b for b in BY if b not in figure.by] + ["nothing"]:
        with pytest.raises(FigureRefused) as caught:
            figure.function(None, Area("office", "VTE-SST"), MONTH, by)  # refused before reading
        assert (caught.value.status, caught.value.code) == (422, "figures.by")


@pytest.mark.parametrize("name", ["cash", "operations"])
def test_figures_without_services_refuse_a_ministry(name):
    with pytest.raises(FigureRefused) as caught:
        FIGURES[name].function(None, Area("province", "LA-VT", "MOHA"), MONTH, None)
    assert (caught.value.status, caught.value.code) == (422, "figures.ministry")
    assert not FIGURES[name].per_service
