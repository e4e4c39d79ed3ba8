"""Where the tests find the built bundle and .deb, and how they run the smoke test on them.

Both are build output (`make dist`, `make deb`), not made by the tests: CI builds them before
the suite (.ci/run), so there a missing or out-of-date one fails; on a developer's machine the
tests that need one skip until it is built.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from odsc_desk import __version__
from tests.conftest import cannot_run_here

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "dist"
BUNDLE = DIST / "odsc-desk"
SMOKE = ROOT / "packaging" / "smoke.py"

# What goes into the bundle: a newer one of these means the bundle no longer shows the code.
_SOURCES = (
    "pyproject.toml",
    "packaging/odsc-desk.spec",
    "packaging/hooks/*.py",
    "odsc_desk/**/*.py",
    "odsc_desk/data/*.json",
    "ui/**/*.py",
    "ui/translations/*.qm",
    "receipts/**/*.py",
    "receipts/fonts/*",
    "sync/*.py",  # the client; sync/server/ is not bundled
)


def newest_source() -> Path:
    sources = (path for pattern in _SOURCES for path in ROOT.glob(pattern))
    return max(sources, key=lambda path: path.stat().st_mtime)


def _built(built: Path, what: str, make: str, fresh: bool = True) -> Path:
    if not built.exists():
        cannot_run_here(f"no {what} at {built}: `{make}` builds it")
    source = newest_source()
    if fresh and source.stat().st_mtime > built.stat().st_mtime:
        cannot_run_here(f"{built} is older than {source.relative_to(ROOT)}: `{make}` again")
    return built


def bundle(fresh: bool = True) -> Path:
    """dist/odsc-desk/, built after the last change to what goes into it (`fresh`: the bench
    measures whatever was built last)."""
    return _built(BUNDLE, "bundle", "make dist", fresh)


def deb() -> Path:
    arch = subprocess.run(
        ["dpkg", "--print-architecture"], capture_output=True, text=True, check=True
    ).stdout.strip()
    return _built(DIST / f"odsc-desk_{__version__}_{arch}.deb", ".deb", "make deb")


def system_python() -> str:
    """The machine's own python3: the smoke test must not lean on the project's virtualenv."""
    return shutil.which("python3", path="/usr/bin:/bin") or sys.executable


def run_smoke(folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [system_python(), "-I", str(SMOKE), str(folder), "--version", __version__],
        capture_output=True,
        text=True,
        timeout=600,
    )
