"""A late request's new date between a real counter and real centres on loopback.

- Today's centre keeps it on the status event, counts it as no step of the request (a new date
  on a request waiting for documents is not a second return) and queues one message about it.
- A forged new date (not a day, or on a request no longer open) is refused and changes nothing.
- A released centre (the code of commit b17729d, before any later column, run as its own
  `odsc-server serve` process) takes the counter's facts whole: the status reply lists no
  "accepts", so the counter leaves the new date out. A released counter sends no new date, and
  today's centre takes its pushes as before (tests/sync/test_wire_compat.py replays one).
- A centre database at migration 0013 upgrades, its status events without a new date.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from sqlalchemy import MetaData, Table, create_engine, func, insert, inspect, select

from odsc_desk.domain import service_requests
from sync import client
from sync.protocol import Op
from sync.server import sms_text
from sync.server.db import messages as messages_table
from sync.server.db import open_db, rollup, status_events
from sync.server.db import requests as centre_requests
from tests.sync.conftest import LiveServer, ReleasedCentre, count_rows, outbox_ops, push
from tests.sync.test_hierarchy import at_revision
from tests.sync.test_messages import enrolled, mark, synced, take

RELEASED = "b17729d"  # before any later column


def _run_late(counter: Any, server: LiveServer | None, tracking: str) -> date:
    """Move the clocks to a weekday three days past the request's promise; that day."""
    promised = date.fromisoformat(
        service_requests.get_request(counter.store, tracking)["promised_date"]
    )
    day = promised + timedelta(days=3)
    while day.weekday() > 4:
        day += timedelta(days=1)
    counter.clock.set_local(day.year, day.month, day.day)
    if server is not None:
        server.clock.moment = counter.clock.moment
    return day


def _give_new_date(counter: Any, tracking: str, today: date) -> date:
    new_day = today + timedelta(days=7)  # a week on: the same weekday, a working day
    assert service_requests.record_new_date(counter.store, counter.clerk, tracking, new_day)
    return new_day


def _returns(server: LiveServer) -> int:
    with server.engine.connect() as conn:
        return int(conn.execute(select(func.sum(rollup.c.returned))).scalar_one())


def test_a_new_date_on_a_request_waiting_for_documents_is_no_second_return(
    live_server: LiveServer, sync_counter: Any
) -> None:
    counter = enrolled(live_server, sync_counter)
    tracking = take(counter)
    mark(counter, tracking, "incomplete", "the family book is missing")
    synced(counter)
    returned = _returns(live_server)  # its day's and its month's
    today = _run_late(counter, live_server, tracking)
    new_day = _give_new_date(counter, tracking, today)
    synced(counter)
    synced(counter)
    with live_server.engine.connect() as conn:
        state = conn.execute(select(centre_requests.c.status, centre_requests.c.returned)).one()
        kinds = conn.execute(
            select(messages_table.c.kind, messages_table.c.body).order_by(messages_table.c.id)
        ).all()
        stored = conn.execute(select(status_events.c.new_date).order_by(status_events.c.seq))
        new_dates = [r.new_date for r in stored]
    assert tuple(state) == ("incomplete", 1)
    assert _returns(live_server) == returned > 0
    assert [k.kind for k in kinds] == ["incomplete", "new_date"]
    assert new_day.strftime("%d/%m/%Y") in kinds[1].body
    assert new_dates == [None, None, new_day.isoformat()]


