"""Restoring an encrypted copy (`odsc backup --out`, brought back on a USB stick) from the
window, on real stores and a copy sealed by the real code: the Backups dialog shows it as
encrypted, asks for its passphrase, restores with the right one, and with a wrong one, a
tampered copy or a cancel leaves the store exactly as it was.
"""

from __future__ import annotations

import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtWidgets import QLineEdit, QMessageBox

from odsc_desk.domain import payments, service_requests
from odsc_desk.maintenance import autobackup, backups, integrity
from odsc_desk.shared.laotext import unbreakable
from odsc_desk.storage.store import STORE_FILE, open_store
from tests.conftest import FAST_HASHER
from tests.ui.conftest import make_worker
from tests.ui.keys import type_text
from ui.backup_dialogs import BackupRunner, BackupsDialog
from ui.context import CounterContext
from ui.passphrase_dialog import PassphraseDialog
from ui.worker import Worker

# Typed on a Lao keyboard, as a supervisor would choose it.
PASSPHRASE = "ສຳຮອງ-USB-2026-ວຽງຈັນ"


def pay(counter) -> None:
    r = service_requests.record_request(
        counter.store, counter.clerk, service_code="MOHA-BIRTH", citizen_name="ນາງ ນ້ອຍ"
    )
    payments.record_payment(counter.store, counter.clerk, r["tracking"])


def payments_in(path: Path) -> int:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT COUNT(*) FROM payments").fetchone()[0]
    finally:
        conn.close()


def state(counter) -> tuple[list[str], list[str]]:
    """Every row of the store (its WAL included) and every file in the data folder."""
    conn = sqlite3.connect(f"file:{counter.data_dir / STORE_FILE}?mode=ro", uri=True)
    try:
        rows = list(conn.iterdump())
    finally:
        conn.close()
    files = sorted(
        str(p.relative_to(counter.data_dir))
        for p in counter.data_dir.rglob("*")
        if not p.name.endswith(("-wal", "-shm"))
    )
    return rows, files


@pytest.fixture
def sealed(counter_ui, tmp_path) -> Path:
    """An encrypted copy on a USB stick holding one payment; a second payment came after it."""
    pay(counter_ui)
    usb = tmp_path / "usb"
    usb.mkdir()
    copy = Path(backups.backup(counter_ui.store, usb / "somchai-copy.sqlite3", PASSPHRASE)["path"])
    assert backups.is_encrypted(copy)
    counter_ui.clock.advance(hours=1)
    pay(counter_ui)
    return copy


def backups_dialog(qtbot, ctx, counter) -> BackupsDialog:
    dialog = BackupsDialog(ctx, BackupRunner(counter.data_dir, make_worker(counter)))
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def asked_for_passphrase(qtbot, dialog: BackupsDialog, path: Path | None = None):
    """Ask to restore `path` (None: the selected backup), say yes: the passphrase dialog."""
    if path is None:
        dialog.restore_button.click()
    else:
        dialog.ask_restore(path)
    assert dialog.confirm is not None
    qtbot.waitUntil(dialog.confirm.isVisible)
    dialog.confirm.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: dialog.passphrase is not None and dialog.passphrase.isVisible())
    asking = dialog.passphrase
    assert isinstance(asking, PassphraseDialog)
    qtbot.waitUntil(lambda: asking.focusWidget() is asking.passphrase)
    return asking


def test_the_right_passphrase_restores_the_copy_as_it_was(
    qtbot, supervisor_ctx, counter_ui, lang, sealed
):
    dialog = backups_dialog(qtbot, supervisor_ctx, counter_ui)
    asking = asked_for_passphrase(qtbot, dialog, sealed)
    assert asking.windowTitle() == "ໄຟລ໌ສຳຮອງທີ່ເຂົ້າລະຫັດໄວ້"
    assert "somchai-copy.sqlite3" in asking.intro.text()
    assert "ຖືກເຂົ້າລະຫັດໄວ້" in unbreakable(asking.intro.text())
    assert asking.label.text() == "ລະຫັດຂອງໄຟລ໌ສຳຮອງ (&P)"
    assert asking.ok.text() == "ກູ້ຄືນ" and asking.cancel.text() == "ຍົກເລີກ"
    assert asking.passphrase.echoMode() == QLineEdit.EchoMode.Password
    lang.set("en")
    assert asking.windowTitle() == "Encrypted backup"
    assert asking.intro.text().startswith("The backup somchai-copy.sqlite3 is encrypted.")
    type_text(PASSPHRASE, asking.passphrase)
    with qtbot.waitSignal(dialog.restored) as restored:
        qtbot.keyClick(asking.passphrase, Qt.Key.Key_Return)  # Enter confirms
    assert not asking.isVisible()
    assert asking.passphrase.text() == ""  # not kept in the closed dialog
    result = restored.args[0]
    assert result["restored_from"] == str(sealed)
    assert payments_in(counter_ui.data_dir / STORE_FILE) == 1  # the store as in the copy
    (saved,) = (counter_ui.data_dir / "backups").glob("pre-restore-*.sqlite3")
    assert result["previous_saved_as"] == str(saved)
    assert payments_in(saved) == 2
    assert not list(counter_ui.data_dir.glob(".clear-copy-*"))  # the opened copy is gone
    store = open_store(counter_ui.data_dir, clock=counter_ui.clock, hasher=FAST_HASHER)
    try:
        assert integrity.check_store(store)["ok"]
        # Receipt 2, printed after the copy was made, is never handed out again.
        assert store.scalar("SELECT MAX(floor) FROM sequence_floors WHERE kind = 'receipt'") == 2
    finally:
        store.close()


