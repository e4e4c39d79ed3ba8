"""The fee catalog's pages (sync/server/web/catalog_pages.py) on the scene's centre: who may see
and do what (checked on the server, 403 otherwise), the CSRF token on every POST, refusals that
say why and change nothing; and in Chromium the whole way: a draft, refused to its own drafter,
approved by another person, published with an effective date, taken by a real counter at its
next sync and charged from that day."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
import requests

from odsc_desk.domain import service_requests
from sync import client
from sync.server import governance
from sync.server.web.i18n import tr
from tests.conftest import FakeClock
from tests.sync.conftest import count_rows, make_office_counter
from tests.sync.test_figures_scene import NOW
from tests.web.conftest import _CSRF, PASSWORD, SHOTS, Centre

DRAFT = re.compile(r"/catalog/drafts/(\d+)$")


def _csrf(web: requests.Session, url: str) -> str:
    page = web.get(url, timeout=10)
    found = _CSRF.search(page.text)
    assert found is not None, page.text
    return found[1]


def _post(centre: Centre, web: requests.Session, path: str, **data: Any) -> requests.Response:
    token = _csrf(web, centre.url + "/catalog")
    return web.post(
        centre.url + path, data={"csrf": token, **data}, allow_redirects=False, timeout=30
    )


def _new_draft(centre: Centre, web: requests.Session) -> int:
    made = _post(centre, web, "/catalog/drafts")
    assert made.status_code == 303, made.text
    found = DRAFT.search(made.headers["location"])
    assert found is not None
    return int(found[1])


def _editor_form(centre: Centre, draft_id: int, fee: str) -> dict[str, str]:
    """The editor's form as the page fills it, with the birth certificate's fee typed."""
    with centre.engine.connect() as conn:
        content = governance.draft(conn, draft_id)["catalog"]
    form = {"label": content["label"], "rows": str(len(content["services"]))}
    for n, s in enumerate(content["services"]):
        form |= {
            f"code_{n}": s["code"], f"ministry_{n}": s["ministry"], f"name_lo_{n}": s["name_lo"],
            f"name_en_{n}": s["name_en"], f"fee_{n}": str(s["fee"]), f"days_{n}": str(s["days"]),
            f"documents_{n}": " ".join(s["documents"]),
        }  # fmt: skip
        if s["code"] == "MOHA-BIRTH":
            form[f"fee_{n}"] = fee
    return form


def test_only_catalog_roles_see_the_pages(centre: Centre) -> None:
    nobody = requests.get(centre.url + "/catalog", allow_redirects=False, timeout=10)
    assert (nobody.status_code, nobody.headers["location"]) == (303, "/login")
    assert "frame-ancestors 'none'" in nobody.headers["Content-Security-Policy"]
    viewer = centre.login(centre.person("nation"))
    assert viewer.get(centre.url + "/catalog", timeout=10).status_code == 403
    assert 'id="nav-catalog"' not in viewer.get(centre.url + "/", timeout=10).text
    token = _csrf(viewer, centre.url + "/")
    before = count_rows(centre.engine)
    refused = viewer.post(
        centre.url + "/catalog/drafts", data={"csrf": token}, allow_redirects=False, timeout=10
    )
    assert refused.status_code == 403
    assert count_rows(centre.engine) == before
    approver = centre.login(centre.person("nation", "catalog_approver"))
    listed = approver.get(centre.url + "/catalog", timeout=10)
    assert listed.status_code == 200 and 'id="nav-catalog"' in listed.text
    assert 'id="new-draft"' not in listed.text  # an approver does not draft
    assert _post(centre, approver, "/catalog/drafts").status_code == 403


def test_a_post_without_its_token_is_refused(centre: Centre) -> None:
    editor = centre.login(centre.person("nation", "catalog_editor"))
    before = count_rows(centre.engine)
    refused = editor.post(
        centre.url + "/catalog/drafts", data={"csrf": "forged"}, allow_redirects=False, timeout=10
    )
    assert refused.status_code == 403
    assert count_rows(centre.engine) == before


def test_refusals_say_why_and_change_nothing(centre: Centre) -> None:
    editor_name = centre.person("nation", "catalog_editor")
    editor = centre.login(editor_name, lang="en")
    draft_id = _new_draft(centre, editor)
    before = count_rows(centre.engine)
    bad = _post(centre, editor, f"/catalog/drafts/{draft_id}/save", **_editor_form(
        centre, draft_id, "ten thousand"
    ))  # fmt: skip
    assert bad.status_code == 422
    assert "fee" in bad.text and 'value="ten thousand"' in bad.text  # the form keeps it
    assert count_rows(centre.engine) == before

    submitted = _post(centre, editor, f"/catalog/drafts/{draft_id}/submit")
    assert submitted.status_code == 303
    approver = centre.login(centre.person("nation", "catalog_approver"), lang="en")
    no_reason = _post(centre, approver, f"/catalog/drafts/{draft_id}/return", reason=" ")
    assert no_reason.status_code == 422 and "A return needs a reason" in no_reason.text
    sent_back = _post(centre, approver, f"/catalog/drafts/{draft_id}/return", reason="fee?")
    assert sent_back.status_code == 303
    shown = editor.get(centre.url + f"/catalog/drafts/{draft_id}", timeout=10).text
    assert "Returned because: fee?" in shown and 'id="save-draft"' in shown
    stranger = centre.login(centre.person("nation", "catalog_editor"), lang="en")
    theirs = _post(centre, stranger, f"/catalog/drafts/{draft_id}/submit")
    assert theirs.status_code == 403 and "Only the person who drafted it" in theirs.text
    missing = _post(centre, editor, "/catalog/drafts/999999/submit")
    assert missing.status_code == 404


@pytest.fixture
def page(centre: Centre, chromium: Any) -> Any:
    context = chromium.new_context(viewport={"width": 1366, "height": 900}, locale="lo-LA")
    yield context.new_page()
    context.close()


def _log_in(centre: Centre, page: Any, name: str) -> None:
    page.context.clear_cookies()
    page.goto(centre.url + "/login")
    page.fill("#name", name)
    page.fill("#password", PASSWORD)
    page.click("#login-button")


def _shots(centre: Centre, page: Any, name: str) -> None:
    """The page in Lao and in English (the link), back in the language it was in."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    backend = centre.server.db_url.split(":", 1)[0].split("+")[0]
    for _ in range(2):
        lang = page.get_attribute("html", "lang")
        page.screenshot(path=str(SHOTS / f"{backend}-catalog-{name}-{lang}.png"), full_page=True)
        page.click("#other-lang")


