"""The pages' locks, over real HTTP to a real server: sessions, CSRF, throttling, revocation,
scopes, cookies and headers."""

from __future__ import annotations

from datetime import timedelta
from html.parser import HTMLParser

import pytest
import requests

from sync.server.web import throttle
from sync.server.web.sessions import IDLE
from tests.web.conftest import PASSWORD, Centre

PAGES = ("/", "/area/nation", "/area/province/LA-VT", "/area/counter/VTE-SST/1")


def _get(web: requests.Session, centre: Centre, path: str) -> requests.Response:
    return web.get(centre.url + path, allow_redirects=False, timeout=30)


@pytest.mark.parametrize("path", PAGES)
def test_a_page_without_a_session_sends_to_the_login(centre: Centre, path: str) -> None:
    reply = _get(requests.Session(), centre, path)
    assert reply.status_code == 303
    assert reply.headers["location"] == "/login"


def test_a_login_without_its_form_token_is_refused(centre: Centre) -> None:
    name = centre.person("nation")
    web = requests.Session()
    web.get(centre.url + "/login", timeout=10)  # the login cookie, but no token in the form
    reply = web.post(
        centre.url + "/login",
        data={"name": name, "password": PASSWORD},
        allow_redirects=False,
        timeout=10,
    )
    assert reply.status_code == 403
    assert "ແບບຟອມນີ້ໝົດອາຍຸ" in reply.text and "This form has expired" in reply.text
    assert "odsc_session" not in reply.cookies


def test_a_login_token_from_another_browser_is_refused(centre: Centre) -> None:
    name = centre.person("nation")
    theirs = requests.Session().get(centre.url + "/login", timeout=10).text
    token = theirs.split('name="csrf" value="')[1].split('"')[0]
    web = requests.Session()
    web.get(centre.url + "/login", timeout=10)
    reply = web.post(
        centre.url + "/login",
        data={"csrf": token, "name": name, "password": PASSWORD},
        allow_redirects=False,
        timeout=10,
    )
    assert reply.status_code == 403


def test_a_logout_without_the_session_s_token_is_refused(centre: Centre) -> None:
    web = centre.login(centre.person("nation"))
    reply = web.post(centre.url + "/logout", data={}, allow_redirects=False, timeout=10)
    assert reply.status_code == 403
    assert _get(web, centre, "/").status_code == 200  # still logged in


def test_logging_out_ends_the_session(centre: Centre) -> None:
    web = centre.login(centre.person("nation"))
    page = _get(web, centre, "/").text
    token = page.split('name="csrf" value="')[1].split('"')[0]
    cookie = web.cookies["odsc_session"]
    reply = web.post(
        centre.url + "/logout", data={"csrf": token}, allow_redirects=False, timeout=10
    )
    assert reply.status_code == 303 and reply.headers["location"] == "/login"
    again = requests.Session()
    again.cookies.set("odsc_session", cookie)  # the old cookie, kept by someone
    assert _get(again, centre, "/").status_code == 303


@pytest.mark.parametrize(
    ("lang", "message"),
    [("lo", "ຊື່ຜູ້ໃຊ້ ຫຼື ລະຫັດຜ່ານບໍ່ຖືກຕ້ອງ"), ("en", "Wrong name or password")],
)
def test_a_wrong_password_is_said_in_the_person_s_language(
    centre: Centre, lang: str, message: str
) -> None:
    web = requests.Session()
    web.cookies.set("odsc_lang", lang)
    reply = centre.try_login(web, centre.person("nation"), "not the password")
    assert reply.status_code == 401
    assert message in reply.text
    assert "odsc_session" not in reply.cookies


