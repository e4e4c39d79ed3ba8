"""The new-request form and the payment dialog, driven by keyboard over a real store."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor, Future

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from odsc_desk.domain import service_requests
from odsc_desk.shared.messages import MESSAGES
from odsc_desk.storage.store import open_store
from tests.conftest import FAST_HASHER, Counter
from tests.ui.keys import type_text
from ui.context import CounterContext
from ui.intake import IntakeForm
from ui.payment_dialog import PaymentDialog
from ui.worker import Worker

CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier


class HeldExecutor(Executor):
    """Keeps tasks until `release()`, like a worker still busy with the first save."""

    def __init__(self) -> None:
        self.jobs: list[Callable[[], None]] = []

    def submit(self, fn, /, *args, **kwargs):
        self.jobs.append(lambda: fn(*args, **kwargs))
        return Future()

    def release(self) -> None:
        while self.jobs:
            self.jobs.pop(0)()


def focused() -> QWidget:
    return QApplication.focusWidget()


def press(qtbot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(focused(), key, modifier)


def open_form(ctx: CounterContext, qtbot) -> IntakeForm:
    form = IntakeForm(ctx)
    qtbot.addWidget(form)
    form.resize(1000, 680)
    form.show()
    qtbot.waitExposed(form)
    form.activateWindow()
    qtbot.waitUntil(lambda: focused() is form.picker.search)
    return form


def pick_service(qtbot, form: IntakeForm, search: str) -> None:
    type_text(search)
    press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Up)
    press(qtbot, Qt.Key.Key_Return)
    assert focused() is form.edits["citizen_name"]


def lao(code: str) -> str:
    return MESSAGES[code][0]


def english(code: str) -> str:
    return MESSAGES[code][1]


def requests(counter: Counter) -> list[dict]:
    return counter.store.all("SELECT * FROM requests")


def test_intake_and_payment_by_keyboard_alone(ctx, qtbot, counter_ui):
    form = open_form(ctx, qtbot)
    with qtbot.waitSignal(form.saved) as saved:
        pick_service(qtbot, form, "ເກີດ")
        type_text("ນາງ ນ້ອຍ ສີສະຫວາດ")
        press(qtbot, Qt.Key.Key_Tab)
        type_text("020 5555 1234")
        for _ in range(3):  # past ID number and village, to the first document
            press(qtbot, Qt.Key.Key_Tab)
        assert focused() is form.documents.boxes()[0]
        press(qtbot, Qt.Key.Key_Space)
        press(qtbot, Qt.Key.Key_A, ALT)  # and the other one: all documents handed in
        press(qtbot, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: focused() is getattr(form.payment_dialog, "tendered", None))
    type_text("20,000")
    assert form.payment_dialog.change.text() == "10,000 ກີບ"
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: form.payment_dialog is None)

    [request] = requests(counter_ui)
    assert request["tracking"] == saved.args[0]
    assert (request["service_code"], request["fee"]) == ("MOHA-BIRTH", 10_000)
    assert request["citizen_name"] == "ນາງ ນ້ອຍ ສີສະຫວາດ"
    assert request["phone"] == "02055551234"
    assert request["documents"] == '["BIRTH-NOTICE", "FAMBOOK-COPY"]'
    [payment] = counter_ui.store.all("SELECT * FROM payments")
    assert (payment["request_id"], payment["amount"], payment["method"]) == (
        request["id"],
        10_000,
        "cash",
    )
    assert payment["receipt"] in form.notice.text()
    assert request["tracking"] in form.notice.text()
    qtbot.waitUntil(lambda: focused() is form.picker.search)  # ready for the next citizen


def test_choosing_a_service_shows_fee_and_promised_date(ctx, qtbot, counter_ui):
    form = open_form(ctx, qtbot)
    pick_service(qtbot, form, "enterprise reg")
    # Thursday 26/11/2026: three working days on is Tuesday 1 December.
    assert form.summary.fee.text() == "150,000 ກີບ"
    assert form.summary.date.text() == "ວັນອັງຄານ 01/12/2026"
    assert form.summary.title.text().replace("\u200b", "") == "ການຈົດທະບຽນວິສາຫະກິດ"
    ctx.lang.set("en")
    assert form.summary.fee.text() == "150,000 kip"
    assert form.summary.date.text() == "Tuesday 01/12/2026"
    type_text("Vilay")
    press(qtbot, Qt.Key.Key_A, ALT)
    press(qtbot, Qt.Key.Key_S, CTRL)
    [request] = requests(counter_ui)
    assert request["promised_date"] == "2026-12-01"


def test_search_finds_services_by_code_and_groups_them_by_ministry(ctx, qtbot):
    form = open_form(ctx, qtbot)
    type_text("moha")
    rows = [form.picker.model.index(r, 0) for r in range(form.picker.model.rowCount())]
    headings = [i.data().replace("\u200b", "") for i in rows if i.data(Qt.UserRole + 1) is None]
    assert headings == ["ກະຊວງພາຍໃນ"]
    assert len(rows) == 4  # the ministry, then its three services
    assert form.picker.list.currentIndex() == rows[1]  # Enter picks the first service


def test_validation_message_next_to_the_field_in_lao_then_english(ctx, qtbot, counter_ui):
    form = open_form(ctx, qtbot)
    pick_service(qtbot, form, "birth")
    type_text("Noy")
    press(qtbot, Qt.Key.Key_Tab)
    type_text("12ab")
    press(qtbot, Qt.Key.Key_A, ALT)
    press(qtbot, Qt.Key.Key_S, CTRL)

    label, edit = form.error_labels["phone"], form.edits["phone"]
    assert label.isVisible() and label.text() == lao("phone.invalid")
    below = (
        label.mapTo(form, label.rect().topLeft()).y()
        - edit.mapTo(form, edit.rect().bottomLeft()).y()
    )
    assert 0 <= below <= 12
    assert [f for f, lbl in form.error_labels.items() if lbl.isVisible()] == ["phone"]
    assert focused() is edit
    assert (form.edits["citizen_name"].text(), edit.text()) == ("Noy", "12ab")
    assert form.picker.current["code"] == "MOHA-BIRTH"
    assert requests(counter_ui) == []

    ctx.lang.set("en")
    assert label.text() == english("phone.invalid")
    form.edits["citizen_name"].clear()
    press(qtbot, Qt.Key.Key_S, CTRL)
    assert form.error_labels["citizen_name"].text() == english("name.empty")
    assert not label.isVisible()


def test_saving_without_a_service_says_so_under_the_picker(ctx, qtbot, counter_ui):
    form = open_form(ctx, qtbot)
    form.edits["citizen_name"].setText("Noy")
    press(qtbot, Qt.Key.Key_S, CTRL)
    assert form.picker.error.isVisible()
    assert form.picker.error.text() == "ເລືອກບໍລິການກ່ອນ"
    assert requests(counter_ui) == []


def test_double_submit_records_one_request(counter_ui, lang, qtbot):
    executor = HeldExecutor()
    worker = Worker(
        lambda: open_store(counter_ui.data_dir, clock=counter_ui.clock, hasher=FAST_HASHER),
        executor,
    )
    ctx = CounterContext(
        worker, lang, counter_ui.clerk, counter_ui.store.office, counter_ui.data_dir
    )
    form = open_form(ctx, qtbot)
    executor.release()  # the catalog
    pick_service(qtbot, form, "birth")
    executor.release()  # the promised date
    type_text("Noy")
    press(qtbot, Qt.Key.Key_S, CTRL)
    press(qtbot, Qt.Key.Key_S, CTRL)
    press(qtbot, Qt.Key.Key_Return, CTRL)
    form.save()
    form.save_button.click()
    assert not form.save_button.isEnabled() and not form.pay_button.isEnabled()
    executor.release()
    assert len(requests(counter_ui)) == 1
    assert form.save_button.isEnabled()
    worker.shutdown()


def test_store_error_keeps_the_form_and_a_retry_records_one_request(ctx, qtbot, counter_ui):
    form = open_form(ctx, qtbot)
    ctx.worker.run(lambda store: store.conn.execute("PRAGMA busy_timeout = 50"))
    pick_service(qtbot, form, "birth")
    type_text("ນ້ອຍ")
    press(qtbot, Qt.Key.Key_Tab)
    type_text("02055551234")
    press(qtbot, Qt.Key.Key_A, ALT)
    first_id = form.request_id
    counter_ui.store.conn.execute("BEGIN EXCLUSIVE")  # another program holds the file
    press(qtbot, Qt.Key.Key_S, CTRL)

    assert form.banner.isVisible()
    assert form.banner.text().startswith(lao("store.locked").split(" (")[0])
    assert (form.edits["citizen_name"].text(), form.edits["phone"].text()) == ("ນ້ອຍ", "02055551234")
    assert form.picker.current["code"] == "MOHA-BIRTH"
    assert form.request_id == first_id
    counter_ui.store.conn.execute("ROLLBACK")
    assert requests(counter_ui) == []

    with qtbot.waitSignal(form.saved):
        press(qtbot, Qt.Key.Key_S, CTRL)
    [request] = requests(counter_ui)
    assert request["id"] == first_id
    assert not form.banner.isVisible()
    assert form.edits["citizen_name"].text() == ""
    assert form.request_id != first_id


def record(counter: Counter, fee_service: str = "MOHA-BIRTH") -> dict:
    saved = service_requests.record_request(
        counter.store, counter.clerk, service_code=fee_service, citizen_name="Noy"
    )
    return service_requests.get_request(counter.store, saved["tracking"])


def open_dialog(ctx: CounterContext, qtbot, request: dict) -> PaymentDialog:
    dialog = PaymentDialog(ctx, request)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: focused() is dialog.tendered)
    return dialog


def test_payment_over_the_due_is_refused_in_the_dialog(ctx, qtbot, counter_ui):
    dialog = open_dialog(ctx, qtbot, record(counter_ui))
    assert dialog.amount.text() == "10,000"
    dialog.amount.setText("20000")
    press(qtbot, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert dialog.error_labels["amount"].text() == lao("payment.over").format(due="10,000")
    assert counter_ui.store.all("SELECT * FROM payments") == []

    dialog.amount.setText("10000")  # "10000" and "10,000" are both read as ten thousand
    with qtbot.waitSignal(dialog.accepted):
        press(qtbot, Qt.Key.Key_Return)
    assert dialog.payment["amount"] == 10_000


def test_cash_short_of_the_amount_is_not_sent(ctx, qtbot, counter_ui):
    dialog = open_dialog(ctx, qtbot, record(counter_ui))
    type_text("5,000")
    assert dialog.change.text() == "ຍັງຂາດ 5,000 ກີບ"
    press(qtbot, Qt.Key.Key_Return)
    assert dialog.error_labels["tendered"].isVisible()
    assert dialog.isVisible()
    assert counter_ui.store.all("SELECT * FROM payments") == []


def test_payment_enter_twice_records_one_payment(counter_ui, lang, qtbot):
    executor = HeldExecutor()
    worker = Worker(
        lambda: open_store(counter_ui.data_dir, clock=counter_ui.clock, hasher=FAST_HASHER),
        executor,
    )
    ctx = CounterContext(
        worker, lang, counter_ui.clerk, counter_ui.store.office, counter_ui.data_dir
    )
    dialog = open_dialog(ctx, qtbot, record(counter_ui))
    press(qtbot, Qt.Key.Key_Return)
    press(qtbot, Qt.Key.Key_Return)
    dialog.confirm()
    press(qtbot, Qt.Key.Key_Escape)  # refused while the payment is in flight
    executor.release()
    assert dialog.result() == PaymentDialog.DialogCode.Accepted
    assert len(counter_ui.store.all("SELECT * FROM payments")) == 1
    worker.shutdown()


def test_transfer_needs_no_cash_tendered(ctx, qtbot, counter_ui):
    dialog = open_dialog(ctx, qtbot, record(counter_ui))
    press(qtbot, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    assert focused() is dialog.method
    press(qtbot, Qt.Key.Key_Down)
    assert not dialog.tendered.isVisible()
    with qtbot.waitSignal(dialog.accepted):
        press(qtbot, Qt.Key.Key_Return)
    assert counter_ui.store.scalar("SELECT method FROM payments") == "transfer"


def test_escape_cancels_the_payment(ctx, qtbot, counter_ui):
    dialog = open_dialog(ctx, qtbot, record(counter_ui))
    with qtbot.waitSignal(dialog.rejected):
        press(qtbot, Qt.Key.Key_Escape)
    assert counter_ui.store.all("SELECT * FROM payments") == []


def test_form_speaks_lao_then_english(ctx, qtbot):
    form = open_form(ctx, qtbot)
    assert form.save_button.text() == "ບັນທຶກ (Ctrl+S)"
    ctx.lang.set("en")
    assert form.save_button.text() == "Save (Ctrl+S)"
