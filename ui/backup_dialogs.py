"""The window's side of backups: the automatic runner, and the Backups dialog with its restore.

`BackupRunner` takes copies on a lane of its own: its own thread and its own store connection
(a `Worker`), so a copy of a big store never holds up the clerk's next payment, and SQLite's
WAL lets the copy read while the counter writes. It checks what is due (maintenance.autobackup)
when the window first shows, every hour, and a few seconds after each write, which is how a
closed cash session is followed by its copy.

`BackupsDialog` (supervisors) lists the backups with their date, size and whether they pass
integrity_check (checked one by one on the backup lane, newest first), sets the second location,
and restores the chosen one through `maintenance.backups.restore`, which saves the current store
first and raises the number floors. After a restore the window closes: every widget, the sync
and the worker hold what the old store said, and starting again is the one honest way to drop
it all. A file that fails the check is refused before anything is touched.

An encrypted copy (`odsc backup --out`, brought back on a USB stick) is listed as encrypted: its
contents cannot be checked without the passphrase. Restoring one asks for the passphrase
(`PassphraseDialog`) and hands it to the same `restore` as `odsc restore`, which opens the copy
into a clear file beside the store and checks it before anything is replaced: a wrong
passphrase is refused there, with the store untouched, and the dialog asks again.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from odsc_desk.api import Store, autobackup, backups, settings
from odsc_desk.shared.clock import VIENTIANE
from odsc_desk.shared.errors import OdscError
from odsc_desk.shared.laotext import breakable
from ui.context import CounterContext
from ui.passphrase_dialog import PassphraseDialog
from ui.widgets import ERROR_STYLE, error_label
from ui.worker import Worker

# The daily check; a copy is due at most once a day, or after the day is closed.
CHECK_MS = 60 * 60_000
# After a write, wait for the clerk to pause: a day's close is followed by one check, not many.
AFTER_WRITE_MS = 5_000


@dataclass(frozen=True)
class BackupView:
    """What the window shows of the backups."""

    last: autobackup.Copy | None = None
    warnings: list[autobackup.BackupError] = field(default_factory=list)
    running: bool = False
    known: bool = False  # False until the folder was first looked at
    failures: list[dict[str, Any]] = field(default_factory=list)  # of the last run


class BackupRunner(QObject):
    state_changed = Signal(object)
    # A run the user asked for ("Back up now") finished: its report.
    finished = Signal(object)

    def __init__(
        self,
        data_dir: Path,
        worker: Worker,
        parent: QObject | None = None,
        after_write_ms: int = AFTER_WRITE_MS,
    ) -> None:
        super().__init__(parent)
        self.data_dir = Path(data_dir)
        self.worker = worker
        self.view = BackupView()
        self._started = False
        self._stopped = False
        self._checking = False
        self._hourly = QTimer(self, interval=CHECK_MS)
        self._hourly.timeout.connect(self.check_due)
        self._after_write = QTimer(self, singleShot=True, interval=after_write_ms)
        self._after_write.timeout.connect(self.check_due)

    def start(self) -> None:
        if self._started or self._stopped:
            return
        self._started = True
        self._hourly.start()
        self.check_due()

    def watch(self, writer: Worker) -> None:
        """Check again a few seconds after each write of the counter's worker."""
        writer.changed.connect(self._wrote)

    def _wrote(self) -> None:
        if self._started:
            self._after_write.start()

    def stop(self) -> None:
        """Finish a copy in progress, then close the lane (once: a window may be closed twice)."""
        self._hourly.stop()
        self._after_write.stop()
        if not self._stopped:
            self._stopped = True
            self.worker.shutdown()

    def _set(self, **changes: Any) -> None:
        self.view = replace(self.view, **changes)
        self.state_changed.emit(self.view)

    def check_due(self) -> None:
        """Ask the lane whether a copy is due; take it if so (see autobackup.due)."""
        if self._checking or self.view.running:
            return
        self._checking = True
        data_dir = self.data_dir
        self.worker.run(
            lambda store: (autobackup.due(store, data_dir), autobackup.status(store, data_dir)),
            lambda result: self._due(*result),
            self._failed,
        )

    def _due(self, reason: str | None, status: autobackup.BackupStatus) -> None:
        self._checking = False
        if reason is None:
            self._set(known=True, **status)
        else:
            self._run(asked=False)

    def back_up_now(self) -> None:
        if not self.view.running:
            self._run(asked=True)

    def _run(self, asked: bool) -> None:
        self._set(running=True)
        data_dir = self.data_dir

        def task(store: Store) -> tuple[autobackup.BackupReport, autobackup.BackupStatus]:
            return autobackup.run_backup(store, data_dir), autobackup.status(store, data_dir)

        self.worker.run(task, lambda result: self._ran(*result, asked=asked), self._failed)

    def refresh(self) -> None:
        """Look at the folders again (a setting changed): no copy is taken."""
        data_dir = self.data_dir
        self.worker.run(
            lambda store: autobackup.status(store, data_dir),
            lambda status: self._set(known=True, **status),
            self._failed,
        )

    def _ran(
        self, report: autobackup.BackupReport, status: autobackup.BackupStatus, asked: bool
    ) -> None:
        self._set(running=False, known=True, failures=report["failures"], **status)
        if asked:
            self.finished.emit(report)

    def _failed(self, error: OdscError) -> None:
        # The store itself could not be read (locked, damaged): say so where backups are shown.
        self._checking = False
        self._set(running=False, known=True, failures=[{"target": "", **error.as_dict()}])


