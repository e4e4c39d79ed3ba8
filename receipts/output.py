"""Writing a document's PDF: never over a file already there, never through a link, never a
half-written one.

The bytes go to a hidden temporary file beside the target first (flushed to disk), which is
then linked into place: a hard link fails if anything has the name by then, a link pointing
nowhere included, so nothing is ever overwritten or written through. Where the file system has
no hard links (a FAT-formatted USB stick) the name is first taken as a new, empty file
(`safe_files.open_new`, which refuses a name that is taken in the same single step), and the
staged file then replaces that file, one this call made. A folder that will not take the file
is named as the rest of the program names it (`safe_files.cannot_write`).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from odsc_desk.shared import safe_files
from odsc_desk.shared.errors import ValidationError
from odsc_desk.shared.ids import new_id


def check_target(out: Path | str) -> Path:
    """The path to write, refused early (before a print is recorded) if the name is taken or
    its folder is missing. `publish` refuses a name taken later on its own."""
    target = Path(out)
    if target.exists() or target.is_symlink():
        raise safe_files.name_taken(target)
    if not target.parent.is_dir():
        raise ValidationError("file.no_folder", "out", path=str(target.parent))
    return target


def stage(target: Path, data: bytes) -> Path:
    """Write `data` to a temporary file next to `target`; returns its path."""
    temporary = target.with_name(f".{target.name}.{new_id()}.part")
    try:
        with temporary.open("xb") as handle:  # O_EXCL: a new file, never through a link
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        discard(temporary)
        raise safe_files.cannot_write(exc, target) from exc
    return temporary


def discard(temporary: Path) -> None:
    with contextlib.suppress(OSError):
        temporary.unlink()


def publish(temporary: Path, target: Path) -> None:
    """Move the staged file to `target`, refusing to replace or follow anything there."""
    try:
        try:
            os.link(temporary, target)
        except FileExistsError:
            raise safe_files.name_taken(target) from None
        except OSError:
            # No hard links here: the name becomes a file of ours first, then the PDF.
            safe_files.open_new(target).close()
            try:
                os.replace(temporary, target)
            except OSError:
                discard(target)
                raise
    except OSError as exc:
        raise safe_files.cannot_write(exc, target) from exc
    finally:
        discard(temporary)


def write_new(out: Path | str, data: bytes) -> Path:
    """Write a whole new file at `out`, or nothing at all."""
    target = check_target(out)
    publish(stage(target, data), target)
    return target
