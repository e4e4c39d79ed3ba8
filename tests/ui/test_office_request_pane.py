"""Another counter's request in the window (docs/OFFICE_SHARING.md, D2, D8): a citizen back at
counter 1 with a request counter 2 took is found by typing its number, and the pane shows it as
it stands there, marked as counter 2's. Read-only while the centre does not take other
counters' changes: no status move, payment, feedback or print of counter 1's on it. Once it
does, its status moves and its balance is taken from here (on a receipt of counter 1's series),
and the pane shows counter 1's facts among counter 2's. Real widgets over a real store;
counter 2's facts are kept in it as the office pull keeps them
(odsc_desk/storage/office_facts.py), its last page read at 10:42.
"""

from pathlib import Path

from PySide6.QtCore import Qt

from odsc_desk.api import cash, office_facts, payments, service_requests, signing
from odsc_desk.shared import receipt_code
from odsc_desk.shared.clock import local_time_text, stamp
from sync import protocol
from tests.conftest import FakeClock, make_counter
from tests.receipts.conftest import qr_codes
from tests.sync.conftest import outbox_ops
from tests.ui.pdf_printer import PdfPrinters
from tests.ui.test_intake import focused, press
from tests.ui.test_printing import detail_of, look, press_button
from tests.ui.test_requests_view import _select, _view


def _taken_at_counter_two(
    tmp_path: Path, clock: FakeClock, store: object, *, paid: bool = True
) -> str:
    """A request taken, paid (or not) and moved on at counter 2, kept in `store` as pulled."""
    two = make_counter(tmp_path / "two", clock, "VTE-SST", 2)
    try:
        cash.open_cash(two.store, two.clerk, 0)
        request = service_requests.record_request(
            two.store, two.clerk, service_code="MOHA-BIRTH", citizen_name="ນາງ ແສງດາວ ພົມມະຈັນ"
        )
        if paid:
            payments.record_payment(two.store, two.clerk, request["tracking"])
        service_requests.change_status(two.store, two.clerk, request["tracking"], "in_process")
        device = two.store.office["device_id"]
        facts = [office_facts.Foreign(device, op.seq, op.entity, op.row) for op in outbox_ops(two)]
    finally:
        two.store.close()
    as_of = stamp(clock().replace(hour=3, minute=42))  # 10:42 in Vientiane
    office_facts.keep(store, [(device, 2, None)], facts, after=len(facts), as_of=as_of, refused=0)
    return str(request["tracking"])


def test_another_counters_request_is_found_and_shown_read_only(qtbot, ctx, counter_ui, tmp_path):
    tracking = _taken_at_counter_two(tmp_path, counter_ui.clock, counter_ui.store)
    view = _view(qtbot, ctx)
    _select(qtbot, view, tracking)
    detail = view.detail
    assert detail.request["served_at"] == 2
    assert detail.elsewhere.isVisible()
    as_of = local_time_text(office_facts.state(counter_ui.store)["as_of"] or "")
    assert as_of.endswith(" 10:42")
    assert detail.elsewhere.text() == (f"ຮັບຢູ່ປ່ອງ 2: ເບິ່ງໄດ້ຢູ່ນີ້, ບໍລິການຢູ່ປ່ອງນັ້ນ. ຂໍ້ມູນເຖິງ {as_of}.")
    # Its history and receipt name the counter that wrote them.
    assert [e["by"] for e in detail.request["history"]] == ["VTE-SST-2"]
    assert [p["by"] for p in detail.request["payments"]] == ["VTE-SST-2"]
    # Shown as it stands at counter 2: in process, paid.
    assert detail.request["status"] == "in_process" and detail.request["balance"] == 0
    # Nothing of counter 1's to do on it.
    assert not any(button.isEnabled() for button in detail.status_buttons.values())
    assert not any(action.isEnabled() for action in detail.status_actions.values())
    assert not any(button.isVisible() for button in detail.other_buttons)
    assert not detail.pay_action.isEnabled()
    detail.window().grab().save(str(tmp_path / "office-request.png"))

    # An own request shows no such line, and its actions come back.
    own = service_requests.record_request(
        counter_ui.store, counter_ui.clerk, service_code="MOHA-BIRTH", citizen_name="ທ້າວ ສົມ"
    )
    _select(qtbot, view, own["tracking"])
    assert detail.request["served_at"] is None
    assert not detail.elsewhere.isVisible()
    assert any(button.isEnabled() for button in detail.status_buttons.values())


