"""The day and cash tab: the drawer, the day's figures, its receipts and their corrections.

Everything shown comes from one worker call (`daylist.day_snapshot`), repeated whenever the
worker reports a write. Opening and closing the drawer, voids and refunds are dialogs of their
own; the ones that need a supervisor ask for one whoever is logged in. The daily summary of the
day shown prints from here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from itertools import pairwise
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, QEvent, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from odsc_desk.api import daylist
from odsc_desk.shared.clock import VIENTIANE, parse_stamp
from odsc_desk.shared.errors import OdscError
from odsc_desk.shared.laotext import breakable
from odsc_desk.shared.money import format_kip
from ui.cash_dialogs import CloseSessionDialog, OpenSessionDialog, day_text, signed_kip
from ui.context import CounterContext
from ui.correction_dialogs import RefundDialog, VoidDialog
from ui.i18n import QT_TRANSLATE_NOOP
from ui.printing import DocumentPrinter
from ui.settings_dialog import SettingsDialog
from ui.widgets import py_date


def hhmm(stamp: str | None) -> str:
    return parse_stamp(stamp).astimezone(VIENTIANE).strftime("%H:%M") if stamp else ""


# Each table: its columns as (header, cell(view, row) -> text) and where its rows come from.
Row = Mapping[str, Any]
Column = tuple[str, Callable[["DayView", Row], str]]
COUNT: Column = (QT_TRANSLATE_NOOP("DayView", "Count"), lambda v, g: str(g["count"]))
AMOUNT: Column = (QT_TRANSLATE_NOOP("DayView", "Amount"), lambda v, r: v.kip(r["amount"]))
COLUMNS: dict[str, tuple[Column, ...]] = {
    "service": (
        (QT_TRANSLATE_NOOP("DayView", "Service"), lambda v, g: v.local(g, "service")),
        COUNT,
        AMOUNT,
    ),
    "ministry": (
        (QT_TRANSLATE_NOOP("DayView", "Ministry"), lambda v, g: v.local(g, "ministry")),
        COUNT,
        AMOUNT,
    ),
    "clerk": ((QT_TRANSLATE_NOOP("DayView", "Clerk"), lambda v, g: g["clerk"]), COUNT, AMOUNT),
    "method": (
        (QT_TRANSLATE_NOOP("DayView", "Method"), lambda v, g: v.method(g["method"])),
        COUNT,
        AMOUNT,
    ),
    "payments": (
        (QT_TRANSLATE_NOOP("DayView", "Time"), lambda v, p: hhmm(p["at"])),
        (QT_TRANSLATE_NOOP("DayView", "Receipt"), lambda v, p: p["receipt"]),
        (QT_TRANSLATE_NOOP("DayView", "Tracking number"), lambda v, p: p["tracking"]),
        (QT_TRANSLATE_NOOP("DayView", "Name"), lambda v, p: breakable(p["citizen_name"])),
        (QT_TRANSLATE_NOOP("DayView", "Service"), lambda v, p: v.local(p, "service")),
        AMOUNT,
        (QT_TRANSLATE_NOOP("DayView", "Method"), lambda v, p: v.method(p["method"])),
        (QT_TRANSLATE_NOOP("DayView", "Corrections"), lambda v, p: v.corrections(p)),
    ),
    "corrections": (
        (QT_TRANSLATE_NOOP("DayView", "Kind"), lambda v, c: v.kind(c)),
        (QT_TRANSLATE_NOOP("DayView", "Time"), lambda v, c: hhmm(c["at"])),
        (QT_TRANSLATE_NOOP("DayView", "Receipt"), lambda v, c: c["receipt"]),
        AMOUNT,
        (QT_TRANSLATE_NOOP("DayView", "Reason"), lambda v, c: breakable(c["reason"])),
        (QT_TRANSLATE_NOOP("DayView", "By"), lambda v, c: c["by"]),
        (QT_TRANSLATE_NOOP("DayView", "Approved by"), lambda v, c: c["approved_by"]),
    ),
    "sessions": (
        (QT_TRANSLATE_NOOP("DayView", "Opened"), lambda v, s: hhmm(s["opened_at"])),
        (QT_TRANSLATE_NOOP("DayView", "Opened by"), lambda v, s: s["opened_by"]),
        (QT_TRANSLATE_NOOP("DayView", "Float"), lambda v, s: v.kip(s["float_amount"])),
        (QT_TRANSLATE_NOOP("DayView", "Expected cash"), lambda v, s: v.kip(s["expected"])),
        (QT_TRANSLATE_NOOP("DayView", "Counted"), lambda v, s: v.kip(s["counted"])),
        (QT_TRANSLATE_NOOP("DayView", "Difference"), lambda v, s: v.signed(s["difference"])),
        (QT_TRANSLATE_NOOP("DayView", "Closed by"), lambda v, s: s["closed_by"] or ""),
        (QT_TRANSLATE_NOOP("DayView", "Approved by"), lambda v, s: s["approved_by"] or ""),
    ),
}
ROWS: dict[str, Callable[[daylist.DaySnapshot], Sequence[Row]]] = {
    "service": lambda snap: snap["totals"]["by_service"],
    "ministry": lambda snap: snap["totals"]["by_ministry"],
    "clerk": lambda snap: snap["totals"]["by_clerk"],
    "method": lambda snap: snap["totals"]["by_method"],
    "payments": lambda snap: snap["payments"],
    # Refund rows are marked so one table lists both kinds of correction.
    "corrections": lambda snap: (
        snap["totals"]["voids"] + [{**f, "kind": "refund"} for f in snap["totals"]["refunds"]]
    ),
    "sessions": lambda snap: snap["totals"]["cash"]["sessions"],
}
# The column that takes the spare width and wraps (long Lao names and reasons).
STRETCH = {"service": 0, "ministry": 0, "payments": 4, "corrections": 4}
SUMMARY: tuple[Column, ...] = (
    (QT_TRANSLATE_NOOP("DayView", "Requests taken"), lambda v, d: str(d["requests"])),
    (QT_TRANSLATE_NOOP("DayView", "Payments"), lambda v, d: v.kip(d["totals"]["gross"])),
    (QT_TRANSLATE_NOOP("DayView", "Voided"), lambda v, d: v.kip(d["totals"]["voided"])),
    (QT_TRANSLATE_NOOP("DayView", "Refunded"), lambda v, d: v.kip(d["totals"]["refunded"])),
    (QT_TRANSLATE_NOOP("DayView", "Net"), lambda v, d: v.kip(d["totals"]["net"])),
    (QT_TRANSLATE_NOOP("DayView", "Expected cash"), lambda v, d: v.kip(d["cash"]["expected"])),
    (QT_TRANSLATE_NOOP("DayView", "Counted cash"), lambda v, d: v.kip(d["cash"]["counted"]) or "—"),
    (
        QT_TRANSLATE_NOOP("DayView", "Difference"),
        lambda v, d: v.signed(d["cash"]["difference"]) or "—",
    ),
)


def _dv(text: str) -> str:
    return QCoreApplication.translate("DayView", text)


class DayTable(QTableWidget):
    """A read-only table whose long text column wraps at the word breaks `breakable` adds."""

    def __init__(self, key: str) -> None:
        super().__init__(0, len(COLUMNS[key]))
        self.key = key
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        if key in STRETCH:
            header.setSectionResizeMode(STRETCH[key], QHeaderView.ResizeMode.Stretch)
        else:
            header.setStretchLastSection(True)

    def resizeEvent(self, event: QResizeEvent) -> None:
        # A wrapped name needs a taller row when the table narrows, a shorter one when it widens.
        super().resizeEvent(event)
        self.resizeRowsToContents()

    def fill(self, view: DayView, snapshot: daylist.DaySnapshot) -> None:
        rows = ROWS[self.key](snapshot)
        self.setRowCount(len(rows))
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for r, row in enumerate(rows):
            for c, (_, cell) in enumerate(COLUMNS[self.key]):
                item = QTableWidgetItem(cell(view, row))
                # Amounts and counts line up on the right, as on paper.
                if item.text()[:1].isdigit() or item.text()[:1] in "+−":
                    item.setTextAlignment(right)
                self.setItem(r, c, item)
        self.resizeRowsToContents()

    def retranslate(self) -> None:
        self.setHorizontalHeaderLabels([_dv(h) for h, _ in COLUMNS[self.key]])


class DayView(QWidget):
    def __init__(self, ctx: CounterContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.day: date | None = None  # None: follow the office's today
        self.snapshot: daylist.DaySnapshot | None = None
        self.dialog: QDialog | None = None
        self.notice_text = ""
        self.notice_receipt = ""
        self.failure: OdscError | None = None
        self.date = QDateEdit()
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("dd/MM/yyyy")
        self.date.dateChanged.connect(self._date_picked)
        self.date_label = QLabel()
        self.date_label.setBuddy(self.date)
        self.today = QPushButton()
        self.today.clicked.connect(self.show_today)
        self.drawer = QLabel()
        self.drawer.setWordWrap(True)
        self.open_button = QPushButton()
        self.open_button.clicked.connect(lambda: self._show(OpenSessionDialog(self.ctx, self)))
        self.close_button = QPushButton()
        self.close_button.clicked.connect(lambda: self._show(CloseSessionDialog(self.ctx, self)))
        self.void_button = QPushButton()
        self.void_button.clicked.connect(lambda: self._show(VoidDialog(ctx, self.chosen(), self)))
        self.refund_button = QPushButton()
        self.refund_button.clicked.connect(
            lambda: self._show(RefundDialog(ctx, self.chosen(), self))
        )
        self.settings_button = QPushButton()
        self.settings_button.clicked.connect(lambda: self._show(SettingsDialog(self.ctx, self)))
        self.printing = DocumentPrinter(ctx, self)
        self.summary_button = QPushButton()
        self.summary_button.clicked.connect(lambda: self.printing.summary(self.day))
        self.notice = QLabel()
        self.tables = {key: DayTable(key) for key in COLUMNS}
        self.summary = [(QLabel(), QLabel()) for _ in SUMMARY]
        self.pages = QTabWidget()
        self._layout()
        ctx.worker.changed.connect(self.refresh)
        self.retranslate()
        self.refresh()

    def _layout(self) -> None:
        top = QHBoxLayout()
        for widget in (self.date_label, self.date, self.today):
            top.addWidget(widget)
        top.addStretch(1)
        top.addWidget(self.summary_button)
        top.addWidget(self.settings_button)
        cash_row = QHBoxLayout()
        cash_row.addWidget(self.drawer, 1)
        cash_row.addWidget(self.open_button)
        cash_row.addWidget(self.close_button)
        grid = QGridLayout()
        for i, (caption, value) in enumerate(self.summary):
            value.setStyleSheet("font-weight: bold;")
            grid.addWidget(caption, 0, i)
            grid.addWidget(value, 1, i)
        totals = QWidget()
        side = QVBoxLayout()
        for key, share in (("ministry", 2), ("clerk", 1), ("method", 1)):
            side.addWidget(self.tables[key], share)
        totals_box = QHBoxLayout(totals)
        totals_box.addWidget(self.tables["service"], 3)
        totals_box.addLayout(side, 2)
        receipts = QWidget()
        receipts_box = QVBoxLayout(receipts)
        buttons = QHBoxLayout()
        buttons.addWidget(self.void_button)
        buttons.addWidget(self.refund_button)
        buttons.addStretch(1)
        receipts_box.addLayout(buttons)
        receipts_box.addWidget(self.tables["payments"])
        corrections = QWidget()
        corrections_box = QVBoxLayout(corrections)
        corrections_box.addWidget(self.tables["corrections"], 2)
        corrections_box.addWidget(self.tables["sessions"], 1)
        for page in (totals, receipts, corrections):
            self.pages.addTab(page, "")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(cash_row)
        layout.addLayout(grid)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.notice)
        layout.addWidget(self.printing.status)
        # Enter presses a focused button, as Space does: the whole tab works from the keyboard.
        pressable = [self.today, self.summary_button, self.settings_button, self.open_button]
        pressable += [self.close_button, self.void_button, self.refund_button]
        for button in pressable:
            button.setAutoDefault(True)
        order = [self.date, *pressable[:5], self.pages, *pressable[5:], self.tables["payments"]]
        for first, second in pairwise(order):
            self.setTabOrder(first, second)

    # -- data -------------------------------------------------------------------------------
    def refresh(self) -> None:
        day = self.day
        self.ctx.worker.run(
            lambda store: daylist.day_snapshot(store, day or daylist.today(store)),
            self._show_snapshot,
            self._failed,
        )

    def _show_snapshot(self, snapshot: daylist.DaySnapshot) -> None:
        self.snapshot = snapshot
        self.failure = None
        shown = QDate.fromString(snapshot["totals"]["date"], "yyyy-MM-dd")
        self.date.blockSignals(True)
        self.date.setDate(shown)
        self.date.blockSignals(False)
        self._render()

    def _failed(self, error: OdscError) -> None:
        self.failure = error
        self._render()

    def _date_picked(self, picked: QDate) -> None:
        self.day = py_date(picked)
        self.refresh()

    def show_today(self) -> None:
        self.day = None
        self.refresh()

    def chosen(self) -> str:
        """The receipt of the selected row of the day's payments, if any."""
        table = self.tables["payments"]
        item = table.item(table.currentRow(), 1) if table.currentRow() >= 0 else None
        return item.text() if item else ""

    def _show(self, dialog: QDialog) -> None:
        # One dialog at a time (they are modal): the finished one is let go.
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = dialog
        dialog.accepted.connect(lambda: self._done(dialog))
        dialog.open()

    def _done(self, dialog: QDialog) -> None:
        row = getattr(dialog, "recorded", None)
        if isinstance(dialog, VoidDialog) and row:
            self.notice_text = QT_TRANSLATE_NOOP("DayView", "Receipt {receipt} is void.")
        elif isinstance(dialog, RefundDialog) and row:
            self.notice_text = QT_TRANSLATE_NOOP("DayView", "Refund on receipt {receipt} recorded.")
        else:
            return
        self.notice_receipt = row["receipt"]
        self._render()

    # -- showing ----------------------------------------------------------------------------
    def _render(self) -> None:
        notice = (
            _dv(self.notice_text).format(receipt=self.notice_receipt) if self.notice_text else ""
        )
        self.notice.setText(self.ctx.lang.message(self.failure) if self.failure else notice)
        snap = self.snapshot
        if snap is None:
            return
        self._render_drawer(snap["drawer"], snap["today"])
        for (_, value), (_, figure) in zip(self.summary, SUMMARY, strict=True):
            value.setText(figure(self, snap["totals"]))
        for table in self.tables.values():
            table.fill(self, snap)

    def _render_drawer(self, drawer: daylist.Drawer | None, today: str) -> None:
        self.open_button.setEnabled(drawer is None)
        self.close_button.setEnabled(drawer is not None)
        if drawer is None:
            text = self.tr("No cash session is open. Open one to take payments.")
        elif drawer["stale"]:
            text = self.tr(
                "The cash session of {date} is still open: close it, then open one for today."
            ).format(date=day_text(drawer["business_date"]))
        else:
            text = self.tr(
                "Cash session open since {time}: float {float}, expected now {expected}"
            ).format(
                time=hhmm(drawer["opened_at"]),
                float=self.kip(drawer["float_amount"]),
                expected=self.kip(drawer["expected"]),
            )
        self.drawer.setText(text)
        self.today.setEnabled(self.day is not None and self.day.isoformat() != today)

    def local(self, row: Row, key: str) -> str:
        """A catalog name (service, ministry) in the window's language, ready to wrap."""
        return breakable(row[f"{key}_lo"] if self.ctx.lang.code == "lo" else row[f"{key}_en"])

    def _money(self) -> daylist.MoneyFormat:
        """The office's money format (`daylist.money_format`), from the snapshot shown."""
        if self.snapshot is None:  # amounts are written only while a snapshot is rendered
            raise RuntimeError("no day shown yet")
        return self.snapshot["money"]

    def signed(self, amount: int | None) -> str:
        return "" if amount is None else signed_kip(amount, self._money())

    def kip(self, amount: int | None) -> str:
        """An amount in the office's money format; blank for a figure not known yet."""
        return "" if amount is None else format_kip(amount, **self._money())

    def kind(self, correction: Row) -> str:
        return self.tr("Refund") if "kind" in correction else self.tr("Void")

    def method(self, code: str) -> str:
        return self.tr("Cash") if code == "cash" else self.tr("Transfer")

    def corrections(self, payment: Row) -> str:
        if payment["voided"]:
            return self.tr("Void")
        if payment["refunded"]:
            return self.tr("Refunded {amount}").format(amount=self.kip(payment["refunded"]))
        return ""

    def retranslate(self) -> None:
        self.date_label.setText(self.tr("&Day"))
        self.today.setText(self.tr("Today"))
        self.open_button.setText(self.tr("Open cash session…"))
        self.close_button.setText(self.tr("Close cash session…"))
        self.void_button.setText(self.tr("Void a receipt…"))
        self.refund_button.setText(self.tr("Refund…"))
        self.settings_button.setText(self.tr("Settings…"))
        self.summary_button.setText(self.tr("Print daily summary"))
        for i, title in enumerate(
            (self.tr("Totals"), self.tr("Receipts"), self.tr("Voids, refunds and cash"))
        ):
            self.pages.setTabText(i, title)
        for (caption, _), (text, _) in zip(self.summary, SUMMARY, strict=True):
            caption.setText(_dv(text))
        for table in self.tables.values():
            table.retranslate()
        self._render()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
