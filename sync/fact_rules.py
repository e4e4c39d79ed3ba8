"""What a fact's row must be for a counter to have written it: the rules the centre holds every
pushed op to, and a counter every op it pulls from its office's feed (docs/OFFICE_SHARING.md,
D6). Within one row only; what a row refers to is checked against what each end holds.

Pure: both ends import it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from odsc_desk.shared.catalog_file import SERVICE_CODE_MAX
from odsc_desk.shared.facts import FACTS
from odsc_desk.shared.request_history import OPEN_STATUSES

_STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z")
_DATE = re.compile(r"\d{4}-\d\d-\d\d")
_YEAR = re.compile(r"\d{4}")


def refusal(entity: str, row: Mapping[str, Any], prefix: str, device_id: str) -> str | None:
    """Why the counter `device_id`, whose numbers start with `prefix` ("{office}-{counter}-"),
    could not have written `row`, or None. `row` has the wire's shape already
    (protocol.row_problem)."""
    fact = FACTS[entity]
    if fact.numbered is not None and not row[fact.numbered].startswith(prefix):
        return "op.office"
    if row.get("device_id", device_id) != device_id:
        return "row.value:device_id"  # a status event names the device that wrote it
    device_time = str(row[fact.device_time])
    if not _STAMP.fullmatch(device_time) or parse_stamp(device_time) is None:
        return f"row.value:{fact.device_time}"
    business_date = row.get("business_date")
    if business_date is not None and _parse_date(business_date) is None:
        return "row.value:business_date"
    # The values the counter's own schema and rules allow (the fact registry's bounds).
    for field in _BOUNDED[entity]:
        value = row.get(field.name)
        if value is not None and field.problem(value) is not None:
            return f"row.value:{field.name}"
    return _rule(entity, row)


# Each fact's columns that have bounds to check (choices, a minimum or a maximum): most have
# none, and the centre checks every op it is pushed.
_BOUNDED = {
    entity: tuple(f for f in fact.fields if (f.choices, f.minimum, f.maximum) != (None, None, None))
    for entity, fact in FACTS.items()
}


def _rule(entity: str, row: Mapping[str, Any]) -> str | None:
    """The counter's rules within one row that the registry's per-column bounds cannot say."""
    if FACTS[entity].id_fields == ("id",) and "/" in row["id"]:
        # "/" joins a status change's id (request/seq): a fact keyed by its own id never holds
        # one, so no other kind of fact can take a status change's id before it arrives.
        return "row.value:id"
    if entity == "requests":
        if len(row["service_code"]) > SERVICE_CODE_MAX:
            return "row.value:service_code"  # no catalog holds a longer one
        if _parse_date(row["promised_date"]) is None:
            return "row.value:promised_date"  # the counter computes it: always a date
    new_date = row.get("new_date") if entity == "status_events" else None
    if new_date is not None and (
        _parse_date(new_date) is None or row["status"] not in OPEN_STATUSES
    ):
        return "row.value:new_date"  # a day, on an event that keeps an open status
    if entity == "closures" and _parse_date(row["date"]) is None:
        return "row.value:date"  # the counter takes it from a date picker
    if entity == "sequence_floors" and not _floor_period(row):
        return "row.value:period"  # a business date for tracking, a year for receipts
    if entity == "cash_closes" and row["difference"] != row["counted"] - row["expected"]:
        return "row.value:difference"  # the counter computes it from the two
    return None


def _floor_period(row: Mapping[str, Any]) -> bool:
    if row["kind"] == "tracking":
        return _parse_date(row["period"]) is not None
    return row["kind"] == "receipt" and _YEAR.fullmatch(row["period"]) is not None


def parse_stamp(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _parse_date(text: str) -> date | None:
    if not _DATE.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None
