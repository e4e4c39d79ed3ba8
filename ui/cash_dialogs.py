"""Opening the cash drawer with a float, and closing it by counting its notes.

Closing lists the kip notes in use with a count for each, and a line for coins and anything
else; the counted total, the expected cash and their difference follow the clerk's typing. A
difference needs a reason and, over the office's limit, a supervisor: both are the core's
decisions (`cash.close_cash` refuses with `session.reason_required` or
`session.difference_needs_approval`); the dialog then asks for them and closes with them.

`DrawerStep` is the drawer's first step inside the payment dialog: with no session open (or one
left open from an earlier day) the clerk opens one there, without losing the payment typed.

Every dialog here fits its height to its wrapped text (`fit_to_text`): Qt does not carry a
label's height-for-width up to a top-level window, so a Lao line that wraps would be cut.
"""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from odsc_desk.api import Actor, cash, daylist
from odsc_desk.shared.errors import OdscError, ValidationError
from odsc_desk.shared.laotext import breakable
from odsc_desk.shared.money import parse_amount
from ui.approval_dialog import ApprovalDialog
from ui.context import CounterContext
from ui.money_text import kip, signed_kip
from ui.widgets import (
    ERROR_STYLE,
    FieldErrors,
    dialog_buttons,
    error_label,
    field_label,
    fit_to_text,
)

translate = QCoreApplication.translate
NEEDS_APPROVAL = "session.difference_needs_approval"
NEEDS_REASON = "session.reason_required"


def day_text(iso: str) -> str:
    """An ISO date as offices write it: 26/11/2026."""
    return date.fromisoformat(iso).strftime("%d/%m/%Y")


def money_of(drawer: daylist.Drawer) -> dict[str, str]:
    """The office's money format, as `money_text.kip` takes it."""
    return {"grouping": drawer["money"]["grouping"], "unit": drawer["money"]["unit"]}


class _FittedDialog(QDialog):
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        fit_to_text(self)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        fit_to_text(self)


class _CashDialog(_FittedDialog):
    """One amount field with its error line, OK (Enter) and Cancel (Esc)."""

    field = ""

    def __init__(self, ctx: CounterContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.amount = QLineEdit()
        self.amount_error = error_label()
        self.general_error = error_label()
        self.errors = FieldErrors(ctx.lang, {self.field: self.amount_error}, self.general_error)
        self.form = QFormLayout()
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.buttons, self.ok, self.cancel = dialog_buttons(self)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)

    def _failed(self, error: OdscError) -> None:
        self.ok.setEnabled(True)
        self.errors.show(error)
        self.amount.setFocus()
        fit_to_text(self)

    def _done(self, _result: Any) -> None:
        self.ok.setEnabled(True)
        super().accept()

    def retranslate(self) -> None:
        self.cancel.setText(translate("CashDialog", "Cancel"))
        self.errors.retranslate()
        super().retranslate()


