"""Shaped text, written into the PDF so that copying it out gives back what was typed.

ReportLab shapes with HarfBuzz (uharfbuzz) but then writes each glyph under the character the
font's cmap gives it, and that loses Lao text three ways:

- HarfBuzz splits SARA AM (ຳ) into NIKHAHIT + SARA AA and moves the nikhahit in front of a
  tone mark, so "ນ້ຳ" would copy out as "ນໍ້າ"; glyphs with no character copy out as garbage;
- it positions a shifted mark by moving the pen back after it, which extractors read as a gap
  between words ("ສະຫງ ົບ");
- it raises stacked marks (a tone mark over an upper vowel) off the baseline, and line-based
  extractors such as poppler's put a raised mark on a line of its own.

So the text of a cluster whose glyphs are raised, shifted back or changed by shaping is not
written with its glyphs. They are drawn under private codes that stand for no text, and the
cluster's text goes into one zero-width, invisible glyph (text render mode 3, as a scanned
page's OCR layer) on the baseline just after them. Plain clusters keep their own characters.
Every glyph's PDF width is the step to where the next glyph starts, so the pen never has to
jump forward (a jump reads as a space). The ToUnicode maps are ReportLab's own
`makeToUnicodeCMap`, wrapped once here to add the private codes and unchanged for all others.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache

from reportlab.lib.rl_accel import escapePDF
from reportlab.pdfbase import ttfonts
from reportlab.pdfbase.ttfonts import ShapedStr, shapeStr
from reportlab.pdfgen.canvas import Canvas

from receipts import fonts

_FIRST_PRIVATE = 0xF8FF  # counted down: ReportLab counts its own private codes up from 0xE000
_lock = threading.Lock()
_next_private = _FIRST_PRIVATE
# face name -> private code -> the text that code stands for when copied
_texts: dict[str, dict[int, str]] = {}
# (font name, glyph id, text, width) -> private code
_codes: dict[tuple[str, int, str, float], int] = {}


class _OutOfCodes(Exception):
    """The font's private-use codes are all taken (thousands of distinct syllables drawn in
    one long-running process): text is then written as ReportLab would, still shaped."""


@dataclass(frozen=True, slots=True)
class Glyph:
    """One glyph to write: `x`, `y` and `width` in thousandths of the font size."""

    code: int
    x: float
    y: float
    width: float
    hidden: bool = False  # the invisible carrier of a cluster's text


@dataclass(frozen=True, slots=True)
class Shaped:
    """A run of text in one font, shaped; `advance` in thousandths of the font size."""

    font: str
    glyphs: tuple[Glyph, ...]
    advance: float

    def width(self, size: float) -> float:
        return self.advance * size / 1000


def _face_name(font_name: str) -> str:
    return str(fonts.font(font_name).face.name.decode("latin-1"))


def _private_code(font_name: str, gid: int, text: str, width: float) -> int:
    """A code of our own for glyph `gid` that copies out as `text` and is `width` wide."""
    global _next_private
    key = (font_name, gid, text, round(width, 2))
    code = _codes.get(key)
    if code is not None:
        return code
    with _lock:
        code = _codes.get(key)
        if code is not None:
            return code
        face = fonts.font(font_name).face
        code = _next_private
        while code in face.charToGlyph:
            code -= 1
        if code < 0xE000:
            raise _OutOfCodes

        _next_private = code - 1
        face.charToGlyph[code] = gid
        face.charWidths[code] = round(width, 2)
        _texts.setdefault(_face_name(font_name), {})[code] = text
        _codes[key] = code
        return code


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """ReportLab's ToUnicode CMap, with our private codes mapped to the text they stand for."""
    cmap: str = _reportlab_to_unicode_cmap(fontname, subset)
    texts = _texts.get(fontname.split("+", 1)[-1])
    if not texts or not any(code in texts for code in subset):
        return cmap
    lines = cmap.split("\n")
    start = next(n for n, line in enumerate(lines) if line.endswith("beginbfchar")) + 1
    for index, code in enumerate(subset):
        if code in texts:
            # An empty destination: the glyph is drawn but adds nothing to copied text.
            lines[start + index] = f"<{index:02X}> <{texts[code].encode('utf-16-be').hex()}>"
    return "\n".join(lines)


_reportlab_to_unicode_cmap = ttfonts.makeToUnicodeCMap
ttfonts.makeToUnicodeCMap = _to_unicode_cmap


def _clusters(clusters: list[int], length: int) -> list[tuple[int, int, int, int]]:
    """(first glyph, end glyph, text start, text end) per cluster, in glyph order."""
    groups: list[tuple[int, int, int]] = []
    start = 0
    for i in range(1, len(clusters) + 1):
        if i == len(clusters) or clusters[i] != clusters[start]:
            groups.append((start, i, clusters[start]))
            start = i
    # Clusters are monotone (ReportLab asks HarfBuzz for MONOTONE_CHARACTERS), so each one's
    # text runs to where the next one starts.
    ends = [g[2] for g in groups[1:]] + [length]
    return [(a, b, c, max(c, e)) for (a, b, c), e in zip(groups, ends, strict=True)]


