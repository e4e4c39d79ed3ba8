"""Status: what the centre holds for a counter, so a restored counter (or centre) converges."""

from odsc_desk.storage import ledger
from sync import protocol
from tests.sync.conftest import (
    assert_problem,
    enroll_counter,
    get,
    make_office_counter,
    next_day,
    outbox_ops,
    push,
    visit,
)


def _status(server, token):
    reply = get(server.url + protocol.STATUS, token)
    assert reply.status_code == 200, reply.text
    return reply.json()


def test_status_before_any_push(live_server, sync_counter):
    token = enroll_counter(live_server, sync_counter)
    assert _status(live_server, token) == {
        "device_id": sync_counter.store.office["device_id"],
        "office": "VTE-SST",
        "counter": 1,
        "high_water": 0,
        "ops": 0,
        "last_sync": None,
        "server_time": "2026-11-26T02:00:00.000000Z",
        "numbers": {"receipt": {}, "tracking": {}},
        "anchor": None,
        "accepts": {
            "requests": ["sms_consent", "sms_lang"],
            "status_events": ["new_date", "clock", "device_id"],
        },
        # What a counter may write on the office's other requests and receipts.
        "office_writes": ["payments", "receipt_prints", "status_events"],
        # Enrolled without a key (tests.sync.conftest.enroll_counter): none held.
        "key_id": None,
    }


def test_status_reports_high_water_ops_and_the_numbers_used(live_server, sync_counter):
    token = enroll_counter(live_server, sync_counter)
    device_id = sync_counter.store.office["device_id"]
    for _ in range(3):
        visit(sync_counter)
    next_day(sync_counter)
    visit(sync_counter)  # the next business day: tracking numbering starts again at 1
    batch = outbox_ops(sync_counter)
    push(live_server.url, token, device_id, batch[:4])
    live_server.clock.advance(minutes=5)
    push(live_server.url, token, device_id, batch)
    status = _status(live_server, token)
    assert status["high_water"] == batch[-1].seq
    assert status["ops"] == len(batch)
    assert status["last_sync"] == "2026-11-26T02:05:00.000000Z"
    assert status["numbers"] == {"receipt": {"2026": 4}, "tracking": {"261126": 3, "261127": 1}}


def test_numbers_are_per_office_counter_and_include_raised_floors(
    live_server, sync_counter, tmp_path, clock
):
    token = enroll_counter(live_server, sync_counter)
    visit(sync_counter)
    with sync_counter.store.transaction():
        ledger.append(
            sync_counter.store,
            "sequence_floors",
            {
                "id": "floor-1",
                "kind": "receipt",
                "period": "2026",
                "floor": 40,
                "reason": "restored from backup",
                "at": sync_counter.store.now_stamp(),
            },
        )
    push(live_server.url, token, sync_counter.store.office["device_id"], outbox_ops(sync_counter))
    # A second device for another counter of the same office sees only its own numbers.
    other = make_office_counter(tmp_path / "c2", clock, "VTE-SST", 2)
    other_token = enroll_counter(live_server, other)
    assert _status(live_server, token)["numbers"] == {
        "receipt": {"2026": 40},
        "tracking": {"261126": 1},
    }
    assert _status(live_server, other_token)["numbers"] == {"receipt": {}, "tracking": {}}
    other.store.close()


def test_a_reinstalled_counter_sees_the_numbers_its_predecessor_used(
    live_server, sync_counter, tmp_path, clock
):
    """A new device for the same office counter (a fresh install) must number above what the
    old device sent."""
    token = enroll_counter(live_server, sync_counter)
    visit(sync_counter)
    push(live_server.url, token, sync_counter.store.office["device_id"], outbox_ops(sync_counter))
    fresh = make_office_counter(tmp_path / "fresh", clock, "VTE-SST", 1)
    status = _status(live_server, enroll_counter(live_server, fresh))
    assert (status["high_water"], status["ops"]) == (0, 0)
    assert status["numbers"] == {"receipt": {"2026": 1}, "tracking": {"261126": 1}}
    fresh.store.close()


def test_status_needs_a_device_token(live_server):
    viewer = live_server.viewer_token()
    assert_problem(get(live_server.url + protocol.STATUS, viewer), 403, "auth.device_only")
    assert_problem(get(live_server.url + protocol.STATUS, None), 401, "auth.missing")
