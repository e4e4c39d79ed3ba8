"""`odsc-desk`: start the counter window.

First run (no store in the data folder): the setup wizard. Then the login, then the window.
Honours `--data-dir` and `ODSC_DATA_DIR` like the `odsc` command.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication, QDialog

from odsc_desk.paths import default_data_dir
from odsc_desk.store import open_store, store_path
from ui.context import CounterContext
from ui.fonts import register_fonts, ui_font
from ui.i18n import Language
from ui.login import LoginDialog
from ui.worker import Worker

if TYPE_CHECKING:
    from ui.main_window import MainWindow


def data_dir_from(argv: list[str] | None) -> tuple[Path, list[str]]:
    parser = argparse.ArgumentParser(prog="odsc-desk")
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
    from ui.main_window import MainWindow
    from ui.sync_runner import SyncRunner

    runner = SyncRunner(lambda: open_store(data_dir))
    return MainWindow(CounterContext(worker, lang, login.actor, login.office, data_dir, runner))


def main(argv: list[str] | None = None) -> int:
    data_dir, qt_args = data_dir_from(argv)
    app = QApplication([sys.argv[0], *qt_args])
    register_fonts()
    app.setFont(ui_font())
    lang = Language()
    lang.set("lo")
    worker = Worker(lambda: open_store(data_dir))
    window = start(data_dir, lang, worker)
    if window is None:
        worker.shutdown()
        return 0
    window.show()
    window.show_intake()  # the keyboard starts in the service search, ready for a citizen
    if window.ctx.sync is not None:
        window.ctx.sync.start()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
