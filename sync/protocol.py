"""Sync protocol v1: what travels between a counter and the centre, shared by both ends.

A push carries ops grouped by table, each group a column list and rows of values, so a batch of
hundreds of visits repeats no key and gzip finds the repetition inside the values (the same user,
session, date and service). An op carries no hash of its own: its op_id and its sha256 are
recomputed from the row by the fact registry (`odsc_desk.shared.facts`) and its canonical JSON
(`shared.canonical`), exactly as the counter computed them when it wrote the fact. One digest
over the batch (sha256 of the ops' digests in order) proves the server rebuilt every row byte
for byte.

The op kind follows from the table (a row of `payments` is always a recorded payment), so it is
not sent either.
"""

from __future__ import annotations

import gzip
import hashlib
import re
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeGuard

from odsc_desk.shared.canonical import canonical
from odsc_desk.shared.facts import FACTS, INT_MAX, KEY_MAX, KINDS

VERSION = 1
PREFIX = "/api/v1"
PUSH = f"{PREFIX}/sync/push"
STATUS = f"{PREFIX}/sync/status"
REFERENCE = f"{PREFIX}/reference"
# The national calendar (sync/PROTOCOL_NOTES.md): a centre before it answers 404.
CALENDAR = f"{PREFIX}/reference/calendar"
# The office's feed (docs/OFFICE_SHARING.md, D5): a centre before it answers 404.
OFFICE_FEED = f"{PREFIX}/sync/office"
# A counter's own ops, read back after a restore from an older backup (sync/server/own_ops.py):
# a centre before it answers 404.
OWN_OPS = f"{PREFIX}/sync/own"
ENROLL = f"{PREFIX}/enroll"
# An office's hub at the centre (docs/OFFICE_SHARING.md, D7): it enrolls as the office's relay,
# announces the counters enrolled with it, and pushes their batches under their names (the
# header RELAY_ORIGIN). A centre before it answers 404.
RELAY_ENROLL = f"{PREFIX}/relay/enroll"
RELAY_DEVICES = f"{PREFIX}/relay/devices"
RELAY_PUSH = f"{PREFIX}/relay/push"
RELAY_ORIGIN = "X-Origin-Device"
REPORTS = f"{PREFIX}/reports"

# The counter's own clock at the moment of each call, so the centre can flag a clock that is off.
DEVICE_TIME_HEADER = "X-Device-Time"

# Asking again with a used enrollment code (its reply was lost): the centre answers 403
# `enroll.proof` with a challenge in ENROLL_CHALLENGE; the counter sends the same request again
# with that challenge and, in ENROLL_SIGNATURE, its Ed25519 signature (urlsafe base64, no
# padding) of `enroll_proof_message`, made with the key it enrolled with. Headers rather than
# body fields: a released centre refuses unknown fields but ignores unknown headers.
ENROLL_CHALLENGE = "X-Enroll-Challenge"
ENROLL_SIGNATURE = "X-Enroll-Signature"

# The centre's public address (ODSC_PUBLIC_URL), on every reference answer (200, 304, and 404
# `reference.none`) and as
# `public_url` in the enrollment reply: the counter prints links to it on receipts. A header, so
# that a released counter ignores it; a released centre sends none and counters print bare codes.
PUBLIC_URL_HEADER = "X-Public-URL"


# A counter enrolled without its receipt key (by a release before keys, or before its first
# receipt made one) registers it here once the status reply says the centre holds none
# (`key_id` null). A centre before this answers 404 and its status has no `key_id`.
DEVICE_KEY = f"{PREFIX}/sync/key"


def device_key_message(device_id: str, public_key: str) -> bytes:
    """What a counter signs with its receipt key to register that key's public part (hex) for
    itself: the proof that it holds the private part, bound to this one device."""
    return f"odsc-device-key/1\n{device_id}\n{public_key}".encode()


def enroll_proof_message(challenge: str, device_id: str) -> bytes:
    """What a counter signs to prove it is the device that used a code. The challenge already
    names the code and the device (the centre's MAC over both) and expires within minutes, so a
    signature fits one code, one device and one short moment."""
    return f"odsc-enroll-proof/1\n{challenge}\n{device_id}".encode()


# Limits the server enforces and the client stays under.
MAX_BODY = 4 * 1024 * 1024  # bytes on the wire (gzip)
MAX_INFLATED = 32 * 1024 * 1024  # after gunzip: a gzip bomb stops here
MAX_OPS = 2000  # per push
MAX_INT = INT_MAX
_UNWRITABLE = re.compile("[\x00\ud800-\udfff]")  # NUL, and a lone surrogate

