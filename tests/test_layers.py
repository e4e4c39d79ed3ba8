"""Dependencies point one way: ui → receipts, sync.client → odsc_desk. Checked by reading
every module's imports."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
QT = ("PySide6", "shiboken6", "PyQt5", "PyQt6")


def _imports(package: str) -> list[tuple[Path, str]]:
    found = []
    for path in (ROOT / package).rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found += [(path, alias.name) for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.append((path, node.module))
    return found


@pytest.mark.parametrize("package", ["odsc_desk", "receipts", "sync"])
def test_only_ui_imports_qt(package):
    assert [(str(p), m) for p, m in _imports(package) if m.split(".")[0] in QT] == []


# The command line is the composition root: its document commands (`odsc receipt`, `slip`,
# `notice`, `summary`) import receipts/ inside their handlers. No other core module may reach
# outwards, and cli.py only lazily (checked below).
COMPOSITION_ROOT = ROOT / "odsc_desk" / "cli.py"


def test_core_imports_no_outer_layer():
    outer = ("ui", "receipts", "sync")
    found = [
        (str(p), m)
        for p, m in _imports("odsc_desk")
        if m.split(".")[0] in outer and p != COMPOSITION_ROOT
    ]
    assert found == []


def test_cli_imports_outer_layers_only_inside_functions():
    tree = ast.parse(COMPOSITION_ROOT.read_text(encoding="utf-8"))
    top_level = [
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in tree.body
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for alias in (node.names if isinstance(node, ast.Import) else [None])
    ]
    assert [m for m in top_level if m and m.split(".")[0] in ("ui", "receipts", "sync")] == []
