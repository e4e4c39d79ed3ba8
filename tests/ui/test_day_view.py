"""The day and cash tab over a real store: figures, voids, refunds and the drawer, by keyboard."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt

from odsc_desk.domain import payments, service_requests, settings
from odsc_desk.queries import daybook
from odsc_desk.shared.errors import AuthError
from odsc_desk.shared.messages import render
from odsc_desk.shared.money import format_kip
from tests.conftest import PASSWORD
from tests.ui.keys import type_text
from ui.approval_dialog import ApprovalDialog
from ui.cash_dialogs import CloseSessionDialog, OpenSessionDialog
from ui.correction_dialogs import RefundDialog, VoidDialog
from ui.day_tables import STRETCH
from ui.day_view import DayView

DAY = date(2026, 11, 26)


def kip(amount: int) -> str:
    """An amount as the day tab writes it with the office's default money format."""
    grouping, unit = (settings.SETTINGS[k].default for k in ("money_grouping", "money_unit"))
    return format_kip(amount, grouping, unit)


def _paid(counter, service, method="cash"):
    r = service_requests.record_request(
        counter.store, counter.clerk, service_code=service, citizen_name="ນ້ອຍ"
    )
    return payments.record_payment(counter.store, counter.clerk, r["tracking"], method=method)


@pytest.fixture
def day(counter_ui):
    """Three receipts: 150,000 and 10,000 in cash, 80,000 by transfer."""
    return [
        _paid(counter_ui, "MOIC-ENT-REG"),
        _paid(counter_ui, "MOHA-BIRTH"),
        _paid(counter_ui, "MPWT-VEH-REG", "transfer"),
    ]


def _view(context, qtbot) -> DayView:
    view = DayView(context)
    qtbot.addWidget(view)
    view.show()
    return view


def _column(view, key, col):
    model = view.tables[key].model()
    return [model.index(r, col).data() for r in range(model.rowCount())]


def _summary(view) -> list[str]:
    return [value.text() for _, value in view.summary]


def plain(text: str) -> str:
    """Shown text without the invisible word breaks added for wrapping."""
    return text.replace("\u200b", "")


def _press(qtbot, button):
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Space)


def _choose_receipt(view, qtbot, receipt):
    """Select the receipt's row with the arrow keys, from the first row."""
    table = view.tables["payments"]
    row = _column(view, "payments", 1).index(receipt)
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Home)
    for _ in range(row):
        qtbot.keyClick(table, Qt.Key.Key_Down)
    assert view.chosen() == receipt


def _void_form(view, qtbot, receipt, reason="ປ້ອນບໍລິການຜິດ") -> VoidDialog:
    _choose_receipt(view, qtbot, receipt)
    _press(qtbot, view.void_button)
    dialog = view.dialog
    assert isinstance(dialog, VoidDialog)
    assert dialog.receipt.text() == receipt
    type_text(reason, dialog.reason)
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    assert isinstance(dialog.approval, ApprovalDialog)
    return dialog


def _approve(qtbot, approval, user, password):
    if user is not None:
        approval.user.clear()
        qtbot.keyClicks(approval.user, user)
    approval.password.clear()
    qtbot.keyClicks(approval.password, password)
    qtbot.keyClick(approval.password, Qt.Key.Key_Return)


def test_day_totals_shown_equal_the_daybook(supervisor_ctx, counter_ui, day, qtbot):
    view = _view(supervisor_ctx, qtbot)
    figures = daybook.day_totals(counter_ui.store, DAY)
    t = figures["totals"]
    assert _summary(view)[:6] == [
        str(figures["requests"]),
        kip(t["gross"]),
        kip(t["voided"]),
        kip(t["refunded"]),
        kip(t["net"]),
        kip(figures["cash"]["expected"]),
    ]
    assert _column(view, "service", 2) == [kip(g["amount"]) for g in figures["by_service"]]
    # Lao names, with the invisible word breaks that let them wrap.
    assert [plain(s) for s in _column(view, "service", 0)] == [
        g["service_lo"] for g in figures["by_service"]
    ]
    assert _column(view, "ministry", 2) == [kip(g["amount"]) for g in figures["by_ministry"]]
    assert _column(view, "clerk", 0) == [g["clerk"] for g in figures["by_clerk"]]
    assert _column(view, "method", 1) == [str(g["count"]) for g in figures["by_method"]]
    assert _column(view, "payments", 1) == [p["receipt"] for p in day]


def test_void_with_a_wrong_password_records_nothing(ctx, counter_ui, day, qtbot):
    view = _view(ctx, qtbot)
    dialog = _void_form(view, qtbot, day[0]["receipt"])
    _approve(qtbot, dialog.approval, "somchai", "not-the-password")
    assert dialog.approval.isVisible()
    assert plain(dialog.approval.password_error.text()) == render("auth.failed")[0]
    assert counter_ui.store.scalar("SELECT COUNT(*) FROM voids") == 0
    assert dialog.isVisible()


