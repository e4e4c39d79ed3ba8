"""A catalog version's effective date at the counter: a version dated later is held, new requests
take the version in effect on their business date, and requests already taken keep their version
and fee across the change. Stores of released versions upgrade (m007) with their versions in
effect, and `odsc check` still passes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from odsc_desk.domain import catalog, service_requests
from odsc_desk.maintenance import integrity
from odsc_desk.shared.catalog_file import demo_catalog_path, parse_catalog
from odsc_desk.shared.errors import ValidationError
from odsc_desk.storage.store import STORE_FILE, open_store
from tests.conftest import FAST_HASHER, Counter, FakeClock

DATA = Path(__file__).parents[1] / "data"


def _dated(tmp_path: Path, version: int, birth_fee: int, effective: str | None) -> str:
    data = json.loads(demo_catalog_path().read_text(encoding="utf-8"))
    data["version"] = version
    data["label"] = f"fees {version}"
    for service in data["services"]:
        if service["code"] == "MOHA-BIRTH":
            service["fee"] = birth_fee
    if effective is not None:
        data["effective_from"] = effective
    path = tmp_path / f"catalog{version}.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def _birth(c: Counter, name: str) -> dict:
    return dict(
        service_requests.record_request(
            c.store, c.clerk, service_code="MOHA-BIRTH", citizen_name=name
        )
    )


def test_a_future_version_waits_for_its_day_and_old_requests_keep_their_fee(counter, tmp_path):
    counter.clock.set_local(2026, 12, 30)
    catalog.import_catalog(counter.store, counter.admin, _dated(tmp_path, 2, 25_000, "2027-01-01"))
    before = _birth(counter, "Noy")
    assert (before["catalog_version"], before["fee"]) == (1, 10_000)
    assert catalog.current_version(counter.store) == 1
    assert {s["version"] for s in catalog.list_services(counter.store)} == {1}

    counter.clock.set_local(2026, 12, 31, 23)  # still the day before, late in the evening
    assert _birth(counter, "Ket")["fee"] == 10_000

    counter.clock.set_local(2027, 1, 1, 7)
    on_the_day = _birth(counter, "Bee")
    assert (on_the_day["catalog_version"], on_the_day["fee"]) == (2, 25_000)
    assert catalog.get_service(counter.store, "MOHA-BIRTH")["fee"] == 25_000
    # The request taken before the change keeps the fee and version it was taken under.
    kept = service_requests.get_request(counter.store, before["tracking"])
    assert (kept["catalog_version"], kept["fee"]) == (1, 10_000)
    assert integrity.check_store(counter.store)["ok"]


def test_a_version_without_a_date_takes_effect_at_once(counter, tmp_path):
    catalog.import_catalog(counter.store, counter.admin, _dated(tmp_path, 2, 12_000, None))
    assert _birth(counter, "Noy")["fee"] == 12_000


def test_a_past_date_is_in_effect_and_a_newer_dated_one_holds_back_only_itself(counter, tmp_path):
    counter.clock.set_local(2026, 12, 1)
    catalog.import_catalog(counter.store, counter.admin, _dated(tmp_path, 2, 12_000, "2026-11-01"))
    catalog.import_catalog(counter.store, counter.admin, _dated(tmp_path, 3, 30_000, "2027-03-01"))
    assert catalog.current_version(counter.store) == 2
    assert catalog.newest_version(counter.store) == 3
    assert _birth(counter, "Noy")["fee"] == 12_000


@pytest.mark.parametrize("value", ["2027-1-1", "01/01/2027", "2027-02-30", 20270101, ""])
def test_an_effective_date_not_written_yyyy_mm_dd_is_refused(value):
    data = json.loads(demo_catalog_path().read_text(encoding="utf-8"))
    data["effective_from"] = value
    with pytest.raises(ValidationError) as caught:
        parse_catalog(data)
    assert "effective_from" in caught.value.message_en


def test_a_store_of_a_released_version_upgrades_with_its_catalog_in_effect(tmp_path):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    shutil.copyfile(DATA / "store_m002.sqlite3", data_dir / STORE_FILE)
    clock = FakeClock()
    clock.set_local(2026, 11, 30)
    store = open_store(data_dir, clock=clock, hasher=FAST_HASHER)
    try:
        columns = [r[1] for r in store.conn.execute("PRAGMA table_info(catalog_versions)")]
        assert "effective_from" in columns
        held = store.conn.execute("SELECT version, effective_from FROM catalog_versions")
        assert [tuple(r) for r in held] == [(1, None)]
        assert catalog.current_version(store) == 1
        assert integrity.check_store(store)["ok"], integrity.check_store(store)["problems"]
    finally:
        store.close()
