import sqlite3
from datetime import date

import pytest

from odsc_desk.domain import cash, closures, feedback, payments, prints, service_requests, signing
from odsc_desk.shared.errors import StoreError
from odsc_desk.storage import schema
from odsc_desk.storage.store import open_store, store_path
from tests.conftest import FAST_HASHER, FakeClock, make_counter, todays_tables


def test_durability_pragmas(counter):
    conn = counter.store.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA application_id").fetchone()[0] == schema.APPLICATION_ID


@pytest.fixture(scope="module")
def busy_counter(tmp_path_factory):
    """A counter with at least one row in every fact table."""
    c = make_counter(tmp_path_factory.mktemp("busy") / "data", FakeClock())
    s = c.store
    cash.open_cash(s, c.clerk, 0)
    first = service_requests.record_request(
        s, c.clerk, service_code="MOHA-BIRTH", citizen_name="Noy"
    )
    second = service_requests.record_request(
        s, c.clerk, service_code="MOHA-MARR", citizen_name="Ket"
    )
    third = service_requests.record_request(
        s, c.clerk, service_code="MOHA-BIRTH", citizen_name="Bounmy"
    )
    service_requests.change_status(s, c.clerk, first["tracking"], "in_process")
    paid = payments.record_payment(s, c.clerk, first["tracking"])
    other = payments.record_payment(s, c.clerk, second["tracking"])
    payments.record_payment(s, c.clerk, third["tracking"], method="transfer", reference="FT-1")
    payments.void_payment(s, c.clerk, paid["receipt"], "typo", c.supervisor)
    payments.refund_payment(s, c.clerk, other["receipt"], 1000, "overcharged", c.supervisor)
    feedback.record_feedback(s, c.clerk, first["tracking"], 5)
    closures.add_closure(s, c.supervisor, date(2026, 12, 24), "flood")
    cash.close_cash(s, c.clerk, 29_000)  # 10,000 + 30,000 − 10,000 − 1,000
    with s.transaction():
        signing.ensure_key(s, c.clerk.id)
        prints.record_print(s, c.clerk, other["id"], copy=False, fmt="80mm")
    s.conn.execute(
        "INSERT INTO sequence_floors VALUES ('x', 'receipt', '2026', 9, 'test', '2026', NULL)"
    )
    yield c
    s.close()


@pytest.mark.parametrize("table", schema.APPEND_ONLY)
def test_facts_cannot_be_updated_or_deleted(busy_counter, table):
    conn = busy_counter.store.conn
    column = conn.execute(f"SELECT * FROM {table} LIMIT 1").description[0][0]
    for statement in (f"UPDATE {table} SET {column} = {column}", f"DELETE FROM {table}"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute(statement)


def test_request_becomes_current_by_trigger(counter):
    r = service_requests.record_request(
        counter.store, counter.clerk, service_code="MOHA-BIRTH", citizen_name="Noy"
    )
    row = counter.store.one(
        "SELECT status, open FROM request_current WHERE request_id = ?", (r["id"],)
    )
    assert row == {"status": "received", "open": 1}


def test_pending_migration_is_backed_up_first(counter, clock):
    counter.store.close()
    path = store_path(counter.data_dir)

    # Pretend the store predates a migration: forget the initial one's record and add a new one.
    @schema.migrations(name="m999_test_only")
    def m999(db):
        db.execute("CREATE TABLE test_only (x INTEGER)")

    try:
        store = open_store(counter.data_dir, clock=clock, hasher=FAST_HASHER)
        store.close()
    finally:
        schema.migrations._migrations.pop()
    backups = list((counter.data_dir / "backups").glob("pre-migrate-*.sqlite3"))
    assert len(backups) == 1
    copy = sqlite3.connect(backups[0])
    assert (
        copy.execute("SELECT COUNT(*) FROM sqlite_master WHERE name = 'test_only'").fetchone()[0]
        == 0
    )
    copy.close()
    # And the live store, now knowing a migration this code lacks, is refused as newer.
    with pytest.raises(StoreError) as err:
        open_store(counter.data_dir, clock=clock)
    assert err.value.code == "store.newer"
    assert path.exists()


def test_missing_store_is_named(tmp_path):
    with pytest.raises(StoreError) as err:
        open_store(tmp_path / "nowhere")
    assert err.value.code == "store.missing"
    assert not (tmp_path / "nowhere").exists()


def test_a_store_from_before_m002_is_upgraded_and_still_checks(tmp_path, clock):
    """A counter installed before receipts existed: m002 adds the signing-key and print tables
    on the next open, after a backup, and the audit chain still verifies."""
    from odsc_desk.maintenance import integrity

    known = schema.migrations._migrations
    at = [m.name for m in known].index("m002_receipts")
    later = known[at:]  # m002 and every migration after it
    known[at:] = todays_tables(later)
    try:
        old = make_counter(tmp_path / "data", clock)
        cash.open_cash(old.store, old.clerk, 0)
        r = service_requests.record_request(
            old.store, old.clerk, service_code="MOHA-BIRTH", citizen_name="Noy"
        )
        paid = payments.record_payment(old.store, old.clerk, r["tracking"])
        old.store.close()
    finally:
        known[at:] = later
    store = open_store(tmp_path / "data", clock=clock, hasher=FAST_HASHER)
    try:
        assert list((tmp_path / "data" / "backups").glob("pre-migrate-*.sqlite3"))
        with store.transaction():
            signing.ensure_key(store, old.clerk.id)
            prints.record_print(store, old.clerk, paid["id"], copy=False, fmt="80mm")
        assert integrity.check_store(store)["ok"]
    finally:
        store.close()
