"""Figures and records as CSV and XLSX through /api/v1, read back with csv and openpyxl: the same
values as the JSON, Lao text intact, numbers as numbers, and every cell a counter typed that
could start a formula neutralised (odsc_desk.shared.cells). On SQLite and PostgreSQL (the
`centre` of test_api_v1)."""

from __future__ import annotations

import csv
import io
from typing import Any

import openpyxl
import pytest
from sqlalchemy import func, select

from odsc_desk.shared.cells import FORMULA_STARTS, cell
from sync.server.db import access_log
from sync.server.records import PERSONAL
from tests.sync.test_api_v1 import (
    FORMULA_NAME,
    FORMULA_VILLAGE,
    MONTH,
    NEW_DATE,
    centre,
    late_tracking,
)

__all__ = ["centre"]  # the fixture, shared with test_api_v1

BOM = b"\xef\xbb\xbf"


def _file(centre, path: str, who: str = "nation", **params: Any) -> Any:
    reply = centre.get(path, who, **params)
    assert reply.status_code == 200, reply.text
    return reply


def _csv(reply) -> list[list[str]]:
    assert reply.headers["content-type"] == "text/csv; charset=utf-8"
    assert reply.content.startswith(BOM)
    return list(csv.reader(io.StringIO(reply.content.decode("utf-8-sig"), newline="")))


def _xlsx(reply) -> openpyxl.Workbook:
    assert reply.headers["content-type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return openpyxl.load_workbook(io.BytesIO(reply.content))


def _sheet(book: openpyxl.Workbook, name: str) -> list[dict[str, Any]]:
    header, *rows = book[name].iter_rows(values_only=True)
    return [dict(zip(header, row, strict=True)) for row in rows]


def _logged(centre) -> int:
    with centre.server.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(access_log)).scalar_one()


# -- figures ----------------------------------------------------------------------------------


def test_a_figure_as_csv_holds_the_rows_of_its_json(centre):
    params = {"period": MONTH, "province": "LA-VT", "by": "service"}
    body = centre.ok("/figures/volume", **params)
    reply = _file(centre, "/figures/volume.csv", **params)
    assert reply.headers["content-disposition"] == (
        'attachment; filename="volume-2026-11-province-LA-VT-by-service.csv"'
    )
    header, *rows = _csv(reply)
    assert header[:4] == ["service", "name_en", "name_lo", "ministry"]
    assert "previous.received" in header
    assert len(rows) == len(body["rows"])
    for line, row in zip(rows, body["rows"], strict=True):
        got = dict(zip(header, line, strict=True))
        assert got["service"] == row["service"]
        assert got["name_lo"] == row["name_lo"]  # Lao, intact
        assert got["received"] == str(row["received"])
        assert got["previous.received"] == str(row["previous"]["received"])
    # numbers are written bare, text quoted (as the counter's own export does)
    text = reply.content.decode("utf-8-sig")
    first = body["rows"][0]
    assert f'"{first["service"]}",' in text and f",{first['received']}," in text


def test_a_figure_csv_holds_the_table_asked_for(centre):
    totals = _csv(_file(centre, "/figures/timeliness.csv", period=MONTH))
    body = centre.ok("/figures/timeliness", period=MONTH)
    header, line = totals
    assert dict(zip(header, line, strict=True))["ready"] == str(body["totals"]["ready"])
    items = _csv(_file(centre, "/figures/overdue.csv", period=MONTH, table="overdue.items"))
    overdue = centre.ok("/figures/overdue", period=MONTH)
    tracking = items[0].index("tracking")
    assert [row[tracking] for row in items[1:]] == [
        i["tracking"] for i in overdue["overdue"]["items"]
    ]
    reply = centre.get("/figures/volume.csv", "nation", period=MONTH, table="cars")
    assert reply.status_code == 422 and reply.json()["code"] == "figures.table"


def test_a_figure_as_xlsx_holds_every_table(centre):
    params = {"period": MONTH, "office": "VTE-SST", "by": "clerk"}
    body = centre.ok("/figures/revenue", "sst", **params)
    reply = _file(centre, "/figures/revenue.xlsx", "sst", **params)
    assert (
        'filename="revenue-2026-11-office-VTE-SST-by-clerk.xlsx"'
        in reply.headers["content-disposition"]
    )
    book = _xlsx(reply)
    assert book.sheetnames == ["rows", "about", "totals"]
    rows = _sheet(book, "rows")
    assert [r["clerk"] for r in rows] == [r["clerk"] for r in body["rows"]]
    for got, row in zip(rows, body["rows"], strict=True):
        assert got["gross"] == row["gross"] and isinstance(got["gross"], int)
        assert got["previous.net"] == row["previous"]["net"]
    about = {r["field"]: r["value"] for r in _sheet(book, "about")}
    assert (about["figure"], about["area.code"], about["period.label"]) == (
        "revenue", "VTE-SST", MONTH,
    )  # fmt: skip
    (totals,) = _sheet(book, "totals")
    assert totals["net"] == body["totals"]["net"]


def test_the_overdue_and_fees_lists_are_sheets(centre):
    book = _xlsx(_file(centre, "/figures/fees.xlsx", period=MONTH))
    counters = _sheet(book, "versions.counters")
    assert sorted((c["office"], c["counter"]) for c in counters) == [
        ("LPB-CHO", 1), ("VTE-SST", 1), ("VTE-SST", 2), ("VTE-XAY", 1),
    ]  # fmt: skip
    book = _xlsx(_file(centre, "/figures/overdue.xlsx", period=MONTH, limit=3))
    assert len(_sheet(book, "overdue.items")) == 3
    about = {r["field"]: r["value"] for r in _sheet(book, "about")}
    assert about["overdue.next"]  # the cursor of the rest


