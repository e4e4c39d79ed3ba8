"""Language: Lao first, English on request, switched while the app runs.

Strings in the UI are English in the code, wrapped in `tr()`, and translated to Lao by the
`.qm` files built from `ui/translations/*_lo.ts`. Core messages come in both languages already;
`message()` picks the current one.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTranslator, Signal

from odsc_desk.shared.errors import OdscError

TRANSLATIONS = Path(__file__).with_name("translations")
LANGUAGES = ("lo", "en")


def QT_TRANSLATE_NOOP(context: str, source: str) -> str:
    """Marks `source` for lupdate (which reads this name) under `context`, untranslated.

    Qt's own returns `source` too, but its stubs say `object`; this one says `str`, so the
    marked strings can go straight to `tr()` and `translate()`.
    """
    return source


class Language(QObject):
    changed = Signal(str)

    def __init__(self, folder: Path = TRANSLATIONS) -> None:
        super().__init__()
        self._folder = folder
        self._translators: list[QTranslator] = []
        self.code = "en"

    def set(self, code: str) -> None:
        """Install (Lao) or remove (English) the translators; Qt then sends every widget a
        LanguageChange event, on which it re-reads its strings."""
        if code not in LANGUAGES:
            raise ValueError(code)
        # Qt's install/removeTranslator are static: they act on the running application.
        for translator in self._translators:
            QCoreApplication.removeTranslator(translator)
        self._translators = []
        if code == "lo":
            for qm in sorted(self._folder.glob("*_lo.qm")):
                translator = QTranslator(self)
                if translator.load(str(qm)):
                    QCoreApplication.installTranslator(translator)
                    self._translators.append(translator)
        self.code = code
        # Qt posts LanguageChange events; deliver them now so every widget has switched by the
        # time this returns (no half-translated window, and tests need no event-loop wait).
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LanguageChange)
        self.changed.emit(code)

    def message(self, error: OdscError) -> str:
        return error.message_lo if self.code == "lo" else error.message_en
