"""Reference data the centre publishes to every counter: the service catalog and its fees.

A catalog file is checked by the counter's own reader (`odsc_desk.domain.catalog`) before it is
published, so the centre can never hand out a catalog a counter would refuse. The snapshot's
sha256 is over its canonical JSON; counters send it back as If-None-Match and get a 304 when
nothing changed, or verify the new snapshot against it before swapping it in.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Header, Response
from sqlalchemy import Connection, insert, select

from odsc_desk.shared.canonical import canonical
from odsc_desk.shared.catalog_file import read_catalog_file
from odsc_desk.shared.clock import stamp
from sync import protocol
from sync.protocol import Problem
from sync.server.auth import Caller
from sync.server.context import Ctx
from sync.server.db import catalogs


def publish(conn: Connection, path: Path | str, now: datetime) -> dict[str, Any]:
    """Publish the catalog file at `path` as a new version.

    Raises an OdscError (from the counter's reader) for a file a counter would refuse, and a
    Problem for a version that is not newer than what is published. Publishing the very same
    version again changes nothing (`added` is False).
    """
    parsed = read_catalog_file(path)
    # The file as read (the reader accepts a byte-order mark); counters import this object.
    data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    text = canonical(data)
    sha = hashlib.sha256(text).hexdigest()
    same = conn.execute(
        select(catalogs.c.sha256).where(catalogs.c.version == parsed.version)
    ).first()
    if same is not None:
        if same.sha256 == sha:
            return {"version": parsed.version, "label": parsed.label, "sha256": sha, "added": False}
        raise Problem(
            409,
            "reference.version_clash",
            f"catalog version {parsed.version} is already published with other content;"
            " give the new catalog a higher version",
        )
    latest = conn.execute(select(catalogs.c.version).order_by(catalogs.c.version.desc())).first()
    if latest is not None and parsed.version < latest.version:
        raise Problem(
            409,
            "reference.version_old",
            f"catalog version {parsed.version} is older than the published {latest.version}",
        )
    conn.execute(
        insert(catalogs).values(
            version=parsed.version,
            label=parsed.label,
            sha256=sha,
            catalog=text.decode(),
            published_at=stamp(now),
        )
    )
    return {"version": parsed.version, "label": parsed.label, "sha256": sha, "added": True}


def _matches(if_none_match: str | None, sha: str) -> bool:
    if not if_none_match:
        return False
    for tag in if_none_match.split(","):
        tag = tag.strip()
        if tag == "*" or tag.removeprefix("W/").strip('"') == sha:
            return True
    return False


router = APIRouter(tags=["reference"])


@router.get(
    protocol.REFERENCE,
    summary="The current catalog snapshot (ETag / If-None-Match → 304)",
    responses={
        200: {"description": "{version, label, sha256, catalog}; ETag is the sha256"},
        304: {"description": "the counter already has this snapshot"},
        404: {"description": "no catalog has been published yet"},
    },
)
def reference_endpoint(
    _who: Caller, ctx: Ctx, if_none_match: Annotated[str | None, Header()] = None
) -> Response:
    with ctx.engine.connect() as conn:
        latest = conn.execute(
            select(catalogs.c.version, catalogs.c.sha256).order_by(catalogs.c.version.desc())
        ).first()
        if latest is None:
            raise Problem(404, "reference.none", "no catalog has been published yet")
        etag = {"ETag": f'"{latest.sha256}"'}
        if _matches(if_none_match, latest.sha256):
            return Response(status_code=304, headers=etag)
        row = conn.execute(
            select(catalogs.c.label, catalogs.c.catalog).where(catalogs.c.version == latest.version)
        ).one()
    # The stored canonical text goes out as it is: no parse and re-serialise per download.
    head = json.dumps(
        {"version": latest.version, "label": row.label, "sha256": latest.sha256},
        ensure_ascii=False,
        separators=(",", ":"),
    )
    content = f'{head[:-1]},"catalog":{row.catalog}}}'
    return Response(content, media_type="application/json", headers=etag)
