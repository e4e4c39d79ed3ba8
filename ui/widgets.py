"""Small widgets every screen shares: red error lines, banners, the language switch, and
dialog buttons that keep their translated words."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Any

from PySide6.QtCore import QDate, QEvent, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QWidget,
)

from odsc_desk.shared.errors import OdscError
from odsc_desk.shared.laotext import breakable
from ui.i18n import Language

ERROR_STYLE = "color: #b3261e;"
BANNER_STYLE = "background: #fdecea; color: #8a1c1c; padding: 6px; border-radius: 4px;"
NOTICE_STYLE = "background: #e6f4ea; color: #1e5631; padding: 6px; border-radius: 4px;"
# The store problem is the one thing on the dialog that blocks everyone: a box, not a line.
STORE_ERROR_STYLE = "color: #8c1d18; background: #fde7e4; border: 1px solid #e3a39c; padding: 8px;"


class ErrorLabel(QLabel):
    """A refusal shown in red under its field; re-rendered in the new language on a switch."""

    def __init__(self, lang: Language, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._lang = lang
        self._text: Callable[[], str] | None = None
        self.setWordWrap(True)
        self.setStyleSheet(ERROR_STYLE)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()
        # lang.changed comes after the code is set; the LanguageChange event may not.
        lang.changed.connect(self._render)

    def show_error(self, error: OdscError) -> None:
        self.show_text(lambda: self._lang.message(error))

    def show_text(self, text: Callable[[], str]) -> None:
        """`text` is called again after a language switch, so pass a function of tr()."""
        self._text = text
        self._render()

    def clear_error(self) -> None:
        self._text = None
        self._render()

    def _render(self, *_: Any) -> None:
        if self._text is None:
            self.clear()
            self.hide()
        else:
            self.setText(breakable(self._text()))
            self.show()


class LanguageSwitch(QWidget):
    """ລາວ / English, each written in its own language so anyone can find theirs."""

    def __init__(self, lang: Language, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._lang = lang
        self.label = QLabel()
        self.buttons = {"lo": QRadioButton("ລາວ"), "en": QRadioButton("English")}
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.label)
        for code, button in self.buttons.items():
            row.addWidget(button)
            button.toggled.connect(partial(self._toggled, code))
        row.addStretch(1)
        self._sync(lang.code)
        lang.changed.connect(self._sync)
        self.retranslate()

    def _toggled(self, code: str, on: bool) -> None:
        # Only the button switched on picks the language; the one switched off says nothing.
        if on:
            self._choose(code)

    def _choose(self, code: str) -> None:
        if code != self._lang.code:
            self._lang.set(code)

    def _sync(self, code: str) -> None:
        self.buttons[code].setChecked(True)

    def retranslate(self) -> None:
        self.label.setText(self.tr("Language:"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


def py_date(day: QDate) -> date:
    """A date edit's day as a Python date (what `QDate.toPython()` gives, typed)."""
    return date(day.year(), day.month(), day.day())


def error_label() -> QLabel:
    label = QLabel()
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.hide()
    return label


def field_label(form: QFormLayout, field: QWidget) -> QLabel:
    """The label `form.addRow(text, field)` made for `field` (Qt hands it back as a QWidget)."""
    label = form.labelForField(field)
    if not isinstance(label, QLabel):
        raise LookupError(f"{field!r} has no text label in its form")
    return label


def dialog_buttons(dialog: QDialog) -> tuple[QDialogButtonBox, QPushButton, QPushButton]:
    """OK (the default: Enter) and Cancel (Esc) as plain buttons.

    Not the box's standard buttons: the box renames those to Qt's own "OK"/"Cancel" on every
    language change, after the dialog has set its words.
    """
    box = QDialogButtonBox()
    ok = box.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
    cancel = box.addButton("", QDialogButtonBox.ButtonRole.RejectRole)
    ok.setDefault(True)
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box, ok, cancel


class FieldErrors:
    """Shows a core error under the field it names (`error.field`), else under the form.

    Errors are kept, not their text, so a language switch re-renders them in the new language.
    """

    def __init__(self, lang: Language, labels: dict[str, QLabel], other: QLabel) -> None:
        self.lang = lang
        self.labels = labels
        self.other = other
        self.shown: list[tuple[QLabel, OdscError]] = []

    def show(self, error: OdscError) -> None:
        self.clear()
        self.shown.append((self.labels.get(error.field or "", self.other), error))
        self.retranslate()

    def clear(self) -> None:
        self.shown = []
        for label in [*self.labels.values(), self.other]:
            label.clear()
            label.hide()

    def text(self, field: str) -> str:
        return self.labels.get(field, self.other).text()

    def retranslate(self) -> None:
        for label, error in self.shown:
            label.setText(breakable(self.lang.message(error)))
            label.show()
