"""The appointment slip's QR: a slip code signed with the counter's key, decoded from the real
PDF with zxing-cpp, and checked with the counter's public key alone; and the typed lookup's hint
only on the slip of a request with a phone."""

from __future__ import annotations

from pathlib import Path

import pytest

from odsc_desk.domain import service_requests, signing
from odsc_desk.shared import slip_code
from odsc_desk.shared.receipt_code import VerificationError
from odsc_desk.storage import sync_state
from receipts import slips
from tests.receipts.conftest import Paid, png_pages, qr_codes, text_of


@pytest.mark.parametrize("fmt", ["80mm", "a5", "a4"])
def test_the_slips_qr_decodes_to_a_code_the_counters_key_signed(
    paid: Paid, tmp_path: Path, fmt: str
) -> None:
    out = tmp_path / f"slip-{fmt}.pdf"
    slips.write_slip(paid.store, paid.counter.clerk, paid.request["tracking"], out, fmt)
    (code,) = qr_codes(out)
    claim = slip_code.verify(code, signing.public_key_map(paid.store))
    assert claim.tracking == paid.request["tracking"]
    assert code.startswith(f"ODSS1:{paid.request['tracking']}:")
    text = " ".join(text_of(out).split())  # lines wrap on the roll
    assert "Scan to follow your request and rate us" in text
    assert "last 4 digits of your phone at /status" in text
    assert len(png_pages(out)) == 1  # still one page (one roll length on 80 mm)


def test_a_reprint_carries_the_same_code(paid: Paid, tmp_path: Path) -> None:
    tracking = paid.request["tracking"]
    first = signing.make_slip_code(paid.store, paid.counter.clerk.id, tracking)
    assert signing.make_slip_code(paid.store, paid.counter.clerk.id, tracking) == first


def test_no_phone_no_typed_lookup_hint(open_counter, tmp_path: Path) -> None:
    c = open_counter
    r = service_requests.record_request(
        c.store, c.clerk, service_code="MOHA-BIRTH", citizen_name="Noy"
    )
    slips.write_slip(c.store, c.clerk, r["tracking"], tmp_path / "s.pdf")
    assert len(qr_codes(tmp_path / "s.pdf")) == 1
    assert "/status" not in text_of(tmp_path / "s.pdf")


def test_altered_forged_and_malformed_codes_are_refused(paid: Paid) -> None:
    tracking = paid.request["tracking"]
    code = signing.make_slip_code(paid.store, paid.counter.clerk.id, tracking)
    keys = signing.public_key_map(paid.store)
    # Another tracking number under the same signature.
    last = tracking[-1]
    other = tracking[:-1] + ("1" if last != "1" else "2")
    with pytest.raises(VerificationError) as forged:
        slip_code.verify(code.replace(tracking, other), keys)
    assert forged.value.code == "slip_code.forged"
    # Any changed signature character, the last one's spare bits included.
    for at in (-1, -50, -103):
        for letter in "A7Q":
            changed = code[:at] + letter + (code[at + 1 :] if at != -1 else "")
            if changed == code:
                continue
            with pytest.raises(VerificationError) as refused:
                slip_code.verify(changed, keys)
            assert refused.value.code in ("slip_code.forged", "slip_code.malformed")
    # A key nobody knows.
    with pytest.raises(VerificationError) as unknown:
        slip_code.verify(code, {})
    assert unknown.value.code == "slip_code.unknown_key"
    assert "unknown key" in unknown.value.message_en and "ກະແຈ" in unknown.value.message_lo
    # A receipt's code is no slip code, nor is anything else.
    for text in ("", "ODSS1:", "ODSC1:X:1:202611260900:3F2A9C01B7DE:AAAA", code + "A"):
        with pytest.raises(VerificationError) as bad:
            slip_code.verify(text, keys)
        assert bad.value.code == "slip_code.malformed"


@pytest.mark.parametrize("fmt", ["80mm", "a4"])
def test_with_the_centre_s_address_the_qr_is_a_link_to_its_page(
    paid: Paid, tmp_path: Path, fmt: str
) -> None:
    """A counter that knows the centre's public address (sent at enrollment and on every
    reference answer) prints the slip's code as a link to the centre's status page, and the
    typed lookup's full address."""
    sync_state.record(paid.store, public_url="https://odsc.example.la")
    out = tmp_path / f"slip-{fmt}.pdf"
    slips.write_slip(paid.store, paid.counter.clerk, paid.request["tracking"], out, fmt)
    (text,) = qr_codes(out)
    address, _, code = text.partition("/s/")
    assert address == "https://odsc.example.la"
    assert (
        slip_code.verify(code, signing.public_key_map(paid.store)).tracking
        == (paid.request["tracking"])
    )
    assert "phone at https://odsc.example.la/status" in " ".join(text_of(out).split())
    assert len(png_pages(out)) == 1
