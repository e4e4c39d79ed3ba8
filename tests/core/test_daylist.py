from datetime import date

from odsc_desk.domain import cash, payments, service_requests, settings
from odsc_desk.queries import daybook, daylist

DAY = date(2026, 11, 26)


def _paid(c, service, method="cash"):
    r = service_requests.record_request(c.store, c.clerk, service_code=service, citizen_name="Noy")
    return payments.record_payment(c.store, c.clerk, r["tracking"], method=method)


def test_today_is_the_office_date_by_the_store_clock(counter):
    # 23:30 in Vientiane is still the 26th although UTC says 16:30.
    counter.clock.set_local(2026, 11, 26, hour=23)
    counter.clock.advance(minutes=30)
    assert daylist.today(counter.store) == DAY


def test_day_payments_list_receipts_with_their_corrections(open_counter):
    c = open_counter
    a = _paid(c, "MOIC-ENT-REG")
    b = _paid(c, "MOHA-BIRTH", "transfer")
    payments.void_payment(c.store, c.clerk, a["receipt"], "wrong service", c.supervisor)
    payments.refund_payment(c.store, c.clerk, b["receipt"], 4_000, "overcharged", c.supervisor)
    rows = daylist.day_payments(c.store, DAY)
    assert [(r["receipt"], r["voided"], r["refunded"]) for r in rows] == [
        (a["receipt"], 1, 0),
        (b["receipt"], 0, 4_000),
    ]
    assert rows[1]["method"] == "transfer"
    assert rows[0]["tracking"] == a["tracking"]
    assert rows[0]["service_lo"] and rows[0]["service_en"]
    assert daylist.day_payments(c.store, date(2026, 11, 27)) == []


def test_drawer_shows_expected_cash_and_the_limit(open_counter):
    c = open_counter
    _paid(c, "MOHA-BIRTH")  # 10,000 cash
    _paid(c, "MPWT-VEH-REG", "transfer")
    settings.set_value(c.store, c.admin, "cash_difference_limit", "2,000")
    d = daylist.drawer(c.store)
    assert (d["float_amount"], d["expected"], d["difference_limit"], d["stale"]) == (
        50_000,
        60_000,
        2_000,
        False,
    )
    cash.close_cash(c.store, c.clerk, 60_000)
    assert daylist.drawer(c.store) is None


def test_a_drawer_left_open_overnight_is_stale(open_counter):
    open_counter.clock.advance(days=1)
    assert daylist.drawer(open_counter.store)["stale"] is True


def test_snapshot_carries_the_daybook_figures(open_counter):
    c = open_counter
    _paid(c, "MOHA-BIRTH")
    snap = daylist.day_snapshot(c.store, DAY)
    assert snap["today"] == "2026-11-26"
    assert snap["totals"] == daybook.day_totals(c.store, DAY)
    assert len(snap["payments"]) == 1
    assert snap["drawer"]["expected"] == 60_000
    assert snap["money"] == {"grouping": ",", "unit": "ກີບ"}


def test_money_format_follows_the_office_settings(open_counter):
    c = open_counter
    settings.set_value(c.store, c.admin, "money_grouping", ".")
    settings.set_value(c.store, c.admin, "money_unit", "₭")
    assert daylist.money_format(c.store) == {"grouping": ".", "unit": "₭"}
    assert daylist.drawer(c.store)["money"] == {"grouping": ".", "unit": "₭"}
