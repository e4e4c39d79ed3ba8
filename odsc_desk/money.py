"""Money is a whole number of kip: never a float, never negative, never absurd."""

from __future__ import annotations

from odsc_desk.errors import ValidationError


def parse_amount(text: str | int, field: str) -> int:
    """Read an amount as people type it: '150000', '150,000' or '150.000' (Lao grouping)."""
    if isinstance(text, bool):
        raise ValidationError("amount.not_whole", field)
    if isinstance(text, int):
        return text
    cleaned = str(text).strip().replace(",", "").replace(" ", "").replace("₭", "")
    if cleaned.count(".") and all(len(part) == 3 for part in cleaned.split(".")[1:]):
        cleaned = cleaned.replace(".", "")
    if cleaned.startswith("-") and cleaned[1:].isdigit():
        raise ValidationError("amount.negative", field)
    if not cleaned.isdigit():
        raise ValidationError("amount.not_whole", field)
    return int(cleaned)


def check_amount(value: str | int, field: str, *, limit: int, allow_zero: bool = False) -> int:
    amount = parse_amount(value, field)
    if amount < 0:
        raise ValidationError("amount.negative", field)
    if amount == 0 and not allow_zero:
        raise ValidationError("amount.zero", field)
    if amount > limit:
        raise ValidationError("amount.too_large", field, limit=f"{limit:,}")
    return amount


def format_kip(amount: int) -> str:
    return f"{amount:,} ₭"
