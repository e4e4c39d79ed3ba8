"""Ten years of a busy counter as a time-ordered stream of the actions clerks take.

The driver decides *what happens* (who comes in when, for which service, how the dossier ends);
a `Writer` decides *how it is written*: through the real services one transaction at a time, or
through the core's own row-writing pieces in one transaction per business day. Both see the same
actions in the same order on the same clock, so they must leave identical stores; the fidelity
test holds them to that.

Every dossier is paid at intake (ODSC practice). Most go in_process -> ready -> collected; a few
are incomplete first, rejected and refunded, voided and withdrawn, or stuck in process (these are
the overdue list).
"""

from __future__ import annotations

import heapq
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate, pairwise
from typing import Any, Protocol

from odsc_desk.domain import workdays
from odsc_desk.domain.users import Actor
from odsc_desk.shared.clock import VIENTIANE, local_date
from tests.bench.people import Citizen, People
from tests.conftest import FakeClock

HISTORY_END = date(2026, 11, 25)  # a Wednesday: the last day of history, and its busiest
MEASURE_DAY = date(2026, 11, 26)  # the Thursday the benchmark works on (FakeClock's default)
YEARS = 10
PEAK_DAY_REQUESTS = 2_000  # day_totals is measured on a day with this many payments
CASH_FLOAT = 500_000


@dataclass(frozen=True)
class Fates:
    """How dossiers and days end, as shares. The defaults are a plausible district office."""

    voided: float = 0.001  # wrong service keyed in: payment voided, request withdrawn
    rejected: float = 0.004  # refused by the ministry: rejected, fee refunded
    incomplete: float = 0.02  # a document missing at intake, brought a few days later
    stuck: float = 0.0003  # lost in the back office: open and overdue for ever
    late: float = 0.05  # ready a few working days after the promised date
    never_collected: float = 0.03
    transfer: float = 0.15  # paid by bank transfer rather than cash
    cash_difference: float = 0.02  # days the drawer count is off and a supervisor approves


HOUR = 3600
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


def moment(day: date, seconds: float) -> datetime:
    """`seconds` after local midnight of `day`, as the UTC datetime the clock returns."""
    midnight = datetime(day.year, day.month, day.day, tzinfo=VIENTIANE)
    return (midnight + timedelta(seconds=seconds)).astimezone(UTC)


@dataclass(frozen=True)
class Service:
    code: str
    fee: int
    days: int
    documents: tuple[str, ...]


@dataclass(slots=True)
class Dossier:
    """One request as the driver follows it; the writer fills in what the store assigned."""

    service: Service
    method: str
    documents: list[str]
    request_id: str = ""
    tracking: str = ""
    promised: date | None = None
    payment_id: str = ""
    receipt: str = ""


class Writer(Protocol):
    """How the actions reach the store. Every method mirrors one service call."""

    def begin_day(self) -> None: ...
    def end_day(self) -> None: ...
    def open_cash(self, clerk: Actor, float_amount: int) -> None: ...
    def close_cash(self, clerk: Actor, difference: int, approver: Actor | None) -> None: ...
    def record_request(self, clerk: Actor, dossier: Dossier, citizen: Citizen) -> None: ...
    def record_payment(self, clerk: Actor, dossier: Dossier) -> None: ...
    def change_status(
        self, clerk: Actor, dossier: Dossier, status: str, reason: str | None
    ) -> None: ...
    def void(self, clerk: Actor, dossier: Dossier, reason: str, approver: Actor) -> None: ...
    def refund(self, clerk: Actor, dossier: Dossier, reason: str, approver: Actor) -> None: ...


@dataclass
class Staff:
    clerks: list[Actor]
    supervisor: Actor


@dataclass
class Tally:
    requests: int = 0
    payments: int = 0
    status_events: int = 0
    voids: int = 0
    refunds: int = 0
    sessions: int = 0
    days: int = 0


# (when, tie-break, action, args): plain tuples, because the heap compares millions of them.
_Event = tuple[datetime, int, Callable[..., None], tuple[Any, ...]]


def default_first_day(end: date = HISTORY_END, years: int = YEARS) -> date:
    return date(end.year - years, end.month, end.day) + timedelta(days=1)


