"""A business day's figures: what was taken, given back and should be in the drawer.

Gross is every payment taken in the day's sessions; voids and refunds done that day are listed
on their own; net = gross − voided − refunded. Expected cash is computed per session, exactly as
closing a session computes it, so the day report and the drawer count agree.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, TypedDict, TypeVar, cast

from odsc_desk.domain import amounts
from odsc_desk.domain.cash import expected_cash
from odsc_desk.storage.store import Store


class _DayPayment(TypedDict):
    receipt: str
    amount: int
    method: str
    session_id: str
    clerk: str  # user name
    service: str  # code
    service_lo: str
    service_en: str
    ministry: str  # code
    ministry_lo: str
    ministry_en: str


class CountAmount(TypedDict):
    count: int
    amount: int


class ServiceTotal(CountAmount):
    service: str  # code
    service_lo: str
    service_en: str


class MinistryTotal(CountAmount):
    ministry: str  # code
    ministry_lo: str
    ministry_en: str


class ClerkTotal(CountAmount):
    clerk: str  # user name


class MethodTotal(CountAmount):
    method: str


class DayCorrection(TypedDict):
    """A void or a refund done on the day. `amount`: a void's whole receipt, a refund's own."""

    receipt: str
    amount: int
    method: str  # the receipt's
    reason: str
    at: str
    by: str  # user name
    approved_by: str  # user name


class _SessionRow(TypedDict):
    id: str
    opened_at: str
    opened_by: str  # user name
    float_amount: int
    closed_at: str | None  # None while the drawer is open
    closed_by: str | None
    counted: int | None
    difference: int | None
    approved_by: str | None


class SessionCash(TypedDict):
    """One of the day's cash sessions, with the cash it should hold."""

    opened_at: str
    opened_by: str  # user name
    float_amount: int
    closed_at: str | None  # None while the drawer is open
    closed_by: str | None  # user name
    counted: int | None
    difference: int | None
    approved_by: str | None  # user name, for a difference over the limit
    expected: int


class MoneyTotals(TypedDict):
    gross: int
    voided: int
    refunded: int
    net: int


class DayCash(TypedDict):
    sessions: list[SessionCash]
    expected: int
    counted: int | None  # None until every session of the day is closed
    difference: int | None


class DayTotals(TypedDict):
    date: str
    requests: int  # taken that day
    payments: CountAmount
    by_service: list[ServiceTotal]
    by_ministry: list[MinistryTotal]
    by_clerk: list[ClerkTotal]
    by_method: list[MethodTotal]
    voids: list[DayCorrection]
    refunds: list[DayCorrection]
    totals: MoneyTotals
    cash: DayCash


GroupT = TypeVar("GroupT", bound=CountAmount)


def _group(
    shape: type[GroupT],
    rows: Sequence[Mapping[str, Any]],
    key: str,
    label_keys: tuple[str, ...] = (),
) -> list[GroupT]:
    """Count and sum `rows` by `key`, largest amount first. `shape` names the groups made: `key`,
    `label_keys`, count and amount."""
    groups: dict[str, dict[str, Any]] = {}
    for row in rows:
        group = groups.setdefault(
            row[key], {key: row[key], **{k: row[k] for k in label_keys}, "count": 0, "amount": 0}
        )
        group["count"] += 1
        group["amount"] += row["amount"]
    return cast("list[GroupT]", sorted(groups.values(), key=lambda g: (-g["amount"], str(g[key]))))


def day_totals(store: Store, day: date) -> DayTotals:
    business_date = day.isoformat()
    payments = store.all_as(
        _DayPayment,
        "SELECT p.receipt, p.amount, p.method, p.session_id, u.username AS clerk,"
        " s.code AS service, s.name_lo AS service_lo, s.name_en AS service_en,"
        " s.ministry_code AS ministry, s.ministry_lo, s.ministry_en"
        f" FROM payments p{amounts.PAYMENT_REQUEST}"
        f" JOIN services s ON s.version = {amounts.of_request('catalog_version')}"
        f" AND s.code = {amounts.of_request('service_code')}"
        " JOIN users u ON u.id = p.by WHERE p.business_date = ?",
        (business_date,),
    )
    voids = store.all_as(
        DayCorrection,
        "SELECT p.receipt, p.amount, p.method, v.reason, v.at, u.username AS by,"
        " a.username AS approved_by FROM voids v JOIN payments p ON p.id = v.payment_id"
        " JOIN users u ON u.id = v.by JOIN users a ON a.id = v.approved_by"
        " WHERE v.business_date = ? ORDER BY v.rowid",
        (business_date,),
    )
    refunds = store.all_as(
        DayCorrection,
        "SELECT p.receipt, f.amount, p.method, f.reason, f.at, u.username AS by,"
        " a.username AS approved_by FROM refunds f JOIN payments p ON p.id = f.payment_id"
        " JOIN users u ON u.id = f.by JOIN users a ON a.id = f.approved_by"
        " WHERE f.business_date = ? ORDER BY f.rowid",
        (business_date,),
    )
    sessions: list[SessionCash] = [
        {
            "opened_at": s["opened_at"],
            "opened_by": s["opened_by"],
            "float_amount": s["float_amount"],
            "closed_at": s["closed_at"],
            "closed_by": s["closed_by"],
            "counted": s["counted"],
            "difference": s["difference"],
            "approved_by": s["approved_by"],
            "expected": expected_cash(store, s["id"]),
        }
        for s in store.all_as(
            _SessionRow,
            "SELECT s.id, s.opened_at, o.username AS opened_by, s.float_amount, c.closed_at,"
            " k.username AS closed_by, c.counted, c.difference, a.username AS approved_by"
            " FROM cash_sessions s JOIN users o ON o.id = s.opened_by"
            " LEFT JOIN cash_closes c ON c.session_id = s.id"
            " LEFT JOIN users k ON k.id = c.closed_by LEFT JOIN users a ON a.id = c.approved_by"
            " WHERE s.business_date = ? ORDER BY s.rowid",
            (business_date,),
        )
    ]
    gross = sum(p["amount"] for p in payments)
    voided = sum(v["amount"] for v in voids)
    refunded = sum(f["amount"] for f in refunds)
    closed = all(s["closed_at"] for s in sessions) and bool(sessions)
    # A closed session always has its count (cash_closes.counted is NOT NULL).
    counted = sum(s["counted"] or 0 for s in sessions) if closed else None
    expected = sum(s["expected"] for s in sessions)
    by_session: dict[str, int] = defaultdict(int)
    for p in payments:
        by_session[p["session_id"]] += 1
    return {
        "date": business_date,
        "requests": store.scalar_int(
            "SELECT COUNT(*) FROM requests WHERE business_date = ?", (business_date,)
        ),
        "payments": {"count": len(payments), "amount": gross},
        "by_service": _group(ServiceTotal, payments, "service", ("service_lo", "service_en")),
        "by_ministry": _group(MinistryTotal, payments, "ministry", ("ministry_lo", "ministry_en")),
        "by_clerk": _group(ClerkTotal, payments, "clerk"),
        "by_method": _group(MethodTotal, payments, "method"),
        "voids": voids,
        "refunds": refunds,
        "totals": {
            "gross": gross,
            "voided": voided,
            "refunded": refunded,
            "net": gross - voided - refunded,
        },
        "cash": {
            "sessions": sessions,
            "expected": expected,
            "counted": counted,
            "difference": None if counted is None else counted - expected,
        },
    }
