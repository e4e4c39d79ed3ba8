"""Amounts in words, whole kip, in Lao and in English, as a receipt writes them out.

Lao wording (verify with a native speaker before a roll-out):
- digits ໜຶ່ງ ສອງ ສາມ ສີ່ ຫ້າ ຫົກ ເຈັດ ແປດ ເກົ້າ, zero ສູນ (only for the amount 0);
- ສິບ is 10 (never "ໜຶ່ງສິບ"), ຊາວ is 20, then ສາມສິບ, ສີ່ສິບ …;
- a final 1 after any higher digit is ເອັດ: ສິບເອັດ 11, ຊາວເອັດ 21, ໜຶ່ງຮ້ອຍເອັດ 101,
  ໜຶ່ງລ້ານເອັດ 1,000,001 (the same rule as Thai ເອັດ/เอ็ด; a lone 1 stays ໜຶ່ງ);
- place words ຮ້ອຍ 100, ພັນ 1,000, ໝື່ນ 10,000, ແສນ 100,000, and ລ້ານ 1,000,000, which
  takes a count of its own: ສິບລ້ານ, ໜຶ່ງຮ້ອຍລ້ານ; a leading 1 is said: ໜຶ່ງແສນ, ໜຶ່ງພັນ;
- no spaces: 150,000 is "ໜຶ່ງແສນຫ້າໝື່ນກີບ".
"""

from __future__ import annotations

LAO_DIGITS = ("", "ໜຶ່ງ", "ສອງ", "ສາມ", "ສີ່", "ຫ້າ", "ຫົກ", "ເຈັດ", "ແປດ", "ເກົ້າ")
LAO_ZERO = "ສູນ"
LAO_ET = "ເອັດ"
LAO_TEN = "ສິບ"
LAO_TWENTY = "ຊາວ"
# Places below a million, highest first: (value, word). Tens are handled on their own.
LAO_PLACES = ((100_000, "ແສນ"), (10_000, "ໝື່ນ"), (1_000, "ພັນ"), (100, "ຮ້ອຍ"))
LAO_MILLION = "ລ້ານ"
LAO_KIP = "ກີບ"

_EN_ONES = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
            "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
            "seventeen", "eighteen", "nineteen")  # fmt: skip
_EN_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty",
            "ninety")  # fmt: skip
_EN_SCALES = ((1_000_000_000_000, "trillion"), (1_000_000_000, "billion"),
              (1_000_000, "million"), (1_000, "thousand"))  # fmt: skip


def _check(amount: int) -> None:
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
        raise ValueError(f"an amount in words is a whole number of kip >= 0, not {amount!r}")


def _lao_below_million(n: int, after_higher: bool) -> str:
    """1 ≤ n < 1,000,000. `after_higher`: digits were said before this group (for ເອັດ)."""
    words = []
    for value, word in LAO_PLACES:
        digit = n // value % 10
        if digit:
            words.append(LAO_DIGITS[digit] + word)
    tens, ones = n // 10 % 10, n % 10
    if tens == 1:
        words.append(LAO_TEN)
    elif tens == 2:
        words.append(LAO_TWENTY)
    elif tens:
        words.append(LAO_DIGITS[tens] + LAO_TEN)
    if ones == 1 and (words or after_higher):
        words.append(LAO_ET)
    elif ones:
        words.append(LAO_DIGITS[ones])
    return "".join(words)


def _lao_number(n: int) -> str:
    if n == 0:
        return LAO_ZERO
    millions, rest = divmod(n, 1_000_000)
    head = _lao_number(millions) + LAO_MILLION if millions else ""
    return head + (_lao_below_million(rest, bool(millions)) if rest else "")


def kip_lao(amount: int) -> str:
    """150000 → "ໜຶ່ງແສນຫ້າໝື່ນກີບ"."""
    _check(amount)
    return _lao_number(amount) + LAO_KIP


def _en_below_thousand(n: int) -> str:
    hundreds, rest = divmod(n, 100)
    words = [f"{_EN_ONES[hundreds]} hundred"] if hundreds else []
    if rest >= 20:
        tens, ones = divmod(rest, 10)
        words.append(_EN_TENS[tens] + (f"-{_EN_ONES[ones]}" if ones else ""))
    elif rest:
        words.append(_EN_ONES[rest])
    return " ".join(words)


def _en_number(n: int) -> str:
    if n == 0:
        return "zero"
    words = []
    for value, word in _EN_SCALES:
        count, n = divmod(n, value)
        if count:
            words.append(f"{_en_number(count)} {word}")
    if n:
        words.append(_en_below_thousand(n))
    return " ".join(words)


def kip_english(amount: int) -> str:
    """150000 → "One hundred fifty thousand kip" (no "and": the cheque style)."""
    _check(amount)
    text = _en_number(amount) + " kip"
    return text[0].upper() + text[1:]
