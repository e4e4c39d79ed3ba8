"""File → Switch user (Ctrl+L) and Log out (Ctrl+Shift+L): the window acts as whoever logs in
next, its supervisor-only items following their role; a half-typed citizen is asked about
first; Cancel at the login ends the program. Real window, real store, keys through QTest."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from odsc_desk.domain import users
from odsc_desk.storage.store import open_store
from tests.conftest import FAST_HASHER, PASSWORD
from tests.ui.conftest import ImmediateExecutor
from tests.ui.keys import type_text
from ui.accounts_dialog import AccountsDialog
from ui.backup_dialogs import BackupRunner
from ui.context import CounterContext
from ui.login import LoginDialog
from ui.main_window import MainWindow
from ui.worker import Worker

CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
CITIZEN = "ສົມສັກ ວົງສາ"


def show_window(qtbot, ctx: CounterContext) -> MainWindow:
    # Backups on the test's thread: the check at start is over before the first key.
    lane = Worker(lambda: open_store(ctx.data_dir, hasher=FAST_HASHER), ImmediateExecutor())
    window = MainWindow(ctx, backups=BackupRunner(ctx.data_dir, lane))
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
    return window


def press(key: Qt.Key) -> None:
    QTest.keyClick(QApplication.focusWidget(), key)


def log_in(qtbot, dialog: LoginDialog | None, name: str, password: str) -> None:
    assert dialog is not None and dialog.isVisible()
    qtbot.addWidget(dialog)  # closed after the test if it is still up
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.username)
    type_text(name)
    press(Qt.Key.Key_Tab)
    type_text(password)
    press(Qt.Key.Key_Return)


def supervisor_items(window: MainWindow) -> list[bool]:
    return [
        action.isEnabled()
        for action in (window.accounts_action, window.backup_action, window.restore_action)
    ]


def start_citizen(qtbot, window: MainWindow) -> None:
    name = window.intake.edits["citizen_name"]
    name.setFocus()
    qtbot.waitUntil(name.hasFocus)
    type_text(CITIZEN)


@pytest.mark.parametrize("language", ["lo", "en"])
def test_switch_user_hands_the_window_to_a_supervisor_and_back(qtbot, ctx, counter_ui, language):
    ctx.lang.set(language)
    window = show_window(qtbot, ctx)
    window.show_backups()  # seen by the clerk: built with the clerk's buttons off
    window.backups_dialog.reject()
    start_citizen(qtbot, window)
    assert supervisor_items(window) == [False, False, False]

    QTest.keyClick(window, Qt.Key.Key_L, CTRL)
    lock = window.idle_lock.dialog
    assert lock is not None and lock.isVisible()
    assert lock.user.text() == ""  # left for the next user's name
    assert "noy" in lock.explain.text()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is lock.user)
    type_text("somchai")
    press(Qt.Key.Key_Tab)
    type_text(PASSWORD)
    press(Qt.Key.Key_Return)

    assert window.idle_lock.dialog is None
    qtbot.waitUntil(window.isActiveWindow)  # the keyboard is back in the window
    assert ctx.actor == counter_ui.supervisor
    assert supervisor_items(window) == [True, True, True]
    assert window.backups_dialog is None  # made again, for the supervisor, when next opened
    assert "somchai" in window.statusBar().who.text()
    assert window.intake.edits["citizen_name"].text() == CITIZEN  # the lock discards nothing

    QTest.keyClick(window, Qt.Key.Key_L, CTRL)
    lock = window.idle_lock.dialog
    qtbot.waitUntil(lambda: QApplication.focusWidget() is lock.user)
    type_text("noy")
    press(Qt.Key.Key_Tab)
    type_text(PASSWORD)
    press(Qt.Key.Key_Return)
    assert ctx.actor == counter_ui.clerk
    assert supervisor_items(window) == [False, False, False]


def test_switch_user_refuses_a_wrong_password_and_stays_locked(qtbot, ctx, counter_ui):
    window = show_window(qtbot, ctx)
    QTest.keyClick(window, Qt.Key.Key_L, CTRL)
    lock = window.idle_lock.dialog
    QTest.keyClicks(lock.user, "somchai")
    QTest.keyClicks(lock.password, "not-the-password")
    QTest.keyClick(lock.password, Qt.Key.Key_Return)
    QTest.keyClick(lock, Qt.Key.Key_Escape)
    assert window.idle_lock.dialog is lock and lock.isVisible()
    assert "Wrong user name or password" in lock.error.text()
    assert ctx.actor == counter_ui.clerk


@pytest.mark.parametrize("language", ["lo", "en"])
def test_log_out_asks_about_a_half_typed_citizen_first(qtbot, ctx, counter_ui, language):
    ctx.lang.set(language)
    window = show_window(qtbot, ctx)
    start_citizen(qtbot, window)

    QTest.keyClick(window, Qt.Key.Key_L, CTRL_SHIFT)
    question = window.intake.discard_question
    assert question is not None and question.isVisible()
    QTest.keyClick(question, Qt.Key.Key_Escape)  # No: keep it, stay logged in

    assert window.isVisible() and window.login_dialog is None
    assert window.intake.edits["citizen_name"].text() == CITIZEN

    QTest.keyClick(window, Qt.Key.Key_L, CTRL_SHIFT)
    question = window.intake.discard_question
    QTest.keyClick(question.button(QMessageBox.StandardButton.Yes), Qt.Key.Key_Space)

    assert not window.isVisible()
    log_in(qtbot, window.login_dialog, "somchai", PASSWORD)

    assert window.isVisible() and window.login_dialog is None
    assert ctx.actor == counter_ui.supervisor
    assert supervisor_items(window) == [True, True, True]
    assert window.intake.edits["citizen_name"].text() == ""
    assert window.tabs.currentWidget() is window.intake
    assert window.idle_lock.timer.isActive()  # the idle time counts again, for the new user


def test_log_out_with_nothing_typed_goes_straight_to_the_login(qtbot, ctx, counter_ui):
    window = show_window(qtbot, ctx)
    QTest.keyClick(window, Qt.Key.Key_L, CTRL_SHIFT)
    assert window.intake.discard_question is None
    assert not window.isVisible()
    login = window.login_dialog
    log_in(qtbot, login, "noy", "not-the-password")  # refused at the login, as at the start
    assert login.isVisible() and not window.isVisible()
    assert window.login_dialog is login


def test_cancel_at_the_login_after_log_out_ends_the_program(qtbot, ctx, counter_ui):
    window = show_window(qtbot, ctx)
    QTest.keyClick(window, Qt.Key.Key_L, CTRL_SHIFT)
    login = window.login_dialog
    QTest.keyClick(login, Qt.Key.Key_Escape)
    assert window.login_dialog is None
    # Nothing is left on the screen, so Qt ends the program (its last window closed).
    assert not any(widget.isVisible() for widget in QApplication.topLevelWidgets())


def test_a_clerk_added_in_accounts_logs_in_and_the_window_acts_as_them(
    qtbot, supervisor_ctx, counter_ui
):
    window = show_window(qtbot, supervisor_ctx)
    QTest.keyClick(window, Qt.Key.Key_M, CTRL_SHIFT)
    accounts = window.findChild(AccountsDialog)
    qtbot.waitUntil(accounts.isActiveWindow)
    type_text("ສົມພອນ")
    for _ in range(2):  # the role stays "clerk"
        press(Qt.Key.Key_Tab)
    type_text("ປະຕູດຽວ-2026")
    press(Qt.Key.Key_Tab)
    type_text("ປະຕູດຽວ-2026")
    press(Qt.Key.Key_Return)
    QTest.keyClick(accounts, Qt.Key.Key_Escape)
    qtbot.waitUntil(window.isActiveWindow)

    QTest.keyClick(window, Qt.Key.Key_L, CTRL_SHIFT)
    log_in(qtbot, window.login_dialog, "ສົມພອນ", "ປະຕູດຽວ-2026")

    assert supervisor_ctx.actor.username == "ສົມພອນ"
    assert supervisor_ctx.actor.role == "clerk"
    assert supervisor_items(window) == [False, False, False]
    assert "ສົມພອນ" in window.statusBar().who.text()
    QTest.keyClick(window, Qt.Key.Key_M, CTRL_SHIFT)
    assert not any(d.isVisible() for d in window.findChildren(AccountsDialog))
    assert users.authenticate(counter_ui.store, "ສົມພອນ", "ປະຕູດຽວ-2026").role == "clerk"
