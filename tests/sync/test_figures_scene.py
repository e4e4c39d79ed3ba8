"""A realistic stretch of work at four counters of three offices in two provinces, recorded
through the real counter code, and every figure recomputed from the counters' own stores.

The scene runs from 2026-09-24 to 2026-12-04 (October whole, National Day on 2 December, one
office closed on 16 October): requests of five services with their documents, payments,
status changes through to ready, collected, rejected and withdrawn, requests sent back for
documents, late ones, voids and refunds (some of an earlier day's payment, some by another
clerk), feedback, and drawers closed off their count with a supervisor's approval.

`Facts` reads the counters' stores with plain SQL and computes each figure the way the
README defines it, with the counter's own calendar (odsc_desk.domain.workdays): the centre's
answers are checked against these, not against the centre's own tables.
"""

from __future__ import annotations

import json
import random
import statistics
from collections import Counter as Tally
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from odsc_desk.domain import (
    cash,
    catalog,
    closures,
    feedback,
    payments,
    service_requests,
    users,
    workdays,
)
from odsc_desk.shared import request_history
from odsc_desk.shared.catalog_file import demo_catalog_path
from odsc_desk.shared.clock import local_date, parse_stamp, stamp
from sync.server import hierarchy, reference
from sync.server.db import FEES, REVENUE, writing
from sync.server.figures import cash as cash_figure
from sync.server.figures import (
    fees,
    operations,
    overdue,
    revenue,
    satisfaction,
    timeliness,
    volume,
)
from sync.server.figures.area import Area
from sync.server.figures.errors import FigureRefused
from sync.server.figures.periods import Period, parse_period
from sync.server.figures.registry import FIGURES
from tests.conftest import PASSWORD, Counter, FakeClock, make_counter
from tests.sync.conftest import enroll_counter, outbox_ops, push

START, END = date(2026, 9, 24), date(2026, 12, 4)
CLOSED = date(2026, 10, 16)  # VTE-SST shut for the day (a Friday)
TODAY = date(2026, 12, 7)  # the centre's date when it is asked
NOW = datetime(2026, 12, 7, 3, 0, tzinfo=UTC)  # 10:00 in Vientiane: the centre's clock
COUNTERS = (("VTE-SST", 1), ("VTE-SST", 2), ("VTE-XAY", 1), ("LPB-CHO", 1))
SERVICES = ("MOHA-BIRTH", "MOHA-FAM-BK", "MOIC-ENT-REG", "MPWT-VEH-REG", "MPS-ID-CARD")
MINISTRY = {s: s.split("-")[0] for s in SERVICES}
PROVINCE = {"VTE-SST": "LA-VT", "VTE-XAY": "LA-VT", "LPB-CHO": "LA-LP"}
DISTRICT = {"VTE-SST": "VT-01", "VTE-XAY": None, "LPB-CHO": None}


@dataclass
class Desk:
    """One counter at work: its store, its two clerks and the requests still moving."""

    counter: Counter
    clerks: list[users.Actor]
    rng: random.Random
    moving: dict[str, str] = field(default_factory=dict)  # tracking -> status
    receipts: list[str] = field(default_factory=list)

    @property
    def store(self) -> Any:
        return self.counter.store

    def at(self, day: date, hour: int, minute: int = 0) -> None:
        self.counter.clock.moment = datetime(
            day.year, day.month, day.day, hour - 7, minute, tzinfo=UTC
        )

    def clerk(self) -> users.Actor:
        return self.rng.choice(self.clerks)


def _documents(desk: Desk, service: str) -> list[str]:
    wanted = [d["code"] for d in catalog.get_service(desk.store, service)["documents"]]
    return wanted if desk.rng.random() < 0.8 else wanted[:-1]


def _intake(desk: Desk, day: date) -> None:
    for n in range(desk.rng.randint(2, 4)):
        desk.at(day, 9, 3 * n)
        service = desk.rng.choice(SERVICES)
        clerk = desk.clerk()
        request = service_requests.record_request(
            desk.store,
            clerk,
            service_code=service,
            citizen_name=f"ນາງ ທົດສອບ {desk.rng.randint(1, 999)}",
            documents=_documents(desk, service),
        )
        desk.moving[request["tracking"]] = "received"
        if desk.rng.random() < 0.9:
            paid = payments.record_payment(desk.store, clerk, request["tracking"])
            desk.receipts.append(paid["receipt"])


