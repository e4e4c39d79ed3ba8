"""/api/v1 on a real server on loopback, fed by real counters through real pushes: each figure
answers what its function answers, statistics add up to the volume figure, records walk page by
page through every request and payment the counters hold, and bad inputs are problem bodies.

The centre built here (`centre`) is shared with test_api_scopes, test_exports and
test_cli_figures: four offices in two provinces over three business days of November 2026 (one
late request given a new date), the centre's clock then moved to 10 December so that some
requests are overdue.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import requests as http

from odsc_desk.domain import cash, feedback, payments, service_requests
from odsc_desk.shared.catalog_file import demo_catalog_path
from odsc_desk.shared.clock import local_date
from sync.server import accounts
from sync.server.db import writing
from sync.server.figures.overdue import overdue
from sync.server.figures.registry import FIGURES, Area, parse_period
from sync.server.statistics import NAMES
from tests.conftest import Counter, FakeClock
from tests.sync.conftest import (
    BACKENDS,
    LiveServer,
    assert_problem,
    centre_database,
    enroll_counter,
    get,
    make_office_counter,
    outbox_ops,
    push,
    running_server,
)

MONTH = "2026-11"
FORMULA_NAME = '=HYPERLINK("http://evil.example","click")'
FORMULA_VILLAGE = "+cmd|' /C calc'!A0"
NEW_DATE = "2026-12-03"  # the late request's (a Thursday, after Lao National Day)
COUNTERS = {
    "VTE-SST-1": ("VTE-SST", 1),
    "VTE-SST-2": ("VTE-SST", 2),
    "VTE-XAY-1": ("VTE-XAY", 1),
    "LPB-CHO-1": ("LPB-CHO", 1),
}
# account name -> (scopes, personal data)
ACCOUNTS: dict[str, tuple[list[str], bool]] = {
    "nation": (["nation"], False),
    "nation-pd": (["nation"], True),
    "vt": (["province:LA-VT"], False),
    "lp": (["province:LA-LP"], False),
    "moic": (["ministry:MOIC"], False),
    "sst": (["office:VTE-SST"], False),
}


@dataclass
class Centre:
    server: LiveServer
    url: str
    counters: dict[str, Counter]
    devices: dict[str, str] = field(default_factory=dict)  # counter key -> device token
    tokens: dict[str, str] = field(default_factory=dict)  # account name -> token

    def get(self, path: str, who: str, **params: Any) -> http.Response:
        token = self.tokens.get(who) or self.devices.get(who) or who or None
        return get(f"{self.url}/api/v1{path}", token, params=params)

    def ok(self, path: str, who: str = "nation", **params: Any) -> Any:
        reply = self.get(path, who, **params)
        assert reply.status_code == 200, reply.text
        return reply.json()

    def today(self) -> Any:
        return local_date(self.server.clock())


def _visit(c: Counter, service: str, name: str, pay: bool = True, **person: str) -> str:
    made = service_requests.record_request(
        c.store, c.clerk, service_code=service, citizen_name=name, **person
    )
    if pay:
        payments.record_payment(c.store, c.clerk, made["tracking"])
    return made["tracking"]


def _status(c: Counter, tracking: str, *statuses: str) -> None:
    for status in statuses:
        reason = "missing papers" if status in ("incomplete", "rejected", "withdrawn") else None
        service_requests.change_status(c.store, c.clerk, tracking, status, reason)


def _close_and_move(counters: dict[str, Counter], clock: FakeClock, days: int) -> None:
    for c in counters.values():
        session = cash.open_session(c.store)
        cash.close_cash(c.store, c.clerk, cash.expected_cash(c.store, session["id"]))
    clock.advance(days=days)
    for c in counters.values():
        cash.open_cash(c.store, c.clerk, 0)


def _record(counters: dict[str, Counter], clock: FakeClock) -> None:
    """Three business days (26, 27 and 30 November) of four offices."""
    sst, sst2 = counters["VTE-SST-1"], counters["VTE-SST-2"]
    xay, cho = counters["VTE-XAY-1"], counters["LPB-CHO-1"]
    first = _visit(
        sst, "MOHA-BIRTH", "ນາງ ນ້ອຍ", phone="020 5555 0001", id_number="ID-0001",
        village="ບ້ານ ໂພນໄຊ",
    )  # fmt: skip
    formula = _visit(
        sst, "MOIC-ENT-REG", FORMULA_NAME, village=FORMULA_VILLAGE, phone="+85620111222"
    )
    returned = _visit(sst, "MOHA-MARR", "@SUM(1+1)")
    opened = [_visit(sst, "MOHA-BIRTH", f"ທ້າວ ຄົນທີ {i}", pay=i % 2 == 0) for i in range(6)]
    by_supervisor = service_requests.record_request(
        sst.store, sst.supervisor, service_code="MPWT-VEH-REG", citizen_name="-minus"
    )["tracking"]
    (receipt,) = sst.store.all(
        "SELECT p.receipt FROM payments p JOIN requests r ON r.id = p.request_id"
        " WHERE r.tracking = ?",
        (formula,),
    )
    payments.void_payment(sst.store, sst.clerk, receipt["receipt"], "wrong", sst.supervisor)
    again = payments.record_payment(sst.store, sst.clerk, formula)
    payments.refund_payment(sst.store, sst.clerk, again["receipt"], 1000, "over", sst.supervisor)
    _status(sst, first, "in_process")
    _status(sst, returned, "incomplete", "in_process")
    _status(sst, by_supervisor, "withdrawn")
    feedback.record_feedback(sst.store, sst.clerk, first, 5)
    feedback.record_feedback(sst.store, sst.clerk, formula, 3)
    for i in range(3):
        _visit(sst2, "MOIC-BIZ-LIC", f"ນາງ ສອງ {i}", pay=i != 1)
    xay_first = _visit(xay, "MOHA-FAM-BK", "ທ້າວ ໄຊ")
    _visit(xay, "MOHA-FAM-BK", "ນາງ ໄຊ", pay=False)
    _status(xay, xay_first, "in_process")
    cho_first = _visit(cho, "MOIC-ENT-REG", "ທ້າວ ຫຼວງ", phone="020 7777 0001")
    _visit(cho, "MONRE-LAND", "ນາງ ຫຼວງ")

    _close_and_move(counters, clock, days=1)  # Friday 27
    _status(sst, first, "ready", "collected")
    _status(sst, returned, "rejected")
    _status(sst, opened[0], "in_process", "ready")
    _status(xay, xay_first, "ready")
    _status(cho, cho_first, "in_process")
    for i in range(3):
        _visit(sst, "MOIC-BIZ-LIC", f"ນາງ ສາມ {i}")
    _visit(cho, "MONRE-LAND", "ທ້າວ ສີ່", pay=False)
    # a drawer 500 short at VTE-SST counter 1, explained and approved
    session = cash.open_session(sst.store)
    expected = cash.expected_cash(sst.store, session["id"])
    cash.close_cash(sst.store, sst.clerk, expected - 500, sst.supervisor, "coins missing")
    cash.open_cash(sst.store, sst.clerk, 0)

    _close_and_move(counters, clock, days=3)  # Monday 30
    _status(cho, cho_first, "ready")
    # promised on Friday 27, still received: late, and the clerk prints its new-date notice
    service_requests.record_new_date(sst.store, sst.clerk, opened[1], date.fromisoformat(NEW_DATE))
    _visit(sst2, "MOIC-ENT-REG", "ນາງ ຫ້າ")
    _visit(xay, "MPS-ID-CARD", "ທ້າວ ຫົກ", pay=False)


def _account(server: LiveServer, name: str, scopes: list[str], personal: bool) -> str:
    with writing(server.engine) as conn:
        _, token = accounts.add_token(
            conn, f"{name} {secrets.token_hex(3)}", "viewer", scopes, server.clock(), personal
        )
    return token


def build_centre(server: LiveServer, folder: Path) -> Centre:
    clock = FakeClock()
    server.clock.moment = clock.moment
    server.publish_catalog(demo_catalog_path())
    counters = {
        key: make_office_counter(folder / key, clock, office, number)
        for key, (office, number) in COUNTERS.items()
    }
    for c in counters.values():
        cash.open_cash(c.store, c.clerk, 0)
    _record(counters, clock)
    centre = Centre(server, server.url, counters)
    server.clock.moment = clock.moment
    for key, c in counters.items():
        token = enroll_counter(server, c)
        reply = push(server.url, token, c.store.office["device_id"], outbox_ops(c))
        assert reply.status_code == 200 and not reply.json()["rejected"], reply.text
        centre.devices[key] = token
    for name, (scopes, personal) in ACCOUNTS.items():
        centre.tokens[name] = _account(server, name, scopes, personal)
    server.clock.moment = datetime(2026, 12, 10, 3, 0, tzinfo=UTC)
    return centre


@pytest.fixture(scope="module", params=BACKENDS)
def centre(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Centre]:
    folder = tmp_path_factory.mktemp("api")
    with centre_database(request.param, folder) as url, running_server(url) as server:
        built = build_centre(server, folder)
        yield built
        for c in built.counters.values():
            c.store.close()


def own_rows(centre: Centre, sql: str) -> list[Any]:
    """Rows of every counter's own store, by plain SQL."""
    return [row for c in centre.counters.values() for row in c.store.all(sql)]


