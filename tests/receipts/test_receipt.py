"""The fee receipt: what it says, its paper, its signed QR, COPY/VOID/refund marks, and refusals."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

from odsc_desk.domain import payments, prints, settings, signing
from odsc_desk.domain.receipt_issue import record_receipt_print
from odsc_desk.maintenance import integrity
from odsc_desk.shared import receipt_code
from odsc_desk.shared.errors import NotFoundError, StateError, ValidationError
from receipts import layout, receipt
from receipts.words import kip_english, kip_lao
from tests.conftest import read_only
from tests.receipts.conftest import (
    LAO_NAME,
    MM,
    Paid,
    font_dicts,
    qr_codes,
    reader,
    text_of,
    word_boxes,
)

OFFICE_NAME = "ຫ້ອງການບໍລິການປະຕູດຽວ ເມືອງສີສັດຕະນາກ"
LEGAL = "ດຳລັດວ່າດ້ວຍຄ່າທຳນຽມ ແລະ ຄ່າບໍລິການ ເລກທີ 001/ປທ, 2017"


def _print(paid: Paid, out: Path, **options) -> dict:
    return receipt.print_receipt(
        paid.store, paid.counter.clerk, paid.payment["receipt"], out, **options
    )


def _prints(paid: Paid) -> list[dict]:
    return paid.store.all(
        "SELECT seq, copy, format FROM receipt_prints WHERE payment_id = ? ORDER BY seq",
        (paid.payment["id"],),
    )


def _squeeze(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("fmt", ["a4", "80mm"])
def test_the_receipt_says_everything(paid: Paid, tmp_path: Path, fmt):
    _print(paid, tmp_path / "r.pdf", fmt=fmt)
    text = text_of(tmp_path / "r.pdf")
    if fmt == "80mm":  # lines wrap on the roll: compare without the line breaks
        text = _squeeze(text)
    for expected in (
        OFFICE_NAME,
        "VTE-SST · ປ່ອງບໍລິການ / Counter 1",
        "ໃບຮັບເງິນ / Receipt",
        paid.payment["receipt"],
        "26/11/2026 09:00",  # payment time in Vientiane (the clock says 02:00 UTC)
        LAO_NAME,
        "AB123456",
        "ການຈົດທະບຽນວິສາຫະກິດ",
        "Enterprise registration (MOIC-ENT-REG)",
        paid.request["tracking"],
        "150,000 ກີບ",
        kip_lao(150_000),
        kip_english(150_000),
        "ເງິນສົດ / Cash",
        "noy",
        "01/12/2026",  # three working days after Thursday 26/11
        LEGAL,
    ):
        assert (expected if fmt == "a4" else _squeeze(expected)) in text, expected
    assert "COPY" not in text and "VOID" not in text


def test_the_80mm_roll_is_80mm_wide_and_as_long_as_its_content(paid: Paid, tmp_path: Path):
    _print(paid, tmp_path / "r.pdf")
    (page,) = reader(tmp_path / "r.pdf").pages
    assert round(float(page.mediabox.width), 2) == 226.77
    assert 120 * MM < float(page.mediabox.height) < 260 * MM
    for x0, _, x1, _, word, width, _ in word_boxes(tmp_path / "r.pdf"):
        assert x0 >= 0 and x1 <= width, word


@pytest.mark.parametrize(("fmt", "size"), [("a4", (595.28, 841.89)), ("a5", (419.53, 595.28))])
def test_sheet_formats(paid: Paid, tmp_path: Path, fmt, size):
    _print(paid, tmp_path / "r.pdf", fmt=fmt)
    pages = reader(tmp_path / "r.pdf").pages
    assert len(pages) == 1
    box = pages[0].mediabox
    assert (round(float(box.width), 2), round(float(box.height), 2)) == size
    assert LAO_NAME in text_of(tmp_path / "r.pdf")


def test_fonts_are_embedded(paid: Paid, tmp_path: Path):
    _print(paid, tmp_path / "r.pdf")
    found = font_dicts(tmp_path / "r.pdf")
    assert {str(f["/BaseFont"]).split("+")[1] for f in found} >= {"PhetsarathOT"}
    assert all("/FontFile2" in f["/FontDescriptor"] for f in found)


def test_the_qr_holds_a_code_that_verifies(paid: Paid, tmp_path: Path):
    result = _print(paid, tmp_path / "r.pdf")
    assert qr_codes(tmp_path / "r.pdf") == [result["code"]]
    keys = signing.public_key_map(paid.store)
    claim = receipt_code.verify(result["code"], keys)
    assert (claim.receipt, claim.amount) == (paid.payment["receipt"], 150_000)
    assert claim.at.strftime("%d/%m/%Y %H:%M") == "26/11/2026 09:00"
    assert receipt_code.short_code(result["code"]) in text_of(tmp_path / "r.pdf")


def _change_amount_digit(code: str) -> str:
    head, receipt_no, amount, rest = code.split(":", 3)
    changed = amount[:-1] + str((int(amount[-1]) + 1) % 10)
    return ":".join((head, receipt_no, changed, rest))


def test_a_changed_digit_fails_verification(paid: Paid, tmp_path: Path):
    code = _print(paid, tmp_path / "r.pdf")["code"]
    keys = signing.public_key_map(paid.store)
    with pytest.raises(receipt_code.VerificationError, match="signature"):
        receipt_code.verify(_change_amount_digit(code), keys)
    other = code.replace(paid.payment["receipt"], paid.payment["receipt"][:-1] + "9")
    with pytest.raises(receipt_code.VerificationError):
        receipt_code.verify(other, keys)
    with pytest.raises(receipt_code.VerificationError, match="unknown key"):
        receipt_code.verify(code, {})
    with pytest.raises(receipt_code.VerificationError, match="not an ODSC"):
        receipt_code.verify("hello", keys)


def test_one_key_per_counter_and_the_private_key_stays_home(paid: Paid, tmp_path: Path):
    first = _print(paid, tmp_path / "1.pdf")["code"]
    second = _print(paid, tmp_path / "2.pdf")["code"]
    assert first == second  # Ed25519 is deterministic: a copy carries the same code
    (key,) = signing.public_keys(paid.store)
    assert len(key["public_key"]) == 64 and "private_key" not in key
    private = paid.store.scalar("SELECT private_key FROM counter_keys")
    outbox = " ".join(r[0] or "" for r in paid.store.conn.execute("SELECT payload FROM outbox"))
    assert private not in outbox
    assert "receipt_printed" in {r[0] for r in paid.store.conn.execute("SELECT kind FROM outbox")}


def test_a_second_print_is_a_copy_and_every_print_is_recorded(paid: Paid, tmp_path: Path):
    assert _print(paid, tmp_path / "1.pdf")["copy"] is False
    assert _print(paid, tmp_path / "2.pdf", fmt="a4")["copy"] is True
    assert "ສຳເນົາ / COPY" not in text_of(tmp_path / "1.pdf")
    assert "ສຳເນົາ / COPY · ພິມຄັ້ງທີ / print no. 2" in text_of(tmp_path / "2.pdf")
    assert _prints(paid) == [
        {"seq": 1, "copy": 0, "format": "80mm"},
        {"seq": 2, "copy": 1, "format": "a4"},
    ]
    assert integrity.check_store(paid.store)["ok"]


def test_a_copy_can_be_asked_for(paid: Paid, tmp_path: Path):
    assert _print(paid, tmp_path / "r.pdf", force_copy=True)["copy"] is True
    assert "COPY" in text_of(tmp_path / "r.pdf")
    assert _prints(paid) == [{"seq": 1, "copy": 1, "format": "80mm"}]


def test_a_voided_receipt_says_void_and_why(paid: Paid, tmp_path: Path):
    c = paid.counter
    payments.void_payment(paid.store, c.clerk, paid.payment["receipt"], "ພິມຜິດບໍລິການ", c.supervisor)
    result = _print(paid, tmp_path / "r.pdf")
    text = text_of(tmp_path / "r.pdf")
    assert result["voided"] is True
    assert "ຍົກເລີກ / VOID" in text
    assert "ພິມຜິດບໍລິການ" in text and "somchai" in text


def test_a_refunded_receipt_lists_its_refunds(paid: Paid, tmp_path: Path):
    c = paid.counter
    payments.refund_payment(
        paid.store, c.clerk, paid.payment["receipt"], 50_000, "ຄິດໄລ່ເກີນ", c.supervisor
    )
    _print(paid, tmp_path / "r.pdf")
    text = text_of(tmp_path / "r.pdf")
    assert "ຄືນເງິນແລ້ວ / Refunded 50,000 ກີບ" in text
    assert "ຄິດໄລ່ເກີນ" in text
    assert "VOID" not in text


def test_the_office_money_settings_are_used(paid: Paid, tmp_path: Path):
    c = paid.counter
    settings.set_value(paid.store, c.supervisor, "money_grouping", ".")
    settings.set_value(paid.store, c.supervisor, "money_unit", "₭")
    _print(paid, tmp_path / "r.pdf")
    assert "150.000 ₭" in text_of(tmp_path / "r.pdf")


# -- refusals: nothing written, nothing recorded


def test_an_unknown_receipt(paid: Paid, tmp_path: Path):
    with pytest.raises(NotFoundError) as caught:
        receipt.print_receipt(
            paid.store, paid.counter.clerk, "VTE-SST-1-2026-999999", tmp_path / "r.pdf"
        )
    assert caught.value.code == "receipt.unknown"
    assert not (tmp_path / "r.pdf").exists()


def test_an_existing_file_is_never_overwritten(paid: Paid, tmp_path: Path):
    out = tmp_path / "r.pdf"
    out.write_bytes(b"keep me")
    with pytest.raises(ValidationError) as caught:
        _print(paid, out)
    assert caught.value.code == "file.exists"
    assert out.read_bytes() == b"keep me"
    assert _prints(paid) == []


def test_a_missing_folder(paid: Paid, tmp_path: Path):
    with pytest.raises(ValidationError) as caught:
        _print(paid, tmp_path / "nowhere" / "r.pdf")
    assert caught.value.code == "file.no_folder"
    assert _prints(paid) == []


def test_a_file_that_cannot_be_written_leaves_nothing(
    paid: Paid, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(ValidationError) as caught:
        _print(paid, out / "r.pdf")
    assert caught.value.code == "file.disk_full"
    assert "is full" in caught.value.message_en
    assert list(out.iterdir()) == []  # no file, no temporary left behind
    assert _prints(paid) == []
    assert paid.store.scalar("SELECT COUNT(*) FROM counter_keys") == 0  # rolled back too


def test_a_read_only_folder(paid: Paid, tmp_path: Path):
    folder = tmp_path / "ro"
    folder.mkdir()
    with read_only(folder), pytest.raises(ValidationError) as caught:
        _print(paid, folder / "r.pdf")
    assert caught.value.code == "file.folder_readonly"
    assert list(folder.iterdir()) == []


# -- odd data: documents never crash on what the store holds


def _odd(paid: Paid, **payment: object) -> receipt.ReceiptData:
    data = receipt.load(paid.store, paid.payment["receipt"])
    return dataclasses.replace(data, payment={**data.payment, **payment})


@pytest.mark.parametrize(
    "changes",
    [
        {"citizen_name": "່່່"},  # only combining marks: refused at intake, not here
        {"citizen_name": "ສົມສັກ😀 Phommachanh 中文 ນ້ຳ"},
        {"citizen_name": "ສົມສັກພົມມະຈັນ" * 9, "id_number": "A" * 30},
        {"id_number": None, "citizen_name": "X"},
        {"amount": 999_999_999_999_999, "clerk": "a" * 60},
    ],
    ids=["marks-only", "mixed-and-emoji", "very-long", "empty-optional", "huge-amount"],
)
@pytest.mark.parametrize("fmt", ["80mm", "a4"])
def test_odd_stored_text_prints(paid: Paid, tmp_path: Path, changes, fmt):
    data = _odd(paid, **changes)
    pdf = receipt.build(
        data,
        fmt=fmt,
        code="ODSC1:X:1:202611260900:ABCDEF012345:" + "A" * 103,
        copy=False,
        print_seq=1,
        printed_at=paid.payment["at"],
    )
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    page = layout.PAGES[fmt]
    for x0, _, x1, _, word, width, _ in word_boxes(path):
        assert page.side - 1 <= x0 and x1 <= width - page.side + 1, word


# -- a print and its record go together


def test_a_failure_before_the_commit_leaves_neither(
    paid: Paid, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    out = tmp_path / "out"
    out.mkdir()

    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("power cut")

    monkeypatch.setattr(prints, "record_print", crash)
    with pytest.raises(RuntimeError):
        _print(paid, out / "r.pdf")
    assert list(out.iterdir()) == []
    assert paid.store.scalar("SELECT COUNT(*) FROM counter_keys") == 0
    assert integrity.check_store(paid.store)["ok"]


def test_a_failure_after_the_commit_makes_the_next_print_a_copy(
    paid: Paid, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """Recorded but never put in place: the next print says COPY, so there are never two
    originals of one receipt."""

    def crash(*args: object) -> None:
        raise RuntimeError("power cut")

    with monkeypatch.context() as patch:
        patch.setattr(receipt.output, "publish", crash)
        with pytest.raises(RuntimeError):
            _print(paid, tmp_path / "1.pdf")
    assert not (tmp_path / "1.pdf").exists()
    assert _print(paid, tmp_path / "2.pdf")["copy"] is True
    assert [p["seq"] for p in _prints(paid)] == [1, 2]


def test_swapping_the_key_behind_the_apps_back_fails_the_check(paid: Paid, tmp_path: Path):
    _print(paid, tmp_path / "r.pdf")
    conn = paid.store.conn
    conn.execute("DROP TRIGGER counter_keys_no_update")
    conn.execute("UPDATE counter_keys SET public_key = '00' || substr(public_key, 3)")
    result = integrity.check_store(paid.store)
    assert not result["ok"]
    assert result["problems"][0]["kind"] == "fact.changed"
    assert result["problems"][0]["table"] == "counter_keys"


def test_a_prepared_receipt_counts_only_once_recorded(paid):
    c, receipt_no = paid.counter, paid.payment["receipt"]
    for _ in range(3):  # previews the clerk closed
        _data, _pdf, issued = receipt.receipt_pdf(paid.store, c.clerk, receipt_no)
        assert (issued.print_seq, issued.copy) == (1, False)
    assert prints.print_count(paid.store, paid.payment["id"]) == 0
    record_receipt_print(paid.store, c.clerk, issued)
    _data, _pdf, again = receipt.receipt_pdf(paid.store, c.clerk, receipt_no)
    assert (again.print_seq, again.copy) == (2, True)


def test_a_second_original_is_refused_and_changes_nothing(paid):
    c, receipt_no = paid.counter, paid.payment["receipt"]
    _d, _p, first = receipt.receipt_pdf(paid.store, c.clerk, receipt_no)
    _d, _p, second = receipt.receipt_pdf(paid.store, c.clerk, receipt_no)  # another window
    record_receipt_print(paid.store, c.clerk, first)
    with pytest.raises(StateError) as refused:
        record_receipt_print(paid.store, c.clerk, second)
    assert refused.value.code == "receipt.printed_meanwhile"
    assert "ພິມ" in refused.value.message_lo
    assert prints.print_count(paid.store, paid.payment["id"]) == 1
