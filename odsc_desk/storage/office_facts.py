"""The office's other counters' facts, as pulled from the centre's office feed (store m013,
docs/OFFICE_SHARING.md, D1), and the only module that writes them.

A foreign fact is kept as its origin wrote it, in `office_{table}`, keyed by its device (a
number of this store's roster, `office_devices.n`) and its seq there (`origin_seq`): never in
this counter's own fact tables (whose numbers and keys are this counter's), its outbox or its
audit chain (which proves only what this counter wrote). Its ids in UUID form are kept as
their 16 bytes, any other as text; what is read back here is the row as the origin wrote it.
The sync client checks each fact before it comes here (sync/office_pull.py).

A device's seqs are its audit chain's, and a counter restored from an older backup writes its
new facts under seqs its lost copy had used and pushed already: the centre holds both facts,
each under its own id. So a device has *lives*: the first fact held at a seq is of life 0, a
fact with another id at the same seq is of the next life, and it is kept under
`origin_seq = seq + life × LIFE` (a seq stays far below LIFE), so the key of the table, and its
size, stay as they are.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypedDict

from odsc_desk.shared.canonical import canonical
from odsc_desk.shared.facts import FACTS
from odsc_desk.shared.ids import packed, unpacked
from odsc_desk.shared.request_history import OPEN_STATUSES, History, StatusEvent, fold
from odsc_desk.storage import office_heads
from odsc_desk.storage.store import Store

# The tables whose ids a foreign fact may refer to: this counter's own, then the office's.
REFERRED = ("requests", "payments", "cash_sessions")
# The columns holding ids, per table: its own `id` and those that refer to a row.
_IDS = {
    table: frozenset(f.name for f in fact.fields if f.name == "id" or f.refers is not None)
    for table, fact in FACTS.items()
}
_CHUNK = 400  # values bound in one statement
LIFE = 1 << 40  # `origin_seq` of a later life of a device: seq + life × LIFE (see above)


@dataclass(frozen=True)
class Foreign:
    """A fact of another counter of the office: its device and seq there, and its row (nulls
    left out, as on the wire)."""

    device_id: str
    seq: int
    entity: str
    row: Mapping[str, Any]
    life: int = 0  # above 0: its device reused the seq after a restore (see above)

    @property
    def op_id(self) -> str:
        return FACTS[self.entity].fact_id(self.row)


class PullState(TypedDict):
    after: int  # the last feed position read
    as_of: str | None  # the centre's time of the last page read
    refused: int  # foreign facts refused so far


class MergedEvent(TypedDict):
    """A status event of a request as this store holds it, its own or another counter's."""

    seq: int
    status: str
    reason: str | None
    at: str
    new_date: str | None
    clock: int | None
    device_id: str  # the device that wrote it
    counter: int  # and its counter number
    by: str | None  # the user's name on this counter's own events; another counter's: None


def merged_events(store: Store, request_id: str) -> list[MergedEvent]:
    """Every status event of a request this store holds, its own and the office's other
    counters', in the office's one order (docs/OFFICE_SHARING.md, D4)."""
    own = store.office
    found = store.all_as(
        MergedEvent,
        "SELECT e.seq, e.status, e.reason, e.at, e.new_date, e.clock, ? AS device_id,"
        " ? AS counter, u.username AS by FROM status_events e JOIN users u ON u.id = e.by"
        " WHERE e.request_id = ?",
        (own["device_id"], own["counter"], request_id),
    )
    found += store.all_as(
        MergedEvent,
        "SELECT e.seq, e.status, e.reason, e.at, e.new_date, e.clock, d.device_id, d.counter,"
        " NULL AS by FROM office_status_events e JOIN office_devices d ON d.n = e.origin"
        " WHERE e.request_id = ?",
        (packed(request_id),),
    )
    return sorted(found, key=lambda e: as_fold(e).order)


def as_fold(event: MergedEvent) -> StatusEvent:
    return StatusEvent(
        event["seq"], event["status"], event["device_id"], event["clock"], event["new_date"]
    )


def history(store: Store, request_id: str) -> History:
    """The request's status history as every counter of the office and the centre fold it."""
    return fold(as_fold(e) for e in merged_events(store, request_id))


