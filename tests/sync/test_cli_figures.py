"""`odsc-server figures` against the database of a running centre: its --json is the API's
body, its table is readable (Lao service names included), and a bad period, area or breakdown
is a clear message with exit code 2. On SQLite and PostgreSQL (the `centre` of test_api_v1).

The readable table runs the installed command once; the other cases call the same `main` in
this process (a child interpreter costs seconds here, and the parsing and printing are the
same code)."""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass

import pytest

from sync.server import cli
from tests.sync.conftest import server_command
from tests.sync.test_api_v1 import MONTH, centre

__all__ = ["centre"]  # the fixture, shared with test_api_v1


@dataclass
class Done:
    returncode: int
    stdout: str
    stderr: str


def _main(capsys: pytest.CaptureFixture[str], *args: str) -> Done:
    """`odsc-server ARGS` in this process; argparse's refusals exit by SystemExit."""
    capsys.readouterr()
    try:
        code = cli.main(list(args))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return Done(code, out, err)


def _run(centre, capsys: pytest.CaptureFixture[str], *args: str) -> Done:
    return _main(capsys, "figures", *args, "--db", centre.server.db_url)


@pytest.mark.parametrize(
    "args",
    [
        ("volume", "--province", "LA-VT", "--by", "service"),
        ("revenue", "--office", "VTE-SST", "--by", "clerk"),
        ("timeliness", "--ministry", "MOHA", "--by", "office"),
        ("fees",),
    ],
)
def test_json_is_the_apis_body(centre, capsys, args):
    name, *rest = args
    done = _run(centre, capsys, name, "--period", MONTH, "--json", *rest)
    assert done.returncode == 0, done.stderr
    params = dict(zip(rest[::2], rest[1::2], strict=True))
    body = centre.ok(f"/figures/{name}", period=MONTH, **{k[2:]: v for k, v in params.items()})
    assert json.loads(done.stdout) == body


def test_a_readable_table(centre):
    done = subprocess.run(
        [*server_command(), "figures", "volume", "--period", MONTH, "--office", "VTE-SST",
         "--by", "service", "--db", centre.server.db_url],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("volume: requests received")
    assert lines[1] == f"office VTE-SST; {MONTH} (2026-11-01 to 2026-11-30), previous 2026-10"
    body = centre.ok("/figures/volume", period=MONTH, office="VTE-SST", by="service")
    received = next(line for line in lines if line.startswith("received "))
    assert received.split() == ["received", str(body["totals"]["received"]), "0"]
    (birth,) = [line for line in lines if line.startswith("MOHA-BIRTH ")]
    assert "ໃບແຈ້ງເກີດ" in birth and "Birth certificate" in birth
    assert "previous" not in lines[lines.index("by service:") + 1]


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("volume", "--period", "2026-13"), "there is no month 13"),
        (("volume", "--period", "soon"), "not a period"),
        (("volume", "--period", MONTH, "--province", "VTE"), "not a province code"),
        (("volume", "--period", MONTH, "--by", "colour"), "volume is broken down by"),
        (("revenue", "--period", MONTH, "--by", "clerk"), "only given for one office"),
        (("cash", "--period", MONTH, "--ministry", "MOIC"), "not counted per service"),
    ],
)
def test_bad_input_is_a_clear_message_and_exit_2(centre, capsys, args, said):
    _exits_2(_run(centre, capsys, *args), said)


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("speed", "--period", MONTH), "invalid choice: 'speed'"),
        (("volume", "--period", MONTH, "--office", "VTE-SST", "--province", "LA-VT"),
         "not allowed with argument"),
        (("volume",), "the following arguments are required: --period"),
    ],
)  # fmt: skip
def test_bad_options_are_refused_before_any_database(tmp_path, capsys, args, said):
    url = f"sqlite:///{tmp_path / 'never.sqlite3'}"
    _exits_2(_main(capsys, "figures", *args, "--db", url), said)
    assert not (tmp_path / "never.sqlite3").exists()


def _exits_2(done: Done, said: str) -> None:
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert done.stdout == ""
    assert said in done.stderr
    assert done.stderr.startswith("odsc-server")
    assert len(done.stderr.strip().splitlines()) == 1
