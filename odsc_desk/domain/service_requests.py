"""Service requests (dossiers): intake, status changes, lookup, search and the overdue list."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from typing import Any, TypedDict, cast

from odsc_desk.domain import amounts, catalog, numbers, workdays
from odsc_desk.domain.users import Actor, require_role
from odsc_desk.shared.clock import local_date
from odsc_desk.shared.errors import NotFoundError, StateError, ValidationError
from odsc_desk.shared.facts import MESSAGE_LANGS
from odsc_desk.shared.ids import new_id, packed, unpacked
from odsc_desk.shared.request_history import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    STATUSES,
    TRANSITIONS,
)
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
from odsc_desk.storage import ledger, office_facts
from odsc_desk.storage.store import Store

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
    new_date: str | None  # a late request's new date: the event keeps the status it had


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
    # The national calendar in effect on the day the request is taken: one published later
    # does not move this date.
    return workdays.add_working_days(day, days, workdays.office_closures(store, day))


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
    sms_lang: str | None = None,
) -> RequestDetail:
    """Take in a citizen's request under the current catalog's fee and processing time.

    `request_id` makes the call idempotent: a form that is submitted twice (a double click, a
    retry after an error) passes the same id and gets the first request back, not a second one.
    `sms_lang` ("lo" or "en"): the citizen agreed to a message on their phone, in that
    language, when the request is ready or returned for documents; None: they did not.
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
    consent = _message_consent(sms_lang, fields["phone"])
    with store.transaction():
        if request_id is not None:
            done = store.scalar_or_none(
                str, "SELECT tracking FROM requests WHERE id = ?", (request_id,)
            )
            if done is not None:
                return get_request(store, done)
        now = store.now()
        today = local_date(now)
        # The version in effect on the request's business date: one dated later is held.
        version = catalog.current_version(store, today)
        if version is None:
            raise StateError("catalog.empty", "service")
        service = catalog.get_service(store, service_code, version)
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
            **consent,
        }
        ledger.append(store, "requests", row)
    return get_request(store, tracking)


def _message_consent(sms_lang: str | None, phone: str | None) -> dict[str, Any]:
    """The consent columns of a new request: none at all without consent, so the row (and its
    digest) is what a counter before them wrote, and a store not yet migrated takes it."""
    if sms_lang is None:
        return {}
    if sms_lang not in MESSAGE_LANGS:
        raise ValidationError("sms.lang", "sms_lang")
    if phone is None:
        raise ValidationError("sms.needs_phone", "phone")
    return {"sms_consent": 1, "sms_lang": sms_lang}


def _find(store: Store, tracking: str) -> tuple[RequestRow, int | None]:
    """The request `tracking` of this counter, or of another counter of the office as pulled
    (docs/OFFICE_SHARING.md, D1): its row and current status, and None or that counter."""
    key = nfc(tracking or "").upper()
    row = store.one_as(
        RequestRow,
        f"SELECT {_REQUEST_COLUMNS} FROM requests r"
        " JOIN request_current c ON c.request_id = r.id WHERE r.tracking = ?",
        (key,),
    )
    if row is not None:
        return row, None
    found = store.one(f"SELECT {OFFICE_COLUMNS}{OFFICE_FROM} WHERE r.tracking = ?", (key,))
    if found is None:
        raise NotFoundError("request.unknown", "tracking", tracking=tracking)
    counter = found.pop("counter")
    request_id = unpacked(found["id"])
    status = office_facts.history(store, request_id).status
    return cast("RequestRow", {**found, "id": request_id, "status": status}), counter


