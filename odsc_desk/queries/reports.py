"""Read-only figures the printed documents need beyond the core's own lookups.

`daybook.day_totals` stays the one source of a day's money; this adds what a supervisor's daily
summary shows besides (requests taken by service and by hour, feedback, who worked, each cash
session's figures with the reason for its difference, the audit chain's head at the end of the
day) and what a receipt shows about its own void and refunds. Nothing here writes.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta
from typing import TypedDict

from odsc_desk.domain.cash import expected_cash
from odsc_desk.shared.clock import VIENTIANE, parse_stamp, stamp
from odsc_desk.storage.chain import head_before
from odsc_desk.storage.outbox import ChainHead
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


class SessionFigures(TypedDict):
    """One drawer of the day, on its own: its float, what it should hold, what it held."""

    opened_at: str
    opened_by: str  # user name
    float_amount: int
    expected: int
    closed_at: str | None  # None while the drawer is open
    closed_by: str | None  # user name
    counted: int | None
    difference: int | None  # counted - expected
    reason: str | None  # why it differs
    approved_by: str | None  # user name, for a difference over the limit


class _SessionRow(TypedDict):
    id: str
    opened_at: str
    opened_by: str
    float_amount: int
    closed_at: str | None
    closed_by: str | None
    counted: int | None
    difference: int | None
    reason: str | None
    approved_by: str | None


class DayCash(TypedDict):
    """The day's drawers. Shortages and overages are summed apart: one drawer's surplus never
    hides another's shortfall."""

    sessions: list[SessionFigures]
    shortages: int  # the sum of the negative differences (0 or less)
    overages: int  # the sum of the positive differences (0 or more)


def day_cash(store: Store, day: date) -> DayCash:
    """Each cash session of `day` (its business date) with its own figures and reason."""
    rows = store.all_as(
        _SessionRow,
        "SELECT s.id, s.opened_at, o.username AS opened_by, s.float_amount, c.closed_at,"
        " k.username AS closed_by, c.counted, c.difference, n.reason,"
        " a.username AS approved_by"
        " FROM cash_sessions s JOIN users o ON o.id = s.opened_by"
        " LEFT JOIN cash_closes c ON c.session_id = s.id"
        " LEFT JOIN cash_counts n ON n.close_id = c.id"
        " LEFT JOIN users k ON k.id = c.closed_by LEFT JOIN users a ON a.id = c.approved_by"
        " WHERE s.business_date = ? ORDER BY s.rowid",
        (day.isoformat(),),
    )
    sessions: list[SessionFigures] = [
        {
            "opened_at": r["opened_at"],
            "opened_by": r["opened_by"],
            "float_amount": r["float_amount"],
            "expected": expected_cash(store, r["id"]),
            "closed_at": r["closed_at"],
            "closed_by": r["closed_by"],
            "counted": r["counted"],
            "difference": r["difference"],
            "reason": r["reason"],
            "approved_by": r["approved_by"],
        }
        for r in rows
    ]
    differences = [s["difference"] or 0 for s in sessions]
    return {
        "sessions": sessions,
        "shortages": sum(d for d in differences if d < 0),
        "overages": sum(d for d in differences if d > 0),
    }


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


def office_receipt_corrections(store: Store, payment_id: str) -> ReceiptCorrections:
    """`receipt_corrections` of another counter's payment, as pulled: its users are not known
    here, so `by` and `approved_by` are empty."""
    void = store.one_as(
        VoidNote,
        "SELECT reason, at, '' AS by, '' AS approved_by FROM office_voids"
        " WHERE payment_id = uuid_blob(?)",
        (payment_id,),
    )
    refunds = store.all_as(
        RefundNote,
        "SELECT amount, reason, at, '' AS by, '' AS approved_by FROM office_refunds"
        " WHERE payment_id = uuid_blob(?) ORDER BY origin_seq",
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


def day_chain_head(store: Store, day: date) -> ChainHead | None:
    """The audit chain's newest link at the end of a Vientiane day (None before the first).

    Printed on the day's summary, a paper copy anchors the chain outside the file: `odsc check
    --heads` later proves the history up to that link is still the one printed.
    """
    found = head_before(store.conn, _day_range(day)[1])
    return None if found is None else {"seq": found[0], "hash": found[1].hex()}