def test_forged_new_dates_are_refused_and_change_nothing(
    live_server: LiveServer, sync_counter: Any
) -> None:
    counter = enrolled(live_server, sync_counter)
    tracking = take(counter)
    synced(counter)
    request = service_requests.get_request(counter.store, tracking)
    token = counter.store.one("SELECT token FROM sync_state")["token"]
    device = counter.store.office["device_id"]
    last = max(op.seq for op in outbox_ops(counter)) if outbox_ops(counter) else 0
    seq = last + 1000
    before = count_rows(live_server.engine)
    at = counter.store.now_stamp()
    base = {"request_id": request["id"], "seq": 99, "reason": None, "at": at, "by": "u"}
    for status, new_date in (("in_process", "2026-13-45"), ("in_process", "soon"),
                             ("ready", "2026-12-20")):  # fmt: skip
        row = {**base, "status": status, "new_date": new_date}
        reply = push(live_server.url, token, device, [Op(seq, "status_events", row)])
        assert reply.status_code == 200, reply.text
        [refused] = reply.json()["rejected"]
        assert refused["reason"] == "row.value:new_date", (status, new_date)
        seq += 1
    after = count_rows(live_server.engine)
    for table in ("ops", "status_events", "requests", "messages", "rollup"):
        assert after[table] == before[table], table


def test_a_released_centre_takes_a_counters_new_date_without_it(
    released_centre: Callable[[str], ReleasedCentre],
    sync_counter: Any,
) -> None:
    centre = released_centre(RELEASED)
    counter = sync_counter
    client.enroll(counter.store, centre.url, centre.enroll_code("VTE-SST", 1))
    tracking = take(counter)
    today = _run_late(counter, None, tracking)
    _give_new_date(counter, tracking, today)
    ops = outbox_ops(counter)
    assert any(op.row.get("new_date") for op in ops)
    result = client.sync_once(counter.store)
    assert result.ok and result.parked == 0 and result.pushed == len(ops), result
    with sqlite3.connect(centre.db) as conn:
        held = conn.execute("SELECT count(*) FROM ops").fetchone()[0]
        events = conn.execute(
            "SELECT count(*) FROM status_events WHERE request_id = ?",
            (service_requests.get_request(counter.store, tracking)["id"],),
        ).fetchone()[0]
        stored = conn.execute(
            "SELECT status FROM requests WHERE tracking = ?", (tracking,)
        ).fetchone()
    assert held == len(ops)
    assert events == 2  # in process, and the new date's event (as a repeated status there)
    assert stored == ("in_process",)


def old_status_event(url: str, revision: str, lacking: str) -> None:
    """A centre database at `revision`, its `status_events` without the column `lacking`,
    holding one event as that revision stored it."""
    at_revision(url, revision)
    raw = create_engine(url)
    try:
        old = Table("status_events", MetaData(), autoload_with=raw)
        assert lacking not in old.c
        row = {
            "id": "r1/1", "device_id": "d", "office": "VTE-SST", "counter": 1,
            "business_date": "2026-12-01", "request_id": "r1", "seq": 1, "status": "in_process",
            "reason": None, "at": "2026-12-01T02:00:00.000000Z", "by": "u",
        }  # fmt: skip
        with raw.begin() as conn:
            conn.execute(insert(old).values({k: v for k, v in row.items() if k in old.c}))
    finally:
        raw.dispose()


def test_0014_upgrades_a_0013_database(server_db_url: str) -> None:
    old_status_event(server_db_url, "0013", "new_date")
    engine = open_db(server_db_url)  # upgrades to head
    try:
        columns = {c["name"] for c in inspect(engine).get_columns("status_events")}
        assert "new_date" in columns
        with engine.connect() as conn:
            row = conn.execute(select(status_events.c.status, status_events.c.new_date)).one()
        assert tuple(row) == ("in_process", None)
    finally:
        engine.dispose()


def test_the_new_date_message_fits_one_segment_in_both_languages() -> None:
    tracking = "VTE-SST-12-261126-0001"
    long_name = "ຫ້ອງການບໍລິການປະຕູດຽວ ເມືອງສີສັດຕະນາກ"
    for lang, encoding in (("lo", "ucs2"), ("en", "gsm7")):
        text = sms_text.compose("new_date", lang, tracking, "VTE-SST", long_name, "2026-12-11")
        assert tracking in text and "11/12/2026" in text
        counted = sms_text.count(text)
        assert (counted.encoding, counted.segments) == (encoding, 1), text
