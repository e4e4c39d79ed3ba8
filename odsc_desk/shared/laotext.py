"""Where Lao text may break across lines.

Lao writes no spaces between words, and neither Qt nor ReportLab knows where a Lao line may
wrap: left alone they overflow the edge or cut inside a syllable. `breakable` puts a zero-width
space (U+200B) at each word boundary found by laonlp's dictionary segmenter; both Qt and
ReportLab break lines there, and the character is invisible and dropped again when text is
copied out with `unbreakable`.

The segmenter sometimes cuts inside a syllable: ໄຟ|ລ໌ (file), ເກ|ຣດ (grade), ໄບ|ຕ໌ (byte),
ຖື|ກລັອກໄວ້ (is locked). So each boundary it proposes is checked against the spelling rules
below (`splits_syllable`) and dropped when it falls inside a syllable. (laonlp's own
`syllable_tokenize` is no help here: it loses letters, ໄບຕ໌ gives nothing at all.)

How a Lao syllable is written: an optional leading vowel (ເ ແ ໂ ໃ ໄ, written before the
consonant it is read after), an initial consonant, sometimes two (ຫ before a sonorant: ຫນ ຫຼ
ຫວ; a consonant and ວ: ຄວາມ ກວ່າ; ລ or ຣ in borrowed words: ເກຣດ ໂປຣ), the vowel signs and tone
mark written above or below it (Unicode Mn), the vowels written after it (ະ າ ຳ ຽ, and the
vowel letters ວ ອ: ຄວນ ກອງ ເມືອງ), then an optional final consonant, one of ກ ງ ຍ ດ ນ ບ ມ ວ, or
a borrowed one made silent by the cancellation mark ໌ (ລ໌ ຕ໌). From this, a break before the
character at `i` is inside a syllable when:

1. the character before is a leading vowel: it goes with the consonant after it;
2. the character at `i` goes with what is before it: a combining mark (a vowel sign, a tone
   mark, ໌, ຼ), a vowel written after its consonant (ະ າ ຳ ຽ), or ໆ ຯ;
3. the consonant at `i` cannot begin a syllable: no vowel or tone mark of its own, directly or
   through the initial pair it begins. It is a final (ຣ and ດ in ເກ|ຣດ and ເກຣ|ດ), a vowel
   letter (ອ in ຫ້|ອງ), or a silent consonant under ໌ (ລ in ໄຟ|ລ໌);
4. the character before is a consonant with no vowel of its own (no leading vowel before it)
   that cannot close the syllable before it - it is not ກ ງ ຍ ດ ນ ບ ມ ວ, or that syllable can take
   no final (ຫຼາຍ|ກ|ວ່າ, ເກົ່າ|ກ|ວ່າ) - so it is the first of a pair with the consonant at `i`:
   ຫ|ນ, ຄ|ວາມ. ຫ before a sonorant is one initial even after a leading vowel: ໃຫ|ມ່;
5. the vowel before is ັ or ົ (a tone mark may follow it), or the vowel letter ອ or ວ written
   right after its consonant: these are always closed by the next consonant (ສັ|ນຍາ, ລັ|ອກ,
   ບອ|ກວ່າ is ບອກ|ວ່າ, ດ້ວ|ຍ);
6. the consonant at `i` is ກ ງ ຍ ດ ນ ບ ມ or ວ with no vowel of its own, the syllable before can
   still take a final, and the consonant after it cannot lean on it (it is not the vowel
   letter of ນອກ or ນວດ, nor ກວ້າງ's ວ): it closes the syllable before. ຖື|ກລັອກ is ຖືກ|ລັອກ,
   ການ|ອະນຸມັດ not ກາ|ນອະນຸມັດ;
7. it is between two Lao digits.

Everywhere else both sides can be read as whole syllables, and the segmenter's boundary is
kept. One place where the spelling alone cannot tell is left to the segmenter on purpose: ກ
before ວ with າ or ັ, after an open syllable (ຮູ້ສຶກ|ວ່າ "feel that", ດີ|ກວ່າ "better").
The rules err on the side of dropping a boundary: a word then wraps a little later, never
inside a syllable. They are plain character tests on a word boundary and its neighbours, so
checking one costs next to nothing; `breakable` keeps its cache all the same.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

ZWSP = "\u200b"
_LAO_RUN = re.compile(r"[\u0e80-\u0eff]{2,}")

_LAO_BLOCK = [chr(code) for code in range(0x0E80, 0x0F00)]
# ກ … ຮ, ໜ ໝ and the Khmu letters; not ະ າ ຳ ຯ ຽ nor the leading vowels, also Lo.
_CONSONANTS = frozenset(
    ch
    for ch in _LAO_BLOCK
    if unicodedata.category(ch) == "Lo" and ("\u0e81" <= ch <= "\u0eae" or ch >= "\u0edc")
)
_MARKS = frozenset(ch for ch in _LAO_BLOCK if unicodedata.category(ch) == "Mn")
_LEADING_VOWELS = frozenset("ເແໂໃໄ")  # U+0EC0 … U+0EC4
_CANCELLATION = "\u0ecc"  # ໌
_PALI_VIRAMA = "\u0eba"
_FINALS = frozenset("ກງຍດນບມວ")
_TONES = frozenset("\u0ec8\u0ec9\u0eca\u0ecb")  # ່ ້ ໊ ໋
_AFTER_VOWELS = frozenset("ະາຳຽ")  # written after their consonant
# Rule 2: what always goes with the character before it.
_TRAILING = _MARKS | _AFTER_VOWELS | frozenset("ໆຯ")
# What gives a consonant a vowel or a tone of its own: every mark but ໌ (and the Pali virama,
# which also silences it), and ະ າ ຳ ຽ.
_VOICING = (_MARKS - {_CANCELLATION, _PALI_VIRAMA}) | _AFTER_VOWELS
_MAI_KAN_KON = frozenset("\u0eb1\u0ebb")  # ັ ົ: never end a syllable
# Vowel signs after which the syllable may still take a final: ັ ົ (must), ິ ີ ຶ ື ຸ ູ.
_OPEN_SIGNS = _MAI_KAN_KON | frozenset("\u0eb4\u0eb5\u0eb6\u0eb7\u0eb8\u0eb9")
_HO = "ຫ"
_SONORANTS = frozenset("ງຍນມລວຣ")  # ຫ before one of these: a single (high-class) initial
_LO_RO = frozenset("ລຣ")  # second of a borrowed initial pair: ກຣ ປຣ ບລ
_WO_FIRSTS = frozenset("ກຂຄສຊ")  # first of a pair with ວ read as w: ກວ່າ ຂວາ ຄວາມ ສວ່າງ
_DIGITS = frozenset("໐໑໒໓໔໕໖໗໘໙")


def _at(text: str, i: int) -> str:
    return text[i] if 0 <= i < len(text) else ""


def _wo_pair(text: str, i: int) -> bool:
    """Whether ວ at `i` is the w of an initial pair (ຄວາມ, ກວ່າ, ຂວັນ): after a consonant
    that makes such pairs, and read with າ or ັ (a tone mark may come between)."""
    if _at(text, i) != "ວ" or _at(text, i - 1) not in _WO_FIRSTS:
        return False
    vowel = _at(text, i + 2) if _at(text, i + 1) in _TONES else _at(text, i + 1)
    return vowel in ("າ", "\u0eb1")


def _vowel_letter(text: str, i: int) -> bool:
    """Whether ວ or ອ at `i`, after a consonant, is that consonant's vowel: followed by the
    final consonant (ຄວນ, ກອງ), not by a vowel of its own."""
    return _at(text, i) in ("ວ", "ອ") and _at(text, i + 1) in _CONSONANTS


def _begins_syllable(text: str, i: int) -> bool:
    """Whether the consonant at `i` has a vowel or tone mark of its own, directly (ກາ ກ່ ກິ)
    or through the initial pair or the vowel letter after it (ຫນ້າ ຄວາມ ກຣາມ ຄວນ ກອງ)."""
    nxt = _at(text, i + 1)
    if nxt in _VOICING or _vowel_letter(text, i + 1) or _wo_pair(text, i + 1):
        return True
    if nxt in _LO_RO or (text[i] == _HO and nxt in _SONORANTS):
        return _begins_syllable(text, i + 1)
    return False


def _leading_vowel(text: str, k: int) -> str:
    """The leading vowel written before the initial that ends with the consonant at `k` (one
    consonant, or a pair: ແກຣ ໃຫມ ເຂວ), or ""."""
    first = k
    if _at(text, k - 1) in _CONSONANTS and (
        text[k] in _LO_RO or text[k] == "ວ" or _at(text, k - 1) == _HO
    ):
        first = k - 1
    lead = _at(text, first - 1)
    return lead if lead in _LEADING_VOWELS else ""


def _takes_final(text: str, i: int) -> bool:
    """Whether the syllable ending just before `i` may still take a final consonant at `i`."""
    k = i - 1
    while _at(text, k) in _TONES or _at(text, k) == "\u0ebc":  # look past a tone mark and ຼ
        k -= 1
    last = _at(text, k)
    if last in _OPEN_SIGNS or last == "ຽ":  # ກິນ ກັນ ກົດ ຄຽງ, also with a tone: ກີ່ບ
        return True
    if last == "າ":  # ການ, but not ເ-ົາ (ເກົ່າ), which is closed
        before = _at(text, k - 2) if _at(text, k - 1) in _TONES else _at(text, k - 1)
        return before != "\u0ebb"
    if last not in _CONSONANTS:  # ະ ຳ ໍ and the rest: closed
        return False
    lead = _leading_vowel(text, k)
    if lead:  # ເກ ແມ່ ໂຫຼ ແກຣ may close (ເກດ ແມ່ນ ໂຫຼດ ແກຣມ); ໃ- and ໄ- take no native final
        return lead in ("ເ", "ແ", "ໂ")
    p = k - 1 if _at(text, k - 1) in _TONES else k
    if last in ("ວ", "ອ") and _at(text, p - 1) in _CONSONANTS:  # vowel letters: ຄວນ ກ່ອນ ດ້ວຍ
        return True
    if last == "ອ" and _at(text, p - 1) == "\u0eb7":  # ເ-ືອ: ເລືອກ ເຊື່ອມ
        return True
    # A consonant with only a tone mark (ກ່) has its vowel still to come; a bare one is a
    # final already, or the first of a pair.
    return k < i - 1


def splits_syllable(text: str, i: int) -> bool:
    """Whether a line break before `text[i]` would fall inside a Lao syllable (rules above).

    `text` is the whole run the break is in: the rules look at the neighbours."""
    if i <= 0 or i >= len(text):
        return False
    before, here, after = text[i - 1], text[i], _at(text, i + 1)
    if before in _LEADING_VOWELS or here in _TRAILING:  # rules 1 and 2
        return True
    if before in _DIGITS and here in _DIGITS:  # rule 7
        return True
    if here not in _CONSONANTS:
        return False
    if not _begins_syllable(text, i):  # rule 3
        return True
    if before == _HO and here in _SONORANTS:  # rule 4: ຫນ ຫມ ຫລ, even after ໃ (ໃຫມ່)
        return True
    if (  # rule 4
        before in _CONSONANTS
        and _at(text, i - 2) not in _LEADING_VOWELS
        and before != "ອ"
        and (before not in _FINALS or not _takes_final(text, i - 1))
    ):
        return True
    if before in _MAI_KAN_KON or (before in _TONES and _at(text, i - 2) in _MAI_KAN_KON):
        return True  # rule 5
    if before in ("ວ", "ອ"):  # rule 5: a vowel letter right after its consonant (ບອ ດ້ວ)
        k = i - 3 if _at(text, i - 2) in _TONES else i - 2
        if _at(text, k) in _CONSONANTS and not _leading_vowel(text, k):
            return True
    return (  # rule 6
        here in _FINALS
        and after in _CONSONANTS
        and not _vowel_letter(text, i + 1)
        and not _wo_pair(text, i + 1)
        and _takes_final(text, i)
    )


@lru_cache(maxsize=1)
def _tokenizer() -> Callable[[str], list[str]]:
    # Imported on first use: it costs a quarter of a second, too much for start-up.
    from laonlp.tokenize import word_tokenize

    tokenize: Callable[[str], list[str]] = word_tokenize  # laonlp ships no type information
    return tokenize


def word_boundaries(run: str) -> list[int]:
    """The word boundaries laonlp's segmenter proposes in a Lao run (offsets into it), before
    any is dropped; none if its words do not add up to the run."""
    words = _tokenizer()(run)
    if "".join(words) != run:  # never change the text: rather no breaks than wrong ones
        return []
    offsets: list[int] = []
    for word in words[:-1]:
        offsets.append((offsets[-1] if offsets else 0) + len(word))
    return offsets


def _mark_run(run: str) -> str:
    pieces: list[str] = []
    start = 0
    for offset in word_boundaries(run):
        if not splits_syllable(run, offset):
            pieces.append(run[start:offset])
            start = offset
    pieces.append(run[start:])
    return ZWSP.join(pieces)


@lru_cache(maxsize=4096)
def breakable(text: str) -> str:
    """`text` with a zero-width space between the words of every Lao run, never inside a
    syllable."""
    return _LAO_RUN.sub(lambda m: _mark_run(m.group(0)), text)


def unbreakable(text: str) -> str:
    return text.replace(ZWSP, "")
