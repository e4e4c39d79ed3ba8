"""The status line: who, where, today, whether the worker is busy, how the sync stands, and when
the last backup was made (in red when it is old or the second location cannot be used)."""

from __future__ import annotations

from PySide6.QtCore import QDate, QEvent, QTimer
from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar, QToolButton, QWidget

from odsc_desk.api import Store, outbox
from odsc_desk.shared.clock import Clock, local_date, parse_stamp, system_clock
from ui.backup_dialogs import BackupRunner, BackupView
from ui.context import CounterContext
from ui.sync_runner import SyncView

# Work shorter than this shows no indicator: a flash of a busy bar is worse than none.
BUSY_DELAY_MS = 200
# "synced 3 min ago" must not go stale while nobody touches the window.
AGE_REFRESH_MS = 30_000
WARNING = "color: #b00020;"


def pending_ops(store: Store) -> int:
    return outbox.pending_count(store)


class CounterStatusBar(QStatusBar):
    def __init__(self, ctx: CounterContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.who = QLabel()
        self.sync = QLabel()
        self.sync_button = QToolButton(autoRaise=True)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(80)
        self.busy.hide()
        self._busy_timer = QTimer(self, singleShot=True, interval=BUSY_DELAY_MS)
        self._busy_timer.timeout.connect(self.busy.show)
        self._age_timer = QTimer(self, interval=AGE_REFRESH_MS)
        self._age_timer.timeout.connect(self.retranslate)
        self._age_timer.start()
        self.addWidget(self.who)
        self.addPermanentWidget(self.busy)
        self.addPermanentWidget(self.sync)
        self.addPermanentWidget(self.sync_button)
        self.backup = QLabel()
        self.addPermanentWidget(self.backup)
        self.backup_view: BackupView | None = None
        self.pending: int | None = None
        self.view: SyncView | None = None
        # The clock "synced 3 min ago" is measured on; tests set the store's fake clock.
        self.now: Clock = system_clock
        ctx.worker.busy_changed.connect(self._on_busy)
        ctx.worker.changed.connect(self.refresh)
        if ctx.sync is not None:
            self.view = ctx.sync.view
            ctx.sync.state_changed.connect(self._on_sync)
            self.sync_button.clicked.connect(ctx.sync.ask_now)
        else:
            self.sync_button.hide()
        self.retranslate()
        self.refresh()

    def _on_busy(self, busy: bool) -> None:
        if busy:
            self._busy_timer.start()
        else:
            self._busy_timer.stop()
            self.busy.hide()

    def refresh(self) -> None:
        self.ctx.worker.run(pending_ops, self._show_pending)

    def _show_pending(self, count: int) -> None:
        self.pending = count
        self.retranslate()

    def _on_sync(self, view: SyncView) -> None:
        self.view = view
        if not view.running:
            self.refresh()  # the sync just sent some: count again from the store
        self.retranslate()

    def sync_text(self) -> str:
        count = self.pending if self.pending is not None else 0
        view = self.view
        if view is not None and view.running and view.total:
            return self.tr("Sending {sent} of %n to the centre…", "", view.total).format(
                sent=view.sent or 0
            )
        if view is None or not view.configured:
            if view is not None and view.error == "sync.not_enrolled":
                return self.tr(
                    "Not enrolled with a centre: an admin enrolls this counter · %n waiting",
                    "",
                    count,
                )
            return self.tr("Not connected to a centre · %n waiting to sync", "", count)
        if view.running:
            text = self.tr("Syncing… · %n waiting", "", count)
        elif view.error == "sync.server_down":
            text = self.tr("The centre is not answering, %n waiting", "", count)
        elif view.offline:
            text = self.tr("Offline, %n waiting", "", count)
        elif view.error is not None:
            text = self.tr("Sync failed, %n waiting", "", count)
        elif view.last_success is not None:
            text = self.tr("Synced {ago} · %n waiting", "", count).format(
                ago=self.age(view.last_success)
            )
        else:
            text = self.tr("Not synced yet · %n waiting", "", count)
        if view.parked:
            text += " · " + self.tr("%n held back by the centre", "", view.parked)
        return text

    def watch_backups(self, runner: BackupRunner) -> None:
        runner.state_changed.connect(self.show_backup)
        self.show_backup(runner.view)

    def show_backup(self, view: BackupView) -> None:
        self.backup_view = view
        self.retranslate()

    def backup_text(self) -> str:
        view = self.backup_view
        if view is None or not view.known:
            return ""
        if view.running:
            return self.tr("Backing up…")
        if view.last is None:
            return self.tr("No backup yet")
        taken = view.last.taken
        days = (local_date(self.now()) - taken.date()).days
        time = taken.strftime("%H:%M")
        if days == 0:
            return self.tr("Backup: today {time}").format(time=time)
        if days == 1:
            return self.tr("Backup: yesterday {time}").format(time=time)
        return self.tr("Backup: {date} {time}").format(date=taken.strftime("%d/%m"), time=time)

    def _show_backup(self) -> None:
        view = self.backup_view
        self.backup.setText(self.backup_text())
        problems = []
        if view is not None:
            problems = [self.ctx.lang.message(w) for w in view.warnings]
            key = "message_lo" if self.ctx.lang.code == "lo" else "message_en"
            problems += [failure[key] for failure in view.failures]
        self.backup.setStyleSheet(WARNING if problems else "")
        self.backup.setToolTip("\n".join(problems))

    def age(self, stamp: str) -> str:
        minutes = int((self.now() - parse_stamp(stamp)).total_seconds() // 60)
        if minutes < 1:
            return self.tr("just now")
        # Units shortened alike ("min", "h", "d"): each reads right for 1 and for many.
        if minutes < 60:
            return self.tr("%n min ago", "", minutes)
        if minutes < 24 * 60:
            return self.tr("%n h ago", "", minutes // 60)
        return self.tr("%n d ago", "", minutes // (24 * 60))

    def retranslate(self) -> None:
        office = self.ctx.office
        self.who.setText(
            self.tr("{user} · {office}, counter {counter} · {date}").format(
                user=self.ctx.actor.username,
                office=office["office_code"],
                counter=office["counter"],
                date=QDate.currentDate().toString("dd/MM/yyyy"),
            )
        )
        self.sync.setText(self.sync_text())
        view = self.view
        trouble = view is not None and (view.offline or view.error is not None or view.parked > 0)
        self.sync.setStyleSheet(WARNING if trouble else "")
        if view is not None and view.error is not None:
            self.sync.setToolTip(view.message_lo if self.ctx.lang.code == "lo" else view.message_en)
        else:
            self.sync.setToolTip("")
        self.sync_button.setText(self.tr("Sync now"))
        # Pressable before enrollment too: the answer says what is missing.
        self.sync_button.setEnabled(view is not None and not view.running)
        self._show_backup()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
