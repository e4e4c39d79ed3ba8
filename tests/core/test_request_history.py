"""The status fold of docs/OFFICE_SHARING.md (D4), tested against a model of an office: counters
that each hold some of a request's events, write only what their own view allows, and pass
events to one another in any order. Whatever they exchange, the fold must give every end the
same status, keep what a counter saw before an event ahead of it, and contest an event only
when a counter wrote another one without seeing it."""

from __future__ import annotations

import itertools
import random

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from odsc_desk.shared.facts import FACTS
from odsc_desk.shared.request_history import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    STATUSES,
    TRANSITIONS,
    StatusEvent,
    fold,
    takes,
)

DEVICES = ("dev-a", "dev-b", "dev-c")
NEW_DAY = "2026-12-10"


def ev(seq: int, status: str, device: str | None = None, clock: int | None = None) -> StatusEvent:
    return StatusEvent(seq, status, device, clock)


# -- the rules, one history at a time --------------------------------------------------------


def test_a_request_with_no_events_is_received() -> None:
    history = fold([])
    assert (history.status, history.events, history.contested, history.next_clock) == (
        "received",
        (),
        (),
        1,
    )


def test_a_released_counters_events_are_its_history_in_seq_order() -> None:
    events = [ev(3, "ready"), ev(1, "in_process"), ev(2, "incomplete")]
    history = fold(events)
    # received -> in_process -> incomplete -> ready: the last is not a move from incomplete.
    assert [e.seq for e in history.events] == [1, 2, 3]
    assert history.status == "incomplete"
    assert history.contested == (ev(3, "ready"),)


def test_the_clock_orders_not_the_device_nor_the_seq() -> None:
    # dev-b wrote its event after seeing dev-z's (clock 2 > 1): it comes after, though its
    # device sorts first and its seq is lower. The clock decides.
    first, second = ev(5, "in_process", "dev-z", 1), ev(1, "ready", "dev-b", 2)
    assert fold([second, first]).status == "ready"
    assert fold([second, first]).events == (first, second)


def test_two_hand_overs_while_apart_keep_one_and_contest_the_other() -> None:
    shared = [ev(1, "in_process", "dev-a", 1), ev(2, "ready", "dev-a", 2)]
    at_a, at_b = ev(3, "collected", "dev-a", 3), ev(1, "collected", "dev-b", 3)
    history = fold([*shared, at_b, at_a])
    # Equal clocks: the device breaks the tie, the same way at every end.
    assert history.status == "collected"
    assert history.events[-2:] == (at_a, at_b)
    assert history.contested == (at_b,)


def test_released_events_come_before_clocked_ones() -> None:
    released = [ev(1, "in_process"), ev(2, "ready")]
    clocked = ev(1, "collected", "dev-b", 1)
    history = fold([clocked, *released])
    assert history.events == (*released, clocked)
    assert (history.status, history.contested) == ("collected", ())


def test_a_new_date_keeps_an_open_status_and_is_contested_on_a_closed_one() -> None:
    late = StatusEvent(2, "in_process", "dev-b", 2, NEW_DAY)
    assert takes("in_process", late)
    assert fold([ev(1, "in_process", "dev-a", 1), late]).status == "in_process"
    # Written at dev-b while dev-a, unseen, rejected the request: the new date comes after.
    rejected = ev(2, "rejected", "dev-a", 2)
    history = fold([ev(1, "in_process", "dev-a", 1), rejected, late])
    assert (history.status, history.contested) == ("rejected", (late,))


def test_takes_follows_transitions_for_every_pair() -> None:
    for status, target in itertools.product(STATUSES, STATUSES):
        assert takes(status, ev(1, target)) == (target in TRANSITIONS[status])
        dated = StatusEvent(1, target, new_date=NEW_DAY)
        assert takes(status, dated) == (target == status and status in OPEN_STATUSES)


def test_the_vocabulary_is_the_registrys() -> None:
    assert FACTS["status_events"].field("status").choices == STATUSES
    assert set(OPEN_STATUSES) | set(CLOSED_STATUSES) | {"ready"} == set(STATUSES)
    assert all(TRANSITIONS[s] == () for s in CLOSED_STATUSES)


# -- an office of counters, exchanging events in any order ------------------------------------


