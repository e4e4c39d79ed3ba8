"""The approval dialog on its own: when the supervisor's own name is offered, and that a name
typed at the keyboard before the worker answers is never overwritten.

The whole void, refund and cash close flows with an approval are in test_day_view.py and
test_cash_pos.py."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor, Future
from typing import Any, TypeVar

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from odsc_desk.api import open_store, settings
from tests.conftest import FAST_HASHER, PASSWORD, Counter
from ui.approval_dialog import ApprovalDialog
from ui.context import CounterContext
from ui.worker import Worker

T = TypeVar("T")


class HeldExecutor(Executor):
    """Keeps each task until `release()`, as a busy worker thread would: the person at the
    keyboard acts before the answer arrives."""

    def __init__(self) -> None:
        self.held: list[tuple[Future[Any], Callable[[], Any]]] = []

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        future: Future[T] = Future()
        self.held.append((future, lambda: fn(*args, **kwargs)))
        return future

    def release(self) -> None:
        while self.held:
            future, task = self.held.pop(0)
            future.set_result(task())


def _dialog(qtbot: QtBot, ctx: CounterContext) -> ApprovalDialog:
    dialog = ApprovalDialog(ctx, lambda: "Void receipt 1")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_a_clerk_types_the_supervisors_name(ctx: CounterContext, qtbot: QtBot) -> None:
    dialog = _dialog(qtbot, ctx)
    assert dialog.user.text() == "" and dialog.focusWidget() is dialog.user
    qtbot.keyClicks(dialog.user, "somchai")
    qtbot.keyClick(dialog.user, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.approver is not None and dialog.approver.username == "somchai"
    assert not dialog.isVisible()


def test_own_name_offered_only_where_self_approval_is_allowed(supervisor_ctx, counter_ui, qtbot):
    dialog = _dialog(qtbot, supervisor_ctx)
    assert dialog.user.text() == "" and dialog.focusWidget() is dialog.user

    settings.set_value(counter_ui.store, counter_ui.admin, "self_approval", "yes")
    dialog = _dialog(qtbot, supervisor_ctx)
    # Filled in; the password is still theirs to type, and the keyboard is already there.
    assert dialog.user.text() == "somchai" and dialog.focusWidget() is dialog.password
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.approver is not None and dialog.approver.id == counter_ui.supervisor.id


def test_a_name_typed_before_the_setting_is_read_stays(
    supervisor_ctx: CounterContext, counter_ui: Counter, qtbot: QtBot
) -> None:
    settings.set_value(counter_ui.store, counter_ui.admin, "self_approval", "yes")
    held = HeldExecutor()
    worker = Worker(
        lambda: open_store(counter_ui.data_dir, clock=counter_ui.clock, hasher=FAST_HASHER), held
    )
    supervisor_ctx.worker = worker
    dialog = _dialog(qtbot, supervisor_ctx)
    qtbot.keyClicks(dialog.user, "admin")
    qtbot.keyClick(dialog.user, Qt.Key.Key_Tab)
    held.release()
    assert dialog.user.text() == "admin" and dialog.focusWidget() is dialog.password
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    held.release()
    assert dialog.approver is not None and dialog.approver.username == "admin"
    worker.shutdown()
    held.release()  # the worker's closing of its store
