"""A document's PDF (receipts/output.py) on real folders: never through a link, never over a file
it did not make, even one that appears between the check and the write, and a folder that will
not take it named in Lao and English, with nothing left behind."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from odsc_desk.shared.errors import ValidationError
from odsc_desk.shared.messages import render
from receipts import output, receipt
from tests.conftest import read_only
from tests.core.test_output_files import file_size_limit
from tests.receipts.conftest import Paid

PDF = b"%PDF-1.7 a document\n" * 100


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.fixture(params=["hard-link", "no-hard-links"])
def drive(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The file system under the folder: one with hard links, or one without (FAT on a USB
    stick), where the system refuses every hard link as not permitted."""
    if request.param == "no-hard-links":

        def no_link(source: object, target: object, *args: object, **kwargs: object) -> None:
            raise OSError(errno.EPERM, os.strerror(errno.EPERM), str(target))

        monkeypatch.setattr(os, "link", no_link)
    return str(request.param)


def test_a_new_file_holds_the_whole_document(tmp_path: Path, drive: str) -> None:
    out = tmp_path / "receipt.pdf"
    assert output.write_new(out, PDF) == out
    assert out.read_bytes() == PDF and not out.is_symlink()
    assert listing(tmp_path) == ["receipt.pdf"]


@pytest.mark.parametrize("existing", ["nowhere", "precious.txt"])
def test_a_link_is_refused_not_followed(tmp_path: Path, drive: str, existing: str) -> None:
    elsewhere = tmp_path / existing
    if existing == "precious.txt":
        elsewhere.write_bytes(b"keep me")
    out = tmp_path / "receipt.pdf"
    out.symlink_to(elsewhere)
    with pytest.raises(ValidationError) as refused:
        output.write_new(out, PDF)
    assert refused.value.code == "file.is_link"
    lo, en = render("file.is_link", path=str(out))
    assert (refused.value.message_lo, refused.value.message_en) == (lo, en)
    assert out.is_symlink() and os.readlink(out) == str(elsewhere)
    if existing == "precious.txt":
        assert elsewhere.read_bytes() == b"keep me"
        assert listing(tmp_path) == ["precious.txt", "receipt.pdf"]
    else:
        assert not elsewhere.exists()
        assert listing(tmp_path) == ["receipt.pdf"]


def test_an_existing_file_is_never_overwritten(tmp_path: Path, drive: str) -> None:
    out = tmp_path / "receipt.pdf"
    out.write_bytes(b"keep me")
    with pytest.raises(ValidationError) as refused:
        output.write_new(out, PDF)
    assert refused.value.code == "file.exists"
    assert out.read_bytes() == b"keep me"
    assert listing(tmp_path) == ["receipt.pdf"]


@pytest.mark.parametrize("appears", ["file", "link"])
def test_a_name_taken_after_the_check_is_still_refused(
    tmp_path: Path, drive: str, appears: str
) -> None:
    """Another program takes the name while the document is staged: a file it wrote, or a link
    left to send the PDF somewhere else. Neither is replaced nor followed."""
    out = tmp_path / "receipt.pdf"
    elsewhere = tmp_path / "elsewhere"
    target = output.check_target(out)
    staged = output.stage(target, PDF)
    if appears == "file":
        out.write_bytes(b"theirs")
    else:
        out.symlink_to(elsewhere)
    with pytest.raises(ValidationError) as refused:
        output.publish(staged, target)
    if appears == "file":
        assert refused.value.code == "file.exists"
        assert out.read_bytes() == b"theirs"
        assert listing(tmp_path) == ["receipt.pdf"]
    else:
        assert refused.value.code == "file.is_link"
        assert out.is_symlink() and os.readlink(out) == str(elsewhere)
        assert not elsewhere.exists()
        assert listing(tmp_path) == ["receipt.pdf"]


def test_a_read_only_folder_is_named_and_left_empty(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    with read_only(folder), pytest.raises(ValidationError) as refused:
        output.write_new(folder / "receipt.pdf", PDF)
    assert refused.value.code == "file.folder_readonly"
    lo, en = render("file.folder_readonly", path=str(folder))
    assert (refused.value.message_lo, refused.value.message_en) == (lo, en)
    assert listing(folder) == []


def test_a_disk_that_fills_up_while_writing_leaves_no_half_file(tmp_path: Path) -> None:
    folder = tmp_path / "usb"
    folder.mkdir()
    with file_size_limit(1024), pytest.raises(ValidationError) as refused:
        output.write_new(folder / "receipt.pdf", PDF)
    assert refused.value.code == "file.disk_full"
    lo, en = render("file.disk_full", path=str(folder))
    assert (refused.value.message_lo, refused.value.message_en) == (lo, en)
    assert listing(folder) == []


def test_a_receipt_is_not_printed_through_a_link(paid: Paid, tmp_path: Path) -> None:
    """Refused before the print is recorded: no copy is counted for a file never written."""
    out = tmp_path / "receipt.pdf"
    out.symlink_to(tmp_path / "elsewhere.pdf")
    c = paid.counter
    with pytest.raises(ValidationError) as refused:
        receipt.print_receipt(c.store, c.clerk, paid.payment["receipt"], out)
    assert refused.value.code == "file.is_link"
    assert c.store.scalar("SELECT COUNT(*) FROM receipt_prints") == 0
    assert not (tmp_path / "elsewhere.pdf").exists()
