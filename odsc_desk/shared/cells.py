"""What a spreadsheet cell may hold, for every export the counter or the centre writes.

What citizens and clerks typed goes into cells a spreadsheet program may run: a name typed as
`=HYPERLINK("http://…","Click")` becomes a live link, `+cmd|' /C calc'!A0` asks to start a
program. So, as OWASP recommends against CSV injection, a text cell that starts with a formula
character gets a leading apostrophe, which spreadsheet programs read as "this is text". Numbers
stay numbers, whatever their sign.
"""

from __future__ import annotations

# OWASP's list of what may start a formula: the four signs, and the tab and carriage return a
# spreadsheet program may skip before one.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Cell = str | int | float | None


def cell(value: Cell) -> Cell:
    """`value` as a spreadsheet cell must hold it: text that would start a formula behind an
    apostrophe; anything else as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
