"""A new counter's first run, as `make run` starts it: the wizard, the login, the window."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from odsc_desk.storage.store import open_store, store_path
from tests.ui.conftest import ImmediateExecutor
from ui.app import present, start
from ui.login import LoginDialog
from ui.wizard import SetupWizard
from ui.worker import Worker

PASSWORD = "first-run-2026"


def test_wizard_then_login_then_the_counter_window(qtbot, lang, tmp_path):
    data_dir = tmp_path / "local-data"
    worker = Worker(lambda: open_store(data_dir), ImmediateExecutor())
    seen: list[str] = []

    def drive() -> None:
        # Modal dialogs run their own event loop: answer whichever one is up, as a person would.
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, SetupWizard) and "wizard" not in seen:
            seen.append("wizard")
            dialog.office.office_code.setText("VTE-SST")
            dialog.office.office_name.setText("ຫ້ອງການບໍລິການປະຕູດຽວ ເມືອງສີສັດຕະນາກ")
            dialog.next()
            dialog.admin.password.setText(PASSWORD)
            dialog.admin.password_again.setText(PASSWORD)
            dialog.next()
            dialog.accept()  # the demo catalog is already chosen
        elif isinstance(dialog, LoginDialog) and "login" not in seen:
            seen.append("login")
            dialog.username.setText("admin")
            dialog.password.setText(PASSWORD)
            dialog.log_in()
            return
        QTimer.singleShot(20, drive)

    QTimer.singleShot(0, drive)
    window = start(data_dir, lang, worker)
    assert seen == ["wizard", "login"]
    assert store_path(data_dir).exists()
    assert window is not None
    qtbot.addWidget(window)
    present(window)
    # The login dialog is gone: the window has the keyboard, its shortcuts work without a click.
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.intake.picker.search)
    assert window.ctx.actor.username == "admin"
    assert window.ctx.office["office_code"] == "VTE-SST"
    assert window.tabs.tabText(0) == "ຄຳຮ້ອງໃໝ່"
    assert window.intake.isVisible()
