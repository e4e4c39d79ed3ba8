"""A process that opens (so migrates) a store and SIGKILLs itself at a chosen SQL statement.

Run by tests/core/test_upgrade.py as a subprocess, never imported by pytest. Every SQLite
connection the process makes (the store's own and the one that writes the pre-migrate backup)
reports each statement it starts; at statement KILL_AT the process kills itself, so a crash
lands exactly where the test wants it inside the migration.

    python upgrade_worker.py DATA_DIR KILL_AT

KILL_AT 0 never kills: the store is opened, "STATEMENTS <n>" printed (how many statements
opening took) and the exit status is 0. Otherwise "SURVIVED" and exit 1 if the open finished
before statement KILL_AT.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import sys

from argon2 import PasswordHasher

from odsc_desk.storage.store import open_store

COUNT = 0


def main(data_dir: str, kill_at: int) -> int:
    real_connect = sqlite3.connect

    def seen(statement: str) -> None:
        global COUNT
        COUNT += 1
        if os.environ.get("UPGRADE_WORKER_TRACE"):
            print(COUNT, statement.split("\n")[0][:100], file=sys.stderr)
        if kill_at == COUNT:
            sys.stdout.flush()
            os.kill(os.getpid(), signal.SIGKILL)

    def connect(*args, **kwargs) -> sqlite3.Connection:
        conn = real_connect(*args, **kwargs)
        conn.set_trace_callback(seen)
        return conn

    sqlite3.connect = connect  # type: ignore[assignment]
    store = open_store(data_dir, hasher=PasswordHasher(time_cost=1, memory_cost=1024))
    # One statement after the commit, so the last kill point lands on a migrated store.
    store.scalar("SELECT COUNT(*) FROM requests")
    store.close()
    if kill_at:
        print("SURVIVED", flush=True)
        return 1
    print(f"STATEMENTS {COUNT}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], int(sys.argv[2])))
