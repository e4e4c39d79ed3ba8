"""Small widgets every screen shares: red error lines, banners, the language switch, dialog
buttons that keep their translated words, and line edits that leave Alt+letter to the menus."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, QEvent, QObject, QPoint, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QWidget,
)

from odsc_desk.shared.errors import OdscError
from odsc_desk.shared.laotext import breakable
from ui.i18n import QT_TRANSLATE_NOOP, Language

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


Standard = QDialogButtonBox.StandardButton
# Qt's own words for its standard buttons (as its default theme writes them). Qt ships no Lao
# translation, so without these a Lao screen says "OK", "Close", "Yes".
STANDARD_WORDS = {
    Standard.Ok: QT_TRANSLATE_NOOP("StandardButton", "OK"),
    Standard.Cancel: QT_TRANSLATE_NOOP("StandardButton", "Cancel"),
    Standard.Close: QT_TRANSLATE_NOOP("StandardButton", "Close"),
    Standard.Yes: QT_TRANSLATE_NOOP("StandardButton", "&Yes"),
    Standard.No: QT_TRANSLATE_NOOP("StandardButton", "&No"),
    Standard.YesToAll: QT_TRANSLATE_NOOP("StandardButton", "Yes to &All"),
    Standard.NoToAll: QT_TRANSLATE_NOOP("StandardButton", "N&o to All"),
    Standard.Save: QT_TRANSLATE_NOOP("StandardButton", "Save"),
    Standard.SaveAll: QT_TRANSLATE_NOOP("StandardButton", "Save All"),
    Standard.Open: QT_TRANSLATE_NOOP("StandardButton", "Open"),
    Standard.Discard: QT_TRANSLATE_NOOP("StandardButton", "Discard"),
    Standard.Apply: QT_TRANSLATE_NOOP("StandardButton", "Apply"),
    Standard.Reset: QT_TRANSLATE_NOOP("StandardButton", "Reset"),
    Standard.RestoreDefaults: QT_TRANSLATE_NOOP("StandardButton", "Restore Defaults"),
    Standard.Help: QT_TRANSLATE_NOOP("StandardButton", "Help"),
    Standard.Abort: QT_TRANSLATE_NOOP("StandardButton", "Abort"),
    Standard.Retry: QT_TRANSLATE_NOOP("StandardButton", "Retry"),
    Standard.Ignore: QT_TRANSLATE_NOOP("StandardButton", "Ignore"),
}
# A Lao word's key is a Latin letter in brackets after it: "ແມ່ນ (&Y)".
_BRACKETED_KEY = re.compile(r"\s*\(&[^)]\)")


def standard_word(button: QDialogButtonBox.StandardButton, mnemonics: bool = True) -> str:
    """A standard button's word in the current language, with or without its Alt key."""
    text = QCoreApplication.translate("StandardButton", STANDARD_WORDS[button])
    return text if mnemonics else _BRACKETED_KEY.sub("", text).replace("&", "")


class _ButtonWords(QObject):
    """Keeps a button box's standard buttons in the current language.

    The box rewrites them in Qt's words on every language change, after the dialog around it
    has set its own: this filter lets the box do that first, then writes the words again.
    """

    def __init__(self, box: QDialogButtonBox, mnemonics: bool) -> None:
        super().__init__(box)
        self.box = box
        self.mnemonics = mnemonics
        box.installEventFilter(self)

    def write(self) -> None:
        for button in self.box.buttons():
            which = self.box.standardButton(button)
            if which in STANDARD_WORDS:
                button.setText(standard_word(which, self.mnemonics))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.box and event.type() == QEvent.Type.LanguageChange:
            self.box.event(event)
            self.write()
            return True
        return super().eventFilter(watched, event)


def translate_buttons(owner: QDialogButtonBox | QMessageBox, mnemonics: bool = True) -> None:
    """Writes the standard buttons of a button box or message box in the current language, and
    again after every switch. Call it once the buttons are added (a message box's standard
    buttons sit in a button box of its own). `mnemonics=False` drops the Alt keys, for a
    question where a clerk typing on by mistake must not answer it."""
    box = owner if isinstance(owner, QDialogButtonBox) else owner.findChild(QDialogButtonBox)
    if box is None:
        raise LookupError(f"{owner!r} has no button box")
    words = box.findChild(_ButtonWords)
    if words is None:
        words = _ButtonWords(box, mnemonics)
    words.mnemonics = mnemonics
    words.write()


class _AltIsNoText(QObject):
    """Alt+letter is a menu's or a label's key, never text: a line edit would type the letter
    (Qt takes only Ctrl out of text), so when no menu has that key in this language the letter
    lands in the field. The press is dropped before the edit sees it; shortcuts are matched
    before key presses are delivered, so a menu or label that has the key still gets it."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and alt_letter(event)
        ):
            return True
        return super().eventFilter(watched, event)


def alt_letter(event: QKeyEvent) -> bool:
    """Alt (without Ctrl: Ctrl+Alt is AltGr on Windows, which types) with a printable key."""
    modifiers = event.modifiers()
    alt = bool(modifiers & Qt.KeyboardModifier.AltModifier)
    ctrl = bool(modifiers & Qt.KeyboardModifier.ControlModifier)
    return alt and not ctrl and event.text().isprintable() and bool(event.text())


def no_alt_text(*edits: QLineEdit) -> None:
    """Alt+letter in these edits goes to the menus and labels, never into the text."""
    for edit in edits:
        edit.installEventFilter(_AltIsNoText(edit))


# What a window's own size must leave of the screen's free area (screen less taskbar): its
# title bar and borders (31 + 8 px on Windows 10/11 at 100 %). Offscreen, and before a window is
# first shown, Qt knows neither.
FRAME_ALLOWANCE = 40


def keep_on_screen(window: QWidget) -> None:
    """Move a window that sticks out of its screen's free area back inside. Qt centres a dialog
    on its parent, and a parent wider than the screen takes the dialog over the edge."""
    room, frame = window.screen().availableGeometry(), window.frameGeometry()
    dx = max(room.left() - frame.left(), min(0, room.right() - frame.right()))
    dy = max(room.top() - frame.top(), min(0, room.bottom() - frame.bottom()))
    if dx or dy:
        window.move(window.pos() + QPoint(dx, dy))


def fit_to_screen(window: QWidget, width: int, height: int) -> None:
    """Size a window to (width, height), or to its screen's free area less its frame where
    that is smaller: an old 1024×768 screen less a taskbar is 728 px tall."""
    room = window.screen().availableGeometry()
    window.resize(
        min(width, room.width() - FRAME_ALLOWANCE // 4),
        min(height, room.height() - FRAME_ALLOWANCE),
    )


def fit_to_text(window: QWidget) -> None:
    """Make `window` as tall as its layout needs at its width, wrapped text included.

    Called after any text changes (a language switch, an error, a live figure) and when shown.
    """
    layout = window.layout()  # set in every dialog's __init__; Qt's type allows none
    if layout is None:
        return
    layout.activate()
    width = max(window.width(), layout.minimumSize().width())
    if layout.hasHeightForWidth():
        height = layout.totalHeightForWidth(width)
    else:
        height = layout.totalSizeHint().height()
    window.setMinimumHeight(height)
    # Exactly as tall as the text: a line that went away (an error fixed, a step done) leaves
    # no gap behind.
    window.resize(width, height)
