"""The daily summary's cash, drawer by drawer, its columns kept apart, and its hour chart.

Two drawers on one day: one short by 10,000, one over by 5,000. The summary shows each with its
own float, expected cash, count, difference and reason, and the shortage and the overage apart,
never netted into −5,000.
"""

from __future__ import annotations

import itertools
import re
from datetime import date
from pathlib import Path

import pytest

from odsc_desk.domain import cash, payments, service_requests, users
from odsc_desk.queries import reports
from receipts import charts, summary
from tests.conftest import PASSWORD, Counter
from tests.receipts.conftest import poppler_text, word_boxes

DAY = date(2026, 11, 26)


def _paid(c: Counter, clerk: users.Actor, service: str = "MOHA-BIRTH") -> None:
    r = service_requests.record_request(c.store, clerk, service_code=service, citizen_name="Noy")
    payments.record_payment(c.store, clerk, r["tracking"])


@pytest.fixture
def two_drawers(counter: Counter) -> Counter:
    c, s = counter, counter.store
    bounmy = users.add_user(s, c.supervisor, "bounmy", "clerk", PASSWORD)
    c.clock.set_local(2026, 11, 26, 8)
    cash.open_cash(s, c.clerk, 50_000)
    _paid(c, c.clerk)
    _paid(c, c.clerk)  # expected 70,000
    c.clock.advance(hours=4)
    cash.close_cash(s, c.clerk, 60_000, c.supervisor, "ນັບຜິດ")
    cash.open_cash(s, bounmy, 100_000)
    c.clock.set_local(2026, 11, 26, 17)
    c.clock.advance(minutes=50)
    r = service_requests.record_request(s, bounmy, service_code="MOHA-BIRTH", citizen_name="Ket")
    c.clock.set_local(2026, 11, 26, 19)
    c.clock.advance(minutes=5)
    payments.record_payment(s, bounmy, r["tracking"])  # taken at 19:05; expected 110,000
    cash.close_cash(s, bounmy, 115_000, c.supervisor, "ລືມທອນເງິນ")
    return c


def test_each_drawer_has_its_own_figures_and_reason(two_drawers: Counter):
    figures = reports.day_cash(two_drawers.store, DAY)
    rows = [
        (s["float_amount"], s["expected"], s["counted"], s["difference"], s["reason"])
        for s in figures["sessions"]
    ]
    assert rows == [
        (50_000, 70_000, 60_000, -10_000, "ນັບຜິດ"),
        (100_000, 110_000, 115_000, 5_000, "ລືມທອນເງິນ"),
    ]
    assert (figures["shortages"], figures["overages"]) == (-10_000, 5_000)


def test_the_summary_prints_each_drawer_and_never_nets_them(two_drawers: Counter, tmp_path):
    out = tmp_path / "s.pdf"
    summary.write_summary(two_drawers.store, two_drawers.clerk, out, DAY)
    text = poppler_text(out, "-layout")
    lines = text.splitlines()
    first = next(line for line in lines if "ນັບຜິດ" in line)
    second = next(line for line in lines if "ລືມທອນເງິນ" in line)
    # float, expected, counted, difference, reason, approver: in order, each cell apart.
    assert re.search(
        r"08:00 noy\s{2,}50,000 ກີບ\s{2,}70,000 ກີບ\s{2,}60,000 ກີບ\s{2,}-10,000 ກີບ\s{2,}ນັບຜິດ"
        r"\s{2,}somchai",
        first,
    ), first
    assert re.search(
        r"12:00 bounmy\s{2,}100,000 ກີບ\s{2,}110,000 ກີບ\s{2,}115,000 ກີບ\s{2,}\+5,000 ກີບ"
        r"\s{2,}ລືມທອນເງິນ\s{2,}somchai",
        second,
    ), second
    assert re.search(r"Shortages\s+-10,000 ກີບ", text)
    assert re.search(r"Overages\s+\+5,000 ກີບ", text)
    assert "5,000 ກີບ" not in text.replace("-5,000", "").replace("+5,000", "").replace(
        "15,000", ""
    ), "a netted difference was printed"


def _header_lines(text: str, english: str) -> tuple[str, str]:
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if english in line)
    return lines[at - 1], lines[at]


