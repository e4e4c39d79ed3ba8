"""Voiding or refunding a receipt: receipt, reason (and for a refund, an amount), then a
supervisor's approval, then the core records it.

The receipt comes from the row selected in the day's list, or is typed: its whole number, or
only the digits it ends with ("12" for the day's receipt ...-000012), which the worker reads as
the day's receipt of that number.

Before the supervisor is called over, the worker checks what it can without writing (the receipt
exists, a reason is given, the amount is an amount), so nobody types a password for a form that
was going to be refused anyway. The core checks everything again when it records.
"""

from __future__ import annotations

from datetime import date
from itertools import pairwise
from typing import NotRequired, TypedDict

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from odsc_desk.api import Actor, Store, daylist, payments, settings
from odsc_desk.shared.errors import OdscError
from odsc_desk.shared.laotext import breakable
from odsc_desk.shared.money import check_amount, format_kip
from odsc_desk.shared.text import REASON_MAX, clean_required
from ui.approval_dialog import ApprovalDialog
from ui.context import CounterContext
from ui.widgets import FieldErrors, dialog_buttons, error_label, field_label

# Strings of the shared base are looked up under one context, not each subclass's name.
translate = QCoreApplication.translate

Recorded = payments.VoidRecord | payments.RefundRecord


class Checked(TypedDict):
    """What `check()` found, for the supervisor to approve."""

    payment: payments.PaymentRow
    reason: str
    amount: NotRequired[int]  # the amount to refund (refunds only)


class _CorrectionDialog(QDialog):
    """Shared form; subclasses add fields and say what is recorded."""

    def __init__(
        self,
        ctx: CounterContext,
        receipt: str = "",
        parent: QWidget | None = None,
        day: date | None = None,
    ):
        super().__init__(parent)
        self.ctx = ctx
        self.day = day  # whose receipts a few digits name; None: the office's today
        self.payment: payments.PaymentRow | None = None
        self.checked: Checked | None = None
        self.approval: ApprovalDialog | None = None
        self.recorded: Recorded | None = None
        # None until the office's format arrives: format_kip's defaults meanwhile.
        self.money: daylist.MoneyFormat | None = None
        self.receipt = QLineEdit(receipt)
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.amount = QLineEdit()
        self.reason = QLineEdit()
        self.reason.setMaxLength(REASON_MAX)
        self.labels = {name: error_label() for name in ("receipt", "amount", "reason")}
        self.general_error = error_label()
        self.errors = FieldErrors(ctx.lang, self.labels, self.general_error)
        self.form = QFormLayout()
        self.form.addRow(QLabel(), self.receipt)
        self.form.addRow(self.labels["receipt"])
        self.form.addRow(self.info)
        self.buttons, self.ok, self.cancel = dialog_buttons(self)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)
        self.receipt.editingFinished.connect(self.lookup)
        # Small, so the list it is opened from stays in sight around it.
        self.setMinimumWidth(420)

    def _money_loaded(self, money: daylist.MoneyFormat) -> None:
        self.money = money
        self.retranslate()

    def kip(self, amount: int) -> str:
        return format_kip(amount, **self.money) if self.money else format_kip(amount)

    def _finish_form(self, fields: list[QLineEdit]) -> None:
        for field in fields:
            self.form.addRow(QLabel(), field)
            self.form.addRow(self.labels["amount" if field is self.amount else "reason"])
        chain = [self.receipt, *fields, self.ok]
        for first, second in pairwise(chain):
            self.setTabOrder(first, second)
        (fields[0] if self.receipt.text() else self.receipt).setFocus()
        self.retranslate()
        self.ctx.worker.run(daylist.money_format, self._money_loaded)
        if self.receipt.text():
            self.lookup()

    # -- the receipt ------------------------------------------------------------------------
    def lookup(self) -> None:
        text = self.receipt.text()
        if not text.strip() or (self.payment and self.payment["receipt"] == text.upper()):
            return
        self.ctx.worker.run(
            lambda store: payments.get_payment(store, self.whole_receipt(store, text)),
            self._found,
            self.errors.show,
        )

    def whole_receipt(self, store: Store, typed: str) -> str:
        """The receipt number meant by what was typed (see the module's doc)."""
        return daylist.day_receipt(store, self.day or daylist.today(store), typed)

    def _found(self, payment: payments.PaymentRow) -> None:
        self.errors.clear()
        self.payment = payment
        if self.receipt.text().strip() != payment["receipt"]:
            self.receipt.setText(payment["receipt"])  # the digits typed, written out
        self.retranslate()

    def payment_text(self) -> str:
        p = self.payment
        if p is None:
            return ""
        method = (
            translate("CorrectionDialog", "cash")
            if p["method"] == "cash"
            else translate("CorrectionDialog", "transfer")
        )
        text = translate("CorrectionDialog", "{tracking} · {name} · {amount} · {method}").format(
            tracking=p["tracking"],
            name=p["citizen_name"],
            amount=self.kip(p["amount"]),
            method=method,
        )
        if p["voided"]:
            text += " · " + translate("CorrectionDialog", "already void")
        elif p["refunded"]:
            text += " · " + translate("CorrectionDialog", "{amount} already refunded").format(
                amount=self.kip(p["refunded"])
            )
        return text

    # -- check, approve, record -------------------------------------------------------------
    def check(self, store: Store) -> Checked:
        """Read-only checks on the worker; raise the core's errors for the fields."""
        payment = payments.get_payment(store, self.whole_receipt(store, self.receipt_text))
        return {
            "payment": payment,
            "reason": clean_required(self.reason_text, "reason", REASON_MAX),
        }

    def accept(self) -> None:
        self.errors.clear()
        self.ok.setEnabled(False)
        self.receipt_text, self.reason_text = self.receipt.text(), self.reason.text()
        self.amount_text = self.amount.text()
        self.ctx.worker.run(self.check, self._ask_supervisor, self._failed)

    def _ask_supervisor(self, checked: Checked) -> None:
        self.checked = checked
        self.payment = checked["payment"]
        self.retranslate()
        if self.approval is not None:
            self.approval.deleteLater()  # an earlier, cancelled ask
        self.approval = ApprovalDialog(self.ctx, self.describe, self)
        self.approval.accepted.connect(self._approved)
        self.approval.rejected.connect(lambda: self.ok.setEnabled(True))
        self.approval.open()

    def _approved(self) -> None:
        # The approval dialog accepts only once the core has approved a supervisor.
        approver = self.approval.approver if self.approval is not None else None
        if approver is None:
            raise RuntimeError("accepted without an approver")
        self.ctx.worker.run(
            lambda store: self.record(store, self.ctx.actor, approver),
            self._recorded,
            self._failed,
            writes=True,
        )

    def _recorded(self, row: Recorded) -> None:
        self.ok.setEnabled(True)
        self.recorded = row
        super().accept()

    def _failed(self, error: OdscError) -> None:
        self.ok.setEnabled(True)
        self.errors.show(error)
        widget = {"receipt": self.receipt, "amount": self.amount}.get(error.field or "")
        (widget or self.reason).setFocus()

    def record(self, store: Store, actor: Actor, approver: Actor) -> Recorded:
        raise NotImplementedError

    def checks(self) -> Checked:
        """What check() found; describe() is asked by the approval, opened only after it."""
        if self.checked is None:
            raise RuntimeError("nothing checked yet")
        return self.checked

    def describe(self) -> str:
        raise NotImplementedError

    def retranslate(self) -> None:
        field_label(self.form, self.receipt).setText(
            translate("CorrectionDialog", "Receipt number")
        )
        self.receipt.setPlaceholderText(
            translate("CorrectionDialog", "the whole number, or its last digits: 12")
        )
        field_label(self.form, self.reason).setText(translate("CorrectionDialog", "Reason"))
        self.info.setText(breakable(self.payment_text()))
        self.info.setVisible(bool(self.info.text()))
        self.cancel.setText(translate("CorrectionDialog", "Cancel"))
        self.ok.setText(translate("CorrectionDialog", "Ask a supervisor…"))
        self.errors.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class VoidDialog(_CorrectionDialog):
    """Cancel a whole receipt; it keeps its number and is marked void."""

    def __init__(
        self,
        ctx: CounterContext,
        receipt: str = "",
        parent: QWidget | None = None,
        day: date | None = None,
    ):
        super().__init__(ctx, receipt, parent, day)
        self.amount.hide()
        self._finish_form([self.reason])

    def record(self, store: Store, actor: Actor, approver: Actor) -> payments.VoidRecord:
        receipt = self.checks()["payment"]["receipt"]
        return payments.void_payment(store, actor, receipt, self.reason_text, approver)

    def describe(self) -> str:
        c = self.checks()
        p = c["payment"]
        return self.tr("Void receipt {receipt} ({amount}). Reason: {reason}").format(
            receipt=p["receipt"], amount=self.kip(p["amount"]), reason=c["reason"]
        )

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Void a receipt"))
        super().retranslate()


