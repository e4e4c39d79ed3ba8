import pytest

from odsc_desk.shared.errors import ValidationError
from odsc_desk.shared.money import check_amount, parse_amount
from odsc_desk.shared.text import clean_id_number, clean_name, clean_phone, search_key


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("  ສົມສັກ   ພົມມະຈັນ ", "ສົມສັກ ພົມມະຈັນ"),
        ("Somsak Phommachan", "Somsak Phommachan"),
        # Decomposed input (e + combining acute) is stored composed.
        ("Ame\u0301lie", "Amélie"),
    ],
)
def test_names_are_trimmed_and_nfc(raw, clean):
    assert clean_name(raw) == clean


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "name.empty"),
        ("   ", "name.empty"),
        ("12345", "name.no_letters"),
        ("\u0ec8\u0ec9", "name.no_letters"),
        ("\u0ec8ກ", "name.starts_with_mark"),
        ("ກ" * 121, "name.too_long"),
        ("Som\x00sak", "text.control"),
    ],
)
def test_absurd_names_are_refused(raw, code):
    with pytest.raises(ValidationError) as err:
        clean_name(raw)
    assert err.value.code == code
    assert err.value.message_lo and err.value.message_en


def test_phone_keeps_digits_only():
    assert clean_phone("020 5555-1234") == "02055551234"
    assert clean_phone("+856 20 5555 1234") == "+8562055551234"
    assert clean_phone("") is None
    with pytest.raises(ValidationError):
        clean_phone("call me")


def test_id_number_is_upper_without_spaces():
    assert clean_id_number(" ab 123456 ") == "AB123456"
    with pytest.raises(ValidationError):
        clean_id_number("ບັດ 123")


def test_search_key_folds_case():
    assert search_key("  SOMSAK  ") == "somsak"


@pytest.mark.parametrize(
    ("typed", "kip"), [("150000", 150_000), ("150,000", 150_000), ("150.000", 150_000), (5, 5)]
)
def test_amounts_as_typed(typed, kip):
    assert parse_amount(typed, "amount") == kip


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("-5", "amount.negative"),
        ("0", "amount.zero"),
        ("12.5", "amount.not_whole"),
        ("abc", "amount.not_whole"),
        (True, "amount.not_whole"),
        ("100000001", "amount.too_large"),
    ],
)
def test_bad_amounts(typed, code):
    with pytest.raises(ValidationError) as err:
        check_amount(typed, "amount", limit=100_000_000)
    assert err.value.code == code


def test_money_format_follows_the_office_settings(counter):
    from odsc_desk.domain import settings
    from odsc_desk.shared.money import format_kip

    assert format_kip(150_000) == "150,000 ₭"
    settings.set_value(counter.store, counter.admin, "money_grouping", ".")
    settings.set_value(counter.store, counter.admin, "money_unit", "ກີບ")
    grouping = settings.get(counter.store, "money_grouping")
    unit = settings.get(counter.store, "money_unit")
    assert format_kip(1_500_000, grouping, unit) == "1.500.000 ກີບ"
    with pytest.raises(ValidationError) as err:
        settings.set_value(counter.store, counter.admin, "money_unit", "dollars")
    assert err.value.code == "setting.choice"
