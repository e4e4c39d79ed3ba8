"""Backups from the window, on real stores: the copy at start and after the day is closed, the
status line, the Backups dialog (list, checks, second location, restore) and who may use it;
and the `odsc` command writing beside the window's worker.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from odsc_desk.domain import service_requests, settings
from odsc_desk.maintenance import autobackup, integrity
from odsc_desk.storage.store import STORE_FILE, open_store
from tests.conftest import FAST_HASHER, PASSWORD
from tests.ui.conftest import make_worker
from ui.backup_dialogs import BackupRunner, BackupsDialog
from ui.cash_dialogs import CloseSessionDialog
from ui.main_window import MainWindow
from ui.status_bar import CounterStatusBar
from ui.worker import Worker

AUTO = Path("backups") / "auto"


def runner_for(counter, **timing) -> BackupRunner:
    """The backup lane with the test's clock, running its tasks at once."""
    return BackupRunner(counter.data_dir, make_worker(counter), **timing)


def window_for(ctx, counter, qtbot, runner=None) -> MainWindow:
    window = MainWindow(ctx, backups=runner or runner_for(counter))
    window.statusBar().now = counter.clock
    qtbot.addWidget(window)
    return window


def copies(counter) -> list[str]:
    return sorted(p.name for p in (counter.data_dir / AUTO).glob("*.sqlite3"))


def payments_in(path: Path) -> int:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT COUNT(*) FROM payments").fetchone()[0]
    finally:
        conn.close()


def pay(counter, name="ນາງ ນ້ອຍ") -> dict:
    from odsc_desk.domain import payments

    r = service_requests.record_request(
        counter.store, counter.clerk, service_code="MOHA-BIRTH", citizen_name=name
    )
    return payments.record_payment(counter.store, counter.clerk, r["tracking"])


def test_the_window_backs_up_when_it_opens_and_the_status_line_says_when(
    qtbot, supervisor_ctx, counter_ui, lang
):
    window = window_for(supervisor_ctx, counter_ui, qtbot)
    bar = window.statusBar()
    assert copies(counter_ui) == []
    window.show()
    assert copies(counter_ui) == ["odsc-VTE-SST-1-2026-11-26T090000.sqlite3"]
    assert bar.backup.text() == "ສຳຮອງ: ມື້ນີ້ 09:00"
    lang.set("en")
    assert bar.backup.text() == "Backup: today 09:00"
    assert bar.backup.styleSheet() == ""
    counter_ui.clock.advance(days=1)
    bar.retranslate()
    assert bar.backup.text() == "Backup: yesterday 09:00"


def test_closing_the_day_is_followed_by_a_backup(qtbot, ctx, counter_ui, lang):
    window = window_for(ctx, counter_ui, qtbot, runner_for(counter_ui, after_write_ms=10))
    window.show()
    assert len(copies(counter_ui)) == 1  # the morning's
    counter_ui.clock.advance(hours=8)
    pay(counter_ui)
    closing = CloseSessionDialog(ctx, window)
    qtbot.addWidget(closing)
    closing.amount.setText("110000")  # the float and one birth certificate
    closing.accept()
    assert closing.result() == closing.DialogCode.Accepted
    # Rotation keeps the newest copy of a day: the evening's replaces the morning's.
    evening = "odsc-VTE-SST-1-2026-11-26T170000.sqlite3"
    qtbot.waitUntil(lambda: copies(counter_ui) == [evening], timeout=5_000)
    assert payments_in(counter_ui.data_dir / AUTO / evening) == 1
    lang.set("en")
    assert window.statusBar().backup.text() == "Backup: today 17:00"


def test_an_old_backup_and_a_missing_usb_drive_show_in_red(qtbot, ctx, counter_ui, lang, tmp_path):
    runner = runner_for(counter_ui)
    bar = CounterStatusBar(ctx)
    bar.now = counter_ui.clock
    qtbot.addWidget(bar)
    bar.watch_backups(runner)
    runner.back_up_now()
    lang.set("en")
    assert bar.backup.styleSheet() == ""
    counter_ui.clock.advance(days=3)
    runner.refresh()
    assert bar.backup.text() == "Backup: 26/11 09:00"
    assert bar.backup.styleSheet() != ""
    assert "3 days ago" in bar.backup.toolTip()
    usb = tmp_path / "usb"
    settings.set_value(counter_ui.store, counter_ui.supervisor, "backup_second_location", str(usb))
    runner.back_up_now()
    assert bar.backup.text() == "Backup: today 09:00"
    assert "plug in the USB drive" in bar.backup.toolTip()
    assert "is not there" in bar.backup.toolTip()  # the copy that could not be written
    lang.set("lo")
    assert "ສຽບ USB" in bar.backup.toolTip()
    usb.mkdir()
    runner.back_up_now()
    assert bar.backup.styleSheet() == "" and bar.backup.toolTip() == ""


