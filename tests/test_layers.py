"""Dependencies point one way (docs/ARCHITECTURE.md), checked on every module's imports.

The graph is read from the source: every import statement, including those inside functions or
under TYPE_CHECKING, so a cycle cannot hide in a late import. Rules are on import closures: a
module may not reach a forbidden one through any chain of imports.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
PACKAGES = ("odsc_desk", "receipts", "sync", "ui")
QT = ("PySide6", "shiboken6", "PyQt5", "PyQt6")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def _sources() -> dict[str, Path]:
    return {
        _module_name(p): p
        for package in PACKAGES
        for p in (ROOT / package).rglob("*.py")
        if "versions" not in p.parts  # Alembic's migration scripts are run, never imported
    }


def _resolve(name: str) -> str | None:
    """The project module an imported name lands in (a name imported from a module counts as
    the module), or None for anything outside the project."""
    modules = _sources()
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


@cache
def _graph() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """(project imports, third-party top-level imports) of every module."""
    project: dict[str, set[str]] = {}
    external: dict[str, set[str]] = {}
    for module, path in _sources().items():
        names: list[str] = []
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names += [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*anchor, *([node.module] if node.module else [])])
                names += [base] + [f"{base}.{alias.name}" for alias in node.names]
        # Importing a.b.c runs a and a.b first.
        parts = module.split(".")
        names += [".".join(parts[:i]) for i in range(1, len(parts))]
        project[module] = {r for n in names if (r := _resolve(n)) and r != module}
        external[module] = {n.split(".")[0] for n in names if _resolve(n) is None}
    return project, external


def _closure(start: Iterable[str]) -> set[str]:
    edges = _graph()[0]
    seen: set[str] = set()
    stack = list(start)
    while stack:
        for target in edges[stack.pop()]:
            if target not in seen:
                seen.add(target)
                stack.append(target)
    return seen


def _modules(prefix: str) -> list[str]:
    return sorted(m for m in _sources() if m == prefix or m.startswith(prefix + "."))


def _outside(reached: set[str], allowed: tuple[str, ...]) -> list[str]:
    return sorted(m for m in reached if not any(m == a or m.startswith(a + ".") for a in allowed))


def test_the_graph_sees_the_whole_project():
    assert len(_sources()) > 100
    assert "odsc_desk.storage.store" in _closure(["odsc_desk.storage.ledger"])


@pytest.mark.parametrize("package", ["odsc_desk", "receipts", "sync", "ui.cli"])
def test_only_the_window_imports_qt(package):
    external = _graph()[1]
    reached = {package, *_closure(_modules(package))}
    assert sorted(m for m in reached if external.get(m, set()) & set(QT)) == []


# Who may import whom, by closure. The core's layers: shared (pure helpers both ends use) ←
# storage (the file) ← domain (the rules) ← queries (reading for people) ← maintenance.
CORE = {
    "odsc_desk.shared": ("odsc_desk.shared",),
    "odsc_desk.storage": ("odsc_desk.shared", "odsc_desk.storage"),
    "odsc_desk.domain": ("odsc_desk.shared", "odsc_desk.storage", "odsc_desk.domain"),
    "odsc_desk.queries": (
        "odsc_desk.shared",
        "odsc_desk.storage",
        "odsc_desk.domain",
        "odsc_desk.queries",
    ),
    "odsc_desk.maintenance": (
        "odsc_desk.shared",
        "odsc_desk.storage",
        "odsc_desk.domain",
        "odsc_desk.queries",
        "odsc_desk.maintenance",
    ),
}
# `odsc_desk` itself is the package's __init__ (its version), which every module below it runs.
RULES = {
    **{layer: ("odsc_desk", *allowed) for layer, allowed in CORE.items()},
    "odsc_desk": ("odsc_desk",),
    # The wire format and the centre: the pure leaf only, never the counter's storage.
    "sync.protocol": ("odsc_desk", "odsc_desk.shared", "sync", "sync.protocol"),
    # The committee's report draws with the documents' fonts, shaping and layout.
    "sync.server": (
        "odsc_desk",
        "odsc_desk.shared",
        "sync",
        "sync.protocol",
        "sync.server",
        "receipts",
    ),
    # Documents: the core, nothing of the sync or the window.
    "receipts": ("odsc_desk", "receipts"),
    # The command line: a front end beside the window, which it does not import.
    "ui.cli": ("ui", "ui.cli", "odsc_desk", "receipts", "sync"),
}


@pytest.mark.parametrize("layer", sorted(RULES))
def test_each_layer_reaches_only_what_it_may(layer):
    allowed = RULES[layer]
    # A rule for a layer covers its sub-layers unless they have a rule of their own.
    inner = [o for o in RULES if o.startswith(layer + ".")]
    own = [m for m in _modules(layer) if not any(m == o or m.startswith(o + ".") for o in inner)]
    assert own, f"no module under {layer}"
    assert _outside(_closure(own), allowed) == []


def test_the_sync_client_never_reaches_the_centre_or_the_window():
    client = [m for m in _modules("sync") if not m.startswith("sync.server")]
    assert "sync.client" in client
    reached = _closure(client)
    assert sorted(m for m in reached if m.startswith(("sync.server", "ui", "receipts"))) == []


# The core's door: front ends reach the core through `odsc_desk.api` and the pure helpers only.
DOOR = ("odsc_desk.api", "odsc_desk.shared")
FRONT_ENDS = {
    "the window": [m for m in _modules("ui") if not m.startswith("ui.cli")],
    "the command line": _modules("ui.cli"),
    "the documents": _modules("receipts"),
    "the sync client": [m for m in _modules("sync") if not m.startswith("sync.server")],
}


@pytest.mark.parametrize("front_end", sorted(FRONT_ENDS))
def test_front_ends_use_the_core_through_its_door(front_end):
    edges = _graph()[0]
    modules = FRONT_ENDS[front_end]
    assert modules
    past_the_door = sorted(
        f"{m} -> {target}"
        for m in modules
        for target in edges[m]
        if target.startswith("odsc_desk.") and not target.startswith(DOOR)
    )
    assert past_the_door == []


def _cycles() -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan's algorithm)."""
    edges = _graph()[0]
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10_000))
    try:
        for module in sorted(edges):
            if module not in index:
                visit(module)
    finally:
        sys.setrecursionlimit(limit)
    return found


