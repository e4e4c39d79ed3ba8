"""The centre's records, read one by one: requests with their status history, and payments with
their voids and refunds, a page at a time.

A page is in the order of the tables' office-and-date index (office, business date, id), and
its cursor is the position of its last row: the next page starts after it, whatever arrived in
between, so a walk through an unchanging area meets every record exactly once.

What a row shows depends on who asks (`Shown`): citizens' names, phones, ID numbers and villages
only with personal data; the counter users who recorded, changed or took something only when
the area is one office, as the figures per clerk are.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, Table, select, tuple_

from sync.protocol import Problem
from sync.server.db import payments, refunds, requests, status_events, voids
from sync.server.figures.area import Area, offices_clause, services_clause
from sync.server.figures.periods import Period, dates_clause

MAX_LIMIT = 500
# Rows an export holds at most: beyond, a narrower period or area is asked for.
EXPORT_MAX = 100_000
PERSONAL = ("citizen_name", "phone", "id_number", "village")
# Ids per IN (...) list: well under SQLite's bound on parameters.
_CHUNK = 500

_REQUEST = (
    "id", "tracking", "office", "counter", "business_date", "created_at", "service_code",
    "catalog_version", "fee", "fee_check", "promised_date", "status", "ready_on", "closed_on",
    "returned", "working_days",
)  # fmt: skip
_PAYMENT = (
    "id", "receipt", "office", "counter", "business_date", "at", "amount", "method",
    "request_id", "service_code", "session_id",
)  # fmt: skip


@dataclass(frozen=True)
class Shown:
    personal: bool  # citizens' names, phones, ID numbers, villages
    clerks: bool  # the counter users' ids

    def request_keys(self) -> list[str]:
        """A request's keys, in order, as this caller is shown them."""
        return [
            *_REQUEST,
            *(("created_by",) if self.clerks else ()),
            *(PERSONAL if self.personal else ()),
            "new_date",
            "documents",
            "history",
        ]

    def payment_keys(self) -> list[str]:
        return [*_PAYMENT, "tracking", *(("by",) if self.clerks else ()), "void", "refunds"]

    def undoing_keys(self, refund: bool) -> list[str]:
        """A void's or a refund's keys."""
        return [
            "id",
            "business_date",
            "at",
            "reason",
            *(("amount",) if refund else ()),
            *(("by", "approved_by") if self.clerks else ()),
        ]


@dataclass(frozen=True)
class Query:
    area: Area
    period: Period
    status: str | None = None
    service: str | None = None


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    next: str | None


