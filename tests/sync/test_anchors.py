"""Anchors outside the counter's file: the centre keeps every audit-chain head a counter shows at
a push, and flags a chain that no longer holds the last one (rewritten, or restored from an older
backup) in the push's reply, in /sync/status, in every report and in `odsc-server stats`.

The heads are the real counter's own links (its audit_log), read as the client sends them.
"""

import hashlib
import sqlite3

import pytest
from sqlalchemy import select

from odsc_desk.domain import cash
from sync import protocol
from sync.server import cli
from sync.server.db import chain_heads
from tests.conftest import FakeClock
from tests.sync.conftest import (
    assert_problem,
    count_rows,
    enroll_counter,
    get,
    make_office_counter,
    outbox_ops,
    push,
    visit,
)

FORGED = hashlib.sha256(b"a link the counter never wrote").hexdigest()


def _head(conn):
    seq, digest = conn.execute(
        "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    return seq, bytes(digest).hex()


def _link(conn, seq):
    row = conn.execute("SELECT hash FROM audit_log WHERE seq = ?", (seq,)).fetchone()
    return f"{seq}:{bytes(row[0]).hex() if row else 'missing'}"


def _chain_headers(conn, anchored_seq=None):
    """The headers a counter sends: its head, and its link at the centre's last head."""
    seq, digest = _head(conn)
    headers = {"X-Chain-Head": f"{seq}:{digest}"}
    if anchored_seq is not None:
        headers["X-Chain-Anchor"] = _link(conn, anchored_seq)
    return headers


def _push_all(server, token, counter, headers):
    """Push the counter's whole outbox (the centre takes a resent op as a duplicate)."""
    reply = push(server.url, token, counter.store.office["device_id"], outbox_ops(counter),
                 headers=headers)  # fmt: skip
    assert reply.status_code == 200, reply.text
    return reply.json()


def _held(engine):
    with engine.connect() as conn:
        query = select(chain_heads.c.seq, chain_heads.c.hash, chain_heads.c.status)
        return [tuple(r) for r in conn.execute(query.order_by(chain_heads.c.id))]


def _report_flags(server):
    viewer = server.viewer_token()
    base = server.url + protocol.REPORTS
    paths = ["/offices", "/offices/VTE-SST", "/offices/VTE-SST/days/2026-11-26", "/provinces/VTE"]
    found = {}
    for path in paths:
        reply = get(base + path, viewer)
        assert reply.status_code == 200, reply.text
        body = reply.json()
        found[path] = (body[0] if isinstance(body, list) else body)["chain_flags"]
    return found


def test_a_chain_that_grows_on_is_ok_and_every_head_is_kept(live_server, sync_counter):
    token = enroll_counter(live_server, sync_counter)
    conn = sync_counter.store.conn
    visit(sync_counter)
    first = _head(conn)
    reply = _push_all(live_server, token, sync_counter, _chain_headers(conn))
    assert reply["anchor"] == {"seq": first[0], "hash": first[1], "status": "ok"}
    status = get(live_server.url + protocol.STATUS, token).json()
    assert status["anchor"] == reply["anchor"]

    visit(sync_counter)
    second = _head(conn)
    reply = _push_all(live_server, token, sync_counter, _chain_headers(conn, first[0]))
    assert reply["anchor"] == {"seq": second[0], "hash": second[1], "status": "ok"}
    # The same head shown again (a resent batch) is the head already held: nothing added.
    again = _push_all(live_server, token, sync_counter, _chain_headers(conn, first[0]))
    assert again["anchor"] == reply["anchor"]
    assert _held(live_server.engine) == [(*first, "ok"), (*second, "ok")]
    assert all(flags == [] for flags in _report_flags(live_server).values())


def test_a_rewritten_chain_is_flagged_and_its_facts_still_stored(live_server, sync_counter, capsys):
    token = enroll_counter(live_server, sync_counter)
    device_id = sync_counter.store.office["device_id"]
    conn = sync_counter.store.conn
    visit(sync_counter)
    first = _head(conn)
    _push_all(live_server, token, sync_counter, _chain_headers(conn))
    visit(sync_counter)
    second = _head(conn)
    # The file was rewritten from before the anchored head on: another link stands at its seq.
    headers = {"X-Chain-Head": f"{second[0]}:{second[1]}", "X-Chain-Anchor": f"{first[0]}:{FORGED}"}
    reply = _push_all(live_server, token, sync_counter, headers)
    assert reply["anchor"] == {"seq": second[0], "hash": second[1], "status": "rewritten"}
    assert reply["stored"] > 0 and reply["rejected"] == []  # a flag, not a refusal
    assert get(live_server.url + protocol.STATUS, token).json()["anchor"]["status"] == "rewritten"

    flag = {"device_id": device_id, "office": "VTE-SST", "counter": 1, "status": "rewritten",
            "seq": second[0], "seen_at": "2026-11-26T02:00:00.000000Z"}  # fmt: skip
    assert all(flags == [flag] for flags in _report_flags(live_server).values())

    # Growing on from the rewrite is "ok" for the new head; the rewrite stays in the reports.
    visit(sync_counter)
    reply = _push_all(live_server, token, sync_counter, _chain_headers(conn, second[0]))
    assert reply["anchor"]["status"] == "ok"
    assert all(flags == [flag] for flags in _report_flags(live_server).values())

    assert cli.main(["stats", "--db", live_server.db_url]) == 0
    out = capsys.readouterr().out
    assert "chain_flags=1" in out
    assert f"CHAIN REWRITTEN: VTE-SST counter 1 ({device_id}) at link {second[0]}" in out


def test_a_counter_restored_from_an_older_backup_is_behind(live_server, sync_counter, tmp_path):
    token = enroll_counter(live_server, sync_counter)
    conn = sync_counter.store.conn
    visit(sync_counter)
    backup = sqlite3.connect(tmp_path / "backup.sqlite3")
    conn.backup(backup)  # the counter's file as it was then
    _push_all(live_server, token, sync_counter, _chain_headers(conn))
    visit(sync_counter)
    anchored = _head(conn)
    _push_all(live_server, token, sync_counter, _chain_headers(conn, _head(backup)[0]))

    # Restored: its chain ends below the centre's last head and holds no link there.
    headers = _chain_headers(backup, anchored[0])
    assert headers["X-Chain-Anchor"] == f"{anchored[0]}:missing"
    reply = push(live_server.url, token, sync_counter.store.office["device_id"], [],
                 headers=headers)  # fmt: skip
    restored = _head(backup)
    assert reply.json()["anchor"] == {"seq": restored[0], "hash": restored[1], "status": "behind"}
    assert [f["status"] for f in _report_flags(live_server)["/offices/VTE-SST"]] == ["behind"]
    backup.close()


@pytest.mark.parametrize(
    ("anchor", "head_step", "status"),
    [
        ("{seq}:{hash}", 3, "ok"),
        ("{seq}:missing", 3, "behind"),  # a head above, but no link where the centre's is
        (None, 3, "behind"),  # no anchor while the centre holds a head: continuity unproven
        ("{other}:{hash}", 3, "behind"),  # an anchor for another seq proves nothing here
        ("{seq}:{hash}", -1, "behind"),  # a head below the last anchored one
        ("{seq}:{hash}", 0, "rewritten"),  # the same seq as the held head, another link
        ("{seq}:" + FORGED, 3, "rewritten"),
    ],
)
def test_each_head_is_judged_against_the_last(shared_server, anchor, head_step, status, tmp_path):
    c = make_office_counter(tmp_path / "c", shared_server.clock, "VTE-SST", head_step + 10)
    token = enroll_counter(shared_server, c)
    device_id = c.store.office["device_id"]
    seq, digest = _head(c.store.conn)
    assert push(shared_server.url, token, device_id, [],
                headers={"X-Chain-Head": f"{seq}:{digest}"}).status_code == 200  # fmt: skip
    headers = {"X-Chain-Head": f"{seq + head_step}:{hashlib.sha256(b'new').hexdigest()}"}
    if anchor is not None:
        headers["X-Chain-Anchor"] = anchor.format(seq=seq, hash=digest, other=seq + 1)
    reply = push(shared_server.url, token, device_id, [], headers=headers)
    assert reply.json()["anchor"]["status"] == status
    c.store.close()


def test_a_released_counter_sends_no_headers_and_nothing_changes(live_server, sync_counter):
    token = enroll_counter(live_server, sync_counter)
    visit(sync_counter)
    reply = _push_all(live_server, token, sync_counter, {})
    assert "anchor" not in reply
    assert get(live_server.url + protocol.STATUS, token).json()["anchor"] is None
    assert _held(live_server.engine) == []


HEAD = "5:" + "ab" * 32


@pytest.fixture(scope="module")
def xay(shared_server, tmp_path_factory):
    """A counter with a fact to push, enrolled once for the refusals below (none stores)."""
    c = make_office_counter(tmp_path_factory.mktemp("xay"), FakeClock(), "VTE-XAY", 1)
    token = enroll_counter(shared_server, c)
    cash.open_cash(c.store, c.clerk, 0)
    visit(c)
    yield c, token
    c.store.close()


@pytest.mark.parametrize(
    "headers",
    [
        {"X-Chain-Head": "five:" + "ab" * 32},
        {"X-Chain-Head": "0:" + "ab" * 32},
        {"X-Chain-Head": "05:" + "ab" * 32},
        {"X-Chain-Head": "-5:" + "ab" * 32},
        {"X-Chain-Head": f"{2**53 + 1}:" + "ab" * 32},
        {"X-Chain-Head": "5:" + "AB" * 32},
        {"X-Chain-Head": "5:" + "ab" * 31},
        {"X-Chain-Head": "5:missing"},
        {"X-Chain-Head": ""},
        {"X-Chain-Head": HEAD + ":" + "ab" * 32},
        {"X-Chain-Anchor": HEAD},
        {"X-Chain-Head": HEAD, "X-Chain-Anchor": "4:gone"},
        {"X-Chain-Head": HEAD, "X-Chain-Anchor": "4"},
    ],
)
def test_a_malformed_chain_header_refuses_the_push_and_stores_nothing(shared_server, xay, headers):
    counter, token = xay
    before = count_rows(shared_server.engine)
    reply = push(shared_server.url, token, counter.store.office["device_id"], outbox_ops(counter),
                 headers=headers)  # fmt: skip
    assert_problem(reply, 400, "anchor.header")
    assert count_rows(shared_server.engine) == before
