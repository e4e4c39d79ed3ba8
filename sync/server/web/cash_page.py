"""The cash and revenue page (`/cash?area=…&period=…`): per office (per counter at an office or
a counter) the payments, fees, voids and refunds with their rates, and the cash drawers closed
and counted off; per clerk and per approver within one office only, as the API gives them.

Every number comes from the revenue and cash figures' own functions, as /api/v1 reads them.
A row is marked an outlier, in words, by the rule of `outliers`: against the rates of the whole
area asked (a counter's office), so a reader sees which office, counter or clerk to ask about.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import Connection

from odsc_desk.shared.clock import local_date
from sync.server import exports
from sync.server.context import context
from sync.server.db import reading
from sync.server.figures import cash, revenue
from sync.server.figures.periods import Period
from sync.server.figures.rates import ratio
from sync.server.tables import Table, table
from sync.server.web import pages
from sync.server.web.i18n import Lang, tr
from sync.server.web.levels import Level
from sync.server.web.lists import _asked, _period, address
from sync.server.web.render import render
from sync.server.web.services_pages import (
    CHART_ROWS,
    FORMATS,
    choice,
    query_of,
    ranked_chart,
    refuse_input,
)

router = APIRouter(include_in_schema=False)

# The outlier rule: a rate more than TIMES the whole area's, or one drawer off by DRAWER_LIMIT
# kip or more either way. Measured against the area rather than a fixed rate, so a place whose
# services are often refunded by their nature is not marked for it; 50,000 kip is more than a
# note or two miscounted.
TIMES = 2
DRAWER_LIMIT = 50_000
RATES = ("void_rate", "refund_rate", "drawer_rate")
TABLES = ("places", "clerks", "approvers")

_REVENUE = ("payments", "gross", "voids", "voided", "refunds", "refunded", "net", "void_rate",
            "refund_rate")  # fmt: skip
_CASH = ("closed", "differences", "difference_sum", "largest_difference", "approved")


@dataclass(frozen=True)
class Mark:
    rule: str  # one of RATES, or "large" (a drawer off by DRAWER_LIMIT or more)
    value: float | int
    scope: float | None  # the whole area's rate; None for "large"

    def words(self, lang: Lang) -> str:
        if self.rule == "large":
            return tr(lang, "cash_mark_large", amount=tr(lang, "kip", amount=f"{self.value:,}"))
        return tr(
            lang, f"cash_mark_{self.rule}", rate=_percent(self.value), scope=_percent(self.scope)
        )


def _percent(rate: float | None) -> str:
    return "—" if rate is None else f"{round(rate * 100)}%"


def with_drawer_rate(values: dict[str, Any]) -> dict[str, Any]:
    """The share of the drawers closed that were counted off, beside the cash figure's own."""
    if "closed" not in values:
        return values
    return {**values, "drawer_rate": ratio(values["differences"], values["closed"])}


def outliers(row: dict[str, Any], scope: dict[str, Any]) -> list[Mark]:
    """The rules a row breaks, against the whole area's totals."""
    found = [
        Mark(rate, row[rate], scope.get(rate))
        for rate in RATES
        if row.get(rate) is not None
        and scope.get(rate) is not None
        and row[rate] > TIMES * scope[rate]
    ]
    largest = row.get("largest_difference")
    if largest is not None and abs(largest) >= DRAWER_LIMIT:
        found.append(Mark("large", largest, None))
    return found


@dataclass(frozen=True)
class CashSeen:
    by: str  # "office" or "counter"
    places: list[dict[str, Any]]  # level, code, the revenue and cash figures, marks
    totals: dict[str, Any]  # the level's: a counter's own row
    clerks: list[dict[str, Any]] | None  # None: not given above one office
    approvers: list[dict[str, Any]] | None


def _key(by: str, row: dict[str, Any]) -> tuple[Any, ...]:
    return (row["office"], row["counter"]) if by == "counter" else (row["office"],)


def read_cash(conn: Connection, level: Level, period: Period) -> CashSeen:
    area = level.area
    by = "counter" if level.place in ("office", "counter") else "office"
    money = revenue.revenue(conn, area, period, by)
    drawers = cash.cash(conn, area, period, by)
    scope = with_drawer_rate({**money["totals"], **drawers["totals"]})
    merged: dict[tuple[Any, ...], dict[str, Any]] = {}
    for answer in (money, drawers):
        for row in answer["rows"]:
            merged.setdefault(_key(by, row), {}).update(
                {k: v for k, v in row.items() if k != "previous"}
            )
    # a place with payments but no drawer closed (or the other way): zeros, and no rate
    empty: dict[str, Any] = {
        **dict.fromkeys((*_REVENUE, *_CASH), 0),
        **dict.fromkeys(("void_rate", "refund_rate", "largest_difference")),
    }
    places = []
    for key, values in sorted(merged.items()):
        if by == "counter" and level.place == "counter" and key != (level.code, level.counter):
            continue
        row = with_drawer_rate({**empty, **values})
        place = Level("counter", key[0], key[1]) if by == "counter" else Level("office", key[0])
        code = f"{key[0]}/{key[1]}" if by == "counter" else key[0]
        places.append({**row, "level": place, "code": code, "marks": outliers(row, scope)})
    clerks = approvers = None
    if area.is_office:
        clerks = [
            {**row, "marks": outliers(row, scope)}
            for row in revenue.revenue(conn, area, period, "clerk")["rows"]
        ]
        approvers = drawers["approvers"]
    totals = scope
    if level.place == "counter":
        totals = places[0] if places else with_drawer_rate(empty)
    return CashSeen(by, places, totals, clerks, approvers)


