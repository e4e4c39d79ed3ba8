"""A supervisor's approval: they type their user name and re-enter their password.

The core (`users.approve`) decides whether the person may approve; the dialog only shows its
answer. Nothing is recorded here: the caller runs the approved action with `approver`.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from odsc_desk.api import Actor, users
from odsc_desk.shared.errors import OdscError
from odsc_desk.shared.laotext import breakable
from ui.context import CounterContext
from ui.widgets import FieldErrors, dialog_buttons, error_label, field_label


class ApprovalDialog(QDialog):
    """`describe()` returns, in the current language, what the supervisor is approving."""

    def __init__(
        self,
        ctx: CounterContext,
        describe: Callable[[], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.describe = describe
        self.approver: Actor | None = None
        self.what = QLabel()
        self.what.setWordWrap(True)
        self.user = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.user_error = error_label()
        self.password_error = error_label()
        self.general_error = error_label()
        self.errors = FieldErrors(
            ctx.lang,
            {"supervisor": self.user_error, "password": self.password_error},
            self.general_error,
        )
        self.form = QFormLayout()
        self.form.addRow(QLabel(), self.user)
        self.form.addRow(self.user_error)
        self.form.addRow(QLabel(), self.password)
        self.form.addRow(self.password_error)
        self.buttons, self.ok, self.cancel = dialog_buttons(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.what)
        layout.addLayout(self.form)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)
        self.setTabOrder(self.user, self.password)
        self.setTabOrder(self.password, self.ok)
        # A supervisor approving their own action still re-enters the password.
        if ctx.is_supervisor:
            self.user.setText(ctx.actor.username)
            self.password.setFocus()
        else:
            self.user.setFocus()
        self.setMinimumWidth(420)
        self.retranslate()

    def accept(self) -> None:
        """Ask the core on the worker; close only when it accepts the approver."""
        self.errors.clear()
        self.ok.setEnabled(False)
        name, password = self.user.text(), self.password.text()
        self.ctx.worker.run(
            lambda store: users.approve(store, name, password), self._approved, self._refused
        )

    def _approved(self, approver: Actor) -> None:
        self.ok.setEnabled(True)
        self.approver = approver
        super().accept()

    def _refused(self, error: OdscError) -> None:
        self.ok.setEnabled(True)
        self.errors.show(error)
        # The name stays; the password is selected so retyping replaces it.
        self.password.selectAll()
        self.password.setFocus()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Supervisor approval"))
        self.what.setText(breakable(self.describe()))
        field_label(self.form, self.user).setText(self.tr("Supervisor user name"))
        field_label(self.form, self.password).setText(self.tr("Supervisor password"))
        self.ok.setText(self.tr("Approve"))
        self.cancel.setText(self.tr("Cancel"))
        self.errors.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
