"""The office's impossible histories, for the supervisor (docs/OFFICE_SHARING.md, D4): what two
counters did to one request while apart that cannot both stand.

- **Contested**: a status event the fold of the request's merged history could not take (a
  second hand-over, a refusal after the result was collected), with the event that took the
  request where that move was no longer possible. It never moved the status; it stays a fact.
- **Paid beyond the fee**: a request whose receipts, net of voids and refunds, come to more
  than its fee (two counters took the balance while apart), with every receipt and its
  counter.

Nothing is corrected here: the supervisor answers with an ordinary fact (a refund of the
receipt taken twice, a status change), and a request paid beyond its fee leaves the list once a
refund brings it back to its fee. A contested event stays contested (facts are append-only), so
the list covers a window of days, `WINDOW` up to the day asked about.

Only a request that some counter other than its own wrote on can be either: one counter's core
checks every move and balance before writing it. So the candidates are the requests with a
status event or a payment written in the window by another counter than their own (the few
among many that store m015 indexes), and each is then folded and summed as every counter and
the centre do.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TypedDict

from odsc_desk.domain import amounts
from odsc_desk.shared.clock import VIENTIANE, stamp
from odsc_desk.shared.ids import unpacked
from odsc_desk.shared.request_history import FIRST_STATUS, takes
from odsc_desk.storage import office_facts
from odsc_desk.storage.office_facts import MergedEvent
from odsc_desk.storage.store import Store

WINDOW = 90  # days, the asked-for day included


class EventNote(TypedDict):
    status: str
    at: str  # stamp (UTC)
    counter: int  # the counter that wrote it
    reason: str | None


class Contested(TypedDict):
    tracking: str
    served_at: int  # the request's own counter
    status: str  # where the merged history leaves it
    event: EventNote  # the event the fold could not take
    after: EventNote | None  # the event that took the request where it stood then


class ReceiptNote(TypedDict):
    receipt: str
    counter: int
    amount: int
    at: str  # stamp (UTC)
    voided: bool
    refunded: int


class Overpaid(TypedDict):
    tracking: str
    served_at: int
    fee: int
    paid: int  # net of voids and refunds, every counter's receipts
    receipts: list[ReceiptNote]


class Anomalies(TypedDict):
    since: str  # the window's first day
    until: str  # its last: the day asked about
    contested: list[Contested]
    overpaid: list[Overpaid]


class _Request(TypedDict):
    tracking: str
    served_at: int
    fee: int


def office_anomalies(store: Store, day: date) -> Anomalies:
    """The impossible histories of the `WINDOW` days up to `day`: contested events written in
    them, and requests paid beyond their fee with a receipt taken in them, as this counter holds
    the office's facts now. Each list oldest first."""
    first = day - timedelta(days=WINDOW - 1)
    since = stamp(datetime.combine(first, time(), VIENTIANE))
    until = stamp(datetime.combine(day + timedelta(days=1), time(), VIENTIANE))
    contested: list[Contested] = []
    for request_id in _moved_elsewhere(store, since, until):
        request = _request(store, request_id)
        if request is not None:
            contested += _contested(store, request_id, request, since, until)
    overpaid: list[Overpaid] = []
    for request_id in _paid_elsewhere(store, first, day):
        request = _request(store, request_id)
        paid = store.scalar_int(f"SELECT {amounts.PAID} FROM (SELECT ? AS id) r", (request_id,))
        if request is not None and paid > request["fee"]:
            receipts = _receipts(store, request_id)
            overpaid.append({**request, "paid": paid, "receipts": receipts})
    contested.sort(key=lambda c: c["event"]["at"])
    overpaid.sort(key=lambda o: max(r["at"] for r in o["receipts"]))
    return {
        "since": first.isoformat(),
        "until": day.isoformat(),
        "contested": contested,
        "overpaid": overpaid,
    }


def _moved_elsewhere(store: Store, since: str, until: str) -> list[str]:
    """Requests with a status event in [since, until) written by a counter not their own."""
    own = store.all(
        "SELECT DISTINCT request_id FROM status_events"
        " WHERE device_id IS NOT NULL AND at >= ? AND at < ?",
        (since, until),
    )
    pulled = store.all(
        "SELECT DISTINCT request_id FROM office_status_events"
        " WHERE device_id IS NOT NULL AND at >= ? AND at < ?",
        (since, until),
    )
    return sorted({r["request_id"] for r in own} | {unpacked(r["request_id"]) for r in pulled})


