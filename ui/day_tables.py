"""The day tab's tables: models that change by the rows that changed, and views that size rows
only as they come into sight.

A busy counter takes 2,000 payments a day and the tab is told of every write. Rebuilding a table
of 2,000 rows (and measuring each for its height) after each of them made the window slower with
every citizen. Here a new snapshot is compared with what is shown, row by row, by each row's key
(a receipt, a service code): new rows are inserted at the end, changed rows announced, and only a
day whose rows no longer line up (another day picked, totals reordered) starts afresh. A row's
height is measured when it is in view, for the column widths it is shown at.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
)
from PySide6.QtGui import QBrush, QColor, QFont, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from odsc_desk.api import daylist
from odsc_desk.shared.clock import VIENTIANE, parse_stamp
from odsc_desk.shared.laotext import breakable
from ui.i18n import QT_TRANSLATE_NOOP
from ui.money_text import kip, signed_kip

Index = QModelIndex | QPersistentModelIndex
Row = Mapping[str, Any]

# A voided receipt is struck through in grey; a refunded one is tinted, as on a paper ledger.
VOID_FOREGROUND = QColor("#8a8a8a")
REFUND_FOREGROUND = QColor("#7a4b00")
REFUND_BACKGROUND = QColor("#fff4d6")
# Rows measured for a column's width, around those in view (Qt's default is 1,000 on each
# change: most of the cost of a long day's update).
MEASURED_ROWS = 100


def hhmm(stamp: str | None) -> str:
    return parse_stamp(stamp).astimezone(VIENTIANE).strftime("%H:%M") if stamp else ""


def _dv(text: str) -> str:
    return QCoreApplication.translate("DayView", text)


@dataclass(frozen=True)
class Cells:
    """How a day's figures are written: the window's language and the office's money format."""

    lang: str
    money: Mapping[str, str] | None = None  # daylist.MoneyFormat's two fields

    def kip(self, amount: int | None) -> str:
        """An amount; blank for a figure not known yet."""
        return "" if amount is None else kip(self.lang, amount, self.money)

    def signed(self, amount: int | None) -> str:
        return "" if amount is None else signed_kip(self.lang, amount, self.money)

    def local(self, row: Row, key: str) -> str:
        """A catalog name (service, ministry) in the window's language, ready to wrap."""
        return breakable(row[f"{key}_lo"] if self.lang == "lo" else row[f"{key}_en"])

    def method(self, code: str) -> str:
        return _dv("Cash") if code == "cash" else _dv("Transfer")

    def kind(self, correction: Row) -> str:
        return _dv("Refund") if correction["kind"] == "refund" else _dv("Void")

    def corrections(self, payment: Row) -> str:
        if payment["voided"]:
            return _dv("Void")
        if payment["refunded"]:
            return _dv("Refunded {amount}").format(amount=self.kip(payment["refunded"]))
        return ""


