"""Figures and records as files a spreadsheet program opens: CSV (UTF-8 with a byte-order mark,
so Excel reads Lao) and XLSX (openpyxl), each sent as an attachment with its file name.

Every text cell goes through `odsc_desk.shared.cells.cell`, the counter's own rule against
formula injection (OWASP): names and reasons typed at a counter are data, never formulas.
Numbers stay numbers. In CSV, text is quoted and numbers are not, as the counter's export does.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from typing import Any

from fastapi import Response
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from odsc_desk.shared.cells import cell
from sync.server.figures.area import Area
from sync.server.figures.periods import Period
from sync.server.records import Shown
from sync.server.tables import Scalar, Table, table

CSV_TYPE = "text/csv"  # Starlette adds "; charset=utf-8" to a text type
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = {"csv": CSV_TYPE, "xlsx": XLSX_TYPE}
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def csv_bytes(shown: Table) -> bytes:
    handle = io.StringIO()
    writer = csv.writer(handle, quoting=csv.QUOTE_NONNUMERIC)
    writer.writerow([cell(c) for c in shown.columns])
    for row in shown.rows:
        writer.writerow([cell(v) for v in row])
    return ("\ufeff" + handle.getvalue()).encode("utf-8")


def _xlsx_cell(value: Scalar) -> Scalar:
    safe = cell(value)
    if isinstance(safe, str):
        # Control characters are not allowed in an XLSX file: shown as a replacement mark
        # rather than refusing the whole export.
        return ILLEGAL_CHARACTERS_RE.sub("\ufffd", safe)
    return safe


def xlsx_bytes(sheets: Iterable[Table]) -> bytes:
    book = Workbook(write_only=True)
    for shown in sheets:
        sheet = book.create_sheet(shown.name[:31])
        sheet.append([_xlsx_cell(c) for c in shown.columns])
        for row in shown.rows:
            sheet.append([_xlsx_cell(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def filename(*parts: str | None) -> str:
    """A file name of plain letters, digits, dots and dashes."""
    words = [_UNSAFE.sub("-", p.replace("..", "_to_")).strip("-") for p in parts if p]
    return "-".join(w for w in words if w)


def area_name(area: Area) -> str:
    where = area.place if area.place == "nation" else f"{area.place}-{area.code}"
    return where if area.ministry is None else f"{where}-{area.ministry}"


def name_for(what: str, area: Area, period: Period, *more: str | None) -> str:
    return filename(what, period.label, area_name(area), *more)


def attachment(content: bytes, fmt: str, name: str) -> Response:
    return Response(
        content,
        media_type=FORMATS[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'},
    )


def as_file(tables: Mapping[str, Table], first: str, fmt: str, name: str) -> Response:
    """The tables as a file: CSV holds the table `first`; XLSX holds them all, `first` first."""
    if fmt == "csv":
        return attachment(csv_bytes(tables[first]), fmt, name)
    ordered = [tables[first], *(t for key, t in tables.items() if key != first)]
    return attachment(xlsx_bytes(ordered), fmt, name)


# -- records -------------------------------------------------------------------------------


def _event_text(event: dict[str, Any]) -> str:
    """A status event in the history cell. A new date's event keeps the status it follows, so
    without its day it would read as the same step twice."""
    text = f"{event['status']} {event['at']}"
    return text if event["new_date"] is None else f"{text} new date {event['new_date']}"


def request_tables(items: list[dict[str, Any]], shown: Shown) -> dict[str, Table]:
    """Requests one a row (their history summed up in one cell), and their status events one a
    row."""
    rows = [{**item, "history": "; ".join(map(_event_text, item["history"]))} for item in items]
    events = [
        {"tracking": item["tracking"], **event} for item in items for event in item["history"]
    ]
    event_keys = ["tracking", "seq", "status", "reason", "at", "new_date"]
    event_keys += ["by"] if shown.clerks else []
    return {
        "requests": table("requests", rows, shown.request_keys()),
        "history": table("history", events, event_keys),
    }


def payment_tables(items: list[dict[str, Any]], shown: Shown) -> dict[str, Table]:
    """Payments one a row (whether voided, and how much refunded), and their voids and refunds
    one a row."""
    undone = ("void", "refunds")
    rows = []
    for item in items:
        void = item["void"]
        rows.append(
            {
                **{k: v for k, v in item.items() if k not in undone},
                "voided_at": void["at"] if void else None,
                "void_reason": void["reason"] if void else None,
                "refunded": sum(r["amount"] for r in item["refunds"]),
            }
        )
    voided = [
        {"receipt": item["receipt"], **item["void"]} for item in items if item["void"] is not None
    ]
    refunded = [
        {"receipt": item["receipt"], **refund} for item in items for refund in item["refunds"]
    ]
    columns = [k for k in shown.payment_keys() if k not in undone]
    return {
        "payments": table("payments", rows, [*columns, "voided_at", "void_reason", "refunded"]),
        "voids": table("voids", voided, ["receipt", *shown.undoing_keys(refund=False)]),
        "refunds": table("refunds", refunded, ["receipt", *shown.undoing_keys(refund=True)]),
    }
