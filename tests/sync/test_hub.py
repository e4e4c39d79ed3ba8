"""An office's hub (docs/OFFICE_SHARING.md, D7): `odsc-server` run in the office with its own
SQLite database, enrolled at the centre as the office's relay; the office's counters enroll with
it and sync to it as to a centre, and `odsc-server hub sync` carries their facts up and the
office's and the centre's down.

A real centre on loopback (SQLite and PostgreSQL), a real hub on loopback (SQLite), real
counters' stores:
- a request taken at counter 1 is paid and handed over at counter 2 while the centre is down;
  both counters and the office summary show it; once the link is back, the centre holds every
  fact once, judges both counters' chains as if they had pushed, and counter 3 (which syncs
  straight to the centre) sees them, as counters 1 and 2 see counter 3's;
- the centre's catalog reaches the counters through the hub unchanged;
- a run again relays nothing twice; a run with the centre's reply lost stores nothing twice;
- what the hub refuses: a code for another office, publishing a catalog of its own, enrolling
  twice, a hub sync on a server that is no hub; each leaves the data as it was.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import func, select

from odsc_desk.api import browse, integrity, office_day, payments, service_requests
from odsc_desk.shared.catalog_file import demo_catalog_path
from odsc_desk.shared.clock import local_date
from sync import client
from sync.protocol import Problem
from sync.server import anchors, cli, enrollment, hub, hub_sync, reference
from sync.server.db import (
    catalogs,
    chain_heads,
    devices,
    hub_upstream,
    ops,
    sqlite_url,
    writing,
)
from tests.conftest import FakeClock
from tests.sync.conftest import (
    LiveServer,
    centre_facts,
    count_rows,
    counter_facts,
    enrolled_counter,
    newest_head,
    running_server,
    synced,
    visit,
)

OFFICE = "VTE-SST"


@pytest.fixture
def hub_server(tmp_path: Path) -> Iterator[LiveServer]:
    """A server with its own SQLite database, not yet enrolled anywhere."""
    with running_server(sqlite_url(tmp_path / "hub.sqlite3").render_as_string()) as server:
        yield server


def _relay_code(centre: LiveServer) -> str:
    with writing(centre.engine) as conn:
        return str(enrollment.create_relay_code(conn, OFFICE, centre.clock())["code"])


def _enrolled_hub(centre: LiveServer, hub_server: LiveServer) -> dict[str, Any]:
    return hub.enroll(hub_server.engine, centre.url, _relay_code(centre), OFFICE, hub_server.clock)


def _hub_sync(hub_server: LiveServer) -> hub_sync.HubRun:
    done = hub_sync.run(hub_server.engine, hub_server.clock)
    assert done.error is None and done.refused == 0 and done.pull_refused == 0, done
    assert done.flagged == [], done
    return done


def _move(counter: Any, tracking: str, status: str) -> None:
    service_requests.change_status(counter.store, counter.clerk, tracking, status, None)


def _status(counter: Any, tracking: str) -> tuple[str, int]:
    """The request as the counter shows it, its own or another counter's."""
    shown = browse.request_detail(counter.store, tracking)
    return str(shown["status"]), int(shown["paid"])