def test_no_import_cycles():
    assert _cycles() == []


def test_the_cycle_finder_finds_a_cycle(monkeypatch):
    edges, external = _graph()
    # The store imports the errors; errors importing the store back closes a loop.
    errors = "odsc_desk.shared.errors"
    looped = {**edges, errors: {*edges[errors], "odsc_desk.storage.store"}}
    monkeypatch.setattr(sys.modules[__name__], "_graph", lambda: (looped, external))
    assert any(errors in c and "odsc_desk.storage.store" in c for c in _cycles())


def test_importing_the_centre_loads_no_counter_storage():
    """The same rule at run time: every module of the server, and the receipt code the centre
    checks signatures with, imported in a fresh interpreter. ReportLab only with the modules
    that draw the committee's report and the fee poster, which the server imports when one is
    asked for."""
    drawing = "sync.server.report.pdf"
    drawings = (drawing, "sync.server.report.poster")
    script = (
        "import importlib, pkgutil, sys\n"
        "import sync.server\n"
        "for m in pkgutil.walk_packages(sync.server.__path__, 'sync.server.'):\n"
        f"    if '.migrations' not in m.name and m.name not in {drawings!r}:\n"
        "        importlib.import_module(m.name)\n"
        "import odsc_desk.shared.receipt_code\n"
        "print(' '.join(sorted(sys.modules)))\n"
        f"for m in {drawings!r}:\n"
        "    importlib.import_module(m)\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=True
    )
    loaded, with_drawing = (line.split() for line in run.stdout.splitlines())
    assert "sync.server.push" in loaded and drawing in with_drawing
    counter = [
        m
        for m in with_drawing
        if m.startswith("odsc_desk.") and not m.startswith("odsc_desk.shared")
    ]
    assert counter == []
    assert not any(m.startswith(("PySide6", "reportlab", "sqlite_utils")) for m in loaded)
    assert not any(m.startswith(("PySide6", "sqlite_utils")) for m in with_drawing)
