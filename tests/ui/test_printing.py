"""Printing from the window: receipts after a payment, copies, slips, the daily summary, settings.

The physical printer is the one thing replaced: no printer can be attached to a test machine,
so jobs go to a QPrinter in Qt's PdfFormat writing a file (tests/ui/pdf_printer.py). That is
the same QPrinter, page layout and QPainter path a real printer gets; the printed file is read
back (pypdf: pages and their size), rendered with poppler's pdftoppm, looked at (PNGs under
/tmp/odsc-shots/) and its QR code decoded. Everything else is real: the store, the worker,
receipts/ making the PDF, PDFium rendering its pages, the settings. Each test chooses its
printers (tests/ui/conftest.py gives every window none unless a test hands it some), so the
machine's own printers never change an outcome.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QCoreApplication, Qt

from odsc_desk.domain import payments, service_requests, settings
from odsc_desk.shared import receipt_code
from receipts import receipt
from tests.conftest import Counter
from tests.receipts.conftest import MM, png_pages, qr_codes, reader, text_of
from tests.ui.conftest import NoPrinters
from tests.ui.keys import type_text
from tests.ui.pdf_printer import PdfPrinters
from tests.ui.test_intake import focused, open_form, pick_service, press
from ui.context import CounterContext
from ui.day_view import DayView
from ui.print_preview import PreviewDialog
from ui.printing import DOCUMENTS, SystemPrinters
from ui.request_detail import RequestDetail
from ui.settings_dialog import SettingsDialog

SHOTS = Path("/tmp/odsc-shots")
CTRL = Qt.KeyboardModifier.ControlModifier


def set_office(counter: Counter, **values: str) -> None:
    for key, value in values.items():
        settings.set_value(counter.store, counter.supervisor, key, value)


def paid_request(counter: Counter) -> tuple[dict, dict]:
    request = service_requests.record_request(
        counter.store,
        counter.clerk,
        service_code="MOIC-ENT-REG",
        citizen_name="ສົມສັກ ພົມມະຈັນ",
        phone="02055551234",
    )
    return request, payments.record_payment(counter.store, counter.clerk, request["tracking"])


def prints(counter: Counter, receipt: str) -> list[dict]:
    return counter.store.all(
        "SELECT r.seq, r.copy, r.format FROM receipt_prints r"
        " JOIN payments p ON p.id = r.payment_id WHERE p.receipt = ? ORDER BY r.seq",
        (receipt,),
    )


def look(printed: Path, name: str) -> Path:
    """The printed file as poppler renders it, kept under /tmp/odsc-shots/ to be looked at."""
    [first, *_] = png_pages(printed)
    SHOTS.mkdir(exist_ok=True)
    return Path(shutil.copyfile(first, SHOTS / f"{name}.png"))


def ink(png: Path) -> float:
    """The share of dark pixels: a blank or washed-out print is near 0."""
    grey = Image.open(png).convert("L")
    return sum(grey.histogram()[:128]) / (grey.width * grey.height)


def pay_at_intake(ctx: CounterContext, qtbot, printers: PdfPrinters | SystemPrinters):
    """Save and take payment by keyboard; returns the form, the print job waiting to finish."""
    form = open_form(ctx, qtbot)
    form.printing.printers = printers
    pick_service(qtbot, form, "ເກີດ")
    type_text("ນາງ ນ້ອຍ ສີສະຫວາດ")
    press(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)  # every document handed in
    press(qtbot, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: focused() is getattr(form.payment_dialog, "tendered", None))
    type_text("10,000")
    return form


def detail_of(ctx: CounterContext, qtbot, tracking: str, printers) -> RequestDetail:
    detail = RequestDetail(ctx)
    qtbot.addWidget(detail)
    detail.printing.printers = printers
    detail.resize(900, 600)
    detail.show()
    detail.show_request(tracking)
    return detail


def press_button(qtbot, button) -> None:
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Space)


# -- the receipt after a payment ------------------------------------------------------------
def test_after_a_payment_the_receipt_prints_at_once_on_the_80mm_roll(
    ctx, qtbot, counter_ui, tmp_path
):
    set_office(counter_ui, print_after_payment="now")
    printers = PdfPrinters(tmp_path)
    form = pay_at_intake(ctx, qtbot, printers)
    with qtbot.waitSignal(form.printing.handed):
        press(qtbot, Qt.Key.Key_Return)

    [payment] = counter_ui.store.all("SELECT receipt, amount, at FROM payments")
    assert prints(counter_ui, payment["receipt"]) == [{"seq": 1, "copy": 0, "format": "80mm"}]
    [(printer, printed)] = printers.jobs
    assert printer == "Counter printer"
    saved = ctx.data_dir / DOCUMENTS / f"{payment['receipt']}.pdf"
    [page] = reader(printed).pages
    [source] = reader(saved).pages
    # The roll's width and the receipt's own length, to a device pixel.
    assert float(page.mediabox.width) / MM == pytest.approx(80, abs=0.3)
    assert float(page.mediabox.height) == pytest.approx(float(source.mediabox.height), abs=1)
    assert ink(look(printed, "printed-receipt-80mm")) > 0.02
    # What reached the printer carries the receipt's signed code, readable from the paper.
    [code] = qr_codes(printed)
    assert receipt_code.parse(code)[0].receipt == payment["receipt"]
    assert form.printing.status.text().startswith(f"ໃບຮັບເງິນ {payment['receipt']}")
    qtbot.waitUntil(lambda: focused() is form.picker.search)  # ready for the next citizen


def test_asked_first_the_receipt_is_shown_then_printed_with_enter(ctx, qtbot, counter_ui, tmp_path):
    assert settings.get(counter_ui.store, "print_after_payment") == "ask"  # the default
    printers = PdfPrinters(tmp_path)
    form = pay_at_intake(ctx, qtbot, printers)
    press(qtbot, Qt.Key.Key_Return)
    preview = form.printing.preview
    assert isinstance(preview, PreviewDialog)
    # The preview has the keyboard: arrows scroll it, Enter prints.
    qtbot.waitUntil(lambda: focused() is preview.scroll_area)
    assert len(preview.pages) == 1 and not preview.pages[0].pixmap().isNull()
    assert printers.jobs == []
    shot(preview, "print-preview-lo")
    ctx.lang.set("en")
    assert preview.print_button.text() == "Print (Enter)"
    shot(preview, "print-preview-en")
    with qtbot.waitSignal(form.printing.handed):
        press(qtbot, Qt.Key.Key_Return)
    [(_, printed)] = printers.jobs
    assert len(reader(printed).pages) == 1
    [payment] = counter_ui.store.all("SELECT receipt FROM payments")
    assert len(prints(counter_ui, payment["receipt"])) == 1
    assert form.printing.status.text() == (
        f"Receipt {payment['receipt']} was sent to the printer Counter printer."
    )


def test_declining_the_preview_prints_and_records_nothing(ctx, qtbot, counter_ui, tmp_path):
    printers = PdfPrinters(tmp_path)
    form = pay_at_intake(ctx, qtbot, printers)
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: focused() is getattr(form.printing.preview, "scroll_area", None))
    with qtbot.waitSignal(form.printing.done):
        press(qtbot, Qt.Key.Key_Escape)
    assert printers.jobs == []
    [payment] = counter_ui.store.all("SELECT receipt FROM payments")
    # Nothing reached the citizen: no print recorded, no file that looks like a receipt.
    assert prints(counter_ui, payment["receipt"]) == []
    assert not (ctx.data_dir / DOCUMENTS / f"{payment['receipt']}.pdf").exists()
    assert "ບໍ່ໄດ້ພິມ" in form.printing.status.text()


@pytest.mark.parametrize("answer", [Qt.Key.Key_Return, Qt.Key.Key_Escape])
def test_once_the_preview_is_closed_the_form_is_ready_for_the_next_citizen(
    ctx, qtbot, counter_ui, tmp_path, answer
):
    form = pay_at_intake(ctx, qtbot, PdfPrinters(tmp_path))
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: focused() is getattr(form.printing.preview, "scroll_area", None))
    with qtbot.waitSignal(form.printing.done):
        press(qtbot, answer)
    qtbot.waitUntil(lambda: focused() is form.picker.search)


def test_a_receipt_whose_preview_was_cancelled_still_prints_as_the_original(
    ctx, qtbot, counter_ui, tmp_path
):
    request, payment = paid_request(counter_ui)
    printers = PdfPrinters(tmp_path)
    detail = detail_of(ctx, qtbot, request["tracking"], printers)
    for _ in range(3):  # the clerk looks at it three times and sends it nowhere
        press_button(qtbot, detail.reprint_button)
        qtbot.waitUntil(lambda: focused() is getattr(detail.printing.preview, "scroll_area", None))
        with qtbot.waitSignal(detail.printing.done):
            press(qtbot, Qt.Key.Key_Escape)
    assert prints(counter_ui, payment["receipt"]) == []
    press_button(qtbot, detail.reprint_button)
    qtbot.waitUntil(lambda: focused() is getattr(detail.printing.preview, "scroll_area", None))
    with qtbot.waitSignal(detail.printing.handed) as handed:
        press(qtbot, Qt.Key.Key_Return)
    assert prints(counter_ui, payment["receipt"]) == [{"seq": 1, "copy": 0, "format": "80mm"}]
    assert len(printers.jobs) == 1
    # What was printed, as kept under documents/ (the paper itself is a picture of it).
    kept = text_of(handed.args[0].path)
    assert payment["receipt"] in kept
    assert "COPY" not in kept and "ສຳເນົາ" not in kept


def test_an_original_printed_elsewhere_meanwhile_is_refused_and_nothing_printed(
    ctx, qtbot, counter_ui, tmp_path
):
    request, payment = paid_request(counter_ui)
    printers = PdfPrinters(tmp_path)
    detail = detail_of(ctx, qtbot, request["tracking"], printers)
    press_button(qtbot, detail.reprint_button)
    qtbot.waitUntil(lambda: focused() is getattr(detail.printing.preview, "scroll_area", None))
    # While the preview is open, the same receipt is printed at the command line.
    receipt.print_receipt(
        counter_ui.store, counter_ui.clerk, payment["receipt"], tmp_path / "elsewhere.pdf"
    )
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not detail.printing.busy)
    assert printers.jobs == []
    assert [p["copy"] for p in prints(counter_ui, payment["receipt"])] == [0]
    assert "printed meanwhile" in detail.printing.status.text() or "ພິມໄປແລ້ວ" in (
        detail.printing.status.text()
    )


def test_pdf_only_saves_the_receipt_under_documents_and_records_the_print(
    ctx, qtbot, counter_ui, tmp_path
):
    set_office(counter_ui, print_after_payment="pdf")
    printers = PdfPrinters(tmp_path)
    form = pay_at_intake(ctx, qtbot, printers)
    with qtbot.waitSignal(form.printing.done):
        press(qtbot, Qt.Key.Key_Return)
    assert printers.jobs == []
    [payment] = counter_ui.store.all("SELECT receipt FROM payments")
    saved = ctx.data_dir / DOCUMENTS / f"{payment['receipt']}.pdf"
    assert saved.read_bytes().startswith(b"%PDF-")
    assert len(reader(saved).pages) == 1
    assert payment["receipt"] in text_of(saved)
    assert prints(counter_ui, payment["receipt"]) == [{"seq": 1, "copy": 0, "format": "80mm"}]


def test_with_no_printer_on_the_pc_the_receipt_is_saved_as_pdf(ctx, qtbot, counter_ui):
    set_office(counter_ui, print_after_payment="now")
    form = pay_at_intake(ctx, qtbot, NoPrinters())
    with qtbot.waitSignal(form.printing.done):
        press(qtbot, Qt.Key.Key_Return)
    [payment] = counter_ui.store.all("SELECT receipt FROM payments")
    saved = ctx.data_dir / DOCUMENTS / f"{payment['receipt']}.pdf"
    assert saved.read_bytes().startswith(b"%PDF-") and len(reader(saved).pages) == 1
    assert len(prints(counter_ui, payment["receipt"])) == 1
    # Whether a PDF viewer opened it is the desktop's business (there is none offscreen).
    assert saved.name in form.printing.status.text().replace("\u200b", "")


def test_on_a4_paper_the_receipt_prints_on_an_a4_sheet(ctx, qtbot, counter_ui, tmp_path):
    set_office(counter_ui, print_after_payment="now", receipt_paper="a4")
    printers = PdfPrinters(tmp_path)
    form = pay_at_intake(ctx, qtbot, printers)
    with qtbot.waitSignal(form.printing.handed):
        press(qtbot, Qt.Key.Key_Return)
    [(_, printed)] = printers.jobs
    [page] = reader(printed).pages
    size = (float(page.mediabox.width) / MM, float(page.mediabox.height) / MM)
    assert size == (pytest.approx(210, abs=0.5), pytest.approx(297, abs=0.5))
    assert ink(look(printed, "printed-receipt-a4")) > 0.005


def test_a_printer_that_refuses_the_job_leaves_the_pdf_and_says_so(
    ctx, qtbot, counter_ui, tmp_path
):
    set_office(counter_ui, print_after_payment="now")
    gone = PdfPrinters(tmp_path / "no-such-folder")  # Qt cannot open the output: begin() fails
    form = pay_at_intake(ctx, qtbot, gone)
    with qtbot.waitSignal(form.printing.done):
        press(qtbot, Qt.Key.Key_Return)
    [payment] = counter_ui.store.all("SELECT receipt FROM payments")
    assert (ctx.data_dir / DOCUMENTS / f"{payment['receipt']}.pdf").is_file()
    assert "Counter printer" in form.printing.status.text()


def test_a_data_folder_that_cannot_hold_documents_is_said_and_nothing_recorded(
    ctx, qtbot, counter_ui, tmp_path
):
    (ctx.data_dir / DOCUMENTS).write_text("a file where the documents folder should be")
    set_office(counter_ui, print_after_payment="now")
    form = pay_at_intake(ctx, qtbot, PdfPrinters(tmp_path))
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: form.payment_dialog is None)
    assert counter_ui.store.scalar("SELECT COUNT(*) FROM receipt_prints") == 0
    assert form.printing.status.isVisible() and not form.printing.busy
    assert str(ctx.data_dir / DOCUMENTS) in form.printing.status.text()


# -- copies, slips, the summary -------------------------------------------------------------
def test_printing_a_receipt_again_from_the_request_is_a_copy(ctx, qtbot, counter_ui, tmp_path):
    set_office(counter_ui, print_after_payment="now")
    request, payment = paid_request(counter_ui)
    printers = PdfPrinters(tmp_path)
    detail = detail_of(ctx, qtbot, request["tracking"], printers)
    assert detail.reprint_button.isVisible()
    for _ in range(2):
        with qtbot.waitSignal(detail.printing.handed):
            press_button(qtbot, detail.reprint_button)
    receipt = payment["receipt"]
    assert prints(counter_ui, receipt) == [
        {"seq": 1, "copy": 0, "format": "80mm"},
        {"seq": 2, "copy": 1, "format": "80mm"},
    ]
    folder = ctx.data_dir / DOCUMENTS
    assert "COPY" not in text_of(folder / f"{receipt}.pdf")
    assert "COPY" in text_of(folder / f"{receipt}-2.pdf")
    assert "(ສຳເນົາ)" in detail.printing.status.text()
    shot(detail, "request-detail-printing-lo")
    ctx.lang.set("en")
    assert detail.reprint_button.text() == "Print receipt"
    assert "(copy) was sent to the printer" in detail.printing.status.text()
    shot(detail, "request-detail-printing-en")
    [_, (_, copy)] = printers.jobs
    assert ink(look(copy, "printed-receipt-copy")) > 0.02


def test_the_appointment_slip_prints_from_the_request(ctx, qtbot, counter_ui, tmp_path):
    set_office(counter_ui, print_after_payment="now")
    request, _ = paid_request(counter_ui)
    printers = PdfPrinters(tmp_path)
    detail = detail_of(ctx, qtbot, request["tracking"], printers)
    with qtbot.waitSignal(detail.printing.handed):
        press_button(qtbot, detail.slip_button)
    [(_, printed)] = printers.jobs
    [page] = reader(printed).pages
    assert float(page.mediabox.width) / MM == pytest.approx(80, abs=0.3)
    assert ink(look(printed, "printed-slip")) > 0.02
    assert counter_ui.store.scalar("SELECT COUNT(*) FROM receipt_prints") == 0


def test_the_slip_of_the_request_just_saved_prints_with_ctrl_shift_p(ctx, qtbot, counter_ui):
    form = open_form(ctx, qtbot)
    pick_service(qtbot, form, "ເກີດ")
    type_text("ນາງ ນ້ອຍ ສີສະຫວາດ")
    press(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)  # every document handed in
    with qtbot.waitSignal(form.saved) as saved:
        press(qtbot, Qt.Key.Key_S, CTRL)
    assert form.slip_button.isVisible()
    with qtbot.waitSignal(form.printing.done):
        press(qtbot, Qt.Key.Key_P, CTRL | Qt.KeyboardModifier.ShiftModifier)
    # No printer on this PC: the slip is kept as a PDF.
    slip = ctx.data_dir / DOCUMENTS / f"{saved.args[0]}-slip.pdf"
    assert saved.args[0] in text_of(slip)
    shot(form, "intake-slip-saved-lo")
    ctx.lang.set("en")
    assert form.printing.status.text().startswith(f"Appointment slip {saved.args[0]} was saved")
    shot(form, "intake-slip-saved-en")


def test_the_daily_summary_prints_on_a4(ctx, qtbot, counter_ui, tmp_path):
    set_office(counter_ui, print_after_payment="now")
    paid_request(counter_ui)
    printers = PdfPrinters(tmp_path)
    view = DayView(ctx)
    qtbot.addWidget(view)
    view.printing.printers = printers
    view.show()
    with qtbot.waitSignal(view.printing.handed):
        press_button(qtbot, view.summary_button)
    [(_, printed)] = printers.jobs
    pages = reader(printed).pages
    assert len(pages) >= 1
    for page in pages:
        size = (float(page.mediabox.width) / MM, float(page.mediabox.height) / MM)
        assert size == (pytest.approx(210, abs=0.5), pytest.approx(297, abs=0.5))
    assert ink(look(printed, "printed-summary")) > 0.005
    assert view.printing.status.text().startswith("ລາຍງານປະຈຳວັນ ວັນທີ 26/11/2026")
    view.resize(1100, 700)
    shot(view, "day-print-summary-lo")


# -- settings -------------------------------------------------------------------------------
def settings_dialog(context, qtbot, printers) -> SettingsDialog:
    dialog = SettingsDialog(context, printers=printers)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_printing_choices_are_saved_as_office_settings(supervisor_ctx, counter_ui, qtbot, tmp_path):
    printers = PdfPrinters(tmp_path, ("Counter printer", "Office laser"))
    dialog = settings_dialog(supervisor_ctx, qtbot, printers)
    combos = dialog.printing
    assert [combos["printer"].itemData(i) for i in range(3)] == ["", *printers.names()]
    for key, presses in (("printer", 2), ("receipt_paper", 1), ("print_after_payment", 2)):
        combos[key].setFocus()
        for _ in range(presses):
            qtbot.keyClick(combos[key], Qt.Key.Key_Down)
    values = {k: settings.get(counter_ui.store, k) for k in combos}
    assert values == {
        "printer": "Office laser",
        "a4_printer": "",  # not touched: see test_printer_per_paper.py
        "receipt_paper": "a4",
        "print_after_payment": "pdf",
    }
    shot(dialog, "settings-printing-lo")
    supervisor_ctx.lang.set("en")
    assert combos["print_after_payment"].currentText() == "Save as PDF only"
    shot(dialog, "settings-printing-en")


def test_a_printer_no_longer_there_is_still_shown(supervisor_ctx, counter_ui, qtbot, tmp_path):
    set_office(counter_ui, printer="Old thermal")
    dialog = settings_dialog(supervisor_ctx, qtbot, PdfPrinters(tmp_path))
    assert dialog.printer.currentData() == "Old thermal"
    assert "Old thermal" in dialog.printer.currentText()


def test_printing_choices_are_for_supervisors_only(ctx, qtbot, tmp_path):
    dialog = settings_dialog(ctx, qtbot, PdfPrinters(tmp_path))
    assert not any(combo.isEnabled() for combo in dialog.printing.values())
    assert dialog.printer_note.text()


def test_with_no_printer_the_settings_say_documents_are_saved_as_pdf(supervisor_ctx, qtbot):
    dialog = settings_dialog(supervisor_ctx, qtbot, PdfPrinters(Path("/nowhere"), ()))
    assert dialog.printer.count() == 1  # the system's default only
    assert "PDF" in dialog.printer_note.text()


def shot(widget, name: str) -> None:
    # Deliver the pending layout requests a language switch posts, as the event loop would
    # before the next paint: otherwise the grab shows the old language's label widths.
    QCoreApplication.sendPostedEvents()
    SHOTS.mkdir(exist_ok=True)
    widget.grab().save(str(SHOTS / f"{name}.png"))
