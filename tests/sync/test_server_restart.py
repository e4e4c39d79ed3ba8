"""Restarts: the database is the server's only state, and what a push acknowledged survives even
a SIGKILL of the server process."""

import threading

import requests
from sqlalchemy import select

from sync import protocol
from sync.server.db import ops as ops_table
from tests.sync.conftest import enroll_counter, get, outbox_ops, push, visit


def _held(engine):
    with engine.connect() as conn:
        return [row.op_id for row in conn.execute(select(ops_table.c.op_id))]


def test_the_live_server_restarts_on_the_same_port_and_database(live_server, sync_counter):
    token = enroll_counter(live_server, sync_counter)
    visit(sync_counter)
    batch = outbox_ops(sync_counter)
    push(live_server.url, token, sync_counter.store.office["device_id"], batch)
    url = live_server.url
    live_server.stop()
    try:
        requests.get(url + "/healthz", timeout=2)
        raise AssertionError("the stopped server still answers")
    except requests.ConnectionError:
        pass
    live_server.start()
    assert live_server.url == url
    status = get(url + protocol.STATUS, token).json()
    assert (status["high_water"], status["ops"]) == (batch[-1].seq, len(batch))


def test_a_sigkill_during_pushes_loses_nothing_that_was_acknowledged(server_process, sync_counter):
    token = enroll_counter(server_process, sync_counter)
    device_id = sync_counter.store.office["device_id"]
    for _ in range(60):
        visit(sync_counter)
    batch = outbox_ops(sync_counter)
    batches = [batch[i : i + 5] for i in range(0, len(batch), 5)]
    acknowledged: list[str] = []
    failures: list[str] = []
    some_done = threading.Event()

    def pusher():
        for part in batches:
            try:
                reply = push(server_process.url, token, device_id, part)
            except requests.ConnectionError:
                return  # the server died under this push
            if reply.status_code != 200:
                failures.append(reply.text)
                return
            acknowledged.extend(op.op_id for op in part)
            some_done.set()

    thread = threading.Thread(target=pusher)
    thread.start()
    assert some_done.wait(timeout=30)
    server_process.kill()
    thread.join(timeout=30)
    assert failures == []
    assert acknowledged  # some pushes were answered before the kill
    held = set(_held(server_process.engine))
    assert set(acknowledged) <= held  # nothing acknowledged was lost

    # The counter resends everything it was not sure of; the restarted server stores each once.
    server_process.start()
    for part in batches:
        reply = push(server_process.url, token, device_id, part)
        assert reply.status_code == 200, reply.text
        assert reply.json()["conflicts"] == reply.json()["rejected"] == []
    stored = _held(server_process.engine)
    assert sorted(stored) == sorted(op.op_id for op in batch)