def test_another_counters_request_moves_here_once_the_centre_takes_it(
    qtbot, ctx, counter_ui, tmp_path
):
    tracking = _taken_at_counter_two(tmp_path, counter_ui.clock, counter_ui.store)
    # As the centre's status reply said.
    office_facts.record_writes(counter_ui.store, protocol.OFFICE_WRITES)
    view = _view(qtbot, ctx)
    _select(qtbot, view, tracking)
    detail = view.detail
    as_of = local_time_text(office_facts.state(counter_ui.store)["as_of"] or "")
    assert detail.elsewhere.text() == (f"ຮັບຢູ່ປ່ອງ 2: ປ່ຽນສະຖານະ ແລະ ຮັບເງິນຢູ່ນີ້ກໍ່ໄດ້. ຂໍ້ມູນເຖິງ {as_of}.")
    offered = {s for s, b in detail.status_buttons.items() if b.isEnabled()}
    assert offered == {"ready", "incomplete", "rejected", "withdrawn"}  # from in process
    assert not detail.pay_action.isEnabled()  # paid at counter 2
    # Its receipt prints here as a copy (below); its slip, notices and feedback stay there.
    assert [b for b in detail.other_buttons if b.isVisible()] == [detail.reprint_button]
    detail.status_buttons["ready"].setFocus()
    qtbot.keyClick(detail.status_buttons["ready"], Qt.Key.Key_Space)
    assert detail.request["status"] == "ready" and detail.request["served_at"] == 2
    assert [(e["status"], e["by"]) for e in detail.request["history"]] == [
        ("in_process", "VTE-SST-2"),
        ("ready", counter_ui.clerk.username),
    ]
    assert {s for s, b in detail.status_buttons.items() if b.isEnabled()} == {"collected"}
    # Counter 1's own fact, queued for the centre, naming this device.
    [event] = [op for op in outbox_ops(counter_ui) if op.entity == "status_events"]
    assert event.row["device_id"] == counter_ui.store.office["device_id"]
    qtbot.waitUntil(lambda: detail.record.history.text().count("<br>") == 1)
    qtbot.wait(50)  # the labels' new heights laid out, for the picture
    detail.window().grab().save(str(tmp_path / "office-request-moved.png"))


def test_another_counters_balance_is_taken_here(qtbot, ctx, counter_ui, tmp_path):
    tracking = _taken_at_counter_two(tmp_path, counter_ui.clock, counter_ui.store, paid=False)
    office_facts.record_writes(counter_ui.store, protocol.OFFICE_WRITES)
    view = _view(qtbot, ctx)
    _select(qtbot, view, tracking)
    detail = view.detail
    assert detail.pay_action.isEnabled() and detail.request["balance"] == 10_000
    qtbot.keyClick(view.table, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    dialog = detail.dialog
    qtbot.waitUntil(dialog.tendered.hasFocus)
    qtbot.keyClick(dialog.tendered, Qt.Key.Key_F2)  # the exact amount
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog.tendered, Qt.Key.Key_Return)
    # This counter's receipt, in its own series, on counter 2's request.
    assert dialog.payment is not None and dialog.payment["receipt"].startswith("VTE-SST-1-")
    qtbot.waitUntil(lambda: detail.request["balance"] == 0)
    assert [p["by"] for p in detail.request["payments"]] == [counter_ui.clerk.username]
    assert detail.request["served_at"] == 2 and not detail.pay_action.isEnabled()


def test_a_copy_of_another_counters_receipt_prints_here_once_the_centre_takes_it(
    qtbot, ctx, counter_ui, tmp_path
):
    tracking = _taken_at_counter_two(tmp_path, counter_ui.clock, counter_ui.store)
    # A centre that takes status changes and payments, not copies: no print is offered.
    office_facts.record_writes(counter_ui.store, ["payments", "status_events"])
    printers = PdfPrinters(tmp_path)
    detail = detail_of(ctx, qtbot, tracking, printers)
    assert not detail.reprint_button.isVisible()
    office_facts.record_writes(counter_ui.store, protocol.OFFICE_WRITES)
    detail.show_request(tracking)
    assert detail.reprint_button.isVisible()
    [paid] = detail.request["payments"]
    press_button(qtbot, detail.reprint_button)
    qtbot.waitUntil(lambda: focused() is getattr(detail.printing.preview, "scroll_area", None))
    with qtbot.waitSignal(detail.printing.handed):
        press(qtbot, Qt.Key.Key_Return)
    [(_, printed)] = printers.jobs
    # The paper carries counter 2's receipt number in a code this counter signed.
    [code] = qr_codes(printed)
    claim = receipt_code.parse(code)[0]
    assert claim.receipt == paid["receipt"] and claim.amount == paid["amount"]
    assert receipt_code.verify(code, signing.public_key_map(counter_ui.store))
    # Counter 1's own print of counter 2's receipt, queued for the centre.
    [row] = counter_ui.store.all("SELECT payment_id, seq, copy FROM receipt_prints")
    assert (row["seq"], row["copy"]) == (1, 1)
    assert [op.entity for op in outbox_ops(counter_ui)][-1] == "receipt_prints"
    look(printed, "office-receipt-copy")
