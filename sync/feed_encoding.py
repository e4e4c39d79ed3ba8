"""The office feed's encoding (docs/OFFICE_SHARING.md, D5): a page of an office's ops, written
small enough for a district's link, and read back byte for byte.

A visit is about seven facts, and a counter must pull one in at most 150 bytes on the wire. The
push's encoding spends most of its bytes on what a reader of the whole page can rebuild: an id
it has already read (a payment names the request just before it), the first 48 bits of each
UUIDv7 (the row's own time in milliseconds), the office and counter in front of every tracking
and receipt number, and the name's search key when it is the name itself. So each of these is
written as the difference from what the reader already holds, and every column of a table is
one array (a column of times or of small differences compresses far better beside its own kind
than across a row). Measured in tests/bench/test_office_feed_bench.py.

A page is `{"tables": {table: {"cols": [...], "columns": [pos, device, seq, *cols]}}, "digest"}`,
one entry in `columns` per column, one value in each per op. Values are read in the order of
the ops' positions, whatever table they are in, with these rules:

- pos: the difference from the table's previous op in the page (from `after` for its first).
- device: the op's device, as its place in the page's roster of the office's counters.
- seq: the difference from the previous seq of the same device in the page (from 0).
- a time (`Field.time`) in the counter's form (`shared.clock.stamp`): microseconds since the
  previous time of the same device in the page (from the epoch); any other text as it is.
- an id (`id`, or a column that `Field.refers` to a table or to the users): an id the page
  already gave in that space (the table's ids, or the users') is the number of ids given in the
  space since (0: the last one); a new id in canonical UUID form is its 16 bytes in base64url,
  with the first six, the UUIDv7 time, taken as their difference from the row's own time in
  milliseconds (modulo 2**48: mostly zero bytes, "AAAAAAAA"); any other new id is `[text]`.
- the numbered column (`Fact.numbered`): the text after "{office}-{counter}-" of its device,
  else `[text]`.
- a copy (`Field.copy_of`, a required column after the one it copies): null when it equals
  that column, else the value.
- any other column: the value, null when the row has none.

`digest` is the sha256 over each op's position, device and seq and its own sha256 (of its
canonical JSON), in position order: a reader that rebuilt any of them differently refuses the
page. Pure: the centre writes pages, a
counter reads them.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import itertools
import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeGuard

from odsc_desk.shared import ops_set
from odsc_desk.shared.clock import stamp
from odsc_desk.shared.facts import FACTS, Fact, Field
from odsc_desk.shared.ops_set import Head
from sync.protocol import Op

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_TIME_BITS = 1 << 48
_STAMP = re.compile(r"[1-9]\d{3}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z")
_FIXED = ("pos", "device", "seq")  # the columns every table has before its own


class FeedError(ValueError):
    """A page that cannot be read as this encoding: refused whole."""


@dataclass(frozen=True)
class FeedOp:
    """One op of an office's feed: its position, the device that wrote it, and the op."""

    pos: int
    device_id: str
    op: Op


@dataclass(frozen=True)
class FeedHead:
    """A head a device signed over its ops (docs/OFFICE_SHARING.md, D9), at its position: it
    covers every op of the device the feed holds before it."""

    pos: int
    device_id: str
    head: Head


@dataclass(frozen=True)
class Roster:
    """The office whose page it is and its counters, in the order the page refers to them."""

    office: str
    devices: Sequence[tuple[str, int]]  # (device_id, counter number)

    def prefix(self, place: int) -> str:
        return f"{self.office}-{self.devices[place][1]}-"


def encode_heads(roster: Roster, heads: Iterable[FeedHead]) -> list[dict[str, Any]]:
    """A page's heads, each naming its device by its place in the roster."""
    places = {device_id: n for n, (device_id, _) in enumerate(roster.devices)}
    return [
        {
            "pos": h.pos,
            "device": places[h.device_id],
            "head": h.head.spelled(),
        }
        for h in heads
    ]