def test_a_clerk_cannot_approve_a_void(ctx, counter_ui, day, qtbot):
    view = _view(ctx, qtbot)
    dialog = _void_form(view, qtbot, day[0]["receipt"])
    _approve(qtbot, dialog.approval, "noy", PASSWORD)
    expected = AuthError("auth.not_supervisor", "supervisor", user="noy").message_lo
    assert plain(dialog.approval.user_error.text()) == expected
    assert counter_ui.store.scalar("SELECT COUNT(*) FROM voids") == 0


def test_void_with_the_supervisors_password(ctx, counter_ui, day, qtbot):
    view = _view(ctx, qtbot)
    receipt = day[0]["receipt"]
    dialog = _void_form(view, qtbot, receipt)
    _approve(qtbot, dialog.approval, "somchai", PASSWORD)
    assert not dialog.isVisible()
    row = counter_ui.store.one("SELECT reason, approved_by, by FROM voids")
    assert row == {
        "reason": "ປ້ອນບໍລິການຜິດ",
        "approved_by": counter_ui.supervisor.id,
        "by": counter_ui.clerk.id,
    }
    # The view refreshed on the write: voided and net follow the daybook.
    t = daybook.day_totals(counter_ui.store, DAY)["totals"]
    assert _summary(view)[2:5] == [kip(t["voided"]), kip(t["refunded"]), kip(t["net"])]
    assert t["voided"] == 150_000
    assert "somchai" in _column(view, "corrections", 6)
    assert receipt in view.notice.text()


def test_a_supervisors_own_void_needs_a_second_supervisor(supervisor_ctx, counter_ui, day, qtbot):
    # Four eyes (the office does not allow self-approval): the name is not filled in with the
    # supervisor's own; they type it anyway and are refused in the dialog, nothing recorded.
    view = _view(supervisor_ctx, qtbot)
    dialog = _void_form(view, qtbot, day[0]["receipt"])
    approval = dialog.approval
    assert approval.user.text() == "" and approval.focusWidget() is approval.user
    _approve(qtbot, approval, "somchai", PASSWORD)
    assert approval.isVisible()
    assert plain(approval.user_error.text()) == render("approval.self", user="somchai")[0]
    assert counter_ui.store.scalar("SELECT COUNT(*) FROM voids") == 0
    # A second supervisor (here the admin) types their name and password at the keyboard.
    _approve(qtbot, approval, "admin", PASSWORD)
    assert not dialog.isVisible()
    row = counter_ui.store.one("SELECT by, approved_by FROM voids")
    assert row == {"by": counter_ui.supervisor.id, "approved_by": counter_ui.admin.id}


def test_a_void_without_a_reason_never_calls_the_supervisor(ctx, counter_ui, day, qtbot):
    view = _view(ctx, qtbot)
    _choose_receipt(view, qtbot, day[1]["receipt"])
    _press(qtbot, view.void_button)
    dialog = view.dialog
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    assert dialog.approval is None
    assert plain(dialog.labels["reason"].text()) == render("text.required")[0]


def test_refund_part_of_a_receipt(supervisor_ctx, counter_ui, day, qtbot):
    # A supervisor approving their own refund: a one-person office, which allows it (four eyes
    # otherwise: tests/core/test_four_eyes.py).
    settings.set_value(counter_ui.store, counter_ui.admin, "self_approval", "yes")
    view = _view(supervisor_ctx, qtbot)
    receipt = day[0]["receipt"]
    _choose_receipt(view, qtbot, receipt)
    _press(qtbot, view.refund_button)
    dialog = view.dialog
    assert isinstance(dialog, RefundDialog)
    # What is left to refund is offered; the clerk types the real figure over it.
    assert dialog.amount.text() == "150,000"
    dialog.amount.selectAll()
    qtbot.keyClicks(dialog.amount, "20000")
    type_text("ຄິດໄລ່ເກີນ", dialog.reason)
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    # A supervisor re-enters their own password: the name is filled in for them.
    assert dialog.approval.user.text() == "somchai"
    _approve(qtbot, dialog.approval, None, PASSWORD)
    row = counter_ui.store.one("SELECT amount, reason, approved_by FROM refunds")
    assert row == {"amount": 20_000, "reason": "ຄິດໄລ່ເກີນ", "approved_by": counter_ui.supervisor.id}
    assert _summary(view)[3] == kip(20_000)


def test_close_and_open_the_session_by_keyboard(ctx, counter_ui, day, qtbot):
    view = _view(ctx, qtbot)
    _press(qtbot, view.close_button)
    dialog = view.dialog
    assert isinstance(dialog, CloseSessionDialog)
    # Float 100,000 + 160,000 taken in cash; the transfer never enters the drawer.
    assert dialog.expected.text() == kip(260_000)
    qtbot.keyClicks(dialog.amount, "260,000")
    assert kip(0) in dialog.difference.text()
    qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)
    closed = counter_ui.store.one("SELECT counted, difference, approved_by FROM cash_closes")
    assert closed == {"counted": 260_000, "difference": 0, "approved_by": None}
    assert view.open_button.isEnabled() and not view.close_button.isEnabled()

    view.open_button.setFocus()
    qtbot.keyClick(view.open_button, Qt.Key.Key_Return)
    dialog = view.dialog
    assert isinstance(dialog, OpenSessionDialog)
    qtbot.keyClicks(dialog.amount, "50.000")
    qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)
    assert (
        counter_ui.store.scalar(
            "SELECT float_amount FROM cash_sessions ORDER BY rowid DESC LIMIT 1"
        )
        == 50_000
    )
    assert view.close_button.isEnabled()


