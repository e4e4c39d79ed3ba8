"""The request list's table model: rows fetched lazily, a page at a time, on the worker.

Opening the list reads one page; Qt asks for more (canFetchMore/fetchMore) only as the clerk
scrolls near the end, so a store with a million requests opens as fast as one with ten. Every
query carries the generation it was asked in: an answer that comes back after the filters
changed (a search typed further, a filter switched) is dropped, never shown.

Besides the request's facts, each row says what needs the clerk's attention (unpaid, documents
missing, overdue) in words in its own column, and its status in the status's own colour; the
colours are never the only sign.
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
from PySide6.QtGui import QBrush, QColor, QFont

from odsc_desk.api import Store, browse, daylist
from odsc_desk.shared.errors import OdscError
from ui.context import CounterContext
from ui.i18n import QT_TRANSLATE_NOOP
from ui.money_text import kip

Index = QModelIndex | QPersistentModelIndex

(
    COL_TRACKING,
    COL_DATE,
    COL_NAME,
    COL_SERVICE,
    COL_FEE,
    COL_PAID,
    COL_STATUS,
    COL_MARKS,
    COL_PROMISED,
) = range(9)
HEADERS = (
    QT_TRANSLATE_NOOP("RequestsModel", "Tracking number"),
    QT_TRANSLATE_NOOP("RequestsModel", "Date"),
    QT_TRANSLATE_NOOP("RequestsModel", "Name"),
    QT_TRANSLATE_NOOP("RequestsModel", "Service"),
    QT_TRANSLATE_NOOP("RequestsModel", "Fee"),
    QT_TRANSLATE_NOOP("RequestsModel", "Paid"),
    QT_TRANSLATE_NOOP("RequestsModel", "Status"),
    QT_TRANSLATE_NOOP("RequestsModel", "Attention"),
    QT_TRANSLATE_NOOP("RequestsModel", "Promised date"),
)

# Custom roles, for the view and the tests (the display text is translated and formatted).
TrackingRole = Qt.ItemDataRole.UserRole + 1
StatusRole = Qt.ItemDataRole.UserRole + 2
OverdueRole = Qt.ItemDataRole.UserRole + 3
RowRole = Qt.ItemDataRole.UserRole + 4
MarksRole = Qt.ItemDataRole.UserRole + 5  # the marks of the Attention column, as MARKS keys
BalanceRole = Qt.ItemDataRole.UserRole + 6  # kip still due (0 when nothing is owed)

# Each label differs from the others by its first word in both languages, so a glance tells
# "received" from "collected" (in Lao they once differed by one word in the middle). The
# context is the labels' own: these words replaced the first ones.
STATUS_LABELS = {
    "received": QT_TRANSLATE_NOOP("RequestStatus", "Received"),
    "incomplete": QT_TRANSLATE_NOOP("RequestStatus", "Incomplete"),
    "in_process": QT_TRANSLATE_NOOP("RequestStatus", "In process"),
    "ready": QT_TRANSLATE_NOOP("RequestStatus", "Ready"),
    "collected": QT_TRANSLATE_NOOP("RequestStatus", "Collected"),
    "rejected": QT_TRANSLATE_NOOP("RequestStatus", "Rejected"),
    "withdrawn": QT_TRANSLATE_NOOP("RequestStatus", "Withdrawn"),
}
# The status cell's colours (background, text): open ones warm to cool as they move on, the
# closed ones grey or red. Never the only signal: the label says the same.
STATUS_COLOURS = {
    "received": (QColor("#dceafb"), QColor("#0b3d78")),
    "incomplete": (QColor("#ffe3b3"), QColor("#6b3d00")),
    "in_process": (QColor("#e7dcf7"), QColor("#44206e")),
    "ready": (QColor("#cdeed5"), QColor("#0f4d20")),
    "collected": (QColor("#e3e3e3"), QColor("#333333")),
    "rejected": (QColor("#f6d0d0"), QColor("#7a1010")),
    "withdrawn": (QColor("#efe8dc"), QColor("#4d4030")),
}
# Statuses after which nothing is owed any more: the fee of a refused or withdrawn request is
# not chased.
NOT_OWED = ("rejected", "withdrawn")
MARKS = {
    "unpaid": QT_TRANSLATE_NOOP("RequestsModel", "Unpaid {amount}"),
    "incomplete": QT_TRANSLATE_NOOP("RequestsModel", "Documents missing"),
    "overdue": QT_TRANSLATE_NOOP("RequestsModel", "Overdue"),
}
MARK_COLOUR = QColor("#8a1c12")

OVERDUE_BACKGROUND = QColor("#fde0dc")
OVERDUE_FOREGROUND = QColor("#8a1c12")


def status_label(status: str) -> str:
    return QCoreApplication.translate("RequestStatus", STATUS_LABELS.get(status, status))


def day_text(iso: str) -> str:
    """2026-11-26 as 26/11/2026, the way dates are written at the counter."""
    year, month, day = iso[:10].split("-")
    return f"{day}/{month}/{year}"


def balance(row: browse.BrowseRow) -> int:
    """What the citizen still owes on the request (0 once paid, refused or withdrawn)."""
    return 0 if row["status"] in NOT_OWED else max(row["fee"] - row["paid"], 0)


def marks(row: browse.BrowseRow) -> tuple[str, ...]:
    """What needs the clerk's attention on this request, as MARKS keys."""
    found = []
    if balance(row) > 0:
        found.append("unpaid")
    if row["status"] == "incomplete":
        found.append("incomplete")
    if row["overdue"]:
        found.append("overdue")
    return tuple(found)


