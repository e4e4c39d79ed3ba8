"""Each status event's Lamport clock (docs/OFFICE_SHARING.md, D4), between a real counter and
real centres on loopback.

- The counter gives every status event it writes one more than the largest clock among the
  request's events (a new date's event too), so its own events are in order by clock as by seq;
  the fold of odsc_desk.shared.request_history reads them as the counter's status.
- Today's centre keeps the clock on the status event; a clock outside the registry's bounds is
  refused and changes nothing.
- A released centre (the code of commit b17729d, before any later column) takes the events
  whole without it: its status reply lists no "accepts".
- A centre database at migration 0014 upgrades, its status events without a clock.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

from sqlalchemy import inspect, select

from odsc_desk.domain import service_requests
from odsc_desk.shared.request_history import StatusEvent, fold
from sync import client
from sync.protocol import Op
from sync.server.db import open_db, status_events
from tests.sync.conftest import LiveServer, ReleasedCentre, count_rows, outbox_ops, push
from tests.sync.test_messages import enrolled, mark, synced, take
from tests.sync.test_new_date_sync import old_status_event

RELEASED = "b17729d"  # before any later column


def _events(counter: Any, tracking: str) -> list[tuple[int, str, int | None]]:
    request_id = service_requests.get_request(counter.store, tracking)["id"]
    rows = counter.store.conn.execute(
        "SELECT seq, status, clock FROM status_events WHERE request_id = ? ORDER BY seq",
        (request_id,),
    )
    return [(int(seq), str(status), clock) for seq, status, clock in rows]


def test_each_event_takes_one_more_than_the_largest_clock(sync_counter: Any) -> None:
    counter = sync_counter
    tracking = take(counter)  # paid and put in process: the first event
    mark(counter, tracking, "ready")
    mark(counter, tracking, "collected")
    events = _events(counter, tracking)
    assert events == [(1, "in_process", 1), (2, "ready", 2), (3, "collected", 3)]
    history = fold(StatusEvent(seq, status, "this-counter", clock) for seq, status, clock in events)
    current = service_requests.get_request(counter.store, tracking)["status"]
    assert (history.status, history.contested, history.next_clock) == (current, (), 4)


def test_todays_centre_keeps_the_clock(live_server: LiveServer, sync_counter: Any) -> None:
    counter = enrolled(live_server, sync_counter)
    tracking = take(counter)
    mark(counter, tracking, "incomplete", "the family book is missing")
    synced(counter)
    with live_server.engine.connect() as conn:
        stored = conn.execute(
            select(status_events.c.seq, status_events.c.status, status_events.c.clock).order_by(
                status_events.c.seq
            )
        )
        at_centre = [tuple(r) for r in stored]
    assert at_centre == _events(counter, tracking) == [(1, "in_process", 1), (2, "incomplete", 2)]


def test_clocks_outside_the_bounds_are_refused_and_change_nothing(
    live_server: LiveServer, sync_counter: Any
) -> None:
    counter = enrolled(live_server, sync_counter)
    tracking = take(counter)
    synced(counter)
    request = service_requests.get_request(counter.store, tracking)
    token = counter.store.one("SELECT token FROM sync_state")["token"]
    device = counter.store.office["device_id"]
    seq = max(op.seq for op in outbox_ops(counter)) + 1000 if outbox_ops(counter) else 1000
    before = count_rows(live_server.engine)
    base = {"request_id": request["id"], "status": "ready", "reason": None, "by": "u"}
    for n, clock in enumerate((0, -3, 2**53 + 1, "7")):
        row = {**base, "seq": 50 + n, "at": counter.store.now_stamp(), "clock": clock}
        reply = push(live_server.url, token, device, [Op(seq + n, "status_events", row)])
        assert reply.status_code == 200, reply.text
        [refused] = reply.json()["rejected"]
        assert refused["reason"] in ("row.value:clock", "row.type:clock"), (clock, refused)
    after = count_rows(live_server.engine)
    for table in ("ops", "status_events", "requests", "rollup"):
        assert after[table] == before[table], table


def test_a_released_centre_takes_the_events_without_their_clock(
    released_centre: Callable[[str], ReleasedCentre],
    sync_counter: Any,
) -> None:
    centre = released_centre(RELEASED)
    counter = sync_counter
    client.enroll(counter.store, centre.url, centre.enroll_code("VTE-SST", 1))
    tracking = take(counter)
    mark(counter, tracking, "ready")
    ops = outbox_ops(counter)
    assert [op.row["clock"] for op in ops if op.entity == "status_events"] == [1, 2]
    result = client.sync_once(counter.store)
    assert result.ok and result.parked == 0 and result.pushed == len(ops), result
    with sqlite3.connect(centre.db) as conn:
        held = conn.execute("SELECT count(*) FROM ops WHERE entity = 'status_events'").fetchone()
        payloads = [r[0] for r in conn.execute("SELECT payload FROM ops")]
    assert held == (2,)
    assert not any('"clock"' in p for p in payloads)


def test_0015_upgrades_a_0014_database(server_db_url: str) -> None:
    old_status_event(server_db_url, "0014", "clock")
    engine = open_db(server_db_url)  # upgrades to head
    try:
        assert "clock" in {c["name"] for c in inspect(engine).get_columns("status_events")}
        with engine.connect() as conn:
            row = conn.execute(select(status_events.c.status, status_events.c.clock)).one()
        assert tuple(row) == ("in_process", None)
    finally:
        engine.dispose()
