"""Printing what receipts/ makes: the PDF is the one source, its pages are painted as images.

A document is made on the worker (ui/print_jobs.py): receipts/ renders the PDF, PDFium renders
its pages to images. Only the painting onto the QPrinter happens here on the UI thread, as Qt
requires, one page at a time so a long summary never holds all its page images at once.

The office's `print_after_payment` setting says what happens to every document printed from
the window: "ask" shows it first (Enter prints, Esc does not), "now" prints at once, "pdf" only
saves it. A receipt's print is recorded, and its PDF kept under documents/, when it is handed
over: just before its pages go to the printer, or when it is saved for the clerk to hand on. A
declined preview records nothing and keeps no file, so a receipt whose original never came out
of the printer still prints as the original; the core refuses a second original. With no
printer on the PC every document is saved under the data folder's documents/ and opened in the
PC's PDF viewer.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QMarginsF, QObject, QSizeF, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo
from PySide6.QtWidgets import QApplication, QWidget
from shiboken6 import isValid

from odsc_desk.api import Store
from odsc_desk.shared.errors import OdscError
from ui.context import CounterContext
from ui.print_jobs import (
    DOCUMENTS,
    Job,
    notice_job,
    office_summary_job,
    prepare,
    receipt_job,
    render_page,
    save,
    slip_job,
    summary_job,
)
from ui.print_preview import PreviewDialog, PrintStatus

log = logging.getLogger(__name__)

# Text needs no more; a PDF "printer" reports 1200 dpi, which would mean 140 MB for one receipt.
MAX_DPI = 300


class SystemPrinters:
    """The PC's printers as Qt sees them: the one thing tests replace (with Qt's PDF output)."""

    def names(self) -> list[str]:
        return QPrinterInfo.availablePrinterNames()

    def default_name(self) -> str:
        return QPrinterInfo.defaultPrinterName()

    def pick(self, wanted: str) -> str | None:
        """The printer to use for the `printer` setting, or None when there is none at all."""
        names = self.names()
        if not names:
            return None
        if wanted in names:
            return wanted
        # Not set, or no longer there (unplugged, renamed): the system's default, else any.
        default = self.default_name()
        return default if default in names else names[0]

    def printer(self, name: str) -> QPrinter:
        return QPrinter(QPrinterInfo.printerInfo(name), QPrinter.PrinterMode.HighResolution)


def page_layout(width: float, height: float) -> QPageLayout:
    """The PDF page's size, borderless: a standard sheet by its name, a roll as a custom size."""
    portrait = width <= height
    size = QSizeF(width, height) if portrait else QSizeF(height, width)
    points = QPageSize.Unit.Point
    standard = QPageSize.id(size, points, QPageSize.SizeMatchPolicy.FuzzyMatch)
    page = (
        QPageSize(size, points, "", QPageSize.SizeMatchPolicy.ExactMatch)
        if standard == QPageSize.PageSizeId.Custom
        else QPageSize(standard)
    )
    turn = QPageLayout.Orientation
    return QPageLayout(page, turn.Portrait if portrait else turn.Landscape, QMarginsF(0, 0, 0, 0))


def open_pdf(path: Path) -> bool:
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