def test_a_bad_float_is_refused_next_to_the_field(ctx, counter_ui, qtbot):
    view = _view(ctx, qtbot)
    view.close_button.click()
    qtbot.keyClicks(view.dialog.amount, "100000")
    qtbot.keyClick(view.dialog.amount, Qt.Key.Key_Return)
    _press(qtbot, view.open_button)
    dialog = view.dialog
    qtbot.keyClicks(dialog.amount, "12,5")
    qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert plain(dialog.amount_error.text()) == render("amount.not_whole")[0]
    assert dialog.amount.text() == "12,5"


def test_a_short_drawer_needs_a_supervisors_approval(ctx, counter_ui, day, qtbot):
    view = _view(ctx, qtbot)
    _press(qtbot, view.close_button)
    dialog = view.dialog
    qtbot.keyClicks(dialog.amount, "255000")
    # The difference and the need for a supervisor show before anything is confirmed.
    assert "−" + kip(5_000) in dialog.difference.text()
    assert kip(0) in dialog.difference.text().splitlines()[1]
    qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)
    # A difference asks for its reason first (the core refuses one without), then a supervisor.
    assert dialog.approval is None and dialog.focusWidget() is dialog.reason
    qtbot.keyClicks(dialog.reason, "change given wrongly")
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    assert isinstance(dialog.approval, ApprovalDialog)
    assert "−" + kip(5_000) in plain(dialog.approval.what.text())
    assert counter_ui.store.scalar("SELECT COUNT(*) FROM cash_closes") == 0
    _approve(qtbot, dialog.approval, "somchai", "wrong-password")
    assert counter_ui.store.scalar("SELECT COUNT(*) FROM cash_closes") == 0
    _approve(qtbot, dialog.approval, None, PASSWORD)
    closed = counter_ui.store.one("SELECT difference, approved_by FROM cash_closes")
    assert closed == {"difference": -5_000, "approved_by": counter_ui.supervisor.id}
    assert not dialog.isVisible()
    assert "somchai" in _column(view, "sessions", 7)


def test_another_day_and_back_to_today(ctx, counter_ui, day, qtbot):
    view = _view(ctx, qtbot)
    view.date.setDate(QDate(2026, 11, 25))
    assert view.tables["payments"].model().rowCount() == 0
    assert _summary(view)[1] == kip(0)
    assert view.today.isEnabled()
    _press(qtbot, view.today)
    assert view.date.date() == QDate(2026, 11, 26)
    assert view.tables["payments"].model().rowCount() == 3


def test_the_view_speaks_english_after_a_switch(ctx, counter_ui, day, qtbot):
    view = _view(ctx, qtbot)
    assert view.open_button.text() != "Open cash session…"
    ctx.lang.set("en")
    qtbot.waitUntil(lambda: view.open_button.text() == "Open cash session…")
    names = {plain(s) for s in _column(view, "service", 0)}
    assert names == {
        g["service_en"] for g in daybook.day_totals(counter_ui.store, DAY)["by_service"]
    }


def test_the_approval_dialog_keeps_its_words_across_a_language_switch(ctx, counter_ui, day, qtbot):
    view = _view(ctx, qtbot)
    approval = _void_form(view, qtbot, day[0]["receipt"]).approval
    ctx.lang.set("en")
    qtbot.waitUntil(lambda: approval.windowTitle() == "Supervisor approval")
    assert (approval.ok.text(), approval.cancel.text()) == ("Approve", "Cancel")
    assert approval.what.text().startswith("Void receipt " + day[0]["receipt"])


@pytest.mark.parametrize("language", ["lo", "en"])
def test_every_figure_shows_whole_on_one_line(ctx, counter_ui, day, qtbot, language):
    """Amounts, counts and times are never cut or wrapped ("150,000 / ກີບ"): each column but
    the long text one is at least as wide as its widest cell."""
    ctx.lang.set(language)
    view = _view(ctx, qtbot)
    view.resize(1000, 600)
    qtbot.wait(50)  # the header sizes its sections once the event loop runs
    for key, table in view.tables.items():
        model, header = table.model(), table.horizontalHeader()
        metrics = table.fontMetrics()
        for column in range(model.columnCount()):
            if column == STRETCH.get(key):
                continue
            for row in range(model.rowCount()):
                text = model.index(row, column).data() or ""
                needed = metrics.horizontalAdvance(text)
                assert header.sectionSize(column) >= needed, (key, column, text)