@lru_cache(maxsize=8192)
def shape(text: str, font_name: str) -> Shaped:
    """`text` shaped in `font_name`; every character must be in that font (see layout)."""
    if not text:
        return Shaped(font_name, (), 0.0)
    face = fonts.font(font_name).face
    shaped = shapeStr(text, font_name, 10, force=True)
    if isinstance(shaped, ShapedStr):
        chars = [ord(c) for c in shaped]
        data = shaped.__shapeData__
        advances = [d.x_advance for d in data]
        offsets = [(d.x_offset, d.y_offset) for d in data]
        clusters = [d.cluster for d in data]
    else:  # HarfBuzz left it as it was
        chars = [ord(c) for c in text]
        advances = [face.charWidths.get(c, face.defaultWidth) for c in chars]
        offsets = [(0.0, 0.0)] * len(chars)
        clusters = list(range(len(chars)))
    starts = []  # where each glyph is drawn
    pens = []  # where the pen is before each glyph (no shifts): only ever moves forward
    pen = 0.0
    for advance, (dx, _) in zip(advances, offsets, strict=True):
        starts.append(pen + dx)
        pens.append(pen)
        pen += advance
    starts.append(pen)
    pens.append(pen)
    units: list[list[int]] = []  # [first glyph, end glyph, text start, text end, hidden]
    for first, end, text_start, text_end in _clusters(clusters, len(text)):
        hidden = "".join(map(chr, chars[first:end])) != text[text_start:text_end] or any(
            offsets[i][1] or starts[i + 1] < starts[i] for i in range(first, end)
        )
        if hidden and units:
            # A raised or shifted mark joins the letter it sits on: one piece of copied text.
            units[-1][1], units[-1][3], units[-1][4] = end, text_end, True
        else:
            units.append([first, end, text_start, text_end, hidden])
    try:
        glyphs = _extractable(font_name, text, chars, starts, pens, offsets, units)
    except _OutOfCodes:
        # Shaped as well, but copied text may lose a SARA AM or gain a space.
        glyphs = [
            Glyph(c, starts[i], offsets[i][1], face.charWidths.get(c, face.defaultWidth))
            for i, c in enumerate(chars)
        ]
    return Shaped(font_name, tuple(glyphs), pen)


def _extractable(
    font_name: str,
    text: str,
    chars: list[int],
    starts: list[float],
    pens: list[float],
    offsets: list[tuple[float, float]],
    units: list[list[int]],
) -> list[Glyph]:
    face = fonts.font(font_name).face
    space = face.charToGlyph[32]
    glyphs: list[Glyph] = []
    for first, end, text_start, text_end, hidden in units:
        if hidden:
            width = pens[end] - pens[first]
            carrier = _private_code(font_name, space, text[text_start:text_end], width)
            glyphs.append(Glyph(carrier, pens[first], 0.0, face.charWidths[carrier], True))
        for i in range(first, end):
            # A glyph is as wide as the step to the next one, so the pen never jumps forward
            # (a jump reads as a space); a step back is a zero width and a move back.
            width = max(starts[i + 1] - starts[i], 0.0)
            code = chars[i]
            if hidden or abs(width - face.charWidths.get(code, -1)) >= 0.01:
                text_of = "" if hidden else chr(code)
                code = _private_code(font_name, face.charToGlyph[code], text_of, width)
            glyphs.append(Glyph(code, starts[i], offsets[i][1], face.charWidths[code]))
    return glyphs


_ESCAPED = [f"({escapePDF(bytes((code,)))})" for code in range(256)]


def _ops(shaped: Shaped, size: float, doc: object) -> list[str]:
    """The text operators for one run, the pen starting where the run starts."""
    font = fonts.font(shaped.font)
    # One splitString call per run: it gives each glyph its font subset and one-byte code.
    codes = [
        (subset, code)
        for subset, chunk in font.splitString("".join(chr(g.code) for g in shaped.glyphs), doc)
        for code in chunk
    ]
    ops: list[str] = []
    pending: list[str] = []
    pen = rise = 0.0
    mode = 0
    current = -1
    for glyph, (subset, code) in zip(shaped.glyphs, codes, strict=True):
        hidden = 3 if glyph.hidden else 0
        if glyph.y != rise or hidden != mode or subset != current:
            if pending:
                ops.append(f"[{' '.join(pending)}] TJ")
                pending = []
            if glyph.y != rise:
                rise = glyph.y
                ops.append(f"{rise * size / 1000:.2f} Ts")
            if hidden != mode:
                mode = hidden
                ops.append(f"{mode} Tr")
            if subset != current:
                current = subset
                ops.append(f"{font.getSubsetInternalName(subset, doc)} {size:.2f} Tf")
        if abs(glyph.x - pen) > 0.005:
            pending.append(f"{pen - glyph.x:.2f}")  # TJ moves left for a positive number
        pending.append(_ESCAPED[code])
        pen = glyph.x + glyph.width
    if pending:
        ops.append(f"[{' '.join(pending)}] TJ")
    if rise:
        ops.append("0 Ts")
    if mode:
        ops.append("0 Tr")
    return ops


def draw(canvas: Canvas, x: float, y: float, runs: list[tuple[Shaped, float]]) -> float:
    """Write shaped runs (each with its font size) from (x, y); returns the end x."""
    doc = canvas._doc  # font subsets are per document; ReportLab's text objects do the same
    ops = ["BT"]
    for shaped, size in runs:
        ops.append(f"1 0 0 1 {x:.3f} {y:.3f} Tm")
        ops += _ops(shaped, size, doc)
        x += shaped.width(size)
    ops.append("ET")
    canvas.addLiteral("\n".join(ops))
    return x
