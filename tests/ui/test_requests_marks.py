"""The request list marks what needs attention (unpaid, documents missing, overdue) in words
and colour, gives each status its own colour and a label whose first word differs, names
services in the screen's language, and stays still while its tab is hidden (issue 11)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from odsc_desk.domain import payments, service_requests
from odsc_desk.shared import request_history
from tests.ui.test_requests_view import _new, _view
from ui.requests_model import (
    COL_MARKS,
    COL_NAME,
    COL_SERVICE,
    COL_STATUS,
    STATUS_COLOURS,
    BalanceRole,
    MarksRole,
    status_label,
)

BACKGROUND = Qt.ItemDataRole.BackgroundRole


@pytest.fixture
def requests_of_a_day(counter_ui):
    """Four requests, three days ago: the birth certificate (3 working days) is now late."""
    c = counter_ui
    made = {
        "unpaid_late": _new(c, "ສົມສັກ", service="MOHA-BIRTH"),
        "paid": _new(c, "ບຸນມີ", service="MPS-ID-CARD"),
        "incomplete": _new(c, "ສົມພອນ", service="MONRE-LAND"),
        "rejected": _new(c, "ແສງເດືອນ", service="MPS-ID-CARD"),
    }
    payments.record_payment(c.store, c.clerk, made["paid"])
    service_requests.change_status(c.store, c.clerk, made["incomplete"], "incomplete", "ຂາດໃບຕາດິນ")
    service_requests.change_status(c.store, c.clerk, made["rejected"], "rejected", "ບໍ່ແມ່ນບ້ານນີ້")
    c.clock.advance(days=3)
    return made


def _row(view, tracking):
    return view.model.row_of(tracking)


def test_unpaid_incomplete_and_late_requests_are_marked_in_words(
    qtbot, ctx, counter_ui, requests_of_a_day
):
    view = _view(qtbot, ctx)
    model = view.model

    def cell(name, role=Qt.ItemDataRole.DisplayRole):
        return model.index(_row(view, requests_of_a_day[name]), COL_MARKS).data(role)

    assert cell("unpaid_late", MarksRole) == ("unpaid", "overdue")
    assert cell("unpaid_late", BalanceRole) == 10_000
    assert cell("unpaid_late") == "ຍັງບໍ່ຈ່າຍ 10,000 ກີບ · ກາຍວັນນັດ"
    assert cell("incomplete", MarksRole) == ("unpaid", "incomplete")
    assert cell("incomplete").endswith("· ເອກະສານຍັງຂາດ")
    assert cell("paid", MarksRole) == () and cell("paid") == ""
    # A refused request owes nothing: its fee is not chased.
    assert cell("rejected", MarksRole) == () and cell("rejected", BalanceRole) == 0
    assert model.headerData(COL_MARKS, Qt.Orientation.Horizontal) == "ຕ້ອງເອົາໃຈໃສ່"
    # A mark is coloured too, and bold: it stands out without being only a colour.
    assert cell("unpaid_late", Qt.ItemDataRole.FontRole).bold()
    ctx.lang.set("en")
    assert cell("unpaid_late") == "Unpaid 10,000 kip · Overdue"
    assert cell("incomplete").endswith("· Documents missing")
    assert model.headerData(COL_MARKS, Qt.Orientation.Horizontal) == "Attention"


def test_each_status_has_its_own_colour_and_a_label_that_differs_by_its_first_word(
    qtbot, ctx, requests_of_a_day
):
    view = _view(qtbot, ctx)
    model = view.model
    colours = {}
    for name, tracking in requests_of_a_day.items():
        index = model.index(_row(view, tracking), COL_STATUS)
        colours[name] = index.data(BACKGROUND).color().name()
        assert index.data() == status_label(index.data(Qt.ItemDataRole.UserRole + 2))
    assert len(set(colours.values())) == 3  # received (twice), incomplete, rejected
    assert len({bg.name() for bg, _text in STATUS_COLOURS.values()}) == len(STATUS_COLOURS)
    # The late row keeps its red elsewhere; its status cell shows the status's colour.
    late = _row(view, requests_of_a_day["unpaid_late"])
    assert model.index(late, COL_NAME).data(BACKGROUND) is not None
    assert colours["unpaid_late"] == STATUS_COLOURS["received"][0].name()
    for code in ("lo", "en"):
        ctx.lang.set(code)
        labels = [status_label(s) for s in request_history.STATUSES]
        first_words = [label.split()[0] for label in labels]
        assert len(set(first_words)) == len(labels), labels
    ctx.lang.set("lo")
    assert status_label("received") == "ຮັບຄຳຮ້ອງແລ້ວ"
    assert status_label("collected") == "ສົ່ງຜົນໃຫ້ແລ້ວ"


def test_the_service_is_named_in_the_screens_language(qtbot, ctx, counter_ui, requests_of_a_day):
    view = _view(qtbot, ctx)
    index = view.model.index(_row(view, requests_of_a_day["paid"]), COL_SERVICE)
    assert index.data() == "ບັດປະຈຳຕົວ"
    ctx.lang.set("en")
    english = counter_ui.store.scalar("SELECT name_en FROM services WHERE code = 'MPS-ID-CARD'")
    assert index.data() == english
    assert index.data(Qt.ItemDataRole.ToolTipRole) == f"ບັດປະຈຳຕົວ\n{english}"
    # The choice of services below the search too.
    assert view.service.findText(english) > 0


def test_a_hidden_list_waits_for_its_tab_to_be_shown(qtbot, ctx, counter_ui):
    first = _new(counter_ui, "ສົມສັກ")
    view = _view(qtbot, ctx)
    asked = view.model.pages_requested

    def write(name):
        ctx.worker.run(
            lambda store: service_requests.record_request(
                store, ctx.actor, service_code="MOHA-BIRTH", citizen_name=name
            ),
            writes=True,
        )

    write("ບຸນມີ")  # shown: re-read at once, as before
    assert view.model.pages_requested == asked + 1 and view.model.rowCount() == 2
    view.hide()
    for name in ("ແສງ", "ພອນ", "ນ້ອຍ"):  # a morning of intake on the other tab
        write(name)
    assert view.model.pages_requested == asked + 1
    assert view.stale and view.model.rowCount() == 2
    view.show()
    qtbot.waitUntil(lambda: view.model.rowCount() == 5)
    assert view.model.pages_requested == asked + 2  # one read for the three writes
    assert not view.stale
    assert view.model.row_of(first) == 4
