"""Fonts, shaping, copy-paste and line breaking: the Lao facts every document depends on."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from laonlp.tokenize import syllable_tokenize
from reportlab.lib.units import mm

from odsc_desk.shared.catalog_file import demo_catalog_path
from odsc_desk.shared.laotext import ZWSP
from receipts import fonts, layout, shaping
from receipts.lines import Style, clean, width, wrap
from receipts.words import kip_lao
from tests.receipts.conftest import font_dicts, poppler_text, reader, text_of


def _catalog_names() -> list[str]:
    data = json.loads(demo_catalog_path().read_text(encoding="utf-8"))
    return [
        item["name_lo"] for key in ("ministries", "documents", "services") for item in data[key]
    ]


CORPUS = [
    *_catalog_names(),
    "ຫ້ອງການບໍລິການປະຕູດຽວ ເມືອງສີສັດຕະນາກ",
    "ສົມສັກ ພົມມະຈັນ",
    "ນ້ຳ ກ່ຳ ດຳ ຄ້ຳ ນ້ຳຕົກ",  # SARA AM after a tone mark: HarfBuzz reorders it
    "ກີ່ ກິ່ ກີ້ ກື້ ກຸ່ ກູ້ ກົ່ ກັ້ ຂໍ້ ປຶ້ມ ເກົ້າ",  # a tone mark stacked on every vowel
    "ດຳລັດວ່າດ້ວຍຄ່າທຳນຽມ ແລະ ຄ່າບໍລິການ ເລກທີ 001/ປທ, 2017",
    kip_lao(150_000),
    kip_lao(999_999_999),
    "Khamla Vongsa 020 5555 1234 AB123456 150,000 ₭",
]


def _document(lines: list[str], bold: bool = False, page: layout.Page = layout.A4) -> bytes:
    flow = layout.Flow(page.room)
    for line in lines:
        flow.text(line, Style(10, bold=bold))
    return layout.render(flow, page, title="t", author="a")


def test_shaping_is_on():
    """Without uharfbuzz ReportLab silently draws Lao unshaped; this must fail loudly here."""
    import uharfbuzz  # noqa: F401 - reportlab[shaping] must have installed it

    assert fonts.shaping_active()
    # Shaped, the tone mark of ກີ່ sits on top of the vowel: raised and pulled back over it.
    glyphs = shaping.shape("ກີ່", fonts.REGULAR).glyphs
    assert any(g.y > 200 for g in glyphs)


def test_stacked_marks_are_raised_in_the_pdf():
    content = reader(_document(["ປຶ້ມສຳມະໂນຄົວ"])).pages[0].get_contents().get_data().decode()
    assert re.search(r"[\d.]+ Ts", content)  # text rise: how the PDF lifts a stacked mark


@pytest.mark.parametrize("bold", [False, True], ids=["regular", "bold"])
def test_copying_text_out_gives_back_exactly_what_was_typed(bold):
    lines = text_of(_document(CORPUS, bold=bold)).split("\n")
    assert lines == CORPUS


@pytest.mark.parametrize("options", [(), ("-raw",)], ids=["layout", "raw"])
def test_poppler_reads_the_same_text(tmp_path: Path, options):
    pdf = tmp_path / "corpus.pdf"
    pdf.write_bytes(_document(CORPUS))
    lines = [line for line in poppler_text(pdf, *options).split("\n") if line.strip()]
    assert lines == CORPUS


def test_fonts_are_embedded_subsets():
    fonts_used = font_dicts(_document(CORPUS)) + font_dicts(_document(CORPUS, bold=True))
    assert fonts_used
    for font in fonts_used:
        assert re.fullmatch(r"/[A-Z]{6}\+\S+", font["/BaseFont"]), font["/BaseFont"]
        assert "/FontFile2" in font["/FontDescriptor"], font["/BaseFont"]
        assert "/ToUnicode" in font


def test_bold_lao_and_latin_use_their_own_fonts():
    names = {str(f["/BaseFont"]).split("+")[1] for f in font_dicts(_document(CORPUS, bold=True))}
    assert {"NotoSansLao-Bold", "BitstreamVeraSans-Bold"} <= names


def test_zero_width_spaces_break_lines_but_are_never_written():
    text = "ຫ້ອງການບໍລິການປະຕູດຽວເມືອງສີສັດຕະນາກແຂວງນະຄອນຫຼວງວຽງຈັນ" * 3
    pdf = _document([text], page=layout.ROLL_80MM)
    copied = text_of(pdf)
    assert ZWSP not in copied
    assert copied.count("\n") >= 2  # it did wrap
    assert copied.replace("\n", "") == text


def test_missing_glyphs_become_one_visible_mark():
    assert clean("ສົມ 😀👍🏽 中文 ok") == "ສົມ ? ? ok"
    assert clean("a\u200db\ufe0fc\u0000d\te") == "abcd e"  # joiners and controls dropped
    assert clean("Иван ສົມ") == "? ສົມ"  # Cyrillic: no bundled font has it
    assert "?" in text_of(_document(["ສົມສັກ 😀"]))


@pytest.mark.parametrize(
    "odd",
    ["່່່", "\u0eb4\u0ec8", "ົ", "ສົມ\u0ec9\u0ec9\u0ec9\u0ec9", "   ", "", "\u200b\u200b", "🙂" * 50],
)
def test_odd_text_never_crashes(odd):
    _document([odd, f"x {odd} y", odd * 40], page=layout.ROLL_80MM)
    _document([odd], bold=True)


# -- line breaking -----------------------------------------------------------------------------

ROOM = layout.ROLL_80MM.room
BODY = Style(8.6)


def _syllable_ends(text: str) -> set[int]:
    ends, at = set(), 0
    for syllable in syllable_tokenize(text):
        at += len(syllable)
        ends.add(at)
    assert at == len(text)
    return ends


@pytest.mark.parametrize(
    "name",
    [
        "ສົມສັກພົມມະຈັນ" * 8,  # one long "word": only syllable breaks are possible
        "ບຸນມີແກ້ວມະນີວົງສະຫວັນສີສຸລາດພົມມະວົງ" * 3,
        "ໃບອະນຸຍາດດຳເນີນທຸລະກິດ" * 6,
    ],
)
def test_long_lao_text_wraps_between_syllables_inside_the_width(name):
    lines = wrap(name, BODY, ROOM)
    assert len(lines) > 1
    assert "".join(lines) == name
    assert all(width(line, BODY) <= ROOM for line in lines)
    ends = _syllable_ends(name)
    at = 0
    for line in lines[:-1]:
        at += len(line)
        assert at in ends, f"broke inside a syllable: {line[-3:]}|{name[at : at + 3]}"


def test_lao_phrases_break_at_word_boundaries():
    text = "ກະລຸນານຳເອກະສານລຸ່ມນີ້ມາເພີ່ມ ເພື່ອໃຫ້ພວກເຮົາສືບຕໍ່ດຳເນີນຄຳຮ້ອງຂອງທ່ານໄດ້"
    lines = wrap(text, BODY, 30 * mm)
    assert all(width(line, BODY) <= 30 * mm for line in lines)
    for line in lines:
        assert not fonts.is_mark(line[0])
        assert line[-1] not in "ເແໂໃໄ"


@pytest.mark.parametrize("text", ["ກ" * 300, "A" * 300, "0" * 300, "ສົມ😀" * 60])
def test_unbreakable_runs_are_cut_to_fit(text):
    lines = wrap(text, BODY, ROOM)
    assert all(width(line, BODY) <= ROOM for line in lines)
    assert all(not fonts.is_mark(line[0]) for line in lines)


def test_every_word_stays_on_the_roll(tmp_path: Path):
    pdf = tmp_path / "roll.pdf"
    long = "ສົມສັກພົມມະຈັນ" * 8 + " " + "ABCDEFGHIJ" * 12 + " 150,000,000,000 ₭"
    pdf.write_bytes(_document([long, long], page=layout.ROLL_80MM))
    from tests.receipts.conftest import word_boxes

    boxes = word_boxes(pdf)
    assert boxes
    for x0, _, x1, _, word, page_width, _ in boxes:
        assert layout.ROLL_80MM.side - 1 <= x0 and x1 <= page_width - layout.ROLL_80MM.side + 1, (
            word
        )


def test_running_out_of_private_codes_still_draws_shaped_text(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(shaping, "_next_private", 0xDFFF)  # every code taken
    monkeypatch.setattr(shaping, "_codes", {})  # and none to reuse
    shaped = shaping.shape("ກີ່ ນ້ຳ ສົ່ງ (out of codes)", fonts.REGULAR)
    assert any(g.y > 200 for g in shaped.glyphs)  # still stacked
    assert not any(g.hidden for g in shaped.glyphs)
    flow = layout.Flow(layout.A4.room)
    flow.text("ກີ່ ນ້ຳ ສົ່ງ (out of codes)", Style(10))
    assert "(out of codes)" in text_of(layout.render(flow, layout.A4, title="t", author="a"))
