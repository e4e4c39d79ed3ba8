"""Four eyes: a supervisor may not approve their own void, refund or cash difference unless the
office turns on `self_approval` (a one-person office; only an admin may), and the approval
records both names."""

from __future__ import annotations

import sqlite3

import pytest

from odsc_desk.domain import cash, payments, service_requests, settings
from odsc_desk.shared.errors import AuthError
from tests.conftest import Counter


def dump(counter: Counter) -> list[str]:
    return list(sqlite3.connect(counter.store.path).iterdump())


def paid_receipt(c: Counter) -> str:
    r = service_requests.record_request(
        c.store, c.supervisor, service_code="MOHA-BIRTH", citizen_name="Noy"
    )
    return payments.record_payment(c.store, c.supervisor, r["tracking"])["receipt"]


def refused_as_self(call) -> AuthError:
    with pytest.raises(AuthError) as err:
        call()
    assert err.value.code == "approval.self"
    assert "somchai" in err.value.message_en and "somchai" in err.value.message_lo
    return err.value


def test_a_supervisor_may_not_approve_their_own_void_refund_or_cash_difference(
    open_counter: Counter,
):
    c = open_counter
    receipt = paid_receipt(c)
    before = dump(c)
    refused_as_self(
        lambda: payments.void_payment(c.store, c.supervisor, receipt, "x", c.supervisor)
    )
    refused_as_self(
        lambda: payments.refund_payment(c.store, c.supervisor, receipt, 1000, "x", c.supervisor)
    )
    short = cash.expected_cash(c.store, cash.open_session(c.store)["id"]) - 500
    refused_as_self(lambda: cash.close_cash(c.store, c.supervisor, short, c.supervisor, "change"))
    assert dump(c) == before
    # Another supervisor (the admin) approves; the facts name both people.
    void = payments.void_payment(c.store, c.supervisor, receipt, "typo", c.admin)
    assert (void["by"], void["approved_by"]) == (c.supervisor.id, c.admin.id)
    closed = cash.close_cash(c.store, c.supervisor, short, c.admin, "change")
    assert (closed["closed_by"], closed["approved_by"]) == (c.supervisor.id, c.admin.id)


def test_a_close_without_a_difference_needs_no_second_person(open_counter: Counter):
    c = open_counter
    expected = cash.expected_cash(c.store, cash.open_session(c.store)["id"])
    closed = cash.close_cash(c.store, c.supervisor, expected, c.supervisor)
    assert closed["approved_by"] is None


def test_a_one_person_office_turns_self_approval_on_and_only_an_admin_may(
    open_counter: Counter,
):
    c = open_counter
    with pytest.raises(AuthError) as err:
        settings.set_value(c.store, c.supervisor, "self_approval", "yes")
    assert err.value.code == "auth.role" and err.value.params["role"] == "admin"
    assert settings.get(c.store, "self_approval") is False
    assert settings.set_value(c.store, c.admin, "self_approval", "yes") is True
    receipt = paid_receipt(c)
    refund = payments.refund_payment(c.store, c.supervisor, receipt, 1000, "over", c.supervisor)
    assert refund["by"] == refund["approved_by"] == c.supervisor.id