# Another counter's request as office_facts keeps it: a RequestRow's columns (but its status,
# folded from its events) and the counter that took it.
OFFICE_COLUMNS = (
    "r.id, r.tracking, r.business_date, r.created_at, r.citizen_name, r.phone, r.id_number,"
    " r.village, r.service_code, r.catalog_version, r.fee, r.promised_date, r.documents,"
    " d.counter"
)
OFFICE_FROM = " FROM office_requests r JOIN office_devices d ON d.n = r.origin"


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
        request, counter = _find(store, tracking)
        _require_writable(store, request, counter, "status_events")
        current = request["status"]
        if status not in TRANSITIONS[current]:
            raise StateError(
                "status.illegal", "status", tracking=request["tracking"], old=current, new=status
            )
        if status == "collected":
            # The result is handed over only once the fee is settled: afterwards no payment
            # could be taken for a collected request.
            due = _detail(store, request)["balance"]
            if due > 0:
                raise StateError(
                    "status.unpaid", "status", tracking=request["tracking"], due=f"{due:,}"
                )
        seq, clock = _next_event(store, request["id"])
        # On another counter's request the event names this device (D3); on its own it does
        # not, so its id and digest are what they always were.
        device = {} if counter is None else {"device_id": store.office["device_id"]}
        ledger.append(
            store,
            "status_events",
            {
                "request_id": request["id"],
                "seq": seq,
                "clock": clock,
                "status": status,
                "reason": reason_text,
                "at": store.now_stamp(),
                "by": actor.id,
                **device,
            },
        )
    return get_any_request(store, request["tracking"])[0]


def record_new_date(store: Store, actor: Actor, tracking: str, new: date) -> bool:
    """Record the new date a late request's notice tells the citizen, as a status event that
    keeps its status (and its first promised date: it stays on the overdue list). The date must
    be after today (so after the promised date, already past) and a working day. A date already
    recorded for the request (the same notice printed again) records nothing: False; True when
    recorded."""
    require_role(actor, "clerk")
    today = local_date(store.now())
    with store.transaction():
        request, counter = _find(store, tracking)
        if counter is not None:
            raise NotFoundError("request.unknown", "tracking", tracking=tracking)  # its own
        if request["status"] not in OPEN_STATUSES or request["promised_date"] >= str(today):
            raise StateError(
                "notice.not_overdue",
                "tracking",
                tracking=request["tracking"],
                promised=request["promised_date"],
                status=request["status"],
            )
        # After today, so after the promised date too: a late request's promise is past.
        if new <= today:
            raise ValidationError(
                "new_date.not_future", "new_date", day=new, today=today,
                promised=request["promised_date"],
            )  # fmt: skip
        if not workdays.is_working_day(new, workdays.office_closures(store, today)):
            raise ValidationError("new_date.not_working_day", "new_date", day=new)
        if latest_new_date(store, request["id"]) == str(new):
            return False
        seq, clock = _next_event(store, request["id"])
        ledger.append(
            store,
            "status_events",
            {
                "request_id": request["id"],
                "seq": seq,
                "clock": clock,
                "status": request["status"],
                "reason": None,
                "at": store.now_stamp(),
                "by": actor.id,
                "new_date": str(new),
            },
        )
    return True


def _next_event(store: Store, request_id: str) -> tuple[int, int]:
    """The seq and the Lamport clock of this counter's next status event on a request: one
    more than its own latest event's seq there (D3: each device counts its own), and one more
    than the largest clock among all the request's events it holds, the office's too (D4;
    events written before store m012 have none)."""
    seq = store.scalar_int(
        "SELECT COALESCE(MAX(seq), 0) + 1 FROM status_events WHERE request_id = ?", (request_id,)
    )
    return seq, office_facts.history(store, request_id).next_clock


def latest_new_date(store: Store, request_id: str) -> str | None:
    """The last new date recorded for a request, or None."""
    row = store.conn.execute(
        "SELECT new_date FROM status_events WHERE request_id = ? AND new_date IS NOT NULL"
        " ORDER BY seq DESC LIMIT 1",
        (request_id,),
    ).fetchone()
    return None if row is None else str(row[0])


def get_request(store: Store, tracking: str) -> RequestDetail:
    """One of this counter's own requests with its status history, payments and feedback (the
    office's counters' facts on it included)."""
    row, counter = _find(store, tracking)
    if counter is not None:
        raise NotFoundError("request.unknown", "tracking", tracking=tracking)
    return _detail(store, row)


def request_to_serve(store: Store, tracking: str) -> RequestDetail:
    """A request this counter may write on (a payment): its own, or another counter's of the
    office once the centre takes such facts (D2)."""
    row, counter = _find(store, tracking)
    _require_writable(store, row, counter, "payments")
    return _detail(store, row)


