"""What a figure refuses to answer: one exception, a Problem (so the API turns it into a 4xx
problem+json by itself) and a ValueError (so the CLI and plain callers catch it as bad input)."""

from __future__ import annotations

from sync.protocol import Problem


class FigureRefused(Problem, ValueError):
    """A period or area that cannot be read (422), or a figure the area may not have (403: per
    clerk beyond one office)."""

    def __init__(self, status: int, code: str, detail: str) -> None:
        super().__init__(status, code, detail)


def bad_input(code: str, detail: str) -> FigureRefused:
    return FigureRefused(422, code, detail)
