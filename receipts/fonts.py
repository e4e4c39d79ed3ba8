"""The bundled fonts, registered with ReportLab once, and which font draws which character.

Phetsarath OT (the font Lao government documents use) draws the body: it has Lao, Latin,
digits and ₭, so mixed text needs no switching. Headings are bold: Noto Sans Lao Bold draws
their Lao, and Bitstream Vera Bold (shipped inside ReportLab itself, so also never missing)
their Latin and digits, because Noto Sans Lao has no Latin letters and Phetsarath no bold.
Never the system's fonts: a counter PC may have none of these.
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
BOLD_LAO = "ODSC-NotoSansLao-Bold"
LATIN = "ODSC-Vera"
LATIN_BOLD = "ODSC-Vera-Bold"

_FILES = {
    REGULAR: FONT_DIR / "Phetsarath_OT.ttf",
    BOLD_LAO: FONT_DIR / "NotoSansLao-Bold.ttf",
    LATIN: _REPORTLAB_FONTS / "Vera.ttf",
    LATIN_BOLD: _REPORTLAB_FONTS / "VeraBd.ttf",
}

# Which fonts to try, in order, for a character. Regular text: Phetsarath for everything it
# has, Vera for the odd Latin symbol it lacks. Bold: Lao in Noto Bold, the rest in Vera Bold,
# then the regular fonts (₭ is in Noto; a rare symbol may only be in Phetsarath).
_LAO_CHAIN = {False: (REGULAR, LATIN), True: (BOLD_LAO, REGULAR)}
_OTHER_CHAIN = {False: (REGULAR, LATIN), True: (LATIN_BOLD, BOLD_LAO, REGULAR, LATIN)}

# Shown in place of a character no bundled font has (an emoji, a Chinese name): a visible mark
# that the text was not printed as typed, rather than an empty box or nothing at all.
MISSING = "?"

_lock = threading.Lock()
_registered = False


def register() -> None:
    """Register the four fonts with ReportLab (once per process; safe from any thread)."""
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
    chain = _LAO_CHAIN[bold] if is_lao(char) else _OTHER_CHAIN[bold]
    for name in chain:
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