def _move(desk: Desk, day: date, hour: int) -> None:
    c = desk.counter
    for minute, tracking in enumerate(sorted(desk.moving)):
        desk.at(day, hour, minute % 60)
        status, r = desk.moving[tracking], desk.rng.random()
        clerk = desk.clerk()
        new = None
        if status == "received":
            new = (
                "in_process" if r < 0.45 else "incomplete" if r < 0.55
                else "rejected" if r < 0.58 else "withdrawn" if r < 0.60 else None
            )  # fmt: skip
        elif status == "incomplete":
            new = "in_process" if r < 0.5 else "withdrawn" if r < 0.55 else None
        elif status == "in_process":
            new = "ready" if r < 0.2 else "incomplete" if r < 0.25 else None
        elif status == "ready" and r < 0.5:
            due = service_requests.get_request(c.store, tracking)["balance"]
            if due > 0:
                paid = payments.record_payment(c.store, clerk, tracking)
                desk.receipts.append(paid["receipt"])
            new = "collected"
        if new is None:
            continue
        reason = "ເອກະສານບໍ່ຄົບ" if new in service_requests.NEEDS_REASON else None
        service_requests.change_status(c.store, clerk, tracking, new, reason)
        if new in request_history.CLOSED_STATUSES:
            del desk.moving[tracking]
            if new == "collected" and desk.rng.random() < 0.6:
                feedback.record_feedback(c.store, clerk, tracking, desk.rng.randint(1, 5))
        else:
            desk.moving[tracking] = new


def _undo(desk: Desk, day: date) -> None:
    """Now and then a payment voided or partly refunded, today's or an earlier one's."""
    c = desk.counter
    desk.at(day, 16)
    for receipt in list(desk.receipts[-12:]):
        r = desk.rng.random()
        payment = payments.get_payment(c.store, receipt)
        if payment["voided"] or payment["refunded"]:
            continue
        if r < 0.03:
            payments.void_payment(c.store, desk.clerk(), receipt, "ຜິດບໍລິການ", c.supervisor)
        elif r < 0.06 and payment["amount"] >= 10_000:
            payments.refund_payment(c.store, desk.clerk(), receipt, 5_000, "ເກັບເກີນ", c.supervisor)


def _close(desk: Desk, day: date) -> None:
    c = desk.counter
    desk.at(day, 17)
    session = cash.open_session(c.store)
    expected = cash.expected_cash(c.store, session["id"])
    # A drawer cannot hold less than nothing (a day of refunds expects less than nothing).
    counted = max(0, expected + desk.rng.choice([0] * 7 + [-5_000, 2_000, -1_000, 5_000]))
    difference = counted - expected
    cash.close_cash(
        c.store,
        desk.clerk(),
        counted,
        c.supervisor if difference else None,
        "ນັບຜິດ" if difference else None,
    )


def record(tmp_path: Any) -> list[Desk]:
    """The scene, at every counter; returns the desks with their stores open."""
    desks = []
    for number, (office, counter) in enumerate(COUNTERS):
        clock = FakeClock(datetime(2026, 9, 23, 2, 0, tzinfo=UTC))
        c = make_counter(tmp_path / f"{office}-{counter}", clock, office, counter)
        second = users.add_user(c.store, c.admin, "kham", "clerk", PASSWORD)
        desk = Desk(c, [c.clerk, second], random.Random(100 + number))
        if office == "VTE-SST":
            closures.add_closure(c.store, c.supervisor, CLOSED, "ກອງປະຊຸມ")
        shut = workdays.office_closures(c.store)
        day = START
        while day <= END:
            if workdays.is_working_day(day, shut):
                desk.at(day, 8)
                cash.open_cash(c.store, c.clerk, 0)
                _intake(desk, day)
                _move(desk, day, 10)
                _move(desk, day, 14)
                _undo(desk, day)
                _close(desk, day)
            day += timedelta(days=1)
        desks.append(desk)
    return desks


# -- the figures, recomputed from the counters' stores -----------------------------------------


def _local(at: str) -> date:
    return local_date(parse_stamp(at))


@dataclass
class Fact:
    """One fact as the figures count it: its date, where, for which service and clerk, and
    what it adds."""

    day: date
    office: str
    counter: int
    service: str
    clerk: str | None
    values: dict[str, int]
    days: int | None = None  # working days to ready


