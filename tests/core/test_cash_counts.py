"""A drawer counted note by note, the reason for a difference, a transfer's bank reference.

Both are local tables (not synced: protocol v1 refuses what it does not know), chained in the
audit log like every fact; bad input is refused in both languages and changes nothing.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from odsc_desk.domain import cash, payments, service_requests, settings, users
from odsc_desk.maintenance import integrity
from odsc_desk.shared.errors import OdscError, ValidationError
from odsc_desk.shared.messages import MESSAGES
from odsc_desk.storage.store import STORE_FILE, open_store
from tests.conftest import FAST_HASHER, Counter, FakeClock
from tests.core.test_cli import BASE_EXPECTED_CASH, ok, run_cli
from tests.core.test_cli_bad_input import base, refused  # noqa: F401 (base: a fixture)

DATA = Path(__file__).parents[1] / "data"


def _paid(c: Counter, service: str = "MOHA-BIRTH", **kw) -> payments.PaymentRecord:
    r = service_requests.record_request(c.store, c.clerk, service_code=service, citizen_name="Noy")
    return payments.record_payment(c.store, c.clerk, r["tracking"], **kw)


def _rows(c: Counter) -> dict[str, int]:
    tables = ("cash_closes", "cash_counts", "payments", "payment_references", "audit_log", "outbox")
    return {t: c.store.scalar_int(f"SELECT COUNT(*) FROM {t}") for t in tables}


@pytest.fixture
def drawer(open_counter: Counter) -> Counter:
    """Float 50,000 and a 150,000 fee in cash: 200,000 expected."""
    _paid(open_counter, "MOIC-ENT-REG")
    return open_counter


# -- reading a count ----------------------------------------------------------------------------
def test_a_count_is_read_note_by_note_with_empty_lines_as_none():
    count = cash.read_count({100_000: "1", 50_000: " 2 ", 1_000: "", 5_000: 0}, "1,500")
    assert count == {"notes": {100_000: 1, 50_000: 2}, "other": 1_500}
    assert cash.count_total(count) == 201_500
    assert cash.read_count({}, "") == {"notes": {}, "other": 0}


@pytest.mark.parametrize("typed", ["-1", "abc", "1.5", "1,000", "²", "99999999", -3, True])
def test_a_note_count_that_is_not_a_whole_number_is_refused_on_its_line(typed):
    with pytest.raises(ValidationError) as err:
        cash.read_count({20_000: typed})
    assert (err.value.code, err.value.field) == ("cash.note_count", "note_20000")
    assert (
        err.value.message_en == "The number of 20,000 kip notes must be a whole number, 0 or more"
    )
    assert "20,000" in err.value.message_lo


def test_a_note_not_in_use_is_refused():
    with pytest.raises(ValidationError) as err:
        cash.read_count({3_000: "1"})
    assert (err.value.code, err.value.field) == ("cash.note_unknown", "note_3000")


@pytest.mark.parametrize(
    ("other", "code"), [("-500", "amount.negative"), ("12,5", "amount.not_whole")]
)
def test_bad_other_cash_is_refused_under_its_field(other, code):
    with pytest.raises(ValidationError) as err:
        cash.read_count({}, other)
    assert (err.value.code, err.value.field) == (code, "other")


# -- closing with a count -----------------------------------------------------------------------
def test_closing_by_notes_keeps_the_count_in_the_chain_but_not_in_the_outbox(drawer: Counter):
    before = _rows(drawer)
    count = cash.read_count({100_000: "2"})
    closed = cash.close_cash(drawer.store, drawer.clerk, count)
    assert (closed["counted"], closed["difference"], closed["reason"]) == (200_000, 0, None)
    row = drawer.store.one("SELECT close_id, notes, other, reason FROM cash_counts")
    assert row == {"close_id": closed["id"], "notes": '{"100000":2}', "other": 0, "reason": None}
    after = _rows(drawer)
    # One close (synced) and its count (local): two links, one op.
    assert after["audit_log"] - before["audit_log"] == 2
    assert after["outbox"] - before["outbox"] == 1
    assert drawer.store.scalar_int("SELECT COUNT(*) FROM outbox WHERE entity = 'cash_counts'") == 0
    assert integrity.check_store(drawer.store)["ok"]


def test_a_sum_typed_as_one_figure_is_kept_as_other_cash(drawer: Counter):
    cash.close_cash(drawer.store, drawer.clerk, "200,000")
    row = drawer.store.one("SELECT notes, other FROM cash_counts")
    assert row == {"notes": None, "other": 200_000}


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_a_difference_without_a_reason_is_refused_and_nothing_is_written(drawer, reason):
    before = _rows(drawer)
    count = cash.read_count({100_000: "1", 50_000: "1", 20_000: "2"}, "5,000")  # 195,000
    with pytest.raises(ValidationError) as err:
        cash.close_cash(drawer.store, drawer.clerk, count, drawer.supervisor, reason)
    assert (err.value.code, err.value.field) == ("session.reason_required", "reason")
    assert err.value.message_en == "The cash differs by -5,000 kip: give the reason"
    assert err.value.message_lo == MESSAGES["session.reason_required"][0].format(
        difference="-5,000"
    )
    assert _rows(drawer) == before
    assert cash.open_session(drawer.store) is not None


def test_a_difference_with_its_reason_and_approver_is_kept(drawer: Counter):
    count = cash.read_count({100_000: "2"}, "5,000")  # 205,000: 5,000 over
    with pytest.raises(ValidationError) as err:
        cash.close_cash(drawer.store, drawer.clerk, count, reason="ລືມທອນເງິນ")
    assert err.value.code == "session.difference_needs_approval"
    closed = cash.close_cash(drawer.store, drawer.clerk, count, drawer.supervisor, " ລືມທອນເງິນ ")
    assert (closed["difference"], closed["approved_by"]) == (5_000, drawer.supervisor.id)
    row = drawer.store.one("SELECT notes, other, reason FROM cash_counts")
    assert json.loads(row["notes"]) == {"100000": 2}
    assert (row["other"], row["reason"]) == (5_000, "ລືມທອນເງິນ")
    assert integrity.check_store(drawer.store)["ok"]


def test_a_count_over_the_largest_amount_is_refused(drawer: Counter):
    settings.set_value(drawer.store, drawer.admin, "max_amount", "1,000,000")
    before = _rows(drawer)
    with pytest.raises(ValidationError) as err:
        cash.close_cash(drawer.store, drawer.clerk, cash.read_count({100_000: "11"}), reason="x")
    assert (err.value.code, err.value.field) == ("amount.too_large", "counted")
    assert _rows(drawer) == before


def test_a_count_not_read_by_read_count_is_still_checked(drawer: Counter):
    before = _rows(drawer)
    bad: cash.CashCount = {"notes": {100_000: -2}, "other": 0}
    with pytest.raises(ValidationError) as err:
        cash.close_cash(drawer.store, drawer.clerk, bad, reason="x")
    assert err.value.code == "cash.note_count"
    assert _rows(drawer) == before


def test_an_edited_count_breaks_the_chain(drawer: Counter):
    cash.close_cash(drawer.store, drawer.clerk, cash.read_count({100_000: "2"}))
    conn = drawer.store.conn
    conn.execute("DROP TRIGGER cash_counts_no_update")
    conn.execute("UPDATE cash_counts SET reason = 'nothing happened'")
    result = integrity.check_store(drawer.store)
    assert not result["ok"]
    assert result["problems"][0]["table"] == "cash_counts"


# -- a transfer's reference ---------------------------------------------------------------------
def test_a_transfer_keeps_its_bank_reference_locally(open_counter: Counter):
    before = _rows(open_counter)
    paid = _paid(open_counter, method="transfer", reference="  BCEL 2611-0042 ")
    assert paid["reference"] == "BCEL 2611-0042"
    assert (
        payments.get_payment(open_counter.store, paid["receipt"])["reference"] == paid["reference"]
    )
    after = _rows(open_counter)
    assert after["payment_references"] - before["payment_references"] == 1
    queued = "SELECT COUNT(*) FROM outbox WHERE entity = 'payment_references'"
    assert open_counter.store.scalar_int(queued) == 0  # kept here: v1 has no place for it
    assert integrity.check_store(open_counter.store)["ok"]


def test_a_reference_is_optional_and_a_replay_records_it_once(open_counter: Counter):
    assert _paid(open_counter, method="transfer")["reference"] is None
    r = service_requests.record_request(
        open_counter.store, open_counter.clerk, service_code="MOHA-BIRTH", citizen_name="Ket"
    )
    for _ in range(2):
        again = payments.record_payment(
            open_counter.store, open_counter.clerk, r["tracking"], None, "transfer", "pay-1", "X1"
        )
    assert again["reference"] == "X1"
    assert open_counter.store.scalar_int("SELECT COUNT(*) FROM payment_references") == 1


@pytest.mark.parametrize(
    ("method", "reference", "code"),
    [
        ("cash", "BCEL-1", "payment.reference_cash"),
        ("transfer", "x" * 101, "text.too_long"),
        ("transfer", "BCEL\x00", "text.control"),
    ],
)
def test_a_bad_reference_is_refused_and_nothing_is_paid(open_counter, method, reference, code):
    r = service_requests.record_request(
        open_counter.store, open_counter.clerk, service_code="MOHA-BIRTH", citizen_name="Ket"
    )
    before = _rows(open_counter)
    with pytest.raises(OdscError) as err:
        payments.record_payment(
            open_counter.store,
            open_counter.clerk,
            r["tracking"],
            method=method,
            reference=reference,
        )
    assert (err.value.code, err.value.field) == (code, "reference")
    assert err.value.message_lo and err.value.message_en
    assert _rows(open_counter) == before


# -- an old store ------------------------------------------------------------------------------
def test_an_old_store_gains_the_tables_and_closes_by_count(tmp_path: Path):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    shutil.copyfile(DATA / "store_m002.sqlite3", data_dir / STORE_FILE)
    old = sqlite3.connect(DATA / "store_m002.sqlite3")
    tables = {r[0] for r in old.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    old.close()
    assert not {"cash_counts", "payment_references"} & tables
    clock = FakeClock()
    clock.set_local(2026, 11, 30)
    store = open_store(data_dir, clock=clock, hasher=FAST_HASHER)
    try:
        clerk = users.authenticate(store, "noy", "fixture-pass-1")
        supervisor = users.authenticate(store, "somchai", "fixture-pass-1")
        cash.open_cash(store, clerk, 20_000)
        r = service_requests.record_request(
            store, clerk, service_code="MOHA-BIRTH", citizen_name="ນ້ອຍ"
        )
        payments.record_payment(store, clerk, r["tracking"], method="transfer", reference="T-1")
        closed = cash.close_cash(store, clerk, cash.read_count({10_000: "1"}), supervisor, "ຂາດ")
        assert closed["difference"] == -10_000
        assert store.scalar_int("SELECT COUNT(*) FROM cash_counts") == 1
        assert store.scalar_int("SELECT COUNT(*) FROM payment_references") == 1
        # The old closes have no count row: the summary reads them with no reason.
        assert store.scalar_int("SELECT COUNT(*) FROM cash_closes") == 2
        assert integrity.check_store(store)["ok"], integrity.check_store(store)["problems"]
    finally:
        store.close()


# -- the command line ---------------------------------------------------------------------------
@pytest.fixture
def cli_data(base: Path, tmp_path: Path) -> Path:  # noqa: F811 (base: the fixture imported)
    """A data folder made at the command line, its session open: expected 140,000."""
    return Path(shutil.copytree(base, tmp_path / "cli"))


def test_the_command_line_asks_the_reason_for_a_difference(cli_data: Path):
    data = cli_data
    short = BASE_EXPECTED_CASH - 500
    error = refused(data, "session", "close", "--counted", short, code="session.reason_required")
    assert error["message_en"] == "The cash differs by -500 kip: give the reason"
    args = ("session", "close", "--counted", short, "--supervisor", "somchai")
    closed = ok(run_cli(data, *args, "--reason", "ເງິນຫຼຽນຂາດ", user="noy", json_out=True))
    assert (closed.json["difference"], closed.json["reason"]) == (-500, "ເງິນຫຼຽນຂາດ")
