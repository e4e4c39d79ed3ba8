"""Messages to a citizen's phone: queued as a push arrives, sent by `odsc-server messages send`.

When a status event makes a request ready, returns it for missing documents, or gives a late
request a new date, and the citizen
agreed at the counter (the request's `sms_consent`, with a phone), the push's own transaction
queues one message for that event (`queue`): a push that stores nothing (a replay) queues
nothing, and the event's op id is unique in the table besides.

Sending is a command run by a timer (`send_due`), not a task inside `serve`: `serve --workers N`
and several servers behind a load balancer share one database, and each would otherwise send
the same queue; a timer runs one sender, the queue is claimed row by row all the same, and a
gateway that is down delays messages without touching the server's answers to the counters.
A message is tried until the gateway takes it, backing off 1, 2, 4 ... minutes (at most an
hour) after a timeout, a cut connection or a 5xx, and `failed` after `max_tries` tries or at
once when the gateway refuses it outright (a 4xx). At most `daily_cap` messages a Vientiane day
go to one phone: the next waits for the next day rather than being dropped. The gateway's id
is kept, and its delivery reports (sync/server/sms_reports.py) set `delivery`.

The phone is personal data: it is kept only to send to, and shown or logged only masked.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any, Protocol

from sqlalchemy import Connection, Engine, func, select, update

from odsc_desk.shared.clock import VIENTIANE, local_date, stamp
from sync.server import sms_gateway, sms_text
from sync.server.db import dialect_insert, messages, offices, reading, writing
from sync.server.problems import Refused

log = logging.getLogger("odsc.server.messages")

KINDS = sms_text.KINDS
DEFAULT_MAX_TRIES = 5
DEFAULT_DAILY_CAP = 3
FIRST_BACKOFF = timedelta(minutes=1)
LONGEST_BACKOFF = timedelta(hours=1)
# A message claimed by a sender that then died is tried again after this long.
CLAIM = timedelta(minutes=10)
DELIVERY_STATES = ("delivered", "pending", "failed", "expired", "rejected")


class _Request(Protocol):
    """The projection's request, as far as a message needs it."""

    tracking: str
    status_seq: int  # its latest status event's, once the push is taken
    latest_device: str | None  # that event's device, when other counters wrote on it too
    phone: str | None
    sms_lang: str | None


@dataclass(frozen=True)
class Notice:
    """A status event of a push that may warrant a message."""

    event_id: str
    request_id: str
    seq: int
    kind: str  # one of KINDS
    request: _Request
    new_date: str | None = None  # YYYY-MM-DD, for a "new_date" notice


def masked(phone: str) -> str:
    """What logs and lists show of a phone: its last three digits."""
    return "*" * max(len(phone) - 3, 0) + phone[-3:]


def queue(conn: Connection, office: str, notices: Sequence[Notice], now: str) -> int:
    """Queue a message for each notice, in the push's transaction; returns how many."""
    names = conn.execute(
        select(offices.c.name_lo, offices.c.name_en).where(offices.c.code == office)
    ).first()
    rows = []
    for notice in notices:
        request = notice.request
        if not request.phone:
            continue
        lang = request.sms_lang if request.sms_lang in ("lo", "en") else "lo"
        name = None if names is None else (names.name_lo if lang == "lo" else names.name_en)
        body = sms_text.compose(notice.kind, lang, request.tracking, office, name, notice.new_date)
        rows.append(
            {
                "event_id": notice.event_id,
                "request_id": notice.request_id,
                "office": office,
                "tracking": request.tracking,
                "phone": request.phone,
                "lang": lang,
                "kind": notice.kind,
                "body": body,
                "segments": sms_text.count(body).segments,
                "state": "queued",
                "attempts": 0,
                "created_at": now,
                "next_at": now,
            }
        )
    for row in rows:  # a handful a push: one statement each keeps ON CONFLICT simple
        statement = (
            dialect_insert(conn.dialect.name, messages)
            .values(**row)
            .on_conflict_do_nothing(index_elements=["event_id"])
        )
        conn.execute(statement)
    return len(rows)


