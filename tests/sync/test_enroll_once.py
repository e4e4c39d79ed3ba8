"""An enrollment code works once (issue 12, finding 5): a used code and the device id that
`odsc sync status` shows give an attacker nothing; the real counter recovers a lost reply by
signing the centre's challenge with the key it enrolled with, for minutes, not days; unknown
codes are rate-limited per address. Real server on loopback, SQLite and PostgreSQL."""

from __future__ import annotations

import base64

import pytest
import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from sqlalchemy import select
from starlette.requests import Request

from odsc_desk.domain import signing
from sync import client, protocol
from sync.errors import SyncError
from sync.server import enrollment
from sync.server.db import devices, token_hash
from tests.core.test_cli import snapshot
from tests.sync.conftest import assert_problem, count_rows, get
from tests.sync.proxy import PASS, CutResponse, FaultProxy


def _post(server, code, device_id, headers=None, **extra):
    body = {"code": code, "device_id": device_id, "office": "VTE-SST", "counter": 1, **extra}
    return requests.post(server.url + protocol.ENROLL, json=body, headers=headers, timeout=10)


def _proof(challenge: str, device_id: str, sign) -> dict[str, str]:
    signature = sign(protocol.enroll_proof_message(challenge, device_id))
    return {
        protocol.ENROLL_CHALLENGE: challenge,
        protocol.ENROLL_SIGNATURE: base64.urlsafe_b64encode(signature).rstrip(b"=").decode(),
    }


def _held_key(server, device_id):
    with server.engine.connect() as conn:
        return conn.execute(
            select(devices.c.public_key).where(devices.c.device_id == device_id)
        ).scalar_one()


def _status_ok(server, token) -> bool:
    return get(server.url + protocol.STATUS, token).status_code == 200


def test_a_used_code_with_the_shown_device_id_gets_an_attacker_nothing(live_server, sync_counter):
    store = sync_counter.store
    code = live_server.enroll_code("VTE-SST", 1)
    client.enroll_counter(store, sync_counter.admin, live_server.url, code)
    device = client.status(store)["device_id"]  # what `odsc sync status` shows to anyone
    before = count_rows(live_server.engine)

    # Posting it as the old centre allowed for 72 hours: a challenge, no token.
    asked = _post(live_server, code, device)
    assert_problem(asked, 403, "enroll.proof")
    assert "token" not in asked.text
    challenge = asked.headers[protocol.ENROLL_CHALLENGE]
    # Signed with the attacker's own key, sent as the device's key or not: refused.
    mine = Ed25519PrivateKey.generate()
    public = mine.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex()
    for extra in ({}, {"public_key": public}):
        forged = _post(live_server, code, device, _proof(challenge, device, mine.sign), **extra)
        assert_problem(forged, 403, "enroll.proof")
        assert "token" not in forged.text
    # A challenge moved to a later moment is not the centre's, even signed with the real key.
    issued, mac = challenge.rsplit(".", 1)
    moved = f"{issued[:17]}59.000000Z.{mac}"
    assert moved != challenge
    real = _proof(moved, device, lambda message: signing.sign(store, message)[1])
    assert_problem(_post(live_server, code, device, real), 403, "enroll.proof")
    assert count_rows(live_server.engine) == before
    assert _held_key(live_server, device) == signing.public_keys(store)[-1]["public_key"]
    # After the window even the counter itself cannot use it: the code is dead.
    live_server.clock.advance(minutes=enrollment.REPEAT_MINUTES)
    assert_problem(_post(live_server, code, device), 409, "enroll.spent")
    assert count_rows(live_server.engine) == before


