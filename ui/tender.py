"""Quick tender: one key puts what the citizen hands over into the payment dialog.

F2 is the exact amount; F3, F4 and F5 are the next sums a citizen pays with common kip notes
(for 30,000: 40,000, 50,000 and 100,000; `tenders_above`). Each button shows its key and its
amount; the keys work from anywhere in the dialog, and Enter then confirms: a payment in cash
takes two keys.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from odsc_desk.api import cash
from ui.money_text import kip

EXACT_KEY = Qt.Key.Key_F2
NOTE_KEYS = (Qt.Key.Key_F3, Qt.Key.Key_F4, Qt.Key.Key_F5)


def key_name(key: Qt.Key) -> str:
    return QKeySequence(key).toString()


NOTES_OF_A_KIND = 4  # more of one note than this, and nobody pays with that note


def tenders_above(amount: int, count: int = len(NOTE_KEYS)) -> list[int]:
    """The `count` smallest sums above `amount` a citizen hands over in notes of one kind: for
    each note, the fewest of it that cover the amount, if that is a handful (30,000: 2 × 20,000,
    50,000, 100,000; never 13 × 2,000 for 25,000)."""
    if amount <= 0:
        return []
    covering = {
        -(-amount // note) * note for note in cash.NOTES if -(-amount // note) <= NOTES_OF_A_KIND
    }
    return sorted(total for total in covering if total > amount)[:count]


class QuickTender(QWidget):
    """A row of buttons (F2 exact, F3–F5 the next notes) that emit the amount chosen.

    The buttons take no focus, so Tab goes from the tendered field straight to Confirm; the
    keys are shortcuts of the whole dialog, active only while the row is shown (cash).
    """

    chosen = Signal(int)

    def __init__(self, dialog: QWidget) -> None:
        super().__init__(dialog)
        self.amounts: list[int] = []
        self.buttons: list[QPushButton] = []
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for index, key in enumerate((EXACT_KEY, *NOTE_KEYS)):
            button = QPushButton(autoDefault=False)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _=False, i=index: self._choose(i))
            shortcut = QShortcut(QKeySequence(key), dialog)
            shortcut.activated.connect(lambda i=index: self._choose(i))
            row.addWidget(button)
            self.buttons.append(button)
        row.addStretch(1)

    def show_amounts(self, amount: int | None, lang: str, money: Mapping[str, str] | None) -> None:
        """Offer `amount` exactly and the next notes above it (none while it cannot be read)."""
        self.amounts = [] if amount is None or amount <= 0 else [amount, *tenders_above(amount)]
        for index, button in enumerate(self.buttons):
            if index < len(self.amounts):
                figure = kip(lang, self.amounts[index], money)
                key = key_name((EXACT_KEY, *NOTE_KEYS)[index])
                if index == 0:
                    button.setText(self.tr("{key} Exact {amount}").format(key=key, amount=figure))
                else:
                    button.setText(self.tr("{key} {amount}").format(key=key, amount=figure))
            button.setVisible(index < len(self.amounts))

    def _choose(self, index: int) -> None:
        if self.isVisible() and index < len(self.amounts):
            self.chosen.emit(self.amounts[index])
