"""A person changes their own password at /password: the current one asked again, the new one
twice and by the rules of a first one; every other session of theirs ends and the old password
stops opening the account. Wrong current passwords count towards the login lock; every bad
input leaves the stored hash as it was. In Chromium too, in Lao and English (screenshots under
/tmp/h/shots)."""

from __future__ import annotations

import re
from typing import Any

import pytest
import requests
from sqlalchemy import select

from sync.server.db import accounts, web_login_failures
from sync.server.web.throttle import name_digest
from tests.web.conftest import PASSWORD, SHOTS, Centre

NEW = "ຟ້າຮ້ອງ thunder 2026"
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def _hash(centre: Centre, name: str) -> str:
    with centre.engine.connect() as conn:
        found: str = conn.execute(
            select(accounts.c.password_hash).where(accounts.c.name == name)
        ).scalar_one()
        return found


def _failures(centre: Centre, name: str) -> int:
    with centre.engine.connect() as conn:
        count = conn.execute(
            select(web_login_failures.c.failures).where(
                web_login_failures.c.name_sha256 == name_digest(name)
            )
        ).scalar()
        return int(count or 0)


def _change(
    centre: Centre, web: requests.Session, current: str, new: str, again: str | None = None
) -> requests.Response:
    form = web.get(centre.url + "/password", allow_redirects=False, timeout=30)
    assert form.status_code == 200, form.text
    token = _CSRF.search(form.text)
    assert token is not None
    data = {"csrf": token[1], "current": current, "password": new, "password_again": again or new}
    return web.post(centre.url + "/password", data=data, allow_redirects=False, timeout=30)


def _logged_in(centre: Centre, web: requests.Session) -> bool:
    reply = web.get(centre.url + "/password", allow_redirects=False, timeout=30)
    return reply.status_code == 200


def test_the_new_password_opens_the_account_and_other_sessions_end(centre: Centre) -> None:
    name = centre.person("nation")
    here, elsewhere = centre.login(name, lang="en"), centre.login(name)
    changed = _change(centre, here, PASSWORD, NEW)
    assert changed.status_code == 200
    assert 'id="password-changed"' in changed.text and "The password is changed" in changed.text
    assert _logged_in(centre, here)  # the session that changed it goes on
    assert not _logged_in(centre, elsewhere)  # whoever knew the old one is out
    assert centre.try_login(requests.Session(), name, PASSWORD).status_code == 401
    assert centre.try_login(requests.Session(), name, NEW).status_code == 303


@pytest.mark.parametrize(
    ("current", "new", "again", "said"),
    [
        ("not the password 1", NEW, None, "the current password is wrong"),
        (PASSWORD, NEW, NEW + "x", "the two new passwords differ"),
        (PASSWORD, "short 1", None, "at least 10 characters"),
        (PASSWORD, "password123", None, "most common ones"),
    ],
    ids=["wrong-current", "differ", "short", "common"],
)
def test_a_bad_change_is_said_and_changes_nothing(
    centre: Centre, current: str, new: str, again: str | None, said: str
) -> None:
    name = centre.person("nation")
    web = centre.login(name, lang="en")
    before = _hash(centre, name)
    refused = _change(centre, web, current, new, again)
    assert refused.status_code == 400
    assert 'id="password-error"' in refused.text and said in refused.text
    assert "The password was not changed" in refused.text
    assert _hash(centre, name) == before
    # Only a wrong current password is a guess, counted towards the login lock.
    assert _failures(centre, name) == (1 if current != PASSWORD else 0)
    assert _logged_in(centre, web)


def test_it_says_why_in_lao(centre: Centre) -> None:
    name = centre.person("nation")
    refused = _change(centre, centre.login(name), "not the password 1", NEW)
    assert "ລະຫັດຜ່ານບໍ່ໄດ້ຖືກປ່ຽນ: ລະຫັດຜ່ານປັດຈຸບັນບໍ່ຖືກຕ້ອງ" in refused.text


def test_wrong_current_passwords_lock_the_name_as_wrong_logins_do(centre: Centre) -> None:
    name = centre.person("nation")
    web = centre.login(name, lang="en")
    before = _hash(centre, name)
    answers = [_change(centre, web, f"guess number {n}", NEW).text for n in range(6)]
    assert any("wait" in a or "locked" in a for a in answers[3:]), answers[-1]
    # Locked: even the right current password is not checked now.
    assert "The password was not changed" not in _change(centre, web, PASSWORD, NEW).text
    assert _hash(centre, name) == before


def test_no_session_or_no_csrf_changes_nothing(centre: Centre) -> None:
    name = centre.person("nation")
    before = _hash(centre, name)
    stranger = requests.post(
        centre.url + "/password",
        data={"current": PASSWORD, "password": NEW, "password_again": NEW},
        allow_redirects=False,
        timeout=30,
    )
    assert (stranger.status_code, stranger.headers["location"]) == (303, "/login")
    web = centre.login(name)
    forged = web.post(
        centre.url + "/password",
        data={"current": PASSWORD, "password": NEW, "password_again": NEW},
        allow_redirects=False,
        timeout=30,
    )
    assert forged.status_code == 403
    assert _hash(centre, name) == before


def test_in_the_browser_from_the_header_link(centre: Centre, chromium: Any) -> None:
    name = centre.person("nation")
    context = chromium.new_context(viewport={"width": 1280, "height": 800}, locale="lo-LA")
    tab = context.new_page()
    try:
        tab.goto(centre.url + "/login")
        tab.fill("#name", name)
        tab.fill("#password", PASSWORD)
        tab.click("#login-button")
        tab.click("#nav-password")
        assert tab.inner_text("h1") == "ປ່ຽນລະຫັດຜ່ານ"
        SHOTS.mkdir(parents=True, exist_ok=True)
        tab.fill("#current", PASSWORD)
        tab.fill("#password", NEW)
        tab.fill("#password_again", NEW + "!")
        tab.click("#change-password")
        assert "ລະຫັດຜ່ານໃໝ່ທັງສອງບໍ່ຄືກັນ" in tab.inner_text("#password-error")
        tab.screenshot(path=str(SHOTS / "password-refused-lo.png"), full_page=True)
        tab.fill("#current", PASSWORD)
        tab.fill("#password", NEW)
        tab.fill("#password_again", NEW)
        tab.click("#change-password")
        assert "ປ່ຽນລະຫັດຜ່ານແລ້ວ" in tab.inner_text("#password-changed")
        tab.screenshot(path=str(SHOTS / "password-changed-lo.png"), full_page=True)
        tab.goto(centre.url + "/password?lang=en")
        tab.screenshot(path=str(SHOTS / "password-en.png"), full_page=True)
        assert tab.inner_text("h1") == "Change password"
    finally:
        context.close()
    assert centre.try_login(requests.Session(), name, NEW).status_code == 303
