"""The accounts page and the access log, for an admin whose scope is the nation.

Accounts and the log are the whole centre's, not a place's: an admin scoped to a province could
otherwise revoke a nation-wide account or read who read what in every province. So both pages
ask for the admin role *and* a nation scope (manages_accounts); anyone else gets 403, on every
page, form and file.

Revoking is the very function `odsc-server user revoke` runs (accounts.revoke), behind a
confirmation page (a form, so it works without scripts) and the session's CSRF token. A revoked
person's session stops at the next page, since every page reads the account again
(sessions.find). Nobody revokes themself here: the last admin would lock the centre out.

The access log's own file is not logged as a read of personal data: it names the centre's staff
and what they read (an area, a tracking number, a count), never a citizen's name, phone or ID
number, and logging it would fill the log with reads of itself. It stays an admin's alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, cast
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import Connection
from starlette.concurrency import run_in_threadpool

from sync.server import accounts, exports, records
from sync.server.context import Context, context
from sync.server.db import ROLES, reading, writing
from sync.server.figures import catalog
from sync.server.problems import Refused
from sync.server.scopes import Account
from sync.server.tables import table
from sync.server.web import csrf, numbers, pages, sessions
from sync.server.web.i18n import Lang, tr
from sync.server.web.levels import Level, Place, Registry
from sync.server.web.render import render

router = APIRouter(include_in_schema=False)

PAGE = 50  # access log rows a page
_ID_DIGITS = 9  # as accounts.find reads an id
LOG_COLUMNS = ["id", "at", "account_id", "account", "action", "target", "records"]


def manages_accounts(account: Account) -> bool:
    """An admin with the nation in scope (base.html shows the link on the same condition)."""
    return account.role == "admin" and account.reach.nation


def _admin(request: Request, ctx: Context) -> sessions.Session | Response:
    found = pages._session(request, ctx)
    if found is None:
        return pages._to_login(request)
    if not manages_accounts(found.account):
        return pages._refusal(request, 403, "accounts_denied")
    return found


def _number(text: str | None) -> int | None:
    """An id as a link spells it; None for anything else."""
    if text is None or not (text.isascii() and text.isdigit()) or len(text) > _ID_DIGITS:
        return None
    return int(text)


# -- the accounts ------------------------------------------------------------------------------


def scope_name(
    text: str, registry: Registry, ministries: dict[str, tuple[str, str]], lang: Lang
) -> str:
    """A scope as `user list` spells it (province:LA-VT), named as the registry names it."""
    kind, _, code = text.partition(":")
    if kind == "nation":
        return tr(lang, "nation")
    if kind == "ministry":
        names = ministries.get(code)
        named = names[0 if lang == "lo" else 1] if names else ""
        return tr(lang, "scope_ministry", name=f"{named} ({code})" if named else code)
    level = Level(cast(Place, kind), code)  # a province, a district or an office
    return f"{tr(lang, kind)}: {level.name(registry, lang)}"


def personal(row: dict[str, Any]) -> str:
    """What personal data an account reads (scopes.sees_personal_data), as a string's key."""
    if row["personal_data"]:
        return "personal_by_name"
    if any(s.startswith("office:") for s in row["scopes"]):
        return "personal_own_office"
    return "personal_none"


def _ministries(conn: Connection) -> dict[str, tuple[str, str]]:
    return {s.ministry: (s.ministry_lo, s.ministry_en) for s in catalog.services(conn).values()}


@dataclass(frozen=True)
class Listing:
    rows: list[dict[str, Any]]
    registry: Registry
    ministries: dict[str, tuple[str, str]]
    logins: dict[int, str]


def _listing(ctx: Context) -> Listing:
    with reading(ctx.engine) as conn:
        return Listing(
            accounts.list_accounts(conn),
            Registry.read(conn),
            _ministries(conn),
            sessions.latest_logins(conn),
        )


def _accounts_page(
    request: Request,
    found: sessions.Session,
    status: int = 200,
    message: str | None = None,
    error: str | None = None,
) -> Response:
    lang = pages._lang(request)
    seen = _listing(context(request))
    response = render(
        request,
        "accounts.html",
        lang,
        status,
        session=found,
        rows=seen.rows,
        logins=seen.logins,
        personal=personal,
        scope_name=lambda text: scope_name(text, seen.registry, seen.ministries, lang),
        message=message,
        error=error,
    )
    return pages._remember_lang(request, response)


def _named(rows: list[dict[str, Any]], account_id: int | None) -> dict[str, Any] | None:
    return next((r for r in rows if r["id"] == account_id), None)


