"""The receipt's QR as a link to the centre's check (odsc_desk.shared.public_link): the address
the centre sent (sync_state.public_url) in byte mode, the code in the compact alphanumeric mode,
decoded back from the printed PDF, at the thermal printer's resolution too; the bare code when
no address is known."""

from __future__ import annotations

from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from odsc_desk.api import public_link
from odsc_desk.shared.errors import ValidationError
from odsc_desk.shared.public_link import MAX_LENGTH, clean_address, link
from odsc_desk.storage import sync_state
from receipts.receipt import print_receipt, qr_modules
from tests.receipts.conftest import Paid, png_pages, qr_codes

LONGEST = "https://" + "a" * (MAX_LENGTH - len("https://.la")) + ".la"


def test_the_qr_links_to_the_centre_s_page_for_its_code(paid: Paid, tmp_path: Path) -> None:
    sync_state.record(paid.store, public_url="https://odsc.gov.la")
    result = print_receipt(
        paid.store, paid.counter.clerk, paid.payment["receipt"], tmp_path / "r.pdf"
    )
    assert qr_codes(tmp_path / "r.pdf") == [f"https://odsc.gov.la/v/{result['code']}"]
    assert public_link(paid.store, "v", result["code"]) == f"https://odsc.gov.la/v/{result['code']}"


def test_without_an_address_the_qr_holds_the_bare_code(paid: Paid, tmp_path: Path) -> None:
    assert sync_state.read(paid.store)["public_url"] is None
    result = print_receipt(
        paid.store, paid.counter.clerk, paid.payment["receipt"], tmp_path / "r.pdf"
    )
    assert qr_codes(tmp_path / "r.pdf") == [result["code"]]
    assert public_link(paid.store, "v", result["code"]) == result["code"]


def test_the_longest_address_still_decodes_from_a_203_dpi_print(paid: Paid, tmp_path: Path) -> None:
    """A thermal printer prints 203 dots an inch: the densest QR a receipt can carry still reads
    from an image at that resolution."""
    sync_state.record(paid.store, public_url=clean_address(LONGEST))
    result = print_receipt(
        paid.store, paid.counter.clerk, paid.payment["receipt"], tmp_path / "r.pdf"
    )
    (png,) = png_pages(tmp_path / "r.pdf", dpi=203)
    qr = zxingcpp.BarcodeFormat.QRCode
    found = [code.text for code in zxingcpp.read_barcodes(Image.open(png), formats=qr)]
    assert found == [f"{LONGEST}/v/{result['code']}"]


def test_the_code_goes_in_the_compact_mode(paid: Paid, tmp_path: Path) -> None:
    """The link is no bigger a QR than a code alone in byte mode would be: version 8 (49 modules)
    for the usual address, where all of it in byte mode would take version 10 (57)."""
    code = "ODSC1:VTE-SST-1-2026-000123:150000:202611260900:3F2A9C01B7DE:" + "A" * 103
    assert len(qr_modules(code)) == 45  # version 7, as receipts printed before
    assert len(qr_modules(f"https://odsc.gov.la/v/{code}")) == 49
    assert len(qr_modules(f"{LONGEST}/v/{code}")) <= 57


@pytest.mark.parametrize(
    "given, kept",
    [
        ("https://odsc.gov.la", "https://odsc.gov.la"),
        (" HTTPS://ODSC.Gov.LA/ ", "https://odsc.gov.la"),
        ("https://odsc.gov.la/Public/", "https://odsc.gov.la/Public"),  # a path keeps its case
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
        ("", None),
        (None, None),
    ],
)
def test_an_address_is_kept_in_one_form(given: str | None, kept: str | None) -> None:
    assert clean_address(given) == kept


@pytest.mark.parametrize(
    "bad",
    [
        "odsc.gov.la",
        "ftp://odsc.gov.la",
        "https://",
        "https://odsc.gov.la/?page=1",
        "https://odsc.gov.la/#top",
        "https://user:secret@odsc.gov.la",
        "https://odsc gov.la",
        "https://ອົງການ.la",
        LONGEST + "x",
    ],
)
def test_what_is_not_an_address_is_refused_in_both_languages(bad: str) -> None:
    with pytest.raises(ValidationError) as refused:
        clean_address(bad)
    assert refused.value.code == "public_url.invalid"
    assert "ທີ່ຢູ່ສາທາລະນະ" in refused.value.message_lo
    assert "is not valid" in refused.value.message_en


def test_a_link_is_made_only_of_a_path_and_a_code() -> None:
    assert link(None, "v", "ODSC1:X") == "ODSC1:X"
    assert link("https://odsc.gov.la", "s", "AB-12") == "https://odsc.gov.la/s/AB-12"
    for path, code in [("v/x", "A"), ("V", "A"), ("v", "a b"), ("v", ""), ("v", "A/B")]:
        with pytest.raises(ValueError):
            link("https://odsc.gov.la", path, code)
