"""`odsc-desk` on a data folder whose window is already open: it says so and exits, in a process
of its own (the app makes its own QApplication). Nobody is there to click the message box, so
the child replaces `QMessageBox.warning` with a print of what it would have shown."""

from __future__ import annotations

import os
import subprocess
import sys

from odsc_desk.storage.instance import acquire_window_lock

CHILD = """
import sys
from PySide6.QtWidgets import QMessageBox
QMessageBox.warning = lambda parent, title, text: print(text)
from ui.app import main
sys.exit(main(["--data-dir", sys.argv[1]]))
"""


def test_a_second_window_on_the_same_folder_says_so_and_exits(tmp_path):
    held = acquire_window_lock(tmp_path)  # the first window, as far as the folder can tell
    try:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
        done = subprocess.run(
            [sys.executable, "-c", CHILD, str(tmp_path)],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        held.release()
    assert done.returncode == 1, done.stderr
    assert str(os.getpid()) in done.stdout  # names the process that has the folder
    assert "ODSC Desk" in done.stdout
    assert not (tmp_path / "odsc.sqlite3").exists()  # nothing was set up behind the message
