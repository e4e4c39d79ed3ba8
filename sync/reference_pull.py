"""Reference data from the centre: the service catalog and its fees.

A snapshot is taken only whole and only when it proves itself: the sha256 of its catalog's
canonical JSON must equal both the sha256 the reply names and the ETag it came under. Then it is
imported as a new local catalog version in one transaction, together with the ETag that the next
sync sends as If-None-Match. New requests take the newest version; requests already taken keep
the version and fee they were taken under. Anything short of that (a cut download, a corrupted
body, a catalog this counter cannot read) keeps the old version and says why.
"""

from __future__ import annotations

import hashlib
from typing import Any

from odsc_desk.api import Store, catalog, sync_state
from odsc_desk.shared.canonical import canonical
from odsc_desk.shared.catalog_file import Catalog, parse_catalog
from odsc_desk.shared.errors import ValidationError
from sync.errors import SyncError
from sync.protocol import REFERENCE
from sync.transport import Transport, problem_of

# catalog_versions.imported_by for versions that came from the centre: no local user chose them.
IMPORTED_BY = "centre"


def _etag(value: str | None) -> str | None:
    if not value:
        return None
    return value.removeprefix("W/").strip().strip('"') or None


def _snapshot(reply: Any, etag: str | None) -> Catalog:
    if not isinstance(reply, dict) or not isinstance(reply.get("catalog"), dict):
        raise SyncError("sync.reference_mismatch", retry=True)
    actual = hashlib.sha256(canonical(reply["catalog"])).hexdigest()
    if not (actual == reply.get("sha256") == etag):
        raise SyncError("sync.reference_mismatch", retry=True)
    try:
        parsed = parse_catalog(reply["catalog"])
    except ValidationError as exc:
        raise SyncError("sync.reference_invalid", retry=False, detail=exc.message_en) from exc
    if reply.get("version") != parsed.version:
        raise SyncError(
            "sync.reference_invalid",
            retry=False,
            detail=f"version {reply.get('version')} names a catalog of version {parsed.version}",
        )
    return parsed


def pull(store: Store, transport: Transport) -> int | None:
    """Fetch the centre's catalog if it changed; the version imported, or None if nothing new."""
    known = sync_state.read(store)["reference_etag"]
    headers = {"If-None-Match": f'"{known}"'} if known else {}
    response = transport.call("GET", REFERENCE, headers=headers)
    if response.status_code == 304:
        return None
    if response.status_code == 404 and problem_of(response)[0] == "reference.none":
        return None  # the centre has published nothing yet
    if response.status_code != 200:
        raise transport.refusal(response)
    etag = _etag(response.headers.get("ETag"))
    parsed = _snapshot(transport.json(response), etag)
    try:
        with store.transaction():
            added = catalog.insert_catalog(store, IMPORTED_BY, parsed)
            sync_state.update(store, reference_etag=etag)
    except ValidationError as exc:
        # A version this counter already has with other content, or older than its own.
        raise SyncError("sync.reference_invalid", retry=False, detail=exc.message_en) from exc
    return parsed.version if added else None