# Each table: its columns as (header, cell(cells, row) -> text), where its rows come from in a
# snapshot, and what names a row from one snapshot to the next.
Column = tuple[str, Callable[[Cells, Row], str]]
COUNT: Column = (QT_TRANSLATE_NOOP("DayView", "Count"), lambda c, g: str(g["count"]))
AMOUNT: Column = (QT_TRANSLATE_NOOP("DayView", "Amount"), lambda c, r: c.kip(r["amount"]))
COLUMNS: dict[str, tuple[Column, ...]] = {
    "service": (
        (QT_TRANSLATE_NOOP("DayView", "Service"), lambda c, g: c.local(g, "service")),
        COUNT,
        AMOUNT,
    ),
    "ministry": (
        (QT_TRANSLATE_NOOP("DayView", "Ministry"), lambda c, g: c.local(g, "ministry")),
        COUNT,
        AMOUNT,
    ),
    "clerk": ((QT_TRANSLATE_NOOP("DayView", "Clerk"), lambda c, g: g["clerk"]), COUNT, AMOUNT),
    "method": (
        (QT_TRANSLATE_NOOP("DayView", "Method"), lambda c, g: c.method(g["method"])),
        COUNT,
        AMOUNT,
    ),
    "payments": (
        (QT_TRANSLATE_NOOP("DayView", "Time"), lambda c, p: hhmm(p["at"])),
        (QT_TRANSLATE_NOOP("DayView", "Receipt"), lambda c, p: p["receipt"]),
        (QT_TRANSLATE_NOOP("DayView", "Tracking number"), lambda c, p: p["tracking"]),
        (QT_TRANSLATE_NOOP("DayView", "Name"), lambda c, p: breakable(p["citizen_name"])),
        (QT_TRANSLATE_NOOP("DayView", "Service"), lambda c, p: c.local(p, "service")),
        AMOUNT,
        (QT_TRANSLATE_NOOP("DayView", "Method"), lambda c, p: c.method(p["method"])),
        (QT_TRANSLATE_NOOP("DayView", "Corrections"), lambda c, p: c.corrections(p)),
    ),
    "corrections": (
        (QT_TRANSLATE_NOOP("DayView", "Kind"), lambda c, r: c.kind(r)),
        (QT_TRANSLATE_NOOP("DayView", "Time"), lambda c, r: hhmm(r["at"])),
        (QT_TRANSLATE_NOOP("DayView", "Receipt"), lambda c, r: r["receipt"]),
        AMOUNT,
        (QT_TRANSLATE_NOOP("DayView", "Reason"), lambda c, r: breakable(r["reason"])),
        (QT_TRANSLATE_NOOP("DayView", "By"), lambda c, r: r["by"]),
        (QT_TRANSLATE_NOOP("DayView", "Approved by"), lambda c, r: r["approved_by"]),
    ),
    "sessions": (
        (QT_TRANSLATE_NOOP("DayView", "Opened"), lambda c, s: hhmm(s["opened_at"])),
        (QT_TRANSLATE_NOOP("DayView", "Opened by"), lambda c, s: s["opened_by"]),
        (QT_TRANSLATE_NOOP("DayView", "Float"), lambda c, s: c.kip(s["float_amount"])),
        (QT_TRANSLATE_NOOP("DayView", "Expected cash"), lambda c, s: c.kip(s["expected"])),
        (QT_TRANSLATE_NOOP("DayView", "Counted"), lambda c, s: c.kip(s["counted"])),
        (QT_TRANSLATE_NOOP("DayView", "Difference"), lambda c, s: c.signed(s["difference"])),
        (QT_TRANSLATE_NOOP("DayView", "Closed by"), lambda c, s: s["closed_by"] or ""),
        (QT_TRANSLATE_NOOP("DayView", "Approved by"), lambda c, s: s["approved_by"] or ""),
    ),
}
# Amounts and counts line up on the right, as on paper.
RIGHT = {"Count", "Amount", "Float", "Expected cash", "Counted", "Difference"}
ROWS: dict[str, Callable[[daylist.DaySnapshot], Sequence[Row]]] = {
    "service": lambda snap: snap["totals"]["by_service"],
    "ministry": lambda snap: snap["totals"]["by_ministry"],
    "clerk": lambda snap: snap["totals"]["by_clerk"],
    "method": lambda snap: snap["totals"]["by_method"],
    "payments": lambda snap: snap["payments"],
    # Each row says its kind, so one table lists both kinds of correction.
    "corrections": lambda snap: (
        [{**v, "kind": "void"} for v in snap["totals"]["voids"]]
        + [{**f, "kind": "refund"} for f in snap["totals"]["refunds"]]
    ),
    "sessions": lambda snap: snap["totals"]["cash"]["sessions"],
}
KEYS: dict[str, Callable[[Row], object]] = {
    "service": lambda g: g["service"],
    "ministry": lambda g: g["ministry"],
    "clerk": lambda g: g["clerk"],
    "method": lambda g: g["method"],
    "payments": lambda p: p["receipt"],
    "corrections": lambda r: (r["kind"], r["receipt"], r["at"]),
    "sessions": lambda s: s["opened_at"],
}
# The column that takes the spare width and wraps (long Lao names and reasons).
STRETCH = {"service": 0, "ministry": 0, "payments": 4, "corrections": 4}


