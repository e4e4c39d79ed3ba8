"""An office's fee poster, found and written: the office by its code (for /fees/poster.pdf and
`odsc-server catalog poster`), and the PDF written to a new file for a machine without a
browser. Checked before anything is drawn: the size, the office, a catalog in effect, the file
new and its folder there (receipts.output then writes it whole or not at all)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, select

from odsc_desk.shared.clock import local_date
from odsc_desk.shared.errors import ValidationError
from odsc_desk.shared.office_codes import clean_office_code
from receipts import output
from sync.server import public_catalog
from sync.server.db import offices, reading
from sync.server.problems import Refused

SIZES = ("a4", "a3")
# The centre's address as citizens reach it, for the poster's QR code and the open data's links
# (helper settings: the same variable the other public pages read).
PUBLIC_URL_ENV = "ODSC_PUBLIC_URL"


class PosterAsked(Refused):
    """A poster asked for wrongly (no public address to point its QR code at): a usage error."""

    exit_code = 2
    label = "error"


@dataclass(frozen=True)
class Office:
    code: str
    name_lo: str | None
    name_en: str | None


def find_office(conn: Connection, typed: str) -> Office | None:
    """The registered office a code names (in any case, with spaces around), or None."""
    try:
        code = clean_office_code(typed)
    except ValidationError:
        return None  # no office can have such a code
    row = conn.execute(
        select(offices.c.code, offices.c.name_lo, offices.c.name_en).where(offices.c.code == code)
    ).first()
    return None if row is None else Office(row.code, row.name_lo, row.name_en)


def write_poster(
    engine: Engine, office: str, size: str, out: Path | str, url: str, now: datetime
) -> dict[str, Any]:
    """The poster of `office` on `size` paper (one of SIZES) written to the new file `out`;
    its QR code opens `url`."""
    target = output.check_target(out)
    with reading(engine) as conn:
        found = find_office(conn, office)
        version = public_catalog.in_effect(conn, local_date(now))
    if found is None:
        raise Refused(
            f"no office {office[:20]!r} is registered (see: office list)", "poster.office"
        )
    if version is None:
        raise Refused("no catalog is published yet (see: catalog publish)", "poster")
    # ReportLab loads for a poster only, not for every other command.
    from sync.server.report.poster import poster_pdf

    pdf = poster_pdf(version, found, size, url)
    output.write_new(target, pdf)
    return {
        "path": str(target),
        "office": found.code,
        "version": version.version,
        "size": size,
        "url": url,
        "bytes": len(pdf),
    }
