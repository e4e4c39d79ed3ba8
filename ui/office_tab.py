"""The office's day, for the supervisor (docs/OFFICE_SHARING.md, D8): every counter's figures
and the office's total for the day shown in the day tab, as fresh as the last office page this
counter read ("Office data as of 10:42"), and the office's impossible histories (D4), each with
both facts and their counters. The office summary (A4) prints from here.

Read on the worker (`office_day`, `office_anomalies`) when the tab is shown, and again when the
day or the store changes while it is in sight.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from html import escape

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from odsc_desk.api import Store, office_anomalies, office_day
from odsc_desk.shared.clock import local_time_text
from odsc_desk.shared.errors import OdscError
from ui.context import CounterContext
from ui.day_tables import Cells
from ui.i18n import QT_TRANSLATE_NOOP
from ui.printing import DocumentPrinter
from ui.requests_model import STATUS_LABELS

Office = tuple[office_day.OfficeDay, office_anomalies.Anomalies]

HEADERS = (
    QT_TRANSLATE_NOOP("OfficeTab", "Counter"),
    QT_TRANSLATE_NOOP("OfficeTab", "Requests"),
    QT_TRANSLATE_NOOP("OfficeTab", "Payments"),
    QT_TRANSLATE_NOOP("OfficeTab", "Gross"),
    QT_TRANSLATE_NOOP("OfficeTab", "Voided"),
    QT_TRANSLATE_NOOP("OfficeTab", "Refunded"),
    QT_TRANSLATE_NOOP("OfficeTab", "Net"),
)


def read_office(store: Store, day: date) -> Office:
    return office_day.office_day(store, day), office_anomalies.office_anomalies(store, day)


def _status(code: str) -> str:
    return QCoreApplication.translate("RequestStatus", STATUS_LABELS[code])


class OfficeTab(QWidget):
    def __init__(
        self, ctx: CounterContext, cells: Callable[[], Cells], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.cells = cells  # how the day tab writes figures now (its language, money format)
        self.shown: Office | None = None
        self.failure: OdscError | None = None
        self.fresh = QLabel()
        self.fresh.setWordWrap(True)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.heading = QLabel()
        self.heading.setStyleSheet("font-weight: bold;")
        self.clashes = QLabel()
        self.clashes.setWordWrap(True)
        self.clashes.setTextFormat(Qt.TextFormat.RichText)
        self.clashes.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.printing = DocumentPrinter(ctx, self)
        self.print_button = QPushButton()
        self.print_button.setAutoDefault(True)
        self.day: date | None = None
        self.print_button.clicked.connect(lambda: self.printing.office_summary(self.day))
        top = QHBoxLayout()
        top.addWidget(self.fresh, 1)
        top.addWidget(self.print_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.heading)
        layout.addWidget(self.clashes, 1)
        layout.addWidget(self.printing.status)
        self.retranslate()

    def refresh(self, day: date) -> None:
        self.day = day
        self.ctx.worker.run(lambda store: read_office(store, day), self._show, self._failed)

    def _show(self, office: Office) -> None:
        self.shown = office
        self.failure = None
        self._render()

    def _failed(self, error: OdscError) -> None:
        self.failure = error
        self._render()

    def _render(self) -> None:
        if self.failure is not None:
            self.fresh.setText(self.ctx.lang.message(self.failure))
            return
        if self.shown is None:
            return
        cells = self.cells()
        figures, found = self.shown
        if figures["as_of"] is None:
            self.fresh.setText(self.tr("Nothing from the other counters yet: sync first."))
        else:
            self.fresh.setText(
                self.tr("Office data as of {time}.").format(time=local_time_text(figures["as_of"]))
            )
        rows: list[tuple[str, office_day.OfficeFigures]] = [
            (
                self.tr("{counter} (this counter)").format(counter=c["counter"])
                if c["own"]
                else str(c["counter"]),
                c,
            )
            for c in figures["counters"]
        ]
        rows.append((self.tr("Total"), figures["total"]))
        self.table.setRowCount(len(rows))
        for r, (label, c) in enumerate(rows):
            values = [label, str(c["requests"]), str(c["payments"])]
            values += [cells.kip(c[k]) for k in ("gross", "voided", "refunded", "net")]
            for col, text in enumerate(values):
                item = QTableWidgetItem(text)
                if col:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(r, col, item)
        self.heading.setText(
            self.tr("Impossible histories, {first} to {last}").format(
                first=date.fromisoformat(found["since"]).strftime("%d/%m/%Y"),
                last=date.fromisoformat(found["until"]).strftime("%d/%m/%Y"),
            )
        )
        self.clashes.setText(self._clashes(found, cells))

    def _clashes(self, found: office_anomalies.Anomalies, cells: Cells) -> str:
        """One paragraph a history: the request, then the facts that clash, with their counters."""
        lines = []
        for c in found["contested"]:
            e, after = c["event"], c["after"]
            values = {
                "tracking": c["tracking"],
                "counter": c["served_at"],
                "status": _status(c["status"]),
                "wanted": _status(e["status"]),
                "by": e["counter"],
                "time": local_time_text(e["at"]),
            }
            if after is None:
                text = self.tr(
                    "Contested: {tracking} (counter {counter}, now {status}): {wanted} at"
                    " counter {by}, {time}."
                ).format(**values)
            else:
                text = self.tr(
                    "Contested: {tracking} (counter {counter}, now {status}): {wanted} at"
                    " counter {by}, {time}, after {before} at counter {before_by}, {before_time}."
                ).format(
                    **values,
                    before=_status(after["status"]),
                    before_by=after["counter"],
                    before_time=local_time_text(after["at"]),
                )
            lines.append(escape(text))
        for o in found["overpaid"]:
            receipts = ", ".join(
                self.tr("{receipt} (counter {counter}, {amount})").format(
                    receipt=r["receipt"], counter=r["counter"], amount=cells.kip(r["amount"])
                )
                for r in o["receipts"]
            )
            text = self.tr("Paid beyond the fee: {tracking}, fee {fee}, paid {paid}: {receipts}.")
            lines.append(
                escape(
                    text.format(
                        tracking=o["tracking"],
                        fee=cells.kip(o["fee"]),
                        paid=cells.kip(o["paid"]),
                        receipts=receipts,
                    )
                )
            )
        if not lines:
            return escape(self.tr("None."))
        return "<br>".join(lines)

    def retranslate(self) -> None:
        self.table.setHorizontalHeaderLabels(
            [QCoreApplication.translate("OfficeTab", h) for h in HEADERS]
        )
        self.print_button.setText(self.tr("Print office summary"))
        self._render()
