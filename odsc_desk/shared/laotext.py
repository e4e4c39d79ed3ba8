"""Where Lao text may break across lines.

Lao writes no spaces between words, and neither Qt nor ReportLab knows where a Lao line may
wrap: left alone they overflow the edge or cut inside a syllable. `breakable` puts a zero-width
space (U+200B) at each word boundary found by laonlp's dictionary segmenter; both Qt and
ReportLab break lines there, and the character is invisible and dropped again when text is
copied out with `unbreakable`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

ZWSP = "\u200b"
_LAO_RUN = re.compile(r"[\u0e80-\u0eff]{2,}")


@lru_cache(maxsize=1)
def _tokenizer() -> Callable[[str], list[str]]:
    # Imported on first use: it costs a quarter of a second, too much for start-up.
    from laonlp.tokenize import word_tokenize

    tokenize: Callable[[str], list[str]] = word_tokenize  # laonlp ships no type information
    return tokenize


@lru_cache(maxsize=4096)
def breakable(text: str) -> str:
    """`text` with a zero-width space between the words of every Lao run."""
    tokenize = _tokenizer()
    return _LAO_RUN.sub(lambda m: ZWSP.join(tokenize(m.group(0))), text)


def unbreakable(text: str) -> str:
    return text.replace(ZWSP, "")