@dataclass
class SendResult:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    deferred: int = 0  # held for the next day by the daily cap

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def send_due(
    engine: Engine,
    gateway: sms_gateway.Gateway,
    now: datetime,
    *,
    max_tries: int = DEFAULT_MAX_TRIES,
    daily_cap: int = DEFAULT_DAILY_CAP,
    limit: int = 500,
) -> SendResult:
    """Post every message due at `now` (at most `limit`), one at a time: each is claimed in a
    transaction of its own, posted outside any, and its outcome kept in a third, so a sender
    killed midway loses nothing and a second sender running at once takes other rows."""
    if max_tries < 1 or daily_cap < 1:
        raise Refused("--max-tries and --daily-cap must be at least 1", "messages.limits")
    result = SendResult()
    at = stamp(now)
    m = messages.c
    with reading(engine) as conn:
        due = (
            conn.execute(
                select(m.id)
                .where(m.state.in_(("queued", "sending")), m.next_at <= at)
                .order_by(m.next_at, m.id)
                .limit(limit)
            )
            .scalars()
            .all()
        )
    for message_id in due:
        claimed = _claim(engine, message_id, now, daily_cap)
        if claimed is None:
            continue
        if claimed == "deferred":
            result.deferred += 1
            continue
        outcome = sms_gateway.post(
            gateway, message_id, claimed["phone"], claimed["body"], claimed["encoding"]
        )
        state = _settle(engine, message_id, claimed["attempts"], outcome, now, max_tries)
        log.info(
            "message %s to %s: %s (%s)", message_id, masked(claimed["phone"]), state,
            outcome.detail or outcome.kind,
        )  # fmt: skip
        if state == "sent":
            result.sent += 1
        elif state == "failed":
            result.failed += 1
        else:
            result.retrying += 1
    return result


def _day_bounds(now: datetime) -> tuple[str, str]:
    """The Vientiane day of `now`, as UTC stamps [start, end)."""
    day = local_date(now)
    start = datetime.combine(day, time(), VIENTIANE)
    return stamp(start), stamp(start + timedelta(days=1))


def _claim(engine: Engine, message_id: int, now: datetime, daily_cap: int) -> Any:
    """The message to post, marked `sending` with one more try; "deferred" when its phone had
    its day's messages; None when another sender took it first."""
    m = messages.c
    at = stamp(now)
    with writing(engine) as conn:
        row = conn.execute(
            select(m.phone, m.body, m.attempts).where(
                m.id == message_id, m.state.in_(("queued", "sending")), m.next_at <= at
            )
        ).first()
        if row is None:
            return None
        start, end = _day_bounds(now)
        sent_today = conn.execute(
            select(func.count()).where(m.phone == row.phone, m.sent_at >= start, m.sent_at < end)
        ).scalar_one()
        if sent_today >= daily_cap:
            conn.execute(update(messages).where(m.id == message_id).values(next_at=end))
            return "deferred"
        attempts = row.attempts + 1
        conn.execute(
            update(messages)
            .where(m.id == message_id)
            .values(state="sending", attempts=attempts, next_at=stamp(now + CLAIM))
        )
    return {
        "phone": row.phone,
        "body": row.body,
        "attempts": attempts,
        "encoding": sms_text.count(row.body).encoding,
    }


def backoff(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed try."""
    return min(FIRST_BACKOFF * (1 << min(attempts - 1, 16)), LONGEST_BACKOFF)


def _settle(
    engine: Engine,
    message_id: int,
    attempts: int,
    outcome: sms_gateway.Outcome,
    now: datetime,
    max_tries: int,
) -> str:
    values: dict[str, Any]
    if outcome.kind == "sent":
        values = {"state": "sent", "sent_at": stamp(now), "gateway_id": outcome.gateway_id}
        values["last_error"] = outcome.detail or None
    elif outcome.kind == "retry" and attempts < max_tries:
        values = {
            "state": "queued",
            "next_at": stamp(now + backoff(attempts)),
            "last_error": outcome.detail,
        }
    else:
        values = {"state": "failed", "last_error": outcome.detail}
    with writing(engine) as conn:
        conn.execute(update(messages).where(messages.c.id == message_id).values(**values))
    return str(values["state"])


def record_delivery(conn: Connection, gateway_id: str, delivery: str, now: str) -> int | None:
    """Keep a delivery report; the message's id, or None when no message has that gateway id."""
    m = messages.c
    found = conn.execute(select(m.id).where(m.gateway_id == gateway_id)).scalar_one_or_none()
    if found is None:
        return None
    conn.execute(update(messages).where(m.id == found).values(delivery=delivery, delivery_at=now))
    return int(found)


LISTED = (
    "id", "office", "tracking", "kind", "lang", "segments", "state", "attempts", "created_at",
    "next_at", "sent_at", "gateway_id", "delivery", "delivery_at", "last_error",
)  # fmt: skip


def listing(engine: Engine, state: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
    """The newest messages (of one state if asked), each with its phone masked."""
    m = messages.c
    query = select(*(m[name] for name in LISTED), m.phone).order_by(m.id.desc()).limit(limit)
    if state is not None:
        query = query.where(m.state == state)
    with reading(engine) as conn:
        rows = [dict(r._mapping) for r in conn.execute(query)]
    for row in rows:
        row["phone"] = masked(row["phone"])
    return rows
