"""A request's status history: the statuses, the moves between them, and the one order and fold
that turn a request's status events into its current status (docs/OFFICE_SHARING.md, D4).

Today each request's events are written by one counter, one after another, and the latest is
the status. When the counters of an office share requests, two of them may change the same
request while apart; every counter and the centre must then reach the same status from the
same events, whatever order they received them in. So the order is not the wall clock (PCs'
clocks drift) nor arrival: it is a Lamport clock, with the writing device and its own count to
break ties, and the status is a fold of that order through TRANSITIONS. An event the fold
cannot take (a second hand-over, a refusal after the result was collected) is kept and marked
contested, so the supervisor sees it; it never moves the status.

Pure: imported by both ends (the counter's core and the centre) and by the fact registry, so it
imports nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

STATUSES = ("received", "incomplete", "in_process", "ready", "collected", "rejected", "withdrawn")
# A request starts "received" (its intake, not an event); the open ones are still being worked on.
FIRST_STATUS = "received"
OPEN_STATUSES = ("received", "incomplete", "in_process")
CLOSED_STATUSES = ("collected", "rejected", "withdrawn")
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "received": ("incomplete", "in_process", "rejected", "withdrawn"),
    "incomplete": ("in_process", "rejected", "withdrawn"),
    "in_process": ("ready", "incomplete", "rejected", "withdrawn"),
    "ready": ("collected",),
    "collected": (),
    "rejected": (),
    "withdrawn": (),
}


@dataclass(frozen=True)
class StatusEvent:
    """One status event of a request, as the fold needs it.

    `seq` counts the events its device wrote on the request (a released counter's seq counts
    all of the request's events: it was the only writer). `device_id` and `clock` are the
    office-sharing columns: a released counter writes neither. `new_date` marks a late
    request's new date, an event that keeps the status it names."""

    seq: int
    status: str
    device_id: str | None = None
    clock: int | None = None
    new_date: str | None = None

    @property
    def order(self) -> tuple[int, int, str, int]:
        """Where the event stands in its request's history. Events without a clock (written by
        a released counter, before any counter of the office shared it) come first, by seq;
        then clocked ones by clock, device and seq: a total order every end computes alike."""
        if self.clock is None:
            return (0, self.seq, "", 0)
        return (1, self.clock, self.device_id or "", self.seq)


@dataclass(frozen=True)
class History:
    """A request's events in their one order, folded."""

    status: str  # the current status
    events: tuple[StatusEvent, ...]  # every event, in order
    contested: tuple[StatusEvent, ...]  # those the fold could not take, in order

    @property
    def clock(self) -> int:
        """The largest clock among the events (0 with none): a device writing the next event
        on this request gives it one more (`next_clock`)."""
        return max((e.clock for e in self.events if e.clock is not None), default=0)

    @property
    def next_clock(self) -> int:
        return self.clock + 1


def takes(status: str, event: StatusEvent) -> bool:
    """Whether a request at `status` can take `event`: a move TRANSITIONS allows, or a new date
    on an open request that keeps its status."""
    if event.new_date is not None:
        return event.status == status and status in OPEN_STATUSES
    return event.status in TRANSITIONS[status]


def fold(events: Iterable[StatusEvent]) -> History:
    """The history of a request with these events, in any order given: each event in order
    moves the status if the status reached so far can take it, else it is contested."""
    ordered = tuple(sorted(events, key=lambda e: e.order))
    status = FIRST_STATUS
    contested = []
    for event in ordered:
        if takes(status, event):
            status = event.status
        else:
            contested.append(event)
    return History(status, ordered, tuple(contested))
