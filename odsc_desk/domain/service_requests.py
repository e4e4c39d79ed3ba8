"""Service requests (dossiers): intake, status changes, lookup, search and the overdue list."""

from __future__ import annotations

import json
from datetime import date
from typing import Any, TypedDict

from odsc_desk.domain import amounts, catalog, numbers, workdays
from odsc_desk.domain.users import Actor, require_role
from odsc_desk.shared.clock import local_date
from odsc_desk.shared.errors import NotFoundError, StateError, ValidationError
from odsc_desk.shared.ids import new_id
from odsc_desk.shared.text import (
    NAME_MAX,
    REASON_MAX,
    VILLAGE_MAX,
    clean_id_number,
    clean_name,
    clean_optional,
    clean_phone,
    nfc,
    search_key,
)
from odsc_desk.storage import ledger
from odsc_desk.storage.store import Store

STATUSES = ("received", "incomplete", "in_process", "ready", "collected", "rejected", "withdrawn")
OPEN_STATUSES = ("received", "incomplete", "in_process")
CLOSED_STATUSES = ("collected", "rejected", "withdrawn")
TRANSITIONS = {
    "received": ("incomplete", "in_process", "rejected", "withdrawn"),
    "incomplete": ("in_process", "rejected", "withdrawn"),
    "in_process": ("ready", "incomplete", "rejected", "withdrawn"),
    "ready": ("collected",),
    "collected": (),
    "rejected": (),
    "withdrawn": (),
}
# The citizen is owed an explanation for these, and the notices print it.
NEEDS_REASON = ("incomplete", "rejected", "withdrawn")

_REQUEST_COLUMNS = (
    "r.id, r.tracking, r.business_date, r.created_at, r.citizen_name, r.phone, r.id_number,"
    " r.village, r.service_code, r.catalog_version, r.fee, r.promised_date, r.documents,"
    " c.status"
)


class _RequestFields(TypedDict):
    """What every view of a request carries: its columns (as taken in) and its current status."""

    id: str
    tracking: str
    business_date: str
    created_at: str
    citizen_name: str
    phone: str | None
    id_number: str | None
    village: str | None
    service_code: str
    catalog_version: int
    fee: int
    promised_date: str
    status: str


class RequestRow(_RequestFields):
    """A request as the lists and the search return it (`_REQUEST_COLUMNS`)."""

    documents: str  # the codes of the documents handed in, as a JSON list


class RequestService(TypedDict):
    """The service a request was taken under, in the catalog version it was taken under."""

    code: str
    name_lo: str
    name_en: str
    ministry_code: str
    ministry_lo: str
    ministry_en: str
    days: int


class StatusEvent(TypedDict):
    seq: int
    status: str
    reason: str | None
    at: str
    by: str  # user name


class RequestPayment(TypedDict):
    receipt: str
    amount: int
    method: str
    at: str
    by: str  # user name
    voided: int  # 1 if the receipt was voided, else 0
    refunded: int  # kip given back on it


class RequestFeedback(TypedDict):
    rating: int
    comment: str | None
    at: str


class RequestDetail(_RequestFields):
    """A request with its service, status history, payments and feedback (`get_request`)."""

    documents: list[str]
    service: RequestService
    missing_documents: list[str]
    history: list[StatusEvent]
    payments: list[RequestPayment]
    paid: int  # net of voids and refunds
    balance: int
    feedback: RequestFeedback | None


def promised_date(store: Store, days: int, today: date | None = None) -> date:
    """The day a citizen is told to come back for a service of `days` working days taken
    `today` (by the store's clock if not given): weekends, Lao public holidays and the office's
    closures skipped. The intake form shows it before the request is saved."""
    day = local_date(store.now()) if today is None else today
    return workdays.add_working_days(day, days, workdays.office_closures(store))


