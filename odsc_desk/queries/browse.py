"""Read-only queries behind the counter's request list: filtered pages, a capped count, details.

The list must open at once on a store with a million requests, so it never loads them all: it
reads one page at a time, newest first, and continues from the last row it saw (a keyset on the
rowid) instead of an OFFSET, which would make SQLite walk past every earlier row again. Whether
more rows remain is learnt by asking for one row more than a page, so no COUNT over the whole
table is needed to scroll; the count shown to the clerk stops at a cap for the same reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypedDict

from odsc_desk.domain import amounts, catalog, service_requests
from odsc_desk.queries import office_requests
from odsc_desk.shared import request_history
from odsc_desk.shared.clock import local_date
from odsc_desk.shared.errors import NotFoundError, ValidationError
from odsc_desk.storage import office_facts
from odsc_desk.storage.store import Store

PAGE_SIZE = 200
# A search answers with its best matches, not a scrollable list: past this, type more.
SEARCH_LIMIT = 200
COUNT_CAP = 10_000

_ROW_COLUMNS = (
    "r.rowid AS pos, r.tracking, r.business_date, r.citizen_name, r.phone, r.id_number,"
    " r.service_code, s.name_lo AS service_lo, s.name_en AS service_en, r.fee,"
    f" {amounts.PAID} AS paid, c.status, r.promised_date,"
    " (c.open = 1 AND c.promised_date < :today) AS overdue, NULL AS counter"
)
_SERVICE = " JOIN services s ON s.version = r.catalog_version AND s.code = r.service_code"
_ALL = " FROM requests r JOIN request_current c ON c.request_id = r.id"
# Filters that only open requests pass (overdue; received, incomplete, in process) start from
# the small partial index of open requests: left to itself SQLite walks the whole table newest
# first looking for them, a second or more on a million rows when they are few.
_OPEN = (
    " FROM request_current c INDEXED BY request_current_open JOIN requests r ON r.id = c.request_id"
)


class BrowseRow(TypedDict):
    """One line of the request list (`_ROW_COLUMNS`)."""

    pos: int  # the request's rowid: the keyset the next page continues from
    tracking: str
    business_date: str
    citizen_name: str
    phone: str | None
    id_number: str | None
    service_code: str
    service_lo: str
    service_en: str
    fee: int
    paid: int  # net of voids and refunds
    status: str
    promised_date: str
    overdue: int  # 1 if open and past its promised date, else 0
    # Another counter's request of the office, pulled (queries/office_requests.py): that
    # counter's number; None for this counter's own.
    counter: int | None


class DocumentName(TypedDict):
    name_lo: str
    name_en: str


class RequestView(service_requests.RequestDetail):
    """A request as the detail pane shows it (`request_detail`)."""

    document_names: dict[str, DocumentName]  # by document code
    overdue: bool
    # Another counter's request (queries/office_requests.py), shown and not served: that
    # counter's number and the centre's time of the facts shown. None for this counter's own.
    served_at: int | None
    office_as_of: str | None
    # This counter may change its status and take its payments: its own, or another counter's
    # once the centre takes such facts (office_facts.takes, docs/OFFICE_SHARING.md D2).
    writable: bool
    # This counter may print its receipts again: its own request's, or another counter's (as
    # copies marked with that counter) once the centre takes such prints.
    copyable: bool


class ServiceChoice(TypedDict):
    code: str
    name_lo: str
    name_en: str


@dataclass(frozen=True)
class Filters:
    """What the clerk narrowed the list to. `today` and `overdue` use the store's own date."""

    today: bool = False
    status: str | None = None
    overdue: bool = False
    service_code: str | None = None
    search: str = ""


@dataclass(frozen=True)
class Page:
    rows: list[BrowseRow]
    # Rows remain after this page; pass `cursor` as `before` to read the next one.
    more: bool
    cursor: int | None
    # A search's page only: it found more than SEARCH_LIMIT matches and shows the newest of them
    # (no page follows: typing more narrows the search).
    cut: bool = False


def _only_open(filters: Filters) -> bool:
    return filters.overdue or filters.status in request_history.OPEN_STATUSES


def _where(store: Store, filters: Filters) -> tuple[list[str], dict[str, Any]]:
    if filters.status is not None and filters.status not in request_history.STATUSES:
        raise ValidationError(
            "status.unknown",
            "status",
            status=filters.status,
            known=", ".join(request_history.STATUSES),
        )
    today = local_date(store.now()).isoformat()
    where: list[str] = []
    params: dict[str, Any] = {"today": today}
    if filters.today:
        where.append("r.business_date = :today")
    if filters.status is not None:
        where.append("c.status = :status")
        params["status"] = filters.status
    if _only_open(filters):
        where.append("c.open = 1")
    if filters.overdue:
        where.append("c.promised_date < :today")
    if filters.service_code:
        where.append("r.service_code = :service")
        params["service"] = filters.service_code
    return where, params


