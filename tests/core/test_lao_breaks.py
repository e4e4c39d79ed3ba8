"""Lao line breaks: between words, never inside a syllable.

`breakable` takes laonlp's word boundaries and drops those `splits_syllable` finds inside a
syllable. "Inside a syllable" is judged here by that same rule; the last tests show the check
is not empty: on the segmenter's raw boundaries it finds the known bad cuts.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from odsc_desk.shared import messages
from odsc_desk.shared.laotext import (
    ZWSP,
    breakable,
    splits_syllable,
    unbreakable,
    word_boundaries,
)
from receipts.labels import LABELS
from sync import messages as sync_messages

ROOT = Path(__file__).resolve().parents[2]
LAO_RUN = re.compile(r"[\u0e80-\u0eff]{2,}")

# What laonlp's segmenter gets wrong: the text and the offset of its cut inside a syllable.
KNOWN_BAD_CUTS = [
    ("ໄຟລ໌", 2),  # ໄຟ|ລ໌
    ("ເກຣດ", 2),  # ເກ|ຣດ
    ("ໄບຕ໌", 2),  # ໄບ|ຕ໌
    ("ຖືກລັອກໄວ້", 2),  # ຖື|ກລັອກໄວ້
]


def break_offsets(marked: str) -> list[int]:
    """Where `marked` has a zero-width space, as offsets into the text without them."""
    offsets: list[int] = []
    for index, piece in enumerate(marked.split(ZWSP)[:-1]):
        offsets.append((offsets[index - 1] if index else 0) + len(piece))
    return offsets


def syllables(text: str) -> list[str]:
    """`text` cut wherever `splits_syllable` allows."""
    cuts = [i for i in range(1, len(text)) if not splits_syllable(text, i)]
    return [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]


def shown_lao_strings() -> dict[str, list[str]]:
    """Every Lao string the window and the documents show, by where it comes from."""
    catalog = json.loads((ROOT / "odsc_desk/data/demo_catalog.json").read_text("utf-8"))
    names: list[str] = []

    def collect(value: object) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key.endswith("_lo") and isinstance(item, str):
                    names.append(item)
                else:
                    collect(item)
        elif isinstance(value, list):
            for item in value:
                collect(item)

    collect(catalog)
    translations: list[str] = []
    for path in sorted((ROOT / "ui/translations").glob("*.ts")):
        for element in ET.parse(path).iter("translation"):
            forms = [form.text for form in element.iter("numerusform")] or [element.text]
            translations += [form for form in forms if form]
    return {
        "messages": [lo for lo, _ in messages.MESSAGES.values()],
        "sync messages": [lo for lo, _ in sync_messages.MESSAGES.values()],
        "labels": [lo for lo, _ in LABELS.values()],
        "catalog": names,
        "translations": translations,
    }


def inside_syllable(text: str, offsets: list[int]) -> list[str]:
    """The breaks among `offsets` that fall inside a syllable, drawn as text|text."""
    return [f"{text[:i]}|{text[i:]}" for i in offsets if splits_syllable(text, i)]


@pytest.mark.parametrize(("text", "cut"), KNOWN_BAD_CUTS)
def test_known_bad_cuts_are_not_made(text: str, cut: int) -> None:
    marked = breakable(text)
    assert unbreakable(marked) == text
    assert cut not in break_offsets(marked)


@pytest.mark.parametrize("word", ["ໄຟລ໌", "ເກຣດ", "ໄບຕ໌"])
def test_borrowed_words_stay_whole_in_a_sentence(word: str) -> None:
    marked = breakable(f"ກະລຸນາເລືອກ{word}ຂໍ້ມູນ")
    assert word in marked.split(ZWSP)


def test_locked_keeps_its_final_consonant() -> None:
    assert breakable("ຖືກລັອກໄວ້").split(ZWSP)[0].startswith("ຖືກ")
    assert syllables("ຖືກລັອກໄວ້") == ["ຖືກ", "ລັອກ", "ໄວ້"]


@pytest.mark.parametrize("word", ["ຫ້ອງການ", "ລາຍການ", "ຄ່າທຳນຽມ"])
def test_a_word_alone_stays_whole(word: str) -> None:
    assert breakable(word) == word


def test_words_of_a_phrase_still_separate() -> None:
    assert breakable("ຈ່າຍຄ່າທຳນຽມແລ້ວ").split(ZWSP) == ["ຈ່າຍ", "ຄ່າທຳນຽມ", "ແລ້ວ"]
    assert breakable("ເລືອກລາຍການ").split(ZWSP) == ["ເລືອກ", "ລາຍການ"]


def test_a_long_phrase_gets_breaks_between_words() -> None:
    phrase = "ກະລຸນານຳເອກະສານລຸ່ມນີ້ມາເພີ່ມ ເພື່ອໃຫ້ພວກເຮົາສືບຕໍ່ດຳເນີນຄຳຮ້ອງຂອງທ່ານໄດ້"
    pieces = breakable(phrase).split(ZWSP)
    assert len(pieces) >= 10
    assert {"ກະລຸນາ", "ເອກະສານ"} <= set(pieces)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ຫ້ອງການ", ["ຫ້ອງ", "ການ"]),
        ("ການອະນຸມັດ", ["ການ", "ອະ", "ນຸ", "ມັດ"]),
        ("ໂປຣແກຣມ", ["ໂປຣ", "ແກຣມ"]),
        ("ຫຼາຍກວ່າ", ["ຫຼາຍ", "ກວ່າ"]),
        ("ບອກວ່າ", ["ບອກ", "ວ່າ"]),
        ("ແກ້ວມະນີ", ["ແກ້ວ", "ມະ", "ນີ"]),
        ("ເຄື່ອງພິມ", ["ເຄື່ອງ", "ພິມ"]),
        ("ໄຟລ໌ຂໍ້ມູນ", ["ໄຟລ໌", "ຂໍ້", "ມູນ"]),
        ("ໃຫມ່", ["ໃຫມ່"]),
        ("ອື່ນໆ", ["ອື່ນໆ"]),
        ("໒໐໒໖", ["໒໐໒໖"]),
    ],
)
def test_the_syllable_rule_on_examples(text: str, expected: list[str]) -> None:
    assert syllables(text) == expected


def test_breakable_is_still_cached() -> None:
    before = breakable.cache_info().hits
    breakable("ໄຟລ໌ສຳຮອງ")
    breakable("ໄຟລ໌ສຳຮອງ")
    assert breakable.cache_info().hits > before


def test_no_shown_string_breaks_inside_a_syllable() -> None:
    sources = shown_lao_strings()
    for source, texts in sources.items():
        assert sum(bool(LAO_RUN.search(text)) for text in texts) >= 10, source
    bad: list[str] = []
    for texts in sources.values():
        for text in texts:
            marked = breakable(text)
            assert unbreakable(marked) == text
            bad += inside_syllable(text, break_offsets(marked))
    assert bad == []


def test_the_check_catches_the_segmenters_raw_cuts() -> None:
    for text, cut in KNOWN_BAD_CUTS:
        assert cut in word_boundaries(text)
        assert inside_syllable(text, word_boundaries(text)) == [f"{text[:cut]}|{text[cut:]}"]


def test_the_check_catches_raw_cuts_in_the_shown_strings() -> None:
    caught: list[str] = []
    for texts in shown_lao_strings().values():
        for text in texts:
            for run in LAO_RUN.finditer(text):
                caught += inside_syllable(run.group(0), word_boundaries(run.group(0)))
    assert "ໄຟ|ລ໌" in caught
    assert any(cut.endswith("ເກ|ຣດ") for cut in caught)
