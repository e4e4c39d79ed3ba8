"""The accounts page and the access log: only a nation-wide admin opens them (403 for everyone
else, on every page, form and file); revoking goes through a confirmation and the session's
CSRF token, ends the person's session at once and refuses their login; nobody revokes
themself; the log shows a personal-data read done through the overdue page, newest first, page
by page, and its files hold the same rows, formula triggers neutralised."""

from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser
from types import SimpleNamespace
from typing import Any

import pytest
import requests
from openpyxl import load_workbook
from sqlalchemy import select

from sync.server import accounts, scopes
from sync.server.db import provinces, writing
from sync.server.figures import catalog
from sync.server.scopes import load_account
from sync.server.web.accounts_page import PAGE
from sync.server.web.site import CSP
from tests.sync.test_figures_scene import NOW
from tests.web.conftest import PASSWORD, SHOTS, Centre

_CSRF = re.compile(r'name="csrf" value="([^"]+)"')
FILES = ["/accounts/log.csv", "/accounts/log.xlsx"]


def _get(web: requests.Session, centre: Centre, path: str) -> requests.Response:
    return web.get(centre.url + path, allow_redirects=False, timeout=30)


def _token(web: requests.Session, centre: Centre) -> str:
    """The session's CSRF token, from the logout form every page carries."""
    found = _CSRF.search(web.get(centre.url + "/", timeout=30).text)
    assert found is not None
    return found[1]


def _revoke(
    web: requests.Session, centre: Centre, account_id: int | str, token: str | None
) -> requests.Response:
    data = {} if token is None else {"csrf": token}
    return web.post(
        f"{centre.url}/accounts/{account_id}/revoke", data=data, allow_redirects=False, timeout=30
    )


def _account(centre: Centre, name: str) -> dict[str, Any]:
    with centre.engine.connect() as conn:
        return next(a for a in accounts.list_accounts(conn) if a["name"] == name)


def _admin(centre: Centre) -> tuple[str, requests.Session]:
    name = centre.person("nation", role="admin")
    return name, centre.login(name)


