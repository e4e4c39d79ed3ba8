"""Digits on the documents stand as tall as capitals (issue 11: Phetsarath OT's small digits
made "0" read as "o" and mixed tall letters with short digits in IDs and amounts).

Measured on the printed page itself: each PDF is rendered with PDFium, and the ink of every
digit and every Latin capital is measured in a window around the character, from below its
baseline to well above a capital's top, so a digit drawn small (or large) shows.
"""

from __future__ import annotations

import ctypes
import statistics
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from receipts import fonts, layout, receipt, slips
from receipts.lines import Style
from tests.receipts.conftest import Paid

SCALE = 8.0  # pixels per point: a 7 pt digit is still ~40 px tall
CAPITALS = "ABDEHKLMNPRTVX"  # flat tops and bottoms: their ink height is the capital height


def _font_name(text_page: pdfium.PdfTextPage, index: int) -> str:
    name = ctypes.create_string_buffer(128)
    flags = ctypes.c_int()
    pdfium_c.FPDFText_GetFontInfo(text_page.raw, index, name, len(name), ctypes.byref(flags))
    return name.value.decode()


def _ink_height(pixels: list[list[bool]], left: int, right: int, low: int, high: int) -> int:
    rows = [y for y in range(low, high) if any(pixels[y][left:right])]
    return rows[-1] - rows[0] + 1 if rows else 0


def ink_heights(pdf: bytes) -> dict[str, list[tuple[float, str]]]:
    """Character -> (ink height in em, font) for each digit and flat capital on every page."""
    found: dict[str, list[tuple[float, str]]] = {}
    document = pdfium.PdfDocument(pdf)
    for page in document:
        image = page.render(scale=SCALE, grayscale=True).to_pil()
        width, height = image.size
        data = image.tobytes()
        pixels = [[data[y * width + x] < 128 for x in range(width)] for y in range(height)]
        text_page = page.get_textpage()
        page_height = page.get_height()
        for index in range(text_page.count_chars()):
            char = text_page.get_text_range(index, 1)
            if not (char.isascii() and (char.isdigit() or char in CAPITALS)):
                continue
            size = pdfium_c.FPDFText_GetFontSize(text_page.raw, index)
            left, _, right, _ = text_page.get_charbox(index)
            x, y = ctypes.c_double(), ctypes.c_double()
            pdfium_c.FPDFText_GetCharOrigin(text_page.raw, index, ctypes.byref(x), ctypes.byref(y))
            inset = (right - left) * 0.15  # stay clear of the neighbours' ink
            ink = _ink_height(
                pixels,
                round((left + inset) * SCALE),
                round((right - inset) * SCALE),
                round((page_height - y.value - 0.95 * size) * SCALE),  # above a capital's top
                round((page_height - y.value + 0.2 * size) * SCALE),  # below the baseline
            )
            found.setdefault(char, []).append((ink / SCALE / size, _font_name(text_page, index)))
    return found


def assert_lining(pdf: bytes) -> dict[str, list[tuple[float, str]]]:
    heights = ink_heights(pdf)
    capitals = [h for char in CAPITALS for h, _ in heights.get(char, [])]
    digits = {char: found for char, found in heights.items() if char.isdigit()}
    assert len(capitals) >= 3 and digits, heights
    cap = statistics.median(capitals)
    assert 0.68 < cap < 0.76  # Phetsarath's and Vera Bold's capitals: 1493/2048 em
    for char, found in digits.items():
        for ink, font in found:
            # Phetsarath's own digits are 1140/2048 = 0.56 em: a quarter shorter.
            assert abs(ink - cap) < 0.04, (char, ink, cap, font)
            assert "ODSCDigits" in font or "Vera" in font, (char, font)
    return heights


@pytest.mark.parametrize("fmt", ["a4", "80mm"])
def test_receipt_digits_stand_as_tall_as_its_capitals(paid: Paid, tmp_path: Path, fmt: str):
    out = tmp_path / "receipt.pdf"
    receipt.print_receipt(paid.store, paid.counter.clerk, paid.payment["receipt"], out, fmt=fmt)
    heights = assert_lining(out.read_bytes())
    # The amount, the date and the tracking number's counter are all there.
    assert sum(len(found) for char, found in heights.items() if char.isdigit()) >= 10


@pytest.mark.parametrize("fmt", ["a4", "80mm"])
def test_slip_digits_stand_as_tall_as_its_capitals(paid: Paid, tmp_path: Path, fmt: str):
    out = tmp_path / "slip.pdf"
    slips.write_slip(paid.store, paid.counter.clerk, paid.request["tracking"], out, fmt)
    assert_lining(out.read_bytes())


def test_regular_and_bold_digits_beside_lao_and_latin(tmp_path: Path):
    """The issue's own lines, in body text and in a heading, beside Lao with stacked marks."""
    flow = layout.Flow(layout.A5.room)
    lines = [
        "ODSC-0001 0 kip 10,000 Offline, 0 waiting",
        "VTE-SST AB123456 KHAMLA",
        "ເລກທີ 001/ປທ, 2017 ຄ່າທຳນຽມ 150,000 ກີບ ນ້ຳ ກີ່ ປຶ້ມ 23456789",
    ]
    for bold in (False, True):
        for line in lines:
            flow.text(line, Style(12, bold=bold))
    heights = assert_lining(layout.render(flow, layout.A5, title="t", author="a"))
    assert {font.split("+")[-1] for _, font in heights["0"]} == {
        "ODSCDigits-Regular",
        "BitstreamVeraSans-Bold",
    }
    assert set(heights) >= set("0123456789")


def test_only_digits_change_font():
    """Letters, ₭, punctuation and Lao keep their fonts: Phetsarath draws all but 0-9."""
    assert {fonts.pick(char, False) for char in "0123456789"} == {fonts.DIGITS}
    for char in "Oo,.-/₭ກ້ຳ໐໑":
        assert fonts.pick(char, False) == fonts.REGULAR, char
    assert fonts.pick("0", True) == fonts.LATIN_BOLD
