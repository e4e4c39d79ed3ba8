"""Migration 0009 (online feedback): a centre at 0008 holding roll-ups and a counter's rating
upgrades on SQLite and PostgreSQL with its figures unchanged, online counts at 0, and takes
online ratings after."""

from __future__ import annotations

from sqlalchemy import inspect, select, text

from sync.server import online_feedback
from sync.server.db import make_engine, open_db, rollup, rollup_clerks, writing
from tests.conftest import FakeClock
from tests.sync.test_hierarchy import at_revision

_REQUEST = (
    "INSERT INTO requests (id, device_id, office, counter, business_date, tracking, daily_seq,"
    " service_code, catalog_version, fee, created_at, created_by, status, status_seq,"
    " returned, fee_check) VALUES ('r1', 'd1', 'VTE-SST', 1, '2026-11-26',"
    " 'VTE-SST-1-261126-0001', 1, 'MOHA-BIRTH', 1, 10000, '2026-11-26T02:00:00.000000Z',"
    " 'clerk1', 'received', 1, 0, 'catalog'), ('r2', 'd1', 'VTE-SST', 1, '2026-11-26',"
    " 'VTE-SST-1-261126-0002', 2, 'MOHA-BIRTH', 1, 10000, '2026-11-26T02:00:00.000000Z',"
    " 'clerk1', 'received', 1, 0, 'catalog')"
)
_FEEDBACK = (
    "INSERT INTO feedback (id, device_id, office, counter, business_date, request_id, rating,"
    " at, service_code, request_by) VALUES ('f1', 'd1', 'VTE-SST', 1, '2026-11-26', 'r1', 3,"
    " '2026-11-26T03:00:00.000000Z', 'MOHA-BIRTH', 'clerk1')"
)
_ROLLUP = (
    "INSERT INTO {table} (grain, period, office, counter, {key}, received, feedback,"
    " rating_sum, rating_3) VALUES ('D', '2026-11-26', 'VTE-SST', 1, {value}, 2, 1, 3, 1),"
    " ('M', '2026-11', 'VTE-SST', 1, {value}, 2, 1, 3, 1)"
)


def test_0009_upgrades_a_0008_centre_and_its_figures_stay(server_db_url):
    at_revision(server_db_url, "0008")
    old = make_engine(server_db_url)
    with writing(old) as conn:
        conn.execute(text(_REQUEST))
        conn.execute(text(_FEEDBACK))
        conn.execute(text(_ROLLUP.format(table="rollup", key="service_code", value="'MOHA-BIRTH'")))
        conn.execute(text(_ROLLUP.format(table="rollup_clerks", key="clerk", value="'clerk1'")))
    old.dispose()
    engine = open_db(server_db_url)  # upgrades to head
    try:
        assert "online_feedback" in inspect(engine).get_table_names()
        with engine.connect() as conn:
            for table in (rollup, rollup_clerks):
                rows = conn.execute(
                    select(table.c.feedback, table.c.rating_sum, table.c.feedback_online)
                ).all()
                assert [tuple(r) for r in rows] == [(1, 3, 0), (1, 3, 0)]
            assert online_feedback.rated(conn, "r1") and not online_feedback.rated(conn, "r2")
        now = FakeClock()()  # 26 November 2026, 09:00 in Vientiane
        given = online_feedback.give(engine, "r2", 5, "ດີຫຼາຍ", now)
        assert given is online_feedback.Given.STORED
        assert online_feedback.give(engine, "r1", 5, None, now) is online_feedback.Given.ALREADY
        with engine.connect() as conn:
            day = conn.execute(
                select(rollup.c.feedback, rollup.c.rating_sum, rollup.c.feedback_online).where(
                    rollup.c.grain == "D"
                )
            ).one()
            clerk = conn.execute(
                select(rollup_clerks.c.feedback_online).where(rollup_clerks.c.grain == "M")
            ).scalar_one()
        assert tuple(day) == (2, 8, 1) and clerk == 1
    finally:
        engine.dispose()