def cash_tables(seen: CashSeen) -> dict[str, Table]:
    first = ["office", "counter"] if seen.by == "counter" else ["office"]
    numbers = [*_REVENUE, *_CASH, "drawer_rate"]

    def rules(row: dict[str, Any]) -> str:
        return ", ".join(mark.rule for mark in row["marks"])

    places = [
        {**{k: row[k] for k in [*first, *numbers]}, "outlier": rules(row)} for row in seen.places
    ]
    tables = {"places": table("places", places, [*first, *numbers, "outlier"])}
    if seen.clerks is not None:
        clerks = [
            {"clerk": r["clerk"], **{k: r[k] for k in _REVENUE}, "outlier": rules(r)}
            for r in seen.clerks
        ]
        tables["clerks"] = table("clerks", clerks, ["clerk", *_REVENUE, "outlier"])
    if seen.approvers is not None:
        tables["approvers"] = table(
            "approvers", seen.approvers, ["approved_by", "closed", "differences"]
        )
    return tables


def _no_clerks(request: Request) -> Response:
    """403 for a per-person table above one office, as the API refuses it."""
    return render(
        request,
        "refused.html",
        pages._lang(request),
        403,
        title_lo=tr("lo", "forbidden_title"),
        title_en=tr("en", "forbidden_title"),
        message_lo=tr("lo", "cash_no_clerks"),
        message_en=tr("en", "cash_no_clerks"),
    )


@router.get("/cash")
def cash_page(request: Request) -> Response:
    ctx = context(request)
    asked = _asked(request, ctx)
    if isinstance(asked, Response):
        return asked
    lang = pages._lang(request)
    for name, allowed in (("format", FORMATS), ("table", TABLES)):
        if choice(request, name, allowed) is None:
            return refuse_input(request, name)
    fmt = choice(request, "format", FORMATS)
    wanted = choice(request, "table", TABLES) or TABLES[0]
    level = asked.level
    period, text = _period(request, local_date(ctx.now()))
    if fmt != "html":
        if period is None:
            return refuse_input(request, "period")
        if wanted != "places" and not level.area.is_office:
            return _no_clerks(request)
    seen = None
    if period is not None:
        with reading(ctx.engine) as conn:
            seen = read_cash(conn, level, period)
    if seen is not None and period is not None and fmt in ("csv", "xlsx"):
        name = exports.name_for("cash", level.area, period, wanted)
        return exports.as_file(cash_tables(seen), wanted, fmt, name)
    query = query_of(asked, text)
    registry = asked.registry
    ranked = sorted(seen.places, key=lambda r: -r["net"]) if seen else []
    marked = [*seen.places, *(seen.clerks or [])] if seen else []
    scope_level = Level("office", level.code) if level.place == "counter" else level

    def place_name(row: Level) -> str:
        """A row's name: a counter's number alone, as the page is its office's or its own."""
        if row.place == "counter":
            return tr(lang, "counter_named", counter=row.counter)
        return row.name(registry, lang)

    response = render(
        request,
        "cash.html",
        lang,
        200 if seen is not None else 400,
        session=asked.session,
        registry=registry,
        level=level,
        area_text=address(level),
        period=period,
        period_text=text or (period.label if period else ""),
        bad_period=period is None,
        seen=seen,
        chart=ranked_chart([(place_name(r["level"]), r["net"]) for r in ranked[:CHART_ROWS]]),
        scope_name=scope_level.name(registry, lang),
        place_name=place_name,
        drawer_limit=DRAWER_LIMIT,
        below_link=lambda row: "/cash?" + urlencode({**query, "area": address(row["level"])}),
        shortcuts={
            key: "/cash?" + urlencode({**query, "period": p.label})
            for key, p in pages.shortcuts(local_date(ctx.now())).items()
        },
        file_link=lambda fmt, which: "/cash?" + urlencode({**query, "format": fmt, "table": which}),
        marked=sum(bool(r["marks"]) for r in marked),
    )
    return pages._remember_lang(request, response)
