"""`odsc receipt`, `slip`, `notice` and `summary`: end to end through the command line."""

from __future__ import annotations

import io
import json
import os
from contextlib import redirect_stderr, redirect_stdout
from functools import partial
from pathlib import Path

import pytest

from odsc_desk.domain import payments, service_requests
from odsc_desk.storage.store import open_store
from tests.conftest import FAST_HASHER, PASSWORD
from tests.receipts.conftest import LAO_NAME, Paid, reader, text_of
from ui.cli import context as cli_context
from ui.cli import main as cli


def odsc(paid: Paid, *args: object, user: str = "noy") -> tuple[int, str, str]:
    """`odsc --data-dir D --user U ARGS` in-process, on the fixture's clock."""
    argv = ["--data-dir", str(paid.counter.data_dir), "--user", user, *map(str, args)]
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as mp, redirect_stdout(out), redirect_stderr(err):
        mp.setenv("ODSC_PASSWORD", PASSWORD)
        mp.setattr(
            cli_context,
            "open_store",
            partial(open_store, clock=paid.counter.clock, hasher=FAST_HASHER),
        )
        try:
            code = cli.main(argv)
        except SystemExit as exc:
            code = exc.code
    return code, out.getvalue(), err.getvalue()


def test_receipt_then_a_copy(paid: Paid, tmp_path: Path):
    receipt = paid.payment["receipt"]
    code, out, _ = odsc(paid, "receipt", receipt, "--out", tmp_path / "1.pdf")
    assert code == 0 and "print 1" in out and "COPY" not in out
    code, out, _ = odsc(paid, "--json", "receipt", receipt, "--out", tmp_path / "2.pdf",
                        "--format", "a5")  # fmt: skip
    result = json.loads(out)
    assert code == 0 and result["copy"] is True and result["print"] == 2
    assert LAO_NAME in text_of(tmp_path / "2.pdf")
    assert odsc(paid, "check")[0] == 0


def test_copy_flag(paid: Paid, tmp_path: Path):
    code, out, _ = odsc(paid, "receipt", paid.payment["receipt"], "--out", tmp_path / "r.pdf",
                        "--copy")  # fmt: skip
    assert code == 0 and "ສຳເນົາ / COPY" in out


def test_slip_notice_and_summary(paid: Paid, tmp_path: Path):
    tracking = paid.request["tracking"]
    assert odsc(paid, "slip", tracking, "--out", tmp_path / "slip.pdf")[0] == 0
    assert round(float(reader(tmp_path / "slip.pdf").pages[0].mediabox.width), 2) == 226.77
    code, _, err = odsc(paid, "notice", tracking, "--kind", "missing-documents",
                        "--out", tmp_path / "n.pdf")  # fmt: skip
    assert code == 0, err
    assert round(float(reader(tmp_path / "n.pdf").pages[0].mediabox.height)) == 842  # A4
    code, out, err = odsc(paid, "--json", "summary", "--date", "2026-11-26",
                          "--out", tmp_path / "s.pdf")  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["totals"]["gross"] == 150_000


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("receipt", "VTE-SST-1-2026-999999"), 1, "No receipt VTE-SST-1-2026-999999"),
        (("slip", "VTE-SST-1-261126-9999"), 1, "VTE-SST-1-261126-9999"),
        (("notice", "{tracking}", "--kind", "refusal"), 1, "was not rejected"),
        (("summary", "--date", "26/11/2026"), 1, "26/11/2026"),
    ],
)
def test_refusals_print_lao_and_english_and_write_nothing(
    paid: Paid, tmp_path: Path, args, code, message
):
    out = tmp_path / "x.pdf"
    args = [a.format(tracking=paid.request["tracking"]) for a in args]
    result, _, err = odsc(paid, *args, "--out", out)
    assert result == code
    assert "ຜິດພາດ:" in err and message in err
    assert not out.exists()


@pytest.mark.parametrize(
    "args",
    [
        ("receipt", "R", "--out", "x.pdf", "--format", "a3"),
        ("notice", "T", "--kind", "apology", "--out", "x.pdf"),
        ("receipt", "R"),  # --out is required
    ],
)
def test_bad_command_lines_exit_2(paid: Paid, args):
    assert odsc(paid, *args)[0] == 2


def test_an_existing_file_is_refused(paid: Paid, tmp_path: Path):
    out = tmp_path / "r.pdf"
    out.write_bytes(b"old")
    code, _, err = odsc(paid, "receipt", paid.payment["receipt"], "--out", out)
    assert code == 1 and "already exists" in err and "ມີຢູ່ແລ້ວ" in err
    assert out.read_bytes() == b"old"


def test_an_unwritable_file_is_refused(paid: Paid, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    out_dir = tmp_path / "out"
    out_dir.mkdir()

    def fail(fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", fail)
    code, _, err = odsc(paid, "receipt", paid.payment["receipt"], "--out", out_dir / "r.pdf")
    assert code == 1 and "Cannot write" in err and "ບັນທຶກໄຟລ໌" in err
    assert list(out_dir.iterdir()) == []
    assert paid.store.scalar("SELECT COUNT(*) FROM receipt_prints") == 0


def test_odd_names_print(open_counter, tmp_path: Path):
    c = open_counter
    names = [
        "ສົມສັກພົມມະຈັນ" * 8 + "ສົມສັກ",  # 118 characters, no space
        "Somsak ສົມສັກ 123 Phommachanh",
        "ສົມສັກ 😀 Noy",
    ]
    for n, name in enumerate(names):
        r = service_requests.record_request(
            c.store, c.clerk, service_code="MOHA-BIRTH", citizen_name=name
        )
        p = payments.record_payment(c.store, c.clerk, r["tracking"])
        paid = Paid(c, r, p)
        assert odsc(paid, "receipt", p["receipt"], "--out", tmp_path / f"r{n}.pdf")[0] == 0
        assert odsc(paid, "slip", r["tracking"], "--out", tmp_path / f"s{n}.pdf")[0] == 0
    assert "ສົມສັກ ? Noy" in text_of(tmp_path / "r2.pdf")
