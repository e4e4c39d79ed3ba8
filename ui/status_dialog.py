"""Small dialogs of the request pane: a status change that needs a reason, feedback entry, and
a late request's new date.

Each dialog runs its own write on the worker and closes only when the core accepted it; a
refusal is shown under the field it names and everything typed stays.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QEvent
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from odsc_desk.api import feedback, service_requests
from odsc_desk.shared.errors import OdscError
from odsc_desk.shared.laotext import breakable
from ui.context import CounterContext
from ui.print_jobs import counted_new_date
from ui.requests_model import status_label
from ui.widgets import no_alt_text, translate_buttons


def error_label() -> QLabel:
    label = QLabel()
    label.setStyleSheet("color: #b3261e;")
    label.setWordWrap(True)
    label.hide()
    return label


class _WriteDialog(QDialog):
    """OK runs `task` on the worker; success closes the dialog, a refusal is shown in it."""

    def __init__(self, ctx: CounterContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.result_value: Any = None
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.general_error = error_label()
        # Errors naming a field go under that field; anything else under the buttons.
        self.field_errors: dict[str, QLabel] = {}

    def task(self) -> Callable[[Any], Any]:
        raise NotImplementedError

    def submit(self) -> None:
        for label in (*self.field_errors.values(), self.general_error):
            label.hide()
        self.buttons.setEnabled(False)
        self.ctx.worker.run(self.task(), self._done, self._refused, writes=True)

    def _done(self, value: Any) -> None:
        self.buttons.setEnabled(True)
        self.result_value = value
        self.accept()

    def _refused(self, error: OdscError) -> None:
        self.buttons.setEnabled(True)
        label = self.field_errors.get(error.field or "", self.general_error)
        label.setText(self.ctx.lang.message(error))
        label.show()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        translate_buttons(self.buttons)


class ReasonDialog(_WriteDialog):
    """Move a request to `status` (incomplete, rejected, withdrawn) with the reason typed."""

    def __init__(
        self, ctx: CounterContext, tracking: str, status: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, parent)
        self.tracking, self.status = tracking, status
        self.prompt = QLabel()
        self.prompt.setWordWrap(True)
        # One line: Enter confirms the dialog (a multi-line box would swallow it).
        self.reason = QLineEdit()
        self.reason.setMinimumWidth(420)
        no_alt_text(self.reason)
        self.reason_error = error_label()
        self.field_errors = {"reason": self.reason_error}
        layout = QVBoxLayout(self)
        for widget in (self.prompt, self.reason, self.reason_error, self.general_error):
            layout.addWidget(widget)
        layout.addWidget(self.buttons)
        self.setTabOrder(self.reason, self.buttons)
        self.reason.setFocus()
        self.retranslate()

    def task(self) -> Callable[[Any], Any]:
        actor, tracking, status = self.ctx.actor, self.tracking, self.status
        reason = self.reason.text()
        return lambda store: service_requests.change_status(store, actor, tracking, status, reason)

    def retranslate(self) -> None:
        super().retranslate()
        self.setWindowTitle(
            self.tr("{tracking}: {status}").format(
                tracking=self.tracking, status=status_label(self.status)
            )
        )
        self.prompt.setText(
            breakable(
                self.tr(
                    "Why is {tracking} now “{status}”? The citizen will see this reason."
                ).format(tracking=self.tracking, status=status_label(self.status))
            )
        )


class FeedbackDialog(_WriteDialog):
    """The citizen's rating (1–5) and an optional comment."""

    def __init__(self, ctx: CounterContext, tracking: str, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.tracking = tracking
        self.rating_label = QLabel()
        self.rating = QSpinBox()
        # No rating until the citizen gives one: 0 shows as a dash, and saving it is refused
        # (the core's "1 to 5"), so a clerk who presses Enter records nobody's opinion.
        self.rating.setRange(0, 5)
        self.rating.setSpecialValueText("–")
        self.rating.setValue(0)
        self.rating_label.setBuddy(self.rating)
        self.rating_error = error_label()
        self.comment_label = QLabel()
        self.comment = QLineEdit()
        self.comment.setMinimumWidth(420)
        no_alt_text(self.comment)
        self.comment_label.setBuddy(self.comment)
        self.comment_error = error_label()
        self.field_errors = {"rating": self.rating_error, "comment": self.comment_error}
        layout = QVBoxLayout(self)
        for widget in (
            self.rating_label,
            self.rating,
            self.rating_error,
            self.comment_label,
            self.comment,
            self.comment_error,
            self.general_error,
        ):
            layout.addWidget(widget)
        layout.addWidget(self.buttons)
        self.setTabOrder(self.rating, self.comment)
        self.setTabOrder(self.comment, self.buttons)
        self.rating.setFocus()
        self.rating.selectAll()
        self.retranslate()

    def task(self) -> Callable[[Any], Any]:
        actor, tracking = self.ctx.actor, self.tracking
        rating, comment = self.rating.value(), self.comment.text()
        return lambda store: feedback.record_feedback(store, actor, tracking, rating, comment)

    def retranslate(self) -> None:
        super().retranslate()
        self.setWindowTitle(self.tr("Feedback for {tracking}").format(tracking=self.tracking))
        self.rating_label.setText(self.tr("&Rating (1 = poor, 5 = very good)"))
        self.comment_label.setText(self.tr("&Comment (optional)"))


class NewDateDialog(_WriteDialog):
    """The new date a late request's notice tells the citizen: the one the notice counts, or
    another working day the clerk picks. OK records it (the core checks it is a working day
    after today); the pane then prints the notice, which records nothing more. Recorded first so
    that a refused date is said here, under the date, with the date still there to change."""

    def __init__(self, ctx: CounterContext, tracking: str, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.tracking = tracking
        self.prompt = QLabel()
        self.prompt.setWordWrap(True)
        self.prompt.setMinimumWidth(420)  # as wide as the other dialogs' fields
        self.date_label = QLabel()
        self.date = QDateEdit()
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("dd/MM/yyyy")  # as the day view and the closures write it
        self.date_label.setBuddy(self.date)
        self.date_error = error_label()
        self.field_errors = {"new_date": self.date_error}
        layout = QVBoxLayout(self)
        for widget in (
            self.prompt,
            self.date_label,
            self.date,
            self.date_error,
            self.general_error,
        ):
            layout.addWidget(widget)
        layout.addWidget(self.buttons)
        self.setTabOrder(self.date, self.buttons)
        self.date.setFocus()
        self.retranslate()
        # OK waits for the counted date: until then there is nothing sensible to record.
        self.buttons.setEnabled(False)
        ctx.worker.run(
            lambda store: counted_new_date(store, tracking), self._counted, self._refused
        )

    def _counted(self, day: date) -> None:
        self.date.setDate(QDate(day.year, day.month, day.day))
        self.buttons.setEnabled(True)

    @property
    def new_day(self) -> date:
        picked = self.date.date()
        return date(picked.year(), picked.month(), picked.day())

    def task(self) -> Callable[[Any], Any]:
        actor, tracking, day = self.ctx.actor, self.tracking, self.new_day
        return lambda store: service_requests.record_new_date(store, actor, tracking, day)

    def retranslate(self) -> None:
        super().retranslate()
        self.setWindowTitle(self.tr("New date for {tracking}").format(tracking=self.tracking))
        self.prompt.setText(
            breakable(
                self.tr(
                    "{tracking} is late. Give the citizen a new date: the notice tells it, and"
                    " the centre tells a citizen who agreed to messages."
                ).format(tracking=self.tracking)
            )
        )
        self.date_label.setText(self.tr("&New date"))