def test_a_clerk_sees_backup_and_restore_disabled_and_the_core_refuses_too(
    qtbot, ctx, counter_ui, lang
):
    window = window_for(ctx, counter_ui, qtbot)
    assert not window.backup_action.isEnabled()
    assert not window.restore_action.isEnabled()
    runner = runner_for(counter_ui)
    runner.back_up_now()
    dialog = BackupsDialog(ctx, runner)
    qtbot.addWidget(dialog)
    assert not dialog.backup_now.isEnabled() and not dialog.choose.isEnabled()
    dialog.table.selectRow(0)
    assert not dialog.restore_button.isEnabled()
    assert "ສະເພາະຫົວໜ້າ" in dialog.error_line.text()
    # Even asked directly, the core refuses a clerk and touches nothing.
    before = hashlib.sha256((counter_ui.data_dir / STORE_FILE).read_bytes()).hexdigest()
    dialog.restore(dialog.listed[0]["path"])
    assert dialog.error.code == "auth.role"
    assert hashlib.sha256((counter_ui.data_dir / STORE_FILE).read_bytes()).hexdigest() == before


def _answer(qtbot, box: QMessageBox, button: QMessageBox.StandardButton) -> None:
    qtbot.waitUntil(box.isVisible)
    box.button(button).click()


def test_restoring_from_the_dialog_saves_the_store_first_and_closes_the_window(
    qtbot, supervisor_ctx, counter_ui, lang
):
    window = window_for(supervisor_ctx, counter_ui, qtbot)
    window.show()  # the morning's copy: no payment in it
    (counter_ui.data_dir / "backups" / "broken.sqlite3").write_bytes(b"SQLite format 3\x00" * 64)
    counter_ui.clock.advance(hours=1)
    pay(counter_ui)
    window.restore_action.trigger()
    dialog = window.backups_dialog
    lang.set("en")
    kinds = {row["path"].name: dialog.check(row["path"]) for row in dialog.listed}
    assert kinds["odsc-VTE-SST-1-2026-11-26T090000.sqlite3"] == "ok"
    assert "broken.sqlite3 is damaged" in kinds["broken.sqlite3"]
    broken = [r["path"].name for r in dialog.listed].index("broken.sqlite3")
    dialog.table.selectRow(broken)
    assert not dialog.restore_button.isEnabled()  # it failed its check
    automatic = [r["kind"] for r in dialog.listed].index("automatic")
    dialog.table.selectRow(automatic)
    assert dialog.restore_button.isEnabled()
    dialog.restore_button.click()
    _answer(qtbot, dialog.confirm, QMessageBox.StandardButton.Yes)
    assert "saved as" in window.notice.text() and "close" in window.notice.text()
    _answer(qtbot, window.notice, QMessageBox.StandardButton.Ok)
    assert not window.isVisible()
    (saved,) = (counter_ui.data_dir / "backups").glob("pre-restore-*.sqlite3")
    assert payments_in(saved) == 1
    assert payments_in(counter_ui.data_dir / STORE_FILE) == 0
    store = open_store(counter_ui.data_dir, clock=counter_ui.clock, hasher=FAST_HASHER)
    try:
        assert integrity.check_store(store)["ok"]
        # The receipt printed after the copy is never handed out again.
        assert store.scalar("SELECT MAX(floor) FROM sequence_floors WHERE kind = 'receipt'") == 1
    finally:
        store.close()


def test_a_damaged_file_is_refused_with_a_message_and_the_store_left_as_it_was(
    qtbot, supervisor_ctx, counter_ui, lang, tmp_path
):
    good = Path(autobackup.run_backup(counter_ui.store, counter_ui.data_dir)["copies"][0]["path"])
    damaged = tmp_path / "damaged.sqlite3"
    data = bytearray(good.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 4096] = b"\xff" * 4096
    damaged.write_bytes(bytes(data))
    counter_ui.store.close()
    before = hashlib.sha256((counter_ui.data_dir / STORE_FILE).read_bytes()).hexdigest()
    dialog = BackupsDialog(supervisor_ctx, runner_for(counter_ui))
    qtbot.addWidget(dialog)
    dialog.ask_restore(damaged)
    _answer(qtbot, dialog.confirm, QMessageBox.StandardButton.Yes)
    assert dialog.error.code == "restore.damaged"
    assert "ເສຍຫາຍ" in dialog.error_line.text()
    lang.set("en")
    assert "is damaged" in dialog.error_line.text()
    assert hashlib.sha256((counter_ui.data_dir / STORE_FILE).read_bytes()).hexdigest() == before
    assert not list((counter_ui.data_dir / "backups").glob("pre-restore-*"))


