"""The catalog editor's ministries and documents (sync/server/web/catalog_pages.py): in Chromium,
an editor adds a ministry, a document and a service of both, sees them in the difference and
submits; another person approves and publishes, and the new version's open data and page hold
all three. A form that leaves a service without its ministry or document, gives a code twice or
a name empty is refused in the counter's reader's own words, on Save and on Submit alike, and
the draft stays exactly as it was."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests
from sqlalchemy import select

from odsc_desk.shared.clock import local_date
from odsc_desk.shared.errors import ValidationError
from sync.server import governance
from sync.server.db import catalog_drafts
from sync.server.web.catalog_pages import CODE_TABLES
from tests.sync.conftest import count_rows
from tests.sync.test_figures_scene import NOW
from tests.web.conftest import Centre
from tests.web.test_accessibility import AXE, AXE_PATH, BLOCKING, _described, violations
from tests.web.test_catalog_pages import DRAFT, _editor_form, _log_in, _new_draft, _post, _shots

MOJ = {"code": "MOJ", "name_lo": "ກະຊວງຍຸຕິທຳ", "name_en": "Ministry of Justice"}
COURT = {"code": "COURT-ORDER", "name_lo": "ຄຳສັ່ງຂອງສານ", "name_en": "Court order"}
NOTARY = "MOJ-NOTARY"
TODAY = local_date(NOW).isoformat()  # the centre's today: the version is in effect at once


@pytest.fixture
def page(centre: Centre, chromium: Any) -> Iterator[Any]:
    """A tab in Lao that answers axe's script as the server would (test_accessibility)."""
    context = chromium.new_context(viewport={"width": 1366, "height": 900}, locale="lo-LA")
    source = AXE.read_text(encoding="utf-8")
    context.route(
        centre.url + AXE_PATH,
        lambda route: route.fulfill(body=source, content_type="text/javascript"),
    )
    yield context.new_page()
    context.close()


def _content(centre: Centre, draft_id: int) -> dict[str, Any]:
    with centre.engine.connect() as conn:
        content: dict[str, Any] = governance.draft(conn, draft_id)["catalog"]
    return content


def _draft_row(centre: Centre, draft_id: int) -> dict[str, Any]:
    """The draft's row as stored: a refused form leaves every column of it as it was."""
    with centre.engine.connect() as conn:
        row = conn.execute(select(catalog_drafts).where(catalog_drafts.c.id == draft_id)).one()
    return dict(row._mapping)


def _form(centre: Centre, draft_id: int) -> dict[str, str]:
    """The editor's whole form as the page fills it: services, ministries and documents."""
    content = _content(centre, draft_id)
    birth = next(s for s in content["services"] if s["code"] == "MOHA-BIRTH")
    form = _editor_form(centre, draft_id, str(birth["fee"]))
    for key, prefix in CODE_TABLES.items():
        form[f"{prefix}_rows"] = str(len(content[key]))
        for n, item in enumerate(content[key]):
            form |= {f"{prefix}_{name}_{n}": item[name] for name in ("code", "name_lo", "name_en")}
    return form


def _row(form: dict[str, str], field: str, code: str) -> str:
    """The number of the editor's row whose `field` ("code", "min_code", "doc_code") holds
    `code`."""
    return next(
        key.removeprefix(f"{field}_") for key, value in form.items()
        if key.startswith(f"{field}_") and value == code
    )  # fmt: skip


def _axe(centre: Centre, page: Any) -> None:
    """No violation of any impact on the page shown, in Lao and in English."""
    for _ in range(2):
        blocking = [v for v in violations(page, centre.url) if v["impact"] in BLOCKING]
        assert blocking == [], _described(blocking)
        page.click("#other-lang")