def test_headers_are_whole_labels_a_lao_line_over_an_english_one(two_drawers: Counter, tmp_path):
    s = two_drawers.store
    receipt = s.scalar("SELECT receipt FROM payments ORDER BY rowid LIMIT 1")
    cash.open_cash(s, two_drawers.clerk, 20_000)  # a third drawer, open: the void goes in it
    payments.void_payment(s, two_drawers.clerk, receipt, "ບໍລິການຜິດ", two_drawers.supervisor)
    out = tmp_path / "s.pdf"
    summary.write_summary(s, two_drawers.clerk, out, DAY)
    text = poppler_text(out, "-layout")
    lao, english = _header_lines(text, "Receipt No.")
    heads = ("Receipt No.", "Amount", "Reason", "by", "approved by", "Time")
    assert re.search(r"\s{2,}".join(re.escape(h) for h in heads), english), english
    assert re.search(r"ເລກທີໃບຮັບເງິນ\s{2,}ເງິນ\s{2,}ເຫດຜົນ\s{2,}ໂດຍ\s{2,}ອະນຸມັດໂດຍ\s{2,}ເວລາ", lao), lao
    lao, english = _header_lines(text, "Expected cash")
    assert re.search(
        r"Session\s{2,}Float\s{2,}Expected cash\s{2,}Counted\s{2,}Difference\s{2,}Reason"
        r"\s{2,}approved by",
        english,
    ), english
    assert "/" not in lao and "ເງິນສົດທີ່ຄວນມີ" in lao


def _line_of(pdf: Path, word: str) -> list[tuple[float, float, str]]:
    """(left, right, text) of the words on the line holding `word`, on its page, left first."""
    for page in poppler_text(pdf, "-bbox").split("<page ")[1:]:
        number = r'"([\d.]+)"'
        found_words = re.finditer(
            rf"<word xMin={number} yMin={number} xMax={number} yMax={number}>(.*)</word>", page
        )
        words = [(float(m[1]), float(m[2]), float(m[3]), float(m[4]), m[5]) for m in found_words]
        found = [w for w in words if w[4] == word]
        if found:
            middle = (found[0][1] + found[0][3]) / 2
            return sorted((w[0], w[2], w[4]) for w in words if w[1] < middle < w[3])
    raise AssertionError(f"{word} not found")


def test_no_two_cells_of_a_cash_row_touch(two_drawers: Counter, tmp_path):
    out = tmp_path / "s.pdf"
    summary.write_summary(two_drawers.store, two_drawers.clerk, out, DAY)
    line = _line_of(out, "somchai")
    # Words closer than a space's width belong to one cell; the cells are what is left.
    cells: list[list[tuple[float, float, str]]] = [[line[0]]]
    for word in line[1:]:
        if word[0] - cells[-1][-1][1] < 5:
            cells[-1].append(word)
        else:
            cells.append([word])
    texts = [" ".join(w[2] for w in cell) for cell in cells]
    assert len(cells) == 7, texts  # time and clerk, float, expected, counted, difference,
    # reason, approver
    gaps = [b[0][0] - a[-1][1] for a, b in itertools.pairwise(cells)]
    assert min(gaps) >= summary.GAP, list(zip(texts, gaps, strict=False))


def test_the_hour_chart_covers_the_evening_payment(two_drawers: Counter, tmp_path):
    activity = reports.day_activity(two_drawers.store, DAY)
    assert 19 not in activity["requests_by_hour"] and 19 in activity["payments_by_hour"]
    hours = charts.day_hours(activity["requests_by_hour"], activity["payments_by_hour"])
    assert list(hours) == list(range(7, 20))
    out = tmp_path / "s.pdf"
    summary.write_summary(two_drawers.store, two_drawers.clerk, out, DAY)
    axis = [w[4] for w in word_boxes(out) if re.fullmatch(r"\d\d", w[4])]
    assert [f"{h:02d}" for h in range(7, 20)] == [a for a in axis if a.startswith(("0", "1"))][-13:]


def test_a_quiet_day_keeps_the_usual_hours():
    assert charts.day_hours({9: 2}, {10: 1}) == range(7, 18)
    assert charts.day_hours({6: 1}, {}) == range(6, 18)