def _require_writable(store: Store, request: RequestRow, counter: int | None, table: str) -> None:
    if counter is not None and not office_facts.takes(store, table):
        # The centre would refuse the fact (a released one: ref.owner, D2).
        raise StateError(
            "office.read_only", "tracking", tracking=request["tracking"], counter=counter
        )


def get_any_request(store: Store, tracking: str) -> tuple[RequestDetail, int | None]:
    """`get_request` for a request of this counter or, as pulled, of another counter of the
    office: its detail, and None or the counter that took it."""
    row, counter = _find(store, tracking)
    return _detail(store, row), counter


def _detail(store: Store, row: RequestRow) -> RequestDetail:
    office = store.office["office_code"]
    # Another counter's events and receipts are by that counter ("VTE-SST-2"): this counter
    # knows the office's counters, not their users.
    history: list[StatusEvent] = [
        {
            "seq": e["seq"],
            "status": e["status"],
            "reason": e["reason"],
            "at": e["at"],
            "by": e["by"] or f"{office}-{e['counter']}",
            "new_date": e["new_date"],
        }
        for e in office_facts.merged_events(store, row["id"])
    ]
    payments = store.all_as(
        RequestPayment,
        "SELECT p.receipt, p.amount, p.method, p.at, u.username AS by,"
        f" {amounts.VOIDED} AS voided, {amounts.REFUNDED} AS refunded"
        " FROM payments p JOIN users u ON u.id = p.by WHERE p.request_id = ?"
        " UNION ALL SELECT p.receipt, p.amount, p.method, p.at, ? || '-' || d.counter,"
        " EXISTS (SELECT 1 FROM office_voids v WHERE v.payment_id = p.id),"
        " (SELECT COALESCE(SUM(f.amount), 0) FROM office_refunds f WHERE f.payment_id = p.id)"
        " FROM office_payments p JOIN office_devices d ON d.n = p.origin"
        " WHERE p.request_id = ? ORDER BY receipt",
        (row["id"], office, packed(row["id"])),
    )
    feedback = store.one_as(
        RequestFeedback,
        "SELECT rating, comment, at FROM feedback WHERE request_id = ? UNION ALL"
        " SELECT rating, comment, at FROM office_feedback WHERE request_id = ? ORDER BY at",
        (row["id"], packed(row["id"])),
    )
    return request_detail(store, row, history, payments, feedback)


def request_detail(
    store: Store,
    row: RequestRow,
    history: list[StatusEvent],
    payments: list[RequestPayment],
    feedback: RequestFeedback | None,
) -> RequestDetail:
    """A request's detail from its row and its facts: its service as taken, the documents it
    lacks, and what is paid (net of voids and refunds) and left to pay. This counter's own
    requests and the office's (queries/office_requests.py) alike."""
    documents: list[str] = json.loads(row["documents"])
    service = catalog.get_service(store, row["service_code"], row["catalog_version"])
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
        "feedback": feedback,
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


# -- search -----------------------------------------------------------------------------------
# The end of a tracking number (OFFICE-COUNTER-YYMMDD-NNNN): the date and the daily sequence,
# optionally after the end of the office-and-counter part ("1-261203-0004", "261203-4").
_TRACKING_TAIL = re.compile(r"(?:(?P<head>[0-9A-Z-]+)-)?(?P<day>[0-9]{6})[- ](?P<seq>[0-9]{1,5})")
# The daily sequence alone, as printed (0004) or without its zeros (4); five digits from 10000.
_SEQUENCE = re.compile(r"[0-9]{1,4}|[1-9][0-9]{4}")
# A prefix with at most this many matches has them all read off its index and the newest kept
# (a few milliseconds on a million requests); one with more is common, and its newest are found
# sooner by walking back from the newest request (see `_newest_starting`).
_SORT_AT_MOST = 20_000
# How far back from the newest request such a walk looks before it reads the index instead:
# a tenth of the requests at most (a small store's index is read as fast as such a walk).
_WALK_ROWS = 20_000
# The requests of a given daily sequence, newest day first: from the last business day back,
# one day at a time, each step a seek in UNIQUE (business_date, daily_seq). `days` runs as a
# co-routine (CROSS JOIN keeps it the outer loop), so the LIMIT stops the walk, not just the
# output: a store's ten years of days are walked only for a sequence few days reached.
_BY_SEQUENCE = (
    "WITH RECURSIVE days(day) AS ("
    " SELECT MAX(business_date) FROM requests"
    " UNION ALL"
    " SELECT (SELECT MAX(business_date) FROM requests WHERE business_date < days.day)"
    " FROM days WHERE days.day IS NOT NULL)"
    " SELECT r.rowid FROM days CROSS JOIN requests r"
    " ON r.business_date = days.day AND r.daily_seq = ? LIMIT ?"
)


