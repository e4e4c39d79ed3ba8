"""One window per data folder: a second one is refused by name, a dead one's lock is taken over.

The holder is a real second process; "dead" is a real SIGKILL.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest

from odsc_desk.storage.instance import LOCK_FILE, InstanceError, acquire_window_lock

HOLDER = textwrap.dedent(
    """
    import sys
    from odsc_desk.storage.instance import acquire_window_lock
    lock = acquire_window_lock(sys.argv[1])
    print("HELD", flush=True)
    sys.stdin.readline()
    lock.release()
    """
)


def holder(data_dir) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(data_dir)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout.readline() == "HELD\n"
    return proc


def test_a_second_window_on_the_same_folder_is_refused_until_the_first_closes(tmp_path):
    first = holder(tmp_path)
    try:
        with pytest.raises(InstanceError) as err:
            acquire_window_lock(tmp_path)
        assert err.value.code == "window.running"
        assert str(first.pid) in err.value.message_en and str(first.pid) in err.value.message_lo
        assert "already open" in err.value.message_en
        assert "ເປີດຢູ່ແລ້ວ" in err.value.message_lo
    finally:
        first.communicate("\n", timeout=30)
    assert not (tmp_path / LOCK_FILE).exists()
    with acquire_window_lock(tmp_path) as lock:
        assert (tmp_path / LOCK_FILE).read_text().split()[0] == str(os.getpid())
    assert not lock.path.exists()


def test_another_folder_is_another_window(tmp_path):
    first = holder(tmp_path / "office-a")
    try:
        acquire_window_lock(tmp_path / "office-b").release()
    finally:
        first.communicate("\n", timeout=30)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX SIGKILL")
def test_the_lock_of_a_window_that_died_is_taken_over(tmp_path):
    dead = holder(tmp_path)
    dead.kill()
    dead.wait(timeout=30)
    assert (tmp_path / LOCK_FILE).exists()  # left behind, as after a power cut
    lock = acquire_window_lock(tmp_path)
    assert (tmp_path / LOCK_FILE).read_text().split()[0] == str(os.getpid())
    lock.release()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="start times from /proc")
def test_a_process_id_reused_by_another_program_is_not_mistaken_for_the_window(tmp_path):
    # A live process (our parent), but not the one that wrote the lock: its start time differs.
    (tmp_path / LOCK_FILE).write_text(f"{os.getppid()} 1\n")
    acquire_window_lock(tmp_path).release()


def test_an_unreadable_lock_is_stale(tmp_path):
    (tmp_path / LOCK_FILE).write_text("not a process\n")
    acquire_window_lock(tmp_path).release()


def test_release_leaves_a_lock_that_is_no_longer_ours(tmp_path):
    lock = acquire_window_lock(tmp_path)
    (tmp_path / LOCK_FILE).write_text("999999999\n")  # taken over meanwhile
    lock.release()
    assert (tmp_path / LOCK_FILE).read_text() == "999999999\n"


# -- the `odsc` command beside the window ---------------------------------------------------------
# SQLite's shared-lock bytes in the database file (os_unix.c: PENDING_BYTE 0x40000000, then
# RESERVED, then 510 SHARED bytes): a process that can lock them all exclusively believes no other
# process has the store open.
SHARED_FIRST, SHARED_SIZE = 0x40000002, 510
PROBE = textwrap.dedent(
    """
    import fcntl, os, sys
    fd = os.open(sys.argv[1], os.O_RDWR)
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, int(sys.argv[3]), int(sys.argv[2]))
    except OSError:
        print("in use")
    else:
        print("free")
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX advisory locks")
def test_opening_the_store_again_keeps_the_locks_this_process_already_holds(counter):
    """A window holds several connections (its worker, the sync, the backups). Opening one more
    must not drop the locks of the others: closing any handle on the file drops all of this
    process's POSIX locks, and an `odsc` run that then finds the store unlocked checkpoints and
    deletes the WAL the window still uses."""
    from odsc_desk.storage.store import open_store, store_path

    path = store_path(counter.data_dir)
    another = open_store(counter.data_dir, clock=counter.clock)
    try:
        counter.store.scalar("SELECT COUNT(*) FROM requests")
        probe = subprocess.run(
            [sys.executable, "-c", PROBE, str(path), str(SHARED_FIRST), str(SHARED_SIZE)],
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert probe.stdout.strip() == "in use", probe.stderr
    finally:
        another.close()
