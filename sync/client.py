"""The counter's side of sync: enrollment, pushing the outbox, and pulling reference data.

One run (`sync_once`):
1. asks the centre what it holds for this counter (`/sync/status`). A centre that reports less
   than it once acknowledged lost data (restored from an older backup): the lost ops are rebuilt
   from their facts and queued again. The highest receipt and tracking numbers the centre holds
   raise this counter's number floors, so a counter restored from an older backup never hands
   out a number twice;
2. pushes the queue, oldest first, in batches that grow while the link copes and shrink when it
   does not, until the queue is empty or the network fails. Each reply is settled in one
   transaction: what the centre holds leaves the queue, what it refused is parked with its
   reason, and a batch whose reply never arrives is simply sent again (the centre stores each op
   once);
3. registers this counter's receipt key when the centre says it holds none (a counter enrolled
   before it had one; sync/server/device_keys.py), then pulls the centre's catalog if it
   changed (see sync/reference_pull.py), then its national calendar of public holidays and
   closures (sync/calendar_pull.py; an older centre has none);
4. reads the office's other counters' facts from the centre's office feed, from where the last
   read stopped, and keeps those that check (sync/office_pull.py; an older centre has none).

No step deletes anything the centre has not confirmed, so a run cut short at any point (a lost
reply, a killed process, a pulled cable) loses nothing and the next run doubles nothing.

Errors are returned in the result, not raised, so the app's background thread and the command
line share one path; the state row keeps the last one for `odsc sync status`.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypedDict, TypeGuard

import requests

from odsc_desk.api import (
    Actor,
    Office,
    Store,
    backups,
    catalog,
    office_facts,
    outbox,
    own_set,
    signing,
    sync_state,
    users,
)
from odsc_desk.shared.errors import OdscError, StoreError, ValidationError
from odsc_desk.shared.public_link import clean_address
from sync import anchor, calendar_pull, office_pull, ops_head, own_recovery, reference_pull
from sync.backoff import Backoff, BatchSize
from sync.errors import SyncError
from sync.protocol import (
    DEVICE_KEY,
    ENROLL,
    ENROLL_CHALLENGE,
    ENROLL_SIGNATURE,
    MAX_BODY,
    PUSH,
    STATUS,
    Op,
    accepted_row,
    device_key_message,
    encode_batch,
    enroll_proof_message,
    gzip_body,
)
from sync.transport import DEFAULT_TIMEOUTS, Transport, compact_json, problem_of

__all__ = ["Backoff", "SyncResult", "enroll", "is_configured", "status", "sync_once"]

# Whole-batch refusals that say something in the batch is wrong (not the token, not the address):
# the batch is split until the op at fault is alone, and that op is parked.
_BAD_CONTENT = frozenset({400, 413, 422})
_ENROLL_PROBLEMS = {
    "enroll.unknown": "sync.enroll_unknown",
    "enroll.used": "sync.enroll_used",
    "enroll.expired": "sync.enroll_expired",
    "enroll.mismatch": "sync.enroll_mismatch",
    "enroll.spent": "sync.enroll_spent",
    "enroll.proof": "sync.enroll_proof",
    "enroll.rate_limited": "sync.enroll_rate_limited",
}
_CODE = re.compile(r"[A-Za-z0-9 -]{1,64}")


# How far a push is: (ops the centre has answered for, ops that were waiting when it began).
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class SyncResult:
    """What one run did. `error` is a message code (shared.messages) when it stopped short;
    `retry` says whether trying again later, unchanged, may succeed. `catalog_version` is the
    catalog version that arrived in this run (None when the catalog did not change), and
    `calendar_version` the national calendar's."""

    ok: bool
    pushed: int = 0
    parked: int = 0
    pending: int = 0
    catalog_version: int | None = None
    calendar_version: int | None = None
    error: str | None = None
    message_lo: str | None = None
    message_en: str | None = None
    retry: bool = False
    requeued: int = 0
    floors_raised: int = 0
    # The centre's verdict on this counter's audit chain at the last push (sync/anchor.py):
    # "ok", "rewritten" or "behind"; None when no push was answered with one.
    chain: str | None = None
    # This run registered the counter's receipt key with a centre that held none for it.
    key_sent: bool = False
    # The office's other counters' facts this run kept and refused (sync/office_pull.py), and
    # the centre's time of the last page read: None when the centre has no office feed.
    office_kept: int = 0
    office_refused: int = 0
    # Facts of the office read and not kept yet: no head of their counter covers them yet.
    office_waiting: int = 0
    office_as_of: str | None = None
    # This counter's own facts taken back from the centre after a restore from an older backup
    # (sync/own_recovery.py).
    recovered: int = 0
    # The error itself, for a caller that raises it (the command line); not part of the data.
    failure: SyncError | None = field(default=None, repr=False, compare=False)


