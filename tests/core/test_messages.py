import re
import string
from pathlib import Path

import pytest

from odsc_desk.shared import messages
from sync import messages as sync_messages

ROOT = Path(__file__).parents[2]
_FIELDS = string.Formatter()
# Each catalog, and the source trees whose refusals it must name.
CATALOGS = {
    "core": (messages.MESSAGES, ("odsc_desk", "receipts", "ui")),
    "sync": (sync_messages.MESSAGES, ("sync",)),
}
ENTRIES = [(name, code) for name, (catalog, _) in CATALOGS.items() for code in sorted(catalog)]


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in _FIELDS.parse(text) if name}


@pytest.mark.parametrize(("catalog", "code"), ENTRIES)
def test_both_languages_take_the_same_placeholders(catalog, code):
    lo, en = CATALOGS[catalog][0][code]
    assert _placeholders(lo) == _placeholders(en)


@pytest.mark.parametrize(("catalog", "code"), ENTRIES)
def test_lao_text_is_lao_not_thai(catalog, code):
    lo, _ = CATALOGS[catalog][0][code]
    # Thai and Lao look alike to a tired typist; Thai letters would print as the wrong script.
    assert not re.search("[\u0e00-\u0e7f]", lo)
    assert re.search("[\u0e80-\u0eff]", lo)


def test_no_code_is_in_two_catalogs():
    assert set(messages.MESSAGES) & set(sync_messages.MESSAGES) == set()


@pytest.mark.parametrize("catalog", sorted(CATALOGS))
def test_every_code_raised_has_a_message(catalog):
    known, trees = CATALOGS[catalog]
    # The centre's refusals and the wire's (sync/server, sync/protocol.py) are for machines:
    # a dotted code and English, no person reads them as they are.
    paths = [
        p
        for tree in trees
        for p in (ROOT / tree).rglob("*.py")
        if "server" not in p.parts and p.name != "protocol.py"
    ]
    assert len(paths) > 5, "the source trees were not found"
    source = "\n".join(p.read_text(encoding="utf-8") for p in paths)
    raised = set(re.findall(r'(?:Error|_problem)\(\s*"([a-z_]+\.[a-z_]+)"', source))
    raised |= set(re.findall(r'^\s+"([a-z_]+\.[a-z_]+)",\s*$', source, flags=re.MULTILINE))
    # Codes of the other catalog are raised through its own error class.
    others = set().union(*(set(c) for name, (c, _) in CATALOGS.items() if name != catalog))
    missing = {code for code in raised if code not in known and code not in others}
    assert not missing
