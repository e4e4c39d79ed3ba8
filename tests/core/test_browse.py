import pytest

from odsc_desk.domain import feedback, payments, service_requests
from odsc_desk.queries import browse
from odsc_desk.queries.browse import Filters
from odsc_desk.shared.errors import ValidationError


def _new(c, name="ສົມສັກ ພົມມະຈັນ", service="MOHA-BIRTH", **extra):
    return service_requests.record_request(
        c.store, c.clerk, service_code=service, citizen_name=name, **extra
    )["tracking"]


def _trackings(page):
    return [row["tracking"] for row in page.rows]


def test_pages_run_newest_first_and_continue_without_overlap(counter):
    made = [_new(counter, name=f"Citizen {n}") for n in range(7)]
    first = browse.page_requests(counter.store, Filters(), limit=3)
    assert _trackings(first) == made[::-1][:3]
    assert first.more
    second = browse.page_requests(counter.store, Filters(), first.cursor, limit=3)
    third = browse.page_requests(counter.store, Filters(), second.cursor, limit=3)
    assert _trackings(second) == made[::-1][3:6]
    assert (_trackings(third), third.more) == (made[:1], False)


def test_a_page_that_ends_exactly_at_the_last_row_says_no_more(counter):
    for n in range(3):
        _new(counter, name=f"Citizen {n}")
    page = browse.page_requests(counter.store, Filters(), limit=3)
    assert (len(page.rows), page.more) == (3, False)


def test_row_columns(counter):
    tracking = _new(counter, service="MOIC-ENT-REG", phone="020 5555 1234")
    row = browse.page_requests(counter.store, Filters()).rows[0]
    assert row["tracking"] == tracking
    assert (row["service_lo"], row["service_en"]) == (
        "ການຈົດທະບຽນວິສາຫະກິດ",
        "Enterprise registration",
    )
    assert (row["fee"], row["paid"], row["status"], row["overdue"]) == (
        150_000,
        0,
        "received",
        0,
    )
    assert row["business_date"] == "2026-11-26"


def test_paid_leaves_out_voided_receipts_and_refunds(open_counter):
    c = open_counter
    voided, refunded = _new(c, name="Void Case"), _new(c, name="Refund Case")
    receipt = payments.record_payment(c.store, c.clerk, voided)["receipt"]
    payments.void_payment(c.store, c.clerk, receipt, "wrong request", c.supervisor)
    receipt = payments.record_payment(c.store, c.clerk, refunded)["receipt"]
    payments.refund_payment(c.store, c.clerk, receipt, 4_000, "fee waived in part", c.supervisor)
    paid = {row["tracking"]: row["paid"] for row in browse.page_requests(c.store, Filters()).rows}
    assert paid == {voided: 0, refunded: 6_000}


def test_today_filter_uses_the_store_date(counter):
    yesterday = _new(counter, name="Yesterday")
    counter.clock.advance(days=1)
    today = _new(counter, name="Today")
    assert _trackings(browse.page_requests(counter.store, Filters(today=True))) == [today]
    assert yesterday in _trackings(browse.page_requests(counter.store, Filters()))


def test_status_and_service_filters(counter):
    birth = _new(counter, service="MOHA-BIRTH")
    land = _new(counter, service="MONRE-LAND")
    service_requests.change_status(counter.store, counter.clerk, land, "in_process")
    store = counter.store
    assert _trackings(browse.page_requests(store, Filters(status="in_process"))) == [land]
    assert _trackings(browse.page_requests(store, Filters(service_code="MOHA-BIRTH"))) == [birth]
    assert (
        browse.page_requests(store, Filters(status="ready", service_code="MONRE-LAND")).rows == []
    )


def test_overdue_means_open_and_past_the_promised_date(open_counter):
    c = open_counter
    late = _new(c, name="Late", service="MOHA-BIRTH")
    done = _new(c, name="Done", service="MOHA-BIRTH")
    payments.record_payment(c.store, c.clerk, done)
    for status in ("in_process", "ready", "collected"):
        service_requests.change_status(c.store, c.clerk, done, status)
    c.clock.advance(days=7)
    on_time = _new(c, name="On time", service="MONRE-LAND")
    page = browse.page_requests(c.store, Filters(overdue=True))
    assert _trackings(page) == [late]
    flags = {r["tracking"]: r["overdue"] for r in browse.page_requests(c.store, Filters()).rows}
    assert flags == {late: 1, done: 0, on_time: 0}


def test_search_keeps_its_own_order_and_the_other_filters(counter):
    kham = _new(counter, name="ຄຳແພງ ວົງສາ", phone="020 2222 3333")
    khamla = _new(counter, name="ຄຳລາ ສີສຸກ")
    other = _new(counter, name="ບຸນມີ ແກ້ວ")
    service_requests.change_status(counter.store, counter.clerk, khamla, "in_process")
    store = counter.store
    assert _trackings(browse.page_requests(store, Filters(search=kham))) == [kham]
    assert set(_trackings(browse.page_requests(store, Filters(search="ຄຳ")))) == {kham, khamla}
    assert _trackings(browse.page_requests(store, Filters(search="02022223"))) == [kham]
    found = browse.page_requests(store, Filters(search="ຄຳ", status="in_process"))
    assert (_trackings(found), found.more) == ([khamla], False)
    assert browse.page_requests(store, Filters(search="ສົມ")).rows == []
    assert other not in _trackings(browse.page_requests(store, Filters(search="ຄຳ")))


def test_count_stops_at_the_cap(counter):
    for n in range(5):
        _new(counter, name=f"Citizen {n}")
    assert browse.count_requests(counter.store, Filters()) == 5
    assert browse.count_requests(counter.store, Filters(), cap=3) == 4
    assert browse.count_requests(counter.store, Filters(status="ready")) == 0
    assert browse.count_requests(counter.store, Filters(search="Citizen 1")) == 1


def test_unknown_status_filter_is_refused(counter):
    with pytest.raises(ValidationError) as err:
        browse.page_requests(counter.store, Filters(status="lost"))
    assert err.value.code == "status.unknown"


def test_request_detail_names_documents_and_says_overdue(counter):
    tracking = _new(counter, documents=["BIRTH-NOTICE"])
    feedback.record_feedback(counter.store, counter.clerk, tracking, 4, "quick")
    detail = browse.request_detail(counter.store, tracking)
    assert detail["missing_documents"] == ["FAMBOOK-COPY"]
    assert detail["document_names"]["BIRTH-NOTICE"]["name_en"] == "Hospital birth notice"
    assert detail["feedback"]["rating"] == 4
    assert detail["overdue"] is False
    counter.clock.advance(days=5)
    assert browse.request_detail(counter.store, tracking)["overdue"] is True


def test_service_choices_are_the_current_catalog(counter):
    codes = [s["code"] for s in browse.service_choices(counter.store)]
    assert "MOHA-BIRTH" in codes and len(codes) == 9


def test_open_only_filters_page_through_the_open_index(counter):
    made = [_new(counter, name=f"Citizen {n}") for n in range(5)]
    service_requests.change_status(counter.store, counter.clerk, made[2], "rejected", "forged")
    counter.clock.advance(days=7)  # the other four are now overdue
    for filters in (Filters(overdue=True), Filters(status="received")):
        first = browse.page_requests(counter.store, filters, limit=2)
        rest = browse.page_requests(counter.store, filters, first.cursor, limit=2)
        assert _trackings(first) + _trackings(rest) == [made[4], made[3], made[1], made[0]]
        assert (first.more, rest.more) == (True, False)
        assert browse.count_requests(counter.store, filters) == 4
