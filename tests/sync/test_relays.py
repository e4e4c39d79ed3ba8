"""An office's hub at the centre (docs/OFFICE_SHARING.md, D7, its first step): the hub enrolls as
its office's relay, announces a counter enrolled with it, and pushes that counter's batches
under the counter's name; the centre holds them as the counter's, exactly once. Every refusal
leaves the centre's facts as they were.

A real centre on loopback (SQLite and PostgreSQL) and a real counter's store; the hub's part is
played by plain HTTP calls (the hub itself is the next step).
"""

from __future__ import annotations

import json
from typing import Any

import requests
from sqlalchemy import select

from odsc_desk.api import cash, signing
from sync import feed_encoding, protocol
from sync.server import cli, enrollment
from sync.server.db import devices, ops, writing
from tests.sync.conftest import (
    LiveServer,
    count_rows,
    enrolled_counter,
    make_office_counter,
    outbox_ops,
    post_raw,
    push,
    visit,
)

HUB = "hub-vte-sst"


def _relay_code(server: LiveServer, office: str = "VTE-SST") -> str:
    with writing(server.engine) as conn:
        return str(enrollment.create_relay_code(conn, office, server.clock())["code"])


def _enroll_hub(server: LiveServer, office: str = "VTE-SST") -> str:
    reply = requests.post(
        server.url + protocol.RELAY_ENROLL,
        json={"code": _relay_code(server, office), "device_id": HUB, "office": office},
        timeout=10,
    )
    assert reply.status_code == 200, reply.text
    answer = reply.json()
    assert (answer["office"], answer["counter"]) == (office, 0)
    return str(answer["token"])


def _announce(server: LiveServer, token: str, device_id: str, counter: int) -> requests.Response:
    return requests.post(
        server.url + protocol.RELAY_DEVICES,
        json={"device_id": device_id, "counter": counter},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )


def _relay_push(
    server: LiveServer, token: str, origin: str | None, device_id: str, batch: list[Any]
) -> requests.Response:
    body = protocol.gzip_body(json.dumps(protocol.encode_batch(device_id, batch)).encode())
    headers = {"Content-Encoding": "gzip"}
    if origin is not None:
        headers[protocol.RELAY_ORIGIN] = origin
    return post_raw(server.url + protocol.RELAY_PUSH, token, body, headers)


def _held(server: LiveServer, device_id: str) -> list[str]:
    with server.engine.connect() as conn:
        return sorted(
            conn.execute(select(ops.c.op_id).where(ops.c.device_id == device_id)).scalars()
        )


def test_a_hub_relays_a_counters_batches_under_its_name_exactly_once(
    live_server: LiveServer, tmp_path: Any, clock: Any
) -> None:
    hub = _enroll_hub(live_server)
    three = make_office_counter(tmp_path / "three", clock, "VTE-SST", 3)  # enrolled at the hub
    try:
        device = three.store.office["device_id"]
        cash.open_cash(three.store, three.clerk, 0)
        visit(three)
        batch = outbox_ops(three)
        # Not announced yet: refused, nothing stored.
        refused = _relay_push(live_server, hub, device, device, batch)
        assert refused.status_code == 403 and refused.json()["code"] == "relay.origin"
        assert _held(live_server, device) == []

        announced = _announce(live_server, hub, device, 3)
        assert announced.status_code == 200, announced.text
        assert announced.json() == {
            "device_id": device, "office": "VTE-SST", "counter": 3, "via": HUB
        }  # fmt: skip
        assert _announce(live_server, hub, device, 3).json() == announced.json()  # again: same

        stored = _relay_push(live_server, hub, device, device, batch)
        assert stored.status_code == 200, stored.text
        assert (stored.json()["stored"], stored.json()["rejected"]) == (len(batch), [])
        assert _held(live_server, device) == sorted(op.op_id for op in batch)
        again = _relay_push(live_server, hub, device, device, batch)  # the hub's retry
        assert (again.json()["stored"], again.json()["duplicates"]) == (0, len(batch))
        with live_server.engine.connect() as conn:
            row = conn.execute(
                select(devices.c.office, devices.c.counter, devices.c.role, devices.c.via).where(
                    devices.c.device_id == device
                )
            ).one()
        assert tuple(row) == ("VTE-SST", 3, "counter", HUB)
    finally:
        three.store.close()


def _feed(server: LiveServer, token: str) -> dict[str, Any]:
    reply = requests.get(
        server.url + protocol.OFFICE_FEED,
        headers={"Authorization": f"Bearer {token}", "Accept-Encoding": "gzip"},
        timeout=10,
    )
    assert reply.status_code == 200, reply.text
    answer: dict[str, Any] = reply.json()
    return answer


def _fed(answer: dict[str, Any]) -> list[tuple[str, int]]:
    """(device, seq) of every op of a feed page, read back as a counter reads it."""
    roster = feed_encoding.Roster(
        answer["office"], [(d["device_id"], d["counter"]) for d in answer["devices"]]
    )
    items = feed_encoding.decode(roster, answer["after"], answer)
    return sorted((item.device_id, item.op.seq) for item in items)


