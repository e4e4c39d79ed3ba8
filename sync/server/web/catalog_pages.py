"""The fee catalog's pages: every version with who drafted and approved it, drafts, the draft
editor and the difference it makes, submitting, approving or returning, publishing.

Every rule is sync.server.governance's, the very functions behind `odsc-server catalog publish`;
these pages only read forms and show answers. Only catalog editors, approvers and admins see
them (CATALOG_ROLES; base.html shows the link on the same condition); every page and POST reads
the account again and checks the role on the server, and every POST carries the session's CSRF
token. A refusal re-shows the draft with the reason in the person's language and changes
nothing. The editor is a plain form (one row per service, ministry and document, one more row
in each table to add one, a box to remove one): it works without scripts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import Connection
from starlette.concurrency import run_in_threadpool

from odsc_desk.shared.catalog_file import LEGAL_BASIS
from odsc_desk.shared.clock import local_date
from odsc_desk.shared.errors import OdscError
from sync.protocol import Problem
from sync.server import governance
from sync.server.context import Context, context
from sync.server.db import reading, writing
from sync.server.scopes import Account
from sync.server.web import csrf, pages, sessions
from sync.server.web.i18n import STRINGS, Lang, tr
from sync.server.web.render import render

router = APIRouter(include_in_schema=False)

CATALOG_ROLES = ("catalog_editor", "catalog_approver", "admin")
# A catalog of a few hundred services, each name in Lao (9 bytes a letter, URL-encoded).
_FORM_MAX = 1_000_000
_ID_DIGITS = 9
NEW_ROW = "new"
# The editor's tables of codes: the catalog's key and the prefix of their fields
# (min_code_0, doc_name_lo_new), apart from the services' own (code_0, name_lo_new).
CODE_TABLES = {"ministries": "min", "documents": "doc"}


def sees_catalog(account: Account) -> bool:
    return account.role in CATALOG_ROLES


def _who(found: sessions.Session) -> governance.Who:
    return governance.Who(found.account.name, found.account.role)


def _person(request: Request, ctx: Context) -> sessions.Session | Response:
    found = pages._session(request, ctx)
    if found is None:
        return pages._to_login(request)
    if not sees_catalog(found.account):
        return pages._refusal(request, 403, "cat_denied")
    return found


def _number(text: str) -> int | None:
    if not (text.isascii() and text.isdigit()) or len(text) > _ID_DIGITS:
        return None
    return int(text)


async def _form(request: Request) -> dict[str, str] | None:
    """The urlencoded body; None when it is too long to be a catalog's form."""
    body = await request.body()
    if len(body) > _FORM_MAX:
        return None
    fields = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
    return {name: values[0] for name, values in fields.items()}


def _why(lang: Lang, exc: Exception, words: str = "cat") -> str:
    """A refusal in the person's language: the counter's reader says it in both already; the
    governance rules by their code (catalog.own_draft → cat_own_draft; a page's own `words`
    first, as the calendar's cal_role, then the catalog's shared ones)."""
    if isinstance(exc, OdscError):
        return exc.message_lo if lang == "lo" else exc.message_en
    assert isinstance(exc, Problem)
    code = exc.code.partition(".")[2]
    for key in (f"{words}_{code}", f"cat_{code}"):
        if key in STRINGS:
            return tr(lang, key)
    return tr(lang, "cat_refused", why=exc.detail)


# -- the list ---------------------------------------------------------------------------------


def _listing(ctx: Context, kind: governance.Governed) -> dict[str, Any]:
    today = local_date(ctx.now()).isoformat()
    with reading(ctx.engine) as conn:
        listed = kind.versions(conn)
        open_drafts = kind.open_drafts(conn)
    in_effect = next(
        (
            v["version"]
            for v in listed
            if v["effective_from"] is None or v["effective_from"] <= today
        ),
        None,
    )
    return {"versions": listed, "drafts": open_drafts, "in_effect": in_effect, "today": today}


