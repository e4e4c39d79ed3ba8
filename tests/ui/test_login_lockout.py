"""The window's login and idle lock are slowed and locked by the core after failed passwords,
and say so in Lao; the wizard and the Accounts dialog refuse a password holding the user name.
The store's clock is the fixture's: nothing here waits."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog, QWidget

from odsc_desk.domain import users
from odsc_desk.shared.errors import AuthError, ValidationError
from tests.conftest import PASSWORD
from tests.ui.conftest import make_worker
from tests.ui.test_wizard_login import shown
from ui.accounts_dialog import AccountsDialog
from ui.idle_lock import LockDialog
from ui.login import LoginDialog


@pytest.fixture
def login(qtbot, counter_ui, lang) -> LoginDialog:
    worker = make_worker(counter_ui)
    dialog = LoginDialog(worker, lang)
    qtbot.addWidget(dialog)
    dialog.show()
    yield dialog
    worker.shutdown()


def try_login(dialog: LoginDialog, name: str, password: str) -> None:
    dialog.username.setText(name)
    dialog.password.setText(password)
    dialog.log_in()


def test_the_login_window_makes_a_guesser_wait_then_locks_the_name(login, counter_ui, lang):
    for _ in range(3):
        try_login(login, "noy", "wrong-password")
        assert shown(login.password_error) == lang.message(AuthError("auth.failed"))
    # The right password, straight after three failures, waits a second; said in Lao.
    try_login(login, "noy", PASSWORD)
    assert login.actor is None
    said = shown(login.password_error)
    assert said == lang.message(AuthError("auth.wait", seconds=1))
    assert "ລໍຖ້າ 1 ວິນາທີ" in said
    for _ in range(7):
        counter_ui.clock.advance(seconds=60)
        try_login(login, "noy", "wrong-password")
    assert "ລັອກ" in shown(login.password_error)
    counter_ui.clock.advance(seconds=60)
    try_login(login, "noy", PASSWORD)
    assert login.actor is None and "ລັອກ" in shown(login.password_error)
    users.unlock(counter_ui.store, counter_ui.supervisor, "noy")
    try_login(login, "noy", PASSWORD)
    assert login.result() == QDialog.DialogCode.Accepted
    assert login.actor.username == "noy"


def test_the_idle_lock_counts_failures_too(qtbot, ctx, counter_ui):
    parent = QWidget()
    qtbot.addWidget(parent)
    dialog = LockDialog(ctx, 15, parent)
    for _ in range(3):
        dialog.password.setText("wrong-password")
        dialog.try_unlock()
    dialog.password.setText(PASSWORD)
    dialog.try_unlock()
    text = dialog.error.text()
    assert "ລໍຖ້າ 1 ວິນາທີ" in text and "wait 1 s" in text
    assert dialog.result() != QDialog.DialogCode.Accepted
    counter_ui.clock.advance(seconds=1)
    dialog.password.setText(PASSWORD)
    dialog.try_unlock()
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_accounts_refuses_a_password_holding_the_name_in_lao(qtbot, ctx, counter_ui, lang):
    ctx.actor = counter_ui.supervisor
    dialog = AccountsDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    assert "ລະຫັດຜ່ານທີ່ຄົນໃຊ້ຫຼາຍ" in dialog.rule.text().replace("\u200b", "")
    dialog.username.setText("khamla")
    for edit in (dialog.password, dialog.password_again):
        edit.setText("khamla-2026-x")
    dialog.add()
    expected = lang.message(ValidationError("user.password_name"))
    assert shown(dialog.labels["password"]) == expected
    assert counter_ui.store.scalar("SELECT 1 FROM users WHERE username = 'khamla'") is None
