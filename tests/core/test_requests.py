from datetime import date

import pytest

from odsc_desk.domain import payments, service_requests
from odsc_desk.shared.errors import NotFoundError, StateError, ValidationError


def _new(c, name="ສົມສັກ ພົມມະຈັນ", service="MOHA-BIRTH", **extra):
    return service_requests.record_request(
        c.store, c.clerk, service_code=service, citizen_name=name, **extra
    )


def test_request_keeps_fee_version_and_documents(counter):
    r = _new(
        counter,
        phone="020 5555 1234",
        id_number="ab123",
        village="ບ້ານໂພນສະອາດ",
        documents=["birth-notice"],
    )
    assert (r["fee"], r["catalog_version"], r["status"]) == (10_000, 1, "received")
    assert r["documents"] == ["BIRTH-NOTICE"]
    assert r["missing_documents"] == ["FAMBOOK-COPY"]
    assert (r["phone"], r["id_number"]) == ("02055551234", "AB123")
    assert r["service"]["ministry_en"] == "Ministry of Home Affairs"


def test_unknown_service_and_document(counter):
    with pytest.raises(NotFoundError) as err:
        _new(counter, service="MOHA-NOPE")
    assert err.value.code == "service.unknown"
    with pytest.raises(ValidationError) as err:
        _new(counter, documents=["PHOTO"])
    assert err.value.code == "document.unknown"
    assert counter.store.scalar("SELECT COUNT(*) FROM requests") == 0


def test_the_happy_path_of_statuses(open_counter):
    counter = open_counter
    tracking = _new(counter)["tracking"]
    payments.record_payment(counter.store, counter.clerk, tracking)
    for status in ("in_process", "ready", "collected"):
        r = service_requests.change_status(counter.store, counter.clerk, tracking, status)
    assert [h["status"] for h in r["history"]] == ["in_process", "ready", "collected"]
    assert r["status"] == "collected"


@pytest.mark.parametrize(
    ("path", "illegal"),
    [
        ((), "collected"),
        ((), "ready"),
        ((("in_process", None), ("ready", None)), "rejected"),
        ((("rejected", "forged documents"),), "in_process"),
        ((("in_process", None), ("ready", None), ("collected", None)), "received"),
    ],
)
def test_illegal_status_changes_are_refused(open_counter, path, illegal):
    counter = open_counter
    tracking = _new(counter)["tracking"]
    payments.record_payment(counter.store, counter.clerk, tracking)
    for status, reason in path:
        service_requests.change_status(counter.store, counter.clerk, tracking, status, reason)
    events = counter.store.scalar("SELECT COUNT(*) FROM status_events")
    with pytest.raises(StateError) as err:
        service_requests.change_status(counter.store, counter.clerk, tracking, illegal, "why")
    assert err.value.code == "status.illegal"
    assert counter.store.scalar("SELECT COUNT(*) FROM status_events") == events


@pytest.mark.parametrize("status", ["incomplete", "rejected", "withdrawn"])
def test_statuses_that_need_a_reason(counter, status):
    tracking = _new(counter)["tracking"]
    with pytest.raises(ValidationError) as err:
        service_requests.change_status(counter.store, counter.clerk, tracking, status, "  ")
    assert err.value.code == "reason.required"


def test_overdue_means_open_and_past_the_promised_date(counter):
    late = _new(counter, name="Late")["tracking"]
    ready = _new(counter, name="Ready")["tracking"]
    service_requests.change_status(counter.store, counter.clerk, ready, "in_process")
    service_requests.change_status(counter.store, counter.clerk, ready, "ready")
    assert service_requests.overdue(counter.store, date(2026, 11, 27)) == []
    overdue = service_requests.overdue(counter.store, date(2026, 11, 28))
    assert [r["tracking"] for r in overdue] == [late]
    listed = service_requests.list_requests(counter.store, overdue_on=date(2026, 11, 28))
    assert [r["tracking"] for r in listed] == [late]


@pytest.fixture
def people(counter):
    names = ["ສົມສັກ ພົມມະຈັນ", "ສົມພອນ ແກ້ວມະນີ", "ບຸນມີ ສີສຸວັນ", "Somsak Phommachan"]
    made = [
        _new(counter, name=n, phone=f"0205555{i:04d}", id_number=f"ID{i:05d}")
        for i, n in enumerate(names)
    ]
    return counter, made


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ສົມ", {0, 1}),  # Lao prefix
        ("ພົມມະ", {0}),  # Lao family name: substring
        ("somsak", {3}),  # Latin, any case
        ("SOMSAK PHOM", {3}),
        ("02055550002", {2}),  # phone
        ("0205555", {0, 1, 2, 3}),  # phone prefix
        ("id00001", {1}),  # ID number
        ("ນາງ", set()),
    ],
)
def test_search(people, query, expected):
    counter, made = people
    found = {r["tracking"] for r in service_requests.search_requests(counter.store, query)}
    assert found == {made[i]["tracking"] for i in expected}


def test_search_by_tracking_number(people):
    counter, made = people
    found = service_requests.search_requests(counter.store, made[2]["tracking"].lower())
    assert [r["tracking"] for r in found] == [made[2]["tracking"]]


def test_list_filters_by_day_and_status(people):
    counter, made = people
    service_requests.change_status(counter.store, counter.clerk, made[0]["tracking"], "in_process")
    assert len(service_requests.list_requests(counter.store, day=date(2026, 11, 26))) == 4
    assert service_requests.list_requests(counter.store, day=date(2026, 11, 25)) == []
    in_process = service_requests.list_requests(counter.store, status="in_process")
    assert [r["tracking"] for r in in_process] == [made[0]["tracking"]]
    searched = service_requests.list_requests(counter.store, search="ສົມ", status="received")
    assert [r["tracking"] for r in searched] == [made[1]["tracking"]]


def test_a_service_must_be_chosen(counter):
    with pytest.raises(ValidationError) as err:
        _new(counter, service="  ")
    assert (err.value.code, err.value.field) == ("service.required", "service")
