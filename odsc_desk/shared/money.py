"""Money is a whole number of kip: never a float, never negative, never absurd."""

from __future__ import annotations

import re

from odsc_desk.shared.errors import ValidationError

_AMOUNT = re.compile(r"(-?)([0-9]{1,3}(?:([,.])[0-9]{3}(?:\3[0-9]{3})*)?|[0-9]+)")
# More digits than any real amount; also keeps int() far from its 4,300-digit guard.
_MAX_DIGITS = 15


def parse_amount(text: str | int, field: str) -> int:
    """Read an amount as people type it: '150000', '150,000' or '150.000' (Lao grouping).

    Separators must group digits in threes, so '12,5' or '1.5' is refused rather than read as
    125 or 15; only ASCII digits count (Python's isdigit() would accept '²').
    """
    if isinstance(text, bool):
        raise ValidationError("amount.not_whole", field)
    if isinstance(text, int):
        return text
    cleaned = str(text).strip().replace(" ", "").replace("₭", "")
    match = _AMOUNT.fullmatch(cleaned)
    if match is None:
        raise ValidationError("amount.not_whole", field)
    digits = match.group(2).replace(",", "").replace(".", "")
    if len(digits.lstrip("0")) > _MAX_DIGITS:
        raise ValidationError("amount.too_large", field, limit="100,000,000,000,000")
    if match.group(1) and int(digits):
        raise ValidationError("amount.negative", field)
    return int(digits)


def check_amount(value: str | int, field: str, *, limit: int, allow_zero: bool = False) -> int:
    amount = parse_amount(value, field)
    if amount < 0:
        raise ValidationError("amount.negative", field)
    if amount == 0 and not allow_zero:
        raise ValidationError("amount.zero", field)
    if amount > limit:
        raise ValidationError("amount.too_large", field, limit=f"{limit:,}")
    return amount


def format_kip(amount: int, grouping: str = ",", unit: str = "₭") -> str:
    """'150,000 ₭' by default; offices choose the separator and unit (settings)."""
    return f"{amount:,}".replace(",", grouping) + f" {unit}"