def expected_figure(centre: Centre, name: str, area: Area, by: str | None) -> Any:
    period = parse_period(MONTH)
    with centre.server.engine.connect() as conn:
        if name == "overdue":
            answer = overdue(conn, area, period, by, today=centre.today())
        else:
            answer = FIGURES[name].function(conn, area, period, by)
    return json.loads(json.dumps(answer))


# -- figures ------------------------------------------------------------------------------


AREAS = [
    ({}, Area("nation")),
    ({"province": "LA-VT"}, Area("province", "LA-VT")),
    ({"office": "VTE-SST"}, Area("office", "VTE-SST")),
    ({"ministry": "MOIC"}, Area("nation", ministry="MOIC")),
]


@pytest.mark.parametrize("name", list(FIGURES))
def test_every_figure_answers_what_its_function_answers(centre, name):
    figure = FIGURES[name]
    asked = 0
    for params, area in AREAS:
        if area.ministry is not None and not figure.per_service:
            continue
        for by in (None, *figure.by):
            if by in figure.clerk_by and (not area.is_office or area.ministry):
                continue
            extra = {"by": by} if by else {}
            body = centre.ok(f"/figures/{name}", period=MONTH, **params, **extra)
            assert body == expected_figure(centre, name, area, by), (params, by)
            asked += 1
    assert asked >= 6