class RefundDialog(_CorrectionDialog):
    """Give back part or all of a receipt's amount."""

    def __init__(
        self,
        ctx: CounterContext,
        receipt: str = "",
        parent: QWidget | None = None,
        day: date | None = None,
    ):
        super().__init__(ctx, receipt, parent, day)
        self._finish_form([self.amount, self.reason])

    def _found(self, payment: payments.PaymentRow) -> None:
        # Offer what is left to refund; whatever the clerk already typed stays.
        if not self.amount.text():
            left = payment["amount"] - payment["refunded"]
            self.amount.setText(
                f"{left:,}".replace(",", (self.money["grouping"] if self.money else ","))
            )
        super()._found(payment)

    def check(self, store: Store) -> Checked:
        checked = super().check(store)
        limit = int(settings.get(store, "max_amount"))
        return {**checked, "amount": check_amount(self.amount_text, "amount", limit=limit)}

    def record(self, store: Store, actor: Actor, approver: Actor) -> payments.RefundRecord:
        receipt = self.checks()["payment"]["receipt"]
        return payments.refund_payment(
            store, actor, receipt, self.amount_text, self.reason_text, approver
        )

    def describe(self) -> str:
        c = self.checks()
        return self.tr("Refund {amount} on receipt {receipt}. Reason: {reason}").format(
            amount=self.kip(c["amount"]), receipt=c["payment"]["receipt"], reason=c["reason"]
        )

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Refund a receipt"))
        field_label(self.form, self.amount).setText(self.tr("Amount to refund (kip)"))
        super().retranslate()