Money = dict[str, str]  # ui.money_text's `money`: the office's grouping and unit


def money_of(store: Store) -> Money:
    """The office's grouping and unit (read with each page, so a change shows at the next)."""
    money = daylist.money_format(store)
    return {"grouping": money["grouping"], "unit": money["unit"]}


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
        # The office's way of writing amounts, as read with the last page.
        self.money: Money | None = None

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
            lambda store: (browse.page_requests(store, filters, None, size), money_of(store)),
            lambda answer: self._replace(generation, *answer),
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
            lambda store: (browse.page_requests(store, filters, cursor, size), money_of(store)),
            lambda answer: self._append(generation, *answer),
            lambda error: self._failed(generation, error),
        )

    def _append(self, generation: int, page: browse.Page, money: Money) -> None:
        if generation != self._generation:
            return  # asked for filters that are no longer shown
        self._fetching = False
        self.money = money
        if page.rows:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(page.rows) - 1)
            self._rows.extend(page.rows)
            self.endInsertRows()
        self._more, self._cursor, self.cut = page.more, page.cursor, page.cut
        self.loaded.emit()

    def _replace(self, generation: int, page: browse.Page, money: Money) -> None:
        if generation != self._generation:
            return
        self.money = money
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
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole):
            return self._colour(row, column, role == Qt.ItemDataRole.BackgroundRole)
        if role == Qt.ItemDataRole.FontRole and column == COL_MARKS and marks(row):
            bold = QFont()
            bold.setBold(True)
            return bold
        if role == MarksRole:
            return marks(row)
        if role == BalanceRole:
            return balance(row)
        if role == TrackingRole:
            return row["tracking"]
        if role == StatusRole:
            return row["status"]
        if role == OverdueRole:
            return bool(row["overdue"])
        if role == RowRole:
            return row
        return None

    def _colour(self, row: browse.BrowseRow, column: int, background: bool) -> QBrush | None:
        if column == COL_STATUS and row["status"] in STATUS_COLOURS:
            return QBrush(STATUS_COLOURS[row["status"]][0 if background else 1])
        if row["overdue"]:
            return QBrush(OVERDUE_BACKGROUND if background else OVERDUE_FOREGROUND)
        if column == COL_MARKS and not background and marks(row):
            return QBrush(MARK_COLOUR)
        return None

    def marks_text(self, row: browse.BrowseRow) -> str:
        words = []
        for mark in marks(row):
            word = QCoreApplication.translate("RequestsModel", MARKS[mark])
            if mark == "unpaid":
                word = word.format(amount=self._kip(balance(row)))
            words.append(word)
        return " · ".join(words)

    def _kip(self, amount: int) -> str:
        return kip(self.ctx.lang.code, amount, self.money)

    def _display(self, row: browse.BrowseRow, column: int) -> str:
        if column == COL_TRACKING:
            return row["tracking"]
        if column == COL_DATE:
            return day_text(row["business_date"])
        if column == COL_NAME:
            return row["citizen_name"]
        if column == COL_SERVICE:
            # In the screen's language; both names in the tooltip.
            return row["service_lo"] if self.ctx.lang.code == "lo" else row["service_en"]
        if column == COL_FEE:
            return self._kip(row["fee"])
        if column == COL_PAID:
            return self._kip(row["paid"])
        if column == COL_STATUS:
            return status_label(row["status"])
        if column == COL_MARKS:
            return self.marks_text(row)
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
        """The language changed: headers, status words, service names and units are re-read."""
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(HEADERS) - 1)
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, len(HEADERS) - 1)
            )