def list_page(
    request: Request,
    ctx: Context,
    found: sessions.Session,
    drafts: Drafts,
    status: int = 200,
    error: str | None = None,
) -> Response:
    """The versions and open drafts of the fee catalog or the national calendar."""
    response = render(
        request,
        "catalog.html",
        pages._lang(request),
        status,
        session=found,
        editor=found.account.role in governance.EDITORS,
        error=error,
        path=drafts.path,
        words=drafts.words,
        column=drafts.kind.column,
        **_listing(ctx, drafts.kind),
    )
    return pages._remember_lang(request, response)


@router.get("/catalog")
def catalog_list(request: Request) -> Response:
    ctx = context(request)
    found = _person(request, ctx)
    if isinstance(found, Response):
        return found
    return list_page(request, ctx, found, CATALOG_DRAFTS)


@router.get("/catalog/versions/{version}")
def catalog_version(request: Request, version: str) -> Response:
    ctx = context(request)
    found = _person(request, ctx)
    if isinstance(found, Response):
        return found
    number = _number(version)
    with reading(ctx.engine) as conn:
        shown = governance.published(conn, number) if number is not None else None
    if shown is None:
        asked = version[:20]
        return pages._refusal(request, 404, "not_found", (asked, asked))
    response = render(
        request,
        "catalog_version.html",
        pages._lang(request),
        200,
        session=found,
        shown=shown,
        content=shown["catalog"],
        rows=_rows(shown["catalog"]),
    )
    return pages._remember_lang(request, response)


# -- a draft ----------------------------------------------------------------------------------


def _rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    """A catalog's services as the pages show them, with their ministry's and documents'
    names."""
    ministries = {m.get("code"): m for m in data.get("ministries", [])}
    rows = []
    for service in data.get("services", []):
        ministry = ministries.get(service.get("ministry"), {})
        rows.append(
            {
                **service,
                "ministry_lo": ministry.get("name_lo", ""),
                "ministry_en": ministry.get("name_en", ""),
                "documents_text": " ".join(service.get("documents", [])),
            }
        )
    return rows


