"""`mount(app)`: the pages, their static files and the headers every one of them carries."""

from __future__ import annotations

from importlib import resources

from fastapi import FastAPI
from starlette.datastructures import MutableHeaders
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sync.server.web import lists, pages

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
# The pages' paths. The API's are left alone: /docs (Swagger UI) needs its inline script.
_PREFIXES = ("/login", "/logout", "/area/", "/static/", "/overdue", "/counters")


def is_page(path: str) -> bool:
    return path == "/" or path.startswith(_PREFIXES)


class PageHeaders:
    """Adds HEADERS to every answer of a page path, refusals and redirects included."""

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
            await send(message)

        await self.app(scope, receive, with_headers)


def mount(app: FastAPI) -> None:
    app.include_router(pages.router)
    app.include_router(lists.router)
    static = resources.files("sync.server.web") / "static"
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    app.add_middleware(PageHeaders)