def test_an_editor_adds_a_ministry_a_document_and_a_service_of_both(
    centre: Centre, page: Any
) -> None:
    _log_in(centre, page, centre.person("nation", "catalog_editor"))
    page.goto(centre.url + "/catalog")
    page.click("#new-draft")
    draft_id = int(DRAFT.search(page.url)[1])  # type: ignore[index]
    for prefix, item in (("min", MOJ), ("doc", COURT)):
        page.fill(f"#{prefix}-new-code", item["code"])
        page.fill(f"#{prefix}-new-name-lo", item["name_lo"])
        page.fill(f"#{prefix}-new-name-en", item["name_en"])
    page.fill("#new-code", NOTARY)
    page.fill("#new-ministry", "MOJ")
    page.fill("#new-name-lo", "ການຢັ້ງຢືນເອກະສານ")
    page.fill("#new-name-en", "Notarisation")
    page.fill("#new-fee", "40,000")
    page.fill("#new-days", "2")
    page.fill("#new-documents", "APPLICATION COURT-ORDER")
    page.fill('[data-min="MOHA"] [name^="min_name_en_"]', "Ministry of Home Affairs (MOHA)")
    page.click("#save-draft")
    assert page.locator("#draft-error").count() == 0
    for shown in (
        '[data-ministry-added="MOJ"]',
        '[data-document-added="COURT-ORDER"]',
        f'[data-added="{NOTARY}"]',
        '[data-ministry-changed="MOHA/name_en"]',
    ):
        assert page.locator(shown).count() == 1, shown
    assert "ກະຊວງຍຸຕິທຳ" in page.inner_text('[data-ministry-added="MOJ"]')
    # Saved, the new codes are fixed like the others: a row header, no field to retype.
    assert page.inner_text('[data-min="MOJ"] th') == "MOJ"
    assert page.locator('[name^="min_code_"]:not([type="hidden"])').count() == 1  # the new row
    _axe(centre, page)
    _shots(centre, page, "codes-1-editor")

    page.click("#submit-draft")
    assert page.get_attribute("#draft-state", "data-state") == "submitted"
    _log_in(centre, page, centre.person("nation", "catalog_approver"))
    page.goto(f"{centre.url}/catalog/drafts/{draft_id}")
    assert page.locator('#ministries-list [data-code="MOJ"]').count() == 1
    assert page.locator('#documents-list [data-code="COURT-ORDER"]').count() == 1
    assert page.locator('[data-document-added="COURT-ORDER"]').count() == 1
    _axe(centre, page)
    page.click("#approve")
    page.fill("#effective", TODAY)
    page.click("#publish")
    assert page.get_attribute("#draft-state", "data-state") == "published"

    with centre.engine.connect() as conn:
        version = governance.draft(conn, draft_id)["published_version"]
    for url in (f"/open/catalog/{version}.json", "/open/catalog.json"):
        opened = requests.get(centre.url + url, timeout=10).json()
        assert opened["version"] == version
        assert MOJ in opened["ministries"]
        notary = next(s for s in opened["services"] if s["code"] == NOTARY)
        assert (notary["ministry"], notary["fee"], notary["days"]) == ("MOJ", 40_000, 2)
        assert [d["code"] for d in notary["documents"]] == ["APPLICATION", "COURT-ORDER"]
        assert COURT in notary["documents"]
    page.goto(f"{centre.url}/catalog/versions/{version}")
    assert page.locator('#ministries-list [data-code="MOJ"]').count() == 1
    assert "Court order" in page.inner_text('#documents-list [data-code="COURT-ORDER"]')
    _axe(centre, page)
    _shots(centre, page, "codes-2-version")


def test_a_ministry_removed_with_its_services_is_in_the_difference(centre: Centre) -> None:
    editor = centre.login(centre.person("nation", "catalog_editor"), lang="en")
    draft_id = _new_draft(centre, editor)
    form = _form(centre, draft_id)
    form[f"remove_{_row(form, 'code', 'MONRE-LAND')}"] = "yes"
    form[f"min_remove_{_row(form, 'min_code', 'MONRE')}"] = "yes"
    form[f"doc_name_en_{_row(form, 'doc_code', 'PHOTO')}"] = "Photo 4x6 cm"
    saved = _post(centre, editor, f"/catalog/drafts/{draft_id}/save", **form)
    assert saved.status_code == 303, saved.text
    content = _content(centre, draft_id)
    assert "MONRE" not in [m["code"] for m in content["ministries"]]
    shown = editor.get(centre.url + f"/catalog/drafts/{draft_id}", timeout=10).text
    assert 'data-ministry-removed="MONRE"' in shown and 'data-removed="MONRE-LAND"' in shown
    assert "Ministry removed: MONRE · Ministry of Natural Resources and Environment" in shown
    assert "Document changed: PHOTO · English name: Photo 3x4 cm → Photo 4x6 cm" in shown


