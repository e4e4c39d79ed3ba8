"""The request pane follows the list's selection, and what it says stays with its request.

The usability issue: after a search that left only 0001 in the list, the pane still showed 0003
and Tab landed on 0003's buttons; with no result it kept the old one. Real widgets over a real
store, driven by keyboard; one test holds the worker's answers back, as a busy worker thread
would, to see that a late answer about one request is never shown under another.
"""

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from odsc_desk.domain import service_requests, settings
from odsc_desk.storage.store import open_store
from tests.conftest import FAST_HASHER, Counter
from tests.ui.keys import type_text
from tests.ui.pdf_printer import PdfPrinters
from tests.ui.test_requests_view import HeldExecutor, _new, _select, _shown, _status, _view
from ui.context import CounterContext
from ui.requests_view import RequestsView
from ui.worker import Worker

ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def three(counter_ui):
    """Requests 0001, 0002 and 0003 of today, three citizens; the list shows 0003 first."""
    c = counter_ui
    return [
        _new(c, "ສົມສັກ ພົມມະຈັນ"),
        _new(c, "ສົມພອນ ແກ້ວມະນີ", service="MONRE-LAND"),
        _new(c, "ບຸນມີ ວົງສາ", service="MPS-ID-CARD"),
    ]


def focused() -> QWidget:
    return QApplication.focusWidget()


