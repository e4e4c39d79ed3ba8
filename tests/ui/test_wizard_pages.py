"""The setup wizard checks each page on Next with the core's rules and says why on the page, in
Lao and English; Esc, Cancel and closing the window ask before leaving. Keys through QTest."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from odsc_desk.domain import users
from odsc_desk.shared.errors import ValidationError
from odsc_desk.shared.laotext import unbreakable
from odsc_desk.storage.store import open_store, store_path
from tests.conftest import FAST_HASHER
from tests.ui.conftest import ImmediateExecutor
from tests.ui.keys import type_text
from ui.wizard import ADMIN, CATALOG, OFFICE, SetupWizard
from ui.worker import Worker

OFFICE_NAME = "ຫ້ອງການບໍລິການປະຕູດຽວ ເມືອງໄຊເສດຖາ"
PASSWORD = "ວຽງຈັນ-2026"


@pytest.fixture(params=["lo", "en"])
def wizard(request, qtbot, tmp_path: Path, lang) -> SetupWizard:
    lang.set(request.param)
    data_dir = tmp_path / "data"
    worker = Worker(lambda: open_store(data_dir, hasher=FAST_HASHER), ImmediateExecutor())
    dialog = SetupWizard(data_dir, worker, lang, hasher=FAST_HASHER)
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):
        dialog.show()
    yield dialog
    worker.shutdown()


def press(key: Qt.Key) -> None:
    QTest.keyClick(QApplication.focusWidget(), key)


def said(wizard: SetupWizard, error: ValidationError) -> str:
    return error.message_lo if wizard.lang.code == "lo" else error.message_en


def shown(label) -> str:
    return unbreakable(label.text()) if not label.isHidden() else ""


def fill_office(code: str, name: str = OFFICE_NAME, counter: str = "1") -> None:
    type_text(code)
    press(Qt.Key.Key_Tab)
    type_text(name)
    press(Qt.Key.Key_Tab)
    QApplication.focusWidget().selectAll()
    type_text(counter)
    press(Qt.Key.Key_Return)


def fill_admin(name: str, password: str, again: str) -> None:
    QApplication.focusWidget().selectAll()  # "admin" is there already
    type_text(name)
    press(Qt.Key.Key_Tab)
    type_text(password)
    press(Qt.Key.Key_Tab)
    type_text(again)
    press(Qt.Key.Key_Return)


def no_store(wizard: SetupWizard) -> bool:
    return not store_path(wizard.data_dir).exists()


def test_an_office_code_with_a_space_is_refused_with_the_form_to_write(wizard):
    fill_office("vte sst")

    assert wizard.currentId() == OFFICE
    error = shown(wizard.office.errors["office_code"])
    assert error.startswith(said(wizard, ValidationError("office.code_invalid")))
    assert "VTE-SST" in error.split(")", 1)[1]  # said again after the core's example
    assert QApplication.focusWidget() is wizard.office.office_code
    assert wizard.office.office_name.text() == OFFICE_NAME
    assert no_store(wizard)

    QApplication.focusWidget().selectAll()
    type_text("vte-sst")
    press(Qt.Key.Key_Return)
    assert wizard.currentId() == ADMIN
    assert shown(wizard.office.errors["office_code"]) == ""


def test_an_office_without_a_name_is_refused_under_the_name(wizard):
    fill_office("VTE-SST", name="")

    assert wizard.currentId() == OFFICE
    assert shown(wizard.office.errors["office_name"]) != ""
    assert shown(wizard.office.errors["office_code"]) == ""
    assert QApplication.focusWidget() is wizard.office.office_name


def test_a_three_character_password_is_refused_on_next(wizard):
    fill_office("VTE-SST")
    fill_admin("chanh", "abc", "abc")

    assert wizard.currentId() == ADMIN
    expected = said(wizard, ValidationError("user.password_short", minimum=users.PASSWORD_MIN))
    assert shown(wizard.admin.errors["password"]) == expected
    assert QApplication.focusWidget() is wizard.admin.password
    assert no_store(wizard)


def test_a_user_name_of_two_words_is_refused_on_next(wizard):
    fill_office("VTE-SST")
    fill_admin("chanh sone", PASSWORD, PASSWORD)

    assert wizard.currentId() == ADMIN
    expected = said(wizard, ValidationError("user.name_invalid", limit=40))
    assert shown(wizard.admin.errors["username"]) == expected
    assert wizard.admin.password.text() == PASSWORD  # only the name is typed again
    assert QApplication.focusWidget() is wizard.admin.username


def test_good_pages_go_through_to_the_catalog(wizard):
    fill_office("VTE-SST")
    fill_admin("ສົມສັກ", PASSWORD, PASSWORD)
    assert wizard.currentId() == CATALOG
    press(Qt.Key.Key_Return)
    assert wizard.result() == QDialog.DialogCode.Accepted
    assert not no_store(wizard)


def quit_question(qtbot, wizard: SetupWizard) -> QMessageBox:
    question = wizard.quit_question
    assert question is not None
    qtbot.waitUntil(question.isVisible)
    quit_text = "ອອກຈາກການຕັ້ງຄ່າບໍ? ບໍ່ມີຫຍັງຖືກບັນທຶກ."
    expected = quit_text if wizard.lang.code == "lo" else "Quit setup? Nothing is saved."
    assert question.text() == expected
    return question


def test_esc_asks_and_esc_again_stays_in_the_setup(qtbot, wizard):
    type_text("VTE-SST")
    press(Qt.Key.Key_Escape)
    question = quit_question(qtbot, wizard)

    QTest.keyClick(question, Qt.Key.Key_Escape)

    assert wizard.quit_question is None
    assert wizard.isVisible()
    assert wizard.office.office_code.text() == "VTE-SST"


def test_enter_on_the_question_also_stays(qtbot, wizard):
    press(Qt.Key.Key_Escape)
    question = quit_question(qtbot, wizard)
    QTest.keyClick(question, Qt.Key.Key_Return)
    assert wizard.isVisible()


def test_quit_setup_leaves_without_a_store(qtbot, wizard):
    fill_office("VTE-SST")
    press(Qt.Key.Key_Escape)
    question = quit_question(qtbot, wizard)

    QTest.keyClick(question.button(QMessageBox.StandardButton.Yes), Qt.Key.Key_Space)

    assert not wizard.isVisible()
    assert wizard.result() == QDialog.DialogCode.Rejected
    assert no_store(wizard)


def test_closing_the_window_asks_too(qtbot, wizard):
    wizard.close()
    question = quit_question(qtbot, wizard)
    assert wizard.isVisible()
    question.button(QMessageBox.StandardButton.No).click()
    assert wizard.isVisible()
