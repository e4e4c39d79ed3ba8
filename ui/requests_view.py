"""The Requests tab: search and filters over a lazily loaded list, and the selected request.

Typing searches as you type (debounced, so each key does not cost a query); the filters apply
at once. The list and the pane re-read the store after every write (the worker's `changed`)
while the tab is shown; a write made while another tab is shown only marks them stale, and they
re-read once, when the tab is shown again: a long day of intake costs no list queries.

The pane follows the list's selection and nothing else: whenever the list changes (a search, a
filter, a page, a refresh after a write) it shows the selected row's request, or nothing when
no row is selected or the list is empty. A request still listed after the change stays
selected and shown. The pane's keys (Ctrl+P, Alt+1 … Alt+6) act only on a selected request.
"""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QShowEvent
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

from odsc_desk.api import browse
from odsc_desk.shared import request_history
from odsc_desk.shared.errors import OdscError
from ui.context import CounterContext
from ui.request_detail import RequestDetail
from ui.requests_model import (
    COL_DATE,
    COL_FEE,
    COL_MARKS,
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
from ui.widgets import no_alt_text

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
        # The store changed while the tab was hidden: the list is re-read when it is shown.
        self.stale = False

        self.search_label = QLabel()
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search_label.setBuddy(self.search)
        self.search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self.apply_filters)
        self.search.textChanged.connect(self.search_timer.start)
        self.search.returnPressed.connect(self._search_entered)
        # Before this view's own filter, which therefore sees Alt+1 … Alt+6 first.
        no_alt_text(self.search)
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
        self.model.failed.connect(self._list_failed)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.installEventFilter(self)
        self._size_columns()
        selection = self.table.selectionModel()
        selection.currentRowChanged.connect(self._current_changed)
        selection.selectionChanged.connect(self._follow_selection)
        self.detail = RequestDetail(ctx)
        # Ctrl+P pays the selected request, Alt+1 … Alt+6 change its status, wherever the focus
        # is in this tab. With no request selected the keys are held (see event) and
        # keyPressEvent says why.
        self.addAction(self.detail.pay_action)
        for action in self.detail.status_actions.values():
            self.addAction(action)

        self._layout()
        ctx.worker.changed.connect(self._store_changed)
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
            COL_FEE: "000,000 ກີບ",
            COL_PAID: "000,000 ກີບ",
            COL_STATUS: "ກຳລັງດຳເນີນການ",
            COL_MARKS: "ຍັງບໍ່ຈ່າຍ 000,000 ກີບ · ເອກະສານຍັງຂາດ",
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
        if self.stale:
            self.refresh()

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

    def _store_changed(self) -> None:
        if self.isVisible():
            self.refresh()
        else:
            self.stale = True

    def refresh(self) -> None:
        self.stale = False
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
                    "Showing the newest %n of more requests: type more to narrow the search",
                    "",
                    self._count,
                )
            )
        elif self._count > browse.COUNT_CAP:
            self.count.setText(
                self.tr("More than {count} requests").format(count=f"{browse.COUNT_CAP:,}")
            )
        else:
            self.count.setText(self.tr("%n in the list", "", self._count))

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
        for status in request_history.STATUSES:
            self.status.addItem(status_label(status), status)
        self.status.setCurrentIndex(max(self.status.findData(current), 0))
        self.status.blockSignals(False)

    # -- selection ----------------------------------------------------------------------------
    def selected_tracking(self) -> str | None:
        """The tracking number of the selected row, or None."""
        rows = self.table.selectionModel().selectedRows()
        return rows[0].data(TrackingRole) if rows else None

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        # The table makes a row current without selecting it (Tab into the list, Ctrl+arrows):
        # the row with the keyboard is the one selected, so the pane shows what the focus is on.
        selection = self.table.selectionModel()
        if current.isValid() and not selection.isRowSelected(current.row(), QModelIndex()):
            self.select_row(current.row())

    def _follow_selection(self) -> None:
        """The pane shows the selected row's request, or nothing when no row is selected."""
        tracking = self.selected_tracking()
        self.selected = tracking
        if tracking is None and self._focus_in_detail():
            # The pane empties under the keyboard: it goes to the list, not to a stray widget.
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        if tracking != self.detail.tracking:
            self.detail.show_request(tracking)

    def _focus_in_detail(self) -> bool:
        # The window's focus widget: a dialog of the pane may hold the keyboard for now.
        focus = self.window().focusWidget()
        return focus is not None and self.detail.isAncestorOf(focus)

    def _loaded(self) -> None:
        if self._explain_when_loaded:
            self._explain_when_loaded = False
            self._explain_no_request()
        focus_first, self._focus_first = self._focus_first, False
        if focus_first and self.model.rowCount() > 0:
            self.select_row(0)
            self.table.setFocus()
            return
        # A new list (or a refresh) comes without a selection: put it back on the request
        # shown if it is listed; if not, nothing is selected and the pane empties.
        if not self.table.selectionModel().hasSelection() and self.selected is not None:
            row = self.model.row_of(self.selected)
            if row >= 0:
                self.select_row(row)
        self._follow_selection()

    def _list_failed(self, error: OdscError) -> None:
        self._show_error(error)
        self._follow_selection()

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
        if event.type() == QEvent.Type.KeyPress and self._pane_action(event) is not None:
            # A pane key that reaches the search box or the list did not act (no request
            # selected, or its action is off): it is neither typed nor searched for.
            self._key_without_request()
            return True
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

    def _pane_action(self, event: QKeyEvent) -> QAction | None:
        """The pane's action whose key this is (Ctrl+P, Alt+1 … Alt+6), or None."""
        pressed = QKeySequence(event.keyCombination())
        for action in (self.detail.pay_action, *self.detail.status_actions.values()):
            if pressed.matches(action.shortcut()) == QKeySequence.SequenceMatch.ExactMatch:
                return action
        return None

    def event(self, event: QEvent) -> bool:
        # A pane key with no request selected (a search on its way empties the list while the
        # pane still shows the last one), or whose action is off: taking the key here keeps it
        # from acting on the request shown and from being typed into the search box. It then
        # comes to keyPressEvent, which says why nothing happens.
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            action = self._pane_action(event)
            if action is not None and (not self._has_selection() or not action.isEnabled()):
                event.accept()
                return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Keys no child took come here; among them a pane key whose action is off or was held.
        if self._pane_action(event) is not None:
            self._key_without_request()
            return
        super().keyPressEvent(event)

    def _has_selection(self) -> bool:
        return self.model.rowCount() > 0 and self.table.selectionModel().hasSelection()

    def _key_without_request(self) -> None:
        """A pane key found no selected request to act on: say why (nothing found, nothing
        selected). Nothing to say when one is selected (its action is off for a reason of its
        own: paid already, a status not possible from this one)."""
        if self._has_selection():
            return
        if self.search_timer.isActive():
            # Typed a moment ago: search now, and say it once the answer is in.
            self._explain_when_loaded = True
            self.apply_filters()
        elif self.model.loading:
            self._explain_when_loaded = True
        else:
            self._explain_no_request()

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