def record_request(
    store: Store,
    actor: Actor,
    *,
    service_code: str,
    citizen_name: str,
    phone: str | None = None,
    id_number: str | None = None,
    village: str | None = None,
    documents: list[str] | None = None,
    request_id: str | None = None,
) -> RequestDetail:
    """Take in a citizen's request under the current catalog's fee and processing time.

    `request_id` makes the call idempotent: a form that is submitted twice (a double click, a
    retry after an error) passes the same id and gets the first request back, not a second one.
    """
    require_role(actor, "clerk")
    if not nfc(service_code or ""):
        raise ValidationError("service.required", "service")
    name = clean_name(citizen_name)
    fields = {
        "phone": clean_phone(phone),
        "id_number": clean_id_number(id_number),
        "village": clean_optional(village, "village", VILLAGE_MAX),
    }
    with store.transaction():
        if request_id is not None:
            done = store.scalar_or_none(
                str, "SELECT tracking FROM requests WHERE id = ?", (request_id,)
            )
            if done is not None:
                return get_request(store, done)
        if catalog.current_version(store) is None:
            raise StateError("catalog.empty", "service")
        service = catalog.get_service(store, service_code)
        required = [d["code"] for d in service["documents"]]
        received: list[str] = []
        for code in documents or []:
            code = nfc(code).upper()
            if code not in required:
                raise ValidationError(
                    "document.unknown", "documents", code=code, service=service["code"]
                )
            if code not in received:
                received.append(code)
        now = store.now()
        today = local_date(now)
        seq, tracking = numbers.next_tracking(store, today)
        promised = promised_date(store, service["days"], today)
        row = {
            "id": request_id or new_id(),
            "tracking": tracking,
            "business_date": today.isoformat(),
            "daily_seq": seq,
            "created_at": store.now_stamp(),
            "created_by": actor.id,
            "citizen_name": name,
            "name_key": search_key(name),
            **fields,
            "service_code": service["code"],
            "catalog_version": service["version"],
            "fee": service["fee"],
            "promised_date": promised.isoformat(),
            "documents": json.dumps(received),
        }
        ledger.append(store, "requests", row)
    return get_request(store, tracking)


def _find(store: Store, tracking: str) -> RequestRow:
    row = store.one_as(
        RequestRow,
        f"SELECT {_REQUEST_COLUMNS} FROM requests r"
        " JOIN request_current c ON c.request_id = r.id WHERE r.tracking = ?",
        (nfc(tracking or "").upper(),),
    )
    if row is None:
        raise NotFoundError("request.unknown", "tracking", tracking=tracking)
    return row


def change_status(
    store: Store, actor: Actor, tracking: str, status: str, reason: str | None = None
) -> RequestDetail:
    """Move a request to its next status; only the transitions in TRANSITIONS are legal."""
    require_role(actor, "clerk")
    if status not in STATUSES:
        raise ValidationError("status.unknown", "status", status=status, known=", ".join(STATUSES))
    reason_text = clean_optional(reason, "reason", REASON_MAX)
    if status in NEEDS_REASON and not reason_text:
        raise ValidationError("reason.required", "reason")
    with store.transaction():
        request = _find(store, tracking)
        current = request["status"]
        if status not in TRANSITIONS[current]:
            raise StateError(
                "status.illegal", "status", tracking=request["tracking"], old=current, new=status
            )
        if status == "collected":
            # The result is handed over only once the fee is settled: afterwards no payment
            # could be taken for a collected request.
            due = get_request(store, request["tracking"])["balance"]
            if due > 0:
                raise StateError(
                    "status.unpaid", "status", tracking=request["tracking"], due=f"{due:,}"
                )
        seq = store.scalar_int(
            "SELECT seq FROM request_current WHERE request_id = ?", (request["id"],)
        )
        ledger.append(
            store,
            "status_events",
            {
                "request_id": request["id"],
                "seq": seq + 1,
                "status": status,
                "reason": reason_text,
                "at": store.now_stamp(),
                "by": actor.id,
            },
        )
    return get_request(store, request["tracking"])


def get_request(store: Store, tracking: str) -> RequestDetail:
    """A request with its status history, payments and feedback."""
    row = _find(store, tracking)
    documents: list[str] = json.loads(row["documents"])
    service = catalog.get_service(store, row["service_code"], row["catalog_version"])
    history = store.all_as(
        StatusEvent,
        "SELECT e.seq, e.status, e.reason, e.at, u.username AS by FROM status_events e"
        " JOIN users u ON u.id = e.by WHERE e.request_id = ? ORDER BY e.seq",
        (row["id"],),
    )
    payments = store.all_as(
        RequestPayment,
        "SELECT p.receipt, p.amount, p.method, p.at, u.username AS by,"
        f" {amounts.VOIDED} AS voided, {amounts.REFUNDED} AS refunded"
        " FROM payments p JOIN users u ON u.id = p.by WHERE p.request_id = ? ORDER BY p.receipt",
        (row["id"],),
    )
    paid = sum(p["amount"] - p["refunded"] for p in payments if not p["voided"])
    return {
        **row,
        "documents": documents,
        "service": {
            "code": service["code"],
            "name_lo": service["name_lo"],
            "name_en": service["name_en"],
            "ministry_code": service["ministry_code"],
            "ministry_lo": service["ministry_lo"],
            "ministry_en": service["ministry_en"],
            "days": service["days"],
        },
        "missing_documents": [
            d["code"] for d in service["documents"] if d["code"] not in documents
        ],
        "history": history,
        "payments": payments,
        "paid": paid,
        "balance": row["fee"] - paid,
        "feedback": store.one_as(
            RequestFeedback,
            "SELECT rating, comment, at FROM feedback WHERE request_id = ?",
            (row["id"],),
        ),
    }


