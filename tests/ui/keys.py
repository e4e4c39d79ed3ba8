"""Typing Lao in tests: QTest.keyClicks knows only Latin-1 characters and aborts on Lao, so
each character goes as one key event carrying its text, as a Lao keyboard sends it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget


def type_text(text: str, widget: QWidget | None = None) -> None:
    """Type `text` into `widget`, or into whichever widget has the keyboard focus."""
    for char in text:
        QTest.sendKeyEvent(
            QTest.KeyAction.Click,
            widget or QApplication.focusWidget(),
            Qt.Key.Key_unknown,
            char,
            Qt.KeyboardModifier.NoModifier,
        )
