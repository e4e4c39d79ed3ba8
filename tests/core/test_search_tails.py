"""Searching by the end of a tracking number, newest first, and saying when a list is cut."""

import pytest

from odsc_desk.domain import service_requests
from odsc_desk.queries import browse
from odsc_desk.queries.browse import Filters


def _new(c, name="ສົມສັກ ພົມມະຈັນ", **extra):
    return service_requests.record_request(
        c.store, c.clerk, service_code="MOHA-BIRTH", citizen_name=name, **extra
    )["tracking"]


def _found(store, text, limit=50):
    return [r["tracking"] for r in service_requests.search_requests(store, text, limit)]


@pytest.fixture
def three_days(counter):
    """Three requests a day on 24, 25 and 26 November 2026 (the clock's today is the 26th)."""
    counter.clock.set_local(2026, 11, 24)
    made = {}
    for day in (24, 25, 26):
        counter.clock.set_local(2026, 11, day)
        made[day] = [_new(counter, name=f"Citizen {day}-{n}") for n in (1, 2, 3)]
    return counter, made


@pytest.mark.parametrize(
    "typed",
    [
        "261125-0002",
        "261125-2",
        "261125 0002",
        "1-261125-0002",
        "sst-1-261125-2",
        "VTE-SST-1-261125-2",
    ],
)
def test_the_date_and_sequence_of_a_tracking_number_find_it(three_days, typed):
    counter, made = three_days
    assert _found(counter.store, typed) == [made[25][1]]


def test_a_tail_with_another_office_finds_nothing(three_days):
    counter, _ = three_days
    assert _found(counter.store, "LPB-1-261125-0002") == []
    assert _found(counter.store, "261127-0002") == []


@pytest.mark.parametrize("typed", ["2", "02", "0002"])
def test_a_daily_sequence_alone_lists_that_number_of_each_day_newest_first(three_days, typed):
    counter, made = three_days
    assert _found(counter.store, typed) == [made[26][1], made[25][1], made[24][1]]


def test_a_sequence_no_day_reached_finds_nothing(three_days):
    counter, _ = three_days
    assert _found(counter.store, "0004") == []
    assert _found(counter.store, "0") == []


def test_a_sequence_search_cut_at_its_limit_keeps_the_newest_days_and_says_so(three_days):
    counter, made = three_days
    found = service_requests.find_requests(counter.store, "0003", limit=2)
    assert ([r["tracking"] for r in found.rows], found.more) == ([made[26][2], made[25][2]], True)
    whole = service_requests.find_requests(counter.store, "0003", limit=3)
    assert (len(whole.rows), whole.more) == (3, False)


def test_a_sequence_walks_the_day_index_not_the_tracking_numbers(three_days):
    counter, _ = three_days
    statements = []
    counter.store.conn.set_trace_callback(statements.append)
    service_requests.find_requests(counter.store, "0002")
    counter.store.conn.set_trace_callback(None)
    by_sequence = [s for s in statements if "daily_seq" in s]
    assert by_sequence and not any("LIKE" in s.upper() for s in statements)
    plan = counter.store.conn.execute(
        "EXPLAIN QUERY PLAN " + service_requests._BY_SEQUENCE, (2, 51)
    ).fetchall()
    steps = [row[-1] for row in plan]
    assert not any(step.startswith("SCAN r") or step == "SCAN requests" for step in steps)
    assert any("business_date=? AND daily_seq=?" in step for step in steps)


def test_digits_list_the_sequence_first_then_phones_that_start_with_them(three_days):
    counter, made = three_days
    phone = _new(counter, name="Noy", phone="0003 123 456")  # the 26th's fourth request
    assert _found(counter.store, "0003") == [made[26][2], made[25][2], made[24][2], phone]


def test_name_matches_come_newest_first(counter):
    first = _new(counter, "ສົມສັກ ພົມມະຈັນ")
    _new(counter, "ບຸນມີ ວົງສາ")
    second = _new(counter, "ສົມພອນ ແກ້ວມະນີ")
    counter.clock.advance(days=1)
    third = _new(counter, "ສົມສັກ ສີສຸວັນ")
    assert _found(counter.store, "ສົມ") == [third, second, first]
    assert _found(counter.store, "ພົມມະ") == [first]  # a substring: the fallback


def test_a_name_search_cut_at_its_limit_keeps_the_newest_and_says_so(counter):
    made = [_new(counter, f"Somsak {n}") for n in range(5)]
    found = service_requests.find_requests(counter.store, "somsak", limit=3)
    assert ([r["tracking"] for r in found.rows], found.more) == (made[:1:-1], True)
    whole = service_requests.find_requests(counter.store, "somsak", limit=5)
    assert ([r["tracking"] for r in whole.rows], whole.more) == (made[::-1], False)


@pytest.mark.parametrize("typed", ["somsak", "sak"])  # a prefix, and a substring
@pytest.mark.parametrize("walk", [20_000, 2])  # the walk back finds them, or is too short
def test_common_names_still_give_the_newest(counter, monkeypatch, typed, walk):
    # Past _SORT_AT_MOST matches (and for any substring) the search first walks back from the
    # newest request, _WALK_ROWS far; if that holds too few, it reads the name index.
    monkeypatch.setattr(service_requests, "_SORT_AT_MOST", 4)
    monkeypatch.setattr(service_requests, "_WALK_ROWS", walk)
    made = [_new(counter, f"Somsak {n}") for n in range(8)]
    _new(counter, "Bounmy")
    found = service_requests.find_requests(counter.store, typed, limit=3)
    assert ([r["tracking"] for r in found.rows], found.more) == (made[:4:-1], True)
    few = service_requests.find_requests(counter.store, typed, limit=8)
    assert ([r["tracking"] for r in few.rows], few.more) == (made[::-1], False)


def test_phone_matches_come_newest_first(counter):
    made = [_new(counter, f"Citizen {n}", phone=f"020 5555 {n:04d}") for n in range(3)]
    assert _found(counter.store, "0205555") == made[::-1]


def test_an_exact_tracking_number_is_still_found_alone(three_days):
    counter, made = three_days
    found = service_requests.find_requests(counter.store, made[24][0].lower())
    assert ([r["tracking"] for r in found.rows], found.more) == ([made[24][0]], False)


def test_the_list_page_says_when_a_search_is_cut(three_days, monkeypatch):
    counter, made = three_days
    monkeypatch.setattr(browse, "SEARCH_LIMIT", 2)
    page = browse.page_requests(counter.store, Filters(search="2"))
    assert ([r["tracking"] for r in page.rows], page.cut, page.more) == (
        [made[26][1], made[25][1]],
        True,
        False,
    )
    whole = browse.page_requests(counter.store, Filters(search="261124-2"))
    assert ([r["tracking"] for r in whole.rows], whole.cut) == ([made[24][1]], False)
    assert browse.page_requests(counter.store, Filters()).cut is False