# The wire's columns, per synced table, in the order a group lists them: the fact registry's.
# `True` marks a column a row must carry.
FIELDS: dict[str, dict[str, tuple[type, bool]]] = {
    table: {f.name: (f.type, f.required) for f in fact.fields} for table, fact in FACTS.items()
}
# The columns added after v1's release (`Field.later`), per table: the centre's status reply
# lists those it knows as {"accepts": {table: [column, ...]}}; a released centre lists none.
LATER: dict[str, tuple[str, ...]] = {
    table: tuple(f.name for f in fact.fields if f.later) for table, fact in FACTS.items()
}
# The facts a counter may write on another counter's request or receipt of its office
# (docs/OFFICE_SHARING.md, D2): a status change (naming its device, D3), a payment, a copy of a
# receipt. The centre's status reply lists those it takes as {"office_writes": [...]}.
OFFICE_WRITES = ("payments", "receipt_prints", "status_events")
# Where a row names its device time, for the centre's clock-skew check.
DEVICE_TIME: dict[str, str] = {table: fact.device_time for table, fact in FACTS.items()}


def device_time(entity: str, row: dict[str, Any]) -> str:
    return str(row[FACTS[entity].device_time])


class Problem(Exception):
    """A refusal, from anywhere in the centre: its HTTP status, a dotted machine `code` the
    counter maps to its own Lao and English message, and an explanation in English (the answer's
    RFC 9457 problem body). The root of the centre's errors."""

    def __init__(
        self, status: int, code: str, detail: str, headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail
        self.headers = headers


@dataclass(frozen=True)
class Op:
    """One fact on the wire: the device's sequence number (its audit-chain position), the table
    and the row as the counter stored it."""

    seq: int
    entity: str
    row: dict[str, Any]

    # Worked out once and kept in the instance's dict (the row is never changed after the op is
    # made): the centre reads an op's id, bytes and digest several times a push, and a pulled
    # page hashes each op for its digest, then compares it with what is held. Not
    # functools.cached_property: before Python 3.12 it takes one lock for every instance, and the
    # centre's threads queued on it.
    @property
    def op_id(self) -> str:
        kept: str | None = self.__dict__.get("_op_id")
        if kept is None:
            kept = self.__dict__["_op_id"] = FACTS[self.entity].fact_id(self.row)
        return kept

    @property
    def kind(self) -> str:
        return KINDS[self.entity]

    @classmethod
    def held(cls, seq: int, entity: str, row: dict[str, Any], sha256: bytes) -> Op:
        """An op as the centre stored it, with the sha256 it checked then."""
        op = cls(seq, entity, row)
        op.__dict__["_sha256"] = sha256  # what `sha256` would compute
        return op

    @property
    def payload(self) -> bytes:
        kept: bytes | None = self.__dict__.get("_payload")
        if kept is None:
            kept = self.__dict__["_payload"] = canonical(self.row)
        return kept

    @property
    def sha256(self) -> bytes:
        kept: bytes | None = self.__dict__.get("_sha256")
        if kept is None:
            kept = self.__dict__["_sha256"] = hashlib.sha256(self.payload).digest()
        return kept


@dataclass(frozen=True)
class Rejected:
    """An op the server will not store, with the reason the client parks it under."""

    seq: int
    op_id: str
    reason: str


def accepted_row(entity: str, row: dict[str, Any], accepts: Mapping[str, Any]) -> dict[str, Any]:
    """`row` as a centre that knows only the later columns in `accepts` can take it: the others
    left out. A released centre refuses a whole batch naming a column it does not know, so this
    keeps a new counter's facts flowing to it (what it cannot hold it could not use either)."""
    known = accepts.get(entity, ())
    dropped = [c for c in LATER[entity] if c in row and c not in known]
    return {k: v for k, v in row.items() if k not in dropped} if dropped else row


def batch_digest(digests: list[bytes]) -> str:
    return hashlib.sha256(b"".join(digests)).hexdigest()


def encode_batch(device_id: str, ops: list[Op]) -> dict[str, Any]:
    """The push body: ops grouped by table, columns named once per group, in seq order."""
    groups: dict[str, dict[str, Any]] = {}
    # A later column is listed only when a row of the group carries it: a batch without one is
    # byte for byte what a released counter sent.
    carried = {(op.entity, c) for op in ops for c in LATER[op.entity] if op.row.get(c) is not None}
    for op in sorted(ops, key=lambda o: o.seq):
        group = groups.get(op.entity)
        if group is None:
            cols = [
                c
                for c in FIELDS[op.entity]
                if c not in LATER[op.entity] or (op.entity, c) in carried
            ]
            group = groups[op.entity] = {"cols": cols, "rows": []}
        group["rows"].append([op.seq, *(op.row.get(col) for col in group["cols"])])
    return {
        "v": VERSION,
        "device": device_id,
        "digest": batch_digest([op.sha256 for op in sorted(ops, key=lambda o: o.seq)]),
        "ops": groups,
    }


def decode_batch(body: Any) -> tuple[str, list[Op], list[Rejected]]:
    """Read a push body: (device id, ops in seq order, ops refused on their own).

    A body that is not a batch at all raises Problem. A row of the wrong shape is refused
    on its own so the rest of the queue keeps flowing; the batch digest is then checked over the
    ops that could be read and the refused ones' seqs, so nothing can slip in or out unnoticed.
    """
    if not isinstance(body, dict):
        raise Problem(422, "batch.shape", "the body must be a JSON object")
    if body.get("v") != VERSION:
        raise Problem(422, "batch.version", f"protocol version must be {VERSION}")
    device, groups, digest = body.get("device"), body.get("ops"), body.get("digest")
    if not isinstance(device, str) or not isinstance(groups, dict) or not isinstance(digest, str):
        raise Problem(422, "batch.shape", "a batch needs 'device', 'digest' and 'ops'")
    ops: list[Op] = []
    rejected: list[Rejected] = []
    seen: set[int] = set()
    count = 0
    for entity, group in groups.items():
        rows, cols = _group(entity, group)
        for raw in rows:
            count += 1
            if count > MAX_OPS:
                raise Problem(413, "batch.too_many", f"at most {MAX_OPS} ops per push")
            seq = raw[0] if isinstance(raw, list) and raw else None
            if not _is_int(seq) or not 1 <= seq <= MAX_INT or seq in seen:
                raise Problem(422, "batch.seq", "every row starts with its own positive seq")
            seen.add(seq)
            problem, row = _row(entity, cols, raw[1:])
            if problem:
                rejected.append(Rejected(seq, _name(entity, row, seq), problem))
            else:
                ops.append(Op(seq, entity, row))
    ops.sort(key=lambda o: o.seq)
    return device, ops, rejected


def check_digest(body_digest: str, digests: list[bytes], rejected: list[Rejected]) -> bool:
    """`digests`: the sha256 of each readable op, in seq order (the server has them at hand).

    Only a batch whose every row could be read can be held to its digest: a row that could not
    be read has no canonical form to hash, so a batch with one is taken on its seqs alone."""
    if rejected:
        return True
    return batch_digest(digests) == body_digest


def _group(entity: Any, group: Any) -> tuple[list[Any], list[str]]:
    if entity not in FIELDS:
        raise Problem(422, "batch.entity", f"unknown table: {str(entity)[:40]!r}")
    if not isinstance(group, dict):
        raise Problem(422, "batch.shape", "each table's ops are {'cols': [...], 'rows': [...]}")
    cols, rows = group.get("cols"), group.get("rows")
    if not isinstance(cols, list) or not isinstance(rows, list):
        raise Problem(422, "batch.shape", "each table's ops are {'cols': [...], 'rows': [...]}")
    known = FIELDS[entity]
    if any(not isinstance(c, str) or c not in known for c in cols) or len(set(cols)) != len(cols):
        raise Problem(422, "batch.columns", f"unknown or repeated column for {entity}")
    return rows, cols


def _row(entity: str, cols: list[str], values: list[Any]) -> tuple[str | None, dict[str, Any]]:
    if len(values) != len(cols):
        return "row.length", {}
    row = {col: value for col, value in zip(cols, values, strict=True) if value is not None}
    # The counter's rows keep their column order from the schema; canonical() sorts keys anyway.
    return row_problem(entity, row), row


def row_problem(entity: str, row: Mapping[str, Any]) -> str | None:
    """Why `row` (nulls left out) is not of `entity`'s shape on the wire, or None: a required
    column missing, or a value of the wrong type or too long for its column."""
    for name, whole, required, limit in _SHAPES[entity]:
        value = row.get(name)
        if value is None:
            if required:
                return f"row.missing:{name}"
            continue
        # `type(...) is`: JSON gives exactly int and str; bool is an int in Python, and `true`
        # is still not a number.
        if whole:
            if type(value) is not int or not -MAX_INT <= value <= MAX_INT:
                return f"row.type:{name}"
        elif type(value) is not str or len(value) > limit or _UNWRITABLE.search(value):
            return f"row.type:{name}"
    return None


# Each fact's columns as row_problem checks them: (name, whole number, required, longest text).
# Read off the registry once: the centre checks every column of every op it is pushed.
_SHAPES = {
    entity: tuple((f.name, f.type is int, f.required, f.max_length) for f in fact.fields)
    for entity, fact in FACTS.items()
}


def _is_int(value: Any) -> TypeGuard[int]:
    # bool is an int in Python; `true` is still not a number.
    return isinstance(value, int) and not isinstance(value, bool)


def _is_text(value: Any, limit: int) -> bool:
    """A string a database can hold as it is: not too long, no NUL, and no lone surrogate
    (JSON can spell one as an escape, but it has no UTF-8 form)."""
    return isinstance(value, str) and len(value) <= limit and _UNWRITABLE.search(value) is None


def _name(entity: str, row: dict[str, Any], seq: int) -> str:
    """A refused row's op_id as far as it can be read, else its seq."""
    try:
        name = FACTS[entity].fact_id(row)[:KEY_MAX]
    except KeyError:
        return str(seq)
    # A name the reply could not carry (a lone surrogate cannot be encoded) is told by its seq.
    return name if _is_text(name, KEY_MAX) else str(seq)


def gzip_body(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=9, mtime=0)


def gunzip_body(data: bytes) -> bytes:
    """Inflate at most MAX_INFLATED bytes: a small body that would inflate to gigabytes is refused
    before it is held in memory."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(data, MAX_INFLATED + 1)
    except zlib.error as exc:
        raise Problem(400, "body.gzip", "the body is not valid gzip") from exc
    if len(out) > MAX_INFLATED or inflater.unconsumed_tail:
        raise Problem(413, "body.too_large", "the body inflates past the limit")
    return out
