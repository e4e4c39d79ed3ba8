"""Files the commands write (an export, a backup, a support report): never through a link, never
over a file already there, and a folder that cannot take them named in Lao and in English, with
nothing left behind."""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from odsc_desk.domain import service_requests
from odsc_desk.maintenance import backups, diagnose
from odsc_desk.queries import export
from odsc_desk.shared.errors import OdscError
from odsc_desk.shared.messages import render
from tests.conftest import PASSWORD, Counter, read_only
from tests.core.test_cli import run_cli
from tests.core.test_cli_bad_input import assert_bilingual

DAY = date(2026, 11, 26)  # the fixture clock's day


def write_export(counter: Counter, out: Path) -> Any:
    return export.export_requests(counter.store, DAY, DAY, out)


def write_backup(counter: Counter, out: Path) -> Any:
    return backups.backup(counter.store, out)


def write_report(counter: Counter, out: Path) -> Any:
    return diagnose.write_report(counter.data_dir, out)


WRITERS = [
    pytest.param(write_export, id="export"),
    pytest.param(write_backup, id="backup"),
    pytest.param(write_report, id="diagnose"),
]
Writer = Callable[[Counter, Path], Any]


@pytest.fixture
def counter(counter: Counter) -> Counter:
    """A counter with a request to export, so a file written would not be empty."""
    service_requests.record_request(
        counter.store, counter.clerk, service_code="MOHA-BIRTH", citizen_name="ສົມສັກ ພົມມະຈັນ"
    )
    return counter


def store_state(counter: Counter) -> str:
    return hashlib.sha256("\n".join(counter.store.conn.iterdump()).encode()).hexdigest()


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize("write", WRITERS)
def test_a_dangling_link_is_refused_not_followed(
    counter: Counter, tmp_path: Path, write: Writer
) -> None:
    out, elsewhere = tmp_path / "out" / "file", tmp_path / "elsewhere"
    out.parent.mkdir()
    out.symlink_to(elsewhere)
    before = store_state(counter)
    with pytest.raises(OdscError) as refused:
        write(counter, out)
    assert refused.value.code == "file.is_link"
    assert refused.value.message_en == render("file.is_link", path=str(out))[1]
    assert out.is_symlink() and os.readlink(out) == str(elsewhere)
    assert not elsewhere.exists()
    assert listing(out.parent) == ["file"]
    assert store_state(counter) == before


@pytest.mark.parametrize("write", WRITERS)
def test_a_link_to_an_existing_file_is_refused(
    counter: Counter, tmp_path: Path, write: Writer
) -> None:
    elsewhere = tmp_path / "precious.txt"
    elsewhere.write_bytes(b"keep me")
    out = tmp_path / "file"
    out.symlink_to(elsewhere)
    with pytest.raises(OdscError) as refused:
        write(counter, out)
    assert refused.value.code == "file.is_link"
    assert elsewhere.read_bytes() == b"keep me" and out.is_symlink()


@pytest.mark.parametrize("write", WRITERS)
def test_an_existing_file_is_never_overwritten(
    counter: Counter, tmp_path: Path, write: Writer
) -> None:
    out = tmp_path / "file"
    out.write_bytes(b"keep me")
    with pytest.raises(OdscError) as refused:
        write(counter, out)
    assert refused.value.code == "file.exists"
    assert out.read_bytes() == b"keep me"
    assert listing(tmp_path) == sorted(["file", "data"])


@pytest.mark.parametrize("write", WRITERS)
def test_a_read_only_folder_is_named_and_left_empty(
    counter: Counter, tmp_path: Path, write: Writer
) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    before = store_state(counter)
    with read_only(folder), pytest.raises(OdscError) as refused:
        write(counter, folder / "file")
    assert refused.value.code == "file.folder_readonly"
    lo, en = render("file.folder_readonly", path=str(folder))
    assert (refused.value.message_lo, refused.value.message_en) == (lo, en)
    assert listing(folder) == []
    assert store_state(counter) == before


