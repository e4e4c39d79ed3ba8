"""Fee payments, voids and refunds. None is ever edited: a correction is a new record.

Rules: the default amount is what is still due on the request; paying more than is due is
refused (the clerk gives change, the receipt shows the fee); paying less is refused unless the
office turns on `allow_partial_payment`. A void cancels a whole receipt (it keeps its number and
prints VOID); a refund gives back part or all of a receipt's amount. Both need a reason and a
supervisor's approval, from someone other than the clerk doing it unless the office allows
self-approval (`self_approval`, for one-person offices); the fact records both names.

A transfer may carry the bank's reference. It is optional (the citizen paying by QR does not
always have it to hand, and the queue must not wait for it) and kept in `payment_references`, a
local table chained like every fact but not sent to the centre: protocol v1 refuses columns and
tables it does not know, so sending it waits for a protocol extension.
"""

from __future__ import annotations

from typing import TypedDict

from odsc_desk.domain import amounts, cash, numbers, settings
from odsc_desk.domain.service_requests import request_to_serve, require_open_for_payment
from odsc_desk.domain.users import Actor, check_four_eyes, require_role
from odsc_desk.shared.clock import VIENTIANE
from odsc_desk.shared.errors import NotFoundError, StateError, ValidationError
from odsc_desk.shared.ids import new_id, unpacked
from odsc_desk.shared.money import check_amount
from odsc_desk.shared.text import REASON_MAX, clean_optional, clean_required, nfc
from odsc_desk.storage import ledger
from odsc_desk.storage.store import Store

METHODS = ("cash", "transfer")
REFERENCE_MAX = 100


class Payment(TypedDict):
    """A row of `payments`."""

    id: str
    receipt: str
    receipt_year: int
    receipt_seq: int
    request_id: str
    session_id: str
    business_date: str
    amount: int
    method: str
    at: str
    by: str  # user id


class PaymentRecord(Payment):
    """A payment as `record_payment` returns it: the row, with its request's tracking number
    and the transfer's bank reference, if one was given."""

    tracking: str
    reference: str | None


class PaymentReference(TypedDict):
    """A row of `payment_references` (local): a transfer's bank reference."""

    id: str
    payment_id: str
    reference: str


class PaymentRow(PaymentRecord):
    """A payment with what its receipt prints (`get_payment`)."""

    citizen_name: str
    id_number: str | None
    service_code: str
    catalog_version: int
    promised_date: str
    clerk: str  # user name
    voided: int  # 1 if the receipt was voided, else 0
    refunded: int  # kip given back on it


class Void(TypedDict):
    """A row of `voids`."""

    id: str
    payment_id: str
    session_id: str
    business_date: str
    reason: str
    approved_by: str  # user id
    at: str
    by: str  # user id


class VoidRecord(Void):
    """A void as `void_payment` returns it: the row, with the receipt it cancels."""

    receipt: str
    amount: int  # the receipt's whole amount


class Refund(TypedDict):
    """A row of `refunds`."""

    id: str
    payment_id: str
    session_id: str
    business_date: str
    amount: int  # the kip given back
    reason: str
    approved_by: str  # user id
    at: str
    by: str  # user id


class RefundRecord(Refund):
    """A refund as `refund_payment` returns it: the row, with the receipt it gives back on."""

    receipt: str


