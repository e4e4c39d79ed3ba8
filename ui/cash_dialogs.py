"""Opening the cash drawer with a float, and closing it with a count.

Closing shows the expected cash, the count and their difference as the clerk types. Whether a
difference needs a supervisor is the core's decision (`cash.close_cash` refuses with
`session.difference_needs_approval`); the dialog then asks for one and closes with the approver.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from odsc_desk.api import Actor, cash, daylist
from odsc_desk.shared.errors import OdscError, ValidationError
from odsc_desk.shared.laotext import breakable
from odsc_desk.shared.money import format_kip, parse_amount
from ui.approval_dialog import ApprovalDialog
from ui.context import CounterContext
from ui.widgets import FieldErrors, dialog_buttons, error_label, field_label

translate = QCoreApplication.translate
NEEDS_APPROVAL = "session.difference_needs_approval"


def day_text(iso: str) -> str:
    """An ISO date as offices write it: 26/11/2026."""
    return date.fromisoformat(iso).strftime("%d/%m/%Y")


def signed_kip(amount: int, money: daylist.MoneyFormat) -> str:
    """A difference with its sign, in the office's money format (`daylist.money_format`)."""
    return ("+" if amount > 0 else "−" if amount < 0 else "") + format_kip(abs(amount), **money)


class _CashDialog(QDialog):
    """One amount field with its error line, OK (Enter) and Cancel (Esc)."""

    field = ""

    def __init__(self, ctx: CounterContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.amount = QLineEdit()
        self.amount_error = error_label()
        self.general_error = error_label()
        self.errors = FieldErrors(ctx.lang, {self.field: self.amount_error}, self.general_error)
        self.form = QFormLayout()
        self.buttons, self.ok, self.cancel = dialog_buttons(self)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)

    def _failed(self, error: OdscError) -> None:
        self.ok.setEnabled(True)
        self.errors.show(error)
        self.amount.setFocus()

    def _done(self, _result: Any) -> None:
        self.ok.setEnabled(True)
        super().accept()

    def retranslate(self) -> None:
        self.cancel.setText(translate("CashDialog", "Cancel"))
        self.errors.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class OpenSessionDialog(_CashDialog):
    field = "float"

    def __init__(self, ctx: CounterContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.form.addRow(QLabel(), self.amount)
        self.form.addRow(self.amount_error)
        self.amount.setFocus()
        self.retranslate()

    def accept(self) -> None:
        self.errors.clear()
        self.ok.setEnabled(False)
        text, actor, field = self.amount.text(), self.ctx.actor, self.field
        # open_cash takes an int; parse_amount refuses bad text under our field exactly as the
        # core's own check would, on the worker, so the error comes back the same way.
        self.ctx.worker.run(
            lambda store: cash.open_cash(store, actor, parse_amount(text, field)),
            self._done,
            self._failed,
            writes=True,
        )

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Open the cash session"))
        field_label(self.form, self.amount).setText(self.tr("Float in the drawer (kip)"))
        self.ok.setText(self.tr("Open"))
        super().retranslate()


class CloseSessionDialog(_CashDialog):
    field = "counted"

    def __init__(self, ctx: CounterContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.drawer: daylist.Drawer | None = None
        self.approval: ApprovalDialog | None = None
        self.pending_error: OdscError | None = None
        self.session = QLabel()
        self.expected = QLabel()
        self.difference = QLabel()
        self.unsynced = QLabel()
        self.unsynced.setStyleSheet("color: #b00020;")
        self.unsynced.hide()
        for label in (self.session, self.difference, self.unsynced):
            label.setWordWrap(True)
        for widget in (self.session, self.expected, self.amount, self.difference):
            self.form.addRow(QLabel(), widget)
        self.form.addRow(self.unsynced)
        self.form.addRow(self.amount_error)
        self.amount.textChanged.connect(self._show_difference)
        self.amount.setFocus()
        self.ok.setEnabled(False)
        self.retranslate()
        ctx.worker.run(daylist.drawer, self._loaded, self.errors.show)

    def _loaded(self, drawer: daylist.Drawer | None) -> None:
        self.drawer = drawer
        self.ok.setEnabled(drawer is not None)
        self.retranslate()

    def counted(self) -> int | None:
        # parse_amount is pure (no store): safe to call on every keystroke on the UI thread.
        try:
            return parse_amount(self.amount.text(), "counted")
        except ValidationError:
            return None

    def _show_difference(self) -> None:
        counted = self.counted()
        if self.drawer is None or counted is None or not self.amount.text().strip():
            self.difference.setText(self.tr("Difference: type the counted cash"))
            self.difference.setStyleSheet("")
            return
        diff = counted - self.drawer["expected"]
        limit = self.drawer["difference_limit"]
        text = self.tr("Difference: {amount}").format(amount=signed_kip(diff, self.drawer["money"]))
        if abs(diff) > limit:
            text += "\n" + self.tr(
                "More than the {limit} allowed: a supervisor must approve."
            ).format(limit=format_kip(limit, **self.drawer["money"]))
        self.difference.setText(breakable(text))
        self.difference.setStyleSheet("" if abs(diff) <= limit else "color: #b00020;")

    def accept(self, approver: Actor | None = None) -> None:
        self.errors.clear()
        self.ok.setEnabled(False)
        text, actor, field = self.amount.text(), self.ctx.actor, self.field
        # close_cash takes an int: parsed on the worker, as for OpenSessionDialog.
        self.ctx.worker.run(
            lambda store: cash.close_cash(store, actor, parse_amount(text, field), approver),
            self._done,
            self._refused,
            writes=True,
        )

    def _refused(self, error: OdscError) -> None:
        if error.code != NEEDS_APPROVAL:
            self._failed(error)
            return
        self.ok.setEnabled(True)
        self.pending_error = error
        if self.approval is not None:
            self.approval.deleteLater()  # an earlier, cancelled ask
        self.approval = ApprovalDialog(self.ctx, self.describe_difference, self)
        self.approval.accepted.connect(lambda: self.accept(self.approval.approver))
        self.approval.open()

    def describe_difference(self) -> str:
        """What the supervisor approves, from the figures the core refused with."""
        # Asked only once the core refused (pending_error) a drawer it had read (drawer).
        if self.pending_error is None or self.drawer is None:
            raise RuntimeError("no refused difference to describe")
        params, money = self.pending_error.params, self.drawer["money"]
        return self.tr(
            "Close the cash session with a difference of {difference},"
            " more than the {limit} allowed."
        ).format(
            difference=signed_kip(params["difference"], money),
            limit=format_kip(params["limit"], **money),
        )

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Close the cash session"))
        drawer = self.drawer
        if drawer is None:
            self.session.setText(self.tr("No cash session is open."))
            self.expected.setText("")
        else:
            text = self.tr("Session of {date}, float {amount}").format(
                date=day_text(drawer["business_date"]),
                amount=format_kip(drawer["float_amount"], **drawer["money"]),
            )
            self.session.setText(breakable(text))
            self.expected.setText(format_kip(drawer["expected"], **drawer["money"]))
            waiting = drawer["unsynced"]
            self.unsynced.setVisible(waiting > 0)
            self.unsynced.setText(
                breakable(
                    self.tr(
                        "{count} records have not reached the centre yet. You can close the"
                        " day; they will be sent when the network is back."
                    ).format(count=waiting)
                )
            )
        field_label(self.form, self.session).setText(self.tr("Drawer"))
        field_label(self.form, self.expected).setText(self.tr("Expected cash"))
        field_label(self.form, self.amount).setText(self.tr("Counted cash (kip)"))
        self.ok.setText(self.tr("Close session"))
        self._show_difference()
        super().retranslate()
