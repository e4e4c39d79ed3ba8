"""The office's feed (docs/OFFICE_SHARING.md, D5): every op the centre stores from an office's
counters numbered in its office, in the order the centre committed them, between real counters
and a real centre on loopback (SQLite and PostgreSQL).

- Positions run 1, 2, 3 … per office with no gap and no repeat; each push's ops in seq order,
  after every op committed before them; another office counts on its own.
- An op sent again (a retry after a lost reply) takes no second position.
- Counters of one office syncing at once still leave the feed gapless, each device's ops in its
  own order.
- A counter reads, by cursor, the ops of its office's other counters (GET /api/v1/sync/office):
  never its own, never another office's, in the feed's encoding (sync/feed_encoding.py), every
  row valid and the page held to its digest, Brotli-compressed when asked for and gzip when
  not; page by page the same as at once. A bad cursor or limit, no token,
  or a token that is not a counter's is refused with a problem and changes nothing.
- A centre database at migration 0015 upgrades with the ops it held numbered per office by when
  they were received, then by device and seq.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, MetaData, Table, create_engine, insert, select

from odsc_desk.storage import sync_state
from sync import client, feed_encoding, protocol
from sync.feed_encoding import Roster
from sync.protocol import Op
from sync.server.db import office_feed, office_feeds, open_db, ops, ops_heads_table
from sync.server.office_feed import LIMIT
from tests.conftest import FakeClock
from tests.sync.conftest import (
    LiveServer,
    assert_problem,
    count_rows,
    enrolled_counter,
    get,
    outbox_ops,
    push,
    visit,
)
from tests.sync.test_hierarchy import at_revision


def _feed(engine: Engine) -> dict[str, list[str]]:
    """Each office's op ids by position, after checking the positions run 1..n: each an op's,
    or a head's that its counter signed over its ops (docs/OFFICE_SHARING.md, D9)."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(office_feed.c.office, office_feed.c.pos, office_feed.c.op_id).order_by(
                office_feed.c.office, office_feed.c.pos
            )
        ).all()
        heads = conn.execute(select(ops_heads_table.c.office, ops_heads_table.c.pos)).all()
        last = dict(conn.execute(select(office_feeds.c.office, office_feeds.c.last_pos)).all())
    feeds: dict[str, list[str]] = {}
    taken: dict[str, list[int]] = {}
    for office, pos, op_id in rows:
        feeds.setdefault(office, []).append(op_id)
        taken.setdefault(office, []).append(pos)
    for office, pos in heads:
        taken.setdefault(office, []).append(pos)
    for office, positions in taken.items():
        assert sorted(positions) == list(range(1, len(positions) + 1)), office  # no gap
    assert last == {office: len(positions) for office, positions in taken.items()}
    return feeds


def _sync(counter: Any) -> list[str]:
    """Sync the counter; the op ids it pushed, in seq order."""
    sent = [op.op_id for op in sorted(outbox_ops(counter), key=lambda op: op.seq)]
    result = client.sync_once(counter.store)
    assert result.ok and result.parked == 0, result
    return sent


def test_each_office_numbers_the_ops_it_stores_in_order(
    live_server: LiveServer, office_counters: tuple[Any, Any, Any]
) -> None:
    one, two, elsewhere = office_counters
    visit(one)
    first = _sync(one)
    visit(two)
    visit(two, "ທ້າວ ສົມ")
    second = _sync(two)
    visit(elsewhere)
    other = _sync(elsewhere)
    visit(one, "ນາງ ແກ້ວ")
    third = _sync(one)
    feeds = _feed(live_server.engine)
    assert feeds == {"VTE-SST": first + second + third, "LPB-LPB": other}
    assert first and second and third and other

    # The same ops again, as after a lost reply: duplicates, no new position.
    with live_server.engine.connect() as conn:
        held = conn.execute(
            select(ops.c.seq, ops.c.entity, ops.c.payload).where(ops.c.op_id.in_(first))
        ).all()
    again = [Op(seq, entity, json.loads(payload)) for seq, entity, payload in held]
    reply = push(live_server.url, _token(one), one.store.office["device_id"], again)
    assert reply.status_code == 200, reply.text
    assert (reply.json()["stored"], reply.json()["duplicates"]) == (0, len(first))
    assert _feed(live_server.engine) == feeds


