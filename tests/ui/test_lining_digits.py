"""The window's digits stand as tall as capitals (issue 11: in Phetsarath OT "0" read as "o" —
"Offline, o waiting", "o kip" — and IDs mixed tall letters with short digits).

The window's font is ODSC Digits for 0-9, then Phetsarath OT for the rest (ui/fonts.py). These
tests read what Qt lays out (which face draws each character, how tall its glyph is) and what it
paints (the ink of each character in a grabbed label), with only the bundled fonts.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QFont, QFontMetricsF, QImage, QTextLayout
from PySide6.QtWidgets import QLabel

from ui.fonts import DIGITS_FAMILY, UI_FAMILIES, UI_FAMILY, font_problem, register_fonts
from ui.main_window import MainWindow
from ui.status_bar import CounterStatusBar

ISSUE_TEXT = "0 kip 10,000 ODSC-0001"
# Tone marks stacked on upper vowels, SARA AM; no spaces (Lao has none between words, and a
# space may come from either face: both are 600 units wide).
LAO_MARKS = "ນ້ຳກີ່ປຶ້ມເກົ້າສົ່ງ"


def _layout(text: str, font: QFont) -> QTextLayout:
    layout = QTextLayout(text, font)
    layout.beginLayout()
    layout.createLine().setLineWidth(100_000)
    layout.endLayout()
    return layout


def glyph(text: str, font: QFont, index: int) -> tuple[str, QRectF]:
    """The family that draws character `index` of `text` and its glyph's outline box."""
    (run,) = _layout(text, font).glyphRuns(index, 1)
    raw = run.rawFont()
    return raw.familyName(), raw.boundingRect(run.glyphIndexes()[0])


def cap_height(font: QFont) -> float:
    return glyph("H", font, 0)[1].height()


def ink_heights(label: QLabel) -> list[tuple[str, int]]:
    """Each character of a one-line label with the height of its ink as painted, in pixels."""
    image = label.grab().toImage().convertToFormat(QImage.Format.Format_Grayscale8)
    text = label.text()
    layout = _layout(text, label.font())  # kept: its QTextLine dies with it
    line = layout.lineAt(0)
    left = label.contentsRect().left()
    out = []
    for index, char in enumerate(text):
        start, end = line.cursorToX(index)[0], line.cursorToX(index + 1)[0]
        inset = (end - start) * 0.15  # clear of the neighbours' ink
        columns = range(round(left + start + inset), round(left + end - inset))
        rows = [
            y
            for y in range(image.height())
            if any(image.pixelColor(x, y).value() < 128 for x in columns)
        ]
        out.append((char, rows[-1] - rows[0] + 1 if rows else 0))
    return out


def assert_lining(text: str, font: QFont) -> None:
    """Every digit of `text` is drawn by ODSC Digits, as tall as a capital; the rest as before."""
    font = QFont(font)
    font.setPixelSize(200)  # glyph boxes come in whole pixels: measure them large
    cap = cap_height(font)
    assert cap > 0
    digits = 0
    for index, char in enumerate(text):
        family, box = glyph(text, font, index)
        if char.isdigit():
            digits += 1
            assert family == DIGITS_FAMILY, (text, char)
            # Phetsarath OT's own digits are 1140/1493 of a capital: 24% shorter. A round
            # digit overshoots the line by up to 3%, as round capitals do.
            assert box.height() == pytest.approx(cap, rel=0.05), (char, box.height(), cap)
        elif char != " ":
            assert family == UI_FAMILY, (text, char, family)
    assert digits


@pytest.mark.parametrize("language", ["lo", "en"])
def test_the_status_line_counts_in_full_height_digits(qtbot, ctx, counter_ui, language):
    """The window's own status line on a real store: who, counter and date ("noy · VTE-SST,
    ປ່ອງ 1 · 03/12/2026"), and what waits to sync ("Offline, 0 waiting")."""
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.language_actions[language].trigger()  # the Language menu's entry
    bar = window.findChild(CounterStatusBar)
    for label in (bar.who, bar.sync):
        assert any(char.isdigit() for char in label.text()), label.text()
        assert label.font().families() == UI_FAMILIES  # the window's font, not a label's own
        assert_lining(label.text(), label.font())
    if language == "lo":
        assert "ປ່ອງ" in bar.who.text()


def test_a_zero_is_painted_as_tall_as_a_capital_o(qtbot, lang):
    label = QLabel(ISSUE_TEXT)
    font = label.font()
    font.setPixelSize(80)
    label.setFont(font)
    qtbot.addWidget(label)
    label.show()
    label.resize(label.sizeHint())  # adjustSize would stop at 2/3 of the screen
    assert_lining(label.text(), font)
    ink = ink_heights(label)
    height = dict(ink)
    assert height["O"] > 50  # 1565/2048 of 80 px, with the overshoot above and below
    for char, pixels in ink:
        if char.isdigit():
            # Round digits against the round capital, flat ones against the flat ones.
            against = height["O"] if char == "0" else height["D"]
            assert abs(pixels - against) <= 2, (char, pixels, against)


def test_lao_keeps_its_face_shaping_and_line_height(lang, qapp):
    """Putting ODSC Digits first changes no Lao glyph, no mark position and no line height."""
    font = qapp.font()
    alone = QFont(UI_FAMILY, font.pointSize())

    def shaped(font: QFont) -> list[tuple[str, int, float, float]]:
        return [
            (run.rawFont().familyName(), g, p.x(), p.y())
            for run in _layout(LAO_MARKS, font).glyphRuns()
            for g, p in zip(run.glyphIndexes(), run.positions(), strict=True)
        ]

    assert shaped(font) == shaped(alone)
    assert {family for family, *_ in shaped(font)} == {UI_FAMILY}
    metrics, before = QFontMetricsF(font), QFontMetricsF(alone)
    assert (metrics.ascent(), metrics.descent(), metrics.height()) == (
        before.ascent(),
        before.descent(),
        before.height(),
    )
    mixed = f"ເລກທີ 25 {LAO_MARKS} 150,000 ກີບ"
    layouts = _layout(mixed, font), _layout(mixed, alone)
    assert layouts[0].lineAt(0).height() == layouts[1].lineAt(0).height()
    assert_lining(mixed, font)


def test_the_self_test_sees_both_faces_in_order(lang, qapp):
    """`font_problem` (for `odsc-desk --self-test`) passes the window's font and names what is
    wrong with a font that lost its digits face or a face that is not registered."""
    registered = register_fonts()
    assert font_problem(registered, qapp.font()) is None
    assert font_problem(registered, QFont(UI_FAMILY)) == (
        f"the window draws with {[UI_FAMILY]!r}, not {UI_FAMILIES!r}"
    )
    without = [family for family in registered if family != DIGITS_FAMILY]
    assert font_problem(without, qapp.font()) == (
        f"font {DIGITS_FAMILY!r} not registered (found: {without})"
    )
