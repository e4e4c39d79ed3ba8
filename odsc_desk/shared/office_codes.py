"""An office's code and a counter's number: what the counter's setup and the centre's enrollment
both accept, checked by the same rules so a counter can never be set up under a name the centre
would refuse."""

from __future__ import annotations

import re

from odsc_desk.shared.errors import ValidationError

_OFFICE_CODE = re.compile(r"[A-Z]{2,5}(-[A-Z0-9]{2,6}){0,2}")
COUNTER_MAX = 99


def clean_office_code(value: str) -> str:
    code = (value or "").strip().upper()
    if not _OFFICE_CODE.fullmatch(code):
        raise ValidationError("office.code_invalid", "office_code")
    return code


def clean_counter(value: int | str) -> int:
    text = str(value).strip()
    if not re.fullmatch(r"[0-9]{1,2}", text) or not 1 <= int(text) <= COUNTER_MAX:
        raise ValidationError("office.counter_invalid", "counter", limit=COUNTER_MAX)
    return int(text)
