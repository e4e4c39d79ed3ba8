"""Issuing a receipt: deciding whether this print is the original or a COPY, signing it, and
recording the print, in one transaction with the rendering itself.

The rendering is the caller's (receipts/ draws the PDF; the core never imports it): it is handed
what to print and runs inside the transaction, so a document that fails to render records no
print, and a recorded print always had its document made. The first print of a receipt is the
original; any later one, or one asked for as a copy, says COPY: never two originals.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from odsc_desk.domain import payments, prints, signing
from odsc_desk.domain.users import Actor, require_role
from odsc_desk.storage.store import Store

T = TypeVar("T")


@dataclass(frozen=True)
class ReceiptPrint:
    """What one print of a receipt carries besides the payment itself."""

    receipt: str
    print_seq: int  # 1 for the first print
    copy: bool
    code: str  # the signed verification code (shared.receipt_code)
    printed_at: str


def issue_receipt(
    store: Store,
    actor: Actor,
    receipt: str,
    fmt: str,
    render: Callable[[ReceiptPrint], T],
    *,
    force_copy: bool = False,
) -> tuple[T, ReceiptPrint]:
    """Render the next print of `receipt` with `render` and record it; returns what `render`
    made and what was printed. The counter's signing key is made on its first receipt."""
    require_role(actor, "clerk")
    if fmt not in prints.FORMATS:
        raise ValueError(f"unknown receipt format {fmt!r}")  # the front ends offer only these
    with store.transaction():
        payment = payments.get_payment(store, receipt)
        seq = prints.print_count(store, payment["id"]) + 1
        key = signing.ensure_key(store, actor.id)
        issued = ReceiptPrint(
            receipt=payment["receipt"],
            print_seq=seq,
            copy=force_copy or seq > 1,
            code=signing.make_code(
                store, payment["receipt"], payment["amount"], payment["at"], key
            ),
            printed_at=store.now_stamp(),
        )
        made = render(issued)
        prints.record_print(store, actor, payment["id"], copy=issued.copy, fmt=fmt)
    return made, issued
