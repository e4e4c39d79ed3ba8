"""The status line: who, where, today, whether the worker is busy, and what waits to sync."""

from __future__ import annotations

from PySide6.QtCore import QDate, QEvent, QTimer
from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar, QWidget

from odsc_desk.store import Store
from ui.context import CounterContext

# Work shorter than this shows no indicator: a flash of a busy bar is worse than none.
BUSY_DELAY_MS = 200


def pending_ops(store: Store) -> int:
    return store.scalar("SELECT COUNT(*) FROM outbox WHERE state = 'pending'")


class CounterStatusBar(QStatusBar):
    def __init__(self, ctx: CounterContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.who = QLabel()
        self.sync = QLabel()
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(80)
        self.busy.hide()
        self._busy_timer = QTimer(self, singleShot=True, interval=BUSY_DELAY_MS)
        self._busy_timer.timeout.connect(self.busy.show)
        self.addWidget(self.who)
        self.addPermanentWidget(self.busy)
        self.addPermanentWidget(self.sync)
        self.pending: int | None = None
        ctx.worker.busy_changed.connect(self._on_busy)
        ctx.worker.changed.connect(self.refresh)
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
        if self.pending is not None:
            self.sync.setText(
                self.tr("No sync server yet · {count} waiting to sync").format(count=self.pending)
            )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
