"""`mount(app)`: the pages, their static files and the headers every one of them carries."""

from __future__ import annotations

from importlib import resources

from fastapi import FastAPI
from starlette.datastructures import MutableHeaders
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sync.server.report import page as report_page
from sync.server.web import (
    accounts_page,
    calendar_pages,
    cash_page,
    catalog_pages,
    lists,
    pages,
    password_page,
    public,
    services_pages,
    status_pages,
)

# No script, style or font from anywhere but this server; no inline script or style (nor style
# attributes); no framing (clickjacking); forms post only here.
CSP = (
    "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; "
    "object-src 'none'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate it
}
# How long a browser keeps a static file before it asks again (with its ETag: a 304 then costs
# a few hundred bytes). The font changes only with a release and an old copy still draws the same
# letters: a week. The style sheet may change with any upgrade, so five minutes: a person clicking
# through pages on a slow link does not pay a round trip per page for it, and an upgrade's new
# rules reach every browser soon after.
FONT_MAX_AGE = 7 * 24 * 3600
STATIC_MAX_AGE = 300


def cache_control(path: str) -> str | None:
    """The Cache-Control of a static file's answer; None for every other path (the pages say
    no-store themselves: render.render)."""
    if path.startswith("/static/fonts/"):
        return f"public, max-age={FONT_MAX_AGE}"
    if path.startswith("/static/"):
        return f"public, max-age={STATIC_MAX_AGE}"
    return None


# The pages' paths. The API's are left alone: /docs (Swagger UI) needs its inline script.
_PREFIXES = (
    "/login",
    "/logout",
    "/area/",
    "/static/",
    "/overdue",
    "/counters",
    "/catalog",
    "/report",
    "/services",
    "/cash",
    "/accounts",
    "/calendar",
    "/password",
)


def is_page(path: str) -> bool:
    return path == "/" or path.startswith(_PREFIXES) or public.is_public(path)


class PageHeaders:
    """Adds HEADERS to every answer of a page path, refusals and redirects included, and
    cache_control's to a static file that was found (200, or 304 when the browser's copy is
    current)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_page(scope["path"]):
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    headers[name] = value
                caching = cache_control(scope["path"])
                if caching is not None and message["status"] in (200, 304):
                    headers["Cache-Control"] = caching
            await send(message)

        await self.app(scope, receive, with_headers)


def mount(app: FastAPI) -> None:
    app.include_router(pages.router)
    app.include_router(lists.router)
    app.include_router(catalog_pages.router)
    app.include_router(report_page.router)
    app.include_router(services_pages.router)
    app.include_router(cash_page.router)
    app.include_router(accounts_page.router)
    app.include_router(calendar_pages.router)
    app.include_router(password_page.router)
    static = resources.files("sync.server.web") / "static"
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    # The citizens' pages (sync/server/web/public.py).
    # -- the fee catalog, public: from here --
    from sync.server.web import fees_pages  # here, not above: one block to merge per page

    app.include_router(fees_pages.router)
    # -- the fee catalog, public: to here --
    # -- a receipt's check: from here --
    # Imported here: each citizens' page keeps to its own block.
    from sync.server.web import verify_pages

    app.include_router(verify_pages.router)
    # -- a receipt's check: to here --
    # -- a request's status and feedback: from here --
    app.include_router(status_pages.router)
    # -- a request's status and feedback: to here --
    app.add_middleware(public.PublicLimit)
    app.add_middleware(PageHeaders)
