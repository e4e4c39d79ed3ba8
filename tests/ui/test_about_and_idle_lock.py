"""Help → About, and the idle lock: real widgets offscreen over a real store, real key and mouse
events through QTest, the password checked by the core on the worker."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from odsc_desk import __version__
from odsc_desk.domain import settings
from odsc_desk.shared.laotext import unbreakable
from odsc_desk.storage.store import store_path
from tests.conftest import PASSWORD, Counter
from ui.about_dialog import AboutDialog, font_licences
from ui.context import CounterContext
from ui.idle_lock import IdleLock
from ui.main_window import MainWindow

SELECTABLE = Qt.TextInteractionFlag.TextSelectableByMouse


# -- About ------------------------------------------------------------------------------------


def test_about_says_version_data_folder_and_licences_in_lao_first(qtbot, ctx):
    dialog = AboutDialog(ctx)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "ກ່ຽວກັບ ODSC Desk"
    assert dialog.heading.text() == f"ODSC Desk {__version__}"
    assert dialog.labels["data"].text() == "ໂຟນເດີຂໍ້ມູນ:"
    data = Path(ctx.data_dir).absolute()
    shown = {
        dialog.version: __version__,
        dialog.data_dir: str(data),
        dialog.store_file: str(store_path(data)),
        dialog.log_dir: str(data / "logs"),
    }
    for label, text in shown.items():
        assert label.text() == text
        assert label.textInteractionFlags() & SELECTABLE  # copied into a message to support
    assert "GPL-3.0-or-later" in dialog.app_licence.text()
    fonts = [label.text() for label in dialog.font_labels]
    assert fonts[0].startswith("ຟອນ Phetsarath OT: ໃບອະນຸຍາດ GNU Lesser")
    assert fonts[0].endswith("(LGPL-2.1-or-later)")
    assert fonts[1] == "ຟອນ Noto Sans Lao: ໃບອະນຸຍາດ SIL Open Font License ສະບັບ 1.1 (OFL-1.1)"
    ctx.lang.set("en")
    assert dialog.windowTitle() == "About ODSC Desk"
    assert dialog.font_labels[1].text() == "Font Noto Sans Lao: SIL Open Font License 1.1 (OFL-1.1)"


def test_enter_closes_about_even_from_a_licence_button(qtbot, ctx):
    dialog = AboutDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.font_buttons[0].setFocus()
    qtbot.waitUntil(dialog.font_buttons[0].hasFocus)
    qtbot.keyClick(dialog.font_buttons[0], Qt.Key.Key_Return)
    assert dialog.viewer is None and not dialog.isVisible()


@pytest.mark.parametrize(
    ("index", "words"),
    [
        (0, "GNU LESSER GENERAL PUBLIC LICENSE"),
        (1, "SIL Open Font License, Version 1.1"),
        (2, "Liberation Sans"),
        (3, "Bitstream"),
    ],
    ids=["phetsarath", "noto", "digits", "vera"],
)
def test_each_font_licence_opens_its_full_text(qtbot, ctx, index, words):
    assert all(licence.file.is_file() for licence in font_licences())
    dialog = AboutDialog(ctx)
    qtbot.addWidget(dialog)
    QTest.mouseClick(dialog.font_buttons[index], Qt.MouseButton.LeftButton)
    assert dialog.viewer is not None and dialog.viewer.isVisible()
    assert words in dialog.viewer.text.toPlainText()
    assert dialog.viewer.text.isReadOnly()


# -- the idle lock ----------------------------------------------------------------------------


@pytest.fixture
def window(qtbot, ctx: CounterContext) -> MainWindow:
    main = MainWindow(ctx)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    return main


def set_minutes(ctx: CounterContext, counter: Counter, minutes: int) -> None:
    """Change the setting as the Settings dialog does: a write on the worker."""
    ctx.worker.run(
        lambda store: settings.set_value(
            store, counter.supervisor, "idle_lock_minutes", str(minutes)
        ),
        writes=True,
    )


def make_lock(ctx, window, counter_ui, *, ms_per_minute: int, minutes: int = 1) -> IdleLock:
    lock = IdleLock(ctx, window, ms_per_minute=ms_per_minute)
    set_minutes(ctx, counter_ui, minutes)
    assert lock.minutes == minutes
    return lock


def wait_for_lock(qtbot, lock: IdleLock) -> None:
    with qtbot.waitSignal(lock.locked, timeout=5_000):
        pass
    assert lock.dialog is not None and lock.dialog.isVisible()


def type_password(qtbot, lock: IdleLock, password: str, user: str | None = None) -> None:
    dialog = lock.dialog
    if user is not None:
        dialog.user.clear()
        QTest.keyClicks(dialog.user, user)
    QTest.keyClicks(dialog.password, password)
    QTest.keyClick(dialog.password, Qt.Key.Key_Return)


def test_keys_and_clicks_restart_the_idle_time_mouse_moves_do_not(qtbot, ctx, window, counter_ui):
    # A "minute" of 2 s. The timer is a coarse one (it may fire 5% early or late, and says so
    # in remainingTime()), so "restarted" means back above 95% of the interval.
    lock = make_lock(ctx, window, counter_ui, ms_per_minute=2_000)
    assert lock.timer.isActive() and lock.timer.interval() == 2_000

    def idle_a_while() -> bool:
        return lock.timer.remainingTime() < 1_700

    def restarted() -> bool:
        return lock.timer.remainingTime() > 1_880

    qtbot.waitUntil(idle_a_while, timeout=5_000)
    QTest.keyClick(window, Qt.Key.Key_A)
    assert restarted()

    qtbot.waitUntil(idle_a_while, timeout=5_000)
    QTest.mouseClick(window.tabs, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    assert restarted()

    qtbot.waitUntil(idle_a_while, timeout=5_000)
    QTest.mouseMove(window.tabs, QPoint(20, 20))
    assert idle_a_while()
    assert lock.dialog is None


def test_idle_window_locks_refuses_a_wrong_password_opens_for_the_right_one(
    qtbot, ctx, window, counter_ui
):
    lock = make_lock(ctx, window, counter_ui, ms_per_minute=50)
    wait_for_lock(qtbot, lock)
    dialog = lock.dialog
    assert dialog.isModal() and dialog.windowModality() == Qt.WindowModality.ApplicationModal
    assert dialog.geometry() == window.frameGeometry()  # it covers the window
    assert dialog.heading.text() == "ODSC Desk ຖືກລັອກໄວ້"
    assert dialog.user.text() == "noy"
    assert not lock.timer.isActive()
    # Neither Esc nor closing it unlocks it.
    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    dialog.close()
    assert dialog.isVisible()

    type_password(qtbot, lock, "not-the-password")
    assert lock.dialog is dialog and dialog.isVisible()
    assert dialog.error.isVisible()
    error = unbreakable(dialog.error.text())  # Lao is shown with word-break marks
    assert "ຊື່ຜູ້ໃຊ້ ຫຼື ລະຫັດຜ່ານບໍ່ຖືກຕ້ອງ" in error
    assert "Wrong user name or password" in error
    assert dialog.password.text() == ""

    with qtbot.waitSignal(lock.unlocked) as unlocked:
        type_password(qtbot, lock, PASSWORD)
    assert unlocked.args[0].username == "noy"
    assert lock.dialog is None and not dialog.isVisible()
    assert ctx.actor.username == "noy"
    assert lock.timer.isActive()  # watching again


def test_another_user_takes_over_the_counter_at_the_lock(qtbot, ctx, window, counter_ui):
    lock = make_lock(ctx, window, counter_ui, ms_per_minute=50)
    bar = window.statusBar()
    assert "noy" in bar.who.text()
    wait_for_lock(qtbot, lock)
    type_password(qtbot, lock, PASSWORD, user="somchai")
    assert lock.dialog is None
    assert ctx.actor == counter_ui.supervisor
    assert ctx.is_supervisor
    assert "somchai" in bar.who.text() and "noy" not in bar.who.text()


def test_zero_turns_the_lock_off_and_changes_apply_at_once(qtbot, ctx, window, counter_ui):
    lock = make_lock(ctx, window, counter_ui, ms_per_minute=50)
    assert lock.timer.isActive()
    set_minutes(ctx, counter_ui, 0)
    assert not lock.timer.isActive()
    lock.lock()  # even if asked directly, a lock that is off does nothing
    assert lock.dialog is None
    QTest.keyClick(window, Qt.Key.Key_A)
    assert not lock.timer.isActive()
    set_minutes(ctx, counter_ui, 3)
    assert lock.timer.isActive() and lock.timer.interval() == 150


def test_a_closed_window_is_not_locked(qtbot, ctx, window, counter_ui):
    lock = make_lock(ctx, window, counter_ui, ms_per_minute=10_000)
    window.hide()
    lock.lock()
    assert lock.dialog is None
