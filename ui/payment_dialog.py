"""Taking a fee: the amount due prefilled, cash or transfer, quick tender, the change live.

When it opens, the dialog asks the worker for the drawer. With no cash session open (or one left
open from an earlier day) it first shows the drawer step (`cash_dialogs.DrawerStep`): the clerk
opens the session there, then takes the payment, and nothing typed is lost. The core still
refuses a payment without a session (say, one closed at another window meanwhile): the dialog
shows that refusal in its banner.

Keys: F2 puts the exact amount in "tendered", F3–F5 the next sums common notes make (`tender`);
Enter confirms, Esc cancels. Cash in two keys: F2, Enter. A transfer may carry the bank's
reference: optional (the citizen paying by QR does not always have it to hand, and the queue
must not wait for it), but asked for in the field's hint.

Confirming is idempotent (one payment id per dialog): Enter pressed twice, or a retry after an
error, records one payment. The core's refusals are shown in the dialog, which stays open with
what was typed.
"""

from __future__ import annotations

import itertools

from PySide6.QtCore import QEvent
from PySide6.QtGui import QShowEvent
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

from odsc_desk.api import daylist, payments, service_requests
from odsc_desk.shared.errors import OdscError, ValidationError
from odsc_desk.shared.ids import new_id
from odsc_desk.shared.laotext import breakable
from odsc_desk.shared.money import parse_amount
from ui.cash_dialogs import DrawerStep, money_of
from ui.context import CounterContext
from ui.money_text import kip
from ui.service_picker import local_name
from ui.tender import QuickTender
from ui.widgets import BANNER_STYLE, ERROR_STYLE, NOTICE_STYLE, error_label, fit_to_text

