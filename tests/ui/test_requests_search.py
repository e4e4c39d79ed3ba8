"""The request list's search by the end of a tracking number, its cut lists, and Ctrl+P when the
search found nothing: real widgets over a real store, driven by keyboard."""

import pytest
from PySide6.QtCore import Qt

from odsc_desk.domain import payments, service_requests
from odsc_desk.queries import browse
from tests.ui.keys import type_text
from tests.ui.test_requests_view import _new, _select, _shown, _view

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def two_days(counter_ui):
    """Three requests on 25 November 2026 and three on the 26th (the clock's today)."""
    c = counter_ui
    c.clock.set_local(2026, 11, 25)
    made = {25: [_new(c, f"ສົມສັກ {n}") for n in (1, 2, 3)]}
    c.clock.set_local(2026, 11, 26)
    made[26] = [_new(c, f"ບຸນມີ {n}") for n in (1, 2, 3)]
    return made


def _search(qtbot, view, text):
    view.focus_search()
    type_text(text, view.search)
    qtbot.waitUntil(lambda: view.model.filters.search == text)


def test_the_date_and_sequence_find_the_request(qtbot, ctx, two_days):
    view = _view(qtbot, ctx)
    _search(qtbot, view, "261125-2")
    assert _shown(view) == [two_days[25][1]]
    assert view.count.text() == "1 ຄຳຮ້ອງ"


def test_a_sequence_lists_today_first_and_enter_opens_it(qtbot, ctx, two_days):
    view = _view(qtbot, ctx)
    _search(qtbot, view, "0003")
    assert _shown(view) == [two_days[26][2], two_days[25][2]]
    qtbot.keyClick(view.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.detail.request is not None)
    assert view.detail.request["tracking"] == two_days[26][2]


def test_a_cut_list_says_it_shows_the_newest(qtbot, ctx, two_days, monkeypatch):
    monkeypatch.setattr(browse, "SEARCH_LIMIT", 2)
    view = _view(qtbot, ctx)
    assert view.count.text() == "6 ຄຳຮ້ອງ"  # the whole list: no search, nothing cut
    _search(qtbot, view, "ສົມສັກ")
    assert _shown(view) == [two_days[25][2], two_days[25][1]]
    assert view.count.text().startswith("ສະແດງ 2 ຄຳຮ້ອງລ່າສຸດ")
    ctx.lang.set("en")
    assert view.count.text() == (
        "Showing the newest 2 of more requests: type more to narrow the search"
    )
    type_text(" 1", view.search)  # narrowed: the one match, and no note
    qtbot.waitUntil(lambda: _shown(view) == [two_days[25][0]])
    assert view.count.text() == "1 in the list"


@pytest.mark.parametrize(
    ("lang_code", "said"),
    [("lo", "ບໍ່ພົບຄຳຮ້ອງ ສຳລັບ “0009”"), ("en", "No request found for “0009”")],
)
def test_ctrl_p_after_a_search_that_found_nothing_says_so(qtbot, ctx, two_days, lang_code, said):
    ctx.lang.set(lang_code)
    view = _view(qtbot, ctx)
    _search(qtbot, view, "0009")
    assert _shown(view) == []
    assert not view.error.isVisible()
    qtbot.keyClick(view.search, Qt.Key.Key_P, CTRL)
    assert view.error.isVisible()
    assert view.error.text().startswith(said)
    qtbot.keyClick(view.search, Qt.Key.Key_Backspace)  # typing again: a new search, the note goes
    qtbot.waitUntil(lambda: not view.error.isVisible())


def test_ctrl_p_with_nothing_found_pays_nothing_and_the_pane_is_empty(
    qtbot, ctx, counter_ui, two_days
):
    view = _view(qtbot, ctx)
    _select(qtbot, view, two_days[26][0])  # unpaid: Ctrl+P would take its fee
    view.focus_search()
    type_text("0009", view.search)
    qtbot.waitUntil(lambda: _shown(view) == [] and view.model.filters.search == "0009")
    assert view.detail.request is None  # nothing listed, nothing selected: nothing shown
    assert view.detail.empty.isVisible()
    qtbot.keyClick(view.search, Qt.Key.Key_P, CTRL)
    assert view.detail.dialog is None
    assert view.error.isVisible() and "0009" in view.error.text()
    assert service_requests.get_request(counter_ui.store, two_days[26][0])["paid"] == 0


def test_ctrl_p_typed_before_the_search_ran_says_so_when_it_has(qtbot, ctx, two_days):
    ctx.lang.set("en")
    view = _view(qtbot, ctx)
    view.focus_search()
    type_text("261127-1", view.search)
    assert view.search_timer.isActive()  # the search has not run yet
    qtbot.keyClick(view.search, Qt.Key.Key_P, CTRL)
    assert _shown(view) == []
    assert view.error.text().startswith("No request found for “261127-1”")


def test_ctrl_p_with_matches_but_none_selected_asks_for_one(qtbot, ctx, two_days):
    ctx.lang.set("en")
    view = _view(qtbot, ctx)
    _search(qtbot, view, "0001")
    assert len(_shown(view)) == 2
    qtbot.keyClick(view.search, Qt.Key.Key_P, CTRL)
    assert view.detail.dialog is None
    assert view.error.text().startswith("Select a request in the list first")


def test_ctrl_p_on_a_paid_request_stays_as_it_was(qtbot, ctx, counter_ui, two_days):
    payments.record_payment(counter_ui.store, counter_ui.clerk, two_days[26][0])
    view = _view(qtbot, ctx)
    _select(qtbot, view, two_days[26][0])
    qtbot.keyClick(view.table, Qt.Key.Key_P, CTRL)  # nothing due: the pane offers no payment
    assert view.detail.dialog is None
    assert not view.error.isVisible()
