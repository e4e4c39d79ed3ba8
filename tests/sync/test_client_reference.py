"""Pulling the catalog from a scripted centre: a snapshot is taken whole and verified, or not at
all. (The real centre's snapshots, its 304s and a tampered database row are in
test_client_e2e.py.)"""

from __future__ import annotations

import copy
import hashlib
import json
from typing import Any

import pytest

from odsc_desk.domain import catalog, service_requests
from odsc_desk.maintenance import integrity
from odsc_desk.shared.canonical import canonical
from odsc_desk.shared.catalog_file import demo_catalog_path
from sync import client
from tests.sync.conftest import visit
from tests.sync.test_client_push import Reply, configure, running_centre

DEMO = json.loads(demo_catalog_path().read_text(encoding="utf-8"))


def new_catalog(version: int = 2, birth_fee: int = 25_000) -> dict[str, Any]:
    data = copy.deepcopy(DEMO)
    data["version"] = version
    data["label"] = f"Catalog v{version}"
    for service in data["services"]:
        if service["code"] == "MOHA-BIRTH":
            service["fee"] = birth_fee
    return data


def snapshot_reply(
    data: dict[str, Any],
    *,
    sha: str | None = None,
    etag: str | None = None,
    version: int | None = None,
) -> Reply:
    real = hashlib.sha256(canonical(data)).hexdigest()
    body = {
        "version": data["version"] if version is None else version,
        "label": data["label"],
        "sha256": sha or real,
        "catalog": data,
    }
    return Reply.json(200, body, ETag=f'"{etag or real}"')


@pytest.fixture
def centre():
    with running_centre() as server:
        yield server


def versions(store) -> list[int]:
    return [v for (v,) in store.conn.execute("SELECT version FROM catalog_versions ORDER BY 1")]


def test_nothing_published_is_not_an_error(sync_counter, centre):
    configure(sync_counter.store, centre.url)
    result = client.sync_once(sync_counter.store)
    assert result.ok and result.catalog_version is None
    assert versions(sync_counter.store) == [1]


def test_a_new_catalog_applies_to_new_requests_only_and_is_not_fetched_twice(sync_counter, centre):
    store, clerk = sync_counter.store, sync_counter.clerk
    configure(store, centre.url)
    old = service_requests.record_request(
        store, clerk, service_code="MOHA-BIRTH", citizen_name="Old"
    )
    data = new_catalog()
    centre.script.reference = snapshot_reply(data)
    result = client.sync_once(store)
    assert result.ok and result.catalog_version == 2
    assert versions(store) == [1, 2]
    sha = hashlib.sha256(canonical(data)).hexdigest()
    assert store.scalar("SELECT reference_etag FROM sync_state") == sha
    assert store.one("SELECT imported_by, label FROM catalog_versions WHERE version = 2") == {
        "imported_by": "centre",
        "label": "Catalog v2",
    }
    new = service_requests.record_request(
        store, clerk, service_code="MOHA-BIRTH", citizen_name="New"
    )
    assert (new["fee"], new["catalog_version"]) == (25_000, 2)
    kept = service_requests.get_request(store, old["tracking"])
    assert (kept["fee"], kept["catalog_version"]) == (old["fee"], 1) and old["fee"] != 25_000
    assert integrity.check_store(store)["ok"]

    # The next run says which snapshot it has; the centre answers 304.
    centre.script.reference = Reply(304, headers={"ETag": f'"{sha}"'})
    again = client.sync_once(store)
    assert again.ok and again.catalog_version is None
    # (the last two are the national calendar's and the office feed's, which this scripted
    # centre does not know)
    assert centre.script.headers[-3]["If-None-Match"] == f'"{sha}"'
    assert versions(store) == [1, 2]


def test_the_catalog_the_counter_already_has_is_only_remembered(sync_counter, centre):
    store = sync_counter.store
    configure(store, centre.url)
    centre.script.reference = snapshot_reply(DEMO)
    result = client.sync_once(store)
    assert result.ok and result.catalog_version is None
    assert versions(store) == [1]
    assert (
        store.scalar("SELECT reference_etag FROM sync_state")
        == hashlib.sha256(canonical(DEMO)).hexdigest()
    )


@pytest.mark.parametrize("damage", ["body sha256", "etag", "catalog", "no catalog", "not json"])
def test_a_damaged_snapshot_is_refused_and_the_old_catalog_kept(sync_counter, centre, damage):
    store = sync_counter.store
    configure(store, centre.url)
    visit(sync_counter)
    data = new_catalog()
    if damage == "body sha256":
        reply = snapshot_reply(data, sha="0" * 64)
    elif damage == "etag":
        reply = snapshot_reply(data, etag="f" * 64)
    elif damage == "catalog":
        reply = snapshot_reply(data)
        # One fee changed on the way; the sha256 and ETag still name the original.
        reply.body = reply.body.replace(b'"fee": 25000,', b'"fee": 2500,', 1)
        assert b'"fee": 2500,' in reply.body
    elif damage == "no catalog":
        reply = Reply.json(200, {"version": 2, "sha256": "0" * 64}, ETag='"' + "0" * 64 + '"')
    else:
        reply = Reply(200, b'{"version": 2, "catalog": {"servi', {"Content-Type": "text/html"})
    centre.script.reference = reply
    before = store.all("SELECT * FROM services ORDER BY version, code")
    result = client.sync_once(store)
    assert not result.ok and result.catalog_version is None
    expected = "sync.bad_reply" if damage == "not json" else "sync.reference_mismatch"
    assert result.error == expected and result.retry
    # The push before the pull went through; the catalog did not change at all.
    assert result.pushed == 3 and result.pending == 0
    assert versions(store) == [1]
    assert store.all("SELECT * FROM services ORDER BY version, code") == before
    assert store.scalar("SELECT reference_etag FROM sync_state") is None
    status = client.status(store)
    assert status["last_error"]["code"] == expected and status["last_success"] is None
    assert "{" not in status["last_error"]["message_en"]
    new = service_requests.record_request(
        store, sync_counter.clerk, service_code="MOHA-BIRTH", citizen_name="N"
    )
    assert new["catalog_version"] == 1

    # Once the centre sends it whole, it is taken.
    centre.script.reference = snapshot_reply(data)
    assert client.sync_once(store).catalog_version == 2


@pytest.mark.parametrize(
    ("data", "version", "detail"),
    [
        (new_catalog(version=1), None, "already"),  # v1 here with other content
        (new_catalog(version=2, birth_fee=-5), None, "fee"),  # a catalog the counter refuses
        (new_catalog(version=3), 2, "version 2"),  # the reply and its catalog disagree
    ],
)
def test_a_catalog_this_counter_cannot_use_is_refused(sync_counter, centre, data, version, detail):
    store = sync_counter.store
    configure(store, centre.url)
    centre.script.reference = snapshot_reply(data, version=version)
    result = client.sync_once(store)
    assert not result.ok and result.error == "sync.reference_invalid" and not result.retry
    assert detail in result.message_en
    assert versions(store) == [1]
    assert catalog.current_version(store) == 1
