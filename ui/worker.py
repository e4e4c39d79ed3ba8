"""The background worker: one thread owns the store and runs core calls in order.

The UI thread never touches SQLite. A widget hands the worker a task (a function of the store)
and callbacks; the result comes back on the UI thread through a Qt signal. The executor is
injectable, so tests run tasks at once in the calling thread.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal

from odsc_desk.api import Store, translate_sqlite_error
from odsc_desk.shared.errors import OdscError

T = TypeVar("T")
log = logging.getLogger(__name__)

Done = Callable[[Any], None]
Failed = Callable[[OdscError], None]


class Worker(QObject):
    busy_changed = Signal(bool)
    # A write finished: views that show stored data refresh.
    changed = Signal()
    # An error no caller handled, or one that is not a refusal (a bug): shown by the window.
    failed = Signal(object)
    _finished = Signal(object, object, object, bool)

    def __init__(self, open_store: Callable[[], Store], executor: Executor | None = None) -> None:
        super().__init__()
        self._open_store = open_store
        self._store: Store | None = None
        self._executor = executor or ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="odsc-store"
        )
        self._pending = 0
        self._closed = False  # shut down: the window is closing
        # AutoConnection: queued from the worker thread, direct when tests run tasks inline.
        self._finished.connect(self._deliver)

    def _store_now(self) -> Store:
        if self._store is None:
            self._store = self._open_store()
        return self._store

    def call(
        self,
        fn: Callable[[], T],
        on_done: Callable[[T], None] | None = None,
        on_error: Failed | None = None,
        *,
        writes: bool = False,
    ) -> None:
        """Run `fn()` on the worker thread; `on_done(result)` or `on_error(error)` on the UI's.
        Once shut down, nothing: a result queued before the shutdown can still arrive and ask
        for more (the backup that falls due, say), and the window is closing anyway."""
        if self._closed:
            log.debug("work asked for after the worker shut down, dropped")
            return
        self._pending += 1
        if self._pending == 1:
            self.busy_changed.emit(True)

        def job() -> None:
            try:
                value = fn()
            except OdscError as exc:
                self._finished.emit(on_error, exc, None, writes)
            except sqlite3.Error as exc:
                path = self._store.path if self._store else ""
                self._finished.emit(on_error, translate_sqlite_error(exc, path), None, writes)
            except Exception as exc:  # a bug: keep the app alive and say so
                log.exception("background task failed")
                self._finished.emit(None, exc, None, writes)
            else:
                self._finished.emit(on_done, None, value, writes)

        self._executor.submit(job)

    def run(
        self,
        task: Callable[[Store], T],
        on_done: Callable[[T], None] | None = None,
        on_error: Failed | None = None,
        *,
        writes: bool = False,
    ) -> None:
        """Run `task(store)` on the worker thread (see `call`)."""
        self.call(lambda: task(self._store_now()), on_done, on_error, writes=writes)

    def _deliver(self, callback: Any, error: Any, value: Any, writes: bool) -> None:
        self._pending -= 1
        if self._pending == 0:
            self.busy_changed.emit(False)
        if error is not None:
            if callback is not None:
                callback(error)
            else:
                self.failed.emit(error)
            return
        if writes:
            self.changed.emit()
        if callback is not None:
            callback(value)

    def shutdown(self) -> None:
        """Finish queued work, then close the store on the worker thread."""

        def close() -> None:
            if self._store is not None:
                self._store.close()
                self._store = None

        self._closed = True
        self._executor.submit(close)
        self._executor.shutdown(wait=True)
