"""The national calendar's pages (sync/server/web/calendar_pages.py) on the scene's centre: the
catalog's people only, refusals that say why in Lao or English and change nothing; and in
Chromium the whole way: a first draft from the package's holidays, a national closure added, the
drafter refused as approver, another person approving and publishing with an effective date, a
real counter taking it at its next sync and promising later dates over the closure from that
day only."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
import requests

from odsc_desk.domain import service_requests
from sync import client
from sync.server.web.i18n import tr
from tests.conftest import FakeClock
from tests.sync.conftest import count_rows, make_office_counter
from tests.sync.test_figures_scene import NOW
from tests.web.conftest import _CSRF, SHOTS, Centre
from tests.web.test_accessibility import AXE, AXE_PATH, BLOCKING, _described, violations
from tests.web.test_catalog_pages import _log_in

DRAFT = re.compile(r"/calendar/drafts/(\d+)$")


def _post(centre: Centre, web: requests.Session, path: str, **data: Any) -> requests.Response:
    page = web.get(centre.url + "/calendar", timeout=10)
    token = _CSRF.search(page.text)
    assert token is not None, page.text
    return web.post(
        centre.url + path, data={"csrf": token[1], **data}, allow_redirects=False, timeout=30
    )


def _new_draft(centre: Centre, web: requests.Session) -> int:
    made = _post(centre, web, "/calendar/drafts")
    assert made.status_code == 303, made.text
    found = DRAFT.search(made.headers["location"])
    assert found is not None
    return int(found[1])


def _form(label: str, years: str, *days: tuple[str, str, str, str]) -> dict[str, str]:
    form = {"label": label, "years": years, "rows": str(len(days))}
    for n, (day, kind, lo, en) in enumerate(days):
        form |= {f"date_{n}": day, f"kind_{n}": kind, f"name_lo_{n}": lo, f"name_en_{n}": en}
    return form


NATIONAL_DAY = ("2026-12-02", "holiday", "ວັນຊາດ", "Lao National Day")


def test_only_catalog_roles_see_the_calendar(centre: Centre) -> None:
    nobody = requests.get(centre.url + "/calendar", allow_redirects=False, timeout=10)
    assert (nobody.status_code, nobody.headers["location"]) == (303, "/login")
    assert "frame-ancestors 'none'" in nobody.headers["Content-Security-Policy"]
    viewer = centre.login(centre.person("nation"))
    assert viewer.get(centre.url + "/calendar", timeout=10).status_code == 403
    assert 'id="nav-calendar"' not in viewer.get(centre.url + "/", timeout=10).text
    approver = centre.login(centre.person("nation", "catalog_approver"))
    listed = approver.get(centre.url + "/calendar", timeout=10)
    assert listed.status_code == 200 and 'id="nav-calendar"' in listed.text
    assert 'id="new-draft"' not in listed.text
    before = count_rows(centre.engine)
    assert _post(centre, approver, "/calendar/drafts").status_code == 403
    assert count_rows(centre.engine) == before


@pytest.mark.parametrize(
    ("days", "years", "lang", "words"),
    [
        ([("2026-13-01", "closure", "ປິດ", "Closed")], "2026", "en", "not a date written"),
        ([NATIONAL_DAY, NATIONAL_DAY], "2026", "en", "listed twice"),
        ([("2026-12-11", "closure", "", "Closed")], "2026", "en", "name_lo"),
        ([("2026-12-12", "closure", "ປິດ", "Closed")], "2026", "en", "Saturday or Sunday"),
        ([NATIONAL_DAY], "twenty", "en", "years must list"),
        ([("2026-13-01", "closure", "ປິດ", "Closed")], "2026", "lo", "ບໍ່ແມ່ນວັນທີ"),
    ],
)
def test_a_bad_draft_is_refused_with_the_form_kept_and_nothing_changed(
    centre: Centre, days: Any, years: str, lang: str, words: str
) -> None:
    editor = centre.login(centre.person("nation", "catalog_editor"), lang=lang)
    draft_id = _new_draft(centre, editor)
    before = count_rows(centre.engine)
    shown = editor.get(f"{centre.url}/calendar/drafts/{draft_id}", timeout=10).text
    bad = _post(centre, editor, f"/calendar/drafts/{draft_id}/save", **_form("x", years, *days))
    assert bad.status_code == 422
    assert words in bad.text and 'role="alert"' in bad.text
    assert f'value="{days[0][0]}"' in bad.text  # the form keeps what was typed
    assert count_rows(centre.engine) == before
    assert editor.get(f"{centre.url}/calendar/drafts/{draft_id}", timeout=10).text == shown


def test_decisions_are_refused_to_the_drafter_and_without_a_reason(centre: Centre) -> None:
    editor = centre.login(centre.person("nation", "admin"), lang="en")
    draft_id = _new_draft(centre, editor)
    assert _post(centre, editor, f"/calendar/drafts/{draft_id}/submit").status_code == 303
    own = _post(centre, editor, f"/calendar/drafts/{draft_id}/approve")
    assert own.status_code == 403 and "You cannot approve or return your own draft" in own.text
    approver = centre.login(centre.person("nation", "catalog_approver"), lang="en")
    no_reason = _post(centre, approver, f"/calendar/drafts/{draft_id}/return", reason=" ")
    assert no_reason.status_code == 422 and "A return needs a reason" in no_reason.text
    assert _post(centre, approver, f"/calendar/drafts/{draft_id}/approve").status_code == 303
    before = count_rows(centre.engine)
    past = _post(centre, approver, f"/calendar/drafts/{draft_id}/publish", effective="2026-12-06")
    assert past.status_code == 409 and "today or later" in past.text
    bad = _post(centre, approver, f"/calendar/drafts/{draft_id}/publish", effective="7/12/2026")
    assert bad.status_code == 422 and "YYYY-MM-DD" in bad.text
    assert count_rows(centre.engine) == before
    missing = _post(centre, approver, "/calendar/drafts/999999/approve")
    assert missing.status_code == 404


@pytest.fixture
def page(centre: Centre, chromium: Any) -> Any:
    context = chromium.new_context(viewport={"width": 1366, "height": 900}, locale="lo-LA")
    source = AXE.read_text(encoding="utf-8")
    context.route(
        centre.url + AXE_PATH,
        lambda route: route.fulfill(body=source, content_type="text/javascript"),
    )
    yield context.new_page()
    context.close()


def _shots(centre: Centre, page: Any, name: str) -> None:
    """The page in Lao and in English (the link), back in the language it was in; axe finds
    nothing serious in either."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    backend = centre.server.db_url.split(":", 1)[0].split("+")[0]
    for _ in range(2):
        lang = page.get_attribute("html", "lang")
        blocking = [v for v in violations(page, centre.url) if v["impact"] in BLOCKING]
        assert blocking == [], _described(blocking)
        page.screenshot(path=str(SHOTS / f"{backend}-calendar-{name}-{lang}.png"), full_page=True)
        page.click("#other-lang")


