"""`odsc-desk --self-test` from the source tree: the check support staff run after an install
(and the smoke test runs on the bundle). Each test starts the window's program in a fresh
Python process, offscreen, as a user would start it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from odsc_desk.storage.store import store_path
from tests.conftest import FakeClock, cannot_run_here, make_counter
from ui.i18n import TRANSLATIONS


@pytest.fixture(autouse=True)
def compiled_translations() -> None:
    # The self-test reads the installed .qm files, as the app does: `make test` builds them.
    if not list(TRANSLATIONS.glob("*_lo.qm")):
        cannot_run_here("no compiled translations in ui/translations: `make translations`")


def self_test(data_dir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ui.app", "--data-dir", str(data_dir), "--self-test"],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_on_an_empty_folder_it_shows_the_wizard_and_makes_nothing(tmp_path):
    done = self_test(tmp_path / "data")
    assert done.returncode == 0, done.stderr
    line = done.stdout.strip()
    assert line.startswith("self-test ok: fonts ")
    assert "Phetsarath OT" in line
    assert f"translations {len(list(TRANSLATIONS.glob('*_lo.qm')))} Lao .qm" in line
    assert "setup wizard shown" in line
    assert "Qt 6." in line
    assert not (tmp_path / "data").exists()


def test_with_a_store_it_shows_the_login_with_the_office(tmp_path):
    counter = make_counter(tmp_path / "data", FakeClock())
    counter.store.close()
    done = self_test(tmp_path / "data")
    assert done.returncode == 0, done.stderr
    assert "login shown" in done.stdout


def test_a_damaged_store_fails_it_with_the_reason(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    store_path(data).write_bytes(b"this is not a database" * 200)
    done = self_test(data)
    assert done.returncode == 1
    assert done.stdout == ""
    assert "self-test FAILED: the store did not open:" in done.stderr
