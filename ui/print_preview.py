"""What the clerk sees of printing: the preview before a document goes to paper, and a line
saying what became of the last document (printed, saved as a PDF, not printed).

Both show pages and facts handed to them; neither touches the store nor the printer.
"""

from __future__ import annotations

import os
from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QPixmap, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from odsc_desk.shared.errors import OdscError
from ui.context import CounterContext
from ui.i18n import QT_TRANSLATE_NOOP, Language
from ui.print_jobs import Job
from ui.widgets import (
    BANNER_STYLE,
    FRAME_ALLOWANCE,
    NOTICE_STYLE,
    dialog_buttons,
    keep_on_screen,
)

DOCUMENTS = {
    "receipt": QT_TRANSLATE_NOOP("PrintStatus", "Receipt {name}"),
    "copy": QT_TRANSLATE_NOOP("PrintStatus", "Receipt {name} (copy)"),
    "slip": QT_TRANSLATE_NOOP("PrintStatus", "Appointment slip {name}"),
    "notice": QT_TRANSLATE_NOOP("PrintStatus", "Missing-documents notice {name}"),
    "summary": QT_TRANSLATE_NOOP("PrintStatus", "Daily summary of {name}"),
    "office": QT_TRANSLATE_NOOP("PrintStatus", "Office summary of {name}"),
}
DATED = ("summary", "office")  # named by their day


def describe(job: Job) -> str:
    """The document in the window's language: "Receipt VTE-SST-1-2026-000012 (copy)"."""
    kind = "copy" if job.kind == "receipt" and job.copy else job.kind
    name = date.fromisoformat(job.name).strftime("%d/%m/%Y") if job.kind in DATED else job.name
    return QCoreApplication.translate("PrintStatus", DOCUMENTS[kind]).format(name=name)


def wrappable(path: object) -> str:
    # A path has no spaces: without break points it would widen the whole window.
    return str(path).replace(os.sep, os.sep + "\u200b")


class PrintStatus(QLabel):
    """The last document's fate, re-read in the new language on a switch."""

    def __init__(self, lang: Language, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._lang = lang
        self._outcome: tuple[Job | None, str, dict[str, Any]] | None = None
        self._error: OdscError | None = None
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()
        lang.changed.connect(self.retranslate)

    def show_outcome(self, job: Job | None, outcome: str, **facts: Any) -> None:
        self._outcome, self._error = (job, outcome, facts), None
        self.retranslate()

    def show_error(self, error: OdscError) -> None:
        self._outcome, self._error = None, error
        self.retranslate()

    def show_broken(self) -> None:
        """Something unforeseen failed (it is in the log): no document, but the clerk knows."""
        self.show_outcome(None, "broken")

    def clear_outcome(self) -> None:
        self._outcome = self._error = None
        self.retranslate()

    def outcome_text(self) -> str:
        if self._outcome is None:
            return ""
        job, outcome, facts = self._outcome
        if job is None:
            return self.tr("The document could not be made. The error is in the log.")
        document, path = describe(job), wrappable(job.path)
        if outcome == "printed":
            return self.tr("{document} was sent to the printer {printer}.").format(
                document=document, printer=facts["printer"]
            )
        if outcome == "failed":
            return self.tr("{document} could not be printed.").format(document=document)
        if outcome == "declined" and job.path is None:
            return self.tr("{document} was not printed.").format(document=document)
        if outcome == "declined":
            return self.tr("{document} was not printed. Its PDF is kept as {path}.").format(
                document=document, path=path
            )
        text = self.tr("{document} was saved as {path}.").format(document=document, path=path)
        if facts.get("failed_printer"):
            text = self.tr("The printer {printer} could not be used.").format(
                printer=facts["failed_printer"]
            ) + (" " + text)
        if not facts.get("opened"):
            text += " " + self.tr("No PDF viewer opened it: open it from that folder.")
        return text

    def retranslate(self, *_: Any) -> None:
        error = self._error
        text = self._lang.message(error) if error is not None else self.outcome_text()
        failed = error is not None or (
            self._outcome is not None and self._outcome[1] in ("failed", "broken")
        )
        self.setStyleSheet(BANNER_STYLE if failed else NOTICE_STYLE)
        self.setText(text)
        self.setVisible(bool(text))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class PreviewDialog(QDialog):
    """The document's pages as they will print: Enter prints, Esc does not."""

    def __init__(
        self, ctx: CounterContext, job: Job, printer: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.job = job
        self.printer = printer
        self.heading = QLabel(wordWrap=True)
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.where = QLabel(wordWrap=True)
        pages = QWidget()
        pages.setStyleSheet("background: #8a8a8a;")
        column = QVBoxLayout(pages)
        column.setSpacing(12)
        self.pages = []
        for image in job.preview:
            page = QLabel()
            page.setPixmap(QPixmap.fromImage(image))
            column.addWidget(page, 0, Qt.AlignmentFlag.AlignHCenter)
            self.pages.append(page)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidget(pages)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # arrows and PgDn scroll
        buttons, self.print_button, self.cancel_button = dialog_buttons(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.where)
        layout.addWidget(self.scroll_area, 1)
        layout.addWidget(buttons)
        self.setTabOrder(self.scroll_area, self.print_button)
        self.setTabOrder(self.print_button, self.cancel_button)
        self.scroll_area.setFocus()
        # As tall as the screen allows, with a margin above and below so that the buttons sit
        # well inside it; the pages scroll.
        widest = max((image.width() for image in job.preview), default=300)
        room = self.screen().availableGeometry()
        self.resize(
            min(widest + 80, 980, room.width() - 2 * FRAME_ALLOWANCE),
            min(760, room.height() - 2 * FRAME_ALLOWANCE),
        )
        ctx.lang.changed.connect(self.retranslate)
        self.retranslate()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        keep_on_screen(self)

    def retranslate(self, *_: Any) -> None:
        self.setWindowTitle(self.tr("Print preview"))
        self.heading.setText(describe(self.job))
        self.where.setText(self.tr("Printer: {printer}").format(printer=self.printer))
        self.print_button.setText(self.tr("Print (Enter)"))
        self.cancel_button.setText(self.tr("Do not print (Esc)"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
