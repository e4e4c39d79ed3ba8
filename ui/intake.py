"""The new-request form: pick a service, type the citizen's details, tick the documents, save.

Saving is idempotent: the form carries one request id until a save succeeds, so a double
click, a held-down key or a retry after a store error records one request. Nothing typed is
lost on an error; the core's message is shown next to the field it names. After a payment the
receipt is printed as the office's printing setting says; the appointment slip of the request
just saved prints on demand (Ctrl+Shift+P).

What is said after a save (the tracking number, the change, the receipt's print) is about that
citizen: it goes as soon as the clerk starts on the next one. It sits below the fields, so its
coming and going never moves what the clerk types into. Ctrl+N and Esc start afresh, asking
first when something typed for the citizen would be lost; Esc on an empty form goes back to the
service search.

A request saved with documents missing is not left "received" as if complete. The first save
says, in the form, how many are missing; a second Ctrl+S (or Ctrl+Enter) saves it as
incomplete, with the missing documents as the reason the citizen is told, and Esc goes back to
the first unticked document. Incomplete is the status the catalog's flow has for this
("received → documents incomplete → in process"): the list marks it, the missing-documents
notice accepts it, and "in process" follows once the documents come. After such a save the
form offers that notice (A4, on Ctrl+Shift+P, where the appointment slip is offered after a
complete one): it tells the citizen what to bring. Alt+A ticks them all.

Below the documents the clerk ticks (Alt+M), only when the citizen says yes, that the centre
may send a message to their phone when the request is ready or returned for documents, and
picks its language (Lao unless the citizen asks for English). Off for every new citizen.
"""

from __future__ import annotations

import itertools
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from odsc_desk.api import Store, catalog, service_requests
from odsc_desk.shared.catalog_file import CatalogDocument
from odsc_desk.shared.errors import OdscError
from odsc_desk.shared.ids import new_id
from odsc_desk.shared.text import REASON_MAX
from ui.context import CounterContext
from ui.money_text import kip
from ui.payment_dialog import PaymentDialog
from ui.printing import DocumentPrinter
from ui.requests_model import Money, money_of
from ui.service_picker import DocumentChecklist, ServicePicker, ServiceSummary
from ui.widgets import BANNER_STYLE, NOTICE_STYLE, error_label, no_alt_text, translate_buttons

FIELDS = ("citizen_name", "phone", "id_number", "village")
WARNING_STYLE = "background: #fff1cc; color: #5c3a00; padding: 6px; border-radius: 4px;"
# The bar's colour for the bar and its words only: its buttons keep their own look.
MISSING_BAR_STYLE = (
    "QFrame#missingDocuments { background: #fff1cc; border-radius: 4px; }"
    " QFrame#missingDocuments > QLabel { color: #5c3a00; }"
)


def missing_reason(documents: list[CatalogDocument]) -> str:
    """The reason recorded with "incomplete": what is missing, in both languages, as the
    citizen reads it on the notice."""
    lao = ", ".join(document["name_lo"] for document in documents)
    english = ", ".join(document["name_en"] for document in documents)
    text = f"ເອກະສານທີ່ຍັງຂາດ: {lao} / Documents missing: {english}"
    return text if len(text) <= REASON_MAX else text[: REASON_MAX - 1] + "…"


def record(
    store: Store,
    ctx: CounterContext,
    request_id: str,
    values: dict[str, Any],
    missing: list[CatalogDocument],
) -> service_requests.RequestDetail:
    """Records the request and, with documents missing, marks it incomplete.

    Two writes: the core takes no status at intake. A retry (same request id) finds the
    request recorded and marks it then, so a failure between the two is mended by saving again.
    """
    request = service_requests.record_request(store, ctx.actor, request_id=request_id, **values)
    if missing and request["status"] == "received":
        request = service_requests.change_status(
            store, ctx.actor, request["tracking"], "incomplete", missing_reason(missing)
        )
    return request


