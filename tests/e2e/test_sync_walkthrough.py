"""The README's walk from a counter working offline to the centre's figures, command by command:
the installed `odsc` and `odsc-server` programs as separate processes, a real server process on
loopback that goes away and comes back, and the centre's stats held against the counter's day.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.sync.conftest import free_port, wait_until_ready

BIN = Path(sys.executable).parent
PASSWORD = "walkthrough-2026"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "ODSC_SERVER_DATA_DIR": str(tmp_path / "server-data"),
        "ODSC_DATA_DIR": str(tmp_path / "counter"),
        "ODSC_USER": "admin",
        "ODSC_PASSWORD": PASSWORD,
        "ODSC_NEW_PASSWORD": PASSWORD,
    }


def run(env: dict[str, str], *args: str, ok: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [str(BIN / args[0]), *args[1:]], env=env, capture_output=True, text=True, timeout=120
    )
    if ok:
        assert done.returncode == 0, done.stderr + done.stdout
    return done


class Centre:
    def __init__(self, env: dict[str, str]) -> None:
        self.env, self.port = env, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [str(BIN / "odsc-server"), "serve", "--port", str(self.port)],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until_ready(self.url, alive=lambda: self.process.poll() is None)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)
            self.process = None


def test_record_offline_reconnect_and_the_centre_matches_the_counter(env):
    code = run(env, "odsc-server", "enroll", "--office", "VTE-SST", "--counter", "1")
    code = code.stdout.split()[-1]  # the code is the last word printed
    centre = Centre(env)
    centre.start()
    try:
        run(
            env, "odsc", "init", "--office-code", "VTE-SST", "--office-name", "ເມືອງສີສັດຕະນາກ",
            "--counter", "1", "--admin", "admin", "--demo-catalog",
        )  # fmt: skip
        run(env, "odsc", "sync", "enroll", "--server", centre.url, "--code", code)
        # The counter's receipt-signing key went with it, for the centre to check receipts by.
        (device,) = json.loads(run(env, "odsc-server", "devices", "--json").stdout)
        assert device["office"] == "VTE-SST" and device["public_key"]
        centre.stop()  # the link goes down; the counter works on

        run(env, "odsc", "session", "open", "--float", "50000")
        receipts = []
        for name, service in (
            ("ນາງ ນ້ອຍ", "MOHA-BIRTH"),
            ("ທ້າວ ບຸນມີ ພົມມະວົງ", "MOIC-BIZ-LIC"),
            ("Somsay", "MOHA-FAM-BK"),
        ):
            made = run(env, "odsc", "--json", "request", "new", "--service", service,
                       "--citizen-name", name)  # fmt: skip
            paid = run(env, "odsc", "--json", "pay", json.loads(made.stdout)["tracking"])
            receipts.append(json.loads(paid.stdout)["receipt"])
        # One person works this counter: the admin approves their own void, as the office allows.
        run(env, "odsc", "setting", "set", "self_approval", "yes")
        void_env = {**env, "ODSC_SUPERVISOR_PASSWORD": PASSWORD}
        run(void_env, "odsc", "void", receipts[1], "--reason", "ພິມຜິດ", "--supervisor", "admin")

        offline = run(env, "odsc", "sync", "run", "--once", ok=False)
        assert offline.returncode == 1
        assert "Nothing is lost" in offline.stderr
        waiting = json.loads(run(env, "odsc", "--json", "sync", "status").stdout)
        assert waiting["pending"] == 8  # drawer, 3 requests, 3 payments, 1 void

        centre.start()  # the link is back
        run(env, "odsc", "sync", "run", "--once")
        status = json.loads(run(env, "odsc", "--json", "sync", "status").stdout)
        assert (status["pending"], status["parked"], status["last_error"]) == (0, 0, None)

        day = json.loads(run(env, "odsc", "--json", "day").stdout)
        stats = json.loads(
            run(env, "odsc-server", "stats", "--office", "VTE-SST", "--date", day["date"],
                "--json").stdout
        )  # fmt: skip
        assert stats["requests"] == day["requests"] == 3
        assert stats["payments"] == day["payments"]["count"] == 3
        assert stats["fee_total"] == day["totals"]["net"]
        assert day["totals"]["voided"] > 0  # the void is netted out on both sides
        overall = json.loads(
            run(env, "odsc-server", "stats", "--office", "VTE-SST", "--json").stdout
        )
        assert overall["devices"] == 1 and overall["fee_total"] == day["totals"]["net"]
    finally:
        centre.stop()
