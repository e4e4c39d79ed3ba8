"""The office's facts from the centre: every fact the office's other counters wrote, read from
the centre's office feed by cursor (docs/OFFICE_SHARING.md, D5 and D6) and kept apart from this
counter's own (odsc_desk/storage/office_facts.py, D1).

Each page is read back byte for byte (sync/feed_encoding.py: a page that does not match its
digest is refused whole, and the cursor stays), then each of its facts is checked as the centre
checks a push (D6):
- its row has the wire's shape and the registry's bounds, and the rules a counter keeps
  (`protocol.row_problem`, `fact_rules.refusal`), its number in its origin's series;
- its origin is a counter of this office in the page's roster, and not this counter;
- a fact already held under its id is the same fact (`conflict.content`); a fact with another
  id at a seq of its device already held is of the device's next life (a counter restored from
  an older backup reuses the seqs its lost copy pushed: odsc_desk/storage/office_facts.py);
- what it refers to (a request, a payment, a cash session) is a fact of this office that this
  counter holds, its own or pulled, or one before it in the feed.
A fact refused is kept nowhere: it is counted (`office_pull.refused`) and logged, and the cursor
moves past it, as the centre's push moves past an op it refuses. Each page is kept in one
transaction with the cursor, so a run cut short anywhere loses nothing and doubles nothing.

A centre from before the feed answers 404: the counter then holds no office facts, and the sync
goes on.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeGuard

import requests

from odsc_desk.api import Store, office_facts, office_heads
from odsc_desk.shared import ops_set
from odsc_desk.shared.facts import FACTS
from odsc_desk.shared.ops_set import OpsSet
from sync import fact_rules, feed_encoding, protocol
from sync.errors import SyncError
from sync.feed_encoding import FeedError, FeedHead, FeedOp, Roster
from sync.protocol import OFFICE_FEED, Op
from sync.transport import Transport

log = logging.getLogger(__name__)

PAGE = protocol.MAX_OPS  # positions asked for a page: a catch-up takes as few round trips as it can
AHEAD = 2  # pages asked for while one is being kept
_KEY = re.compile(r"[0-9a-f]{64}")  # an Ed25519 public key in hex


@dataclass
class Pulled:
    """What one pull did: facts kept and refused, pages read, and the centre's time of the last."""

    kept: int = 0
    refused: int = 0
    waiting: int = 0  # facts read and not kept yet, waiting for their counter's head (D9)
    pages: int = 0
    as_of: str | None = None
    reasons: dict[str, int] = field(default_factory=dict)  # facts refused, by reason


def pull(store: Store, transport: Transport) -> Pulled | None:
    """Read the office feed from where the last read stopped until it has no more; None when
    the centre has no feed (a released one).

    While a catch-up has more pages, the next two are asked for before this one is checked and
    kept: the centre reads and sends them while this counter works, so a long catch-up takes
    about the time its bytes take on the link. The second is a guess (a page is PAGE positions,
    so a full page ends PAGE further on; a server before heads counted ops, without a gap
    then); a guess that proves wrong is dropped."""
    pulled = Pulled()
    after = office_facts.state(store)["after"]
    response = _page(transport, after)  # most runs read one page: in this thread
    if response.status_code == 404:
        # A centre before the feed (request.not_found, or no problem body behind a proxy):
        # today's never answers the path 404, and the push proved it is the centre.
        return None
    # Its threads start only when a page is asked for ahead.
    with ThreadPoolExecutor(max_workers=AHEAD, thread_name_prefix="odsc-office-feed") as pool:
        asked: dict[int, Future[requests.Response]] = {}
        try:
            while True:
                if response.status_code != 200:
                    raise transport.refusal(response)
                answer = transport.json(response)
                if isinstance(answer, dict) and answer.get("more") is True:
                    for guess in _following(answer.get("next"), after):
                        if guess not in asked:
                            asked[guess] = pool.submit(_page, transport, guess)
                after, more = _keep_page(store, answer, after, pulled)
                pulled.pages += 1
                if not more:
                    return pulled
                if after not in asked:  # the guess was wrong: ask for the page there is
                    asked[after] = pool.submit(_page, transport, after)
                response = asked.pop(after).result()
        finally:
            for future in asked.values():
                future.cancel()


def _page(transport: Transport, after: int) -> requests.Response:
    return transport.call(
        "GET", f"{OFFICE_FEED}?after={after}&limit={PAGE}", headers={"Accept-Encoding": "br, gzip"}
    )


