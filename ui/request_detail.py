"""The pane under the request list: everything about one request, and what may happen next.

Each status a request can be moved to has one button, always in the same place, with its own
key (Alt+1 … Alt+6, in the label). The core's TRANSITIONS say which are possible from the
current status; the others are disabled, never hidden or moved. The core still decides: a
refusal (unpaid, illegal, no reason) is shown in the pane. The final statuses ask first: a
reason for rejected and withdrawn, a yes or no (No by default) before handing over. After a
change the keyboard stays where it was; if it was on a button that is now disabled it rests on
the status line, where a second Space does nothing.

What the pane says about an action or a print is about its request: it goes when another
request is shown, and a late answer about one request is never shown under another (each
callback carries the tracking number it was asked for). Details are re-read after every write.
The appointment slip prints from here, and any receipt of the request prints again (as a COPY,
which receipts/ decides from the prints recorded); a fee taken here prints its receipt. So do the
notices the request is in a state for (`notices_for`): documents missing, refused, or late, whose
notice first asks the new date it tells.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from odsc_desk.api import browse, service_requests
from odsc_desk.shared import request_history
from odsc_desk.shared.clock import local_time_text
from odsc_desk.shared.errors import OdscError
from odsc_desk.shared.laotext import breakable
from ui.context import CounterContext
from ui.i18n import QT_TRANSLATE_NOOP, Language
from ui.money_text import kip
from ui.print_jobs import Job
from ui.print_preview import PrintStatus
from ui.printing import DocumentPrinter
from ui.request_record import RequestRecord
from ui.requests_model import STATUS_COLOURS, Money, day_text, money_of, status_label
from ui.status_dialog import FeedbackDialog, NewDateDialog, ReasonDialog, error_label
from ui.widgets import translate_buttons

if TYPE_CHECKING:
    # Loaded only when a fee is taken (see take_payment).
    from ui.payment_dialog import PaymentDialog

# One button per status a request can be moved to, each in a fixed place with a fixed key: the
# flow forward on the first row, the turns aside on the second. "…" marks those that ask first.
# Which of them are possible is the core's TRANSITIONS, read in _render.
STATUS_ACTIONS = (
    ("in_process", QT_TRANSLATE_NOOP("RequestDetail", "Mark in process"), "Alt+1"),
    ("ready", QT_TRANSLATE_NOOP("RequestDetail", "Mark ready"), "Alt+2"),
    ("collected", QT_TRANSLATE_NOOP("RequestDetail", "Hand over (collected)…"), "Alt+3"),
    ("incomplete", QT_TRANSLATE_NOOP("RequestDetail", "Incomplete…"), "Alt+4"),
    ("rejected", QT_TRANSLATE_NOOP("RequestDetail", "Reject…"), "Alt+5"),
    ("withdrawn", QT_TRANSLATE_NOOP("RequestDetail", "Withdrawn…"), "Alt+6"),
)
ACTION_LABELS = {status: label for status, label, _key in STATUS_ACTIONS}
ACTION_KEYS = {status: key for status, _label, key in STATUS_ACTIONS}
STATUS_COLUMNS = 3
# The notices (receipts/slips.py), each offered while the request is in a state for it.
NOTICES = (
    ("missing-documents", QT_TRANSLATE_NOOP("RequestDetail", "Print missing-documents notice")),
    ("refusal", QT_TRANSLATE_NOOP("RequestDetail", "Print refusal notice")),
    ("new-date", QT_TRANSLATE_NOOP("RequestDetail", "Print new date notice…")),
)
NOTICE_LABELS = dict(NOTICES)
# The other actions (pay, feedback, slip, receipt, notice) come after the status rows.
FIRST_OTHER_ROW = -(-len(STATUS_ACTIONS) // STATUS_COLUMNS)

FIELDS = (
    ("citizen_name", QT_TRANSLATE_NOOP("RequestDetail", "Name")),
    ("phone", QT_TRANSLATE_NOOP("RequestDetail", "Phone")),
    ("id_number", QT_TRANSLATE_NOOP("RequestDetail", "ID number")),
    ("village", QT_TRANSLATE_NOOP("RequestDetail", "Village")),
    ("service", QT_TRANSLATE_NOOP("RequestDetail", "Service")),
    ("created_at", QT_TRANSLATE_NOOP("RequestDetail", "Received on")),
    ("promised_date", QT_TRANSLATE_NOOP("RequestDetail", "Promised date")),
    ("fee", QT_TRANSLATE_NOOP("RequestDetail", "Fee")),
    ("paid", QT_TRANSLATE_NOOP("RequestDetail", "Paid")),
    ("balance", QT_TRANSLATE_NOOP("RequestDetail", "Still due")),
)

# The status line takes the keyboard when the button it was on is disabled by a change; the
# transparent border keeps the text from moving when the dotted focus frame appears.
STATUS_STYLE = (
    "QLabel { border: 1px solid transparent; }"
    " QLabel:focus { border: 1px dotted palette(highlight); }"
)


def notices_for(request: browse.RequestView) -> list[str]:
    """The notices `request` is in a state for, as receipts/slips.py refuses the others:
    documents missing (or marked incomplete), rejected, or late."""
    kinds = []
    if request["missing_documents"] or request["status"] == "incomplete":
        kinds.append("missing-documents")
    if request["status"] == "rejected":
        kinds.append("refusal")
    if request["overdue"]:
        kinds.append("new-date")
    return kinds


def status_html(status: str) -> str:
    """The status's label in its list colours, so the pane and the list look alike."""
    label = html.escape(status_label(status))
    if status not in STATUS_COLOURS:
        return label
    background, text = STATUS_COLOURS[status]
    style = f"background:{background.name()}; color:{text.name()};"
    return f'<span style="{style}">&nbsp;{label}&nbsp;</span>'