def test_draft_approve_publish_and_a_counter_promises_over_the_closure_from_its_day(
    centre: Centre, page: Any, tmp_path: Any
) -> None:
    drafter = centre.person("nation", "admin")  # an admin: one who may approve others' drafts
    _log_in(centre, page, drafter)
    page.click("#nav-calendar")
    _shots(centre, page, "0-list")
    page.click("#new-draft")
    draft_id = int(DRAFT.search(page.url)[1])  # type: ignore[index]
    assert page.locator('[data-row="2026-12-02"]').count() == 1  # the package's National Day
    page.fill("#new-date", "2026-12-11")
    page.select_option("#new-kind", "closure")
    page.fill("#new-name-lo", "ພັກປິດທົ່ວປະເທດ")
    page.fill("#new-name-en", "National closure")
    page.click("#save-draft")
    assert page.locator('[data-added="2026-12-11"]').count() == 1
    _shots(centre, page, "1-editor")
    page.click("#submit-draft")
    assert page.get_attribute("#draft-state", "data-state") == "submitted"
    assert page.locator("#approve").count() == 0
    token = page.get_attribute('input[name="csrf"]', "value")
    own = page.request.post(
        f"{centre.url}/calendar/drafts/{draft_id}/approve", form={"csrf": token}, max_redirects=0
    )
    assert own.status == 403 and tr("lo", "cat_own_draft") in own.text()

    _log_in(centre, page, centre.person("nation", "catalog_approver"))
    page.goto(f"{centre.url}/calendar/drafts/{draft_id}")
    _shots(centre, page, "2-submitted")
    page.click("#approve")
    assert page.get_attribute("#draft-state", "data-state") == "approved"
    page.fill("#effective", "2026-12-09")
    page.click("#publish")
    assert page.get_attribute("#draft-state", "data-state") == "published"
    page.click("#back-calendar")
    newest = page.locator("#versions-table tbody tr").first
    assert newest.get_attribute("data-effective") == "2026-12-09"
    assert drafter in newest.inner_text()
    _shots(centre, page, "3-published")
    page.click("#version-1")
    assert page.locator('[data-day="2026-12-11"]').count() == 1
    assert drafter in page.inner_text("#drafted-by")
    _shots(centre, page, "4-version")

    clock = FakeClock(NOW)
    counter = make_office_counter(tmp_path / "desk", clock, "VTE-SST", 9)
    try:
        client.enroll(counter.store, centre.url, centre.server.enroll_code("VTE-SST", 9))
        assert client.sync_once(counter.store).calendar_version == 1
        # Monday 7 December: the calendar is held; five working days end Monday 14.
        assert service_requests.promised_date(counter.store, 5) == date(2026, 12, 14)
        # Wednesday 9 December, without another sync: Thu 10, (Fri 11 closed), Mon 14 to Thu 17.
        clock.set_local(2026, 12, 9, 8)
        assert service_requests.promised_date(counter.store, 5) == date(2026, 12, 17)
    finally:
        counter.store.close()
