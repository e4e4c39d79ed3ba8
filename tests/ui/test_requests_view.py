import os
import shutil
import sqlite3
import time
from concurrent.futures import Executor, Future
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from odsc_desk.domain import feedback, payments, service_requests
from odsc_desk.queries import browse
from odsc_desk.shared.text import search_key
from odsc_desk.storage.store import STORE_FILE, open_store
from tests.conftest import FAST_HASHER, FakeClock, make_counter
from tests.ui.conftest import ImmediateExecutor
from tests.ui.keys import type_text
from ui.context import CounterContext
from ui.requests_model import (
    COL_NAME,
    COL_SERVICE,
    COL_STATUS,
    COL_TRACKING,
    OverdueRole,
    TrackingRole,
)
from ui.requests_view import RequestsView
from ui.status_dialog import FeedbackDialog, ReasonDialog
from ui.worker import Worker


def _new(c, name="ສົມສັກ ພົມມະຈັນ", service="MOHA-BIRTH", **extra):
    return service_requests.record_request(
        c.store, c.clerk, service_code=service, citizen_name=name, **extra
    )["tracking"]


def _view(qtbot, ctx):
    view = RequestsView(ctx)
    qtbot.addWidget(view)
    view.resize(1280, 760)
    view.show()
    qtbot.waitExposed(view)
    view.activateWindow()  # keyboard focus needs an active window
    qtbot.waitUntil(view.isActiveWindow)
    return view


def _shown(view):
    model = view.model
    return [model.index(r, 0).data(TrackingRole) for r in range(model.rowCount())]


def _status(counter, tracking):
    return counter.store.scalar(
        "SELECT c.status FROM request_current c JOIN requests r ON r.id = c.request_id"
        " WHERE r.tracking = ?",
        (tracking,),
    )


def _select(qtbot, view, tracking):
    """Find a request the way a clerk does: type it, Enter, and the pane shows it."""
    view.focus_search()
    type_text(tracking, view.search)
    qtbot.keyClick(view.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.detail.request and view.detail.request["tracking"] == tracking)
    assert view.table.hasFocus()


@pytest.fixture
def people(counter_ui):
    c = counter_ui
    return {
        "somsak": _new(c, "ສົມສັກ ພົມມະຈັນ", phone="020 5555 1234"),
        "somphone": _new(c, "ສົມພອນ ແກ້ວມະນີ", service="MONRE-LAND", id_number="AB12345"),
        "bounmy": _new(c, "ບຸນມີ ວົງສາ", service="MPS-ID-CARD", phone="020 7777 8888"),
    }


def test_list_shows_newest_first_with_lao_service_names(qtbot, ctx, people):
    view = _view(qtbot, ctx)
    assert _shown(view) == [people["bounmy"], people["somphone"], people["somsak"]]
    model = view.model
    assert model.index(0, COL_NAME).data() == "ບຸນມີ ວົງສາ"
    assert model.index(0, COL_SERVICE).data() == "ບັດປະຈຳຕົວ"
    assert model.index(0, COL_STATUS).data() != "received"  # translated
    assert model.headerData(COL_TRACKING, Qt.Orientation.Horizontal) == "ເລກຕິດຕາມ"
    assert view.count.text().startswith("3 ")


def test_search_by_tracking_number_as_you_type(qtbot, ctx, people):
    view = _view(qtbot, ctx)
    type_text(people["somphone"].lower(), view.search)
    qtbot.waitUntil(lambda: _shown(view) == [people["somphone"]])


def test_search_by_lao_name_prefix(qtbot, ctx, people):
    view = _view(qtbot, ctx)
    type_text("ສົມ", view.search)
    qtbot.waitUntil(lambda: set(_shown(view)) == {people["somsak"], people["somphone"]})
    type_text("ພອນ", view.search)
    qtbot.waitUntil(lambda: _shown(view) == [people["somphone"]])


