"""The pages' words and numbers, without a server: both languages name the same placeholders,
and numbers, money, rates and dates are written the Lao way whatever the locale says."""

from __future__ import annotations

import string
from datetime import date

import pytest

from sync.server.figures.periods import parse_period
from sync.server.web import charts, numbers
from sync.server.web.i18n import STRINGS, pick, tr


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(STRINGS))
def test_both_languages_name_the_same_placeholders(key: str) -> None:
    lao, english = STRINGS[key]
    assert _placeholders(lao) == _placeholders(english)
    assert lao and english


def test_lao_is_the_default_and_english_is_asked_for() -> None:
    assert [pick(v) for v in (None, "", "lo", "en", "fr", "EN")] == [
        "lo", "lo", "lo", "en", "lo", "lo",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("value", "lao", "english"),
    [
        (150_000, "150,000 ກີບ", "150,000 kip"),
        (0, "0 ກີບ", "0 kip"),
        (1_234_567_890, "1,234,567,890 ກີບ", "1,234,567,890 kip"),
        (-5_000, "-5,000 ກີບ", "-5,000 kip"),
    ],
)
def test_money_is_grouped_by_commas(value: int, lao: str, english: str) -> None:
    assert numbers.money(value, "lo") == lao
    assert numbers.money(value, "en") == english


def test_rates_and_means() -> None:
    assert numbers.percent(None) == numbers.DASH
    assert numbers.percent(0.7419) == "74%"
    assert numbers.percent(1.0) == "100%"
    assert numbers.decimal(2.9333, 2) == "2.93"
    assert numbers.decimal(None) == numbers.DASH


def test_dates_are_day_month_year_in_vientiane() -> None:
    assert numbers.day(date(2026, 12, 7)) == "07/12/2026"
    # 17:30 UTC on the 6th is half past midnight on the 7th in Vientiane.
    assert numbers.moment("2026-12-06T17:30:00.000000Z", "lo") == "07/12/2026 00:30"
    assert numbers.moment(None, "lo") == "ບໍ່ເຄີຍ"


@pytest.mark.parametrize(
    ("text", "lao", "english"),
    [
        ("2026-12", "ທັນວາ 2026", "December 2026"),
        ("2026-Q4", "ໄຕມາດ 4 ປີ 2026", "Quarter 4 of 2026"),
        ("2026", "ປີ 2026", "Year 2026"),
        ("2026-10-01..2026-10-31", "01/10/2026 ຫາ 31/10/2026", "01/10/2026 to 31/10/2026"),
    ],
)
def test_periods_are_named_as_people_say_them(text: str, lao: str, english: str) -> None:
    period = parse_period(text)
    assert numbers.period_name(period, "lo") == lao
    assert numbers.period_name(period, "en") == english


def test_the_chart_s_bars_stand_on_the_baseline_and_scale_to_the_top() -> None:
    chart = charts.bar_chart([("a", 0), ("b", 7), ("c", 14)])
    assert [t.text for t in chart.ticks] == ["0", "10", "20"]  # the axis runs to 20
    assert all(b.y + b.height == pytest.approx(chart.baseline) for b in chart.bars)
    assert chart.bars[0].height == 0
    assert chart.bars[2].height == pytest.approx(2 * chart.bars[1].height)
    assert chart.bars[-1].x + chart.bars[-1].width <= chart.width


def test_an_empty_period_draws_an_empty_chart() -> None:
    chart = charts.bar_chart([])
    assert chart.bars == [] and chart.first == chart.last == ""


def test_words_fill_their_placeholders() -> None:
    assert tr("lo", "login_wait", seconds=4) == "ລະຫັດຜ່ານຜິດຫຼາຍເທື່ອ: ກະລຸນາລໍຖ້າ 4 ວິນາທີ ແລ້ວລອງໃໝ່"
    assert tr("en", "previous", value="12") == "Previous period: 12"