def _when(moment: datetime) -> str:
    return moment.astimezone(VIENTIANE).strftime("%d/%m/%Y %H:%M")


def _size(count: int) -> str:
    return f"{count / 1_048_576:,.1f} MB" if count >= 1_048_576 else f"{count / 1024:,.0f} KB"


def _inspect(path: Path) -> bool:
    """Whether the backup at `path` is encrypted; one in clear is inspected, and raises if it
    fails. An encrypted one cannot be checked before its passphrase is typed."""
    if backups.is_encrypted(path):
        return True
    backups.inspect_backup(path)
    return False


class BackupsDialog(QDialog):
    """The backups of this counter, the second location, and restoring one (supervisors)."""

    restored = Signal(object)

    def __init__(
        self, ctx: CounterContext, runner: BackupRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.runner = runner
        self.listed: list[dict[str, Any]] = []
        self.checks: dict[Path, OdscError | None] = {}
        self.encrypted: set[Path] = set()  # of the checked files: these need a passphrase
        self.second = ""
        self.error: OdscError | None = None
        self.confirm: QMessageBox | None = None
        self.passphrase: PassphraseDialog | None = None
        self.summary = QLabel(wordWrap=True)
        self.second_label = QLabel()
        self.second_path = QLineEdit(readOnly=True)
        self.choose = QPushButton()
        self.choose.clicked.connect(self.choose_second)
        self.clear = QPushButton()
        self.clear.clicked.connect(lambda: self.set_second(""))
        self.table = QTableWidget(0, 5)  # date, kind, where, size, check
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemSelectionChanged.connect(self._selection)
        self.backup_now = QPushButton()
        self.backup_now.clicked.connect(runner.back_up_now)
        self.restore_button = QPushButton()
        self.restore_button.clicked.connect(self.ask_restore)
        self.other_file = QPushButton()
        self.other_file.clicked.connect(self.choose_file)
        self.close_button = QPushButton()
        self.close_button.clicked.connect(self.reject)
        self.error_line = error_label()
        self._layout()
        allowed = ctx.is_supervisor
        for widget in (self.choose, self.clear, self.backup_now, self.other_file):
            widget.setEnabled(allowed)
        self.restore_button.setEnabled(False)
        runner.state_changed.connect(self._runner_changed)
        runner.finished.connect(self._backed_up)
        self.resize(760, 480)
        self.retranslate()
        self.reload()

    def _layout(self) -> None:
        second = QHBoxLayout()
        for widget in (self.second_label, self.second_path, self.choose, self.clear):
            second.addWidget(widget)
        buttons = QHBoxLayout()
        for widget in (self.backup_now, self.other_file):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(second)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error_line)
        layout.addLayout(buttons)

    # -- data --------------------------------------------------------------------------------
    def reload(self) -> None:
        """List the backups again, then check them one by one on the backup lane."""
        data_dir, counter = self.ctx.data_dir, autobackup.counter_name(self.ctx.office)

        def task(store: Store) -> tuple[str, list[dict[str, Any]]]:
            second = autobackup.second_location(store)
            return str(second or ""), backups.list_backups(data_dir, second, counter)

        self.runner.worker.run(task, self._listed, self._show_error)

    def _listed(self, found: tuple[str, list[dict[str, Any]]]) -> None:
        self.second, self.listed = found
        paths = {item["path"] for item in self.listed}
        self.checks = {path: error for path, error in self.checks.items() if path in paths}
        self.retranslate()
        for item in self.listed:
            if item["path"] not in self.checks:
                self._check(item["path"])

    def _check(self, path: Path) -> None:
        self.runner.worker.call(
            lambda: _inspect(path),
            lambda encrypted: self._checked(path, None, encrypted),
            lambda error: self._checked(path, error),
        )

    def _checked(self, path: Path, error: OdscError | None, encrypted: bool = False) -> None:
        self.checks[path] = error
        if encrypted:
            self.encrypted.add(path)
        else:
            self.encrypted.discard(path)
        self._render()

    def chosen(self) -> dict[str, Any] | None:
        row = self.table.currentRow()
        return self.listed[row] if 0 <= row < len(self.listed) else None

    def _selection(self) -> None:
        item = self.chosen()
        ok = item is not None and self.checks.get(item["path"], "?") is None
        self.restore_button.setEnabled(self.ctx.is_supervisor and ok)

    # -- the second location --------------------------------------------------------------------
    def choose_second(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Second backup location"))
        if folder:
            self.set_second(folder)

    def set_second(self, folder: str) -> None:
        actor = self.ctx.actor
        self.error_line.hide()
        self.ctx.worker.run(
            lambda store: settings.set_value(store, actor, "backup_second_location", folder),
            self._second_set,
            self._show_error,
            writes=True,
        )

    def _second_set(self, _value: object) -> None:
        self.runner.refresh()
        self.reload()

    # -- restoring ----------------------------------------------------------------------------
    def choose_file(self) -> None:
        # An encrypted copy was named by whoever typed `odsc backup --out`: any name is possible.
        kinds = ";;".join([self.tr("ODSC Desk backups (*.sqlite3)"), self.tr("All files (*)")])
        name, _ = QFileDialog.getOpenFileName(self, self.tr("Restore from a file"), "", kinds)
        if name:
            self.ask_restore(Path(name))

    def ask_restore(self, path: Path | None = None) -> None:
        """Ask first (the store will be replaced and the window closed), then restore."""
        if path is None or isinstance(path, bool):  # a button's `checked` argument
            item = self.chosen()
            if item is None:
                return
            path = item["path"]
        self.confirm = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("Restore from a backup"),
            breakable(
                self.tr(
                    "Replace this counter's store with the backup {name}? Anything recorded"
                    " after that backup was made is not in it. The current store is saved"
                    " first. ODSC Desk closes afterwards: start it again."
                ).format(name=path.name)
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        self.confirm.setDefaultButton(QMessageBox.StandardButton.No)
        self.confirm.button(QMessageBox.StandardButton.Yes).setText(self.tr("Restore"))
        self.confirm.button(QMessageBox.StandardButton.No).setText(self.tr("Cancel"))
        self.confirm.accepted.connect(lambda: self._confirmed(path))
        self.confirm.open()

    def _confirmed(self, path: Path) -> None:
        """An encrypted copy needs its passphrase first; one in clear is restored at once."""
        self.ctx.worker.call(
            lambda: backups.is_encrypted(path),
            lambda encrypted: self.ask_passphrase(path) if encrypted else self.restore(path),
            self._show_error,
        )

    def ask_passphrase(self, path: Path) -> None:
        if self.passphrase is not None:
            self.passphrase.deleteLater()  # an earlier file's, cancelled
        self.passphrase = PassphraseDialog(self.ctx.lang, path.name, self)
        self.passphrase.submitted.connect(lambda text: self.restore(path, text))
        self.passphrase.open()

    def restore(self, path: Path, passphrase: str | None = None) -> None:
        """Restore on the worker, as `odsc restore` does (`passphrase`: of an encrypted copy)."""
        actor, data_dir = self.ctx.actor, self.ctx.data_dir
        self.error = None
        self.error_line.hide()
        self.restore_button.setEnabled(False)
        self.ctx.worker.run(
            lambda store: backups.restore(
                data_dir, path, actor, clock=store.clock, passphrase=passphrase
            ),
            self._restored,
            self._refused,
        )

    def _asking(self) -> PassphraseDialog | None:
        """The passphrase dialog waiting for this restore's answer, if one is."""
        asking = self.passphrase
        return asking if asking is not None and asking.isVisible() else None

    def _restored(self, result: dict[str, Any]) -> None:
        asking = self._asking()
        if asking is not None:
            asking.finish()
        self.restored.emit(result)

    def _refused(self, error: OdscError) -> None:
        """A wrong passphrase is answered in the passphrase dialog, which asks again; any
        other refusal closes it and shows here, since typing again cannot cure it."""
        asking = self._asking()
        if asking is not None:
            if error.code == "restore.passphrase_wrong":
                asking.refuse(error)
                self._selection()
                return
            asking.finish()
        self._show_error(error)

    def _show_error(self, error: OdscError) -> None:
        self.error = error
        self._selection()
        self.retranslate()

    def _runner_changed(self, _view: BackupView) -> None:
        self.retranslate()

    def _backed_up(self, _report: dict[str, Any]) -> None:
        self.reload()

    # -- showing --------------------------------------------------------------------------------
    def kind(self, item: dict[str, Any]) -> str:
        return {
            "automatic": self.tr("Automatic"),
            "pre-migrate": self.tr("Before an upgrade"),
            "pre-restore": self.tr("Before a restore"),
        }.get(item["kind"], self.tr("Other"))

    def check(self, path: Path) -> str:
        if path not in self.checks:
            return self.tr("checking…")
        error = self.checks[path]
        if error is not None:
            return self.ctx.lang.message(error)
        return (
            self.tr("encrypted: needs its passphrase") if path in self.encrypted else self.tr("ok")
        )

    def _render(self) -> None:
        chosen = self.chosen()
        self.table.setRowCount(len(self.listed))
        for row, item in enumerate(self.listed):
            where = self.tr("this computer") if item["where"] == "here" else self.second
            cells = (_when(item["modified"]), self.kind(item), where, _size(item["bytes"]))
            for col, text in enumerate((*cells, self.check(item["path"]))):
                cell = QTableWidgetItem(text)
                cell.setToolTip(str(item["path"]))
                if col == 4 and self.checks.get(item["path"], None) is not None:
                    cell.setForeground(Qt.GlobalColor.red)
                self.table.setItem(row, col, cell)
        if chosen is not None and chosen in self.listed:
            self.table.selectRow(self.listed.index(chosen))
        self._selection()

    def summary_text(self) -> str:
        view = self.runner.view
        if view.running:
            text = self.tr("Backing up…")
        elif view.last is None:
            text = self.tr("No automatic backup yet.")
        else:
            text = self.tr("Last automatic backup: {when}").format(when=_when(view.last.taken))
        problems = [self.ctx.lang.message(w) for w in view.warnings]
        key = "message_lo" if self.ctx.lang.code == "lo" else "message_en"
        problems += [failure[key] for failure in view.failures]
        return "\n".join([text, *problems])

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Backups"))
        view = self.runner.view
        self.summary.setText(breakable(self.summary_text()))
        self.summary.setStyleSheet(ERROR_STYLE if view.warnings or view.failures else "")
        self.second_label.setText(self.tr("Second copy to (USB drive):"))
        self.second_path.setText(self.second)
        self.second_path.setPlaceholderText(self.tr("none"))
        self.choose.setText(self.tr("Choose folder…"))
        self.clear.setText(self.tr("None"))
        self.backup_now.setText(self.tr("Back up now"))
        self.backup_now.setEnabled(self.ctx.is_supervisor and not view.running)
        self.other_file.setText(self.tr("Restore from another file…"))
        self.restore_button.setText(self.tr("Restore the selected backup…"))
        self.close_button.setText(self.tr("Close"))
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Date"),
                self.tr("Kind"),
                self.tr("Where"),
                self.tr("Size"),
                self.tr("Check"),
            ]
        )
        if self.error is not None:
            self.error_line.setText(breakable(self.ctx.lang.message(self.error)))
            self.error_line.show()
        if not self.ctx.is_supervisor:
            self.error_line.setText(self.tr("Only a supervisor can back up or restore."))
            self.error_line.show()
        self._render()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