def test_search_by_phone_and_id_number(qtbot, ctx, people):
    view = _view(qtbot, ctx)
    type_text("0207777", view.search)
    qtbot.waitUntil(lambda: _shown(view) == [people["bounmy"]])
    qtbot.keyClick(view.search, Qt.Key.Key_Escape)  # Esc empties the box: the whole list
    qtbot.waitUntil(lambda: len(_shown(view)) == 3)
    type_text("ab123", view.search)
    qtbot.waitUntil(lambda: _shown(view) == [people["somphone"]])


def test_focus_search_selects_what_was_typed(qtbot, ctx, people):
    view = _view(qtbot, ctx)
    view.search.setText("ສົມ")
    view.table.setFocus()
    view.focus_search()
    assert view.search.hasFocus() and view.search.selectedText() == "ສົມ"


def test_status_and_service_filters(qtbot, ctx, counter_ui, people):
    service_requests.change_status(
        counter_ui.store, counter_ui.clerk, people["somsak"], "in_process"
    )
    view = _view(qtbot, ctx)
    view.status.setCurrentIndex(view.status.findData("in_process"))
    assert _shown(view) == [people["somsak"]]
    view.status.setCurrentIndex(0)
    qtbot.waitUntil(lambda: len(_shown(view)) == 3)
    view.service.setCurrentIndex(view.service.findData("MONRE-LAND"))
    assert _shown(view) == [people["somphone"]]
    assert view.count.text().startswith("1 ")


def test_today_and_overdue_filters_colour_the_late_rows(qtbot, ctx, counter_ui, people):
    counter_ui.clock.advance(days=3)  # ID card (7 days) and land (15) are not late; birth is
    fresh = _new(counter_ui, "ນາງ ແສງເດືອນ")
    view = _view(qtbot, ctx)
    model = view.model
    late = {
        model.index(r, 0).data(TrackingRole)
        for r in range(4)
        if model.index(r, 0).data(OverdueRole)
    }
    assert late == {people["somsak"]}
    row = model.row_of(people["somsak"])
    assert model.index(row, COL_NAME).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert model.index(0, COL_NAME).data(Qt.ItemDataRole.BackgroundRole) is None
    view.overdue.setChecked(True)
    assert _shown(view) == [people["somsak"]]
    view.overdue.setChecked(False)
    view.today.setChecked(True)
    assert _shown(view) == [fresh]


def test_enter_in_the_search_opens_the_request_in_the_pane(qtbot, ctx, people):
    view = _view(qtbot, ctx)
    _select(qtbot, view, people["somsak"])
    detail = view.detail
    assert detail.values["citizen_name"].text() == "ສົມສັກ ພົມມະຈັນ"
    assert detail.values["phone"].text() == "02055551234"
    # Received: incomplete, in process, rejected, withdrawn are next; ready and collected not.
    # Every status keeps its button: those not possible now are disabled, not hidden.
    offered = {s for s, b in detail.status_buttons.items() if b.isEnabled()}
    assert offered == {"incomplete", "in_process", "rejected", "withdrawn"}
    assert all(b.isVisibleTo(detail) for b in detail.status_buttons.values())
    # Nothing was handed in: both documents of a birth certificate are marked missing.
    assert detail.record.docs.text().count("ຍັງຂາດ") == 2


def test_status_change_through_the_pane(qtbot, ctx, counter_ui, people):
    view = _view(qtbot, ctx)
    _select(qtbot, view, people["bounmy"])
    qtbot.keyClick(view.table, Qt.Key.Key_Return)  # Enter on the row: to its first action
    button = view.detail.status_buttons["in_process"]
    assert button.hasFocus()
    qtbot.keyClick(button, Qt.Key.Key_Space)
    assert _status(counter_ui, people["bounmy"]) == "in_process"
    # The list and the pane re-read the store; the next step is now on offer.
    row = view.model.row_of(people["bounmy"])
    assert view.model.index(row, COL_STATUS).data() in view.detail.status.text()
    assert view.detail.status_buttons["ready"].isEnabled()
    assert not view.detail.status_buttons["in_process"].isEnabled()
    assert view.table.selectionModel().currentIndex().row() == row
    # The keyboard rests on the status line, not on the next button ("Incomplete…").
    assert view.detail.status.hasFocus()


