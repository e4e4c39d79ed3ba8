import re
import string

import pytest

from odsc_desk.messages import MESSAGES

_FIELDS = string.Formatter()


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in _FIELDS.parse(text) if name}


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_both_languages_take_the_same_placeholders(code):
    lo, en = MESSAGES[code]
    assert _placeholders(lo) == _placeholders(en)


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_lao_text_is_lao_not_thai(code):
    lo, _ = MESSAGES[code]
    # Thai and Lao look alike to a tired typist; Thai letters would print as the wrong script.
    assert not re.search("[\u0e00-\u0e7f]", lo)
    assert re.search("[\u0e80-\u0eff]", lo)


def test_every_code_the_core_raises_has_a_message():
    from pathlib import Path

    source = "\n".join(
        p.read_text(encoding="utf-8")
        for p in (Path(__file__).parents[2] / "odsc_desk").glob("*.py")
    )
    raised = set(re.findall(r'(?:Error|_problem)\(\s*"([a-z_]+\.[a-z_]+)"', source))
    raised |= set(re.findall(r'^\s+"([a-z_]+\.[a-z_]+)",\s*$', source, flags=re.MULTILINE))
    missing = {code for code in raised if code not in MESSAGES}
    assert not missing
