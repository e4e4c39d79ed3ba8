"""The client's rules that need no centre: which addresses it will talk to, backoff, batch sizes,
and that what it sends lines up with the counter's own tables."""

from __future__ import annotations

import random
import sqlite3

import pytest
import requests

from odsc_desk.shared import facts
from odsc_desk.storage import chain, outbox
from sync import client, protocol
from sync.backoff import MAX_BATCH, Backoff, BatchSize
from sync.errors import SyncError
from sync.messages import MESSAGES
from sync.transport import check_server_url, is_loopback
from tests.core.test_cli import snapshot

LAO = range(0x0E80, 0x0F00)


class CountingSession(requests.Session):
    """A real session that counts the requests it was asked to send."""

    def __init__(self) -> None:
        super().__init__()
        self.sent = 0

    def request(self, *args, **kwargs):  # type: ignore[override]
        self.sent += 1
        return super().request(*args, **kwargs)


@pytest.mark.parametrize(
    ("url", "base"),
    [
        ("https://centre.example.la", "https://centre.example.la"),
        ("https://centre.example.la/", "https://centre.example.la"),
        (" https://centre.example.la:8443/odsc/ ", "https://centre.example.la:8443/odsc"),
        ("HTTPS://Centre.Example.LA", "https://Centre.Example.LA"),
        ("http://localhost:8000", "http://localhost:8000"),
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
        ("http://127.8.9.10", "http://127.8.9.10"),
        ("http://[::1]:8000/", "http://[::1]:8000"),
    ],
)
def test_addresses_the_client_accepts(url, base):
    assert check_server_url(url) == base


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("http://centre.example.la", "sync.http_not_local"),
        ("http://10.0.0.5:8000", "sync.http_not_local"),
        ("http://192.168.1.20", "sync.http_not_local"),
        ("http://127.0.0.1.nip.io", "sync.http_not_local"),
        ("http://[::2]", "sync.http_not_local"),
        ("http://0.0.0.0:8000", "sync.http_not_local"),
        ("ftp://centre.example.la", "sync.url_invalid"),
        ("centre.example.la", "sync.url_invalid"),
        ("not a url", "sync.url_invalid"),
        ("", "sync.url_invalid"),
        ("https://", "sync.url_invalid"),
        ("https://admin:secret@centre.example.la", "sync.url_invalid"),
        ("https://centre.example.la/?token=x", "sync.url_invalid"),
        ("https://centre.example.la/#x", "sync.url_invalid"),
        ("https://centre.example.la:99999", "sync.url_invalid"),
        ("https://centre.example.la:port", "sync.url_invalid"),
        ("https://centre.example.la/a b", "sync.url_invalid"),
    ],
)
def test_addresses_the_client_refuses_before_any_request(url, code, sync_counter):
    session = CountingSession()
    before = snapshot(sync_counter.data_dir)
    with pytest.raises(SyncError) as err:
        client.enroll(sync_counter.store, url, "ABCDE-FGHJK", session=session)
    assert err.value.code == code
    assert err.value.retry is False
    assert any(ord(ch) in LAO for ch in err.value.message_lo)
    assert err.value.message_en.isascii()
    assert session.sent == 0
    assert snapshot(sync_counter.data_dir) == before


def test_loopback_means_this_computer_only():
    assert is_loopback("localhost") and is_loopback("LOCALHOST")
    assert is_loopback("127.0.0.1") and is_loopback("127.255.0.9") and is_loopback("::1")
    assert not is_loopback("localhost.example.la")
    assert not is_loopback("128.0.0.1") and not is_loopback("::")


@pytest.mark.parametrize("code", ["", "   ", "x" * 65, "ABC;DROP", "ກຂຄ", "ABCDE\nFGHJK"])
def test_an_enrollment_code_that_cannot_be_one_is_refused_here(code, sync_counter):
    session = CountingSession()
    with pytest.raises(SyncError) as err:
        client.enroll(sync_counter.store, "https://centre.example.la", code, session=session)
    assert err.value.code == "sync.code_invalid"
    assert session.sent == 0


def test_a_missing_ca_bundle_is_named(sync_counter, tmp_path):
    session = CountingSession()
    with pytest.raises(SyncError) as err:
        client.enroll(
            sync_counter.store,
            "https://centre.example.la",
            "ABCDE",
            ca_bundle=str(tmp_path / "nowhere.pem"),
            session=session,
        )
    assert err.value.code == "sync.ca_bundle_missing"
    assert session.sent == 0


def test_a_counter_that_is_not_enrolled_says_so(sync_counter):
    assert not client.is_configured(sync_counter.store)
    result = client.sync_once(sync_counter.store, CountingSession())
    assert not result.ok and result.error == "sync.not_enrolled" and not result.retry
    assert result.pending == outbox.pending_count(sync_counter.store) > 0
    status = client.status(sync_counter.store)
    assert status["enrolled"] is False and status["server"] is None
    assert status["pending"] == result.pending and status["parked"] == 0
    assert status["device_id"] == sync_counter.store.office["device_id"]


# -- backoff and batch sizes -------------------------------------------------------------------


def test_backoff_ceiling_doubles_from_two_seconds_to_ten_minutes():
    highest = Backoff(random=lambda: 1.0)
    assert [highest.next_delay(n) for n in range(0, 11)] == [
        0.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0, 512.0, 600.0,
    ]  # fmt: skip
    assert highest.next_delay(10_000) == 600.0  # no overflow, still capped
    assert Backoff(random=lambda: 0.0).next_delay(7) == 0.0
    assert Backoff(random=lambda: 0.25).next_delay(3) == 2.0


def test_backoff_is_full_jitter_over_the_whole_range():
    backoff = Backoff(random=random.Random(5).random)
    delays = [backoff.next_delay(4) for _ in range(2000)]
    assert all(0.0 <= d < 16.0 for d in delays)
    # Spread over the whole range, not bunched at the top as "equal jitter" would be.
    assert min(delays) < 0.5 and max(delays) > 15.5
    assert sum(d < 8.0 for d in delays) > 800


def test_batches_start_at_fifty_double_to_five_hundred_and_halve_to_one():
    size = BatchSize()
    seen = [size.size]
    for _ in range(6):
        size.grow()
        seen.append(size.size)
    assert seen == [50, 100, 200, 400, 500, 500, 500]
    for _ in range(12):
        size.shrink()
    assert size.size == 1
    assert BatchSize(10_000).size == MAX_BATCH and BatchSize(0).size == 1


# -- what the client sends lines up with the counter's tables ---------------------------------


def test_every_synced_table_has_its_kind_and_every_column_on_the_wire(sync_counter):
    assert set(protocol.FIELDS) == set(facts.KINDS) == chain.SYNCED
    conn: sqlite3.Connection = sync_counter.store.conn
    for table in chain.SYNCED:
        columns = [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]
        # A column the wire lacks would make the centre rebuild a different row (and digest).
        assert list(protocol.FIELDS[table]) == columns, table


def test_every_sync_message_has_both_languages():
    codes = [code for code in MESSAGES if code.startswith("sync.")]
    assert len(codes) >= 20
    for code in codes:
        lo, en = MESSAGES[code]
        assert any(ord(ch) in LAO for ch in lo), code
        assert en.isascii(), code