def decode_heads(roster: Roster, after: int, next_pos: int, answer: Any) -> list[FeedHead]:
    """The page's heads (none from a server before them), in position order, each within the
    page and of a device of its roster."""
    listed = answer.get("heads", [])
    if not isinstance(listed, list):
        raise FeedError("'heads'")
    heads = []
    for entry in listed:
        if not isinstance(entry, dict):
            raise FeedError("a head")
        pos, place, spelled = entry.get("pos"), entry.get("device"), entry.get("head")
        if not _is_int(pos) or not after < pos <= next_pos:
            raise FeedError("a head's position")
        if not _is_int(place) or not 0 <= place < len(roster.devices):
            raise FeedError("a head's device")
        head = ops_set.read_head(spelled) if isinstance(spelled, str) else None
        if head is None:
            raise FeedError("a head's value")
        heads.append(FeedHead(pos, roster.devices[place][0], head))
    if [h.pos for h in heads] != sorted({h.pos for h in heads}):
        raise FeedError("heads out of order")
    return heads


def page_digest(items: Iterable[FeedOp]) -> str:
    """sha256 over each op's place (position, device, seq) and its own sha256, in order."""
    digest = hashlib.sha256()
    for item in items:
        digest.update(f"{item.pos} {item.device_id} {item.op.seq} ".encode())
        digest.update(item.op.sha256)
    return digest.hexdigest()


def encode(roster: Roster, after: int, items: Sequence[FeedOp]) -> dict[str, Any]:
    """The page of `items` (positions after `after`, devices of `roster`)."""
    places = {device_id: n for n, (device_id, _) in enumerate(roster.devices)}
    ordered = sorted(items, key=lambda item: item.pos)
    state = _State()
    tables: dict[str, list[list[Any]]] = {}
    carried: dict[str, set[str]] = {}
    last_pos: dict[str, int] = {}
    for item in ordered:
        place = places[item.device_id]
        op, fact = item.op, FACTS[item.op.entity]
        row = op.row
        times = {f.name: state.time_out(place, row.get(f.name)) for f in fact.fields if f.time}
        row_ms = _millis(row.get(fact.device_time))
        values: list[Any] = [
            item.pos - last_pos.get(op.entity, after),
            place,
            state.seq_out(place, op.seq),
        ]
        last_pos[op.entity] = item.pos
        for field in fact.fields:
            value = row.get(field.name)
            if value is not None:
                carried.setdefault(op.entity, set()).add(field.name)
            if field.time:
                values.append(times[field.name])
            elif value is None:
                values.append(None)
            elif (space := _space(fact, field)) is not None:
                values.append(state.id_out(space, value, row_ms))
            elif field.name == fact.numbered:
                prefix = roster.prefix(place)
                values.append(value[len(prefix) :] if value.startswith(prefix) else [value])
            elif field.copy_of is not None and value == row.get(field.copy_of):
                values.append(None)
            else:
                values.append(value)
        tables.setdefault(op.entity, []).append(values)
    body: dict[str, Any] = {}
    for entity, rows in tables.items():
        # The columns a row of the page carries: a later column no row has is left out, so a
        # page of a released counter's facts names none of them.
        keep = [
            n
            for n, field in enumerate(FACTS[entity].fields)
            if not field.later or field.name in carried.get(entity, ())
        ]
        columns = [list(column) for column in zip(*rows, strict=True)]
        body[entity] = {
            "cols": [FACTS[entity].fields[n].name for n in keep],
            "columns": columns[: len(_FIXED)] + [columns[len(_FIXED) + n] for n in keep],
        }
    return {"tables": body, "digest": page_digest(ordered)}


