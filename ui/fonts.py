"""The bundled Lao fonts, registered at start so Lao renders on a PC that has none."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase

import receipts

FONTS = Path(receipts.__file__).with_name("fonts")
# Phetsarath OT has Lao, Latin letters, digits and ₭ in one face: no per-run fallback needed.
UI_FAMILY = "Phetsarath OT"


def register_fonts() -> list[str]:
    families: list[str] = []
    for path in sorted(FONTS.glob("*.ttf")):
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id >= 0:
            families += QFontDatabase.applicationFontFamilies(font_id)
    return families


def ui_font(point_size: int = 11) -> QFont:
    font = QFont(UI_FAMILY, point_size)
    font.setStyleHint(QFont.StyleHint.SansSerif)
    return font
