"""A figure's answer, or a list of records, as flat tables: the sheets of an export and the
tables `odsc-server figures` prints.

A figure gives: `about` (what was asked), `totals` (one row, the previous period's beside as
`previous.*` columns), `rows` (one per key of the breakdown, when one was asked) and a table
for each list of the answer (the overdue requests, the services charged off the catalog, the
counters' catalog versions, who approved drawers). Nested values become dotted columns; a list
inside a row becomes one cell (names joined, or JSON).
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

Scalar = str | int | float | None

# The keys every figure's answer has (figure.answer); any other key is a figure's own list.
_COMMON = ("figure", "area", "by", "period", "previous", "totals", "rows")


@dataclass(frozen=True)
class Table:
    name: str
    columns: list[str]
    rows: list[list[Scalar]]


def _scalar(value: Any) -> Scalar:
    if isinstance(value, bool):  # before int: a bool is one
        return "yes" if value else "no"
    if value is None or isinstance(value, str | int | float):
        return value
    if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
        return ", ".join(str(v) for v in value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def flat(record: Mapping[str, Any], prefix: str = "") -> dict[str, Scalar]:
    """`record` with nested mappings spread into dotted keys."""
    out: dict[str, Scalar] = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            out.update(flat(value, f"{name}."))
        else:
            out[name] = _scalar(value)
    return out


def table(name: str, records: Iterable[Mapping[str, Any]], columns: Iterable[str] = ()) -> Table:
    """One row per record. The columns: `columns` first (so an empty table still has its
    header), then any other in the order it first appears."""
    flattened = [flat(r) for r in records]
    order = dict.fromkeys(columns)
    for row in flattened:
        order.update(dict.fromkeys(row))
    return Table(name, list(order), [[row.get(c) for c in order] for row in flattened])


def _lists(answer: Mapping[str, Any]) -> dict[str, list[Mapping[str, Any]]]:
    """The figure's own lists of records, at its top level or one level down."""
    found: dict[str, list[Mapping[str, Any]]] = {}
    for key, value in answer.items():
        if key in _COMMON:
            continue
        if isinstance(value, list):
            found[key] = value
        elif isinstance(value, Mapping):
            for inner, listed in value.items():
                if isinstance(listed, list):
                    found[f"{key}.{inner}"] = listed
    return found


def about(answer: Mapping[str, Any]) -> dict[str, Scalar]:
    """What was asked, and the figure's own single values (the overdue list's next cursor,
    the newest catalog version published): one line each."""
    out: dict[str, Scalar] = {
        "figure": answer["figure"],
        **flat(answer["area"], "area."),
        "by": answer["by"],
        **flat(answer["period"], "period."),
        **flat(answer["previous"], "previous."),
    }
    for key, value in answer.items():
        if key in _COMMON or isinstance(value, list):
            continue
        if isinstance(value, Mapping):
            out.update(
                {f"{key}.{k}": _scalar(v) for k, v in value.items() if not isinstance(v, list)}
            )
        else:
            out[key] = _scalar(value)
    return out


def figure_tables(answer: Mapping[str, Any]) -> dict[str, Table]:
    """Every table of a figure's answer, by name: about, totals, rows and the figure's lists."""
    tables = {
        "about": Table("about", ["field", "value"], [[k, v] for k, v in about(answer).items()]),
        "totals": table("totals", [answer["totals"]]),
    }
    if answer["by"] is not None:
        tables["rows"] = table("rows", answer["rows"])
    for name, records in _lists(answer).items():
        tables[name] = table(name, records)
    return tables


def default_table(answer: Mapping[str, Any]) -> str:
    """The table a CSV export holds unless another is asked for: the breakdown's rows, or
    the totals when there is no breakdown."""
    return "rows" if answer["by"] is not None else "totals"


# -- as text, for a terminal ---------------------------------------------------------------


def width(text: str) -> int:
    """Columns `text` takes on a terminal: Lao vowel and tone marks above or below a letter
    take none."""
    return sum(1 for ch in text if unicodedata.category(ch) not in ("Mn", "Me", "Cf"))


def _text(value: Scalar) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}".rstrip("0").rstrip(".")
    if isinstance(value, int):
        return f"{value:,}"
    return value


def render(shown: Table) -> list[str]:
    """A table as aligned lines: text to the left, numbers to the right."""
    cells = [[_text(v) for v in row] for row in shown.rows]
    widths = [
        max([width(c), *(width(row[i]) for row in cells)]) for i, c in enumerate(shown.columns)
    ]
    numeric = [
        all(isinstance(row[i], int | float) or row[i] is None for row in shown.rows)
        for i in range(len(shown.columns))
    ]

    def line(values: list[str]) -> str:
        parts = []
        for value, size, right in zip(values, widths, numeric, strict=True):
            pad = " " * (size - width(value))
            parts.append(pad + value if right else value + pad)
        return "  ".join(parts).rstrip()

    return [line(shown.columns), line(["-" * w for w in widths]), *map(line, cells)]


def figure_text(answer: Mapping[str, Any], summary: str) -> list[str]:
    """A figure's answer for a person at a terminal: what was asked, the totals beside the
    previous period's, the breakdown's rows (this period only) and the figure's lists."""
    period, previous = answer["period"], answer["previous"]
    where = answer["area"]
    area = where["place"] if where["place"] == "nation" else f"{where['place']} {where['code']}"
    if where["ministry"]:
        area += f", {where['ministry']} services only"
    lines = [
        f"{answer['figure']}: {summary}",
        f"{area}; {period['label']} ({period['start']} to {period['end']}),"
        f" previous {previous['label']}",
        "",
    ]
    totals = {k: v for k, v in answer["totals"].items() if k != "previous"}
    before = answer["totals"]["previous"]
    lines += render(
        Table(
            "totals",
            ["total", period["label"], previous["label"]],
            [[k, _scalar(v), _scalar(before.get(k))] for k, v in totals.items()],
        )
    )
    if answer["by"] is not None:
        # This period's values only, and no nested lists (a counter's devices): a line a row.
        rows = table(
            "rows",
            (
                {k: v for k, v in row.items() if k != "previous" and not isinstance(v, list)}
                for row in answer["rows"]
            ),
        )
        lines += ["", f"by {answer['by']}:", *render(rows)]
    for name, shown in figure_tables(answer).items():
        if name in ("about", "totals", "rows") or not shown.rows:
            continue
        lines += ["", f"{name}:", *render(shown)]
    return lines
