"""Helpers for the document tests: PDFs read back (pypdf, poppler), QR decoding, a paid request."""

from __future__ import annotations

import io
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pypdf
import pytest

from odsc_desk.domain import payments, service_requests
from tests.conftest import Counter, cannot_run_here

LAO_NAME = "ສົມສັກ ພົມມະຈັນ"
LAO_VILLAGE = "ບ້ານໂພນສະອາດ"
MM = 72 / 25.4


def reader(pdf: bytes | Path) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf)


def text_of(pdf: bytes | Path) -> str:
    """What copying the whole document gives (pypdf)."""
    return "\n".join(page.extract_text() for page in reader(pdf).pages)


def tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        cannot_run_here(f"{name} (poppler-utils) is not installed")
    return found


def poppler_text(pdf: Path, *options: str) -> str:
    done = subprocess.run(
        [tool("pdftotext"), *options, str(pdf), "-"], capture_output=True, check=True, text=True
    )
    return done.stdout


def word_boxes(pdf: Path) -> list[tuple[float, float, float, float, str, float, float]]:
    """(xMin, yMin, xMax, yMax, word, page width, page height) of every word, from poppler."""
    import re

    html = poppler_text(pdf, "-bbox")
    boxes = []
    width = height = 0.0
    for line in html.splitlines():
        page = re.search(r'<page width="([\d.]+)" height="([\d.]+)"', line)
        if page:
            width, height = float(page[1]), float(page[2])
        number = r'"([-\d.]+)"'
        word = re.search(
            rf"<word xMin={number} yMin={number} xMax={number} yMax={number}>(.*)</word>", line
        )
        if word:
            x0, y0, x1, y1 = (float(word[i]) for i in range(1, 5))
            boxes.append((x0, y0, x1, y1, word[5], width, height))
    return boxes


def png_pages(pdf: Path, dpi: int = 110) -> list[Path]:
    prefix = pdf.with_suffix("")
    subprocess.run(
        [tool("pdftoppm"), "-r", str(dpi), "-png", str(pdf), str(prefix)],
        check=True,
        capture_output=True,
    )
    return sorted(pdf.parent.glob(f"{prefix.name}-*.png"))


def qr_codes(pdf: Path) -> list[str]:
    try:
        import zxingcpp
        from PIL import Image
    except ImportError:
        cannot_run_here("zxing-cpp (the dev extra) is not installed")
    texts = []
    for png in png_pages(pdf, dpi=300):
        # QR codes only: at 300 dpi a row of digits can pass for a 1D barcode now and then.
        found = zxingcpp.read_barcodes(Image.open(png), formats=zxingcpp.BarcodeFormat.QRCode)
        texts += [code.text for code in found]
    return texts


def font_dicts(pdf: bytes | Path) -> list[Any]:
    fonts = []
    for page in reader(pdf).pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.append(font.get_object())
    return fonts


@dataclass
class Paid:
    counter: Counter
    request: dict[str, Any]
    payment: dict[str, Any]

    @property
    def store(self):
        return self.counter.store


@pytest.fixture
def paid(open_counter: Counter) -> Paid:
    """A Lao citizen's enterprise registration (150,000 kip), one document missing, paid cash."""
    c = open_counter
    request = service_requests.record_request(
        c.store,
        c.clerk,
        service_code="MOIC-ENT-REG",
        citizen_name=LAO_NAME,
        phone="020 5555 1234",
        id_number="ab123456",
        village=LAO_VILLAGE,
        documents=["APPLICATION", "ID-COPY"],
    )
    payment = payments.record_payment(c.store, c.clerk, request["tracking"])
    return Paid(c, request, payment)