def _following(next_pos: Any, after: int) -> list[int]:
    """The pages to ask for ahead: the one `next` starts, and a guess at the one after."""
    if not _is_int(next_pos) or next_pos <= after:
        return []
    return [next_pos + PAGE * n for n in range(AHEAD)]


def _keep_page(store: Store, answer: Any, after: int, pulled: Pulled) -> tuple[int, bool]:
    own = store.office
    try:
        roster, next_pos, more, as_of = feed_encoding.frame(answer, after, own["office_code"])
        items = feed_encoding.decode(roster, after, answer)
        heads = feed_encoding.decode_heads(roster, after, next_pos, answer)
        keys = _keys(answer)
    except FeedError as exc:
        raise SyncError("sync.office_invalid", retry=False, detail=str(exc)) from exc
    if any(device_id == own["device_id"] for device_id, _ in roster.devices):
        raise SyncError("sync.office_invalid", retry=False, detail="this counter in the roster")
    if any(item.pos > next_pos for item in items):
        raise SyncError("sync.office_invalid", retry=False, detail="a position past 'next'")
    covered = _covered(store, roster, keys, items, heads)
    kept, refused, waits = _checked(store, roster, covered.ready, covered.waiting)
    for where, reason in refused:
        pulled.reasons[reason] = pulled.reasons.get(reason, 0) + 1
        log.warning("office feed: %s refused: %s", where, reason)
    devices = [(d["device_id"], d["counter"], d.get("key_id")) for d in answer["devices"]]
    waiting = covered.waiting + waits
    office_facts.keep(
        store,
        devices,
        kept,
        after=next_pos,
        as_of=as_of,
        refused=len(refused),
        heads=office_heads.Page(covered.origins, waiting),
    )
    pulled.waiting = len(waiting)
    pulled.kept += len(kept)
    pulled.refused += len(refused)
    pulled.as_of = as_of
    return next_pos, more


def _keys(answer: Any) -> dict[str, str | None]:
    """Each counter's key (hex) as the roster names it (none from a server before heads)."""
    keys: dict[str, str | None] = {}
    for device in answer["devices"]:
        key = device.get("public_key")
        if key is not None and not (isinstance(key, str) and _KEY.fullmatch(key)):
            raise FeedError("a counter's key")
        keys[device["device_id"]] = key
    return keys


@dataclass
class _Covered:
    """A page read against the heads: the facts to check now, in feed order; those that wait for
    a head; and every counter's set after the page."""

    ready: list[FeedOp]
    waiting: list[office_heads.Waiting]
    origins: list[office_heads.Origin]


def _covered(
    store: Store,
    roster: Roster,
    keys: dict[str, str | None],
    items: list[FeedOp],
    heads: list[FeedHead],
) -> _Covered:
    """Count each fed op in its counter's set, and check each head against the set it names
    (D9): a head that does not match, or is not its counter's, refuses the page whole. A
    counter's facts read after its newest head wait for the next one; those of a counter that
    never showed a head are taken as a released counter's. Facts that waited are taken when a
    head covers them, or (verified already) when what they refer to is held."""
    origins = office_heads.origins(store)
    counters = dict(roster.devices)
    for device_id, key in keys.items():
        origin = origins.setdefault(device_id, office_heads.Origin(device_id, OpsSet(), key, False))
        if origin.public_key is None:
            origin.public_key = key
        elif key is not None and key != origin.public_key:
            # A roster without it (a server before heads) leaves the key as first named.
            raise _invalid(f"the key of counter {counters[device_id]} changed")
    ready: list[FeedOp] = []
    open_: dict[str, list[FeedOp]] = {}
    for waiting in office_heads.waiting(store):
        fed = _fed(waiting)
        if waiting.verified:
            ready.append(fed)
        else:
            open_.setdefault(waiting.device_id, []).append(fed)
    events: list[FeedOp | FeedHead] = sorted([*items, *heads], key=lambda e: e.pos)
    for event in events:
        origin = origins[event.device_id]
        if isinstance(event, FeedOp):
            origin.ops.add(event.op.seq, event.op.op_id, event.op.sha256.hex())
            open_.setdefault(event.device_id, []).append(event)
            continue
        head = event.head
        if (
            origin.public_key is None
            or not ops_set.signed_by(origin.public_key, event.device_id, head)
            or (head.count, head.digest) != (origin.ops.count, origin.ops.digest())
        ):
            raise _invalid(
                f"counter {counters[event.device_id]}'s facts and its signed head differ"
            )
        origin.signing = True
        ready += open_.pop(event.device_id, [])
    waiting_now: list[office_heads.Waiting] = []
    for device_id, left in open_.items():
        if origins[device_id].signing:
            waiting_now += [_waiting(item, verified=False) for item in left]
        else:
            ready += left
    return _Covered(sorted(ready, key=lambda i: i.pos), waiting_now, list(origins.values()))


