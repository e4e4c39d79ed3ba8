"""The server's timers (packaging/server/odsc-server-*.timer and their services): the one that
sends the citizens' messages, and the one that syncs an office's hub with its centre. Each is
parsed, its command one the server's parser takes, and verified by `systemd-analyze verify`."""

from __future__ import annotations

import configparser
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sync.server import cli as server_cli
from sync.server import sms_gateway, sms_reports
from tests.conftest import cannot_run_here

SERVER = Path(__file__).parents[1] / "packaging" / "server"
INSTALLED = "/opt/odsc-server/venv/bin/odsc-server"
# Each timer's name, and the command (and action) its service runs.
TIMERS = {
    "odsc-server-messages": ("messages", "send"),
    "odsc-server-hub-sync": ("hub", "sync"),
}


def _read(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=True, delimiters=("=",))
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read_string(path.read_text(encoding="utf-8"))
    return parser


@pytest.mark.parametrize("name", sorted(TIMERS))
def test_the_service_runs_once_as_the_servers_user_with_its_settings(name: str) -> None:
    service = _read(SERVER / f"{name}.service")["Service"]
    assert service["Type"] == "oneshot"
    assert service["User"] == service["Group"] == "odsc-server"
    assert service["EnvironmentFile"] == "/etc/odsc-server/odsc-server.env"
    assert service["ProtectSystem"] == "strict" and service["NoNewPrivileges"] == "yes"
    program, *argv = shlex.split(service["ExecStart"])
    assert program == INSTALLED
    args = server_cli.build_parser().parse_args(argv)
    assert (args.command, args.action) == TIMERS[name]


@pytest.mark.parametrize("name", sorted(TIMERS))
def test_the_timer_starts_the_service_every_minute(name: str) -> None:
    timer = _read(SERVER / f"{name}.timer")
    assert timer["Timer"]["Unit"] == f"{name}.service"
    assert timer["Timer"]["OnUnitInactiveSec"] == "1min"
    assert timer["Install"]["WantedBy"] == "timers.target"


def test_the_environment_example_names_the_gateways_settings() -> None:
    text = (SERVER / "odsc-server.env.example").read_text(encoding="utf-8")
    for name in (
        sms_gateway.URL_ENV,
        sms_gateway.TOKEN_ENV,
        sms_gateway.SENDER_ENV,
        sms_reports.SECRET_ENV,
    ):
        assert f"#{name}=" in text


@pytest.mark.parametrize("name", sorted(TIMERS))
def test_the_units_pass_systemd_analyze_verify(name: str, tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        cannot_run_here("systemd-analyze is not installed (the units are still parsed above)")
    installed = Path(sys.executable).parent / "odsc-server"
    units = [SERVER / f"{name}.service", SERVER / f"{name}.timer"]
    for unit in units:
        text = unit.read_text(encoding="utf-8").replace(INSTALLED, str(installed))
        (tmp_path / unit.name).write_text(text, encoding="utf-8")
    done = subprocess.run(
        [analyze, "verify", *(str(tmp_path / unit.name) for unit in units)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    # verify returns 0 even for an unknown key or a bad value: it only says so.
    named = [line for line in done.stderr.splitlines() if name in line]
    assert named == []
