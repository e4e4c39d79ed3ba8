"""The day and cash tab: the drawer, the day's figures, its receipts and their corrections.

Everything shown comes from one worker call (`daylist.day_snapshot`), repeated after a write
while the tab is in sight; a write while it is not only marks it out of date, and it reads the
day again when it is next shown (a clerk serving citizens writes three times a visit, and the
tab is not what they look at). The tables change by the rows that changed (ui/day_tables.py).
Opening and closing the drawer, voids and refunds are dialogs of their own; the ones that need a
supervisor ask for one whoever is logged in. A void or refund starts from the receipt selected
in the list, or from the last digits of one of the day's receipts, and its dialog sits below
the list's top so the receipt stays in sight. The daily summary of the day shown prints from
here. Its last page is the office's day (ui/office_tab.py), read when it is in sight.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from itertools import pairwise

from PySide6.QtCore import QCoreApplication, QDate, QEvent, QPoint
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from odsc_desk.api import daylist
from odsc_desk.shared.errors import OdscError
from ui.cash_dialogs import CloseSessionDialog, OpenSessionDialog, day_text
from ui.context import CounterContext
from ui.correction_dialogs import RefundDialog, VoidDialog
from ui.day_tables import COLUMNS, Cells, DayTable, hhmm
from ui.i18n import QT_TRANSLATE_NOOP
from ui.office_tab import OfficeTab
from ui.printing import DocumentPrinter
from ui.settings_dialog import SettingsDialog
from ui.widgets import py_date

SUMMARY: tuple[tuple[str, Callable[[Cells, daylist.DaySnapshot], str]], ...] = (
    (QT_TRANSLATE_NOOP("DayView", "Requests taken"), lambda c, s: str(s["totals"]["requests"])),
    (QT_TRANSLATE_NOOP("DayView", "Payments"), lambda c, s: c.kip(s["totals"]["totals"]["gross"])),
    (QT_TRANSLATE_NOOP("DayView", "Voided"), lambda c, s: c.kip(s["totals"]["totals"]["voided"])),
    (
        QT_TRANSLATE_NOOP("DayView", "Refunded"),
        lambda c, s: c.kip(s["totals"]["totals"]["refunded"]),
    ),
    (QT_TRANSLATE_NOOP("DayView", "Net"), lambda c, s: c.kip(s["totals"]["totals"]["net"])),
    (
        QT_TRANSLATE_NOOP("DayView", "Expected cash"),
        lambda c, s: c.kip(s["totals"]["cash"]["expected"]),
    ),
    (
        QT_TRANSLATE_NOOP("DayView", "Counted cash"),
        lambda c, s: c.kip(s["totals"]["cash"]["counted"]) or "—",
    ),
    # Shortages and overages apart: netted, a drawer 10,000 short and one 5,000 over would
    # read as one 5,000 short.
    (QT_TRANSLATE_NOOP("DayView", "Short"), lambda c, s: c.signed(s["short"]) or "—"),
    (QT_TRANSLATE_NOOP("DayView", "Over"), lambda c, s: c.signed(s["over"]) or "—"),
)


def _dv(text: str) -> str:
    return QCoreApplication.translate("DayView", text)


class DayView(QWidget):
    def __init__(self, ctx: CounterContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.day: date | None = None  # None: follow the office's today
        self.snapshot: daylist.DaySnapshot | None = None
        # What is shown may be older than the store: read again when next shown.
        self.stale = True
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
        self.void_button.clicked.connect(lambda: self._correct(VoidDialog))
        self.refund_button = QPushButton()
        self.refund_button.clicked.connect(lambda: self._correct(RefundDialog))
        self.settings_button = QPushButton()
        self.settings_button.clicked.connect(lambda: self._show(SettingsDialog(self.ctx, self)))
        self.printing = DocumentPrinter(ctx, self)
        self.summary_button = QPushButton()
        self.summary_button.clicked.connect(lambda: self.printing.summary(self.day))
        self.notice = QLabel()
        self.tables = {key: DayTable(key) for key in COLUMNS}
        self.receipts = self.tables["payments"]
        self.receipts.selectionModel().selectionChanged.connect(self._enable_corrections)
        self.summary = [(QLabel(), QLabel()) for _ in SUMMARY]
        self.office = OfficeTab(ctx, self.cells)
        self.pages = QTabWidget()
        self.pages.currentChanged.connect(lambda _: self._office_shown())
        self._layout()
        ctx.worker.changed.connect(self._store_changed)
        self.retranslate()

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
        receipts_box.addWidget(self.receipts)
        corrections = QWidget()
        corrections_box = QVBoxLayout(corrections)
        corrections_box.addWidget(self.tables["corrections"], 2)
        corrections_box.addWidget(self.tables["sessions"], 1)
        for page in (totals, receipts, corrections, self.office):
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
        # From a receipt chosen with the arrow keys, Tab reaches Void, then Refund.
        order = [self.date, *pressable[:5], self.pages, self.receipts, *pressable[5:]]
        for first, second in pairwise(order):
            self.setTabOrder(first, second)

    # -- data -------------------------------------------------------------------------------
    def _store_changed(self) -> None:
        if self.isVisible():
            self.refresh()
        else:
            self.stale = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.stale:
            self.refresh()

    def refresh(self) -> None:
        self.stale = False
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
        self._office_shown()

    def _office_shown(self) -> None:
        """The office's tab reads the day shown whenever it is in sight (it is read apart: the
        office's facts are not the counter's day)."""
        if self.snapshot is not None and self.pages.currentWidget() is self.office:
            self.office.refresh(date.fromisoformat(self.snapshot["totals"]["date"]))

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
        row = self.receipts.selected_row()
        return str(row["receipt"]) if row else ""

    def _enable_corrections(self) -> None:
        """A voided receipt can be neither voided nor refunded again, nor a receipt refunded
        in full; with nothing selected the dialog asks which receipt."""
        row = self.receipts.selected_row()
        self.void_button.setEnabled(row is None or not row["voided"])
        self.refund_button.setEnabled(
            row is None or (not row["voided"] and row["refunded"] < row["amount"])
        )

    def _correct(self, kind: type[VoidDialog] | type[RefundDialog]) -> None:
        dialog = kind(self.ctx, self.chosen(), self, day=self.day)
        self._show(dialog)
        self._place_below_choice(dialog)

    def _place_below_choice(self, dialog: QDialog) -> None:
        """Keep the chosen receipt in sight: it goes to the top of the list, and the dialog
        sits below it, at the bottom of the tab."""
        index = self.receipts.currentIndex()
        if index.isValid():
            self.receipts.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtTop)
        dialog.adjustSize()
        viewport = self.receipts.viewport()
        row = self.receipts.visualRect(index) if index.isValid() else viewport.rect()
        below = viewport.mapToGlobal(QPoint(0, row.bottom() if index.isValid() else 0))
        bottom = self.mapToGlobal(QPoint(0, self.height())).y()
        left = self.mapToGlobal(QPoint((self.width() - dialog.width()) // 2, 0)).x()
        frame = dialog.frameGeometry().height() - dialog.height()
        top = max(below.y() + row.height() * 2, bottom - dialog.height() - frame)
        dialog.move(left, top)

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
    def cells(self) -> Cells:
        """How figures are written now: the window's language, the office's money format."""
        if self.snapshot is None:
            return Cells(self.ctx.lang.code)
        money = self.snapshot["money"]
        return Cells(self.ctx.lang.code, {"grouping": money["grouping"], "unit": money["unit"]})

    def _render(self) -> None:
        notice = (
            _dv(self.notice_text).format(receipt=self.notice_receipt) if self.notice_text else ""
        )
        self.notice.setText(self.ctx.lang.message(self.failure) if self.failure else notice)
        snap = self.snapshot
        if snap is None:
            return
        cells = self.cells()
        self._render_drawer(snap["drawer"], snap["today"], cells)
        for (_, value), (_, figure) in zip(self.summary, SUMMARY, strict=True):
            value.setText(figure(cells, snap))
        for table in self.tables.values():
            table.day_model.update(snap, cells)
        self._enable_corrections()

    def _render_drawer(self, drawer: daylist.Drawer | None, today: str, cells: Cells) -> None:
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
                float=cells.kip(drawer["float_amount"]),
                expected=cells.kip(drawer["expected"]),
            )
        self.drawer.setText(text)
        self.today.setEnabled(self.day is not None and self.day.isoformat() != today)

    def retranslate(self) -> None:
        self.date_label.setText(self.tr("&Day"))
        self.today.setText(self.tr("Today"))
        self.open_button.setText(self.tr("Open cash session…"))
        self.close_button.setText(self.tr("Close cash session…"))
        self.void_button.setText(self.tr("Void a receipt…"))
        self.refund_button.setText(self.tr("Refund…"))
        self.settings_button.setText(self.tr("Settings…"))
        self.summary_button.setText(self.tr("Print daily summary"))
        titles = (
            self.tr("Totals"),
            self.tr("Receipts"),
            self.tr("Voids, refunds and cash"),
            self.tr("Office"),
        )
        for i, title in enumerate(titles):
            self.pages.setTabText(i, title)
        for (caption, _), (text, _) in zip(self.summary, SUMMARY, strict=True):
            caption.setText(_dv(text))
        cells = self.cells()
        for table in self.tables.values():
            table.day_model.relabel(cells)
        self.office.retranslate()
        self._render()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
