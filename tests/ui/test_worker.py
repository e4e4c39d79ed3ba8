"""The background worker once the window has shut it down.

A result queued on the UI thread before the shutdown can still be delivered after it, and its
callback can ask for more work (the automatic backup falling due, seen in CI): that work is
dropped, not handed to an executor that refuses it with an error in the event loop.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from odsc_desk.storage.store import open_store
from tests.conftest import FAST_HASHER, Counter
from ui.worker import Worker


def test_work_asked_for_after_the_shutdown_is_dropped(qtbot: Any, counter: Counter) -> None:
    worker = Worker(
        lambda: open_store(counter.data_dir, clock=counter.clock, hasher=FAST_HASHER),
        ThreadPoolExecutor(max_workers=1),
    )
    done: list[int] = []
    worker.run(lambda store: 1, done.append)
    qtbot.waitUntil(lambda: done == [1])
    worker.shutdown()
    with qtbot.assertNotEmitted(worker.busy_changed):
        worker.run(lambda store: 2, done.append)  # no RuntimeError from the closed executor
    assert done == [1]