def record_payment(
    store: Store,
    actor: Actor,
    tracking: str,
    amount: int | str | None = None,
    method: str = "cash",
    payment_id: str | None = None,
    reference: str | None = None,
) -> PaymentRecord:
    """Take a fee for a request; returns the payment with its new receipt number.

    `payment_id`, as `request_id` for requests, turns a repeated submission into a replay that
    returns the payment already recorded. `reference` is a transfer's bank reference.
    """
    require_role(actor, "clerk")
    if method not in METHODS:
        raise ValidationError("payment.method", "method", methods=", ".join(METHODS))
    bank_reference = clean_optional(reference, "reference", REFERENCE_MAX)
    if bank_reference is not None and method != "transfer":
        raise ValidationError("payment.reference_cash", "reference")
    limit = int(settings.get(store, "max_amount"))
    given = None if amount is None else check_amount(amount, "amount", limit=limit)
    with store.transaction():
        if payment_id is not None:
            done = store.scalar_or_none(
                str, "SELECT receipt FROM payments WHERE id = ?", (payment_id,)
            )
            if done is not None:
                return _replay(store, done)
        request = request_to_serve(store, tracking)
        require_open_for_payment(request)
        due = request["balance"]
        if due <= 0:
            raise StateError("payment.nothing_due", "tracking", tracking=request["tracking"])
        value = due if given is None else given
        if value > due:
            raise ValidationError("payment.over", "amount", due=f"{due:,}")
        if value < due and not settings.get(store, "allow_partial_payment"):
            raise ValidationError("payment.under", "amount", due=f"{due:,}")
        session = cash.session_for_cash(store)
        year = store.now().astimezone(VIENTIANE).year
        seq, receipt = numbers.next_receipt(store, year)
        row: Payment = {
            "id": payment_id or new_id(),
            "receipt": receipt,
            "receipt_year": year,
            "receipt_seq": seq,
            "request_id": request["id"],
            "session_id": session["id"],
            "business_date": session["business_date"],
            "amount": value,
            "method": method,
            "at": store.now_stamp(),
            "by": actor.id,
        }
        ledger.append(store, "payments", row)
        if bank_reference is not None:
            noted: PaymentReference = {
                "id": new_id(),
                "payment_id": row["id"],
                "reference": bank_reference,
            }
            ledger.append(store, "payment_references", noted)
    return {**row, "tracking": request["tracking"], "reference": bank_reference}


def _replay(store: Store, receipt: str) -> PaymentRecord:
    payment = get_payment(store, receipt)
    return {
        "id": payment["id"],
        "receipt": payment["receipt"],
        "receipt_year": payment["receipt_year"],
        "receipt_seq": payment["receipt_seq"],
        "request_id": payment["request_id"],
        "session_id": payment["session_id"],
        "business_date": payment["business_date"],
        "amount": payment["amount"],
        "method": payment["method"],
        "at": payment["at"],
        "by": payment["by"],
        "tracking": payment["tracking"],
        "reference": payment["reference"],
    }


# What a receipt shows of its request: this counter's own or another counter's (D2).
_REQUEST_COLUMNS = ", ".join(
    f"{amounts.of_request(c)} AS {c}"
    for c in (
        "tracking",
        "citizen_name",
        "id_number",
        "service_code",
        "catalog_version",
        "promised_date",
    )
)


def get_payment(store: Store, receipt: str) -> PaymentRow:
    row = store.one_as(
        PaymentRow,
        "SELECT p.*, x.reference, u.username AS clerk,"
        f" {_REQUEST_COLUMNS},"
        f" {amounts.VOIDED} AS voided, {amounts.REFUNDED} AS refunded"
        f" FROM payments p{amounts.PAYMENT_REQUEST} JOIN users u ON u.id = p.by"
        " LEFT JOIN payment_references x ON x.payment_id = p.id"
        " WHERE p.receipt = ?",
        (nfc(receipt or "").upper(),),
    )
    if row is None:
        raise NotFoundError("receipt.unknown", "receipt", receipt=receipt)
    return row


# A receipt's request, this counter's own or pulled: the columns a receipt prints of it.
_PRINTED = "tracking, citizen_name, id_number, service_code, catalog_version, promised_date"