def key_of(by: str | None, fact: Fact) -> tuple[Any, ...]:
    if by is None:
        return ()
    return {
        "service": (fact.service,),
        "ministry": (MINISTRY.get(fact.service),),
        "office": (fact.office,),
        "district": (DISTRICT[fact.office],),
        "province": (PROVINCE[fact.office],),
        "counter": (fact.office, fact.counter),
        "clerk": (fact.clerk,),
    }[by]


class Facts:
    """Every counter's facts, read with plain SQL from its own store."""

    def __init__(self, desks: Iterable[Desk], v2_published: str) -> None:
        self.requests: dict[str, dict[str, Any]] = {}
        self.events: list[Fact] = []  # request-side: received, status, feedback
        self.money: list[Fact] = []
        self.fees: list[Fact] = []
        self.closes: list[dict[str, Any]] = []
        self.open: list[dict[str, Any]] = []
        for desk in desks:
            self._read(desk, v2_published)

    def _read(self, desk: Desk, v2_published: str) -> None:
        store = desk.store
        office = store.office["office_code"]
        counter = int(store.office["counter"])
        shut = {date.fromisoformat(d) for (d,) in store.conn.execute("SELECT date FROM closures")}
        requests = {
            r[0]: {
                "id": r[0], "tracking": r[1], "business_date": r[2], "created_at": r[3],
                "created_by": r[4], "service": r[5], "promised_date": r[6], "fee": r[7],
                "office": office, "counter": counter,
            }
            for r in store.conn.execute(
                "SELECT id, tracking, business_date, created_at, created_by, service_code,"
                " promised_date, fee FROM requests"
            )
        }  # fmt: skip
        self.requests.update(requests)

        def fact(day: date, req: dict[str, Any], clerk: str | None, **values: int) -> Fact:
            return Fact(day, office, counter, req["service"], clerk, values)

        for req in requests.values():
            received = date.fromisoformat(req["business_date"])
            self.events.append(fact(received, req, req["created_by"], received=1))
            check = (
                "fee_off_catalog" if req["service"] == "MOHA-BIRTH"
                else "fee_old_version" if req["created_at"] >= v2_published
                else "fee_catalog"
            )  # fmt: skip
            self.fees.append(fact(received, req, None, **{check: 1}))
        for request_id, status, at in store.conn.execute(
            "SELECT request_id, status, at FROM status_events ORDER BY request_id, seq"
        ):
            req, day = requests[request_id], _local(at)
            if status == "ready":
                promised = date.fromisoformat(req["promised_date"])
                took = _working_days(date.fromisoformat(req["business_date"]), day, shut)
                event = fact(day, req, None, ready=1, on_time=int(day <= promised))
                event.days = took
                self.events.append(event)
            elif status == "incomplete":
                self.events.append(fact(day, req, None, returned=1))
            elif status in ("collected", "rejected", "withdrawn"):
                self.events.append(fact(day, req, None, **{status: 1}))
        for request_id, rating, at in store.conn.execute(
            "SELECT request_id, rating, at FROM feedback"
        ):
            req = requests[request_id]
            self.events.append(
                fact(
                    _local(at), req, req["created_by"],
                    feedback=1, rating_sum=rating, **{f"rating_{rating}": 1},
                )
            )  # fmt: skip
        paid = {}
        for pid, request_id, day, amount, by in store.conn.execute(
            "SELECT id, request_id, business_date, amount, by FROM payments"
        ):
            req = requests[request_id]
            paid[pid] = (req, amount, by)
            self.money.append(fact(date.fromisoformat(day), req, by, payments=1, gross=amount))
        for pid, day in store.conn.execute("SELECT payment_id, business_date FROM voids"):
            req, amount, by = paid[pid]
            self.money.append(fact(date.fromisoformat(day), req, by, voids=1, voided=amount))
        for pid, day, amount in store.conn.execute(
            "SELECT payment_id, business_date, amount FROM refunds"
        ):
            req, _, by = paid[pid]
            self.money.append(fact(date.fromisoformat(day), req, by, refunds=1, refunded=amount))
        for day, difference, approved_by in store.conn.execute(
            "SELECT s.business_date, c.difference, c.approved_by"
            " FROM cash_closes c JOIN cash_sessions s ON s.id = c.session_id"
        ):
            self.closes.append(
                {"day": date.fromisoformat(day), "office": office, "counter": counter,
                 "difference": difference, "approved_by": approved_by}
            )  # fmt: skip
        for request_id, promised, status in store.conn.execute(
            "SELECT request_id, promised_date, status FROM request_current WHERE open = 1"
        ):
            req = requests[request_id]
            self.open.append({**req, "promised_date": promised, "status": status, "closures": shut})

    # -- sums per key ----------------------------------------------------------------------

    @staticmethod
    def sums(
        facts: Iterable[Fact], start: date, end: date, by: str | None, names: Iterable[str]
    ) -> dict[tuple[Any, ...], dict[str, int]]:
        wanted = tuple(names)
        out: dict[tuple[Any, ...], dict[str, int]] = {}
        for f in facts:
            if start <= f.day <= end and any(f.values.get(n) for n in wanted):
                into = out.setdefault(key_of(by, f), dict.fromkeys(wanted, 0))
                for n in wanted:
                    into[n] += f.values.get(n, 0)
        return out

    @staticmethod
    def durations(
        facts: Iterable[Fact], start: date, end: date, by: str | None
    ) -> dict[tuple[Any, ...], list[int]]:
        out: dict[tuple[Any, ...], list[int]] = {}
        for f in facts:
            if f.days is not None and start <= f.day <= end:
                out.setdefault(key_of(by, f), []).append(f.days)
        return out

    @staticmethod
    def cash_of(
        closes: Iterable[dict[str, Any]], start: date, end: date, by: str | None
    ) -> dict[tuple[Any, ...], dict]:
        out: dict[tuple[Any, ...], dict] = {}
        for c in closes:
            if not start <= c["day"] <= end:
                continue
            key = key_of(by, Fact(c["day"], c["office"], c["counter"], "", None, {}))
            into = out.setdefault(key, {"differences": [], "closed": 0, "approved": 0})
            into["closed"] += 1
            into["approved"] += c["approved_by"] is not None
            if c["difference"]:
                into["differences"].append(c["difference"])
        return out

    def overdue(self, start: date, end: date) -> list[dict[str, Any]]:
        """Open requests promised within start..end and before TODAY, oldest promised first."""
        found = [
            r
            for r in self.open
            if start.isoformat() <= r["promised_date"] <= end.isoformat()
            and r["promised_date"] < TODAY.isoformat()
        ]
        return sorted(found, key=lambda r: (r["promised_date"], r["id"]))


