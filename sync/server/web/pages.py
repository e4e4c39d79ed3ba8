"""The pages' routes: logging in and out, and the overview at every level.

Every page reads the session and the person's account as they stand now, checks on the server
that the person's scope covers the level asked for (`scoped`: whole, or through a ministry's
services, as scopes.allows judges), and answers 403 with a page in both languages when it does
not. Forms are parsed here from the urlencoded body (two
fields; not worth a multipart parser), after their CSRF token is checked.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qs, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import Connection
from starlette.concurrency import run_in_threadpool

from odsc_desk.shared.clock import local_date
from sync.server import scopes
from sync.server.context import Context, context
from sync.server.db import reading, writing
from sync.server.figures import catalog
from sync.server.figures.errors import FigureRefused
from sync.server.figures.periods import Period, month, parse_period, quarter, year
from sync.server.scopes import Account
from sync.server.web import cookies, csrf, overview, sessions, throttle
from sync.server.web.i18n import Lang, pick, tr
from sync.server.web.levels import Level, Registry, UnknownLevel, parse
from sync.server.web.render import render

router = APIRouter(include_in_schema=False)

SILENT_DEFAULT, SILENT_MAX = 3, 365
_FORM_MAX = 4096  # bytes: a name, a password and a token


def _lang(request: Request) -> Lang:
    return pick(request.query_params.get("lang") or request.cookies.get(cookies.LANG_COOKIE))


def _remember_lang(request: Request, response: Response) -> Response:
    """A language chosen by a link (`?lang=`) is kept for the next pages."""
    chosen = request.query_params.get("lang")
    if chosen is not None:
        cookies.put(response, request, cookies.LANG_COOKIE, pick(chosen), cookies.LANG_MAX_AGE)
    return response


def _session(request: Request, ctx: Context) -> sessions.Session | None:
    return sessions.find(ctx.engine, request.cookies.get(sessions.COOKIE), ctx.now())


def _to_login(request: Request) -> Response:
    response = RedirectResponse("/login", status_code=303)
    cookies.drop(response, request, sessions.COOKIE)
    return response


def _refusal(
    request: Request, status: int, key: str, names: tuple[str, str] | None = None
) -> Response:
    """A refusal page, in Lao and in English at once; `names` the place it is about, as each
    language names it."""
    title = "forbidden_title" if status == 403 else "not_found_title"
    lo, en = names or ("", "")
    return render(
        request,
        "refused.html",
        _lang(request),
        status,
        title_lo=tr("lo", title),
        title_en=tr("en", title),
        message_lo=tr("lo", key, area=lo),
        message_en=tr("en", key, area=en),
    )


# -- logging in and out --------------------------------------------------------------------------


@router.get("/login")
def login_form(request: Request) -> Response:
    ctx = context(request)
    if _session(request, ctx) is not None:
        return RedirectResponse("/", status_code=303)
    return _login_page(request, _lang(request), None, 200)


def _login_page(
    request: Request, lang: Lang, error: str | None, status: int, name: str = ""
) -> Response:
    """The form, with a new token (in the form and in its cookie) and the name typed kept."""
    token = csrf.new_token()
    response = render(request, "login.html", lang, status, token=token, error=error, name=name)
    cookies.put(response, request, csrf.LOGIN_COOKIE, token)
    return _remember_lang(request, response)


async def _form(request: Request) -> dict[str, str]:
    body = await request.body()
    if len(body) > _FORM_MAX:
        return {}
    fields = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
    return {name: values[0] for name, values in fields.items()}


def _message(refusal: throttle.Refusal, lang: Lang) -> str:
    if refusal.kind == "wait":
        return tr(lang, "login_wait", seconds=refusal.seconds)
    if refusal.kind == "locked":
        return tr(lang, "login_locked", until=refusal.until)
    return tr(lang, "login_failed")


def _log_in(ctx: Context, name: str, password: str) -> str | throttle.Refusal:
    """A new session's id, or why the login was refused. One transaction: a failure is
    counted even when the answer is a refusal."""
    now = ctx.now()
    with writing(ctx.engine) as conn:
        outcome = sessions.check_throttled(conn, name, password, now)
        if isinstance(outcome, throttle.Refusal):
            return outcome
        return sessions.start(conn, outcome, now)


@router.post("/login")
async def login(request: Request) -> Response:
    lang = _lang(request)
    form = await _form(request)
    try:
        csrf.check(request.cookies.get(csrf.LOGIN_COOKIE), form.get(csrf.FIELD))
    except csrf.CsrfRefused:
        return _refusal(request, 403, "csrf")
    outcome = await run_in_threadpool(
        _log_in, context(request), form.get("name", ""), form.get("password", "")
    )
    if isinstance(outcome, throttle.Refusal):
        return _login_page(request, lang, _message(outcome, lang), 401, form.get("name", ""))
    response = RedirectResponse("/", status_code=303)
    cookies.put(response, request, sessions.COOKIE, outcome)
    cookies.drop(response, request, csrf.LOGIN_COOKIE)
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    ctx = context(request)
    form = await _form(request)
    found = await run_in_threadpool(_session, request, ctx)
    if found is None:
        return _to_login(request)
    try:
        csrf.check(found.csrf, form.get(csrf.FIELD))
    except csrf.CsrfRefused:
        return _refusal(request, 403, "csrf")
    await run_in_threadpool(sessions.end, ctx.engine, found.digest)
    return _to_login(request)


# -- the overview ------------------------------------------------------------------------------


def _home(account: Account) -> Level | None:
    """Where a person starts: the nation for a nation-wide scope, else their widest place, else
    the nation through their ministry's services; None for an account with no scope at all."""
    if scopes.allows(account, Level("nation").area):
        return Level("nation")
    for kind in ("province", "district", "office"):
        for grant in account.grants:
            if grant.kind == kind:
                return Level(kind, grant.code)
    return scoped(account, Level("nation"))


