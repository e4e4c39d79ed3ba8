"""CSV export of requests with their payments, for the office's own spreadsheets.

What citizens and clerks typed goes into cells a spreadsheet program may run: a name typed as
`=HYPERLINK("http://…","Click")` becomes a live link, `+cmd|' /C calc'!A0` asks to start a
program. So every text cell goes through `shared.cells.cell` (OWASP's advice against CSV
injection: a leading apostrophe before a formula character, which makes it text), the one rule
the centre's exports follow too, and every text cell is quoted (so a comma, a semicolon or a tab
inside it cannot start a new cell either). Numbers (the fee, the amount paid) are written as
numbers, unquoted, whatever their sign.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path
from typing import TypedDict

from odsc_desk.domain import amounts
from odsc_desk.shared import safe_files
from odsc_desk.shared.cells import cell
from odsc_desk.shared.errors import ValidationError
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

    UTF-8 with a byte-order mark, so spreadsheet programs on Windows read Lao correctly. `out`
    must be a new file (see `safe_files`); a failure leaves nothing there.
    """
    if end < start:
        raise ValidationError("export.range", "to")
    target = Path(out)
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
    with (
        safe_files.new_file(target) as raw,
        io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as handle,
    ):
        # The header is this module's own column names: nothing in it to neutralise or quote.
        csv.writer(handle).writerow(COLUMNS)
        writer = csv.writer(handle, quoting=csv.QUOTE_NONNUMERIC)
        for row in cursor:
            writer.writerow([cell(value) for value in row])
            count += 1
    return {"path": str(target), "rows": count}