def test_a_lost_reply_is_recovered_by_the_counter_with_the_key_it_sent(live_server, sync_counter):
    store = sync_counter.store
    assert signing.public_keys(store) == []  # a new counter: no receipt printed, no key yet
    code = live_server.enroll_code("VTE-SST", 1)
    with FaultProxy(("127.0.0.1", live_server.port), CutResponse(after=0)) as proxy:
        with pytest.raises(SyncError) as err:
            client.enroll_counter(store, sync_counter.admin, proxy.url, code)
        assert err.value.code == "sync.offline" and err.value.retry
        assert proxy.log[-1].outcome == "cut response"  # the centre bound the code; we never heard
        assert not client.is_configured(store)
        # The key the centre may have bound is kept, so the retry can prove it is this counter.
        kept = signing.public_keys(store)
        assert len(kept) == 1
        device = store.office["device_id"]
        assert _held_key(live_server, device) == kept[0]["public_key"]

        proxy.set_mode(PASS)
        client.enroll_counter(store, sync_counter.admin, proxy.url, code)
    assert signing.public_keys(store) == kept  # the same key, not a new one
    token = store.scalar("SELECT token FROM sync_state")
    assert _status_ok(live_server, token)
    with live_server.engine.connect() as conn:
        held = conn.execute(select(devices.c.token_sha256)).scalar_one()
    assert held == token_hash(token)


def test_a_proof_is_good_for_one_short_moment(live_server, sync_counter):
    store = sync_counter.store
    code = live_server.enroll_code("VTE-SST", 1)
    client.enroll_counter(store, sync_counter.admin, live_server.url, code)
    device = store.office["device_id"]
    challenge = _post(live_server, code, device).headers[protocol.ENROLL_CHALLENGE]
    proof = _proof(challenge, device, lambda message: signing.sign(store, message)[1])
    again = _post(live_server, code, device, proof)
    assert again.status_code == 200, again.text
    assert again.json()["token"] == store.scalar("SELECT token FROM sync_state")
    # A copy of that proof, sent later (still within the code's window), is worth nothing.
    live_server.clock.advance(minutes=enrollment.CHALLENGE_MINUTES)
    assert_problem(_post(live_server, code, device, proof), 403, "enroll.proof")


def test_a_retry_after_the_window_is_refused_and_changes_nothing(live_server, sync_counter):
    store = sync_counter.store
    with store.transaction():
        signing.ensure_key(store, sync_counter.clerk.id)  # a counter that has printed receipts
    code = live_server.enroll_code("VTE-SST", 1)
    cut = FaultProxy(("127.0.0.1", live_server.port), CutResponse(after=0))
    with cut as proxy, pytest.raises(SyncError):
        client.enroll(store, proxy.url, code)
    live_server.clock.advance(minutes=enrollment.REPEAT_MINUTES)
    before = snapshot(sync_counter.data_dir)
    with pytest.raises(SyncError) as err:
        client.enroll(store, live_server.url, code)
    assert err.value.code == "sync.enroll_spent" and not err.value.retry
    assert "new one" in err.value.message_en and "ລະຫັດໃໝ່" in err.value.message_lo
    assert snapshot(sync_counter.data_dir) == before
    assert not client.is_configured(store)


def test_a_released_counter_still_enrolls_but_cannot_recover_a_lost_reply(live_server):
    # A released counter without a key enrolls, makes its key, and at once enrolls again to
    # send it, unsigned: that second call is the only unsigned repeat let through.
    device, key = "released-1", "ab" * 32
    code = live_server.enroll_code("VTE-SST", 1)
    first = _post(live_server, code, device)
    assert first.status_code == 200, first.text
    second = _post(live_server, code, device, public_key=key)
    assert second.status_code == 200, second.text
    assert second.json()["token"] == first.json()["token"]
    assert _held_key(live_server, device) == key
    # Now a key is bound, an unsigned repeat (a lost reply's retry, or an attacker) is not.
    assert_problem(_post(live_server, code, device, public_key=key), 403, "enroll.proof")
    # Nor is a key offered late for a binding made without one.
    late = live_server.enroll_code("VTE-SST", 2)
    other = {"counter": 2}
    assert _post(live_server, late, "released-2", **other).status_code == 200
    live_server.clock.advance(seconds=enrollment.KEYLESS_SECONDS)
    refused = _post(live_server, late, "released-2", public_key=key, **other)
    assert_problem(refused, 409, "enroll.spent")
    assert _status_ok(live_server, first.json()["token"])


