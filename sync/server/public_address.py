"""The centre's public address, `ODSC_PUBLIC_URL` (e.g. https://odsc.gov.la): where citizens
open a receipt's check. The centre sends it to counters (in the enrollment reply and a header
on every reference answer) and they print links to it; without it they print the bare code."""

from __future__ import annotations

import os

from odsc_desk.shared.errors import ValidationError
from odsc_desk.shared.public_link import clean_address
from sync.server.problems import Refused

PUBLIC_URL_ENV = "ODSC_PUBLIC_URL"


def from_environment() -> str | None:
    """The address as kept, None when unset; Refused (exit 1 at `serve`) when it is no address."""
    try:
        return clean_address(os.environ.get(PUBLIC_URL_ENV))
    except ValidationError as exc:
        raise Refused(f"{PUBLIC_URL_ENV}: {exc.message_en}") from exc