def takes(store: Store, table: str) -> bool:
    """Whether the centre takes this counter's `table` facts on another counter's request or
    receipt of the office (D2): as its last status reply said (sync/client.py)."""
    held = store.scalar_or_none(str, "SELECT writes FROM office_pull WHERE id = 1")
    return table in json.loads(held or "[]")


def record_writes(store: Store, tables: Iterable[str]) -> None:
    with store.transaction():
        store.conn.execute(
            "UPDATE office_pull SET writes = ? WHERE id = 1", (json.dumps(sorted(tables)),)
        )


def read_from_start(store: Store) -> None:
    """Read the office's feed from its start at the next pull: this counter now syncs with
    another server (its office's hub, or the centre), whose feed numbers its positions its own
    way. The facts held stay; read again, each is already held as it is. Inside the caller's
    transaction (the enrollment that changed the server)."""
    store.conn.execute("UPDATE office_pull SET after = 0 WHERE id = 1")
    office_heads.forget(store)


def state(store: Store) -> PullState:
    row = store.one_as(PullState, "SELECT after, as_of, refused FROM office_pull WHERE id = 1")
    return row or {"after": 0, "as_of": None, "refused": 0}


@dataclass(frozen=True)
class Held:
    """A fact held at a device's seq: its id and its canonical JSON."""

    op_id: str
    payload: bytes


def held(store: Store, keys: Iterable[tuple[str, int]]) -> dict[tuple[str, int], list[Held]]:
    """The facts held under (device, seq) among `keys`, whatever their kind, of every life of
    the device in order: a fact pulled again must be one held, or a fact of a later life."""
    numbers = _numbers(store)
    wanted = {(d, seq) for d, seq in keys if d in numbers}
    spans: dict[str, tuple[int, int]] = {}
    for device_id, seq in wanted:
        low, high = spans.get(device_id, (seq, seq))
        spans[device_id] = (min(low, seq), max(high, seq))
    found: dict[tuple[str, int, int], Held] = {}
    # A page's seqs of one device lie close together: one range a device, life and table, each
    # read by the key, rather than a lookup a fact.
    for device_id, (low, high) in spans.items():
        origin = numbers[device_id]
        for life in range(_lives(store, origin)):
            for table, fact in FACTS.items():
                for row in store.all(
                    f"SELECT origin_seq, {', '.join(fact.columns)} FROM office_{table}"
                    " WHERE origin = ? AND origin_seq BETWEEN ? AND ?",
                    (origin, low + life * LIFE, high + life * LIFE),
                ):
                    seq = row.pop("origin_seq") - life * LIFE
                    if (device_id, seq) in wanted:
                        written = _as_written(table, row)
                        found[(device_id, seq, life)] = Held(
                            fact.fact_id(written), canonical(written)
                        )
    out: dict[tuple[str, int], list[Held]] = {}
    for (device_id, seq, _), fact_held in sorted(found.items()):
        out.setdefault((device_id, seq), []).append(fact_held)
    return out


def _lives(store: Store, origin: int) -> int:
    """How many lives of the device `origin` this store holds facts of (1 for none)."""
    top = max(
        store.scalar_int(
            f"SELECT COALESCE(MAX(origin_seq), 0) FROM office_{table} WHERE origin = ?", (origin,)
        )
        for table in FACTS
    )
    return top // LIFE + 1


def known_ids(store: Store, table: str, ids: Iterable[str]) -> set[str]:
    """Those of `ids` that are rows of `table` (requests, payments or cash sessions) this store
    holds: this counter's own or the office's."""
    if table not in REFERRED:
        raise ValueError(table)
    wanted = sorted(set(ids))
    found: set[str] = set()
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        marks = ", ".join("?" * len(chunk))
        found.update(
            row["id"] for row in store.all(f"SELECT id FROM {table} WHERE id IN ({marks})", chunk)
        )
        found.update(
            unpacked(row["id"])
            for row in store.all(
                f"SELECT id FROM office_{table} WHERE id IN ({marks})",
                [packed(value) for value in chunk],
            )
        )
    return found