def _code_rows(typed: list[dict[str, Any]], saved: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows of the editor's ministries (or documents), each marked `fixed` when the draft
    holds its code saved. Accounts' scopes and the figures name a ministry by its code, and the
    counters record a request's documents by theirs, so a saved code is not changed in place:
    removing it and adding another shows both in the difference. A code typed in a form that
    was refused may still be mended."""
    fixed = {str(item.get("code", "")) for item in saved}
    rows = []
    for item in typed:
        code = str(item.get("code", ""))
        rows.append({**item, "fixed": code in fixed})
        fixed.discard(code)  # a second row of that code was typed: its code stays open
    return rows


def _draft_page(
    request: Request,
    ctx: Context,
    found: sessions.Session,
    draft_id: int,
    status: int = 200,
    error: str | None = None,
    typed: dict[str, Any] | None = None,
) -> Response:
    """The draft, the difference from the version it was made from, and what this person may
    do with it now."""
    with reading(ctx.engine) as conn:
        try:
            shown = governance.draft(conn, draft_id)
        except Problem:
            asked = str(draft_id)
            return pages._refusal(request, 404, "not_found", (asked, asked))
        base = governance.published(conn, shown["base_version"])
    me = found.account
    content = typed if typed is not None else shown["catalog"]
    mine = shown["drafted_by"] == me.name
    deciding = me.role in governance.APPROVERS and not mine
    response = render(
        request,
        "catalog_draft.html",
        pages._lang(request),
        status,
        session=found,
        draft=shown,
        content=content,
        rows=_rows(content),
        codes={
            key: _code_rows(content.get(key, []), shown["catalog"].get(key, []))
            for key in CODE_TABLES
        },
        difference=governance.difference(base["catalog"] if base else None, shown["catalog"]),
        base=base,
        error=error,
        can_edit=mine and me.role in governance.EDITORS and shown["state"] in ("draft", "returned"),
        can_decide=deciding and shown["state"] == "submitted",
        can_publish=me.role in governance.APPROVERS and shown["state"] == "approved",
        today=local_date(ctx.now()).isoformat(),
        new_row=NEW_ROW,
    )
    return pages._remember_lang(request, response)


def show_draft(request: Request, draft_id: str, drafts: Drafts) -> Response:
    """GET {path}/drafts/{draft_id}: the draft's page, to the catalog's people only."""
    ctx = context(request)
    found = _person(request, ctx)
    if isinstance(found, Response):
        return found
    number = _number(draft_id)
    if number is None:
        asked = draft_id[:20]
        return pages._refusal(request, 404, "not_found", (asked, asked))
    return drafts.page(request, ctx, found, number)


@router.get("/catalog/drafts/{draft_id}")
def draft_view(request: Request, draft_id: str) -> Response:
    return show_draft(request, draft_id, CATALOG_DRAFTS)


async def _posted(
    request: Request, ctx: Context
) -> tuple[sessions.Session, dict[str, str]] | Response:
    """The person and the form of a POST, once the role and the CSRF token are checked."""
    form = await _form(request)
    found = await run_in_threadpool(_person, request, ctx)
    if isinstance(found, Response):
        return found
    if form is None:
        return pages._refusal(request, 403, "cat_form_too_long")
    try:
        csrf.check(found.csrf, form.get(csrf.FIELD))
    except csrf.CsrfRefused:
        return pages._refusal(request, 403, "csrf")
    return found, form


async def new_draft(request: Request, drafts: Drafts) -> Response:
    """POST {path}/drafts: a new draft, then its page (303); or the list with the reason."""
    ctx = context(request)
    posted = await _posted(request, ctx)
    if isinstance(posted, Response):
        return posted
    found, _ = posted

    def start() -> int:
        with writing(ctx.engine) as conn:
            return drafts.kind.start(conn, _who(found), ctx.now())

    try:
        made = await run_in_threadpool(start)
    except Problem as refused:
        why = _why(pages._lang(request), refused, drafts.words)
        return await run_in_threadpool(list_page, request, ctx, found, drafts, refused.status, why)
    return RedirectResponse(f"{drafts.path}/drafts/{made}", status_code=303)


@router.post("/catalog/drafts")
async def draft_new(request: Request) -> Response:
    return await new_draft(request, CATALOG_DRAFTS)


def _coded(content: dict[str, Any], form: dict[str, str], key: str) -> list[Any]:
    """The ministries (or documents, `key`) of the editor's table, in its order. A row with
    anything typed is kept, so the counter's reader names what is missing (an empty Lao name, a
    code) rather than the row being lost. A form without the table (a page opened before it
    had one) keeps the draft's."""
    prefix = CODE_TABLES[key]
    if f"{prefix}_rows" not in form:
        return list(content.get(key, []))
    found = []
    count = _number(form[f"{prefix}_rows"]) or 0
    for row in [str(n) for n in range(count)] + [NEW_ROW]:
        typed = {
            name: form.get(f"{prefix}_{name}_{row}", "").strip()
            for name in ("code", "name_lo", "name_en")
        }
        if any(typed.values()) and form.get(f"{prefix}_remove_{row}") != "yes":
            found.append(typed)
    return found


def edited(content: dict[str, Any], form: dict[str, str]) -> dict[str, Any]:
    """The catalog the editor's form describes: its label, ministries, documents and service
    rows. A fee or a day count that is not a whole number is kept as typed, so the counter's
    reader names the field at fault."""

    def whole(text: str) -> int | str:
        cleaned = text.strip().replace(",", "").replace(" ", "")
        return int(cleaned) if cleaned.isascii() and cleaned.isdigit() else text

    services = []
    count = _number(form.get("rows", "")) or 0
    for key in [str(n) for n in range(count)] + [NEW_ROW]:
        code = form.get(f"code_{key}", "").strip()
        if not code or form.get(f"remove_{key}") == "yes":
            continue
        services.append(
            {
                "code": code,
                "ministry": form.get(f"ministry_{key}", "").strip(),
                "name_lo": form.get(f"name_lo_{key}", "").strip(),
                "name_en": form.get(f"name_en_{key}", "").strip(),
                "fee": whole(form.get(f"fee_{key}", "")),
                "days": whole(form.get(f"days_{key}", "")),
                "documents": form.get(f"documents_{key}", "").replace(",", " ").split(),
                # Optional: an empty field leaves the key out rather than an empty text.
                **{
                    name: typed
                    for name in LEGAL_BASIS
                    if (typed := form.get(f"{name}_{key}", "").strip())
                },
            }
        )
    return {
        **content,
        "label": form.get("label", "").strip(),
        **{key: _coded(content, form, key) for key in CODE_TABLES},
        "services": services,
    }