def _birth_fee(counter: Any, name: str) -> int:
    taken = service_requests.record_request(
        counter.store, counter.clerk, service_code="MOHA-BIRTH", citizen_name=name
    )
    return int(taken["fee"])


def test_draft_approve_publish_and_a_counter_charges_the_new_fee_from_its_day(
    centre: Centre, page: Any, tmp_path: Any
) -> None:
    drafter = centre.person("nation", "admin")  # an admin: one who may approve others' drafts
    _log_in(centre, page, drafter)
    page.click("#nav-catalog")
    _shots(centre, page, "0-list")
    page.click("#new-draft")
    draft_id = int(DRAFT.search(page.url)[1])  # type: ignore[index]
    _shots(centre, page, "1-editor")
    page.fill("#fee-MOHA-BIRTH", "25000")
    page.click("#submit-draft")
    assert page.get_attribute("#draft-state", "data-state") == "submitted"
    assert page.locator('[data-changed="MOHA-BIRTH/fee"]').count() == 1
    _shots(centre, page, "2-submitted")
    # No approve button for their own draft, and the server refuses the POST all the same.
    assert page.locator("#approve").count() == 0
    token = page.get_attribute('input[name="csrf"]', "value")
    own = page.request.post(
        f"{centre.url}/catalog/drafts/{draft_id}/approve", form={"csrf": token}, max_redirects=0
    )
    assert own.status == 403 and tr("lo", "cat_own_draft") in own.text()

    _log_in(centre, page, centre.person("nation", "catalog_approver"))
    page.goto(f"{centre.url}/catalog/drafts/{draft_id}")
    page.click("#approve")
    assert page.get_attribute("#draft-state", "data-state") == "approved"
    _shots(centre, page, "3-approved")  # (the language link reloads the page)
    page.fill("#effective", "2026-12-10")
    page.click("#publish")
    assert page.get_attribute("#draft-state", "data-state") == "published"
    page.click("#back-catalog")
    newest = page.locator("#versions-table tbody tr").first
    assert newest.get_attribute("data-effective") == "2026-12-10"
    assert drafter in newest.inner_text()
    _shots(centre, page, "4-published")

    clock = FakeClock(NOW)
    counter = make_office_counter(tmp_path / "desk", clock, "VTE-SST", 9)
    try:
        client.enroll(counter.store, centre.url, centre.server.enroll_code("VTE-SST", 9))
        assert client.sync_once(counter.store).ok
        assert _birth_fee(counter, "ນາງ ນ້ອຍ") == 10_000  # 7 December: the old fee
        clock.set_local(2026, 12, 10, 8)
        assert _birth_fee(counter, "ນາງ ແກ້ວ") == 25_000  # its day, without another sync
        assert date(2026, 12, 10).isoformat() == counter.store.scalar(
            "SELECT effective_from FROM catalog_versions ORDER BY version DESC LIMIT 1"
        )
    finally:
        counter.store.close()
