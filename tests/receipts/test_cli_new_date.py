"""`odsc notice --kind new-date`: the new date is printed and recorded once; a date given with
`--new-date` that is not after today or not a working day, or given with another notice, is
refused in Lao and English, with a non-zero exit, no file and nothing recorded."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from odsc_desk.domain import service_requests
from tests.receipts.conftest import Paid, text_of
from tests.receipts.test_cli_documents import odsc


def _events(paid: Paid) -> int:
    return paid.counter.store.scalar_int("SELECT count(*) FROM status_events")


def _late(paid: Paid) -> date:
    """The counter's clock on a weekday after the request's promised date; that day."""
    day = date.fromisoformat(paid.request["promised_date"]) + timedelta(days=3)
    while day.weekday() > 4:
        day += timedelta(days=1)
    paid.counter.clock.set_local(day.year, day.month, day.day)
    return day


def test_the_new_date_is_printed_and_recorded_once(paid: Paid, tmp_path: Path):
    today = _late(paid)
    tracking = paid.request["tracking"]
    chosen = today + timedelta(days=7)
    before = _events(paid)
    code, out, err = odsc(paid, "--json", "notice", tracking, "--kind", "new-date",
                          "--new-date", chosen, "--out", tmp_path / "n.pdf")  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["new_date"] == chosen.isoformat()
    assert chosen.strftime("%d/%m/%Y") in text_of(tmp_path / "n.pdf")
    assert _events(paid) == before + 1
    row = paid.counter.store.one(
        "SELECT status, new_date FROM status_events ORDER BY rowid DESC LIMIT 1"
    )
    assert (row["status"], row["new_date"]) == ("received", chosen.isoformat())
    # Printed again the same day: the same date, nothing recorded twice.
    code, out, err = odsc(paid, "--json", "notice", tracking, "--kind", "new-date",
                          "--new-date", chosen, "--out", tmp_path / "again.pdf")  # fmt: skip
    assert code == 0, err
    assert _events(paid) == before + 1


@pytest.mark.parametrize(
    ("given", "kind", "message"),
    [
        ("today", "new-date", "must be after today"),
        ("promised", "new-date", "must be after today"),
        ("saturday", "new-date", "is not a working day"),
        ("31/12/2026", "new-date", "31/12/2026"),
        ("next week", "missing-documents", "goes only with the new-date notice"),
    ],
)
def test_bad_new_dates_are_refused_and_record_nothing(
    paid: Paid, tmp_path: Path, given: str, kind: str, message: str
):
    today = _late(paid)
    days = {
        "today": today,
        "promised": date.fromisoformat(paid.request["promised_date"]),
        "saturday": today + timedelta(days=5 - today.weekday()),
        "next week": today + timedelta(days=7),
    }
    value = days[given].isoformat() if given in days else given
    before = _events(paid)
    out = tmp_path / "x.pdf"
    code, _, err = odsc(paid, "notice", paid.request["tracking"], "--kind", kind,
                        "--new-date", value, "--out", out)  # fmt: skip
    assert code == 1
    assert "ຜິດພາດ:" in err and message in err
    assert not out.exists()
    assert _events(paid) == before


def test_a_new_date_keeps_the_reason_documents_were_asked_for(paid: Paid, tmp_path: Path):
    """A request waiting for documents that gets a new date stays incomplete, and its
    missing-documents notice still gives the reason it was sent back with."""
    tracking = paid.request["tracking"]
    service_requests.change_status(
        paid.counter.store, paid.counter.clerk, tracking, "incomplete", "ບໍ່ມີສຳມະໂນຄົວ"
    )
    _late(paid)
    code, out, err = odsc(paid, "--json", "notice", tracking, "--kind", "new-date",
                          "--out", tmp_path / "n.pdf")  # fmt: skip
    assert code == 0, err
    told = json.loads(out)["new_date"]
    request = service_requests.get_request(paid.counter.store, tracking)
    assert request["status"] == "incomplete"
    assert [h["new_date"] for h in request["history"]] == [None, told]
    code, _, err = odsc(paid, "notice", tracking, "--kind", "missing-documents",
                        "--out", tmp_path / "m.pdf")  # fmt: skip
    assert code == 0, err
    assert "ບໍ່ມີສຳມະໂນຄົວ" in text_of(tmp_path / "m.pdf")
    code, out, _ = odsc(paid, "request", "show", tracking)
    assert code == 0 and f"new date {told}" in out
