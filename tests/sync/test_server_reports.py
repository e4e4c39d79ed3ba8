"""Reports and `odsc-server stats`: the centre's figures equal the counters' own day totals
(fee_total net of voids and refunds), and a clock far off is flagged."""

import json
import subprocess
from datetime import UTC, date, datetime

import pytest

from odsc_desk.domain import cash, payments
from odsc_desk.queries import daybook
from odsc_desk.shared.clock import stamp
from sync import protocol
from tests.conftest import FakeClock
from tests.sync.conftest import (
    assert_problem,
    enroll_counter,
    get,
    make_office_counter,
    next_day,
    outbox_ops,
    push,
    server_command,
    visit,
)

DAY1, DAY2 = date(2026, 11, 26), date(2026, 11, 27)


def _reports(server, token, path):
    reply = get(f"{server.url}{protocol.REPORTS}{path}", token)
    assert reply.status_code == 200, reply.text
    return reply.json()


def _sync(server, counter, headers=None):
    token = enroll_counter(server, counter)
    device_id = counter.store.office["device_id"]
    reply = push(server.url, token, device_id, outbox_ops(counter), headers=headers)
    assert reply.status_code == 200 and not reply.json()["rejected"], reply.text
    return token


def _counter(tmp_path, office, number=1, clock=None):
    c = make_office_counter(tmp_path / f"{office}-{number}", clock or FakeClock(), office, number)
    cash.open_cash(c.store, c.clerk, 0)
    return c


@pytest.fixture(scope="module")
def offices(shared_server, tmp_path_factory):
    """Three offices in two provinces, with voids and refunds across two business days, on a
    server this module's tests only read."""
    tmp_path = tmp_path_factory.mktemp("offices")
    sst = _counter(tmp_path, "VTE-SST")
    s = sst.store
    first = visit(sst)
    second = visit(sst, service="MOHA-MARR")
    third = visit(sst)
    payments.void_payment(s, sst.clerk, first["receipt"], "wrong service", sst.supervisor)
    payments.refund_payment(s, sst.clerk, second["receipt"], 1000, "overcharged", sst.supervisor)
    next_day(sst)
    fourth = visit(sst)
    visit(sst)
    payments.refund_payment(s, sst.clerk, fourth["receipt"], 500, "partial", sst.supervisor)
    # a payment of the first day voided on the second: it counts on the day of the void
    payments.void_payment(s, sst.clerk, third["receipt"], "duplicate", sst.supervisor)
    xay = _counter(tmp_path, "VTE-XAY")
    visit(xay)
    cho = _counter(tmp_path, "LPB-CHO")
    visit(cho)
    shared_server.clock.advance(days=1)  # the centre hears of it all on the second day
    tokens = {c.store.office["office_code"]: _sync(shared_server, c) for c in (sst, xay, cho)}
    yield {"sst": sst, "tokens": tokens}
    for c in (sst, xay, cho):
        c.store.close()


def test_day_reports_equal_the_counters_own_day_totals(shared_server, offices):
    viewer = shared_server.viewer_token()
    sst = offices["sst"]
    for day in (DAY1, DAY2):
        own = daybook.day_totals(sst.store, day)
        centre = _reports(shared_server, viewer, f"/offices/VTE-SST/days/{day.isoformat()}")
        # Beside the day's figures, the office's counters as they stand now.
        now = _reports(shared_server, viewer, "/offices/VTE-SST")
        kept = ("devices", "last_sync", "clock_skew", "chain_flags")
        assert {k: centre.pop(k) for k in kept} == {k: now[k] for k in kept}
        assert centre == {
            "office": "VTE-SST",
            "date": day.isoformat(),
            "requests": own["requests"],
            "payments": own["payments"]["count"],
            "voids": len(own["voids"]),
            "refunds": len(own["refunds"]),
            "gross": own["totals"]["gross"],
            "voided": own["totals"]["voided"],
            "refunded": own["totals"]["refunded"],
            "fee_total": own["totals"]["net"],
        }
        assert centre["voids"] == 1 and centre["refunds"] == 1  # both days have one of each


def test_office_and_province_totals(shared_server, offices):
    viewer = shared_server.viewer_token()
    sst = offices["sst"]
    net = sum(daybook.day_totals(sst.store, d)["totals"]["net"] for d in (DAY1, DAY2))
    listed = _reports(shared_server, viewer, "/offices")
    assert [r["office"] for r in listed] == ["LPB-CHO", "VTE-SST", "VTE-XAY"]
    mine = _reports(shared_server, viewer, "/offices/VTE-SST")
    assert mine == listed[1]
    assert (mine["devices"], mine["requests"], mine["payments"]) == (1, 5, 5)
    assert mine["fee_total"] == net
    assert mine["fee_total"] == mine["gross"] - mine["voided"] - mine["refunded"]
    assert mine["last_sync"] == "2026-11-27T02:00:00.000000Z"
    assert mine["clock_skew"] == {"devices_flagged": 0, "max_seconds": 0}
    province = _reports(shared_server, viewer, "/provinces/VTE")
    assert (province["province"], province["offices"]) == ("VTE", ["VTE-SST", "VTE-XAY"])
    assert province["last_sync"] == mine["last_sync"]
    xay = listed[2]
    for key in ("devices", "requests", "payments", "gross", "voided", "refunded", "fee_total"):
        assert province[key] == mine[key] + xay[key], key


