"""The timer that sends the citizens' messages (packaging/server/odsc-server-messages.*): parsed,
its command one the server's parser takes, and verified by `systemd-analyze verify`."""

from __future__ import annotations

import configparser
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from sync.server import cli as server_cli
from sync.server import sms_gateway, sms_reports
from tests.conftest import cannot_run_here

SERVER = Path(__file__).parents[1] / "packaging" / "server"
SERVICE = SERVER / "odsc-server-messages.service"
TIMER = SERVER / "odsc-server-messages.timer"
INSTALLED = "/opt/odsc-server/venv/bin/odsc-server"


def _read(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=True, delimiters=("=",))
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read_string(path.read_text(encoding="utf-8"))
    return parser


def test_the_service_sends_once_as_the_servers_user_with_its_settings():
    service = _read(SERVICE)["Service"]
    assert service["Type"] == "oneshot"
    assert service["User"] == service["Group"] == "odsc-server"
    assert service["EnvironmentFile"] == "/etc/odsc-server/odsc-server.env"
    assert service["ProtectSystem"] == "strict" and service["NoNewPrivileges"] == "yes"
    program, *argv = shlex.split(service["ExecStart"])
    assert program == INSTALLED
    args = server_cli.build_parser().parse_args(argv)
    assert (args.command, args.action) == ("messages", "send")


def test_the_timer_starts_the_service_every_minute():
    timer = _read(TIMER)
    assert timer["Timer"]["Unit"] == SERVICE.name
    assert timer["Timer"]["OnUnitInactiveSec"] == "1min"
    assert timer["Install"]["WantedBy"] == "timers.target"


def test_the_environment_example_names_the_gateways_settings():
    text = (SERVER / "odsc-server.env.example").read_text(encoding="utf-8")
    for name in (
        sms_gateway.URL_ENV,
        sms_gateway.TOKEN_ENV,
        sms_gateway.SENDER_ENV,
        sms_reports.SECRET_ENV,
    ):
        assert f"#{name}=" in text


def test_the_units_pass_systemd_analyze_verify(tmp_path):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        cannot_run_here("systemd-analyze is not installed (the units are still parsed above)")
    installed = Path(sys.executable).parent / "odsc-server"
    for unit in (SERVICE, TIMER):
        text = unit.read_text(encoding="utf-8").replace(INSTALLED, str(installed))
        (tmp_path / unit.name).write_text(text, encoding="utf-8")
    done = subprocess.run(
        [analyze, "verify", str(tmp_path / SERVICE.name), str(tmp_path / TIMER.name)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    # verify returns 0 even for an unknown key or a bad value: it only says so.
    named = [line for line in done.stderr.splitlines() if "odsc-server-messages" in line]
    assert named == []
