"""The day tab on a long day: it reads nothing while out of sight, changes by the rows that
changed, marks voided and refunded receipts, voids from the selected row or a receipt's last
digits by keyboard, and keeps one drawer's shortage apart from another's overage."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QTabWidget, QWidget

from odsc_desk.domain import cash, payments, service_requests
from odsc_desk.shared.messages import render
from tests.conftest import PASSWORD
from tests.ui.keys import type_text
from ui import day_view
from ui.correction_dialogs import VoidDialog
from ui.day_tables import REFUND_BACKGROUND, VOID_FOREGROUND
from ui.day_view import DayView

RECEIPTS, CORRECTIONS = 1, 7  # the payments table's columns


def _pay(store, clerk, service="MOHA-BIRTH"):
    r = service_requests.record_request(store, clerk, service_code=service, citizen_name="ນ້ອຍ")
    return payments.record_payment(store, clerk, r["tracking"])


def _pay_through_the_worker(ctx, counter):
    """A payment as the counter takes it: written by the worker, which then says `changed`."""
    paid = []
    ctx.worker.run(lambda store: _pay(store, counter.clerk), paid.append, writes=True)
    return paid[0]


def _view(ctx, qtbot) -> DayView:
    view = DayView(ctx)
    qtbot.addWidget(view)
    view.resize(1100, 700)
    view.show()
    view.pages.setCurrentIndex(1)  # the receipts
    return view


def _column(view, col, key="payments"):
    model = view.tables[key].model()
    return [model.index(r, col).data() for r in range(model.rowCount())]


class Signals:
    """Counts what a model tells its views."""

    def __init__(self, model) -> None:
        self.resets, self.inserted, self.changed = 0, [], 0
        model.modelReset.connect(self._reset)
        model.rowsInserted.connect(lambda _p, first, last: self.inserted.append((first, last)))
        model.dataChanged.connect(self._changed)

    def _reset(self) -> None:
        self.resets += 1

    def _changed(self) -> None:
        self.changed += 1


@pytest.fixture
def snapshots(monkeypatch):
    """How many times the day is read from the store."""
    calls = []
    real = day_view.daylist.day_snapshot

    def counted(store, day):
        calls.append(day)
        return real(store, day)

    monkeypatch.setattr(day_view.daylist, "day_snapshot", counted)
    return calls


def test_out_of_sight_the_day_reads_nothing_then_once_when_shown(ctx, counter_ui, qtbot, snapshots):
    tabs = QTabWidget()
    qtbot.addWidget(tabs)
    view = DayView(ctx)
    tabs.addTab(QWidget(), "intake")
    tabs.addTab(view, "day")
    tabs.show()
    signals = Signals(view.tables["payments"].model())
    for _ in range(5):
        _pay_through_the_worker(ctx, counter_ui)
    assert snapshots == []
    assert view.stale and signals.resets == signals.changed == 0 and signals.inserted == []

    tabs.setCurrentWidget(view)
    assert len(snapshots) == 1
    assert not view.stale
    assert view.tables["payments"].model().rowCount() == 5

    # In sight, each write reads the day again, and nothing is read twice on a second show.
    _pay_through_the_worker(ctx, counter_ui)
    assert len(snapshots) == 2
    tabs.setCurrentIndex(0)
    tabs.setCurrentWidget(view)
    assert len(snapshots) == 2


def test_a_new_payment_is_a_new_row_and_a_void_changes_one(ctx, counter_ui, qtbot):
    first = [_pay(counter_ui.store, counter_ui.clerk) for _ in range(3)]
    view = _view(ctx, qtbot)
    table = view.tables["payments"]
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Home)
    qtbot.keyClick(table, Qt.Key.Key_Down)
    assert view.chosen() == first[1]["receipt"]
    signals = Signals(table.model())

    paid = _pay_through_the_worker(ctx, counter_ui)
    assert signals.inserted == [(3, 3)]
    assert signals.resets == 0
    assert _column(view, RECEIPTS)[3] == paid["receipt"]
    assert view.chosen() == first[1]["receipt"]  # the selection stays where it was

    ctx.worker.run(
        lambda store: payments.void_payment(
            store, counter_ui.clerk, first[0]["receipt"], "ຜິດ", counter_ui.supervisor
        ),
        writes=True,
    )
    assert signals.resets == 0 and signals.changed == 1 and len(signals.inserted) == 1
    assert _column(view, CORRECTIONS)[0] == "ຍົກເລີກ"


@pytest.mark.parametrize(
    ("language", "void", "refunded"), [("lo", "ຍົກເລີກ", "ຄືນເງິນ"), ("en", "Void", "Refunded")]
)
def test_voided_and_refunded_receipts_look_different(
    ctx, counter_ui, qtbot, language, void, refunded
):
    ctx.lang.set(language)
    voided, refund, _untouched = (_pay(counter_ui.store, counter_ui.clerk) for _ in range(3))
    payments.void_payment(
        counter_ui.store, counter_ui.clerk, voided["receipt"], "ຜິດ", counter_ui.supervisor
    )
    payments.refund_payment(
        counter_ui.store, counter_ui.clerk, refund["receipt"], "5000", "ເກີນ", counter_ui.supervisor
    )
    view = _view(ctx, qtbot)
    model = view.tables["payments"].model()
    font, fore, back = (
        Qt.ItemDataRole.FontRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.BackgroundRole,
    )
    for col in range(model.columnCount()):
        assert model.index(0, col).data(font).strikeOut()
        assert model.index(0, col).data(fore).color() == VOID_FOREGROUND
        assert model.index(1, col).data(back).color() == REFUND_BACKGROUND
        assert model.index(1, col).data(font) is None  # refunded, not struck: still valid
        assert all(model.index(2, col).data(role) is None for role in (font, fore, back))
    marks = _column(view, CORRECTIONS)
    assert marks[0] == void
    assert marks[1].startswith(refunded) and "5,000" in marks[1]
    assert marks[2] == ""
    # Neither a void again nor a refund of a voided receipt is offered.
    view.tables["payments"].selectRow(0)
    assert not view.void_button.isEnabled() and not view.refund_button.isEnabled()
    view.tables["payments"].selectRow(2)
    assert view.void_button.isEnabled() and view.refund_button.isEnabled()
    view.grab().save(f"/tmp/h/day-long-marks-{language}.png")


def _approve(qtbot, dialog):
    approval = dialog.approval
    approval.user.clear()
    qtbot.keyClicks(approval.user, "somchai")
    qtbot.keyClicks(approval.password, PASSWORD)
    qtbot.keyClick(approval.password, Qt.Key.Key_Return)


def _global_rect(table, row: int) -> QRect:
    rect = table.visualRect(table.model().index(row, 0))
    rect.setLeft(0)
    rect.setWidth(table.viewport().width())
    return QRect(table.viewport().mapToGlobal(rect.topLeft()), rect.size())


def test_void_the_selected_row_by_keyboard_beside_the_list(ctx, counter_ui, qtbot):
    receipts = [_pay(counter_ui.store, counter_ui.clerk)["receipt"] for _ in range(30)]
    view = _view(ctx, qtbot)
    table = view.tables["payments"]
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Down)  # the first row
    qtbot.keyClick(table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(table, Qt.Key.Key_Up)
    assert view.chosen() == receipts[-2]
    qtbot.keyClick(table, Qt.Key.Key_Tab)  # from the list, Tab reaches Void
    assert view.focusWidget() is view.void_button
    qtbot.keyClick(view.void_button, Qt.Key.Key_Space)
    dialog = view.dialog
    assert isinstance(dialog, VoidDialog)
    assert dialog.receipt.text() == receipts[-2]
    # The chosen receipt stays in sight: the dialog covers neither it nor the row under it.
    chosen = _global_rect(table, 28).united(_global_rect(table, 29))
    assert chosen.height() > 0
    assert not dialog.frameGeometry().intersects(chosen)
    view.grab().save("/tmp/h/day-long-void-dialog-view.png")
    type_text("ປ້ອນຜິດ", dialog.reason)
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    _approve(qtbot, dialog)
    assert counter_ui.store.one(
        "SELECT p.receipt FROM voids v JOIN payments p ON p.id = v.payment_id"
    ) == {"receipt": receipts[-2]}
    assert _column(view, CORRECTIONS)[28] == "ຍົກເລີກ"


@pytest.mark.parametrize("language", ["lo", "en"])
def test_void_by_the_receipts_last_digits(ctx, counter_ui, qtbot, language):
    ctx.lang.set(language)
    receipts = [_pay(counter_ui.store, counter_ui.clerk)["receipt"] for _ in range(12)]
    view = _view(ctx, qtbot)
    assert view.chosen() == ""  # nothing selected: the dialog asks which receipt
    view.void_button.setFocus()
    qtbot.keyClick(view.void_button, Qt.Key.Key_Space)
    dialog = view.dialog
    assert dialog.receipt.text() == "" and dialog.focusWidget() is dialog.receipt
    assert "12" in dialog.receipt.placeholderText()

    # A number no receipt of the day ends with is said, and the supervisor is not called.
    qtbot.keyClicks(dialog.receipt, "99")
    qtbot.keyClick(dialog.receipt, Qt.Key.Key_Return)
    lo, en = render("receipt.unknown", receipt="99")
    assert dialog.labels["receipt"].text().replace("\u200b", "") == (lo if language == "lo" else en)
    assert dialog.approval is None

    dialog.receipt.clear()
    qtbot.keyClicks(dialog.receipt, "12")
    qtbot.keyClick(dialog.receipt, Qt.Key.Key_Return)
    assert dialog.receipt.text() == receipts[11]  # written out in full
    assert receipts[11].endswith("-000012")
    assert dialog.approval is None  # no reason yet
    type_text("ຜິດ", dialog.reason)
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    _approve(qtbot, dialog)
    voided = counter_ui.store.one(
        "SELECT p.receipt FROM voids v JOIN payments p ON p.id = v.payment_id"
    )
    assert voided == {"receipt": receipts[11]}


@pytest.mark.parametrize(
    ("language", "short", "over"),
    [("lo", "−10,000 ກີບ", "+5,000 ກີບ"), ("en", "−10,000 kip", "+5,000 kip")],
)
def test_a_short_drawer_and_an_over_one_are_not_netted(
    ctx, counter_ui, qtbot, language, short, over
):
    ctx.lang.set(language)
    store, clerk, supervisor = counter_ui.store, counter_ui.clerk, counter_ui.supervisor
    view = _view(ctx, qtbot)
    captions = [caption.text() for caption, _ in view.summary]
    figures = dict(zip(captions, (value.text() for _, value in view.summary), strict=True))
    labels = ("ເງິນຂາດ", "ເງິນເກີນ") if language == "lo" else ("Short", "Over")
    assert [figures[label] for label in labels] == ["—", "—"]  # no drawer closed yet

    # The float was 100,000: one drawer 10,000 short, then a second one 5,000 over.
    cash.close_cash(store, clerk, 90_000, approver=supervisor, reason="ນັບຜິດ")
    cash.open_cash(store, clerk, 100_000)
    cash.close_cash(store, clerk, 105_000, approver=supervisor, reason="ເງິນທອນ")
    view.refresh()
    figures = {c.text(): v.text() for c, v in view.summary}
    assert [figures[label] for label in labels] == [short, over]
    view.grab().save(f"/tmp/h/day-long-short-over-{language}.png")