def decode(roster: Roster, after: int, page: Any) -> list[FeedOp]:
    """The ops of `page`, in position order, each row as its device wrote it. Raises FeedError
    for a page that is not of this encoding or whose digest its rows do not match."""
    if not isinstance(page, dict):
        raise FeedError("a page is an object")
    tables, digest = page.get("tables"), page.get("digest")
    if not isinstance(tables, dict) or not isinstance(digest, str):
        raise FeedError("a page has 'tables' and 'digest'")
    rows: list[tuple[int, str, list[str], list[Any]]] = []
    for entity, table in tables.items():
        cols, columns = _table(entity, table)
        pos = after
        for written in zip(*columns, strict=True):
            step = written[0]
            if not _is_int(step) or step < 1:
                raise FeedError("positions grow within a table")
            pos += step
            rows.append((pos, entity, cols, list(written)))
    rows.sort(key=lambda r: r[0])
    if any(a[0] == b[0] for a, b in itertools.pairwise(rows)):
        raise FeedError("two ops at one position")
    state = _State()
    out: list[FeedOp] = []
    for pos, entity, cols, values in rows:
        place = values[1]
        if not _is_int(place) or not 0 <= place < len(roster.devices):
            raise FeedError("an op's device is not in the roster")
        seq = state.seq_in(place, values[2])
        out.append(
            FeedOp(
                pos,
                roster.devices[place][0],
                _row_in(roster, state, place, seq, entity, cols, values[3:]),
            )
        )
    if page_digest(out) != digest:
        raise FeedError("the rows read do not match the page's digest")
    return out


def frame(answer: Any, after: int, office: str) -> tuple[Roster, int, bool, str]:
    """A page's roster, `next`, `more` and `as_of`, after checking their shapes (a counter
    reads a page of its office; so does an office's hub, of the centre's feed)."""
    if not isinstance(answer, dict) or answer.get("office") != office:
        raise FeedError("a page of another office")
    devices, next_pos, more, as_of = (
        answer.get("devices"),
        answer.get("next"),
        answer.get("more"),
        answer.get("as_of"),
    )
    if not isinstance(devices, list) or not all(
        isinstance(d, dict)
        and isinstance(d.get("device_id"), str)
        and _is_int(d.get("counter"))
        and isinstance(d.get("key_id"), str | None)
        for d in devices
    ):
        raise FeedError("a roster of devices")
    if answer.get("after") != after:
        raise FeedError("a page of another position")
    if not _is_int(next_pos) or next_pos < after or not isinstance(more, bool):
        raise FeedError("'next' and 'more'")
    if more and next_pos == after:
        raise FeedError("more to read but no step forward")
    if not isinstance(as_of, str):
        raise FeedError("'as_of'")
    return Roster(office, [(d["device_id"], d["counter"]) for d in devices]), next_pos, more, as_of


def _row_in(
    roster: Roster,
    state: _State,
    place: int,
    seq: int,
    entity: str,
    cols: list[str],
    values: list[Any],
) -> Op:
    fact = FACTS[entity]
    given = dict(zip(cols, values, strict=True))
    row: dict[str, Any] = {}
    # Times first: an id is written against its row's time.
    for field in fact.fields:
        if field.time:
            value = state.time_in(place, given.get(field.name))
            if value is not None:
                row[field.name] = value
    row_ms = _millis(row.get(fact.device_time))
    for field in fact.fields:
        value = given.get(field.name)
        if field.time:
            continue
        if field.copy_of is not None and value is None:
            value = row.get(field.copy_of)
        elif value is None:
            continue
        elif (space := _space(fact, field)) is not None:
            value = state.id_in(space, value, row_ms)
        elif field.name == fact.numbered:
            value = roster.prefix(place) + value if isinstance(value, str) else _literal(value)
        if value is not None:
            row[field.name] = value
    return Op(seq, entity, row)


def _table(entity: Any, table: Any) -> tuple[list[str], list[list[Any]]]:
    if entity not in FACTS or not isinstance(table, dict):
        raise FeedError(f"unknown table {str(entity)[:40]!r}")
    cols, columns = table.get("cols"), table.get("columns")
    names = FACTS[entity].columns
    if (
        not isinstance(cols, list)
        or any(c not in names for c in cols)
        or len(set(cols)) != len(cols)
        or any(FACTS[entity].field(n).copy_of not in (None, *cols) for n in cols)
    ):
        raise FeedError(f"unknown or repeated column for {entity}")
    if (
        not isinstance(columns, list)
        or len(columns) != len(_FIXED) + len(cols)
        or not all(isinstance(c, list) for c in columns)
        or len({len(c) for c in columns}) != 1
    ):
        raise FeedError(f"{entity}'s columns are not one value an op each")
    return cols, columns