class IntakeForm(QWidget):
    saved = Signal(str)  # the tracking number

    def __init__(self, ctx: CounterContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.request_id = new_id()
        self.saving = False
        self.errors: dict[str, OdscError] = {}  # field (or "banner") -> the core's refusal
        self.notice_parts: dict[str, Any] | None = None
        self.payment_dialog: PaymentDialog | None = None
        self.discard_question: QMessageBox | None = None
        # The save that found documents missing, waiting for the clerk's second press.
        self.missing_asked: dict[str, Any] | None = None
        self.money: Money | None = None

        self.banner = QLabel(wordWrap=True)
        self.banner.setStyleSheet(BANNER_STYLE)
        self.banner.hide()
        self.notice = QLabel(wordWrap=True)
        self.notice.setStyleSheet(NOTICE_STYLE)
        self.notice.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.notice.font()
        font.setPointSize(font.pointSize() + 2)
        font.setBold(True)
        self.notice.setFont(font)  # the tracking number is read out to the citizen
        self.notice.hide()
        self.printing = DocumentPrinter(ctx, self)
        self.slip_button = QPushButton(autoDefault=True)
        self.slip_button.clicked.connect(self.print_slip)
        self.slip_button.hide()
        self.missing_bar = QFrame()
        self.missing_bar.setObjectName("missingDocuments")
        self.missing_bar.setStyleSheet(MISSING_BAR_STYLE)
        self.missing_text = QLabel(wordWrap=True)
        self.incomplete_button = QPushButton(autoDefault=True)
        self.incomplete_button.clicked.connect(self._save_incomplete)
        self.back_button = QPushButton(autoDefault=True)
        self.back_button.clicked.connect(self.back_to_documents)
        bar = QHBoxLayout(self.missing_bar)
        bar.addWidget(self.missing_text, 1)
        bar.addWidget(self.incomplete_button)
        bar.addWidget(self.back_button)
        self.missing_bar.hide()
        self.picker = ServicePicker(ctx)
        self.picker.chosen.connect(self._on_service)
        self.picker.edited.connect(self._next_citizen)
        self.summary = ServiceSummary(ctx)
        self.documents = DocumentChecklist(ctx)
        self.documents.edited.connect(self._next_citizen)
        self.documents.edited.connect(self._forget_missing)
        self.service_label = QLabel()
        self.service_label.setBuddy(self.picker.search)

        self.edits: dict[str, QLineEdit] = {}
        self.error_labels: dict[str, QLabel] = {}
        self.field_labels: dict[str, QLabel] = {}
        details = QFormLayout()
        for field in FIELDS:
            edit, error = QLineEdit(), error_label()
            no_alt_text(edit)
            # Enter moves on to the next field, as on a paper form; Ctrl+S saves.
            edit.returnPressed.connect(self.focusNextChild)
            # textEdited, not textChanged: only what the clerk types, never the form's clearing.
            edit.textEdited.connect(lambda _text, f=field: self._field_edited(f))
            cell = QVBoxLayout()
            cell.setSpacing(2)
            cell.addWidget(edit)
            cell.addWidget(error)
            self.edits[field], self.error_labels[field] = edit, error
            self.field_labels[field] = QLabel()
            self.field_labels[field].setBuddy(edit)
            details.addRow(self.field_labels[field], cell)

        self.sms_consent = QCheckBox()
        self.sms_lang = QComboBox()
        self.sms_lang.addItem("", "lo")
        self.sms_lang.addItem("", "en")
        self.sms_lang.setEnabled(False)
        self.sms_consent.toggled.connect(self.sms_lang.setEnabled)
        self.sms_consent.toggled.connect(self._next_citizen)
        self.sms_error = error_label()
        consent_row = QHBoxLayout()
        consent_row.addWidget(self.sms_consent, 1)
        consent_row.addWidget(self.sms_lang)

        self.save_button = QPushButton(autoDefault=True)
        self.pay_button = QPushButton(autoDefault=True)
        self.save_button.clicked.connect(lambda: self.save(take_payment=False))
        self.pay_button.clicked.connect(lambda: self.save(take_payment=True))
        self.shortcuts = [
            self._shortcut("Ctrl+S", False),
            self._shortcut("Ctrl+Return", True),
            self._shortcut("Ctrl+Enter", True),
        ]
        slip_key = QShortcut(QKeySequence("Ctrl+Shift+P"), self)
        slip_key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        slip_key.activated.connect(self.print_slip)
        all_key = QShortcut(QKeySequence("Alt+A"), self)
        all_key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        all_key.activated.connect(self.documents.tick_all)
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        escape.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        escape.activated.connect(self.escape)
        buttons = QHBoxLayout()
        buttons.addWidget(self.slip_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.pay_button)

        left = QVBoxLayout()
        left.addWidget(self.service_label)
        left.addWidget(self.picker, 1)
        right = QVBoxLayout()
        right.addWidget(self.summary)
        right.addLayout(details)
        right.addWidget(self.documents)
        right.addLayout(consent_row)
        right.addWidget(self.sms_error)
        right.addStretch(1)
        body = QHBoxLayout()
        body.addLayout(left, 1)
        body.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        # Below the fields, full width: when these come and go (a save, a print, a refusal) the
        # service list and the space under the documents give way; nothing above them moves.
        layout.addWidget(self.banner)
        layout.addWidget(self.missing_bar)
        layout.addWidget(self.notice)
        layout.addWidget(self.printing.status)
        layout.addLayout(buttons)

        self.setFocusProxy(self.picker)
        self._fix_tab_order()
        ctx.lang.changed.connect(self.retranslate)
        self.retranslate()
        self.picker.load()
        self._load_money()

    def _shortcut(self, keys: str, take_payment: bool) -> QShortcut:
        shortcut = QShortcut(QKeySequence(keys), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.setAutoRepeat(False)  # a held-down key is one press
        shortcut.activated.connect(lambda: self.save(take_payment=take_payment))
        return shortcut

    def _fix_tab_order(self) -> None:
        chain = [
            self.picker.search,
            *self.edits.values(),
            *self.documents.boxes(),
            self.sms_consent,
            self.sms_lang,
            self.save_button,
            self.pay_button,
            self.slip_button,
        ]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    # -- choosing a service ---------------------------------------------------------------------
    def _on_service(self, service: catalog.Service) -> None:
        self._next_citizen()  # chosen with the mouse: no key reached the search
        self._forget_missing()
        code, days = service["code"], service["days"]
        self.summary.show_service(service)
        self.documents.show_documents(service["documents"])
        self._fix_tab_order()
        self.ctx.worker.run(
            lambda store: service_requests.promised_date(store, days),
            lambda day: self.summary.show_promised(code, day),
            self._show_banner,
        )
        self.edits["citizen_name"].setFocus()

    # -- saving -------------------------------------------------------------------------------
    def values(self) -> dict[str, Any]:
        return {
            "service_code": self.picker.current["code"] if self.picker.current else "",
            **{field: edit.text() for field, edit in self.edits.items()},
            "documents": self.documents.received(),
            "sms_lang": self.sms_lang.currentData() if self.sms_consent.isChecked() else None,
        }

    def save(self, take_payment: bool = False) -> None:
        if self.saving:
            return  # the first press is still being recorded
        self._clear_errors()
        self.notice_parts = None
        self._render_notice()
        self.printing.status.clear_outcome()
        if self.picker.current is None:
            self.picker.require_choice()
            self.picker.setFocus()
            return
        missing = self.documents.missing()
        if missing and self.missing_asked is None:
            self._ask_missing(missing, take_payment)
            return
        if self.missing_asked is not None:
            # Answered: kept through a refusal, so fixing a field does not ask again.
            self.missing_asked["confirmed"] = True
            self._render_missing()
        self._set_saving(True)
        values, request_id, ctx = self.values(), self.request_id, self.ctx
        self.ctx.worker.run(
            lambda store: record(store, ctx, request_id, values, missing),
            lambda request: self._saved(request, request_id, take_payment),
            self._failed,
            writes=True,
        )

    # -- documents missing ----------------------------------------------------------------------
    def _ask_missing(self, missing: list[CatalogDocument], take_payment: bool) -> None:
        """Said in the form, not in a dialog: the clerk answers with the next key."""
        self.missing_asked = {
            "missing": len(missing),
            "total": len(self.documents.ticks),
            "take_payment": take_payment,
            "confirmed": False,
        }
        self._render_missing()

    def _save_incomplete(self) -> None:
        if self._missing_shown() and self.missing_asked is not None:
            self.save(take_payment=self.missing_asked["take_payment"])

    def back_to_documents(self) -> None:
        """Esc after the warning: back to the first document not ticked."""
        self._forget_missing()
        box = self.documents.first_missing()
        if box is not None:
            box.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _missing_shown(self) -> bool:
        """The warning is up, waiting for the clerk's answer."""
        return self.missing_asked is not None and not self.missing_asked["confirmed"]

    def _forget_missing(self) -> None:
        """What was said about the missing documents no longer holds (a box was ticked,
        another service chosen, the form cleared): the next save counts again."""
        if self.missing_asked is not None:
            self.missing_asked = None
            self._render_missing()

    def _render_missing(self) -> None:
        asked = self.missing_asked
        self.missing_bar.setVisible(self._missing_shown())
        if asked is None:
            return
        self.missing_text.setText(
            self.tr(
                "Documents missing: %n of {total}. Save the request as incomplete, or go back"
                " and tick what the citizen handed in (Alt+A: all).",
                "",
                asked["missing"],
            ).format(total=asked["total"])
        )
        if asked["take_payment"]:
            self.incomplete_button.setText(
                self.tr("Save as incomplete and take payment (Ctrl+Enter)")
            )
        else:
            self.incomplete_button.setText(self.tr("Save as incomplete (Ctrl+S)"))
        self.back_button.setText(self.tr("Go back (Esc)"))

    def _set_saving(self, saving: bool) -> None:
        self.saving = saving
        widgets: list[QPushButton | QShortcut] = [
            self.save_button,
            self.pay_button,
            *self.shortcuts,
        ]
        for widget in widgets:
            widget.setEnabled(not saving)

    def _saved(
        self, request: service_requests.RequestDetail, request_id: str, take_payment: bool
    ) -> None:
        self._set_saving(False)
        self.notice_parts = {"tracking": request["tracking"]}
        if request["status"] == "incomplete":
            self.notice_parts["missing"] = len(request["missing_documents"])
        self._render_notice()
        # The form may have been started afresh (Ctrl+N) while this save was in flight.
        if request_id == self.request_id:
            self.request_id = new_id()
            self._clear_form()
            self.picker.setFocus()
        self.saved.emit(request["tracking"])
        if take_payment and request["balance"] > 0:
            self._take_payment(request)

    def _failed(self, error: OdscError) -> None:
        self._set_saving(False)
        if error.field in self.edits:
            self.errors[error.field] = error
            self.edits[error.field].setFocus()
        elif error.field == "service":
            self.picker.show_error(error)
            self.picker.setFocus()
        elif error.field == "documents":
            self.documents.show_error(error)
        elif error.field == "sms_lang":
            self.errors["sms_lang"] = error
            self.sms_consent.setFocus()
        else:
            self.errors["banner"] = error
        self._render_errors()

    def _show_banner(self, error: OdscError) -> None:
        self.errors["banner"] = error
        self._render_errors()

    # -- payment --------------------------------------------------------------------------------
    def _take_payment(self, request: service_requests.RequestDetail) -> None:
        dialog = PaymentDialog(self.ctx, request, self)
        self.payment_dialog = dialog
        dialog.finished.connect(lambda _result: self._payment_done(dialog))
        dialog.open()

    def _payment_done(self, dialog: PaymentDialog) -> None:
        if dialog.payment is not None and self.notice_parts is not None:
            self.notice_parts.update(receipt=dialog.payment["receipt"], change=dialog.change_due())
            self._render_notice()
        self.payment_dialog = None
        dialog.deleteLater()
        # The keyboard goes back to the counter window, on the search for the next citizen.
        self.activateWindow()
        self.picker.setFocus()
        if dialog.payment is not None:
            self.printing.receipt(dialog.payment["receipt"])

    def print_slip(self) -> None:
        """The appointment slip of the request saved last; for one saved with documents
        missing, the missing-documents notice (A4) that tells the citizen what to bring."""
        if self.notice_parts is not None and "missing" in self.notice_parts:
            self.printing.notice(self.notice_parts["tracking"], "missing-documents")
        elif self.notice_parts is not None:
            self.printing.slip(self.notice_parts["tracking"])

    # -- the next citizen -----------------------------------------------------------------------
    def _next_citizen(self) -> None:
        """The clerk has started on the next citizen: what was said about the last one goes."""
        if self.notice_parts is not None:
            self.notice_parts = None
            self._render_notice()
        self.printing.status.clear_outcome()

    def _field_edited(self, field: str) -> None:
        self._next_citizen()
        if self.errors.pop(field, None) is not None:  # the clerk is answering it
            self._render_errors()

    def has_typed(self) -> bool:
        """Something typed, chosen or ticked for this citizen and not saved (a search alone is
        not: it is quickly typed again)."""
        return (
            self.picker.current is not None
            or any(edit.text() for edit in self.edits.values())
            or bool(self.documents.received())
            or self.sms_consent.isChecked()
        )

    def is_empty(self) -> bool:
        return not self.picker.search.text() and not self.has_typed()

    def new_citizen(self) -> None:
        """Ctrl+N: a fresh form, after asking when what was typed would be lost."""
        if self.discard_question is not None:
            return  # already asking
        # While a save is in flight what was typed is being recorded: nothing is lost.
        if self.saving or not self.has_typed():
            self.start_new()
            return
        question = QMessageBox(self)
        question.setIcon(QMessageBox.Icon.Question)
        question.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        question.setDefaultButton(QMessageBox.StandardButton.No)  # Enter keeps what was typed
        question.setEscapeButton(QMessageBox.StandardButton.No)
        question.finished.connect(lambda _result: self._answered(question))
        self.discard_question = question
        # No mnemonics: a clerk who pressed Esc by mistake and typed on ("Y…") loses nothing.
        translate_buttons(question, mnemonics=False)
        self._word_question()
        question.open()

    def _answered(self, question: QMessageBox) -> None:
        self.discard_question = None
        question.deleteLater()
        if question.clickedButton() is question.button(QMessageBox.StandardButton.Yes):
            self.start_new()
        # The keyboard comes back to the counter window, where it was (or on the search).
        self.activateWindow()

    def _word_question(self) -> None:
        question = self.discard_question
        if question is None:
            return
        question.setWindowTitle(self.tr("New request"))
        question.setText(self.tr("Discard what was typed for this citizen?"))

    def escape(self) -> None:
        """Esc: after the missing-documents warning, back to the documents; on an empty form,
        back to the service search; else as Ctrl+N."""
        if self._missing_shown():
            self.back_to_documents()
        elif self.is_empty():
            self.picker.setFocus()
        else:
            self.new_citizen()

    # -- clearing -------------------------------------------------------------------------------
    def start_new(self) -> None:
        """A fresh form for the next citizen, the service search focused."""
        # A new citizen is a new request: an abandoned failed save must not be replayed for them.
        if not self.saving:
            self.request_id = new_id()
        self.notice_parts = None
        self._render_notice()
        self.printing.status.clear_outcome()
        self._clear_form()
        self.picker.load()
        self._load_money()
        self.picker.setFocus()

    def _load_money(self) -> None:
        self.ctx.worker.run(money_of, self._money_loaded, self._show_banner)

    def _money_loaded(self, money: Money) -> None:
        self.money = self.summary.money = money
        self.summary.retranslate()
        self._render_notice()

    def _clear_form(self) -> None:
        self._forget_missing()
        self.picker.clear()
        self.summary.show_service(None)
        self.documents.show_documents([])
        self._fix_tab_order()
        for edit in self.edits.values():
            edit.clear()
        # Consent is the next citizen's own to give: never carried over.
        self.sms_consent.setChecked(False)
        self.sms_lang.setCurrentIndex(0)
        self._clear_errors()

    def _clear_errors(self) -> None:
        self.errors = {}
        self.picker.show_error(None)
        self.documents.show_error(None)
        self._render_errors()

    # -- text -----------------------------------------------------------------------------------
    def _render_errors(self) -> None:
        for field, label in self.error_labels.items():
            error = self.errors.get(field)
            label.setText(self.ctx.lang.message(error) if error else "")
            label.setVisible(error is not None)
        sms = self.errors.get("sms_lang")
        self.sms_error.setText(self.ctx.lang.message(sms) if sms else "")
        self.sms_error.setVisible(sms is not None)
        banner = self.errors.get("banner")
        self.banner.setText(self.ctx.lang.message(banner) if banner else "")
        self.banner.setVisible(banner is not None)

    def _render_notice(self) -> None:
        parts = self.notice_parts
        text = ""
        if parts is not None and "missing" in parts:
            text = self.tr(
                "Saved as incomplete, documents missing: %n. Tracking number: {tracking}",
                "",
                parts["missing"],
            ).format(tracking=parts["tracking"])
        elif parts is not None:
            text = self.tr("Saved. Tracking number: {tracking}").format(tracking=parts["tracking"])
        if parts is not None and "receipt" in parts:
            text += " · " + self.tr("Paid, receipt {receipt}").format(receipt=parts["receipt"])
            if parts["change"] is not None:
                change = kip(self.ctx.lang.code, parts["change"], self.money)
                text += " · " + self.tr("Change {change}").format(change=change)
        incomplete = parts is not None and "missing" in parts
        self.notice.setStyleSheet(WARNING_STYLE if incomplete else NOTICE_STYLE)
        self.notice.setText(text)
        self.notice.setVisible(bool(text))
        self.slip_button.setVisible(bool(text))
        if incomplete:
            self.slip_button.setText(self.tr("Print the missing-documents notice (Ctrl+Shift+P)"))
        else:
            self.slip_button.setText(self.tr("Print appointment slip (Ctrl+Shift+P)"))

    def retranslate(self) -> None:
        self.service_label.setText(self.tr("&Service"))
        self.field_labels["citizen_name"].setText(self.tr("&Name"))
        self.field_labels["phone"].setText(self.tr("&Phone"))
        self.field_labels["id_number"].setText(self.tr("&ID number"))
        self.field_labels["village"].setText(self.tr("&Village"))
        self.save_button.setText(self.tr("Save (Ctrl+S)"))
        self.pay_button.setText(self.tr("Save and take payment (Ctrl+Enter)"))
        self.sms_consent.setText(self.tr("Text &message to this phone (citizen agreed)"))
        self.sms_consent.setToolTip(
            self.tr(
                "The centre sends one message when the request is ready, one each time"
                " documents are missing, and one when a late request is given a new date."
                " Tick only when the citizen says yes."
            )
        )
        self.sms_lang.setItemText(0, self.tr("in Lao"))
        self.sms_lang.setItemText(1, self.tr("in English"))
        self.sms_lang.setAccessibleName(self.tr("Language of the messages"))
        self._word_question()
        self._render_errors()
        self._render_missing()
        self._render_notice()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