def test_the_figures_hold_what_the_counters_recorded(centre):
    """The answers are not empty echoes: they count the counters' own rows."""
    volume = centre.ok("/figures/volume", period=MONTH)
    received = len(own_rows(centre, "SELECT id FROM requests"))
    assert volume["totals"]["received"] == received
    ready = own_rows(centre, "SELECT request_id FROM status_events WHERE status = 'ready'")
    assert volume["totals"]["ready"] == len(ready) == 4
    revenue = centre.ok("/figures/revenue", period=MONTH, office="VTE-SST", by="clerk")
    gross = sum(r["amount"] for r in own_rows(centre, "SELECT amount FROM payments"))
    assert centre.ok("/figures/revenue", period=MONTH)["totals"]["gross"] == gross
    sst, sst2 = centre.counters["VTE-SST-1"], centre.counters["VTE-SST-2"]
    # the supervisor took a request in, and no payment
    clerks = {row["clerk"]: row for row in revenue["rows"]}
    assert set(clerks) == {sst.clerk.id, sst.supervisor.id, sst2.clerk.id}
    assert clerks[sst.supervisor.id]["payments"] == 0
    cash_figure = centre.ok("/figures/cash", period=MONTH, office="VTE-SST")
    assert cash_figure["totals"]["largest_difference"] == -500
    assert "approvers" in cash_figure


def test_the_overdue_list_pages_by_its_cursor(centre):
    first = centre.ok("/figures/overdue", period=MONTH, limit=2)
    expected = expected_figure(centre, "overdue", Area("nation"), None)
    assert first["totals"] == expected["totals"]
    seen = [item["tracking"] for item in first["overdue"]["items"]]
    cursor = first["overdue"]["next"]
    while cursor is not None:
        page = centre.ok("/figures/overdue", period=MONTH, limit=2, cursor=cursor)
        seen += [item["tracking"] for item in page["overdue"]["items"]]
        cursor = page["overdue"]["next"]
    assert len(seen) == len(set(seen)) == expected["totals"]["overdue"] >= 5
    whole = centre.ok("/figures/overdue", period=MONTH, limit=500)
    assert seen == [item["tracking"] for item in whole["overdue"]["items"]]


def test_the_list_of_figures(centre):
    listed = centre.ok("/figures")
    assert [f["name"] for f in listed] == list(FIGURES)
    revenue = next(f for f in listed if f["name"] == "revenue")
    assert "clerk" in revenue["by"] and revenue["clerk_by"] == ["clerk"]


# -- a counter's token ---------------------------------------------------------------------