def working_days(first: date, last: date) -> list[date]:
    days, day = [], first
    while day <= last:
        if workdays.is_working_day(day, set()):
            days.append(day)
        day += timedelta(days=1)
    return days


def daily_counts(rng: random.Random, days: int, total: int, peak: int) -> list[int]:
    """Requests per working day: growing over the years, Mondays busier, noisy; exactly `total`
    in all, the last day a peak of `peak` (a registration deadline)."""
    peak = min(peak, total)
    weights = []
    for n in range(days - 1):
        growth = 0.7 + 0.6 * n / max(days - 1, 1)
        monday = 1.25 if n % 5 == 0 else 1.0
        weights.append(max(0.1, growth * monday * rng.gauss(1.0, 0.2)))
    scale = (total - peak) / sum(weights)
    # Rounding the running total keeps the sum exact without biasing any one day.
    cumulative = [round(w * scale) for w in accumulate(weights)]
    counts = [b - a for a, b in pairwise([0, *cumulative])]
    return [*counts, total - sum(counts)]


class History:
    """Plays `pairs` requests (each paid) over the working days from `first` to `end`."""

    def __init__(
        self,
        pairs: int,
        staff: Staff,
        services: dict[str, Service],
        seed: int,
        *,
        first: date | None = None,
        end: date = HISTORY_END,
        peak: int = PEAK_DAY_REQUESTS,
        fates: Fates | None = None,
    ) -> None:
        self.rng = random.Random(seed)
        self.people = People(random.Random(seed + 1))
        self.fates = fates or Fates()
        self.days = working_days(first or default_first_day(end), end)
        self.counts = daily_counts(self.rng, len(self.days), pairs, peak)
        self.staff = staff
        self.services = services
        self.tally = Tally()
        self._queue: list[_Event] = []
        self._order = 0
        self._writer: Writer | None = None
        self._clock: FakeClock | None = None

    # -- playing ------------------------------------------------------------------------------
    def run(
        self, writer: Writer, clock: FakeClock, progress: Callable[[int, date], None] | None = None
    ) -> Tally:
        self._writer, self._clock = writer, clock
        for n, (day, count) in enumerate(zip(self.days, self.counts, strict=True)):
            writer.begin_day()
            self._plan_day(day, count)
            self._play_until(moment(day + timedelta(days=1), 0))
            writer.end_day()
            self.tally.days += 1
            if progress is not None:
                progress(n, day)
        # What is still queued lies after the end of history: those dossiers stay as they are.
        return self.tally

    def _at(self, at: datetime, action: Callable[..., None], *args: Any) -> None:
        self._order += 1
        heapq.heappush(self._queue, (at, self._order, action, args))

    def _play_until(self, limit: datetime) -> None:
        while self._queue and self._queue[0][0] < limit:
            at, _, action, args = heapq.heappop(self._queue)
            self.clock.moment = at
            action(*args)

    @property
    def writer(self) -> Writer:
        assert self._writer is not None
        return self._writer

    @property
    def clock(self) -> FakeClock:
        assert self._clock is not None
        return self._clock

    def _clerk(self) -> Actor:
        # One clerk keeps the counter for a week at a time.
        week = local_date(self.clock()).toordinal() // 7
        return self.staff.clerks[week % len(self.staff.clerks)]

    def _uniform(self, low: float, high: float) -> float:
        return self.rng.uniform(low, high)

    def _after(self, start: datetime, low_s: float, high_s: float) -> datetime:
        return start + timedelta(seconds=self._uniform(low_s, high_s))

    def _on(self, day: date, low_h: float, high_h: float) -> datetime:
        return moment(day, self._uniform(low_h * HOUR, high_h * HOUR))

    # -- a day --------------------------------------------------------------------------------
    def _plan_day(self, day: date, count: int) -> None:
        self._at(moment(day, 7 * HOUR + 55 * 60), self._open_cash)
        for seconds in sorted(self._uniform(8 * HOUR, 16 * HOUR) for _ in range(count)):
            self._at(moment(day, seconds), self._intake)
        # After every payment, void and refund of the day (those end by 16:30).
        self._at(moment(day, 16 * HOUR + 45 * 60), self._close_cash)

    def _open_cash(self) -> None:
        self.writer.open_cash(self._clerk(), CASH_FLOAT)
        self.tally.sessions += 1

    def _close_cash(self) -> None:
        difference = 0
        if self.rng.random() < self.fates.cash_difference:
            difference = self.rng.choice((-1, 1)) * 1_000 * self.rng.randint(1, 20)
        approver = self.staff.supervisor if difference else None
        self.writer.close_cash(self._clerk(), difference, approver)

    # -- a dossier ----------------------------------------------------------------------------
    def _intake(self) -> None:
        service = self.services[self.people.service_code()]
        citizen = self.people.citizen()
        fate = self._fate()
        documents = list(service.documents)
        if fate == "incomplete":
            documents.pop(self.rng.randrange(len(documents)))
        method = "transfer" if self.rng.random() < self.fates.transfer else "cash"
        dossier = Dossier(service, method, documents)
        self.writer.record_request(self._clerk(), dossier, citizen)
        self.tally.requests += 1
        paid = self._after(self.clock(), 20, 90)
        self._at(paid, self._pay, dossier)
        self._follow_up(dossier, paid, fate)

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

    def _follow_up(self, dossier: Dossier, paid: datetime, fate: str) -> None:
        today = local_date(paid)
        if fate == "voided":
            voided = self._after(paid, 5 * 60, 20 * 60)
            self._at(voided, self._void, dossier)
            withdrawn = self._after(voided, 60, 180)
            self._at(withdrawn, self._status, dossier, "withdrawn", WITHDRAW_REASON)
            return
        if fate == "incomplete":
            missing = next(d for d in dossier.service.documents if d not in dossier.documents)
            self._at(
                self._after(paid, 5 * 60, HOUR),
                self._status,
                dossier,
                "incomplete",
                f"{INCOMPLETE_REASON}: {missing}",
            )
            today = _add_days(today, self.rng.randint(1, 5))
            self._at(self._on(today, 8, 12), self._status, dossier, "in_process", None)
        else:
            self._at(
                self._after(paid, 5 * 60, 1.5 * HOUR), self._status, dossier, "in_process", None
            )
        if fate == "rejected":
            self._reject(dossier, today)
        elif fate != "stuck":
            self._ready_and_collect(dossier, today)

    def _reject(self, dossier: Dossier, processing_from: date) -> None:
        assert dossier.promised is not None
        span = max(1, _working_days_between(processing_from, dossier.promised))
        day = _add_days(processing_from, self.rng.randint(1, span))
        rejected = self._on(day, 8, 15)
        self._at(rejected, self._status, dossier, "rejected", self.rng.choice(REJECT_REASONS))
        self._at(self._after(rejected, 5 * 60, 30 * 60), self._refund, dossier)

    def _ready_and_collect(self, dossier: Dossier, processing_from: date) -> None:
        assert dossier.promised is not None
        day = dossier.promised
        if self.rng.random() < self.fates.late:
            day = _add_days(day, self.rng.randint(1, 5))
        if day <= processing_from:
            day = _add_days(processing_from, 1)
        self._at(self._on(day, 8, 12), self._status, dossier, "ready", None)
        if self.rng.random() < self.fates.never_collected:
            return
        # Most citizens come back within days; collection is in the afternoon, after "ready".
        day = _add_days(day, min(self.rng.randint(0, 4), self.rng.randint(0, 10)))
        self._at(self._on(day, 13, 16.5), self._status, dossier, "collected", None)

    def _pay(self, dossier: Dossier) -> None:
        self.writer.record_payment(self._clerk(), dossier)
        self.tally.payments += 1

    def _status(self, dossier: Dossier, status: str, reason: str | None) -> None:
        self.writer.change_status(self._clerk(), dossier, status, reason)
        self.tally.status_events += 1

    def _void(self, dossier: Dossier) -> None:
        self.writer.void(self._clerk(), dossier, VOID_REASON, self.staff.supervisor)
        self.tally.voids += 1

    def _refund(self, dossier: Dossier) -> None:
        self.writer.refund(self._clerk(), dossier, REFUND_REASON, self.staff.supervisor)
        self.tally.refunds += 1


def _add_days(day: date, working: int) -> date:
    return workdays.add_working_days(day, working, set())


def _working_days_between(first: date, last: date) -> int:
    count, day = 0, first
    while day < last:
        day = _add_days(day, 1)
        count += 1
    return count
