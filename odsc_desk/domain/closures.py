"""Days the office is shut beyond the national holidays (a local festival, a flood)."""

from __future__ import annotations

from datetime import date
from typing import TypedDict

from odsc_desk.domain.users import Actor, require_role
from odsc_desk.shared.errors import ValidationError
from odsc_desk.shared.ids import new_id
from odsc_desk.shared.text import REASON_MAX, clean_required
from odsc_desk.storage import ledger
from odsc_desk.storage.store import Store


class Closure(TypedDict):
    """A row of `closures`."""

    id: str
    date: str
    reason: str
    created_at: str
    created_by: str  # user id


class ClosureDay(TypedDict):
    """A closure as the list shows it."""

    date: str
    reason: str


def add_closure(store: Store, actor: Actor, day: date, reason: str) -> Closure:
    """Promised dates computed after this skip `day`; requests already taken keep theirs."""
    require_role(actor, "supervisor")
    text = clean_required(reason, "reason", REASON_MAX)
    with store.transaction():
        if store.scalar("SELECT 1 FROM closures WHERE date = ?", (day.isoformat(),)):
            raise ValidationError("closure.exists", "date", date=day.isoformat())
        row: Closure = {
            "id": new_id(),
            "date": day.isoformat(),
            "reason": text,
            "created_at": store.now_stamp(),
            "created_by": actor.id,
        }
        ledger.append(store, "closures", row)
    return row


def list_closures(store: Store) -> list[ClosureDay]:
    return store.all_as(ClosureDay, "SELECT date, reason FROM closures ORDER BY date")
