"""After a restore from an older backup: this counter's own facts that only the centre holds,
read back (docs/OFFICE_SHARING.md, D6).

The restore keeps, in `sync_state.recover_from`, the first audit seq its backup does not hold.
The next sync, after the status call, reads every op the centre holds of this device from that
seq on (`GET /api/v1/sync/own`, sync/server/own_ops.py: push batches, checked against their
digest as the centre checks a push), and the store takes back those it does not hold
(odsc_desk/storage/recovery.py). They need not go up again: the centre holds them, so they leave
the outbox at once. Once everything is read, `recover_from` is cleared; a run cut short reads
again from the start the next time (what was taken back is held, and skipped). A centre from
before this answers 404: nothing is read back, and `recover_from` is cleared.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from odsc_desk.api import Store, recovery, sync_state
from sync import protocol
from sync.errors import SyncError
from sync.protocol import OWN_OPS, Problem
from sync.transport import Transport

PAGE = 500


def recover(store: Store, transport: Transport) -> int:
    """Take back what the centre holds of this counter from `recover_from` on; how many facts
    were taken back (0 when there was nothing to read)."""
    start = sync_state.read(store)["recover_from"]
    if start is None:
        return 0
    device = store.office["device_id"]
    seq, op, kept = start, "", 0
    while True:
        query = urlencode({"seq": seq, "op": op, "limit": PAGE})
        response = transport.call("GET", f"{OWN_OPS}?{query}")
        if response.status_code == 404:
            break  # a centre before this
        if response.status_code != 200:
            raise transport.refusal(response)
        answer = transport.json(response)
        facts, following = _page(answer, device, transport)
        kept += len(recovery.keep_own(store, facts).kept)
        if following is None:
            break
        seq, op = following
    sync_state.record(store, recover_from=None)
    return kept


def _page(
    answer: Any, device: str, transport: Transport
) -> tuple[list[tuple[int, str, dict[str, Any]]], tuple[int, str] | None]:
    """The page's facts (seq, table, row) in seq order, and where the next read starts."""

    def bad(detail: str) -> SyncError:
        return SyncError("sync.bad_reply", retry=True, server=transport.base, detail=detail)

    if not isinstance(answer, dict):
        raise bad("own ops")
    try:
        named, ops, rejected = protocol.decode_batch(answer.get("batch"))
    except Problem as exc:
        raise bad(f"own ops: {exc}") from exc
    if named != device or rejected:
        raise bad("own ops of another device, or rows that cannot be read")
    if not protocol.check_digest(answer["batch"]["digest"], [o.sha256 for o in ops], rejected):
        raise bad("own ops that do not match their digest")
    following = answer.get("next")
    if following is None:
        return [(o.seq, o.entity, dict(o.row)) for o in ops], None
    if (
        not isinstance(following, dict)
        or not isinstance(following.get("seq"), int)
        or not isinstance(following.get("op"), str)
    ):
        raise bad("own ops' next")
    return [(o.seq, o.entity, dict(o.row)) for o in ops], (following["seq"], following["op"])