@router.get("/accounts")
def accounts_list(request: Request) -> Response:
    ctx = context(request)
    found = _admin(request, ctx)
    if isinstance(found, Response):
        return found
    lang = pages._lang(request)
    message = None
    # After a revocation the list says what was done, read again from the accounts themselves.
    for outcome in ("revoked", "already", "made"):
        wanted = _number(request.query_params.get(outcome))
        if wanted is not None:
            with reading(ctx.engine) as conn:
                done = _named(accounts.list_accounts(conn), wanted)
            if done is not None and (outcome == "made") == (done["revoked_at"] is None):
                message = tr(
                    lang, f"account_{outcome}", name=done["name"], when=_moment(done, lang)
                )
    return _accounts_page(request, found, message=message)


def _moment(row: dict[str, Any], lang: Lang) -> str:
    return numbers.moment(row["revoked_at"], lang)


def _target(request: Request, ctx: Context, text: str) -> dict[str, Any] | Response:
    """The account a revoke address names, or the 404 page."""
    wanted = _number(text)
    with reading(ctx.engine) as conn:
        row = _named(accounts.list_accounts(conn), wanted) if wanted is not None else None
    if row is None:
        shown = text[:40]
        return pages._refusal(
            request,
            404,
            "not_found",
            (tr("lo", "account_n", id=shown), tr("en", "account_n", id=shown)),
        )
    return row


@router.get("/accounts/{account_id}/revoke")
def revoke_confirm(request: Request, account_id: str) -> Response:
    ctx = context(request)
    found = _admin(request, ctx)
    if isinstance(found, Response):
        return found
    row = _target(request, ctx, account_id)
    if isinstance(row, Response):
        return row
    lang = pages._lang(request)
    if row["id"] == found.account.id:
        return _accounts_page(request, found, 409, error=tr(lang, "revoke_self"))
    if row["revoked_at"] is not None:
        return _accounts_page(
            request,
            found,
            409,
            error=tr(lang, "account_already", name=row["name"], when=_moment(row, lang)),
        )
    with reading(ctx.engine) as conn:
        registry, ministries = Registry.read(conn), _ministries(conn)
    response = render(
        request,
        "accounts_confirm.html",
        lang,
        200,
        session=found,
        row=row,
        scope_name=lambda text: scope_name(text, registry, ministries, lang),
    )
    return pages._remember_lang(request, response)


def _revoke(ctx: Context, account_id: int) -> dict[str, Any]:
    with writing(ctx.engine) as conn:
        return accounts.revoke(conn, str(account_id), ctx.now())


@router.post("/accounts/{account_id}/revoke")
async def revoke(request: Request, account_id: str) -> Response:
    ctx = context(request)
    form = await pages._form(request)
    found = await run_in_threadpool(_admin, request, ctx)
    if isinstance(found, Response):
        return found
    try:
        csrf.check(found.csrf, form.get(csrf.FIELD))
    except csrf.CsrfRefused:
        return pages._refusal(request, 403, "csrf")
    row = await run_in_threadpool(_target, request, ctx, account_id)
    if isinstance(row, Response):
        return row
    if row["id"] == found.account.id:
        lang = pages._lang(request)
        return await run_in_threadpool(
            _accounts_page, request, found, 409, None, tr(lang, "revoke_self")
        )
    done = await run_in_threadpool(_revoke, ctx, row["id"])
    outcome = "already" if done["already"] else "revoked"
    return RedirectResponse(f"/accounts?{outcome}={done['id']}", status_code=303)


# -- adding a person ---------------------------------------------------------------------------


def _new_page(
    request: Request,
    found: sessions.Session,
    status: int = 200,
    typed: dict[str, str] | None = None,
    error: str | None = None,
) -> Response:
    response = render(
        request,
        "accounts_new.html",
        pages._lang(request),
        status,
        session=found,
        roles=ROLES,
        typed=typed or {},
        error=error,
    )
    return pages._remember_lang(request, response)


@router.get("/accounts/new")
def new_person_form(request: Request) -> Response:
    found = _admin(request, context(request))
    if isinstance(found, Response):
        return found
    return _new_page(request, found)


def _add_person(ctx: Context, form: dict[str, str]) -> dict[str, Any]:
    """`odsc-server user add` for a person: the same function, the same checks."""
    with writing(ctx.engine) as conn:
        return accounts.add_person(
            conn,
            form.get("name", ""),
            form.get("role", ""),
            form.get("scopes", "").replace(",", " ").split(),
            form.get("password", ""),
            ctx.now(),
            form.get("personal_data") == "yes",
        )


