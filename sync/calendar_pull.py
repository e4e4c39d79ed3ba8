"""The national calendar from the centre: its public holidays and closures.

Asked for as the catalog is (sync/reference_pull.py: the version in effect and the held ones,
each proved by its sha256 and all by the ETag, imported whole in one transaction with the tag
the next sync sends as If-None-Match). A centre from before the calendar answers the path 404,
as does one that has published none: the counter then keeps what it has (at first nothing,
so the `holidays` package's days) and the sync goes on. Anything short of a proved answer
keeps the old versions and says why.
"""

from __future__ import annotations

from odsc_desk.api import Store, national_calendar
from odsc_desk.shared.calendar_file import parse_calendar
from odsc_desk.shared.errors import ValidationError
from sync.errors import SyncError
from sync.protocol import CALENDAR
from sync.reference_pull import Kind, ask, checked
from sync.transport import Transport

KIND = Kind("calendar", parse_calendar, "sync.calendar_mismatch", "sync.calendar_invalid")


def _absent(code: str | None) -> bool:
    # Any 404: calendar.none (nothing published yet), or a centre that predates the calendar
    # and does not know the path (request.not_found, or no problem body behind a proxy). The
    # push before it already proved this is the centre, so keeping the calendar is all to do.
    return True


def pull(store: Store, transport: Transport) -> int | None:
    """Fetch the centre's calendars if they changed; the newest version imported, or None if
    nothing new came (or the centre has none)."""
    answered = ask(transport, CALENDAR, national_calendar.etag(store), _absent)
    if answered is None:
        return None
    reply, etag = answered
    added: list[int] = []
    try:
        with store.transaction():
            for parsed, sha, data in checked(reply, etag, KIND):
                if national_calendar.insert_version(store, parsed, sha, data):
                    added.append(parsed.version)
            national_calendar.set_etag(store, etag)
    except ValidationError as exc:
        # A version this counter already has with other content, or older than its own.
        raise SyncError(KIND.invalid, retry=False, detail=exc.message_en) from exc
    return max(added) if added else None
