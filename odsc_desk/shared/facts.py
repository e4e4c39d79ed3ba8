"""The fact registry: every fact the counter sends to the centre, declared once.

A fact is a row of an append-only table. Its entry here says what the counter's schema holds for
it (columns, their type, which are required, the values they may take), the kind its op travels
under, how its id is derived and which column holds the device's time. From it come the outbox's
op kinds, the wire's columns (`sync.protocol`) and the centre's checks of each row; the counter's
schema and the centre's typed tables are held to it by tests/sync/test_fact_registry.py.

Adding a fact kind is one entry here, a counter migration (odsc_desk/storage/schema.py) and a
centre migration (sync/server/migrations): docs/ARCHITECTURE.md walks through it.

Pure: imported by both ends, so it may import nothing that opens a store.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from odsc_desk.shared.catalog_file import MAX_FEE
from odsc_desk.shared.request_history import STATUSES

# Text limits on the wire: an id or a number a person reads fits an index; any other text is
# held to a length no real entry reaches.
KEY_MAX = 100
TEXT_MAX = 2000
# JSON numbers past 2**53 lose precision in many readers; nothing the counter writes comes near.
INT_MAX = 2**53
# The largest amount a counter can record: the `max_amount` setting takes at most 15 digits.
AMOUNT_MAX = 10**15 - 1

METHODS = ("cash", "transfer")
FLOOR_KINDS = ("receipt", "tracking")
# The languages a citizen can have messages about a request in.
MESSAGE_LANGS = ("lo", "en")


@dataclass(frozen=True)
class Field:
    """One column of a fact as the counter's schema has it."""

    name: str
    type: type  # int or str: the JSON type on the wire
    required: bool = True
    key: bool = False  # an id or a number: at most KEY_MAX characters
    minimum: int | None = None
    maximum: int | None = None
    choices: tuple[str | int, ...] | None = None
    # Added after protocol v1 was released. A released centre refuses a batch naming a column it
    # does not know, so a counter sends one only to a centre whose status reply lists it under
    # "accepts" (sync/protocol.py, `accepted_row`); it is always optional.
    later: bool = False
    # What the office feed's encoding (sync/feed_encoding.py) may leave out, because the reader
    # knows it already: the ids a reference column holds (a fact table's, or "users"), a
    # device's clock (a time), and a column that is most often a copy of another.
    refers: str | None = None
    time: bool = False
    copy_of: str | None = None

    @property
    def max_length(self) -> int:
        return KEY_MAX if self.key else TEXT_MAX

    def problem(self, value: Any) -> str | None:
        """Why `value` is outside what the counter can write in this column, or None."""
        if self.choices is not None and value not in self.choices:
            return "choice"
        if self.minimum is not None and value < self.minimum:
            return "minimum"
        if self.maximum is not None and value > self.maximum:
            return "maximum"
        return None


def _text(name: str, required: bool = True, *, key: bool = False, **bounds: Any) -> Field:
    return Field(name, str, required, key, **bounds)


def _int(name: str, required: bool = True, **bounds: Any) -> Field:
    return Field(name, int, required, **bounds)


def _id(name: str = "id", refers: str | None = None) -> Field:
    """A row's own id (`id`), or one that names a row of `refers`."""
    return Field(name, str, key=True, refers=refers)


def _user(name: str) -> Field:
    return _id(name, "users")


def _time(name: str = "at") -> Field:
    """The device's clock when something happened (shared.clock.stamp)."""
    return Field(name, str, time=True)


def _amount(name: str, minimum: int = 1) -> Field:
    return _int(name, minimum=minimum, maximum=AMOUNT_MAX)


@dataclass(frozen=True)
class Fact:
    """A synced fact table."""

    table: str
    kind: str  # the action its rows are written under: an op's kind
    fields: tuple[Field, ...]
    # The columns its op_id is made of (joined by "/"): its UUID, or for a status event its
    # request, its device when about another counter's request, and its place among that
    # device's events on the request.
    id_fields: tuple[str, ...] = ("id",)
    device_time: str = "at"  # the column holding the device's clock when it was written
    # The column whose text starts with the writing counter's "{office}-{counter}-".
    numbered: str | None = None

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    def fact_id(self, row: Mapping[str, Any]) -> str:
        single = self._single
        if single is not None:  # most facts: the centre reads the id of every op it is pushed
            return str(row[single])
        # An optional id column (a status event's device) is left out when empty, so the ids of
        # rows written before it existed stay what they were; a required one must be there.
        return "/".join(
            str(row[n]) for n in self.id_fields if n not in self._optional or row.get(n) is not None
        )

    @cached_property
    def _single(self) -> str | None:
        """The id column, when the id is that one required column alone."""
        names = self.id_fields
        return names[0] if len(names) == 1 and names[0] not in self._optional else None

    @cached_property
    def _optional(self) -> frozenset[str]:
        return frozenset(f.name for f in self.fields if not f.required)


