"""Exact percentiles from a histogram of whole numbers (working days → how many requests).

The definition is the one PostgreSQL's percentile_cont and Python's
statistics.quantiles(method="inclusive") use: the value at position q·(n−1) of the sorted
values, interpolated between the two values either side. The median of an even count is then
the mean of the middle two. Fractions keep it exact; the answer is rounded only on the way out.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

MEDIAN = Fraction(1, 2)
P90 = Fraction(9, 10)


def _nth(ordered: list[tuple[int, int]], index: int) -> int:
    """The value at 0-based `index` of the sorted values the histogram stands for."""
    seen = 0
    for value, count in ordered:
        seen += count
        if index < seen:
            return value
    raise IndexError(index)


def percentile(histogram: Mapping[int, int], q: Fraction) -> float | None:
    """The q-th quantile (0 ≤ q ≤ 1), or None for an empty histogram."""
    ordered = sorted((value, count) for value, count in histogram.items() if count > 0)
    n = sum(count for _, count in ordered)
    if n == 0:
        return None
    position = q * (n - 1)
    low = int(position)  # floor: position is not negative
    below = _nth(ordered, low)
    if position == low:
        return float(below)
    above = _nth(ordered, low + 1)
    return float(below + (position - low) * (above - below))