def press(qtbot, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(focused(), key, modifier)


def answer_yes(qtbot, detail) -> None:
    """Alt+Y in the hand-over question (a mnemonic: the button clicks a moment later)."""
    question = detail.dialog
    qtbot.waitUntil(lambda: question is not None and question.isAncestorOf(focused()))
    press(qtbot, Qt.Key.Key_Y, ALT)
    qtbot.waitUntil(lambda: detail.dialog is None)  # answered (and the box deleted)
    qtbot.waitUntil(lambda: detail.window().isActiveWindow())  # the keyboard is back


def _search(qtbot, view: RequestsView, text: str) -> None:
    view.focus_search()
    type_text(text, view.search)
    qtbot.waitUntil(lambda: view.model.filters.search == text)


def _tab_stops(qtbot, view: RequestsView, count: int = 24) -> list[QWidget]:
    """Where Tab goes, from the search box round the whole tab."""
    return [widget for widget, _, _ in _tab_walk(qtbot, view, count)]


def _tab_walk(qtbot, view: RequestsView, count: int = 24):
    """Each Tab stop from the search box round the tab, with the request the pane shows and
    the one the list selects at that moment."""
    view.focus_search()
    walk = []
    for _ in range(count):
        press(qtbot, Qt.Key.Key_Tab)
        walk.append((focused(), _shows(view), view.selected_tracking()))
    return walk


def _in_pane(view: RequestsView, widget: QWidget | None) -> bool:
    return widget is not None and view.detail.isAncestorOf(widget)


def _shows(view: RequestsView) -> str | None:
    request = view.detail.request
    return None if request is None else request["tracking"]


def _pane_is_empty(view: RequestsView) -> bool:
    detail = view.detail
    return (
        detail.request is None
        and detail.tracking is None
        and detail.empty.isVisible()
        and not detail.scroll_area.isVisible()
    )


def test_a_search_that_leaves_only_another_request_empties_the_pane(qtbot, ctx, counter_ui, three):
    view = _view(qtbot, ctx)
    _select(qtbot, view, three[2])  # 0003 in the pane, its buttons a Tab away
    assert any(_in_pane(view, w) for w in _tab_stops(qtbot, view))
    _search(qtbot, view, "0001")
    assert _shown(view) == [three[0]]
    # Nothing is selected in the list: nothing in the pane, no button of 0003 to act on.
    assert view.selected_tracking() is None
    assert _pane_is_empty(view)
    # The pane's keys act on nothing either, and type nothing into the search box.
    view.focus_search()
    press(qtbot, Qt.Key.Key_1, ALT)
    press(qtbot, Qt.Key.Key_P, CTRL)
    assert view.detail.dialog is None
    assert view.search.text() == "0001"
    assert [_status(counter_ui, t) for t in three] == ["received"] * 3
    # Tab goes through the list, whose row takes the selection as the keyboard reaches it,
    # to the pane: whenever the keyboard is in the pane, it shows the list's selection, 0001.
    walk = _tab_walk(qtbot, view)
    in_pane = [(shown, selected) for widget, shown, selected in walk if _in_pane(view, widget)]
    assert in_pane and set(in_pane) == {(three[0], three[0])}
    # Enter in the search box opens the one found, too.
    view.table.clearSelection()
    assert _pane_is_empty(view)
    view.focus_search()
    press(qtbot, Qt.Key.Key_Return)
    assert view.table.hasFocus()
    assert view.selected_tracking() == _shows(view) == three[0]


def test_a_search_that_finds_nothing_empties_the_pane(qtbot, ctx, counter_ui, three):
    ctx.lang.set("en")
    view = _view(qtbot, ctx)
    _select(qtbot, view, three[2])
    _search(qtbot, view, "0009")
    assert _shown(view) == []
    assert _pane_is_empty(view)
    assert not any(_in_pane(view, w) for w in _tab_stops(qtbot, view))
    view.focus_search()
    press(qtbot, Qt.Key.Key_4, ALT)  # "Incomplete…" of the request no longer listed
    assert view.detail.dialog is None
    assert view.error.text().startswith("No request found for “0009”")
    assert _status(counter_ui, three[2]) == "received"


def test_the_request_shown_stays_selected_while_the_list_still_has_it(
    qtbot, ctx, counter_ui, three
):
    view = _view(qtbot, ctx)
    _select(qtbot, view, three[1])  # 0002, ສົມພອນ
    _search(qtbot, view, "ສົມ")  # 0002 and 0001: still listed
    assert _shown(view) == [three[1], three[0]]
    assert view.selected_tracking() == _shows(view) == three[1]
    press(qtbot, Qt.Key.Key_Escape)  # the whole list again
    qtbot.waitUntil(lambda: len(_shown(view)) == 3)
    assert view.selected_tracking() == _shows(view) == three[1]
    # A write elsewhere refreshes the list; the request moves down a row and stays selected.
    ctx.worker.run(
        lambda store: service_requests.record_request(
            store, counter_ui.clerk, service_code="MOHA-BIRTH", citizen_name="ຄຳແພງ"
        ),
        writes=True,
    )
    assert len(_shown(view)) == 4
    assert view.selected_tracking() == _shows(view) == three[1]
    assert view.table.currentIndex().row() == view.model.row_of(three[1]) == 2
    # A filter that leaves it out empties the pane; the keyboard stays on the filter.
    view.status.setFocus()
    view.status.setCurrentIndex(view.status.findData("in_process"))
    assert _shown(view) == []
    assert _pane_is_empty(view)
    assert view.status.hasFocus()


def test_a_change_that_takes_the_request_out_of_the_list_empties_the_pane(
    qtbot, ctx, counter_ui, three
):
    view = _view(qtbot, ctx)
    view.status.setCurrentIndex(view.status.findData("received"))
    _select(qtbot, view, three[0])
    press(qtbot, Qt.Key.Key_Return)  # Enter on the row: to its first action
    assert focused() is view.detail.status_buttons["in_process"]
    press(qtbot, Qt.Key.Key_Space)
    assert _status(counter_ui, three[0]) == "in_process"
    # No longer "received": out of the list, so out of the pane; the keyboard goes to the list.
    assert _shown(view) == []
    assert _pane_is_empty(view)
    assert view.table.hasFocus()


def test_the_keyboard_in_the_list_and_more_pages_keep_pane_and_selection_together(
    qtbot, ctx, counter_ui, three
):
    # Pages taller than the list, as the app's are: the next one comes only when the clerk
    # scrolls to the bottom. (A page that leaves the list unfilled is topped up by a Qt timer
    # only if it fires after the rows are laid out, which a busy machine does not promise.)
    more = [_new(counter_ui, f"ບຸກຄົນ {n}") for n in range(40)]
    view = _view(qtbot, ctx)
    view.model.page_size = 20
    view.apply_filters()
    assert len(_shown(view)) == 20
    last = view.table.visualRect(view.model.index(19, 0))
    assert not view.table.viewport().rect().intersects(last), "a page must overflow the list"
    assert _pane_is_empty(view)
    # Tab into the list: the row with the keyboard is selected and shown, not just outlined.
    stops = _tab_stops(qtbot, view, count=5)
    assert stops[-1] is view.table
    assert view.selected_tracking() == _shows(view) == more[-1]
    press(qtbot, Qt.Key.Key_Down)
    assert view.selected_tracking() == _shows(view) == more[-2]
    assert len(_shown(view)) == 20
    view.table.scrollToBottom()  # the next page comes; the selection and the pane stay
    qtbot.waitUntil(lambda: len(_shown(view)) == 40)
    assert view.selected_tracking() == _shows(view) == more[-2]
    press(qtbot, Qt.Key.Key_End, CTRL)  # the last row loaded, and the last page with it
    qtbot.waitUntil(lambda: len(_shown(view)) == 43)
    assert view.selected_tracking() == _shows(view) == more[0]
    press(qtbot, Qt.Key.Key_End, CTRL)
    assert view.selected_tracking() == _shows(view) == three[0]


# -- what the pane says is about its request --------------------------------------------------
def _ready_and_unpaid(counter: Counter, tracking: str) -> None:
    for status in ("in_process", "ready"):
        service_requests.change_status(counter.store, counter.clerk, tracking, status)


def _print_now(counter: Counter) -> None:
    settings.set_value(counter.store, counter.supervisor, "print_after_payment", "now")


def test_switching_to_another_request_clears_what_was_said_about_the_last(
    qtbot, ctx, counter_ui, three, tmp_path
):
    _ready_and_unpaid(counter_ui, three[0])
    _print_now(counter_ui)
    view = _view(qtbot, ctx)
    detail = view.detail
    detail.printing.printers = PdfPrinters(tmp_path)
    _search(qtbot, view, "ສົມ")  # 0002 and 0001
    press(qtbot, Qt.Key.Key_Return)
    press(qtbot, Qt.Key.Key_Down)
    assert _shows(view) == three[0]
    press(qtbot, Qt.Key.Key_3, ALT)  # hand over: asked first, then refused (unpaid)
    answer_yes(qtbot, detail)
    assert detail.error.isVisible() and three[0] in detail.error.text()
    detail.slip_button.setFocus()
    with qtbot.waitSignal(detail.printing.handed):
        press(qtbot, Qt.Key.Key_Space)
    assert detail.print_status.isVisible() and three[0] in detail.print_status.text()
    view.table.setFocus()
    press(qtbot, Qt.Key.Key_Up)  # 0002: nothing was said about it
    assert _shows(view) == three[1]
    assert not detail.error.isVisible()
    assert not detail.print_status.isVisible()
    press(qtbot, Qt.Key.Key_Down)  # and back: what was said then is gone
    assert _shows(view) == three[0]
    assert not detail.error.isVisible()
    assert not detail.print_status.isVisible()


@pytest.fixture
def held(counter_ui, lang):
    """A view whose worker answers only when the test says (a busy worker thread)."""
    ctx, executor = held_context(counter_ui, lang)
    yield ctx, executor
    ctx.worker.shutdown()
    executor.run_all()


def held_context(counter: Counter, lang) -> tuple[CounterContext, HeldExecutor]:
    executor = HeldExecutor()
    data_dir = counter.data_dir
    worker = Worker(lambda: open_store(data_dir, clock=counter.clock, hasher=FAST_HASHER), executor)
    ctx = CounterContext(worker, lang, counter.clerk, counter.store.office, Path(data_dir))
    return ctx, executor


def _two_held(qtbot, ctx: CounterContext, executor: HeldExecutor, three) -> RequestsView:
    """The list of 0002 and 0001, with 0001 selected and shown."""
    view = _view(qtbot, ctx)
    executor.run_all()
    _search(qtbot, view, "ສົມ")
    executor.run_all()
    view.table.setFocus()
    press(qtbot, Qt.Key.Key_Down)
    executor.run_all()
    assert view.selected_tracking() == _shows(view) == three[0]
    return view


def test_a_late_refusal_about_the_last_request_is_not_shown_under_the_next(
    qtbot, held, counter_ui, three
):
    ctx, executor = held
    _ready_and_unpaid(counter_ui, three[0])
    view = _two_held(qtbot, ctx, executor, three)
    detail = view.detail
    press(qtbot, Qt.Key.Key_3, ALT)
    answer_yes(qtbot, detail)  # the hand-over of 0001 is on its way…
    qtbot.waitUntil(view.table.hasFocus)
    press(qtbot, Qt.Key.Key_Up)  # …and the clerk is on 0002 already
    executor.run_all()  # the refusal about 0001 arrives, then 0002
    assert _shows(view) == three[1]
    assert not detail.error.isVisible()
    assert _status(counter_ui, three[0]) == "ready"


def test_a_late_print_outcome_about_the_last_request_is_not_shown_under_the_next(
    qtbot, held, counter_ui, three, tmp_path
):
    ctx, executor = held
    _print_now(counter_ui)
    view = _two_held(qtbot, ctx, executor, three)
    detail = view.detail
    printers = PdfPrinters(tmp_path)
    detail.printing.printers = printers
    detail.slip_button.setFocus()
    press(qtbot, Qt.Key.Key_Space)  # 0001's slip is being made…
    view.table.setFocus()
    press(qtbot, Qt.Key.Key_Up)  # …while the clerk goes on to 0002
    executor.run_all()
    assert len(printers.jobs) == 1  # the slip printed
    assert _shows(view) == three[1]
    assert not detail.print_status.isVisible() and not detail.print_status.text()
    detail.slip_button.setFocus()  # 0002's own slip is said, under 0002
    press(qtbot, Qt.Key.Key_Space)
    executor.run_all()
    assert detail.print_status.isVisible() and three[1] in detail.print_status.text()