class _State:
    """What a reader of the page has read so far, in position order: each device's last seq and
    time, and the ids of each space in the order they were given."""

    def __init__(self) -> None:
        self.seqs: dict[int, int] = {}
        self.times: dict[int, int] = {}
        self.ids: dict[str, list[str]] = {}
        self.places: dict[str, dict[str, int]] = {}

    def seq_out(self, place: int, seq: int) -> int:
        step = seq - self.seqs.get(place, 0)
        self.seqs[place] = seq
        return step

    def seq_in(self, place: int, step: Any) -> int:
        if not _is_int(step):
            raise FeedError("a seq is a number")
        seq = self.seqs[place] = self.seqs.get(place, 0) + step
        return seq

    def time_out(self, place: int, value: Any) -> Any:
        micros = _micros(value)
        if micros is None:
            return value
        step = micros - self.times.get(place, 0)
        self.times[place] = micros
        return step

    def time_in(self, place: int, value: Any) -> Any:
        if value is None or isinstance(value, str):
            return value
        if not _is_int(value):
            raise FeedError("a time is a number or its text")
        micros = self.times.get(place, 0) + value
        try:
            text = stamp(_EPOCH + micros * _MICROSECOND)
        except OverflowError as exc:
            raise FeedError("a time out of range") from exc
        self.times[place] = micros
        return text

    def id_out(self, space: str, value: str, row_ms: int) -> Any:
        places = self.places.setdefault(space, {})
        given = self.ids.setdefault(space, [])
        place = places.get(value)
        if place is not None:
            return len(given) - 1 - place
        places[value] = len(given)
        given.append(value)
        if not _UUID.fullmatch(value):
            return [value]
        raw = uuid.UUID(value).bytes
        head = (int.from_bytes(raw[:6], "big") - row_ms) % _TIME_BITS
        return base64.urlsafe_b64encode(head.to_bytes(6, "big") + raw[6:]).decode().rstrip("=")

    def id_in(self, space: str, value: Any, row_ms: int) -> str:
        given = self.ids.setdefault(space, [])
        if _is_int(value):
            if not 0 <= value < len(given):
                raise FeedError("an id refers past the ids given")
            return given[-1 - value]
        if isinstance(value, str):
            try:
                raw = base64.urlsafe_b64decode(value + "==")
            except (binascii.Error, ValueError) as exc:
                raise FeedError("an id is not base64url") from exc
            if len(raw) != 16:
                raise FeedError("an id is not 16 bytes")
            head = (int.from_bytes(raw[:6], "big") + row_ms) % _TIME_BITS
            text = str(uuid.UUID(bytes=head.to_bytes(6, "big") + raw[6:]))
        else:
            text = _literal(value)
        given.append(text)
        return text


def _literal(value: Any) -> str:
    if isinstance(value, list) and len(value) == 1 and isinstance(value[0], str):
        return value[0]
    raise FeedError("a value written as it is is [text]")


def _space(fact: Fact, field: Field) -> str | None:
    """The ids `field` holds: its table's own, another table's or the users'; None if not ids."""
    return fact.table if field.name == "id" else field.refers


def _micros(value: Any) -> int | None:
    """A stamp in the counter's form as microseconds since the epoch; None for anything else."""
    # The form's digits have fixed widths (a year of four, from 1000), so a stamp of this shape
    # that parses is written back by `stamp` exactly as it came.
    if not isinstance(value, str) or not _STAMP.fullmatch(value):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return (moment - _EPOCH) // _MICROSECOND


def _millis(value: Any) -> int:
    micros = _micros(value)
    return 0 if micros is None else micros // 1000


def _is_int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)