class OpenSessionDialog(_CashDialog):
    field = "float"

    def __init__(self, ctx: CounterContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.form.addRow(QLabel(), self.amount)
        self.form.addRow(self.amount_error)
        self.amount.setFocus()
        self.retranslate()

    def accept(self) -> None:
        self.errors.clear()
        self.ok.setEnabled(False)
        text, actor, field = self.amount.text(), self.ctx.actor, self.field
        # open_cash takes an int; parse_amount refuses bad text under our field exactly as the
        # core's own check would, on the worker, so the error comes back the same way.
        self.ctx.worker.run(
            lambda store: cash.open_cash(store, actor, parse_amount(text, field)),
            self._done,
            self._failed,
            writes=True,
        )

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Open the cash session"))
        field_label(self.form, self.amount).setText(self.tr("Float in the drawer (kip)"))
        self.ok.setText(self.tr("Open"))
        super().retranslate()


class _CountEdit(QLineEdit):
    """A note's count: Enter moves on to the next line, as on a calculator's keypad, so a
    half-typed count is never sent."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.focusNextChild()
            event.accept()
            return
        super().keyPressEvent(event)


class CloseSessionDialog(_CashDialog):
    """The count: a line per kip note, then coins and other cash (`amount`), then the reason.

    Enter on a note's line moves to the next; Enter on the last lines (other cash, reason)
    closes the session.
    """

    field = "other"

    def __init__(self, ctx: CounterContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.drawer: daylist.Drawer | None = None
        self.approval: ApprovalDialog | None = None
        self.pending_error: OdscError | None = None
        self.session = QLabel(wordWrap=True)
        self.expected = QLabel()
        self.unsynced = QLabel(wordWrap=True)
        self.unsynced.setStyleSheet("color: #b00020;")
        self.unsynced.hide()
        self.form.addRow(QLabel(), self.session)
        self.form.addRow(QLabel(), self.expected)
        self.form.addRow(self.unsynced)

        self.counts = {note: _CountEdit() for note in cash.NOTES}
        self.note_labels = {note: QLabel() for note in cash.NOTES}
        self.subtotals = {note: QLabel() for note in cash.NOTES}
        self.other_label = QLabel()
        self.total_label = QLabel()
        self.total = QLabel()
        bold = QFont(self.total.font())
        bold.setBold(True)
        self.total.setFont(bold)
        grid = QGridLayout()
        grid.setColumnStretch(2, 1)
        for row, note in enumerate(cash.NOTES):
            self.counts[note].setAlignment(Qt.AlignmentFlag.AlignRight)
            self.counts[note].setMaxLength(7)
            self.counts[note].setMaximumWidth(110)
            self.subtotals[note].setAlignment(
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            )
            self.note_labels[note].setBuddy(self.counts[note])
            grid.addWidget(self.note_labels[note], row, 0)
            grid.addWidget(self.counts[note], row, 1)
            grid.addWidget(self.subtotals[note], row, 2)
            self.counts[note].textChanged.connect(self._show_difference)
        last = len(cash.NOTES)
        self.amount.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.other_label.setBuddy(self.amount)
        grid.addWidget(self.other_label, last, 0)
        grid.addWidget(self.amount, last, 1, 1, 2)
        grid.addWidget(self.total_label, last + 1, 0)
        grid.addWidget(self.total, last + 1, 1, 1, 2, Qt.AlignmentFlag.AlignRight)
        self.count_error = error_label()

        self.difference = QLabel(wordWrap=True)
        self.reason = QLineEdit()
        self.reason_label = QLabel(wordWrap=True)
        self.reason_label.setBuddy(self.reason)
        self.reason_error = error_label()
        after = QVBoxLayout()
        for widget in (
            self.amount_error,
            self.count_error,
            self.difference,
            self.reason_label,
            self.reason,
            self.reason_error,
        ):
            after.addWidget(widget)
        layout = self.layout()
        if isinstance(layout, QVBoxLayout):  # made in _CashDialog.__init__
            layout.insertLayout(1, grid)
            layout.insertLayout(2, after)

        fields = {cash.note_field(note): self.count_error for note in cash.NOTES}
        fields |= {"other": self.amount_error, "counted": self.amount_error}
        fields["reason"] = self.reason_error
        self.errors = FieldErrors(ctx.lang, fields, self.general_error)
        chain = [*self.counts.values(), self.amount, self.reason, self.ok, self.cancel]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)
        self.amount.textChanged.connect(self._show_difference)
        self.counts[cash.NOTES[0]].setFocus()
        self.ok.setEnabled(False)
        self.setMinimumWidth(520)
        self.retranslate()
        ctx.worker.run(daylist.drawer, self._loaded, self.errors.show)

    def _loaded(self, drawer: daylist.Drawer | None) -> None:
        self.drawer = drawer
        self.ok.setEnabled(drawer is not None)
        self.retranslate()

    def _money(self) -> dict[str, str] | None:
        return money_of(self.drawer) if self.drawer else None

    def counted(self) -> int | None:
        """The total typed so far, or None while a line cannot be read."""
        # read_count is pure (no store): safe to call on every keystroke on the UI thread.
        try:
            count = cash.read_count(
                {note: edit.text() for note, edit in self.counts.items()}, self.amount.text()
            )
        except ValidationError:
            return None
        return cash.count_total(count)

    def _typed(self) -> bool:
        return any(e.text().strip() for e in [*self.counts.values(), self.amount])

    def _show_difference(self) -> None:
        lang, money = self.ctx.lang.code, self._money()
        for note, edit in self.counts.items():
            try:
                number = int(edit.text()) if edit.text().strip() else 0
            except ValueError:
                number = -1
            self.subtotals[note].setText(kip(lang, note * number, money) if number > 0 else "")
        counted = self.counted()
        self.total.setText("—" if counted is None else kip(lang, counted, money))
        if self.drawer is None or counted is None or not self._typed():
            self.difference.setText(self.tr("Difference: count the notes in the drawer"))
            self.difference.setStyleSheet("")
            fit_to_text(self)
            return
        diff = counted - self.drawer["expected"]
        limit = self.drawer["difference_limit"]
        text = self.tr("Difference: {amount}").format(amount=signed_kip(lang, diff, money))
        if abs(diff) > limit:
            text += "\n" + self.tr(
                "More than the {limit} allowed: a supervisor must approve."
            ).format(limit=kip(lang, limit, money))
        if diff:
            text += "\n" + self.tr("Give the reason for the difference.")
        self.difference.setText(breakable(text))
        self.difference.setStyleSheet(ERROR_STYLE if abs(diff) > limit else "")
        fit_to_text(self)

    def accept(self, approver: Actor | None = None) -> None:
        self.errors.clear()
        self.ok.setEnabled(False)
        typed = {note: edit.text() for note, edit in self.counts.items()}
        other, reason, actor = self.amount.text(), self.reason.text(), self.ctx.actor
        # The count is read on the worker, so a bad line comes back as the core's refusal.
        self.ctx.worker.run(
            lambda store: cash.close_cash(
                store, actor, cash.read_count(typed, other), approver, reason
            ),
            self._done,
            self._refused,
            writes=True,
        )

    def _refused(self, error: OdscError) -> None:
        if error.code != NEEDS_APPROVAL:
            self.ok.setEnabled(True)
            self.errors.show(error)
            self._focus_on(error.field or "")
            fit_to_text(self)
            return
        self.ok.setEnabled(True)
        self.pending_error = error
        if self.approval is not None:
            self.approval.deleteLater()  # an earlier, cancelled ask
        self.approval = ApprovalDialog(self.ctx, self.describe_difference, self)
        self.approval.accepted.connect(lambda: self.accept(self.approval.approver))
        self.approval.open()

    def _focus_on(self, field: str) -> None:
        lines = {cash.note_field(note): edit for note, edit in self.counts.items()}
        target = self.reason if field == "reason" else lines.get(field, self.amount)
        target.setFocus()
        target.selectAll()

    def describe_difference(self) -> str:
        """What the supervisor approves, from the figures the core refused with."""
        # Asked only once the core refused (pending_error) a drawer it had read (drawer).
        if self.pending_error is None or self.drawer is None:
            raise RuntimeError("no refused difference to describe")
        params, money, lang = self.pending_error.params, money_of(self.drawer), self.ctx.lang.code
        text = self.tr(
            "Close the cash session with a difference of {difference},"
            " more than the {limit} allowed."
        ).format(
            difference=signed_kip(lang, params["difference"], money),
            limit=kip(lang, params["limit"], money),
        )
        return text + "\n" + self.tr("Reason: {reason}").format(reason=self.reason.text().strip())

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Close the cash session"))
        drawer, lang, money = self.drawer, self.ctx.lang.code, self._money()
        grouping = money["grouping"] if money else ","
        for note, label in self.note_labels.items():
            label.setText(self.tr("{note} notes").format(note=f"{note:,}".replace(",", grouping)))
        self.other_label.setText(self.tr("Coins and other cash (kip)"))
        self.total_label.setText(self.tr("Counted cash"))
        self.reason_label.setText(
            breakable(self.tr("Reason for the difference (needed when there is one)"))
        )
        if drawer is None:
            self.session.setText(self.tr("No cash session is open."))
            self.expected.setText("")
        else:
            text = self.tr("Session of {date}, float {amount}").format(
                date=day_text(drawer["business_date"]),
                amount=kip(lang, drawer["float_amount"], money),
            )
            self.session.setText(breakable(text))
            self.expected.setText(kip(lang, drawer["expected"], money))
            waiting = drawer["unsynced"]
            self.unsynced.setVisible(waiting > 0)
            self.unsynced.setText(
                breakable(
                    self.tr(
                        "Records not yet at the centre: %n. You can close the day; they will"
                        " be sent when the network is back.",
                        "",
                        waiting,
                    )
                )
            )
        field_label(self.form, self.session).setText(self.tr("Drawer"))
        field_label(self.form, self.expected).setText(self.tr("Expected cash"))
        self.ok.setText(self.tr("Close session"))
        self._show_difference()
        super().retranslate()


class DrawerStep(QWidget):
    """The payment dialog's first step when no drawer can take today's cash.

    With no session open: a float and Open (Enter). With one left open from an earlier day:
    Count and close it (the count dialog above), after which today's can be opened. `ready`
    is emitted once a session for today is open; `check` asks the worker again.
    """

    ready = Signal()
    closed = Signal()

    def __init__(self, ctx: CounterContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.stale: str | None = None  # the business date of a drawer left open
        self.closing: CloseSessionDialog | None = None
        self.message = QLabel(wordWrap=True)
        self.message.setStyleSheet("font-weight: bold;")
        self.float_label = QLabel(wordWrap=True)
        self.float_amount = QLineEdit()
        self.float_label.setBuddy(self.float_amount)
        self.float_error = error_label()
        self.general_error = error_label()
        self.errors = FieldErrors(ctx.lang, {"float": self.float_error}, self.general_error)
        self.open_button = QPushButton(autoDefault=True)
        self.close_button = QPushButton(autoDefault=True)
        self.open_button.clicked.connect(self.open_session)
        self.close_button.clicked.connect(self.close_stale)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (
            self.message,
            self.float_label,
            self.float_amount,
            self.float_error,
            self.general_error,
            self.open_button,
            self.close_button,
        ):
            layout.addWidget(widget)
        self.retranslate()

    def show_for(self, drawer: daylist.Drawer | None) -> None:
        """Ask for today's drawer: `drawer` is what the worker found (None: no session)."""
        self.stale = drawer["business_date"] if drawer is not None else None
        opening = self.stale is None
        for widget in (self.float_label, self.float_amount, self.open_button):
            widget.setVisible(opening)
        self.close_button.setVisible(not opening)
        self.errors.clear()
        self.retranslate()
        self.show()
        button = self.open_button if opening else self.close_button
        button.setDefault(True)
        (self.float_amount if opening else self.close_button).setFocus()

    def open_session(self) -> None:
        self.errors.clear()
        self.open_button.setEnabled(False)
        text, actor = self.float_amount.text(), self.ctx.actor
        self.ctx.worker.run(
            lambda store: cash.open_cash(store, actor, parse_amount(text, "float")),
            self._opened,
            self._refused,
            writes=True,
        )

    def _opened(self, _session: cash.CashSession) -> None:
        self.open_button.setEnabled(True)
        self.open_button.setDefault(False)
        self.hide()
        self.ready.emit()

    def _refused(self, error: OdscError) -> None:
        self.open_button.setEnabled(True)
        self.errors.show(error)
        self.float_amount.setFocus()
        self.float_amount.selectAll()
        fit_to_text(self.window())

    def close_stale(self) -> None:
        self.closing = CloseSessionDialog(self.ctx, self)
        # The payment dialog takes the keyboard back, whether the drawer was closed or not.
        self.closing.finished.connect(self.window().activateWindow)
        self.closing.accepted.connect(self.closed.emit)
        self.closing.open()

    def retranslate(self) -> None:
        if self.stale is None:
            self.message.setText(
                breakable(self.tr("No cash session is open. Open one to take this payment."))
            )
        else:
            self.message.setText(
                breakable(
                    self.tr(
                        "The cash session of {date} is still open. Count and close it, then"
                        " open today's."
                    ).format(date=day_text(self.stale))
                )
            )
        self.float_label.setText(breakable(self.tr("&Float in the drawer (kip)")))
        self.open_button.setText(self.tr("Open the session (Enter)"))
        self.close_button.setText(self.tr("Count and close it… (Enter)"))
        self.errors.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
