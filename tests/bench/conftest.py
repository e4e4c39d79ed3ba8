"""Fixtures for the core benchmark: the cached big store, a working copy, and a counter day.

ODSC_BENCH_PAIRS sets the store's size (default 1,000,000 requests, each paid); a smaller value
is handy while working on the bench itself. ODSC_BENCH_CACHE moves the cache (default
/tmp/odsc-bench). ODSC_BENCH_CHECK=0 skips `odsc check` on a newly generated store (~4 minutes
for 1M pairs).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from odsc_desk.domain import cash, users
from odsc_desk.storage.store import STORE_FILE, open_store
from tests.bench import timing
from tests.bench.bigstore import CACHE_ROOT, BigStore, CounterDay, ensure_store
from tests.bench.history import CASH_FLOAT, MEASURE_DAY
from tests.conftest import FAST_HASHER, PASSWORD, FakeClock
from tests.ui.conftest import qm_folder  # noqa: F401 - the Lao .qm files, a fixture

PAIRS = int(os.environ.get("ODSC_BENCH_PAIRS", "1000000"))
CHECK = os.environ.get("ODSC_BENCH_CHECK", "1") != "0"  # `odsc check` after generating


@pytest.fixture(scope="session")
def big_store() -> BigStore:
    big = ensure_store(PAIRS, verify=CHECK)
    meta = big.meta
    first, last = meta["history"]
    timing.NOTES.append(
        f"store: {meta['pairs']:,} requests+payments over {first}..{last}"
        f" ({meta['tally']['days']:,} working days); generated in {meta['generation_s']:,.0f} s"
        f" (cached at {big.root})"
    )
    timing.NOTES.append(f"history: {meta['tally']}")
    check = meta.get("check")
    if check:
        timing.NOTES.append(
            f"odsc check on the generated store: ok={check['ok']} in {check['seconds']:,.0f} s"
        )
    return big


@pytest.fixture(scope="session")
def working_copy(big_store: BigStore) -> Iterator[Path]:
    """A throw-away copy: what the bench writes must not pile up in the cached store."""
    CACHE_ROOT.mkdir(parents=True, exist_ok=True)
    root = Path(tempfile.mkdtemp(prefix="run-", dir=CACHE_ROOT))
    data_dir = root / "data"
    data_dir.mkdir()
    shutil.copyfile(big_store.path, data_dir / STORE_FILE)
    yield data_dir
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def counter_day(big_store: BigStore, working_copy: Path) -> Iterator[CounterDay]:
    clock = FakeClock()
    clock.set_local(MEASURE_DAY.year, MEASURE_DAY.month, MEASURE_DAY.day, 8)
    store = open_store(working_copy, clock=clock, hasher=FAST_HASHER)
    clerk = users.authenticate(store, "noy", PASSWORD)
    cash.open_cash(store, clerk, CASH_FLOAT)
    clock.advance(hours=1)
    yield CounterDay(working_copy, store, clock, clerk, big_store)
    store.close()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not timing.RESULTS and not timing.NOTES:
        return
    terminalreporter.section("ODSC Desk core benchmark")
    for note in timing.NOTES:
        terminalreporter.write_line(note)
    terminalreporter.write_line("")
    terminalreporter.write_line(timing.table())
