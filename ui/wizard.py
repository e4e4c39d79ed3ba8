"""First run: the setup wizard that makes the counter's store.

Three pages (office, first administrator, catalog). Each page is checked on Next by the core's
own rules (the office code's form, the counter number, the user name, the password's length and
its second typing), so a mistake is said on the page where it was made. Nothing is written
until Finish; then `init_store` checks everything again and makes the store in one go, and a
refusal sends the user back to the page holding the field, with the message under it and
everything typed kept. Esc, Cancel and closing the window ask before leaving the setup.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path

from argon2 import PasswordHasher
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from odsc_desk.api import StoreInitialised, init_store, users
from odsc_desk.shared.catalog_file import demo_catalog_path
from odsc_desk.shared.errors import OdscError, ValidationError
from odsc_desk.shared.laotext import breakable
from odsc_desk.shared.office_codes import clean_counter, clean_office_code
from odsc_desk.shared.text import clean_name
from ui.i18n import Language
from ui.widgets import ErrorLabel, LanguageSwitch
from ui.worker import Worker

OFFICE, ADMIN, CATALOG = range(3)


class SetupPage(QWizardPage):
    """A page with a red line under each of its fields."""

    def __init__(self, lang: Language) -> None:
        super().__init__()
        self.lang = lang
        self.errors: dict[str, ErrorLabel] = {}
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.labels: dict[str, QLabel] = {}

    def add_field(self, field: str, edit: QLineEdit) -> QLineEdit:
        self.errors[field] = ErrorLabel(self.lang)
        self.labels[field] = QLabel()
        self.labels[field].setBuddy(edit)
        column = QVBoxLayout()
        column.setSpacing(2)
        column.addWidget(edit)
        column.addWidget(self.errors[field])
        self.form.addRow(self.labels[field], column)
        return edit

    def show_error(self, field: str | None, error: OdscError) -> None:
        self.errors.get(field or "", self.errors["general"]).show_error(error)

    def clear_errors(self) -> None:
        for label in self.errors.values():
            label.clear_error()

    def check(self, checks: list[tuple[str, Callable[[], object]]]) -> bool:
        """Next: run the core's check of each field; every refusal is shown under its field
        and the first refused field gets the keyboard, its text selected to be typed over."""
        self.clear_errors()
        refused = []
        for field, check in checks:
            try:
                check()
            except OdscError as error:
                self.show_error(field, error)
                refused.append(field)
        edit = getattr(self, refused[0], None) if refused else None
        if isinstance(edit, QLineEdit):
            edit.setFocus()
            edit.selectAll()
        return not refused

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        pass  # each page sets its own strings


class OfficePage(SetupPage):
    def __init__(self, lang: Language) -> None:
        super().__init__(lang)
        self.office_code = self.add_field("office_code", QLineEdit())
        self.office_name = self.add_field("office_name", QLineEdit())
        self.counter = self.add_field("counter", QLineEdit("1"))
        self.language = LanguageSwitch(lang)
        self.office_code.setMaxLength(20)
        self.counter.setMaxLength(2)
        self.errors["general"] = self.errors["office_code"]
        column = QVBoxLayout(self)
        column.addWidget(self.language)
        column.addSpacing(8)
        column.addLayout(self.form)
        # The switch sits on top but comes last in the tab order: the wizard gives the first
        # focusable widget the focus, and most users type the office code straight away.
        chain = [self.office_code, self.office_name, self.counter, *self.language.buttons.values()]
        for first, second in pairwise(chain):
            self.setTabOrder(first, second)
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(self.tr("Welcome to ODSC Desk"))
        self.setSubTitle(
            breakable(self.tr("This counter has no data yet. First, the office it belongs to."))
        )
        self.labels["office_code"].setText(self.tr("Office &code"))
        self.labels["office_name"].setText(self.tr("Office na&me"))
        self.labels["counter"].setText(self.tr("Counter n&umber"))
        self.office_code.setPlaceholderText(self.tr("for example VTE-SST"))

    def validatePage(self) -> bool:
        valid = self.check(
            [
                ("office_code", lambda: clean_office_code(self.office_code.text())),
                ("office_name", lambda: clean_name(self.office_name.text(), "office_name")),
                ("counter", lambda: clean_counter(self.counter.text())),
            ]
        )
        typed = self.office_code.text()
        fixed = re.sub(r"[\s_.]+", "-", typed.strip())
        if not valid and fixed != typed.strip() and self._valid_code(fixed):
            # 'vte sst': the user meant the right code with the wrong separator; say it.
            error = ValidationError("office.code_invalid", "office_code")
            self.errors["office_code"].show_text(
                lambda: self.tr("{problem}. Write it as {code}.").format(
                    problem=self.lang.message(error), code=fixed.upper()
                )
            )
        return valid

    @staticmethod
    def _valid_code(code: str) -> bool:
        try:
            clean_office_code(code)
        except ValidationError:
            return False
        return True


class AdminPage(SetupPage):
    def __init__(self, lang: Language) -> None:
        super().__init__(lang)
        self.username = self.add_field("username", QLineEdit("admin"))
        self.password = self.add_field("password", QLineEdit())
        self.password_again = self.add_field("password_again", QLineEdit())
        for edit in (self.password, self.password_again):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.errors["general"] = self.errors["username"]
        self.note = QLabel()
        self.note.setWordWrap(True)
        column = QVBoxLayout(self)
        column.addLayout(self.form)
        column.addWidget(self.note)
        self.retranslate()

    def validatePage(self) -> bool:
        valid = self.check(
            [
                ("username", lambda: users.clean_username(self.username.text())),
                (
                    "password",
                    lambda: users.check_password_strength(
                        self.password.text(), self.username.text()
                    ),
                ),
                ("password_again", self._same_password),
            ]
        )
        if self.errors["username"].isHidden():
            # A password that is refused is typed again; after a mismatch, the second one.
            retype = [self.password, self.password_again]
            if self.errors["password"].isHidden():
                retype = retype[1:] if not self.errors["password_again"].isHidden() else []
            for edit in retype:
                edit.clear()
            if retype:
                retype[0].setFocus()
        return valid

    def _same_password(self) -> None:
        if self.password.text() != self.password_again.text():
            raise ValidationError("password.mismatch", "password_again")

    def retranslate(self) -> None:
        self.setTitle(self.tr("The first administrator"))
        self.setSubTitle(
            breakable(
                self.tr(
                    "The administrator adds the other users and can do everything at this counter."
                )
            )
        )
        self.labels["username"].setText(self.tr("&User name"))
        self.labels["password"].setText(self.tr("&Password"))
        self.labels["password_again"].setText(self.tr("Password &again"))
        self.note.setText(
            breakable(
                self.tr(
                    "At least {minimum} characters, not the user name and not a common password."
                    " Keep it safe: it cannot be recovered."
                ).format(minimum=users.PASSWORD_MIN)
            )
        )


class CatalogPage(SetupPage):
    def __init__(self, lang: Language, data_dir: Path) -> None:
        super().__init__(lang)
        self.data_dir = data_dir
        self.demo = QRadioButton()
        self.from_file = QRadioButton()
        self.demo.setChecked(True)
        self.path = QLineEdit()
        self.choose = QPushButton()
        self.choose.clicked.connect(self.choose_file)
        self.from_file.toggled.connect(self._file_mode)
        self.where = QLabel()
        self.where.setWordWrap(True)
        self.working = QLabel()
        self.working.hide()
        for field in ("catalog", "general"):
            self.errors[field] = ErrorLabel(lang)
        self.errors["file"] = self.errors["catalog"]
        file_row = QHBoxLayout()
        file_row.addWidget(self.path, 1)
        file_row.addWidget(self.choose)
        column = QVBoxLayout(self)
        column.addWidget(self.demo)
        column.addWidget(self.from_file)
        column.addLayout(file_row)
        column.addWidget(self.errors["catalog"])
        column.addSpacing(12)
        column.addWidget(self.where)
        column.addWidget(self.errors["general"])
        column.addWidget(self.working)
        column.addStretch(1)
        for first, second in (
            (self.demo, self.from_file),
            (self.from_file, self.path),
            (self.path, self.choose),
        ):
            self.setTabOrder(first, second)
        self._file_mode(False)
        self.retranslate()

    def _file_mode(self, on: bool) -> None:
        self.path.setEnabled(on)
        self.choose.setEnabled(on)
        if on:
            self.path.setFocus()

    def choose_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Choose the catalog file"),
            self.path.text() or str(Path.home()),
            self.tr("Catalog files (*.json);;All files (*)"),
        )
        if name:
            self.path.setText(name)

    def catalog_file(self) -> Path:
        return demo_catalog_path() if self.demo.isChecked() else Path(self.path.text().strip())

    def validatePage(self) -> bool:
        if self.from_file.isChecked() and not self.path.text().strip():
            self.errors["catalog"].show_text(lambda: self.tr("Choose a catalog file."))
            self.path.setFocus()
            return False
        return True

    def retranslate(self) -> None:
        self.setTitle(self.tr("The service catalog"))
        self.setSubTitle(
            breakable(self.tr("The services, fees and documents this counter works with."))
        )
        self.demo.setText(self.tr("&Demo catalog (sample services, for trying the program)"))
        self.from_file.setText(self.tr("A catalog file from the cen&tre:"))
        self.choose.setText(self.tr("&Choose…"))
        self.path.setPlaceholderText(self.tr("catalog file (.json)"))
        self.where.setText(
            self.tr("The data will be kept in: {folder}").format(folder=self.data_dir)
        )
        self.working.setText(self.tr("Creating the store…"))


class SetupWizard(QWizard):
    """Makes the store; accepts only once it exists. `hasher` is for tests (default Argon2)."""

    def __init__(
        self,
        data_dir: Path,
        worker: Worker,
        lang: Language,
        parent: QWidget | None = None,
        *,
        hasher: PasswordHasher | None = None,
    ) -> None:
        super().__init__(parent)
        self.data_dir = Path(data_dir)
        self.worker = worker
        self.lang = lang
        self.hasher = hasher
        self.busy = False
        self.quit_question: QMessageBox | None = None
        self.result_info: StoreInitialised | None = None
        self.office = OfficePage(lang)
        self.admin = AdminPage(lang)
        self.catalog = CatalogPage(lang, self.data_dir)
        self.pages: dict[int, SetupPage] = {
            OFFICE: self.office,
            ADMIN: self.admin,
            CATALOG: self.catalog,
        }
        for page_id, page in self.pages.items():
            self.setPage(page_id, page)
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        worker.failed.connect(self._on_bug)
        self.setMinimumSize(640, 460)
        self.retranslate()

    def initializePage(self, page_id: int) -> None:
        super().initializePage(page_id)
        # The first field, not the language switch above it: most users type straight away.
        first = {OFFICE: self.office.office_code, ADMIN: self.admin.username}
        if page_id in first:
            first[page_id].setFocus()
            first[page_id].selectAll()

    def accept(self) -> None:
        """Finish: make the store on the worker; the dialog closes only if that worked."""
        if self.busy or not self.validateCurrentPage():
            return
        for page in self.pages.values():
            page.clear_errors()
        office, admin = self.office, self.admin
        # Read on the UI thread now; the worker only gets the plain values.
        hasher = self.hasher
        office_code, office_name = office.office_code.text(), office.office_name.text()
        counter, username = office.counter.text(), admin.username.text()
        password, catalog_file = admin.password.text(), self.catalog.catalog_file()
        self._set_busy(True)
        # The store does not exist yet, so this is a plain call, not a task on an open store.
        self.worker.call(
            lambda: init_store(
                self.data_dir,
                office_code=office_code,
                office_name=office_name,
                counter=counter,
                admin=username,
                password=password,
                catalog_file=catalog_file,
                hasher=hasher,
            ),
            self._created,
            self._refused,
        )

    def _created(self, info: StoreInitialised) -> None:
        self._set_busy(False)
        self.result_info = info
        super().accept()

    def _refused(self, error: OdscError) -> None:
        self._set_busy(False)
        # The page with a line for the field the core names; anything else goes on the last.
        target = next((n for n, p in self.pages.items() if error.field in p.errors), CATALOG)
        while self.currentId() > target:
            self.back()
        self.pages[target].show_error(error.field, error)
        edit = getattr(self.pages[target], error.field or "", None)
        if isinstance(edit, QLineEdit) and edit.isEnabled():
            edit.setFocus()
            edit.selectAll()

    def _on_bug(self, error: Exception) -> None:
        if self.busy:
            self._set_busy(False)
            self.catalog.errors["general"].show_text(
                lambda: self.tr("Something went wrong: {detail}").format(detail=error)
            )

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.catalog.working.setVisible(busy)
        for which in (QWizard.WizardButton.FinishButton, QWizard.WizardButton.BackButton):
            self.button(which).setEnabled(not busy)
        self.setCursor(Qt.CursorShape.WaitCursor if busy else Qt.CursorShape.ArrowCursor)

    def reject(self) -> None:
        """Esc, Cancel and the window's close button: ask first, nothing typed is kept."""
        # Leaving half-way through the write would close the app on a store being made.
        if self.busy or self.quit_question is not None:
            return
        question = QMessageBox(self)
        question.setIcon(QMessageBox.Icon.Question)
        question.setWindowTitle(self.tr("ODSC Desk: first setup"))
        question.setText(self.tr("Quit setup? Nothing is saved."))
        question.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        # Enter and Esc both stay in the setup: only a deliberate Yes leaves it.
        question.setDefaultButton(QMessageBox.StandardButton.No)
        question.setEscapeButton(QMessageBox.StandardButton.No)
        question.button(QMessageBox.StandardButton.Yes).setText(self.tr("Quit setup"))
        question.button(QMessageBox.StandardButton.No).setText(self.tr("Go on with the setup"))
        question.finished.connect(lambda _result: self._quit_answered(question))
        self.quit_question = question
        question.open()

    def _quit_answered(self, question: QMessageBox) -> None:
        self.quit_question = None
        question.deleteLater()
        if question.clickedButton() is question.button(QMessageBox.StandardButton.Yes):
            super().reject()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("ODSC Desk: first setup"))
        for which, text in (
            (QWizard.WizardButton.BackButton, self.tr("< &Back")),
            (QWizard.WizardButton.NextButton, self.tr("&Next >")),
            (QWizard.WizardButton.FinishButton, self.tr("&Finish")),
            (QWizard.WizardButton.CancelButton, self.tr("Cancel")),
        ):
            self.setButtonText(which, text)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
