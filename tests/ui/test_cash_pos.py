"""Cash at the counter, by keyboard over a real store: quick tender, a transfer's reference, a
drawer opened from inside the payment dialog, and the close counted note by note.

Every dialog here is also checked for cut text: each word-wrapped label is as tall as its text
needs at its width, each other label as wide, in Lao and in English.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QWidget

from odsc_desk.domain import cash, payments, service_requests
from odsc_desk.shared.messages import MESSAGES
from tests.conftest import PASSWORD, Counter
from tests.ui.keys import type_text
from ui.cash_dialogs import CloseSessionDialog, OpenSessionDialog
from ui.context import CounterContext
from ui.payment_dialog import PaymentDialog
from ui.tender import tenders_above

SHOTS = Path("/tmp/h")
KIP = {"lo": "ກີບ", "en": "kip"}


def focused() -> QWidget:
    return QApplication.focusWidget()


def key(qtbot, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(focused(), key, modifier)


def record(counter: Counter, service: str = "MOHA-BIRTH") -> dict:
    saved = service_requests.record_request(
        counter.store, counter.clerk, service_code=service, citizen_name="ນາງ ນ້ອຍ"
    )
    return service_requests.get_request(counter.store, saved["tracking"])


def shown(qtbot, dialog: QDialog) -> QDialog:
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: focused() is not None and focused().window() is dialog)
    return dialog


def cut_labels(dialog: QWidget) -> list[str]:
    """Labels whose text does not fit them: wrapped ones too short, others too narrow."""
    QApplication.processEvents()
    cut = []
    for label in dialog.findChildren(QLabel):
        if not label.isVisible() or not label.text():
            continue
        if label.wordWrap():
            if label.heightForWidth(label.width()) > label.height():
                cut.append(
                    f"{label.text()!r}: {label.height()} of {label.heightForWidth(label.width())}"
                )
        elif label.sizeHint().width() > label.width():
            cut.append(f"{label.text()!r}: {label.width()} of {label.sizeHint().width()} wide")
    return cut


def shoot(dialog: QWidget, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    dialog.grab().save(str(SHOTS / f"{name}.png"))


# -- quick tender -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("amount", "offered"),
    [
        (10_000, [20_000, 50_000, 100_000]),
        (30_000, [40_000, 50_000, 100_000]),
        (1_500, [2_000, 5_000, 10_000]),
        (80_000, [100_000]),
        (25_000, [30_000, 40_000, 50_000]),
        (150_000, [200_000]),
        (100_000, []),
        (0, []),
    ],
)
def test_the_next_notes_above_an_amount(amount, offered):
    assert tenders_above(amount) == offered


@pytest.mark.parametrize("language", ["lo", "en"])
def test_cash_in_two_keys_f2_then_enter(ctx, qtbot, counter_ui, language):
    ctx.lang.set(language)
    dialog = shown(qtbot, PaymentDialog(ctx, record(counter_ui)))
    assert focused() is dialog.tendered
    assert (
        dialog.quick.buttons[0].text()
        == {
            "lo": "F2 ພໍດີ 10,000 ກີບ",
            "en": "F2 Exact 10,000 kip",
        }[language]
    )
    key(qtbot, Qt.Key.Key_F2)
    assert dialog.tendered.text() == "10,000"
    assert dialog.change.text() == f"0 {KIP[language]}"
    with qtbot.waitSignal(dialog.accepted):
        key(qtbot, Qt.Key.Key_Return)
    assert dialog.payment is not None and dialog.payment["amount"] == 10_000
    assert counter_ui.store.scalar("SELECT method FROM payments") == "cash"


@pytest.mark.parametrize("language", ["lo", "en"])
def test_the_next_notes_are_on_f3_to_f5_with_the_change(ctx, qtbot, counter_ui, language):
    ctx.lang.set(language)
    dialog = shown(qtbot, PaymentDialog(ctx, record(counter_ui, "MOHA-MARR")))  # 30,000
    unit = KIP[language]
    labels = [b.text() for b in dialog.quick.buttons if b.isVisible()]
    assert labels[1:] == [f"F3 40,000 {unit}", f"F4 50,000 {unit}", f"F5 100,000 {unit}"]
    shoot(dialog, f"payment-quick-{language}")
    assert cut_labels(dialog) == []
    key(qtbot, Qt.Key.Key_F4)
    assert (dialog.tendered.text(), dialog.change.text()) == ("50,000", f"20,000 {unit}")
    key(qtbot, Qt.Key.Key_F5)
    assert dialog.change.text() == f"70,000 {unit}"
    # The buttons follow the amount: the clerk types a part payment's figure.
    dialog.amount.setText("25,000")
    assert dialog.quick.buttons[1].text() == f"F3 30,000 {unit}"
    dialog.amount.setText("30,000")
    with qtbot.waitSignal(dialog.accepted):
        key(qtbot, Qt.Key.Key_Return)
    assert counter_ui.store.scalar("SELECT amount FROM payments") == 30_000


def test_tab_goes_from_tendered_to_confirm_past_the_quick_buttons(ctx, qtbot, counter_ui):
    dialog = shown(qtbot, PaymentDialog(ctx, record(counter_ui)))
    key(qtbot, Qt.Key.Key_Tab)
    assert focused() is dialog.confirm_button
    key(qtbot, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    key(qtbot, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    assert focused() is dialog.method  # the reference is skipped: it is for transfers


# -- transfer reference -------------------------------------------------------------------------
@pytest.mark.parametrize("language", ["lo", "en"])
def test_a_transfer_takes_its_bank_reference(ctx, qtbot, counter_ui, language):
    ctx.lang.set(language)
    dialog = shown(qtbot, PaymentDialog(ctx, record(counter_ui)))
    key(qtbot, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    assert focused() is dialog.method
    key(qtbot, Qt.Key.Key_Down)
    assert dialog.reference.isVisible() and not dialog.tendered.isVisible()
    assert not dialog.quick.isVisible()
    key(qtbot, Qt.Key.Key_F2)  # no cash, no quick tender
    assert dialog.tendered.text() == ""
    key(qtbot, Qt.Key.Key_Tab)
    assert focused() is dialog.reference
    type_text("BCEL-2611-0042")
    shoot(dialog, f"payment-transfer-{language}")
    assert cut_labels(dialog) == []
    with qtbot.waitSignal(dialog.accepted):
        key(qtbot, Qt.Key.Key_Return)
    assert dialog.payment["reference"] == "BCEL-2611-0042"
    assert counter_ui.store.scalar("SELECT reference FROM payment_references") == "BCEL-2611-0042"


# -- no drawer open -----------------------------------------------------------------------------
@pytest.mark.parametrize("language", ["lo", "en"])
def test_with_no_session_the_dialog_opens_one_first(ctx, qtbot, counter_ui, language):
    request = record(counter_ui)
    cash.close_cash(counter_ui.store, counter_ui.clerk, 100_000)
    ctx.lang.set(language)
    dialog = shown(qtbot, PaymentDialog(ctx, request))
    assert dialog.step.isVisible() and not dialog.fields.isVisible()
    assert focused() is dialog.step.float_amount
    shoot(dialog, f"payment-open-step-{language}")
    assert cut_labels(dialog) == []
    type_text("12,5")
    key(qtbot, Qt.Key.Key_Return)
    error = dialog.step.float_error.text().replace("\u200b", "")
    assert error == MESSAGES["amount.not_whole"][language == "en"]
    assert cash.open_session(counter_ui.store) is None
    dialog.step.float_amount.selectAll()
    type_text("50,000")
    key(qtbot, Qt.Key.Key_Return)  # opens the session, then the payment
    assert cash.open_session(counter_ui.store)["float_amount"] == 50_000
    assert dialog.fields.isVisible() and focused() is dialog.tendered
    assert dialog.amount.text() == "10,000"  # nothing typed or prefilled was lost
    key(qtbot, Qt.Key.Key_F2)
    with qtbot.waitSignal(dialog.accepted):
        key(qtbot, Qt.Key.Key_Return)
    assert counter_ui.store.scalar("SELECT COUNT(*) FROM payments") == 1


def test_a_drawer_left_from_yesterday_is_counted_and_closed_first(ctx, qtbot, counter_ui):
    request = record(counter_ui)
    counter_ui.clock.advance(days=1)
    dialog = shown(qtbot, PaymentDialog(ctx, request))
    assert "26/11/2026" in dialog.step.message.text().replace("\u200b", "")
    assert focused() is dialog.step.close_button
    key(qtbot, Qt.Key.Key_Return)
    closing = dialog.step.closing
    assert isinstance(closing, CloseSessionDialog)
    qtbot.waitUntil(lambda: focused() is closing.counts[100_000])
    type_text("1")  # the float, untouched
    qtbot.keyClick(closing.amount, Qt.Key.Key_Return)
    assert counter_ui.store.scalar("SELECT COUNT(*) FROM cash_closes") == 1
    qtbot.waitUntil(lambda: focused() is dialog.step.float_amount)
    type_text("0")
    key(qtbot, Qt.Key.Key_Return)
    assert focused() is dialog.tendered
    with qtbot.waitSignal(dialog.accepted):
        key(qtbot, Qt.Key.Key_Return)
    assert dialog.payment["business_date"] == "2026-11-27"


# -- closing by count ---------------------------------------------------------------------------
def pay(counter: Counter, service: str = "MOHA-BIRTH") -> None:
    payments.record_payment(counter.store, counter.clerk, record(counter, service)["tracking"])


def closing(ctx: CounterContext, qtbot) -> CloseSessionDialog:
    dialog = shown(qtbot, CloseSessionDialog(ctx))
    qtbot.waitUntil(lambda: focused() is dialog.counts[100_000])
    return dialog


@pytest.mark.parametrize("language", ["lo", "en"])
def test_the_drawer_is_closed_by_counting_its_notes(ctx, qtbot, counter_ui, language):
    pay(counter_ui)  # 100,000 float + 10,000: 110,000 expected
    ctx.lang.set(language)
    dialog = closing(ctx, qtbot)
    unit = KIP[language]
    assert dialog.expected.text() == f"110,000 {unit}"
    type_text("1")
    key(qtbot, Qt.Key.Key_Return)  # Enter moves down a line, like Tab
    assert focused() is dialog.counts[50_000]
    for _ in range(2):
        key(qtbot, Qt.Key.Key_Tab)
    type_text("1")
    assert dialog.subtotals[10_000].text() == f"10,000 {unit}"
    assert dialog.total.text() == f"110,000 {unit}"
    assert f"0 {unit}" in dialog.difference.text()
    shoot(dialog, f"cash-close-{language}")
    assert cut_labels(dialog) == []
    for _ in range(4):
        key(qtbot, Qt.Key.Key_Tab)
    assert focused() is dialog.amount
    with qtbot.waitSignal(dialog.accepted):
        key(qtbot, Qt.Key.Key_Return)
    row = counter_ui.store.one("SELECT notes, other, reason FROM cash_counts")
    assert json.loads(row["notes"]) == {"100000": 1, "10000": 1}
    assert (row["other"], row["reason"]) == (0, None)


@pytest.mark.parametrize("language", ["lo", "en"])
def test_a_difference_asks_a_reason_then_a_supervisor(ctx, qtbot, counter_ui, language):
    pay(counter_ui)  # 110,000 expected
    ctx.lang.set(language)
    dialog = closing(ctx, qtbot)
    type_text("1")  # 100,000: 10,000 short
    text = dialog.difference.text().replace("\u200b", "")
    assert f"−10,000 {KIP[language]}" in text
    assert f"0 {KIP[language]}" in text.splitlines()[1]  # the limit, in this language's unit
    shoot(dialog, f"cash-close-short-{language}")
    assert cut_labels(dialog) == []
    qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)
    assert dialog.isVisible() and focused() is dialog.reason
    assert dialog.reason_error.text().replace("\u200b", "") == MESSAGES["session.reason_required"][
        language == "en"
    ].format(difference="-10,000")
    assert counter_ui.store.scalar("SELECT COUNT(*) FROM cash_closes") == 0
    assert cut_labels(dialog) == []
    type_text("ທອນເງິນຜິດ")
    key(qtbot, Qt.Key.Key_Return)
    approval = dialog.approval
    assert approval is not None and "ທອນເງິນຜິດ" in approval.what.text().replace("\u200b", "")
    approval.user.setText("somchai")
    approval.password.setText(PASSWORD)
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(approval.password, Qt.Key.Key_Return)
    row = counter_ui.store.one(
        "SELECT c.difference, c.approved_by, n.reason FROM cash_closes c"
        " JOIN cash_counts n ON n.close_id = c.id"
    )
    assert (row["difference"], row["reason"]) == (-10_000, "ທອນເງິນຜິດ")
    assert row["approved_by"] == counter_ui.supervisor.id


@pytest.mark.parametrize("typed", ["abc", "-1", "1.5"])
def test_a_bad_count_is_refused_on_its_line_and_nothing_is_closed(ctx, qtbot, counter_ui, typed):
    dialog = closing(ctx, qtbot)
    key(qtbot, Qt.Key.Key_Tab)
    type_text(typed)
    assert dialog.total.text() == "—"
    qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)
    assert dialog.count_error.text().replace("\u200b", "") == MESSAGES["cash.note_count"][0].format(
        note="50,000"
    )
    assert focused() is dialog.counts[50_000]
    assert counter_ui.store.scalar("SELECT COUNT(*) FROM cash_closes") == 0


@pytest.mark.parametrize("language", ["lo", "en"])
def test_the_open_dialog_fits_its_text(ctx, qtbot, counter_ui, language):
    cash.close_cash(counter_ui.store, counter_ui.clerk, 100_000)
    ctx.lang.set(language)
    dialog = shown(qtbot, OpenSessionDialog(ctx))
    type_text("12,5")
    key(qtbot, Qt.Key.Key_Return)
    assert dialog.amount_error.isVisible()
    shoot(dialog, f"cash-open-{language}")
    assert cut_labels(dialog) == []
