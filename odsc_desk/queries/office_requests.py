"""The office's other counters' requests (docs/OFFICE_SHARING.md, D1 and D8): found as this
counter's own are, and shown as they stand by the facts pulled from the office feed.

A citizen who comes back to another counter is found there: by the whole tracking number, its
date and sequence, the phone or ID number, or the start of the name. Such a request is shown
with its counter's facts and this counter's own on it (a status change, a payment: D2, written
by domain/service_requests.py and domain/payments.py). Its current status is the fold of all
its events in the office's one order (shared/request_history.py, D4), as every counter and the
centre derive it. `as_of` says how fresh all of it is: the centre's time of the
last page read.
"""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from odsc_desk.domain import amounts, service_requests
from odsc_desk.domain.service_requests import (
    OFFICE_COLUMNS,
    OFFICE_FROM,
    RequestDetail,
    RequestRow,
)
from odsc_desk.shared import request_history
from odsc_desk.shared.errors import NotFoundError
from odsc_desk.shared.ids import unpacked
from odsc_desk.shared.text import nfc, search_key
from odsc_desk.storage import office_facts
from odsc_desk.storage.store import Store


class OfficeRow(RequestRow):
    """A request of another counter of the office, as a search finds it."""

    counter: int  # the counter that took it
    paid: int  # net of voids and refunds: at its counter as far as pulled, and here


class OfficeDetail(RequestDetail):
    counter: int  # the counter that took it
    as_of: str | None  # the centre's time of the last office page read


def find(store: Store, text: str, limit: int = 50) -> list[OfficeRow]:
    """The office's other counters' requests matching `text`, best first: the tracking number,
    or its date and sequence; then phone numbers, ID numbers and names starting with it, each
    kind newest first; if none, names containing it. At most `limit`."""
    query = nfc(text or "").strip()
    if not query:
        return []
    rows = _rows(store, "r.tracking = ?", (query.upper(),), limit)
    if not rows and (tail := service_requests.tracking_tail(query)) is not None:
        day, seq, head = tail
        rows = [
            row
            for row in _rows(store, "r.business_date = ? AND r.daily_seq = ?", (day, seq), limit)
            if service_requests.ends_with_head(row["tracking"], head)
        ]
    if rows:
        return rows
    found: dict[str, OfficeRow] = {}
    digits = "".join(ch for ch in query if ch.isdigit())
    kinds: list[tuple[str, str]] = []
    if digits and len(digits) >= 3 and len(digits) == len(query.replace(" ", "").lstrip("+")):
        kinds.append(("r.phone", digits))
    kinds.append(("r.id_number", query.replace(" ", "").upper()))
    kinds.append(("r.name_key", search_key(query)))
    for column, prefix in kinds:
        for row in _rows(
            store, f"{column} >= ? AND {column} < ?", (prefix, prefix + "\U0010ffff"), limit
        ):
            found.setdefault(row["tracking"], row)
    if not found:
        # Only when nothing starts with the text: names that contain it (a family name), read
        # off the whole table, as an office's requests are few beside a counter's own.
        for row in _rows(store, "instr(r.name_key, ?) > 0", (search_key(query),), limit):
            found.setdefault(row["tracking"], row)
    return list(found.values())[:limit]


def detail(store: Store, tracking: str) -> OfficeDetail | None:
    """The request `tracking` of another counter of the office, or None if none was pulled."""
    try:
        shown, counter = service_requests.get_any_request(store, tracking)
    except NotFoundError:
        return None
    if counter is None:
        return None  # this counter's own
    return {**shown, "counter": counter, "as_of": office_facts.state(store)["as_of"]}


def is_overdue(row: OfficeRow | OfficeDetail, today: date) -> bool:
    return row["status"] in request_history.OPEN_STATUSES and row["promised_date"] < str(today)


def _rows(store: Store, where: str, params: tuple[Any, ...], limit: int) -> list[OfficeRow]:
    found = store.all(
        f"SELECT {OFFICE_COLUMNS}{OFFICE_FROM} WHERE {where} ORDER BY r.created_at DESC LIMIT ?",
        (*params, limit),
    )
    rows: list[OfficeRow] = []
    for row in found:
        # `OFFICE_COLUMNS` are a RequestRow's (but its status) and the counter.
        request_id = unpacked(row["id"])  # as kept: a UUID's 16 bytes
        status = office_facts.history(store, request_id).status
        # Paid at its counter and at this one (D2), as for a request of this counter's own.
        paid = store.scalar_int(f"SELECT {amounts.PAID} FROM (SELECT ? AS id) r", (request_id,))
        shown = {**row, "id": request_id, "status": status, "paid": paid}
        rows.append(cast("OfficeRow", shown))
    return rows
