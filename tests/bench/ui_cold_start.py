"""Launched by test_ui_bench.py in a fresh Python process; prints one JSON line and exits.

    ui_cold_start.py bare                       a bare PySide6 window: one registered font
    ui_cold_start.py app DATA_DIR QM_DIR        the real `odsc-desk` start, up to the login
    ui_cold_start.py memory DATA_DIR QM_DIR     the real start, logged in, the Requests tab shown

Every mode ends the same way: once the window is up (and, for the app, the login's office line
has been read from the store), it is repainted synchronously and `time.time()` is printed, so
the bench can take spawn -> usable from two clocks on the same machine. Nothing is imported at
the top beyond the standard library: the bare run pays for PySide6 only.

Run with `python -P` (the bench does): the script's folder must not shadow any module.
"""

from __future__ import annotations

import json
import os
import sys
import time

STARTED = time.time()  # the interpreter is up and this file is running
POLL_MS = 1
FONT = os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..", "receipts", "fonts", "Phetsarath_OT.ttf"
)


PROFILER = None  # ODSC_BENCH_PROFILE=path: a cProfile of the app's start, dumped there


def finish(result: dict) -> None:
    result["started"] = STARTED
    if PROFILER is not None:
        PROFILER.disable()
        PROFILER.dump_stats(os.environ["ODSC_BENCH_PROFILE"])
    print(json.dumps(result), flush=True)
    os._exit(0)  # the measurement is taken: no teardown, no waiting for the worker thread


def rss_kb() -> dict[str, int]:
    values = {}
    with open("/proc/self/status") as status:
        for line in status:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0])
    return values


def bare() -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QFontDatabase
    from PySide6.QtWidgets import QApplication, QWidget

    app = QApplication([sys.argv[0]])
    font_id = QFontDatabase.addApplicationFont(FONT)
    if font_id < 0:
        raise SystemExit(f"cannot register {FONT}")
    widget = QWidget()
    widget.resize(460, 300)
    widget.show()

    def poll() -> None:
        if widget.isVisible():
            widget.repaint()
            finish({"ready": time.time()})

    timer = QTimer(interval=POLL_MS)
    timer.timeout.connect(poll)
    timer.start()
    app.exec()


def app(data_dir: str, qm_dir: str, memory: bool) -> None:
    from pathlib import Path

    if os.environ.get("ODSC_BENCH_PROFILE"):
        import cProfile

        global PROFILER
        PROFILER = cProfile.Profile()
        PROFILER.enable()

    imported_at = time.time()
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    import ui.app
    from ui.i18n import Language
    from ui.login import LoginDialog

    imports = time.time() - imported_at
    # The .qm files are build output (`make translations`); the bench compiles them elsewhere.
    ui.app.Language = lambda: Language(Path(qm_dir))
    real_start = ui.app.start
    state: dict = {"imports_s": imports}
    keep: list = []  # the poll timer, alive for the whole run

    def login_ready() -> LoginDialog | None:
        for widget in QApplication.topLevelWidgets():
            if (
                isinstance(widget, LoginDialog)
                and widget.isVisible()
                and widget.office is not None
                and widget.office_label.isVisible()
                and widget.office_label.text()
            ):
                return widget
        return None

    def window_ready():
        # Imported here, as `ui.app` does after the login: not a cost of the start.
        from ui.main_window import MainWindow

        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, MainWindow) and widget.isVisible():
                return widget
        return None

    def poll() -> None:
        if "login_at" not in state:
            dialog = login_ready()
            if dialog is None:
                return
            dialog.repaint()
            state["login_at"] = time.time()
            if not memory:
                finish({"ready": state["login_at"], **state})
            dialog.username.setText(os.environ["ODSC_BENCH_USER"])
            dialog.password.setText(os.environ["ODSC_BENCH_PASSWORD"])
            dialog.log_in()
            return
        window = window_ready()
        if window is None:
            return
        if "window_at" not in state:
            state["window_at"] = time.time()
            window.show_search()  # Ctrl+F: the Requests tab
        view = window.requests
        if view.model.rowCount() == 0 or not view.count.text():
            return
        if "list_at" not in state:
            window.repaint()
            state["list_at"] = time.time()
            # Let the other tabs' first reads land too, then read the memory.
            QTimer.singleShot(500, lambda: finish({"ready": time.time(), **state, **rss_kb()}))

    def start(*args, **kwargs):
        timer = QTimer(interval=POLL_MS)
        keep.append(timer)
        timer.timeout.connect(poll)
        timer.start()
        return real_start(*args, **kwargs)

    ui.app.start = start
    sys.exit(ui.app.main(["--data-dir", data_dir]))


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "bare":
        bare()
    else:
        app(sys.argv[2], sys.argv[3], memory=mode == "memory")
