"""Asking for the passphrase of an encrypted backup before the window restores it.

`odsc backup --out` seals a copy meant to leave the PC (a USB stick) with a passphrase; see
`maintenance.backups` for why. This dialog only asks for it: the Backups dialog runs the
restore on the worker with what was typed and answers with `refuse` (a wrong passphrase: the
dialog stays open, the text selected, to type it again) or `finish` (restored, or refused for a
reason that typing again cannot cure, which the Backups dialog then shows).

While the restore runs the dialog cannot be cancelled: the worker cannot stop halfway, and a
dialog that closed would hide that the store is being replaced.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from odsc_desk.shared.errors import OdscError
from odsc_desk.shared.laotext import breakable
from ui.i18n import Language
from ui.widgets import ErrorLabel, dialog_buttons, fit_to_text, no_alt_text


class PassphraseDialog(QDialog):
    """The passphrase of the encrypted backup `name`: Enter restores, Esc cancels."""

    # The passphrase typed, once Enter or Restore is pressed with something in the field.
    submitted = Signal(str)

    def __init__(self, lang: Language, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.busy = False
        self.intro = QLabel(wordWrap=True)
        self.label = QLabel()
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.label.setBuddy(self.passphrase)
        no_alt_text(self.passphrase)
        self.error = ErrorLabel(lang)
        self.status = QLabel(wordWrap=True)
        self.status.hide()
        form = QFormLayout()
        form.addRow(self.label, self.passphrase)
        self.buttons, self.ok, self.cancel = dialog_buttons(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(480)
        self.passphrase.setFocus()
        # The error line re-renders itself on a switch, after `retranslate`: fit again then.
        # A method, not a lambda: Qt drops it with the dialog, and the language outlives both.
        lang.changed.connect(self._refit)
        self.retranslate()

    def accept(self) -> None:
        """Hand the passphrase on; the dialog stays until the restore answers."""
        if self.busy:
            return
        text = self.passphrase.text()
        if not text:
            self.error.show_text(lambda: self.tr("Type the backup's passphrase."))
            fit_to_text(self)
            self.passphrase.setFocus()
            return
        self.error.clear_error()
        self._set_busy(True)
        self.submitted.emit(text)

    def reject(self) -> None:
        if not self.busy:
            self._forget()
            super().reject()

    def refuse(self, error: OdscError) -> None:
        """The restore refused the passphrase: say why; the supervisor types it again."""
        self._set_busy(False)
        self.error.show_error(error)
        fit_to_text(self)
        self.passphrase.selectAll()
        self.passphrase.setFocus()

    def finish(self) -> None:
        """The restore is over (done, or refused for another reason): close."""
        self._set_busy(False)
        self._forget()
        super().accept()

    def _forget(self) -> None:
        # The passphrase opens a copy of every citizen's data: it is not kept in a closed dialog.
        self.passphrase.clear()

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        for widget in (self.passphrase, self.ok, self.cancel):
            widget.setEnabled(not busy)
        self.status.setVisible(busy)
        fit_to_text(self)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Encrypted backup"))
        self.intro.setText(
            breakable(
                self.tr(
                    "The backup {name} is encrypted. Type the passphrase it was made with"
                    " to restore it."
                ).format(name=self.name)
            )
        )
        self.label.setText(self.tr("&Passphrase"))
        self.status.setText(breakable(self.tr("Opening the backup and restoring…")))
        self.ok.setText(self.tr("Restore"))
        self.cancel.setText(self.tr("Cancel"))
        fit_to_text(self)

    def _refit(self, _code: str) -> None:
        fit_to_text(self)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        fit_to_text(self)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
