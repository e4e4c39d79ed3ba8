"""The counter window: a composition of small widgets, with menus and window-wide shortcuts.

Each tab is its own widget with its own logic; this class only places them and routes the
window-wide keys.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import QMainWindow, QMessageBox, QTabWidget, QWidget

from odsc_desk.api import open_store
from odsc_desk.shared.errors import OdscError
from odsc_desk.shared.laotext import breakable
from ui.about_dialog import show_about
from ui.backup_dialogs import BackupRunner, BackupsDialog
from ui.context import CounterContext
from ui.day_view import DayView
from ui.i18n import QT_TRANSLATE_NOOP
from ui.idle_lock import IdleLock
from ui.intake import IntakeForm
from ui.requests_view import RequestsView
from ui.settings_dialog import SettingsDialog
from ui.status_bar import CounterStatusBar
from ui.worker import Worker

SHORTCUTS = (
    ("Ctrl+N", QT_TRANSLATE_NOOP("MainWindow", "New request")),
    (
        "Ctrl+F",
        QT_TRANSLATE_NOOP("MainWindow", "Find a request (tracking number, name, phone, ID)"),
    ),
    ("Ctrl+D", QT_TRANSLATE_NOOP("MainWindow", "Day and cash")),
    ("Ctrl+S", QT_TRANSLATE_NOOP("MainWindow", "Save the request")),
    ("Ctrl+Enter", QT_TRANSLATE_NOOP("MainWindow", "Save the request and take payment")),
    ("Ctrl+P", QT_TRANSLATE_NOOP("MainWindow", "Take payment for the selected request")),
    ("Ctrl+Shift+P", QT_TRANSLATE_NOOP("MainWindow", "Print the appointment slip")),
    ("Return", QT_TRANSLATE_NOOP("MainWindow", "Confirm a dialog")),
    ("Esc", QT_TRANSLATE_NOOP("MainWindow", "Cancel a dialog")),
    ("Esc", QT_TRANSLATE_NOOP("MainWindow", "Clear the new-request form")),
    ("F5", QT_TRANSLATE_NOOP("MainWindow", "Sync with the centre now")),
    ("F1", QT_TRANSLATE_NOOP("MainWindow", "Keyboard shortcuts")),
)


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
        ctx.worker.failed.connect(self._show_failure)
        if ctx.sync is not None:
            # Every recorded payment or request is sent soon after, once the clerk pauses.
            ctx.worker.changed.connect(ctx.sync.nudge)
        self.retranslate()
        self.resize(1100, 720)

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
            action.setEnabled(self.ctx.is_supervisor)  # the core checks the role too
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
        self.notice.open()
        return self.notice

    def showEvent(self, event: QShowEvent) -> None:
        self.backups.start()  # once: the check at start, then hourly
        super().showEvent(event)

    def show_intake(self) -> None:
        """Ctrl+N: the new-request form, fresh; it asks first if a citizen was half typed."""
        self.tabs.setCurrentWidget(self.intake)
        self.intake.new_citizen()

    def show_search(self) -> None:
        self.tabs.setCurrentWidget(self.requests)
        self.requests.focus_search()

    def shortcuts_text(self) -> str:
        return "\n".join(f"{key}\t{self.tr(what)}" for key, what in SHORTCUTS)

    def show_shortcuts(self) -> None:
        QMessageBox.information(self, self.tr("Keyboard shortcuts"), self.shortcuts_text())

    def _show_failure(self, error: Exception) -> None:
        text = self.ctx.lang.message(error) if isinstance(error, OdscError) else str(error)
        QMessageBox.critical(self, self.tr("Something went wrong"), text)

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
        if not self.ctx.is_supervisor:
            for action in (self.backup_action, self.restore_action):
                action.setToolTip(self.tr("Supervisors only"))
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
