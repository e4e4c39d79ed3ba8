"""The office's impossible histories reach the supervisor (docs/OFFICE_SHARING.md, D4, D8):
two counters apart each take a citizen's balance and hand the result over; once they sync, both
counters list the same contested hand-over and the same request paid twice, the office summary
prints them with every counter's figures, and a supervisor's refund answers the payment.

Real counters (SQLite files) and a real centre on loopback; the PDF is read back with poppler.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from odsc_desk.api import (
    daybook,
    integrity,
    office_anomalies,
    office_day,
    payments,
    service_requests,
    settings,
)
from odsc_desk.shared.clock import local_date
from odsc_desk.shared.money import format_kip
from receipts.office_summary import write_office_summary
from tests.receipts.conftest import poppler_text
from tests.sync.conftest import LiveServer, synced
from tests.sync.test_cli_sync import odsc, one_json


def _ready_unpaid(counter: Any, name: str) -> dict[str, Any]:
    request = service_requests.record_request(
        counter.store, counter.clerk, service_code="MOHA-BIRTH", citizen_name=name
    )
    for status in ("in_process", "ready"):
        service_requests.change_status(counter.store, counter.clerk, request["tracking"], status)
    return request


def _hand_over(counter: Any, tracking: str) -> dict[str, Any]:
    """The clerk takes the balance and hands the result over."""
    paid = payments.record_payment(counter.store, counter.clerk, tracking)
    service_requests.change_status(counter.store, counter.clerk, tracking, "collected")
    return paid


def test_two_counters_apart_make_an_impossible_history_and_the_supervisor_sees_it(
    live_server: LiveServer, office_counters: tuple[Any, Any, Any], tmp_path: Path
) -> None:
    one, two, _ = office_counters
    day = local_date(one.store.now())
    request = _ready_unpaid(one, "ນາງ ສຸກສະຫວັນ")
    tracking, fee = request["tracking"], request["fee"]
    calm = _ready_unpaid(one, "ທ້າວ ບຸນມີ")  # served at one counter only: never listed
    synced(one)
    synced(two)
    for counter in (one, two):
        found = office_anomalies.office_anomalies(counter.store, day)
        assert found["contested"] == [] and found["overpaid"] == []

    # Apart (no sync between): the citizen's relatives go to both counters.
    first = _hand_over(one, tracking)
    second = _hand_over(two, tracking)
    _hand_over(one, calm["tracking"])
    # Before the counters meet, each sees a history it could have written alone.
    assert office_anomalies.office_anomalies(one.store, day)["overpaid"] == []
    for counter in (one, two, one):
        synced(counter)

    lists = [office_anomalies.office_anomalies(c.store, day) for c in (one, two)]
    assert lists[0] == lists[1]  # every counter folds the same history alike
    found = lists[0]
    [clash] = found["contested"]
    assert clash["tracking"] == tracking and clash["served_at"] == 1
    assert clash["status"] == "collected" and clash["event"]["status"] == "collected"
    assert clash["after"] is not None and clash["after"]["status"] == "collected"
    assert {clash["event"]["counter"], clash["after"]["counter"]} == {1, 2}
    [paid_twice] = found["overpaid"]
    assert (paid_twice["tracking"], paid_twice["fee"], paid_twice["paid"]) == (
        tracking, fee, 2 * fee
    )  # fmt: skip
    taken = sorted((p["at"], p["receipt"], n) for n, p in ((1, first), (2, second)))
    assert [(r["receipt"], r["counter"]) for r in paid_twice["receipts"]] == [
        (receipt, n) for _, receipt, n in taken
    ]
    for counter in (one, two):
        assert integrity.check_store(counter.store)["ok"]

    # The office summary on paper, as counter 1's supervisor prints it.
    written = write_office_summary(one.store, one.supervisor, tmp_path / "office.pdf", day)
    assert (written["contested"], written["overpaid"]) == (1, 1)
    text = " ".join(poppler_text(tmp_path / "office.pdf").split())
    assert "ລາຍງານປະຈຳວັນຂອງຫ້ອງການ" in text and "Office daily summary" in text
    assert "Contested status changes" in text and "Paid beyond the fee" in text
    assert tracking in text and first["receipt"] in text and second["receipt"] in text
    figures = office_day.office_day(one.store, day)
    for row in figures["counters"]:
        own = daybook.day_totals((one, two)[row["counter"] - 1].store, day)
        assert row["net"] == own["totals"]["net"]
    money = [str(settings.get(one.store, k)) for k in ("money_grouping", "money_unit")]
    total = figures["total"]
    assert (
        f"Total {total['requests']} {total['payments']} {format_kip(total['gross'], *money)}"
        in text
    )

    # The command line says the same (a clerk of counter 2).
    shown = odsc(two.data_dir, "day", "--office", "--date", day.isoformat(), json_out=True)
    assert shown.code == 0, shown
    assert one_json(shown.out)["anomalies"] == found
    out = tmp_path / "office-2.pdf"
    made = odsc(two.data_dir, "summary", "--office", "--date", day, "--out", out, user="noy")
    assert made.code == 0 and "1 contested, 1 paid beyond the fee" in made.out, made
    assert out.exists()

    # The supervisor answers: counter 2 gives back what it took. The payment leaves the list
    # there at once and at counter 1 once it pulls; the hand-over stays contested (a fact).
    payments.refund_payment(
        two.store, two.clerk, second["receipt"], second["amount"], "ຈ່າຍຊ້ຳ", two.supervisor
    )
    assert office_anomalies.office_anomalies(two.store, day)["overpaid"] == []
    assert office_anomalies.office_anomalies(one.store, day)["overpaid"] == [paid_twice]
    synced(two)
    synced(one)
    after = office_anomalies.office_anomalies(one.store, day)
    assert after["overpaid"] == [] and after["contested"] == [clash]


def test_a_bad_date_or_a_taken_file_is_refused_and_nothing_is_written(
    office_counters: tuple[Any, Any, Any], tmp_path: Path
) -> None:
    one, _, _ = office_counters
    taken = tmp_path / "taken.pdf"
    taken.write_bytes(b"mine")
    refused = odsc(one.data_dir, "summary", "--office", "--out", taken, user="noy")
    assert refused.code != 0 and "ຜິດພາດ: " in refused.err and "Error: " in refused.err
    assert taken.read_bytes() == b"mine"
    bad = odsc(one.data_dir, "summary", "--office", "--date", "2026-13-01", "--out",
               tmp_path / "x.pdf", user="noy")  # fmt: skip
    assert bad.code != 0 and "ຜິດພາດ: " in bad.err and not (tmp_path / "x.pdf").exists()