class DocumentPrinter(QObject):
    """Prints receipts, appointment slips and daily summaries for the widget that owns it.

    The owner places `status` (what became of the last document) in its layout.
    """

    done = Signal(object)  # the Job, once printed, saved or declined
    handed = Signal(object)  # the Job, the moment its last page is with Qt's print system

    def __init__(
        self, ctx: CounterContext, owner: QWidget, printers: SystemPrinters | None = None
    ) -> None:
        super().__init__(owner)
        self.ctx = ctx
        self.owner = owner
        self.printers = printers or SystemPrinters()
        self.status = PrintStatus(ctx.lang)
        self.busy = False
        self.preview: PreviewDialog | None = None
        self._focus_after: QWidget | None = None

    @property
    def folder(self) -> Path:
        return self.ctx.data_dir / DOCUMENTS

    # -- what owners call ---------------------------------------------------------------------
    def receipt(self, receipt: str) -> None:
        """Print a receipt: the first print is the original, any later one a COPY."""
        actor, folder = self.ctx.actor, self.folder
        self._start(lambda store, paper: receipt_job(store, actor, receipt, folder, paper), True)

    def slip(self, tracking: str) -> None:
        actor = self.ctx.actor
        self._start(lambda store, paper: slip_job(store, actor, tracking, paper), False)

    def notice(self, tracking: str, kind: str, new_day: date | None = None) -> None:
        """One of a request's notices (A4); a new-date notice records its date."""
        actor = self.ctx.actor
        self._start(
            lambda store, _paper: notice_job(store, actor, tracking, kind, new_day),
            kind == "new-date",
        )

    def summary(self, day: date | None = None) -> None:
        """The daily summary (A4) of `day`, or of the office's today."""
        actor = self.ctx.actor
        self._start(lambda store, _paper: summary_job(store, actor, day), False)

    def office_summary(self, day: date | None = None) -> None:
        """The office's summary (A4) of `day`: every counter's figures and its impossible
        histories (receipts/office_summary.py)."""
        actor = self.ctx.actor
        self._start(lambda store, _paper: office_summary_job(store, actor, day), False)

    # -- the job ------------------------------------------------------------------------------
    def _start(self, make: Callable[[Store, str], Job], writes: bool) -> None:
        if self.busy:
            return  # one document at a time: a second press must not record a second print
        self.busy = True
        self.status.clear_outcome()
        have_printer, folder = bool(self.printers.names()), self.folder

        def task(store: Store) -> Job | None:
            try:
                return prepare(store, make, have_printer, folder)
            except OdscError:
                raise  # a refusal: shown in the status line
            except Exception:  # a bug: logged; the status says so and the next print may run
                log.exception("making a document to print failed")
                return None

        self.ctx.worker.run(task, self._prepared, self._failed, writes=writes)

    def _prepared(self, job: Job | None) -> None:
        if job is None:
            self.busy = False
            self.status.show_broken()
        elif job.action == "now":
            self._print(job)
        elif job.action == "ask":
            # Where the keyboard was (the service search, after a payment): it goes back there
            # once the preview closes, whatever the clerk answered.
            self._focus_after = QApplication.focusWidget()
            self.preview = PreviewDialog(self.ctx, job, self._printer_name(job), self.owner)
            self.preview.finished.connect(lambda result: self._answered(job, result))
            self.preview.open()
        else:
            self._opened(job)

    def _printer_name(self, job: Job) -> str:
        return self.printers.pick(job.printer) or ""

    def _answered(self, job: Job, result: int) -> None:
        if self.preview is not None:
            self.preview.deleteLater()
            self.preview = None
        back = self._focus_after if self._focus_after is not None else self.owner
        self._focus_after = None
        if isValid(back):  # not closed and deleted meanwhile
            back.activateWindow()
            back.setFocus()
        if result:
            self._print(job)
        else:
            self._finish(job, "declined")

    def _print(self, job: Job) -> None:
        issue = job.issue
        if issue is not None and job.path is None:
            # Recorded (and its PDF kept) before any page goes out: if the core refuses it (a
            # print of the same receipt recorded meanwhile), nothing reaches the paper.
            self.ctx.worker.run(
                issue, lambda path: self._issued(job, path), self._failed, writes=True
            )
            return
        self._paint(job)

    def _issued(self, job: Job, path: Path) -> None:
        job.path = path
        self._paint(job)

    def _paint(self, job: Job) -> None:
        name = self._printer_name(job)
        printer = self.printers.printer(name)
        printer.setDocName(f"{job.kind} {job.name}")
        printer.setFullPage(True)
        printer.setPageLayout(page_layout(*job.sizes[0]))
        painter = QPainter()
        if not painter.begin(printer):
            self._unprintable(job, name)
            return
        dpi = min(printer.resolution(), MAX_DPI)
        self._next_page(job, printer, painter, 0, dpi, name)

    def _next_page(
        self, job: Job, printer: QPrinter, painter: QPainter, index: int, dpi: float, name: str
    ) -> None:
        pdf = job.pdf

        def paint(image: QImage | None) -> None:
            if image is None:
                printer.abort()
                painter.end()
                self._finish(job, "failed")
                return
            if index > 0:
                if job.sizes[index] != job.sizes[index - 1]:
                    printer.setPageLayout(page_layout(*job.sizes[index]))
                printer.newPage()
            painter.drawImage(printer.paperRect(QPrinter.Unit.DevicePixel), image)
            if index + 1 < len(job.sizes):
                self._next_page(job, printer, painter, index + 1, dpi, name)
                return
            painter.end()
            self.handed.emit(job)
            self._finish(job, "printed", printer=name)

        def render() -> QImage | None:
            try:
                return render_page(pdf, index, dpi)
            except Exception:  # a bug: the job must still end, or this printer stays busy
                log.exception("rendering page %d of %s %s failed", index, job.kind, job.name)
                return None

        self.ctx.worker.call(render, paint)

    def _unprintable(self, job: Job, name: str) -> None:
        """The printer refused the job: keep the document as a PDF instead, and say so."""
        folder = self.folder

        def saved(path: Path) -> None:
            job.path = path
            self._opened(job, failed_printer=name)

        if job.path is not None:
            saved(job.path)
        else:
            self.ctx.worker.call(lambda: save(folder, job), saved, self._failed)

    def _opened(self, job: Job, failed_printer: str | None = None) -> None:
        # Saved by now: prepare() saves the jobs it does not print, _unprintable the refused.
        opened = open_pdf(job.path) if job.path is not None else False
        self._finish(job, "saved", opened=opened, failed_printer=failed_printer)

    def _finish(self, job: Job, outcome: str, **facts: object) -> None:
        self.busy = False
        self.status.show_outcome(job, outcome, **facts)
        self.done.emit(job)

    def _failed(self, error: OdscError) -> None:
        self.busy = False
        self.status.show_error(error)
