"""The catalog editor's page keeps a service's legal basis (sync/server/web/catalog_pages.py):
typed in its two fields, saved, shown again and listed among the changes; a bad one refused with
the reason and the draft left as it was."""

from __future__ import annotations

import pytest

from odsc_desk.shared.catalog_file import LEGAL_BASIS_MAX
from sync.server import governance
from tests.sync.conftest import count_rows
from tests.web.conftest import Centre
from tests.web.test_catalog_pages import _editor_form, _new_draft, _post

pytestmark = pytest.mark.parametrize("centre", ["sqlite"], indirect=True)

LEGAL_LO = "ດຳລັດ ເລກທີ 002/ນຍ"
LEGAL_EN = "Decree No. 002/PM"


def _row(centre: Centre, draft_id: int, code: str) -> int:
    with centre.engine.connect() as conn:
        services = governance.draft(conn, draft_id)["catalog"]["services"]
    return next(n for n, s in enumerate(services) if s["code"] == code)


def test_the_editor_saves_and_shows_a_legal_basis(centre: Centre) -> None:
    editor = centre.login(centre.person("nation", "catalog_editor"), lang="en")
    draft_id = _new_draft(centre, editor)
    n = _row(centre, draft_id, "MOHA-BIRTH")
    form = _editor_form(centre, draft_id, "10000")
    form |= {f"legal_basis_lo_{n}": LEGAL_LO, f"legal_basis_en_{n}": LEGAL_EN}
    saved = _post(centre, editor, f"/catalog/drafts/{draft_id}/save", **form)
    assert saved.status_code == 303, saved.text
    with centre.engine.connect() as conn:
        birth = governance.draft(conn, draft_id)["catalog"]["services"][n]
    assert (birth["legal_basis_lo"], birth["legal_basis_en"]) == (LEGAL_LO, LEGAL_EN)
    shown = editor.get(centre.url + f"/catalog/drafts/{draft_id}", timeout=10).text
    assert f'name="legal_basis_lo_{n}" value="{LEGAL_LO}"' in shown
    assert f'name="legal_basis_en_{n}" value="{LEGAL_EN}"' in shown
    assert 'data-changed="MOHA-BIRTH/legal_basis_en"' in shown
    assert "legal basis (English)" in shown

    before = count_rows(centre.engine)
    form[f"legal_basis_en_{n}"] = "x" * (LEGAL_BASIS_MAX + 1)
    refused = _post(centre, editor, f"/catalog/drafts/{draft_id}/save", **form)
    assert refused.status_code == 422
    assert f"services[{n}].legal_basis_en" in refused.text
    assert count_rows(centre.engine) == before
    with centre.engine.connect() as conn:
        kept = governance.draft(conn, draft_id)["catalog"]["services"][n]
    assert kept["legal_basis_en"] == LEGAL_EN