def get_any_payment(store: Store, receipt: str) -> tuple[PaymentRow, int | None]:
    """`get_payment` for a receipt of this counter or, as pulled, of another counter of the
    office (docs/OFFICE_SHARING.md, D2: a copy is printed at any counter): the payment, and None
    or the counter whose receipt it is. That counter's users are not known here: its `clerk`
    is empty, and its `reference` (kept on its counter, never sent) None."""
    try:
        return get_payment(store, receipt), None
    except NotFoundError:
        pass
    row = store.one(
        "SELECT p.*, d.counter,"
        " EXISTS (SELECT 1 FROM office_voids v WHERE v.payment_id = p.id) AS voided,"
        " (SELECT COALESCE(SUM(f.amount), 0) FROM office_refunds f WHERE f.payment_id = p.id)"
        " AS refunded FROM office_payments p JOIN office_devices d ON d.n = p.origin"
        " WHERE p.receipt = ?",
        (nfc(receipt or "").upper(),),
    )
    if row is None:
        raise NotFoundError("receipt.unknown", "receipt", receipt=receipt)
    request_id = unpacked(row["request_id"])
    request = store.one(f"SELECT {_PRINTED} FROM requests WHERE id = ?", (request_id,))
    request = request or store.one(
        f"SELECT {_PRINTED} FROM office_requests WHERE id = ?", (row["request_id"],)
    )
    if request is None:  # the feed sends a request before what refers to it (D6)
        raise NotFoundError("receipt.unknown", "receipt", receipt=receipt)
    payment: PaymentRow = {
        "id": unpacked(row["id"]),
        "receipt": row["receipt"],
        "receipt_year": row["receipt_year"],
        "receipt_seq": row["receipt_seq"],
        "request_id": request_id,
        "session_id": unpacked(row["session_id"]),
        "business_date": row["business_date"],
        "amount": row["amount"],
        "method": row["method"],
        "at": row["at"],
        "by": unpacked(row["by"]),
        "reference": None,
        "clerk": "",
        "voided": row["voided"],
        "refunded": row["refunded"],
        "tracking": request["tracking"],
        "citizen_name": request["citizen_name"],
        "id_number": request["id_number"],
        "service_code": request["service_code"],
        "catalog_version": request["catalog_version"],
        "promised_date": request["promised_date"],
    }
    return payment, row["counter"]


def void_payment(
    store: Store, actor: Actor, receipt: str, reason: str, approver: Actor
) -> VoidRecord:
    require_role(actor, "clerk")
    text = clean_required(reason, "reason", REASON_MAX)
    check_four_eyes(actor, approver, bool(settings.get(store, "self_approval")))
    with store.transaction():
        payment = get_payment(store, receipt)
        if payment["voided"]:
            raise StateError("void.already", "receipt", receipt=payment["receipt"])
        if payment["refunded"]:
            raise StateError("void.refunded", "receipt", receipt=payment["receipt"])
        session = cash.session_for_cash(store)
        row: Void = {
            "id": new_id(),
            "payment_id": payment["id"],
            "session_id": session["id"],
            "business_date": session["business_date"],
            "reason": text,
            "approved_by": approver.id,
            "at": store.now_stamp(),
            "by": actor.id,
        }
        ledger.append(store, "voids", row)
    return {**row, "receipt": payment["receipt"], "amount": payment["amount"]}


def refund_payment(
    store: Store, actor: Actor, receipt: str, amount: int | str, reason: str, approver: Actor
) -> RefundRecord:
    require_role(actor, "clerk")
    text = clean_required(reason, "reason", REASON_MAX)
    value = check_amount(amount, "amount", limit=int(settings.get(store, "max_amount")))
    check_four_eyes(actor, approver, bool(settings.get(store, "self_approval")))
    with store.transaction():
        payment = get_payment(store, receipt)
        if payment["voided"]:
            raise StateError("refund.voided", "receipt", receipt=payment["receipt"])
        refundable = payment["amount"] - payment["refunded"]
        if value > refundable:
            raise ValidationError("refund.over", "amount", refundable=f"{refundable:,}")
        session = cash.session_for_cash(store)
        row: Refund = {
            "id": new_id(),
            "payment_id": payment["id"],
            "session_id": session["id"],
            "business_date": session["business_date"],
            "amount": value,
            "reason": text,
            "approved_by": approver.id,
            "at": store.now_stamp(),
            "by": actor.id,
        }
        ledger.append(store, "refunds", row)
    return {**row, "receipt": payment["receipt"]}
