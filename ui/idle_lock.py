"""The idle lock: a counter PC left with a clerk logged in asks for a password again.

After `idle_lock_minutes` (an office setting; 0 turns the lock off) without a key press, a click
or a scroll anywhere in the application, a modal dialog covers the window. It opens again for
the password of the user who was working, or for another user's name and password: someone
taking over the counter (a supervisor at the end of the day) logs in there, and from then on
the window acts as them. `ctx.actor` is replaced in place: every widget reads it at the moment
of an action, never keeps a copy, so the next payment is recorded under the new name; the
status line shows it after the language is re-applied (which makes every widget re-read its
text). The password is checked by the core (`users.authenticate`) on the worker thread.
"Switch user" (Ctrl+L in the window) is the same lock, asked for on purpose.

The setting is read through the worker at start and after every write (a change in Settings is
one), so a new value applies without restarting. Everything about time is injectable: tests use
a minute of a few milliseconds.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from odsc_desk.api import Actor, settings, users
from odsc_desk.shared.errors import OdscError
from ui.context import CounterContext
from ui.widgets import ErrorLabel

log = logging.getLogger("odsc.idle_lock")

MINUTE_MS = 60_000
# What counts as someone at the PC. Not mouse moves: a mouse nudged by an elbow is nobody.
INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.Wheel,
        QEvent.Type.InputMethod,
        QEvent.Type.TouchBegin,
    }
)


class LockDialog(QDialog):
    """Covers the window; only a password the core accepts opens it (Esc and closing do not)."""

    unlocked = Signal(object)  # the Actor who unlocked it

    def __init__(
        self, ctx: CounterContext, minutes: int, parent: QWidget, *, switching: bool = False
    ) -> None:
        """`minutes` idle before it locked; 0 when someone locked it on purpose. `switching`:
        the next user is coming, so the name is left empty for theirs."""
        # Frameless: no title bar to drag aside and look at the window behind.
        super().__init__(parent, Qt.WindowType.Dialog | Qt.WindowType.FramelessWindowHint)
        self.ctx = ctx
        self.minutes = minutes
        self.busy = False
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 16pt; font-weight: bold;")
        self.explain = QLabel()
        self.explain.setWordWrap(True)
        self.user = QLineEdit("" if switching else ctx.actor.username)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.user_label = QLabel()
        self.password_label = QLabel()
        self.user_label.setBuddy(self.user)
        self.password_label.setBuddy(self.password)
        self.error = ErrorLabel(ctx.lang)
        self.unlock_button = QPushButton()
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self.try_unlock)
        self._layout()
        self.retranslate()
        (self.user if switching else self.password).setFocus()

    def _layout(self) -> None:
        form = QFormLayout()
        form.addRow(self.user_label, self.user)
        form.addRow(self.password_label, self.password)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.unlock_button)
        panel = QFrame()
        panel.setFrameShape(QFrame.Shape.StyledPanel)
        panel.setMaximumWidth(520)
        column = QVBoxLayout(panel)
        column.addWidget(self.heading)
        column.addWidget(self.explain)
        column.addLayout(form)
        column.addWidget(self.error)
        column.addLayout(buttons)
        # The panel sits in the middle of a dialog as large as the window it hides.
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        middle = QHBoxLayout()
        middle.addStretch(1)
        middle.addWidget(panel)
        middle.addStretch(1)
        outer.addLayout(middle)
        outer.addStretch(1)

    def try_unlock(self) -> None:
        if self.busy:
            return
        name, password = self.user.text(), self.password.text()
        self._set_busy(True)
        self.ctx.worker.run(
            lambda store: users.authenticate(store, name, password), self._accepted, self._refused
        )

    def _accepted(self, actor: Actor) -> None:
        self._set_busy(False)
        self.password.clear()
        self.accept()
        self.unlocked.emit(actor)

    def _refused(self, error: OdscError) -> None:
        self._set_busy(False)
        # Both languages: whoever walks up to a locked PC may not read the one it was left in.
        self.error.show_text(error.bilingual)
        self.password.clear()
        self.password.setFocus()
        # Never the name typed: a password typed into the name field would end up in the log.
        log.warning("a password was refused at the lock")

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.unlock_button.setEnabled(not busy)

    def reject(self) -> None:
        """Esc, and closing the dialog (QDialog's closeEvent asks reject()), leave it locked."""

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("ODSC Desk is locked"))
        self.heading.setText(self.tr("ODSC Desk is locked"))
        if self.minutes > 0:
            self.explain.setText(
                self.tr(
                    "Nobody used this window for {minutes} min. Type the password to go on, or"
                    " another user's name and password to take over the counter."
                ).format(minutes=self.minutes)
            )
        else:
            self.explain.setText(
                self.tr(
                    "{user} locked this window. The next user types their name and password"
                    " to take over the counter; {user} types the password to go on."
                ).format(user=self.ctx.actor.username)
            )
        self.user_label.setText(self.tr("&User name"))
        self.password_label.setText(self.tr("&Password"))
        self.unlock_button.setText(self.tr("Unlock"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class IdleLock(QObject):
    """Watches the whole application's input and locks `window` when it has been idle."""

    locked = Signal()
    unlocked = Signal(object)  # the Actor now working

    def __init__(
        self, ctx: CounterContext, window: QWidget, *, ms_per_minute: int = MINUTE_MS
    ) -> None:
        super().__init__(window)
        self.ctx = ctx
        self.window = window
        self.ms_per_minute = ms_per_minute
        self.minutes = 0
        self.dialog: LockDialog | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.lock)
        app = QApplication.instance()
        if app is None:  # cannot happen once `window` exists, but Qt's type allows it
            raise RuntimeError("IdleLock needs the running QApplication")
        # The whole application's input, not only the window's: dialogs count as activity.
        app.installEventFilter(self)
        ctx.worker.changed.connect(self.read_setting)
        self.read_setting()

    def read_setting(self) -> None:
        self.ctx.worker.run(
            lambda store: settings.get(store, "idle_lock_minutes"), self._apply, self._unread
        )

    def _apply(self, minutes: Any) -> None:
        self.minutes = int(minutes)
        if self.dialog is not None:
            return  # the timer starts again once the window is unlocked
        if self.minutes <= 0:
            self.timer.stop()
            return
        interval = self.minutes * self.ms_per_minute
        if interval != self.timer.interval() or not self.timer.isActive():
            self.timer.start(interval)

    def _unread(self, error: OdscError) -> None:
        # The window shows store problems where they happen; the lock keeps its last value.
        log.warning("idle lock setting not read: %s", error.code)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in INPUT_EVENTS and self.dialog is None and self.timer.isActive():
            self.timer.start()
        return False

    def lock(self) -> None:
        if self.minutes > 0:
            self._cover(self.minutes, switching=False)

    def switch_user(self) -> None:
        """Ctrl+L: locked on purpose, whatever the setting, with the name left for the next user.
        What is on the screen stays for whoever logs in (the lock never discards work)."""
        self._cover(0, switching=True)

    def _cover(self, minutes: int, *, switching: bool) -> None:
        if self.dialog is not None or not self.window.isVisible():
            return
        self.timer.stop()
        self.dialog = LockDialog(self.ctx, minutes, self.window, switching=switching)
        self.dialog.setGeometry(self.window.frameGeometry())
        self.dialog.unlocked.connect(self._unlocked)
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()
        if minutes:
            log.info("locked after %d idle minutes (user %s)", minutes, self.ctx.actor.username)
        else:
            log.info("locked by %s for the next user", self.ctx.actor.username)
        self.locked.emit()

    def _unlocked(self, actor: Actor) -> None:
        previous = self.ctx.actor
        if self.dialog is not None:
            self.dialog.deleteLater()
            self.dialog = None
        if actor.id != previous.id:
            self.ctx.act_as(actor)
            log.info("unlocked by %s, taking over from %s", actor.username, previous.username)
        else:
            log.info("unlocked by %s", actor.username)
        if self.minutes > 0:
            self.timer.start(self.minutes * self.ms_per_minute)
        self.window.activateWindow()  # the keyboard goes back to the window it covered
        self.unlocked.emit(actor)
