"""The services and ministries page (`/services?area=…&period=…&by=service|ministry`): per
service or per ministry, the requests received and completed, the on-time rate and working
days taken, the fees taken, the requests charged off the catalog or at an old version, and the
citizens' ratings; and the uniform-fee check (figures/fees.py's services charged off it).

Every number comes from the figures' own functions (volume, timeliness, revenue, fees,
satisfaction), as /api/v1 reads them, for the level's area: a counter's are its office's, as
none of these is counted per service and counter at once. `&format=csv|xlsx` gives the page's
tables as files (sync/server/exports.py, cells neutralised there); `&table=` names the one a
CSV holds.

The page helpers the cash page shares (the ranked chart, the choices a query makes, the
refusal of a bad one) live here too.
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
from sync.server.figures import fees, revenue, satisfaction, timeliness, volume
from sync.server.figures.area import Area
from sync.server.figures.figure import FigureFunction
from sync.server.figures.periods import Period
from sync.server.tables import Table, table
from sync.server.web import pages
from sync.server.web.i18n import Lang, tr
from sync.server.web.lists import Asked, _asked, _period, address
from sync.server.web.render import render

router = APIRouter(include_in_schema=False)

BYS = ("service", "ministry")
FORMATS = ("html", "csv", "xlsx")
CHART_ROWS = 10  # more bars than this and the largest no longer stand out
_QUERY_SHOWN = 40  # characters of a bad query value quoted back


# -- what the pages share ----------------------------------------------------------------------


@dataclass(frozen=True)
class RankedBar:
    y: float
    width: float
    label: str
    value: int


@dataclass(frozen=True)
class Ranked:
    """A horizontal bar chart, largest first: each row's name beside its bar, which a reader
    compares faster than a column of numbers."""

    width: int
    height: int
    left: int  # where the bars start, after the names
    bar_height: int
    bars: list[RankedBar]


_RANK_WIDTH, _RANK_LEFT, _RANK_ROW, _RANK_VALUE = 640, 230, 26, 120
_LABEL_MAX = 30  # characters of a name that fit left of the bars


def ranked_chart(points: list[tuple[str, int]]) -> Ranked:
    """The points as bars, in the order given; a negative value draws no bar."""
    most = max([value for _, value in points] + [1])
    room = _RANK_WIDTH - _RANK_LEFT - _RANK_VALUE
    bars = [
        RankedBar(
            y=n * _RANK_ROW + 4,
            width=round(room * max(value, 0) / most, 1),
            label=label if len(label) <= _LABEL_MAX else label[: _LABEL_MAX - 1] + "…",
            value=value,
        )
        for n, (label, value) in enumerate(points)
    ]
    return Ranked(_RANK_WIDTH, len(points) * _RANK_ROW + 8, _RANK_LEFT, _RANK_ROW - 8, bars)


def choice(request: Request, name: str, allowed: tuple[str, ...]) -> str | None:
    """The query's value of `name`, the first allowed one when absent; None when not allowed."""
    text = request.query_params.get(name, "").strip() or allowed[0]
    return text if text in allowed else None


def refuse_input(request: Request, name: str) -> Response:
    """400, in both languages, for a query value the page does not offer."""
    shown = request.query_params.get(name, "")[:_QUERY_SHOWN]
    return render(
        request,
        "refused.html",
        pages._lang(request),
        400,
        title_lo=tr("lo", "sv_bad_title"),
        title_en=tr("en", "sv_bad_title"),
        message_lo=tr("lo", "sv_bad_value", name=name, value=shown),
        message_en=tr("en", "sv_bad_value", name=name, value=shown),
    )


def query_of(asked: Asked, period_text: str, **more: str) -> dict[str, str]:
    """The query a link back to the same page keeps: its level, its period and `more`."""
    return {
        "area": address(asked.level),
        **({"period": period_text} if period_text else {}),
        **more,
    }


def named(row: dict[str, Any], lang: Lang) -> str:
    """A row's name in the person's language, else its code."""
    name = row.get("name_lo" if lang == "lo" else "name_en")
    code = row.get("code", row.get("service"))
    return str(name) if name else str(code or "—")


# -- the figures per service or ministry -------------------------------------------------------

_FIGURES: dict[str, FigureFunction] = {
    "volume": volume.volume,
    "timeliness": timeliness.timeliness,
    "revenue": revenue.revenue,
    "fees": fees.fees,
    "satisfaction": satisfaction.satisfaction,
}
# (figure, its field): the page's columns, named as the API names them
COLUMNS = (
    ("volume", "received"),
    ("timeliness", "ready"),
    ("timeliness", "on_time"),
    ("timeliness", "on_time_rate"),
    ("timeliness", "median_days"),
    ("timeliness", "p90_days"),
    ("revenue", "gross"),
    ("revenue", "net"),
    ("fees", "fee_off_catalog"),
    ("fees", "fee_old_version"),
    ("satisfaction", "feedback"),
    ("satisfaction", "mean_rating"),
    ("satisfaction", "response_rate"),
)
_COUNTED = {"received", "ready", "on_time", "gross", "net", "fee_off_catalog", "fee_old_version",
            "feedback"}  # fmt: skip


