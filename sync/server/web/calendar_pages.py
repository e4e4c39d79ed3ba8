"""The national calendar's pages: every version with who drafted and approved it, drafts, the
draft editor and the difference it makes, submitting, approving or returning, publishing.

The same people as the fee catalog's pages (catalog editors, approvers and admins) and the same
machinery (catalog_pages: the role and CSRF checks of every POST, one transaction per action,
a refusal re-showing the draft with the reason in the person's language and the rows as typed);
every rule is sync.server.calendars.CALENDAR's, the very one behind `odsc-server calendar
publish`. The editor is a plain form (one row per day, one more row to add a day, a box to
remove one): it works without scripts.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from odsc_desk.shared.clock import local_date
from sync.protocol import Problem
from sync.server import calendars, governance
from sync.server.context import Context, context
from sync.server.db import reading
from sync.server.web import catalog_pages, pages, sessions
from sync.server.web.render import render

router = APIRouter(include_in_schema=False)

KIND = calendars.CALENDAR
NEW_ROW = "new"


@router.get("/calendar")
def calendar_list(request: Request) -> Response:
    ctx = context(request)
    found = catalog_pages._person(request, ctx)
    if isinstance(found, Response):
        return found
    return catalog_pages.list_page(request, ctx, found, CALENDAR_DRAFTS)


def _not_found(request: Request, asked: str) -> Response:
    return pages._refusal(request, 404, "not_found", (asked[:20], asked[:20]))


@router.get("/calendar/versions/{version}")
def calendar_version(request: Request, version: str) -> Response:
    ctx = context(request)
    found = catalog_pages._person(request, ctx)
    if isinstance(found, Response):
        return found
    number = catalog_pages._number(version)
    with reading(ctx.engine) as conn:
        shown = KIND.published(conn, number) if number is not None else None
    if shown is None:
        return _not_found(request, version)
    response = render(
        request,
        "calendar_version.html",
        pages._lang(request),
        200,
        session=found,
        shown=shown,
        days=shown["calendar"].get("days", []),
    )
    return pages._remember_lang(request, response)


def _years_text(content: dict[str, Any]) -> str:
    years = content.get("years", [])
    return " ".join(str(y) for y in years) if isinstance(years, list) else str(years)


def _draft_page(
    request: Request,
    ctx: Context,
    found: sessions.Session,
    draft_id: int,
    status: int = 200,
    error: str | None = None,
    typed: dict[str, Any] | None = None,
) -> Response:
    """The draft, the difference from the version it was made from (or, for a first draft,
    from nothing), and what this person may do with it now."""
    with reading(ctx.engine) as conn:
        try:
            shown = KIND.draft(conn, draft_id)
        except Problem:
            return _not_found(request, str(draft_id))
        base = KIND.published(conn, shown["base_version"]) if shown["base_version"] else None
    me = found.account
    content = typed if typed is not None else shown["calendar"]
    mine = shown["drafted_by"] == me.name
    added, removed, changed = calendars.difference(
        base["calendar"] if base else calendars.package_calendar(shown["calendar"]),
        shown["calendar"],
    )
    response = render(
        request,
        "calendar_draft.html",
        pages._lang(request),
        status,
        session=found,
        draft=shown,
        content=content,
        years_text=_years_text(content),
        days=content.get("days", []),
        added=added,
        removed=removed,
        changed=changed,
        base=base,
        error=error,
        can_edit=mine and me.role in governance.EDITORS and shown["state"] in ("draft", "returned"),
        can_decide=me.role in governance.APPROVERS and not mine and shown["state"] == "submitted",
        can_publish=me.role in governance.APPROVERS and shown["state"] == "approved",
        today=local_date(ctx.now()).isoformat(),
        new_row=NEW_ROW,
    )
    return pages._remember_lang(request, response)


@router.get("/calendar/drafts/{draft_id}")
def draft_view(request: Request, draft_id: str) -> Response:
    return catalog_pages.show_draft(request, draft_id, CALENDAR_DRAFTS)


def edited(content: dict[str, Any], form: dict[str, str]) -> dict[str, Any]:
    """The calendar the editor's form describes: its label, years and day rows. A year or a
    date that is not one is kept as typed, so the counter's reader names the field at fault."""

    def year(text: str) -> int | str:
        return int(text) if text.isascii() and text.isdigit() and len(text) <= 4 else text

    days = []
    count = catalog_pages._number(form.get("rows", "")) or 0
    for key in [str(n) for n in range(count)] + [NEW_ROW]:
        day = form.get(f"date_{key}", "").strip()
        if not day or form.get(f"remove_{key}") == "yes":
            continue
        days.append(
            {
                "date": day,
                "kind": form.get(f"kind_{key}", "").strip(),
                "name_lo": form.get(f"name_lo_{key}", "").strip(),
                "name_en": form.get(f"name_en_{key}", "").strip(),
            }
        )
    days.sort(key=lambda d: d["date"])
    years = [year(y) for y in form.get("years", "").replace(",", " ").split()]
    return {**content, "label": form.get("label", "").strip(), "years": years, "days": days}


CALENDAR_DRAFTS = catalog_pages.Drafts(KIND, "/calendar", "cal", edited, _draft_page)


@router.post("/calendar/drafts")
async def draft_new(request: Request) -> Response:
    return await catalog_pages.new_draft(request, CALENDAR_DRAFTS)


@router.post("/calendar/drafts/{draft_id}/{verb}")
async def draft_action(request: Request, draft_id: str, verb: str) -> Response:
    return await catalog_pages.draft_verb(request, draft_id, verb, CALENDAR_DRAFTS)
