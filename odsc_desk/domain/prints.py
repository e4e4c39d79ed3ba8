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


def print_count(store: Store, payment_id: str, *, office: bool = False) -> int:
    """The prints of a payment this counter made; with `office` (another counter's payment),
    those the office's other counters made too, as pulled."""
    own = store.scalar_int(
        "SELECT COUNT(*) FROM receipt_prints WHERE payment_id = ?", (payment_id,)
    )
    if not office:
        return own
    return own + store.scalar_int(
        "SELECT COUNT(*) FROM office_receipt_prints WHERE payment_id = uuid_blob(?)", (payment_id,)
    )


def record_print(
    store: Store, actor: Actor, payment_id: str, *, copy: bool, fmt: str, office: bool = False
) -> PrintRow:
    """Append the next print of a receipt (inside the caller's transaction); `office`: of
    another counter's payment (print_count)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown receipt format {fmt!r}")
    row: PrintRow = {
        "id": new_id(),
        "payment_id": payment_id,
        "seq": print_count(store, payment_id, office=office) + 1,
        "copy": int(copy),
        "format": fmt,
        "at": store.now_stamp(),
        "by": actor.id,
    }
    ledger.append(store, "receipt_prints", row)
    return row