class RequestPrintStatus(PrintStatus):
    """The pane's print line: about the request a document was printed for (`about`), and
    shown only while that request is the one shown, so a late outcome about one request never
    appears under another."""

    def __init__(self, lang: Language, showing: Callable[[], str | None]) -> None:
        super().__init__(lang)
        self._showing = showing
        self.about: str | None = None

    def show_outcome(self, job: Job | None, outcome: str, **facts: Any) -> None:
        if self.about == self._showing():
            super().show_outcome(job, outcome, **facts)

    def show_error(self, error: OdscError) -> None:
        if self.about == self._showing():
            super().show_error(error)


class RequestDetail(QWidget):
    def __init__(self, ctx: CounterContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        # The request the list selected, and the one shown: they differ while a newly
        # selected request is being read (see _current).
        self.tracking: str | None = None
        self.request: browse.RequestView | None = None
        # The office's way of writing amounts, read with the request.
        self.money: Money | None = None
        # The reason, feedback, payment dialog or hand-over question last opened.
        self.dialog: QDialog | None = None
        self._generation = 0
        # A status change on its way to the store: until it is answered, a second press (a
        # second Space before the pane re-reads the request) changes nothing.
        self._writing = False
        # The store changed while the pane was hidden: it re-reads its request when shown.
        self.stale = False

        self.title = QLabel()
        self.title.setStyleSheet("font-size: 15pt; font-weight: bold;")
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setStyleSheet(STATUS_STYLE)
        self.status.setIndent(0)  # a label with a frame indents its text; this one lines up
        self.status.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        # Another counter's request of the office: where it was taken, how fresh the facts
        # shown are, and that this counter only shows it (docs/OFFICE_SHARING.md, D8).
        self.elsewhere = QLabel()
        self.elsewhere.setWordWrap(True)
        self.elsewhere.setStyleSheet("color: #6b4e00; font-weight: bold;")
        self.elsewhere.hide()
        self.error = error_label()
        self.form = QFormLayout()
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.field_names: dict[str, QLabel] = {}
        self.values: dict[str, QLabel] = {}
        for key, _ in FIELDS:
            self.field_names[key], self.values[key] = QLabel(), QLabel()
            self.values[key].setWordWrap(True)
            self.values[key].setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.form.addRow(self.field_names[key], self.values[key])
        self.record = RequestRecord(ctx)

        self.actions_grid = QGridLayout()
        # The status actions: their keys work wherever the focus is in the pane (and in the
        # list, which adds them too); the buttons stay in their places, enabled or not.
        self.status_actions: dict[str, QAction] = {}
        self.status_buttons: dict[str, QPushButton] = {}
        for n, (status, _label, key) in enumerate(STATUS_ACTIONS):
            action = QAction(self, shortcut=QKeySequence(key))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.setAutoRepeat(False)  # a held-down key is one press
            action.setEnabled(False)
            action.triggered.connect(lambda _=False, s=status: self.change_status(s))
            self.addAction(action)
            self.status_actions[status] = action
            button = QPushButton(self)
            button.setEnabled(False)
            button.clicked.connect(action.trigger)
            self.actions_grid.addWidget(button, n // STATUS_COLUMNS, n % STATUS_COLUMNS)
            self.status_buttons[status] = button
        for column in range(STATUS_COLUMNS):
            self.actions_grid.setColumnStretch(column, 1)
        self.pay_action = QAction(self, shortcut=QKeySequence("Ctrl+P"))
        self.pay_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.pay_action.triggered.connect(self.take_payment)
        self.addAction(self.pay_action)
        self.pay_button = QPushButton(self)
        self.pay_button.clicked.connect(self.pay_action.trigger)
        self.feedback_button = QPushButton(self)
        self.feedback_button.clicked.connect(self.enter_feedback)
        self.printing = DocumentPrinter(ctx, self)
        # The printer's status line, replaced by one that knows which request it speaks of.
        self.printing.status.deleteLater()
        self.print_status = RequestPrintStatus(ctx.lang, lambda: self.tracking)
        self.printing.status = self.print_status
        self.slip_button = QPushButton(self)
        self.slip_button.clicked.connect(self.print_slip)
        # One receipt: the button reprints it. Several: it opens a menu of them (Space, arrows).
        self.reprint_button = QPushButton(self)
        self.reprint_button.clicked.connect(lambda: self.reprint())
        self.reprint_menu = QMenu(self)
        # One notice: the button prints it. Several: a menu of them, as for the receipts.
        self.notice_button = QPushButton(self)
        self.notice_button.clicked.connect(lambda: self.print_notice())
        self.notice_menu = QMenu(self)
        self.other_buttons = [
            self.pay_button,
            self.feedback_button,
            self.slip_button,
            self.reprint_button,
            self.notice_button,
        ]

        self.empty = QLabel()
        self.empty.setWordWrap(True)
        # Two columns: who and what with the actions on the left, the record on the right.
        self.body = QWidget()
        left, right = QVBoxLayout(), QVBoxLayout()
        left.addWidget(self.title)
        left.addWidget(self.status)
        left.addWidget(self.elsewhere)
        left.addLayout(self.actions_grid)
        left.addWidget(self.error)
        left.addWidget(self.print_status)
        left.addLayout(self.form)
        left.addStretch(1)
        right.addWidget(self.record)
        right.addStretch(1)
        body = QHBoxLayout(self.body)
        body.addLayout(left, 1)
        body.addSpacing(16)
        body.addLayout(right, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.body)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        # Long text wraps instead: a sideways scroll bar would hide half of every line.
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.empty)
        layout.addWidget(scroll)
        self.scroll_area = scroll
        # Tab goes from the status line through the buttons in their places (disabled and
        # hidden ones are skipped), then on to the other actions.
        for first, second in pairwise([self.status, *self.action_buttons()]):
            QWidget.setTabOrder(first, second)
        ctx.worker.changed.connect(self._store_changed)
        ctx.worker.failed.connect(self._write_done)  # a bug: the pane must not stay stuck
        self.retranslate()
        self._render()

    def action_buttons(self) -> list[QPushButton]:
        """Every action button, in the order of their places."""
        return [*self.status_buttons.values(), *self.other_buttons]

    # -- loading ------------------------------------------------------------------------------
    def show_request(self, tracking: str | None) -> None:
        if tracking != self.tracking:
            self._forget_notes()
        self.tracking = tracking
        self.reload()

    def _forget_notes(self) -> None:
        """Another request is shown: what was said about the last one goes."""
        self.error.hide()
        self.print_status.clear_outcome()

    def _store_changed(self) -> None:
        # Hidden (another tab is shown): re-read once, when shown again.
        if self.isVisible():
            self.reload()
        else:
            self.stale = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.stale:
            self.reload()

    def reload(self) -> None:
        self.stale = False
        self._generation += 1
        generation, tracking = self._generation, self.tracking
        if tracking is None:
            self.request = None
            self._render()
            return
        self.ctx.worker.run(
            lambda store: (browse.request_detail(store, tracking), money_of(store)),
            lambda answer: self._loaded(generation, *answer),
            lambda error: self._load_failed(generation, error),
        )

    def _loaded(self, generation: int, request: browse.RequestView, money: Money) -> None:
        if generation == self._generation:  # a newer selection's answer is on its way
            self.request, self.money = request, money
            self._render()

    def _load_failed(self, generation: int, error: OdscError) -> None:
        if generation == self._generation:
            self.request = None
            self._render()
            self.show_error(error)

    def _current(self) -> browse.RequestView | None:
        """The request shown, if it is the one selected; None while another is being read, so
        no key or button acts on a request the list no longer selects."""
        request = self.request
        if request is None or request["tracking"] != self.tracking:
            return None
        return request

    # -- actions ------------------------------------------------------------------------------
    def change_status(self, status: str) -> None:
        request = self._current()
        if request is None or self._writing:
            return
        tracking = request["tracking"]
        self.error.hide()
        if status in service_requests.NEEDS_REASON:
            self.dialog = ReasonDialog(self.ctx, tracking, status, self)
            self.dialog.open()
        elif status in request_history.CLOSED_STATUSES:
            self._ask_before(tracking, status)
        else:
            self._write_status(tracking, status)

    def _ask_before(self, tracking: str, status: str) -> None:
        """A final status without a reason (handing over): yes or no first, No by default."""
        yes, no = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No
        asked = self.tr("Hand over the result of {tracking} to the citizen? This cannot be undone.")
        # A word joiner after each hyphen: the tracking number is never broken across lines.
        number = tracking.replace("-", "-\u2060")
        question = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("{tracking}: {status}").format(tracking=tracking, status=status_label(status)),
            breakable(asked.format(tracking=number)),
            yes | no,
            self,
        )
        question.setDefaultButton(no)  # Enter, or a second Space, hands nothing over
        question.setEscapeButton(no)
        translate_buttons(question)
        question.finished.connect(lambda _result: self._answered(question, tracking, status))
        self.dialog = question
        question.open()

    def _answered(self, question: QMessageBox, tracking: str, status: str) -> None:
        if self.dialog is question:
            self.dialog = None
        question.deleteLater()
        # The keyboard comes back to the window, where it was (the button, the list), as after
        # a print preview; the window manager alone does not always give it back.
        self.window().activateWindow()
        if question.standardButton(question.clickedButton()) == QMessageBox.StandardButton.Yes:
            self._write_status(tracking, status)

    def _write_status(self, tracking: str, status: str) -> None:
        actor = self.ctx.actor
        self._writing = True
        self.ctx.worker.run(
            lambda store: service_requests.change_status(store, actor, tracking, status),
            self._write_done,
            lambda error: self._refused(tracking, error),
            writes=True,
        )

    def _write_done(self, *_: object) -> None:
        self._writing = False

    def _refused(self, tracking: str, error: OdscError) -> None:
        self._writing = False
        if tracking == self.tracking:  # else it is about a request no longer shown
            self.show_error(error)

    def take_payment(self) -> None:
        request = self._current()
        if request is None:
            return
        # Imported here: the payment dialog is its own module, loaded only when a fee is taken.
        from ui.payment_dialog import PaymentDialog

        self.error.hide()
        dialog = PaymentDialog(self.ctx, request)
        dialog.finished.connect(lambda _result: self._paid(dialog))
        self.dialog = dialog
        dialog.open()

    def _paid(self, dialog: PaymentDialog) -> None:
        payment = dialog.payment
        if payment is not None:
            # Printed whatever is shown by now; its outcome is said only with its request.
            receipt = payment["receipt"]
            self._print(dialog.request["tracking"], lambda: self.printing.receipt(receipt))

    def print_slip(self) -> None:
        request = self._current()
        if request is not None:
            tracking = request["tracking"]
            self._print(tracking, lambda: self.printing.slip(tracking))

    def reprint(self, receipt: str | None = None) -> None:
        """Print a receipt of this request again (the latest if none is named)."""
        request = self._current()
        if request is None or not request["payments"]:
            return
        chosen = receipt or request["payments"][-1]["receipt"]
        self._print(request["tracking"], lambda: self.printing.receipt(chosen))

    def print_notice(self, kind: str | None = None) -> None:
        """Print one of the notices the request is in a state for (the first if none is
        named); a new date is asked first."""
        request = self._current()
        kinds = notices_for(request) if request is not None else []
        if request is None or not kinds:
            return
        tracking, chosen = request["tracking"], kind or kinds[0]
        self.error.hide()
        if chosen != "new-date":
            self._print(tracking, lambda: self.printing.notice(tracking, chosen))
            return
        dialog = NewDateDialog(self.ctx, tracking, self)
        dialog.accepted.connect(
            lambda: self._print(
                tracking, lambda: self.printing.notice(tracking, "new-date", dialog.new_day)
            )
        )
        self.dialog = dialog
        dialog.open()

    def _print(self, tracking: str, start: Callable[[], None]) -> None:
        if self.printing.busy:
            return  # one document at a time (the printer ignores a second press anyway)
        self.print_status.about = tracking
        start()

    def enter_feedback(self) -> None:
        request = self._current()
        if request is None:
            return
        self.error.hide()
        self.dialog = FeedbackDialog(self.ctx, request["tracking"], self)
        self.dialog.open()

    def focus_actions(self) -> bool:
        """Put the focus on the first thing that can be done next; False if there is none."""
        if self.request is None:
            return False
        for button in self.action_buttons():
            if button.isEnabled() and button.isVisibleTo(self):
                button.setFocus(Qt.FocusReason.OtherFocusReason)
                return True
        return False

    def show_error(self, error: OdscError) -> None:
        self.error.setText(self.ctx.lang.message(error))
        self.error.show()

    # -- showing ------------------------------------------------------------------------------
    def _render(self) -> None:
        request = self.request
        # Another counter's request: this counter moves it and takes its balance once the
        # centre takes such facts (`writable`), and prints copies of its receipts
        # (`copyable`); its slips, notices and feedback stay there.
        served = request is not None and request["served_at"] is None
        writable = request is not None and request["writable"]
        legal = request_history.TRANSITIONS[request["status"]] if request and writable else ()
        payable = (
            request is not None
            and writable
            and request["status"] not in request_history.CLOSED_STATUSES
            and request["balance"] > 0
        )
        others = []
        if payable:
            others.append(self.pay_button)
        if request is not None and served and request["feedback"] is None:
            others.append(self.feedback_button)
        if request is not None and served:
            others.append(self.slip_button)
        if request is not None and request["copyable"] and request["payments"]:
            # Another counter's receipt prints as a copy marked with that counter.
            others.append(self.reprint_button)
            self._fill_reprint_menu(request["payments"])
        if request is not None and served and (notices := notices_for(request)):
            others.append(self.notice_button)
            self._fill_notice_menu(notices)
        if request is not None:
            self._keep_focus(legal, others)
        self.empty.setVisible(request is None)
        self.scroll_area.setVisible(request is not None)
        self.pay_action.setEnabled(payable)
        for status, button in self.status_buttons.items():
            button.setEnabled(status in legal)
            self.status_actions[status].setEnabled(status in legal)
        self._place_others(others)
        if request is None:
            return
        self.title.setText(request["tracking"])
        self._show_elsewhere(request)
        status = status_html(request["status"])
        if request["overdue"]:
            status += ' <span style="color:#b3261e; font-weight:bold;">{}</span>'.format(
                html.escape(self.tr("Overdue"))
            )
        self.status.setText(status)
        service = request["service"]
        values = {
            "citizen_name": request["citizen_name"],
            "phone": request["phone"] or "—",
            "id_number": request["id_number"] or "—",
            "village": request["village"] or "—",
            "service": breakable(
                f"{service['name_lo']}\n{service['name_en']}"
                if self.ctx.lang.code == "lo"
                else f"{service['name_en']}\n{service['name_lo']}"
            ),
            "created_at": local_time_text(request["created_at"]),
            "promised_date": day_text(request["promised_date"]),
            "fee": self._kip(request["fee"]),
            "paid": self._kip(request["paid"]),
            "balance": self._kip(max(request["balance"], 0)),
        }
        for key, value in values.items():
            self.values[key].setText(value)
        self.record.show_request(request, self.money)

    def _show_elsewhere(self, request: browse.RequestView) -> None:
        counter = request["served_at"]
        self.elsewhere.setVisible(counter is not None)
        if counter is None:
            return
        as_of = request["office_as_of"]
        time = local_time_text(as_of) if as_of else "—"
        if request["writable"]:
            text = self.tr(
                "Taken at counter {counter}: its status and payments can be done here too. As of"
                " {time}."
            )
        else:
            text = self.tr("Taken at counter {counter}: shown here, served there. As of {time}.")
        self.elsewhere.setText(text.format(counter=counter, time=time))

    def _kip(self, amount: int) -> str:
        return kip(self.ctx.lang.code, amount, self.money)

    def _keep_focus(self, legal: tuple[str, ...], others: list[QPushButton]) -> None:
        """The keyboard is on a button about to be disabled or hidden (its status was just
        set): Qt would pass it to the next button, where a second Space acts again. It rests
        on the status line instead. The window's focus widget is the one asked, as a dialog
        (the reason, the hand-over question) may have the keyboard for now."""
        focus = self.window().focusWidget()
        going = [b for s, b in self.status_buttons.items() if s not in legal]
        going += [b for b in self.other_buttons if b not in others]
        if any(focus is button for button in going):
            self.status.setFocus(Qt.FocusReason.OtherFocusReason)

    def _fill_reprint_menu(self, paid: list[service_requests.RequestPayment]) -> None:
        self.reprint_menu.clear()
        for payment in paid:
            action = self.reprint_menu.addAction(payment["receipt"])
            action.triggered.connect(lambda _=False, r=payment["receipt"]: self.reprint(r))
        menu = self.reprint_menu if len(paid) > 1 else None
        # None takes the menu off (Qt accepts a null menu); PySide6's stub allows only a QMenu.
        self.reprint_button.setMenu(menu)  # type: ignore[arg-type]

    def _fill_notice_menu(self, kinds: list[str]) -> None:
        self.notice_menu.clear()
        for kind in kinds:
            action = self.notice_menu.addAction(self.tr(NOTICE_LABELS[kind]))
            action.triggered.connect(lambda _=False, k=kind: self.print_notice(k))
        several = len(kinds) > 1
        label = self.tr("Print notice") if several else self.tr(NOTICE_LABELS[kinds[0]])
        self.notice_button.setText(label)
        # None takes the menu off, as for the receipts.
        self.notice_button.setMenu(self.notice_menu if several else None)  # type: ignore[arg-type]

    def _place_others(self, shown: list[QPushButton]) -> None:
        """The status buttons keep their places; the other actions that apply follow them,
        three to a row."""
        for button in self.other_buttons:
            self.actions_grid.removeWidget(button)
            if button not in shown:
                button.hide()
        for n, button in enumerate(shown):
            row, column = divmod(n, STATUS_COLUMNS)
            self.actions_grid.addWidget(button, FIRST_OTHER_ROW + row, column)
            button.show()

    def retranslate(self) -> None:
        self.empty.setText(self.tr("Select a request in the list to see its details."))
        for key, name in FIELDS:
            self.field_names[key].setText(self.tr(name))
        for status, button in self.status_buttons.items():
            action = self.status_actions[status]
            key = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            action.setText(self.tr(ACTION_LABELS[status]))
            button.setText(self.tr("{action} ({key})").format(action=action.text(), key=key))
        self.pay_action.setText(self.tr("Take payment"))
        self.pay_button.setText(self.tr("Take payment (Ctrl+P)"))
        self.feedback_button.setText(self.tr("Record feedback…"))
        self.slip_button.setText(self.tr("Print appointment slip"))
        self.reprint_button.setText(self.tr("Print receipt"))
        self._render()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
