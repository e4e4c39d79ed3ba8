"""The login dialog: who is at the counter, checked on the worker against the store."""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from odsc_desk.api import Actor, Office, users
from odsc_desk.shared.errors import OdscError, StoreError
from ui.i18n import Language
from ui.widgets import STORE_ERROR_STYLE, ErrorLabel, LanguageSwitch
from ui.worker import Worker


class LoginDialog(QDialog):
    """User name and password; on success `.actor` and `.office` are set and it accepts."""

    def __init__(self, worker: Worker, lang: Language, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.worker = worker
        self.lang = lang
        self.actor: Actor | None = None
        self.office: Office | None = None
        self.busy = False

        self.language = LanguageSwitch(lang)
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.heading.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.office_label = QLabel()
        self.office_label.setWordWrap(True)
        self.store_error = ErrorLabel(lang)
        self.store_error.setStyleSheet(STORE_ERROR_STYLE)
        self.store_error.setFrameShape(QFrame.Shape.StyledPanel)
        self.username = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_error = ErrorLabel(lang)
        self.user_label = QLabel()
        self.password_label = QLabel()
        self.user_label.setBuddy(self.username)
        self.password_label.setBuddy(self.password)

        # Plain buttons, not a QDialogButtonBox: the box's focus proxy would pull Tab from the
        # language switch back to "Log in" instead of on to the user name.
        self.login_button = QPushButton()
        self.login_button.setDefault(True)
        self.cancel_button = QPushButton()
        self.login_button.clicked.connect(self.log_in)
        self.cancel_button.clicked.connect(self.reject)

        self._layout()
        worker.failed.connect(self._on_bug)
        self.retranslate()
        self.setMinimumWidth(460)
        self.username.setFocus()
        # Open the store now: a damaged or locked file is said before anyone types.
        self.worker.run(lambda store: store.office, self._show_office, self._on_error)

    def _layout(self) -> None:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.user_label, self.username)
        password_box = QVBoxLayout()
        password_box.setSpacing(2)
        password_box.addWidget(self.password)
        password_box.addWidget(self.password_error)
        form.addRow(self.password_label, password_box)
        column = QVBoxLayout(self)
        column.addWidget(self.language)
        column.addWidget(self.heading)
        column.addWidget(self.office_label)
        column.addWidget(self.store_error)
        column.addLayout(form)
        column.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.login_button)
        buttons.addWidget(self.cancel_button)
        column.addLayout(buttons)
        # The switch sits on top but comes last: the name field is where typing starts.
        chain = [
            self.username,
            self.password,
            self.login_button,
            self.cancel_button,
            *self.language.buttons.values(),
        ]
        for first, second in pairwise(chain):
            self.setTabOrder(first, second)

    def log_in(self) -> None:
        if self.busy:
            return
        name, password = self.username.text(), self.password.text()
        self._set_busy(True)
        self.password_error.clear_error()
        self.worker.run(
            lambda store: (users.authenticate(store, name, password), store.office),
            self._logged_in,
            self._on_error,
        )

    def _logged_in(self, result: tuple[Actor, Office]) -> None:
        self._set_busy(False)
        self.store_error.clear_error()
        self.actor, self.office = result
        self.accept()

    def _on_error(self, error: OdscError) -> None:
        self._set_busy(False)
        if isinstance(error, StoreError):
            # Nothing the user typed is wrong; keep it for when the file is fixed or freed.
            self.store_error.show_error(error)
            return
        self.store_error.clear_error()
        self.password_error.show_error(error)
        self.password.clear()
        self.password.setFocus()

    def _on_bug(self, error: Exception) -> None:
        if self.busy:
            self._set_busy(False)
            self.store_error.show_text(
                lambda: self.tr("Something went wrong: {detail}").format(detail=error)
            )

    def _show_office(self, office: Office) -> None:
        self.store_error.clear_error()
        self.office = office
        self.retranslate()

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.login_button.setEnabled(not busy)
        self.setCursor(Qt.CursorShape.WaitCursor if busy else Qt.CursorShape.ArrowCursor)

    def reject(self) -> None:
        if not self.busy:
            super().reject()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("ODSC Desk: log in"))
        self.heading.setText(self.tr("Log in"))
        self.user_label.setText(self.tr("&User name"))
        self.password_label.setText(self.tr("&Password"))
        self.login_button.setText(self.tr("Log in"))
        self.cancel_button.setText(self.tr("Cancel"))
        office = self.office
        self.office_label.setVisible(office is not None)
        if office is not None:
            # Plain text: the Lao word splitter costs a quarter of a second to load, too much
            # for the first screen; office names have spaces between their words to wrap on.
            self.office_label.setText(
                self.tr("{office} ({code}), counter {counter}").format(
                    office=office["office_name"],
                    code=office["office_code"],
                    counter=office["counter"],
                )
            )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
