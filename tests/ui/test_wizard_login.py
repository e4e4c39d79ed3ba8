"""First-run wizard and login: real widgets, real store files, driven from the keyboard."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QDialog

from odsc_desk.domain import users
from odsc_desk.shared.errors import AuthError, StoreError, ValidationError
from odsc_desk.shared.laotext import unbreakable
from odsc_desk.storage.store import open_store, store_path
from odsc_desk.storage.store_file import SQLITE_MAGIC
from tests.conftest import FAST_HASHER, PASSWORD
from tests.ui.conftest import ImmediateExecutor, make_worker
from ui.login import LoginDialog
from ui.wizard import ADMIN, CATALOG, OFFICE, SetupWizard
from ui.worker import Worker

OFFICE_NAME = "ຫ້ອງການບໍລິການປະຕູດຽວ ເມືອງໄຊເສດຖາ"
ADMIN_PASSWORD = "ວຽງຈັນ-2026"


def type_keys(qtbot, text: str) -> None:
    """Key presses into the focused widget. QTest only knows ASCII keys, so Lao letters go in
    as the key events a Lao keyboard layout produces: no key code, the letter as text."""
    target = QApplication.focusWidget()
    for char in text:
        if char.isascii():
            qtbot.keyClick(target, char)
            continue
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(target, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


def press(qtbot, key: Qt.Key) -> None:
    qtbot.keyClick(QApplication.focusWidget(), key)


def shown(label) -> str:
    return unbreakable(label.text()) if label.isVisible() else ""


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def wizard(qtbot, data_dir: Path, lang) -> SetupWizard:
    worker = Worker(lambda: open_store(data_dir, hasher=FAST_HASHER), ImmediateExecutor())
    dialog = SetupWizard(data_dir, worker, lang, hasher=FAST_HASHER)
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):
        dialog.show()
    yield dialog
    worker.shutdown()


def fill_office(qtbot, code: str = "vte-xst", counter: str = "2") -> None:
    type_keys(qtbot, code)
    press(qtbot, Qt.Key.Key_Tab)
    type_keys(qtbot, OFFICE_NAME)
    press(qtbot, Qt.Key.Key_Tab)
    type_keys(qtbot, counter)
    press(qtbot, Qt.Key.Key_Return)


def fill_admin(qtbot, password: str = ADMIN_PASSWORD, again: str | None = None) -> None:
    type_keys(qtbot, "chanh")
    press(qtbot, Qt.Key.Key_Tab)
    type_keys(qtbot, password)
    press(qtbot, Qt.Key.Key_Tab)
    type_keys(qtbot, password if again is None else again)
    press(qtbot, Qt.Key.Key_Return)


def test_wizard_creates_the_store_from_the_keyboard(qtbot, wizard, data_dir):
    fill_office(qtbot)
    assert wizard.currentId() == ADMIN
    fill_admin(qtbot)
    assert wizard.currentId() == CATALOG
    assert wizard.catalog.demo.isChecked()
    press(qtbot, Qt.Key.Key_Return)

    assert wizard.result() == QDialog.DialogCode.Accepted
    store = open_store(data_dir, hasher=FAST_HASHER)
    try:
        assert store.office["office_code"] == "VTE-XST"
        assert store.office["office_name"] == OFFICE_NAME
        assert store.office["counter"] == 2
        assert users.authenticate(store, "chanh", ADMIN_PASSWORD).role == "admin"
    finally:
        store.close()


def test_wizard_bad_office_code_is_refused_on_next(qtbot, wizard, data_dir, lang):
    fill_office(qtbot, code="V")

    assert wizard.currentId() == OFFICE
    expected = lang.message(ValidationError("office.code_invalid"))
    assert shown(wizard.office.errors["office_code"]) == expected
    assert wizard.office.office_name.text() == OFFICE_NAME
    assert QApplication.focusWidget() is wizard.office.office_code
    assert not store_path(data_dir).exists()


def test_wizard_counter_zero_is_refused_next_to_the_counter(qtbot, wizard, data_dir, lang):
    fill_office(qtbot, counter="0")

    assert wizard.currentId() == OFFICE
    expected = lang.message(ValidationError("office.counter_invalid", limit=99))
    assert shown(wizard.office.errors["counter"]) == expected
    assert shown(wizard.office.errors["office_code"]) == ""
    assert wizard.office.counter.text() == "0"
    assert not store_path(data_dir).exists()


def test_wizard_short_password_is_refused_on_the_admin_page(qtbot, wizard, data_dir, lang):
    fill_office(qtbot)
    fill_admin(qtbot, password="abc")

    assert wizard.currentId() == ADMIN
    expected = lang.message(ValidationError("user.password_short", minimum=users.PASSWORD_MIN))
    assert shown(wizard.admin.errors["password"]) == expected
    assert wizard.admin.password.text() == wizard.admin.password_again.text() == ""
    assert QApplication.focusWidget() is wizard.admin.password
    assert wizard.office.office_code.text() == "vte-xst"
    assert not store_path(data_dir).exists()


def test_wizard_passwords_that_differ_stay_on_the_admin_page(qtbot, wizard, data_dir, lang):
    fill_office(qtbot)
    fill_admin(qtbot, again="ວຽງຈັນ-2027")

    assert wizard.currentId() == ADMIN
    expected = lang.message(ValidationError("password.mismatch"))
    assert shown(wizard.admin.errors["password_again"]) == expected
    assert wizard.admin.password.text() == ADMIN_PASSWORD
    assert wizard.admin.password_again.text() == ""
    assert QApplication.focusWidget() is wizard.admin.password_again
    assert not store_path(data_dir).exists()


def test_wizard_fixed_after_a_refusal_then_creates_the_store(qtbot, wizard, data_dir):
    fill_office(qtbot, counter="0")
    assert QApplication.focusWidget() is wizard.office.counter
    type_keys(qtbot, "3")  # replaces the selected "0"; nothing else is typed again
    press(qtbot, Qt.Key.Key_Return)
    fill_admin(qtbot)
    press(qtbot, Qt.Key.Key_Return)

    assert wizard.result() == QDialog.DialogCode.Accepted
    store = open_store(data_dir, hasher=FAST_HASHER)
    try:
        assert store.office["counter"] == 3
    finally:
        store.close()


@pytest.fixture
def login(qtbot, counter_ui, lang) -> LoginDialog:
    worker = make_worker(counter_ui)
    dialog = LoginDialog(worker, lang)
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):
        dialog.show()
    yield dialog
    worker.shutdown()


def test_login_success_sets_actor_and_office(qtbot, login):
    type_keys(qtbot, "noy")
    press(qtbot, Qt.Key.Key_Tab)
    type_keys(qtbot, PASSWORD)
    press(qtbot, Qt.Key.Key_Return)

    assert login.result() == QDialog.DialogCode.Accepted
    assert login.actor.username == "noy"
    assert login.actor.role == "clerk"
    assert login.office["office_code"] == "VTE-SST"


def test_login_wrong_password_says_so_and_keeps_the_name(qtbot, login, lang):
    type_keys(qtbot, "noy")
    press(qtbot, Qt.Key.Key_Tab)
    type_keys(qtbot, "not-the-password")
    press(qtbot, Qt.Key.Key_Return)

    assert login.actor is None
    assert login.result() != QDialog.DialogCode.Accepted
    assert shown(login.password_error) == lang.message(AuthError("auth.failed"))
    assert login.password.text() == ""
    assert login.username.text() == "noy"
    assert QApplication.focusWidget() is login.password


def test_login_damaged_store_is_shown_in_the_dialog(qtbot, data_dir, lang):
    data_dir.mkdir()
    store_path(data_dir).write_bytes(SQLITE_MAGIC + b"\x07damaged" * 2000)
    worker = Worker(lambda: open_store(data_dir, hasher=FAST_HASHER), ImmediateExecutor())
    dialog = LoginDialog(worker, lang)
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):
        dialog.show()
    expected = lang.message(StoreError("store.corrupt", path=str(store_path(data_dir))))
    assert shown(dialog.store_error) == expected

    type_keys(qtbot, "admin")
    press(qtbot, Qt.Key.Key_Tab)
    type_keys(qtbot, PASSWORD)
    press(qtbot, Qt.Key.Key_Return)

    assert dialog.actor is None
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert shown(dialog.store_error) == expected
    assert dialog.username.text() == "admin"
    worker.shutdown()


def test_wizard_starts_in_lao_and_switches_to_english(qtbot, wizard, lang):
    assert wizard.office.language.buttons["lo"].isChecked()
    assert wizard.office.title() == "ຍິນດີຕ້ອນຮັບສູ່ ODSC Desk"

    wizard.office.language.buttons["en"].click()

    assert lang.code == "en"
    qtbot.waitUntil(lambda: wizard.office.title() == "Welcome to ODSC Desk")
    assert wizard.buttonText(wizard.WizardButton.NextButton) == "&Next >"


def test_login_language_switch_rerenders_the_refusal(qtbot, login, lang):
    type_keys(qtbot, "noy")
    press(qtbot, Qt.Key.Key_Tab)
    type_keys(qtbot, "not-the-password")
    press(qtbot, Qt.Key.Key_Return)
    refusal = AuthError("auth.failed")
    assert shown(login.password_error) == refusal.message_lo

    login.language.buttons["en"].click()

    assert shown(login.password_error) == refusal.message_en
    qtbot.waitUntil(lambda: login.login_button.text() == "Log in")
    assert login.username.text() == "noy"


def test_login_tab_goes_round_every_control(qtbot, login):
    seen = []
    for _ in range(6):
        seen.append(QApplication.focusWidget())
        press(qtbot, Qt.Key.Key_Tab)

    assert seen == [
        login.username,
        login.password,
        login.login_button,
        login.cancel_button,
        login.language.buttons["lo"],
        login.username,
    ]
