"""The bodies /api/v1 answers with, for its OpenAPI document (and checked on the way out)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class AreaBody(BaseModel):
    place: str = Field(description="nation, province, district or office", examples=["province"])
    code: str = Field(description='"" for the nation', examples=["LA-VT"])
    ministry: str | None = Field(description="only this ministry's services", examples=[None])


class PeriodBody(BaseModel):
    label: str = Field(examples=["2026-03"])
    kind: str = Field(description="day, week, month, quarter, year or range")
    start: str = Field(examples=["2026-03-01"])
    end: str = Field(description="inclusive", examples=["2026-03-31"])
    days: int


class FigureAnswer(BaseModel):
    """Every figure's answer. A figure may add its own lists: overdue's `overdue` (items, next
    cursor), fees' `off_catalog` and `versions`, cash's `approvers` (one office only)."""

    model_config = ConfigDict(extra="allow")

    figure: str = Field(examples=["volume"])
    area: AreaBody
    by: str | None = Field(description="the breakdown asked for; null for totals alone")
    period: PeriodBody
    previous: PeriodBody = Field(description="the period just before, of the same length")
    totals: dict[str, Any] = Field(
        description="the figure's values over the area and period; `previous` holds the "
        "previous period's"
    )
    rows: list[dict[str, Any]] = Field(
        description="one per key of the breakdown: its label (code, names in English and Lao),"
        " its values, and the previous period's under `previous`"
    )


class FigureListed(BaseModel):
    name: str
    summary: str
    by: list[str] = Field(description="the breakdowns it offers")
    clerk_by: list[str] = Field(description="of those, the ones per clerk (one office only)")
    per_service: bool = Field(description="whether a ministry can narrow it")


class References(BaseModel):
    """What an entry counts (GovStack's `references`, with the area added)."""

    startDate: str
    endDate: str
    registrationName: str | None = Field(description="the service code asked for")
    operator: str | None = Field(description="the counter user asked for")
    timeframeDay: bool
    timeframeWeek: bool
    timeframeMonth: bool
    timeframeYear: bool
    area: AreaBody


class StatisticsEntry(BaseModel):
    processed: int = Field(description="requests received")
    approved: int = Field(description="requests that became ready")
    sentBack: int = Field(description="requests sent back for missing documents")
    rejected: int
    collected: int
    withdrawn: int
    references: References


class StatusEvent(BaseModel):
    seq: int
    status: str
    reason: str | None
    at: str
    new_date: str | None = Field(
        description="YYYY-MM-DD: the new date a late request's notice told the citizen (the "
        "event keeps the request's status); null on any other event"
    )
    by: str | None = Field(None, description="the counter user; only for one office's area")


class Undoing(BaseModel):
    """A void (amount: the payment's) or a refund of a payment."""

    id: str
    business_date: str
    at: str
    reason: str | None
    amount: int | None = Field(None, description="a refund's amount")
    by: str | None = Field(None, description="only for one office's area")
    approved_by: str | None = Field(None, description="only for one office's area")


class PaymentRecord(BaseModel):
    id: str
    receipt: str
    office: str
    counter: int
    business_date: str
    at: str
    amount: int
    method: str
    request_id: str
    tracking: str | None = Field(description="its request's, when the centre holds it")
    service_code: str | None
    session_id: str | None
    by: str | None = Field(None, description="the clerk; only for one office's area")
    void: Undoing | None
    refunds: list[Undoing]


class RequestRecord(BaseModel):
    """A request. The personal fields (citizen_name, phone, id_number, village) are present
    only for a caller allowed personal data; otherwise they are absent, not null."""

    id: str
    tracking: str
    office: str
    counter: int
    business_date: str
    created_at: str
    created_by: str | None = Field(None, description="the clerk; only for one office's area")
    citizen_name: str | None = None
    phone: str | None = None
    id_number: str | None = None
    village: str | None = None
    service_code: str
    catalog_version: int
    fee: int
    fee_check: str
    promised_date: str | None
    new_date: str | None = Field(
        description="YYYY-MM-DD: the last new date the office gave a late request (its history's"
        " last event with one); null if none was given"
    )
    documents: list[str] | None
    status: str
    ready_on: str | None
    closed_on: str | None
    returned: int
    working_days: int | None
    history: list[StatusEvent]


class RequestDetail(RequestRecord):
    payments: list[PaymentRecord]


class RequestPage(BaseModel):
    items: list[RequestRecord]
    next: str | None = Field(description="the cursor of the next page; null on the last")


class PaymentPage(BaseModel):
    items: list[PaymentRecord]
    next: str | None = Field(description="the cursor of the next page; null on the last")