# -- the state row (m003) --------------------------------------------------------------------


def is_configured(store: Store) -> bool:
    state = sync_state.read(store)
    return bool(state.get("server_url") and state.get("token"))


def _record_error(store: Store, error: SyncError) -> None:
    sync_state.record(
        store,
        last_error_code=error.code,
        last_error_lo=error.message_lo,
        last_error_en=error.message_en,
    )


class LastError(TypedDict):
    code: str
    message_lo: str | None
    message_en: str | None


class SyncStatus(TypedDict):
    enrolled: bool
    server: str | None
    device_id: str
    office: str
    counter: int
    enrolled_at: str | None
    pending: int
    parked: int
    last_attempt: str | None
    last_success: str | None
    last_error: LastError | None
    acked_high_water: int
    catalog_version: int | None


def status(store: Store) -> SyncStatus:
    """The sync's state for people and for `odsc sync status --json`. Never the token."""
    state = sync_state.read(store)
    office = store.office
    error: LastError | None = None
    code = state["last_error_code"]
    if code:
        error = {
            "code": code,
            "message_lo": state["last_error_lo"],
            "message_en": state["last_error_en"],
        }
    return {
        "enrolled": bool(state.get("token")),
        "server": state.get("server_url"),
        "device_id": office["device_id"],
        "office": office["office_code"],
        "counter": office["counter"],
        "enrolled_at": state.get("enrolled_at"),
        "pending": outbox.pending_count(store),
        "parked": outbox.parked_count(store),
        "last_attempt": state.get("last_attempt"),
        "last_success": state.get("last_success"),
        "last_error": error,
        "acked_high_water": state.get("acked_high_water", 0),
        "catalog_version": catalog.current_version(store),
    }


# -- enrollment ------------------------------------------------------------------------------

# Failures after which the centre may have bound the key sent (the request may have reached it;
# its answer did not come back): the key is kept, so that the retry can prove it is this counter.
_MAYBE_BOUND = frozenset({"sync.offline", "sync.timeout", "sync.bad_reply", "sync.server_error"})


@dataclass(frozen=True)
class _EnrollKey:
    """The key an enrollment sends (its public part, hex) and signs a repeat's challenge with."""

    public_key: str
    sign: Callable[[bytes], bytes]


def _kept_key(store: Store) -> _EnrollKey | None:
    keys = signing.public_keys(store)
    if not keys:
        return None
    return _EnrollKey(keys[-1]["public_key"], lambda message: signing.sign(store, message)[1])


def enroll(
    store: Store,
    server_url: str,
    code: str,
    ca_bundle: str | None = None,
    *,
    session: requests.Session | None = None,
    timeouts: tuple[float, float] = DEFAULT_TIMEOUTS,
) -> dict[str, Any]:
    """Trade a one-time code for this counter's token and remember the server.

    Nothing is written until the centre's answer is in hand, so a lost reply leaves the store as
    it was. Trying again with the same code from this counter succeeds for some minutes: the
    centre asks the device that used a code to sign a challenge with the key it sent then, which
    this does with the counter's key (a counter that sent none cannot, and needs a new code).
    Raises SyncError.
    """
    return _enroll(
        store, server_url, code, ca_bundle, _kept_key(store), session=session, timeouts=timeouts
    )


