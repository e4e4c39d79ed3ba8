"""Each paper its printer: receipts and slips go to the receipt printer, the A4 daily summary to
the A4 printer (issue 11: the summary went to the receipt printer, one setting serving both).

Printers are Qt's PDF output under the names a PC would list (tests/ui/pdf_printer.py); the
printed files are read back for their paper size. The store, the worker, receipts/ and the
settings are real.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from odsc_desk.domain import settings
from tests.receipts.conftest import MM, reader
from tests.ui.pdf_printer import PdfPrinters
from tests.ui.test_printing import detail_of, paid_request, press_button, set_office, shot
from ui.day_view import DayView
from ui.print_jobs import printer_for
from ui.print_preview import PreviewDialog
from ui.settings_dialog import SettingsDialog

THERMAL, LASER, OTHER = "POS-80 thermal", "Office laser", "Second laser"


def width_mm(printed) -> float:
    [first, *_] = reader(printed).pages
    return float(first.mediabox.width) / MM


def print_summary(ctx, qtbot, printers) -> DayView:
    view = DayView(ctx)
    qtbot.addWidget(view)
    view.printing.printers = printers
    view.show()
    with qtbot.waitSignal(view.printing.handed):
        press_button(qtbot, view.summary_button)
    return view


def print_receipt(ctx, qtbot, tracking, printers) -> None:
    detail = detail_of(ctx, qtbot, tracking, printers)
    with qtbot.waitSignal(detail.printing.handed):
        press_button(qtbot, detail.reprint_button)


def test_the_receipt_goes_to_the_receipt_printer_and_the_summary_to_the_a4_printer(
    ctx, qtbot, counter_ui, tmp_path
):
    set_office(counter_ui, print_after_payment="now", printer=THERMAL, a4_printer=LASER)
    request, _ = paid_request(counter_ui)
    # The laser is the system's default: the receipt still goes to the thermal printer.
    printers = PdfPrinters(tmp_path, (LASER, THERMAL))
    print_receipt(ctx, qtbot, request["tracking"], printers)
    print_summary(ctx, qtbot, printers)
    [(receipt_printer, receipt), (summary_printer, summary)] = printers.jobs
    assert (receipt_printer, summary_printer) == (THERMAL, LASER)
    assert width_mm(receipt) == pytest.approx(80, abs=0.3)
    assert width_mm(summary) == pytest.approx(210, abs=0.5)


def test_without_an_a4_printer_the_summary_goes_to_the_default_not_the_roll(
    ctx, qtbot, counter_ui, tmp_path
):
    set_office(counter_ui, print_after_payment="now", printer=THERMAL)
    paid_request(counter_ui)
    printers = PdfPrinters(tmp_path, (LASER, THERMAL))  # the laser is the default
    view = print_summary(ctx, qtbot, printers)
    assert [name for name, _ in printers.jobs] == [LASER]
    assert LASER in view.printing.status.text()


def test_with_receipts_on_a4_an_unset_a4_printer_is_the_receipt_printer(
    ctx, qtbot, counter_ui, tmp_path
):
    # An office that printed everything on its one A4 printer keeps doing so.
    set_office(counter_ui, print_after_payment="now", printer=OTHER, receipt_paper="a4")
    request, _ = paid_request(counter_ui)
    printers = PdfPrinters(tmp_path, (LASER, OTHER))
    print_receipt(ctx, qtbot, request["tracking"], printers)
    print_summary(ctx, qtbot, printers)
    assert [name for name, _ in printers.jobs] == [OTHER, OTHER]
    assert [width_mm(path) for _, path in printers.jobs] == [
        pytest.approx(210, abs=0.5),
        pytest.approx(210, abs=0.5),
    ]


@pytest.mark.parametrize(
    ("kind", "values", "printer"),
    [
        ("receipt", {"printer": THERMAL, "a4_printer": LASER, "receipt_paper": "80mm"}, THERMAL),
        ("slip", {"printer": THERMAL, "a4_printer": LASER, "receipt_paper": "80mm"}, THERMAL),
        ("summary", {"printer": THERMAL, "a4_printer": LASER, "receipt_paper": "80mm"}, LASER),
        ("notice", {"printer": THERMAL, "a4_printer": LASER, "receipt_paper": "80mm"}, LASER),
        ("notice", {"printer": THERMAL, "a4_printer": "", "receipt_paper": "80mm"}, ""),
        ("summary", {"printer": THERMAL, "a4_printer": "", "receipt_paper": "80mm"}, ""),
        ("summary", {"printer": LASER, "a4_printer": "", "receipt_paper": "a4"}, LASER),
        ("receipt", {"printer": LASER, "a4_printer": OTHER, "receipt_paper": "a4"}, LASER),
    ],
)
def test_each_document_names_the_printer_of_its_paper(kind, values, printer):
    assert printer_for(kind, values) == printer  # type: ignore[arg-type]


def test_the_summary_preview_names_the_a4_printer(ctx, qtbot, counter_ui, tmp_path):
    set_office(counter_ui, printer=THERMAL, a4_printer=LASER)  # "ask": shown first
    paid_request(counter_ui)
    printers = PdfPrinters(tmp_path, (THERMAL, LASER))
    view = DayView(ctx)
    qtbot.addWidget(view)
    view.printing.printers = printers
    view.show()
    press_button(qtbot, view.summary_button)
    preview = view.printing.preview
    assert isinstance(preview, PreviewDialog)
    assert preview.where.text() == f"ເຄື່ອງພິມ: {LASER}"
    with qtbot.waitSignal(view.printing.handed):
        qtbot.keyClick(preview.scroll_area, Qt.Key.Key_Return)
    assert [name for name, _ in printers.jobs] == [LASER]


def test_a_supervisor_chooses_each_papers_printer_by_keyboard(
    supervisor_ctx, counter_ui, qtbot, tmp_path
):
    printers = PdfPrinters(tmp_path, (THERMAL, LASER))
    dialog = SettingsDialog(supervisor_ctx, printers=printers)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.language.hasFocus)
    # Language, then the receipt printer, then the A4 printer.
    qtbot.keyClick(dialog.language, Qt.Key.Key_Tab)
    assert dialog.printer.hasFocus()
    qtbot.keyClick(dialog.printer, Qt.Key.Key_Down)  # the first printer after the default
    qtbot.keyClick(dialog.printer, Qt.Key.Key_Tab)
    assert dialog.a4_printer.hasFocus()
    assert dialog.a4_printer.currentText() == "ເຄື່ອງພິມຫຼັກຂອງລະບົບ"
    for _ in range(2):
        qtbot.keyClick(dialog.a4_printer, Qt.Key.Key_Down)
    assert settings.get(counter_ui.store, "printer") == THERMAL
    assert settings.get(counter_ui.store, "a4_printer") == LASER
    shot(dialog, "settings-two-printers-lo")
    supervisor_ctx.lang.set("en")
    label = dialog.forms[1].labelForField(dialog.a4_printer)
    assert label.text() == "A4 printer (daily summary)"
    shot(dialog, "settings-two-printers-en")
    # Back to empty: with receipts on A4 the empty choice says it follows the receipt printer.
    settings.set_value(counter_ui.store, counter_ui.supervisor, "receipt_paper", "a4")
    dialog.a4_printer.setFocus()
    qtbot.keyClick(dialog.a4_printer, Qt.Key.Key_Home)
    assert settings.get(counter_ui.store, "a4_printer") == ""
    assert dialog.a4_printer.currentText() == "Same as the receipt printer"


def test_a_clerk_sees_both_printers_but_cannot_change_them(ctx, counter_ui, qtbot, tmp_path):
    set_office(counter_ui, printer=THERMAL, a4_printer=LASER)
    dialog = SettingsDialog(ctx, printers=PdfPrinters(tmp_path, (THERMAL, LASER)))
    qtbot.addWidget(dialog)
    dialog.show()
    assert (dialog.printer.currentData(), dialog.a4_printer.currentData()) == (THERMAL, LASER)
    assert not dialog.printer.isEnabled() and not dialog.a4_printer.isEnabled()