def test_counters_syncing_at_once_leave_the_feed_gapless(
    live_server: LiveServer, tmp_path: Path, clock: FakeClock
) -> None:
    counters = [enrolled_counter(tmp_path, clock, live_server, "VTE-SST", n) for n in (1, 2, 3)]
    try:
        for counter in counters:
            with counter.store.transaction():  # several pushes each, interleaved
                sync_state.update(counter.store, batch_size=4)
            for k in range(6):
                visit(counter, f"ນາງ ນ້ອຍ {k}")
        sent: dict[int, list[str]] = {}
        errors: list[BaseException] = []

        def run(n: int, counter: Any) -> None:
            try:
                sent[n] = _sync(counter)
            except BaseException as exc:  # reported below
                errors.append(exc)

        threads = [threading.Thread(target=run, args=(n, c)) for n, c in enumerate(counters)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not errors, errors
        [feed] = _feed(live_server.engine).values()
        assert sorted(feed) == sorted(op for ids in sent.values() for op in ids)
        for ids in sent.values():  # each device's ops in its own (seq) order
            assert [op for op in feed if op in set(ids)] == ids
    finally:
        for counter in counters:
            counter.store.close()


def _token(counter: Any) -> str:
    return str(counter.store.one("SELECT token FROM sync_state")["token"])


def _read(server: LiveServer, token: str, **params: int) -> dict[str, Any]:
    reply = get(server.url + protocol.OFFICE_FEED, token, params=params)
    assert reply.status_code == 200, reply.text
    answer: dict[str, Any] = reply.json()
    return answer


def _taken(answer: dict[str, Any]) -> list[tuple[int, str, str]]:
    """(position, device, op id) of every op of the answer, read back and held to its digest."""
    roster = Roster(answer["office"], [(d["device_id"], d["counter"]) for d in answer["devices"]])
    held = feed_encoding.decode(roster, answer["after"], answer)
    for item in held:
        assert not protocol.row_problem(item.op.entity, item.op.row)
    return [(item.pos, item.device_id, item.op.op_id) for item in held]


def test_a_counter_reads_the_other_counters_ops_of_its_office(
    live_server: LiveServer, office_counters: tuple[Any, Any, Any]
) -> None:
    one, two, elsewhere = office_counters
    visit(one)
    first = _sync(one)
    visit(two)
    own = _sync(two)
    visit(elsewhere)
    _sync(elsewhere)
    visit(one, "ນາງ ແກ້ວ")
    second = _sync(one)
    device_one = one.store.office["device_id"]

    answer = _read(live_server, _token(two))
    assert answer["office"] == "VTE-SST"
    assert [(d["device_id"], d["counter"]) for d in answer["devices"]] == [(device_one, 1)]
    taken = _taken(answer)
    assert [op_id for _, _, op_id in taken] == first + second  # never its own, nor LPB's
    assert {device for _, device, _ in taken} == {device_one}
    # Positions as numbered: the first sync's, then past the reader's own, the second's; each
    # push's head took the position after its ops.
    with live_server.engine.connect() as conn:
        numbered = dict(conn.execute(select(office_feed.c.op_id, office_feed.c.pos)).all())
        heads = conn.execute(
            select(ops_heads_table.c.pos, ops_heads_table.c.device_id)
            .where(ops_heads_table.c.office == "VTE-SST")
            .order_by(ops_heads_table.c.pos)
        ).all()
        total = conn.execute(
            select(office_feeds.c.last_pos).where(office_feeds.c.office == "VTE-SST")
        ).scalar_one()
    assert [pos for pos, _, _ in taken] == [numbered[op] for op in first + second]
    assert total == len(first) + len(own) + len(second) + len(heads)
    newest = max(pos for pos, device in heads if device == device_one)
    assert [h["pos"] for h in answer["heads"]] == [newest]
    assert (answer["next"], answer["more"]) == (total, False)
    assert _taken(_read(live_server, _token(two), after=total)) == []

    # Page by page, two positions at a time: the same ops, and `next` moves past its own.
    paged, after, more = [], 0, True
    while more:
        page = _read(live_server, _token(two), after=after, limit=2)
        assert page["next"] == min(after + 2, total)
        paged += _taken(page)
        after, more = page["next"], page["more"]
    assert paged == taken

    # Counter 1 reads counter 2's, and LPB's counter only its own office's, which is its own.
    assert [op for _, _, op in _taken(_read(live_server, _token(one)))] == own
    lone = _read(live_server, _token(elsewhere))
    assert (lone["devices"], lone["tables"], lone["more"]) == ([], {}, False)

    # Brotli to a reader that takes it (requests does, with brotli installed), gzip otherwise:
    # the same page.
    url = live_server.url + protocol.OFFICE_FEED
    encodings = {}
    for accept in ("gzip, br", "gzip", "br;q=0, gzip"):
        reply = get(url, _token(two), headers={"Accept-Encoding": accept})
        assert reply.json() | {"as_of": ""} == answer | {"as_of": ""}
        encodings[accept] = reply.headers["Content-Encoding"]
    assert encodings == {"gzip, br": "br", "gzip": "gzip", "br;q=0, gzip": "gzip"}


def test_bad_reads_of_the_feed_are_refused_and_change_nothing(
    live_server: LiveServer, tmp_path: Path, clock: FakeClock
) -> None:
    counter = enrolled_counter(tmp_path, clock, live_server, "VTE-SST", 1)
    try:
        visit(counter)
        _sync(counter)
        viewer = live_server.viewer_token()  # an account's token, not a counter's
        before = count_rows(live_server.engine)
        url = live_server.url + protocol.OFFICE_FEED
        token = _token(counter)
        for params in ({"after": -1}, {"after": "x"}, {"limit": 0}, {"limit": LIMIT + 1}):
            assert_problem(get(url, token, params=params), 422, "request.invalid")
        assert_problem(get(url, None), 401, "auth.missing")
        assert_problem(get(url, "not-a-token"), 401, "auth.invalid")
        assert_problem(get(url, viewer), 403, "auth.device_only")
        assert count_rows(live_server.engine) == before
    finally:
        counter.store.close()


def test_0016_numbers_the_ops_a_centre_held(server_db_url: str) -> None:
    at_revision(server_db_url, "0015")
    raw = create_engine(server_db_url)
    old = MetaData()
    old_devices = Table("devices", old, autoload_with=raw)
    old_ops = Table("ops", old, autoload_with=raw)
    devices = [("d1", "VTE-SST", 1), ("d2", "VTE-SST", 2), ("d3", "LPB-LPB", 1)]
    # (device, seq, received): d2's first op arrived before d1's second.
    held = [
        ("d1", 1, "2026-12-01T02:00:00.000000Z"),
        ("d1", 2, "2026-12-01T02:05:00.000000Z"),
        ("d2", 1, "2026-12-01T02:01:00.000000Z"),
        ("d3", 1, "2026-12-01T01:00:00.000000Z"),
        ("d2", 2, "2026-12-01T02:05:00.000000Z"),  # the same moment as d1's: by device
    ]
    try:
        with raw.begin() as conn:
            for device_id, office, number in devices:
                conn.execute(
                    insert(old_devices).values(
                        device_id=device_id, office=office, counter=number, high_water=2, ops=2,
                        token_sha256=device_id.encode().ljust(32, b"-"),
                        enrolled_at="2026-12-01T00:00:00.000000Z",
                    )
                )  # fmt: skip
            for device_id, seq, received in held:
                conn.execute(
                    insert(old_ops).values(
                        op_id=f"{device_id}/{seq}", device_id=device_id, seq=seq,
                        entity="closures", kind="closure_recorded", payload="{}",
                        sha256=bytes(32), device_time=received, received_at=received,
                    )
                )  # fmt: skip
    finally:
        raw.dispose()
    engine = open_db(server_db_url)  # upgrades to head
    try:
        feeds = _feed(engine)
    finally:
        engine.dispose()
    assert feeds == {"LPB-LPB": ["d3/1"], "VTE-SST": ["d1/1", "d2/1", "d1/2", "d2/2"]}