def test_counters_of_a_hub_serve_each_other_with_the_centre_down_and_the_centre_gets_all_once(
    live_server: LiveServer, hub_server: LiveServer, tmp_path: Path, clock: FakeClock
) -> None:
    centre = live_server
    newer = json.loads(demo_catalog_path().read_text(encoding="utf-8"))
    newer.update(version=2, label="ODSC fees, version 2")
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(newer, ensure_ascii=False), encoding="utf-8")
    catalog_version = centre.publish_catalog(path)
    assert catalog_version == 2
    made = _enrolled_hub(centre, hub_server)
    assert made["office"] == OFFICE and made["upstream"] == centre.url
    one = enrolled_counter(tmp_path, clock, hub_server, OFFICE, 1)
    two = enrolled_counter(tmp_path, clock, hub_server, OFFICE, 2)
    three = enrolled_counter(tmp_path, clock, centre, OFFICE, 3)  # straight to the centre
    counters = (one, two, three)
    try:
        first = _hub_sync(hub_server)
        assert first.announced == 2 and first.catalog == catalog_version
        with hub_server.engine.connect() as conn, centre.engine.connect() as upper:
            mirrored = conn.execute(select(catalogs.c.version, catalogs.c.sha256)).all()
            assert mirrored == upper.execute(select(catalogs.c.version, catalogs.c.sha256)).all()
        # The catalog reaches a counter through the hub, the very version the centre published.
        assert synced(one).catalog_version == catalog_version

        request = service_requests.record_request(
            one.store, one.clerk, service_code="MOHA-BIRTH", citizen_name="ນາງ ນ້ອຍ"
        )
        tracking = request["tracking"]
        synced(one)

        centre.stop()  # the district's link is down: the office's LAN is not
        down = hub_sync.run(hub_server.engine, hub_server.clock)
        assert down.error is not None and down.error.code in ("sync.server_down", "sync.offline")
        with hub_server.engine.connect() as conn:
            assert conn.execute(select(hub_upstream.c.last_error)).scalar_one()

        synced(two)
        paid = payments.record_payment(two.store, two.clerk, tracking)
        assert paid["receipt"] == "VTE-SST-2-2026-000001"
        for status in ("in_process", "ready", "collected"):
            _move(two, tracking, status)
        synced(two)
        synced(one)
        assert _status(one, tracking) == ("collected", paid["amount"])
        day = local_date(one.store.now())
        figures = office_day.office_day(one.store, day)
        assert [(c["counter"], c["requests"], c["payments"]) for c in figures["counters"]] == [
            (1, 1, 0),
            (2, 0, 1),
            (3, 0, 0),  # counter 3 syncs to the centre: the hub knows it from the centre's feed
        ]
        assert figures["total"]["net"] == paid["amount"]

        centre.start()
        visit(three)
        synced(three)
        up = _hub_sync(hub_server)
        assert up.stored == up.relayed > 0 and up.heads > 0 and up.pulled > 0
        again = _hub_sync(hub_server)
        assert (again.relayed, again.stored, again.heads, again.pulled) == (0, 0, 0, 0)

        # The centre holds every fact of each counter once, as the counter wrote it.
        for counter in counters:
            device = counter.store.office["device_id"]
            assert centre_facts(centre.engine, device) == counter_facts(counter.store)
        with centre.engine.connect() as conn:
            assert anchors.flags(conn, lambda t: t.c.office == OFFICE) == []
            for counter in (one, two):
                device = counter.store.office["device_id"]
                newest = conn.execute(
                    select(chain_heads.c.seq)
                    .where(chain_heads.c.device_id == device)
                    .order_by(chain_heads.c.id.desc())
                ).first()
                assert newest is not None
                assert newest.seq == counter.store.scalar_int("SELECT MAX(seq) FROM audit_log")
            via = dict(conn.execute(select(devices.c.device_id, devices.c.via)).all())
        assert via[one.store.office["device_id"]] == made["device_id"]
        assert via[three.store.office["device_id"]] is None

        # Counter 3 sees what counters 1 and 2 did; they see counter 3's visit.
        synced(three)
        assert _status(three, tracking) == ("collected", paid["amount"])
        synced(one)
        figures = office_day.office_day(one.store, day)
        assert [c["counter"] for c in figures["counters"]] == [1, 2, 3]
        for counter in counters:
            assert integrity.check_store(counter.store)["ok"], counter

        # The heads each counter signed over its ops (D9) went up and down with the ops: the
        # centre keeps counters 1 and 2's, relayed, and the hub counter 3's, read from the
        # centre's feed; each counter checked the others' facts against them, and none waits.
        for server, counter in ((centre, one), (centre, two), (hub_server, three)):
            device = counter.store.office["device_id"]
            assert newest_head(server.engine, device) == _ops_held(server, counter), counter
        synced(two)
        for reader, others in ((three, (one, two)), (one, (two, three)), (two, (one, three))):
            signing = dict(reader.store.conn.execute("SELECT device_id, signing FROM office_heads"))
            assert all(signing[o.store.office["device_id"]] == 1 for o in others), reader
            assert reader.store.scalar_int("SELECT COUNT(*) FROM office_waiting") == 0
    finally:
        for counter in counters:
            counter.store.close()


def _ops_held(server: LiveServer, counter: Any) -> int:
    with server.engine.connect() as conn:
        return int(
            conn.execute(
                select(func.count())
                .select_from(ops)
                .where(ops.c.device_id == counter.store.office["device_id"])
            ).scalar_one()
        )


def test_a_lost_reply_doubles_nothing(
    live_server: LiveServer, hub_server: LiveServer, tmp_path: Path, clock: FakeClock
) -> None:
    """The centre stored a relayed push but its reply never reached the hub: the next run sends
    it again, and the centre answers "already held"."""
    _enrolled_hub(live_server, hub_server)
    one = enrolled_counter(tmp_path, clock, hub_server, OFFICE, 1)
    try:
        visit(one)
        synced(one)

        class Lost(requests.Session):
            def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
                answer = super().request(method, url, *args, **kwargs)
                if url.endswith("/relay/push"):
                    raise requests.ConnectionError("the reply was lost")
                return answer

        cut = hub_sync.run(hub_server.engine, hub_server.clock, session=Lost())
        assert cut.error is not None and cut.error.code == "sync.offline"
        held = count_rows(live_server.engine)["ops"]
        assert held > 0  # the centre took the batch before its reply was lost
        done = _hub_sync(hub_server)
        assert done.stored == 0 and done.relayed == held
        assert count_rows(live_server.engine)["ops"] == held
        device = one.store.office["device_id"]
        assert centre_facts(live_server.engine, device) == counter_facts(one.store)
    finally:
        one.store.close()