def _enroll(
    store: Store,
    server_url: str,
    code: str,
    ca_bundle: str | None,
    key: _EnrollKey | None,
    keep: Callable[[], None] | None = None,
    *,
    session: requests.Session | None = None,
    timeouts: tuple[float, float] = DEFAULT_TIMEOUTS,
) -> dict[str, Any]:
    """`enroll` sending `key`; `keep()` runs in the transaction that records the token."""
    text = (code or "").strip()
    if not _CODE.fullmatch(text):
        raise SyncError("sync.code_invalid", retry=False)
    if ca_bundle is not None:
        # Kept absolute: later runs may start from another folder.
        ca_bundle = str(Path(ca_bundle).resolve())
    transport = Transport(
        server_url,
        device_time=store.now_stamp,
        ca_bundle=ca_bundle,
        session=session,
        timeouts=timeouts,
    )
    office = store.office
    body: dict[str, Any] = {
        "code": text,
        "device_id": office["device_id"],
        "office": office["office_code"],
        "counter": office["counter"],
    }
    if key is not None:
        body["public_key"] = key.public_key
    response = transport.call("POST", ENROLL, body=body)
    challenge = response.headers.get(ENROLL_CHALLENGE)
    if (
        response.status_code == 403
        and key is not None
        and challenge
        and problem_of(response)[0] == "enroll.proof"
    ):
        # This counter used the code before and its reply was lost: it proves it is the same
        # device, once (a second refusal is the answer).
        signature = key.sign(enroll_proof_message(challenge, office["device_id"]))
        proof = {
            ENROLL_CHALLENGE: challenge,
            ENROLL_SIGNATURE: base64.urlsafe_b64encode(signature).rstrip(b"=").decode(),
        }
        response = transport.call("POST", ENROLL, body=body, headers=proof)
    if response.status_code != 200:
        raise _enroll_refusal(transport, response, office)
    reply = transport.json(response)
    token = reply.get("token") if isinstance(reply, dict) else None
    if (
        not isinstance(token, str)
        or not token
        or reply.get("device_id") != office["device_id"]
        or reply.get("office") != office["office_code"]
        or reply.get("counter") != office["counter"]
    ):
        raise SyncError(
            "sync.bad_reply", retry=True, server=transport.base, detail="not this counter's token"
        )
    enrolled_at = store.now_stamp()
    try:
        public_url = clean_address(reply.get("public_url"))
    except ValidationError:
        public_url = None  # not an address: the next reference answer may bring a good one
    moved = sync_state.read(store)["server_url"] not in (None, transport.base)
    with store.transaction():
        if keep is not None:
            keep()
        if moved:  # from the centre to the office's hub, or back (docs/OFFICE_SHARING.md, D7)
            office_facts.read_from_start(store)
        sync_state.update(
            store,
            server_url=transport.base,
            token=token,
            ca_bundle=ca_bundle,
            enrolled_at=enrolled_at,
            public_url=public_url,
            last_error_code=None,
            last_error_lo=None,
            last_error_en=None,
        )
    return {
        "server": transport.base,
        "device_id": office["device_id"],
        "office": office["office_code"],
        "counter": office["counter"],
        "enrolled_at": enrolled_at,
    }


def enroll_counter(
    store: Store, admin: Actor, server_url: str, code: str, ca_bundle: str | None = None
) -> dict[str, Any]:
    """Enrollment as an admin does it, from any front end: the code traded for a token, with
    the counter's signing key.

    The centre checks receipts' signatures with the counter's public key, and a repeat of a used
    code by a signature with it, so the key travels with the first attempt. A counter without
    one yet gets a new key, kept once the centre may have bound it: with the token when the
    centre accepts, or when its answer is lost, so that the retry can prove itself. A refused
    enrollment changes nothing.
    """
    users.require_role(admin, "admin")
    if signing.public_keys(store):
        return enroll(store, server_url, code, ca_bundle)
    private = signing.new_private_key()
    key = _EnrollKey(
        signing.public_key_of(private), lambda message: signing.sign_with(private, message)
    )

    def keep() -> None:
        signing.keep_key(store, admin.id, private)

    try:
        return _enroll(store, server_url, code, ca_bundle, key, keep)
    except SyncError as exc:
        if exc.code in _MAYBE_BOUND:
            with store.transaction():
                keep()
        raise