def test_a_wrong_passphrase_is_refused_in_both_languages_and_changes_nothing(
    qtbot, supervisor_ctx, counter_ui, lang, sealed
):
    dialog = backups_dialog(qtbot, supervisor_ctx, counter_ui)
    done: list[dict] = []
    dialog.restored.connect(done.append)
    asking = asked_for_passphrase(qtbot, dialog, sealed)
    before = state(counter_ui)
    type_text("ສຳຮອງ-USB-2025-ວຽງຈັນ", asking.passphrase)
    qtbot.keyClick(asking.passphrase, Qt.Key.Key_Return)
    # It asks again, saying why, with what was typed selected to be typed over.
    assert asking.isVisible() and asking.ok.isEnabled() and asking.passphrase.isEnabled()
    assert asking.error.isVisible()
    said = unbreakable(asking.error.text())
    assert said == f"ລະຫັດຂອງໄຟລ໌ສຳຮອງ {sealed} ບໍ່ຖືກຕ້ອງ"
    assert asking.passphrase.hasSelectedText()
    lang.set("en")
    assert f"Wrong passphrase for the backup {sealed}" in asking.error.text()
    assert done == [] and dialog.error is None and not dialog.error_line.isVisible()
    assert state(counter_ui) == before
    assert payments_in(counter_ui.data_dir / STORE_FILE) == 2
    # Typed again, right this time: restored.
    type_text(PASSPHRASE, asking.passphrase)
    asking.ok.click()
    assert len(done) == 1 and not asking.isVisible()
    assert payments_in(counter_ui.data_dir / STORE_FILE) == 1


def test_cancelling_changes_nothing(qtbot, supervisor_ctx, counter_ui, lang, sealed):
    dialog = backups_dialog(qtbot, supervisor_ctx, counter_ui)
    done: list[dict] = []
    dialog.restored.connect(done.append)
    before = state(counter_ui)
    asking = asked_for_passphrase(qtbot, dialog, sealed)
    type_text(PASSPHRASE, asking.passphrase)  # typed, then thought better of it
    qtbot.keyClick(asking.passphrase, Qt.Key.Key_Escape)  # Esc cancels
    assert not asking.isVisible() and asking.passphrase.text() == ""
    # The Cancel button, on a second try, does the same.
    asking = asked_for_passphrase(qtbot, dialog, sealed)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # the first one's gone
    lang.set("en")  # which the gone one must not hear of
    type_text(PASSPHRASE, asking.passphrase)
    asking.cancel.click()
    assert not asking.isVisible()
    # Saying no to the first question never asks for the passphrase.
    dialog.ask_restore(sealed)
    assert dialog.confirm is not None
    qtbot.waitUntil(dialog.confirm.isVisible)
    dialog.confirm.button(QMessageBox.StandardButton.No).click()
    assert dialog.passphrase is asking and not asking.isVisible()
    assert done == [] and dialog.error is None
    assert state(counter_ui) == before


def test_enter_with_no_passphrase_asks_for_one(qtbot, supervisor_ctx, counter_ui, lang, sealed):
    dialog = backups_dialog(qtbot, supervisor_ctx, counter_ui)
    before = state(counter_ui)
    asking = asked_for_passphrase(qtbot, dialog, sealed)
    qtbot.keyClick(asking.passphrase, Qt.Key.Key_Return)
    assert asking.isVisible()
    assert unbreakable(asking.error.text()) == "ກະລຸນາພິມລະຫັດຂອງໄຟລ໌ສຳຮອງ."
    lang.set("en")
    assert asking.error.text() == "Type the backup's passphrase."
    assert state(counter_ui) == before


