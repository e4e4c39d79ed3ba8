"""`odsc-server report monthly`: the committee's monthly PDF written to a file, for a scheduled
job or a machine without a browser; the same report as /report.pdf, made by the person running
the command. Checked before anything is read: the month, the area, and that the file is new
and its folder is there (receipts.output then writes it whole or not at all)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from odsc_desk.shared.clock import local_date
from receipts import output
from sync.server.db import reading
from sync.server.figures.errors import FigureRefused
from sync.server.figures.periods import Period, parse_period
from sync.server.problems import Refused
from sync.server.report import monthly
from sync.server.web.levels import Level, Registry, UnknownLevel, parse

SILENT_DAYS = 3  # as the overview counts a counter silent by default


class MonthAsked(Refused):
    """A month written wrong: a usage error, as a bad figure period is."""

    exit_code = 2
    label = "error"


def _month(text: str) -> Period:
    try:
        period = parse_period(text)
    except FigureRefused as exc:
        raise MonthAsked(f"--month: {exc.detail}", "report.month") from exc
    if period.kind != "month":
        raise MonthAsked(f"--month is one month, written 2026-11, not {text!r}", "report.month")
    return period


def _level(text: str, registry: Registry) -> Level:
    if text == "nation":
        return Level("nation")
    place, _, code = text.partition("/")
    try:
        level = parse(place, code, registry)
    except UnknownLevel as exc:
        raise Refused(
            f"--area {text[:80]!r} is not known at this centre: write nation, "
            "province/LA-VT, district/CODE or office/VTE-SST",
            "report.area",
        ) from exc
    if level.place == "counter":
        raise Refused("--area: the report is of an office or above, not a counter", "report.area")
    return level


def write_monthly(
    engine: Engine, area: str, month: str, out: Path | str, made_by: str, now: datetime
) -> dict[str, Any]:
    period = _month(month)
    target = output.check_target(out)
    with reading(engine) as conn:
        registry = Registry.read(conn)
        level = _level(area.strip(), registry)
        report = monthly.gather(
            conn,
            level,
            registry,
            period,
            now=now,
            today=local_date(now),
            silent_days=SILENT_DAYS,
            made_by=made_by,
        )
    # ReportLab loads for a report only, not for every other command.
    from sync.server.report.pdf import monthly_pdf

    pdf = monthly_pdf(report)
    output.write_new(target, pdf)
    return {"path": str(target), "area": area, "month": period.label, "bytes": len(pdf)}