@contextmanager
def file_size_limit(limit: int) -> Iterator[None]:
    """Writes past `limit` bytes of any file fail with EFBIG ("file too large"): the kernel's own
    refusal, part-way through a write, standing in for a disk that fills up meanwhile."""
    if sys.platform == "win32":
        pytest.skip("no file size limit on Windows")
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    # Without this, the kernel stops the whole process instead of failing the write.
    handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, handler)


@pytest.mark.parametrize(
    "write", [pytest.param(write_export, id="export"), pytest.param(write_report, id="diagnose")]
)
def test_a_disk_that_fills_up_while_writing_leaves_no_half_file(
    counter: Counter, tmp_path: Path, write: Writer
) -> None:
    for n in range(20):  # an export well past the limit below
        service_requests.record_request(
            counter.store, counter.clerk, service_code="MOHA-BIRTH", citizen_name=f"ນາງ ນ້ອຍ {n}"
        )
    folder = tmp_path / "usb"
    folder.mkdir()
    before = store_state(counter)
    with file_size_limit(1024), pytest.raises(OdscError) as refused:
        write(counter, folder / "file")
    assert refused.value.code == "file.disk_full"
    lo, en = render("file.disk_full", path=str(folder))
    assert (refused.value.message_lo, refused.value.message_en) == (lo, en)
    assert listing(folder) == []
    assert store_state(counter) == before


@pytest.mark.parametrize("write", WRITERS)
@pytest.mark.parametrize(
    ("failure", "code"),
    [
        pytest.param(errno.ENOSPC, "file.disk_full", id="disk-full"),
        pytest.param(errno.EROFS, "file.folder_readonly", id="read-only-drive"),
    ],
)
def test_a_folder_that_refuses_the_new_file_is_named(
    counter: Counter,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    write: Writer,
    failure: int,
    code: str,
) -> None:
    """A stand-in for a full disk (no room for even a new name) and a drive mounted read-only:
    the system's answer to creating the file, given by hand."""
    out = tmp_path / "file"
    real_open = os.open

    def refusing_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if Path(path) == out:
            raise OSError(failure, os.strerror(failure), str(out))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refusing_open)
    with pytest.raises(OdscError) as refused:
        write(counter, out)
    assert refused.value.code == code
    assert not out.exists()


def test_a_backup_that_would_not_fit_is_refused_before_writing(
    counter: Counter, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stand-in for a nearly full disk: the free space reported is less than the store."""
    real = shutil.disk_usage
    monkeypatch.setattr(shutil, "disk_usage", lambda path: real(path)._replace(free=4096))
    folder = tmp_path / "usb"
    folder.mkdir()
    before = store_state(counter)
    with pytest.raises(OdscError) as refused:
        backups.backup(counter.store, folder / "copy.sqlite3")
    assert refused.value.code == "backup.target_full"
    assert str(folder) in refused.value.message_en and str(folder) in refused.value.message_lo
    assert listing(folder) == []
    assert store_state(counter) == before


@pytest.mark.parametrize(
    "command",
    [
        pytest.param(("export", "--from", DAY, "--to", DAY), id="export"),
        pytest.param(("backup",), id="backup"),
        pytest.param(("diagnose",), id="diagnose"),
    ],
)
def test_the_command_line_refuses_a_link_with_exit_1_in_both_languages(
    counter: Counter, tmp_path: Path, command: tuple[Any, ...]
) -> None:
    out = tmp_path / "file"
    out.symlink_to(tmp_path / "elsewhere")
    run = run_cli(
        counter.data_dir,
        *command,
        "--out",
        out,
        # A backup to a file is a supervisor's, and is encrypted with a passphrase.
        user="somchai" if command[0] == "backup" else "noy",
        env={"ODSC_PASSWORD": PASSWORD, "ODSC_BACKUP_PASSPHRASE": "lantern-by-the-river"},
        json_out=True,
    )
    assert run.code == 1, run
    error = run.json["error"]
    assert error["code"] == "file.is_link"
    assert_bilingual(run.err, error)
    assert out.is_symlink() and not (tmp_path / "elsewhere").exists()
