"""The bundled fonts, registered with ReportLab once, and which font draws which character.

Phetsarath OT (the font Lao government documents use) draws the body: it has Lao, Latin and ₭.
Its digits are small (old-style height: "0" reads as "o", "ODSC-0001" mixes tall letters with
short digits) and it has no feature for full-height ones, so ODSC Digits draws the body's
digits: Liberation Sans's, as tall as Phetsarath's capitals (see fonts/ODSC-Digits-README.txt).
Headings are bold: Noto Sans Lao Bold draws their Lao, and Bitstream Vera Bold (shipped inside
ReportLab itself, so also never missing) their Latin and digits, because Noto Sans Lao has no
Latin letters and Phetsarath no bold. Never the system's fonts: a counter PC may have none.
"""

from __future__ import annotations

import threading
import unicodedata
from functools import cache
from pathlib import Path

import reportlab
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).with_name("fonts")
_REPORTLAB_FONTS = Path(reportlab.__file__).with_name("fonts")

REGULAR = "ODSC-Phetsarath"
DIGITS = "ODSC-Digits"
BOLD_LAO = "ODSC-NotoSansLao-Bold"
LATIN = "ODSC-Vera"
LATIN_BOLD = "ODSC-Vera-Bold"

_FILES = {
    REGULAR: FONT_DIR / "Phetsarath_OT.ttf",
    DIGITS: FONT_DIR / "ODSC-Digits.ttf",
    BOLD_LAO: FONT_DIR / "NotoSansLao-Bold.ttf",
    LATIN: _REPORTLAB_FONTS / "Vera.ttf",
    LATIN_BOLD: _REPORTLAB_FONTS / "VeraBd.ttf",
}

# Which fonts to try, in order, for a character. Regular text: the digits 0-9 in ODSC Digits,
# Phetsarath for everything else it has, Vera for the odd Latin symbol it lacks. Bold: Lao in
# Noto Bold, the rest (digits too: Vera's are full height) in Vera Bold, then the regular fonts
# (₭ is in Noto; a rare symbol may only be in Phetsarath).
_Chain = dict[bool, tuple[str, ...]]  # bold -> fonts to try
_LAO_CHAIN: _Chain = {False: (REGULAR, LATIN), True: (BOLD_LAO, REGULAR)}
_DIGIT_CHAIN: _Chain = {False: (DIGITS, REGULAR), True: (LATIN_BOLD, REGULAR)}
_OTHER_CHAIN: _Chain = {False: (REGULAR, LATIN), True: (LATIN_BOLD, BOLD_LAO, REGULAR, LATIN)}
_DIGITS = frozenset("0123456789")  # Lao digits (໐-໙) are Lao: Phetsarath draws them

# Shown in place of a character no bundled font has (an emoji, a Chinese name): a visible mark
# that the text was not printed as typed, rather than an empty box or nothing at all.
MISSING = "?"

_lock = threading.Lock()
_registered = False


def register() -> None:
    """Register the bundled fonts with ReportLab (once per process; safe from any thread)."""
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        for name, path in _FILES.items():
            pdfmetrics.registerFont(TTFont(name, str(path)))
        _registered = True


def font(name: str) -> TTFont:
    register()
    return pdfmetrics.getFont(name)


@cache
def _cmap(name: str) -> frozenset[int]:
    return frozenset(font(name).face.charToGlyph)


def has_glyph(name: str, char: str) -> bool:
    return ord(char) in _cmap(name)


def is_lao(char: str) -> bool:
    return "\u0e80" <= char <= "\u0eff"


def is_mark(char: str) -> bool:
    return unicodedata.category(char) in ("Mn", "Mc", "Me")


@cache
def pick(char: str, bold: bool) -> str | None:
    """The first font in the chain that has `char`, or None when no bundled font does."""
    chains = _LAO_CHAIN if is_lao(char) else _DIGIT_CHAIN if char in _DIGITS else _OTHER_CHAIN
    for name in chains[bold]:
        if has_glyph(name, char):
            return name
    return None


def shaping_active() -> bool:
    """True when ReportLab can shape with HarfBuzz (uharfbuzz installed, fonts shapable).

    Without uharfbuzz ReportLab silently draws Lao unshaped: tone marks collide with vowels.
    The tests fail on that; the documents still print rather than stop a counter.
    """
    from reportlab.pdfbase import ttfonts

    return bool(ttfonts.uharfbuzz) and all(font(name).shapable for name in _FILES)


def file_of(name: str) -> Path:
    return _FILES[name]
