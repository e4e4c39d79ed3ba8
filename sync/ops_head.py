"""The head a push carries over this counter's ops (docs/OFFICE_SHARING.md, D9).

Each push is sent with `X-Ops-Set`: the counter's signature over the set of its ops the centre
holds once the push is stored (odsc_desk/storage/own_set.py counts the batch in before it
leaves). The centre keeps the head when it names the set the centre holds, and hands it to the
office's other counters, which check the ops they were fed against it. Its reply says whether
it kept the head (`ops_set`); a head not kept (an op refused and taken out of the set since, a
key the centre did not hold yet) is signed again at the end of the run and sent alone, so the
office's counters need not wait for this counter's next push to take its last facts.

A counter with no key yet (it signs its first receipt with the key it makes then) sends no
head: the office's counters take its facts as a released counter's.
"""

from __future__ import annotations

from typing import Any

from odsc_desk.api import Store, signing
from odsc_desk.shared import ops_set
from odsc_desk.shared.ops_set import Head, OpsSet


def header(store: Store, device_id: str, found: OpsSet) -> dict[str, str]:
    """`X-Ops-Set` for the set, signed with the counter's current key; none without a key."""
    if not signing.public_keys(store):
        return {}
    digest = found.digest()
    _, signature = signing.sign(store, ops_set.message(device_id, found.count, digest))
    return {ops_set.HEADER: Head(found.count, digest, signature).spelled()}


def kept(reply: Any) -> bool | None:
    """Whether the reply says the centre kept the push's head; None when it says nothing (a
    released centre, or no head was sent)."""
    verdict = reply.get("ops_set") if isinstance(reply, dict) else None
    if not isinstance(verdict, dict) or not isinstance(verdict.get("kept"), bool):
        return None
    return bool(verdict["kept"])
