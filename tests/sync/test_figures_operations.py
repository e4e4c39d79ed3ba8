"""The operations figure: each counter's last sync, clock skew, chain flags and facts parked,
as pushes over HTTP leave them at a real centre."""

from datetime import UTC, datetime

import pytest

from odsc_desk.domain import cash, service_requests
from odsc_desk.shared.clock import stamp
from sync import protocol
from sync.server.anchors import HEAD_HEADER
from sync.server.figures import operations
from sync.server.figures.area import Area
from sync.server.figures.errors import FigureRefused
from sync.server.figures.periods import parse_period
from tests.conftest import FakeClock
from tests.sync.conftest import enroll_counter, make_office_counter, outbox_ops, push, visit

NOVEMBER = parse_period("2026-11")  # the centre's clock is on 26 November


def _counter(tmp_path, office):
    c = make_office_counter(tmp_path / office, FakeClock(), office, 1)
    cash.open_cash(c.store, c.clerk, 0)
    return c


def _push(server, token, c, ops, headers=None):
    reply = push(server.url, token, c.store.office["device_id"], ops, headers=headers)
    assert reply.status_code == 200, reply.text
    return reply.json()


@pytest.fixture
def scene(live_server, tmp_path):
    """VTE-SST: a status event pushed without its request (parked), a clock 20 minutes slow,
    and a chain head shown twice with another link (rewritten). VTE-XAY: a clean push.
    LPB-CHO: enrolled, never synced."""
    sst, xay, cho = (_counter(tmp_path, o) for o in ("VTE-SST", "VTE-XAY", "LPB-CHO"))
    paid = visit(sst)
    service_requests.change_status(sst.store, sst.clerk, paid["tracking"], "in_process")
    token = enroll_counter(live_server, sst)
    ops = outbox_ops(sst)
    # The payment (and its receipt's print) waits with its request, as the centre would park
    # them too: only the status event is sent ahead of what it names.
    held_back = [op for op in ops if op.entity in ("requests", "payments", "receipt_prints")]
    slow = stamp(datetime(2026, 11, 26, 1, 40, tzinfo=UTC))
    first = _push(
        live_server, token, sst, [op for op in ops if op not in held_back],
        {protocol.DEVICE_TIME_HEADER: slow, HEAD_HEADER: "1:" + "a" * 64},
    )  # fmt: skip
    assert len(first["rejected"]) == 1
    _push(live_server, token, sst, held_back, {HEAD_HEADER: "1:" + "b" * 64})
    visit(xay)
    _push(live_server, enroll_counter(live_server, xay), xay, outbox_ops(xay))
    enroll_counter(live_server, cho)
    yield {"server": live_server, "sst": sst, "token": token, "ops": ops}
    for c in (sst, xay, cho):
        c.store.close()


def _rows(server, area, period, by):
    with server.engine.connect() as conn:
        return operations.operations(conn, area, period, by)


def test_each_counter_as_it_stands(scene):
    result = _rows(scene["server"], Area("nation"), NOVEMBER, "counter")
    rows = {(r["office"], r["counter"]): r for r in result["rows"]}
    assert list(rows) == [("LPB-CHO", 1), ("VTE-SST", 1), ("VTE-XAY", 1)]
    sst, xay, cho = rows[("VTE-SST", 1)], rows[("VTE-XAY", 1)], rows[("LPB-CHO", 1)]
    now = stamp(scene["server"].clock())
    assert (sst["parked"], sst["parked_new"], sst["previous"]["parked_new"]) == (1, 1, 0)
    assert (sst["clock_flagged"], sst["max_clock_skew"], sst["chain_flagged"]) == (1, 1200, 1)
    [device] = sst["devices"]
    assert device["chain_status"] == "rewritten"
    assert device["parked_since"] == now and device["last_sync"] == now
    assert (xay["parked"], xay["clock_flagged"], xay["chain_flagged"], xay["never_synced"]) == (
        0, 0, 0, 0,
    )  # fmt: skip
    assert cho["never_synced"] == 1 and cho["last_sync"] is None
    totals = result["totals"]
    assert {k: totals[k] for k in ("counters", "never_synced", "parked", "parked_new")} == {
        "counters": 3, "never_synced": 1, "parked": 1, "parked_new": 1,
    }  # fmt: skip
    assert (totals["clock_flagged"], totals["chain_flagged"]) == (1, 1)
    assert totals["last_sync"] == totals["stalest_sync"] == now


def test_parked_facts_count_in_the_period_they_were_refused(scene):
    server = scene["server"]
    december = _rows(server, Area("nation"), parse_period("2026-12"), None)["totals"]
    assert (december["parked"], december["parked_new"]) == (1, 0)
    assert december["previous"] == {"parked_new": 1}  # November


def test_a_parked_fact_stored_at_last_is_no_longer_parked(scene):
    status = [op for op in scene["ops"] if op.entity == "status_events"]
    reply = _push(scene["server"], scene["token"], scene["sst"], status)
    assert not reply["rejected"]
    totals = _rows(scene["server"], Area("nation"), NOVEMBER, None)["totals"]
    assert (totals["parked"], totals["parked_new"]) == (0, 0)


@pytest.mark.parametrize(
    ("area", "by", "keys", "counters"),
    [
        (Area("province", "LA-VT"), "office", [("VTE-SST",), ("VTE-XAY",)], 2),
        (Area("nation"), "province", [("LA-LP",), ("LA-VT",)], 3),
        (Area("office", "LPB-CHO"), "counter", [("LPB-CHO", 1)], 1),
    ],
)
def test_areas_and_breakdowns(scene, area, by, keys, counters):
    result = _rows(scene["server"], area, NOVEMBER, by)
    named = ("office", "counter") if by == "counter" else (by,)
    assert [tuple(r[k] for k in named) for r in result["rows"]] == keys
    assert result["totals"]["counters"] == counters


def test_province_rows_add_up(scene):
    result = _rows(scene["server"], Area("nation"), NOVEMBER, "province")
    vientiane = next(r for r in result["rows"] if r["province"] == "LA-VT")
    assert (vientiane["counters"], vientiane["parked"], vientiane["clock_flagged"]) == (2, 1, 1)
    assert vientiane["name_en"] and vientiane["name_lo"]


def test_operations_have_no_ministry(scene):
    with scene["server"].engine.connect() as conn, pytest.raises(FigureRefused) as caught:
        operations.operations(conn, Area("nation", "", "MOHA"), NOVEMBER, None)
    assert caught.value.code == "figures.ministry"
