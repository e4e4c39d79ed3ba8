"""Numbers, money, rates and dates as a Lao reader expects them, whatever the locale says.

Grouping is by commas ("150,000 ກີບ"): CLDR's Lao data groups with "." and babel would follow
it, which a reader here takes for a decimal point. Dates are Gregorian with Arabic digits, as
official documents write them ("07/12/2026"), in Vientiane time.
"""

from __future__ import annotations

from datetime import date, datetime

from odsc_desk.shared.clock import VIENTIANE, parse_stamp
from sync.server.figures.periods import Period
from sync.server.web.i18n import Lang, tr

MONTHS_LO = (
    "ມັງກອນ", "ກຸມພາ", "ມີນາ", "ເມສາ", "ພຶດສະພາ", "ມິຖຸນາ",
    "ກໍລະກົດ", "ສິງຫາ", "ກັນຍາ", "ຕຸລາ", "ພະຈິກ", "ທັນວາ",
)  # fmt: skip
MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
DASH = "—"  # a figure with nothing to measure (no request became ready, no rating)


def grouped(value: int) -> str:
    return f"{value:,}"


def money(value: int, lang: Lang) -> str:
    return tr(lang, "kip", amount=grouped(value))


def percent(rate: float | None) -> str:
    """A rate (0..1) as a whole percentage, or a dash when there was nothing to count."""
    return DASH if rate is None else f"{round(rate * 100)}%"


def decimal(value: float | None, places: int = 1) -> str:
    return DASH if value is None else f"{value:,.{places}f}"


def day(value: date) -> str:
    return value.strftime("%d/%m/%Y")


def month_name(number: int, lang: Lang) -> str:
    return (MONTHS_LO if lang == "lo" else MONTHS_EN)[number - 1]


def moment(stamp: str | None, lang: Lang) -> str:
    """A stored UTC stamp as a Vientiane date and time; a dash for never."""
    if stamp is None:
        return tr(lang, "never")
    local: datetime = parse_stamp(stamp).astimezone(VIENTIANE)
    return f"{day(local.date())} {local:%H:%M}"


def period_name(period: Period, lang: Lang) -> str:
    """A period as a person says it: "ທັນວາ 2026", "Quarter 4 of 2026", or its two days."""
    if period.kind == "month":
        return f"{month_name(period.start.month, lang)} {period.start.year}"
    if period.kind == "quarter":
        return tr(
            lang, "quarter_label", number=(period.start.month - 1) // 3 + 1, year=period.start.year
        )
    if period.kind == "year":
        return tr(lang, "year_label", year=period.start.year)
    if period.kind == "day":
        return day(period.start)
    return tr(lang, "period_span", start=day(period.start), end=day(period.end))


def bucket_name(start: date, timeframe: str, lang: Lang) -> str:
    """A bar of the trend: its day, its month or its year."""
    if timeframe == "day":
        return day(start)
    if timeframe == "month":
        return f"{month_name(start.month, lang)} {start.year}"
    return str(start.year)