def test_rejection_asks_for_a_reason(qtbot, ctx, counter_ui, people):
    view = _view(qtbot, ctx)
    _select(qtbot, view, people["somphone"])
    view.detail.status_buttons["rejected"].click()
    dialog = view.detail.dialog
    qtbot.waitUntil(dialog.reason.hasFocus)
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)  # no reason yet: refused, dialog stays
    assert dialog.isVisible() and dialog.reason_error.text() == "ກະລຸນາໃສ່ເຫດຜົນ"
    type_text("ເອກະສານທີ່ດິນບໍ່ຖືກຕ້ອງ", dialog.reason)
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    assert _status(counter_ui, people["somphone"]) == "rejected"
    history = service_requests.get_request(counter_ui.store, people["somphone"])["history"]
    assert history[-1]["reason"] == "ເອກະສານທີ່ດິນບໍ່ຖືກຕ້ອງ"
    assert "ເອກະສານທີ່ດິນບໍ່ຖືກຕ້ອງ" in view.detail.record.history.text()
    assert not any(b.isEnabled() for b in view.detail.status_buttons.values())


def test_escape_cancels_the_reason_dialog(qtbot, ctx, counter_ui, people):
    view = _view(qtbot, ctx)
    _select(qtbot, view, people["somsak"])
    view.detail.status_buttons["withdrawn"].click()
    dialog = view.detail.dialog
    qtbot.waitUntil(dialog.reason.hasFocus)
    type_text("changed mind", dialog.reason)
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert _status(counter_ui, people["somsak"]) == "received"


def test_handing_over_an_unpaid_request_is_refused_in_the_pane(qtbot, ctx, counter_ui, people):
    tracking = people["somsak"]
    for status in ("in_process", "ready"):
        service_requests.change_status(counter_ui.store, counter_ui.clerk, tracking, status)
    view = _view(qtbot, ctx)
    _select(qtbot, view, tracking)
    view.detail.status_buttons["collected"].click()
    question = view.detail.dialog  # handing over cannot be undone: asked first
    qtbot.waitUntil(question.isVisible)
    question.button(QMessageBox.StandardButton.Yes).click()
    assert view.detail.error.isVisible()
    assert "10,000" in view.detail.error.text() and "ຮັບເງິນ" in view.detail.error.text()
    assert _status(counter_ui, tracking) == "ready"