class Office(RuleBasedStateMachine):
    """Counters writing one request's events, each from what it holds; `seen[e]` is what the
    counter that wrote e held when it wrote it."""

    def __init__(self) -> None:
        super().__init__()
        self.held: dict[str, set[StatusEvent]] = {d: set() for d in DEVICES}
        self.written: list[StatusEvent] = []  # every event, in the order written
        self.seen: dict[StatusEvent, frozenset[StatusEvent]] = {}
        self.seqs = dict.fromkeys(DEVICES, 0)
        self.released = 0

    # A released counter (before the office shared anything) writes a request's first events:
    # no device, no clock, each seeing all before it. Every counter holds them.
    @precondition(lambda self: len(self.written) == self.released)
    @rule(status=st.sampled_from(STATUSES))
    def released_counter_writes(self, status: str) -> None:
        view = fold(self.written)
        if not takes(view.status, ev(0, status)):
            return
        self.released += 1
        event = ev(self.released, status)
        self._write(event, set(self.written), every=True)

    @rule(device=st.sampled_from(DEVICES), status=st.sampled_from(STATUSES))
    def counter_changes_status(self, device: str, status: str) -> None:
        view = fold(self.held[device])
        if takes(view.status, ev(0, status)):
            self._by(device, view.next_clock, status, None)

    @rule(device=st.sampled_from(DEVICES))
    def counter_gives_a_new_date(self, device: str) -> None:
        view = fold(self.held[device])
        if view.status in OPEN_STATUSES:
            self._by(device, view.next_clock, view.status, NEW_DAY)

    @rule(giver=st.sampled_from(DEVICES), taker=st.sampled_from(DEVICES), share=st.randoms())
    def counters_exchange(self, giver: str, taker: str, share: random.Random) -> None:
        # Some of what the giver holds, not necessarily all: a pull can stop half-way.
        events = sorted(self.held[giver], key=lambda e: e.order)
        cut = share.randint(0, len(events))
        self.held[taker] |= set(events[:cut])

    @rule()
    def everyone_catches_up(self) -> None:
        for device in DEVICES:
            self.held[device] |= set(self.written)

    def _by(self, device: str, clock: int, status: str, new_date: str | None) -> None:
        self.seqs[device] += 1
        event = StatusEvent(self.seqs[device], status, device, clock, new_date)
        self._write(event, set(self.held[device]), every=False)
        self.held[device].add(event)

    def _write(self, event: StatusEvent, seen: set[StatusEvent], every: bool) -> None:
        self.written.append(event)
        self.seen[event] = frozenset(seen)
        for device in DEVICES if every else ():
            self.held[device].add(event)

    # -- what must hold after every step -------------------------------------------------------

    @invariant()
    def the_order_given_does_not_matter(self) -> None:
        history = fold(self.written)
        for permuted in (self.written[::-1], self.written[1:] + self.written[:1]):
            assert fold(permuted) == history

    @invariant()
    def what_a_counter_saw_comes_before(self) -> None:
        for event, seen in self.seen.items():
            assert all(before.order < event.order for before in seen), event

    @invariant()
    def only_an_unseen_event_can_contest(self) -> None:
        history = fold(self.written)
        for event in history.contested:
            ahead = [e for e in history.events if e.order < event.order]
            assert any(e not in self.seen[event] for e in ahead), event

    @invariant()
    def the_kept_events_walk_the_transitions(self) -> None:
        # Read from TRANSITIONS itself: each kept event a move from the status before it (or a
        # new date keeping an open one), each contested one not.
        history = fold(self.written)
        status = "received"
        for event in history.events:
            if event.new_date is not None:
                legal = event.status == status and status in OPEN_STATUSES
            else:
                legal = event.status in TRANSITIONS[status]
            assert legal == (event not in history.contested), (status, event)
            status = event.status if legal else status
        assert status == history.status

    @invariant()
    def contested_events_never_move_the_status(self) -> None:
        history = fold(self.written)
        kept = fold(set(self.written) - set(history.contested))
        assert (kept.status, kept.contested) == (history.status, ())

    @invariant()
    def one_after_another_nothing_is_contested(self) -> None:
        # Every event written seeing all before it: the last written is the status.
        if all(self.seen[e] == set(self.written[:i]) for i, e in enumerate(self.written)):
            history = fold(self.written)
            assert history.events == tuple(self.written)
            assert history.contested == ()
            assert history.status == (self.written[-1].status if self.written else "received")

    @invariant()
    def counters_holding_every_event_agree_with_the_centre(self) -> None:
        everything = fold(self.written)
        for held in self.held.values():
            if held == set(self.written):
                assert fold(held) == everything


Office.TestCase.settings = settings(max_examples=150, stateful_step_count=30, deadline=None)
test_an_office_converges = Office.TestCase


@pytest.mark.parametrize("n", [2, 3])
def test_everyone_caught_up_agrees(n: int) -> None:
    # Two or three counters collect the same ready request while apart, then all catch up:
    # every one of them folds the same status and contests the same late hand-overs.
    base = [ev(1, "in_process", "dev-a", 1), ev(2, "ready", "dev-a", 2)]
    collected = [ev(1, "collected", d, 3) for d in DEVICES[:n]]
    everything = base + collected
    views = [fold(everything[i:] + everything[:i]) for i in range(len(everything))]
    assert all(v == views[0] for v in views)
    assert views[0].status == "collected"
    assert len(views[0].contested) == n - 1
