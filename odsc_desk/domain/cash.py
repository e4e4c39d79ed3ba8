"""Cash sessions: a drawer opened with a float and closed with a count.

A payment belongs to the session it was taken in, and the session's business date is the day it
was opened, so a payment keyed in late in the evening still lands in the day whose cash it is.
Expected cash = float + cash taken − cash given back (voids and refunds of cash payments).
"""

from __future__ import annotations

from typing import TypedDict

from odsc_desk.domain import settings
from odsc_desk.domain.users import Actor, require_role
from odsc_desk.shared.clock import local_date
from odsc_desk.shared.errors import StateError, ValidationError
from odsc_desk.shared.ids import new_id
from odsc_desk.shared.money import check_amount
from odsc_desk.storage import ledger
from odsc_desk.storage.store import Store


class CashSession(TypedDict):
    """A row of `cash_sessions`: a drawer opened with a float."""

    id: str
    business_date: str
    opened_at: str
    opened_by: str  # user id
    float_amount: int


class CashClose(TypedDict):
    """A row of `cash_closes`: a drawer counted and closed."""

    id: str
    session_id: str
    closed_at: str
    closed_by: str  # user id
    counted: int
    expected: int
    difference: int  # counted - expected
    approved_by: str | None  # user id; only for a difference over the office's limit


class CashCloseRecord(CashClose):
    """A close as `close_cash` returns it: the row, with its session's business date and
    float."""

    business_date: str
    float_amount: int


def open_session(store: Store) -> CashSession | None:
    return store.one_as(
        CashSession,
        "SELECT s.* FROM cash_sessions s LEFT JOIN cash_closes c ON c.session_id = s.id"
        " WHERE c.id IS NULL ORDER BY s.rowid DESC LIMIT 1",
    )


def session_for_cash(store: Store) -> CashSession:
    """The session a payment, void or refund goes into: open, and opened today."""
    session = open_session(store)
    if session is None:
        raise StateError("session.none", "session")
    today = local_date(store.now()).isoformat()
    if session["business_date"] != today:
        raise StateError("session.stale", "session", date=session["business_date"])
    return session


def expected_cash(store: Store, session_id: str) -> int:
    # Every payment, void and refund carries its session's business date, so the date indexes
    # narrow each sum to one day instead of scanning ten years of payments for the session.
    return store.scalar_int(
        "SELECT s.float_amount"
        " + COALESCE((SELECT SUM(amount) FROM payments WHERE business_date = s.business_date"
        "             AND session_id = s.id AND method = 'cash'), 0)"
        " - COALESCE((SELECT SUM(p.amount) FROM voids v JOIN payments p ON p.id = v.payment_id"
        "             WHERE v.business_date = s.business_date AND v.session_id = s.id"
        "             AND p.method = 'cash'), 0)"
        " - COALESCE((SELECT SUM(f.amount) FROM refunds f JOIN payments p ON p.id = f.payment_id"
        "             WHERE f.business_date = s.business_date AND f.session_id = s.id"
        "             AND p.method = 'cash'), 0)"
        " FROM cash_sessions s WHERE s.id = ?",
        (session_id,),
    )


def open_cash(store: Store, actor: Actor, float_amount: int) -> CashSession:
    require_role(actor, "clerk")
    amount = check_amount(
        float_amount, "float", allow_zero=True, limit=int(settings.get(store, "max_amount"))
    )
    with store.transaction():
        current = open_session(store)
        if current is not None:
            raise StateError("session.already_open", "session", date=current["business_date"])
        row: CashSession = {
            "id": new_id(),
            "business_date": local_date(store.now()).isoformat(),
            "opened_at": store.now_stamp(),
            "opened_by": actor.id,
            "float_amount": amount,
        }
        ledger.append(store, "cash_sessions", row)
    return row


def close_cash(
    store: Store, actor: Actor, counted: int, approver: Actor | None = None
) -> CashCloseRecord:
    """Close the drawer. A difference over the office's limit needs a supervisor's approval."""
    require_role(actor, "clerk")
    amount = check_amount(
        counted, "counted", allow_zero=True, limit=int(settings.get(store, "max_amount"))
    )
    with store.transaction():
        session = open_session(store)
        if session is None:
            raise StateError("session.none", "session")
        expected = expected_cash(store, session["id"])
        difference = amount - expected
        limit = int(settings.get(store, "cash_difference_limit"))
        if abs(difference) > limit and approver is None:
            raise ValidationError(
                "session.difference_needs_approval",
                "supervisor",
                difference=difference,
                limit=limit,
            )
        row: CashClose = {
            "id": new_id(),
            "session_id": session["id"],
            "closed_at": store.now_stamp(),
            "closed_by": actor.id,
            "counted": amount,
            "expected": expected,
            "difference": difference,
            "approved_by": approver.id if approver and abs(difference) > limit else None,
        }
        ledger.append(store, "cash_closes", row)
    return {
        **row,
        "business_date": session["business_date"],
        "float_amount": session["float_amount"],
    }
