"""Time: stored as UTC ISO-8601, shown and dated in Asia/Vientiane.

Device clocks lie, so nothing orders facts by these stamps: sequences do. The clock is a plain
callable so tests can set the date.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

VIENTIANE = ZoneInfo("Asia/Vientiane")

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


def stamp(moment: datetime) -> str:
    """UTC ISO-8601 with microseconds and a Z, the one format stored everywhere."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_stamp(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def local_date(moment: datetime) -> date:
    return moment.astimezone(VIENTIANE).date()


def local_time_text(text: str) -> str:
    """A stored stamp as the office's wall-clock time, for people."""
    return parse_stamp(text).astimezone(VIENTIANE).strftime("%d/%m/%Y %H:%M")
