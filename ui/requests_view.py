"""The Requests tab: search and filters over a lazily loaded list, and the selected request.

Typing searches as you type (debounced, so each key does not cost a query); the filters apply
at once. The list and the pane re-read the store after every write (the worker's `changed`).
"""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from odsc_desk.api import browse, service_requests
from odsc_desk.shared.errors import OdscError
from ui.context import CounterContext
from ui.request_detail import RequestDetail
from ui.requests_model import (
    COL_DATE,
    COL_FEE,
    COL_NAME,
    COL_PAID,
    COL_PROMISED,
    COL_SERVICE,
    COL_STATUS,
    COL_TRACKING,
    RequestsModel,
    TrackingRole,
    status_label,
)
from ui.status_dialog import error_label

SEARCH_DELAY_MS = 150


class RequestsView(QWidget):
    def __init__(self, ctx: CounterContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.selected: str | None = None
        self._count_generation = 0
        self._count: int | None = None
        self._services: list[browse.ServiceChoice] = []
        self._focus_first = False
        # Ctrl+P was pressed while a search was on its way: say so if it finds nothing.
        self._explain_when_loaded = False

        self.search_label = QLabel()
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search_label.setBuddy(self.search)
        self.search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self.apply_filters)
        self.search.textChanged.connect(self.search_timer.start)
        self.search.returnPressed.connect(self._search_entered)
        self.search.installEventFilter(self)
        self.today = QCheckBox()
        self.status_label = QLabel()
        self.status = QComboBox()
        self.status_label.setBuddy(self.status)
        self.overdue = QCheckBox()
        self.service_label = QLabel()
        self.service = QComboBox()
        self.service.setMinimumContentsLength(18)
        self.service.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.service_label.setBuddy(self.service)
        self.count = QLabel()
        self.error = error_label()
        for box in (self.today, self.overdue):
            box.toggled.connect(self.apply_filters)
        for combo in (self.status, self.service):
            combo.currentIndexChanged.connect(self.apply_filters)

        self.model = RequestsModel(ctx, parent=self)
        self.model.loaded.connect(self._loaded)
        self.model.failed.connect(self._show_error)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.installEventFilter(self)
        self._size_columns()
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.detail = RequestDetail(ctx)
        # Ctrl+P pays the selected request wherever the focus is in this tab. With no request to
        # pay the action is off and the key reaches keyPressEvent, which says why.
        self.addAction(self.detail.pay_action)

        self._layout()
        ctx.worker.changed.connect(self.refresh)
        self.retranslate()
        ctx.worker.run(browse.service_choices, self._services_loaded, self._show_error)
        self.apply_filters()

    def _layout(self) -> None:
        search_row = QHBoxLayout()
        search_row.addWidget(self.search_label)
        search_row.addWidget(self.search, 1)
        filter_row = QHBoxLayout()
        for widget in (self.today, self.overdue, self.status_label, self.status):
            filter_row.addWidget(widget)
        filter_row.addWidget(self.service_label)
        filter_row.addWidget(self.service, 1)
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(search_row)
        column.addLayout(filter_row)
        column.addWidget(self.error)
        column.addWidget(self.table, 1)
        column.addWidget(self.count)
        # The table above, full width for its eight columns; the request below it.
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(left)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        self.detail.setMinimumHeight(200)
        self._split_done = False
        self.splitter = splitter
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        order = (self.search, self.today, self.overdue, self.status, self.service, self.table)
        for first, second in pairwise(order):
            self.setTabOrder(first, second)
        self.setTabOrder(self.table, self.detail)

    def _size_columns(self) -> None:
        header = self.table.horizontalHeader()
        metrics = self.table.fontMetrics()
        samples = {
            COL_TRACKING: "VTE-SST-1-261126-0000",
            COL_DATE: "00/00/0000",
            COL_NAME: "ທ້າວ ສົມສັກ ສຸລິວົງ",
            COL_FEE: "000,000",
            COL_PAID: "000,000",
            COL_STATUS: "ກຳລັງດຳເນີນການ",
            COL_PROMISED: "00/00/0000",
        }
        for column, sample in samples.items():
            header.resizeSection(column, metrics.horizontalAdvance(sample) + 24)
        header.setSectionResizeMode(COL_SERVICE, QHeaderView.ResizeMode.Stretch)
        # Lao stacks vowels and tone marks above and below: rows need more than Latin height.
        self.table.verticalHeader().setDefaultSectionSize(int(metrics.height() * 1.3))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._split_done:
            # Left to itself the splitter sizes by hints: give the pane its share at once.
            self._split_done = True
            height = max(self.splitter.height(), 500)
            self.splitter.setSizes([height * 11 // 20, height * 9 // 20])

    # -- filtering ----------------------------------------------------------------------------
    def filters(self) -> browse.Filters:
        return browse.Filters(
            today=self.today.isChecked(),
            status=self.status.currentData(),
            overdue=self.overdue.isChecked(),
            service_code=self.service.currentData(),
            search=self.search.text().strip(),
        )

    def apply_filters(self) -> None:
        self.search_timer.stop()
        self.error.hide()
        self.model.set_filters(self.filters())
        self._ask_count()

    def refresh(self) -> None:
        self.model.refresh()
        self._ask_count()

    def _ask_count(self) -> None:
        self._count_generation += 1
        generation, filters = self._count_generation, self.model.filters
        self.ctx.worker.run(
            lambda store: browse.count_requests(store, filters),
            lambda count: self._counted(generation, count),
            self._show_error,
        )

    def _counted(self, generation: int, count: int) -> None:
        if generation == self._count_generation:
            self._count = count
            self._show_count()

    def _show_count(self) -> None:
        if self._count is None:
            self.count.clear()
        elif self.model.cut:
            self.count.setText(
                self.tr(
                    "Showing the newest {count} of more requests: type more to narrow the search"
                ).format(count=f"{self._count:,}")
            )
        elif self._count > browse.COUNT_CAP:
            self.count.setText(
                self.tr("More than {count} requests").format(count=f"{browse.COUNT_CAP:,}")
            )
        else:
            self.count.setText(self.tr("{count} requests").format(count=f"{self._count:,}"))

    def _services_loaded(self, services: list[browse.ServiceChoice]) -> None:
        self._services = services
        self._fill_services()

    def _fill_services(self) -> None:
        current = self.service.currentData()
        self.service.blockSignals(True)
        self.service.clear()
        self.service.addItem(self.tr("All services"), None)
        for service in self._services:
            name = service["name_lo"] if self.ctx.lang.code == "lo" else service["name_en"]
            self.service.addItem(name, service["code"])
        self.service.setCurrentIndex(max(self.service.findData(current), 0))
        self.service.blockSignals(False)

    def _fill_statuses(self) -> None:
        current = self.status.currentData()
        self.status.blockSignals(True)
        self.status.clear()
        self.status.addItem(self.tr("All statuses"), None)
        for status in service_requests.STATUSES:
            self.status.addItem(status_label(status), status)
        self.status.setCurrentIndex(max(self.status.findData(current), 0))
        self.status.blockSignals(False)

    # -- selection ----------------------------------------------------------------------------
    def _row_changed(self, current: QModelIndex, _previous: QModelIndex | None = None) -> None:
        if current.isValid():
            self.selected = current.data(TrackingRole)
            self.detail.show_request(self.selected)

    def _loaded(self) -> None:
        if self._explain_when_loaded:
            self._explain_when_loaded = False
            self._explain_no_request()
        if self._focus_first and self.model.rowCount() > 0:
            self._focus_first = False
            self.select_row(0)
            self.table.setFocus()
            return
        # After a reload the selection is gone: put it back on the same request if listed.
        if not self.table.selectionModel().hasSelection() and self.selected is not None:
            row = self.model.row_of(self.selected)
            if row >= 0:
                self.select_row(row)

    def select_row(self, row: int) -> None:
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)

    def _search_entered(self) -> None:
        # Enter goes to the results: at once if they are here, else when they arrive.
        if self.search_timer.isActive():
            self._focus_first = True
            self.apply_filters()
        elif self.model.rowCount() > 0:
            self.select_row(0)
            self.table.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Only key presses matter here; they reach Python as QKeyEvents (narrowed for key()).
        if not isinstance(event, QKeyEvent):
            return super().eventFilter(watched, event)
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            if event.key() == Qt.Key.Key_Down and self.model.rowCount() > 0:
                self.select_row(max(self.table.currentIndex().row(), 0))
                self.table.setFocus()
                return True
            if event.key() == Qt.Key.Key_Escape and self.search.text():
                self.search.clear()
                return True
        if (
            watched is self.table
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            # Enter on a row goes to what can be done with it; Tab would too, further away.
            return self.detail.focus_actions()
        return super().eventFilter(watched, event)

    def _is_ctrl_p(self, event: QKeyEvent) -> bool:
        pressed = QKeySequence(event.keyCombination())
        wanted = self.detail.pay_action.shortcut()
        return pressed.matches(wanted) == QKeySequence.SequenceMatch.ExactMatch

    def event(self, event: QEvent) -> bool:
        # Ctrl+P with an empty list: no request is selected, whatever the pane still shows from
        # before the search. Taking the key here keeps the action from acting on that one; the
        # key then comes to keyPressEvent, which says why nothing happens.
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and self._is_ctrl_p(event)
            and self.model.rowCount() == 0
        ):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Keys no child took come here; among them Ctrl+P when its action is off or was held.
        if self._is_ctrl_p(event) and self._ctrl_p_without_request():
            return
        super().keyPressEvent(event)

    def _ctrl_p_without_request(self) -> bool:
        """Ctrl+P found no selected request to act on: say why (nothing found, nothing
        selected). False when one is selected (the action is off for a reason of its own)."""
        if self.model.rowCount() > 0 and self.table.selectionModel().hasSelection():
            return False
        if self.search_timer.isActive():
            # Typed a moment ago: search now, and say it once the answer is in.
            self._explain_when_loaded = True
            self.apply_filters()
        elif self.model.loading:
            self._explain_when_loaded = True
        else:
            self._explain_no_request()
        return True

    def _explain_no_request(self) -> None:
        text = self.model.filters.search
        if self.model.rowCount() == 0 and text:
            message = self.tr(
                "No request found for “{text}”. Type the tracking number or its end"
                " (0004 or 261203-0004), a name, a phone or an ID number."
            ).format(text=text)
        elif self.model.rowCount() == 0:
            message = self.tr("There is no request in the list.")
        elif not self.table.selectionModel().hasSelection():
            message = self.tr("Select a request in the list first (Enter or ↓ in the search box).")
        else:
            return
        self.error.setText(message)
        self.error.show()

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _show_error(self, error: OdscError) -> None:
        self._explain_when_loaded = False  # the error is what there is to say
        self.error.setText(self.ctx.lang.message(error))
        self.error.show()

    # -- language -----------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.search_label.setText(self.tr("&Search"))
        self.search.setPlaceholderText(self.tr("Tracking number, name, phone or ID number"))
        self.today.setText(self.tr("&Today"))
        self.overdue.setText(self.tr("&Overdue only"))
        self.status_label.setText(self.tr("S&tatus"))
        self.service_label.setText(self.tr("Ser&vice"))
        self._fill_statuses()
        self._fill_services()
        self._show_count()
        self.model.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
