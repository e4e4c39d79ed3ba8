"""The request list's table model: rows fetched lazily, a page at a time, on the worker.

Opening the list reads one page; Qt asks for more (canFetchMore/fetchMore) only as the clerk
scrolls near the end, so a store with a million requests opens as fast as one with ten. Every
query carries the generation it was asked in: an answer that comes back after the filters
changed (a search typed further, a filter switched) is dropped, never shown.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from odsc_desk.api import browse
from odsc_desk.shared.errors import OdscError
from ui.context import CounterContext
from ui.i18n import QT_TRANSLATE_NOOP

Index = QModelIndex | QPersistentModelIndex

COL_TRACKING, COL_DATE, COL_NAME, COL_SERVICE, COL_FEE, COL_PAID, COL_STATUS, COL_PROMISED = range(
    8
)
HEADERS = (
    QT_TRANSLATE_NOOP("RequestsModel", "Tracking number"),
    QT_TRANSLATE_NOOP("RequestsModel", "Date"),
    QT_TRANSLATE_NOOP("RequestsModel", "Name"),
    QT_TRANSLATE_NOOP("RequestsModel", "Service"),
    QT_TRANSLATE_NOOP("RequestsModel", "Fee"),
    QT_TRANSLATE_NOOP("RequestsModel", "Paid"),
    QT_TRANSLATE_NOOP("RequestsModel", "Status"),
    QT_TRANSLATE_NOOP("RequestsModel", "Promised date"),
)

# Custom roles, for the view and the tests (the display text is translated and formatted).
TrackingRole = Qt.ItemDataRole.UserRole + 1
StatusRole = Qt.ItemDataRole.UserRole + 2
OverdueRole = Qt.ItemDataRole.UserRole + 3
RowRole = Qt.ItemDataRole.UserRole + 4

STATUS_LABELS = {
    "received": QT_TRANSLATE_NOOP("Status", "Received"),
    "incomplete": QT_TRANSLATE_NOOP("Status", "Incomplete"),
    "in_process": QT_TRANSLATE_NOOP("Status", "In process"),
    "ready": QT_TRANSLATE_NOOP("Status", "Ready"),
    "collected": QT_TRANSLATE_NOOP("Status", "Collected"),
    "rejected": QT_TRANSLATE_NOOP("Status", "Rejected"),
    "withdrawn": QT_TRANSLATE_NOOP("Status", "Withdrawn"),
}

OVERDUE_BACKGROUND = QColor("#fde0dc")
OVERDUE_FOREGROUND = QColor("#8a1c12")


def status_label(status: str) -> str:
    return QCoreApplication.translate("Status", STATUS_LABELS.get(status, status))


def day_text(iso: str) -> str:
    """2026-11-26 as 26/11/2026, the way dates are written at the counter."""
    year, month, day = iso[:10].split("-")
    return f"{day}/{month}/{year}"


def kip(amount: int) -> str:
    return f"{amount:,}"


class RequestsModel(QAbstractTableModel):
    # A page (or a refresh) arrived; the view re-selects and updates its count.
    loaded = Signal()
    failed = Signal(object)

    def __init__(
        self, ctx: CounterContext, page_size: int = browse.PAGE_SIZE, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.page_size = page_size
        self.filters = browse.Filters()
        self._rows: list[browse.BrowseRow] = []
        self._more = False
        self._cursor: int | None = None
        # The search found more than it shows (the newest SEARCH_LIMIT): the view says so.
        self.cut = False
        self._fetching = False
        self._generation = 0
        # Pages asked of the worker since the model was made (tests and diagnostics).
        self.pages_requested = 0

    # -- loading ------------------------------------------------------------------------------
    def set_filters(self, filters: browse.Filters) -> None:
        """Empty the list and read the first page for `filters`."""
        self.filters = filters
        self._generation += 1
        self.beginResetModel()
        self._rows, self._more, self._cursor, self._fetching = [], True, None, False
        self.cut = False
        self.endResetModel()
        self._fetch(self.page_size)

    def refresh(self) -> None:
        """Re-read what is shown (after a write): as many rows as are loaded, in one query."""
        self._generation += 1
        generation = self._generation
        filters, size = self.filters, max(len(self._rows), self.page_size)
        self._fetching = True
        self.pages_requested += 1
        self.ctx.worker.run(
            lambda store: browse.page_requests(store, filters, None, size),
            lambda page: self._replace(generation, page),
            lambda error: self._failed(generation, error),
        )

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._more and not self._fetching

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if self.canFetchMore(parent):
            self._fetch(self.page_size)

    def _fetch(self, size: int) -> None:
        generation, filters, cursor = self._generation, self.filters, self._cursor
        self._fetching = True
        self.pages_requested += 1
        self.ctx.worker.run(
            lambda store: browse.page_requests(store, filters, cursor, size),
            lambda page: self._append(generation, page),
            lambda error: self._failed(generation, error),
        )

    def _append(self, generation: int, page: browse.Page) -> None:
        if generation != self._generation:
            return  # asked for filters that are no longer shown
        self._fetching = False
        if page.rows:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(page.rows) - 1)
            self._rows.extend(page.rows)
            self.endInsertRows()
        self._more, self._cursor, self.cut = page.more, page.cursor, page.cut
        self.loaded.emit()

    def _replace(self, generation: int, page: browse.Page) -> None:
        if generation != self._generation:
            return
        self.beginResetModel()
        self._rows, self._more, self._cursor = list(page.rows), page.more, page.cursor
        self.cut = page.cut
        self._fetching = False
        self.endResetModel()
        self.loaded.emit()

    def _failed(self, generation: int, error: OdscError) -> None:
        if generation != self._generation:
            return
        self._fetching, self._more = False, False
        self.failed.emit(error)

    @property
    def loading(self) -> bool:
        """A page is on its way from the worker."""
        return self._fetching

    # -- reading ------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def request_at(self, row: int) -> browse.BrowseRow:
        return self._rows[row]

    def row_of(self, tracking: str) -> int:
        """The row showing `tracking`, or -1."""
        return next((n for n, r in enumerate(self._rows) if r["tracking"] == tracking), -1)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == COL_SERVICE:
                return f"{row['service_lo']}\n{row['service_en']}"
            return self._display(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (COL_FEE, COL_PAID):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole and row["overdue"]:
            return QBrush(OVERDUE_BACKGROUND)
        if role == Qt.ItemDataRole.ForegroundRole and row["overdue"]:
            return QBrush(OVERDUE_FOREGROUND)
        if role == TrackingRole:
            return row["tracking"]
        if role == StatusRole:
            return row["status"]
        if role == OverdueRole:
            return bool(row["overdue"])
        if role == RowRole:
            return row
        return None

    def _display(self, row: browse.BrowseRow, column: int) -> str:
        if column == COL_TRACKING:
            return row["tracking"]
        if column == COL_DATE:
            return day_text(row["business_date"])
        if column == COL_NAME:
            return row["citizen_name"]
        if column == COL_SERVICE:
            # The official (Lao) name, as printed on the receipt; English in the tooltip.
            return row["service_lo"]
        if column == COL_FEE:
            return kip(row["fee"])
        if column == COL_PAID:
            return kip(row["paid"])
        if column == COL_STATUS:
            return status_label(row["status"])
        if column == COL_PROMISED:
            return day_text(row["promised_date"])
        return ""

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if 0 <= section < len(HEADERS):
            return QCoreApplication.translate("RequestsModel", HEADERS[section])
        return None

    def retranslate(self) -> None:
        """The language changed: headers and status words are re-read."""
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(HEADERS) - 1)
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, len(HEADERS) - 1)
            )