def test_a_tampered_copy_is_refused_after_the_passphrase_and_changes_nothing(
    qtbot, supervisor_ctx, counter_ui, lang, sealed
):
    data = bytearray(sealed.read_bytes())
    data[-100] ^= 0x01  # one bit of the last chunk
    sealed.write_bytes(bytes(data))
    dialog = backups_dialog(qtbot, supervisor_ctx, counter_ui)
    before = state(counter_ui)
    asking = asked_for_passphrase(qtbot, dialog, sealed)
    type_text(PASSPHRASE, asking.passphrase)
    qtbot.keyClick(asking.passphrase, Qt.Key.Key_Return)
    # Typing again cannot cure it: the passphrase dialog closes and the list says why.
    assert not asking.isVisible()
    assert dialog.error is not None and dialog.error.code == "restore.damaged"
    assert unbreakable(dialog.error_line.text()) == f"ໄຟລ໌ສຳຮອງ {sealed} ເສຍຫາຍ"
    lang.set("en")
    assert f"The backup {sealed} is damaged" in dialog.error_line.text()
    assert state(counter_ui) == before


def test_the_list_shows_an_encrypted_copy_as_such_and_restores_it(
    qtbot, supervisor_ctx, counter_ui, lang
):
    autobackup.run_backup(counter_ui.store, counter_ui.data_dir)
    counter_ui.clock.advance(hours=1)
    pay(counter_ui)
    # An `odsc backup --out` copy brought back into the backups folder.
    kept = counter_ui.data_dir / "backups" / "usb-copy.sqlite3"
    backups.backup(counter_ui.store, kept, PASSPHRASE)
    counter_ui.clock.advance(hours=1)
    pay(counter_ui)
    dialog = backups_dialog(qtbot, supervisor_ctx, counter_ui)
    names = [row["path"].name for row in dialog.listed]
    row = names.index("usb-copy.sqlite3")
    assert dialog.check(kept) == "ເຂົ້າລະຫັດໄວ້: ຕ້ອງໃຊ້ລະຫັດຂອງໄຟລ໌ສຳຮອງ"
    assert dialog.table.item(row, 4).text() == dialog.check(kept)
    lang.set("en")
    assert dialog.check(kept) == "encrypted: needs its passphrase"
    assert dialog.table.item(row, 4).foreground().color() != Qt.GlobalColor.red  # not a fault
    automatic = next(r["path"] for r in dialog.listed if r["kind"] == "automatic")
    assert dialog.check(automatic) == "ok"
    dialog.table.selectRow(row)
    assert dialog.restore_button.isEnabled()
    asking = asked_for_passphrase(qtbot, dialog)
    assert "usb-copy.sqlite3" in asking.intro.text()
    type_text(PASSPHRASE, asking.passphrase)
    with qtbot.waitSignal(dialog.restored):
        asking.ok.click()
    assert payments_in(counter_ui.data_dir / STORE_FILE) == 1


def test_the_restore_runs_on_the_worker_thread_and_cannot_be_cancelled_meanwhile(
    qtbot, counter_ui, lang, sealed, monkeypatch
):
    """With the app's own kind of worker (a thread): the window stays responsive while the
    copy is opened and restored, and Esc does not hide a restore that is under way."""
    worker = Worker(
        lambda: open_store(counter_ui.data_dir, clock=counter_ui.clock, hasher=FAST_HASHER),
        ThreadPoolExecutor(max_workers=1),
    )
    ctx = CounterContext(
        worker, lang, counter_ui.supervisor, counter_ui.store.office, counter_ui.data_dir
    )
    ran_on: list[threading.Thread] = []
    gate = threading.Event()
    real = backups.restore

    def held_restore(*args, **kwargs):
        ran_on.append(threading.current_thread())
        gate.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(backups, "restore", held_restore)
    try:
        dialog = backups_dialog(qtbot, ctx, counter_ui)
        asking = asked_for_passphrase(qtbot, dialog, sealed)
        type_text(PASSPHRASE, asking.passphrase)
        qtbot.keyClick(asking.passphrase, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: bool(ran_on))
        assert ran_on[0] is not threading.main_thread()
        assert asking.busy and asking.status.isVisible()
        assert not asking.ok.isEnabled() and not asking.cancel.isEnabled()
        qtbot.keyClick(asking, Qt.Key.Key_Escape)
        assert asking.isVisible()
        with qtbot.waitSignal(dialog.restored, timeout=30_000):
            gate.set()
        assert not asking.isVisible()
        assert payments_in(counter_ui.data_dir / STORE_FILE) == 1
    finally:
        gate.set()
        worker.shutdown()
