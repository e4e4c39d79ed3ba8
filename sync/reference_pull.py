"""Reference data from the centre: the service catalog and its fees.

The counter asks with the header `X-Reference-Upcoming: 1`: the answer holds the version in
effect today and any version published to take effect on a later day, so a counter offline on
that day still starts charging the new fee on it. Each version is taken only whole and only
when it proves itself: the sha256 of its catalog's canonical JSON must equal the sha256 the
answer names, and the tag over all of them must equal the ETag they came under. Then every
version missing here is imported in one transaction, together with the ETag that the next sync
sends as If-None-Match. New requests take the version in effect on their day; requests already
taken keep the version and fee they were taken under. Anything short of that (a cut download,
a corrupted body, a catalog this counter cannot read) keeps the old versions and says why.
"""

from __future__ import annotations

import hashlib
from typing import Any

from odsc_desk.api import Store, catalog, sync_state
from odsc_desk.shared.canonical import canonical
from odsc_desk.shared.catalog_file import Catalog, parse_catalog, snapshot_etag
from odsc_desk.shared.errors import ValidationError
from odsc_desk.shared.public_link import clean_address
from sync.errors import SyncError
from sync.protocol import PUBLIC_URL_HEADER, REFERENCE
from sync.transport import Transport, problem_of

# catalog_versions.imported_by for versions that came from the centre: no local user chose them.
IMPORTED_BY = "centre"
# Asks for the versions held for a later day too (sync/PROTOCOL_NOTES.md); a centre that does
# not know the header ignores it and answers as before.
UPCOMING_HEADER = "X-Reference-Upcoming"


def _etag(value: str | None) -> str | None:
    if not value:
        return None
    return value.removeprefix("W/").strip().strip('"') or None


def _version(entry: Any) -> tuple[Catalog, str]:
    """One version of the answer, checked against the sha256 it names: (catalog, sha256)."""
    if not isinstance(entry, dict) or not isinstance(entry.get("catalog"), dict):
        raise SyncError("sync.reference_mismatch", retry=True)
    actual = hashlib.sha256(canonical(entry["catalog"])).hexdigest()
    if actual != entry.get("sha256"):
        raise SyncError("sync.reference_mismatch", retry=True)
    try:
        parsed = parse_catalog(entry["catalog"])
    except ValidationError as exc:
        raise SyncError("sync.reference_invalid", retry=False, detail=exc.message_en) from exc
    if entry.get("version") != parsed.version:
        raise SyncError(
            "sync.reference_invalid",
            retry=False,
            detail=f"version {entry.get('version')} names a catalog of version {parsed.version}",
        )
    return parsed, actual


def _snapshot(reply: Any, etag: str | None) -> list[Catalog]:
    """The versions of an answer, oldest first, once they all prove themselves."""
    upcoming = reply.get("upcoming", []) if isinstance(reply, dict) else None
    if not isinstance(upcoming, list):
        raise SyncError("sync.reference_mismatch", retry=True)
    checked = [_version(reply)] + [_version(entry) for entry in upcoming]
    if snapshot_etag([sha for _, sha in checked]) != etag:
        raise SyncError("sync.reference_mismatch", retry=True)
    return [parsed for parsed, _ in checked]


def keep_public_url(store: Store, sent: str | None) -> None:
    """Keep the centre's public address (protocol.PUBLIC_URL_HEADER) for receipts' links. A
    centre that sends none (a released one, or one not told its address) clears it: links to an
    address the centre no longer names would send citizens nowhere. One that is not an address
    is ignored, and the one kept stays."""
    try:
        address = clean_address(sent)
    except ValidationError:
        return
    if sync_state.read(store)["public_url"] != address:
        sync_state.record(store, public_url=address)


def pull(store: Store, transport: Transport) -> int | None:
    """Fetch the centre's catalogs if they changed; the newest version imported, or None if
    nothing new came."""
    known = sync_state.read(store)["reference_etag"]
    headers = {UPCOMING_HEADER: "1"}
    if known:
        headers["If-None-Match"] = f'"{known}"'
    response = transport.call("GET", REFERENCE, headers=headers)
    nothing_yet = response.status_code == 404 and problem_of(response)[0] == "reference.none"
    if response.status_code in (200, 304) or nothing_yet:
        keep_public_url(store, response.headers.get(PUBLIC_URL_HEADER))
    if response.status_code == 304 or nothing_yet:
        return None  # nothing changed, or the centre has published nothing yet
    if response.status_code != 200:
        raise transport.refusal(response)
    etag = _etag(response.headers.get("ETag"))
    versions = _snapshot(transport.json(response), etag)
    added: list[int] = []
    try:
        with store.transaction():
            for parsed in versions:
                # A version already here (the one in effect, while a later one is held) is
                # found by its sha256 and left as it is.
                if catalog.insert_catalog(store, IMPORTED_BY, parsed):
                    added.append(parsed.version)
            sync_state.update(store, reference_etag=etag)
    except ValidationError as exc:
        # A version this counter already has with other content, or older than its own.
        raise SyncError("sync.reference_invalid", retry=False, detail=exc.message_en) from exc
    return max(added) if added else None