def _search_page(store: Store, filters: Filters, where: list[str], params: dict[str, Any]) -> Page:
    found = service_requests.find_requests(store, filters.search, limit=SEARCH_LIMIT)
    rows: list[BrowseRow] = []
    if found.rows:
        ids = {f"id{n}": row["id"] for n, row in enumerate(found.rows)}
        own_where = [*where, f"r.id IN ({', '.join(':' + key for key in ids)})"]
        rows = store.all_as(
            BrowseRow,
            f"SELECT {_ROW_COLUMNS}{_ALL}{_SERVICE} WHERE {' AND '.join(own_where)}",
            {**params, **ids},
        )
        # Keep the search's own order: the exact tracking number, phone or ID match comes
        # first, each kind newest first. Matched by tracking number, unique as the id is: the
        # list's rows carry no id.
        rank = {row["tracking"]: n for n, row in enumerate(found.rows)}
        rows.sort(key=lambda row: rank[row["tracking"]])
    # Then the office's other counters' requests, as far as pulled: a citizen may come back to
    # another counter than the one that took the request.
    if not found.more and len(rows) < SEARCH_LIMIT:
        rows += _office_rows(store, filters, SEARCH_LIMIT - len(rows))
    return Page(rows, False, None, cut=found.more)


def _office_rows(store: Store, filters: Filters, limit: int) -> list[BrowseRow]:
    today = local_date(store.now())
    names = {
        (s["code"], s["version"]): s
        for s in store.all("SELECT code, version, name_lo, name_en FROM services")
    }
    rows: list[BrowseRow] = []
    for row in office_requests.find(store, filters.search, limit):
        overdue = office_requests.is_overdue(row, today)
        if (
            (filters.today and row["business_date"] != today.isoformat())
            or (filters.status is not None and row["status"] != filters.status)
            or (_only_open(filters) and row["status"] not in request_history.OPEN_STATUSES)
            or (filters.overdue and not overdue)
            or (filters.service_code and row["service_code"] != filters.service_code)
        ):
            continue
        service = names.get((row["service_code"], row["catalog_version"]))
        rows.append(
            {
                "pos": 0,  # no page follows a search's
                "tracking": row["tracking"],
                "business_date": row["business_date"],
                "citizen_name": row["citizen_name"],
                "phone": row["phone"],
                "id_number": row["id_number"],
                "service_code": row["service_code"],
                "service_lo": service["name_lo"] if service else row["service_code"],
                "service_en": service["name_en"] if service else row["service_code"],
                "fee": row["fee"],
                "paid": row["paid"],
                "status": row["status"],
                "promised_date": row["promised_date"],
                "overdue": int(overdue),
                "counter": row["counter"],
            }
        )
    return rows


def page_requests(
    store: Store, filters: Filters, before: int | None = None, limit: int = PAGE_SIZE
) -> Page:
    """One page of the list, newest first, starting after the row whose `pos` is `before`.

    With search text the page is the search's matches (at most SEARCH_LIMIT), with no more to
    follow; `cut` says the search found more than that.
    """
    where, params = _where(store, filters)
    if filters.search.strip():
        return _search_page(store, filters, where, params)
    if before is not None:
        # With the open index, "+" keeps SQLite from trading it for a walk down the rowids.
        where.append(("+" if _only_open(filters) else "") + "r.rowid < :before")
        params["before"] = before
    sql = f"SELECT {_ROW_COLUMNS}{_OPEN if _only_open(filters) else _ALL}{_SERVICE}"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY r.rowid DESC LIMIT :limit"
    rows = store.all_as(BrowseRow, sql, {**params, "limit": limit + 1})
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(rows, more, rows[-1]["pos"] if rows else before)


def count_requests(store: Store, filters: Filters, cap: int = COUNT_CAP) -> int:
    """How many requests match, counting no further than `cap + 1` (so "more than `cap`")."""
    if filters.search.strip():
        return len(page_requests(store, filters).rows)
    where, params = _where(store, filters)
    sql = f"SELECT 1{_OPEN if _only_open(filters) else _ALL}"
    if where:
        sql += " WHERE " + " AND ".join(where)
    return store.scalar_int(f"SELECT COUNT(*) FROM ({sql} LIMIT :cap)", {**params, "cap": cap + 1})


def request_detail(store: Store, tracking: str) -> RequestView:
    """`service_requests.get_request`, plus the names of its documents and whether it is
    overdue; another counter's request of the office (`office_requests.detail`) if this counter
    has none of that number."""
    try:
        request: service_requests.RequestDetail = service_requests.get_request(store, tracking)
        served_at, as_of = None, None
    except NotFoundError:
        office = office_requests.detail(store, tracking)
        if office is None:
            raise
        request, served_at, as_of = office, office["counter"], office["as_of"]
    service = catalog.get_service(store, request["service_code"], request["catalog_version"])
    today = local_date(store.now()).isoformat()
    return {
        **request,
        "document_names": {
            d["code"]: {"name_lo": d["name_lo"], "name_en": d["name_en"]}
            for d in service["documents"]
        },
        "overdue": (
            request["status"] in request_history.OPEN_STATUSES and request["promised_date"] < today
        ),
        "served_at": served_at,
        "office_as_of": as_of,
        "writable": served_at is None or office_facts.takes(store, "status_events"),
        "copyable": served_at is None or office_facts.takes(store, "receipt_prints"),
    }


def service_choices(store: Store) -> list[ServiceChoice]:
    """The current catalog's services, for the list's service filter."""
    return [
        {"code": s["code"], "name_lo": s["name_lo"], "name_en": s["name_en"]}
        for s in catalog.list_services(store)
    ]
