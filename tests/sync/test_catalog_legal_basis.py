"""A service's legal basis (legal_basis_lo / legal_basis_en): optional text inside the catalog
object that counters do not use. A counter's reader ignores it (every released reader reads only
the keys it knows: checked by hand against the first one, odsc_desk/catalog.py of 33341cd), so
a counter takes a catalog with it as one without; the centre checks it when a catalog is
published, and the catalog editor keeps it."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from odsc_desk.domain import catalog as counter_catalog
from odsc_desk.shared.catalog_file import (
    LEGAL_BASIS_MAX,
    check_legal_basis,
    demo_catalog_path,
    parse_catalog,
)
from odsc_desk.shared.errors import ValidationError
from sync import client
from sync.server import governance, reference
from sync.server.db import open_db, writing
from sync.server.web.catalog_pages import edited
from tests.sync.conftest import count_rows
from tests.sync.test_client_e2e import RecordingSession, enrolled

DEMO = json.loads(demo_catalog_path().read_text(encoding="utf-8"))
LEGAL_LO = "ດຳລັດ ເລກທີ 002/ນຍ"
LEGAL_EN = "Decree No. 002/PM"
NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)


def with_basis(version: int = 1, **basis: Any) -> dict[str, Any]:
    data = copy.deepcopy(DEMO)
    data["version"] = version
    data["services"][0].update(basis or {"legal_basis_lo": LEGAL_LO, "legal_basis_en": LEGAL_EN})
    return data


def test_the_counters_reader_keeps_the_same_rows_and_fingerprint() -> None:
    plain, based = parse_catalog(copy.deepcopy(DEMO)), parse_catalog(with_basis())
    assert based.services == plain.services
    assert based.sha256 == plain.sha256


def test_a_counter_takes_a_catalog_with_a_legal_basis_from_the_centre(
    live_server: Any, sync_counter: Any, tmp_path: Path
) -> None:
    store = enrolled(live_server, sync_counter).store
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(with_basis(2), ensure_ascii=False), encoding="utf-8")
    assert live_server.publish_catalog(path) == 2
    result = client.sync_once(store, RecordingSession())
    assert result.ok and result.catalog_version == 2
    assert counter_catalog.current_version(store) == 2


@pytest.mark.parametrize(
    "basis",
    [
        {"legal_basis_en": 5},
        {"legal_basis_lo": ""},
        {"legal_basis_lo": "ດຳລັດ\x00"},
        {"legal_basis_en": "x" * (LEGAL_BASIS_MAX + 1)},
    ],
)
def test_a_bad_legal_basis_is_refused_when_published(tmp_path: Path, basis: dict[str, Any]) -> None:
    data = with_basis(**basis)
    key = next(iter(basis))
    with pytest.raises(ValidationError) as refused:
        check_legal_basis(data)
    assert f"services[0].{key}" in refused.value.message_en
    assert refused.value.message_lo != refused.value.message_en
    engine = open_db(f"sqlite:///{tmp_path / 'centre.db'}")
    before = count_rows(engine)
    with pytest.raises(ValidationError), writing(engine) as conn:
        reference.publish_data(conn, data, NOW)
    with pytest.raises(ValidationError), writing(engine) as conn:
        governance.check(conn, data)
    assert count_rows(engine) == before
    engine.dispose()


def test_the_editor_keeps_a_typed_legal_basis_and_leaves_an_empty_one_out() -> None:
    content = copy.deepcopy(DEMO)
    form = {"rows": "2", "label": "v2"}
    for n, service in enumerate(content["services"][:2]):
        for name in ("code", "ministry", "name_lo", "name_en", "fee", "days"):
            form[f"{name}_{n}"] = str(service[name])
        form[f"documents_{n}"] = " ".join(service["documents"])
    form |= {"legal_basis_lo_0": f"  {LEGAL_LO} ", "legal_basis_en_0": LEGAL_EN}
    form |= {"legal_basis_lo_1": "", "legal_basis_en_1": "  "}
    first, second = edited(content, form)["services"]
    assert (first["legal_basis_lo"], first["legal_basis_en"]) == (LEGAL_LO, LEGAL_EN)
    assert "legal_basis_lo" not in second and "legal_basis_en" not in second
    changed = governance.difference(DEMO, {**content, "services": [first, second]}).changed
    assert {(c.code, c.field) for c in changed} == {
        (first["code"], "legal_basis_lo"),
        (first["code"], "legal_basis_en"),
    }