class DayModel(QAbstractTableModel):
    """One of the day's tables, kept in step with the snapshots by `update`."""

    def __init__(self, key: str) -> None:
        super().__init__()
        self.key = key
        self.columns = COLUMNS[key]
        self.cells = Cells("lo")
        self._rows: list[Row] = []
        self._keys: list[object] = []

    # -- keeping in step ------------------------------------------------------------------------
    def update(self, snapshot: daylist.DaySnapshot, cells: Cells) -> None:
        """Show `snapshot`'s rows: insert the new, announce the changed, reset only when the
        rows shown are no longer the first rows of the new list in the same order."""
        rows = list(ROWS[self.key](snapshot))
        keys = [KEYS[self.key](row) for row in rows]
        shown = len(self._keys)
        if keys[:shown] != self._keys:
            self.beginResetModel()
            self._rows, self._keys, self.cells = rows, keys, cells
            self.endResetModel()
            return
        if cells != self.cells:  # another language or money format: every row reads anew
            self.cells = cells
            self._rows[:] = rows[:shown]
            self._changed(0, shown - 1)
        else:
            self._replace_changed(rows[:shown])
        if len(rows) > shown:
            self.beginInsertRows(QModelIndex(), shown, len(rows) - 1)
            self._rows.extend(rows[shown:])
            self._keys.extend(keys[shown:])
            self.endInsertRows()

    def _replace_changed(self, rows: list[Row]) -> None:
        start = -1  # the first row of a run of changed rows, announced together
        for n, row in enumerate(rows):
            if row != self._rows[n]:
                self._rows[n] = row
                start = n if start < 0 else start
            elif start >= 0:
                self._changed(start, n - 1)
                start = -1
        if start >= 0:
            self._changed(start, len(rows) - 1)

    def _changed(self, first: int, last: int) -> None:
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(self.columns) - 1))

    def relabel(self, cells: Cells) -> None:
        """The language changed: headers and every row's words are read again."""
        self.cells = cells
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.columns) - 1)
        self._changed(0, len(self._rows) - 1)

    # -- reading --------------------------------------------------------------------------------
    def row_at(self, row: int) -> Row:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        title, cell = self.columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return cell(self.cells, row)
        if role == Qt.ItemDataRole.TextAlignmentRole and title in RIGHT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        voided, refunded = row.get("voided"), row.get("refunded")
        if role == Qt.ItemDataRole.FontRole and voided:
            font = QFont()
            font.setStrikeOut(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and (voided or refunded):
            return QBrush(VOID_FOREGROUND if voided else REFUND_FOREGROUND)
        if role == Qt.ItemDataRole.BackgroundRole and refunded and not voided:
            return QBrush(REFUND_BACKGROUND)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _dv(self.columns[section][0])
        return None


class OneLine(QStyledItemDelegate):
    """Cells drawn on one line. With wrapping on, Qt measures a column for ResizeToContents at
    its current width, so a column that started narrow stays narrow and "150,000 ກີບ" breaks
    in two; only the long text column (names, reasons) wraps."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: Index) -> None:
        super().initStyleOption(option, index)
        option.features &= ~QStyleOptionViewItem.ViewItemFeature.WrapText


class DayTable(QTableView):
    """A read-only table whose long text column wraps at the word breaks `breakable` adds.

    Rows are measured for their height only when they are in view, and again only when the
    column widths change: an update costs the rows it brings, not the length of the day.
    """

    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.day_model = DayModel(key)
        self.setModel(self.day_model)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setTabKeyNavigation(False)  # rows are chosen with the arrows; Tab moves on
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        header.setResizeContentsPrecision(MEASURED_ROWS)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        if key in STRETCH:
            header.setSectionResizeMode(STRETCH[key], QHeaderView.ResizeMode.Stretch)
        else:
            header.setStretchLastSection(True)
        self.one_line = OneLine(self)
        for column in range(self.day_model.columnCount()):
            if column != STRETCH.get(key):
                self.setItemDelegateForColumn(column, self.one_line)
        # Per row: the column layout it was last measured for (-1: never).
        self._widths = 0
        self._measured: list[int] = []
        self._pending = False
        header.sectionResized.connect(self._widths_changed)
        self.verticalScrollBar().valueChanged.connect(self._schedule)
        model = self.day_model
        model.modelReset.connect(self._reset)
        model.rowsInserted.connect(self._inserted)
        model.dataChanged.connect(self._data_changed)

    def _reset(self) -> None:
        self._measured = [-1] * self.day_model.rowCount()
        self._schedule()

    def _inserted(self, _parent: QModelIndex, first: int, last: int) -> None:
        self._measured[first:first] = [-1] * (last - first + 1)
        self._schedule()

    def _data_changed(self, top: QModelIndex, bottom: QModelIndex) -> None:
        self._measured[top.row() : bottom.row() + 1] = [-1] * (bottom.row() - top.row() + 1)
        self._schedule()

    def _widths_changed(self) -> None:
        self._widths += 1  # every row's wrapping may differ now
        self._schedule()

    def _schedule(self) -> None:
        # Once the view has laid out what changed: the rows in view are known only then.
        if not self._pending:
            self._pending = True
            QTimer.singleShot(0, self, self._measure_in_view)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._schedule()

    def _measure_in_view(self) -> None:
        self._pending = False
        if not self.isVisible() or not self._measured:
            return
        # Measured rows may shrink and bring more into view: again until none is left.
        while rows := self._unmeasured_in_view():
            for row in rows:
                self.resizeRowToContents(row)
                self._measured[row] = self._widths

    def _unmeasured_in_view(self) -> list[int]:
        last = len(self._measured) - 1
        top = max(self.rowAt(0), 0)
        bottom = self.rowAt(self.viewport().height() - 1)
        bottom = last if bottom < 0 else bottom
        return [r for r in range(top, bottom + 1) if self._measured[r] != self._widths]

    def selected_row(self) -> Row | None:
        """The row of the current selection, if any."""
        rows = self.selectionModel().selectedRows()
        return self.day_model.row_at(rows[0].row()) if rows else None
