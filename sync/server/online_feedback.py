"""A citizen's rating given online, from the appointment slip's QR: once per request.

The product's rule is one rating a request (a counter refuses a second: domain.feedback), and
the first the centre holds counts. Online, a rating is refused when the centre already holds
one, from the counter or online (`online_feedback`'s key is the request: two at once cannot both
be stored). A counter's rating that arrives after an online one (taken while the counter had
not yet synced) is stored as every fact is but not counted again (projection._feedback).

An online rating counts where a counter's does: on the Vientiane day it was given, against its
request's office, counter, service and clerk, in `feedback`, `rating_sum` and `rating_N`, and
in `feedback_online` too, so the satisfaction figure can say how many came online. Written with
its roll-ups in one transaction, like a push.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum

from sqlalchemy import Connection, Engine, exists, select
from sqlalchemy.exc import IntegrityError

from odsc_desk.shared.clock import local_date, stamp
from odsc_desk.shared.errors import ValidationError
from odsc_desk.shared.text import clean_optional
from sync.server import rollups
from sync.server.db import feedback, online_feedback, requests, write_all, writing
from sync.server.rollups import Contribution

# Shorter than a counter's comment (1,000): typed on a phone, and a public form is a target.
COMMENT_MAX = 500


class Given(Enum):
    STORED = "stored"
    ALREADY = "already"  # the request was rated before, at the counter or online


def clean_rating(value: str | None) -> int:
    text = (value or "").strip()
    if text not in ("1", "2", "3", "4", "5"):
        raise ValidationError("feedback.rating", "rating")
    return int(text)


def clean_comment(value: str | None) -> str | None:
    """NFC, trimmed, at most COMMENT_MAX characters, no control characters; ValidationError."""
    return clean_optional(value, "comment", COMMENT_MAX)


def rated(conn: Connection, request_id: str) -> bool:
    """Whether the centre holds a rating of the request, from the counter or online."""
    counter = exists().where(feedback.c.request_id == request_id)
    online = exists().where(online_feedback.c.request_id == request_id)
    return bool(conn.execute(select(counter | online)).scalar_one())


def give(engine: Engine, request_id: str, rating: int, comment: str | None, now: datetime) -> Given:
    """Store and count a rating of a request the caller found by its slip's code."""
    try:
        with writing(engine) as conn:
            if rated(conn, request_id):
                return Given.ALREADY
            r = conn.execute(
                select(
                    requests.c.office,
                    requests.c.counter,
                    requests.c.service_code,
                    requests.c.created_by,
                ).where(requests.c.id == request_id)
            ).one()
            day = local_date(now).isoformat()
            conn.execute(
                online_feedback.insert().values(
                    request_id=request_id,
                    office=r.office,
                    counter=r.counter,
                    business_date=day,
                    rating=rating,
                    comment=comment,
                    at=stamp(now),
                    service_code=r.service_code,
                    request_by=r.created_by,
                )
            )
            counts = {
                "feedback": 1,
                "rating_sum": rating,
                f"rating_{rating}": 1,
                "feedback_online": 1,
            }
            contribution = Contribution(
                day, r.office, r.counter, r.service_code, counts, r.created_by
            )
            write_all(conn, rollups.writes([contribution]))
    except IntegrityError:  # the same request rated at the same moment: that one counts
        return Given.ALREADY
    return Given.STORED
