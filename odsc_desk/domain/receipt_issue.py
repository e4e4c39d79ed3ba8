"""Issuing a receipt: deciding whether a print is the original or a COPY, signing it, and
recording the print once it is handed over.

The rendering is the caller's (receipts/ draws the PDF; the core never imports it): it is handed
what to print and runs inside the transaction that decides it. A print counts when it goes to a
printer or reaches the citizen as a file, never when a preview is cancelled: the window prepares
a receipt (`prepare_receipt`), shows it, and records it (`record_receipt_print`) only when the
clerk sends it; the command line, whose every receipt is a file handed over, does both at once
(`issue_receipt`). The first recorded print is the original and any later one says COPY; an
original prepared while another print of the same receipt was recorded is refused when it is
recorded, so there are never two originals.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from odsc_desk.domain import payments, prints, signing
from odsc_desk.domain.users import Actor, require_role
from odsc_desk.shared.errors import StateError
from odsc_desk.storage import office_facts
from odsc_desk.storage.store import Store

T = TypeVar("T")


@dataclass(frozen=True)
class ReceiptPrint:
    """One print of a receipt, as prepared: what it says besides the payment itself."""

    receipt: str
    payment_id: str
    fmt: str
    print_seq: int  # 1 for the first print
    copy: bool
    code: str  # the signed verification code (shared.receipt_code)
    printed_at: str
    origin: int | None = None  # another counter's receipt: that counter (always a copy)


def _prepare(
    store: Store,
    actor: Actor,
    receipt: str,
    fmt: str,
    render: Callable[[ReceiptPrint], T],
    force_copy: bool,
) -> tuple[T, ReceiptPrint]:
    require_role(actor, "clerk")
    if fmt not in prints.FORMATS:
        raise ValueError(f"unknown receipt format {fmt!r}")  # the front ends offer only these
    payment, origin = payments.get_any_payment(store, receipt)
    if origin is not None and not office_facts.takes(store, "receipt_prints"):
        # The centre would refuse the print (ref.owner): the receipt's own counter prints it.
        raise StateError("office.copy_read_only", receipt=payment["receipt"], counter=origin)
    seq = prints.print_count(store, payment["id"], office=origin is not None) + 1
    key = signing.ensure_key(store, actor.id)
    issued = ReceiptPrint(
        receipt=payment["receipt"],
        payment_id=payment["id"],
        fmt=fmt,
        print_seq=seq,
        # Another counter's receipt: its original was that counter's to print.
        copy=force_copy or seq > 1 or origin is not None,
        # Signed with this counter's key: it vouches for the copy it prints, and the centre
        # finds the payment by its number in the office (sync/server/verify.py).
        code=signing.make_code(store, payment["receipt"], payment["amount"], payment["at"], key),
        printed_at=store.now_stamp(),
        origin=origin,
    )
    return render(issued), issued


def _record(store: Store, actor: Actor, issued: ReceiptPrint) -> None:
    foreign = issued.origin is not None
    printed = prints.print_count(store, issued.payment_id, office=foreign)
    if not issued.copy and printed != issued.print_seq - 1:
        # Another print was recorded since this one was prepared: it is the original now.
        raise StateError("receipt.printed_meanwhile", receipt=issued.receipt)
    prints.record_print(
        store, actor, issued.payment_id, copy=issued.copy, fmt=issued.fmt, office=foreign
    )


def prepare_receipt(
    store: Store,
    actor: Actor,
    receipt: str,
    fmt: str,
    render: Callable[[ReceiptPrint], T],
    *,
    force_copy: bool = False,
) -> tuple[T, ReceiptPrint]:
    """Render the next print of `receipt` with `render`, without recording it; returns what
    `render` made and what it prints. The counter's signing key is made on its first receipt."""
    with store.transaction():
        return _prepare(store, actor, receipt, fmt, render, force_copy)


def record_receipt_print(store: Store, actor: Actor, issued: ReceiptPrint) -> None:
    """A prepared print was handed over (sent to a printer, or given as a file): record it."""
    require_role(actor, "clerk")
    with store.transaction():
        _record(store, actor, issued)


def issue_receipt(
    store: Store,
    actor: Actor,
    receipt: str,
    fmt: str,
    render: Callable[[ReceiptPrint], T],
    *,
    force_copy: bool = False,
) -> tuple[T, ReceiptPrint]:
    """Prepare and record the next print of `receipt` in one transaction, for a front end that
    hands every document over as it makes it (a file written by the command line)."""
    with store.transaction():
        made, issued = _prepare(store, actor, receipt, fmt, render, force_copy)
        _record(store, actor, issued)
    return made, issued
