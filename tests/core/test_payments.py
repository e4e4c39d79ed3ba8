import pytest

from odsc_desk.domain import cash, payments, service_requests, settings
from odsc_desk.domain.users import approve
from odsc_desk.shared.errors import AuthError, StateError, ValidationError
from tests.conftest import PASSWORD


def _request(c, service="MOIC-ENT-REG"):
    return service_requests.record_request(
        c.store, c.clerk, service_code=service, citizen_name="Noy"
    )


def test_default_amount_is_the_fee(open_counter):
    c = open_counter
    r = _request(c)
    p = payments.record_payment(c.store, c.clerk, r["tracking"])
    assert (p["amount"], p["method"]) == (150_000, "cash")
    assert service_requests.get_request(c.store, r["tracking"])["balance"] == 0


def test_receipt_numbers_are_gapless_and_per_year(open_counter):
    c = open_counter
    receipts = [
        payments.record_payment(c.store, c.clerk, _request(c)["tracking"])["receipt"]
        for _ in range(3)
    ]
    assert receipts == [f"VTE-SST-1-2026-{n:06d}" for n in (1, 2, 3)]
    # A refused payment takes no number.
    with pytest.raises(StateError):
        payments.record_payment(
            c.store, c.clerk, service_requests.list_requests(c.store)[0]["tracking"]
        )
    assert payments.record_payment(c.store, c.clerk, _request(c)["tracking"])["receipt"].endswith(
        "-000004"
    )


def test_new_year_starts_a_new_receipt_sequence(counter):
    c = counter
    c.clock.set_local(2026, 12, 31, hour=15)
    cash.open_cash(c.store, c.clerk, 0)
    payments.record_payment(c.store, c.clerk, _request(c)["tracking"])
    cash.close_cash(c.store, c.clerk, 150_000)
    c.clock.set_local(2027, 1, 4, hour=8)
    cash.open_cash(c.store, c.clerk, 0)
    p = payments.record_payment(c.store, c.clerk, _request(c)["tracking"])
    assert p["receipt"] == "VTE-SST-1-2027-000001"


@pytest.mark.parametrize(
    ("amount", "code"),
    [
        (200_000, "payment.over"),
        (100_000, "payment.under"),
        ("0", "amount.zero"),
        ("-1", "amount.negative"),
        ("1.5", "amount.not_whole"),
        (10**12, "amount.too_large"),
    ],
)
def test_amount_rules(open_counter, amount, code):
    c = open_counter
    r = _request(c)
    with pytest.raises(ValidationError) as err:
        payments.record_payment(c.store, c.clerk, r["tracking"], amount)
    assert err.value.code == code
    assert c.store.scalar("SELECT COUNT(*) FROM payments") == 0


def test_partial_payments_when_the_office_allows_them(open_counter):
    c = open_counter
    settings.set_value(c.store, c.admin, "allow_partial_payment", "yes")
    r = _request(c)
    payments.record_payment(c.store, c.clerk, r["tracking"], 100_000)
    p = payments.record_payment(c.store, c.clerk, r["tracking"])
    assert p["amount"] == 50_000
    with pytest.raises(StateError) as err:
        payments.record_payment(c.store, c.clerk, r["tracking"])
    assert err.value.code == "payment.nothing_due"


@pytest.mark.parametrize(
    ("steps", "reason"), [(("in_process", "ready", "collected"), None), (("rejected",), "fake")]
)
def test_no_payment_for_closed_requests(open_counter, steps, reason):
    c = open_counter
    settings.set_value(c.store, c.admin, "allow_partial_payment", "yes")
    r = _request(c)
    if "collected" in steps:
        # Collecting needs the fee settled; a refund afterwards leaves something "due".
        p = payments.record_payment(c.store, c.clerk, r["tracking"])
    for status in steps:
        service_requests.change_status(c.store, c.clerk, r["tracking"], status, reason)
    if "collected" in steps:
        payments.refund_payment(c.store, c.clerk, p["receipt"], 1_000, "overcharged", c.supervisor)
    with pytest.raises(StateError) as err:
        payments.record_payment(c.store, c.clerk, r["tracking"], 1_000)
    assert err.value.code == "payment.request_closed"


def test_result_is_handed_over_only_when_paid(open_counter):
    c = open_counter
    r = _request(c)
    service_requests.change_status(c.store, c.clerk, r["tracking"], "in_process")
    service_requests.change_status(c.store, c.clerk, r["tracking"], "ready")
    with pytest.raises(StateError) as err:
        service_requests.change_status(c.store, c.clerk, r["tracking"], "collected")
    assert err.value.code == "status.unpaid"
    payments.record_payment(c.store, c.clerk, r["tracking"])
    assert service_requests.change_status(c.store, c.clerk, r["tracking"], "collected")[
        "status"
    ] == ("collected")


def test_payment_needs_an_open_session_of_today(counter):
    c = counter
    r = _request(c)
    with pytest.raises(StateError) as err:
        payments.record_payment(c.store, c.clerk, r["tracking"])
    assert err.value.code == "session.none"
    cash.open_cash(c.store, c.clerk, 0)
    c.clock.advance(days=1)
    with pytest.raises(StateError) as err:
        payments.record_payment(c.store, c.clerk, r["tracking"])
    assert err.value.code == "session.stale"


def test_void_keeps_the_number_and_frees_the_balance(open_counter):
    c = open_counter
    r = _request(c)
    p = payments.record_payment(c.store, c.clerk, r["tracking"])
    v = payments.void_payment(c.store, c.clerk, p["receipt"], "wrong service", c.supervisor)
    assert v["receipt"] == p["receipt"]
    shown = service_requests.get_request(c.store, r["tracking"])
    assert shown["payments"][0]["voided"] == 1
    assert shown["balance"] == 150_000
    again = payments.record_payment(c.store, c.clerk, r["tracking"])
    assert again["receipt"].endswith("-000002")
    with pytest.raises(StateError):
        payments.void_payment(c.store, c.clerk, p["receipt"], "again", c.supervisor)


def test_refunds_up_to_the_amount_paid(open_counter):
    c = open_counter
    p = payments.record_payment(c.store, c.clerk, _request(c)["tracking"])
    payments.refund_payment(c.store, c.clerk, p["receipt"], "100,000", "partly", c.supervisor)
    with pytest.raises(ValidationError) as err:
        payments.refund_payment(c.store, c.clerk, p["receipt"], 50_001, "more", c.supervisor)
    assert err.value.code == "refund.over"
    with pytest.raises(StateError) as err:
        payments.void_payment(c.store, c.clerk, p["receipt"], "undo", c.supervisor)
    assert err.value.code == "void.refunded"


def test_void_needs_a_reason(open_counter):
    c = open_counter
    p = payments.record_payment(c.store, c.clerk, _request(c)["tracking"])
    with pytest.raises(ValidationError) as err:
        payments.void_payment(c.store, c.clerk, p["receipt"], "   ", c.supervisor)
    assert err.value.code == "text.required"


def test_approval_refuses_clerks_and_wrong_passwords(open_counter):
    c = open_counter
    with pytest.raises(AuthError) as err:
        approve(c.store, "noy", PASSWORD)
    assert err.value.code == "auth.not_supervisor"
    with pytest.raises(AuthError) as err:
        approve(c.store, "somchai", "not-the-password")
    assert err.value.code == "auth.failed"
    assert approve(c.store, "somchai", PASSWORD).role == "supervisor"
