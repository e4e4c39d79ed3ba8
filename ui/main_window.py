"""The counter window: a composition of small widgets, with menus and window-wide shortcuts.

Each tab is its own widget with its own logic; this class only places them and routes the
window-wide keys.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QFont, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHeaderView,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from odsc_desk.api import Actor, open_store
from odsc_desk.shared.errors import OdscError
from odsc_desk.shared.laotext import breakable
from ui.about_dialog import show_about
from ui.accounts_dialog import AccountsDialog
from ui.backup_dialogs import BackupRunner, BackupsDialog
from ui.context import CounterContext
from ui.day_view import DayView
from ui.i18n import QT_TRANSLATE_NOOP
from ui.idle_lock import IdleLock
from ui.intake import IntakeForm
from ui.login import LoginDialog
from ui.requests_view import RequestsView
from ui.settings_dialog import SettingsDialog
from ui.status_bar import CounterStatusBar
from ui.widgets import fit_to_screen, translate_buttons
from ui.worker import Worker

log = logging.getLogger("odsc.window")

Shortcut = tuple[str, str]  # the key as written on the keyboard, what it does (to translate)

WINDOW_KEYS: tuple[Shortcut, ...] = (
    ("Ctrl+N", QT_TRANSLATE_NOOP("MainWindow", "New request")),
    (
        "Ctrl+F",
        QT_TRANSLATE_NOOP("MainWindow", "Find a request (tracking number, name, phone, ID)"),
    ),
    ("Ctrl+D", QT_TRANSLATE_NOOP("MainWindow", "Day and cash")),
    ("F5", QT_TRANSLATE_NOOP("MainWindow", "Sync with the centre now")),
    ("Ctrl+,", QT_TRANSLATE_NOOP("MainWindow", "Settings")),
    ("Ctrl+Shift+M", QT_TRANSLATE_NOOP("MainWindow", "Accounts (supervisors)")),
    ("Ctrl+L", QT_TRANSLATE_NOOP("MainWindow", "Switch user (lock the window for the next user)")),
    ("Ctrl+Shift+L", QT_TRANSLATE_NOOP("MainWindow", "Log out")),
    ("Ctrl+Q", QT_TRANSLATE_NOOP("MainWindow", "Quit")),
    ("F1", QT_TRANSLATE_NOOP("MainWindow", "Keyboard shortcuts")),
)
INTAKE_KEYS: tuple[Shortcut, ...] = (
    ("↑ ↓", QT_TRANSLATE_NOOP("MainWindow", "Choose a service in the list")),
    ("Ctrl+S", QT_TRANSLATE_NOOP("MainWindow", "Save the request")),
    ("Ctrl+Enter", QT_TRANSLATE_NOOP("MainWindow", "Save the request and take payment")),
    ("Ctrl+Shift+P", QT_TRANSLATE_NOOP("MainWindow", "Print the appointment slip")),
    ("Esc", QT_TRANSLATE_NOOP("MainWindow", "Clear the new-request form")),
    ("Alt+A", QT_TRANSLATE_NOOP("MainWindow", "Tick all documents received")),
)
REQUEST_KEYS: tuple[Shortcut, ...] = (
    ("↓", QT_TRANSLATE_NOOP("MainWindow", "From the search to the list")),
    ("Enter", QT_TRANSLATE_NOOP("MainWindow", "From the list to what can be done")),
    ("Esc", QT_TRANSLATE_NOOP("MainWindow", "Clear the search")),
    ("Ctrl+P", QT_TRANSLATE_NOOP("MainWindow", "Take payment for the selected request")),
    ("Alt+1", QT_TRANSLATE_NOOP("MainWindow", "Mark in process")),
    ("Alt+2", QT_TRANSLATE_NOOP("MainWindow", "Mark ready")),
    ("Alt+3", QT_TRANSLATE_NOOP("MainWindow", "Hand over (collected)")),
    ("Alt+4", QT_TRANSLATE_NOOP("MainWindow", "Documents incomplete")),
    ("Alt+5", QT_TRANSLATE_NOOP("MainWindow", "Reject")),
    ("Alt+6", QT_TRANSLATE_NOOP("MainWindow", "Withdrawn")),
)
PAYMENT_KEYS: tuple[Shortcut, ...] = (
    ("F2", QT_TRANSLATE_NOOP("MainWindow", "Cash handed over: the exact amount")),
    ("F3 F4 F5", QT_TRANSLATE_NOOP("MainWindow", "Cash handed over: the next round sums in notes")),
    ("Enter", QT_TRANSLATE_NOOP("MainWindow", "Record the payment")),
)
DIALOG_KEYS: tuple[Shortcut, ...] = (
    ("Enter", QT_TRANSLATE_NOOP("MainWindow", "Confirm a dialog")),
    ("Esc", QT_TRANSLATE_NOOP("MainWindow", "Cancel a dialog")),
    (
        "Alt+letter",
        QT_TRANSLATE_NOOP("MainWindow", "Go to the field whose label has it underlined"),
    ),
)
SHORTCUTS: tuple[tuple[str, tuple[Shortcut, ...]], ...] = (
    (QT_TRANSLATE_NOOP("MainWindow", "Anywhere in the window"), WINDOW_KEYS),
    (QT_TRANSLATE_NOOP("MainWindow", "New request"), INTAKE_KEYS),
    (QT_TRANSLATE_NOOP("MainWindow", "Requests"), REQUEST_KEYS),
    (QT_TRANSLATE_NOOP("MainWindow", "Taking a payment"), PAYMENT_KEYS),
    (QT_TRANSLATE_NOOP("MainWindow", "Dialogs"), DIALOG_KEYS),
)


class ShortcutsDialog(QDialog):
    """F1: every key of the window in a table, grouped by where it works."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.table = QTableWidget(0, 2)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.close_button = QPushButton()
        self.close_button.setDefault(True)  # Enter and Esc both close it
        self.close_button.clicked.connect(self.accept)
        column = QVBoxLayout(self)
        column.addWidget(self.table)
        column.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignRight)
        self.resize(640, 640)
        self.retranslate()

    def rows(self) -> list[tuple[str, str]]:
        """(key, what it does) in the current language; a group's heading has no key."""
        found = []
        for heading, keys in SHORTCUTS:
            if keys:
                # The group names and the descriptions are the window's strings (QT_TRANSLATE_NOOP).
                found.append(("", QCoreApplication.translate("MainWindow", heading)))
                found += [(key, QCoreApplication.translate("MainWindow", w)) for key, w in keys]
        return found

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        self.table.setHorizontalHeaderLabels([self.tr("Key"), self.tr("What it does")])
        self.close_button.setText(self.tr("Close"))
        rows = self.rows()
        self.table.clearSpans()
        self.table.setRowCount(len(rows))
        bold = QFont(self.font())
        bold.setBold(True)
        for row, (key, what) in enumerate(rows):
            if not key:
                item = QTableWidgetItem(what)
                item.setFont(bold)
                self.table.setItem(row, 0, item)
                self.table.setItem(row, 1, QTableWidgetItem(""))
                self.table.setSpan(row, 0, 1, 2)
                continue
            self.table.setItem(row, 0, QTableWidgetItem(key))
            self.table.setItem(row, 1, QTableWidgetItem(breakable(what)))
        self.table.resizeRowsToContents()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class MainWindow(QMainWindow):
    def __init__(
        self,
        ctx: CounterContext,
        parent: QWidget | None = None,
        backups: BackupRunner | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        # Backups run on a lane of their own (thread and connection), started on first show.
        data_dir = ctx.data_dir
        self.backups = backups or BackupRunner(data_dir, Worker(lambda: open_store(data_dir)))
        self.backups.setParent(self)
        self.backups.watch(ctx.worker)
        self.backups.finished.connect(self._backed_up)
        self.backups_dialog: BackupsDialog | None = None
        self.login_dialog: LoginDialog | None = None
        self.notice: QMessageBox | None = None
        self._asked_backup = False
        self.tabs = QTabWidget()
        self.intake = IntakeForm(ctx)
        self.requests = RequestsView(ctx)
        self.day = DayView(ctx)
        self.tabs.addTab(self.intake, "")
        self.tabs.addTab(self.requests, "")
        self.tabs.addTab(self.day, "")
        self.setCentralWidget(self.tabs)
        status_bar = CounterStatusBar(ctx)
        self.setStatusBar(status_bar)
        status_bar.watch_backups(self.backups)
        self._build_menus()
        self.idle_lock = IdleLock(ctx, self)
        self.idle_lock.unlocked.connect(lambda _actor: self._forget_role_views())
        # Whoever logs in, at the lock or after a log-out, the menus follow their role.
        ctx.lang.changed.connect(self._apply_role)
        ctx.worker.failed.connect(self._show_failure)
        if ctx.sync is not None:
            # Every recorded payment or request is sent soon after, once the clerk pauses.
            ctx.worker.changed.connect(ctx.sync.nudge)
        self.retranslate()
        fit_to_screen(self, 1100, 720)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("")
        self.settings_action = QAction(self, shortcut=QKeySequence("Ctrl+,"))
        self.settings_action.triggered.connect(self.show_settings)
        self.file_menu.addAction(self.settings_action)
        self.sync_action = QAction(self, shortcut=QKeySequence(Qt.Key.Key_F5))
        self.sync_action.setEnabled(self.ctx.sync is not None)
        if self.ctx.sync is not None:
            self.sync_action.triggered.connect(self.ctx.sync.ask_now)
        self.file_menu.addAction(self.sync_action)
        self.file_menu.addSeparator()
        self.backup_action = QAction(self)
        self.backup_action.triggered.connect(self.back_up_now)
        self.restore_action = QAction(self)
        self.restore_action.triggered.connect(self.show_backups)
        for action in (self.backup_action, self.restore_action):
            self.file_menu.addAction(action)
        self.file_menu.addSeparator()
        self.accounts_action = QAction(self, shortcut=QKeySequence("Ctrl+Shift+M"))
        self.accounts_action.triggered.connect(self.show_accounts)
        self.file_menu.addAction(self.accounts_action)
        self.file_menu.addSeparator()
        self.switch_action = QAction(self, shortcut=QKeySequence("Ctrl+L"))
        self.switch_action.triggered.connect(self.switch_user)
        self.logout_action = QAction(self, shortcut=QKeySequence("Ctrl+Shift+L"))
        self.logout_action.triggered.connect(self.log_out)
        for action in (self.switch_action, self.logout_action):
            self.file_menu.addAction(action)
        self.file_menu.addSeparator()
        self.quit_action = QAction(self, shortcut=QKeySequence(QKeySequence.StandardKey.Quit))
        self.quit_action.triggered.connect(self.close)
        self.file_menu.addAction(self.quit_action)

        self.go_menu = bar.addMenu("")
        self.new_action = QAction(self, shortcut=QKeySequence("Ctrl+N"))
        self.new_action.triggered.connect(self.show_intake)
        self.find_action = QAction(self, shortcut=QKeySequence("Ctrl+F"))
        self.find_action.triggered.connect(self.show_search)
        self.day_action = QAction(self, shortcut=QKeySequence("Ctrl+D"))
        self.day_action.triggered.connect(lambda: self.tabs.setCurrentWidget(self.day))
        for action in (self.new_action, self.find_action, self.day_action):
            self.go_menu.addAction(action)

        self.language_menu = bar.addMenu("")
        group = QActionGroup(self)
        self.language_actions = {}
        for code, label in (("lo", "ລາວ"), ("en", "English")):
            action = QAction(label, self, checkable=True)
            action.setChecked(code == self.ctx.lang.code)
            action.triggered.connect(lambda _=False, c=code: self.ctx.lang.set(c))
            group.addAction(action)
            self.language_menu.addAction(action)
            self.language_actions[code] = action

        self.help_menu = bar.addMenu("")
        self.shortcuts_action = QAction(self, shortcut=QKeySequence(Qt.Key.Key_F1))
        self.shortcuts_action.triggered.connect(self.show_shortcuts)
        self.help_menu.addAction(self.shortcuts_action)
        self.about_action = QAction(self)
        self.about_action.triggered.connect(lambda: show_about(self, self.ctx))
        self.help_menu.addAction(self.about_action)

    def show_settings(self) -> None:
        SettingsDialog(self.ctx, self).exec()

    def show_accounts(self) -> None:
        dialog = AccountsDialog(self.ctx, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(self.activateWindow)  # the keyboard comes back to the window
        dialog.open()

    # -- who is at the counter -------------------------------------------------------------------
    def _apply_role(self) -> None:
        """Supervisor-only items are off for a clerk (the core checks the role too)."""
        supervisor = self.ctx.is_supervisor
        for action in (self.backup_action, self.restore_action, self.accounts_action):
            action.setEnabled(supervisor)
            action.setToolTip("" if supervisor else self.tr("Supervisors only"))

    def switch_user(self) -> None:
        """Ctrl+L: the lock screen now; the next user logs in there, the screens stay."""
        self.idle_lock.switch_user()

    def log_out(self) -> None:
        """Ctrl+Shift+L: back to the login, after asking about a half-typed citizen."""
        if self.login_dialog is not None:
            return
        if self.intake.has_typed() and not self.intake.saving:
            self.tabs.setCurrentWidget(self.intake)
            self.intake.new_citizen()  # asks; Yes clears the form
            question = self.intake.discard_question
            if question is not None:
                question.finished.connect(lambda _result: self._after_discard_question())
                return
        self._show_login()

    def _after_discard_question(self) -> None:
        # The form's own handler ran first: the form is empty only if the clerk said Yes.
        if not self.intake.has_typed():
            self._show_login()

    def _show_login(self) -> None:
        log.info("%s logged out", self.ctx.actor.username)
        self.hide()
        # The same worker, so the same open store: nothing is closed or reopened.
        self.login_dialog = LoginDialog(self.ctx.worker, self.ctx.lang)
        self.login_dialog.finished.connect(self._login_finished)
        self.login_dialog.open()

    def _login_finished(self, result: int) -> None:
        dialog, self.login_dialog = self.login_dialog, None
        if dialog is None:
            return
        dialog.deleteLater()
        if result != QDialog.DialogCode.Accepted or dialog.actor is None:
            self.close()  # Cancel at the login ends the program, as at the start
            return
        self.act_as(dialog.actor)
        self.idle_lock.read_setting()  # the idle time starts again for the new user
        self.present()

    def act_as(self, actor: Actor) -> None:
        log.info("%s logged in", actor.username)
        self._forget_role_views()
        self.ctx.act_as(actor)  # every widget re-reads its text; _apply_role follows

    def _forget_role_views(self) -> None:
        """Someone logged in (here or at the lock): a dialog kept from before was built for the
        previous user's role, so it is made again when next asked for."""
        if self.backups_dialog is not None:
            self.backups_dialog.deleteLater()
            self.backups_dialog = None

    # -- backups ---------------------------------------------------------------------------------
    def back_up_now(self) -> None:
        self._asked_backup = True
        self.backups.back_up_now()

    def _backed_up(self, report: dict[str, Any]) -> None:
        if not self._asked_backup:
            return  # asked from the Backups dialog: it shows the outcome itself
        self._asked_backup = False
        lines = [self.tr("Backed up to {path}").format(path=c["path"]) for c in report["copies"]]
        key = "message_lo" if self.ctx.lang.code == "lo" else "message_en"
        lines += [failure[key] for failure in report["failures"]]
        icon = QMessageBox.Icon.Warning if report["failures"] else QMessageBox.Icon.Information
        self._notify(icon, self.tr("Back up now"), "\n".join(lines))

    def show_backups(self) -> None:
        if self.backups_dialog is None:
            self.backups_dialog = BackupsDialog(self.ctx, self.backups, self)
            self.backups_dialog.restored.connect(self._restored)
        else:
            self.backups_dialog.reload()
        self.backups_dialog.open()

    def _restored(self, result: dict[str, Any]) -> None:
        """The store was replaced: everything shown is the old store's, so the window closes."""
        if self.backups_dialog is not None:
            self.backups_dialog.hide()
        text = self.tr(
            "Restored from {source}. The store as it was is saved as {saved}."
            " ODSC Desk will now close: start it again."
        ).format(source=result["restored_from"], saved=result["previous_saved_as"])
        notice = self._notify(QMessageBox.Icon.Information, self.tr("Restore from a backup"), text)
        notice.finished.connect(self.close)

    def _notify(self, icon: QMessageBox.Icon, title: str, text: str) -> QMessageBox:
        self.notice = QMessageBox(icon, title, breakable(text), QMessageBox.StandardButton.Ok, self)
        translate_buttons(self.notice)
        self.notice.open()
        return self.notice

    def showEvent(self, event: QShowEvent) -> None:
        self.backups.start()  # once: the check at start, then hourly
        super().showEvent(event)

    def present(self) -> None:
        """Show the window with the keyboard in it: after the login dialog closes, a window
        that is shown but not active would ignore every shortcut until the clerk clicks it."""
        self.show()
        self.raise_()
        self.activateWindow()
        self.show_intake()  # the keyboard starts in the service search, ready for a citizen

    def show_intake(self) -> None:
        """Ctrl+N: the new-request form, fresh; it asks first if a citizen was half typed."""
        self.tabs.setCurrentWidget(self.intake)
        self.intake.new_citizen()

    def show_search(self) -> None:
        self.tabs.setCurrentWidget(self.requests)
        self.requests.focus_search()

    def show_shortcuts(self) -> None:
        dialog = ShortcutsDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def _show_failure(self, error: Exception) -> None:
        text = self.ctx.lang.message(error) if isinstance(error, OdscError) else str(error)
        box = QMessageBox(
            QMessageBox.Icon.Critical,
            self.tr("Something went wrong"),
            breakable(text),
            QMessageBox.StandardButton.Ok,
            self,
        )
        translate_buttons(box)
        box.exec()

    def retranslate(self) -> None:
        self.setWindowTitle(
            self.tr("ODSC Desk · {office}").format(office=self.ctx.office["office_name"])
        )
        self.tabs.setTabText(0, self.tr("New request"))
        self.tabs.setTabText(1, self.tr("Requests"))
        self.tabs.setTabText(2, self.tr("Day and cash"))
        self.file_menu.setTitle(self.tr("&File"))
        self.settings_action.setText(self.tr("Settings…"))
        self.sync_action.setText(self.tr("Sync now"))
        self.backup_action.setText(self.tr("Back up now"))
        self.restore_action.setText(self.tr("Restore from a backup…"))
        self.accounts_action.setText(self.tr("Accounts…"))
        self.switch_action.setText(self.tr("Switch user…"))
        self.logout_action.setText(self.tr("Log out"))
        self._apply_role()
        self.quit_action.setText(self.tr("Quit"))
        self.go_menu.setTitle(self.tr("&Go"))
        self.new_action.setText(self.tr("New request"))
        self.find_action.setText(self.tr("Find a request"))
        self.day_action.setText(self.tr("Day and cash"))
        self.language_menu.setTitle(self.tr("&Language"))
        self.help_menu.setTitle(self.tr("&Help"))
        self.shortcuts_action.setText(self.tr("Keyboard shortcuts"))
        self.about_action.setText(self.tr("About ODSC Desk…"))
        for code, action in self.language_actions.items():
            action.setChecked(code == self.ctx.lang.code)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.ctx.sync is not None:
            self.ctx.sync.stop()
        self.backups.stop()
        self.ctx.worker.shutdown()
        super().closeEvent(event)