def scoped(account: Account, level: Level) -> Level | None:
    """The level as the account may read it: whole when a grant covers it whole, else only
    its ministry's services (the first of its ministries, when it has several), as /api/v1
    answers that scope; None when it may not read it at all."""
    whole = level.narrowed(None)
    if scopes.allows(account, whole.area):
        return whole
    for ministry in sorted(account.reach.ministries):
        narrowed = whole.narrowed(ministry)
        if scopes.allows(account, narrowed.area):
            return narrowed
    return None


def ministry_names(conn: Connection, level: Level) -> dict[str, str] | None:
    """The level's ministry as each language names it (from the published catalogs), None
    when the level counts every service."""
    if level.ministry is None:
        return None
    known = next((s for s in catalog.services(conn).values() if s.ministry == level.ministry), None)
    if known is None:  # a grant for a ministry no published catalog lists yet
        return {"lo": level.ministry, "en": level.ministry}
    return {
        "lo": f"{known.ministry_lo} ({level.ministry})",
        "en": f"{known.ministry_en} ({level.ministry})",
    }


def this_month(today: date) -> Period:
    return month(today.year, today.month)


def shortcuts(today: date) -> dict[str, Period]:
    last = date(today.year - (today.month == 1), (today.month - 2) % 12 + 1, 1)
    return {
        "this_month": this_month(today),
        "last_month": month(last.year, last.month),
        "this_quarter": quarter(today.year, (today.month - 1) // 3 + 1),
        "this_year": year(today.year),
    }


def _silent_days(text: str | None) -> int:
    if text is not None and text.isdigit() and 1 <= int(text) <= SILENT_MAX:
        return int(text)
    return SILENT_DEFAULT


def _overview(request: Request, place: str | None, code: str = "") -> Response:
    """The overview of the level at /area/{place}/{code} (the person's own for None)."""
    ctx = context(request)
    found = _session(request, ctx)
    if found is None:
        return _to_login(request)
    lang = _lang(request)
    with reading(ctx.engine) as conn:
        registry = Registry.read(conn)
    if place is None:
        level = _home(found.account)
        if level is None:
            return _refusal(request, 403, "no_place_scope")
    elif place == "nation":
        level = Level("nation")
    else:
        try:
            level = parse(place, code, registry)
        except UnknownLevel:
            asked = f"{place}/{code}"[:80]
            return _refusal(request, 404, "not_found", (asked, asked))
    readable = scoped(found.account, level)
    if readable is None:
        names = (level.name(registry, "lo"), level.name(registry, "en"))
        return _refusal(request, 403, "denied", names)
    level = readable
    now = ctx.now()
    today = local_date(now)
    text = request.query_params.get("period", "").strip()
    silent_days = _silent_days(request.query_params.get("silent"))
    try:
        period = parse_period(text) if text else this_month(today)
    except FigureRefused:
        return _remember_lang(
            request,
            _page(request, lang, found, registry, level, None, text, silent_days, today, True),
        )
    with reading(ctx.engine) as conn:
        seen = overview.read(conn, level, registry, period, now, today, silent_days)
    return _remember_lang(
        request, _page(request, lang, found, registry, level, seen, text, silent_days, today)
    )


def _page(
    request: Request,
    lang: Lang,
    found: sessions.Session,
    registry: Registry,
    level: Level,
    seen: overview.Overview | None,
    text: str,
    silent_days: int,
    today: date,
    bad_period: bool = False,
) -> HTMLResponse:
    query = {"silent": str(silent_days)} if silent_days != SILENT_DEFAULT else {}

    def link(to: Level, period: Period | None = None) -> str:
        wanted = {**query, **({"period": period.label} if period else {})}
        if period is None and seen is not None and text:
            wanted["period"] = seen.period.label
        return to.path + ("?" + urlencode(wanted) if wanted else "")

    with reading(context(request).engine) as conn:
        ministry = ministry_names(conn, level)
    return render(
        request,
        "overview.html",
        lang,
        400 if bad_period else 200,
        session=found,
        registry=registry,
        level=level,
        above=[(up, scoped(found.account, up) is not None) for up in level.above(registry)],
        seen=seen,
        period_text=text or (seen.period.label if seen else ""),
        silent_days=silent_days,
        shortcuts=shortcuts(today),
        link=link,
        bad_period=bad_period,
        ministry=ministry,
    )


@router.get("/")
def home(request: Request) -> Response:
    return _overview(request, None)


@router.get("/area/nation")
def nation(request: Request) -> Response:
    return _overview(request, "nation")


@router.get("/area/{place}/{code:path}")
def area(request: Request, place: str, code: str) -> Response:
    return _overview(request, place, code)
