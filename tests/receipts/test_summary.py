"""The daily summary: its money is `daybook.day_totals`, to the kip."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from odsc_desk.domain import cash, feedback, payments, service_requests
from odsc_desk.queries import daybook
from odsc_desk.shared.money import format_kip
from receipts import summary
from tests.conftest import Counter
from tests.receipts.conftest import font_dicts, reader, text_of

DAY = date(2026, 11, 26)


@pytest.fixture
def busy_day(open_counter: Counter) -> Counter:
    c = open_counter
    s = c.store
    c.clock.set_local(2026, 11, 20)  # a week earlier: a one-day service, never finished
    late = service_requests.record_request(
        s, c.clerk, service_code="MOHA-BIRTH", citizen_name="ບຸນມີ ແກ້ວມະນີ"
    )
    c.clock.set_local(2026, 11, 26, 9)
    paid = []
    for n, (service, name) in enumerate(
        [
            ("MOIC-ENT-REG", "ສົມສັກ ພົມມະຈັນ"),
            ("MOHA-BIRTH", "Khamla Vongsa"),
            ("MOHA-BIRTH", "ທອງດີ ພົມມະວົງ"),
            ("MPS-ID-CARD", "ແສງຈັນ ສີສຸລາດ"),
            ("MONRE-LAND", "Noy Sisouk"),
        ]
    ):
        c.clock.advance(minutes=50)
        r = service_requests.record_request(s, c.clerk, service_code=service, citizen_name=name)
        method = "transfer" if n == 3 else "cash"
        paid.append(payments.record_payment(s, c.clerk, r["tracking"], method=method))
        feedback.record_feedback(s, c.clerk, r["tracking"], 5 if n % 2 else 3)
    payments.void_payment(s, c.clerk, paid[1]["receipt"], "ບໍລິການຜິດ", c.supervisor)
    payments.refund_payment(s, c.clerk, paid[4]["receipt"], 50_000, "ຄິດໄລ່ເກີນ", c.supervisor)
    expected = cash.expected_cash(s, cash.open_session(s)["id"])
    cash.close_cash(s, c.clerk, expected - 1_000, c.supervisor, "ເງິນທອນຜິດ")
    c.late = late
    return c


def _summary(c: Counter, out: Path) -> tuple[dict, str]:
    result = summary.write_summary(c.store, c.clerk, out, DAY)
    return result, text_of(out)


def test_the_money_is_the_days_totals_to_the_kip(busy_day: Counter, tmp_path: Path):
    result, text = _summary(busy_day, tmp_path / "s.pdf")
    totals = daybook.day_totals(busy_day.store, DAY)
    assert result["totals"] == totals["totals"]
    t = totals["totals"]
    assert totals["totals"]["voided"] == 10_000 and t["refunded"] == 50_000  # the day is busy
    row = " ".join(format_kip(t[k], ",", "ກີບ") for k in ("gross", "voided", "refunded", "net"))
    assert row in text
    squeezed = "".join(text.split())
    for key, name in (("by_service", "service"), ("by_ministry", "ministry")):
        for g in totals[key]:
            # code, name (which may wrap in its cell), count, amount: in that order
            row = f"{g[name]}{g[f'{name}_lo']}/{g[f'{name}_en']}{g['count']}{g['amount']:,}ກີບ"
            assert "".join(row.split()) in squeezed, row
    for g in totals["by_method"]:
        label = {"cash": "ເງິນສົດ / Cash", "transfer": "ໂອນເງິນ / Bank transfer"}[g["method"]]
        assert f"{label} {g['count']} {format_kip(g['amount'], ',', 'ກີບ')}" in text
    count, gross = totals["payments"]["count"], totals["payments"]["amount"]
    assert text.count(f"ລວມ / Total {count} {format_kip(gross, ',', 'ກີບ')}") == 4
    # One drawer: its own line holds the day's cash figures, the reason beside its difference.
    c = totals["cash"]
    assert (
        f"{format_kip(c['expected'], ',', 'ກີບ')} {format_kip(c['counted'], ',', 'ກີບ')}"
        f" -{format_kip(-c['difference'], ',', 'ກີບ')} ເງິນທອນຜິດ" in text
    )
    assert c["difference"] == -1_000


def test_voids_refunds_sessions_staff_feedback_and_overdue(busy_day: Counter, tmp_path: Path):
    result, text = _summary(busy_day, tmp_path / "s.pdf")
    for expected in (
        "ລາຍງານປະຈຳວັນ / Daily summary · 26/11/2026",
        "ບໍລິການຜິດ",
        "ຄິດໄລ່ເກີນ",
        "somchai",
        "26/11/2026 09:00 (noy)",
        "3.80 / 5",  # 3, 5, 3, 5, 3
        busy_day.late["tracking"],
        "ບຸນມີ ແກ້ວມະນີ",
        "23/11/2026",
    ):
        assert expected in text, expected
    assert result["overdue"] == 1


def test_it_is_a4_with_page_numbers_and_embedded_fonts(busy_day: Counter, tmp_path: Path):
    _summary(busy_day, tmp_path / "s.pdf")
    pages = reader(tmp_path / "s.pdf").pages
    assert {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in pages} == {
        (595, 842)
    }
    text = text_of(tmp_path / "s.pdf")
    assert f"ໜ້າ / Page {len(pages)}/{len(pages)}" in text
    assert all("/FontFile2" in f["/FontDescriptor"] for f in font_dicts(tmp_path / "s.pdf"))


def test_an_empty_day(counter: Counter, tmp_path: Path):
    result, text = _summary(counter, tmp_path / "s.pdf")
    assert result["totals"] == {"gross": 0, "voided": 0, "refunded": 0, "net": 0}
    assert "ບໍ່ມີ / none" in text


def test_the_summary_never_overwrites(busy_day: Counter, tmp_path: Path):
    out = tmp_path / "s.pdf"
    out.write_bytes(b"x")
    from odsc_desk.shared.errors import ValidationError

    with pytest.raises(ValidationError):
        _summary(busy_day, out)
    assert out.read_bytes() == b"x"
