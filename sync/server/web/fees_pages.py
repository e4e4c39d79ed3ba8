"""The public fee catalog: `/fees` (searchable with `?q=`, scripts or not), an office's wall
poster `/fees/poster.pdf?office=…&size=a4|a3`, and the catalog as open data at stable addresses:
`/open/catalog.json` and `.csv` (the version in effect), `/open/catalog/<version>.json` and
`.csv` (any published version).

Nothing here is personal, so every answer may be kept by a browser or a proxy: the page and the
current catalog for five minutes (a new version takes effect at a Vientiane midnight or when
published), a numbered version for a day (its text never changes). The open data carry an ETag:
a re-fetch of an unchanged catalog is a 304 of a few hundred bytes.
"""

from __future__ import annotations

import hashlib
import os
import re

from fastapi import APIRouter, Request
from fastapi.responses import Response

from odsc_desk.shared.clock import local_date
from sync.server import open_catalog, public_catalog
from sync.server.context import context
from sync.server.db import reading
from sync.server.public_catalog import Version
from sync.server.report.poster_command import PUBLIC_URL_ENV, SIZES, find_office
from sync.server.web import numbers
from sync.server.web.public import lang_of, page, refusal

PAGE_MAX_AGE = 300
CURRENT_MAX_AGE = 300
VERSION_MAX_AGE = 24 * 3600
_VERSION_FILE = re.compile(r"([1-9][0-9]{0,6})\.(json|csv)")

router = APIRouter(include_in_schema=False)


def public_base(request: Request) -> str:
    """The centre's public address: the setting, or else the address this request came to."""
    configured = os.environ.get(PUBLIC_URL_ENV, "").strip()
    return (configured or str(request.base_url)).rstrip("/")


def _today(request: Request) -> tuple[Version | None, Version | None]:
    ctx = context(request)
    today = local_date(ctx.now())
    with reading(ctx.engine) as conn:
        return public_catalog.in_effect(conn, today), public_catalog.upcoming(conn, today)


@router.get("/fees")
def fees(request: Request) -> Response:
    typed = request.query_params.get("q", "")
    query = public_catalog.clean_query(typed)
    if query is None:
        return refusal(request, 400, "pub_bad_query", most=public_catalog.QUERY_MAX)
    now, later = _today(request)
    if now is None:
        return page(request, "fees.html", 200, cache_seconds=60, version=None, query=typed)
    shown = public_catalog.search(now, query)
    return page(
        request,
        "fees.html",
        cache_seconds=PAGE_MAX_AGE,
        version=now,
        later=later,
        changes=public_catalog.changes(now, later) if later else None,
        ministries=shown,
        found=sum(len(m.services) for m in shown),
        query=typed.strip(),
        day=numbers.day,
    )


@router.get("/fees/poster.pdf")
def poster(request: Request) -> Response:
    size = request.query_params.get("size", "a4").lower()
    if size not in SIZES:
        return refusal(request, 400, "pub_bad_size", text=size[:20])
    typed = request.query_params.get("office", "")
    ctx = context(request)
    with reading(ctx.engine) as conn:
        office = find_office(conn, typed)
        now = public_catalog.in_effect(conn, local_date(ctx.now()))
    if office is None:
        return refusal(request, 404, "pub_no_office", code=typed.strip()[:20] or "—")
    if now is None:
        return refusal(request, 404, "pub_no_catalog")
    # ReportLab and the fonts load with the first poster, not with every start of the server.
    from sync.server.report.poster import poster_pdf

    url = public_base(request) + "/fees" + ("?lang=en" if lang_of(request) == "en" else "")
    pdf = poster_pdf(now, office, size, url)
    name = f"fees-{office.code}-v{now.version}-{size}.pdf"
    return Response(
        pdf,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="{name}"',
            # Its QR code may name the address the request came to (no ODSC_PUBLIC_URL): only
            # the asker's browser keeps it, never a cache shared with others.
            "Cache-Control": f"private, max-age={PAGE_MAX_AGE}",
        },
    )


def _open(request: Request, content: bytes, media_type: str, max_age: int) -> Response:
    """An open-data answer with its ETag, or a 304 when the asker holds it already."""
    tag = '"' + hashlib.sha256(content).hexdigest() + '"'
    headers = {
        "ETag": tag,
        "Cache-Control": f"public, max-age={max_age}",
        "Access-Control-Allow-Origin": "*",  # open data: any site may read it
    }
    asked = request.headers.get("if-none-match", "")
    if tag in [t.strip().removeprefix("W/") for t in asked.split(",")]:
        return Response(status_code=304, headers=headers)
    return Response(content, media_type=media_type, headers=headers)


def _file(
    request: Request, version: Version, kind: str, later: Version | None, age: int
) -> Response:
    if kind == "csv":
        return _open(request, open_catalog.csv_bytes(version), "text/csv", age)
    answer = open_catalog.document(version, base=public_base(request), later=later)
    return _open(request, open_catalog.json_bytes(answer), "application/json", age)


@router.get("/open/catalog.{kind}")
def current_file(request: Request, kind: str) -> Response:
    if kind not in ("json", "csv"):
        return refusal(request, 404, "pub_no_such_file")
    now, later = _today(request)
    if now is None:
        return refusal(request, 404, "pub_no_catalog")
    return _file(request, now, kind, later, CURRENT_MAX_AGE)


@router.get("/open/catalog/{name}")
def version_file(request: Request, name: str) -> Response:
    matched = _VERSION_FILE.fullmatch(name)
    if matched is None:
        return refusal(request, 404, "pub_no_such_file")
    ctx = context(request)
    with reading(ctx.engine) as conn:
        found = public_catalog.by_number(conn, int(matched.group(1)))
    if found is None:
        return refusal(request, 404, "pub_no_version", version=matched.group(1))
    return _file(request, found, matched.group(2), None, VERSION_MAX_AGE)
