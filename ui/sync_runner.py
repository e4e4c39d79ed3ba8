"""The background sync: its own thread and its own store connection, never the UI's.

When it runs: once at start if a centre is configured; a few seconds after a write (debounced, so
a queue of citizens becomes one push, not one per payment); when the clerk asks ("Sync now"); on
a growing backoff after a failure; and at once when the centre answers a cheap TCP probe again,
so a link that comes back is used within seconds rather than after the backoff. What it learns
reaches the window through `state_changed`, on the UI thread.

A sync in flight is never cancelled: the outbox and the server's batch transaction make a cut
at any point safe, so closing the window simply abandons the thread.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject, QTimer, Signal

from odsc_desk.api import Store
from odsc_desk.shared.errors import OdscError
from sync.backoff import Backoff
from sync.errors import SyncError
from sync.reachability import server_reachable

if TYPE_CHECKING:
    from sync import client

log = logging.getLogger(__name__)

DEBOUNCE_MS = 5_000
PROBE_MS = 15_000
# With nothing waiting, still ask now and then: the centre may have published a new catalog.
IDLE_MS = 10 * 60_000
# Failures that mean "no link": the window says offline and probes for the link's return.
OFFLINE = frozenset({"sync.offline", "sync.timeout", "sync.server_down"})


class Lane(Protocol):
    def submit(self, fn: Callable[[], Any]) -> Any: ...


class DaemonLane:
    """One daemon thread running jobs in order. A daemon, unlike a thread pool's worker, does
    not hold the app open while a request on a dead link waits out its read timeout."""

    def __init__(self) -> None:
        self._jobs: queue.SimpleQueue[Callable[[], Any]] = queue.SimpleQueue()
        threading.Thread(target=self._loop, name="odsc-sync", daemon=True).start()

    def submit(self, fn: Callable[[], Any]) -> None:
        self._jobs.put(fn)

    def _loop(self) -> None:
        while True:
            self._jobs.get()()


@dataclass(frozen=True)
class SyncView:
    """What the window shows of the sync."""

    configured: bool = False
    running: bool = False
    offline: bool = False
    pending: int = 0
    parked: int = 0
    last_success: str | None = None
    error: str | None = None  # a message code of odsc_desk.shared.messages, or None
    message_lo: str = ""
    message_en: str = ""
    server: str | None = None
    # While a pass pushes: how many of the ops waiting at its start the centre has answered for.
    sent: int | None = None
    total: int | None = None


class SyncRunner(QObject):
    state_changed = Signal(object)
    _finished = Signal(object, object)
    _progressed = Signal(int, int)

    def __init__(
        self,
        open_store: Callable[[], Store],
        lane: Lane | None = None,
        backoff: Backoff | None = None,
        *,
        debounce_ms: int = DEBOUNCE_MS,
        probe_ms: int = PROBE_MS,
        idle_ms: int = IDLE_MS,
    ) -> None:
        super().__init__()
        self._open_store = open_store
        self._store: Store | None = None
        self._lane = lane or DaemonLane()
        self._backoff = backoff or Backoff()
        self.view = SyncView()
        self.failures = 0
        self._again = False
        self._stopped = False
        self._debounce = self._timer(debounce_ms, self.sync_now)
        self._retry = self._timer(0, self.sync_now)
        self._idle = self._timer(idle_ms, self.sync_now)
        self._probe = QTimer(self, interval=probe_ms)
        self._probe.timeout.connect(self._send_probe)
        self._asked = False
        # AutoConnection: queued from the sync thread, direct when tests run jobs inline.
        self._finished.connect(self._deliver)
        self._progressed.connect(self._show_progress)

    def _timer(self, ms: int, slot: Callable[[], None]) -> QTimer:
        timer = QTimer(self, singleShot=True, interval=ms)
        timer.timeout.connect(slot)
        return timer

    # -- asking for a sync ----------------------------------------------------------------------
    def start(self) -> None:
        self.sync_now()

    def nudge(self) -> None:
        """Something was recorded: sync soon, once the clerk pauses."""
        if self.view.configured and not self._stopped:
            self._debounce.start()

    def ask_now(self) -> None:
        """The clerk asked (F5, "Sync now"): like `sync_now`, and if the counter cannot sync at
        all (not enrolled), the answer says why and what to do instead of nothing."""
        self._asked = True
        self.sync_now()

    def sync_now(self) -> None:
        if self._stopped:
            return
        if self.view.running:
            self._again = True  # one more pass after this one, for what was written meanwhile
            return
        for timer in (self._debounce, self._retry, self._idle):
            timer.stop()
        self._set(replace(self.view, running=True))
        self._submit(self._sync_job, "sync")

    def stop(self) -> None:
        self._stopped = True
        for timer in (self._debounce, self._retry, self._idle, self._probe):
            timer.stop()

    # -- on the sync thread ----------------------------------------------------------------------
    def _store_now(self) -> Store:
        if self._store is None:
            self._store = self._open_store()
        return self._store

    def _submit(self, job: Callable[[], Any], kind: str) -> None:
        def run() -> None:
            try:
                outcome: Any = job()
            except Exception as exc:  # a bug or an unusable store: shown, and retried later
                log.exception("sync %s failed", kind)
                outcome = exc
            self._finished.emit(kind, outcome)

        self._lane.submit(run)

    def _sync_job(self) -> tuple[client.SyncResult | None, client.SyncStatus]:
        # Imported at the first sync, not with the window: `requests` and the protocol are a
        # tenth of the counter's start-up.
        from sync import client

        store = self._store_now()
        if not client.is_configured(store):
            return None, client.status(store)
        result = client.sync_once(store, progress=self._progressed.emit)
        return result, client.status(store)

    def _probe_job(self) -> bool:
        return self.view.server is not None and server_reachable(self.view.server)

    def _send_probe(self) -> None:
        self._submit(self._probe_job, "probe")

    # -- back on the UI thread ------------------------------------------------------------------
    def _deliver(self, kind: str, outcome: Any) -> None:
        if self._stopped:
            return
        if kind == "probe":
            if outcome is True:
                self._probe.stop()
                self.sync_now()
            return
        if isinstance(outcome, Exception):
            if isinstance(outcome, OdscError):  # the store could not be opened, say
                lo, en = outcome.message_lo, outcome.message_en
            else:
                lo = en = str(outcome)
            broken = replace(
                self.view, running=False, error="sync.failed", message_lo=lo, message_en=en
            )
            self._after(broken, ok=False)
            return
        result, status = outcome
        asked, self._asked = self._asked, False
        if result is None and asked:
            why = SyncError("sync.not_enrolled", retry=False)
            view = SyncView(
                pending=status["pending"],
                parked=status["parked"],
                error=why.code,
                message_lo=why.message_lo,
                message_en=why.message_en,
            )
            self._after(view, ok=False)
            return
        failed = result is not None and not result.ok
        view = SyncView(
            configured=bool(status.get("enrolled")),
            pending=status.get("pending", 0),
            parked=status.get("parked", 0),
            last_success=status.get("last_success"),
            server=status.get("server"),
            error=result.error if failed else None,
            message_lo=(result.message_lo or "") if failed else "",
            message_en=(result.message_en or "") if failed else "",
            offline=failed and result.error in OFFLINE,
        )
        self._after(view, ok=not failed)

    def _after(self, view: SyncView, ok: bool) -> None:
        self._set(view)
        if not view.configured:
            # An admin may enroll the counter from the command line while the window is open.
            self._idle.start()
            return
        if self._again:
            self._again = False
            self.sync_now()
            return
        if ok:
            self.failures = 0
            self._probe.stop()
            self._idle.start()
            return
        self.failures += 1
        self._retry.start(int(self._backoff.next_delay(self.failures) * 1000))
        if view.offline and not self._probe.isActive():
            self._probe.start()

    def _show_progress(self, sent: int, total: int) -> None:
        if self.view.running and not self._stopped:
            self._set(replace(self.view, configured=True, sent=sent, total=total))

    def _set(self, view: SyncView) -> None:
        self.view = view
        self.state_changed.emit(view)