def test_unknown_codes_are_rate_limited_per_address(live_server, sync_counter):
    store = sync_counter.store
    code = live_server.enroll_code("VTE-SST", 1)
    for n in range(enrollment.WRONG_CODE_LIMIT):
        assert_problem(_post(live_server, f"WRONG-WRONG-WRONG-{n:05d}", "d-1"), 404)
    # From then on nothing is looked at, not even a right code: no guess can be tested.
    before = count_rows(live_server.engine)
    limited = _post(live_server, code, store.office["device_id"])
    problem = assert_problem(limited, 429, "enroll.rate_limited")
    assert limited.headers["Retry-After"] == str(enrollment.WRONG_CODE_MINUTES * 60)
    assert "127.0.0.1" in problem["detail"]
    with pytest.raises(SyncError) as err:
        client.enroll_counter(store, sync_counter.admin, live_server.url, code)
    assert err.value.code == "sync.enroll_rate_limited" and err.value.retry
    assert "10 min" in err.value.message_en and "10 ນາທີ" in err.value.message_lo
    assert signing.public_keys(store) == []  # a refusal changes nothing
    assert count_rows(live_server.engine) == before

    live_server.clock.advance(minutes=enrollment.WRONG_CODE_MINUTES)
    client.enroll_counter(store, sync_counter.admin, live_server.url, code)
    assert _status_ok(live_server, store.scalar("SELECT token FROM sync_state"))


def _request(peer: str, forwarded: str | None = None) -> Request:
    headers = [] if forwarded is None else [(b"x-forwarded-for", forwarded.encode())]
    return Request({"type": "http", "client": (peer, 40000), "headers": headers})


def test_the_address_counted_is_the_connection_unless_a_trusted_proxy_says(monkeypatch):
    # `odsc-server serve` runs uvicorn without proxy headers: the peer is the connection's.
    spoofed = _request("192.0.2.1", "203.0.113.9")
    assert enrollment.client_address(spoofed) == "192.0.2.1"
    monkeypatch.setenv(enrollment.TRUSTED_PROXIES_ENV, "10.0.0.2, 10.0.0.3")
    assert enrollment.client_address(spoofed) == "192.0.2.1"  # not a proxy named
    # Through two trusted proxies: the right-most address they did not write themselves.
    chain = _request("10.0.0.2", "198.51.100.7, 203.0.113.9, 10.0.0.3")
    assert enrollment.client_address(chain) == "203.0.113.9"
    assert enrollment.client_address(_request("10.0.0.2")) == "10.0.0.2"
    assert enrollment.client_address(_request("10.0.0.2", "garbage")) == "10.0.0.2"


def test_the_counter_enrolls_in_one_call_with_its_new_key(live_server, sync_counter):
    store = sync_counter.store
    before = snapshot(sync_counter.data_dir)
    with pytest.raises(SyncError) as err:
        client.enroll_counter(store, sync_counter.admin, live_server.url, "NOPE1-NOPE2-NOPE3-NOPE4")
    assert err.value.code == "sync.enroll_unknown"
    assert snapshot(sync_counter.data_dir) == before  # no key kept for a refused code

    code = live_server.enroll_code("VTE-SST", 1)
    done = client.enroll_counter(store, sync_counter.admin, live_server.url, code)
    assert done["device_id"] == store.office["device_id"]
    keys = signing.public_keys(store)
    assert len(keys) == 1
    assert _held_key(live_server, done["device_id"]) == keys[0]["public_key"]
    assert _status_ok(live_server, store.scalar("SELECT token FROM sync_state"))
