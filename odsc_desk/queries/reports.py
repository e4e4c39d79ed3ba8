"""Read-only figures the printed documents need beyond the core's own lookups.

`daybook.day_totals` stays the one source of a day's money; this adds what a supervisor's daily
summary shows besides (requests taken by service and by hour, feedback, who worked) and what a
receipt shows about its own void and refunds. Nothing here writes.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta
from typing import TypedDict

from odsc_desk.shared.clock import VIENTIANE, parse_stamp, stamp
from odsc_desk.storage.store import Store


class VoidNote(TypedDict):
    reason: str
    at: str
    by: str  # user name
    approved_by: str  # user name


class RefundNote(VoidNote):
    amount: int


class ReceiptCorrections(TypedDict):
    void: VoidNote | None
    refunds: list[RefundNote]


class ServiceCount(TypedDict):
    service: str  # code
    service_lo: str
    service_en: str
    count: int


class FeedbackSummary(TypedDict):
    count: int
    average: float | None  # of the ratings; None when there were none


class DayActivity(TypedDict):
    date: str
    requests_by_service: list[ServiceCount]
    requests_by_hour: dict[int, int]  # Vientiane hour -> requests taken
    payments_by_hour: dict[int, int]
    feedback: FeedbackSummary
    clerks: list[str]  # user names


def receipt_corrections(store: Store, payment_id: str) -> ReceiptCorrections:
    """The void (or None) and the refunds of one payment, with reasons and approvers."""
    void = store.one_as(
        VoidNote,
        "SELECT v.reason, v.at, u.username AS by, a.username AS approved_by FROM voids v"
        " JOIN users u ON u.id = v.by JOIN users a ON a.id = v.approved_by"
        " WHERE v.payment_id = ?",
        (payment_id,),
    )
    refunds = store.all_as(
        RefundNote,
        "SELECT f.amount, f.reason, f.at, u.username AS by, a.username AS approved_by"
        " FROM refunds f JOIN users u ON u.id = f.by JOIN users a ON a.id = f.approved_by"
        " WHERE f.payment_id = ? ORDER BY f.rowid",
        (payment_id,),
    )
    return {"void": void, "refunds": refunds}


def received_by(store: Store, request_id: str) -> str | None:
    """The user name of the clerk who took a request in."""
    return store.scalar_or_none(
        str,
        "SELECT u.username FROM requests r JOIN users u ON u.id = r.created_by WHERE r.id = ?",
        (request_id,),
    )


def _day_range(day: date) -> tuple[str, str]:
    """The UTC stamps that bound a Vientiane calendar day, for comparing stored stamps."""
    start = datetime.combine(day, time(), VIENTIANE)
    return stamp(start), stamp(start + timedelta(days=1))


def _hours(stamps: list[str]) -> dict[int, int]:
    return dict(Counter(parse_stamp(s).astimezone(VIENTIANE).hour for s in stamps))


def day_activity(store: Store, day: date) -> DayActivity:
    """Requests taken by service and by hour, payments by hour, feedback given and who worked.

    Requests and payments belong to their business date (as in `day_totals`); feedback, which
    has no business date, to the Vientiane day it was given.
    """
    business_date = day.isoformat()
    by_service = store.all_as(
        ServiceCount,
        "SELECT r.service_code AS service, s.name_lo AS service_lo, s.name_en AS service_en,"
        " COUNT(*) AS count FROM requests r"
        " JOIN services s ON s.version = r.catalog_version AND s.code = r.service_code"
        " WHERE r.business_date = ? GROUP BY r.service_code ORDER BY count DESC, service",
        (business_date,),
    )
    request_stamps = [
        row[0]
        for row in store.conn.execute(
            "SELECT created_at FROM requests WHERE business_date = ?", (business_date,)
        )
    ]
    payment_stamps = [
        row[0]
        for row in store.conn.execute(
            "SELECT at FROM payments WHERE business_date = ?", (business_date,)
        )
    ]
    start, end = _day_range(day)
    feedback = store.one_as(
        FeedbackSummary,
        "SELECT COUNT(*) AS count, AVG(rating) AS average FROM feedback WHERE at >= ? AND at < ?",
        (start, end),
    )
    if feedback is None:
        # SQLite answers an aggregate without GROUP BY with one row even over no rows, so this
        # is not expected; were it to happen, it would mean no feedback, not a crash.
        feedback = {"count": 0, "average": None}
    clerks = [
        row[0]
        for row in store.conn.execute(
            "SELECT username FROM users WHERE id IN ("
            " SELECT created_by FROM requests WHERE business_date = ?"
            " UNION SELECT by FROM payments WHERE business_date = ?"
            " UNION SELECT opened_by FROM cash_sessions WHERE business_date = ?)"
            " ORDER BY username",
            (business_date, business_date, business_date),
        )
    ]
    return {
        "date": business_date,
        "requests_by_service": by_service,
        "requests_by_hour": _hours(request_stamps),
        "payments_by_hour": _hours(payment_stamps),
        "feedback": {"count": feedback["count"], "average": feedback["average"]},
        "clerks": clerks,
    }
