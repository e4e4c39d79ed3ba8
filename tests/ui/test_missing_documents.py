"""A request with documents missing is said in the form and saved as incomplete, by keyboard
over a real store; Alt+A ticks every document (issue 11, point 8)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from odsc_desk.domain import service_requests
from tests.ui.keys import type_text
from tests.ui.test_intake import focused, open_form, pick_service, press, requests
from ui.intake import IntakeForm

CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier


def saved_request(counter) -> service_requests.RequestDetail:
    [row] = requests(counter)
    return service_requests.get_request(counter.store, row["tracking"])


def birth_for_noy(qtbot, form: IntakeForm) -> None:
    """A birth certificate: two documents, the hospital notice and the family book copy."""
    pick_service(qtbot, form, "birth")
    type_text("ນາງ ນ້ອຍ")


def test_missing_documents_are_said_in_the_form_and_saved_as_incomplete(ctx, qtbot, counter_ui):
    form = open_form(ctx, qtbot)
    birth_for_noy(qtbot, form)
    press(qtbot, Qt.Key.Key_S, CTRL)

    # Said in the form, not a dialog: the keyboard stays where it was; nothing is recorded.
    assert form.missing_bar.isVisible()
    assert form.missing_text.text().startswith("ເອກະສານຍັງຂາດ 2 ຈາກ 2 ຢ່າງ")
    assert form.incomplete_button.text() == "ບັນທຶກເປັນເອກະສານບໍ່ຄົບ (Ctrl+S)"
    assert focused() is form.edits["citizen_name"]
    assert requests(counter_ui) == []

    with qtbot.waitSignal(form.saved):
        press(qtbot, Qt.Key.Key_S, CTRL)  # the answer: save it as incomplete
    request = saved_request(counter_ui)
    assert request["status"] == "incomplete"
    assert request["missing_documents"] == ["BIRTH-NOTICE", "FAMBOOK-COPY"]
    reason = request["history"][-1]["reason"]
    assert "ໃບແຈ້ງການເກີດຈາກໂຮງໝໍ" in reason and "Hospital birth notice" in reason
    assert not form.missing_bar.isVisible()
    assert request["tracking"] in form.notice.text()
    assert form.notice.text().startswith("ບັນທຶກແລ້ວເປັນເອກະສານບໍ່ຄົບ, ຍັງຂາດ 2 ຢ່າງ")
    # The missing-documents notice is offered, on its key.
    assert form.slip_button.isVisible()
    assert "ແຈ້ງເອກະສານທີ່ຍັງຂາດ" in form.slip_button.text()
    with qtbot.waitSignal(form.printing.done) as printed:
        press(qtbot, Qt.Key.Key_P, CTRL | Qt.KeyboardModifier.ShiftModifier)
    job = printed.args[0]
    assert (job.kind, job.name) == ("notice", request["tracking"])
    assert job.path is not None and job.path.exists()  # no printer here: kept as a PDF
    assert job.path.name == f"{request['tracking']}-missing-documents.pdf"
    ctx.lang.set("en")
    assert form.notice.text().startswith("Saved as incomplete, documents missing: 2.")


def test_escape_goes_back_to_the_first_document_not_ticked(ctx, qtbot, counter_ui):
    ctx.lang.set("en")
    form = open_form(ctx, qtbot)
    birth_for_noy(qtbot, form)
    for _ in range(4):  # past the phone, ID number and village, to the first document
        press(qtbot, Qt.Key.Key_Tab)
    assert focused() is form.documents.boxes()[0]
    press(qtbot, Qt.Key.Key_Space)  # the hospital notice, handed in
    press(qtbot, Qt.Key.Key_Return, CTRL)
    assert form.missing_text.text().startswith("Documents missing: 1 of 2.")
    assert form.incomplete_button.text() == "Save as incomplete and take payment (Ctrl+Enter)"

    press(qtbot, Qt.Key.Key_Escape)
    assert not form.missing_bar.isVisible()
    assert focused() is form.documents.boxes()[1]
    assert form.discard_question is None  # Esc answered the warning, it did not clear the form
    press(qtbot, Qt.Key.Key_Space)
    with qtbot.waitSignal(form.saved):
        press(qtbot, Qt.Key.Key_S, CTRL)  # nothing missing now: saved at once
    assert saved_request(counter_ui)["status"] == "received"


@pytest.mark.parametrize(("code", "label"), [("lo", "ໄດ້ຮັບເອກະສານຄົບທຸກຢ່າງ"), ("en", "All documents")])
def test_alt_a_ticks_every_document(ctx, qtbot, counter_ui, code, label):
    ctx.lang.set(code)
    form = open_form(ctx, qtbot)
    birth_for_noy(qtbot, form)
    button = form.documents.all_button
    assert button.isVisible()
    assert button.text().startswith(label) and button.text().endswith("(Alt+A)")
    press(qtbot, Qt.Key.Key_A, ALT)
    assert all(box.isChecked() for box in form.documents.boxes())
    assert focused() is form.edits["citizen_name"]  # the keyboard stays on the field
    assert form.edits["citizen_name"].text() == "ນາງ ນ້ອຍ"  # no "a" typed into it
    press(qtbot, Qt.Key.Key_A, ALT)  # a second press unticks nothing
    assert all(box.isChecked() for box in form.documents.boxes())
    with qtbot.waitSignal(form.saved):
        press(qtbot, Qt.Key.Key_S, CTRL)
    request = saved_request(counter_ui)
    assert (request["status"], request["missing_documents"]) == ("received", [])


def test_ticking_a_document_after_the_warning_asks_again_with_the_new_count(ctx, qtbot, counter_ui):
    ctx.lang.set("en")
    form = open_form(ctx, qtbot)
    birth_for_noy(qtbot, form)
    press(qtbot, Qt.Key.Key_S, CTRL)
    assert form.missing_text.text().startswith("Documents missing: 2 of 2.")
    form.documents.boxes()[0].click()  # the citizen found the hospital notice after all
    assert not form.missing_bar.isVisible()
    press(qtbot, Qt.Key.Key_S, CTRL)
    assert form.missing_text.text().startswith("Documents missing: 1 of 2.")
    assert requests(counter_ui) == []
    with qtbot.waitSignal(form.saved):
        form.incomplete_button.click()
    request = saved_request(counter_ui)
    assert (request["status"], request["missing_documents"]) == ("incomplete", ["FAMBOOK-COPY"])


def test_a_refusal_after_the_answer_does_not_ask_again(ctx, qtbot, counter_ui):
    form = open_form(ctx, qtbot)
    pick_service(qtbot, form, "birth")
    press(qtbot, Qt.Key.Key_S, CTRL)  # documents missing: asked
    press(qtbot, Qt.Key.Key_S, CTRL)  # answered; the core refuses the empty name
    assert form.error_labels["citizen_name"].isVisible()
    assert not form.missing_bar.isVisible()
    type_text("ນ້ອຍ")
    with qtbot.waitSignal(form.saved):
        press(qtbot, Qt.Key.Key_S, CTRL)  # not asked a second time
    assert saved_request(counter_ui)["status"] == "incomplete"
