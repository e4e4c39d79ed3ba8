"""How the pages' cookies are set: HttpOnly (no script reads them), SameSite=Strict (no other
site's link or form carries them) and Secure.

Secure is left off only when the browser reached the server by plain http at a loopback
address (127.0.0.1, ::1, localhost): a person trying the server on their own machine, or a
test. Such a cookie cannot travel anywhere but back to the same machine. Behind nginx the
browser's address is the server's name over https, and the cookie is Secure.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

LOOPBACK = frozenset({"127.0.0.1", "::1", "[::1]", "localhost"})
LANG_COOKIE = "odsc_lang"
LANG_MAX_AGE = 365 * 24 * 3600  # a language is a preference, kept for a year


def secure(request: Request) -> bool:
    return not (request.url.scheme == "http" and request.url.hostname in LOOPBACK)


def put(
    response: Response, request: Request, name: str, value: str, max_age: int | None = None
) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path="/",
        secure=secure(request),
        httponly=True,
        samesite="strict",
    )


def drop(response: Response, request: Request, name: str) -> None:
    response.delete_cookie(name, path="/", secure=secure(request), httponly=True, samesite="strict")