def _enroll_refusal(transport: Transport, response: requests.Response, office: Office) -> SyncError:
    problem, _ = problem_of(response)
    if problem in _ENROLL_PROBLEMS:
        return SyncError(
            _ENROLL_PROBLEMS[problem],
            retry=problem == "enroll.rate_limited",
            status=response.status_code,
            office=office["office_code"],
            counter=office["counter"],
            minutes=_minutes(response.headers.get("Retry-After")),
        )
    return transport.refusal(response)


def _minutes(retry_after: str | None) -> int:
    """Whole minutes to wait, from a Retry-After in seconds (a missing or odd one: ten)."""
    if retry_after is None or not retry_after.strip().isdigit():
        return 10
    return max(1, -(-int(retry_after) // 60))


# -- one run ---------------------------------------------------------------------------------


def sync_once(
    store: Store,
    session: requests.Session | None = None,
    *,
    timeouts: tuple[float, float] = DEFAULT_TIMEOUTS,
    progress: Progress | None = None,
) -> SyncResult:
    """Push everything waiting, then pull reference data; see the module's docstring.
    `progress(done, total)` hears how far the push is, after each batch the centre answers."""
    state = sync_state.read(store)
    server_url, token = state["server_url"], state["token"]
    if not (server_url and token):
        error = SyncError("sync.not_enrolled", retry=False)
        return _result(store, ok=False, error=error)
    sizer = BatchSize(state["batch_size"])
    run = _Run(store, sizer, progress)
    try:
        sync_state.record(store, last_attempt=store.now_stamp())
        transport = Transport(
            server_url,
            device_time=store.now_stamp,
            token=token,
            ca_bundle=state["ca_bundle"],
            session=session,
            timeouts=timeouts,
        )
        run.reconcile(transport, state["acked_high_water"])
        # Before the push: what is taken back is held at the centre already, and leaves the
        # outbox without going up again.
        run.recovered = own_recovery.recover(store, transport)
        run.push_all(transport)
        run.send_key(transport)
        run.resign(transport)
        run.catalog_version = reference_pull.pull(store, transport)
        run.calendar_version = calendar_pull.pull(store, transport)
        run.office = office_pull.pull(store, transport)
    except OdscError as exc:
        if not isinstance(exc, SyncError):
            # The store itself (busy, full, read-only): nothing was lost, try again later.
            exc = SyncError(exc.code, retry=isinstance(exc, StoreError), **exc.params)
        try:
            sync_state.record(store, batch_size=sizer.size)
            _record_error(store, exc)
        except StoreError:
            pass  # the store refuses even this: the result still says what happened
        return _result(store, ok=False, error=exc, run=run)
    # A chain the centre flagged stays the last error, for `odsc sync status`, until a run whose
    # pushes it accepts as extending its head: the ops themselves went through.
    flag = _chain_flag(run.verdict)
    sync_state.record(
        store,
        batch_size=sizer.size,
        last_success=store.now_stamp(),
        last_error_code=flag.code if flag else None,
        last_error_lo=flag.message_lo if flag else None,
        last_error_en=flag.message_en if flag else None,
    )
    return _result(store, ok=True, run=run)


def _chain_flag(verdict: anchor.Verdict | None) -> OdscError | None:
    """The centre's flag on this counter's chain, as a message in Lao and English."""
    if verdict is None or not verdict.flagged:
        return None
    return OdscError(f"chain.{verdict.status}", seq=verdict.seq)


def _result(
    store: Store, *, ok: bool, error: SyncError | None = None, run: _Run | None = None
) -> SyncResult:
    return SyncResult(
        ok=ok,
        pushed=run.pushed if run else 0,
        parked=run.parked if run else 0,
        pending=outbox.pending_count(store),
        catalog_version=run.catalog_version if run else None,
        calendar_version=run.calendar_version if run else None,
        error=error.code if error else None,
        message_lo=error.message_lo if error else None,
        message_en=error.message_en if error else None,
        retry=error.retry if error else False,
        requeued=run.requeued if run else 0,
        floors_raised=run.floors_raised if run else 0,
        chain=run.verdict.status if run and run.verdict else None,
        key_sent=run.key_sent if run else False,
        office_kept=run.office.kept if run and run.office else 0,
        office_refused=run.office.refused if run and run.office else 0,
        office_waiting=run.office.waiting if run and run.office else 0,
        office_as_of=run.office.as_of if run and run.office else None,
        recovered=run.recovered if run else 0,
        failure=error,
    )


class _Run:
    """The counts and batch size of one sync_once."""

    def __init__(self, store: Store, sizer: BatchSize, progress: Progress | None = None) -> None:
        self._progress = progress
        self.store = store
        self.sizer = sizer
        self.device_id = store.office["device_id"]
        self.pushed = 0
        self.parked = 0
        self.requeued = 0
        self.floors_raised = 0
        self.catalog_version: int | None = None
        self.calendar_version: int | None = None
        self.verdict: anchor.Verdict | None = None  # the centre's, on this chain, at the last push
        # The later columns the centre takes (its status reply's "accepts"; none from a
        # released centre): the others are left out of what this run pushes.
        self.accepts: dict[str, list[str]] = {}
        # The centre said it holds no receipt key for this counter (its status reply's
        # "key_id" is null; a released centre's has none at all, and no endpoint to send it to).
        self.key_wanted = False
        self.key_sent = False
        self.office: office_pull.Pulled | None = None
        self.recovered = 0  # own facts taken back after a restore (sync/own_recovery.py)
        # The centre did not keep the head of this run's last push (sync/ops_head.py).
        self.head_unkept = False

    # 1. status ------------------------------------------------------------------------------
    def reconcile(self, transport: Transport, acked_high_water: int) -> None:
        response = transport.call("GET", STATUS)
        if response.status_code != 200:
            raise transport.refusal(response)
        reply = transport.json(response)
        high_water = reply.get("high_water") if isinstance(reply, dict) else None
        if not _whole(high_water) or reply.get("device_id", self.device_id) != self.device_id:
            raise SyncError(
                "sync.bad_reply", retry=True, server=transport.base, detail="status reply"
            )
        self.accepts = _accepts(reply.get("accepts"), transport)
        # The facts the centre takes on the office's other requests and receipts
        # (docs/OFFICE_SHARING.md, D2): the core offers those actions then, and only then.
        office_facts.record_writes(self.store, _office_writes(reply, self.accepts, transport))
        self.key_wanted = "key_id" in reply and reply["key_id"] is None
        if high_water < acked_high_water:
            self.requeued = outbox.requeue_after(self.store, high_water)
        marks = _number_marks(reply.get("numbers"), transport)
        # The same rule as after a local restore: keep numbering above anything issued.
        self.floors_raised = backups.raise_floors(self.store, marks, None, "centre")
        # The head the centre holds, in case the reply of the last push was lost: anchoring the
        # next push to an older head would be flagged "behind" without cause. A released
        # centre's status has no "anchor", and none yet is null.
        if reply.get("anchor") is not None:
            held = _held_anchor(reply, transport)
            if held is not None:
                anchor.remember(self.store, held)

    # 2. push --------------------------------------------------------------------------------
    def _report(self, total: int) -> None:
        if self._progress is not None:
            self._progress(min(self.pushed + self.parked, total), total)

    def push_all(self, transport: Transport) -> None:
        # A batch refused for its content: halve until the op at fault is alone, without
        # growing in between, then park it and go back to the size that worked before.
        resume: int | None = None
        total = outbox.pending_count(self.store)
        self._report(total)
        while True:
            # Only ops proven to be their facts leave; any other is parked, never sent.
            rows, tampered = outbox.sendable_batch(self.store, self.sizer.size)
            self.parked += tampered
            if not rows:
                return
            ops = [
                Op(
                    r["seq"],
                    r["entity"],
                    accepted_row(r["entity"], json.loads(r["payload"]), self.accepts),
                )
                for r in rows
            ]
            body = gzip_body(compact_json(encode_batch(self.device_id, ops)))
            if len(body) > MAX_BODY and len(ops) > 1:
                self.sizer.shrink()  # the centre would refuse it (413): no need to send it
                continue
            # Counted in before it leaves: the centre may hold it from now on (own_set.py).
            found = own_set.sent(self.store, [(r["seq"], r["op_id"], r["sha256"]) for r in rows])
            try:
                reply = self._push(
                    transport, body, ops_head.header(self.store, self.device_id, found)
                )
            except SyncError as exc:
                if exc.status in _BAD_CONTENT:
                    if len(ops) == 1:
                        self.parked += outbox.park(self.store, {ops[0].op_id: _reason(exc)})
                        if resume is not None:
                            self.sizer.size, resume = resume, None
                    else:
                        # Too large is about size, not content: nothing to hunt for.
                        if exc.status != 413 and resume is None:
                            resume = self.sizer.size
                        self.sizer.shrink()
                    continue
                if exc.timeout or (exc.status is not None and exc.status >= 500):
                    self.sizer.shrink()
                raise
            acked, refused = _read_reply(reply, ops, transport)
            _, held = outbox.settle(self.store, acked, refused)
            self.pushed += len(acked)
            self.parked += held
            self._anchor(reply, transport)
            self.head_unkept = ops_head.kept(reply) is False
            self._report(total)
            if resume is None:
                self.sizer.grow()

    def _anchor(self, reply: dict[str, Any], transport: Transport) -> None:
        """Keep the head the centre now holds, and its verdict on this chain. Read after the
        batch is settled: an unreadable anchor loses no op."""
        verdict = _held_anchor(reply, transport)
        if verdict is not None:
            anchor.remember(self.store, verdict)
            # One flag in a run is kept even if a later push of the run is accepted: the
            # centre flagged the chain this counter had when the run began.
            if self.verdict is None or not self.verdict.flagged:
                self.verdict = verdict

    def _push(self, transport: Transport, body: bytes, headers: dict[str, str]) -> Any:
        # The chain's head and anchor are read as the batch leaves (sync/anchor.py).
        response = transport.call(
            "POST",
            PUSH,
            body=body,
            gzipped=True,
            headers=anchor.push_headers(self.store) | headers,
        )
        if response.status_code != 200:
            raise transport.refusal(response)
        return transport.json(response)

    def resign(self, transport: Transport) -> None:
        """Send the head of the set as it stands now, alone, when the centre did not keep the
        last push's (an op refused since, or the key it now holds): once a run."""
        if not self.head_unkept:
            return
        headers = ops_head.header(self.store, self.device_id, own_set.current(self.store))
        if headers:
            body = gzip_body(compact_json(encode_batch(self.device_id, [])))
            self.head_unkept = ops_head.kept(self._push(transport, body, headers)) is False

    # 3. the receipt key, after the push so that nothing waits on it -------------------------
    def send_key(self, transport: Transport) -> None:
        """Register this counter's current receipt key when the centre holds none, so that its
        receipts and slips check there. A refusal other than the token's (an older centre's 404,
        a key bound meanwhile: 409) leaves the run as it was; while the centre holds none, the
        next run asks again."""
        keys = signing.public_keys(self.store)
        if not self.key_wanted or not keys:
            return
        current = keys[-1]
        message = device_key_message(self.device_id, current["public_key"])
        used, signature = signing.sign(self.store, message)
        if used != current["key_id"]:
            return  # a key made since it was read: the next run sends that one
        body = {
            "public_key": current["public_key"],
            "signature": base64.urlsafe_b64encode(signature).rstrip(b"=").decode(),
        }
        response = transport.call("POST", DEVICE_KEY, body=body)
        if response.status_code == 401:
            raise transport.refusal(response)
        self.key_sent = response.status_code == 200


def _held_anchor(reply: dict[str, Any], transport: Transport) -> anchor.Verdict | None:
    """The "anchor" of a status or push reply; an unreadable one is a bad reply."""
    try:
        return anchor.read_verdict(reply)
    except ValueError as exc:
        raise SyncError(
            "sync.bad_reply", retry=True, server=transport.base, detail=str(exc)
        ) from exc


def _whole(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _reason(exc: SyncError) -> str:
    problem = exc.params.get("problem", "-")
    detail = exc.params.get("detail", "")
    return f"refused (HTTP {exc.status}, {problem}): {detail}"


def _read_reply(
    reply: Any, ops: list[Op], transport: Transport
) -> tuple[list[str], dict[str, str]]:
    """(op_ids the centre holds, {op_id: reason} it refused). A reply that does not account
    for exactly this batch settles nothing: the batch stays queued and is sent again."""

    def bad(detail: str) -> SyncError:
        return SyncError("sync.bad_reply", retry=True, server=transport.base, detail=detail)

    if not isinstance(reply, dict):
        raise bad("push reply")
    by_seq = {op.seq: op for op in ops}
    refused: dict[str, str] = {}
    for key, label in (("conflicts", "conflict"), ("rejected", "rejected")):
        items = reply.get(key)
        if not isinstance(items, list):
            raise bad(f"push reply: {key}")
        for item in items:
            seq = item.get("seq") if isinstance(item, dict) else None
            op = by_seq.get(seq) if _whole(seq) else None
            if op is None or op.op_id in refused:
                raise bad(f"push reply: {key} names an op not sent")
            refused[op.op_id] = f"{label}: {item.get('reason', '')}"[:500]
    acked = [op.op_id for op in ops if op.op_id not in refused]
    stored, duplicates = reply.get("stored"), reply.get("duplicates")
    if not (_whole(stored) and _whole(duplicates) and stored + duplicates == len(acked)):
        raise bad("push reply: counts")
    return acked, refused


def _accepts(given: Any, transport: Transport) -> dict[str, list[str]]:
    """The status reply's {"accepts": {table: [column, ...]}}; absent from a released centre."""
    if given is None:
        return {}
    if not isinstance(given, dict) or not all(
        isinstance(cols, list) and all(isinstance(c, str) for c in cols) for cols in given.values()
    ):
        raise SyncError("sync.bad_reply", retry=True, server=transport.base, detail="accepts")
    return given


def _office_writes(
    reply: dict[str, Any], accepts: dict[str, list[str]], transport: Transport
) -> list[str]:
    """The status reply's "office_writes": the fact tables the centre takes from this counter
    on another counter's request or receipt of the office. A centre that answers without it
    (the first that took such facts) says so by taking a status event's `device_id`, and took
    status events and payments; a released one before it, none."""
    given = reply.get("office_writes")
    if given is None:
        shared = "device_id" in accepts.get("status_events", ())
        return ["payments", "status_events"] if shared else []
    if not isinstance(given, list) or not all(isinstance(t, str) for t in given):
        raise SyncError("sync.bad_reply", retry=True, server=transport.base, detail="office_writes")
    return given


def _number_marks(numbers: Any, transport: Transport) -> list[tuple[str, str, int]]:
    """The centre's {"receipt": {"2026": 123}, "tracking": {"261126": 42}} as floor marks in
    the periods sequence_floors uses ("2026", "2026-11-26")."""
    if numbers is None:
        return []
    bad = SyncError("sync.bad_reply", retry=True, server=transport.base, detail="status numbers")
    if not isinstance(numbers, dict):
        raise bad
    marks = []
    for kind, pattern in (("receipt", r"\d{4}"), ("tracking", r"\d{6}")):
        periods = numbers.get(kind, {})
        if not isinstance(periods, dict):
            raise bad
        for period, top in periods.items():
            if not re.fullmatch(pattern, period) or not _whole(top):
                raise bad
            if kind == "tracking":
                period = f"20{period[:2]}-{period[2:4]}-{period[4:]}"
            marks.append((kind, period, top))
    return marks
