"""The bundled fonts, registered at start so Lao renders on a PC that has none.

Phetsarath OT draws the window's Lao, Latin letters and ₭, but its digits are small (old-style
height: "0" reads as "o", "ODSC-0001" mixes tall letters with short digits) and it has no
OpenType feature for full-height ones. So the window's font is two families: ODSC Digits
(only 0-9 and the space, as tall as Phetsarath's capitals) first, Phetsarath OT for every other
character. ODSC Digits has Phetsarath's line metrics, so lines and fields keep their height
(Qt sizes them from the first family) and Lao tone marks are never clipped.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase, QFontInfo

import receipts

FONTS = Path(receipts.__file__).with_name("fonts")
UI_FAMILY = "Phetsarath OT"  # the Lao face: everything but the digits
DIGITS_FAMILY = "ODSC Digits"
UI_FAMILIES = [DIGITS_FAMILY, UI_FAMILY]


def register_fonts() -> list[str]:
    families: list[str] = []
    for path in sorted(FONTS.glob("*.ttf")):
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id >= 0:
            families += QFontDatabase.applicationFontFamilies(font_id)
    return families


def ui_font(point_size: int = 11) -> QFont:
    font = QFont(UI_FAMILY, point_size)
    font.setFamilies(UI_FAMILIES)
    font.setStyleHint(QFont.StyleHint.SansSerif)
    return font


def font_problem(registered: list[str], font: QFont) -> str | None:
    """What keeps `font` (the application's) from drawing with the bundled faces, or None.

    For the self-test: each family must be registered and be what Qt matches for its name
    (not a substitute), and `font` must list them in order, digits first.
    """
    for family in UI_FAMILIES:
        if family not in registered:
            return f"font {family!r} not registered (found: {registered})"
        matched = QFontInfo(QFont(family)).family()
        if matched != family:
            return f"font {family!r} draws as {matched!r}"
    if font.families() != UI_FAMILIES:
        return f"the window draws with {font.families()!r}, not {UI_FAMILIES!r}"
    return None