def test_a_counter_reads_only_its_own_office(shared_server, offices):
    token = offices["tokens"]["VTE-SST"]
    assert [r["office"] for r in _reports(shared_server, token, "/offices")] == ["VTE-SST"]
    assert _reports(shared_server, token, "/offices/VTE-SST")["requests"] == 5
    base = f"{shared_server.url}{protocol.REPORTS}"
    assert_problem(get(f"{base}/offices/VTE-XAY", token), 403, "report.other_office")
    assert_problem(get(f"{base}/offices/VTE-XAY/days/2026-11-26", token), 403)
    assert_problem(get(f"{base}/provinces/VTE", token), 403, "report.viewer_only")


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("/offices/VTE-NONE", 404, "report.office_unknown"),
        ("/offices/VTE-NONE/days/2026-11-26", 404, "report.office_unknown"),
        ("/provinces/XKG", 404, "report.province_unknown"),
        ("/offices/vte-sst", 422, "request.invalid"),
        ("/offices/VTE-SST/days/2026-13-01", 422, "request.invalid"),
        ("/offices/VTE-SST/days/yesterday", 422, "request.invalid"),
        ("/provinces/VTE-SST", 422, "request.invalid"),
        ("/provinces/%27%20OR%201=1", 422, "request.invalid"),
    ],
)
def test_unknown_or_malformed_report_paths(shared_server, offices, path, status, code):
    reply = get(f"{shared_server.url}{protocol.REPORTS}{path}", shared_server.viewer_token())
    assert_problem(reply, status, code)


def test_reports_need_a_token(shared_server, offices):
    reply = get(f"{shared_server.url}{protocol.REPORTS}/offices", None)
    assert_problem(reply, 401, "auth.missing")
    reply = get(f"{shared_server.url}{protocol.REPORTS}/offices", "not-a-token")
    assert_problem(reply, 401, "auth.invalid")


def _stats(db_url, *args):
    done = subprocess.run(
        [*server_command(), "stats", "--db", db_url, "--json", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_stats_command_gives_the_report_figures(shared_server, offices):
    viewer = shared_server.viewer_token()
    assert _stats(shared_server.db_url) == _reports(shared_server, viewer, "/offices")
    assert _stats(shared_server.db_url, "--office", "VTE-SST", "--date", "2026-11-27") == (
        _reports(shared_server, viewer, "/offices/VTE-SST/days/2026-11-27")
    )


def test_a_clock_a_year_ahead_is_stored_and_flagged(live_server, tmp_path):
    ahead = FakeClock(datetime(2027, 11, 26, 2, 0, tzinfo=UTC))
    far = _counter(tmp_path, "VTE-NAX", clock=ahead)
    visit(far)
    honest = _counter(tmp_path, "VTE-HAT")  # three days offline: an old device time is normal
    visit(honest)
    live_server.clock.advance(days=3)
    _sync(live_server, far, headers={protocol.DEVICE_TIME_HEADER: stamp(ahead())})
    _sync(live_server, honest, headers={protocol.DEVICE_TIME_HEADER: stamp(live_server.clock())})
    # Stored as sent: the device's own times, beside the server's receive time.
    far_report = _stats(live_server.db_url, "--office", "VTE-NAX")
    year = 362 * 24 * 3600  # a year ahead, less the three days the server's clock moved
    assert far_report["clock_skew"]["devices_flagged"] == 1
    assert far_report["clock_skew"]["max_seconds"] == year
    assert far_report["requests"] == 1
    honest_report = _reports(live_server, live_server.viewer_token(), "/offices/VTE-HAT")
    assert honest_report["clock_skew"] == {"devices_flagged": 0, "max_seconds": 0}
    far.store.close()
    honest.store.close()


def test_a_wrong_device_clock_header_alone_is_flagged(live_server, sync_counter):
    behind = stamp(datetime(2026, 11, 26, 1, 40, tzinfo=UTC))  # 20 minutes slow
    _sync(live_server, sync_counter, headers={protocol.DEVICE_TIME_HEADER: behind})
    report = _reports(live_server, live_server.viewer_token(), "/offices/VTE-SST")
    assert report["clock_skew"] == {"devices_flagged": 1, "max_seconds": 1200}
