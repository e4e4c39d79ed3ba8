"""A counter of the office restored from an older backup (docs/OFFICE_SHARING.md, D6), between
real counters and a real centre on loopback (SQLite and PostgreSQL).

A restored counter writes its new facts under audit seqs its lost copy had used and pushed: the
centre keeps both, each under its own id, and so does every other counter of the office (the
later facts as the device's next life, odsc_desk/storage/office_facts.py), refusing nothing.

What is not built yet: the restored counter does not get back its own facts that only the centre
holds, so its own requests those facts moved show their older status there. That test is marked
as failing (strict: it turns red the day it passes, to be unmarked).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from odsc_desk.api import browse, office_facts, service_requests
from odsc_desk.maintenance import backups
from odsc_desk.storage.store import open_store
from sync import client
from sync.server.db import requests as centre_requests
from tests.conftest import FAST_HASHER
from tests.sync.conftest import LiveServer, centre_facts, counter_facts, visit


def _sync(counter: Any) -> client.SyncResult:
    result = client.sync_once(counter.store)
    assert result.ok and result.parked == 0 and result.office_refused == 0, result
    return result


def _restored(counter: Any, tmp_path: Path, backup: Path) -> dict[str, str]:
    """Counter `counter` set up again from `backup` on a new PC, synced once (as the README's
    restore goes); returns its facts the restore lost."""
    before = counter_facts(counter.store)
    counter.store.close()
    folder = tmp_path / "new-pc"
    backups.restore(folder, backup, None, clock=counter.clock)
    counter.store = open_store(folder, clock=counter.clock, hasher=FAST_HASHER)
    counter.data_dir = folder
    _sync(counter)
    after = counter_facts(counter.store)
    return {k: v for k, v in before.items() if k not in after}


def test_a_restored_counters_new_facts_under_reused_seqs_reach_every_counter(
    live_server: LiveServer, office_counters: tuple[Any, Any, Any], tmp_path: Path
) -> None:
    one, two, _ = office_counters
    visit(one)
    _sync(one)
    backups.backup(one.store, tmp_path / "monday.sqlite3")
    lost_visit = visit(one)["tracking"]
    _sync(one)
    lost = _restored(one, tmp_path, tmp_path / "monday.sqlite3")
    assert lost
    new_visit = visit(one)["tracking"]  # under the seqs the lost visit had
    _sync(one)
    device = one.store.office["device_id"]
    assert centre_facts(live_server.engine, device) == {**counter_facts(one.store), **lost}

    _sync(two)
    held = {f.op_id for f in office_facts.facts(two.store) if f.device_id == device}
    assert held == set(centre_facts(live_server.engine, device))
    assert {f.life for f in office_facts.facts(two.store)} == {0, 1}
    for tracking in (lost_visit, new_visit):
        assert browse.request_detail(two.store, tracking)["balance"] == 0
    _sync(two)  # read again: nothing twice
    assert {f.op_id for f in office_facts.facts(two.store) if f.device_id == device} == held


@pytest.mark.xfail(
    strict=True,
    reason="not built: a restored counter does not get back its own facts only the centre"
    " holds (docs/OFFICE_SHARING.md, open questions)",
)
def test_a_restored_counter_gets_back_its_own_lost_facts(
    live_server: LiveServer, office_counters: tuple[Any, Any, Any], tmp_path: Path
) -> None:
    one, _, _ = office_counters
    tracking = visit(one)["tracking"]
    _sync(one)
    backups.backup(one.store, tmp_path / "monday.sqlite3")
    service_requests.change_status(one.store, one.clerk, tracking, "in_process", None)
    _sync(one)
    _restored(one, tmp_path, tmp_path / "monday.sqlite3")
    with live_server.engine.connect() as conn:
        status = conn.execute(
            select(centre_requests.c.status).where(centre_requests.c.tracking == tracking)
        ).scalar_one()
    assert status == "in_process"
    assert browse.request_detail(one.store, tracking)["status"] == status
