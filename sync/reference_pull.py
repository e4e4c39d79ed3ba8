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
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from odsc_desk.api import Store, catalog, sync_state
from odsc_desk.shared.canonical import canonical
from odsc_desk.shared.catalog_file import parse_catalog, snapshot_etag
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


def etag_of(value: str | None) -> str | None:
    if not value:
        return None
    return value.removeprefix("W/").strip().strip('"') or None


@dataclass(frozen=True)
class Kind:
    """One kind of reference data as an answer carries it: the key of its object, the reader
    that checks it (refusing with a ValidationError), and the codes of its two failures."""

    key: str
    parse: Callable[[Any], Any]  # an object with `.version`
    mismatch: str
    invalid: str


CATALOG = Kind("catalog", parse_catalog, "sync.reference_mismatch", "sync.reference_invalid")


def _version(entry: Any, kind: Kind) -> tuple[Any, str]:
    """One version of the answer, checked against the sha256 it names: (parsed, sha256)."""
    if not isinstance(entry, dict) or not isinstance(entry.get(kind.key), dict):
        raise SyncError(kind.mismatch, retry=True)
    actual = hashlib.sha256(canonical(entry[kind.key])).hexdigest()
    if actual != entry.get("sha256"):
        raise SyncError(kind.mismatch, retry=True)
    try:
        parsed = kind.parse(entry[kind.key])
    except ValidationError as exc:
        raise SyncError(kind.invalid, retry=False, detail=exc.message_en) from exc
    if entry.get("version") != parsed.version:
        raise SyncError(
            kind.invalid,
            retry=False,
            detail=f"version {entry.get('version')} names a {kind.key} of version {parsed.version}",
        )
    return parsed, actual


def checked(reply: Any, etag: str | None, kind: Kind) -> list[tuple[Any, str, dict[str, Any]]]:
    """The versions of an answer, oldest first, once they all prove themselves: (parsed,
    sha256, the object as sent)."""
    upcoming = reply.get("upcoming", []) if isinstance(reply, dict) else None
    if not isinstance(upcoming, list):
        raise SyncError(kind.mismatch, retry=True)
    entries = [reply, *upcoming]
    proved = [_version(entry, kind) for entry in entries]
    if snapshot_etag([sha for _, sha in proved]) != etag:
        raise SyncError(kind.mismatch, retry=True)
    return [
        (parsed, sha, entry[kind.key]) for (parsed, sha), entry in zip(proved, entries, strict=True)
    ]


def ask(
    transport: Transport,
    path: str,
    known: str | None,
    absent: Callable[[str | None], bool],
    answered: Callable[[Mapping[str, str]], None] | None = None,
) -> tuple[Any, str | None] | None:
    """GET a reference answer with the held versions and If-None-Match: (body, ETag), or None
    when nothing changed (304) or there is nothing (a 404 whose problem code `absent` accepts).
    Any other refusal is raised as what it means for the person at the counter. `answered`
    sees the headers of every answer that is not a refusal."""
    headers = {UPCOMING_HEADER: "1"}
    if known:
        headers["If-None-Match"] = f'"{known}"'
    response = transport.call("GET", path, headers=headers)
    nothing = response.status_code == 404 and absent(problem_of(response)[0])
    if answered is not None and (response.status_code in (200, 304) or nothing):
        answered(response.headers)
    if response.status_code == 304 or nothing:
        return None
    if response.status_code != 200:
        raise transport.refusal(response)
    return transport.json(response), etag_of(response.headers.get("ETag"))


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
    # A 404 reference.none: the centre has published nothing yet. Every answer but a refusal
    # carries the centre's public address (or its absence) for the receipts' links.
    answered = ask(
        transport,
        REFERENCE,
        known,
        lambda code: code == "reference.none",
        lambda headers: keep_public_url(store, headers.get(PUBLIC_URL_HEADER)),
    )
    if answered is None:
        return None
    reply, etag = answered
    versions = [parsed for parsed, _, _ in checked(reply, etag, CATALOG)]
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
