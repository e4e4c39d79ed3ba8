"""Writing a document's PDF: never over an existing file, never a half-written one.

The bytes go to a hidden temporary file beside the target first (flushed to disk), which is
then linked into place: a hard link fails if the name was taken meanwhile, so nothing is ever
overwritten. Where the file system has no hard links (a FAT-formatted USB stick) a rename is
used instead, after checking the name is still free.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from odsc_desk.shared.errors import ValidationError
from odsc_desk.shared.ids import new_id


def check_target(out: Path | str) -> Path:
    """The path to write, refused if it exists or its folder does not."""
    target = Path(out)
    if target.exists() or target.is_symlink():
        raise ValidationError("file.exists", "out", path=str(target))
    if not target.parent.is_dir():
        raise ValidationError("file.no_folder", "out", path=str(target.parent))
    return target


def _unwritable(target: Path, exc: OSError) -> ValidationError:
    return ValidationError("file.unwritable", "out", path=str(target), detail=exc.strerror or exc)


def stage(target: Path, data: bytes) -> Path:
    """Write `data` to a temporary file next to `target`; returns its path."""
    temporary = target.with_name(f".{target.name}.{new_id()}.part")
    try:
        with temporary.open("xb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        discard(temporary)
        raise _unwritable(target, exc) from exc
    return temporary


def discard(temporary: Path) -> None:
    with contextlib.suppress(OSError):
        temporary.unlink()


def publish(temporary: Path, target: Path) -> None:
    """Move the staged file to `target`, refusing to replace anything there."""
    try:
        try:
            os.link(temporary, target)
        except FileExistsError:
            raise ValidationError("file.exists", "out", path=str(target)) from None
        except OSError:
            # No hard links here. On Windows a rename refuses an existing target by itself.
            if target.exists():
                raise ValidationError("file.exists", "out", path=str(target)) from None
            os.rename(temporary, target)
    except OSError as exc:
        raise _unwritable(target, exc) from exc
    finally:
        discard(temporary)


def write_new(out: Path | str, data: bytes) -> Path:
    """Write a whole new file at `out`, or nothing at all."""
    target = check_target(out)
    publish(stage(target, data), target)
    return target
