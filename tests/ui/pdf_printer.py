"""The counter's printer, replaced by Qt's own PDF output: the one stand-in of the print tests.

A physical printer cannot be attached to a test machine. `QPrinter` in `PdfFormat` is the same
QPrinter, QPainter and page-layout path a real printer gets; only the last step (the spooler)
differs, and its output is a file the tests can read back and look at.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtPrintSupport import QPrinter

from ui.printing import SystemPrinters


class PdfPrinters(SystemPrinters):
    """Printers with `names`, each job written to `folder/job-N.pdf`."""

    def __init__(self, folder: Path, names: tuple[str, ...] = ("Counter printer",)) -> None:
        self.folder = folder
        self._names = list(names)
        self.jobs: list[tuple[str, Path]] = []  # (printer name, output file), in order

    def names(self) -> list[str]:
        return list(self._names)

    def default_name(self) -> str:
        return self._names[0] if self._names else ""

    def printer(self, name: str) -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        path = self.folder / f"job-{len(self.jobs) + 1}.pdf"
        printer.setOutputFileName(str(path))
        self.jobs.append((name, path))
        return printer
