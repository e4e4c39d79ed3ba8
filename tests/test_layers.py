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


def test_core_imports_no_outer_layer():
    outer = ("ui", "receipts", "sync")
    assert [(str(p), m) for p, m in _imports("odsc_desk") if m.split(".")[0] in outer] == []
