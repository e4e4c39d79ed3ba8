"""Cleaning what people type: NFC, trimmed, checked, and keys for searching."""

from __future__ import annotations

import re
import unicodedata

from odsc_desk.shared.errors import ValidationError

NAME_MAX = 120
VILLAGE_MAX = 120
REASON_MAX = 500
COMMENT_MAX = 1000

_SPACES = re.compile(r"\s+")
_PHONE_KEEP = re.compile(r"[\s\-().]")
_PHONE = re.compile(r"\+?[0-9]{6,15}")
_ID_NUMBER = re.compile(r"[0-9A-Z][0-9A-Z/\-]{1,29}")


def nfc(text: str) -> str:
    """NFC with runs of white space folded to one space and the ends trimmed."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def has_control(text: str) -> bool:
    return any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn") for ch in text)


def clean_name(value: str | None, field: str = "citizen_name") -> str:
    """A person's name: required, letters present, no control characters, not absurdly long.

    A name made only of digits, punctuation or lone combining marks (tone marks typed without a
    consonant) is refused: it cannot be a name and would print as broken glyphs.
    """
    text = nfc(value or "")
    if not text:
        raise ValidationError("name.empty", field)
    if len(text) > NAME_MAX:
        raise ValidationError("name.too_long", field, limit=NAME_MAX)
    if has_control(text):
        raise ValidationError("text.control", field)
    if not any(unicodedata.category(ch).startswith("L") for ch in text):
        raise ValidationError("name.no_letters", field)
    if unicodedata.category(text[0]).startswith("M"):
        raise ValidationError("name.starts_with_mark", field)
    return text


def clean_optional(value: str | None, field: str, limit: int) -> str | None:
    text = nfc(value or "")
    if not text:
        return None
    if len(text) > limit:
        raise ValidationError("text.too_long", field, limit=limit)
    if has_control(text):
        raise ValidationError("text.control", field)
    return text


def clean_required(value: str | None, field: str, limit: int) -> str:
    text = clean_optional(value, field, limit)
    if text is None:
        raise ValidationError("text.required", field)
    return text


def clean_phone(value: str | None) -> str | None:
    """Digits only (a leading + kept), so '020 5555-1234' and '02055551234' are one number."""
    text = _PHONE_KEEP.sub("", unicodedata.normalize("NFKC", value or ""))
    if not text:
        return None
    if not _PHONE.fullmatch(text):
        raise ValidationError("phone.invalid", "phone")
    return text


def clean_id_number(value: str | None) -> str | None:
    text = _SPACES.sub("", unicodedata.normalize("NFKC", value or "")).upper()
    if not text:
        return None
    if not _ID_NUMBER.fullmatch(text):
        raise ValidationError("id_number.invalid", "id_number")
    return text


def search_key(text: str) -> str:
    """The form names are compared in: NFC, case-folded, single spaces."""
    return nfc(text).casefold()
