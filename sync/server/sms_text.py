"""What a message to a citizen's phone says, and how many SMS segments it takes.

An SMS is 140 bytes. Text that fits the GSM 03.38 alphabet goes as 7-bit characters: 160 in
one segment, 153 per segment of a longer message (the rest carries the parts' header), a
character of the extension table (`{`, `€`, ...) counting twice. Anything else, and Lao always,
goes as UCS-2: 70 UTF-16 code units in one segment, 67 per part. A Lao message is therefore
written short, and the office is named by its code when its name would take it past one
segment: a citizen pays nothing for a message, but the office pays per segment.
"""

from __future__ import annotations

from dataclasses import dataclass

# The GSM 03.38 default alphabet and its extension table (each extension character is sent as
# an escape and the character: two septets).
_GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM_EXTENSION = frozenset("^{}\\[~]|€\f")

GSM_SINGLE, GSM_PART = 160, 153
UCS2_SINGLE, UCS2_PART = 70, 67

# The statuses a citizen is told about, and a late request's new date, and the message for
# each, by language. `{tracking}`, `{office}` and for a new date `{date}` (DD/MM/YYYY, as the
# counter's papers write it) are filled in; the Lao is kept to about 45 characters without them
# so that a tracking number (21), the date and a short office name still fit one UCS-2 segment.
KINDS = ("ready", "incomplete", "new_date")
_TEXTS: dict[str, dict[str, str]] = {
    "lo": {
        "ready": "{tracking} ພ້ອມແລ້ວ ເຊີນມາຮັບທີ່ {office}",
        "incomplete": "{tracking} ຂາດເອກະສານ ເຊີນນຳມາເພີ່ມທີ່ {office}",
        "new_date": "ຂໍອະໄພ {tracking} ຊ້າ ວັນນັດໃໝ່ {date} ທີ່ {office}",
    },
    "en": {
        "ready": "{office}: your request {tracking} is ready. Please come and collect it.",
        "incomplete": "{office}: your request {tracking} needs more documents."
        " Please bring them to the office.",
        "new_date": "{office}: sorry, your request {tracking} is late. Please come back on {date}.",
    },
}


@dataclass(frozen=True)
class Count:
    """How a text goes out: its encoding, its length in that encoding's units and its segments."""

    encoding: str  # "gsm7" or "ucs2"
    units: int
    segments: int


def count(text: str) -> Count:
    """The segments `text` takes as an SMS (see the module's docstring)."""
    if all(ch in _GSM_BASIC or ch in _GSM_EXTENSION for ch in text):
        units = sum(2 if ch in _GSM_EXTENSION else 1 for ch in text)
        single, part, encoding = GSM_SINGLE, GSM_PART, "gsm7"
    else:
        # UTF-16 code units: a character outside the BMP takes two.
        units = len(text.encode("utf-16-le")) // 2
        single, part, encoding = UCS2_SINGLE, UCS2_PART, "ucs2"
    if units <= single:
        return Count(encoding, units, 1)
    return Count(encoding, units, -(-units // part))


def compose(
    kind: str,
    lang: str,
    tracking: str,
    office_code: str,
    office_name: str | None,
    new_date: str | None = None,
) -> str:
    """The message for a request of `tracking` that became `kind` (for "new_date", given
    `new_date` as YYYY-MM-DD), in `lang`: naming the office by its name when that still fits
    one segment, else by its code."""
    template = _TEXTS[lang][kind]
    day = "" if new_date is None else "/".join(reversed(new_date.split("-")))
    names = [office_name, office_code] if office_name else [office_code]
    texts = [template.format(tracking=tracking, office=name, date=day) for name in names]
    for text in texts:
        if count(text).segments == 1:
            return text
    return min(texts, key=lambda t: count(t).units)
