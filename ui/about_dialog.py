"""Help → About: the version, where this counter keeps its data, and the licences.

What support staff ask for first on the phone: the version and the data folder. Both are
selectable text, so they can be copied into a message. The licences are those of the program
and of the fonts it ships (the window and every printed document draw Lao with them).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from odsc_desk import __version__
from odsc_desk.api import logs, store_path
from ui.context import CounterContext
from ui.fonts import FONTS
from ui.i18n import QT_TRANSLATE_NOOP
from ui.widgets import FRAME_ALLOWANCE

APP_LICENCE = "GPL-3.0-or-later"
APP_LICENCE_URL = "https://www.gnu.org/licenses/gpl-3.0.html"


@dataclass(frozen=True)
class FontLicence:
    font: str
    spdx: str
    # Translated when shown (context AboutDialog).
    name: str
    file: Path


def font_licences() -> tuple[FontLicence, ...]:
    # ReportLab is loaded here, not with the window: the dialog is rarely opened.
    import reportlab

    return (
        FontLicence(
            "Phetsarath OT",
            "LGPL-2.1-or-later",
            QT_TRANSLATE_NOOP("AboutDialog", "GNU Lesser General Public License 2.1 or later"),
            FONTS / "Phetsarath_OT-LICENSE-LGPL-2.1.txt",
        ),
        FontLicence(
            "Noto Sans Lao",
            "OFL-1.1",
            QT_TRANSLATE_NOOP("AboutDialog", "SIL Open Font License 1.1"),
            FONTS / "NotoSansLao-LICENSE-OFL-1.1.txt",
        ),
        # Full-height digits drawn in place of Phetsarath OT's old-style ones (ui/fonts.py).
        FontLicence(
            "ODSC Digits",
            "OFL-1.1",
            QT_TRANSLATE_NOOP("AboutDialog", "SIL Open Font License 1.1"),
            FONTS / "ODSC-Digits-LICENSE-OFL-1.1.txt",
        ),
        # Latin letters in bold headings on printed documents come from ReportLab's own copy.
        FontLicence(
            "Bitstream Vera",
            "Bitstream-Vera",
            QT_TRANSLATE_NOOP("AboutDialog", "Bitstream Vera Fonts licence"),
            Path(reportlab.__file__).parent / "fonts" / "bitstream-vera-license.txt",
        ),
    )


def _selectable(label: QLabel) -> QLabel:
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setWordWrap(True)
    return label


class LicenceViewer(QDialog):
    """A licence's full text, read-only."""

    def __init__(self, title: str, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setPlainText(path.read_text(encoding="utf-8", errors="replace"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        self.resize(640, 560)


class AboutDialog(QDialog):
    def __init__(self, ctx: CounterContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.purpose = QLabel()
        self.purpose.setWordWrap(True)
        self.version = _selectable(QLabel(__version__))
        self.data_dir = _selectable(QLabel(str(Path(ctx.data_dir).absolute())))
        self.store_file = _selectable(QLabel(str(store_path(Path(ctx.data_dir).absolute()))))
        self.log_dir = _selectable(QLabel(str(logs.log_folder(Path(ctx.data_dir).absolute()))))
        self.labels = {name: QLabel() for name in ("version", "data", "store", "logs")}
        where = QFormLayout()
        where.addRow(self.labels["version"], self.version)
        where.addRow(self.labels["data"], self.data_dir)
        where.addRow(self.labels["store"], self.store_file)
        where.addRow(self.labels["logs"], self.log_dir)

        self.licence_box = QGroupBox()
        self.app_licence = QLabel()
        self.app_licence.setWordWrap(True)
        self.app_licence.setOpenExternalLinks(True)
        box = QVBoxLayout(self.licence_box)
        box.addWidget(self.app_licence)
        self.fonts = font_licences()
        self.font_labels: list[QLabel] = []
        self.font_buttons: list[QPushButton] = []
        for licence in self.fonts:
            row = QHBoxLayout()
            label = QLabel()
            label.setWordWrap(True)
            button = QPushButton()
            # Enter closes the dialog whichever button has the focus; Space opens a licence.
            button.setAutoDefault(False)
            button.clicked.connect(lambda _=False, f=licence: self.show_licence(f))
            row.addWidget(label, 1)
            row.addWidget(button)
            box.addLayout(row)
            self.font_labels.append(label)
            self.font_buttons.append(button)

        self.close_button = QPushButton()
        self.close_button.setDefault(True)
        self.close_button.clicked.connect(self.accept)
        closing = QHBoxLayout()
        closing.addStretch(1)
        closing.addWidget(self.close_button)
        self.column = QVBoxLayout(self)
        for widget in (self.heading, self.purpose):
            self.column.addWidget(widget)
        self.column.addLayout(where)
        self.column.addWidget(self.licence_box)
        self.column.addLayout(closing)
        self.viewer: LicenceViewer | None = None
        self.setMinimumWidth(560)
        self.retranslate()

    def show_licence(self, licence: FontLicence) -> None:
        title = self.tr("Licence of {font}").format(font=licence.font)
        self.viewer = LicenceViewer(title, licence.file, self)
        self.viewer.open()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("About ODSC Desk"))
        self.heading.setText(self.tr("ODSC Desk {version}").format(version=__version__))
        self.purpose.setText(
            self.tr("Counter software for the One-Door-Service Centres of Lao PDR.")
        )
        self.labels["version"].setText(self.tr("Version:"))
        self.labels["data"].setText(self.tr("Data folder:"))
        self.labels["store"].setText(self.tr("Store file:"))
        self.labels["logs"].setText(self.tr("Log files:"))
        self.licence_box.setTitle(self.tr("Licences"))
        self.app_licence.setText(
            self.tr(
                "This program is free software under the GNU General Public License, version 3"
                ' or later ({spdx}): <a href="{url}">{url}</a>'
            ).format(spdx=APP_LICENCE, url=APP_LICENCE_URL)
        )
        for licence, label, button in zip(
            self.fonts, self.font_labels, self.font_buttons, strict=True
        ):
            label.setText(
                self.tr("Font {font}: {licence} ({spdx})").format(
                    font=licence.font, licence=self.tr(licence.name), spdx=licence.spdx
                )
            )
            button.setText(self.tr("Read"))
        self.close_button.setText(self.tr("Close"))

    def fit_height(self) -> None:
        """Tall enough for every wrapped line at its width. Qt sizes a new window by its lines
        unwrapped, at most two thirds of the screen high, which cut the licences in Lao."""
        needed = self.column.totalHeightForWidth(self.width())
        if needed > self.height():
            room = self.screen().availableGeometry()
            self.resize(self.width(), min(needed, room.height() - FRAME_ALLOWANCE))

    def showEvent(self, event: QShowEvent) -> None:
        self.fit_height()
        super().showEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            if self.isVisible():
                self.fit_height()
        super().changeEvent(event)


def show_about(parent: QWidget | None, ctx: CounterContext) -> None:
    AboutDialog(ctx, parent).exec()