def encode_cursor(office: str, day: str, ident: str) -> str:
    raw = json.dumps([office, day, ident], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[str, str, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        position = json.loads(raw)
    except (binascii.Error, ValueError) as exc:
        raise Problem(422, "records.cursor", "not a cursor this list gave") from exc
    if not (
        isinstance(position, list)
        and len(position) == 3
        and all(isinstance(part, str) for part in position)
    ):
        raise Problem(422, "records.cursor", "not a cursor this list gave")
    office, day, ident = position
    return office, day, ident


def _paged(query: Select[Any], table: Table, after: str | None, limit: int) -> Select[Any]:
    c = table.c
    if after is not None:
        query = query.where(tuple_(c.office, c.business_date, c.id) > decode_cursor(after))
    return query.order_by(c.office, c.business_date, c.id).limit(limit + 1)


def _where(conn: Connection, table: Table, wanted: Query) -> list[ColumnElement[bool]]:
    c = table.c
    clauses = [
        offices_clause(wanted.area, c.office),
        services_clause(wanted.area, c.service_code, conn),
        dates_clause(c.business_date, wanted.period),
    ]
    if wanted.service is not None:
        clauses.append(c.service_code == wanted.service)
    return clauses


def _chunks(ids: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def _documents(text: str | None) -> list[str] | None:
    """The documents a request was taken with, as the counter wrote them (a JSON list)."""
    if text is None:
        return None
    try:
        found = json.loads(text)
    except ValueError:
        return None
    if isinstance(found, list) and all(isinstance(d, str) for d in found):
        return found
    return None


def _histories(
    conn: Connection, ids: Sequence[str], shown: Shown
) -> dict[str, list[dict[str, Any]]]:
    """Each request's status events, in the request's own order."""
    s = status_events.c
    out: dict[str, list[dict[str, Any]]] = {i: [] for i in ids}
    for chunk in _chunks(ids):
        rows = conn.execute(
            select(s.request_id, s.seq, s.status, s.reason, s.at, s.by, s.new_date)
            .where(s.request_id.in_(chunk))
            .order_by(s.request_id, s.seq)
        )
        for r in rows:
            event = {
                "seq": int(r.seq),
                "status": r.status,
                "reason": r.reason,
                "at": r.at,
                "new_date": r.new_date,
            }
            if shown.clerks:
                event["by"] = r.by
            out[r.request_id].append(event)
    return out


def _latest_new_date(history: list[dict[str, Any]]) -> str | None:
    """The last new date a late request was given: the one its citizen was last told."""
    given = [e["new_date"] for e in history if e["new_date"] is not None]
    return given[-1] if given else None


def _requests(conn: Connection, rows: Sequence[Any], shown: Shown) -> list[dict[str, Any]]:
    histories = _histories(conn, [r.id for r in rows], shown)
    keys = shown.request_keys()
    items = []
    for r in rows:
        values = {
            **r._mapping,
            "counter": int(r.counter),
            "catalog_version": int(r.catalog_version),
            "fee": int(r.fee),
            "returned": int(r.returned),
            "new_date": _latest_new_date(histories[r.id]),
            "documents": _documents(r.documents),
            "history": histories[r.id],
        }
        items.append({key: values[key] for key in keys})
    return items


def _request_columns() -> list[Any]:
    c = requests.c
    return [
        *(c[name] for name in _REQUEST),
        c.created_by,
        c.documents,
        *(c[name] for name in PERSONAL),
    ]


def request_page(
    conn: Connection, wanted: Query, shown: Shown, after: str | None, limit: int
) -> Page:
    """Requests recorded within the period in the area, from the cursor `after` on."""
    c = requests.c
    query = select(*_request_columns()).where(*_where(conn, requests, wanted))
    if wanted.status is not None:
        query = query.where(c.status == wanted.status)
    rows = conn.execute(_paged(query, requests, after, limit)).all()
    return _page(rows, limit, _requests(conn, rows[:limit], shown))


def _page(rows: Sequence[Any], limit: int, items: list[dict[str, Any]]) -> Page:
    more = len(rows) > limit
    last = rows[limit - 1] if more else None
    return Page(
        items,
        encode_cursor(last.office, last.business_date, last.id) if last is not None else None,
    )


def find_request(conn: Connection, tracking: str) -> Any:
    """The request of a tracking number, or None. A counter numbers each day's requests once
    (the centre's `numbers` keep a restored counter above what it held), so one is found; were
    there two, the first recorded is the one its receipt was given for."""
    return conn.execute(
        select(*_request_columns())
        .where(requests.c.tracking == tracking)
        .order_by(requests.c.created_at, requests.c.id)
        .limit(1)
    ).first()


def request_detail(conn: Connection, row: Any, shown: Shown) -> dict[str, Any]:
    """One request with its status history and its payments (with their voids and refunds)."""
    (item,) = _requests(conn, [row], shown)
    paid = conn.execute(
        select(*_payment_columns())
        .select_from(_payments_with_tracking())
        .where(payments.c.request_id == row.id)
        .order_by(payments.c.at, payments.c.id)
    ).all()
    item["payments"] = _payments(conn, paid, shown)
    return item


def _payments_with_tracking() -> Any:
    return payments.outerjoin(requests, requests.c.id == payments.c.request_id)


def _payment_columns() -> list[Any]:
    p = payments.c
    return [*(p[name] for name in _PAYMENT), p.by, requests.c.tracking]


def _undoing(
    conn: Connection, table: Table, ids: Sequence[str], shown: Shown
) -> dict[str, list[dict[str, Any]]]:
    """The voids or refunds of each payment, in the order they were made."""
    t = table.c
    refund = table is refunds
    keys = shown.undoing_keys(refund)
    amount = [t.amount] if refund else []
    out: dict[str, list[dict[str, Any]]] = {i: [] for i in ids}
    for chunk in _chunks(ids):
        rows = conn.execute(
            select(
                t.payment_id, t.id, t.business_date, t.at, t.reason, t.by, t.approved_by, *amount
            )
            .where(t.payment_id.in_(chunk))
            .order_by(t.payment_id, t.at, t.id)
        )
        for r in rows:
            values = {**r._mapping, **({"amount": int(r.amount)} if refund else {})}
            out[r.payment_id].append({key: values[key] for key in keys})
    return out


def _payments(conn: Connection, rows: Sequence[Any], shown: Shown) -> list[dict[str, Any]]:
    ids = [r.id for r in rows]
    voided, refunded = (_undoing(conn, table, ids, shown) for table in (voids, refunds))
    keys = shown.payment_keys()
    items = []
    for r in rows:
        values = {
            **r._mapping,
            "counter": int(r.counter),
            "amount": int(r.amount),
            # A payment is voided once at most; its refunds may be several.
            "void": voided[r.id][0] if voided[r.id] else None,
            "refunds": refunded[r.id],
        }
        items.append({key: values[key] for key in keys})
    return items


def payment_page(
    conn: Connection, wanted: Query, shown: Shown, after: str | None, limit: int
) -> Page:
    """Payments taken within the period in the area, from the cursor `after` on."""
    query = (
        select(*_payment_columns())
        .select_from(_payments_with_tracking())
        .where(*_where(conn, payments, wanted))
    )
    rows = conn.execute(_paged(query, payments, after, limit)).all()
    return _page(rows, limit, _payments(conn, rows[:limit], shown))