def list_requests(
    store: Store,
    *,
    day: date | None = None,
    status: str | None = None,
    overdue_on: date | None = None,
    search: str | None = None,
    limit: int = 200,
) -> list[RequestRow]:
    """Requests filtered by intake date, current status, overdue-ness and search text."""
    if status is not None and status not in STATUSES:
        raise ValidationError("status.unknown", "status", status=status, known=", ".join(STATUSES))
    where: list[str] = []
    params: list[Any] = []
    if day is not None:
        where.append("r.business_date = ?")
        params.append(day.isoformat())
    if status is not None:
        where.append("c.status = ?")
        params.append(status)
    if overdue_on is not None:
        where.append("c.open = 1 AND c.promised_date < ?")
        params.append(overdue_on.isoformat())
    if search:
        ids = [r["id"] for r in search_requests(store, search, limit=limit)]
        if not ids:
            return []
        where.append(f"r.id IN ({', '.join('?' for _ in ids)})")
        params.extend(ids)
    sql = f"SELECT {_REQUEST_COLUMNS} FROM requests r JOIN request_current c ON c.request_id = r.id"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY r.rowid DESC LIMIT ?"
    return store.all_as(RequestRow, sql, (*params, limit))


def overdue(store: Store, today: date, limit: int = 500) -> list[RequestRow]:
    """Open requests past their promised date, the longest overdue first."""
    return store.all_as(
        RequestRow,
        f"SELECT {_REQUEST_COLUMNS} FROM request_current c"
        " JOIN requests r ON r.id = c.request_id"
        " WHERE c.open = 1 AND c.promised_date < ? ORDER BY c.promised_date LIMIT ?",
        (today.isoformat(), limit),
    )


def _prefix_range(key: str) -> tuple[str, str]:
    # Every string that starts with `key` sorts in [key, key + U+10FFFF).
    return key, key + "\U0010ffff"


def search_requests(store: Store, text: str, limit: int = 50) -> list[RequestRow]:
    """Find requests by tracking number, phone, ID number, or name (prefix, then substring)."""
    query = nfc(text or "")
    if not query:
        return []
    select = (
        f"SELECT {_REQUEST_COLUMNS} FROM requests r JOIN request_current c ON c.request_id = r.id"
    )
    exact = store.all_as(RequestRow, f"{select} WHERE r.tracking = ?", (query.upper(),))
    if exact:
        return exact
    found: dict[str, RequestRow] = {}

    def add(rows: list[RequestRow]) -> None:
        for row in rows:
            if len(found) < limit:
                found.setdefault(row["id"], row)

    digits = "".join(ch for ch in query if ch.isdigit())
    if digits and len(digits) >= 3 and len(digits) == len(query.replace(" ", "").lstrip("+")):
        low, high = _prefix_range(digits)
        add(
            store.all_as(
                RequestRow,
                f"{select} WHERE r.phone >= ? AND r.phone < ? LIMIT ?",
                (low, high, limit),
            )
        )
    id_key = query.replace(" ", "").upper()
    low, high = _prefix_range(id_key)
    add(
        store.all_as(
            RequestRow,
            f"{select} WHERE r.id_number >= ? AND r.id_number < ? LIMIT ?",
            (low, high, limit),
        )
    )
    name = search_key(query)
    if len(name) <= NAME_MAX:
        low, high = _prefix_range(name)
        add(
            store.all_as(
                RequestRow,
                f"{select} WHERE r.name_key >= ? AND r.name_key < ? LIMIT ?",
                (low, high, limit),
            )
        )
        if not found:
            # Only when nothing starts with the text: a substring (a family name, a syllable)
            # needs a scan of the name index, stopped at `limit` matches.
            add(
                store.all_as(
                    RequestRow,
                    f"{select} WHERE r.rowid IN (SELECT rowid FROM requests"
                    " INDEXED BY requests_name_key WHERE instr(name_key, ?) > 0 LIMIT ?)",
                    (name, limit),
                )
            )
    return list(found.values())


def require_open_for_payment(request: RequestDetail) -> None:
    if request["status"] in CLOSED_STATUSES:
        raise StateError(
            "payment.request_closed",
            "tracking",
            tracking=request["tracking"],
            status=request["status"],
        )