def test_a_counter_reads_its_own_office_figures_without_clerks(centre):
    area = Area("office", "VTE-SST")
    body = centre.ok("/figures/volume", "VTE-SST-2", period=MONTH, office="VTE-SST", by="service")
    assert body == expected_figure(centre, "volume", area, "service")
    cash_figure = centre.ok("/figures/cash", "VTE-SST-1", period=MONTH, office="VTE-SST")
    expected = expected_figure(centre, "cash", area, None)
    assert expected["approvers"] is not None  # what a device's answer leaves out
    del expected["approvers"], expected["previous_approvers"]
    assert cash_figure == expected
    for params in ({"office": "VTE-XAY"}, {"province": "LA-VT"}, {}):
        reply = centre.get("/figures/volume", "VTE-SST-1", period=MONTH, **params)
        assert_problem(reply, 403, "scope.denied")
    reply = centre.get("/figures/revenue", "VTE-SST-1", period=MONTH, office="VTE-SST", by="clerk")
    assert_problem(reply, 403, "scope.denied")
    reply = centre.get("/records/requests", "VTE-SST-1", period=MONTH, office="VTE-SST")
    assert_problem(reply, 403, "scope.denied")
    own = centre.ok("/statistics", "VTE-SST-1", period=MONTH, office="VTE-SST")
    assert own == centre.ok("/statistics", "nation", period=MONTH, office="VTE-SST")
    reply = centre.get("/statistics", "VTE-SST-1", period=MONTH, province="LA-VT")
    assert_problem(reply, 403, "scope.denied")


# -- statistics ----------------------------------------------------------------------------


def test_statistics_add_up_to_the_volume_figure(centre):
    volume = centre.ok("/figures/volume", period=MONTH, province="LA-VT", by="service")
    daily = centre.ok(
        "/statistics", startDate="2026-11-01", endDate="2026-11-30", province="LA-VT",
        timeframe="day",
    )  # fmt: skip
    assert len(daily) == 30
    assert daily[25]["references"]["startDate"] == daily[25]["references"]["endDate"]
    assert daily[25]["references"]["timeframeDay"] is True
    for theirs, ours in NAMES.items():
        assert sum(entry[theirs] for entry in daily) == volume["totals"][ours], theirs
    whole = centre.ok("/statistics", period=MONTH, province="LA-VT", registrationName="MOHA-BIRTH")
    (row,) = [r for r in volume["rows"] if r["service"] == "MOHA-BIRTH"]
    assert len(whole) == 1
    assert {theirs: whole[0][theirs] for theirs in NAMES} == {
        theirs: row[ours] for theirs, ours in NAMES.items()
    }
    weekly = centre.ok("/statistics", period=MONTH, timeframe="week")
    # 1 November 2026 is a Sunday: its own piece, then four whole ISO weeks and Monday 30th
    assert [e["references"]["startDate"] for e in weekly] == [
        "2026-11-01", "2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23", "2026-11-30",
    ]  # fmt: skip


def test_statistics_per_operator_within_one_office(centre):
    sst = centre.counters["VTE-SST-1"]
    clerk = centre.ok("/statistics", "sst", period=MONTH, office="VTE-SST", operator=sst.clerk.id)[
        0
    ]
    recorded = sst.store.all(
        "SELECT count(*) AS n FROM requests WHERE created_by = ?", (sst.clerk.id,)
    )[0]["n"]
    events = sst.store.all(
        "SELECT status, count(*) AS n FROM status_events WHERE by = ? GROUP BY status",
        (sst.clerk.id,),
    )
    made = {r["status"]: r["n"] for r in events}
    assert clerk["processed"] == recorded
    assert clerk["approved"] == made.get("ready", 0) == 2
    assert clerk["sentBack"] == made.get("incomplete", 0) == 1
    assert clerk["rejected"] == made.get("rejected", 0) == 1
    assert clerk["withdrawn"] == made.get("withdrawn", 0) == 1
    supervisor = centre.ok(
        "/statistics", period=MONTH, office="VTE-SST", operator=sst.supervisor.id
    )[0]
    assert (supervisor["processed"], supervisor["approved"]) == (1, 0)
    reply = centre.get("/statistics", "vt", period=MONTH, province="LA-VT", operator=sst.clerk.id)
    assert_problem(reply, 403, "figures.clerk_scope")


# -- records -------------------------------------------------------------------------------


