"""A receipt's check, for anyone: is its signature genuine, and what does the centre hold of it?

Two ways in. The QR's code (odsc_desk.shared.receipt_code) names the counter's key by its id:
the device enrolled with that key (devices.key_id, indexed) checks the Ed25519 signature, so a
receipt printed offline and not yet synced still proves itself. The receipt number and amount
typed by hand carry no signature: they can only find what the centre holds, and say so.

The keys the centre holds are the only trust roots. A revoked device's receipts printed before
its revocation still verify; any claiming a later time do not. Either way in, a failure is one
answer, "not genuine" or "not found", never which part was wrong, and nothing is written.
Nothing the receipt does not show comes out: no name, no phone, no ID number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import Connection, Row, select

from odsc_desk.shared import receipt_code
from odsc_desk.shared.clock import VIENTIANE, parse_stamp
from sync.server.db import devices, offices, payments, refunds, voids

# What the centre holds of a payment: nothing yet (printed offline, or the counter has not
# synced), the payment as printed and untouched, voided, refunded (in part or whole); or a
# payment under that number that differs from what the receipt says.
Standing = Literal["unreported", "stands", "voided", "refunded", "differs"]

RECEIPT_PATTERN = re.compile(r"[A-Z0-9-]{1,40}")
MAX_AMOUNT = 10**15 - 1  # a code's amount has at most 15 digits


class BadEntry(ValueError):
    """A typed receipt number or amount that cannot be one: `key` names the page's message."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


@dataclass(frozen=True)
class Refund:
    amount: int
    at: str  # stamp (UTC)


@dataclass(frozen=True)
class Verdict:
    """What a check found: the receipt as printed (or as the centre holds it, when typed), the
    office and counter that issued it, and how the payment stands at the centre."""

    signed: bool  # True: the signature checked out; False: found by the typed number alone
    receipt: str
    amount: int
    at: datetime  # Vientiane wall-clock time (to the minute when signed)
    office: str
    office_lo: str
    office_en: str
    counter: int
    standing: Standing
    voided_at: str | None = None
    refunds: tuple[Refund, ...] = field(default_factory=tuple)

    @property
    def refunded(self) -> int:
        return sum(refund.amount for refund in self.refunds)


def check_code(conn: Connection, code: str) -> Verdict | None:
    """The verdict on a receipt's code, or None when it is not genuine (malformed, an unknown
    key, a signature that does not match, or a time at or after its device's revocation)."""
    try:
        claim, _, _ = receipt_code.parse(code)
    except receipt_code.VerificationError:
        return None
    device = _signer(conn, code.strip(), claim)
    if device is None:
        return None
    found = conn.execute(
        select(payments).where(
            payments.c.receipt == claim.receipt, payments.c.office == device.office
        )
    ).first()
    if found is None:
        standing: Standing = "unreported"
    elif found.amount != claim.amount or _minute(found.at) != claim.at:
        standing = "differs"  # a genuine signature over other figures: the office must explain
    else:
        return _held(conn, found, signed=True, at=claim.at)
    return Verdict(
        signed=True,
        receipt=claim.receipt,
        amount=claim.amount,
        at=claim.at,
        counter=device.counter,
        standing=standing,
        **_office(conn, device.office),
    )


def check_typed(conn: Connection, receipt: str, amount: int) -> Verdict | None:
    """What the centre holds under a receipt number with that amount, None when it holds
    nothing (which is also the answer for a receipt not yet reported: the page says so)."""
    found = conn.execute(
        select(payments).where(payments.c.receipt == receipt, payments.c.amount == amount)
    ).first()
    if found is None:
        return None
    return _held(conn, found, signed=False, at=_minute(found.at))


def typed_receipt(text: str) -> str:
    """A receipt number as typed (any case, spaces around): BadEntry when it cannot be one."""
    value = re.sub(r"\s+", "", text or "").upper()
    if not RECEIPT_PATTERN.fullmatch(value):
        raise BadEntry("pub_verify_bad_receipt")
    return value


def typed_amount(text: str) -> int:
    """An amount in kip as typed, with or without grouping (150,000 / 150.000 / 150 000):
    BadEntry when it is not a whole number of kip above zero."""
    value = re.sub(r"[\s,.]", "", text or "").removesuffix("ກີບ").removesuffix("kip")
    if not value.isascii() or not value.isdigit() or not 0 < int(value) <= MAX_AMOUNT:
        raise BadEntry("pub_verify_bad_amount")
    return int(value)


def _signer(conn: Connection, code: str, claim: receipt_code.Claim) -> Any:
    """The device (a row: office, counter...) whose key signed `code` and was not revoked before
    the time it claims, or None."""
    candidates = conn.execute(
        select(devices.c.office, devices.c.counter, devices.c.public_key, devices.c.revoked_at)
        .where(devices.c.key_id == claim.key_id)
        .order_by(devices.c.enrolled_at.desc())
    ).all()
    for device in candidates:
        try:
            receipt_code.verify(code, {claim.key_id: device.public_key})
        except (receipt_code.VerificationError, ValueError):
            continue
        if device.revoked_at is not None and claim.at >= parse_stamp(device.revoked_at):
            continue
        return device
    return None


def _held(conn: Connection, payment: Row[Any], *, signed: bool, at: datetime) -> Verdict:
    void_at = conn.execute(
        select(voids.c.at).where(voids.c.payment_id == payment.id).order_by(voids.c.at)
    ).scalar()
    given = tuple(
        Refund(row.amount, row.at)
        for row in conn.execute(
            select(refunds.c.amount, refunds.c.at)
            .where(refunds.c.payment_id == payment.id)
            .order_by(refunds.c.at)
        )
    )
    standing: Standing = "voided" if void_at else "refunded" if given else "stands"
    return Verdict(
        signed=signed,
        receipt=payment.receipt,
        amount=payment.amount,
        at=at,
        counter=payment.counter,
        standing=standing,
        voided_at=void_at,
        refunds=given,
        **_office(conn, payment.office),
    )


def _office(conn: Connection, code: str) -> dict[str, Any]:
    """The office's code and its names from the hierarchy (its code where none is registered)."""
    row = conn.execute(
        select(offices.c.name_lo, offices.c.name_en).where(offices.c.code == code)
    ).first()
    return {
        "office": code,
        "office_lo": (row.name_lo if row else None) or code,
        "office_en": (row.name_en if row else None) or code,
    }


def _minute(stamp: str) -> datetime:
    """A stored UTC stamp as the Vientiane minute a receipt prints."""
    return parse_stamp(stamp).astimezone(VIENTIANE).replace(second=0, microsecond=0)