@dataclass(frozen=True)
class Found:
    """What a search found: at most its limit of matches, best first, and whether it left out
    more matches than that (`more`: the list is cut; typing more narrows it)."""

    rows: list[RequestRow]
    more: bool


def tracking_tail(query: str) -> tuple[str, int, str | None] | None:
    """The business date, daily sequence and typed office-and-counter end of a tracking number's
    tail ("261203-0004" -> ("2026-12-03", 4, None)), or None if `query` is not one."""
    match = _TRACKING_TAIL.fullmatch(query.upper())
    if match is None or int(match["seq"]) == 0:
        return None
    day = match["day"]
    return f"20{day[:2]}-{day[2:4]}-{day[4:]}", int(match["seq"]), match["head"]


def ends_with_head(tracking: str, head: str | None) -> bool:
    # "VTE-SST-1-261203-0004": the office-and-counter part is what comes before its last two.
    return head is None or ("-" + tracking.rsplit("-", 2)[0]).endswith("-" + head)


def _rowids(store: Store, sql: str, params: tuple[Any, ...]) -> list[int]:
    return [row[0] for row in store.conn.execute(sql, params)]


def _walk_back(store: Store, where: str, params: tuple[Any, ...], limit: int) -> list[int] | None:
    """The newest `limit` matches and one more, if the last _WALK_ROWS requests hold that many
    (the table read back from its newest row, no index); None if they do not."""
    top = store.scalar_or_none(int, "SELECT MAX(rowid) FROM requests") or 0
    rows = min(_WALK_ROWS, max(top // 10, 1000))
    rowids = _rowids(
        store,
        f"SELECT rowid FROM requests NOT INDEXED WHERE rowid > ? AND ({where})"
        " ORDER BY rowid DESC LIMIT ?",
        (top - rows, *params, limit + 1),
    )
    return rowids if len(rowids) > limit else None


def _newest_on_index(
    store: Store, index: str, where: str, params: tuple[Any, ...], limit: int
) -> list[int]:
    """The newest `limit` matches and one more, from every match's entry in `index`."""
    return _rowids(
        store,
        f"SELECT rowid FROM requests INDEXED BY {index} WHERE {where} ORDER BY rowid DESC LIMIT ?",
        (*params, limit + 1),
    )


def _newest_starting(
    store: Store, index: str, where: str, params: tuple[Any, ...], limit: int
) -> tuple[list[int], bool]:
    """The rowids of the newest `limit` requests in a range of `index` (`where`: a prefix),
    newest first, and whether more match.

    The matches are counted on the index, up to _SORT_AT_MOST: that few are all read and the
    newest kept. More are common (a given name's first syllable, a network's phone prefix):
    the newest requests hold them, and a walk back finds them before the index could be read.
    """
    counted = store.scalar_int(
        f"SELECT COUNT(*) FROM (SELECT 1 FROM requests INDEXED BY {index} WHERE {where} LIMIT ?)",
        (*params, _SORT_AT_MOST + 1),
    )
    walked = _walk_back(store, where, params, limit) if counted > _SORT_AT_MOST else None
    rowids = walked if walked is not None else _newest_on_index(store, index, where, params, limit)
    return rowids[:limit], len(rowids) > limit


def _newest_containing(store: Store, text: str, limit: int) -> tuple[list[int], bool]:
    """The rowids of the newest `limit` requests whose name key contains `text`, newest first,
    and whether more match. No index narrows a substring: a common one (a family name) is
    found by a short walk back from the newest request; a rare one, or none, needs the whole
    name index read."""
    where, params = "instr(name_key, ?) > 0", (text,)
    rowids = _walk_back(store, where, params, limit)
    if rowids is None:
        rowids = _newest_on_index(store, "requests_name_key", where, params, limit)
    return rowids[:limit], len(rowids) > limit


def _rows_in_order(store: Store, rowids: list[int]) -> list[RequestRow]:
    return store.all_as(
        RequestRow,
        f"SELECT {_REQUEST_COLUMNS} FROM json_each(?) pick"
        " JOIN requests r ON r.rowid = pick.value"
        " JOIN request_current c ON c.request_id = r.id ORDER BY pick.key",
        (json.dumps(rowids),),
    )


def find_requests(store: Store, text: str, limit: int = 50) -> Found:
    """Find requests by tracking number or its end, phone, ID number, or name.

    A whole tracking number, or its date and sequence ("261203-0004", "261203-4"), finds that
    request alone. A daily sequence by itself ("4", "0004") finds the requests of that number,
    newest day first. Then phone numbers, ID numbers and names that start with the text, and
    if nothing does, names that contain it. Each kind lists its matches newest first, in that
    order of kinds; `more` says that matches beyond `limit` were left out.
    """
    query = nfc(text or "")
    limit = max(limit, 1)
    if not query:
        return Found([], False)
    select = (
        f"SELECT {_REQUEST_COLUMNS} FROM requests r JOIN request_current c ON c.request_id = r.id"
    )
    exact = store.all_as(RequestRow, f"{select} WHERE r.tracking = ?", (query.upper(),))
    if exact:
        return Found(exact, False)
    tail = tracking_tail(query)
    if tail is not None:
        day, seq, head = tail
        row = store.one_as(
            RequestRow, f"{select} WHERE r.business_date = ? AND r.daily_seq = ?", (day, seq)
        )
        if row is not None and ends_with_head(row["tracking"], head):
            return Found([row], False)
    found: dict[int, None] = {}  # rowids in the order found (a dict keeps it, and dedupes)
    more = False

    def add(rowids: list[int], more_of_kind: bool) -> None:
        nonlocal more
        more = more or more_of_kind
        for rowid in rowids:
            found.setdefault(rowid)

    if _SEQUENCE.fullmatch(query) and int(query) > 0:
        rowids = _rowids(store, _BY_SEQUENCE, (int(query), limit + 1))
        add(rowids[:limit], len(rowids) > limit)
    digits = "".join(ch for ch in query if ch.isdigit())
    if digits and len(digits) >= 3 and len(digits) == len(query.replace(" ", "").lstrip("+")):
        add(
            *_newest_starting(
                store, "requests_phone", "phone >= ? AND phone < ?", _prefix_range(digits), limit
            )
        )
    id_key = query.replace(" ", "").upper()
    add(
        *_newest_starting(
            store,
            "requests_id_number",
            "id_number >= ? AND id_number < ?",
            _prefix_range(id_key),
            limit,
        )
    )
    name = search_key(query)
    if len(name) <= NAME_MAX:
        add(
            *_newest_starting(
                store,
                "requests_name_key",
                "name_key >= ? AND name_key < ?",
                _prefix_range(name),
                limit,
            )
        )
        if not found:
            # Only when nothing starts with the text: a substring (a family name, a syllable).
            add(*_newest_containing(store, name, limit))
    kept = list(found)
    return Found(_rows_in_order(store, kept[:limit]), more or len(kept) > limit)


def search_requests(store: Store, text: str, limit: int = 50) -> list[RequestRow]:
    """`find_requests`'s matches alone."""
    return find_requests(store, text, limit).rows


def require_open_for_payment(request: RequestDetail) -> None:
    if request["status"] in CLOSED_STATUSES:
        raise StateError(
            "payment.request_closed",
            "tracking",
            tracking=request["tracking"],
            status=request["status"],
        )
