"""A person changes their own password: the current one, then the new one twice.

The current password is asked again even inside a session: a session left open on a shared
office PC must not be enough to take the account over. Wrong guesses at it count towards the
same lock as wrong logins (throttle.py), under the account's name, so a held session cannot try
passwords faster than the login page allows. The new one follows the rules of a first password
(accounts.check_password); once it is set every other session of the account ends
(accounts.set_password), so whoever knew the old one is out at their next page. An admin who
must reset a forgotten password runs `odsc-server user password NAME`.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from sync.server import accounts
from sync.server.context import Context, context
from sync.server.db import writing
from sync.server.problems import Refused
from sync.server.web import csrf, pages, sessions, throttle
from sync.server.web.i18n import Lang, tr
from sync.server.web.render import render

router = APIRouter(include_in_schema=False)


def _page(
    request: Request,
    found: sessions.Session,
    status: int = 200,
    error: str | None = None,
    changed: bool = False,
) -> Response:
    response = render(
        request,
        "password.html",
        pages._lang(request),
        status,
        session=found,
        error=error,
        changed=changed,
    )
    return pages._remember_lang(request, response)


@router.get("/password")
def password_form(request: Request) -> Response:
    found = pages._session(request, context(request))
    if found is None:
        return pages._to_login(request)
    return _page(request, found)


def _change(
    ctx: Context, found: sessions.Session, current: str, new: str
) -> throttle.Refusal | None:
    """Set the new password if `current` is the account's; else why not, the failure counted
    (one transaction: a refusal still commits its count)."""
    with writing(ctx.engine) as conn:
        outcome = sessions.check_throttled(conn, found.account.name, current, ctx.now())
        if isinstance(outcome, throttle.Refusal):
            return outcome
        accounts.set_password(conn, str(outcome), new, found.digest)
    return None


def _why(refusal: throttle.Refusal, lang: Lang) -> str:
    """A wait or a lock as the login form says it; a wrong guess as this page's."""
    if refusal.kind == "failed":
        return tr(lang, "password_current_wrong")
    return pages._message(refusal, lang)


@router.post("/password")
async def change_password(request: Request) -> Response:
    ctx = context(request)
    form = await pages._form(request)
    found = await run_in_threadpool(pages._session, request, ctx)
    if found is None:
        return pages._to_login(request)
    try:
        csrf.check(found.csrf, form.get(csrf.FIELD))
    except csrf.CsrfRefused:
        return pages._refusal(request, 403, "csrf")
    lang = pages._lang(request)
    new = form.get("password", "")
    # What can be said without the database first: nothing is counted against the name.
    if new != form.get("password_again", ""):
        error = tr(lang, "password_not_changed", why=tr(lang, "passwords_differ_short"))
        return await run_in_threadpool(_page, request, found, 400, error)
    try:
        accounts.check_password(new, found.account.name)
    except Refused as refused:
        # The rules say why in English, as `user add` does; the lead says it in Lao too.
        error = tr(lang, "password_not_changed", why=refused.detail)
        return await run_in_threadpool(_page, request, found, 400, error)
    refusal = await run_in_threadpool(_change, ctx, found, form.get("current", ""), new)
    if refusal is not None:
        return await run_in_threadpool(_page, request, found, 400, _why(refusal, lang))
    return await run_in_threadpool(_page, request, found, 200, None, True)