def test_feedback_entry(qtbot, ctx, counter_ui, people):
    view = _view(qtbot, ctx)
    _select(qtbot, view, people["bounmy"])
    view.detail.feedback_button.click()
    dialog = view.detail.dialog
    qtbot.waitUntil(dialog.rating.hasFocus)
    type_text("4", dialog.rating)
    qtbot.keyClick(dialog.rating, Qt.Key.Key_Tab)
    type_text("ບໍລິການໄວ ແລະ ສຸພາບ", dialog.comment)
    qtbot.keyClick(dialog.comment, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    stored = service_requests.get_request(counter_ui.store, people["bounmy"])["feedback"]
    assert (stored["rating"], stored["comment"]) == (4, "ບໍລິການໄວ ແລະ ສຸພາບ")
    assert "★★★★☆" in view.detail.record.feedback.text()
    assert not view.detail.feedback_button.isVisibleTo(view.detail)


def test_feedback_starts_with_no_rating_and_enter_alone_records_none(
    qtbot, ctx, counter_ui, people
):
    view = _view(qtbot, ctx)
    _select(qtbot, view, people["bounmy"])
    view.detail.feedback_button.click()
    dialog = view.detail.dialog
    qtbot.waitUntil(dialog.rating.hasFocus)
    assert dialog.rating.text() == "–"
    qtbot.keyClick(dialog.rating, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.rating_error.isVisible()
    assert "1 ຫາ 5" in dialog.rating_error.text()
    assert service_requests.get_request(counter_ui.store, people["bounmy"])["feedback"] is None


def test_payments_show_void_and_refund_marks(qtbot, ctx, counter_ui, people):
    c = counter_ui
    receipt = payments.record_payment(c.store, c.clerk, people["somsak"])["receipt"]
    payments.void_payment(c.store, c.clerk, receipt, "wrong request", c.supervisor)
    receipt = payments.record_payment(c.store, c.clerk, people["somsak"])["receipt"]
    payments.refund_payment(c.store, c.clerk, receipt, 2_000, "part waived", c.supervisor)
    ctx.lang.set("en")
    view = _view(qtbot, ctx)
    _select(qtbot, view, people["somsak"])
    text = view.detail.record.payments.text()
    assert "VOID" in text and "refunded 2,000 kip" in text
    assert view.detail.values["paid"].text() == "8,000 kip"
    assert view.detail.values["balance"].text() == "2,000 kip"


def test_ctrl_p_opens_the_payment_dialog_for_the_selected_request(qtbot, ctx, people):
    from ui.payment_dialog import PaymentDialog

    view = _view(qtbot, ctx)
    _select(qtbot, view, people["somphone"])
    qtbot.keyClick(view.table, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    dialog = view.detail.dialog
    assert isinstance(dialog, PaymentDialog)
    assert dialog.request["tracking"] == people["somphone"]
    dialog.reject()


def test_list_refreshes_after_a_write_elsewhere(qtbot, ctx, counter_ui, people):
    view = _view(qtbot, ctx)
    ctx.worker.run(
        lambda store: service_requests.record_request(
            store, counter_ui.clerk, service_code="MOHA-BIRTH", citizen_name="ຄຳແພງ"
        ),
        writes=True,
    )
    assert view.model.index(0, COL_NAME).data() == "ຄຳແພງ"
    assert view.count.text().startswith("4 ")


def test_switching_to_english_retranslates_the_list(qtbot, ctx, people):
    view = _view(qtbot, ctx)
    ctx.lang.set("en")
    model = view.model
    assert model.headerData(COL_TRACKING, Qt.Orientation.Horizontal) == "Tracking number"
    assert model.index(0, COL_STATUS).data() == "Received"
    assert view.status.itemText(0) == "All statuses"
    assert view.detail.empty.text().startswith("Select")


# -- stale answers ------------------------------------------------------------------------------
class HeldExecutor(Executor):
    """Keeps tasks until the test lets them run, in order: a worker that is slow on demand."""

    def __init__(self) -> None:
        self.jobs = []

    def submit(self, fn, /, *args, **kwargs):
        self.jobs.append((fn, args, kwargs))
        return Future()

    def run_all(self) -> None:
        while self.jobs:
            fn, args, kwargs = self.jobs.pop(0)
            fn(*args, **kwargs)


def test_an_older_search_answer_is_dropped(qtbot, counter_ui, lang, people):
    held = HeldExecutor()
    worker = Worker(
        lambda: open_store(counter_ui.data_dir, clock=counter_ui.clock, hasher=FAST_HASHER), held
    )
    ctx = CounterContext(worker, lang, counter_ui.clerk, counter_ui.store.office, Path())
    view = _view(qtbot, ctx)
    held.run_all()
    assert len(_shown(view)) == 3
    type_text("ສົມ", view.search)
    qtbot.waitUntil(lambda: len(held.jobs) == 2)  # page and count for "ສົມ"
    type_text("ພອນ", view.search)
    qtbot.waitUntil(lambda: len(held.jobs) == 4)
    fn, args, kwargs = held.jobs.pop(0)
    fn(*args, **kwargs)  # the answer to "ສົມ" arrives after "ສົມພອນ" was asked: not shown
    assert _shown(view) == []
    held.run_all()
    assert _shown(view) == [people["somphone"]]
    worker.shutdown()
    held.run_all()


# -- a big store --------------------------------------------------------------------------------
BIG = 200_000
SERVICES = (("MOHA-BIRTH", 10_000, 1), ("MPS-ID-CARD", 30_000, 7), ("MONRE-LAND", 250_000, 15))


@pytest.fixture(scope="module")
def big_store(tmp_path_factory):
    """A copy of a counter's store with 200,000 requests, inserted straight with sqlite3.

    The `requests_current` trigger fills request_current for each row (status received), as the
    app's own inserts do; foreign keys point at the real clerk and the demo catalog's services.
    """
    root = tmp_path_factory.mktemp("big")
    counter = make_counter(root / "template", FakeClock())
    clerk = counter.clerk
    counter.store.close()
    data_dir = root / "data"
    data_dir.mkdir()
    shutil.copy(root / "template" / STORE_FILE, data_dir / STORE_FILE)
    first = date(2026, 11, 26) - timedelta(days=BIG // 100)
    days = [first + timedelta(days=n) for n in range(BIG // 100)]
    stamps = [(d.isoformat(), f"{d:%y%m%d}") for d in days]
    promised = [[(d + timedelta(days=s[2])).isoformat() for s in SERVICES] for d in days]
    name = "ສົມສັກ ພົມມະຈັນ"
    key = search_key(name)

    def rows():
        for n in range(BIG):
            day, seq, kind = n // 100, n % 100 + 1, n % 3
            iso, short = stamps[day]
            code, fee, _ = SERVICES[kind]
            yield (
                f"req-{n:07d}",
                f"VTE-SST-1-{short}-{seq:04d}",
                iso,
                seq,
                f"{iso}T02:00:00.000000Z",
                clerk.id,
                f"{name} {n}",
                f"{key} {n}",
                f"0205{n:07d}",
                code,
                fee,
                promised[day][kind],
            )

    conn = sqlite3.connect(data_dir / STORE_FILE)
    conn.execute("PRAGMA synchronous = OFF")  # a throwaway copy: no need to wait for the disk
    with conn:
        conn.executemany(
            "INSERT INTO requests (id, tracking, business_date, daily_seq, created_at,"
            " created_by, citizen_name, name_key, phone, service_code, catalog_version, fee,"
            " promised_date, documents) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, '[]')",
            rows(),
        )
    conn.close()
    return data_dir, clerk


def test_a_big_store_opens_with_one_page_and_fetches_in_pages(qtbot, lang, big_store):
    data_dir, clerk = big_store
    statements = []

    def open_traced():
        store = open_store(data_dir, clock=FakeClock(), hasher=FAST_HASHER)
        store.conn.set_trace_callback(statements.append)
        return store

    worker = Worker(open_traced, ImmediateExecutor())
    ctx = CounterContext(worker, lang, clerk, {"office_code": "VTE-SST"}, data_dir)
    started = time.perf_counter()
    view = _view(qtbot, ctx)
    opened = time.perf_counter() - started
    model = view.model

    def pages():
        return [s for s in statements if "ORDER BY r.rowid DESC LIMIT" in s]

    assert model.rowCount() == browse.PAGE_SIZE
    assert model.canFetchMore()
    assert len(pages()) == 1
    assert view.count.text() == "ຫຼາຍກວ່າ 10,000 ຄຳຮ້ອງ"
    # Every query is bounded: none reads the whole table.
    reads = [s for s in statements if "FROM requests" in s]
    assert all("LIMIT" in s for s in reads)
    assert opened < 2.0, f"opening took {opened:.2f} s"

    view.table.scrollToBottom()  # the view asks for more as the end comes into sight
    qtbot.waitUntil(lambda: model.rowCount() == 2 * browse.PAGE_SIZE)
    view.table.scrollToBottom()
    qtbot.waitUntil(lambda: model.rowCount() == 3 * browse.PAGE_SIZE)
    assert len(pages()) == 3 and model.pages_requested == 3
    shown = _shown(view)
    assert len(set(shown)) == len(shown)  # pages follow each other without overlap
    worker.shutdown()


def test_pages_and_searches_arrive_from_the_background_thread(qtbot, lang, big_store):
    data_dir, clerk = big_store
    # The app's own worker: a thread of its own, answers queued back to the UI thread.
    worker = Worker(lambda: open_store(data_dir, clock=FakeClock(), hasher=FAST_HASHER))
    ctx = CounterContext(worker, lang, clerk, {"office_code": "VTE-SST"}, data_dir)
    view = _view(qtbot, ctx)
    model = view.model
    qtbot.waitUntil(lambda: model.rowCount() == browse.PAGE_SIZE)
    view.table.scrollToBottom()
    qtbot.waitUntil(lambda: model.rowCount() == 2 * browse.PAGE_SIZE)
    type_text("02050000123", view.search)
    qtbot.waitUntil(lambda: model.rowCount() == 1)
    assert model.index(0, COL_NAME).data() == "ສົມສັກ ພົມມະຈັນ 123"
    worker.shutdown()


def test_screenshots_in_lao_and_english(qtbot, ctx, counter_ui, people):
    """The list with overdue rows and the pane of a request with a full record, both languages.

    Saved under ODSC_SHOTS_DIR (default /tmp/odsc-shots) for a person to look at.
    """
    c = counter_ui
    somphone = people["somphone"]
    receipt = payments.record_payment(c.store, c.clerk, somphone)["receipt"]
    payments.void_payment(c.store, c.clerk, receipt, "ຮັບເງິນຜິດຄຳຮ້ອງ", c.supervisor)
    receipt = payments.record_payment(c.store, c.clerk, somphone)["receipt"]
    payments.refund_payment(c.store, c.clerk, receipt, 50_000, "ຫຼຸດຄ່າທຳນຽມ", c.supervisor)
    service_requests.change_status(c.store, c.clerk, somphone, "incomplete", "ຂາດສຳເນົາປຶ້ມສຳມະໂນຄົວ")
    service_requests.change_status(c.store, c.clerk, somphone, "in_process")
    feedback.record_feedback(c.store, c.clerk, somphone, 4, "ພະນັກງານສຸພາບ ແລະ ບໍລິການໄວ")
    c.clock.advance(days=14)  # the birth certificate and the ID card are now overdue
    _new(c, "ນາງ ແສງເດືອນ ສີສຸວັນ", service="MOIC-ENT-REG", village="ບ້ານໂພນສະອາດ")
    folder = Path(os.environ.get("ODSC_SHOTS_DIR", "/tmp/odsc-shots"))
    folder.mkdir(parents=True, exist_ok=True)
    view = _view(qtbot, ctx)
    view.resize(1100, 640)  # the tab's room in the window's first size
    _select(qtbot, view, somphone)
    view.search.clear()
    qtbot.waitUntil(lambda: len(_shown(view)) == 4)
    for code in ("lo", "en"):
        ctx.lang.set(code)
        label = view.detail.field_names["citizen_name"]
        qtbot.waitUntil(lambda label=label: label.width() >= label.sizeHint().width())
        for name, widget in (("requests", view), ("request-detail", view.detail.body)):
            path = folder / f"{name}-{code}.png"
            assert widget.grab().save(str(path))
            assert path.stat().st_size > 10_000
        for name, dialog in (
            ("reason-dialog", ReasonDialog(ctx, somphone, "rejected")),
            ("feedback-dialog", FeedbackDialog(ctx, somphone)),
        ):
            qtbot.addWidget(dialog)
            dialog.show()
            assert dialog.grab().save(str(folder / f"{name}-{code}.png"))
