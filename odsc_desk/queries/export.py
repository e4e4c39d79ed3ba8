"""CSV export of requests with their payments, for the office's own spreadsheets."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import TypedDict

from odsc_desk.domain import amounts
from odsc_desk.shared.errors import StoreError, ValidationError
from odsc_desk.storage.store import Store

COLUMNS = (
    "tracking",
    "business_date",
    "citizen_name",
    "phone",
    "id_number",
    "village",
    "service_code",
    "service_lo",
    "service_en",
    "ministry",
    "catalog_version",
    "fee",
    "promised_date",
    "status",
    "paid",
    "receipts",
)


class Exported(TypedDict):
    path: str
    rows: int


def export_requests(store: Store, start: date, end: date, out: Path | str) -> Exported:
    """Requests taken between `start` and `end` (inclusive), one row each.

    UTF-8 with a byte-order mark, so spreadsheet programs on Windows read Lao correctly.
    """
    if end < start:
        raise ValidationError("export.range", "to")
    target = Path(out)
    if target.exists():
        raise ValidationError("file.exists", "out", path=str(target))
    if not target.parent.is_dir():
        raise ValidationError("file.no_folder", "out", path=str(target.parent))
    cursor = store.conn.execute(
        "SELECT r.tracking, r.business_date, r.citizen_name, r.phone, r.id_number, r.village,"
        " r.service_code, s.name_lo, s.name_en, s.ministry_code, r.catalog_version, r.fee,"
        " r.promised_date, c.status,"
        f" {amounts.PAID},"
        " (SELECT group_concat(p.receipt, ' ') FROM payments p WHERE p.request_id = r.id)"
        " FROM requests r JOIN request_current c ON c.request_id = r.id"
        " JOIN services s ON s.version = r.catalog_version AND s.code = r.service_code"
        " WHERE r.business_date BETWEEN ? AND ? ORDER BY r.rowid",
        (start.isoformat(), end.isoformat()),
    )
    count = 0
    try:
        with target.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(COLUMNS)
            for row in cursor:
                writer.writerow(row)
                count += 1
    except OSError as exc:
        raise StoreError("store.io", path=str(target), detail=str(exc)) from exc
    return {"path": str(target), "rows": count}