def _walk(centre: Centre, path: str, who: str, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        extra = {"cursor": cursor} if cursor else {}
        page = centre.ok(path, who, period=MONTH, limit=4, **params, **extra)
        assert len(page["items"]) <= 4
        items += page["items"]
        cursor = page["next"]
        if cursor is None:
            return items


def test_the_requests_walk_meets_every_request_once(centre):
    walked = _walk(centre, "/records/requests", "nation")
    trackings = [item["tracking"] for item in walked]
    own = own_rows(centre, "SELECT tracking FROM requests")
    assert sorted(trackings) == sorted(r["tracking"] for r in own)
    assert len(set(trackings)) == len(trackings) > 4
    # the history is the counter's own, event by event
    sst = centre.counters["VTE-SST-1"]
    for item in walked:
        if item["office"] != "VTE-SST" or item["counter"] != 1:
            continue
        events = sst.store.all(
            "SELECT e.seq, e.status, e.reason, e.at, e.new_date FROM status_events e"
            " JOIN requests r ON r.id = e.request_id WHERE r.tracking = ? ORDER BY e.seq",
            (item["tracking"],),
        )
        assert item["history"] == [dict(e) for e in events]


def late_tracking(centre: Centre) -> str:
    """The request VTE-SST-1 gave a new date, by its counter's own store."""
    (row,) = centre.counters["VTE-SST-1"].store.all(
        "SELECT r.tracking FROM requests r JOIN status_events e ON e.request_id = r.id"
        " WHERE e.new_date IS NOT NULL"
    )
    return str(row["tracking"])


def test_a_late_requests_new_date_is_in_its_record(centre):
    late = late_tracking(centre)
    walked = _walk(centre, "/records/requests", "nation")
    assert {i["tracking"]: i["new_date"] for i in walked if i["new_date"]} == {late: NEW_DATE}
    detail = centre.ok(f"/records/requests/{late}", "nation")
    assert detail["new_date"] == NEW_DATE
    # its one event keeps the status the request had (any other event's new_date is null)
    assert [(e["status"], e["new_date"]) for e in detail["history"]] == [("received", NEW_DATE)]
    document = http.get(f"{centre.url}/openapi.json", timeout=30).json()
    for model in ("StatusEvent", "RequestRecord"):
        assert "new_date" in document["components"]["schemas"][model]["required"], model
    # The overdue list says it too: still overdue against its first promise.
    items = centre.ok("/figures/overdue", period=MONTH, limit=500)["overdue"]["items"]
    assert late in {i["tracking"] for i in items}
    assert {i["tracking"]: i["new_date"] for i in items if i["new_date"]} == {late: NEW_DATE}


def test_the_payments_walk_meets_every_payment_once(centre):
    walked = _walk(centre, "/records/payments", "nation")
    receipts = [item["receipt"] for item in walked]
    own = own_rows(centre, "SELECT receipt FROM payments")
    assert sorted(receipts) == sorted(r["receipt"] for r in own)
    assert len(set(receipts)) == len(receipts)
    voided = [item for item in walked if item["void"] is not None]
    refunded = [item for item in walked if item["refunds"]]
    assert len(voided) == len(refunded) == 1
    assert refunded[0]["refunds"][0]["amount"] == 1000
    assert "by" not in walked[0] and "by" not in voided[0]["void"]


def test_records_filter_by_status_and_service(centre):
    ready = _walk(centre, "/records/requests", "nation", status="ready")
    assert {i["status"] for i in ready} == {"ready"} and len(ready) == 3
    moic = _walk(centre, "/records/payments", "nation", service="MOIC-BIZ-LIC")
    assert moic and {i["service_code"] for i in moic} == {"MOIC-BIZ-LIC"}


def test_one_request_with_its_payments(centre):
    sst = centre.counters["VTE-SST-1"]
    tracking = sst.store.all(
        "SELECT tracking FROM requests WHERE citizen_name = ?", (FORMULA_NAME,)
    )[0]["tracking"]
    detail = centre.ok(f"/records/requests/{tracking}", "nation")
    assert detail["tracking"] == tracking and detail["service_code"] == "MOIC-ENT-REG"
    assert [p["void"] is not None for p in detail["payments"]] == [True, False]
    assert detail["created_by"] == sst.clerk.id  # one request: one office
    assert_problem(centre.get("/records/requests/VTE-SST-1-261126-9999", "nation"), 404,
                   "records.unknown")  # fmt: skip


# -- bad inputs ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "params", "status", "code"),
    [
        ("/figures/speed", {"period": MONTH}, 404, "figures.unknown"),
        ("/figures/volume", {"period": "2026-13"}, 422, "figures.period"),
        ("/figures/volume", {"period": "last month"}, 422, "figures.period"),
        ("/figures/volume", {"period": MONTH, "province": "VTE"}, 422, "figures.area"),
        ("/figures/volume", {"period": MONTH, "office": "vte sst"}, 422, "figures.area"),
        (
            "/figures/volume",
            {"period": MONTH, "province": "LA-VT", "office": "VTE-SST"},
            422,
            "figures.area",
        ),
        ("/figures/volume", {"period": MONTH, "by": "colour"}, 422, "figures.by"),
        ("/figures/revenue", {"period": MONTH, "by": "clerk"}, 403, "figures.clerk_scope"),
        (
            "/figures/revenue",
            {"period": MONTH, "province": "LA-VT", "by": "clerk"},
            403,
            "figures.clerk_scope",
        ),
        ("/figures/cash", {"period": MONTH, "ministry": "MOIC"}, 422, "figures.ministry"),
        ("/figures/volume", {"period": MONTH, "cursor": "abc"}, 422, "figures.cursor"),
        ("/figures/overdue", {"period": MONTH, "cursor": "!!"}, 422, "figures.cursor"),
        ("/figures/volume", {}, 422, "request.invalid"),
        ("/statistics", {}, 422, "figures.period"),
        ("/statistics", {"startDate": "2026-11-01"}, 422, "figures.period"),
        ("/statistics", {"period": "2026", "timeframe": "day", "office": "VTE-SST"}, 200, None),
        ("/statistics", {"period": "2025..2026"}, 422, "figures.period"),
        (
            "/statistics",
            {"startDate": "2025-01-01", "endDate": "2026-12-31", "timeframe": "day"},
            422,
            "statistics.timeframe",
        ),
        ("/records/requests", {"period": MONTH, "cursor": "bm9wZQ"}, 422, "records.cursor"),
        ("/records/requests", {"period": MONTH, "status": "lost"}, 422, "request.invalid"),
        ("/records/payments", {"period": MONTH, "limit": 501}, 422, "request.invalid"),
    ],
)
def test_bad_inputs_are_problem_bodies(centre, path, params, status, code):
    reply = centre.get(path, "nation", **params)
    if status == 200:
        assert reply.status_code == 200, reply.text
        return
    problem = assert_problem(reply, status, code)
    assert problem["detail"]