def test_failures_slow_the_name_then_lock_it_as_at_the_counter(centre: Centre) -> None:
    name = centre.person("nation")
    web = requests.Session()
    web.cookies.set("odsc_lang", "en")
    for _ in range(throttle.FREE_FAILURES):
        assert "Wrong name or password" in centre.try_login(web, name, "wrong").text
    # The third failure made the next attempt wait 1 s: even the right password is refused
    # unchecked until then.
    refused = centre.try_login(web, name, PASSWORD)
    assert refused.status_code == 401
    assert "wait 1 seconds" in refused.text
    lao = requests.Session()
    assert "ກະລຸນາລໍຖ້າ 1 ວິນາທີ" in centre.try_login(lao, name, PASSWORD).text
    for failures in range(throttle.FREE_FAILURES + 1, throttle.LOCK_AFTER + 1):
        centre.clock.advance(seconds=throttle.wait_after(failures - 1).total_seconds())
        last = centre.try_login(web, name, "wrong")
    # 10:00 in Vientiane and about two minutes of waits, locked for a quarter of an hour.
    assert "locked" in last.text and "until 10:17" in last.text
    centre.clock.advance(minutes=14)
    assert "locked" in centre.try_login(web, name, PASSWORD).text
    centre.clock.advance(minutes=1)
    assert centre.try_login(web, name, PASSWORD).status_code == 303


def test_a_success_starts_the_count_again(centre: Centre) -> None:
    name = centre.person("nation")
    for _ in range(2):
        web = requests.Session()
        for _ in range(throttle.FREE_FAILURES - 1):
            assert centre.try_login(web, name, "wrong").status_code == 401
        # Counted from the failures before the success, this one would have to wait.
        assert centre.try_login(web, name, PASSWORD).status_code == 303


def test_a_machine_s_token_cannot_log_in_to_the_pages(centre: Centre) -> None:
    reply = centre.try_login(requests.Session(), "web test api", centre.token)
    assert reply.status_code == 401


def test_a_revoked_account_s_session_ends_at_once(centre: Centre) -> None:
    name = centre.person("nation")
    web = centre.login(name)
    assert _get(web, centre, "/").status_code == 200
    centre.revoke(name)
    reply = _get(web, centre, "/")
    assert reply.status_code == 303 and reply.headers["location"] == "/login"
    assert centre.try_login(requests.Session(), name, PASSWORD).status_code == 401


def test_a_session_idle_too_long_ends(centre: Centre) -> None:
    web = centre.login(centre.person("nation"))
    centre.clock.advance(seconds=(IDLE - timedelta(minutes=5)).total_seconds())
    assert _get(web, centre, "/").status_code == 200  # used: the idle time starts again
    centre.clock.advance(seconds=(IDLE - timedelta(minutes=5)).total_seconds())
    assert _get(web, centre, "/").status_code == 200
    centre.clock.advance(seconds=IDLE.total_seconds())
    assert _get(web, centre, "/").status_code == 303


@pytest.mark.parametrize(
    "path", ["/area/province/LA-LP", "/area/nation", "/area/office/LPB-CHO",
             "/area/counter/LPB-CHO/1"],
)  # fmt: skip
def test_a_province_viewer_is_refused_another_province(centre: Centre, path: str) -> None:
    web = centre.login(centre.person("province:LA-VT"))
    reply = _get(web, centre, path)
    assert reply.status_code == 403
    assert "ທ່ານບໍ່ມີສິດເບິ່ງ" in reply.text and "You may not see" in reply.text
    assert 'data-figure="received"' not in reply.text


@pytest.mark.parametrize(
    "path", ["/", "/area/province/LA-VT", "/area/district/VT-01", "/area/office/VTE-XAY",
             "/area/counter/VTE-SST/2"],
)  # fmt: skip
def test_a_province_viewer_reads_their_province_and_below(centre: Centre, path: str) -> None:
    web = centre.login(centre.person("province:LA-VT"))
    reply = _get(web, centre, path)
    assert reply.status_code == 200, reply.text
    if path == "/":
        assert 'data-place="province" data-code="LA-VT"' in reply.text


