"""Ratios of counts: None where there is nothing to divide by, never a 0 that reads as a
measured zero."""

from __future__ import annotations


def ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None