def test_the_second_location_is_chosen_in_the_dialog_and_gets_the_next_copy(
    qtbot, supervisor_ctx, counter_ui, lang, tmp_path
):
    runner = runner_for(counter_ui)
    dialog = BackupsDialog(supervisor_ctx, runner)
    qtbot.addWidget(dialog)
    usb = tmp_path / "usb"
    usb.mkdir()
    dialog.set_second(str(usb))
    assert settings.get(counter_ui.store, "backup_second_location") == str(usb)
    assert dialog.second_path.text() == str(usb)
    dialog.backup_now.click()
    assert [p.name for p in usb.iterdir()] == ["odsc-VTE-SST-1-2026-11-26T090000.sqlite3"]
    assert {r["where"] for r in dialog.listed} == {"here", "second"}


# The `odsc` command in a process of its own, its clock pinned to the test's day.
CLI = textwrap.dedent(
    """
    import sys
    from datetime import datetime
    from odsc_desk.storage import store
    from ui.cli import context, main
    moment = datetime.fromisoformat(sys.argv[1])
    context.open_store = lambda folder, **kw: store.open_store(folder, clock=lambda: moment, **kw)
    sys.exit(main.main(sys.argv[2:]))
    """
)


def test_the_odsc_command_pays_beside_the_windows_worker_and_numbers_stay_gapless(counter_ui):
    """The window's own worker (its thread, its connection) keeps taking payments while `odsc
    pay` runs in other processes, one after another: every receipt is numbered once, with no
    gap, the two sides' receipts interleave, and the ledger checks."""
    from odsc_desk.domain import payments

    c = counter_ui
    cli_side = [
        service_requests.record_request(
            c.store, c.clerk, service_code="MOHA-BIRTH", citizen_name=f"ກ{i}"
        )
        for i in range(3)
    ]
    done = threading.Event()
    paid = [0]  # the window's payments so far
    failed: list[BaseException] = []

    def keep_paying(store) -> None:
        try:
            for n in range(5_000):  # bounded, should the test itself go wrong
                if done.is_set():
                    return
                r = service_requests.record_request(
                    store, c.clerk, service_code="MOHA-BIRTH", citizen_name=f"ຂ{n}"
                )
                payments.record_payment(store, c.clerk, r["tracking"])
                paid[0] += 1
        except BaseException as exc:  # said below, not lost in the worker
            failed.append(exc)
            raise

    worker = Worker(
        lambda: open_store(c.data_dir, clock=c.clock, hasher=FAST_HASHER),
        ThreadPoolExecutor(max_workers=1),
    )
    env = {**os.environ, "ODSC_USER": "noy", "ODSC_PASSWORD": PASSWORD}
    command = ["--data-dir", str(c.data_dir), "pay"]
    try:
        worker.run(keep_paying)
        for r in cli_side:
            # The window pays between the command's payments: on a loaded machine a process's
            # start can outrun the worker thread, and "interleaved" must not rest on timing.
            before = paid[0]
            deadline = time.monotonic() + 30
            while paid[0] == before and not failed and time.monotonic() < deadline:
                time.sleep(0.01)
            assert not failed, failed
            run = subprocess.run(
                [sys.executable, "-c", CLI, c.clock().isoformat(), *command, r["tracking"]],
                env=env,
                capture_output=True,
                text=True,
                timeout=60,
            )
            assert run.returncode == 0, run.stderr
    finally:
        done.set()
        worker.shutdown()
    assert not failed, failed
    rows = c.store.all(
        "SELECT p.receipt_seq, r.tracking FROM payments p JOIN requests r ON r.id = p.request_id"
        " ORDER BY p.receipt_seq"
    )
    assert [row["receipt_seq"] for row in rows] == list(range(1, len(rows) + 1))
    by_cli = [
        row["receipt_seq"] for row in rows if row["tracking"] in {r["tracking"] for r in cli_side}
    ]
    assert len(by_cli) == 3
    by_window = [row["receipt_seq"] for row in rows if row["receipt_seq"] not in by_cli]
    assert any(by_cli[0] < seq < by_cli[-1] for seq in by_window)  # they really interleaved
    assert integrity.check_store(c.store)["ok"]