def test_no_token_or_an_unknown_one_is_401(centre):
    assert_problem(centre.get("/figures/volume", "", period=MONTH), 401, "auth.missing")
    assert_problem(centre.get("/records/requests", "nope", period=MONTH), 401, "auth.invalid")


def test_every_refusal_is_named_in_the_openapi_document(centre):
    document = http.get(f"{centre.url}/openapi.json", timeout=30).json()
    first = centre.ok("/records/requests", period=MONTH, office="VTE-SST", limit=1)
    sst_request = first["items"][0]["tracking"]
    asked = [
        ("/figures/{name}", "/figures/speed", "nation", {"period": MONTH}),
        ("/figures/{name}", "/figures/volume", "nation", {"period": "x"}),
        ("/figures/{name}", "/figures/revenue", "nation", {"period": MONTH, "by": "clerk"}),
        ("/figures/{name}", "/figures/volume", "lp", {"period": MONTH, "office": "VTE-SST"}),
        ("/figures/{name}.csv", "/figures/volume.csv", "nation", {"period": MONTH, "table": "x"}),
        ("/figures/{name}.xlsx", "/figures/speed.xlsx", "nation", {"period": MONTH}),
        ("/statistics", "/statistics", "nation", {"period": "2025-Q4", "timeframe": "x"}),
        ("/statistics", "/statistics", "vt", {"period": MONTH, "operator": "x"}),
        ("/records/requests", "/records/requests", "nation", {"period": MONTH, "cursor": "x"}),
        ("/records/requests.csv", "/records/requests.csv", "VTE-SST-1", {"period": MONTH}),
        ("/records/requests/{tracking}", "/records/requests/X-1", "nation", {}),
        ("/records/requests/{tracking}", f"/records/requests/{sst_request}", "lp", {}),
        ("/records/payments", "/records/payments", "lp", {"period": MONTH}),
        ("/records/payments.xlsx", "/records/payments.xlsx", "nation", {"period": "1999"}),
    ]
    for template, path, who, params in asked:
        reply = centre.get(path, who, **params)
        assert reply.status_code >= 400, (path, reply.text)
        listed = document["paths"][f"/api/v1{template}"]["get"]["responses"]
        assert reply.json()["code"] in listed[str(reply.status_code)]["description"], (
            path,
            reply.json(),
        )
