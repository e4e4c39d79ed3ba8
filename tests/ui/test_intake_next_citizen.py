"""The new-request form between two citizens, by keyboard over a real store (usability issue 10).

What was said about the last citizen (tracking number, change, the receipt's print) goes at the
first key for the next one; a save never moves the fields; Ctrl+N and Esc ask before throwing a
half-typed citizen away; a field's red line goes as soon as that field is edited. Screenshots
are kept under /tmp/odsc-shots/ to be looked at.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from odsc_desk.shared.messages import MESSAGES
from tests.conftest import Counter
from tests.ui.conftest import make_worker
from tests.ui.keys import type_text
from tests.ui.test_intake import focused, open_form, pick_service, press, requests
from ui.backup_dialogs import BackupRunner
from ui.context import CounterContext
from ui.intake import IntakeForm
from ui.main_window import MainWindow

SHOTS = Path("/tmp/odsc-shots")
CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier
YES, NO = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No


def shot(widget: QWidget, name: str) -> None:
    QCoreApplication.sendPostedEvents()  # the layout a language switch asked for, as a paint would
    SHOTS.mkdir(exist_ok=True)
    assert widget.grab().save(str(SHOTS / f"{name}.png"))


def tops(form: IntakeForm) -> dict[str, int]:
    """Where the search, the name field and the Save button sit in the form, in pixels."""
    widgets = {
        "search": form.picker.search,
        "name": form.edits["citizen_name"],
        "save": form.save_button,
    }
    return {name: w.mapTo(form, w.rect().topLeft()).y() for name, w in widgets.items()}


def type_citizen(qtbot, form: IntakeForm) -> None:
    """A birth certificate (10,000 kip) for Noy, who brought every document."""
    pick_service(qtbot, form, "ເກີດ")
    type_text("ນາງ ນ້ອຍ ສີສະຫວາດ")
    press(qtbot, Qt.Key.Key_A, ALT)


def save_and_pay(qtbot, form: IntakeForm, typed: bool = False) -> str:
    """The citizen saved and paid 15,000 kip cash; the receipt's PDF saved (no printer on this
    PC). Returns the tracking number."""
    if not typed:
        type_citizen(qtbot, form)
    with qtbot.waitSignal(form.saved) as saved:
        press(qtbot, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: focused() is getattr(form.payment_dialog, "tendered", None))
    type_text("15,000")
    with qtbot.waitSignal(form.printing.done):
        press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: focused() is form.picker.search)
    return saved.args[0]


def said_about_last_citizen(form: IntakeForm) -> list[QWidget]:
    return [w for w in (form.notice, form.slip_button, form.printing.status) if w.isVisible()]


def open_window(ctx: CounterContext, counter: Counter, qtbot) -> MainWindow:
    """The counter window as the app starts it: on the new-request form, the search focused."""
    window = MainWindow(ctx, backups=BackupRunner(counter.data_dir, make_worker(counter)))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    window.show_intake()
    qtbot.waitUntil(lambda: focused() is window.intake.picker.search)
    return window


def question_of(qtbot, form: IntakeForm) -> QMessageBox:
    qtbot.waitUntil(lambda: form.discard_question is not None)
    question = form.discard_question
    assert question is not None
    qtbot.waitUntil(lambda: focused() is question.button(NO))
    return question


def answer_yes(qtbot, form: IntakeForm, question: QMessageBox) -> None:
    """Tab to Yes (No has the keyboard at first) and press Space."""
    for _ in range(3):
        if focused() is question.button(YES):
            break
        press(qtbot, Qt.Key.Key_Tab)
    assert focused() is question.button(YES)
    press(qtbot, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: form.discard_question is None)


def half_typed(qtbot, form: IntakeForm) -> None:
    pick_service(qtbot, form, "birth")
    type_text("ນາງ ນ້ອຍ")
    press(qtbot, Qt.Key.Key_Tab)
    type_text("020 5555")


def is_blank(form: IntakeForm) -> bool:
    return (
        form.picker.current is None
        and form.picker.search.text() == ""
        and all(edit.text() == "" for edit in form.edits.values())
        and form.summary.service is None
    )


# -- a: what was said about the last citizen goes at the first key for the next ---------------
@pytest.mark.parametrize("first_key", ["letter in the search", "arrow in the search", "name"])
def test_the_last_citizens_notice_and_print_go_when_the_next_is_typed(
    ctx, qtbot, counter_ui, first_key
):
    form = open_form(ctx, qtbot)
    tracking = save_and_pay(qtbot, form)
    [payment] = counter_ui.store.all("SELECT receipt FROM payments")
    assert tracking in form.notice.text() and "5,000" in form.notice.text()
    assert payment["receipt"] in form.printing.status.text()
    assert said_about_last_citizen(form) == [form.notice, form.slip_button, form.printing.status]

    if first_key == "letter in the search":
        type_text("m")
    elif first_key == "arrow in the search":
        press(qtbot, Qt.Key.Key_Down)
    else:
        press(qtbot, Qt.Key.Key_Tab)
        assert focused() is form.edits["citizen_name"]
        type_text("ທ")
    assert said_about_last_citizen(form) == []
    assert form.notice.text() == "" and form.printing.status.text() == ""
    press(qtbot, Qt.Key.Key_P, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert not form.printing.busy  # no slip for the citizen who has gone


def test_the_notice_stays_while_nothing_is_typed(ctx, qtbot, counter_ui):
    form = open_form(ctx, qtbot)
    tracking = save_and_pay(qtbot, form)
    ctx.lang.set("en")  # switching the language is not the next citizen
    assert form.notice.text().startswith(f"Saved. Tracking number: {tracking}")
    assert "Change 5,000 kip" in form.notice.text()
    assert form.printing.status.isVisible()


# -- b: a save moves nothing --------------------------------------------------------------------
@pytest.mark.parametrize("size", [(1000, 680), (800, 600)])
@pytest.mark.parametrize("language", ["lo", "en"])
def test_a_save_and_its_print_move_no_field(ctx, qtbot, counter_ui, size, language):
    ctx.lang.set(language)
    form = open_form(ctx, qtbot)
    form.resize(*size)
    qtbot.waitUntil(lambda: form.size().width() == size[0])
    empty = tops(form)
    type_citizen(qtbot, form)
    typed = tops(form)
    name = f"intake-{language}-{size[0]}"
    shot(form, f"{name}-before-save")
    save_and_pay(qtbot, form, typed=True)
    assert said_about_last_citizen(form) == [form.notice, form.slip_button, form.printing.status]
    saved = tops(form)
    shot(form, f"{name}-after-save")
    type_text("m")  # the next citizen
    assert said_about_last_citizen(form) == []
    assert empty == typed == saved == tops(form)
    # Nothing said is cut off: each line has the height its wrapped text needs.
    for label in (form.notice, form.printing.status):
        assert label.height() >= label.heightForWidth(label.width()) or not label.isVisible()


def test_a_refused_save_moves_neither_the_search_nor_the_name(ctx, qtbot, counter_ui):
    form = open_form(ctx, qtbot)
    before = tops(form)
    counter_ui.store.conn.execute("BEGIN EXCLUSIVE")  # another program holds the file
    ctx.worker.run(lambda store: store.conn.execute("PRAGMA busy_timeout = 50"))
    pick_service(qtbot, form, "birth")
    type_text("Noy")
    press(qtbot, Qt.Key.Key_A, ALT)
    press(qtbot, Qt.Key.Key_S, CTRL)
    counter_ui.store.conn.execute("ROLLBACK")
    assert form.banner.isVisible()
    assert tops(form) == before


# -- c: Ctrl+N asks before throwing a half-typed citizen away ------------------------------------
def test_ctrl_n_asks_before_discarding_a_half_typed_citizen(ctx, qtbot, counter_ui):
    window = open_window(ctx, counter_ui, qtbot)
    form = window.intake
    half_typed(qtbot, form)
    press(qtbot, Qt.Key.Key_N, CTRL)
    question = question_of(qtbot, form)
    assert question.text() == "ລຶບຂໍ້ມູນທີ່ພິມໄວ້ຂອງຜູ້ຍື່ນຄຳຮ້ອງຄົນນີ້ຖິ້ມບໍ?"
    assert (question.button(YES).text(), question.button(NO).text()) == ("ແມ່ນ", "ບໍ່")
    assert question.defaultButton() is question.button(NO)
    shot(question, "intake-discard-question-lo")

    press(qtbot, Qt.Key.Key_Return)  # No, the default: the citizen is kept
    qtbot.waitUntil(lambda: form.discard_question is None)
    qtbot.waitUntil(lambda: focused() is form.edits["phone"])  # where the clerk was
    assert form.edits["citizen_name"].text() == "ນາງ ນ້ອຍ"
    assert form.edits["phone"].text() == "020 5555"
    assert form.picker.current["code"] == "MOHA-BIRTH"
    type_text(" 1234")  # and goes on typing
    assert form.edits["phone"].text() == "020 5555 1234"

    ctx.lang.set("en")
    press(qtbot, Qt.Key.Key_N, CTRL)
    question = question_of(qtbot, form)
    assert question.text() == "Discard what was typed for this citizen?"
    assert (question.button(YES).text(), question.button(NO).text()) == ("Yes", "No")
    assert question.windowTitle() == "New request"
    shot(question, "intake-discard-question-en")
    answer_yes(qtbot, form, question)
    assert is_blank(form)
    qtbot.waitUntil(lambda: focused() is form.picker.search)
    assert requests(counter_ui) == []


def test_ctrl_n_on_the_requests_tab_shows_what_it_would_discard(ctx, qtbot, counter_ui):
    window = open_window(ctx, counter_ui, qtbot)
    half_typed(qtbot, window.intake)
    window.find_action.trigger()  # Ctrl+F: the clerk looks something up
    press(qtbot, Qt.Key.Key_N, CTRL)
    assert window.tabs.currentWidget() is window.intake
    question = question_of(qtbot, window.intake)
    press(qtbot, Qt.Key.Key_Escape)  # Esc on the question is No
    qtbot.waitUntil(lambda: window.intake.discard_question is None)
    assert question.clickedButton() is question.button(NO)
    assert window.intake.edits["citizen_name"].text() == "ນາງ ນ້ອຍ"


def test_ctrl_n_on_an_empty_or_just_saved_form_clears_at_once(ctx, qtbot, counter_ui):
    window = open_window(ctx, counter_ui, qtbot)
    form = window.intake
    press(qtbot, Qt.Key.Key_N, CTRL)  # empty
    assert form.discard_question is None
    before = tops(form)
    save_and_pay(qtbot, form)
    assert form.notice.isVisible()
    assert tops(form) == before  # in the counter window too
    shot(window, "intake-window-after-save-lo")
    press(qtbot, Qt.Key.Key_N, CTRL)  # just saved
    assert form.discard_question is None
    assert said_about_last_citizen(form) == []
    assert is_blank(form) and focused() is form.picker.search
    type_text("birth")  # a search alone is quickly typed again: not asked about
    press(qtbot, Qt.Key.Key_N, CTRL)
    assert form.discard_question is None and is_blank(form)


# -- d: Esc ---------------------------------------------------------------------------------------
def test_escape_clears_a_half_typed_citizen_after_asking(ctx, qtbot, counter_ui):
    window = open_window(ctx, counter_ui, qtbot)
    form = window.intake
    half_typed(qtbot, form)
    press(qtbot, Qt.Key.Key_Escape)
    question = question_of(qtbot, form)
    press(qtbot, Qt.Key.Key_Escape)  # No
    qtbot.waitUntil(lambda: form.discard_question is None)
    assert form.edits["phone"].text() == "020 5555"
    qtbot.waitUntil(lambda: focused() is form.edits["phone"])

    press(qtbot, Qt.Key.Key_Escape)
    question = question_of(qtbot, form)
    answer_yes(qtbot, form, question)
    assert is_blank(form)
    qtbot.waitUntil(lambda: focused() is form.picker.search)


def test_escape_on_an_empty_form_goes_back_to_the_search(ctx, qtbot, counter_ui):
    form = open_form(ctx, qtbot)
    for _ in range(2):
        press(qtbot, Qt.Key.Key_Tab)
    assert focused() is form.edits["phone"]
    press(qtbot, Qt.Key.Key_Escape)
    assert form.discard_question is None
    assert focused() is form.picker.search
    type_text("birth")
    press(qtbot, Qt.Key.Key_Escape)  # a search alone: cleared at once
    assert form.discard_question is None
    assert is_blank(form) and focused() is form.picker.search


def test_escape_after_a_save_keeps_the_notice_for_the_citizen_still_there(ctx, qtbot, counter_ui):
    form = open_form(ctx, qtbot)
    tracking = save_and_pay(qtbot, form)
    press(qtbot, Qt.Key.Key_Tab)
    press(qtbot, Qt.Key.Key_Escape)
    assert focused() is form.picker.search
    assert tracking in form.notice.text()


def test_escape_in_the_payment_dialog_only_closes_the_dialog(ctx, qtbot, counter_ui):
    form = open_form(ctx, qtbot)
    with qtbot.waitSignal(form.saved):
        pick_service(qtbot, form, "birth")
        type_text("Noy")
        press(qtbot, Qt.Key.Key_A, ALT)
        press(qtbot, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: focused() is getattr(form.payment_dialog, "tendered", None))
    press(qtbot, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: form.payment_dialog is None)
    assert form.discard_question is None
    assert form.notice.isVisible()  # saved, not paid: the tracking number is still said


# -- e: a field's red line goes as soon as that field is edited ---------------------------------
def test_enter_a_name_goes_when_the_name_is_typed(ctx, qtbot, counter_ui):
    form = open_form(ctx, qtbot)
    pick_service(qtbot, form, "birth")
    press(qtbot, Qt.Key.Key_A, ALT)
    press(qtbot, Qt.Key.Key_S, CTRL)  # no name: refused
    name = form.error_labels["citizen_name"]
    assert name.isVisible() and name.text() == MESSAGES["name.empty"][0]
    assert focused() is form.edits["citizen_name"]
    type_text("ນ")
    assert not name.isVisible() and name.text() == ""
    ctx.lang.set("en")  # and it does not come back with the next language
    assert not name.isVisible()
    type_text("ອຍ")
    with qtbot.waitSignal(form.saved):
        press(qtbot, Qt.Key.Key_S, CTRL)
    [request] = requests(counter_ui)
    assert request["citizen_name"] == "ນອຍ"


def test_an_error_stays_until_its_own_field_is_edited(ctx, qtbot, counter_ui):
    form = open_form(ctx, qtbot)
    pick_service(qtbot, form, "birth")
    type_text("Noy")
    press(qtbot, Qt.Key.Key_Tab)
    type_text("12ab")
    press(qtbot, Qt.Key.Key_A, ALT)
    press(qtbot, Qt.Key.Key_S, CTRL)
    phone = form.error_labels["phone"]
    assert phone.isVisible()
    press(qtbot, Qt.Key.Key_Tab)
    type_text("P-123")  # the ID number: the phone's line stays
    assert phone.isVisible() and phone.text() == MESSAGES["phone.invalid"][0]
    press(qtbot, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    press(qtbot, Qt.Key.Key_Backspace)
    assert not phone.isVisible()


def test_choose_a_service_goes_when_the_search_is_typed(ctx, qtbot, counter_ui):
    form = open_form(ctx, qtbot)
    press(qtbot, Qt.Key.Key_Tab)
    type_text("Noy")
    press(qtbot, Qt.Key.Key_S, CTRL)
    assert form.picker.error.isVisible()
    qtbot.waitUntil(lambda: focused() is form.picker.search)
    type_text("b")
    assert not form.picker.error.isVisible()
