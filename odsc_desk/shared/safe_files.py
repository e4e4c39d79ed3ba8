"""New output files (an export, a backup, a support report): made only where nothing is, never
through a link, and a folder that cannot take them named in words a clerk can act on.

The file is opened with O_CREAT | O_EXCL, so the system itself refuses a name that is taken:
there is no moment between a check and the write in which another program could put a file
there. O_EXCL counts a symbolic link as taken even when it points nowhere, so a link left
where the file should go (by mistake, or by someone who wants the export of citizens' names
written somewhere else) is refused instead of followed.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import BinaryIO

from odsc_desk.shared.errors import ValidationError

# A full disk, a user's quota, or a file too large for the drive (FAT on a USB stick): the
# remedy is the same, free some space or choose another drive.
_FULL = {errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)}
_READ_ONLY = {errno.EROFS, errno.EACCES, errno.EPERM}
# O_BINARY: Windows would otherwise turn each "\n" into "\r\n" below Python's own file object.
_NEW = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)


def open_new(path: Path, field: str = "out") -> BinaryIO:
    """`path` opened for writing as a new, empty file; refused if anything (a file, a folder, a
    link) already has that name or the folder is missing or will not take it."""
    if not path.parent.is_dir():
        raise ValidationError("file.no_folder", field, path=str(path.parent))
    try:
        fd = os.open(path, _NEW, 0o666)
    except FileExistsError as exc:
        raise name_taken(path, field) from exc
    except OSError as exc:
        raise cannot_write(exc, path, field) from exc
    return os.fdopen(fd, "wb")


@contextmanager
def new_file(path: Path, field: str = "out") -> Iterator[BinaryIO]:
    """A new file at `path` (see `open_new`) to write in the block: closed at its end, and
    removed if the block fails, so a failure leaves nothing behind, not even half a file."""
    handle = open_new(path, field)
    try:
        with handle:
            yield handle
    except OSError as exc:
        _remove(path)
        raise cannot_write(exc, path, field) from exc
    except BaseException:
        _remove(path)
        raise


def name_taken(path: Path, field: str = "out") -> ValidationError:
    """The refusal of a name something already has: a link (even one pointing nowhere) is
    named as a link, since following it would write somewhere else."""
    code = "file.is_link" if path.is_symlink() else "file.exists"
    return ValidationError(code, field, path=str(path))


def cannot_write(exc: OSError, path: Path, field: str = "out") -> ValidationError:
    """Why `path` could not be written, naming its folder when the folder is the cause."""
    folder = str(path.parent)
    if exc.errno in _FULL:
        return ValidationError("file.disk_full", field, path=folder)
    if exc.errno in _READ_ONLY:
        return ValidationError("file.folder_readonly", field, path=folder)
    return ValidationError("file.unwritable", field, path=str(path), detail=exc.strerror or exc)


def _remove(path: Path) -> None:
    # A folder that refused the writing may refuse the removal too; the error already says so.
    with suppress(OSError):
        path.unlink()
