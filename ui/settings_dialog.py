"""Settings: the window's language, printing, the money format and office closures.

Language is this window's own choice and applies at once. Printing (a printer for each paper,
the receipt paper, what happens after a payment), the money format and closures are office
settings kept in the store, changed by supervisors only (the core checks the role too); a choice
is saved as soon as it is made. The printers offered are those the PC has now (QPrinterInfo).

The settings stand in two columns inside a scroll area, and the dialog is never taller than the
screen's free area: on a 1024×768 screen with a taskbar the Close button stays in sight.
"""

from __future__ import annotations

from itertools import pairwise
from typing import TypedDict

from PySide6.QtCore import QDate, QEvent, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from odsc_desk.api import Store, closures, daylist, settings
from odsc_desk.shared.errors import OdscError
from odsc_desk.shared.laotext import breakable
from odsc_desk.shared.text import REASON_MAX
from ui.cash_dialogs import day_text
from ui.context import CounterContext
from ui.i18n import QT_TRANSLATE_NOOP
from ui.printing import SystemPrinters
from ui.widgets import FRAME_ALLOWANCE, FieldErrors, error_label, field_label, py_date

LANGUAGES = (("lo", "ລາວ"), ("en", "English"))
# The office settings behind the money format; their choices and labels come from the core.
MONEY = ("money_grouping", "money_unit")
PRINTING = ("printer", "a4_printer", "receipt_paper", "print_after_payment")
PRINTERS = ("printer", "a4_printer")  # each paper's printer: the PC's printers to choose from
MIN_WIDTH = 840  # two columns of settings side by side
CHOICES = {
    "80mm": QT_TRANSLATE_NOOP("SettingsDialog", "80 mm roll (receipt printer)"),
    "a4": QT_TRANSLATE_NOOP("SettingsDialog", "A4 sheet"),
    "ask": QT_TRANSLATE_NOOP("SettingsDialog", "Show it first, then print"),
    "now": QT_TRANSLATE_NOOP("SettingsDialog", "Print at once"),
    "pdf": QT_TRANSLATE_NOOP("SettingsDialog", "Save as PDF only"),
}


class OfficeSetting(TypedDict):
    value: int | str | bool  # of the type of the setting's default
    choices: tuple[str, ...]
    label: dict[str, str]  # by language code


class Loaded(TypedDict):
    """What the dialog shows, read in one go on the worker."""

    money: dict[str, OfficeSetting]
    printing: dict[str, OfficeSetting]
    closures: list[closures.ClosureDay]
    today: str  # ISO date


def _office_setting(store: Store, key: str) -> OfficeSetting:
    setting = settings.SETTINGS[key]
    return {
        "value": settings.get(store, key),
        "choices": setting.choices,
        "label": {"lo": setting.label_lo, "en": setting.label_en},
    }


def load(store: Store) -> Loaded:
    return {
        "money": {key: _office_setting(store, key) for key in MONEY},
        "printing": {key: _office_setting(store, key) for key in PRINTING},
        "closures": closures.list_closures(store),
        "today": daylist.today(store).isoformat(),
    }


