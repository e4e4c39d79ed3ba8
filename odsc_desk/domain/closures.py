"""Days the office is shut beyond the national holidays (a local festival, a flood)."""

from __future__ import annotations

from datetime import date
from typing import Any

from odsc_desk.domain.users import Actor, require_role
from odsc_desk.shared.errors import ValidationError
from odsc_desk.shared.ids import new_id
from odsc_desk.shared.text import REASON_MAX, clean_required
from odsc_desk.storage import ledger
from odsc_desk.storage.store import Store


def add_closure(store: Store, actor: Actor, day: date, reason: str) -> dict[str, Any]:
    """Promised dates computed after this skip `day`; requests already taken keep theirs."""
    require_role(actor, "supervisor")
    text = clean_required(reason, "reason", REASON_MAX)
    with store.transaction():
        if store.scalar("SELECT 1 FROM closures WHERE date = ?", (day.isoformat(),)):
            raise ValidationError("closure.exists", "date", date=day.isoformat())
        row = {
            "id": new_id(),
            "date": day.isoformat(),
            "reason": text,
            "created_at": store.now_stamp(),
            "created_by": actor.id,
        }
        ledger.append(store, "closures", row)
    return row


def list_closures(store: Store) -> list[dict[str, Any]]:
    return store.all("SELECT date, reason FROM closures ORDER BY date")
