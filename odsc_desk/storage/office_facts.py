"""The office's other counters' facts, as pulled from the centre's office feed (store m013,
docs/OFFICE_SHARING.md, D1), and the only module that writes them.

A foreign fact is kept as its origin wrote it, in `office_{table}`, keyed by its device (a
number of this store's roster, `office_devices.n`) and its seq there: never in this counter's
own fact tables (whose numbers and keys are this counter's), its outbox or its audit chain
(which proves only what this counter wrote). Its ids in UUID form are kept as their 16 bytes,
any other as text; what is read back here is the row as the origin wrote it. The sync client
checks each fact before it comes here (sync/office_pull.py).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypedDict

from odsc_desk.shared.canonical import canonical
from odsc_desk.shared.facts import FACTS
from odsc_desk.storage.store import Store

# The tables whose ids a foreign fact may refer to: this counter's own, then the office's.
REFERRED = ("requests", "payments", "cash_sessions")
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
# The columns holding ids, per table: its own `id` and those that refer to a row.
_IDS = {
    table: frozenset(f.name for f in fact.fields if f.name == "id" or f.refers is not None)
    for table, fact in FACTS.items()
}
_CHUNK = 400  # values bound in one statement


@dataclass(frozen=True)
class Foreign:
    """A fact of another counter of the office: its device and seq there, and its row (nulls
    left out, as on the wire)."""

    device_id: str
    seq: int
    entity: str
    row: Mapping[str, Any]


class PullState(TypedDict):
    after: int  # the last feed position read
    as_of: str | None  # the centre's time of the last page read
    refused: int  # foreign facts refused so far


def state(store: Store) -> PullState:
    row = store.one_as(PullState, "SELECT after, as_of, refused FROM office_pull WHERE id = 1")
    return row or {"after": 0, "as_of": None, "refused": 0}


def packed(value: str) -> str | bytes:
    """An id as this store keeps it: a UUID's 16 bytes, anything else as it is."""
    return bytes.fromhex(value.replace("-", "")) if _UUID.fullmatch(value) else value


def unpacked(value: str | bytes) -> str:
    return str(uuid.UUID(bytes=value)) if isinstance(value, bytes) else value


def held(store: Store, keys: Iterable[tuple[str, int]]) -> dict[tuple[str, int], bytes]:
    """The canonical JSON of each fact held under (device, seq) among `keys`, whatever its
    kind: a fact pulled again must be the one held."""
    numbers = _numbers(store)
    wanted = {(d, seq) for d, seq in keys if d in numbers}
    spans: dict[str, tuple[int, int]] = {}
    for device_id, seq in wanted:
        low, high = spans.get(device_id, (seq, seq))
        spans[device_id] = (min(low, seq), max(high, seq))
    found: dict[tuple[str, int], bytes] = {}
    # A page's seqs of one device lie close together: one range a device and table, each
    # read by the key, rather than a lookup a fact.
    for device_id, (low, high) in spans.items():
        for table, fact in FACTS.items():
            for row in store.all(
                f"SELECT origin_seq, {', '.join(fact.columns)} FROM office_{table}"
                " WHERE origin = ? AND origin_seq BETWEEN ? AND ?",
                (numbers[device_id], low, high),
            ):
                key = (device_id, row.pop("origin_seq"))
                if key in wanted:
                    found[key] = canonical(_as_written(table, row))
    return found


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
) -> None:
    """Store a page's accepted facts, the office's roster as it gave it (device, counter, key
    id), and the position the next read starts after: all in one transaction, so a page is
    kept whole or not at all."""
    with store.transaction():
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
                    fact.seq,
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


def facts(store: Store) -> list[Foreign]:
    """Every foreign fact the store holds, as its origin wrote it, by device and seq."""
    devices = {n: device_id for device_id, n in _numbers(store).items()}
    held_facts = [
        Foreign(devices[row.pop("origin")], row.pop("origin_seq"), table, _as_written(table, row))
        for table, fact in FACTS.items()
        for row in store.all(
            f"SELECT origin, origin_seq, {', '.join(fact.columns)} FROM office_{table}"
        )
    ]
    return sorted(held_facts, key=lambda f: (f.device_id, f.seq))


def _as_written(table: str, row: dict[str, Any]) -> dict[str, Any]:
    ids = _IDS[table]
    return {k: unpacked(v) if k in ids else v for k, v in row.items() if v is not None}


def _numbers(store: Store) -> dict[str, int]:
    return {
        row["device_id"]: row["n"] for row in store.all("SELECT n, device_id FROM office_devices")
    }