# -- records ----------------------------------------------------------------------------------


def test_requests_as_csv_neutralise_formulas_and_keep_numbers(centre):
    before = _logged(centre)
    reply = _file(centre, "/records/requests.csv", "sst", period=MONTH, office="VTE-SST")
    assert 'filename="requests-2026-11-office-VTE-SST.csv"' in reply.headers["content-disposition"]
    header, *rows = _csv(reply)
    assert set(PERSONAL) <= set(header)
    records = [dict(zip(header, row, strict=True)) for row in rows]
    names = {r["citizen_name"] for r in records}
    assert "'" + FORMULA_NAME in names and FORMULA_NAME not in names
    assert "'@SUM(1+1)" in names and "'-minus" in names
    assert "ນາງ ນ້ອຍ" in names
    for record in records:
        for value in record.values():
            assert not value.startswith(FORMULA_STARTS), value
    (formula,) = [r for r in records if r["citizen_name"] == "'" + FORMULA_NAME]
    assert formula["village"] == "'" + FORMULA_VILLAGE
    # fees are bare numbers; the history sits in one cell
    text = reply.content.decode("utf-8-sig")
    assert f",{int(formula['fee'])}," in text and formula["fee"] == "150000"
    assert formula["history"] == ""
    assert _logged(centre) == before + 1
    # a late request's new date: its column, and in its event in the history cell
    (late,) = [r for r in records if r["new_date"]]
    assert late["tracking"] == late_tracking(centre) and late["new_date"] == NEW_DATE
    (event,) = centre.ok(f"/records/requests/{late['tracking']}")["history"]
    assert late["history"] == f"received {event['at']} new date {NEW_DATE}"


def test_requests_as_xlsx_hold_text_never_formulas(centre):
    reply = _file(centre, "/records/requests.xlsx", "sst", period=MONTH, office="VTE-SST")
    book = _xlsx(reply)
    assert book.sheetnames == ["requests", "history"]
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for c in row:
                assert c.data_type != "f", (sheet.title, c.coordinate, c.value)
    requests = _sheet(book, "requests")
    by_name = {r["citizen_name"]: r for r in requests}
    formula = by_name["'" + FORMULA_NAME]
    assert formula["village"] == "'" + FORMULA_VILLAGE
    assert formula["fee"] == 150000 and isinstance(formula["counter"], int)
    history = _sheet(book, "history")
    returned = by_name["'@SUM(1+1)"]["tracking"]
    assert [h["status"] for h in history if h["tracking"] == returned] == [
        "incomplete", "in_process", "rejected",
    ]  # fmt: skip
    assert {h["tracking"]: h["new_date"] for h in history if h["new_date"]} == {
        late_tracking(centre): NEW_DATE
    }
    assert by_name["'@SUM(1+1)"]["new_date"] is None


def test_records_exports_carry_no_personal_data_beyond_an_office_scope(centre):
    before = _logged(centre)
    header, *rows = _csv(
        _file(centre, "/records/requests.csv", "vt", period=MONTH, province="LA-VT")
    )
    assert rows and not set(PERSONAL) & set(header)
    book = _xlsx(_file(centre, "/records/requests.xlsx", "vt", period=MONTH, province="LA-VT"))
    assert not set(PERSONAL) & set(next(book["requests"].iter_rows(values_only=True)))
    assert _logged(centre) == before


def test_payments_as_csv_and_xlsx(centre):
    body = centre.ok("/records/payments", period=MONTH, office="VTE-SST", limit=500)
    header, *rows = _csv(_file(centre, "/records/payments.csv", period=MONTH, office="VTE-SST"))
    got = [dict(zip(header, row, strict=True)) for row in rows]
    assert [r["receipt"] for r in got] == [i["receipt"] for i in body["items"]]
    assert sum(int(r["refunded"]) for r in got) == 1000
    assert sum(1 for r in got if r["voided_at"]) == 1
    book = _xlsx(_file(centre, "/records/payments.xlsx", period=MONTH, office="VTE-SST"))
    assert book.sheetnames == ["payments", "voids", "refunds"]
    (refund,) = _sheet(book, "refunds")
    assert (refund["amount"], refund["reason"]) == (1000, "over")
    (void,) = _sheet(book, "voids")
    assert void["reason"] == "wrong" and void["by"]  # one office: its clerks named


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@A1", "'@A1"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("ນາງ ນ້ອຍ", "ນາງ ນ້ອຍ"),
        (-500, -500),
        (0.25, 0.25),
        (None, None),
    ],
)
def test_the_one_cell_rule(value, expected):
    assert cell(value) == expected


def test_an_empty_export_still_has_its_header(centre):
    header, *rows = _csv(_file(centre, "/records/requests.csv", "sst", period="2026-10",
                               office="VTE-SST"))  # fmt: skip
    assert rows == []
    assert header[:3] == ["id", "tracking", "office"] and "citizen_name" in header
    book = _xlsx(_file(centre, "/records/payments.xlsx", period="2026-10"))
    assert [next(book[n].iter_rows(values_only=True))[:2] for n in book.sheetnames] == [
        ("id", "receipt"), ("receipt", "id"), ("receipt", "id"),
    ]  # fmt: skip
