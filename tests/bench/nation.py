"""A synthetic nation for the centre's benchmark, and its bulk loader into PostgreSQL.

The nation: `Shape.offices` One-Door-Service Centers over the 18 provinces (office codes under
the prefixes of sync/server/data/provinces.json, VTE-D01 in Vientiane Capital), one per
district, 2-4 counters each, five years of citizens. Each counter's life is played day by day
(`CounterLife`): the drawer opened, requests taken and paid, receipts printed, status changes
over the following working days (in process, ready, collected; some returned for a missing
document, rejected and refunded, voided and withdrawn, late, never collected, stuck and overdue),
feedback at collection, the drawer closed (a few with a difference a supervisor approved), the
office's closures announced ahead. Counters run the catalog versions the centre publishes, most
adopting a new one within days; a few run an old version for months, a locally edited copy or a
draft the centre never published (the uniform-fee figure's cases). Everything is drawn from
seeded generators: the same Shape gives the same ops, byte for byte.

What comes out is what a counter pushes: `sync.protocol.Op`s whose rows have the shape the
counter's services write (tracking and receipt numbers, UUIDv7 ids dated by the history, NFC
text as the counter's cleaners leave it), with op ids, canonical JSON and kinds from the shared
fact registry.

The loader (`load`) writes those ops with PostgreSQL COPY into `ops` and the typed tables (rows
made by `OfficeProjector`, the push path's projection done in memory for one office), then fills
the roll-ups, the `numbers` highs and the devices' rows with GROUP BY in the database.
tests/sync/test_bench_loader_fidelity.py pushes a small nation through the real server and holds
every row the loader writes to what the push path wrote.

`ensure_nation` caches a loaded nation as the PostgreSQL database odsc_bench_nation_<requests>_
<key>, the key a digest of the shape, this file and the schema the migrations build: a change to
any of them loads a new one (and drops the stale one of the same size). The database's comment
holds the load's figures and marks it complete.
"""

from __future__ import annotations

import bisect
import hashlib
import heapq
import json
import math
import multiprocessing
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql
from sqlalchemy import Engine, select
from sqlalchemy.dialects.postgresql.base import PGDialect
from sqlalchemy.schema import CreateTable

from odsc_desk.domain import workdays as counter_calendar
from odsc_desk.shared.canonical import canonical
from odsc_desk.shared.catalog_file import demo_catalog_path
from odsc_desk.shared.clock import VIENTIANE, parse_stamp
from odsc_desk.shared.facts import FACTS, KINDS
from odsc_desk.shared.text import (
    VILLAGE_MAX,
    clean_id_number,
    clean_name,
    clean_optional,
    clean_phone,
    search_key,
)
from sync.protocol import Op
from sync.server import hierarchy, reference
from sync.server.db import (
    FEE_CHECKS,
    TYPED,
    catalogs,
    devices,
    metadata,
    open_db,
    token_hash,
    writing,
)
from sync.server.db import ops as ops_table
from sync.server.figures.workdays import working_days_between
from sync.server.hierarchy import reference_provinces
from tests.bench.people import People
from tests.sync.conftest import PG_HOST, PG_PORT, PG_USER, drop_pg_database

REQUESTS = int(os.environ.get("ODSC_NATION_REQUESTS", "10000000"))
# ODSC_NATION_RAW_OPS=0 leaves the `ops` table (each op's raw JSON, kept for audit) empty: no
# figure, page or public lookup reads it, and it is half the database, so a 10M nation fits a
# disk of 80 GB only without it. Its size per request is measured on a nation that has it.
RAW_OPS = os.environ.get("ODSC_NATION_RAW_OPS", "1") != "0"
FIRST_DAY = date(2021, 12, 1)
LAST_DAY = date(2026, 11, 30)  # five years; the days after it are "today" for the figures
SEED = 20261203
CAPITAL = "LA-VT"

# -- time: local microseconds ------------------------------------------------------------------
# A moment is an int: microseconds since local midnight of day 1 (date.toordinal). Vientiane has
# kept UTC+7 all year since 1975, so turning one into the counter's UTC stamp is arithmetic; this
# is checked against the zone database below, once.
SECOND = 1_000_000
MINUTE = 60 * SECOND
HOUR = 60 * MINUTE
DAY = 24 * HOUR
_UTC_OFFSET = 7 * HOUR
_UNIX_DAY = date(1970, 1, 1).toordinal()
assert all(
    datetime(y, m, 1, tzinfo=VIENTIANE).utcoffset() == timedelta(hours=7)
    for y in range(FIRST_DAY.year, LAST_DAY.year + 1)
    for m in (1, 7)
)


def at(day: int, hours: float) -> int:
    """`hours` after local midnight of the day with ordinal `day`."""
    return day * DAY + round(hours * HOUR)


@lru_cache(maxsize=8192)
def _iso(day: int) -> str:
    return date.fromordinal(day).isoformat()


