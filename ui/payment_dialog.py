"""Taking a fee: the amount due prefilled, cash or transfer, and the change worked out live.

Confirming is idempotent (one payment id per dialog): Enter pressed twice, or a retry after an
error, records one payment. The core's refusals (no cash session, more than is due) are shown
in the dialog, which stays open with what was typed.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from odsc_desk.api import payments, service_requests
from odsc_desk.shared.errors import OdscError, ValidationError
from odsc_desk.shared.ids import new_id
from odsc_desk.shared.laotext import breakable
from odsc_desk.shared.money import parse_amount
from ui.context import CounterContext
from ui.service_picker import local_name
from ui.widgets import BANNER_STYLE, ERROR_STYLE, NOTICE_STYLE, error_label


class PaymentDialog(QDialog):
    def __init__(
        self,
        ctx: CounterContext,
        request: service_requests.RequestDetail,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.request = request
        self.payment_id = new_id()
        self.payment: payments.PaymentRecord | None = None
        self.busy = False
        self.errors: dict[str, OdscError] = {}  # field (or "banner") -> the core's refusal
        self.short = False  # the cash tendered is less than the amount

        self.heading = QLabel(wordWrap=True)
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.due = QLabel(wordWrap=True)
        self.banner = QLabel(wordWrap=True)
        self.banner.setStyleSheet(BANNER_STYLE)
        self.banner.hide()
        self.amount = QLineEdit(f"{request['balance']:,}")
        self.method = QComboBox()
        self.method.addItem("", "cash")
        self.method.addItem("", "transfer")
        self.tendered = QLineEdit()
        self.change = QLabel()
        font = self.change.font()
        font.setPointSize(font.pointSize() + 3)
        font.setBold(True)
        self.change.setFont(font)
        self.error_labels = {name: error_label() for name in ("amount", "method", "tendered")}
        self.receipt = QLabel()
        self.receipt.setStyleSheet(NOTICE_STYLE)
        self.receipt.hide()

        self.form = QFormLayout()
        self.labels = {name: QLabel() for name in ("amount", "method", "tendered", "change")}
        for name, widget in (
            ("amount", self.amount),
            ("method", self.method),
            ("tendered", self.tendered),
        ):
            cell = QVBoxLayout()
            cell.setSpacing(2)
            cell.addWidget(widget)
            cell.addWidget(self.error_labels[name])
            self.labels[name].setBuddy(widget)
            self.form.addRow(self.labels[name], cell)
        self.form.addRow(self.labels["change"], self.change)

        self.confirm_button = QPushButton(default=True, autoDefault=True)
        self.cancel_button = QPushButton(autoDefault=False)
        self.confirm_button.clicked.connect(self.confirm)
        self.cancel_button.clicked.connect(self.reject)
        buttons = QDialogButtonBox()
        buttons.addButton(self.confirm_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.due)
        layout.addWidget(self.banner)
        layout.addLayout(self.form)
        layout.addWidget(self.receipt)
        layout.addWidget(buttons)

        self.amount.textChanged.connect(self._update_change)
        self.tendered.textChanged.connect(self._update_change)
        self.method.currentIndexChanged.connect(self._method_changed)
        for first, second in (
            (self.amount, self.method),
            (self.method, self.tendered),
            (self.tendered, self.confirm_button),
            (self.confirm_button, self.cancel_button),
        ):
            QWidget.setTabOrder(first, second)
        # The amount is usually right as prefilled: the clerk types what the citizen hands over.
        self.tendered.setFocus()
        self.setMinimumWidth(460)
        ctx.lang.changed.connect(self.retranslate)
        self.retranslate()

    # -- cash arithmetic ------------------------------------------------------------------------
    def is_cash(self) -> bool:
        method: str = self.method.currentData()  # the data given to addItem: "cash"/"transfer"
        return method == "cash"

    def change_due(self) -> int | None:
        """Cash tendered minus the amount, or None while either cannot be read."""
        if not self.is_cash() or not self.tendered.text().strip():
            return None
        try:
            return parse_amount(self.tendered.text(), "tendered") - parse_amount(
                self.amount.text(), "amount"
            )
        except ValidationError:
            return None

    def _method_changed(self) -> None:
        self.form.setRowVisible(self.labels["tendered"], self.is_cash())
        self.form.setRowVisible(self.labels["change"], self.is_cash())
        self._update_change()

    def _update_change(self) -> None:
        change = self.change_due()
        self.short = change is not None and change < 0
        if change is None:
            self.change.setText("—")
        elif self.short:
            self.change.setText(self.tr("{amount} kip short").format(amount=f"{-change:,}"))
        else:
            self.change.setText(self.tr("{amount} kip").format(amount=f"{change:,}"))
        self.change.setStyleSheet(ERROR_STYLE if self.short else "")

    # -- confirming -----------------------------------------------------------------------------
    def confirm(self) -> None:
        if self.busy:
            return  # the first Enter is still being recorded
        self.errors = {}
        if self.is_cash() and self.tendered.text().strip():
            try:
                parse_amount(self.tendered.text(), "tendered")
            except ValidationError as error:
                self.errors["tendered"] = error
        self._render_errors()
        if self.errors or self.short:
            self.tendered.setFocus()
            return
        self._set_busy(True)
        actor, tracking, payment_id = self.ctx.actor, self.request["tracking"], self.payment_id
        amount, method = self.amount.text(), self.method.currentData()
        self.ctx.worker.run(
            lambda store: payments.record_payment(
                store, actor, tracking, amount, method, payment_id=payment_id
            ),
            self._done,
            self._failed,
            writes=True,
        )

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.confirm_button.setEnabled(not busy)
        self.cancel_button.setEnabled(not busy)

    def _done(self, payment: payments.PaymentRecord) -> None:
        self._set_busy(False)
        self.payment = payment
        self.retranslate()
        self.accept()

    def _failed(self, error: OdscError) -> None:
        self._set_busy(False)
        key = error.field if error.field in self.error_labels else "banner"
        self.errors = {key: error}
        self._render_errors()
        if key in ("amount", "method"):
            getattr(self, key).setFocus()

    def reject(self) -> None:
        # Once sent, the payment is recorded or refused: cancelling now would hide which.
        if not self.busy:
            super().reject()

    # -- text -----------------------------------------------------------------------------------
    def _render_errors(self) -> None:
        for name, label in self.error_labels.items():
            error = self.errors.get(name)
            label.setText(self.ctx.lang.message(error) if error else "")
            label.setVisible(error is not None)
        if self.short and "tendered" not in self.errors:
            label = self.error_labels["tendered"]
            label.setText(self.tr("The cash tendered is less than the amount"))
            label.setVisible(True)
        banner = self.errors.get("banner")
        self.banner.setText(self.ctx.lang.message(banner) if banner else "")
        self.banner.setVisible(banner is not None)
        self._grow()

    def _grow(self) -> None:
        # A wrapped message adds lines the window's minimum size does not know about (Qt does
        # not carry height-for-width up to a top-level window): grow to fit, never shrink.
        layout = self.layout()  # set in __init__; Qt's type allows a widget without one
        if layout is not None:
            layout.activate()
        height = self.sizeHint().height()
        if height > self.height():
            self.resize(self.width(), height)

    def retranslate(self) -> None:
        request, lang = self.request, self.ctx.lang.code
        self.setWindowTitle(self.tr("Take payment"))
        self.heading.setText(
            breakable(
                "{tracking} · {name} · {service}".format(
                    tracking=request["tracking"],
                    name=request["citizen_name"],
                    service=local_name(request["service"], lang),
                )
            )
        )
        self.due.setText(
            self.tr("Fee {fee} kip · paid {paid} kip · due {due} kip").format(
                fee=f"{request['fee']:,}",
                paid=f"{request['paid']:,}",
                due=f"{request['balance']:,}",
            )
        )
        self.labels["amount"].setText(self.tr("&Amount (kip)"))
        self.labels["method"].setText(self.tr("&Method"))
        self.labels["tendered"].setText(self.tr("Amount &tendered"))
        self.labels["change"].setText(self.tr("Change due"))
        self.method.setItemText(0, self.tr("Cash"))
        self.method.setItemText(1, self.tr("Transfer"))
        self.confirm_button.setText(self.tr("Confirm (Enter)"))
        self.cancel_button.setText(self.tr("Cancel (Esc)"))
        if self.payment is not None:
            self.receipt.setText(
                self.tr("Paid. Receipt {receipt}").format(receipt=self.payment["receipt"])
            )
        self.receipt.setVisible(self.payment is not None)
        self._update_change()
        self._render_errors()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