def _values(parts: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """A row's columns from each figure's row (a figure without one: 0, or no rate)."""
    return {
        field: parts.get(figure, {}).get(field, 0 if field in _COUNTED else None)
        for figure, field in COLUMNS
    }


@dataclass(frozen=True)
class ServicesSeen:
    by: str
    rows: list[dict[str, Any]]  # code, name_lo, name_en, (ministry,) and COLUMNS' fields
    totals: dict[str, Any]
    uniform: dict[str, Any]  # the fees figure's totals: checked, uniform_rate…
    strays: list[dict[str, Any]]  # fees' off_catalog list


def read_services(conn: Connection, area: Area, period: Period, by: str) -> ServicesSeen:
    answers = {name: function(conn, area, period, by) for name, function in _FIGURES.items()}
    keyed: dict[Any, dict[str, dict[str, Any]]] = {}
    labels: dict[Any, dict[str, Any]] = {}
    for name, answer in answers.items():
        for row in answer["rows"]:
            keyed.setdefault(row[by], {})[name] = row
            if row.get("name_en") or row.get("name_lo") or row[by] not in labels:
                labels[row[by]] = row
    rows = []
    for code, parts in keyed.items():
        label = labels[code]
        rows.append(
            {
                "code": code,
                "name_lo": label.get("name_lo"),
                "name_en": label.get("name_en"),
                **({"ministry": label.get("ministry")} if by == "service" else {}),
                **_values(parts),
            }
        )
    rows.sort(key=lambda r: (-r["received"], r["code"] is None, r["code"] or ""))
    return ServicesSeen(
        by=by,
        rows=rows,
        totals=_values({name: answer["totals"] for name, answer in answers.items()}),
        uniform=answers["fees"]["totals"],
        strays=answers["fees"]["off_catalog"],
    )


_STRAY_COLUMNS = ["service", "name_lo", "name_en", "ministry", "checked", "fee_catalog",
                  "fee_off_catalog", "fee_old_version", "fee_unknown", "uniform_rate"]  # fmt: skip


def services_tables(seen: ServicesSeen) -> dict[str, Table]:
    first = [seen.by, "name_lo", "name_en", *(["ministry"] if seen.by == "service" else [])]
    rows = [{seen.by: r["code"], **{k: v for k, v in r.items() if k != "code"}} for r in seen.rows]
    strays = [
        {
            **{k: v for k, v in s.items() if k != "previous"},
            "previous": {k: s["previous"][k] for k in ("fee_off_catalog", "fee_old_version")},
        }
        for s in seen.strays
    ]
    return {
        "services": table(seen.by, rows, [*first, *(field for _, field in COLUMNS)]),
        "uniform": table("uniform_fees", strays, _STRAY_COLUMNS),
    }


@router.get("/services")
def services_page(request: Request) -> Response:
    ctx = context(request)
    # Every figure on it counts per service: through a ministry's scope, only its services.
    asked = _asked(request, ctx, per_service=True)
    if isinstance(asked, Response):
        return asked
    lang = pages._lang(request)
    for name, allowed in (("by", BYS), ("format", FORMATS), ("table", ("services", "uniform"))):
        if choice(request, name, allowed) is None:
            return refuse_input(request, name)
    by, fmt = choice(request, "by", BYS) or BYS[0], choice(request, "format", FORMATS)
    period, text = _period(request, local_date(ctx.now()))
    if period is None and fmt != "html":
        return refuse_input(request, "period")
    seen = None
    with reading(ctx.engine) as conn:
        ministry = pages.ministry_names(conn, asked.level)
        if period is not None:
            seen = read_services(conn, asked.level.area, period, by)
    if seen is not None and period is not None and fmt in ("csv", "xlsx"):
        wanted = choice(request, "table", ("services", "uniform")) or "services"
        name = exports.name_for("services", asked.level.area, period, by, wanted)
        return exports.as_file(services_tables(seen), wanted, fmt, name)
    query = query_of(asked, text, by=by)
    points = [(named(r, lang), int(r["received"])) for r in (seen.rows if seen else [])]
    response = render(
        request,
        "services.html",
        lang,
        200 if seen is not None else 400,
        session=asked.session,
        registry=asked.registry,
        level=asked.level,
        ministry=ministry,
        area_text=address(asked.level),
        period=period,
        period_text=text or (period.label if period else ""),
        bad_period=period is None,
        by=by,
        seen=seen,
        chart=ranked_chart(points[:CHART_ROWS]),
        named=lambda row: named(row, lang),
        by_link=lambda other: "/services?" + urlencode({**query, "by": other}),
        shortcuts={
            key: "/services?" + urlencode({**query, "period": p.label})
            for key, p in pages.shortcuts(local_date(ctx.now())).items()
        },
        file_link=lambda fmt, wanted: (
            "/services?" + urlencode({**query, "format": fmt, "table": wanted})
        ),
    )
    return pages._remember_lang(request, response)
