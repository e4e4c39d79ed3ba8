"""canonical() (odsc_desk/shared/canonical.py) writes a row of text and whole numbers by orjson
and anything else by json.dumps: the two must give the very same bytes, or every digest a
counter ever sent, and every link of its audit chain, would stop matching.

- Generated rows (hypothesis) of text over every Unicode character, whole numbers up to 64 bits,
  booleans and nulls: canonical() is byte for byte what json.dumps made of it.
- Every character alone, the control characters and the quote and backslash among them.
- What takes json.dumps's way (a float, a nested object, a number past 64 bits, a key that is
  not text) comes out as json.dumps writes it, and a row json.dumps cannot write still fails.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from odsc_desk.shared.canonical import canonical


def by_json(row: dict[Any, Any]) -> bytes:
    """canonical() as it was before orjson: the one definition the bytes are held to."""
    present = {k: v for k, v in row.items() if v is not None}
    return json.dumps(present, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


texts = st.text(st.characters(codec="utf-8"), max_size=40)
values = st.one_of(
    texts,
    st.integers(min_value=-(2**63), max_value=2**64 - 1),
    st.booleans(),
    st.none(),
)


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(texts, values, max_size=25))
def test_a_row_of_text_and_numbers_is_what_json_dumps_wrote(row: dict[str, Any]) -> None:
    assert canonical(row) == by_json(row)


def test_every_character_is_written_as_json_dumps_writes_it() -> None:
    characters = [chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF]
    # In runs, so a difference names its neighbourhood; the control characters one by one.
    for start in range(0, 0x80):
        row = {"k": characters[start], "é": f"a{characters[start]}b"}
        assert canonical(row) == by_json(row), hex(start)
    for start in range(0x80, len(characters), 512):
        row = {"k": "".join(characters[start : start + 512])}
        assert canonical(row) == by_json(row), hex(ord(characters[start]))


@pytest.mark.parametrize(
    "row",
    [
        {"fee": 1.5, "code": "A"},
        {"fee": 1e16},
        {"services": [{"code": "A", "fee": 5000}], "label": "ສະບັບ 1"},
        {"big": 2**64},
        {"small": -(2**63) - 1},
        {1: "a", 2: "b"},
    ],
    ids=["float", "exponent", "nested", "past-64-bits", "below-64-bits", "number-key"],
)
def test_what_orjson_is_not_given_is_written_by_json_dumps(row: dict[Any, Any]) -> None:
    assert canonical(row) == by_json(row)


def test_a_row_json_dumps_cannot_write_still_fails() -> None:
    with pytest.raises(UnicodeEncodeError):
        canonical({"k": "\ud800"})  # a lone surrogate is no UTF-8