def _fed(waiting: office_heads.Waiting) -> FeedOp:
    payload = waiting.payload.encode()
    op = Op.held(waiting.seq, waiting.entity, json.loads(payload), hashlib.sha256(payload).digest())
    return FeedOp(waiting.pos, waiting.device_id, op)


def _waiting(item: FeedOp, *, verified: bool) -> office_heads.Waiting:
    op = item.op
    return office_heads.Waiting(
        item.pos, item.device_id, op.seq, op.entity, op.payload.decode(), verified
    )


def _invalid(detail: str) -> SyncError:
    return SyncError("sync.office_invalid", retry=False, detail=detail)


def _checked(
    store: Store, roster: Roster, items: list[FeedOp], waiting: list[office_heads.Waiting]
) -> tuple[list[office_facts.Foreign], list[tuple[str, str]], list[office_heads.Waiting]]:
    """The page's facts this counter keeps, in position order, (device/seq, reason) of those it
    refuses (D6), and those that refer to a fact that waits (they wait with it)."""
    counters = dict(roster.devices)
    held = office_facts.held(store, [(item.device_id, item.op.seq) for item in items])
    pending = _ids_of(waiting)
    references: dict[str, set[str]] = {table: set() for table in office_facts.REFERRED}
    for item in items:
        for f in FACTS[item.op.entity].fields:
            if f.refers in references and isinstance(item.op.row.get(f.name), str):
                references[f.refers].add(item.op.row[f.name])
    known = {table: office_facts.known_ids(store, table, ids) for table, ids in references.items()}
    kept: list[office_facts.Foreign] = []
    refused: list[tuple[str, str]] = []
    waits: list[office_heads.Waiting] = []
    for item in items:
        op, key = item.op, (item.device_id, item.op.seq)
        prefix = f"{roster.office}-{counters[item.device_id]}-"
        reason = protocol.row_problem(op.entity, op.row) or fact_rules.refusal(
            op.entity, op.row, prefix, item.device_id
        )
        at_seq = held.get(key, [])
        if reason is None and any(h.payload == op.payload for h in at_seq):
            continue  # already held as it is: a page read again
        if reason is None and any(h.op_id == op.op_id for h in at_seq):
            reason = "conflict.content"  # a fact held, changed
        if reason is None:
            reason = _reference_refusal(op.entity, op.row, known)
            if (
                reason is not None
                and _reference_refusal(op.entity, op.row, _with(known, pending)) is None
            ):
                # What it refers to waits for its counter's head: this waits with it.
                waits.append(_waiting(item, verified=True))
                pending.setdefault(op.entity, set()).update(_own_id(op.entity, op.row))
                continue
        if reason is not None:
            refused.append((f"{item.device_id}/{op.seq}", reason))
            continue
        # Another fact at a seq held: the device was restored from an older backup and wrote
        # it under a seq its lost copy had used (office_facts: its next life).
        held[key] = [*at_seq, office_facts.Held(op.op_id, op.payload)]
        if op.entity in known:
            known[op.entity].add(op.row["id"])
        kept.append(
            office_facts.Foreign(item.device_id, op.seq, op.entity, op.row, life=len(at_seq))
        )
    return kept, refused, waits


def _ids_of(waiting: list[office_heads.Waiting]) -> dict[str, set[str]]:
    """The ids of the facts that wait, by table (those a fact may refer to)."""
    found: dict[str, set[str]] = {}
    for w in waiting:
        found.setdefault(w.entity, set()).update(_own_id(w.entity, json.loads(w.payload)))
    return found


def _own_id(entity: str, row: Any) -> set[str]:
    value = row.get("id") if entity in office_facts.REFERRED else None
    return {value} if isinstance(value, str) else set()


def _with(known: dict[str, set[str]], pending: dict[str, set[str]]) -> dict[str, set[str]]:
    return {table: ids | pending.get(table, set()) for table, ids in known.items()}


def _reference_refusal(entity: str, row: Any, known: dict[str, set[str]]) -> str | None:
    for f in FACTS[entity].fields:
        if f.refers in known and f.name in row and row[f.name] not in known[f.refers]:
            return f"ref.unknown:{f.name}"
    return None


def _is_int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)
