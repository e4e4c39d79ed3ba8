"""Amounts as the window shows them: the office's grouping, and one money unit per language.

The office chooses its unit (`money_unit`: ກີບ, ₭ or LAK). ກີບ is a Lao word, so an English
screen says "kip" in its place; the symbol and the ISO code read the same in both languages.
"""

from __future__ import annotations

from collections.abc import Mapping

from odsc_desk.shared.money import format_kip

# The office's Lao unit word, as an English screen writes it.
ENGLISH_UNIT = {"ກີບ": "kip"}


def unit_in(lang: str, unit: str) -> str:
    return ENGLISH_UNIT.get(unit, unit) if lang == "en" else unit


def kip(lang: str, amount: int, money: Mapping[str, str] | None = None) -> str:
    """'150,000 ກີບ' in Lao, '150,000 kip' in English (with the office's grouping)."""
    grouping = money["grouping"] if money else ","
    unit = money["unit"] if money else "ກີບ"
    return format_kip(amount, grouping, unit_in(lang, unit))


def signed_kip(lang: str, amount: int, money: Mapping[str, str] | None = None) -> str:
    """A difference with its sign: '+5,000 kip', '−10,000 kip' (a true minus), '0 kip'."""
    sign = "+" if amount > 0 else "−" if amount < 0 else ""
    return sign + kip(lang, abs(amount), money)