@router.post("/accounts/new")
async def new_person(request: Request) -> Response:
    ctx = context(request)
    form = await pages._form(request)
    found = await run_in_threadpool(_admin, request, ctx)
    if isinstance(found, Response):
        return found
    try:
        csrf.check(found.csrf, form.get(csrf.FIELD))
    except csrf.CsrfRefused:
        return pages._refusal(request, 403, "csrf")
    lang = pages._lang(request)
    typed = {k: form.get(k, "") for k in ("name", "role", "scopes", "personal_data")}
    if form.get("password", "") != form.get("password_again", ""):
        error = tr(lang, "passwords_differ")
    else:
        try:
            made = await run_in_threadpool(_add_person, ctx, form)
        except Refused as refused:
            # The checks say why in English, as `user add` does; the lead says it in Lao too.
            error = tr(lang, "account_not_made", why=refused.detail)
        else:
            return RedirectResponse(f"/accounts?made={made['id']}", status_code=303)
    return await run_in_threadpool(_new_page, request, found, 400, typed, error)


# -- the access log ----------------------------------------------------------------------------


@dataclass(frozen=True)
class LogAsked:
    session: sessions.Session
    account: dict[str, Any] | None  # whose reads, when one person's are asked for
    people: list[dict[str, Any]]


def _log_asked(request: Request, ctx: Context) -> LogAsked | Response:
    found = _admin(request, ctx)
    if isinstance(found, Response):
        return found
    with reading(ctx.engine) as conn:
        people = accounts.list_accounts(conn)
    text = request.query_params.get("account", "").strip()
    if not text:
        return LogAsked(found, None, people)
    whose = _named(people, _number(text))
    if whose is None:
        shown = text[:40]
        return pages._refusal(
            request,
            404,
            "not_found",
            (tr("lo", "account_n", id=shown), tr("en", "account_n", id=shown)),
        )
    return LogAsked(found, whose, people)


def _log_rows(
    ctx: Context, asked: LogAsked, before: int | None, limit: int
) -> list[dict[str, Any]]:
    whose = asked.account["id"] if asked.account else None
    with reading(ctx.engine) as conn:
        return accounts.read_access_log(conn, whose, before, limit)


@router.get("/accounts/log")
def access_log_page(request: Request) -> Response:
    ctx = context(request)
    asked = _log_asked(request, ctx)
    if isinstance(asked, Response):
        return asked
    lang = pages._lang(request)
    text = request.query_params.get("before")
    before = _number(text) if text is not None else None
    bad_cursor = text is not None and before is None
    rows = [] if bad_cursor else _log_rows(ctx, asked, before, PAGE + 1)
    query = {"account": str(asked.account["id"])} if asked.account else {}
    following = rows[PAGE - 1]["id"] if len(rows) > PAGE else None
    response = render(
        request,
        "accounts_log.html",
        lang,
        400 if bad_cursor else 200,
        session=asked.session,
        rows=rows[:PAGE],
        people=asked.people,
        whose=asked.account,
        bad_cursor=bad_cursor,
        paged=before is not None,
        first_link="/accounts/log" + ("?" + urlencode(query) if query else ""),
        next_link=(
            "/accounts/log?" + urlencode({**query, "before": following}) if following else None
        ),
        csv_link="/accounts/log.csv" + ("?" + urlencode(query) if query else ""),
        xlsx_link="/accounts/log.xlsx" + ("?" + urlencode(query) if query else ""),
    )
    return pages._remember_lang(request, response)


def _log_file(request: Request, fmt: Literal["csv", "xlsx"]) -> Response:
    ctx = context(request)
    asked = _log_asked(request, ctx)
    if isinstance(asked, Response):
        return asked
    rows = _log_rows(ctx, asked, None, records.EXPORT_MAX + 1)
    if len(rows) > records.EXPORT_MAX:  # a file cut short would pass for the whole log
        most = f"{records.EXPORT_MAX:,}"
        return pages._refusal(request, 422, "too_many", (most, most))
    whose = f"account-{asked.account['id']}" if asked.account else None
    name = exports.filename("access-log", whose)
    shown = table("access_log", rows, LOG_COLUMNS)
    return exports.as_file({"access_log": shown}, "access_log", fmt, name)


@router.get("/accounts/log.csv")
def access_log_csv(request: Request) -> Response:
    return _log_file(request, "csv")


@router.get("/accounts/log.xlsx")
def access_log_xlsx(request: Request) -> Response:
    return _log_file(request, "xlsx")
