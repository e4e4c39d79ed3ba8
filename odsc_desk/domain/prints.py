"""Receipt prints: every print of a receipt is a fact, so a second print is known to be a copy.

The first print is the original; any later one (or one asked for as a copy) is printed COPY.
Prints are audited and synced like other facts: a receipt printed many times is something the
centre may want to look at.
"""

from __future__ import annotations

from typing import TypedDict

from odsc_desk.domain.users import Actor
from odsc_desk.shared.ids import new_id
from odsc_desk.storage import ledger
from odsc_desk.storage.store import Store

FORMATS = ("80mm", "a5", "a4")


class PrintRow(TypedDict):
    """A row of `receipt_prints`: one print of a receipt."""

    id: str
    payment_id: str
    seq: int  # 1 for the first print
    copy: int  # 1 if printed COPY, else 0
    format: str  # one of FORMATS
    at: str
    by: str  # user id


def print_count(store: Store, payment_id: str) -> int:
    return store.scalar_int(
        "SELECT COUNT(*) FROM receipt_prints WHERE payment_id = ?", (payment_id,)
    )


def record_print(store: Store, actor: Actor, payment_id: str, *, copy: bool, fmt: str) -> PrintRow:
    """Append the next print of a receipt (inside the caller's transaction)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown receipt format {fmt!r}")
    row: PrintRow = {
        "id": new_id(),
        "payment_id": payment_id,
        "seq": print_count(store, payment_id) + 1,
        "copy": int(copy),
        "format": fmt,
        "at": store.now_stamp(),
        "by": actor.id,
    }
    ledger.append(store, "receipt_prints", row)
    return row
