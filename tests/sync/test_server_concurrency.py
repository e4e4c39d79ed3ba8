"""Retries and races: the same batch pushed many times, also at the same instant from two
threads and through two server processes, is stored once."""

import threading

from sqlalchemy import func, select

from odsc_desk.domain import cash
from sync.server.db import devices
from sync.server.db import ops as ops_table
from sync.server.db import payments as payments_table
from tests.sync.conftest import enroll_counter, make_office_counter, outbox_ops, push, visit


def _held(engine):
    with engine.connect() as conn:
        ops = conn.execute(select(func.count()).select_from(ops_table)).scalar_one()
        paid = conn.execute(select(func.count()).select_from(payments_table)).scalar_one()
        counted = conn.execute(select(func.sum(devices.c.ops))).scalar_one()
    return ops, paid, counted


def _race(urls, token, device_id, batch, rounds):
    """Push `batch` from one thread per URL, released together, `rounds` times."""
    replies, errors = [], []
    gate = threading.Barrier(len(urls))

    def pusher(url):
        try:
            for _ in range(rounds):
                gate.wait()
                reply = push(url, token, device_id, batch)
                replies.append((reply.status_code, reply.json()))
        except Exception as exc:  # collected for the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=pusher, args=(url,)) for url in urls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    return replies


def _assert_stored_once(replies, batch):
    assert all(status == 200 for status, _ in replies), replies
    assert sum(body["stored"] for _, body in replies) == len(batch)
    for _, body in replies:
        assert body["stored"] + body["duplicates"] == len(batch)
        assert body["conflicts"] == body["rejected"] == []
        assert body["high_water"] == batch[-1].seq


def test_a_batch_replayed_many_times_is_stored_once(live_server, sync_counter):
    token = enroll_counter(live_server, sync_counter)
    for _ in range(5):
        visit(sync_counter)
    batch = outbox_ops(sync_counter)
    device_id = sync_counter.store.office["device_id"]
    replies = [push(live_server.url, token, device_id, batch) for _ in range(6)]
    _assert_stored_once([(r.status_code, r.json()) for r in replies], batch)
    assert _held(live_server.engine) == (len(batch), 5, len(batch))


def test_a_batch_pushed_from_two_threads_at_once_is_stored_once(live_server, sync_counter):
    token = enroll_counter(live_server, sync_counter)
    device_id = sync_counter.store.office["device_id"]
    total = []
    for _ in range(4):
        for _ in range(10):
            visit(sync_counter)
        batch = outbox_ops(sync_counter)[len(total) :]
        replies = _race([live_server.url] * 2, token, device_id, batch, rounds=1)
        _assert_stored_once(replies, batch)
        total += batch
    assert _held(live_server.engine) == (len(total), 40, len(total))


def test_a_batch_pushed_through_two_server_processes_at_once_is_stored_once(
    live_server, server_process, sync_counter
):
    token = enroll_counter(live_server, sync_counter)
    for _ in range(20):
        visit(sync_counter)
    batch = outbox_ops(sync_counter)
    device_id = sync_counter.store.office["device_id"]
    replies = _race([live_server.url, server_process.url], token, device_id, batch, rounds=3)
    _assert_stored_once(replies, batch)
    assert _held(live_server.engine) == (len(batch), 20, len(batch))


def test_many_counters_pushing_at_once_all_get_through(live_server, tmp_path, clock):
    """Writers queue (BEGIN IMMEDIATE on SQLite, row locks on PostgreSQL) instead of failing
    with 'database is locked'."""
    counters = [make_office_counter(tmp_path / f"c{n}", clock, "VTE-SST", n) for n in range(1, 9)]
    work = []
    for c in counters:
        cash.open_cash(c.store, c.clerk, 0)
        for _ in range(10):
            visit(c)
        work.append((enroll_counter(live_server, c), c.store.office["device_id"], outbox_ops(c)))
    replies = []
    gate = threading.Barrier(len(work))

    def pusher(token, device_id, batch):
        gate.wait()
        for start in range(0, len(batch), 10):
            replies.append(push(live_server.url, token, device_id, batch[start : start + 10]))

    threads = [threading.Thread(target=pusher, args=w) for w in work]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [r.status_code for r in replies if r.status_code != 200] == []
    expected = sum(len(batch) for _, _, batch in work)
    assert sum(r.json()["stored"] for r in replies) == expected
    assert _held(live_server.engine) == (expected, 80, expected)
    for c in counters:
        c.store.close()
