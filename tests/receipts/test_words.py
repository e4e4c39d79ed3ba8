"""Amounts in words: the table the issue asks for, and a few more."""

import re

import pytest

from receipts.words import kip_english, kip_lao

CASES = [
    (0, "ສູນກີບ", "Zero kip"),
    (1, "ໜຶ່ງກີບ", "One kip"),
    (11, "ສິບເອັດກີບ", "Eleven kip"),
    (21, "ຊາວເອັດກີບ", "Twenty-one kip"),
    (101, "ໜຶ່ງຮ້ອຍເອັດກີບ", "One hundred one kip"),
    (1_000, "ໜຶ່ງພັນກີບ", "One thousand kip"),
    (10_000, "ໜຶ່ງໝື່ນກີບ", "Ten thousand kip"),
    (100_000, "ໜຶ່ງແສນກີບ", "One hundred thousand kip"),
    (150_000, "ໜຶ່ງແສນຫ້າໝື່ນກີບ", "One hundred fifty thousand kip"),
    (1_000_001, "ໜຶ່ງລ້ານເອັດກີບ", "One million one kip"),
    (
        999_999_999,
        "ເກົ້າຮ້ອຍເກົ້າສິບເກົ້າລ້ານເກົ້າແສນເກົ້າໝື່ນເກົ້າພັນເກົ້າຮ້ອຍເກົ້າສິບເກົ້າກີບ",
        "Nine hundred ninety-nine million nine hundred ninety-nine thousand"
        " nine hundred ninety-nine kip",
    ),
    # beyond the table
    (10, "ສິບກີບ", "Ten kip"),
    (20, "ຊາວກີບ", "Twenty kip"),
    (31, "ສາມສິບເອັດກີບ", "Thirty-one kip"),
    (110, "ໜຶ່ງຮ້ອຍສິບກີບ", "One hundred ten kip"),
    (1_000_000, "ໜຶ່ງລ້ານກີບ", "One million kip"),
    (21_000_000, "ຊາວເອັດລ້ານກີບ", "Twenty-one million kip"),
    (30_000, "ສາມໝື່ນກີບ", "Thirty thousand kip"),
]


@pytest.mark.parametrize(("amount", "lao", "english"), CASES, ids=[str(c[0]) for c in CASES])
def test_amount_in_words(amount, lao, english):
    assert kip_lao(amount) == lao
    assert kip_english(amount) == english


def test_the_domain_example_exactly():
    # Copied from the domain notes: the same code points (ໜ U+0EDC, ໝ U+0EDD), not look-alikes.
    assert (
        kip_lao(150_000) == "\u0edc\u0eb6\u0ec8\u0e87\u0ec1\u0eaa\u0e99\u0eab\u0ec9\u0eb2"
        "\u0edd\u0eb7\u0ec8\u0e99\u0e81\u0eb5\u0e9a"
    )


@pytest.mark.parametrize("amount", [0, 7, 21, 150_000, 999_999_999, 10**14 + 1])
def test_lao_words_are_lao_letters_only(amount):
    assert re.fullmatch("[\u0e80-\u0eff]+", kip_lao(amount))


@pytest.mark.parametrize("bad", [-1, 1.5, True, "150000", None])
def test_only_whole_kip(bad):
    with pytest.raises(ValueError):
        kip_lao(bad)
    with pytest.raises(ValueError):
        kip_english(bad)