FACTS: dict[str, Fact] = {
    fact.table: fact
    for fact in (
        Fact(
            "requests",
            "request_recorded",
            (
                _id(),
                _text("tracking", key=True),
                _text("business_date"),
                _int("daily_seq", minimum=1),
                _time("created_at"),
                _user("created_by"),
                _text("citizen_name"),
                Field("name_key", str, copy_of="citizen_name"),
                _text("phone", False),
                _text("id_number", False),
                _text("village", False),
                _text("service_code"),
                _int("catalog_version", minimum=1),
                # A request's fee is its catalog's, and no catalog a counter can import holds
                # more than MAX_FEE. The counter's schema checks only `fee >= 0`: its catalog
                # import is what keeps the upper bound, so no migration adds it there.
                _int("fee", minimum=0, maximum=MAX_FEE),
                _text("promised_date"),
                _text("documents"),
                # The citizen agreed at the counter to a message on their phone when the
                # request is ready or returned for documents (1; NULL when not asked or
                # declined, so the row is what a released counter wrote), and its language.
                Field("sms_consent", int, False, choices=(1,), later=True),
                Field("sms_lang", str, False, choices=MESSAGE_LANGS, later=True),
            ),
            device_time="created_at",
            numbered="tracking",
        ),
        Fact(
            "status_events",
            "status_changed",
            (
                _id("request_id", "requests"),
                _int("seq", minimum=1),
                _text("status", choices=STATUSES),
                _text("reason", False),
                _time("at"),
                _user("by"),
                # A late request's new date (YYYY-MM-DD), told the citizen on the new-date
                # notice: an event of that kind keeps the request's status (NULL on any other).
                Field("new_date", str, False, later=True),
                # The event's Lamport clock: one more than the largest of the request's events
                # the counter held when it wrote it. It orders the events of a request that
                # several counters of an office change (docs/OFFICE_SHARING.md, D4); NULL on
                # every event written before store m012.
                Field("clock", int, False, minimum=1, maximum=INT_MAX, later=True),
                # The writing device, on an event about another counter's request of the office
                # (D3): two counters apart would otherwise both write that request's next seq.
                # NULL on an event about the counter's own request, whose id stays request/seq.
                Field("device_id", str, False, key=True, later=True, refers="devices"),
            ),
            id_fields=("request_id", "device_id", "seq"),
        ),
        Fact(
            "payments",
            "payment_recorded",
            (
                _id(),
                _text("receipt", key=True),
                _int("receipt_year", minimum=1000, maximum=9999),
                _int("receipt_seq", minimum=1),
                _id("request_id", "requests"),
                _id("session_id", "cash_sessions"),
                _text("business_date"),
                _amount("amount"),
                _text("method", choices=METHODS),
                _time("at"),
                _user("by"),
            ),
            numbered="receipt",
        ),
        Fact(
            "voids",
            "payment_voided",
            (
                _id(),
                _id("payment_id", "payments"),
                _id("session_id", "cash_sessions"),
                _text("business_date"),
                _text("reason"),
                _user("approved_by"),
                _time("at"),
                _user("by"),
            ),
        ),
        Fact(
            "refunds",
            "payment_refunded",
            (
                _id(),
                _id("payment_id", "payments"),
                _id("session_id", "cash_sessions"),
                _text("business_date"),
                _amount("amount"),
                _text("reason"),
                _user("approved_by"),
                _time("at"),
                _user("by"),
            ),
        ),
        Fact(
            "cash_sessions",
            "cash_opened",
            (
                _id(),
                _text("business_date"),
                _time("opened_at"),
                _user("opened_by"),
                _amount("float_amount", minimum=0),
            ),
            device_time="opened_at",
        ),
        Fact(
            "cash_closes",
            "cash_closed",
            (
                _id(),
                _id("session_id", "cash_sessions"),
                _time("closed_at"),
                _user("closed_by"),
                _amount("counted", minimum=0),
                # Kip in a drawer: the float plus the day's cash payments (each at most a fee,
                # MAX_FEE) less its voids and refunds, so within the amount bound either way
                # (below zero when a refund gives back an earlier day's payment). The counter's
                # schema has no CHECK on it: its cash rules (domain/cash.py) compute it, nobody
                # types it, so no migration adds one there.
                _int("expected", minimum=-AMOUNT_MAX, maximum=AMOUNT_MAX),
                _int("difference", minimum=-INT_MAX, maximum=INT_MAX),
                _text("approved_by", False, key=True),
            ),
            device_time="closed_at",
        ),
        Fact(
            "feedback",
            "feedback_recorded",
            (
                _id(),
                _id("request_id", "requests"),
                _int("rating", minimum=1, maximum=5),
                _text("comment", False),
                _time("at"),
                _user("by"),
            ),
        ),
        Fact(
            "closures",
            "closure_added",
            (_id(), _text("date"), _text("reason"), _time("created_at"), _user("created_by")),
            device_time="created_at",
        ),
        Fact(
            "sequence_floors",
            "floor_raised",
            (
                _id(),
                _text("kind", choices=FLOOR_KINDS),
                _text("period"),
                _int("floor", minimum=0),
                _text("reason"),
                _time("at"),
                _text("by", False, key=True),
            ),
        ),
        Fact(
            "receipt_prints",
            "receipt_printed",
            (
                _id(),
                _id("payment_id", "payments"),
                _int("seq", minimum=1),
                _int("copy", choices=(0, 1)),
                _text("format"),
                _time("at"),
                _user("by"),
            ),
        ),
    )
}

# An op's kind, by the table its fact is a row of.
KINDS: dict[str, str] = {table: fact.kind for table, fact in FACTS.items()}