@dataclass(frozen=True)
class Step:
    """What a POST on a draft hands its action, inside the transaction."""

    kind: governance.Governed
    conn: Connection
    who: governance.Who
    draft_id: int
    form: dict[str, str]
    typed: dict[str, Any] | None  # the editor's object, when the form is the editor
    now: datetime


@dataclass(frozen=True)
class Drafts:
    """What the POSTs on one kind of draft need: its rules, where its pages are, how its
    editor's form reads (over the draft's object), and its draft page."""

    kind: governance.Governed
    path: str  # "/catalog"
    words: str  # the prefix of its page words: "cat" (cat_title)
    edited: Callable[[dict[str, Any], dict[str, str]], dict[str, Any]]
    page: Callable[..., Response]  # _draft_page's signature


async def act(
    request: Request, draft_id: str, action: Callable[[Step], None], drafts: Drafts
) -> Response:
    """A POST on a draft: the action in one transaction, then the draft again (303), or the
    draft with the reason it was refused (and the editor's rows as typed)."""
    ctx = context(request)
    posted = await _posted(request, ctx)
    if isinstance(posted, Response):
        return posted
    found, form = posted
    number = _number(draft_id)
    if number is None:
        asked = draft_id[:20]
        return pages._refusal(request, 404, "not_found", (asked, asked))
    kind = drafts.kind

    def current() -> dict[str, Any]:
        with reading(ctx.engine) as conn:
            return dict(kind.draft(conn, number)[kind.column])

    def run() -> None:
        with writing(ctx.engine) as conn:
            held = kind.draft(conn, number)[kind.column]
            typed = drafts.edited(held, form) if "label" in form else None
            action(Step(kind, conn, _who(found), number, form, typed, ctx.now()))

    try:
        await run_in_threadpool(run)
    except (Problem, OdscError) as refused:
        if isinstance(refused, Problem) and refused.code == f"{kind.noun}.no_draft":
            asked = draft_id[:20]
            return pages._refusal(request, 404, "not_found", (asked, asked))
        lang = pages._lang(request)
        typed = drafts.edited(current(), form) if "label" in form else None
        status = refused.status if isinstance(refused, Problem) else 422
        why = _why(lang, refused, drafts.words)
        return await run_in_threadpool(drafts.page, request, ctx, found, number, status, why, typed)
    return RedirectResponse(f"{drafts.path}/drafts/{number}", status_code=303)


def _save(step: Step) -> None:
    step.kind.save(step.conn, step.who, step.draft_id, step.typed or {}, step.now)


def _submit(step: Step) -> None:
    if step.typed is not None:  # the editor's last changes go with it
        _save(step)
    step.kind.submit(step.conn, step.who, step.draft_id, step.now)


def _approve(step: Step) -> None:
    step.kind.approve(step.conn, step.who, step.draft_id, step.now)


def _send_back(step: Step) -> None:
    reason = step.form.get("reason", "")
    step.kind.send_back(step.conn, step.who, step.draft_id, reason, step.now)


def _publish(step: Step) -> None:
    day = step.kind.parse_day(step.form.get("effective", "").strip())
    step.kind.publish(step.conn, step.who, step.draft_id, day, step.now)


ACTIONS: dict[str, Callable[[Step], None]] = {
    "save": _save,
    "submit": _submit,
    "approve": _approve,
    "return": _send_back,
    "publish": _publish,
}


async def draft_verb(request: Request, draft_id: str, verb: str, drafts: Drafts) -> Response:
    action = ACTIONS.get(verb)
    if action is None:
        asked = verb[:20]
        return pages._refusal(request, 404, "not_found", (asked, asked))
    return await act(request, draft_id, action, drafts)


CATALOG_DRAFTS = Drafts(governance.CATALOG, "/catalog", "cat", edited, _draft_page)


@router.post("/catalog/drafts/{draft_id}/{verb}")
async def draft_action(request: Request, draft_id: str, verb: str) -> Response:
    return await draft_verb(request, draft_id, verb, CATALOG_DRAFTS)
