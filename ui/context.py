"""What every counter widget is handed: the worker, the language, and who is logged in.

Passed in explicitly (no app-wide singleton), so a test builds one widget with a real store and
no main window.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QApplication

from odsc_desk.api import Actor, Office, users
from ui.i18n import Language
from ui.worker import Worker

if TYPE_CHECKING:
    from ui.sync_runner import SyncRunner


@dataclass
class CounterContext:
    worker: Worker
    lang: Language
    actor: Actor
    office: Office
    data_dir: Path
    # None when the window runs without a background sync (most widget tests).
    sync: SyncRunner | None = None

    @property
    def is_supervisor(self) -> bool:
        return users.has_role(self.actor, "supervisor")

    def act_as(self, actor: Actor) -> None:
        """Someone else works at the counter from now on (a takeover at the lock, a new login).

        Widgets read `actor` at the moment of an action and never keep a copy, so the next
        write names the new user. Then every widget re-reads its text (the status line's user
        name, the role-dependent menus) as on a language switch. The events are sent here, not
        by re-setting the language: in English no translator is swapped, so Qt would send none.
        """
        self.actor = actor
        for widget in QApplication.allWidgets():
            QCoreApplication.postEvent(widget, QEvent(QEvent.Type.LanguageChange))
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LanguageChange)
        self.lang.changed.emit(self.lang.code)
