"""The pane under the request list: everything about one request, and what may happen next.

Only the next legal statuses (TRANSITIONS) are offered; the core still decides, and a
refusal (unpaid, illegal, no reason) is shown in the pane. Details are re-read after every write.
The appointment slip prints from here, and any receipt of the request prints again (as a COPY,
which receipts/ decides from the prints recorded); a fee taken here prints its receipt.
"""

from __future__ import annotations

import html
from itertools import pairwise
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from odsc_desk.api import browse, service_requests
from odsc_desk.shared.clock import local_time_text
from odsc_desk.shared.errors import OdscError
from odsc_desk.shared.laotext import breakable
from ui.context import CounterContext
from ui.i18n import QT_TRANSLATE_NOOP
from ui.printing import DocumentPrinter
from ui.request_record import RequestRecord
from ui.requests_model import day_text, kip, status_label
from ui.status_dialog import FeedbackDialog, ReasonDialog, error_label

if TYPE_CHECKING:
    # Loaded only when a fee is taken (see take_payment).
    from ui.payment_dialog import PaymentDialog

# What the button moving a request to each status says; "…" marks those that ask for a reason.
ACTION_LABELS = {
    "in_process": QT_TRANSLATE_NOOP("RequestDetail", "Mark in process"),
    "ready": QT_TRANSLATE_NOOP("RequestDetail", "Mark ready"),
    "collected": QT_TRANSLATE_NOOP("RequestDetail", "Hand over (collected)"),
    "incomplete": QT_TRANSLATE_NOOP("RequestDetail", "Incomplete…"),
    "rejected": QT_TRANSLATE_NOOP("RequestDetail", "Reject…"),
    "withdrawn": QT_TRANSLATE_NOOP("RequestDetail", "Withdrawn…"),
}
FIELDS = (
    ("citizen_name", QT_TRANSLATE_NOOP("RequestDetail", "Name")),
    ("phone", QT_TRANSLATE_NOOP("RequestDetail", "Phone")),
    ("id_number", QT_TRANSLATE_NOOP("RequestDetail", "ID number")),
    ("village", QT_TRANSLATE_NOOP("RequestDetail", "Village")),
    ("service", QT_TRANSLATE_NOOP("RequestDetail", "Service")),
    ("created_at", QT_TRANSLATE_NOOP("RequestDetail", "Received on")),
    ("promised_date", QT_TRANSLATE_NOOP("RequestDetail", "Promised date")),
    ("fee", QT_TRANSLATE_NOOP("RequestDetail", "Fee")),
    ("paid", QT_TRANSLATE_NOOP("RequestDetail", "Paid")),
    ("balance", QT_TRANSLATE_NOOP("RequestDetail", "Still due")),
)