def keep(
    store: Store,
    roster: Sequence[tuple[str, int, str | None]],
    facts: Sequence[Foreign],
    *,
    after: int,
    as_of: str,
    refused: int,
    heads: office_heads.Page | None = None,
) -> None:
    """Store a page's accepted facts, the office's roster as it gave it (device, counter, key
    id), the position the next read starts after, and with `heads` the counters' sets and the
    facts that wait (office_heads.py): all in one transaction, so a page is kept whole or not
    at all."""
    with store.transaction():
        if heads is not None:
            office_heads.write(store, heads.origins, heads.waiting)
        store.conn.executemany(
            "INSERT INTO office_devices (device_id, counter, key_id) VALUES (?, ?, ?)"
            " ON CONFLICT (device_id) DO UPDATE SET counter = excluded.counter,"
            " key_id = excluded.key_id",
            roster,
        )
        numbers = _numbers(store)
        # One statement a kind of fact and set of columns, each run over all its rows.
        batches: dict[tuple[str, tuple[str, ...]], list[list[Any]]] = {}
        for fact in facts:
            ids = _IDS[fact.entity]
            batches.setdefault((fact.entity, tuple(fact.row)), []).append(
                [
                    numbers[fact.device_id],
                    fact.seq + fact.life * LIFE,
                    *(packed(v) if k in ids else v for k, v in fact.row.items()),
                ]
            )
        for (entity, names), rows in batches.items():
            columns = ["origin", "origin_seq", *names]
            store.conn.executemany(
                f"INSERT INTO office_{entity} ({', '.join(columns)})"
                f" VALUES ({', '.join('?' * len(columns))})",
                rows,
            )
        store.conn.execute(
            "UPDATE office_pull SET after = ?, as_of = ?, refused = refused + ? WHERE id = 1",
            (after, as_of, refused),
        )
        moved = {f.row["request_id"] for f in facts if f.entity == "status_events"}
        refold_own(store, moved)


def refold_own(store: Store, request_ids: Iterable[str]) -> None:
    """Bring `request_current` of this counter's own requests among `request_ids` to the fold
    of their events, its own and the office's: another counter may have moved one. The
    trigger on this counter's own events keeps it otherwise (an event the core writes is
    taken by the fold it checked against, and is the last in its order)."""
    for request_id in request_ids:
        if store.one("SELECT 1 FROM requests WHERE id = ?", (request_id,)) is None:
            continue  # another counter's request: its status is folded when read
        status = history(store, request_id).status
        store.conn.execute(
            "UPDATE request_current SET status = ?, open = ? WHERE request_id = ?",
            (status, int(status in OPEN_STATUSES), request_id),
        )


def shared_own(store: Store) -> list[str]:
    """This counter's own requests that other counters of the office wrote events on."""
    ids = {
        unpacked(r["request_id"])
        for r in store.all("SELECT DISTINCT request_id FROM office_status_events")
    }
    return sorted(
        r["id"]
        for r in store.all(
            "SELECT id FROM requests WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps(sorted(ids)),),
        )
    )


def facts(store: Store) -> list[Foreign]:
    """Every foreign fact the store holds, as its origin wrote it, by device and seq."""
    devices = {n: device_id for device_id, n in _numbers(store).items()}
    held_facts = [
        Foreign(
            devices[row.pop("origin")],
            (key := row.pop("origin_seq")) % LIFE,
            table,
            _as_written(table, row),
            key // LIFE,
        )
        for table, fact in FACTS.items()
        for row in store.all(
            f"SELECT origin, origin_seq, {', '.join(fact.columns)} FROM office_{table}"
        )
    ]
    return sorted(held_facts, key=lambda f: (f.device_id, f.life, f.seq))


def _as_written(table: str, row: dict[str, Any]) -> dict[str, Any]:
    ids = _IDS[table]
    return {k: unpacked(v) if k in ids else v for k, v in row.items() if v is not None}


def _numbers(store: Store) -> dict[str, int]:
    return {
        row["device_id"]: row["n"] for row in store.all("SELECT n, device_id FROM office_devices")
    }