def iso_day(moment: int) -> str:
    """The local date of a moment, YYYY-MM-DD."""
    return _iso(moment // DAY)


def stamp(moment: int) -> str:
    """The counter's UTC stamp of a moment (odsc_desk.shared.clock.stamp)."""
    day, rest = divmod(moment - _UTC_OFFSET, DAY)
    seconds, micros = divmod(rest, SECOND)
    hours, seconds = divmod(seconds, 3600)
    minutes, seconds = divmod(seconds, 60)
    return f"{_iso(day)}T{hours:02d}:{minutes:02d}:{seconds:02d}.{micros:06d}Z"


def uuid7(moment: int, rng: random.Random) -> str:
    """odsc_desk.shared.ids.new_id at `moment`, its random bits from `rng`."""
    millis = (moment - _UTC_OFFSET - _UNIX_DAY * DAY) // 1000
    value = (millis & ((1 << 48) - 1)) << 80 | rng.getrandbits(80)
    value = (value & ~(0xF << 76)) | (0x7 << 76)
    value = (value & ~(0x3 << 62)) | (0x2 << 62)
    h = f"{value:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


# -- the shape of a nation ---------------------------------------------------------------------
@dataclass(frozen=True)
class Fates:
    """How requests, drawers and counters end up, as shares. The defaults: a plausible nation;
    the fidelity test raises them so a small nation holds every case."""

    voided: float = 0.003  # wrong service keyed in: payment voided, request withdrawn
    rejected: float = 0.005  # refused by the ministry: rejected, fee refunded
    incomplete: float = 0.03  # returned for a missing document, resumed days later
    stuck: float = 0.0005  # lost in the back office: open and overdue for ever
    late: float = 0.06  # ready 1-5 working days after the promised date
    early: float = 0.08  # ready 1-2 working days before it
    never_collected: float = 0.03
    transfer: float = 0.15  # paid by bank transfer rather than cash
    feedback: float = 0.22  # of those collected: about a fifth of all requests
    reprint: float = 0.02  # a copy of the receipt printed at collection
    cash_difference: float = 0.02  # drawers closed off the expected cash
    late_adopter: float = 0.08  # counters that keep an old catalog version for months
    off_catalog: float = 0.03  # counters that run a locally edited catalog copy for a while
    draft_catalog: float = 0.02  # counters that run a draft version the centre never published
    closures_per_year: float = 2.0  # days an office closes, announced 45-90 days ahead


@dataclass(frozen=True)
class Shape:
    """What to generate: about `requests` requests over `offices` offices from `first` to
    `last`."""

    requests: int = REQUESTS
    offices: int = 150
    first: date = FIRST_DAY
    last: date = LAST_DAY
    seed: int = SEED
    fates: Fates = field(default_factory=Fates)
    raw_ops: bool = RAW_OPS  # whether `ops` is filled (see RAW_OPS)

    @property
    def span_days(self) -> int:
        return (self.last - self.first).days + 1


# -- the catalog the centre publishes ----------------------------------------------------------
@dataclass(frozen=True)
class CatalogCopy:
    """The catalog a counter runs: its version number and the fee of each service."""

    version: int
    fees: Mapping[str, int]


@dataclass(frozen=True)
class PublishedCatalog:
    copy: CatalogCopy
    published: int  # moment
    data: dict[str, Any]  # the catalog file, as reference.publish reads it


@dataclass(frozen=True)
class Service:
    code: str
    days: int
    documents: tuple[str, ...]


DRAFT_VERSION = 90  # a draft is numbered 90 + the version it was made from: never published


def _demo_catalog() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(demo_catalog_path().read_text(encoding="utf-8"))
    return data


def services() -> dict[str, Service]:
    return {
        s["code"]: Service(s["code"], s["days"], tuple(s["documents"]))
        for s in _demo_catalog()["services"]
    }


def published_catalogs(shape: Shape) -> list[PublishedCatalog]:
    """Version 1 (the demo catalog) a month before the history, then two revisions of some fees
    at 40% and 80% of it."""
    demo = _demo_catalog()
    raises: tuple[dict[str, int], ...] = (
        {},
        {"MPS-ID-CARD": 35_000, "MOHA-FAM-BK": 25_000, "MPWT-VEH-REG": 90_000},
        {"MPS-ID-CARD": 40_000, "MOIC-ENT-REG": 175_000, "MONRE-LAND": 300_000},
    )
    published = []
    fees = {s["code"]: s["fee"] for s in demo["services"]}
    for n, changes in enumerate(raises):
        fees = {**fees, **changes}
        day = shape.first.toordinal() - 30 if n == 0 else _fraction(shape, 0.4 * n)
        data = {
            **demo,
            "version": n + 1,
            "label": f"{demo['label']} — revision {n + 1}" if n else demo["label"],
            "services": [{**s, "fee": fees[s["code"]]} for s in demo["services"]],
        }
        published.append(PublishedCatalog(CatalogCopy(n + 1, dict(fees)), at(day, 15), data))
    return published


def _fraction(shape: Shape, share: float) -> int:
    """The day `share` of the way through the history."""
    return shape.first.toordinal() + int(share * (shape.span_days - 1))


def publish_catalogs(engine: Engine, catalogs: list[PublishedCatalog]) -> None:
    """Publish through reference.publish (the admin's `odsc-server publish`), at their dates."""
    with tempfile.TemporaryDirectory() as folder:
        for catalog in catalogs:
            path = Path(folder) / f"catalog-{catalog.copy.version}.json"
            path.write_text(json.dumps(catalog.data, ensure_ascii=False), encoding="utf-8")
            moment = parse_stamp(stamp(catalog.published))
            with writing(engine) as conn:
                reference.publish(conn, path, moment)


# -- offices, counters, staff --------------------------------------------------------------------
@dataclass(frozen=True)
class Closure:
    day: int  # ordinal
    announced: int  # moment: when counter 1's supervisor wrote it
    reason: str


@dataclass(frozen=True)
class Staff:
    clerks: tuple[str, ...]
    supervisor: str


@dataclass(frozen=True)
class CounterPlan:
    office: OfficePlan
    number: int
    device_id: str
    staff: Staff
    catalogs: tuple[tuple[int, CatalogCopy], ...]  # (from moment, copy), in time order
    catalog_starts: tuple[int, ...]  # the moments of `catalogs`, for bisect
    share: float  # of the nation's requests
    float_amount: int
    seed: int

    @property
    def prefix(self) -> str:
        return f"{self.office.code}-{self.number}-"

    def catalog_at(self, moment: int) -> CatalogCopy:
        index = bisect.bisect_right(self.catalog_starts, moment) - 1
        return self.catalogs[max(index, 0)][1]


@dataclass
class OfficePlan:
    code: str
    province: str
    district: str
    district_number: int
    closures: tuple[Closure, ...]
    counters: list[CounterPlan] = field(default_factory=list)

    @property
    def closed_days(self) -> frozenset[int]:
        return frozenset(c.day for c in self.closures)


CLOSURE_NOTICE = (45, 90)  # days between a closure's announcement and the day itself
CLOSURE_REASONS = (
    "ຝຶກອົບຮົມພະນັກງານ",  # staff training
    "ກອງປະຊຸມປະຈຳປີຂອງເມືອງ",  # the district's annual meeting
    "ສ້ອມແປງຫ້ອງການ",  # office repairs
    "ກວດກາລະບົບໄຟຟ້າ",  # electrical inspection
)


def _device_seed(shape: Shape, office: str, counter: int) -> int:
    digest = hashlib.sha256(f"{shape.seed}/{office}/{counter}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


class Calendar:
    """Working days by the counter's own rule (odsc_desk/domain/workdays.py), looked up fast."""

    def __init__(self, first: date, last: date) -> None:
        self.working = frozenset(
            d
            for d in range(first.toordinal() - 400, last.toordinal() + 400)
            if counter_calendar.is_working_day(date.fromordinal(d), set())
        )

    def is_open(self, day: int, closed: frozenset[int]) -> bool:
        return day in self.working and day not in closed

    def add(self, day: int, count: int, closed: frozenset[int]) -> int:
        """`count` working days after `day` (add_working_days)."""
        while count > 0:
            day += 1
            if day in self.working and day not in closed:
                count -= 1
        return day

    def next_open(self, day: int, closed: frozenset[int]) -> int:
        while not self.is_open(day, closed):
            day += 1
        return day


class Nation:
    """The plan of a nation: its offices, counters, staff, catalogs and closures."""

    def __init__(self, shape: Shape) -> None:
        self.shape = shape
        self.calendar = Calendar(shape.first, shape.last)
        self.services = services()
        self.catalogs = published_catalogs(shape)
        rng = random.Random(shape.seed)
        self.offices = self._offices(rng)
        weights: list[tuple[OfficePlan, int, float]] = []
        for office in self.offices:
            busy = rng.lognormvariate(0.0, 0.45) * (1.6 if office.province == CAPITAL else 1.0)
            for number in range(1, rng.randint(2, 4) + 1):
                weights.append((office, number, busy))
        total = sum(w for _, _, w in weights)
        for office, number, busy in weights:
            office.counters.append(self._counter(office, number, busy / total))
        self.workload = self._workload()

    @property
    def counters(self) -> list[CounterPlan]:
        return [c for office in self.offices for c in office.counters]

    def _offices(self, rng: random.Random) -> list[OfficePlan]:
        provinces = reference_provinces()
        # The capital first and with the most centres, then the provinces in turn.
        order = sorted(provinces, key=lambda p: (p.code != CAPITAL, p.code))
        capital_share = max(1, round(self.shape.offices * 0.13))
        placed: list[str] = []
        others = [p.code for p in order[1:]]
        placed += [CAPITAL] * min(capital_share, self.shape.offices)
        n = 0
        while len(placed) < self.shape.offices:
            placed.append(others[n % len(others)])
            n += 1
        by_code = {p.code: p for p in provinces}
        offices = []
        numbering: dict[str, int] = {}
        for province in placed:
            number = numbering[province] = numbering.get(province, 0) + 1
            prefix = by_code[province].prefixes[1]  # the three-letter one: VTE, LPB, SVK
            code = f"{prefix}-D{number:02d}"
            offices.append(
                OfficePlan(
                    code,
                    province,
                    f"{province.removeprefix('LA-')}-{number:02d}",
                    number,
                    self._closures(rng),
                )
            )
        return offices

    def _closures(self, rng: random.Random) -> tuple[Closure, ...]:
        count = round(self.shape.fates.closures_per_year * self.shape.span_days / 365.25)
        first, last = self.shape.first.toordinal(), self.shape.last.toordinal()
        chosen: dict[int, Closure] = {}
        for _ in range(count):
            day = rng.randint(first + CLOSURE_NOTICE[0] + 5, last)
            if day not in self.calendar.working:
                continue
            # Announced on a working afternoon 45-90 days before (within the history): every
            # request whose promised date or working days it could change is taken, or made
            # ready, after that.
            announced = day - rng.randint(CLOSURE_NOTICE[0], min(CLOSURE_NOTICE[1], day - first))
            while announced not in self.calendar.working:
                announced -= 1
            if announced < first:
                continue
            moment = at(announced, rng.uniform(14.0, 15.5))
            chosen[day] = Closure(day, moment, rng.choice(CLOSURE_REASONS))
        return tuple(sorted(chosen.values(), key=lambda c: c.announced))

    def _counter(self, office: OfficePlan, number: int, share: float) -> CounterPlan:
        seed = _device_seed(self.shape, office.code, number)
        rng = random.Random(seed)
        enrolled = at(self.shape.first.toordinal() - 1, 9)
        staff = Staff(
            tuple(uuid7(enrolled, rng) for _ in range(rng.randint(2, 4))), uuid7(enrolled, rng)
        )
        timeline = self._catalog_timeline(rng)
        return CounterPlan(
            office=office,
            number=number,
            device_id=uuid7(enrolled, rng),
            staff=staff,
            catalogs=timeline,
            catalog_starts=tuple(start for start, _ in timeline),
            share=share,
            float_amount=rng.choice((0, 200_000, 500_000, 1_000_000)),
            seed=seed,
        )

    def _catalog_timeline(self, rng: random.Random) -> tuple[tuple[int, CatalogCopy], ...]:
        """When the counter switched to each catalog it ran."""
        fates, span = self.shape.fates, self.shape.span_days
        start = at(self.shape.first.toordinal() - 1, 9)
        base: list[tuple[int, CatalogCopy]] = [(start, self.catalogs[0].copy)]
        late = rng.random() < fates.late_adopter
        for catalog in self.catalogs[1:]:
            lag = rng.uniform(0.15, 0.35) * span if late else min(rng.expovariate(1 / 3), 20)
            base.append((catalog.published + round(lag * DAY), catalog.copy))
        episodes: list[tuple[int, int, CatalogCopy]] = []  # (from, to, the odd copy run)
        for share, kind in ((fates.off_catalog, "off"), (fates.draft_catalog, "draft")):
            if rng.random() >= share:
                continue
            begin = start + round(rng.uniform(0.05, 0.8) * span * DAY)
            end = begin + round(rng.uniform(0.05, 0.15) * span * DAY)
            episodes.append((begin, end, self._odd_copy(kind, rng, _copy_at(base, begin))))
        points = sorted({t for t, _ in base} | {t for b, e, _ in episodes for t in (b, e)})
        timeline: list[tuple[int, CatalogCopy]] = []
        for t in points:
            copy = next((c for b, e, c in episodes if b <= t < e), None) or _copy_at(base, t)
            if not timeline or timeline[-1][1] != copy:
                timeline.append((t, copy))
        return tuple(timeline)

    def _odd_copy(self, kind: str, rng: random.Random, current: CatalogCopy) -> CatalogCopy:
        if kind == "draft":
            return CatalogCopy(DRAFT_VERSION + current.version, current.fees)
        code = rng.choice(sorted(current.fees))
        fees = {**current.fees, code: current.fees[code] + rng.choice((-5_000, 5_000, 10_000))}
        return CatalogCopy(current.version, fees)

    def _workload(self) -> dict[int, float]:
        """Each working day's share of the history's requests: growing over the years (0.7 to
        1.3), Mondays a quarter busier."""
        first, last = self.shape.first.toordinal(), self.shape.last.toordinal()
        weights = {
            day: (0.7 + 0.6 * (day - first) / max(last - first, 1))
            * (1.25 if date.fromordinal(day).weekday() == 0 else 1.0)
            for day in range(first, last + 1)
            if day in self.calendar.working
        }
        total = sum(weights.values())
        return {day: w / total for day, w in weights.items()}

    def ops(self, counter: CounterPlan) -> Iterator[Op]:
        """Everything `counter` wrote over the history, in its own order (seq)."""
        return CounterLife(self, counter).play()


@lru_cache(maxsize=65536)
def _cleaned_name(typed: str) -> tuple[str, str]:
    """The name as the counter keeps it, and its search key (names repeat: done once each)."""
    name = clean_name(typed)
    return name, search_key(name)


def _poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw: a day's visitors at a counter."""
    if mean > 30:
        return max(0, round(rng.gauss(mean, mean**0.5)))
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def _copy_at(timeline: list[tuple[int, CatalogCopy]], moment: int) -> CatalogCopy:
    return [c for t, c in timeline if t <= moment][-1]


# -- one counter's life ------------------------------------------------------------------------
WITHDRAW_REASON = "ຜູ້ຍື່ນຂໍຖອນຄຳຮ້ອງ ຍ້ອນເລືອກບໍລິການຜິດ"
VOID_REASON = "ບັນທຶກບໍລິການຜິດ"
REFUND_REASON = "ຄືນຄ່າທຳນຽມ ເນື່ອງຈາກຄຳຮ້ອງຖືກປະຕິເສດ"
INCOMPLETE_REASON = "ຂາດເອກະສານ"
REJECT_REASONS = (
    "ເອກະສານບໍ່ຖືກຕ້ອງຕາມລະບຽບການ",
    "ທີ່ດິນຢູ່ໃນເຂດຫວງຫ້າມ",
    "ຊື່ວິສາຫະກິດຊໍ້າກັບທີ່ມີແລ້ວ",
    "ຂໍ້ມູນໃນຄຳຮ້ອງບໍ່ກົງກັບປຶ້ມສຳມະໂນຄົວ",
)
DIFFERENCE_REASON = "ນັບເງິນຜິດ"
COMMENTS = (
    "ບໍລິການດີ ວ່ອງໄວ",
    "ລໍຖ້າດົນເກີນໄປ",
    "ພະນັກງານອະທິບາຍຊັດເຈນ",
    "ຢາກໃຫ້ມີບ່ອນນັ່ງຫຼາຍກວ່ານີ້",
    "Fast and friendly service",
)
RATINGS = (1, 2, 3, 4, 5)
RATING_WEIGHTS = (3, 5, 12, 35, 45)

# Event kinds, in a plain int so the heap compares tuples of ints.
(_OPEN, _INTAKE, _PAY, _PRINT, _STATUS, _VOID, _REFUND, _FEEDBACK, _CLOSE, _CLOSURE) = range(10)


@dataclass(slots=True)
class Dossier:
    """One request as its counter follows it."""

    request_id: str
    business_day: int
    service: Service
    fee: int
    promised: int  # ordinal
    fate: str
    method: str
    missing: str | None
    payment_id: str = ""
    status_seq: int = 0


@dataclass(slots=True)
class Session:
    id: str
    business_date: str
    expected: int


class CounterLife:
    """Plays one counter's history, day by day, into the ops it writes."""

    def __init__(self, nation: Nation, plan: CounterPlan) -> None:
        self.nation = nation
        self.plan = plan
        self.fates = nation.shape.fates
        self.calendar = nation.calendar
        self.closures = plan.office.closures
        self.closed = plan.office.closed_days
        self.rng = random.Random(plan.seed)
        self.ids = random.Random(plan.seed + 1)
        self.people = People(random.Random(plan.seed + 2))
        self.queue: list[tuple[int, int, int, Any]] = []
        self.order = 0
        self.seq = 0
        self.out: list[Op] = []
        self.session: Session | None = None
        self.daily = 0
        self.receipts: dict[int, int] = {}
        self.payments: dict[str, tuple[int, str]] = {}  # id -> (amount, method)

    # -- the driver ----------------------------------------------------------------------------
    def play(self) -> Iterator[Op]:
        first, last = self.nation.shape.first.toordinal(), self.nation.shape.last.toordinal()
        if self.plan.number == 1:
            for closure in self.closures:
                self._at(closure.announced, _CLOSURE, closure)
        for day in range(first, last + 1):
            self.daily = 0
            if self.calendar.is_open(day, self.closed):
                self._plan_day(day)
            self._play_until((day + 1) * DAY)
            yield from self.out
            self.out.clear()
        # What is still queued lies after the history: those requests stay as they are.

    def _at(self, moment: int, kind: int, payload: Any) -> None:
        self.order += 1
        heapq.heappush(self.queue, (moment, self.order, kind, payload))

    def _play_until(self, limit: int) -> None:
        while self.queue and self.queue[0][0] < limit:
            moment, _, kind, payload = heapq.heappop(self.queue)
            day = moment // DAY
            if kind != _CLOSURE and not self.calendar.is_open(day, self.closed):
                # The office did not open that day (a closure announced after this was planned):
                # the same work, the next day it is open, at the same hour.
                later = self.calendar.next_open(day, self.closed)
                self._at(moment + (later - day) * DAY, kind, payload)
                continue
            self._act(moment, kind, payload)

    def _act(self, moment: int, kind: int, payload: Any) -> None:
        if kind == _INTAKE:
            self._intake(moment)
        elif kind == _PAY:
            self._pay(moment, payload)
        elif kind == _PRINT:
            self._print(moment, *payload)
        elif kind == _STATUS:
            self._status(moment, *payload)
        elif kind == _VOID:
            self._void(moment, payload)
        elif kind == _REFUND:
            self._refund(moment, payload)
        elif kind == _FEEDBACK:
            self._feedback(moment, payload)
        elif kind == _OPEN:
            self._open(moment)
        elif kind == _CLOSE:
            self._close(moment)
        else:
            self._closure(moment, payload)

    def _write(self, entity: str, row: dict[str, Any]) -> None:
        self.seq += 1
        self.out.append(Op(self.seq, entity, row))

    def _id(self, moment: int) -> str:
        return uuid7(moment, self.ids)

    def _clerk(self, moment: int) -> str:
        # One clerk keeps the counter for a week at a time.
        clerks = self.plan.staff.clerks
        return clerks[(moment // DAY // 7) % len(clerks)]

    def _after(self, moment: int, low_s: float, high_s: float) -> int:
        return moment + round(self.rng.uniform(low_s, high_s) * SECOND)

    def _on(self, day: int, low_h: float, high_h: float) -> int:
        return at(day, self.rng.uniform(low_h, high_h))

    def _add(self, day: int, working: int) -> int:
        return self.calendar.add(day, working, self.closed)

    # -- a day ----------------------------------------------------------------------------------
    def _plan_day(self, day: int) -> None:
        mean = self.nation.shape.requests * self.plan.share * self.nation.workload[day]
        count = _poisson(self.rng, mean)
        if count == 0:
            return  # nobody came: the drawer stays shut unless a refund needs it
        self._at(at(day, 7 + 55 / 60), _OPEN, None)
        for hours in sorted(self.rng.uniform(8, 16) for _ in range(count)):
            self._at(at(day, hours), _INTAKE, None)

    def _open(self, moment: int) -> None:
        session = Session(self._id(moment), iso_day(moment), self.plan.float_amount)
        self.session = session
        self._write(
            "cash_sessions",
            {
                "id": session.id,
                "business_date": session.business_date,
                "opened_at": stamp(moment),
                "opened_by": self._clerk(moment),
                "float_amount": self.plan.float_amount,
            },
        )
        # After every payment, void and refund of the day (those end by 16:30).
        self._at(at(moment // DAY, 16.75), _CLOSE, None)

    def _drawer(self, moment: int) -> Session:
        """The open drawer; on a day nobody came, opened for the refund that needs it."""
        if self.session is None:
            self._open(moment - 30 * SECOND)
        assert self.session is not None
        return self.session

    def _close(self, moment: int) -> None:
        session = self.session
        assert session is not None
        difference = 0
        if self.rng.random() < self.fates.cash_difference:
            difference = self.rng.choice((-1, 1)) * 1_000 * self.rng.randint(1, 20)
        counted = max(0, session.expected + difference)
        difference = counted - session.expected
        self._write(
            "cash_closes",
            {
                "id": self._id(moment),
                "session_id": session.id,
                "closed_at": stamp(moment),
                "closed_by": self._clerk(moment),
                "counted": counted,
                "expected": session.expected,
                "difference": difference,
                # The counter's default limit is 0 kip: any difference needs a supervisor.
                "approved_by": self.plan.staff.supervisor if difference else None,
            },
        )
        self.session = None

    def _closure(self, moment: int, closure: Closure) -> None:
        self._write(
            "closures",
            {
                "id": self._id(moment),
                "date": _iso(closure.day),
                "reason": closure.reason,
                "created_at": stamp(moment),
                "created_by": self.plan.staff.supervisor,
            },
        )

    # -- a request ------------------------------------------------------------------------------
    def _intake(self, moment: int) -> None:
        self.daily += 1
        day = moment // DAY
        service = self.nation.services[self.people.service_code()]
        catalog = self.plan.catalog_at(moment)
        citizen = self.people.citizen()
        fate = self._fate()
        documents = list(service.documents)
        missing = None
        if fate == "incomplete":
            missing = documents.pop(self.rng.randrange(len(documents)))
        method = "transfer" if self.rng.random() < self.fates.transfer else "cash"
        dossier = Dossier(
            request_id=self._id(moment),
            business_day=day,
            service=service,
            fee=catalog.fees[service.code],
            # Every closure that could move it was announced 45+ days before: all are known.
            promised=self._add(day, service.days),
            fate=fate,
            method=method,
            missing=missing,
        )
        name, name_key = _cleaned_name(citizen.name)
        self._write(
            "requests",
            {
                "id": dossier.request_id,
                "tracking": f"{self.plan.prefix}{date.fromordinal(day):%y%m%d}-{self.daily:04d}",
                "business_date": _iso(day),
                "daily_seq": self.daily,
                "created_at": stamp(moment),
                "created_by": self._clerk(moment),
                "citizen_name": name,
                "name_key": name_key,
                "phone": clean_phone(citizen.phone),
                "id_number": clean_id_number(citizen.id_number),
                "village": clean_optional(citizen.village, "village", VILLAGE_MAX),
                "service_code": service.code,
                "catalog_version": catalog.version,
                "fee": dossier.fee,
                "promised_date": _iso(dossier.promised),
                "documents": json.dumps(documents),
            },
        )
        self._at(self._after(moment, 20, 90), _PAY, dossier)

    def _fate(self) -> str:
        roll, f = self.rng.random(), self.fates
        for name, share in (
            ("voided", f.voided),
            ("rejected", f.rejected),
            ("incomplete", f.incomplete),
            ("stuck", f.stuck),
        ):
            if roll < share:
                return name
            roll -= share
        return "normal"

    def _pay(self, moment: int, dossier: Dossier) -> None:
        session = self._drawer(moment)
        year = date.fromordinal(moment // DAY).year
        number = self.receipts[year] = self.receipts.get(year, 0) + 1
        dossier.payment_id = self._id(moment)
        self.payments[dossier.payment_id] = (dossier.fee, dossier.method)
        if dossier.method == "cash":
            session.expected += dossier.fee
        self._write(
            "payments",
            {
                "id": dossier.payment_id,
                "receipt": f"{self.plan.prefix}{year}-{number:06d}",
                "receipt_year": year,
                "receipt_seq": number,
                "request_id": dossier.request_id,
                "session_id": session.id,
                "business_date": session.business_date,
                "amount": dossier.fee,
                "method": dossier.method,
                "at": stamp(moment),
                "by": self._clerk(moment),
            },
        )
        self._at(self._after(moment, 5, 15), _PRINT, (dossier.payment_id, 1))
        self._follow_up(moment, dossier)

    def _print(self, moment: int, payment_id: str, seq: int) -> None:
        self._write(
            "receipt_prints",
            {
                "id": self._id(moment),
                "payment_id": payment_id,
                "seq": seq,
                "copy": 0 if seq == 1 else 1,
                "format": "a5" if self.rng.random() < 0.1 else "80mm",
                "at": stamp(moment),
                "by": self._clerk(moment),
            },
        )

    def _follow_up(self, paid: int, dossier: Dossier) -> None:
        if dossier.fate == "voided":
            self._at(self._after(paid, 5 * 60, 20 * 60), _VOID, dossier)
            return
        day = paid // DAY
        if dossier.fate == "incomplete":
            reason = f"{INCOMPLETE_REASON}: {dossier.missing}"
            self._at(self._after(paid, 5 * 60, 3600), _STATUS, (dossier, "incomplete", reason))
            day = self._add(day, self.rng.randint(1, 5))
            self._at(self._on(day, 8, 12), _STATUS, (dossier, "in_process", None))
        else:
            self._at(self._after(paid, 5 * 60, 5400), _STATUS, (dossier, "in_process", None))
        if dossier.fate == "rejected":
            span = max(1, self._working_days(day, dossier.promised))
            when = self._on(self._add(day, self.rng.randint(1, span)), 8, 15)
            self._at(when, _STATUS, (dossier, "rejected", self.rng.choice(REJECT_REASONS)))
        elif dossier.fate != "stuck":
            ready = dossier.promised
            roll = self.rng.random()
            if roll < self.fates.late:
                ready = self._add(ready, self.rng.randint(1, 5))
            elif roll < self.fates.late + self.fates.early:
                ready = max(day, ready - self.rng.randint(1, 2))
                ready = self.calendar.next_open(ready, self.closed)
            if ready <= day:
                ready = self._add(day, 1)
            self._at(self._on(ready, 8, 12), _STATUS, (dossier, "ready", None))

    def _working_days(self, start: int, end: int) -> int:
        count, day = 0, start
        while day < end:
            day = self._add(day, 1)
            count += 1
        return count

    def _status(self, moment: int, dossier: Dossier, status: str, reason: str | None) -> None:
        dossier.status_seq += 1
        self._write(
            "status_events",
            {
                "request_id": dossier.request_id,
                "seq": dossier.status_seq,
                "status": status,
                "reason": reason,
                "at": stamp(moment),
                "by": self._clerk(moment),
                "clock": dossier.status_seq,  # one counter's history: its clock is its seq
            },
        )
        if status == "rejected":
            self._at(self._after(moment, 5 * 60, 30 * 60), _REFUND, dossier)
        elif status == "ready" and self.rng.random() >= self.fates.never_collected:
            # Most citizens come back within days; collection is in the afternoon.
            later = min(self.rng.randint(0, 4), self.rng.randint(0, 10))
            day = self._add(moment // DAY, later) if later else moment // DAY
            self._at(self._on(day, 13, 16.5), _STATUS, (dossier, "collected", None))
        elif status == "collected":
            if self.rng.random() < self.fates.feedback:
                self._at(self._after(moment, 60, 180), _FEEDBACK, dossier)
            if self.rng.random() < self.fates.reprint:
                self._at(self._after(moment, 10, 50), _PRINT, (dossier.payment_id, 2))

    def _void(self, moment: int, dossier: Dossier) -> None:
        session = self._drawer(moment)
        amount, method = self.payments[dossier.payment_id]
        if method == "cash":
            session.expected -= amount
        self._write(
            "voids",
            {
                "id": self._id(moment),
                "payment_id": dossier.payment_id,
                "session_id": session.id,
                "business_date": session.business_date,
                "reason": VOID_REASON,
                "approved_by": self.plan.staff.supervisor,
                "at": stamp(moment),
                "by": self._clerk(moment),
            },
        )
        self._at(self._after(moment, 60, 180), _STATUS, (dossier, "withdrawn", WITHDRAW_REASON))

    def _refund(self, moment: int, dossier: Dossier) -> None:
        session = self._drawer(moment)
        amount, method = self.payments[dossier.payment_id]
        if method == "cash":
            session.expected -= amount
        self._write(
            "refunds",
            {
                "id": self._id(moment),
                "payment_id": dossier.payment_id,
                "session_id": session.id,
                "business_date": session.business_date,
                "amount": amount,
                "reason": REFUND_REASON,
                "approved_by": self.plan.staff.supervisor,
                "at": stamp(moment),
                "by": self._clerk(moment),
            },
        )

    def _feedback(self, moment: int, dossier: Dossier) -> None:
        rating = self.rng.choices(RATINGS, weights=RATING_WEIGHTS)[0]
        self._write(
            "feedback",
            {
                "id": self._id(moment),
                "request_id": dossier.request_id,
                "rating": rating,
                "comment": self.rng.choice(COMMENTS) if self.rng.random() < 0.1 else None,
                "at": stamp(moment),
                "by": self._clerk(moment),
            },
        )


# -- the typed rows: the push path's projection, in memory ---------------------------------------
# The columns each typed table takes from the fact's row as the counter wrote it.
TYPED_COLUMNS: dict[str, tuple[str, ...]] = {
    name: tuple(c.name for c in table.columns) for name, table in TYPED.items()
}
_COPIED: dict[str, tuple[str, ...]] = {
    name: tuple(c for c in columns if c in FACTS[name].columns)
    for name, columns in TYPED_COLUMNS.items()
}
_CLOSING = ("collected", "rejected", "withdrawn")


class FeeBook:
    """The centre's published catalogs as the fee check reads them (spec: "Fee check at
    arrival"): the version must be published and list the service at that fee, and be the
    newest published before the request was taken."""

    def __init__(self, published: Iterable[tuple[int, str, str]]) -> None:
        """`published`: (version, published_at, canonical catalog JSON) of each version."""
        self.published: dict[int, str] = {}
        self.fees: dict[int, dict[str, int]] = {}
        for version, published_at, text in published:
            self.published[version] = published_at
            self.fees[version] = {s["code"]: s["fee"] for s in json.loads(text)["services"]}

    def check(self, version: int, service: str, fee: int, created_at: str) -> str:
        if version not in self.published:
            return "unknown"
        if self.fees[version].get(service) != fee:
            return "off_catalog"
        newer = any(v > version and p < created_at for v, p in self.published.items())
        return "old_version" if newer else "catalog"


def _local_day(text: str) -> str:
    """The Vientiane date of a counter's UTC stamp (clock.local_date), by arithmetic: the zone is
    UTC+7 all year (checked at import), so 17:00 UTC and after is the next day."""
    if text[11:13] < "17":
        return text[:10]
    return (date.fromisoformat(text[:10]) + timedelta(days=1)).isoformat()


class OfficeProjector:
    """The typed rows of one office's facts, taken in the order the push path takes them.

    A request's row is held until its office is done (`requests()`): its status events move it.
    The other rows are final as they are made. Roll-ups are not made here: the loader adds them
    up from the typed rows in the database (`rollup_sql`), and the fidelity test holds both to
    the push path.
    """

    def __init__(self, office: str, fees: FeeBook) -> None:
        self.office = office
        self.fees = fees
        self.held: dict[str, dict[str, Any]] = {}  # request id -> its typed row
        self.payments: dict[str, tuple[int, str | None, str | None]] = {}
        self.sessions: dict[str, str] = {}
        self.closures: set[date] = set()

    def take(self, device_id: str, counter: int, op: Op) -> dict[str, Any]:
        row = op.row
        typed = dict.fromkeys(TYPED_COLUMNS[op.entity])
        typed.update({c: row.get(c) for c in _COPIED[op.entity]})
        typed.update(id=op.op_id, device_id=device_id, office=self.office, counter=counter)
        getattr(self, f"_{op.entity}")(row, typed)
        return typed

    def requests(self) -> Iterator[dict[str, Any]]:
        return iter(self.held.values())

    def _requests(self, row: dict[str, Any], typed: dict[str, Any]) -> None:
        typed.update(status="received", status_seq=0, returned=0, shared=0)
        typed["fee_check"] = self.fees.check(
            row["catalog_version"], row["service_code"], row["fee"], row["created_at"]
        )
        self.held[row["id"]] = typed

    def _status_events(self, row: dict[str, Any], typed: dict[str, Any]) -> None:
        request = self.held[row["request_id"]]
        day = typed["business_date"] = _local_day(row["at"])
        if row["seq"] > request["status_seq"]:
            request["status"], request["status_seq"] = row["status"], row["seq"]
        if row["status"] == "ready" and request["ready_on"] is None:
            request["ready_on"] = day
            request["working_days"] = working_days_between(
                date.fromisoformat(request["business_date"]),
                date.fromisoformat(day),
                self.closures,
            )
        elif row["status"] in _CLOSING:
            request["closed_on"] = request["closed_on"] or day
        elif row["status"] == "incomplete":
            request["returned"] += 1

    def _payments(self, row: dict[str, Any], typed: dict[str, Any]) -> None:
        request = self.held.get(row["request_id"])
        typed["service_code"] = None if request is None else request["service_code"]
        self.payments[row["id"]] = (row["amount"], typed["service_code"], row["by"])

    def _voids(self, row: dict[str, Any], typed: dict[str, Any]) -> None:
        amount, service, by = self.payments[row["payment_id"]]
        typed.update(amount=amount, service_code=service, payment_by=by)

    def _refunds(self, row: dict[str, Any], typed: dict[str, Any]) -> None:
        _, service, by = self.payments[row["payment_id"]]
        typed.update(service_code=service, payment_by=by)

    def _cash_sessions(self, row: dict[str, Any], typed: dict[str, Any]) -> None:
        self.sessions[row["id"]] = row["business_date"]

    def _cash_closes(self, row: dict[str, Any], typed: dict[str, Any]) -> None:
        typed["business_date"] = self.sessions[row["session_id"]]

    def _feedback(self, row: dict[str, Any], typed: dict[str, Any]) -> None:
        request = self.held[row["request_id"]]
        typed.update(
            business_date=_local_day(row["at"]),
            service_code=request["service_code"],
            request_by=request["created_by"],
        )

    def _receipt_prints(self, row: dict[str, Any], typed: dict[str, Any]) -> None:
        typed["business_date"] = _local_day(row["at"])

    def _closures(self, row: dict[str, Any], typed: dict[str, Any]) -> None:
        # Known to every ready event after it: closures are announced 45+ days ahead, so the
        # push path, taking the office's counters month by month, knows them just as early.
        typed["business_date"] = _local_day(row["created_at"])
        self.closures.add(date.fromisoformat(row["date"]))


# -- the roll-ups, added up from the typed tables --------------------------------------------------
def _sources() -> dict[str, list[tuple[str, dict[str, str]]]]:
    """Per roll-up, each source of contributions: its FROM clause and its expressions (the key
    columns first); counts a source does not name are 0. The meanings are the contract's: a
    request counts on its business date, its first ready on the ready date, a status event, a
    payment, void, refund or feedback on its own business date, against its service (a void's
    or refund's: its payment's) and its clerk (a payment's: who took it; a void's or refund's:
    who took the payment; feedback's: who took the request)."""
    fee_checks = {f"fee_{c}": f"(fee_check = '{c}')::int" for c in FEE_CHECKS}
    ratings = {f"rating_{n}": f"(rating = {n})::int" for n in range(1, 6)}
    feedback = {"feedback": "1", "rating_sum": "rating", **ratings}

    def key(day: str, clerk_or_service: str) -> dict[str, str]:
        return {"period": day, "office": "office", "counter": "counter", "k": clerk_or_service}

    service = "COALESCE(service_code, '')"
    events = "status_events e JOIN requests r ON r.id = e.request_id"
    event_key = {
        "period": "e.business_date",
        "office": "e.office",
        "counter": "e.counter",
        "k": "r.service_code",
    }
    return {
        "rollup": [
            ("requests", {**key("business_date", service), "received": "1", **fee_checks}),
            (
                "requests WHERE ready_on IS NOT NULL",
                {
                    **key("ready_on", service),
                    "ready": "1",
                    "on_time": "COALESCE(ready_on <= promised_date, false)::int",
                },
            ),
            (
                f"{events} WHERE e.status IN ('collected', 'rejected', 'withdrawn', 'incomplete')",
                {
                    **event_key,
                    **{s: f"(e.status = '{s}')::int" for s in _CLOSING},
                    "returned": "(e.status = 'incomplete')::int",
                },
            ),
            ("payments", {**key("business_date", service), "payments": "1", "gross": "amount"}),
            ("voids", {**key("business_date", service), "voids": "1", "voided": "amount"}),
            ("refunds", {**key("business_date", service), "refunds": "1", "refunded": "amount"}),
            ("feedback", {**key("business_date", service), **feedback}),
        ],
        "rollup_clerks": [
            ("requests WHERE created_by IS NOT NULL", {**key("business_date", "created_by"),
             "received": "1"}),
            ('payments WHERE "by" IS NOT NULL', {**key("business_date", '"by"'), "payments": "1",
             "gross": "amount"}),
            ("voids WHERE payment_by IS NOT NULL", {**key("business_date", "payment_by"),
             "voids": "1", "voided": "amount"}),
            ("refunds WHERE payment_by IS NOT NULL", {**key("business_date", "payment_by"),
             "refunds": "1", "refunded": "amount"}),
            ("feedback WHERE request_by IS NOT NULL", {**key("business_date", "request_by"),
             **feedback}),
        ],
    }  # fmt: skip


def rollup_sql() -> list[str]:
    """The statements that fill the roll-ups from the typed tables: the day rows, then the month
    rows from them."""
    statements = []
    for table, sources in _sources().items():
        keys = [c.name for c in metadata.tables[table].primary_key.columns][2:]  # after grain
        counts = [c.name for c in metadata.tables[table].columns if not c.primary_key]
        selects = []
        for source, values in sources:
            columns = [values["period"], values["office"], values["counter"], values["k"]]
            columns += [values.get(c, "0") for c in counts]
            selects.append(f"SELECT {', '.join(columns)} FROM {source}")
        names = ["period", *keys, *counts]
        union = "\nUNION ALL ".join(selects)
        statements.append(
            f"INSERT INTO {table} (grain, {', '.join(_quoted(names))})"
            f" SELECT 'D', period, {', '.join(_quoted(keys))},"
            f" {', '.join(f'SUM({c})' for c in _quoted(counts))}"
            f" FROM ({union}) AS c ({', '.join(_quoted(names))})"
            f" GROUP BY period, {', '.join(_quoted(keys))}"
        )
    statements.append(
        "INSERT INTO rollup_durations (grain, period, office, service_code, days, requests)"
        " SELECT 'D', ready_on, office, service_code, working_days, COUNT(*) FROM requests"
        " WHERE ready_on IS NOT NULL GROUP BY ready_on, office, service_code, working_days"
    )
    for table in ("rollup", "rollup_clerks", "rollup_durations"):
        keys = [c.name for c in metadata.tables[table].primary_key.columns][2:]
        counts = [c.name for c in metadata.tables[table].columns if not c.primary_key]
        statements.append(
            f"INSERT INTO {table} (grain, period, {', '.join(_quoted(keys + counts))})"
            f" SELECT 'M', LEFT(period, 7), {', '.join(_quoted(keys))},"
            f" {', '.join(f'SUM({c})' for c in _quoted(counts))}"
            f" FROM {table} WHERE grain = 'D' GROUP BY LEFT(period, 7), {', '.join(_quoted(keys))}"
        )
    return statements


def _quoted(names: Iterable[str]) -> list[str]:
    return [f'"{n}"' for n in names]


# The highest tracking number per business date and receipt number per year of each counter.
NUMBERS_SQL = (
    "INSERT INTO numbers (office, counter, kind, period, high)"
    " SELECT office, counter, 'tracking', business_date, MAX(daily_seq) FROM requests"
    " GROUP BY office, counter, business_date"
    " UNION ALL SELECT office, counter, 'receipt', receipt_year::text, MAX(receipt_seq)"
    " FROM payments GROUP BY office, counter, receipt_year"
)


# -- the loader ----------------------------------------------------------------------------------
def dsn(database: str) -> str:
    return f"host={PG_HOST} port={PG_PORT} user={PG_USER} dbname={database}"


def pg_url(database: str) -> str:
    return f"postgresql+psycopg://{PG_USER}@{PG_HOST}:{PG_PORT}/{database}"


def register_offices(engine: Engine, nation: Nation) -> None:
    """Each office and its district, as an admin registers them (`odsc-server district add`,
    `office add`)."""
    names = {p.code: p for p in reference_provinces()}
    now = parse_stamp(stamp(at(nation.shape.first.toordinal() - 2, 9)))
    with writing(engine) as conn:
        for office in nation.offices:
            province = names[office.province]
            n = office.district_number
            hierarchy.add_district(
                conn,
                office.district,
                office.province,
                f"District {n} of {province.name_en}",
                f"ເມືອງທີ {n} {province.name_lo}",
            )
            hierarchy.add_office(
                conn,
                office.code,
                office.province,
                office.district,
                f"One-Door Service Center, district {n} of {province.name_en}",
                f"ຫ້ອງການບໍລິການປະຕູດຽວ ເມືອງທີ {n} {province.name_lo}",
                now,
            )


def fee_book(engine: Engine) -> FeeBook:
    with engine.connect() as conn:
        rows = conn.execute(select(catalogs.c.version, catalogs.c.published_at, catalogs.c.catalog))
        return FeeBook((r.version, r.published_at, r.catalog) for r in rows)


@dataclass
class _DeviceTally:
    """What the centre's `devices` row says after every op of a device arrived."""

    ops: int = 0
    high_water: int = 0
    last_sync: str = ""
    max_ahead: int | None = None


class _Arrivals:
    """When each op reached the centre: a counter online pushes every few minutes, so an op
    arrives seconds to minutes after it was written."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def received(self, device_time: str) -> tuple[str, int]:
        """(received_at, device time minus arrival in whole seconds, as push.py counts it)."""
        lag = timedelta(seconds=5 + self.rng.expovariate(1 / 120))
        arrived = datetime.fromisoformat(device_time) + lag
        # clock.stamp's format, without strftime's cost: naive UTC, microseconds, a Z.
        text = arrived.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"
        return text, round(-lag.total_seconds())


class _Copies:
    """A COPY … FROM STDIN per table, each on its own connection, all open together: the
    generator streams every office's rows straight into the database."""

    def __init__(self, stack: ExitStack, database: str, tables: dict[str, tuple[str, ...]]):
        self.copies: dict[str, psycopg.Copy] = {}
        self.rows: dict[str, int] = dict.fromkeys(tables, 0)
        for table, columns in tables.items():
            conn = stack.enter_context(psycopg.connect(dsn(database)))
            cursor = stack.enter_context(conn.cursor())
            statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
                sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns))
            )
            self.copies[table] = stack.enter_context(cursor.copy(statement))

    def write(self, table: str, values: Sequence[Any]) -> None:
        self.copies[table].write_row(values)
        self.rows[table] += 1


OPS_COLUMNS = tuple(c.name for c in ops_table.columns)
DEVICE_COLUMNS = tuple(c.name for c in devices.columns)


# Processes generating and COPYing at once, each its share of the offices (offices are
# independent: a fact refers only to facts of its own counter, closures to its own office).
WORKERS = int(os.environ.get("ODSC_NATION_WORKERS", str(os.cpu_count() or 1)))


def copy_nation(
    nation: Nation, database: str, fees: FeeBook, progress: bool = False, workers: int = WORKERS
) -> dict[str, int]:
    """Every office's ops and typed rows, and every device's row, COPYed into `database` by
    `workers` processes; returns the rows written per table."""
    workers = max(1, min(workers, len(nation.offices)))
    shares = [list(range(n, len(nation.offices), workers)) for n in range(workers)]
    if workers == 1:
        return copy_offices(nation.shape, database, fees, shares[0], progress)
    with multiprocessing.get_context("spawn").Pool(workers) as pool:
        done = pool.starmap(
            copy_offices, [(nation.shape, database, fees, share, progress) for share in shares]
        )
    return {table: sum(rows[table] for rows in done) for table in done[0]}


def copy_offices(
    shape: Shape, database: str, fees: FeeBook, share: list[int], progress: bool
) -> dict[str, int]:
    """The offices `share` (indexes into the nation's) COPYed in one transaction per table."""
    nation = Nation(shape)
    enrolled = stamp(at(shape.first.toordinal() - 1, 9))
    tables = {"ops": OPS_COLUMNS, **TYPED_COLUMNS, "devices": DEVICE_COLUMNS}
    if not shape.raw_ops:
        del tables["ops"]
    with ExitStack() as stack:
        sink = _Copies(stack, database, tables)
        for done, n in enumerate(share, 1):
            office = nation.offices[n]
            projector = OfficeProjector(office.code, fees)
            for counter in office.counters:
                tally = _copy_device(nation, counter, projector, sink)
                offset_rng = random.Random(counter.seed + 3)
                offset = 0 if offset_rng.random() < 0.9 else offset_rng.randint(-900, 900)
                device = {
                    "device_id": counter.device_id,
                    "office": office.code,
                    "counter": counter.number,
                    "token_sha256": token_hash(f"nation-device-{counter.device_id}"),
                    "public_key": None,
                    "enrolled_at": enrolled,
                    "revoked_at": None,
                    "last_sync": tally.last_sync or None,
                    "high_water": tally.high_water,
                    "ops": tally.ops,
                    "clock_offset": offset,
                    "max_ahead": tally.max_ahead,
                    "key_id": None,  # no public key, so no key id (migration 0011)
                    "role": "counter",  # enrolled straight with the centre (migration 0018)
                    "via": None,
                    "ops_set": None,  # no head shown (its set is counted at its first)
                    "ops_count": None,
                }
                sink.write("devices", [device[c] for c in DEVICE_COLUMNS])
            for typed in projector.requests():
                sink.write("requests", [typed[c] for c in TYPED_COLUMNS["requests"]])
            if progress:
                print(
                    f"[nation] {office.code} ({done}/{len(share)} of this worker's):"
                    f" {sink.rows['requests']:,} requests, {sink.rows['payments']:,} payments",
                    file=sys.stderr,
                    flush=True,
                )
        return dict(sink.rows)


def _copy_device(
    nation: Nation, counter: CounterPlan, projector: OfficeProjector, sink: _Copies
) -> _DeviceTally:
    tally = _DeviceTally()
    arrivals = _Arrivals(counter.seed + 4)
    for op in nation.ops(counter):
        fact = FACTS[op.entity]
        device_time = op.row[fact.device_time]
        received, ahead = arrivals.received(device_time)
        if nation.shape.raw_ops:
            payload = canonical(op.row)
            sink.write(
                "ops",
                (
                    fact.fact_id(op.row),
                    counter.device_id,
                    op.seq,
                    op.entity,
                    KINDS[op.entity],
                    payload.decode(),
                    hashlib.sha256(payload).digest(),
                    device_time,
                    received,
                ),
            )
        typed = projector.take(counter.device_id, counter.number, op)
        if op.entity != "requests":  # written when the office is done: its events move it
            sink.write(op.entity, [typed[c] for c in TYPED_COLUMNS[op.entity]])
        tally.ops += 1
        tally.high_water = op.seq
        tally.last_sync = max(tally.last_sync, received)
        tally.max_ahead = ahead if tally.max_ahead is None else max(tally.max_ahead, ahead)
    return tally


def _index_snapshot(conn: psycopg.Connection[Any], tables: list[str]) -> list[tuple[str, str]]:
    return list(
        conn.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'"
            " AND tablename = ANY(%s) ORDER BY indexname",
            (tables,),
        )
    )


def drop_indexes(conn: psycopg.Connection[Any], tables: list[str]) -> list[str]:
    """Drop every key and index of `tables` (COPY into bare tables, then one sorted build per
    index, is many times faster than keeping them current row by row); returns the statements
    that put them back, exactly as they were."""
    keys = conn.execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint"
        " WHERE contype IN ('p', 'u') AND conrelid::regclass::text = ANY(%s)",
        (tables,),
    ).fetchall()
    restore = []
    for table, name, definition in keys:
        conn.execute(
            sql.SQL("ALTER TABLE {} DROP CONSTRAINT {}").format(
                sql.Identifier(table), sql.Identifier(name)
            )
        )
        restore.append(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
    for name, definition in _index_snapshot(conn, tables):
        conn.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(name)))
        restore.append(definition)
    return restore


Progress = Callable[[str], None]


def load(nation: Nation, database: str, progress: Progress | None = None) -> dict[str, Any]:
    """Load `nation` into the empty PostgreSQL database `database`: the schema (Alembic), the
    catalogs published, offices registered, then every op, typed row, roll-up, number and
    device. Returns the load's figures."""
    say = progress or (lambda _: None)
    started = time.perf_counter()
    engine = open_db(pg_url(database))
    try:
        publish_catalogs(engine, nation.catalogs)
        register_offices(engine, nation)
        fees = fee_book(engine)
    finally:
        engine.dispose()
    tables = ["ops", *TYPED]
    seconds: dict[str, float] = {}
    with psycopg.connect(dsn(database), autocommit=True) as conn:
        before = _index_snapshot(conn, tables)
        restore = drop_indexes(conn, tables)
        mark = time.perf_counter()
        rows = copy_nation(nation, database, fees, progress is not None)
        seconds["generate_and_copy"] = time.perf_counter() - mark
        say(f"copied {sum(rows.values()):,} rows in {seconds['generate_and_copy']:,.0f} s")
        mark = time.perf_counter()
        conn.execute("SET maintenance_work_mem = '512MB'")
        for statement in restore:
            conn.execute(statement)
        assert _index_snapshot(conn, tables) == before, "the indexes came back different"
        seconds["indexes"] = time.perf_counter() - mark
        mark = time.perf_counter()
        conn.execute("SET work_mem = '256MB'")
        with conn.transaction():
            for statement in [*rollup_sql(), NUMBERS_SQL]:
                conn.execute(statement)
        seconds["rollups"] = time.perf_counter() - mark
        mark = time.perf_counter()
        # What autovacuum would have done by now on a centre that grew over five years: the
        # planner's statistics and the visibility map (index-only scans).
        conn.execute("VACUUM (ANALYZE)")
        seconds["vacuum"] = time.perf_counter() - mark
        counted = {
            table: conn.execute(
                sql.SQL("SELECT COUNT(*) FROM {}").format(sql.Identifier(table))
            ).fetchone()[0]  # type: ignore[index]
            for table in ("rollup", "rollup_clerks", "rollup_durations", "numbers")
        }
    seconds["total"] = time.perf_counter() - started
    say(f"loaded in {seconds['total']:,.0f} s: {seconds}")
    return {
        "requests": rows["requests"],
        "ops": rows.get("ops", 0),  # none when the raw ops are left out (RAW_OPS)
        "raw_ops": nation.shape.raw_ops,
        "rows": {**rows, **counted},
        "offices": len(nation.offices),
        "counters": len(nation.counters),
        "first": nation.shape.first.isoformat(),
        "last": nation.shape.last.isoformat(),
        "seconds": {k: round(v, 1) for k, v in seconds.items()},
    }


# -- the cache ---------------------------------------------------------------------------------
CACHE_PREFIX = "odsc_bench_nation_"


def cache_key(shape: Shape) -> str:
    """What the loaded rows depend on: the shape, this file, and the schema (the migrations and
    the tables they must match)."""
    digest = hashlib.sha256(repr(shape).encode())
    digest.update(Path(__file__).read_bytes())
    for path in sorted(Path(str(resources.files("sync.server") / "migrations")).rglob("*.py")):
        digest.update(path.read_bytes())
    for table in metadata.sorted_tables:
        ddl = CreateTable(table).compile(dialect=PGDialect())  # type: ignore[no-untyped-call]
        digest.update(str(ddl).encode())
    return digest.hexdigest()[:12]


def database_name(shape: Shape) -> str:
    return f"{CACHE_PREFIX}{shape.requests}_{cache_key(shape)}"


@dataclass(frozen=True)
class LoadedNation:
    nation: Nation
    database: str
    meta: dict[str, Any]

    @property
    def url(self) -> str:
        return pg_url(self.database)


def _admin() -> psycopg.Connection[Any]:
    return psycopg.connect(dsn("postgres"), autocommit=True)


def _comment(admin: psycopg.Connection[Any], database: str) -> str | None:
    row = admin.execute(
        "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
        (database,),
    ).fetchone()
    return None if row is None else row[0] or ""


def ensure_nation(shape: Shape, progress: Progress | None = None) -> LoadedNation:
    """The nation of `shape`, loaded once and kept as a database of its own: a database whose
    comment holds its load figures is complete; one without is a load that stopped half way,
    and is loaded again. Stale nations of the same size are dropped first (a 10M nation takes
    tens of gigabytes)."""
    name = database_name(shape)
    nation = Nation(shape)
    with _admin() as admin:
        comment = _comment(admin, name)
        if comment:
            return LoadedNation(nation, name, json.loads(comment))
        stale = admin.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s AND datname <> %s",
            (f"{CACHE_PREFIX}{shape.requests}_%", name),
        ).fetchall()
    for (old,) in [*stale, *([(name,)] if comment is not None else [])]:
        drop_pg_database(old)
    with _admin() as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    meta = load(nation, name, progress)
    with _admin() as admin:
        admin.execute(
            sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                sql.Identifier(name), sql.Literal(json.dumps(meta))
            )
        )
    return LoadedNation(nation, name, meta)
