import threading

from PySide6.QtCore import Qt, QThread
from PySide6.QtGui import QAction
from PySide6.QtTest import QTest

from odsc_desk.domain import service_requests
from odsc_desk.shared.errors import OdscError
from odsc_desk.shared.laotext import unbreakable
from odsc_desk.storage.store import open_store
from tests.conftest import FAST_HASHER
from ui.main_window import MainWindow, ShortcutsDialog
from ui.status_bar import CounterStatusBar
from ui.worker import Worker


def test_window_starts_in_lao_and_switches_to_english(qtbot, ctx):
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    assert window.tabs.tabText(0) == "ຄຳຮ້ອງໃໝ່"
    assert "ປຸ່ມລັດ" in window.help_menu.actions()[0].text()
    window.language_actions["en"].trigger()
    assert window.tabs.tabText(0) == "New request"
    assert window.language_menu.title() == "&Language"
    window.language_actions["lo"].trigger()
    assert window.tabs.tabText(2) == "ລາຍງານປະຈຳວັນ ແລະ ເງິນສົດ"


def shortcut_table(window: MainWindow) -> list[tuple[str, str]]:
    dialog = window.findChild(ShortcutsDialog)
    assert dialog is not None and dialog.isVisible()
    table = dialog.table
    return [
        (table.item(row, 0).text(), unbreakable(table.item(row, 1).text()))
        for row in range(table.rowCount())
    ]


def test_f1_lists_every_key_in_a_table_in_the_current_language(qtbot, ctx):
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
    QTest.keyClick(window, Qt.Key.Key_F1)
    rows = shortcut_table(window)
    assert ("Ctrl+N", "ຄຳຮ້ອງໃໝ່") in rows
    keys = [key for key, _ in rows]
    for key in ("Alt+1", "Alt+6", "Ctrl+P", "Ctrl+L", "Ctrl+Shift+L", "Ctrl+Shift+M", "F5"):
        assert key in keys
    # Every key the window's menus answer to is in the list.
    for action in window.findChildren(QAction):
        shortcut = action.shortcut().toString()
        assert not shortcut or shortcut in keys, shortcut
    ctx.lang.set("en")
    rows = shortcut_table(window)
    assert ("Ctrl+N", "New request") in rows
    assert ("Alt+2", "Mark ready") in rows
    assert ("Requests", "") in rows  # a group's heading, across both columns
    dialog = window.findChild(ShortcutsDialog)
    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_status_bar_counts_what_waits_to_sync(qtbot, ctx, counter_ui):
    bar = CounterStatusBar(ctx)
    qtbot.addWidget(bar)
    before = bar.pending
    assert f"{before} ລາຍການລໍຖ້າສົ່ງ" in bar.sync.text()
    ctx.worker.run(
        lambda store: service_requests.record_request(
            store, counter_ui.clerk, service_code="MOHA-BIRTH", citizen_name="Noy"
        ),
        writes=True,
    )
    # The new request is one more op waiting for the centre.
    assert bar.pending == before + 1
    assert "noy" in bar.who.text() and "VTE-SST" in bar.who.text()


def test_worker_runs_tasks_off_the_ui_thread_and_answers_on_it(qtbot, counter_ui):
    worker = Worker(lambda: open_store(counter_ui.data_dir, hasher=FAST_HASHER))
    seen = {}

    def task(store):
        seen["task_thread"] = threading.current_thread()
        return store.office["office_code"]

    def done(value):
        seen["value"] = value
        seen["done_thread"] = QThread.currentThread()

    with qtbot.waitSignal(worker.busy_changed, check_params_cb=lambda busy: busy is False):
        worker.run(task, done)
    assert seen["value"] == "VTE-SST"
    assert seen["task_thread"] is not threading.main_thread()
    assert seen["done_thread"] is QThread.currentThread()
    worker.shutdown()


def test_worker_hands_refusals_to_the_caller(qtbot, counter_ui):
    worker = Worker(lambda: open_store(counter_ui.data_dir, hasher=FAST_HASHER))
    errors = []

    def refuse(store):
        return service_requests.get_request(store, "NOPE")

    with qtbot.waitSignal(worker.busy_changed, check_params_cb=lambda busy: busy is False):
        worker.run(refuse, on_error=errors.append)
    assert isinstance(errors[0], OdscError) and errors[0].code == "request.unknown"
    worker.shutdown()
