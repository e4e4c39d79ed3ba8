"""The state of this counter's link to the centre: the one row of `sync_state` (migration m003),
and the only module that writes it.

None of it is a fact, so it is not audited (see schema.py): it is the state of a conversation
with the server, rewritten on every sync attempt. The token is a secret: it is read here for the
sync client and for the diagnostics to scrub, and never printed.
"""

from __future__ import annotations

from typing import Any, TypedDict

from odsc_desk.storage.store import Store


class SyncState(TypedDict):
    server_url: str | None
    token: str | None
    ca_bundle: str | None
    enrolled_at: str | None
    last_attempt: str | None
    last_success: str | None
    last_error_code: str | None
    last_error_lo: str | None
    last_error_en: str | None
    acked_high_water: int  # how far the centre has acknowledged this counter's chain
    reference_etag: str | None  # the catalog snapshot last pulled
    batch_size: int
    public_url: str | None  # the centre's public address (m009), for links on receipts
    # m016: restored from an older backup, this counter reads back its own facts from this
    # audit seq on at the next sync (sync/own_recovery.py); None: nothing to read back.
    recover_from: int | None


COLUMNS = tuple(SyncState.__annotations__)


def read(store: Store) -> SyncState:
    row = store.one_as(SyncState, f"SELECT {', '.join(COLUMNS)} FROM sync_state WHERE id = 1")
    if row is None:  # m003 inserts the row; only a hand-edited file lacks it
        # The columns' defaults: NULL but for the two declared NOT NULL DEFAULT.
        return {
            "server_url": None,
            "token": None,
            "ca_bundle": None,
            "enrolled_at": None,
            "last_attempt": None,
            "last_success": None,
            "last_error_code": None,
            "last_error_lo": None,
            "last_error_en": None,
            "acked_high_water": 0,
            "reference_etag": None,
            "batch_size": 50,
            "public_url": None,
            "recover_from": None,
        }
    return row


def update(store: Store, **values: Any) -> None:
    """Set some columns, inside the caller's transaction."""
    unknown = set(values) - set(COLUMNS)
    if unknown:
        raise KeyError(f"not a sync_state column: {', '.join(sorted(unknown))}")
    columns = ", ".join(f"{name} = ?" for name in values)
    store.conn.execute(f"UPDATE sync_state SET {columns} WHERE id = 1", tuple(values.values()))


def record(store: Store, **values: Any) -> None:
    """Set some columns in a transaction of their own."""
    with store.transaction():
        update(store, **values)


def acknowledged_up_to(store: Store, seq: int) -> None:
    """The centre holds this counter's chain up to `seq` (inside the caller's transaction): if
    it ever reports less, it lost ops."""
    store.conn.execute(
        "UPDATE sync_state SET acked_high_water = MAX(acked_high_water, ?) WHERE id = 1", (seq,)
    )


def lost_after(store: Store, seq: int) -> None:
    """The centre turned out to hold this counter's chain only up to `seq` (a restored centre)."""
    store.conn.execute(
        "UPDATE sync_state SET acked_high_water = MIN(acked_high_water, ?) WHERE id = 1", (seq,)
    )


# m017: the set of this counter's ops the centre holds, as its heads sign it
# (odsc_desk/storage/own_set.py). Apart from the row above: 4 KB of hash that no one reads as
# the state of the link (the diagnostics print that row).
def ops_set(store: Store) -> tuple[bytes | None, int | None]:
    """The set as kept and its count; (None, None) when it was never counted."""
    row = store.one("SELECT ops_set, ops_count FROM sync_state WHERE id = 1")
    return (None, None) if row is None else (row["ops_set"], row["ops_count"])


def keep_ops_set(store: Store, value: bytes, count: int) -> None:
    """Inside the caller's transaction."""
    store.conn.execute(
        "UPDATE sync_state SET ops_set = ?, ops_count = ? WHERE id = 1", (value, count)
    )
