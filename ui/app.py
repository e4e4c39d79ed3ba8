"""`odsc-desk`: start the counter window.

First run (no store in the data folder): the setup wizard. Then the login, then the window.
Log out (in the window) shows the login again over the same open store; Cancel there ends the
program as it does here.
Honours `--data-dir` and `ODSC_DATA_DIR` like the `odsc` command.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from odsc_desk.api import (
    InstanceError,
    acquire_window_lock,
    default_data_dir,
    logs,
    open_store,
    store_path,
)
from ui.context import CounterContext
from ui.fonts import register_fonts, ui_font
from ui.i18n import Language
from ui.login import LoginDialog
from ui.worker import Worker

if TYPE_CHECKING:
    from ui.main_window import MainWindow


def data_dir_from(argv: list[str] | None) -> tuple[Path, list[str]]:
    parser = argparse.ArgumentParser(
        prog="odsc-desk",
        description="ODSC Desk: the One-Door-Service Center counter window (Lao first). The "
        "`odsc` command drives the same data folder from a terminal.",
    )
    parser.add_argument("--data-dir", help="data folder (also ODSC_DATA_DIR)")
    args, rest = parser.parse_known_args(argv)
    return Path(args.data_dir or os.environ.get("ODSC_DATA_DIR") or default_data_dir()), rest


def start(data_dir: Path, lang: Language, worker: Worker) -> MainWindow | None:
    """Wizard if needed, then login; the main window, or None if the user gave up.

    The wizard and the main window (every tab) are imported only when needed, so the login
    appears sooner on an old PC.
    """
    if not store_path(data_dir).exists():
        from ui.wizard import SetupWizard

        wizard = SetupWizard(data_dir, worker, lang)
        if wizard.exec() != QDialog.DialogCode.Accepted:
            return None
    login = LoginDialog(worker, lang)
    if login.exec() != QDialog.DialogCode.Accepted:
        return None
    # The dialog accepts only once the core has logged someone in to this office.
    actor, office = login.actor, login.office
    if actor is None or office is None:
        raise RuntimeError("login accepted without a user")
    from ui.main_window import MainWindow
    from ui.sync_runner import SyncRunner

    runner = SyncRunner(lambda: open_store(data_dir))
    return MainWindow(CounterContext(worker, lang, actor, office, data_dir, runner))


SELF_TEST = "--self-test"  # not in --help: a check for support staff and the packaging smoke test


def self_test(data_dir: Path, qt_args: list[str]) -> int:
    """`odsc-desk --self-test`: can this installation show its first screen in Lao?

    Builds what `main` shows first (the login, or the setup wizard when the data folder has no
    store) offscreen unless QT_QPA_PLATFORM names another platform, shows it and lets the store
    answer; nobody logs in and the wizard makes no store. Prints one line and returns 0 when the
    bundled Lao font is registered and in use, a Lao translation is loaded and the screen came
    up; otherwise says what is wrong on stderr and returns 1.
    """
    import time

    from PySide6.QtCore import qVersion

    from ui.fonts import font_problem
    from ui.i18n import TRANSLATIONS

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QApplication([sys.argv[0], *qt_args])
    families = register_fonts()
    app.setFont(ui_font())
    lang = Language()
    lang.set("lo")
    worker = Worker(lambda: open_store(data_dir))
    if store_path(data_dir).exists():
        screen: QDialog = LoginDialog(worker, lang)
        kind = "login"
    else:
        from ui.wizard import SetupWizard

        screen = SetupWizard(data_dir, worker, lang)
        kind = "setup wizard"
    screen.show()
    # The login reads the office from the store on the worker; a store that cannot be opened
    # (damaged, locked, from a newer version) shows its error instead.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        app.processEvents()
        if not isinstance(screen, LoginDialog) or screen.office or screen.store_error.text():
            break
        time.sleep(0.01)
    qms = sorted(TRANSLATIONS.glob("*_lo.qm"))
    title = screen.windowTitle()
    problems = []
    if (font_trouble := font_problem(families, app.font())) is not None:
        problems.append(font_trouble)
    if not qms or not any("\u0e80" <= char <= "\u0eff" for char in title):
        problems.append(f"no Lao translation in effect ({len(qms)} .qm in {TRANSLATIONS})")
    if not screen.isVisible():
        problems.append(f"the {kind} did not show")
    if isinstance(screen, LoginDialog) and not screen.office:
        problems.append(f"the store did not open: {screen.store_error.text() or 'no answer'}")
    screen.close()
    worker.shutdown()
    if problems:
        print(f"self-test FAILED: {'; '.join(problems)}", file=sys.stderr)
        return 1
    python = "bundled" if getattr(sys, "frozen", False) else sys.prefix
    print(
        f"self-test ok: fonts {', '.join(sorted(set(families)))}; translations {len(qms)} Lao"
        f" .qm; {kind} shown; Qt {qVersion()} ({app.platformName()}); Python"
        f" {sys.version.split()[0]} ({python})"
    )
    return 0


def settle_heap() -> None:
    """Collect once, then leave everything start-up made (Qt's bindings, the modules, the
    window) out of every later collection (`gc.freeze`). Python's full collection walks every
    tracked object while holding the interpreter: over what start-up leaves, well over 100 ms
    on an old PC, a frame the window could not paint, and one the sync thread's catch-up with
    the office set off every few seconds (tests/bench/test_office_window_bench.py). Frozen
    objects are never freed, so this runs once, once start-up's garbage is gone."""
    gc.collect()
    gc.freeze()


def present(window: MainWindow) -> None:
    """Show the counter window with the keyboard in it (the window does the same after a
    log-out and a new login)."""
    window.present()


def main(argv: list[str] | None = None) -> int:
    data_dir, qt_args = data_dir_from(argv)
    if SELF_TEST in qt_args:
        return self_test(data_dir, [a for a in qt_args if a != SELF_TEST])
    logs.setup_logging(data_dir, "odsc-desk")
    logs.log_uncaught_exceptions()  # on Windows the window has no console: crashes go to the log
    app = QApplication([sys.argv[0], *qt_args])
    register_fonts()
    app.setFont(ui_font())
    lang = Language()
    lang.set("lo")
    try:
        # Two windows on one drawer confuse a clerk; the `odsc` command may still run beside it.
        lock = acquire_window_lock(data_dir)
    except InstanceError as exc:
        QMessageBox.warning(None, "ODSC Desk", exc.bilingual())
        return 1
    try:
        worker = Worker(lambda: open_store(data_dir))
        window = start(data_dir, lang, worker)
        if window is None:
            worker.shutdown()
            return 0
        settle_heap()
        present(window)
        if window.ctx.sync is not None:
            window.ctx.sync.start()
        return app.exec()
    finally:
        lock.release()


if __name__ == "__main__":
    sys.exit(main())
