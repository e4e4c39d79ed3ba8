from datetime import date

import pytest

from odsc_desk.domain import cash, payments, service_requests, settings
from odsc_desk.queries import daybook
from odsc_desk.shared.errors import StateError, ValidationError


def _paid(c, service, method="cash", who=None):
    r = service_requests.record_request(
        c.store, who or c.clerk, service_code=service, citizen_name="Noy"
    )
    return payments.record_payment(c.store, who or c.clerk, r["tracking"], method=method)


@pytest.fixture
def busy_day(counter):
    c = counter
    cash.open_cash(c.store, c.clerk, 100_000)
    a = _paid(c, "MOIC-ENT-REG")  # 150,000 cash
    _paid(c, "MOHA-BIRTH")  # 10,000 cash
    _paid(c, "MPWT-VEH-REG", "transfer")  # 80,000 transfer
    d = _paid(c, "MOHA-MARR", who=c.supervisor)  # 30,000 cash
    e = _paid(c, "MONRE-LAND", "transfer")  # 250,000 transfer
    payments.void_payment(c.store, c.clerk, a["receipt"], "wrong service", c.supervisor)
    payments.refund_payment(c.store, c.clerk, d["receipt"], 5_000, "overcharged", c.supervisor)
    payments.refund_payment(c.store, c.clerk, e["receipt"], 50_000, "partly done", c.supervisor)
    return c


def test_day_totals_reconcile(busy_day):
    d = daybook.day_totals(busy_day.store, date(2026, 11, 26))
    assert d["payments"] == {"count": 5, "amount": 520_000}
    assert d["totals"] == {"gross": 520_000, "voided": 150_000, "refunded": 55_000, "net": 315_000}
    by_method = {g["method"]: (g["count"], g["amount"]) for g in d["by_method"]}
    assert by_method == {"cash": (3, 190_000), "transfer": (2, 330_000)}
    by_clerk = {g["clerk"]: g["amount"] for g in d["by_clerk"]}
    assert by_clerk == {"noy": 490_000, "somchai": 30_000}
    by_ministry = {g["ministry"]: g["amount"] for g in d["by_ministry"]}
    assert by_ministry == {"MOIC": 150_000, "MOHA": 40_000, "MPWT": 80_000, "MONRE": 250_000}
    assert sum(g["amount"] for g in d["by_service"]) == d["totals"]["gross"]
    assert [v["receipt"] for v in d["voids"]] == ["VTE-SST-1-2026-000001"]
    assert [(f["amount"], f["approved_by"]) for f in d["refunds"]] == [
        (5_000, "somchai"),
        (50_000, "somchai"),
    ]
    # Float + cash taken − cash voided − cash refunded; transfers never touch the drawer.
    assert d["cash"]["expected"] == 100_000 + 190_000 - 150_000 - 5_000
    assert d["cash"]["counted"] is None


def test_closing_with_the_right_count(busy_day):
    c = busy_day
    closed = cash.close_cash(c.store, c.clerk, 135_000)
    assert (closed["expected"], closed["difference"], closed["approved_by"]) == (135_000, 0, None)
    d = daybook.day_totals(c.store, date(2026, 11, 26))
    assert (d["cash"]["counted"], d["cash"]["difference"]) == (135_000, 0)


def test_a_short_drawer_needs_a_reason_then_a_supervisor(busy_day):
    c = busy_day
    with pytest.raises(ValidationError) as err:
        cash.close_cash(c.store, c.clerk, 130_000)
    assert (err.value.code, err.value.field) == ("session.reason_required", "reason")
    with pytest.raises(ValidationError) as err:
        cash.close_cash(c.store, c.clerk, 130_000, reason="ທອນເງິນເກີນ")
    assert err.value.code == "session.difference_needs_approval"
    assert cash.open_session(c.store) is not None
    closed = cash.close_cash(c.store, c.clerk, 130_000, c.supervisor, "ທອນເງິນເກີນ")
    assert (closed["difference"], closed["approved_by"]) == (-5_000, c.supervisor.id)
    assert closed["reason"] == "ທອນເງິນເກີນ"


def test_difference_within_the_office_limit(busy_day):
    c = busy_day
    settings.set_value(c.store, c.admin, "cash_difference_limit", "1,000")
    closed = cash.close_cash(c.store, c.clerk, 134_500, reason="coins short")
    assert (closed["difference"], closed["approved_by"]) == (-500, None)


def test_late_payment_counts_in_its_session_day(counter):
    c = counter
    c.clock.set_local(2026, 11, 26, hour=16)
    cash.open_cash(c.store, c.clerk, 0)
    c.clock.set_local(2026, 11, 26, hour=23)
    c.clock.advance(minutes=59)
    r = service_requests.record_request(
        c.store, c.clerk, service_code="MOHA-BIRTH", citizen_name="Noy"
    )
    payments.record_payment(c.store, c.clerk, r["tracking"])
    # Past midnight the drawer of the 26th must be closed before taking more money.
    c.clock.advance(minutes=2)
    r2 = service_requests.record_request(
        c.store, c.clerk, service_code="MOHA-BIRTH", citizen_name="Ket"
    )
    with pytest.raises(StateError):
        payments.record_payment(c.store, c.clerk, r2["tracking"])
    cash.close_cash(c.store, c.clerk, 10_000)
    assert daybook.day_totals(c.store, date(2026, 11, 26))["totals"]["gross"] == 10_000
    assert daybook.day_totals(c.store, date(2026, 11, 27))["totals"]["gross"] == 0


def test_one_open_session_at_a_time(counter):
    cash.open_cash(counter.store, counter.clerk, 0)
    with pytest.raises(StateError) as err:
        cash.open_cash(counter.store, counter.clerk, 0)
    assert err.value.code == "session.already_open"
