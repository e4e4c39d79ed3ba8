"""Every form carries a token a page of this site put there; a POST without the right one is
refused (403) before anything else is read.

A logged-in person's forms carry their session's token (kept with the session). The login form
has no session yet: it carries a random token that is also set in a cookie of its own, and the
two must match ("double submit"). Another site cannot read the cookie to copy it into a form,
and with SameSite=Strict the browser would not send it along with that site's POST anyway.
"""

from __future__ import annotations

import secrets

LOGIN_COOKIE = "odsc_login"
FIELD = "csrf"


class CsrfRefused(Exception):
    """A POST whose form token is missing or wrong."""


def new_token() -> str:
    return secrets.token_urlsafe(32)


def check(expected: str | None, given: str | None) -> None:
    if not expected or not given or not secrets.compare_digest(expected, given):
        raise CsrfRefused
