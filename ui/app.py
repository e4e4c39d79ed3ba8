"""`odsc-desk`: the counter window.

For now a holding window that shows which store it would open; the counter screens arrive with
the UI issue. It honours `--data-dir` and `ODSC_DATA_DIR` like the `odsc` command.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

from odsc_desk.cli import default_data_dir


def build_window(data_dir: Path) -> QMainWindow:
    window = QMainWindow()
    window.setWindowTitle("ODSC Desk")
    label = QLabel(
        "ODSC Desk\n\n"
        f"{data_dir}\n\n"
        "ໜ້າຈໍປ່ອງບໍລິການກຳລັງພັດທະນາ: ໃຊ້ຄຳສັ່ງ odsc ໃນລະຫວ່າງນີ້.\n"
        "The counter screens are on their way: use the odsc command meanwhile."
    )
    label.setMargin(24)
    window.setCentralWidget(label)
    return window


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="odsc-desk")
    parser.add_argument("--data-dir", help="data folder (also ODSC_DATA_DIR)")
    args, qt_args = parser.parse_known_args(argv)
    data_dir = Path(args.data_dir or os.environ.get("ODSC_DATA_DIR") or default_data_dir())
    app = QApplication([sys.argv[0], *qt_args])
    window = build_window(data_dir)
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
