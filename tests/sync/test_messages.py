"""Messages to the citizen's phone, end to end: a real counter takes a request with the citizen's
consent, marks it, syncs with the real client to the real centre on loopback (SQLite and
PostgreSQL), and `messages.send_due` posts to a small local gateway on loopback
(tests/sync/local_gateway.py: no real gateway can be reached from here)."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from odsc_desk.domain import payments, service_requests
from odsc_desk.shared.clock import stamp
from sync import client, protocol
from sync.server import messages, sms_text
from sync.server.db import messages as messages_table
from sync.server.db import requests as centre_requests
from sync.server.sms_gateway import Gateway
from tests.sync.conftest import LiveServer, count_rows, free_port, get, outbox_ops, push
from tests.sync.local_gateway import Answer, local_gateway

PHONE = "020 5555 1234"


def enrolled(server: LiveServer, counter: Any) -> Any:
    office = counter.store.office
    client.enroll(counter.store, server.url, server.enroll_code(office["office_code"], 1))
    return counter


def take(counter: Any, sms_lang: str | None = "lo", phone: str | None = PHONE) -> str:
    """A request (its consent as given), paid and put in process; its tracking number."""
    request = service_requests.record_request(
        counter.store,
        counter.clerk,
        service_code="MOHA-BIRTH",
        citizen_name="ນາງ ນ້ອຍ",
        phone=phone,
        sms_lang=sms_lang,
    )
    payments.record_payment(counter.store, counter.clerk, request["tracking"])
    service_requests.change_status(counter.store, counter.clerk, request["tracking"], "in_process")
    return request["tracking"]


def mark(counter: Any, tracking: str, status: str, reason: str | None = None) -> None:
    service_requests.change_status(counter.store, counter.clerk, tracking, status, reason)


def synced(counter: Any) -> None:
    result = client.sync_once(counter.store)
    assert result.ok and result.parked == 0, result


def queued(server: LiveServer) -> list[dict[str, Any]]:
    with server.engine.connect() as conn:
        query = select(messages_table).order_by(messages_table.c.id)
        return [dict(r._mapping) for r in conn.execute(query)]


def gateway_for(url: str, timeout: float = 5.0) -> Gateway:
    return Gateway(url, "gateway-token", "ODSC", timeout)


def test_a_consenting_request_made_ready_sends_exactly_one_lao_message(live_server, sync_counter):
    counter = enrolled(live_server, sync_counter)
    tracking = take(counter)
    mark(counter, tracking, "ready")
    synced(counter)
    synced(counter)  # nothing new: nothing queued again
    with live_server.engine.connect() as conn:
        row = conn.execute(select(centre_requests.c.sms_consent, centre_requests.c.sms_lang)).one()
    assert tuple(row) == (1, "lo")
    with local_gateway() as gateway:
        sent = messages.send_due(live_server.engine, gateway_for(gateway.url), live_server.clock())
        again = messages.send_due(
            live_server.engine, gateway_for(gateway.url), live_server.clock() + timedelta(hours=2)
        )
    assert (sent.sent, again.sent) == (1, 0)
    [body] = gateway.received
    assert body["to"] == "+8562055551234"
    assert body["from"] == "ODSC"
    assert body["encoding"] == "ucs2"
    assert tracking in body["text"] and "ພ້ອມແລ້ວ" in body["text"]
    assert sms_text.count(body["text"]).segments == 1
    assert gateway.headers[0]["Authorization"] == "Bearer gateway-token"
    [message] = queued(live_server)
    assert message["state"] == "sent" and message["gateway_id"] == "gw-1"
    assert (message["kind"], message["lang"], message["attempts"]) == ("ready", "lo", 1)


def test_without_consent_no_message_is_queued(live_server, sync_counter):
    counter = enrolled(live_server, sync_counter)
    tracking = take(counter, sms_lang=None)
    mark(counter, tracking, "ready")
    synced(counter)
    assert queued(live_server) == []
    with local_gateway() as gateway:
        messages.send_due(live_server.engine, gateway_for(gateway.url), live_server.clock())
    assert gateway.received == []


def test_returned_for_documents_is_told_in_english_when_asked(live_server, sync_counter):
    counter = enrolled(live_server, sync_counter)
    tracking = take(counter, sms_lang="en")
    mark(counter, tracking, "incomplete", "the family book is missing")
    synced(counter)
    [message] = queued(live_server)
    assert (message["kind"], message["lang"]) == ("incomplete", "en")
    assert message["body"].endswith("needs more documents. Please bring them to the office.")
    assert tracking in message["body"] and message["segments"] == 1


def test_an_event_no_longer_current_sends_nothing(live_server, sync_counter):
    """Back after days offline: ready, then collected, in one push. "Ready" would be news the
    citizen no longer needs."""
    counter = enrolled(live_server, sync_counter)
    tracking = take(counter)
    mark(counter, tracking, "ready")
    mark(counter, tracking, "collected")
    synced(counter)
    assert queued(live_server) == []


def test_a_replayed_push_queues_nothing_twice(live_server, sync_counter):
    counter = enrolled(live_server, sync_counter)
    tracking = take(counter)
    mark(counter, tracking, "ready")
    ops = outbox_ops(counter)
    synced(counter)
    state = counter.store.one("SELECT token FROM sync_state")
    before = count_rows(live_server.engine)
    device = counter.store.office["device_id"]
    for _ in range(2):
        reply = push(live_server.url, state["token"], device, ops)
        assert reply.status_code == 200, reply.text
        assert reply.json()["stored"] == 0 and reply.json()["duplicates"] == len(ops)
    assert count_rows(live_server.engine) == before
    assert len(queued(live_server)) == 1


def test_a_503_is_tried_again_after_its_backoff(live_server, sync_counter):
    counter = enrolled(live_server, sync_counter)
    mark(counter, take(counter), "ready")
    synced(counter)
    now = live_server.clock()
    with local_gateway() as gateway:
        gateway.script = [Answer(503)]
        first = messages.send_due(live_server.engine, gateway_for(gateway.url), now)
        [message] = queued(live_server)
        assert (first.retrying, message["state"], message["attempts"]) == (1, "queued", 1)
        assert message["next_at"] == stamp(now + timedelta(minutes=1))
        assert message["last_error"] == "HTTP 503"
        early = messages.send_due(live_server.engine, gateway_for(gateway.url), now)
        later = messages.send_due(
            live_server.engine, gateway_for(gateway.url), now + timedelta(seconds=61)
        )
    assert (early.sent, later.sent) == (0, 1)
    assert len(gateway.received) == 2
    [message] = queued(live_server)
    assert (message["state"], message["attempts"], message["gateway_id"]) == ("sent", 2, "gw-2")


def test_after_max_tries_a_message_fails(live_server, sync_counter):
    counter = enrolled(live_server, sync_counter)
    mark(counter, take(counter), "ready")
    synced(counter)
    now = live_server.clock()
    with local_gateway() as gateway:
        gateway.script = [Answer(500), Answer(502), Answer(200)]
        for minutes in (0, 5):
            messages.send_due(
                live_server.engine,
                gateway_for(gateway.url),
                now + timedelta(minutes=minutes),
                max_tries=2,
            )
        messages.send_due(live_server.engine, gateway_for(gateway.url), now + timedelta(hours=3))
    [message] = queued(live_server)
    assert (message["state"], message["attempts"], message["last_error"]) == (
        "failed",
        2,
        "HTTP 502",
    )
    assert len(gateway.received) == 2


def test_a_4xx_fails_at_once_and_the_next_message_still_goes(live_server, sync_counter):
    counter = enrolled(live_server, sync_counter)
    first, second = take(counter), take(counter, phone="020 7777 8888")
    mark(counter, first, "ready")
    mark(counter, second, "ready")
    synced(counter)
    with local_gateway() as gateway:
        gateway.script = [Answer(400)]
        result = messages.send_due(
            live_server.engine, gateway_for(gateway.url), live_server.clock()
        )
    assert (result.failed, result.sent) == (1, 1)
    states = [(m["tracking"], m["state"], m["attempts"]) for m in queued(live_server)]
    assert states == [(first, "failed", 1), (second, "sent", 1)]
    assert queued(live_server)[0]["last_error"].startswith("HTTP 400")


def test_a_gateway_down_or_too_slow_is_tried_again(live_server, sync_counter):
    counter = enrolled(live_server, sync_counter)
    mark(counter, take(counter), "ready")
    synced(counter)
    now = live_server.clock()
    nobody = f"http://127.0.0.1:{free_port()}/sms"  # nothing listens there
    down = messages.send_due(live_server.engine, gateway_for(nobody), now)
    [message] = queued(live_server)
    assert down.retrying == 1 and message["last_error"].startswith("connection")
    with local_gateway() as gateway:
        gateway.script = [Answer(200, pause=2.0)]
        slow = messages.send_due(
            live_server.engine, gateway_for(gateway.url, 0.5), now + timedelta(minutes=2)
        )
    [message] = queued(live_server)
    assert slow.retrying == 1
    assert (message["state"], message["attempts"], message["last_error"]) == (
        "queued",
        2,
        "timeout",
    )
    assert message["next_at"] == stamp(now + timedelta(minutes=2) + timedelta(minutes=2))


def test_a_phone_gets_at_most_the_daily_cap_and_the_rest_the_next_day(live_server, sync_counter):
    counter = enrolled(live_server, sync_counter)
    for _ in range(3):
        mark(counter, take(counter), "ready")
    synced(counter)
    now = live_server.clock()  # 09:00 in Vientiane
    with local_gateway() as gateway:
        today = messages.send_due(live_server.engine, gateway_for(gateway.url), now, daily_cap=2)
        still_today = messages.send_due(
            live_server.engine, gateway_for(gateway.url), now + timedelta(hours=14), daily_cap=2
        )
        tomorrow = messages.send_due(
            live_server.engine, gateway_for(gateway.url), now + timedelta(hours=15), daily_cap=2
        )
    assert (today.sent, today.deferred) == (2, 1)
    assert still_today.sent == 0  # 23:00 in Vientiane: still the same day
    assert tomorrow.sent == 1  # 00:00 the next day
    assert len(gateway.received) == 3
    assert [m["state"] for m in queued(live_server)] == ["sent"] * 3


def test_the_phone_is_logged_masked_only(live_server, sync_counter, caplog):
    counter = enrolled(live_server, sync_counter)
    mark(counter, take(counter), "ready")
    synced(counter)
    with caplog.at_level(logging.INFO, logger="odsc.server.messages"), local_gateway() as gw:
        messages.send_due(live_server.engine, gateway_for(gw.url), live_server.clock())
    text = caplog.text
    assert "********234" in text
    assert "55551234" not in text and "5555" not in text
    listed = messages.listing(live_server.engine)
    assert listed[0]["phone"] == "********234"


def test_the_status_reply_lists_the_later_columns_it_takes(live_server, sync_counter):
    counter = enrolled(live_server, sync_counter)
    token = counter.store.one("SELECT token FROM sync_state")["token"]
    reply = get(live_server.url + protocol.STATUS, token)
    assert reply.json()["accepts"] == {
        "requests": ["sms_consent", "sms_lang"],
        "status_events": ["new_date", "clock", "device_id"],
    }


def test_only_consenting_current_events_are_queued_each_once(live_server, sync_counter):
    """Nothing but the consenting, current events of a push is queued, each once."""
    counter = enrolled(live_server, sync_counter)
    consenting, declined = take(counter), take(counter, sms_lang=None)
    mark(counter, consenting, "incomplete", "missing")
    mark(counter, declined, "incomplete", "missing")
    synced(counter)
    mark(counter, consenting, "in_process")
    mark(counter, consenting, "ready")
    synced(counter)
    with live_server.engine.connect() as conn:
        kinds = conn.execute(
            select(messages_table.c.kind, func.count()).group_by(messages_table.c.kind)
        ).all()
    assert sorted(tuple(k) for k in kinds) == [("incomplete", 1), ("ready", 1)]
