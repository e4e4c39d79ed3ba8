"""The office's day in the window (docs/OFFICE_SHARING.md, D4, D8): the day tab's last page shows
every counter's figures and the total as fresh as the last office page read, and the history
two counters made impossible (both took the balance while apart); its summary prints on A4.
Real widgets over a real store; counter 2's facts are kept in it as the office pull keeps them
(odsc_desk/storage/office_facts.py), its last page read at 10:42.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from odsc_desk.api import cash, office_day, office_facts, payments, service_requests
from odsc_desk.shared.clock import local_date, local_time_text, stamp
from sync import protocol
from tests.conftest import make_counter
from tests.receipts.conftest import MM, reader
from tests.sync.conftest import outbox_ops
from tests.ui.pdf_printer import PdfPrinters
from tests.ui.test_day_view import _view, kip
from tests.ui.test_printing import ink, look, press_button, set_office


def _paid_twice(tmp_path: Path, counter_ui: Any) -> str:
    """Counter 2 takes a request in and, apart, both counters take its fee."""
    two = make_counter(tmp_path / "two", counter_ui.clock, "VTE-SST", 2)
    device = two.store.office["device_id"]
    as_of = stamp(counter_ui.clock().replace(hour=3, minute=42))  # 10:42 in Vientiane
    kept = 0

    def keep() -> None:
        nonlocal kept
        ops = outbox_ops(two)[kept:]
        facts = [office_facts.Foreign(device, op.seq, op.entity, op.row) for op in ops]
        kept += len(facts)
        office_facts.keep(
            counter_ui.store, [(device, 2, None)], facts, after=kept, as_of=as_of, refused=0
        )

    try:
        cash.open_cash(two.store, two.clerk, 0)
        request = service_requests.record_request(
            two.store, two.clerk, service_code="MOHA-BIRTH", citizen_name="ນາງ ແສງດາວ ພົມມະຈັນ"
        )
        keep()
        office_facts.record_writes(counter_ui.store, protocol.OFFICE_WRITES)
        payments.record_payment(counter_ui.store, counter_ui.clerk, request["tracking"])
        payments.record_payment(two.store, two.clerk, request["tracking"])
        keep()
    finally:
        two.store.close()
    return str(request["tracking"])


def test_the_office_tab_shows_every_counter_and_what_cannot_stand(qtbot, ctx, counter_ui, tmp_path):
    set_office(counter_ui, print_after_payment="now")  # documents go straight to the printer
    tracking = _paid_twice(tmp_path, counter_ui)
    view = _view(ctx, qtbot)
    view.pages.setCurrentWidget(view.office)
    office = view.office
    qtbot.waitUntil(lambda: office.shown is not None)
    as_of = local_time_text(office_facts.state(counter_ui.store)["as_of"] or "")
    assert office.fresh.text() == f"ຂໍ້ມູນຂອງຫ້ອງການເຖິງ {as_of}."
    figures = office_day.office_day(counter_ui.store, local_date(counter_ui.store.now()))
    table = office.table
    cells = [[table.item(r, c).text() for c in range(7)] for r in range(table.rowCount())]
    assert [row[0] for row in cells] == ["1 (ປ່ອງນີ້)", "2", "ລວມ"]
    total = figures["total"]
    assert cells[-1][1:] == [str(total["requests"]), str(total["payments"])] + [
        kip(total[k]) for k in ("gross", "voided", "refunded", "net")
    ]
    clashes = office.clashes.text()
    assert clashes.startswith(f"ຈ່າຍເກີນຄ່າທຳນຽມ: {tracking}, ຄ່າທຳນຽມ {kip(10_000)}")
    assert "VTE-SST-1-2026-" in clashes and "VTE-SST-2-2026-" in clashes
    view.window().resize(1000, 640)
    qtbot.wait(50)
    view.window().grab().save(str(tmp_path / "office-tab.png"))

    # The office summary goes to the A4 printer by the keyboard, as the day's does.
    printers = PdfPrinters(tmp_path)
    office.printing.printers = printers
    with qtbot.waitSignal(office.printing.handed):
        press_button(qtbot, office.print_button)
    [(_, printed)] = printers.jobs
    for page in reader(printed).pages:
        size = (float(page.mediabox.width) / MM, float(page.mediabox.height) / MM)
        assert size == (pytest.approx(210, abs=0.5), pytest.approx(297, abs=0.5))
    assert ink(look(printed, "office-summary-printed")) > 0.005
    assert office.printing.status.text().startswith("ລາຍງານຂອງຫ້ອງການ ວັນທີ 26/11/2026")