FIELDS = ("amount", "method", "reference", "tendered")


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
        self.money: dict[str, str] | None = None  # the office's, once the drawer is read
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
        self.step = DrawerStep(ctx, self)
        self.step.hide()
        self.step.ready.connect(self._drawer_ready)
        self.step.closed.connect(self.check_drawer)
        self.amount = QLineEdit(f"{request['balance']:,}")
        self.method = QComboBox()
        self.method.addItem("", "cash")
        self.method.addItem("", "transfer")
        self.reference = QLineEdit()
        self.reference.setMaxLength(payments.REFERENCE_MAX)
        self.tendered = QLineEdit()
        self.quick = QuickTender(self)
        self.quick.chosen.connect(self._tender)
        self.change = QLabel()
        font = self.change.font()
        font.setPointSize(font.pointSize() + 3)
        font.setBold(True)
        self.change.setFont(font)
        self.error_labels = {name: error_label() for name in FIELDS}
        self.receipt = QLabel(wordWrap=True)
        self.receipt.setStyleSheet(NOTICE_STYLE)
        self.receipt.hide()

        self.fields = QWidget()
        self.form = QFormLayout(self.fields)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.labels = {name: QLabel(wordWrap=True) for name in (*FIELDS, "quick", "change")}
        for name, widget in (
            ("amount", self.amount),
            ("method", self.method),
            ("reference", self.reference),
            ("tendered", self.tendered),
        ):
            cell = QVBoxLayout()
            cell.setSpacing(2)
            cell.addWidget(widget)
            cell.addWidget(self.error_labels[name])
            self.labels[name].setBuddy(widget)
            self.form.addRow(self.labels[name], cell)
        self.form.addRow(self.labels["quick"], self.quick)
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
        layout.addWidget(self.step)
        layout.addWidget(self.banner)
        layout.addWidget(self.fields)
        layout.addWidget(self.receipt)
        layout.addWidget(buttons)

        self.amount.textChanged.connect(self._update_change)
        self.tendered.textChanged.connect(self._update_change)
        self.method.currentIndexChanged.connect(self._method_changed)
        chain = [
            self.amount,
            self.method,
            self.reference,
            self.tendered,
            self.confirm_button,
            self.cancel_button,
        ]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)
        # The amount is usually right as prefilled: the clerk types what the citizen hands over.
        self.tendered.setFocus()
        self.setMinimumWidth(500)
        ctx.lang.changed.connect(self.retranslate)
        self._method_changed()
        self.retranslate()
        self.check_drawer()

    # -- the drawer -----------------------------------------------------------------------------
    def check_drawer(self) -> None:
        """Ask the worker whether a drawer can take today's cash; if not, show the step."""
        self.ctx.worker.run(daylist.drawer, self._drawer_read, self._drawer_unread)

    def _drawer_read(self, drawer: daylist.Drawer | None) -> None:
        if drawer is not None:
            self.money = money_of(drawer)
        if drawer is None or drawer["stale"]:
            self.fields.hide()
            self.confirm_button.setEnabled(False)
            self.confirm_button.setDefault(False)
            self.step.show_for(drawer)
        else:
            self._drawer_ready()
        self.retranslate()

    def _drawer_unread(self, error: OdscError) -> None:
        # The store could not say: take the payment as usual, the core decides.
        self.errors = {"banner": error}
        self._render_errors()

    def _drawer_ready(self) -> None:
        if self.money is None:
            self.check_drawer()  # opened from the step: read the office's money format
            return
        self.step.hide()
        self.fields.show()
        self.confirm_button.setEnabled(not self.busy)
        self.confirm_button.setDefault(True)
        self.tendered.setFocus()
        fit_to_text(self)

    # -- cash arithmetic ------------------------------------------------------------------------
    def is_cash(self) -> bool:
        method: str = self.method.currentData()  # the data given to addItem: "cash"/"transfer"
        return method == "cash"

    def _amount(self) -> int | None:
        try:
            return parse_amount(self.amount.text(), "amount")
        except ValidationError:
            return None

    def change_due(self) -> int | None:
        """Cash tendered minus the amount, or None while either cannot be read."""
        if not self.is_cash() or not self.tendered.text().strip():
            return None
        amount = self._amount()
        try:
            tendered = parse_amount(self.tendered.text(), "tendered")
        except ValidationError:
            return None
        return None if amount is None else tendered - amount

    def _tender(self, amount: int) -> None:
        self.tendered.setText(f"{amount:,}")
        self.tendered.setFocus()

    def _method_changed(self) -> None:
        cash = self.is_cash()
        for name in ("tendered", "quick", "change"):
            self.form.setRowVisible(self.labels[name], cash)
        self.form.setRowVisible(self.labels["reference"], not cash)
        self._update_change()
        fit_to_text(self)

    def _update_change(self) -> None:
        lang = self.ctx.lang.code
        self.quick.show_amounts(self._amount(), lang, self.money)
        change = self.change_due()
        self.short = change is not None and change < 0
        if change is None:
            self.change.setText("—")
        elif self.short:
            self.change.setText(
                self.tr("{amount} short").format(amount=kip(lang, -change, self.money))
            )
        else:
            self.change.setText(kip(lang, change, self.money))
        self.change.setStyleSheet(ERROR_STYLE if self.short else "")

    # -- confirming -----------------------------------------------------------------------------
    def confirm(self) -> None:
        if self.busy or self.fields.isHidden():
            return  # the first Enter is still being recorded, or the drawer comes first
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
        reference = None if self.is_cash() else self.reference.text()
        self.ctx.worker.run(
            lambda store: payments.record_payment(
                store, actor, tracking, amount, method, payment_id=payment_id, reference=reference
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
        if key in ("amount", "method", "reference"):
            getattr(self, key).setFocus()

    def reject(self) -> None:
        # Once sent, the payment is recorded or refused: cancelling now would hide which.
        if not self.busy:
            super().reject()

    # -- text -----------------------------------------------------------------------------------
    def _render_errors(self) -> None:
        for name, label in self.error_labels.items():
            error = self.errors.get(name)
            # Plain text: core messages have spaces between phrases, where Qt wraps them.
            label.setText(self.ctx.lang.message(error) if error else "")
            label.setVisible(error is not None)
        if self.short and "tendered" not in self.errors:
            label = self.error_labels["tendered"]
            label.setText(self.tr("The cash tendered is less than the amount"))
            label.setVisible(True)
        banner = self.errors.get("banner")
        self.banner.setText(self.ctx.lang.message(banner) if banner else "")
        self.banner.setVisible(banner is not None)
        fit_to_text(self)

    def retranslate(self) -> None:
        request, lang, money = self.request, self.ctx.lang.code, self.money
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
            breakable(
                self.tr("Fee {fee} · paid {paid} · due {due}").format(
                    fee=kip(lang, request["fee"], money),
                    paid=kip(lang, request["paid"], money),
                    due=kip(lang, request["balance"], money),
                )
            )
        )
        self.labels["amount"].setText(self.tr("&Amount (kip)"))
        self.labels["method"].setText(self.tr("&Method"))
        self.labels["reference"].setText(self.tr("Bank &reference"))
        self.reference.setPlaceholderText(self.tr("Recommended: the reference on the slip"))
        self.labels["tendered"].setText(self.tr("Amount &tendered"))
        self.labels["quick"].setText(self.tr("Quick tender"))
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

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        fit_to_text(self)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
