"""How long one automatic backup takes on ten years of a busy counter (1,000,000 requests, each
paid): the online copy through SQLite's backup API, the flush to the disk, and integrity_check
on the copy, as `autobackup.run_backup` does it. Median of three runs.

Reported, not held to a target: the copy runs on a lane of its own, so the clerk is not kept
waiting, but support staff should know how long a copy to a slow USB drive may take. Each run
writes a copy the size of the store; the copies are deleted at the end.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from odsc_desk.maintenance import autobackup
from odsc_desk.storage.store import open_store
from tests.bench.bigstore import CACHE_ROOT, BigStore
from tests.bench.timing import Figure, median_ms, report
from tests.conftest import FAST_HASHER, FakeClock

RUNS = 3


def test_automatic_backup_of_the_big_store(big_store: BigStore, working_copy: Path) -> None:
    clock = FakeClock()
    store = open_store(working_copy, clock=clock, hasher=FAST_HASHER)
    scratch = Path(tempfile.mkdtemp(prefix="backup-", dir=CACHE_ROOT))
    seconds = []
    try:
        for _ in range(RUNS):
            clock.advance(days=1)  # one copy a day: rotation keeps them all
            report_ = autobackup.run_backup(store, scratch)
            assert report_["failures"] == [], report_["failures"]
            (copy,) = report_["copies"]
            seconds.append(copy["seconds"])
        size = copy["bytes"]
    finally:
        store.close()
        shutil.rmtree(scratch, ignore_errors=True)
    report(
        Figure(
            "automatic backup (copy + fsync + integrity_check)",
            "reported",
            median_ms(seconds),
            note=f"{size / 1e9:.2f} GB copy; runs {', '.join(f'{s:.1f}' for s in seconds)} s",
        )
    )
