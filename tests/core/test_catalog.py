import json

import pytest

from odsc_desk.domain import catalog, service_requests
from odsc_desk.shared.catalog_file import demo_catalog_path
from odsc_desk.shared.errors import AuthError, ValidationError


def _demo() -> dict:
    return json.loads(demo_catalog_path().read_text(encoding="utf-8"))


def _write(tmp_path, data) -> str:
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_demo_catalog_has_the_nine_services(counter):
    services = catalog.list_services(counter.store)
    assert len(services) == 9
    birth = catalog.get_service(counter.store, "moha-birth")
    assert (birth["fee"], birth["days"], birth["name_lo"]) == (10_000, 1, "ໃບແຈ້ງເກີດ")
    assert [d["code"] for d in birth["documents"]] == ["BIRTH-NOTICE", "FAMBOOK-COPY"]


def test_new_version_applies_to_new_requests_only(counter, tmp_path):
    old = service_requests.record_request(
        counter.store, counter.clerk, service_code="MOHA-BIRTH", citizen_name="Noy"
    )
    data = _demo()
    data["version"] = 2
    data["label"] = "2027 fees"
    data["services"][5]["fee"] = 15_000  # MOHA-BIRTH
    catalog.import_catalog(counter.store, counter.admin, _write(tmp_path, data))
    new = service_requests.record_request(
        counter.store, counter.clerk, service_code="MOHA-BIRTH", citizen_name="Ket"
    )
    assert (old["fee"], old["catalog_version"]) == (10_000, 1)
    assert (new["fee"], new["catalog_version"]) == (15_000, 2)
    # The old request still shows the service as it was when taken.
    assert service_requests.get_request(counter.store, old["tracking"])["fee"] == 10_000


def test_reimporting_the_same_version_is_harmless(counter):
    result = catalog.import_catalog(counter.store, counter.admin, demo_catalog_path())
    assert result["added"] is False


def test_clerks_cannot_import(counter):
    with pytest.raises(AuthError):
        catalog.import_catalog(counter.store, counter.clerk, demo_catalog_path())


def _break(data, path, value):
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return data


@pytest.mark.parametrize(
    ("path", "value", "code"),
    [
        (("version",), 1, "catalog.version_clash"),  # same number, other content (below)
        (("services", 0, "fee"), -5, "catalog.number"),
        (("services", 0, "fee"), 12.5, "catalog.number"),
        (("services", 0, "fee"), "150000", "catalog.number"),
        (("services", 0, "days"), True, "catalog.number"),
        (("services", 0, "name_lo"), "", "catalog.field"),
        (("services", 0, "ministry"), "NOPE", "catalog.reference"),
        (("services", 0, "documents"), ["NOPE"], "catalog.reference"),
        (("services", 1, "code"), "MOIC-ENT-REG", "catalog.duplicate"),
        (("services",), [], "catalog.field"),
    ],
)
def test_bad_catalogs_are_refused_whole(counter, tmp_path, path, value, code):
    data = _break(_demo(), path, value)
    if code == "catalog.version_clash":
        data["label"] = "changed"
    else:
        data["version"] = 2
    before = counter.store.scalar("SELECT COUNT(*) FROM services")
    with pytest.raises(ValidationError) as err:
        catalog.import_catalog(counter.store, counter.admin, _write(tmp_path, data))
    assert err.value.code == code
    assert counter.store.scalar("SELECT COUNT(*) FROM services") == before
    assert catalog.current_version(counter.store) == 1


def test_older_version_is_refused(counter, tmp_path):
    data = _demo()
    data["version"] = 3
    catalog.import_catalog(counter.store, counter.admin, _write(tmp_path, data))
    data["version"] = 2
    with pytest.raises(ValidationError) as err:
        catalog.import_catalog(counter.store, counter.admin, _write(tmp_path, data))
    assert err.value.code == "catalog.version_old"


def test_unreadable_file(counter, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{ not json", encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        catalog.import_catalog(counter.store, counter.admin, path)
    assert err.value.code == "catalog.unreadable"
