"""Fixtures for the web pages: the figures scene (tests/sync/test_figures_scene.py) synced to a
real server on loopback, on SQLite and on PostgreSQL, with people of three scopes and a
machine's token for the API; and Chromium driven by Playwright.

Debian's chromium is launched by path: Playwright's own browser download is never used (the
machines that run this have no internet). Without it a test skips here, and fails in CI.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import Engine

from sync.server import accounts
from sync.server.db import writing
from tests.conftest import FakeClock, cannot_run_here
from tests.sync.conftest import (
    BACKENDS,
    LiveServer,
    centre_database,
    running_server,
)
from tests.sync.test_figures_scene import NOW, Desk, record, sync_scene

CHROMIUM = Path("/usr/bin/chromium")
PASSWORD = "a long pass phrase 9"
SHOTS = Path("/tmp/h/shots")
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@dataclass
class Centre:
    """The scene's centre: its server, and the people who log in to it."""

    server: LiveServer
    token: str  # a nation-wide machine's token, for the API

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def engine(self) -> Engine:
        return self.server.engine

    @property
    def clock(self) -> FakeClock:
        return self.server.clock

    def person(self, scope: str, role: str = "viewer") -> str:
        """A new person with that scope; returns their name (the password is PASSWORD)."""
        name = f"{scope.replace(':', ' ')} {secrets.token_hex(3)}"
        with writing(self.engine) as conn:
            accounts.add_person(conn, name, role, [scope], PASSWORD, self.clock())
        return name

    def revoke(self, name: str) -> None:
        with writing(self.engine) as conn:
            accounts.revoke(conn, name, self.clock())

    def login(self, name: str, password: str = PASSWORD, lang: str = "lo") -> requests.Session:
        """A browser-like HTTP session logged in as `name` (asserts it worked)."""
        web = requests.Session()
        web.cookies.set("odsc_lang", lang)
        reply = self.try_login(web, name, password)
        assert reply.status_code == 303, reply.text
        return web

    def try_login(self, web: requests.Session, name: str, password: str) -> requests.Response:
        form = web.get(self.url + "/login", timeout=10)
        token = _CSRF.search(form.text)
        assert token is not None, form.text
        return web.post(
            self.url + "/login",
            data={"csrf": token[1], "name": name, "password": password},
            allow_redirects=False,
            timeout=30,
        )

    def api(self, path: str, **params: Any) -> Any:
        reply = requests.get(
            self.url + path,
            params=params,
            headers={"Authorization": f"Bearer {self.token}"},
            timeout=30,
        )
        assert reply.status_code == 200, reply.text
        return reply.json()


@pytest.fixture(scope="session")
def scene_desks(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[Desk]]:
    """The scene's counters, recorded once for every backend."""
    found = record(tmp_path_factory.mktemp("web-scene"))
    yield found
    for desk in found:
        desk.store.close()


@pytest.fixture(scope="module", params=BACKENDS)
def centre(
    request: pytest.FixtureRequest,
    scene_desks: list[Desk],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Centre]:
    """The scene synced to a live server, its clock at the scene's NOW (7 December 2026)."""
    folder = tmp_path_factory.mktemp("web-centre")
    with centre_database(request.param, folder) as url, running_server(url) as server:
        sync_scene(server, scene_desks, folder)
        with writing(server.engine) as conn:
            _, token = accounts.add_token(conn, "web test api", "viewer", ["nation"], NOW)
        yield Centre(server, token)


@pytest.fixture(autouse=True)
def _clock_at_now(request: pytest.FixtureRequest) -> None:
    """Each test starts at the scene's NOW, whatever the one before did to the clock."""
    if "centre" in request.fixturenames:
        request.getfixturevalue("centre").clock.moment = NOW


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """Debian's Chromium, headless, through Playwright."""
    if not CHROMIUM.exists():
        cannot_run_here(f"{CHROMIUM} is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        cannot_run_here("playwright is not installed (pip install -e '.[dev]')")
        raise  # not reached: cannot_run_here skips or fails
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        yield browser
        browser.close()
