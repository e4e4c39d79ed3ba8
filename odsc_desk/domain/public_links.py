"""The links a counter prints for citizens: a receipt's check (`v`), a slip's status (`s`).

One function for every document, so they all follow the address the centre last sent
(sync_state.public_url) and all fall back to the bare code when none is known.
"""

from __future__ import annotations

from odsc_desk.shared.public_link import link
from odsc_desk.storage import sync_state
from odsc_desk.storage.store import Store


def public_link(store: Store, path: str, code: str) -> str:
    """`<the centre's public address>/<path>/<code>`, or `code` alone when this counter knows
    no address (never enrolled, or its centre predates ODSC_PUBLIC_URL)."""
    return link(public_address(store), path, code)


def public_address(store: Store) -> str | None:
    """The centre's public address as it last sent it, None when this counter knows none."""
    return sync_state.read(store)["public_url"]
