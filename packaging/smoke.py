"""Smoke test of a built bundle: a counter's first day, run by the bundled programs alone.

    python3 -I packaging/smoke.py dist/odsc-desk [--version 0.1.0]

Runs with any Python 3.11+ (the system's is meant) and imports nothing from the project: what
is tested is the folder, not the source tree. Every program starts in an empty environment
(PATH=/usr/bin:/bin, a fresh HOME, QT_QPA_PLATFORM=offscreen): no PYTHONPATH, no virtualenv,
no data folder from before. In order:

  odsc --version; odsc-desk --self-test on an empty data folder (the setup wizard);
  odsc init with the demo catalog; odsc session open; odsc request new; odsc pay;
  odsc receipt to a PDF, which must embed the bundled Lao fonts (Phetsarath OT, Noto Sans Lao);
  odsc check; odsc sync status (the sync client, offline); odsc-desk --self-test (the login).

Where strace is installed, the receipt and the login self-test also run under it, and any
Python file or library opened from outside the bundle (a site-packages, a virtualenv, the
host's Python) fails the test. Exit status 0 when every step passed, 1 at the first failure.
Linux only (the Windows build is checked by hand: packaging/windows/BUILD.md).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PASSWORD = "smoke-test-pass-1"
TIMEOUT_S = 60  # per program run; each takes a few seconds (a GUI that waits for a user: never)
LAO_FONTS = ("PhetsarathOT", "NotoSansLao")
# A path outside the bundle that belongs to some Python installation.
HOST_PYTHON = re.compile(
    r"(^|/)(site-packages|dist-packages|\.venv|venv|\.pyenv)(/|$)|/lib/python3|\.pyc?$"
)


class Failed(Exception):
    pass


class Smoke:
    def __init__(self, bundle: Path, work: Path) -> None:
        self.bundle = bundle
        self.work = work
        self.data = work / "data"
        self.home = work / "home"
        self.home.mkdir()
        self.steps = 0

    def env(self, **extra: str) -> dict[str, str]:
        return {
            "PATH": "/usr/bin:/bin",
            "HOME": str(self.home),
            "QT_QPA_PLATFORM": "offscreen",
            **extra,
        }

    def run(
        self, step: str, program: str, *args: str, trace: bool = False, **env: str
    ) -> subprocess.CompletedProcess[str]:
        command = [str(self.bundle / program), *args]
        log = self.work / f"strace-{self.steps}.log"
        if trace:
            command = ["strace", "-f", "-qq", "-e", "trace=open,openat,execve", "-o", str(log)]
            command += [str(self.bundle / program), *args]
        started = time.perf_counter()
        done = subprocess.run(
            command,
            env=self.env(**env),
            cwd=self.work,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=TIMEOUT_S,
        )
        seconds = time.perf_counter() - started
        self.steps += 1
        if done.returncode != 0:
            raise Failed(
                f"{step}: exit status {done.returncode}\n$ {' '.join(command)}\n"
                f"--- stdout\n{done.stdout}--- stderr\n{done.stderr}"
            )
        if trace:
            self.no_host_python(step, log)
        print(f"ok  {step}  ({seconds:.2f} s){'  [strace: no host Python]' if trace else ''}")
        return done

    def odsc(self, step: str, *args: str, trace: bool = False, **env: str) -> dict:
        data = ("--data-dir", str(self.data))
        done = self.run(step, "odsc", "--json", *data, *args, trace=trace, **env)
        return json.loads(done.stdout)

    def no_host_python(self, step: str, log: Path) -> None:
        bundle = str(self.bundle)
        opened = set()
        for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
            found = re.search(r'(?:open|openat|execve)\((?:AT_FDCWD, )?"([^"]+)"', line)
            if found and " = -1 " not in line:  # only files that were there and opened
                opened.add(found.group(1))
        outside = sorted(
            path
            for path in opened
            if not str((self.work / path).resolve()).startswith(bundle) and HOST_PYTHON.search(path)
        )
        if outside:
            raise Failed(f"{step}: opened Python files outside the bundle:\n" + "\n".join(outside))

    def check_pdf_fonts(self, pdf: Path) -> str:
        data = pdf.read_bytes()
        if not data.startswith(b"%PDF-"):
            raise Failed(f"{pdf} is not a PDF")
        if shutil.which("pdffonts"):
            listing = subprocess.run(
                ["pdffonts", str(pdf)], capture_output=True, text=True, check=True
            ).stdout
            # name type encoding emb sub uni object ID: "yes" in the emb column.
            embedded = {row.split()[0] for row in listing.splitlines()[2:] if " yes " in f" {row} "}
        else:  # ReportLab names an embedded subset "/AAAAAA+FontName" and embeds /FontFile2
            embedded = (
                {m.decode() for m in re.findall(rb"/BaseFont\s*/([A-Z]{6}\+[\w-]+)", data)}
                if b"/FontFile2" in data
                else set()
            )
        missing = [f for f in LAO_FONTS if not any(f in name for name in embedded)]
        if missing:
            raise Failed(f"{pdf}: fonts {missing} not embedded (embedded: {sorted(embedded)})")
        return ", ".join(sorted(embedded))

    def day(self, version: str | None) -> None:
        shown = self.run("odsc --version", "odsc", "--version").stdout.strip()
        if not shown.startswith("odsc ") or (version and shown != f"odsc {version}"):
            raise Failed(f"odsc --version printed {shown!r}, expected 'odsc {version or 'X'}'")
        wizard = self.run(
            "odsc-desk --self-test (setup wizard)",
            "odsc-desk",
            "--data-dir",
            str(self.data),
            "--self-test",
        )
        if "setup wizard shown" not in wizard.stdout or self.data.exists():
            raise Failed(f"the self-test on an empty folder: {wizard.stdout!r}")
        self.odsc(
            "odsc init --demo-catalog",
            *("init", "--office-code", "VTE-SST", "--office-name", "ຫ້ອງການ ທົດລອງ"),
            *("--counter", "1", "--admin", "admin", "--demo-catalog"),
            ODSC_NEW_PASSWORD=PASSWORD,
        )
        as_admin = {"ODSC_USER": "admin", "ODSC_PASSWORD": PASSWORD}
        self.odsc("odsc session open", "session", "open", "--float", "50000", **as_admin)
        service = self.odsc("odsc catalog list", "catalog", "list")["services"][0]
        request = self.odsc(
            "odsc request new",
            *("request", "new", "--service", service["code"]),
            *("--citizen-name", "ສົມສັກ ພົມມະຈັນ", "--village", "ບ້ານ ໂພນສະອາດ"),
            **as_admin,
        )
        paid = self.odsc("odsc pay", "pay", request["tracking"], **as_admin)
        if paid["amount"] != service["fee"]:
            raise Failed(f"paid {paid['amount']}, the fee is {service['fee']}")
        pdf = self.work / "receipt.pdf"
        self.odsc(
            "odsc receipt --out receipt.pdf",
            *("receipt", paid["receipt"], "--out", str(pdf)),
            trace=bool(shutil.which("strace")),
            **as_admin,
        )
        print(f"ok  receipt.pdf embeds {self.check_pdf_fonts(pdf)}")
        checked = self.odsc("odsc check", "check")
        if checked.get("ok") is not True:
            raise Failed(f"odsc check: {checked}")
        status = self.odsc("odsc sync status", "sync", "status")
        if status.get("pending", 0) < 1:
            raise Failed(f"odsc sync status: nothing waits to be sent after a payment: {status}")
        login = self.run(
            "odsc-desk --self-test (login)",
            "odsc-desk",
            *("--data-dir", str(self.data), "--self-test"),
            trace=bool(shutil.which("strace")),
        )
        if "login shown" not in login.stdout or "(bundled)" not in login.stdout:
            raise Failed(f"the self-test on the new store: {login.stdout!r}")
        print(login.stdout.strip())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("bundle", type=Path, help="the bundle folder (dist/odsc-desk)")
    parser.add_argument("--version", help="the version `odsc --version` must print")
    args = parser.parse_args(argv)
    bundle = args.bundle.resolve()
    for program in ("odsc", "odsc-desk"):
        if not (bundle / program).is_file():
            print(f"FAILED: no {program} in {bundle}", file=sys.stderr)
            return 1
    with tempfile.TemporaryDirectory(prefix="odsc-smoke-") as work:
        try:
            Smoke(bundle, Path(work)).day(args.version)
        except (Failed, subprocess.TimeoutExpired) as failure:
            print(f"FAILED: {failure}", file=sys.stderr)
            return 1
    print(f"smoke test passed: {bundle}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
