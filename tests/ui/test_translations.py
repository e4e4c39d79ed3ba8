"""Every string the window shows has a Lao translation that keeps its placeholders."""

from __future__ import annotations

import re
import shutil
import string
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.conftest import cannot_run_here
from ui.i18n import TRANSLATIONS

UI = TRANSLATIONS.parent
TS_FILES = sorted(TRANSLATIONS.glob("*_lo.ts"))


def _messages(ts: Path) -> list[tuple[str, str, str | None, str | None]]:
    found = []
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            translation = message.find("translation")
            # A plural (%n) entry holds its text in numerusforms: Lao has one form.
            forms = [f.text or "" for f in translation.iter("numerusform")]
            text = " | ".join(forms) if forms else translation.text
            found.append((name, message.findtext("source"), text, translation.get("type")))
    return found


MESSAGES = [m for ts in TS_FILES for m in _messages(ts)]


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_there_are_translations():
    assert len(MESSAGES) > 10


@pytest.mark.parametrize(("context", "source", "lao", "kind"), MESSAGES)
def test_each_string_has_a_lao_translation(context, source, lao, kind):
    assert kind not in ("unfinished", "vanished", "obsolete"), f"{context}: {source!r}"
    assert lao and lao.strip(), f"{context}: {source!r}"
    assert _fields(lao) == _fields(source)
    assert not re.search("[\u0e00-\u0e7f]", lao), "Thai letters in a Lao translation"


def test_no_string_in_the_code_lacks_a_translation(tmp_path):
    lupdate = shutil.which("pyside6-lupdate", path=str(Path(sys.executable).parent))
    if lupdate is None:
        cannot_run_here("pyside6-lupdate is not installed")
    fresh = tmp_path / "all_lo.ts"
    sources = [str(p) for p in sorted(UI.glob("*.py"))]
    subprocess.run([lupdate, *sources, "-ts", str(fresh)], check=True, capture_output=True)
    in_code = {(c, s) for c, s, _, _ in _messages(fresh)}
    translated = {(c, s) for c, s, _, _ in MESSAGES}
    assert sorted(in_code - translated) == []


def _mnemonic(text: str) -> str | None:
    found = re.search(r"&([^&\s])", text.replace("&&", ""))
    return found.group(1).upper() if found else None


@pytest.mark.parametrize(
    ("context", "source", "lao"),
    [(c, s, t) for c, s, t, _ in MESSAGES if _mnemonic(s)],
)
def test_mnemonics_are_latin_letters_in_lao(context, source, lao):
    """Alt+F must open the File menu in Lao too. Qt matches a mnemonic against the key pressed,
    and a Lao keyboard's Alt+letter arrives as the Latin key, so the Lao text carries a Latin
    letter after it, as "ໄຟລ໌ (&F)"; "&ໄຟລ໌" could never be typed."""
    letter = _mnemonic(lao)
    assert letter is not None and letter.isascii() and letter.isalnum(), f"{context}: {lao!r}"
