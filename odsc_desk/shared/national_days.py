"""Which days are off for the whole country: the published national calendar for the years it
covers, the `holidays` package's LA calendar otherwise. The counter (odsc_desk/domain/workdays.py)
and the centre (sync/server/figures/workdays.py) both ask here, so a promised date and the
centre's working-day figures count the same days.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any

from odsc_desk.shared.calendar_file import Calendar


@lru_cache(maxsize=64)
def package_holidays(year: int) -> frozenset[date]:
    """Lao public holidays of one year as the `holidays` package computes them."""
    # Imported on first use: the package loads every country's calendar machinery, a tenth of
    # the counter's start-up, and the login never needs a promised date.
    import holidays

    return frozenset(holidays.country_holidays("LA", years=year))


def days_off(year: int, calendar: Calendar | None) -> frozenset[date]:
    covered = calendar.days_off(year) if calendar is not None else None
    return package_holidays(year) if covered is None else covered


def package_days(years: list[int]) -> list[dict[str, Any]]:
    """The package's holidays of `years` as a calendar file's days, with their Lao and English
    names: where a first draft starts when nothing is published yet."""
    import holidays

    lao = holidays.country_holidays("LA", years=years, language="lo")
    english = holidays.country_holidays("LA", years=years, language="en_US")
    return [
        {"date": day.isoformat(), "kind": "holiday", "name_lo": lao[day], "name_en": english[day]}
        for day in sorted(lao)
    ]