def test_what_a_hub_refuses_leaves_everything_as_it_was(
    live_server: LiveServer,
    hub_server: LiveServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    db = ["--db", hub_server.db_url]
    # No hub yet: `hub sync` and `hub status` say so.
    assert cli.main(["hub", "sync", *db]) == 1
    assert "no office's hub" in capsys.readouterr().err
    assert cli.main(["hub", "status", *db]) == 1
    capsys.readouterr()
    # A code the centre does not know: refused, nothing kept.
    before = count_rows(hub_server.engine)
    wrong = ["--upstream", live_server.url, "--code", "AAAA-BBBB-CCCC", "--office", OFFICE]
    assert cli.main(["hub", "enroll", *db, *wrong]) == 1
    assert "did not enroll" in capsys.readouterr().err
    assert count_rows(hub_server.engine) == before
    # An address that is not one.
    bad = ["--upstream", "ftp://centre", "--code", _relay_code(live_server), "--office", OFFICE]
    assert cli.main(["hub", "enroll", *db, *bad]) == 1
    assert count_rows(hub_server.engine) == before

    right = ["--upstream", live_server.url, "--code", _relay_code(live_server), "--office", OFFICE]
    assert cli.main(["hub", "enroll", *db, *right, "--json"]) == 0
    capsys.readouterr()
    enrolled = count_rows(hub_server.engine)
    # Enrolled once: again is refused.
    again = ["--upstream", live_server.url, "--code", _relay_code(live_server), "--office", OFFICE]
    assert cli.main(["hub", "enroll", *db, *again]) == 1
    assert "already a hub" in capsys.readouterr().err
    # Another office's counter: no code.
    assert cli.main(["enroll", *db, "--office", "LPB-LPB", "--counter", "1"]) == 1
    assert "hub of VTE-SST" in capsys.readouterr().err
    # A catalog of its own: none.
    with writing(hub_server.engine) as conn, pytest.raises(Problem, match="comes from"):
        reference.publish(conn, demo_catalog_path(), hub_server.clock())
    assert count_rows(hub_server.engine) == enrolled

    assert cli.main(["hub", "status", *db, "--json"]) == 0
    assert '"office": "VTE-SST"' in capsys.readouterr().out
    assert cli.main(["hub", "sync", *db]) == 0
    assert "Announced 0 counter(s)" in capsys.readouterr().out


def test_a_counter_moves_to_the_hub_and_back_without_losing_or_doubling(
    live_server: LiveServer, hub_server: LiveServer, tmp_path: Path, clock: FakeClock
) -> None:
    centre = live_server
    made = _enrolled_hub(centre, hub_server)
    one = enrolled_counter(tmp_path, clock, centre, OFFICE, 1)  # straight to the centre first
    two = enrolled_counter(tmp_path, clock, hub_server, OFFICE, 2)
    device = one.store.office["device_id"]
    try:
        first = visit(one)["tracking"]
        synced(one)
        _hub_sync(hub_server)  # the hub reads counter 1's facts from the centre's feed
        old_token = one.store.scalar("SELECT token FROM sync_state")

        # To the hub: re-enrolled there under its own device id, with the hub's code.
        client.enroll(one.store, hub_server.url, hub_server.enroll_code(OFFICE, 1))
        second = visit(one)["tracking"]
        moved = synced(one)
        assert moved.pushed == 2  # only what the hub did not hold: the second visit
        done = _hub_sync(hub_server)
        assert done.announced == 1 and done.stored == 2  # counter 1 (2 was at the first run)
        with centre.engine.connect() as conn:
            via = conn.execute(select(devices.c.via).where(devices.c.device_id == device))
            assert via.scalar_one() == made["device_id"]
        # Its token at the centre no longer works: the hub speaks for it there.
        status = requests.get(
            centre.url + "/api/v1/sync/status",
            headers={"Authorization": f"Bearer {old_token}"},
            timeout=10,
        )
        assert status.status_code == 401
        assert centre_facts(centre.engine, device) == counter_facts(one.store)

        # And back to the centre, with what it pushed to the hub not relayed yet.
        third = visit(one)["tracking"]
        synced(one)
        client.enroll(one.store, centre.url, centre.enroll_code(OFFICE, 1))
        back = synced(one)
        assert back.pushed == 2  # the centre lacked them: the counter sent them again
        done = _hub_sync(hub_server)  # the hub sees it moved, and relays nothing of it
        assert done.relayed == 0 and done.stored == 0
        assert centre_facts(centre.engine, device) == counter_facts(one.store)
        with centre.engine.connect() as conn:
            assert anchors.flags(conn, lambda t: t.c.office == OFFICE) == []

        synced(two)
        for tracking in (first, second, third):
            assert _status(two, tracking)[0] == "received"
        assert integrity.check_store(one.store)["ok"]
    finally:
        one.store.close()
        two.store.close()
