"""What the citizens' pages share: no login and no cookie (the language travels in the address,
`?lang=en`), a limit per client address on every one of them, and one refusal page in both
languages.

The limit counts every public request, pages and files alike, per address in a minute
(rate_window: per process). A person reading the catalog on a phone makes a few requests a
minute; a script walking receipt numbers makes thousands and is told to wait.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from sync.server.context import Context
from sync.server.enrollment import client_address
from sync.server.rate_window import window_of
from sync.server.web.i18n import Lang, pick, tr
from sync.server.web.render import render

PUBLIC_PER_MINUTE = 60


def lang_of(request: Request) -> Lang:
    return pick(request.query_params.get("lang"))


def with_lang(path: str, lang: Lang, **query: str) -> str:
    """A public address in the reader's language: Lao, the default, needs no `lang`."""
    values = {**query, **({"lang": lang} if lang != "lo" else {})}
    return path + ("?" + urlencode(values) if values else "")


def page(
    request: Request, template: str, status: int = 200, *, cache_seconds: int = 0, **values: Any
) -> HTMLResponse:
    """A public page. `cache_seconds` lets a browser (and a proxy: nothing on it is personal)
    keep it; pages about one receipt or request are never kept."""
    lang = lang_of(request)
    response = render(
        request,
        template,
        lang,
        status,
        link=lambda path, **query: with_lang(path, lang, **query),
        **values,
    )
    if cache_seconds:
        response.headers["Cache-Control"] = f"public, max-age={cache_seconds}"
    return response


def refusal(
    request: Request, status: int, key: str, headers: dict[str, str] | None = None, **values: Any
) -> HTMLResponse:
    """A refusal in both languages: the reader may not read the one chosen."""
    response = page(
        request,
        "public_refused.html",
        status,
        message_lo=tr("lo", key, **values),
        message_en=tr("en", key, **values),
    )
    response.headers.update(headers or {})
    return response


# The citizens' addresses (site.is_page gives them the pages' headers too): the fee catalog and
# its open data, a receipt's check, a request's status and feedback.
PREFIXES = ("/fees", "/open/", "/verify", "/v/", "/status", "/s/")


def is_public(path: str) -> bool:
    return path.startswith(PREFIXES)


class PublicLimit:
    """Counts every request to a public address by its client address, and answers 429 with
    the refusal page to one that asked more than PUBLIC_PER_MINUTE times in the last minute."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_public(scope["path"]):
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        ctx: Context = request.app.state.context
        window = window_of(request.app, "public", PUBLIC_PER_MINUTE, timedelta(minutes=1))
        wait = window.take(client_address(request), ctx.now())
        if not wait:
            await self.app(scope, receive, send)
            return
        answer = refusal(request, 429, "pub_too_many", {"Retry-After": str(wait)}, seconds=wait)
        await answer(scope, receive, send)