@pytest.mark.parametrize(
    "path", ["/area/province/LA-ZZ", "/area/office/NOPE-1", "/area/counter/VTE-SST",
             "/area/planet/earth", "/area/district/%3Cscript%3E"],
)  # fmt: skip
def test_an_unknown_place_is_not_found(centre: Centre, path: str) -> None:
    web = centre.login(centre.person("nation"))
    reply = _get(web, centre, path)
    assert reply.status_code == 404
    assert "<script>" not in reply.text


def test_cookies_are_http_only_and_same_site_strict(centre: Centre) -> None:
    web = requests.Session()
    form = web.get(centre.url + "/login", timeout=10)
    reply = centre.try_login(web, centre.person("nation"), PASSWORD)
    for answer in (form, reply):
        for cookie in answer.raw.headers.getlist("Set-Cookie"):
            assert "HttpOnly" in cookie
            assert "samesite=strict" in cookie.lower()
            assert "Secure" not in cookie  # plain http on loopback: see cookies.py


def test_cookies_are_secure_when_the_browser_used_the_server_s_name(centre: Centre) -> None:
    """Behind nginx the browser asked for the centre by name (over https): Secure."""
    reply = requests.get(centre.url + "/login", headers={"Host": "centre.example.la"}, timeout=10)
    cookies = reply.raw.headers.getlist("Set-Cookie")
    assert cookies and all("Secure" in cookie for cookie in cookies)


class _Inline(HTMLParser):
    """Every inline script, style element, style attribute and event handler of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.found.append(tag)
        self.found += [name for name, _ in attrs if name == "style" or name.startswith("on")]


@pytest.mark.parametrize(
    "path", ["/login", "/", "/area/province/LA-VT", "/area/district/VT-01",
             "/area/office/VTE-SST", "/area/counter/VTE-SST/1", "/area/province/LA-ZZ",
             "/?period=nonsense"],
)  # fmt: skip
def test_pages_carry_the_security_headers_and_nothing_inline(centre: Centre, path: str) -> None:
    web = requests.Session() if path == "/login" else centre.login(centre.person("nation"))
    reply = _get(web, centre, path)
    csp = reply.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert reply.headers["X-Content-Type-Options"] == "nosniff"
    assert reply.headers["Referrer-Policy"] == "same-origin"
    assert reply.headers["Cache-Control"] == "no-store"
    parser = _Inline()
    parser.feed(reply.text)
    assert parser.found == []
    assert '<html lang="lo">' in reply.text


def test_a_refusal_page_carries_the_headers_too(centre: Centre) -> None:
    web = centre.login(centre.person("province:LA-VT"))
    reply = _get(web, centre, "/area/nation")
    assert reply.status_code == 403
    assert "default-src 'self'" in reply.headers["Content-Security-Policy"]


def test_the_api_s_documentation_keeps_its_own_headers(centre: Centre) -> None:
    """Swagger UI needs its inline script: the pages' policy is not laid over /docs."""
    reply = requests.get(centre.url + "/docs", timeout=10)
    assert "Content-Security-Policy" not in reply.headers


def test_the_font_and_the_style_sheet_are_served_here(centre: Centre) -> None:
    for path, kind in (
        ("/static/web.css", "text/css"),
        ("/static/fonts/NotoSansLao-Regular.ttf", "font/"),
        ("/static/fonts/NotoSansLao-LICENSE-OFL-1.1.txt", "text/plain"),
    ):
        reply = requests.get(centre.url + path, timeout=10)
        assert reply.status_code == 200, path
        assert kind in reply.headers["content-type"], reply.headers
        assert reply.headers["X-Content-Type-Options"] == "nosniff"


def test_english_at_a_click_is_kept_for_the_next_pages(centre: Centre) -> None:
    web = centre.login(centre.person("nation"))
    assert '<html lang="en">' in _get(web, centre, "/?lang=en").text
    assert "Headline figures" in _get(web, centre, "/area/province/LA-VT").text
    back = _get(web, centre, "/?lang=lo").text
    assert '<html lang="lo">' in back and "ຕົວເລກຫຼັກ" in back
