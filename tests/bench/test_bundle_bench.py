"""The bundle's size and start-up, next to the pip-installed programs (`make bench`).

Needs the bundle, dist/odsc-desk (`make dist`: the last one built, even if the sources have
changed since); the .deb's size is reported when it is there (`make deb`). Each program runs in
a fresh process with an empty environment (PATH, a fresh HOME, QT_QPA_PLATFORM=offscreen),
bundle and .venv alternating, from spawn until it exits:

- `odsc --version`: the interpreter, the CLI's imports, argparse; the floor of every command.
- `odsc-desk --self-test` on a counter's store: Qt, the Lao fonts and translations, the login
  shown with the office read from the store (the same path as a clerk's start, then it exits).

Medians of ODSC_BENCH_BUNDLE_RUNS runs (default 5) after one unmeasured run each, whose time
is reported too (the first start after a build or boot reads the files from disk). The .venv
install is editable (`pip install -e`), as `make` makes it. Reported, no target.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.bench.timing import NOTES, Figure, median_ms, report, timed
from tests.conftest import FakeClock, make_counter
from tests.packaging.built import DIST, bundle

RUNS = int(os.environ.get("ODSC_BENCH_BUNDLE_RUNS", "5"))
VENV_BIN = Path(sys.executable).parent


def size_mb(path: Path) -> float:
    if path.is_file():
        return path.stat().st_size / 1e6
    return sum(p.lstat().st_size for p in path.rglob("*")) / 1e6


def test_bundle_size():
    folder = bundle(fresh=False)
    files = sum(1 for p in folder.rglob("*") if p.is_file())
    disk = subprocess.run(["du", "-sh", str(folder)], capture_output=True, text=True).stdout
    NOTES.append(
        f"bundle {folder}: {size_mb(folder):.1f} MB in {files} files ({disk.split()[0]} on disk);"
        f" the launchers odsc {size_mb(folder / 'odsc'):.2f} MB and odsc-desk"
        f" {size_mb(folder / 'odsc-desk'):.2f} MB, the rest shared in _internal/"
    )
    for deb in sorted(DIST.glob("odsc-desk_*.deb")):
        NOTES.append(f"package {deb.name}: {size_mb(deb):.1f} MB")


def start(command: list[str], home: Path) -> float:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}

    def run() -> None:
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr

    return timed(run)


def compare(name: str, args: list[str], tmp_path: Path) -> None:
    folder = bundle(fresh=False)
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    kinds = {
        "bundle": [str(folder / args[0]), *args[1:]],
        "pip": [str(VENV_BIN / args[0]), *args[1:]],
    }
    first = {kind: start(command, home) for kind, command in kinds.items()}
    samples: dict[str, list[float]] = {kind: [] for kind in kinds}
    for _ in range(RUNS):
        for kind, command in kinds.items():
            samples[kind].append(start(command, home))
    pip = median_ms(samples["pip"])
    for kind in kinds:
        runs = samples[kind]
        report(
            Figure(
                f"{name}, {kind}",
                "-",
                median_ms(runs),
                ratio=median_ms(runs) / pip if kind == "bundle" else None,
                note=f"first run {first[kind] * 1000:.0f} ms; fastest {min(runs) * 1000:.0f},"
                f" slowest {max(runs) * 1000:.0f} ms; {RUNS} runs"
                + ("; ours/bare = bundle/pip" if kind == "bundle" else ""),
            )
        )


def test_cli_start(tmp_path):
    compare("odsc --version, spawn -> exit", ["odsc", "--version"], tmp_path)


def test_window_self_test(tmp_path):
    counter = make_counter(tmp_path / "data", FakeClock())
    counter.store.close()
    args = ["odsc-desk", "--data-dir", str(counter.data_dir), "--self-test"]
    compare("odsc-desk --self-test (login), spawn -> exit", args, tmp_path)
