"""Words and units (issue 11, point 11): standard buttons in Lao, one money unit per language,
counts that read right for 1 and for many, and Alt+letter that is never typed into a field."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from odsc_desk.domain import settings
from odsc_desk.shared.clock import stamp
from tests.ui.keys import type_text
from tests.ui.test_intake import focused, open_form, pick_service
from tests.ui.test_requests_view import _new, _select, _view
from ui.request_detail import RequestDetail
from ui.requests_model import COL_FEE, COL_MARKS
from ui.status_bar import CounterStatusBar
from ui.status_dialog import ReasonDialog
from ui.widgets import translate_buttons

OK, CANCEL = QDialogButtonBox.StandardButton.Ok, QDialogButtonBox.StandardButton.Cancel
ALT = Qt.KeyboardModifier.AltModifier


def test_a_dialogs_ok_and_cancel_stay_lao_through_language_switches(qtbot, ctx, counter_ui):
    tracking = _new(counter_ui)
    dialog = ReasonDialog(ctx, tracking, "rejected")
    qtbot.addWidget(dialog)
    dialog.show()
    words = lambda: [dialog.buttons.button(b).text() for b in (OK, CANCEL)]  # noqa: E731
    assert words() == ["ຕົກລົງ", "ຍົກເລີກ"]
    ctx.lang.set("en")
    assert words() == ["OK", "Cancel"]
    ctx.lang.set("lo")  # the box rewrites Qt's English on a switch; the Lao comes back
    assert words() == ["ຕົກລົງ", "ຍົກເລີກ"]


def test_message_boxes_say_their_buttons_in_lao(qtbot, lang):
    box = QMessageBox(QMessageBox.Icon.Information, "", "", QMessageBox.StandardButton.Close)
    qtbot.addWidget(box)
    translate_buttons(box)
    assert box.button(QMessageBox.StandardButton.Close).text() == "ປິດ"
    question = QMessageBox()
    qtbot.addWidget(question)
    question.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    translate_buttons(question)  # a Latin letter for Alt, which a Lao word has none of
    assert question.button(QMessageBox.StandardButton.Yes).text() == "ແມ່ນ (&Y)"
    translate_buttons(question, mnemonics=False)
    assert question.button(QMessageBox.StandardButton.No).text() == "ບໍ່"
    lang.set("en")
    assert question.button(QMessageBox.StandardButton.Yes).text() == "Yes"


def test_handing_over_asks_with_lao_yes_and_no(qtbot, ctx, counter_ui):
    tracking = _new(counter_ui, service="MOHA-BIRTH")
    detail = RequestDetail(ctx)
    qtbot.addWidget(detail)
    detail.show()
    detail.show_request(tracking)
    detail._ask_before(tracking, "collected")
    question = detail.dialog
    assert isinstance(question, QMessageBox)
    assert question.button(QMessageBox.StandardButton.Yes).text() == "ແມ່ນ (&Y)"
    assert question.button(QMessageBox.StandardButton.No).text() == "ບໍ່ (&N)"
    question.reject()


@pytest.mark.parametrize(
    ("code", "one", "two"),
    [
        ("en", "1 in the list", "2 in the list"),
        ("lo", "1 ຄຳຮ້ອງ", "2 ຄຳຮ້ອງ"),
    ],
)
def test_the_list_counts_one_and_many(qtbot, ctx, counter_ui, code, one, two):
    ctx.lang.set(code)
    _new(counter_ui, "ສົມສັກ")
    view = _view(qtbot, ctx)
    assert view.count.text() == one
    _new(counter_ui, "ບຸນມີ")
    view.refresh()
    assert view.count.text() == two


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (
            "en",
            [
                "Not connected to a centre · 1 waiting to sync",
                "Not connected to a centre · 2 waiting to sync",
                "1 min ago",
                "2 min ago",
                "1 d ago",
                "working days: 1",
                "working days: 3",
            ],
        ),
        (
            "lo",
            [
                "ຍັງບໍ່ໄດ້ເຊື່ອມຕໍ່ກັບສູນກາງ · 1 ລາຍການລໍຖ້າສົ່ງ",
                "ຍັງບໍ່ໄດ້ເຊື່ອມຕໍ່ກັບສູນກາງ · 2 ລາຍການລໍຖ້າສົ່ງ",
                "1 ນາທີກ່ອນ",
                "2 ນາທີກ່ອນ",
                "1 ມື້ກ່ອນ",
                "1 ວັນລັດຖະການ",
                "3 ວັນລັດຖະການ",
            ],
        ),
    ],
)
def test_counts_in_the_status_line_and_the_service_read_right(
    qtbot, ctx, counter_ui, code, expected
):
    ctx.lang.set(code)
    bar = CounterStatusBar(ctx)
    qtbot.addWidget(bar)
    said = []
    for pending in (1, 2):
        bar.pending = pending
        said.append(bar.sync_text())
    bar.now = counter_ui.clock
    now = counter_ui.clock()
    for minutes in (1, 2, 24 * 60):
        said.append(bar.age(stamp(now - timedelta(minutes=minutes))))
    form = open_form(ctx, qtbot)
    for days in (1, 3):
        form.summary.show_service({**_service(form), "days": days})
        said.append(form.summary.days.text())
    assert said == expected


def _service(form):
    form.picker.search.setText("birth")
    return form.picker.model.index(1, 0).data(Qt.ItemDataRole.UserRole + 1)


def test_one_money_unit_per_language(qtbot, ctx, counter_ui):
    tracking = _new(counter_ui, service="MOHA-BIRTH")
    view = _view(qtbot, ctx)
    _select(qtbot, view, tracking)
    fee = view.model.index(0, COL_FEE)
    assert fee.data() == "10,000 ກີບ"
    assert view.detail.values["balance"].text() == "10,000 ກີບ"
    ctx.lang.set("en")
    assert fee.data() == "10,000 kip"
    assert view.detail.values["balance"].text() == "10,000 kip"
    assert view.model.index(0, COL_MARKS).data().startswith("Unpaid 10,000 kip")
    # An office that writes LAK sees LAK in both languages, once the list is read again.
    settings.set_value(counter_ui.store, counter_ui.supervisor, "money_unit", "LAK")
    view.refresh()
    assert view.model.index(0, COL_FEE).data() == "10,000 LAK"
    ctx.lang.set("lo")
    assert view.model.index(0, COL_FEE).data() == "10,000 LAK"


def test_alt_and_a_letter_is_never_typed_into_a_search_or_a_field(qtbot, ctx, counter_ui):
    view = _view(qtbot, ctx)
    view.focus_search()
    type_text("ສົມ", view.search)
    qtbot.keyClick(view.search, Qt.Key.Key_F, ALT)
    assert view.search.text() == "ສົມ"
    # The pane's own Alt keys still reach the tab: with nothing selected it says why.
    qtbot.keyClick(view.search, Qt.Key.Key_1, ALT)
    assert view.error.isVisible() and view.search.text() == "ສົມ"

    form = open_form(ctx, qtbot)
    qtbot.keyClick(form.picker.search, Qt.Key.Key_F, ALT)
    assert form.picker.search.text() == ""
    pick_service(qtbot, form, "birth")
    type_text("Noy")
    qtbot.keyClick(focused(), Qt.Key.Key_G, ALT)
    assert form.edits["citizen_name"].text() == "Noy"