def test_the_office_feed_carries_relayed_ops_and_the_hub_reads_the_others(
    live_server: LiveServer, tmp_path: Any, clock: Any
) -> None:
    hub = _enroll_hub(live_server)
    one = enrolled_counter(tmp_path, clock, live_server, "VTE-SST", 1)  # straight to the centre
    three = make_office_counter(tmp_path / "three", clock, "VTE-SST", 3)  # with the hub
    try:
        cash.open_cash(three.store, three.clerk, 0)
        visit(three)
        relayed = outbox_ops(three)
        device = three.store.office["device_id"]
        assert _announce(live_server, hub, device, 3).status_code == 200
        assert _relay_push(live_server, hub, device, device, relayed).status_code == 200
        visit(one)
        direct = outbox_ops(one)
        token = one.store.scalar("SELECT token FROM sync_state")
        assert push(live_server.url, token, one.store.office["device_id"], direct).ok

        # Counter 1 reads counter 3's ops, relayed, as any other counter's.
        as_one = _feed(live_server, token)
        assert _fed(as_one) == sorted((device, op.seq) for op in relayed)
        # The hub reads counter 1's, not those it relayed (it holds them), and its roster
        # names neither itself nor its counters.
        as_hub = _feed(live_server, hub)
        assert _fed(as_hub) == sorted((one.store.office["device_id"], op.seq) for op in direct)
        assert [d["device_id"] for d in as_hub["devices"]] == [one.store.office["device_id"]]
    finally:
        one.store.close()
        three.store.close()


def test_what_a_hub_or_a_counter_may_not_do_is_refused_and_changes_nothing(
    live_server: LiveServer, tmp_path: Any, clock: Any
) -> None:
    hub = _enroll_hub(live_server)
    one = enrolled_counter(tmp_path, clock, live_server, "VTE-SST", 1)  # straight to the centre
    elsewhere = enrolled_counter(tmp_path, clock, live_server, "LPB-LPB", 1)
    try:
        visit(one)
        counter_token = one.store.scalar("SELECT token FROM sync_state")
        device = one.store.office["device_id"]
        batch = outbox_ops(one)
        before = count_rows(live_server.engine)

        # The hub is no counter: the counters' endpoints refuse its token.
        assert push(live_server.url, hub, HUB, batch).json()["code"] == "auth.device_only"
        status = requests.get(
            live_server.url + protocol.STATUS,
            headers={"Authorization": f"Bearer {hub}"},
            timeout=10,
        )
        assert status.status_code == 403
        # A counter is no hub.
        as_counter = _relay_push(live_server, counter_token, device, device, batch)
        assert as_counter.status_code == 403 and as_counter.json()["code"] == "auth.relay_only"
        # A counter enrolled straight with the centre is not the hub's to push for until the
        # hub announces it (it moved to the hub); another office's never is, to announce or to
        # push for.
        other_office = elsewhere.store.office["device_id"]
        assert _announce(live_server, hub, other_office, 1).json()["code"] == "relay.device"
        for origin in (device, other_office, None):
            reply = _relay_push(live_server, hub, origin, device, batch)
            assert reply.status_code == 403 and reply.json()["code"] == "relay.origin"
        # A batch in another device's name than the origin's.
        three = make_office_counter(tmp_path / "three", clock, "VTE-SST", 3)
        try:
            other = three.store.office["device_id"]
            assert _announce(live_server, hub, other, 3).status_code == 200
            named = _relay_push(live_server, hub, other, device, batch)
            assert named.status_code == 403 and named.json()["code"] == "push.device"
        finally:
            three.store.close()
        assert count_rows(live_server.engine)["ops"] == before["ops"]

        # Each kind of code enrolls only its kind of device.
        counter_code = live_server.enroll_code("VTE-SST", 2)
        mixed = requests.post(
            live_server.url + protocol.RELAY_ENROLL,
            json={"code": counter_code, "device_id": "hub-2", "office": "VTE-SST"},
            timeout=10,
        )
        assert mixed.status_code == 409 and mixed.json()["code"] == "enroll.mismatch"
        key = signing.public_key_of(signing.new_private_key())
        wrong = requests.post(
            live_server.url + protocol.ENROLL,
            json={
                "code": _relay_code(live_server), "device_id": "counter-9", "office": "VTE-SST",
                "counter": 1, "public_key": key,
            },
            timeout=10,
        )  # fmt: skip
        assert wrong.status_code == 409 and wrong.json()["code"] == "enroll.mismatch"
    finally:
        one.store.close()
        elsewhere.store.close()


def test_the_hub_code_command_and_the_devices_list(live_server: LiveServer, capsys: Any) -> None:
    code = cli.main(["hub", "code", "--office", "vte-sst", "--db", live_server.db_url, "--json"])
    made = json.loads(capsys.readouterr().out)
    assert code == 0 and (made["office"], made["counter"]) == ("VTE-SST", 0)
    assert cli.main(["hub", "code", "--office", "not an office", "--db", live_server.db_url]) != 0
    capsys.readouterr()
    hub = _enroll_hub(live_server)
    assert _announce(live_server, hub, "counter-3", 3).status_code == 200
    assert cli.main(["devices", "--db", live_server.db_url]) == 0
    listed = capsys.readouterr().out
    assert f"{HUB}  VTE-SST hub  active" in listed
    assert f"counter-3  VTE-SST counter 3 via {HUB}  active" in listed