class SettingsDialog(QDialog):
    def __init__(
        self,
        ctx: CounterContext,
        parent: QWidget | None = None,
        printers: SystemPrinters | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.loaded: Loaded | None = None
        self.printer_names = (printers or SystemPrinters()).names()
        self.language = QComboBox()
        for code, name in LANGUAGES:
            self.language.addItem(name, code)
        self.language.setCurrentIndex(self.language.findData(ctx.lang.code))
        self.language.currentIndexChanged.connect(self._language_picked)
        self.printing = {key: QComboBox() for key in PRINTING}
        self.printer = self.printing["printer"]
        self.a4_printer = self.printing["a4_printer"]
        for key, combo in self.printing.items():
            combo.setEnabled(False)
            combo.activated.connect(lambda _=0, k=key: self._printing_picked(k))
        self.printer_note = QLabel(wordWrap=True)
        self.money = {key: QComboBox() for key in MONEY}
        for key, combo in self.money.items():
            combo.setEnabled(False)
            combo.currentIndexChanged.connect(lambda _=0, k=key: self._money_picked(k))
        self.money_note = QLabel(wordWrap=True)
        self.closure_table = QTableWidget(0, 2)
        self.closure_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.closure_table.verticalHeader().hide()
        self.closure_table.setMinimumHeight(120)
        self.closure_table.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.Stretch
        )
        self.closure_date = QDateEdit()
        self.closure_date.setCalendarPopup(True)
        self.closure_date.setDisplayFormat("dd/MM/yyyy")
        self.closure_reason = QLineEdit()
        self.closure_reason.setMaxLength(REASON_MAX)
        self.add = QPushButton()
        self.add.clicked.connect(self.add_closure)
        self.closure_note = QLabel(wordWrap=True)
        self.general_error = error_label()
        labels = {key: error_label() for key in [*PRINTING, *MONEY, "date", "reason"]}
        self.errors = FieldErrors(ctx.lang, labels, self.general_error)
        # A plain button, not the box's standard Close, which Qt renames on language change.
        self.buttons = QDialogButtonBox()
        self.close_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.rejected.connect(self.reject)
        self._layout(labels)
        self.retranslate()
        ctx.worker.run(load, self._loaded, self.errors.show)

    def _layout(self, labels: dict[str, QLabel]) -> None:
        self.boxes = [QGroupBox() for _ in range(4)]
        self.forms = [QFormLayout(box) for box in self.boxes]
        language, printer, money, closed = self.forms
        language.addRow(QLabel(), self.language)
        for key, combo in self.printing.items():
            printer.addRow(QLabel(), combo)
            printer.addRow(labels[key])
        printer.addRow(self.printer_note)
        for key, combo in self.money.items():
            money.addRow(QLabel(), combo)
            money.addRow(labels[key])
        money.addRow(self.money_note)
        closed.addRow(self.closure_table)
        closed.addRow(QLabel(), self.closure_date)
        closed.addRow(labels["date"])
        closed.addRow(QLabel(), self.closure_reason)
        closed.addRow(labels["reason"])
        closed.addRow(QLabel(), self.add)
        closed.addRow(self.closure_note)
        # This window and its printing on the left, the office's calendar on the right.
        left = QVBoxLayout()
        for box in self.boxes[:3]:
            left.addWidget(box)
        left.addStretch(1)
        self.content = QWidget()
        self.columns = QHBoxLayout(self.content)
        self.columns.setContentsMargins(0, 0, 0, 0)
        self.columns.addLayout(left, 3)  # long printer names and choices
        self.columns.addWidget(self.boxes[3], 2)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidget(self.content)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.outer = QVBoxLayout(self)
        self.outer.addWidget(self.scroll_area, 1)
        self.outer.addWidget(self.general_error)
        self.outer.addWidget(self.buttons)
        # Enter adds the closure being typed; Esc closes the dialog.
        self.add.setDefault(True)
        self.close_button.setAutoDefault(False)
        chain = [
            self.language,
            *self.printing.values(),
            *self.money.values(),
            self.closure_table,
            self.closure_date,
            self.closure_reason,
            self.add,
        ]
        for first, second in pairwise(chain):
            self.setTabOrder(first, second)
        self.language.setFocus()

    def fit_to_screen(self) -> None:
        """As large as the settings need, but never past the screen's free area (less the
        title bar): what does not fit scrolls, and the Close button stays in sight."""
        room = self.screen().availableGeometry()
        bar = self.scroll_area.verticalScrollBar().sizeHint().width()
        margins = self.outer.contentsMargins()
        sides = margins.left() + margins.right() + bar
        width = min(max(self.content.sizeHint().width(), MIN_WIDTH) + sides, room.width())
        needed = (
            self.columns.totalHeightForWidth(width - sides)
            if self.columns.hasHeightForWidth()
            else self.content.sizeHint().height()
        )
        others = self.outer.totalSizeHint().height() - self.scroll_area.sizeHint().height()
        height = min(needed + others, room.height() - FRAME_ALLOWANCE)
        self.resize(width, height)

    def showEvent(self, event: QShowEvent) -> None:
        self.fit_to_screen()
        super().showEvent(event)

    def _loaded(self, loaded: Loaded) -> None:
        first = self.loaded is None
        self.loaded = loaded
        supervisor = self.ctx.is_supervisor
        for key, combo in self.money.items():
            setting = loaded["money"][key]
            # Filled without signals: only a person's choice writes the setting.
            combo.blockSignals(True)
            combo.clear()
            for value in setting["choices"]:
                # A separator is easier to judge in a number than alone.
                shown = f"{1_500_000:,}".replace(",", value) if key == "money_grouping" else value
                combo.addItem(shown, value)
            combo.setCurrentIndex(max(0, combo.findData(setting["value"])))
            combo.setEnabled(supervisor)
            combo.blockSignals(False)
        for combo in self.printing.values():
            combo.setEnabled(supervisor)
        self._fill_printing()
        if first:
            self.closure_date.setDate(QDate.fromString(loaded["today"], "yyyy-MM-dd"))
        self.closure_table.setRowCount(len(loaded["closures"]))
        for row, closure in enumerate(loaded["closures"]):
            self.closure_table.setItem(row, 0, QTableWidgetItem(day_text(closure["date"])))
            self.closure_table.setItem(row, 1, QTableWidgetItem(breakable(closure["reason"])))
        self.closure_table.resizeRowsToContents()
        for widget in (self.closure_date, self.closure_reason, self.add):
            widget.setEnabled(supervisor)
        self.retranslate()

    def _reload(self, _result: object = None) -> None:
        self.ctx.worker.run(load, self._loaded, self.errors.show)

    def _language_picked(self) -> None:
        code = self.language.currentData()
        if code != self.ctx.lang.code:
            self.ctx.lang.set(code)

    def _money_picked(self, key: str) -> None:
        self.errors.clear()
        value, actor = self.money[key].currentData(), self.ctx.actor
        self.ctx.worker.run(
            lambda store: settings.set_value(store, actor, key, value),
            self._reload,
            self._failed,
            writes=True,
        )

    def _fill_printing(self) -> None:
        """The choices in the window's language; the printer list is the PC's printers."""
        if self.loaded is None:
            return
        values = {key: self.loaded["printing"][key]["value"] for key in PRINTING}
        choices = {key: self.loaded["printing"][key]["choices"] for key in PRINTING}
        # Each combo's (text, setting value) pairs.
        items: dict[str, list[tuple[str, int | str | bool]]] = {
            key: [(self.tr(CHOICES[value]), value) for value in choices[key]]
            for key in ("receipt_paper", "print_after_payment")
        }
        # An empty A4 printer follows the receipt printer when receipts are on A4 too, else the
        # system's default (ui/print_jobs.py, `printer_for`): its first choice says which.
        default = self.tr("The system's default printer")
        empty = {
            "printer": default,
            "a4_printer": self.tr("Same as the receipt printer")
            if values["receipt_paper"] == "a4"
            else default,
        }
        for key in PRINTERS:
            items[key] = [(empty[key], ""), *((name, name) for name in self.printer_names)]
            if values[key] and values[key] not in self.printer_names:
                missing = self.tr("{printer} (not found on this PC)")
                items[key].append((missing.format(printer=values[key]), values[key]))
        for key, combo in self.printing.items():
            combo.blockSignals(True)
            combo.clear()
            for text, value in items[key]:
                combo.addItem(text, value)
            combo.setCurrentIndex(max(0, combo.findData(values[key])))
            combo.blockSignals(False)

    def _printing_picked(self, key: str) -> None:
        self.errors.clear()
        value, actor = self.printing[key].currentData(), self.ctx.actor
        if self.loaded is not None and value == self.loaded["printing"][key]["value"]:
            return
        self.ctx.worker.run(
            lambda store: settings.set_value(store, actor, key, value),
            self._reload,
            self._failed,
            writes=True,
        )

    def add_closure(self) -> None:
        self.errors.clear()
        day, reason, actor = (
            py_date(self.closure_date.date()),
            self.closure_reason.text(),
            self.ctx.actor,
        )
        self.ctx.worker.run(
            lambda store: closures.add_closure(store, actor, day, reason),
            self._closure_added,
            self._failed,
            writes=True,
        )

    def _closure_added(self, _row: closures.Closure) -> None:
        self.closure_reason.clear()
        self._reload()

    def _failed(self, error: OdscError) -> None:
        # The value the core refused stays on screen, with the reason next to it.
        self.errors.show(error)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Settings"))
        # The language may also change from the window's menu: show the one in use.
        self.language.blockSignals(True)
        self.language.setCurrentIndex(self.language.findData(self.ctx.lang.code))
        self.language.blockSignals(False)
        titles = (
            self.tr("Language"),
            self.tr("Printing"),
            self.tr("Money format"),
            self.tr("Office closures"),
        )
        for box, title in zip(self.boxes, titles, strict=True):
            box.setTitle(title)
        language, printer, money, closed = self.forms
        field_label(language, self.language).setText(self.tr("Language of this window"))
        field_label(printer, self.printer).setText(self.tr("Receipt printer"))
        field_label(printer, self.a4_printer).setText(self.tr("A4 printer (daily summary)"))
        field_label(printer, self.printing["receipt_paper"]).setText(self.tr("Paper"))
        field_label(printer, self.printing["print_after_payment"]).setText(self.tr("When printing"))
        self._fill_printing()
        for key, combo in self.money.items():
            # The core names its settings in both languages.
            label = self.loaded["money"][key]["label"][self.ctx.lang.code] if self.loaded else ""
            field_label(money, combo).setText(label)
        field_label(closed, self.closure_date).setText(self.tr("Closed on"))
        field_label(closed, self.closure_reason).setText(self.tr("Reason"))
        self.closure_table.setHorizontalHeaderLabels([self.tr("Date"), self.tr("Reason")])
        self.add.setText(self.tr("Add closure"))
        self.close_button.setText(self.tr("Close"))
        self._retranslate_notes()
        self.errors.retranslate()

    def _retranslate_notes(self) -> None:
        supervisor_only = (
            ""
            if self.ctx.is_supervisor
            else self.tr("Only a supervisor can change office settings.")
        )
        for note in (self.money_note, self.closure_note):
            note.setText(supervisor_only)
            note.setVisible(bool(supervisor_only))
        notes = (
            []
            if self.printer_names
            else [
                self.tr(
                    "No printer is installed on this PC: documents are saved as PDF files in the"
                    " documents folder of the data folder and opened."
                )
            ]
        )
        self.printer_note.setText(" ".join([*notes, supervisor_only]).strip())
        self.printer_note.setVisible(bool(self.printer_note.text()))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