def _paid_elsewhere(store: Store, first: date, last: date) -> list[str]:
    """Requests with a receipt taken in [first, last] by a counter not their own."""
    days = (first.isoformat(), last.isoformat())
    own = store.all(
        "SELECT DISTINCT p.request_id FROM payments p"
        " WHERE p.business_date BETWEEN ? AND ?"
        " AND NOT EXISTS (SELECT 1 FROM requests r WHERE r.id = p.request_id)",
        days,
    )
    # The office's: on this counter's requests, or on a third counter's.
    pulled = store.all(
        "SELECT DISTINCT p.request_id FROM office_payments p"
        " LEFT JOIN office_requests r ON r.id = p.request_id"
        " WHERE p.business_date BETWEEN ? AND ? AND r.origin IS NOT p.origin",
        days,
    )
    return sorted({r["request_id"] for r in own} | {unpacked(r["request_id"]) for r in pulled})


def _request(store: Store, request_id: str) -> _Request | None:
    """The request's tracking number, counter and fee, own or pulled; None if this counter
    holds neither (a fact on a request not pulled yet)."""
    own = store.one_as(
        _Request,
        "SELECT tracking, ? AS served_at, fee FROM requests WHERE id = ?",
        (store.office["counter"], request_id),
    )
    if own is not None:
        return own
    return store.one_as(
        _Request,
        "SELECT r.tracking, d.counter AS served_at, r.fee FROM office_requests r"
        " JOIN office_devices d ON d.n = r.origin WHERE r.id = uuid_blob(?)",
        (request_id,),
    )


def _note(event: MergedEvent) -> EventNote:
    return {
        "status": event["status"],
        "at": event["at"],
        "counter": event["counter"],
        "reason": event["reason"],
    }


def _contested(
    store: Store, request_id: str, request: _Request, since: str, until: str
) -> list[Contested]:
    """The request's contested events written in [since, until), each with the event that
    took the request to the status it could not leave that way."""
    found: list[tuple[MergedEvent, MergedEvent | None]] = []
    reached: MergedEvent | None = None
    status = FIRST_STATUS
    # The fold of request_history, keeping the event that took the request where it stands.
    for event in office_facts.merged_events(store, request_id):
        if takes(status, office_facts.as_fold(event)):
            status, reached = event["status"], event
        elif since <= event["at"] < until:
            found.append((event, reached))
    return [
        {
            "tracking": request["tracking"],
            "served_at": request["served_at"],
            "status": status,
            "event": _note(event),
            "after": None if before is None else _note(before),
        }
        for event, before in found
    ]


def _receipts(store: Store, request_id: str) -> list[ReceiptNote]:
    """Every receipt on the request, this counter's and the office's, by time (then number)."""
    own = store.all(
        "SELECT p.receipt, ? AS counter, p.amount, p.at,"
        " EXISTS (SELECT 1 FROM voids v WHERE v.payment_id = p.id) AS voided,"
        " (SELECT COALESCE(SUM(f.amount), 0) FROM refunds f WHERE f.payment_id = p.id)"
        " AS refunded FROM payments p WHERE p.request_id = ?",
        (store.office["counter"], request_id),
    )
    pulled = store.all(
        "SELECT p.receipt, d.counter, p.amount, p.at,"
        " EXISTS (SELECT 1 FROM office_voids v WHERE v.payment_id = p.id) AS voided,"
        " (SELECT COALESCE(SUM(f.amount), 0) FROM office_refunds f WHERE f.payment_id = p.id)"
        " AS refunded FROM office_payments p JOIN office_devices d ON d.n = p.origin"
        " WHERE p.request_id = uuid_blob(?)",
        (request_id,),
    )
    notes: list[ReceiptNote] = [
        {
            "receipt": r["receipt"],
            "counter": r["counter"],
            "amount": r["amount"],
            "at": r["at"],
            "voided": bool(r["voided"]),
            "refunded": r["refunded"],
        }
        for r in [*own, *pulled]
    ]
    return sorted(notes, key=lambda n: (n["at"], n["receipt"]))
