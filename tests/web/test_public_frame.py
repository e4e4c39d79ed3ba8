"""What every citizens' page shares (sync/server/web/public.py): a limit per client address on
every public address, answered with a 429 page in both languages; no cookie; the pages' headers.
A real server on loopback; the addresses come through X-Forwarded-For from a trusted proxy, as
behind nginx."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from sync.server.enrollment import TRUSTED_PROXIES_ENV
from sync.server.web.public import PUBLIC_PER_MINUTE
from sync.server.web.site import CSP
from tests.sync.conftest import LiveServer, running_server


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[LiveServer]:
    monkeypatch.setenv(TRUSTED_PROXIES_ENV, "127.0.0.1")
    with running_server(f"sqlite:///{tmp_path / 'centre.db'}") as live:
        yield live


def _get(server: LiveServer, path: str, address: str) -> requests.Response:
    return requests.get(
        server.url + path, headers={"X-Forwarded-For": address}, timeout=10, allow_redirects=False
    )


def test_an_address_that_asks_too_often_waits_and_is_told_so_in_both_languages(
    server: LiveServer,
) -> None:
    for _ in range(PUBLIC_PER_MINUTE):
        assert _get(server, "/fees", "203.0.113.5").status_code != 429
    refused = _get(server, "/status?lang=en", "203.0.113.5")
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "60"
    assert "ກະລຸນາລໍຖ້າ 60 ວິນາທີ" in refused.text
    assert "wait 60 seconds" in refused.text
    assert refused.headers["Content-Security-Policy"] == CSP
    assert "set-cookie" not in refused.headers
    # Another address is not slowed, nor are the staff's pages.
    assert _get(server, "/fees", "203.0.113.6").status_code != 429
    assert _get(server, "/login", "203.0.113.5").status_code == 200
    # A minute after its first request the address may ask again.
    server.clock.advance(seconds=61)
    assert _get(server, "/fees", "203.0.113.5").status_code != 429
