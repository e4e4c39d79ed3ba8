"""The printed words: Lao labels are Lao, and every refusal the documents make has a message."""

import re
from pathlib import Path

import pytest

from odsc_desk.shared.messages import MESSAGES
from receipts.labels import LABELS


@pytest.mark.parametrize("key", sorted(LABELS))
def test_lao_labels_are_lao_not_thai(key):
    lao, english = LABELS[key]
    assert not re.search("[\u0e00-\u0e7f]", lao)
    assert re.search("[\u0e80-\u0eff]", lao)
    assert english and not re.search("[\u0e80-\u0eff]", english)


def test_every_code_the_documents_raise_has_a_message():
    source = "\n".join(
        p.read_text(encoding="utf-8") for p in (Path(__file__).parents[2] / "receipts").glob("*.py")
    )
    raised = set(re.findall(r'(?:Error)\(\s*"([a-z_]+\.[a-z_]+)"', source))
    assert raised >= {"file.no_folder", "notice.not_overdue"}
    assert raised <= set(MESSAGES)