def _working_days(start: date, end: date, shut: set[date]) -> int:
    """The counter's calendar, day by day: working days after `start` up to `end`."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        count += workdays.is_working_day(day, shut)
    return count


def days_late(r: dict[str, Any]) -> int:
    return _working_days(date.fromisoformat(r["promised_date"]), TODAY, r["closures"])


def quantiles(values: list[int]) -> tuple[float | None, float | None]:
    """Median and 90th percentile by the statistics module (the inclusive method)."""
    if not values:
        return None, None
    if len(values) == 1:
        return float(values[0]), float(values[0])
    return (
        float(statistics.median(values)),
        statistics.quantiles(values, n=10, method="inclusive")[8],
    )


# -- the centre ---------------------------------------------------------------------------------

V2_PUBLISHED = datetime(2026, 10, 15, 3, 0, tzinfo=UTC)  # 10:00 in Vientiane


def _publish(conn: Any, tmp_path: Path, version: int, fees: dict[str, int], when: datetime) -> None:
    data = json.loads(demo_catalog_path().read_text(encoding="utf-8"))
    data["version"] = version
    for service in data["services"]:
        service["fee"] = fees.get(service["code"], service["fee"])
    path = tmp_path / f"catalog-{version}.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    reference.publish(conn, path, when)


@pytest.fixture(scope="module")
def desks(tmp_path_factory):
    found = record(tmp_path_factory.mktemp("scene"))
    yield found
    for desk in found:
        desk.store.close()


@pytest.fixture(scope="module")
def facts(desks):
    return Facts(desks, stamp(V2_PUBLISHED))


@pytest.fixture(scope="module")
def centre(shared_server, desks, tmp_path_factory):
    """The scene synced to a centre that published catalog 1 with another fee for MOHA-BIRTH
    (so those requests are off the catalog) and catalog 2 on 15 October (so requests taken
    under 1 after that are at an old version)."""
    server = shared_server
    sync_scene(server, desks, tmp_path_factory.mktemp("catalogs"))
    return server


def sync_scene(server: Any, desks: Any, folder: Path) -> None:
    """The scene's centre: catalogs 1 and 2, district VT-01 holding VTE-SST, and every
    counter's outbox pushed (the web pages' tests use it too)."""
    with writing(server.engine) as conn:
        _publish(conn, folder, 1, {"MOHA-BIRTH": 12_000}, datetime(2026, 9, 1, tzinfo=UTC))
        _publish(conn, folder, 2, {}, V2_PUBLISHED)
        hierarchy.add_district(conn, "VT-01", "LA-VT", "Sisattanak", "ສີສັດຕະນາກ")
        hierarchy.add_office(conn, "VTE-SST", None, "VT-01", "Sisattanak", "ສີສັດຕະນາກ", NOW)
    server.clock.moment = NOW
    for desk in desks:
        token = enroll_counter(server, desk.counter)
        device_id = desk.store.office["device_id"]
        queued = outbox_ops(desk.counter)
        for start in range(0, len(queued), 700):
            reply = push(server.url, token, device_id, queued[start : start + 700])
            assert reply.status_code == 200, reply.text
            assert not reply.json()["rejected"], reply.text


# -- the figures against the recomputation ------------------------------------------------------

PERIODS = (
    "2026-10", "2026-11", "2026-Q4", "2026-W45", "2026-10-15..2026-11-10", "2026-12-02",
    "2026-09-28", "2026",
)  # fmt: skip
AREAS = (
    Area("nation"),
    Area("province", "LA-VT"),
    Area("district", "VT-01"),
    Area("office", "VTE-XAY"),
    Area("nation", "", "MOHA"),
    Area("province", "LA-LP", "MPWT"),
)
RATINGS = ("feedback", "rating_sum", *(f"rating_{n}" for n in range(1, 6)))


def inside(area: Area, fact: Fact) -> bool:
    where = {
        "nation": True,
        "province": PROVINCE[fact.office] == area.code,
        "district": DISTRICT[fact.office] == area.code,
        "office": fact.office == area.code,
    }[area.place]
    return where and (area.ministry is None or MINISTRY.get(fact.service) == area.ministry)


def expected(
    facts: Iterable[Fact], area: Area, period: Period, by: str | None, names: Iterable[str]
) -> dict[tuple[Any, ...], dict[str, int]]:
    return Facts.sums((f for f in facts if inside(area, f)), period.start, period.end, by, names)


def row_key(by: str | None, row: dict[str, Any]) -> tuple[Any, ...]:
    if by is None:
        return ()
    if by == "counter":
        return (row["office"], row["counter"])
    return (row[by],)


def answered(
    result: dict[str, Any], names: Iterable[str], previous: bool = False
) -> dict[tuple[Any, ...], dict[str, Any]]:
    """The figure's values per row key (the totals' for no breakdown), rows of zeros left out."""
    wanted = tuple(names)
    by = result["by"]
    rows = [result["totals"]] if by is None else result["rows"]
    out = {}
    for row in rows:
        values = row["previous"] if previous else row
        if any(values.get(n) for n in wanted):
            out[row_key(by, row)] = {n: values[n] for n in wanted}
    return out


def cases(figure: str, areas: Iterable[Area] = AREAS) -> Iterable[tuple[str, Area, str | None]]:
    offered = FIGURES[figure]
    for text in PERIODS:
        for area in areas:
            for by in (None, *offered.by):
                if by in offered.clerk_by and (not area.is_office or area.ministry):
                    continue
                yield text, area, by


def test_volume(centre, facts):
    names = volume.COUNTS
    with centre.engine.connect() as conn:
        for text, area, by in cases("volume"):
            period = parse_period(text)
            result = volume.volume(conn, area, period, by)
            assert result["period"]["label"] == text
            assert result["previous"]["label"] == period.previous().label
            case = (text, str(area), by)
            assert answered(result, names) == expected(facts.events, area, period, by, names), case
            assert answered(result, names, previous=True) == expected(
                facts.events, area, period.previous(), by, names
            ), case
            assert {k: result["totals"]["previous"][k] for k in names} == expected(
                facts.events, area, period.previous(), None, names
            ).get((), dict.fromkeys(names, 0)), case


def test_the_scene_is_realistic(facts):
    """Every figure has something to count: otherwise the checks above prove little."""
    october = parse_period("2026-10")
    counts = expected(facts.events, Area("nation"), october, None, volume.COUNTS)[()]
    assert all(counts[n] > 0 for n in volume.COUNTS), counts
    money = expected(facts.money, Area("nation"), october, None, REVENUE)[()]
    assert all(money[n] > 0 for n in REVENUE), money
    late = [f for f in facts.events if f.values.get("ready") and not f.values["on_time"]]
    assert late and any(f.days == 0 for f in facts.events if f.days is not None)
    assert any(c["difference"] for c in facts.closes) and facts.overdue(START, END)


def test_a_range_equals_the_sum_of_its_days(centre):
    period = parse_period("2026-10-15..2026-11-10")
    with centre.engine.connect() as conn:
        whole = volume.volume(conn, Area("nation"), period, "service")
        money = revenue.revenue(conn, Area("nation"), period, "office")
        days: dict[tuple[Any, ...], Tally[str]] = {}
        cash_days: dict[tuple[Any, ...], Tally[str]] = {}
        day = period.start
        while day <= period.end:
            one = parse_period(day.isoformat())
            for key, values in answered(
                volume.volume(conn, Area("nation"), one, "service"), volume.COUNTS
            ).items():
                days.setdefault(key, Tally()).update(values)
            for key, values in answered(
                revenue.revenue(conn, Area("nation"), one, "office"), REVENUE
            ).items():
                cash_days.setdefault(key, Tally()).update(values)
            day += timedelta(days=1)
    assert answered(whole, volume.COUNTS) == {k: dict(v) for k, v in days.items()}
    assert answered(money, REVENUE) == {k: dict(v) for k, v in cash_days.items()}


def test_timeliness(centre, facts):
    names = timeliness.COUNTS
    with centre.engine.connect() as conn:
        for text, area, by in cases("timeliness"):
            period = parse_period(text)
            result = timeliness.timeliness(conn, area, period, by)
            for previous, when in ((False, period), (True, period.previous())):
                case = (text, str(area), by, previous)
                counts = expected(facts.events, area, when, by, names)
                took = Facts.durations(
                    (f for f in facts.events if inside(area, f)), when.start, when.end, by
                )
                assert answered(result, names, previous) == counts, case
                rows = [result["totals"]] if by is None else result["rows"]
                seen = {
                    row_key(by, row): row["previous"] if previous else row
                    for row in rows
                    if (row["previous"] if previous else row)["measured"]
                }
                assert set(seen) == set(took), case
                for key, values in seen.items():
                    median, p90 = quantiles(took[key])
                    assert values["measured"] == len(took[key]), case
                    assert values["median_days"] == median, case
                    assert values["p90_days"] == pytest.approx(p90, abs=1e-9), case
                    ready = counts[key]["ready"]
                    assert values["on_time_rate"] == counts[key]["on_time"] / ready, case


def _revenue(values: dict[str, int]) -> dict[str, Any]:
    return {
        **values,
        "net": values["gross"] - values["voided"] - values["refunded"],
        "void_rate": values["voids"] / values["payments"] if values["payments"] else None,
        "refund_rate": values["refunds"] / values["payments"] if values["payments"] else None,
    }


REVENUE_OUT = (*REVENUE, "net", "void_rate", "refund_rate")


def test_revenue(centre, facts):
    areas = (*AREAS, Area("office", "VTE-SST"))
    with centre.engine.connect() as conn:
        for text, area, by in cases("revenue", areas):
            period = parse_period(text)
            result = revenue.revenue(conn, area, period, by)
            for previous, when in ((False, period), (True, period.previous())):
                want = {
                    k: _revenue(v)
                    for k, v in expected(facts.money, area, when, by, REVENUE).items()
                }
                assert answered(result, REVENUE_OUT, previous) == want, (
                    text, str(area), by, previous,
                )  # fmt: skip


def test_revenue_per_clerk_counts_voids_against_the_payment_s_clerk(centre, facts, desks):
    """A void or refund by another clerk counts against the clerk who took the payment."""
    office = Area("office", "VTE-SST")
    period = parse_period("2026-Q4")
    by_another = sum(
        desk.store.conn.execute(
            f"SELECT count(*) FROM {table} u JOIN payments p ON p.id = u.payment_id"
            " WHERE u.by <> p.by"
        ).fetchone()[0]
        for desk in desks[:2]  # VTE-SST's counters
        for table in ("voids", "refunds")
    )
    assert by_another > 0
    with centre.engine.connect() as conn:
        result = revenue.revenue(conn, office, period, "clerk")
    want = expected(facts.money, office, period, "clerk", REVENUE)
    assert len(want) == 4  # two clerks at each of its two counters
    assert answered(result, REVENUE) == want


@pytest.mark.parametrize("name", ["revenue", "satisfaction"])
@pytest.mark.parametrize(
    "area",
    [Area("nation"), Area("province", "LA-VT"), Area("district", "VT-01")],
)
def test_per_clerk_figures_beyond_one_office_are_refused(centre, name, area):
    with centre.engine.connect() as conn, pytest.raises(FigureRefused) as caught:
        FIGURES[name].function(conn, area, parse_period("2026-10"), "clerk")
    assert (caught.value.status, caught.value.code) == (403, "figures.clerk_scope")


def test_per_clerk_figures_of_a_ministry_are_refused(centre):
    with centre.engine.connect() as conn, pytest.raises(FigureRefused) as caught:
        revenue.revenue(conn, Area("office", "VTE-SST", "MOHA"), parse_period("2026-10"), "clerk")
    assert (caught.value.status, caught.value.code) == (422, "figures.ministry")


def _satisfaction(values: dict[str, int]) -> dict[str, Any]:
    return {
        **values,
        "response_rate": values["feedback"] / values["received"] if values["received"] else None,
        "mean_rating": values["rating_sum"] / values["feedback"] if values["feedback"] else None,
    }


def test_satisfaction(centre, facts):
    names = ("received", *RATINGS)
    areas = (*AREAS, Area("office", "VTE-SST"))
    with centre.engine.connect() as conn:
        for text, area, by in cases("satisfaction", areas):
            period = parse_period(text)
            result = satisfaction.satisfaction(conn, area, period, by)
            for previous, when in ((False, period), (True, period.previous())):
                want = {
                    k: _satisfaction(v)
                    for k, v in expected(facts.events, area, when, by, names).items()
                }
                got = answered(result, (*names, "response_rate", "mean_rating"), previous)
                assert got == want, (text, str(area), by, previous)


def test_fees(centre, facts):
    names = FEES
    with centre.engine.connect() as conn:
        for text, area, by in cases("fees"):
            period = parse_period(text)
            result = fees.fees(conn, area, period, by)
            case = (text, str(area), by)
            for previous, when in ((False, period), (True, period.previous())):
                want = expected(facts.fees, area, when, by, names)
                assert answered(result, names, previous) == want, (*case, previous)
            strays = {
                k: v
                for k, v in expected(facts.fees, area, period, "service", names).items()
                if v["fee_off_catalog"] or v["fee_old_version"]
            }
            listed = {
                (row["service"],): {n: row[n] for n in names}
                for row in result["off_catalog"]
                if row["fee_off_catalog"] or row["fee_old_version"]
            }
            assert listed == strays, case
            versions = result["versions"]
            assert versions["published"] == (2 if period.end >= date(2026, 10, 15) else 1)
            running = {
                (c["office"], c["counter"]): c["catalog_version"] for c in versions["counters"]
            }
            inside_area = {
                (o, n) for o, n in COUNTERS
                if inside(Area(area.place, area.code), Fact(START, o, n, "", None, {}))
            }  # fmt: skip
            assert running == dict.fromkeys(inside_area, 1), case


def test_old_version_and_off_catalog_are_both_seen(facts):
    checks = Tally(k for f in facts.fees for k in f.values)
    assert checks["fee_off_catalog"] and checks["fee_old_version"] and checks["fee_catalog"]


def _cash(closes: list[dict[str, Any]] | dict[str, Any]) -> dict[str, Any]:
    off = closes["differences"]
    return {
        "closed": closes["closed"],
        "differences": len(off),
        "difference_sum": sum(off),
        "largest_difference": max(off, key=lambda v: (abs(v), -v)) if off else 0,
        "approved": closes["approved"],
    }


CASH = ("closed", "differences", "difference_sum", "largest_difference", "approved")


def test_cash(centre, facts):
    areas = [a for a in AREAS if a.ministry is None] + [Area("office", "VTE-SST")]
    with centre.engine.connect() as conn:
        for text, area, by in cases("cash", areas):
            period = parse_period(text)
            result = cash_figure.cash(conn, area, period, by)
            for previous, when in ((False, period), (True, period.previous())):
                closes = [
                    c for c in facts.closes
                    if inside(area, Fact(c["day"], c["office"], c["counter"], "", None, {}))
                ]  # fmt: skip
                want = {
                    k: _cash(v) for k, v in Facts.cash_of(closes, when.start, when.end, by).items()
                }
                assert answered(result, CASH, previous) == want, (text, str(area), by, previous)
            if area.is_office:
                approvers = Tally(
                    c["approved_by"] for c in closes
                    if c["approved_by"] and period.start <= c["day"] <= period.end
                )  # fmt: skip
                assert {a["approved_by"]: a["closed"] for a in result["approvers"]} == approvers
            else:
                assert "approvers" not in result


def test_cash_has_no_ministry(centre):
    with centre.engine.connect() as conn, pytest.raises(FigureRefused) as caught:
        cash_figure.cash(conn, Area("nation", "", "MOHA"), parse_period("2026-10"), None)
    assert (caught.value.status, caught.value.code) == (422, "figures.ministry")


def test_overdue_pages_oldest_promised_first(centre, facts):
    period = parse_period("2026")
    want = facts.overdue(period.start, period.end)
    assert len(want) > 7
    seen, after = [], None
    with centre.engine.connect() as conn:
        while True:
            page = overdue.overdue(
                conn, Area("nation"), period, "office", today=TODAY, after=after, limit=7
            )
            seen.extend(page["overdue"]["items"])
            after = page["overdue"]["next"]
            if after is None:
                break
    assert [i["tracking"] for i in seen] == [r["tracking"] for r in want]
    assert [i["days_late"] for i in seen] == [days_late(r) for r in want]
    assert [i["status"] for i in seen] == [r["status"] for r in want]
    assert all(set(i) == {
        "tracking", "office", "counter", "service", "received_on", "promised_date", "status",
        "days_late", "new_date",
    } for i in seen)  # fmt: skip
    assert [i["new_date"] for i in seen] == [None] * len(want)  # no notice given in this scene
    assert page["totals"]["overdue"] == len(want)
    assert answered(page, ("overdue",)) == {
        (office,): {"overdue": n} for office, n in Tally(r["office"] for r in want).items()
    }


def test_overdue_in_an_area_and_a_period(centre, facts):
    with centre.engine.connect() as conn:
        for text in ("2026-11", "2026-Q4", "2026-W47"):
            period = parse_period(text)
            for area in AREAS:
                result = overdue.overdue(conn, area, period, "service", today=TODAY, limit=500)
                for previous, when in ((False, period), (True, period.previous())):
                    want = [
                        r for r in facts.overdue(when.start, when.end)
                        if inside(area, Fact(START, r["office"], r["counter"], r["service"],
                                             None, {}))
                    ]  # fmt: skip
                    counts = Tally(r["service"] for r in want)
                    assert answered(result, ("overdue",), previous) == {
                        (s,): {"overdue": n} for s, n in counts.items()
                    }, (text, str(area), previous)
                    if not previous:
                        items = [i["tracking"] for i in result["overdue"]["items"]]
                        assert items == [r["tracking"] for r in want]


@pytest.mark.parametrize("cursor", ["", "???", "bm90IGEgY3Vyc29y", "MjAyNi0xMC0wMQ"])
def test_a_cursor_not_given_by_the_list_is_refused(centre, cursor):
    with centre.engine.connect() as conn, pytest.raises(FigureRefused) as caught:
        overdue.overdue(conn, Area("nation"), parse_period("2026"), today=TODAY, after=cursor)
    assert (caught.value.status, caught.value.code) == (422, "figures.cursor")


@pytest.mark.parametrize("limit", [0, -1, 501])
def test_a_page_size_out_of_bounds_is_refused(centre, limit):
    with centre.engine.connect() as conn, pytest.raises(FigureRefused) as caught:
        overdue.overdue(conn, Area("nation"), parse_period("2026"), today=TODAY, limit=limit)
    assert caught.value.code == "figures.limit"


def test_operations_of_the_synced_counters(centre):
    with centre.engine.connect() as conn:
        result = operations.operations(
            conn, Area("province", "LA-VT"), parse_period("2026-12"), "counter"
        )
    assert [(r["office"], r["counter"]) for r in result["rows"]] == list(COUNTERS[:3])
    assert all(r["last_sync"] == stamp(NOW) and r["parked"] == 0 for r in result["rows"])
    assert result["totals"]["counters"] == 3 and result["totals"]["never_synced"] == 0


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_every_figure_answers_in_json(centre, name):
    figure = FIGURES[name]
    area = Area("office", "VTE-SST")
    with centre.engine.connect() as conn:
        for by in (None, *figure.by):
            result = figure.function(conn, area, parse_period("2026-11"), by)
            assert json.loads(json.dumps(result)) == result
            assert result["figure"] == name and result["by"] == by
            assert set(result["totals"]["previous"]) <= set(result["totals"])
