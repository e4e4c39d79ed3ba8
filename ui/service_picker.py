"""Choosing a service: type to search, grouped by ministry; then what the choice means.

`ServicePicker` is a search box over a filtered list (ministry headings, then their services).
The search box keeps the focus: Up/Down move through the services, Enter picks one. `ServiceSummary`
shows the chosen service's fee, processing time and promised date; `DocumentChecklist` its
documents as tick boxes, with one key (Alt+A, on its button) that ticks them all.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QEvent, QLocale, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent, QMouseEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from odsc_desk.api import catalog
from odsc_desk.shared.catalog_file import CatalogDocument
from odsc_desk.shared.errors import OdscError
from odsc_desk.shared.laotext import breakable
from odsc_desk.shared.text import search_key
from ui.context import CounterContext
from ui.money_text import kip
from ui.widgets import error_label, no_alt_text

SERVICE_ROLE = Qt.ItemDataRole.UserRole + 1
FOCUS_STYLE = "background: palette(highlight); color: palette(highlighted-text);"


def local_name(item: Mapping[str, Any], lang: str, prefix: str = "name") -> str:
    name: str = item[f"{prefix}_lo"] if lang == "lo" else item[f"{prefix}_en"]
    return name


def matches(service: catalog.Service, query: str) -> bool:
    """Every word typed appears in the Lao name, the English name or the code."""
    haystack = search_key(f"{service['name_lo']} {service['name_en']} {service['code']}")
    return all(word in haystack for word in search_key(query).split())


def long_date(day: date, lang: str) -> str:
    locale = QLocale(QLocale.Language.Lao if lang == "lo" else QLocale.Language.English)
    return locale.toString(QDate(day.year, day.month, day.day), "dddd dd/MM/yyyy")


class ServicePicker(QWidget):
    chosen = Signal(object)  # the service dict
    edited = Signal()  # the clerk typed in the search or moved through the list

    def __init__(self, ctx: CounterContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.services: list[catalog.Service] = []
        self.current: catalog.Service | None = None
        self._error: OdscError | None = None
        self._missing = False  # "choose a service": the UI's own message, re-read on a switch
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter)
        self.search.textEdited.connect(self._edited)
        self.search.returnPressed.connect(self._choose_current)
        no_alt_text(self.search)
        self.search.installEventFilter(self)
        self.model = QStandardItemModel(self)
        self.list = QListView()
        self.list.setModel(self.model)
        self.list.setWordWrap(True)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # The search box drives the list; one tab stop for the whole picker.
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.list.clicked.connect(self._choose)
        self.error = error_label()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.error)
        self.setFocusProxy(self.search)
        ctx.lang.changed.connect(self._rebuild)
        self.retranslate()

    def load(self) -> None:
        self.ctx.worker.run(catalog.list_services, self._loaded, self.show_error)

    def _loaded(self, services: list[catalog.Service]) -> None:
        self.services = services
        self._rebuild()

    def clear(self) -> None:
        self.current = None
        self.search.clear()
        self.show_error(None)
        self._rebuild()

    def show_error(self, error: OdscError | None) -> None:
        self._error, self._missing = error, False
        self._show_error()

    def require_choice(self) -> None:
        self._error, self._missing = None, True
        self._show_error()

    def _show_error(self) -> None:
        if self._missing:
            self.error.setText(self.tr("Choose a service first"))
        else:
            self.error.setText(self.ctx.lang.message(self._error) if self._error else "")
        self.error.setVisible(self._missing or self._error is not None)

    def _edited(self) -> None:
        # The clerk is answering what was said under the list: it goes as they type.
        self.show_error(None)
        self.edited.emit()

    def _filter(self) -> None:
        self._rebuild()
        self._step(1, from_row=-1)

    def _rebuild(self) -> None:
        lang = self.ctx.lang.code
        self.model.clear()
        bold = QFont()
        bold.setBold(True)
        ministry = None
        for service in self.services:
            if not matches(service, self.search.text()):
                continue
            if service["ministry_code"] != ministry:
                ministry = service["ministry_code"]
                heading = QStandardItem(breakable(local_name(service, lang, "ministry")))
                heading.setFont(bold)
                heading.setFlags(Qt.ItemFlag.ItemIsEnabled)  # a heading cannot be picked
                self.model.appendRow(heading)
            other = "en" if lang == "lo" else "lo"
            text = "   {name} · {other} · {code}".format(
                name=local_name(service, lang),
                other=local_name(service, other),
                code=service["code"],
            )
            item = QStandardItem(breakable(text))
            item.setData(service, SERVICE_ROLE)
            self.model.appendRow(item)
            if self.current and service["code"] == self.current["code"]:
                self.list.setCurrentIndex(item.index())
        self._show_error()

    def _step(self, direction: int, from_row: int | None = None) -> None:
        """Move the highlight to the next service row up or down, skipping ministry headings."""
        row = self.list.currentIndex().row() if from_row is None else from_row
        row += direction
        while 0 <= row < self.model.rowCount():
            index = self.model.index(row, 0)
            if index.data(SERVICE_ROLE) is not None:
                self.list.setCurrentIndex(index)
                self.list.scrollTo(index)
                return
            row += direction

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # A KeyPress event reaches Python as a QKeyEvent; the check narrows it for key().
        if (
            watched is self.search
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
        ):
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                self._step(1 if key == Qt.Key.Key_Down else -1)
                self.edited.emit()
                return True
        return super().eventFilter(watched, event)

    def _choose_current(self) -> None:
        self._choose(self.list.currentIndex())

    def _choose(self, index: QModelIndex) -> None:
        service = index.data(SERVICE_ROLE) if index.isValid() else None
        if service is None:
            return
        self.current = service
        self.list.setCurrentIndex(index)
        self.show_error(None)
        self.chosen.emit(service)

    def retranslate(self) -> None:
        self.search.setPlaceholderText(self.tr("Search a service: Lao or English name, or code"))
        self.search.setAccessibleName(self.tr("Service"))
        self._rebuild()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class ServiceSummary(QWidget):
    """What the citizen is told at once: the service, its fee, how long, and which day."""

    def __init__(self, ctx: CounterContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.service: catalog.Service | None = None
        self.promised: date | None = None
        # The office's way of writing amounts (the intake form reads it).
        self.money: Mapping[str, str] | None = None
        self.title = QLabel()
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setPointSize(font.pointSize() + 3)
        font.setBold(True)
        self.title.setFont(font)
        self.fee_label, self.days_label, self.date_label = QLabel(), QLabel(), QLabel()
        self.fee, self.days, self.date = QLabel(), QLabel(), QLabel()
        for value in (self.fee, self.days, self.date):
            value.setFont(font)
        form = QFormLayout()
        form.addRow(self.fee_label, self.fee)
        form.addRow(self.days_label, self.days)
        form.addRow(self.date_label, self.date)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addLayout(form)
        ctx.lang.changed.connect(self.retranslate)
        self.retranslate()

    def show_service(self, service: catalog.Service | None, promised: date | None = None) -> None:
        self.service, self.promised = service, promised
        self.retranslate()

    def show_promised(self, code: str, promised: date) -> None:
        # A late answer for a service the clerk has already changed is dropped.
        if self.service is not None and self.service["code"] == code:
            self.promised = promised
            self.retranslate()

    def retranslate(self) -> None:
        self.fee_label.setText(self.tr("Fee"))
        self.days_label.setText(self.tr("Processing time"))
        self.date_label.setText(self.tr("Promised date"))
        service, lang = self.service, self.ctx.lang.code
        if service is None:
            self.title.setText(self.tr("No service chosen yet"))
            for value in (self.fee, self.days, self.date):
                value.setText("—")
            return
        self.title.setText(breakable(local_name(service, lang)))
        self.fee.setText(kip(lang, service["fee"], self.money))
        self.days.setText(self.tr("working days: %n", "", service["days"]))
        self.date.setText(long_date(self.promised, lang) if self.promised else "…")

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class TickLabel(QLabel):
    """A document's name: clicking it ticks the box, as a check box's own text would."""

    clicked = Signal()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.clicked.emit()
        super().mousePressEvent(event)


class DocumentTick(QWidget):
    """A tick box with its document's name beside it, wrapped at Lao word boundaries."""

    def __init__(self, document: CatalogDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.box = QCheckBox()
        # A QCheckBox cannot wrap its text, so the name is a label beside an empty box.
        self.label = TickLabel()
        self.label.setWordWrap(True)
        self.label.clicked.connect(self.box.toggle)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.box, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.label, 1)
        # An empty box draws no focus frame: the name is highlighted instead, so a keyboard
        # user sees which document Space will tick.
        self.box.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.FocusIn, QEvent.Type.FocusOut):
            focused = event.type() == QEvent.Type.FocusIn
            self.label.setStyleSheet(FOCUS_STYLE if focused else "")
        return super().eventFilter(watched, event)

    def show_name(self, lang: str) -> None:
        name = breakable(local_name(self.document, lang))
        self.label.setText(name)
        self.box.setAccessibleName(name)


