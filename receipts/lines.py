"""Lines of text: cleaned, split into font runs, shaped, measured, wrapped and drawn.

Lao has no spaces between words, so lines may only break at the zero-width spaces
`odsc_desk.shared.laotext.breakable` puts between words (and at real spaces); a word too long for a
whole line breaks between syllables, never inside one, and a line never runs past its width.
The zero-width spaces are break hints only: they are taken out before anything is drawn, so
copied text has none.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas

from odsc_desk.shared.laotext import ZWSP, breakable
from receipts import fonts, shaping

# Lao vowels written before the consonant they follow in speech: never end a line on one.
_LEADING_VOWELS = frozenset("\u0ec0\u0ec1\u0ec2\u0ec3\u0ec4")
_SPACES = re.compile(r"[^\S\u200b]+")  # white space other than the zero-width space
_DROP_CATEGORIES = ("Cc", "Cf", "Cs", "Co", "Cn")
_VARIATION = re.compile("[\ufe00-\ufe0f\U000e0100-\U000e01ef]")


@dataclass(frozen=True)
class Style:
    """How a piece of text looks. Sizes in points."""

    size: float = 9.0
    bold: bool = False
    align: str = "left"  # left, center, right
    color: colors.Color = colors.black

    @property
    def leading(self) -> float:
        # Lao stacks an upper vowel and a tone mark above the letter and a lower vowel below:
        # lines need more room than Latin text (Noto Sans Lao's marks reach 1.15 em up).
        return self.size * (1.62 if self.bold else 1.45)

    @property
    def ascent(self) -> float:
        """From the top of a line's box to its baseline."""
        return self.size * (1.15 if self.bold else 1.0)

    def but(self, **changes: object) -> Style:
        values = {**self.__dict__, **changes}
        return Style(**values)


@lru_cache(maxsize=4096)
def clean(text: str) -> str:
    """Printable text: white space folded, control and format characters dropped (the
    zero-width space stays, as a break hint), and a visible "?" for anything no bundled font
    can draw (an emoji, a Chinese name), one per run of such characters."""
    text = _VARIATION.sub("", unicodedata.normalize("NFC", text or ""))
    text = _SPACES.sub(" ", text).strip()
    out: list[str] = []
    for char in text:
        if char == ZWSP:
            out.append(char)
        elif unicodedata.category(char) in _DROP_CATEGORIES:
            continue
        elif fonts.pick(char, False) is None:  # the bold chain falls back to the same fonts
            if not out or out[-1] != fonts.MISSING:
                out.append(fonts.MISSING)
        else:
            out.append(char)
    return "".join(out)


@lru_cache(maxsize=4096)
def runs(text: str, bold: bool) -> tuple[shaping.Shaped, ...]:
    """`text` (clean, without zero-width spaces) cut where the font changes, each piece shaped.

    A combining mark and a space stay in the font of the letter before them, so a Lao syllable
    is never split between fonts.
    """
    pieces: list[list[str]] = []
    for char in text:
        name = fonts.pick(char, bold) or fonts.REGULAR
        follows = pieces and (char == " " or fonts.is_mark(char))
        if follows and fonts.has_glyph(pieces[-1][0], char):
            name = pieces[-1][0]
        if pieces and pieces[-1][0] == name:
            pieces[-1][1] += char
        else:
            pieces.append([name, char])
    return tuple(shaping.shape(chunk, name) for name, chunk in pieces)


def width(text: str, style: Style) -> float:
    return sum(run.advance for run in runs(text, style.bold)) * style.size / 1000


def _clusters(word: str) -> list[str]:
    """A letter with its marks, and a leading vowel with the letter after it: never split."""
    out: list[str] = []
    for char in word:
        if out and (fonts.is_mark(char) or out[-1][-1] in _LEADING_VOWELS):
            out[-1] += char
        else:
            out.append(char)
    return out


def _syllables(word: str) -> list[str]:
    """Where a word too long for a line may break: between Lao syllables, or between the
    letters of other scripts; a Lao run laonlp cannot split stays whole."""
    from laonlp.tokenize import syllable_tokenize

    pieces: list[str] = []
    for match in re.finditer(r"[\u0e80-\u0eff]+|[^\u0e80-\u0eff]+", word):
        chunk = match.group(0)
        if fonts.is_lao(chunk[0]):
            syllables = syllable_tokenize(chunk)
            pieces += syllables if "".join(syllables) == chunk else _clusters(chunk)
        else:
            pieces += _clusters(chunk)
    return pieces


def _fit(pieces: list[str], style: Style, room: float) -> list[str]:
    """Glue pieces of an over-long word into lines no wider than `room`."""
    lines: list[str] = []
    line = ""
    for piece in pieces:
        if line and width(line + piece, style) > room:
            lines.append(line)
            line = piece
        else:
            line += piece
    if line:
        lines.append(line)
    return lines


def wrap(text: str, style: Style, room: float) -> list[str]:
    """`text` as lines no wider than `room` points, broken at spaces and Lao word boundaries."""
    cleaned = clean(text)
    if not cleaned:
        return []
    tokens = re.split(f"( |{ZWSP})", breakable(cleaned))
    words = tokens[0::2]
    separators = ["", *tokens[1::2]]
    lines: list[str] = []
    line = ""
    for word, separator in zip(words, separators, strict=True):
        if not word:
            continue
        joined = line + (" " if separator == " " and line else "") + word
        if not line or width(joined, style) <= room:
            line = joined
        else:
            lines.append(line)
            line = word
        if width(line, style) > room:
            # One word longer than the whole line: break it between syllables.
            *done, line = _fit(_syllables(line), style, room)
            lines += done
    if line:
        lines.append(line)
    return lines


def draw(canvas: Canvas, x: float, baseline: float, text: str, style: Style, room: float) -> None:
    """One line (already wrapped) at `baseline`, aligned within `room` points from `x`."""
    pieces = runs(text, style.bold)
    if not pieces:
        return
    used = sum(run.advance for run in pieces) * style.size / 1000
    if style.align == "right":
        x += room - used
    elif style.align == "center":
        x += (room - used) / 2
    canvas.setFillColor(style.color)
    shaping.draw(canvas, x, baseline, [(run, style.size) for run in pieces])
