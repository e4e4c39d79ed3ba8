"""The centre's public address and the links printed from it: what a receipt's (and later a
slip's) QR opens.

The centre is told its address once (`ODSC_PUBLIC_URL`, e.g. `https://odsc.gov.la`), hands it
to every counter at enrollment and sync, and a counter prints `<address>/<path>/<code>`. A
counter that has no address (an old centre, or one not told) prints the bare code, which the
centre's `/verify` page still accepts pasted.

The address is kept with its scheme and host in lower case and no trailing slash: a QR then
carries the address as a few bytes and the code, all capitals, in the QR's compact alphanumeric
mode (see receipts.receipt.qr_modules). An upper-case address (`HTTPS://ODSC.GOV.LA/V/...`)
would be a little smaller still, but some phone cameras (Pixel Camera, some Android scanners)
do not open an upper-case scheme as a link.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from odsc_desk.shared.errors import ValidationError

MAX_LENGTH = 60  # more makes the receipt's QR denser than a thermal print reads well
# What a link's path and code may hold: the codes are capitals, digits, '-' and ':'.
_PATH = re.compile(r"[a-z]{1,10}")
_CODE = re.compile(r"[0-9A-Z:-]{1,200}")


def clean_address(text: str | None) -> str | None:
    """The address as kept (scheme and host in lower case, no trailing slash), None when none is
    given, or
    ValidationError("public_url.invalid") when it is not an http(s) address of a host."""
    value = (text or "").strip()
    if not value:
        return None
    parts = urlsplit(value)
    if (
        len(value) > MAX_LENGTH
        or parts.scheme.lower() not in ("https", "http")
        or not parts.hostname
        or parts.username is not None
        or parts.password is not None
        or parts.query
        or parts.fragment
        or not re.fullmatch(r"[A-Za-z0-9./:_~-]*", value[len(parts.scheme) + 3 :])
    ):
        raise ValidationError("public_url.invalid", address=value[:80])
    rest = value[len(parts.scheme) + 3 + len(parts.netloc) :]
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}{rest}".rstrip("/")


def link(address: str | None, path: str, code: str) -> str:
    """`<address>/<path>/<code>`, or the bare code when there is no address."""
    if not _PATH.fullmatch(path) or not _CODE.fullmatch(code):
        raise ValueError(f"not a public link's path and code: {path!r}, {code!r}")
    return f"{address}/{path}/{code}" if address else code
