"""What this counter has read of the office's other counters' heads (docs/OFFICE_SHARING.md,
D9; store m017), and the only module that writes it.

Per other counter: the set of its ops read from the feed so far (every one fed, kept here or
not: the head signs what the server holds), its key as the feed first named it, and whether a
head of it was ever seen (`signing`). And the facts read but not kept yet (`office_waiting`):
those of a counter that signs, read after its newest head (the next one covers them), and those
that refer to a fact that waits. A server change reads the feed again from its start, and all
of it is counted again (`forget`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from odsc_desk.shared.ops_set import OpsSet
from odsc_desk.storage.store import Store


@dataclass
class Origin:
    """Another counter of the office, as its heads and fed ops left it."""

    device_id: str
    ops: OpsSet
    public_key: str | None
    signing: bool


@dataclass(frozen=True)
class Waiting:
    """A fact read from the feed and not kept yet."""

    pos: int
    device_id: str
    seq: int
    entity: str
    payload: str  # its canonical JSON, as fed
    verified: bool  # a head of its counter covered it: it waits on a fact it refers to


@dataclass(frozen=True)
class Page:
    """What a page leaves of the heads: every counter's set, and the facts that wait now."""

    origins: list[Origin]
    waiting: list[Waiting]


def origins(store: Store) -> dict[str, Origin]:
    return {
        row["device_id"]: Origin(
            row["device_id"],
            OpsSet.of(row["ops_set"], row["count"]),
            row["public_key"],
            bool(row["signing"]),
        )
        for row in store.all(
            "SELECT device_id, ops_set, count, public_key, signing FROM office_heads"
        )
    }


def waiting(store: Store) -> list[Waiting]:
    """The facts waiting, in feed order."""
    return [
        Waiting(
            row["pos"],
            row["device_id"],
            row["seq"],
            row["entity"],
            row["payload"],
            bool(row["verified"]),
        )
        for row in store.all(
            "SELECT pos, device_id, seq, entity, payload, verified FROM office_waiting ORDER BY pos"
        )
    ]


def write(store: Store, changed: Iterable[Origin], still_waiting: Iterable[Waiting]) -> None:
    """Keep the counters' sets and what waits now (inside the caller's transaction: the page's)."""
    store.conn.executemany(
        "INSERT INTO office_heads (device_id, ops_set, count, public_key, signing)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT (device_id) DO UPDATE SET"
        " ops_set = excluded.ops_set, count = excluded.count,"
        " public_key = excluded.public_key, signing = excluded.signing",
        [
            (o.device_id, o.ops.to_bytes(), o.ops.count, o.public_key, int(o.signing))
            for o in changed
        ],
    )
    store.conn.execute("DELETE FROM office_waiting")
    store.conn.executemany(
        "INSERT INTO office_waiting (pos, device_id, seq, entity, payload, verified)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [(w.pos, w.device_id, w.seq, w.entity, w.payload, int(w.verified)) for w in still_waiting],
    )


def forget(store: Store) -> None:
    """Count everything again from the feed's start (inside the caller's transaction)."""
    store.conn.execute("DELETE FROM office_heads")
    store.conn.execute("DELETE FROM office_waiting")