class DocumentChecklist(QGroupBox):
    edited = Signal()  # a document ticked or unticked by the clerk

    def __init__(self, ctx: CounterContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ticks: list[DocumentTick] = []
        self._error: OdscError | None = None
        # Its key (Alt+A) is the intake form's; the button is for the mouse and shows the key.
        self.all_button = QPushButton()
        self.all_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.all_button.clicked.connect(self.tick_all)
        self.rows = QVBoxLayout()
        self.error = error_label()
        layout = QVBoxLayout(self)
        layout.addWidget(self.all_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addLayout(self.rows)
        layout.addWidget(self.error)
        self.hide()  # until a service with documents is chosen
        ctx.lang.changed.connect(self.retranslate)
        self.retranslate()

    def show_documents(self, documents: list[CatalogDocument]) -> None:
        self.setVisible(bool(documents))
        for tick in self.ticks:
            self.rows.removeWidget(tick)
            tick.hide()
            tick.deleteLater()
        self.ticks = [DocumentTick(document, self) for document in documents]
        for tick in self.ticks:
            tick.box.toggled.connect(self._edited)
            self.rows.addWidget(tick)
            tick.show()  # now, not on the next event loop pass: a fast Tab must reach it
        self.retranslate()

    def show_error(self, error: OdscError | None) -> None:
        self._error = error
        self.retranslate()

    def _edited(self) -> None:
        if self._error is not None:  # the clerk is answering it
            self.show_error(None)
        self.edited.emit()

    def boxes(self) -> list[QCheckBox]:
        return [tick.box for tick in self.ticks]

    def received(self) -> list[str]:
        return [tick.document["code"] for tick in self.ticks if tick.box.isChecked()]

    def missing(self) -> list[CatalogDocument]:
        """The documents not ticked, in the catalog's order."""
        return [tick.document for tick in self.ticks if not tick.box.isChecked()]

    def tick_all(self) -> None:
        """Every document handed in: each box ticked (a second press changes nothing)."""
        for tick in self.ticks:
            tick.box.setChecked(True)

    def first_missing(self) -> QCheckBox | None:
        return next((t.box for t in self.ticks if not t.box.isChecked()), None)

    def retranslate(self) -> None:
        self.setTitle(self.tr("Documents received"))
        self.all_button.setText(self.tr("All documents received (Alt+A)"))
        for tick in self.ticks:
            tick.show_name(self.ctx.lang.code)
        self.error.setText(self.ctx.lang.message(self._error) if self._error else "")
        self.error.setVisible(self._error is not None)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
