"""One counter window per data folder.

Two windows on one store would be two views of one cash drawer: a clerk closing the day in one
while the other still takes payments. SQLite would keep the ledger sound (every write takes the
lock with BEGIN IMMEDIATE and numbers come from the rows themselves), so the `odsc` command
stays allowed beside the window; it is the people who would be confused, so the window refuses.

The lock is a file in the data folder created with O_EXCL and holding the owner's process id
(and, on Linux, that process's start time, so a reused id is not mistaken for the owner). A lock
whose owner is gone, after a crash or a power cut, is stale and taken over. No fcntl or msvcrt
locking: the file is plain, so the same code runs on Windows, and support can read who holds it.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

from odsc_desk.shared.errors import OdscError

LOCK_FILE = "window.lock"


class InstanceError(OdscError):
    """Another window already has this data folder."""


def _start_time(pid: int) -> str:
    """The process's start time in clock ticks since boot (Linux), or "" where unknown."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    # The command name (field 2) may hold spaces and parentheses: count from the last ")".
    return stat.rsplit(")", 1)[1].split()[19]


def _alive(pid: int) -> bool:
    if sys.platform == "win32":
        return _alive_windows(pid)
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, owned by someone else
    return True


def _alive_windows(pid: int) -> bool:
    # os.kill on Windows would terminate the process: ask the kernel instead.
    import ctypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return bool(kernel32.GetLastError() == 5)  # access denied: it exists
    try:
        code = ctypes.c_ulong()
        kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        return code.value == 259  # STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)


def _holder(path: Path) -> int | None:
    """The live process holding the lock at `path`, or None if the lock is stale or unreadable."""
    try:
        pid_text, _, started = path.read_text().strip().partition(" ")
        pid = int(pid_text)
    except (OSError, ValueError):
        return None
    if not _alive(pid):
        return None
    if started and _start_time(pid) not in ("", started):
        return None  # the id was reused by a process started later
    return pid


class WindowLock:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.pid = os.getpid()

    def release(self) -> None:
        """Remove the lock file if it is still ours."""
        try:
            if self.path.read_text().split()[0] == str(self.pid):
                self.path.unlink()
        except (OSError, IndexError):
            pass  # gone already, or never written: nothing to release

    def __enter__(self) -> WindowLock:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()


def acquire_window_lock(data_dir: Path | str) -> WindowLock:
    """Take the data folder's window lock, or raise `InstanceError` naming who holds it."""
    folder = Path(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOCK_FILE
    mine = f"{os.getpid()} {_start_time(os.getpid())}".strip()
    # Two tries: the second after removing a stale lock. O_EXCL lets only one process create
    # the file. Left open: a window that reads a stale lock, and removes it only after another
    # window has already replaced it, removes the live one; that needs two starts within the
    # same few microseconds on a stale lock, which a person at one PC does not manage.
    for _ in range(2):
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            holder = _holder(path)
            if holder is not None and holder != os.getpid():
                raise InstanceError("window.running", path=str(folder), pid=holder) from None
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
            continue
        with os.fdopen(fd, "w") as handle:
            handle.write(mine + "\n")
        return WindowLock(path)
    holder = _holder(path)
    raise InstanceError("window.running", path=str(folder), pid=holder or "?")
