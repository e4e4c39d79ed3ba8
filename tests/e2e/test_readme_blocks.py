"""Every code block of the README, run as a newcomer would: line by line in one bash, in a fresh
folder, with the installed programs.

A newcomer copies a block and reads what each line prints. The runner does the same, and nothing
more: it puts in the values the README says to take from an earlier line's output (the enroll
code printed, the tracking number printed, the counter's date) and the password a line leaves as
`...`; after a line that starts a program in the background it waits until that program answers,
as a person waits for the centre's "started" line; and a line whose comment says "exit 1" must
exit 1. Every other line must exit 0.

Each block is named below by its first line and is either run or set aside with its reason, and
a block the README gains that is not named fails `test_every_block_is_named`, so a new example
cannot go untried.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests

from tests.core.test_cli import wait_if_midnight_is_near

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
BIN = Path(sys.executable).parent
PASSWORD = "readme-pass-1"
CENTRE = "http://127.0.0.1:8470"  # the README's own address, as written

# Blocks a test cannot run here, by their first line, and where what they say is checked instead.
SET_ASIDE = {
    "make run    # installs": "the suite itself runs under `make test`; `make run` opens the window"
    " (tests/packaging starts the installed app)",
    "2026-11-26T09:14:03.512+07:00 INFO": "log lines, not commands (tests/core/test_logs.py)",
    "{": "the shape of a figure's answer, not a command (tests/sync/test_api_v1.py checks the"
    " answers against the figure functions)",
    "docker build -f packaging/server/Dockerfile": "no Docker here; the Dockerfile and its entry"
    " point are checked by tests/test_deploy_files.py",
    "sudo install -d -m 0750 -o postgres": "root and a system account; tests/test_deploy_files.py"
    " runs the same pg_dump and pg_restore on a real PostgreSQL",
    "sudo systemctl stop odsc-server": "a system service; tests/test_deploy_files.py verifies the"
    " unit and runs pg_restore",
    "sudo install -d -m 0750 -o odsc-server": "root and a system account; tests/test_deploy_files"
    ".py runs the same sqlite3 .backup",
}
RUN = (
    "export PATH=$PWD/.venv/bin:$PATH                                      # after",
    "odsc diagnose --out",
    "export PATH=$PWD/.venv/bin:$PATH ODSC_SERVER_DATA_DIR",
)


def blocks() -> list[list[str]]:
    found = re.findall(r"^```[a-z]*\n(.*?)^```", README, flags=re.MULTILINE | re.DOTALL)
    return [block.splitlines() for block in found]


def named(first_line: str) -> str | None:
    return next((n for n in (*SET_ASIDE, *RUN) if first_line.startswith(n)), None)


def test_every_block_is_named():
    assert len(blocks()) >= 9
    assert [b[0] for b in blocks() if named(b[0]) is None] == []
    assert sorted(named(b[0]) or "" for b in blocks()) == sorted((*SET_ASIDE, *RUN))


class Shell:
    """One bash fed a line at a time, as a terminal is: exports and background jobs carry over."""

    def __init__(self, folder: Path, env: dict[str, str]) -> None:
        self.bash = subprocess.Popen(
            ["bash", "--noprofile", "--norc"],
            cwd=folder,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def run(self, line: str, timeout: float = 120) -> tuple[int, str]:
        marker = f"__done_{uuid.uuid4().hex}"
        assert self.bash.stdin is not None and self.bash.stdout is not None
        # A background job's output goes nowhere, so it never mixes with the next line's.
        if line.rstrip().split("#")[0].rstrip().endswith("&"):
            line = line.split("#")[0].rstrip()[:-1] + " >/dev/null 2>&1 &"
        self.bash.stdin.write(f"{line}\necho {marker}=$?\n")
        self.bash.stdin.flush()
        out: list[str] = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.bash.stdout.readline()
            if text.startswith(marker):
                return int(text.strip().split("=")[1]), "".join(out)
            out.append(text)
        raise AssertionError(f"{line!r} did not finish in {timeout} s: {''.join(out)}")

    def close(self) -> None:
        assert self.bash.stdin is not None
        self.run("kill $(jobs -p) 2>/dev/null; wait")
        self.bash.stdin.close()
        self.bash.wait(timeout=30)


def wait_for_centre() -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            requests.get(f"{CENTRE}/healthz", timeout=1)
            return
        except requests.ConnectionError:
            time.sleep(0.1)
    raise AssertionError("the centre did not answer within 30 s")


def run_block(first_line: str, folder: Path, env: dict[str, str], before: list[str]) -> list[str]:
    """Run the block (after `before`, lines a newcomer ran earlier); returns what each printed."""
    (block,) = [b for b in blocks() if b[0].startswith(first_line)]
    shell = Shell(folder, env)
    values: dict[str, str] = {}
    printed: list[str] = []
    try:
        for line in [*before, *block]:
            for sample, value in values.items():
                line = line.replace(sample, value)
            line = line.replace("ODSC_PASSWORD=...", f"ODSC_PASSWORD={PASSWORD}")
            code, out = shell.run(line)
            printed.append(out)
            expected = 1 if "# exit 1" in line else 0
            assert code == expected, f"{line}\n-> exit {code}\n{out}"
            command = line.split("#")[0].rstrip()
            if command.endswith("&") and "odsc-server serve" in command:
                wait_for_centre()
            if "odsc-server enroll" in command:
                values["5PUQL-2UZYY-T2X39-U8UF4"] = out.split()[-1]
            if "request new" in command:
                tracking = re.search(r"VTE-SST-1-\d{6}-\d{4}", out)
                assert tracking, f"{line}\n-> no tracking number in:\n{out}"
                values["VTE-SST-1-261126-0001"] = tracking.group()
            if "--json day" in command:
                values["2026-11-26"] = json.loads(out)["date"]
    finally:
        shell.close()
    return printed


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    # The README's `$PWD/.venv/bin` is the checkout's venv: the folder gets a link to it.
    (tmp_path / ".venv").symlink_to(BIN.parent)
    (tmp_path / "home" / "Desktop").mkdir(parents=True)
    return tmp_path


@pytest.fixture
def env(folder: Path) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith("ODSC_")}
    return {**keep, "HOME": str(folder / "home"), "PATH": "/usr/bin:/bin"}


def test_the_counter_example_runs_as_written(folder, env):
    wait_if_midnight_is_near()
    # Before it, the admin set the counter up (the wizard of `make run`, or `odsc init`).
    setup = [
        f"export ODSC_NEW_PASSWORD={PASSWORD}",
        ".venv/bin/odsc --data-dir ./local-data init --office-code VTE-SST --office-name"
        ' "ເມືອງສີສັດຕະນາກ" --counter 1 --admin admin --demo-catalog',
    ]
    printed = run_block(RUN[0], folder, env, setup)
    assert "ສົມສັກ ພົມມະຈັນ" in printed[-3]  # the request, with its tracking number
    assert "10,000" in printed[-2]  # the birth certificate's fee, paid
    assert "10,000" in printed[-1]  # and in the day's totals


def test_the_diagnose_example_runs_as_written(folder, env):
    printed = run_block(RUN[1], folder, {**env, "PATH": f"{BIN}:{env['PATH']}"}, [])
    report = folder / "home" / "Desktop" / "odsc-report-counter1.zip"
    assert report.stat().st_size > 0, printed


def test_the_centre_walkthrough_runs_as_written(folder, env):
    wait_if_midnight_is_near()
    printed = run_block(RUN[2], folder, env, [])
    day, stats = json.loads(printed[-2]), json.loads(printed[-1])
    assert stats["requests"] == day["requests"] == 1
    assert stats["fee_total"] == day["totals"]["net"] == 10_000
