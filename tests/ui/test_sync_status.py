"""The window's side of sync: the background runner against a real server on loopback, the
status line, Sync now (F5), a sync soon after each write, and the warning at close of day.

The runner's thread is replaced by a lane that runs each job at once; the server, the store and
the HTTP in between are real. One database kind is enough here: the server's own tests cover
PostgreSQL.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import func, select

from odsc_desk.domain import payments, service_requests
from odsc_desk.storage.store import open_store
from sync import client
from sync.server.db import ops
from tests.conftest import FAST_HASHER
from tests.sync.conftest import running_server
from ui.cash_dialogs import CloseSessionDialog
from ui.main_window import WINDOW_KEYS, MainWindow
from ui.status_bar import CounterStatusBar
from ui.sync_runner import SyncRunner


@pytest.fixture
def centre(tmp_path):
    with running_server(f"sqlite:///{tmp_path / 'server.sqlite3'}") as server:
        yield server


class InlineLane:
    def submit(self, fn):
        fn()


class FixedBackoff:
    def next_delay(self, failures: int) -> float:
        return 60.0


def make_runner(counter, **timing) -> SyncRunner:
    return SyncRunner(
        lambda: open_store(counter.data_dir, clock=counter.clock, hasher=FAST_HASHER),
        InlineLane(),
        FixedBackoff(),
        **timing,
    )


def enroll(counter, server) -> None:
    office = counter.store.office
    code = server.enroll_code(office["office_code"], office["counter"])
    client.enroll(counter.store, server.url, code)


def visit(counter) -> None:
    request = service_requests.record_request(
        counter.store, counter.clerk, service_code="MOHA-BIRTH", citizen_name="ນາງ ນ້ອຍ"
    )
    payments.record_payment(counter.store, counter.clerk, request["tracking"])


def at_centre(server) -> int:
    with server.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(ops)).scalar_one()


def bar_for(ctx, qtbot, counter) -> CounterStatusBar:
    bar = CounterStatusBar(ctx)
    bar.now = counter.clock
    qtbot.addWidget(bar)
    return bar


def test_without_a_centre_the_line_says_so(ctx, counter_ui, qtbot, lang):
    ctx.sync = make_runner(counter_ui)
    bar = bar_for(ctx, qtbot, counter_ui)
    ctx.sync.start()
    lang.set("en")
    assert not ctx.sync.view.configured
    assert bar.sync.text() == "Not connected to a centre · 1 waiting to sync"  # the drawer
    assert bar.sync_button.isEnabled()  # pressing it says what is missing


@pytest.mark.parametrize(
    ("code", "line", "how"),
    [
        (
            "en",
            "Not enrolled with a centre: an admin enrolls this counter · 1 waiting",
            "odsc sync",
        ),
        ("lo", "ຍັງບໍ່ໄດ້ລົງທະບຽນກັບສູນກາງ: ຜູ້ດູແລລະບົບຕ້ອງລົງທະບຽນປ່ອງນີ້ · 1 ລາຍການລໍຖ້າ", "odsc sync"),
    ],
)
def test_asking_to_sync_before_enrollment_says_why_and_what_to_do(
    ctx, counter_ui, qtbot, lang, code, line, how
):
    ctx.sync = make_runner(counter_ui)
    bar = bar_for(ctx, qtbot, counter_ui)
    lang.set(code)
    ctx.sync.start()
    assert "Not enrolled" not in bar.sync.text()  # the automatic start says nothing new
    bar.sync_button.click()  # as F5 does
    assert bar.sync.text() == line
    assert how in bar.sync.toolTip() and bar.sync.styleSheet() != ""


def test_a_long_upload_shows_how_far_it_is(ctx, counter_ui, centre, qtbot, lang):
    enroll(counter_ui, centre)
    for _ in range(30):
        visit(counter_ui)
    with counter_ui.store.transaction():  # small batches, so the pass takes several pushes
        counter_ui.store.conn.execute("UPDATE sync_state SET batch_size = 10")
    waiting = counter_ui.store.scalar("SELECT COUNT(*) FROM outbox WHERE state = 'pending'")
    ctx.sync = make_runner(counter_ui)
    bar = bar_for(ctx, qtbot, counter_ui)
    lang.set("en")
    lines: list[str] = []

    def seen(_view: object) -> None:
        lines.append(bar.sync.text())

    ctx.sync.state_changed.connect(seen)
    try:
        ctx.sync.start()
        sending = [t for t in lines if t.startswith("Sending ")]
        assert sending[0] == f"Sending 0 of {waiting} to the centre…"
        assert sending[-1] == f"Sending {waiting} of {waiting} to the centre…"
        assert len(sending) >= 4  # one line per batch the centre answered
        assert lines[-1] == "Synced just now · 0 waiting"
    finally:
        # The runner outlives the test's widgets: a late state must not reach a deleted label
        # (it would fail whichever test runs next on this worker).
        ctx.sync.state_changed.disconnect(seen)


def test_a_sync_empties_the_queue_and_the_line_says_synced(ctx, counter_ui, centre, qtbot, lang):
    enroll(counter_ui, centre)
    visit(counter_ui)
    ctx.sync = make_runner(counter_ui)
    bar = bar_for(ctx, qtbot, counter_ui)
    bar.refresh()
    lang.set("en")
    assert bar.sync.text() == "Not connected to a centre · 3 waiting to sync"  # not run yet
    ctx.sync.start()
    # the cash session, the request and the payment
    assert at_centre(centre) == 3
    assert ctx.sync.view.configured and ctx.sync.view.pending == 0
    assert bar.sync.text() == "Synced just now · 0 waiting"
    assert bar.sync.styleSheet() == ""


def test_a_stopped_centre_shows_the_waiting_count_and_its_return_syncs_at_once(
    ctx, counter_ui, centre, qtbot, lang
):
    enroll(counter_ui, centre)
    centre.stop()
    visit(counter_ui)
    ctx.sync = make_runner(counter_ui, probe_ms=50)
    bar = bar_for(ctx, qtbot, counter_ui)
    lang.set("en")
    ctx.sync.start()
    assert ctx.sync.view.offline  # probing for the centre's return
    assert bar.sync.text() == "The centre is not answering, 3 waiting"  # not "no network"
    assert bar.sync.styleSheet() != ""  # shown as a warning
    assert ctx.sync._retry.isActive() and ctx.sync._retry.interval() == 60_000
    centre.start()
    # well before the minute of backoff is up: the probe sees the server and syncs
    qtbot.waitUntil(lambda: at_centre(centre) == 3, timeout=5_000)
    assert not ctx.sync.view.offline and ctx.sync.failures == 0
    assert bar.sync.text() == "Synced just now · 0 waiting"
    assert not ctx.sync._retry.isActive()


def test_a_write_in_the_window_is_synced_soon_after(ctx, counter_ui, centre, qtbot):
    enroll(counter_ui, centre)
    ctx.sync = make_runner(counter_ui, debounce_ms=50)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    ctx.sync.start()
    before = at_centre(centre)
    ctx.worker.run(
        lambda store: service_requests.record_request(
            store, ctx.actor, service_code="MOHA-BIRTH", citizen_name="ທ້າວ ບຸນມີ"
        ),
        writes=True,
    )
    qtbot.waitUntil(lambda: at_centre(centre) == before + 1, timeout=5_000)


def test_f5_syncs_now(ctx, counter_ui, centre, qtbot):
    enroll(counter_ui, centre)
    ctx.sync = make_runner(counter_ui)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    visit(counter_ui)
    qtbot.keyClick(window.focusWidget() or window, Qt.Key.Key_F5)
    assert at_centre(centre) == 3
    assert "F5" in dict(WINDOW_KEYS)


def test_closing_the_day_warns_of_records_not_yet_at_the_centre(
    supervisor_ctx, counter_ui, centre, qtbot, lang
):
    visit(counter_ui)
    dialog = CloseSessionDialog(supervisor_ctx)
    qtbot.addWidget(dialog)
    lang.set("en")
    assert dialog.unsynced.isVisibleTo(dialog)
    assert (
        dialog.unsynced.text().replace("\u200b", "").startswith("Records not yet at the centre: 3.")
    )
    lang.set("lo")
    assert dialog.unsynced.text().replace("\u200b", "").startswith("ລາຍການທີ່ຍັງບໍ່ທັນຮອດສູນກາງ: 3.")
    lang.set("en")
    enroll(counter_ui, centre)
    supervisor_ctx.sync = make_runner(counter_ui)
    supervisor_ctx.sync.start()
    synced = CloseSessionDialog(supervisor_ctx)
    qtbot.addWidget(synced)
    assert not synced.unsynced.isVisibleTo(synced)


def test_a_counter_enrolled_while_the_window_is_open_starts_syncing(ctx, counter_ui, centre, qtbot):
    ctx.sync = make_runner(counter_ui, idle_ms=50)
    ctx.sync.start()
    assert not ctx.sync.view.configured
    enroll(counter_ui, centre)  # an admin, from the command line
    qtbot.waitUntil(lambda: ctx.sync.view.configured, timeout=5_000)
    assert at_centre(centre) == 1  # the drawer's opening
