"""A supervisor's approval: they type their user name and re-enter their password.

The core (`users.approve`, then `check_four_eyes` when it records) decides whether the person
may approve; the dialog only shows its answer. Nothing is recorded here: the caller runs the
approved action with `approver`.

Four eyes: a supervisor may approve their own void, refund or cash difference only where the
office's `self_approval` setting allows it (a one-person office). Only there is their own name
filled in for them; elsewhere the field starts empty for a second supervisor to type theirs.
"""

from __future__ import annotations

import logging
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

from odsc_desk.api import Actor, Store, settings, users
from odsc_desk.shared.errors import OdscError
from odsc_desk.shared.laotext import breakable
from ui.context import CounterContext
from ui.widgets import FieldErrors, dialog_buttons, error_label, field_label

log = logging.getLogger(__name__)


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
        self.user.setFocus()
        if ctx.is_supervisor:
            ctx.worker.run(
                lambda store: bool(settings.get(store, "self_approval")),
                self._offer_own_name,
                self._setting_unread,
            )
        self.setMinimumWidth(420)
        self.retranslate()

    def _offer_own_name(self, self_approval: bool) -> None:
        """Where the office allows it, fill in the supervisor's own name (they still re-enter
        the password). The answer comes from the worker: a name someone has begun to type in the
        meantime is theirs to keep, and focus moves on only from an untouched name field."""
        if not self_approval or self.user.isModified() or self.user.text():
            return
        self.user.setText(self.ctx.actor.username)
        if self.focusWidget() in (None, self.user):
            self.password.setFocus()

    def _setting_unread(self, error: OdscError) -> None:
        # Nothing is lost: the field stays empty and the supervisor types their name.
        log.warning("self_approval setting not read: %s", error.code)

    def accept(self) -> None:
        """Ask the core on the worker; close only when it accepts the approver."""
        self.errors.clear()
        self.ok.setEnabled(False)
        name, password = self.user.text(), self.password.text()
        actor = self.ctx.actor

        def approve(store: Store) -> Actor:
            approver = users.approve(store, name, password)
            # Four eyes checked here as well as when the action is recorded, so that a refused
            # approver is told next to the name, with the form still open for someone else.
            users.check_four_eyes(actor, approver, bool(settings.get(store, "self_approval")))
            return approver

        self.ctx.worker.run(approve, self._approved, self._refused)

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
