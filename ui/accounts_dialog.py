"""Accounts: who may log in at this counter, and adding a clerk or a supervisor.

Supervisors only (the window's menu item is off for clerks, and the core checks the role too:
a supervisor adds clerks and supervisors, only an admin adds an admin). The rules for a new
account are the core's, the same as `odsc user add`: a user name in Lao or Latin letters, a
password of at least `users.PASSWORD_MIN` characters that is not the user name nor a common
password (`users.check_password_strength`), typed twice. A refusal is shown under its
field and nothing is written. Accounts are this counter's own: they are never synced.
"""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from odsc_desk.api import Actor, users
from odsc_desk.shared.clock import local_time_text
from odsc_desk.shared.errors import OdscError, ValidationError
from odsc_desk.shared.laotext import breakable
from ui.context import CounterContext
from ui.i18n import QT_TRANSLATE_NOOP
from ui.widgets import NOTICE_STYLE, FieldErrors, error_label

ROLE_NAMES = {
    "clerk": QT_TRANSLATE_NOOP("AccountsDialog", "Clerk"),
    "supervisor": QT_TRANSLATE_NOOP("AccountsDialog", "Supervisor"),
    "admin": QT_TRANSLATE_NOOP("AccountsDialog", "Administrator"),
}
FIELDS = ("username", "role", "password", "password_again")


class AccountsDialog(QDialog):
    def __init__(self, ctx: CounterContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.busy = False
        self.listed: list[users.UserSummary] = []
        self.added: Actor | None = None  # the account added last, said in the notice line
        self.table = QTableWidget(0, 3)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.username = QLineEdit()
        self.username.setMaxLength(users.USERNAME_MAX)
        self.role = QComboBox()
        # The roles this user may give; a clerk has none, and the form stays off.
        self.roles = users.grantable_roles(ctx.actor)
        for role in self.roles:
            self.role.addItem("", role)
        self.password = QLineEdit()
        self.password_again = QLineEdit()
        for edit in (self.password, self.password_again):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.add_button = QPushButton()
        self.add_button.setDefault(True)  # Enter in any field adds the account
        self.add_button.clicked.connect(self.add)
        self.close_button = QPushButton()
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.reject)
        self.labels = {field: error_label() for field in FIELDS}
        self.general = error_label()
        self.errors = FieldErrors(ctx.lang, self.labels, self.general)
        self.rule = QLabel()
        self.rule.setWordWrap(True)
        self.notice = QLabel()
        self.notice.setStyleSheet(NOTICE_STYLE)
        self.notice.setWordWrap(True)
        self.notice.hide()
        self.group = QGroupBox()
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._layout()
        self.group.setEnabled(bool(self.roles))
        self.retranslate()
        self.resize(620, 560)
        self.reload()
        self.username.setFocus()

    def _layout(self) -> None:
        self.field_names: dict[str, QLabel] = {}
        edits: dict[str, QWidget] = {
            "username": self.username,
            "role": self.role,
            "password": self.password,
            "password_again": self.password_again,
        }
        for field, edit in edits.items():
            cell = QVBoxLayout()
            cell.setSpacing(2)
            cell.addWidget(edit)
            cell.addWidget(self.labels[field])
            self.field_names[field] = QLabel()
            self.field_names[field].setBuddy(edit)
            self.form.addRow(self.field_names[field], cell)
        self.form.addRow(self.rule)
        add_row = QHBoxLayout()
        add_row.addStretch(1)
        add_row.addWidget(self.add_button)
        self.form.addRow(add_row)
        self.group.setLayout(self.form)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        column = QVBoxLayout(self)
        column.addWidget(self.table, 1)
        column.addWidget(self.group)
        column.addWidget(self.notice)
        column.addWidget(self.general)
        column.addLayout(buttons)
        # Adding is what the dialog is opened for: the form first, the list after it.
        chain = [*edits.values(), self.add_button, self.table, self.close_button]
        for first, second in pairwise(chain):
            self.setTabOrder(first, second)

    # -- the list --------------------------------------------------------------------------------
    def reload(self) -> None:
        self.ctx.worker.run(users.list_users, self._listed, self.errors.show)

    def _listed(self, rows: list[users.UserSummary]) -> None:
        self.listed = rows
        self._render_list()

    def _render_list(self) -> None:
        self.table.setRowCount(len(self.listed))
        for row, account in enumerate(self.listed):
            cells = (
                account["username"],
                self.role_name(account["role"]),
                local_time_text(account["created_at"]),
            )
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
            if self.added is not None and account["username"] == self.added.username:
                self.table.selectRow(row)

    def role_name(self, role: str) -> str:
        return self.tr(ROLE_NAMES[role]) if role in ROLE_NAMES else role

    # -- adding ----------------------------------------------------------------------------------
    def add(self) -> None:
        if self.busy or not self.roles:
            return
        self.errors.clear()
        self.notice.hide()
        name, role = self.username.text(), str(self.role.currentData())
        password = self.password.text()
        if password != self.password_again.text():
            # As `odsc user add` does: the two typings are compared before the core is asked.
            self._refused(ValidationError("password.mismatch", "password_again"))
            return
        actor = self.ctx.actor
        self.busy = True
        self.add_button.setEnabled(False)
        self.ctx.worker.run(
            lambda store: users.add_user(store, actor, name, role, password),
            self._added,
            self._refused,
            writes=True,
        )

    def _added(self, account: Actor) -> None:
        self.busy = False
        self.add_button.setEnabled(True)
        self.added = account
        for edit in (self.username, self.password, self.password_again):
            edit.clear()
        self._render_notice()
        self.username.setFocus()
        self.reload()

    def _refused(self, error: OdscError) -> None:
        self.busy = False
        self.add_button.setEnabled(True)
        self.errors.show(error)
        # The passwords go in every case: retyping both is how a mismatch is put right.
        self.password.clear()
        self.password_again.clear()
        edit = {"username": self.username, "role": self.role}.get(error.field or "")
        if isinstance(edit, QLineEdit):
            edit.selectAll()
        (edit or self.password).setFocus()

    # -- text ------------------------------------------------------------------------------------
    def _render_notice(self) -> None:
        if self.added is not None:
            self.notice.setText(
                breakable(
                    self.tr("Account {user} added ({role}). They can log in now.").format(
                        user=self.added.username, role=self.role_name(self.added.role)
                    )
                )
            )
            self.notice.show()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Accounts"))
        self.table.setHorizontalHeaderLabels(
            [self.tr("User name"), self.tr("Role"), self.tr("Added on")]
        )
        self.group.setTitle(self.tr("Add an account"))
        for field, text in (
            ("username", self.tr("&User name")),
            ("role", self.tr("&Role")),
            ("password", self.tr("&Password")),
            ("password_again", self.tr("Password &again")),
        ):
            self.field_names[field].setText(text)
        for index, role in enumerate(self.roles):
            self.role.setItemText(index, self.role_name(role))
        self.username.setPlaceholderText(self.tr("one word, Lao or Latin letters"))
        self.rule.setText(
            breakable(
                self.tr(
                    "At least {minimum} characters, not the user name and not a common password,"
                    " typed twice. Give it to the new user in person: it cannot be recovered."
                ).format(minimum=users.PASSWORD_MIN)
            )
        )
        self.add_button.setText(self.tr("Add the account"))
        self.close_button.setText(self.tr("Close"))
        if not self.roles:
            self.general.setText(self.tr("Only a supervisor can add accounts."))
            self.general.show()
        self.errors.retranslate()
        self._render_notice()
        self._render_list()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
