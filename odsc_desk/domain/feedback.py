"""Citizen feedback: one rating (1–5) and an optional comment per request."""

from __future__ import annotations

from typing import TypedDict

from odsc_desk.domain.service_requests import get_request
from odsc_desk.domain.users import Actor, require_role
from odsc_desk.shared.errors import StateError, ValidationError
from odsc_desk.shared.ids import new_id
from odsc_desk.shared.text import COMMENT_MAX, clean_optional
from odsc_desk.storage import ledger
from odsc_desk.storage.store import Store


class Feedback(TypedDict):
    """A row of `feedback`."""

    id: str
    request_id: str
    rating: int  # 1 to 5
    comment: str | None
    at: str
    by: str  # user id


class FeedbackRecord(Feedback):
    """Feedback as `record_feedback` returns it: the row, with its request's tracking number."""

    tracking: str


def record_feedback(
    store: Store, actor: Actor, tracking: str, rating: int | str, comment: str | None = None
) -> FeedbackRecord:
    require_role(actor, "clerk")
    try:
        value = int(str(rating).strip())
    except ValueError:
        value = 0
    if not 1 <= value <= 5 or str(rating).strip() != str(value):
        raise ValidationError("feedback.rating", "rating")
    text = clean_optional(comment, "comment", COMMENT_MAX)
    with store.transaction():
        request = get_request(store, tracking)
        if request["feedback"] is not None:
            raise StateError("feedback.already", "tracking", tracking=request["tracking"])
        row: Feedback = {
            "id": new_id(),
            "request_id": request["id"],
            "rating": value,
            "comment": text,
            "at": store.now_stamp(),
            "by": actor.id,
        }
        ledger.append(store, "feedback", row)
    return {**row, "tracking": request["tracking"]}
