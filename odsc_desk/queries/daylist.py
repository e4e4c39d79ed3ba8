"""Read-only views of one business day for the counter window's day tab.

The day tab asks the store once per refresh: the day's figures (`daybook.day_totals`), the
receipts taken that day (to pick one to void or refund) and the drawer that is open now. Nothing
here writes; the rules for voids, refunds and closing stay in `payments` and `cash`.
"""

from __future__ import annotations

from datetime import date
from typing import TypedDict

from odsc_desk.domain import amounts, cash, settings
from odsc_desk.queries import daybook
from odsc_desk.shared.clock import local_date
from odsc_desk.shared.errors import NotFoundError
from odsc_desk.storage.store import Store


def today(store: Store) -> date:
    """The office's date by the store's clock (tests set it; the UI never reads its own)."""
    return local_date(store.now())


def money_format(store: Store) -> MoneyFormat:
    """The office's way of writing amounts, for `money.format_kip(amount, **money_format)`."""
    return {
        "grouping": str(settings.get(store, "money_grouping")),
        "unit": str(settings.get(store, "money_unit")),
    }


class DayPayment(TypedDict):
    receipt: str
    amount: int
    method: str
    at: str
    tracking: str
    citizen_name: str
    service: str
    service_lo: str
    service_en: str
    clerk: str
    voided: int  # 1 if voided
    refunded: int  # kip refunded


class MoneyFormat(TypedDict):
    grouping: str
    unit: str


class Drawer(TypedDict):
    business_date: str
    opened_at: str
    float_amount: int
    expected: int
    difference_limit: int
    stale: bool
    money: MoneyFormat
    unsynced: int


class DaySnapshot(TypedDict):
    today: str
    totals: daybook.DayTotals
    payments: list[DayPayment]
    drawer: Drawer | None
    money: MoneyFormat
    # The closed drawers' differences, kept apart: one drawer short and another over is two
    # things to explain, not one smaller one. None until a drawer of the day is closed.
    short: int | None  # the sum of the shortages (<= 0)
    over: int | None  # the sum of the overages (>= 0)


def day_payments(store: Store, day: date) -> list[DayPayment]:
    """Every receipt of `day`'s sessions, oldest first, with what was voided or refunded."""
    return store.all_as(
        DayPayment,
        "SELECT p.receipt, p.amount, p.method, p.at,"
        f" {amounts.of_request('tracking')} AS tracking,"
        f" {amounts.of_request('citizen_name')} AS citizen_name,"
        " s.code AS service, s.name_lo AS service_lo, s.name_en AS service_en,"
        " u.username AS clerk,"
        f" {amounts.VOIDED} AS voided, {amounts.REFUNDED} AS refunded"
        f" FROM payments p{amounts.PAYMENT_REQUEST}"
        f" JOIN services s ON s.version = {amounts.of_request('catalog_version')}"
        f" AND s.code = {amounts.of_request('service_code')}"
        " JOIN users u ON u.id = p.by WHERE p.business_date = ? ORDER BY p.rowid",
        (day.isoformat(),),
    )


# At most the six digits a receipt number ends with (its sequence, as `numbers` writes it).
SEQUENCE_DIGITS = 6


def day_receipt(store: Store, day: date, typed: str) -> str:
    """The receipt the clerk means: a whole receipt number as typed, or the number of `day`'s
    receipt that ends with the digits typed ("12" for ...-2026-000012).

    Raises NotFoundError when no receipt of `day` ends so.
    """
    text = typed.strip()
    if not (text.isdigit() and len(text) <= SEQUENCE_DIGITS):
        return text
    found = store.scalar_or_none(
        str,
        # The year's numbering is unique (receipt_year, receipt_seq): one row at most.
        "SELECT receipt FROM payments"
        " WHERE receipt_year = ? AND receipt_seq = ? AND business_date = ?",
        (day.year, int(text), day.isoformat()),
    )
    if found is None:
        raise NotFoundError("receipt.unknown", "receipt", receipt=text)
    return found


def drawer(store: Store) -> Drawer | None:
    """The open cash session with the cash it should hold and the difference allowed at close.

    None when no session is open. `stale` says it was opened on an earlier day, so it must be
    closed before today's payments can be taken.
    """
    session = cash.open_session(store)
    if session is None:
        return None
    return {
        "business_date": session["business_date"],
        "opened_at": session["opened_at"],
        "float_amount": session["float_amount"],
        "expected": cash.expected_cash(store, session["id"]),
        "difference_limit": int(settings.get(store, "cash_difference_limit")),
        "stale": session["business_date"] != today(store).isoformat(),
        "money": money_format(store),
        # Closing the day with records not yet at the centre is allowed (the link may be down
        # for days) but the supervisor should know: the centre's figures will lag the drawer.
        "unsynced": store.scalar_int("SELECT COUNT(*) FROM outbox WHERE state != 'acked'"),
    }


def day_snapshot(store: Store, day: date) -> DaySnapshot:
    """All the day tab shows for `day`, in one trip to the store."""
    totals = daybook.day_totals(store, day)
    counted = [s["difference"] for s in totals["cash"]["sessions"] if s["difference"] is not None]
    return {
        "today": today(store).isoformat(),
        "totals": totals,
        "payments": day_payments(store, day),
        "drawer": drawer(store),
        "money": money_format(store),
        "short": sum(d for d in counted if d < 0) if counted else None,
        "over": sum(d for d in counted if d > 0) if counted else None,
    }
