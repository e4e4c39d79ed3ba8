"""What every counter widget is handed: the worker, the language, and who is logged in.

Passed in explicitly (no app-wide singleton), so a test builds one widget with a real store and
no main window.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

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
