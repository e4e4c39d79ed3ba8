"""The set of this counter's ops that the centre holds, as the heads it signs name it
(docs/OFFICE_SHARING.md, D9; store m017), and the only module that counts it.

An op counts from the moment it is first sent (`sent`, marking it `outbox.in_set`): the
centre may hold it from then on, whether or not the reply comes back. It leaves the set only
when the centre refuses it (the push reply lists it, and the outbox parks it: `taken_out`, in
the same transaction). An op acknowledged leaves the outbox and stays counted. A fact taken
back from the centre after a restore counts under the seq the centre holds it by
(`recovered`). A store from before m017 is counted once, the first time it is asked for
(`current`): every synced fact no longer queued, which the centre acknowledged.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

from odsc_desk.shared.canonical import canonical
from odsc_desk.shared.ops_set import OpsSet
from odsc_desk.storage import sync_state
from odsc_desk.storage.chain import SYNCED, fact_id, tail
from odsc_desk.storage.store import Store

_CHUNK = 400


def current(store: Store) -> OpsSet:
    """The set as kept, counted first (and kept) if it never was."""
    kept, count = sync_state.ops_set(store)
    if count is not None:
        return OpsSet.of(kept, count)
    found = _counted(store)
    _keep(store, found)
    return found


def _counted(store: Store) -> OpsSet:
    queued = {row["op_id"] for row in store.all("SELECT op_id FROM outbox WHERE in_set = 0")}
    found = OpsSet()
    for table in sorted(SYNCED):
        count = store.scalar_int("SELECT COUNT(*) FROM audit_log WHERE entity = ?", (table,))
        for seq, row in tail(store.conn, table, count):
            op_id = fact_id(table, row)
            if op_id not in queued:
                found.add(seq, op_id, hashlib.sha256(canonical(row)).hexdigest())
    return found


def _keep(store: Store, found: OpsSet) -> None:
    sync_state.keep_ops_set(store, found.to_bytes(), found.count)


def sent(store: Store, batch: Sequence[tuple[int, str, str]]) -> OpsSet:
    """Count the ops of a batch about to be sent, (seq, op id, sha256 hex) each, that are not
    counted yet; the set they make, kept (one transaction)."""
    with store.transaction():
        found = current(store)
        fresh = _uncounted(store, [op_id for _, op_id, _ in batch])
        for seq, op_id, digest in batch:
            if op_id in fresh:
                found.add(seq, op_id, digest)
        _mark(store, sorted(fresh), 1)
        _keep(store, found)
    return found


def taken_out(store: Store, op_ids: Iterable[str]) -> None:
    """The centre refused these queued ops: they leave the set (inside the caller's
    transaction, the one that parks them)."""
    wanted = sorted(set(op_ids))
    if not wanted:
        return
    found = current(store)
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        marks = ", ".join("?" * len(chunk))
        for row in store.all(
            f"SELECT seq, op_id, sha256 FROM outbox WHERE in_set = 1 AND op_id IN ({marks})",
            chunk,
        ):
            found.remove(row["seq"], row["op_id"], row["sha256"])
    _mark(store, wanted, 0)
    _keep(store, found)


def recovered(store: Store, ops: Iterable[tuple[int, str, str]]) -> None:
    """Facts taken back from the centre, (seq there, op id, sha256 hex) each: counted as it
    holds them (inside the caller's transaction)."""
    found = current(store)
    for seq, op_id, digest in ops:
        found.add(seq, op_id, digest)
    _keep(store, found)


def _uncounted(store: Store, op_ids: list[str]) -> set[str]:
    fresh: set[str] = set()
    for start in range(0, len(op_ids), _CHUNK):
        chunk = op_ids[start : start + _CHUNK]
        marks = ", ".join("?" * len(chunk))
        fresh.update(
            row["op_id"]
            for row in store.all(
                f"SELECT op_id FROM outbox WHERE in_set = 0 AND op_id IN ({marks})", chunk
            )
        )
    return fresh


def _mark(store: Store, op_ids: list[str], value: int) -> None:
    for start in range(0, len(op_ids), _CHUNK):
        chunk = op_ids[start : start + _CHUNK]
        marks = ", ".join("?" * len(chunk))
        store.conn.execute(
            f"UPDATE outbox SET in_set = ? WHERE op_id IN ({marks})", [value, *chunk]
        )
