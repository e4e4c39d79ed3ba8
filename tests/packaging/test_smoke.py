"""packaging/smoke.py can fail: a "bundle" that runs on the project's virtualenv, and a PDF
without the Lao fonts, are both caught. (It passing on the real bundle: test_bundle.py.)"""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import pytest
from reportlab.pdfgen.canvas import Canvas

from receipts import fonts
from tests.conftest import cannot_run_here
from tests.packaging.built import SMOKE, run_smoke


def load_smoke():
    spec = importlib.util.spec_from_file_location("smoke", SMOKE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_bundle_that_uses_the_host_python_fails(tmp_path):
    if shutil.which("strace") is None:
        cannot_run_here("strace is not installed")
    # Same programs, same output; but they are the virtualenv's, run by its Python.
    fake = tmp_path / "fake-bundle"
    fake.mkdir()
    for program in ("odsc", "odsc-desk"):
        wrapper = fake / program
        wrapper.write_text(f'#!/bin/sh\nexec "{Path(sys.executable).parent / program}" "$@"\n')
        wrapper.chmod(0o755)
    done = run_smoke(fake)
    assert done.returncode == 1, done.stdout
    assert "ok  odsc pay" in done.stdout  # it got as far as the first traced step
    assert "odsc receipt --out receipt.pdf: opened Python files outside the bundle" in done.stderr
    assert "site-packages" in done.stderr


def pdf(path: Path, *font_names: str) -> Path:
    fonts.register()
    canvas = Canvas(str(path))
    for row, name in enumerate(font_names):
        canvas.setFont(name, 12)
        canvas.drawString(40, 700 - 20 * row, "ໃບຮັບເງິນ 10,000 ₭")
    canvas.save()
    return path


def test_a_receipt_without_the_lao_fonts_fails_the_font_check(tmp_path):
    smoke = load_smoke()
    with pytest.raises(smoke.Failed, match=r"fonts \['PhetsarathOT', 'NotoSansLao'\] not embedded"):
        smoke.Smoke.check_pdf_fonts(None, pdf(tmp_path / "helvetica.pdf", "Helvetica"))
    with pytest.raises(smoke.Failed, match=r"fonts \['NotoSansLao'\] not embedded"):
        smoke.Smoke.check_pdf_fonts(None, pdf(tmp_path / "regular.pdf", fonts.REGULAR))
    embedded = smoke.Smoke.check_pdf_fonts(
        None, pdf(tmp_path / "both.pdf", fonts.REGULAR, fonts.BOLD_LAO)
    )
    assert "PhetsarathOT" in embedded and "NotoSansLao-Bold" in embedded