# A mistake made in the table `prefix` ("min", "doc") of the form; it returns the values of
# the reader's message, found in the draft (the first test publishes one ministry more).
Mend = Callable[[dict[str, str], dict[str, Any]], dict[str, str]]
TABLE = {"min": "ministries", "doc": "documents"}


def _remove(prefix: str, code: str) -> Mend:
    """A ministry or document removed that a service still names."""

    def mend(form: dict[str, str], content: dict[str, Any]) -> dict[str, str]:
        form[f"{prefix}_remove_{_row(form, f'{prefix}_code', code)}"] = "yes"
        first = next(
            n for n, s in enumerate(content["services"])
            if code == s["ministry"] or code in s["documents"]
        )  # fmt: skip
        return {"where": f"services[{first}]", "code": code}

    return mend


def _new(prefix: str, code: str, name_lo: str, name_en: str) -> Mend:
    """A row typed in the table's last, empty row."""

    def mend(form: dict[str, str], content: dict[str, Any]) -> dict[str, str]:
        form |= {
            f"{prefix}_code_new": code, f"{prefix}_name_lo_new": name_lo,
            f"{prefix}_name_en_new": name_en,
        }  # fmt: skip
        added = len(content[TABLE[prefix]])
        return {"code": code, "where": f"{TABLE[prefix]}[{added}].name_lo"}

    return mend


def _blank(prefix: str, code: str, name: str) -> Mend:
    """A name of a saved row emptied (spaces only)."""

    def mend(form: dict[str, str], content: dict[str, Any]) -> dict[str, str]:
        n = _row(form, f"{prefix}_code", code)
        form[f"{prefix}_{name}_{n}"] = "  "
        return {"where": f"{TABLE[prefix]}[{n}].{name}"}

    return mend


BAD: dict[str, tuple[Mend, str]] = {
    "a removed ministry a service names": (_remove("min", "MOHA"), "catalog.reference"),
    "a removed document a service asks for": (_remove("doc", "FAMBOOK-COPY"), "catalog.reference"),
    "a ministry code twice": (
        _new("min", "MOHA", "ກະຊວງພາຍໃນ", "Home Affairs"),
        "catalog.duplicate",
    ),
    "a new ministry without a Lao name": (_new("min", "MOJ2", "", "Justice"), "catalog.field"),
    "a document's English name emptied": (_blank("doc", "PHOTO", "name_en"), "catalog.field"),
}


# Save and Submit read the form alike (Submit saves it first); each in one language.
@pytest.mark.parametrize(("verb", "lang"), [("save", "en"), ("submit", "lo")])
@pytest.mark.parametrize("case", list(BAD))
def test_a_bad_ministry_or_document_is_refused_and_the_draft_kept(
    centre: Centre, case: str, verb: str, lang: str
) -> None:
    mend, code = BAD[case]
    editor = centre.login(centre.person("nation", "catalog_editor"), lang=lang)
    draft_id = _new_draft(centre, editor)
    form = _form(centre, draft_id)
    values = mend(form, _content(centre, draft_id))
    before, rows = _draft_row(centre, draft_id), count_rows(centre.engine)
    refused = _post(centre, editor, f"/catalog/drafts/{draft_id}/{verb}", **form)
    assert refused.status_code == 422
    said = ValidationError(code, "catalog", **values)
    assert (said.message_lo if lang == "lo" else said.message_en) in refused.text
    assert _draft_row(centre, draft_id) == before and count_rows(centre.engine) == rows
    if "min_code_new" in form:  # the typed row is shown again, its code still to mend
        typed, n = form["min_code_new"], form["min_rows"]
        assert f'<input name="min_code_{n}" value="{typed}"' in refused.text
