"""The big store is only an honest benchmark subject if its rows are what the services write.

Plays one short, eventful history twice from the same starting store, through the real services
and through the batch writer, and requires the two stores to hold identical rows in every table,
audit hashes and outbox included; then `odsc check` must find the batch-written one sound.

Here, in `make test`, rather than beside the benchmarks it serves: among them it was run by hand
only, and two changes to what the services write (the acknowledged high water, a status event's
clock) went unnoticed by it until now.
"""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

from odsc_desk.maintenance import integrity
from odsc_desk.storage.store import STORE_FILE, open_store
from tests.bench.bigstore import make_template, play_history
from tests.bench.history import HISTORY_END, Fates
from tests.bench.writers import BatchWriter, ServiceWriter
from tests.conftest import FAST_HASHER

FIRST = date(2026, 10, 1)
# Rare endings made common, so three dozen days exercise every path the big history takes.
EVENTFUL = Fates(
    voided=0.04,
    rejected=0.05,
    incomplete=0.10,
    stuck=0.03,
    late=0.2,
    never_collected=0.1,
    cash_difference=0.3,
)


def dump(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    conn = sqlite3.connect(path)
    try:
        tables = [
            name
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        return {table: _rows(conn, table) for table in tables}
    finally:
        conn.close()


def _rows(conn: sqlite3.Connection, table: str) -> list[tuple[Any, ...]]:
    width = len(conn.execute(f"SELECT * FROM {table} LIMIT 0").description)
    order = ", ".join(str(n) for n in range(1, width + 1))  # SQL sorts NULLs; Python cannot
    return conn.execute(f"SELECT * FROM {table} ORDER BY {order}").fetchall()


def test_batch_writer_writes_what_the_services_write(tmp_path: Path) -> None:
    template = tmp_path / "template"
    make_template(template, FIRST)
    tallies = {}
    for name, writer in (("services", ServiceWriter), ("batch", BatchWriter)):
        shutil.copytree(template, tmp_path / name)
        tallies[name] = play_history(
            tmp_path / name, 900, writer, first=FIRST, end=HISTORY_END, peak=120, fates=EVENTFUL
        )
    assert tallies["services"] == tallies["batch"]
    tally = tallies["batch"]
    assert tally["voids"] and tally["refunds"], tally

    reference, batch = (
        dump(tmp_path / "services" / STORE_FILE),
        dump(tmp_path / "batch" / STORE_FILE),
    )
    for table in reference:
        assert batch[table] == reference[table], f"{table} differs"

    store = open_store(tmp_path / "batch", hasher=FAST_HASHER)
    try:
        result = integrity.check_store(store)
    finally:
        store.close()
    assert result["ok"], result["problems"]
