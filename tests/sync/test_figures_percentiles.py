"""Percentiles from a histogram of working days: exact, and the same definition as
PostgreSQL's percentile_cont and Python's statistics.quantiles(method="inclusive")."""

import random
import statistics
from collections import Counter
from fractions import Fraction

import pytest

from sync.server.figures.percentiles import MEDIAN, P90, percentile


@pytest.mark.parametrize(
    ("values", "median", "p90"),
    [
        ([4], 4.0, 4.0),
        ([1, 3], 2.0, 2.8),  # even: the mean of the middle two; 1 + 0.9·(3 − 1)
        ([1, 2, 9], 2.0, 7.6),  # odd: the middle one; position 1.8 → 2 + 0.8·7
        ([0, 0, 0, 5], 0.0, 3.5),
        ([2, 2, 2, 2, 2, 2], 2.0, 2.0),
        ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 5.5, 9.1),
    ],
)
def test_percentile_by_hand(values, median, p90):
    histogram = Counter(values)
    assert percentile(histogram, MEDIAN) == median
    assert percentile(histogram, P90) == pytest.approx(p90, abs=1e-12)


def test_empty_is_none():
    assert percentile({}, MEDIAN) is None
    assert percentile({3: 0}, P90) is None


def test_equals_statistics_quantiles_inclusive():
    rng = random.Random(13)
    for size in range(2, 60):
        values = [rng.randint(0, 25) for _ in range(size)]
        deciles = statistics.quantiles(values, n=10, method="inclusive")
        assert percentile(Counter(values), P90) == pytest.approx(deciles[8], abs=1e-9)
        assert percentile(Counter(values), MEDIAN) == statistics.median(values)


def test_extremes():
    histogram = {1: 3, 7: 2}
    assert percentile(histogram, Fraction(0)) == 1.0
    assert percentile(histogram, Fraction(1)) == 7.0
