"""The appointment slip and the three notices."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from odsc_desk.domain import closures, service_requests, workdays
from odsc_desk.shared.errors import StateError, ValidationError
from receipts import slips
from tests.receipts.conftest import LAO_NAME, LAO_VILLAGE, Paid, reader, text_of


def _slip(paid: Paid, out: Path, fmt: str = "a4") -> str:
    slips.write_slip(paid.store, paid.counter.clerk, paid.request["tracking"], out, fmt)
    return text_of(out)


def test_the_slip_has_the_date_and_the_checklist(paid: Paid, tmp_path: Path):
    text = _slip(paid, tmp_path / "slip.pdf")
    for expected in (
        "ໃບນັດຮັບຜົນ\nAppointment slip",
        paid.request["tracking"],
        LAO_NAME,
        "02055551234",
        "AB123456",
        LAO_VILLAGE,
        "ການຈົດທະບຽນວິສາຫະກິດ",
        "01/12/2026",
        "ຄຳຮ້ອງ / Application form · ໄດ້ຮັບແລ້ວ / received",
        "ສຳເນົາບັດປະຈຳຕົວ / Copy of ID card · ໄດ້ຮັບແລ້ວ / received",
        "ກົດລະບຽບວິສາຫະກິດ / Enterprise charter · ຍັງຂາດ / missing",
        "150,000 ກີບ",
        "noy",
    ):
        assert expected in text, expected


def test_the_slip_on_the_roll(paid: Paid, tmp_path: Path):
    _slip(paid, tmp_path / "slip.pdf", fmt="80mm")
    assert round(float(reader(tmp_path / "slip.pdf").pages[0].mediabox.width), 2) == 226.77


def test_a_slip_with_no_optional_fields(open_counter, tmp_path: Path):
    c = open_counter
    r = service_requests.record_request(
        c.store, c.clerk, service_code="MOHA-BIRTH", citizen_name="Noy"
    )
    slips.write_slip(c.store, c.clerk, r["tracking"], tmp_path / "s.pdf")
    text = text_of(tmp_path / "s.pdf")
    assert "Noy" in text and "ເບີໂທ" not in text
    assert "ຍັງຄ້າງ / Still due" in text  # not paid yet


def _notice(paid: Paid, kind: str, out: Path, tracking: str | None = None) -> dict:
    return slips.write_notice(
        paid.store, paid.counter.clerk, tracking or paid.request["tracking"], kind, out
    )


def test_missing_documents_notice(paid: Paid, tmp_path: Path):
    c = paid.counter
    service_requests.change_status(paid.store, c.clerk, paid.request["tracking"], "incomplete",
                           "ສຳເນົາບັດບໍ່ຈະແຈ້ງ")  # fmt: skip
    _notice(paid, "missing-documents", tmp_path / "n.pdf")
    text = text_of(tmp_path / "n.pdf")
    assert "ໃບແຈ້ງຂໍເອກະສານເພີ່ມເຕີມ\nRequest for additional documents" in text
    assert "ກົດລະບຽບວິສາຫະກິດ / Enterprise charter" in text
    assert "Application form" not in text  # only what is missing
    assert "ສຳເນົາບັດບໍ່ຈະແຈ້ງ" in text


def test_refusal_notice_gives_the_reason(paid: Paid, tmp_path: Path):
    c = paid.counter
    reason = "ເອກະສານບໍ່ຖືກຕ້ອງ (documents not genuine)"
    service_requests.change_status(
        paid.store, c.clerk, paid.request["tracking"], "rejected", reason
    )
    _notice(paid, "refusal", tmp_path / "n.pdf")
    text = text_of(tmp_path / "n.pdf")
    assert "ໃບແຈ້ງປະຕິເສດຄຳຮ້ອງ\nNotice of refusal" in text
    assert reason in text


def test_new_date_for_an_overdue_request(paid: Paid, tmp_path: Path):
    c = paid.counter
    closures.add_closure(paid.store, c.supervisor, date(2026, 12, 9), "ນ້ຳຖ້ວມ")
    c.clock.set_local(2026, 12, 7)  # a Monday, past the promised 1 December
    result = _notice(paid, "new-date", tmp_path / "n.pdf")
    # three working days from Monday 7/12, skipping the 9/12 closure
    expected = workdays.add_working_days(date(2026, 12, 7), 3, workdays.office_closures(paid.store))
    assert result["new_date"] == expected.isoformat() == "2026-12-11"
    text = text_of(tmp_path / "n.pdf")
    assert "ວັນນັດເດີມ / Date first promised" in text and "01/12/2026" in text
    assert "11/12/2026" in text
    # printed, not stored: the request is still overdue against its first date
    assert (
        service_requests.get_request(paid.store, paid.request["tracking"])["promised_date"]
        == "2026-12-01"
    )


@pytest.mark.parametrize(
    ("kind", "code"),
    [
        ("refusal", "notice.not_rejected"),
        ("new-date", "notice.not_overdue"),
    ],
)
def test_notices_that_do_not_fit_are_refused(paid: Paid, tmp_path: Path, kind, code):
    with pytest.raises(StateError) as caught:
        _notice(paid, kind, tmp_path / "n.pdf")
    assert caught.value.code == code
    assert not (tmp_path / "n.pdf").exists()


def test_nothing_missing_is_refused(open_counter, tmp_path: Path):
    c = open_counter
    r = service_requests.record_request(
        c.store, c.clerk, service_code="MOHA-BIRTH", citizen_name="Noy",
        documents=["BIRTH-NOTICE", "FAMBOOK-COPY"],
    )  # fmt: skip
    with pytest.raises(StateError) as caught:
        slips.write_notice(c.store, c.clerk, r["tracking"], "missing-documents", tmp_path / "n.pdf")
    assert caught.value.code == "notice.nothing_missing"


def test_slips_never_overwrite(paid: Paid, tmp_path: Path):
    out = tmp_path / "s.pdf"
    out.write_bytes(b"x")
    with pytest.raises(ValidationError):
        _slip(paid, out)
    assert out.read_bytes() == b"x"


def test_notice_kinds_match_the_command_line():
    from ui.cli.main import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    kind = next(a for a in sub.choices["notice"]._actions if a.dest == "kind")
    assert tuple(kind.choices) == slips.NOTICE_KINDS