class LogPage(HTMLParser):
    """The access log's rows (id, account id, action, records) and its next page's link."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.rows: list[tuple[int, int, str, int]] = []
        self.next: str | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if tag == "tr" and "data-log" in found:
            self.rows.append(
                (
                    int(found["data-log"]),
                    int(found["data-account"]),
                    found["data-action"],
                    int(found["data-records"]),
                )
            )
        if found.get("id") == "next-page":
            self.next = found["href"].replace("&amp;", "&")


def _walk_log(centre: Centre, web: requests.Session, path: str) -> list[tuple[int, int, str, int]]:
    rows: list[tuple[int, int, str, int]] = []
    following: str | None = path
    while following:
        reply = _get(web, centre, following)
        assert reply.status_code == 200, reply.text
        page = LogPage(reply.text)
        assert len(page.rows) <= PAGE
        rows += page.rows
        following = page.next
    return rows


# -- who may open them --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scope", "role"),
    [("nation", "viewer"), ("nation", "catalog_editor"), ("province:LA-VT", "admin")],
)
def test_everyone_but_a_nation_wide_admin_is_refused(centre: Centre, scope: str, role: str) -> None:
    target = centre.person("nation")
    target_id = _account(centre, target)["id"]
    web = centre.login(centre.person(scope, role))
    home = web.get(centre.url + "/", timeout=30).text
    assert 'id="nav-accounts"' not in home
    for path in [
        "/accounts",
        "/accounts/new",
        f"/accounts/{target_id}/revoke",
        "/accounts/log",
        f"/accounts/log?account={target_id}",
        *FILES,
    ]:
        reply = _get(web, centre, path)
        assert reply.status_code == 403, path
        assert "text/html" in reply.headers["content-type"]
        assert "Only an admin whose scope is the nation" in reply.text
    token = _token(web, centre)
    reply = _revoke(web, centre, target_id, token)
    assert reply.status_code == 403
    assert _account(centre, target)["revoked_at"] is None
    centre.login(target)  # still works
    before = _count(centre)
    assert _make(web, centre, _new_form(token, f"made by {role}")).status_code == 403
    assert _count(centre) == before


def test_without_a_session_the_pages_send_to_the_login(centre: Centre) -> None:
    web = requests.Session()
    for path in ["/accounts", "/accounts/new", "/accounts/1/revoke", "/accounts/log", *FILES]:
        reply = _get(web, centre, path)
        assert reply.status_code == 303 and reply.headers["location"] == "/login", path


def test_the_admin_sees_the_link_and_every_account_named(centre: Centre) -> None:
    name, web = _admin(centre)
    province = centre.person("province:LA-VT", role="catalog_approver")
    office = centre.person("office:VTE-SST")
    centre.person("ministry:MOIC")
    assert 'id="nav-accounts"' in web.get(centre.url + "/", timeout=30).text
    reply = web.get(centre.url + "/accounts?lang=en", timeout=30)
    assert reply.status_code == 200
    assert reply.headers["Content-Security-Policy"] == CSP  # a page like the others
    assert "<script" not in reply.text and "style=" not in reply.text
    with centre.engine.connect() as conn:
        listed = accounts.list_accounts(conn)
        province_name = conn.execute(
            select(provinces.c.name_en).where(provinces.c.code == "LA-VT")
        ).scalar_one()
    assert len(re.findall(r'<tr data-account="', reply.text)) == len(listed)
    assert f"Province: {province_name} (LA-VT)" in reply.text
    with centre.engine.connect() as conn:
        moic = next(s for s in catalog.services(conn).values() if s.ministry == "MOIC")
    assert f"Ministry: {moic.ministry_en} (MOIC)" in reply.text
    assert "Catalog approver" in reply.text and province in reply.text
    row = reply.text.split(f'data-account="{_account(centre, office)["id"]}"')[1].split("</tr>")[0]
    assert "own office only" in row and "not known" in row  # not logged in yet
    own = reply.text.split(f'data-account="{_account(centre, name)["id"]}"')[1].split("</tr>")[0]
    assert "Your account: you cannot revoke it" in own and "/revoke" not in own
    assert "web test api" in reply.text and "Machine&#39;s token" in reply.text


# -- revoking -----------------------------------------------------------------------------------


def test_a_revoke_without_the_session_s_token_is_refused(centre: Centre) -> None:
    _, web = _admin(centre)
    target = centre.person("nation")
    target_id = _account(centre, target)["id"]
    assert _revoke(web, centre, target_id, None).status_code == 403
    assert _revoke(web, centre, target_id, "not-the-token").status_code == 403
    other = centre.login(centre.person("nation", role="admin"))  # another session's token
    assert _revoke(web, centre, target_id, _token(other, centre)).status_code == 403
    assert _account(centre, target)["revoked_at"] is None


def test_revoking_ends_the_session_at_once_and_refuses_the_login(centre: Centre) -> None:
    _, web = _admin(centre)
    target = centre.person("office:VTE-SST")
    target_id = _account(centre, target)["id"]
    theirs = centre.login(target)
    assert _get(theirs, centre, "/").status_code == 200
    confirm = _get(web, centre, f"/accounts/{target_id}/revoke?lang=en")
    assert confirm.status_code == 200 and f"Revoke {target}?" in confirm.text
    assert _account(centre, target)["revoked_at"] is None  # the confirmation changes nothing

    reply = _revoke(web, centre, target_id, _token(web, centre))
    assert reply.status_code == 303
    assert reply.headers["location"] == f"/accounts?revoked={target_id}"
    page = web.get(centre.url + reply.headers["location"] + "&lang=en", timeout=30)
    assert f"{target} is revoked" in page.text
    assert f'data-account="{target_id}" data-state="revoked"' in page.text
    assert _account(centre, target)["revoked_at"] is not None

    gone = _get(theirs, centre, "/")
    assert gone.status_code == 303 and gone.headers["location"] == "/login"
    assert centre.try_login(requests.Session(), target, PASSWORD).status_code == 401

    again = _revoke(web, centre, target_id, _token(web, centre))
    assert again.headers["location"] == f"/accounts?already={target_id}"
    assert _get(web, centre, f"/accounts/{target_id}/revoke").status_code == 409


def test_an_admin_cannot_revoke_themself(centre: Centre) -> None:
    name, web = _admin(centre)
    own = _account(centre, name)["id"]
    confirm = _get(web, centre, f"/accounts/{own}/revoke?lang=en")
    assert confirm.status_code == 409
    assert "You cannot revoke your own account" in confirm.text
    reply = _revoke(web, centre, own, _token(web, centre))
    assert reply.status_code == 409 and "You cannot revoke your own account" in reply.text
    assert _account(centre, name)["revoked_at"] is None
    assert _get(web, centre, "/accounts").status_code == 200


@pytest.mark.parametrize("wanted", ["999999", "abc", "0", "1234567890"])
def test_an_unknown_account_is_not_found(centre: Centre, wanted: str) -> None:
    _, web = _admin(centre)
    assert _get(web, centre, f"/accounts/{wanted}/revoke").status_code == 404
    assert _revoke(web, centre, wanted, _token(web, centre)).status_code == 404
    for path in ["/accounts/log", *FILES]:
        assert _get(web, centre, f"{path}?account={wanted}").status_code == 404


# -- adding a person -----------------------------------------------------------------------------


def _count(centre: Centre) -> int:
    with centre.engine.connect() as conn:
        return len(accounts.list_accounts(conn))


def _new_form(token: str | None, name: str, **more: str) -> dict[str, str]:
    form = {
        "name": name,
        "role": "viewer",
        "scopes": "province:LA-VT, office:LPB-CHO",
        "password": PASSWORD,
        "password_again": PASSWORD,
        **more,
    }
    return form if token is None else {"csrf": token, **form}


def _make(
    web: requests.Session, centre: Centre, form: dict[str, str], lang: str = "lo"
) -> requests.Response:
    return web.post(
        f"{centre.url}/accounts/new?lang={lang}", data=form, allow_redirects=False, timeout=30
    )


def test_an_admin_adds_a_person_who_then_logs_in(centre: Centre) -> None:
    _, web = _admin(centre)
    form = _get(web, centre, "/accounts/new")
    assert form.status_code == 200 and 'id="make-account"' in form.text
    name = "Made on the page ນາງ ຄຳ"
    reply = _make(web, centre, _new_form(_token(web, centre), name, personal_data="yes"))
    assert reply.status_code == 303, reply.text
    made = _account(centre, name)
    assert reply.headers["location"] == f"/accounts?made={made['id']}"
    assert made["kind"] == "person" and made["role"] == "viewer" and made["personal_data"]
    assert made["scopes"] == ["office:LPB-CHO", "province:LA-VT"]
    page = web.get(centre.url + reply.headers["location"] + "&lang=en", timeout=30)
    assert f"Account {name} made" in page.text
    assert _get(centre.login(name), centre, "/area/province/LA-VT").status_code == 200


@pytest.mark.parametrize(
    ("more", "said"),
    [
        ({"password": "short", "password_again": "short"}, "at least 10 characters"),
        ({"password_again": "another long phrase"}, "the two passwords differ"),
        ({"scopes": "office:NOPE-XXX"}, "no office NOPE-XXX is registered"),
        ({"scopes": ""}, "give at least one --scope"),
        ({"role": "king"}, "no role &#39;king&#39;"),
        ({"name": "12345"}, "cannot be only digits"),
        ({"name": "web test api"}, "exists already"),
    ],
)
def test_a_bad_person_is_said_and_nothing_is_made(
    centre: Centre, more: dict[str, str], said: str
) -> None:
    _, web = _admin(centre)
    before = _count(centre)
    form = _new_form(_token(web, centre), **{"name": "a refused person", **more})
    lao = _make(web, centre, form)
    assert lao.status_code == 400 and "ບັນຊີບໍ່ໄດ້ຖືກສ້າງ" in lao.text
    english = _make(web, centre, form, "en")
    assert english.status_code == 400 and "The account was not made" in english.text
    assert said in english.text
    assert 'value="a refused person"' in english.text or "name" in more  # typed name kept
    assert PASSWORD not in english.text  # never the password
    assert _count(centre) == before


def test_adding_without_the_session_s_token_is_refused(centre: Centre) -> None:
    _, web = _admin(centre)
    before = _count(centre)
    assert _make(web, centre, _new_form(None, "no token")).status_code == 403
    assert _make(web, centre, _new_form("wrong", "wrong token")).status_code == 403
    assert _count(centre) == before


# -- the access log -----------------------------------------------------------------------------


def test_the_log_shows_an_overdue_read_and_the_files_equal_the_page(centre: Centre) -> None:
    _, web = _admin(centre)
    reader = centre.person("office:VTE-SST")
    reader_id = _account(centre, reader)["id"]
    overdue = centre.login(reader).get(
        f"{centre.url}/overdue?area=office/VTE-SST&period=2026", timeout=30
    )
    shown = overdue.text.count('class="text personal"') // 2
    assert overdue.status_code == 200 and shown > 0

    page = _get(web, centre, f"/accounts/log?account={reader_id}&lang=en")
    assert page.status_code == 200 and f"Access log: {reader}" in page.text
    rows = LogPage(page.text).rows
    assert [(r[1], r[2], r[3]) for r in rows] == [(reader_id, "web.overdue", shown)]
    assert "office:VTE-SST 2026" in page.text

    everyone = _walk_log(centre, web, "/accounts/log")
    assert rows[0] in everyone
    assert [r[0] for r in everyone] == sorted((r[0] for r in everyone), reverse=True)

    text = _get(web, centre, f"/accounts/log.csv?account={reader_id}").content.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    assert lines[0] == ["id", "at", "account_id", "account", "action", "target", "records"]
    assert [(int(r[0]), int(r[2]), r[4], int(r[6])) for r in lines[1:]] == [
        (r[0], r[1], r[2], r[3]) for r in rows
    ]
    assert lines[1][3] == reader and lines[1][5] == "office:VTE-SST 2026"
    book = load_workbook(
        io.BytesIO(_get(web, centre, f"/accounts/log.xlsx?account={reader_id}").content)
    )
    sheet = list(book["access_log"].iter_rows(values_only=True))
    assert [list(map(str, r)) for r in sheet] == lines


def _logged(centre: Centre, name: str, targets: list[str]) -> int:
    """Reads written to the log for `name`, as the API writes them; returns the account id."""
    with writing(centre.engine) as conn:
        row = next(a for a in accounts.list_accounts(conn) if a["name"] == name)
        account = load_account(conn, SimpleNamespace(**row))
        for i, target in enumerate(targets):
            scopes.log_access(conn, account, "records.requests", target, i, NOW)
    return int(row["id"])


def test_the_log_goes_page_by_page_newest_first(centre: Centre) -> None:
    _, web = _admin(centre)
    reader = centre.person("nation")
    reader_id = _logged(centre, reader, [f"office:VTE-SST #{i}" for i in range(PAGE + 7)])
    first = LogPage(_get(web, centre, f"/accounts/log?account={reader_id}").text)
    assert len(first.rows) == PAGE and first.next is not None
    rows = _walk_log(centre, web, f"/accounts/log?account={reader_id}")
    assert [r[3] for r in rows] == list(range(PAGE + 6, -1, -1))  # newest (last written) first
    assert {r[1] for r in rows} == {reader_id}


def test_formula_triggers_are_neutralised_in_the_files(centre: Centre) -> None:
    _, web = _admin(centre)
    reader = centre.person("nation")
    reader_id = _logged(centre, reader, ['=HYPERLINK("http://x","y")'])
    text = _get(web, centre, f"/accounts/log.csv?account={reader_id}").content.decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text)))[1][5] == '\'=HYPERLINK("http://x","y")'
    book = load_workbook(
        io.BytesIO(_get(web, centre, f"/accounts/log.xlsx?account={reader_id}").content)
    )
    assert book["access_log"]["F2"].value == '\'=HYPERLINK("http://x","y")'


@pytest.mark.parametrize("cursor", ["abc", "-1", "1e3", ""])
def test_a_bad_cursor_is_said_and_refused(centre: Centre, cursor: str) -> None:
    _, web = _admin(centre)
    reply = _get(web, centre, f"/accounts/log?before={cursor}&lang=en")
    assert reply.status_code == 400 and 'id="cursor-error"' in reply.text


# -- in a real browser --------------------------------------------------------------------------


def _shot(centre: Centre, page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    backend = centre.server.db_url.split(":", 1)[0].split("+")[0]
    page.screenshot(path=str(SHOTS / f"{backend}-{name}.png"), full_page=True)


def test_an_admin_revokes_a_person_and_reads_the_log_in_a_browser(
    centre: Centre, chromium: Any
) -> None:
    admin = centre.person("nation", role="admin")
    target = centre.person("office:VTE-SST")
    target_id = _account(centre, target)["id"]
    centre.login(target).get(f"{centre.url}/overdue?area=office/VTE-SST&period=2026", timeout=30)
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="lo-LA")
    page = context.new_page()
    try:
        page.goto(centre.url + "/login")
        page.fill("#name", admin)
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        page.click("#nav-accounts")
        assert page.url.endswith("/accounts")
        assert page.get_attribute("html", "lang") == "lo"
        _shot(centre, page, "accounts-lo")
        page.click(f"#revoke-{target_id}")
        assert page.url.endswith(f"/accounts/{target_id}/revoke")
        _shot(centre, page, "accounts-confirm-lo")
        page.click("#revoke-yes")
        assert page.url.endswith(f"/accounts?revoked={target_id}")
        assert target in page.inner_text("#account-message")
        state = page.get_attribute(f'tr[data-account="{target_id}"]', "data-state")
        assert state == "revoked"
        page.click("#other-lang")
        assert page.get_attribute("html", "lang") == "en"
        assert f"{target} is revoked" in page.inner_text("#account-message")
        _shot(centre, page, "accounts-en")
        page.click("#to-log")
        page.select_option("#account", str(target_id))
        page.click("#show")
        assert page.inner_text("#log-title") == f"Access log: {target}"
        assert page.get_attribute("#log-table tbody tr", "data-action") == "web.overdue"
        _shot(centre, page, "accounts-log-en")
        page.click("#other-lang")
        assert page.get_attribute("html", "lang") == "lo"
        _shot(centre, page, "accounts-log-lo")
        page.click("#back-accounts")
        page.click("#to-new")
        page.fill("#name", target)  # taken already: the form says so and keeps what was typed
        page.fill("#scopes", "office:VTE-SST")
        page.fill("#password", PASSWORD)
        page.fill("#password_again", PASSWORD)
        page.click("#make-account")
        assert "ບັນຊີບໍ່ໄດ້ຖືກສ້າງ" in page.inner_text("#new-error")
        assert page.input_value("#scopes") == "office:VTE-SST"
        _shot(centre, page, "accounts-new-lo")
    finally:
        context.close()
