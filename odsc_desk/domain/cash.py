"""Cash sessions: a drawer opened with a float and closed with a count.

A payment belongs to the session it was taken in, and the session's business date is the day it
was opened, so a payment keyed in late in the evening still lands in the day whose cash it is.
Expected cash = float + cash taken − cash given back (voids and refunds of cash payments).

A drawer is closed with its count: note by note (`read_count`) or as one sum. Any difference
from the expected cash needs a reason; one over the office's limit needs a supervisor too. How
it was counted and why it differs are kept in `cash_counts`, a local table chained like every
fact but not sent to the centre (protocol v1 has no place for them yet).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import TypedDict

from odsc_desk.domain import settings
from odsc_desk.domain.users import Actor, check_four_eyes, require_role
from odsc_desk.shared.clock import local_date
from odsc_desk.shared.errors import StateError, ValidationError
from odsc_desk.shared.ids import new_id
from odsc_desk.shared.money import check_amount, parse_amount
from odsc_desk.shared.text import REASON_MAX, clean_optional
from odsc_desk.storage import ledger
from odsc_desk.storage.store import Store

# The kip notes in use, largest first: the lines of a count. Smaller notes and coins are rare
# and go, with anything else, into a count's `other` amount.
NOTES = (100_000, 50_000, 20_000, 10_000, 5_000, 2_000, 1_000)
_NOTE_COUNT = re.compile(r"[0-9]{1,7}")  # a drawer never holds ten million notes of one kind


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


class CashCount(TypedDict):
    """A drawer counted note by note (`read_count`)."""

    notes: dict[int, int]  # denomination -> notes counted (only those counted)
    other: int  # kip in coins and anything not counted note by note


class CashCountRow(TypedDict):
    """A row of `cash_counts` (local): how a close was counted and why it differs."""

    id: str
    close_id: str
    notes: str | None  # {"100000": 3, ...} as canonical JSON; None when counted as one sum
    other: int
    reason: str | None


class CashCloseRecord(CashClose):
    """A close as `close_cash` returns it: the row, with its session's business date and
    float, and the reason given for its difference."""

    business_date: str
    float_amount: int
    reason: str | None


def note_field(note: int) -> str:
    """The field a note's count is refused under: the window shows the error on its line."""
    return f"note_{note}"


def _note_count(value: int | str, note: int) -> int:
    if isinstance(value, bool):
        raise ValidationError("cash.note_count", note_field(note), note=f"{note:,}")
    if isinstance(value, int):
        if value < 0:
            raise ValidationError("cash.note_count", note_field(note), note=f"{note:,}")
        return value
    text = value.strip()
    if not text:
        return 0  # a line left empty: none of that note
    if not _NOTE_COUNT.fullmatch(text):
        raise ValidationError("cash.note_count", note_field(note), note=f"{note:,}")
    return int(text)


def read_count(notes: Mapping[int, int | str], other: int | str = 0) -> CashCount:
    """Read a count as typed: notes per denomination, and the rest (coins, odd notes) in kip.

    Empty lines count as none. A count that is not a whole number of notes, 0 or more, or a
    note not in use, is refused under its own line's field.
    """
    counted: dict[int, int] = {}
    for note, value in notes.items():
        if note not in NOTES:
            raise ValidationError("cash.note_unknown", note_field(note), note=f"{note:,}")
        number = _note_count(value, note)
        if number:
            counted[note] = number
    rest = other.strip() if isinstance(other, str) else other
    return {"notes": counted, "other": parse_amount(rest, "other") if rest != "" else 0}


def count_total(count: CashCount) -> int:
    return sum(note * number for note, number in count["notes"].items()) + count["other"]


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
    store: Store,
    actor: Actor,
    counted: int | str | CashCount,
    approver: Actor | None = None,
    reason: str | None = None,
) -> CashCloseRecord:
    """Close the drawer with its count: a sum, or notes by denomination (`read_count`).

    A difference from the expected cash needs a reason; one over the office's limit also needs
    a supervisor's approval.
    """
    require_role(actor, "clerk")
    limit = int(settings.get(store, "max_amount"))
    if isinstance(counted, dict):
        count = read_count(counted["notes"], counted["other"])  # a count not read here is checked
        notes: str | None = json.dumps(
            {str(note): number for note, number in count["notes"].items()},
            sort_keys=True,
            separators=(",", ":"),
        )
        other = check_amount(count["other"], "other", allow_zero=True, limit=limit)
        amount = check_amount(count_total(count), "counted", allow_zero=True, limit=limit)
    else:
        notes = None
        amount = other = check_amount(counted, "counted", allow_zero=True, limit=limit)
    why = clean_optional(reason, "reason", REASON_MAX)
    with store.transaction():
        session = open_session(store)
        if session is None:
            raise StateError("session.none", "session")
        expected = expected_cash(store, session["id"])
        difference = amount - expected
        if difference and why is None:
            # Asked before the supervisor, so the supervisor approves a difference explained.
            raise ValidationError(
                "session.reason_required", "reason", difference=f"{difference:+,}"
            )
        allowed = int(settings.get(store, "cash_difference_limit"))
        if abs(difference) > allowed and approver is None:
            raise ValidationError(
                "session.difference_needs_approval",
                "supervisor",
                difference=difference,
                limit=allowed,
            )
        if abs(difference) > allowed and approver is not None:
            check_four_eyes(actor, approver, bool(settings.get(store, "self_approval")))
        row: CashClose = {
            "id": new_id(),
            "session_id": session["id"],
            "closed_at": store.now_stamp(),
            "closed_by": actor.id,
            "counted": amount,
            "expected": expected,
            "difference": difference,
            "approved_by": approver.id if approver and abs(difference) > allowed else None,
        }
        ledger.append(store, "cash_closes", row)
        details: CashCountRow = {
            "id": new_id(),
            "close_id": row["id"],
            "notes": notes,
            "other": other,
            "reason": why,
        }
        ledger.append(store, "cash_counts", details)
    return {
        **row,
        "business_date": session["business_date"],
        "float_amount": session["float_amount"],
        "reason": why,
    }
