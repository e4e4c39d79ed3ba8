"""The record of one request beside its details: documents, status history, payments, feedback.

Read-only: each section is rich text rebuilt from the request the pane loaded.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from odsc_desk.api import browse
from odsc_desk.shared.clock import local_time_text
from odsc_desk.shared.laotext import breakable
from ui.context import CounterContext
from ui.money_text import kip
from ui.requests_model import Money, status_label

SECTIONS = ("docs", "history", "pay", "feedback")


def section_label() -> QLabel:
    label = QLabel()
    label.setStyleSheet("font-weight: bold; margin-top: 8px;")
    return label


def rich_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class RequestRecord(QWidget):
    def __init__(self, ctx: CounterContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.request: browse.RequestView | None = None
        self.money: Money | None = None
        self.titles = {key: section_label() for key in SECTIONS}
        self.docs, self.history, self.payments, self.feedback = (rich_label() for _ in SECTIONS)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for key, label in zip(
            SECTIONS, (self.docs, self.history, self.payments, self.feedback), strict=True
        ):
            layout.addWidget(self.titles[key])
            layout.addWidget(label)
        self.retranslate()

    def show_request(self, request: browse.RequestView | None, money: Money | None = None) -> None:
        self.request, self.money = request, money
        self._render()

    def _kip(self, amount: int) -> str:
        return kip(self.ctx.lang.code, amount, self.money)

    def _render(self) -> None:
        request = self.request
        if request is None:
            return
        self.docs.setText(self._documents_html(request))
        self.history.setText(self._history_html(request))
        self.payments.setText(self._payments_html(request))
        self.feedback.setText(self._feedback_html(request))

    def _doc_name(self, request: browse.RequestView, code: str) -> str:
        names = request["document_names"].get(code)
        if names is None:
            return code
        return breakable(names["name_lo"] if self.ctx.lang.code == "lo" else names["name_en"])

    def _documents_html(self, request: browse.RequestView) -> str:
        lines = [f"✔ {html.escape(self._doc_name(request, c))}" for c in request["documents"]]
        lines += [
            '<span style="color:#b3261e;">✘ {} ({})</span>'.format(
                html.escape(self._doc_name(request, c)), html.escape(self.tr("missing"))
            )
            for c in request["missing_documents"]
        ]
        return "<br>".join(lines) or html.escape(self.tr("None"))

    def _history_html(self, request: browse.RequestView) -> str:
        lines = []
        for event in request["history"]:
            line = "{} · <b>{}</b> · {}".format(
                local_time_text(event["at"]),
                html.escape(status_label(event["status"])),
                html.escape(event["by"]),
            )
            if event["reason"]:
                line += "<br>&nbsp;&nbsp;" + html.escape(
                    self.tr("Reason: {reason}").format(reason=event["reason"])
                )
            lines.append(line)
        return "<br>".join(lines) or html.escape(self.tr("Received, no change yet"))

    def _payments_html(self, request: browse.RequestView) -> str:
        lines = []
        for payment in request["payments"]:
            method = self.tr("cash") if payment["method"] == "cash" else self.tr("transfer")
            line = html.escape(
                self.tr("{receipt} · {amount} · {method} · {at} · {by}").format(
                    receipt=payment["receipt"],
                    amount=self._kip(payment["amount"]),
                    method=method,
                    at=local_time_text(payment["at"]),
                    by=payment["by"],
                )
            )
            if payment["voided"]:
                line = '<s>{}</s> <b style="color:#b3261e;">{}</b>'.format(
                    line, html.escape(self.tr("VOID"))
                )
            elif payment["refunded"]:
                mark = self.tr("refunded {amount}").format(amount=self._kip(payment["refunded"]))
                line += f' <b style="color:#8a5a00;">{html.escape(mark)}</b>'
            lines.append(line)
        return "<br>".join(lines) or html.escape(self.tr("No payment yet"))

    def _feedback_html(self, request: browse.RequestView) -> str:
        feedback = request["feedback"]
        if feedback is None:
            return html.escape(self.tr("No feedback yet"))
        text = "★" * feedback["rating"] + "☆" * (5 - feedback["rating"])
        if feedback["comment"]:
            text += " " + html.escape(feedback["comment"])
        return text

    def retranslate(self) -> None:
        self.titles["docs"].setText(self.tr("Documents"))
        self.titles["history"].setText(self.tr("Status history"))
        self.titles["pay"].setText(self.tr("Payments"))
        self.titles["feedback"].setText(self.tr("Feedback"))
        self._render()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