class RequestDetail(QWidget):
    def __init__(self, ctx: CounterContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.tracking: str | None = None
        self.request: browse.RequestView | None = None
        self.dialog: QDialog | None = None  # the reason, feedback or payment dialog last opened
        self._shown_buttons: list[QPushButton] = []
        self._generation = 0

        self.title = QLabel()
        self.title.setStyleSheet("font-size: 15pt; font-weight: bold;")
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.error = error_label()
        self.form = QFormLayout()
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.field_names: dict[str, QLabel] = {}
        self.values: dict[str, QLabel] = {}
        for key, _ in FIELDS:
            self.field_names[key], self.values[key] = QLabel(), QLabel()
            self.values[key].setWordWrap(True)
            self.values[key].setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.form.addRow(self.field_names[key], self.values[key])
        self.record = RequestRecord(ctx)

        self.status_buttons: dict[str, QPushButton] = {}
        for status in ACTION_LABELS:
            button = QPushButton(self)
            button.hide()
            button.clicked.connect(lambda _=False, s=status: self.change_status(s))
            self.status_buttons[status] = button
        self.pay_action = QAction(self, shortcut=QKeySequence("Ctrl+P"))
        self.pay_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.pay_action.triggered.connect(self.take_payment)
        self.addAction(self.pay_action)
        self.pay_button = QPushButton(self)
        self.pay_button.clicked.connect(self.pay_action.trigger)
        self.feedback_button = QPushButton(self)
        self.feedback_button.clicked.connect(self.enter_feedback)
        self.printing = DocumentPrinter(ctx, self)
        self.slip_button = QPushButton(self)
        self.slip_button.clicked.connect(self.print_slip)
        # One receipt: the button reprints it. Several: it opens a menu of them (Space, arrows).
        self.reprint_button = QPushButton(self)
        self.reprint_button.clicked.connect(lambda: self.reprint())
        self.reprint_menu = QMenu(self)
        self.actions_grid = QGridLayout()

        self.empty = QLabel()
        self.empty.setWordWrap(True)
        # Two columns: who and what with the actions on the left, the record on the right.
        self.body = QWidget()
        left, right = QVBoxLayout(), QVBoxLayout()
        left.addWidget(self.title)
        left.addWidget(self.status)
        left.addLayout(self.actions_grid)
        left.addWidget(self.error)
        left.addWidget(self.printing.status)
        left.addLayout(self.form)
        left.addStretch(1)
        right.addWidget(self.record)
        right.addStretch(1)
        body = QHBoxLayout(self.body)
        body.addLayout(left, 1)
        body.addSpacing(16)
        body.addLayout(right, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.body)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        # Long text wraps instead: a sideways scroll bar would hide half of every line.
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.empty)
        layout.addWidget(scroll)
        self.scroll_area = scroll
        ctx.worker.changed.connect(self.reload)
        self.retranslate()
        self._render()

    # -- loading ------------------------------------------------------------------------------
    def show_request(self, tracking: str | None) -> None:
        if tracking != self.tracking:
            self.error.hide()
        self.tracking = tracking
        self.reload()

    def reload(self) -> None:
        self._generation += 1
        generation, tracking = self._generation, self.tracking
        if tracking is None:
            self.request = None
            self._render()
            return
        self.ctx.worker.run(
            lambda store: browse.request_detail(store, tracking),
            lambda request: self._loaded(generation, request),
            lambda error: self._load_failed(generation, error),
        )

    def _loaded(self, generation: int, request: browse.RequestView) -> None:
        if generation == self._generation:  # a newer selection's answer is on its way
            self.request = request
            self._render()

    def _load_failed(self, generation: int, error: OdscError) -> None:
        if generation == self._generation:
            self.request = None
            self._render()
            self.show_error(error)

    # -- actions ------------------------------------------------------------------------------
    def change_status(self, status: str) -> None:
        if self.request is None:
            return
        tracking = self.request["tracking"]
        self.error.hide()
        if status in service_requests.NEEDS_REASON:
            self.dialog = ReasonDialog(self.ctx, tracking, status, self)
            self.dialog.open()
            return
        actor = self.ctx.actor
        self.ctx.worker.run(
            lambda store: service_requests.change_status(store, actor, tracking, status),
            None,
            self.show_error,
            writes=True,
        )

    def take_payment(self) -> None:
        if self.request is None:
            return
        # Imported here: the payment dialog is its own module, loaded only when a fee is taken.
        from ui.payment_dialog import PaymentDialog

        self.error.hide()
        dialog = PaymentDialog(self.ctx, self.request)
        dialog.finished.connect(lambda _result: self._paid(dialog))
        self.dialog = dialog
        dialog.open()

    def _paid(self, dialog: PaymentDialog) -> None:
        if dialog.payment is not None:
            self.printing.receipt(dialog.payment["receipt"])

    def print_slip(self) -> None:
        if self.request is not None:
            self.printing.slip(self.request["tracking"])

    def reprint(self, receipt: str | None = None) -> None:
        """Print a receipt of this request again (the latest if none is named)."""
        if self.request is None or not self.request["payments"]:
            return
        self.printing.receipt(receipt or self.request["payments"][-1]["receipt"])

    def enter_feedback(self) -> None:
        if self.request is None:
            return
        self.error.hide()
        self.dialog = FeedbackDialog(self.ctx, self.request["tracking"], self)
        self.dialog.open()

    def focus_actions(self) -> bool:
        """Put the focus on the first thing that can be done next; False if there is none."""
        if not self._shown_buttons:
            return False
        self._shown_buttons[0].setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def show_error(self, error: OdscError) -> None:
        self.error.setText(self.ctx.lang.message(error))
        self.error.show()

    # -- showing ------------------------------------------------------------------------------
    def _render(self) -> None:
        request = self.request
        self.empty.setVisible(request is None)
        self.scroll_area.setVisible(request is not None)
        legal = service_requests.TRANSITIONS[request["status"]] if request is not None else ()
        payable = (
            request is not None
            and request["status"] not in service_requests.CLOSED_STATUSES
            and request["balance"] > 0
        )
        self.pay_action.setEnabled(payable)
        shown = [b for s, b in self.status_buttons.items() if s in legal]
        if payable:
            shown.append(self.pay_button)
        if request is not None and request["feedback"] is None:
            shown.append(self.feedback_button)
        if request is not None:
            shown.append(self.slip_button)
            if request["payments"]:
                shown.append(self.reprint_button)
                self._fill_reprint_menu(request["payments"])
        self._place_buttons(shown)
        if request is None:
            return
        self.title.setText(request["tracking"])
        status = html.escape(status_label(request["status"]))
        if request["overdue"]:
            status += ' <span style="color:#b3261e; font-weight:bold;">{}</span>'.format(
                html.escape(self.tr("Overdue"))
            )
        self.status.setText(status)
        service = request["service"]
        values = {
            "citizen_name": request["citizen_name"],
            "phone": request["phone"] or "—",
            "id_number": request["id_number"] or "—",
            "village": request["village"] or "—",
            "service": breakable(f"{service['name_lo']}\n{service['name_en']}"),
            "created_at": local_time_text(request["created_at"]),
            "promised_date": day_text(request["promised_date"]),
            "fee": self.tr("{amount} kip").format(amount=kip(request["fee"])),
            "paid": self.tr("{amount} kip").format(amount=kip(request["paid"])),
            "balance": self.tr("{amount} kip").format(amount=kip(max(request["balance"], 0))),
        }
        for key, value in values.items():
            self.values[key].setText(value)
        self.record.show_request(request)

    def _fill_reprint_menu(self, paid: list[service_requests.RequestPayment]) -> None:
        self.reprint_menu.clear()
        for payment in paid:
            action = self.reprint_menu.addAction(payment["receipt"])
            action.triggered.connect(lambda _=False, r=payment["receipt"]: self.reprint(r))
        menu = self.reprint_menu if len(paid) > 1 else None
        # None takes the menu off (Qt accepts a null menu); PySide6's stub allows only a QMenu.
        self.reprint_button.setMenu(menu)  # type: ignore[arg-type]

    def _place_buttons(self, shown: list[QPushButton]) -> None:
        """Only what may happen next, packed three to a row in the order of the flow."""
        self._shown_buttons = shown
        everything = [*self.status_buttons.values(), self.pay_button, self.feedback_button]
        everything += [self.slip_button, self.reprint_button]
        for button in everything:
            self.actions_grid.removeWidget(button)
            if button not in shown:
                button.hide()
        for n, button in enumerate(shown):
            self.actions_grid.addWidget(button, n // 3, n % 3)
            button.show()
        for first, second in pairwise(shown):
            QWidget.setTabOrder(first, second)

    def retranslate(self) -> None:
        self.empty.setText(self.tr("Select a request in the list to see its details."))
        for key, name in FIELDS:
            self.field_names[key].setText(self.tr(name))
        for status, button in self.status_buttons.items():
            button.setText(self.tr(ACTION_LABELS[status]))
        self.pay_action.setText(self.tr("Take payment"))
        self.pay_button.setText(self.tr("Take payment (Ctrl+P)"))
        self.feedback_button.setText(self.tr("Record feedback…"))
        self.slip_button.setText(self.tr("Print appointment slip"))
        self.reprint_button.setText(self.tr("Print receipt"))
        self._render()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
