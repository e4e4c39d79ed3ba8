"""A counter enrolled without its receipt key registers it at its next sync (issue 15: the keys
the centre holds are the only trust roots for receipts), on SQLite and PostgreSQL.

A real counter enrolls with a real centre on loopback before it has a key (as a released counter,
or one enrolled before its first receipt, did), prints a receipt and a slip (real PDFs, their QR
read back with zxing-cpp), and both read "not genuine" at the centre; after one sync they are
genuine. The centre never replaces a key it holds, refuses a key not proven by its signature,
one bound to another device, and any call from a revoked device, each with nothing changed. A
released centre (no `key_id` in its status, no endpoint: 404) keeps syncing with today's
counter.
"""

from __future__ import annotations

import base64
import json
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select

from odsc_desk.domain import cash, service_requests, signing
from odsc_desk.shared import receipt_code
from odsc_desk.shared.catalog_file import demo_catalog_path
from odsc_desk.storage import sync_state
from receipts import slips
from receipts.receipt import print_receipt
from sync import client, protocol
from sync.backoff import BatchSize
from sync.server import enrollment
from sync.server.db import devices, writing
from sync.transport import Transport
from tests.conftest import Counter, FakeClock
from tests.receipts.conftest import qr_codes
from tests.sync.conftest import (
    LiveServer,
    ReleasedCentre,
    assert_problem,
    count_rows,
    get,
    make_office_counter,
    post_raw,
    visit,
)

# The last commit before a counter could register its key after enrollment: a released centre.
RELEASED = "7ca283b"


@dataclass
class Keyless:
    """A counter of VTE-SST enrolled, with its drawer open, before it had a receipt key."""

    server: LiveServer
    counter: Counter
    token: str

    @property
    def device_id(self) -> str:
        return str(self.counter.store.office["device_id"])

    def held(self) -> tuple[str | None, str | None]:
        """(public key, key id) the centre holds for this counter."""
        with self.server.engine.connect() as conn:
            row = conn.execute(
                select(devices.c.public_key, devices.c.key_id).where(
                    devices.c.device_id == self.device_id
                )
            ).one()
        return row.public_key, row.key_id

    def receipt_code(self, tmp: Path) -> str:
        """A paid visit's receipt printed to a PDF: the code its QR holds."""
        payment = visit(self.counter)
        out = tmp / f"{payment['receipt']}.pdf"
        print_receipt(self.counter.store, self.counter.clerk, payment["receipt"], out)
        found = qr_codes(out)
        assert len(found) == 1, found
        return found[0]

    def slip_code(self, tmp: Path) -> tuple[str, str]:
        """(tracking number, the code its slip's QR holds) of a new request."""
        taken = service_requests.record_request(
            self.counter.store, self.counter.clerk, service_code="MOHA-BIRTH", citizen_name="Kham"
        )
        out = tmp / "slip.pdf"
        slips.write_slip(self.counter.store, self.counter.clerk, taken["tracking"], out, "80mm")
        (code,) = qr_codes(out)
        return taken["tracking"], code

    def post_key(self, body: dict[str, Any], token: str | None = None) -> requests.Response:
        return post_raw(
            self.server.url + protocol.DEVICE_KEY,
            token or self.token,
            json.dumps(body).encode(),
        )


def _enroll_keyless(server: LiveServer | str, counter: Counter, code: str) -> str:
    assert signing.public_keys(counter.store) == []  # no receipt yet: no key to send
    url = server if isinstance(server, str) else server.url
    client.enroll(counter.store, url, code)
    return str(sync_state.read(counter.store)["token"])


@pytest.fixture
def keyless(live_server: LiveServer, tmp_path: Path, clock: FakeClock) -> Iterator[Keyless]:
    counter = make_office_counter(tmp_path / "counter", clock)
    live_server.publish_catalog(demo_catalog_path())
    token = _enroll_keyless(live_server, counter, live_server.enroll_code("VTE-SST", 1))
    cash.open_cash(counter.store, counter.clerk, 0)
    yield Keyless(live_server, counter, token)
    counter.store.close()


def _signed(private: Ed25519PrivateKey, device_id: str) -> dict[str, str]:
    """A key registration as a counter holding `private` makes it."""
    public = private.public_key().public_bytes_raw().hex()
    signature = private.sign(protocol.device_key_message(device_id, public))
    return {"public_key": public, "signature": base64.urlsafe_b64encode(signature).decode()[:86]}


def _verdict(scene: Keyless, code: str) -> str:
    reply = requests.get(f"{scene.server.url}/v/{code}?lang=en", timeout=10)
    if reply.status_code == 404:
        assert "Not genuine" in reply.text
        return "not genuine"
    assert reply.status_code == 200, reply.text
    assert "Genuine: signed by counter 1 of" in reply.text
    return "genuine"


def _slip(scene: Keyless, code: str) -> requests.Response:
    return requests.get(f"{scene.server.url}/s/{code}?lang=en", timeout=10)


# -- the counter registers its key at its next sync -------------------------------------------


def test_a_keyless_counter_s_receipts_and_slips_check_after_its_next_sync(
    keyless: Keyless, tmp_path: Path
) -> None:
    assert keyless.held() == (None, None)
    code = keyless.receipt_code(tmp_path)
    tracking, slip = keyless.slip_code(tmp_path)
    (key,) = signing.public_keys(keyless.counter.store)
    assert receipt_code.parse(code)[0].key_id == key["key_id"]
    # The centre cannot check what this counter signs: it holds no key for it.
    assert _verdict(keyless, code) == "not genuine"
    refused = _slip(keyless, slip)
    assert refused.status_code == 404 and "not a genuine slip code" in refused.text

    status = get(keyless.server.url + protocol.STATUS, keyless.token).json()
    assert status["key_id"] is None
    result = client.sync_once(keyless.counter.store)
    assert result.ok and result.key_sent and result.parked == 0, result

    assert keyless.held() == (key["public_key"], key["key_id"])
    assert (
        get(keyless.server.url + protocol.STATUS, keyless.token).json()["key_id"] == (key["key_id"])
    )
    assert _verdict(keyless, code) == "genuine"
    opened = _slip(keyless, slip)
    assert opened.status_code == 200 and "not a genuine slip code" not in opened.text
    assert f"<dd>{tracking}</dd>" in opened.text or tracking in opened.text.split("<main", 1)[1]

    # Held now: the next run sends nothing.
    again = client.sync_once(keyless.counter.store)
    assert again.ok and not again.key_sent


def test_a_counter_with_no_key_yet_sends_nothing_and_syncs(keyless: Keyless) -> None:
    service_requests.record_request(
        keyless.counter.store, keyless.counter.clerk, service_code="MOHA-BIRTH", citizen_name="X"
    )
    result = client.sync_once(keyless.counter.store)
    assert result.ok and result.pushed > 0 and not result.key_sent
    assert keyless.held() == (None, None)


def test_the_key_already_held_is_answered_again_and_changes_nothing(
    keyless: Keyless, tmp_path: Path
) -> None:
    keyless.receipt_code(tmp_path)
    assert client.sync_once(keyless.counter.store).key_sent
    (key,) = signing.public_keys(keyless.counter.store)
    message = protocol.device_key_message(keyless.device_id, key["public_key"])
    _, signature = signing.sign(keyless.counter.store, message)
    body = {
        "public_key": key["public_key"],
        "signature": base64.urlsafe_b64encode(signature).rstrip(b"=").decode(),
    }
    before = count_rows(keyless.server.engine)
    reply = keyless.post_key(body)  # a retry after a lost reply
    assert reply.status_code == 200, reply.text
    assert reply.json() == {"device_id": keyless.device_id, "key_id": key["key_id"]}
    assert count_rows(keyless.server.engine) == before


# -- refusals: each leaves every row as it was ------------------------------------------------


def test_a_second_different_key_is_refused_and_the_first_kept(
    keyless: Keyless, tmp_path: Path
) -> None:
    keyless.receipt_code(tmp_path)
    assert client.sync_once(keyless.counter.store).key_sent
    first = keyless.held()
    before = count_rows(keyless.server.engine)
    # Whoever holds the token and a key of their own cannot swap the trust root.
    problem = assert_problem(
        keyless.post_key(_signed(Ed25519PrivateKey.generate(), keyless.device_id)), 409, "key.held"
    )
    assert "admin" in problem["detail"]
    assert keyless.held() == first
    assert count_rows(keyless.server.engine) == before


def test_a_key_not_proven_is_refused(keyless: Keyless) -> None:
    before = count_rows(keyless.server.engine)
    mine, other = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    claimed = _signed(mine, keyless.device_id)
    forged = {**claimed, "signature": _signed(other, keyless.device_id)["signature"]}
    for body in (
        forged,  # signed by another key than the one sent
        _signed(mine, "another-device"),  # signed for another device
    ):
        assert_problem(keyless.post_key(body), 403, "key.proof")
    for body in (
        {**claimed, "public_key": claimed["public_key"].upper()},  # not the hex a counter sends
        {**claimed, "public_key": "ab" * 31},  # too short
        {**claimed, "signature": "A" * 85},
        {**claimed, "signature": "!" * 86},
        {**claimed, "extra": "x"},
        {"public_key": claimed["public_key"]},
    ):
        assert_problem(keyless.post_key(body), 422, "request.invalid")
    assert keyless.held() == (None, None)
    assert count_rows(keyless.server.engine) == before


def test_a_revoked_device_cannot_register_a_key(keyless: Keyless, tmp_path: Path) -> None:
    keyless.receipt_code(tmp_path)
    with writing(keyless.server.engine) as conn:
        assert enrollment.revoke(conn, keyless.device_id, keyless.server.clock())
    before = count_rows(keyless.server.engine)
    assert_problem(
        keyless.post_key(_signed(Ed25519PrivateKey.generate(), keyless.device_id)),
        401,
        "auth.revoked",
    )
    result = client.sync_once(keyless.counter.store)
    assert not result.ok and result.error == "sync.unauthorized"
    assert keyless.held() == (None, None)
    assert count_rows(keyless.server.engine) == before


def test_a_key_held_for_another_device_is_refused(
    keyless: Keyless, tmp_path: Path, clock: FakeClock
) -> None:
    # A second counter whose store is a copy (same private key) of the first's: whose receipt
    # is whose could no longer be told.
    keyless.receipt_code(tmp_path)
    assert client.sync_once(keyless.counter.store).key_sent
    twin = make_office_counter(tmp_path / "twin", clock, counter=2)
    try:
        token = _enroll_keyless(keyless.server, twin, keyless.server.enroll_code("VTE-SST", 2))
        (key,) = signing.public_keys(keyless.counter.store)
        twin_id = str(twin.store.office["device_id"])
        message = protocol.device_key_message(twin_id, key["public_key"])
        _, signature = signing.sign(keyless.counter.store, message)
        body = {
            "public_key": key["public_key"],
            "signature": base64.urlsafe_b64encode(signature).rstrip(b"=").decode(),
        }
        before = count_rows(keyless.server.engine)
        assert_problem(keyless.post_key(body, token), 409, "key.elsewhere")
        assert count_rows(keyless.server.engine) == before
        with keyless.server.engine.connect() as conn:
            held = conn.execute(
                select(devices.c.public_key).where(devices.c.device_id == twin_id)
            ).scalar_one()
        assert held is None
    finally:
        twin.store.close()


def test_only_a_counter_may_register_a_key(keyless: Keyless) -> None:
    body = _signed(Ed25519PrivateKey.generate(), keyless.device_id)
    assert_problem(keyless.post_key(body, keyless.server.viewer_token()), 403, "auth.device_only")
    assert_problem(
        post_raw(keyless.server.url + protocol.DEVICE_KEY, None, json.dumps(body).encode()),
        401,
        "auth.missing",
    )
    assert keyless.held() == (None, None)


# -- a released centre ------------------------------------------------------------------------


def test_a_released_centre_keeps_syncing_with_a_keyed_counter(
    released_centre: Callable[[str], ReleasedCentre],
    sync_counter: Counter,
    tmp_path: Path,
) -> None:
    centre = released_centre(RELEASED)
    assert "key_id" not in Path(centre.tree, "sync/server/status.py").read_text(encoding="utf-8")
    _enroll_keyless(centre.url, sync_counter, centre.enroll_code("VTE-SST", 1))
    payment = visit(sync_counter)
    print_receipt(sync_counter.store, sync_counter.clerk, payment["receipt"], tmp_path / "r.pdf")
    assert signing.public_keys(sync_counter.store)

    # Its status says nothing of keys, so nothing is sent; the run is whole.
    result = client.sync_once(sync_counter.store)
    assert result.ok and result.pushed > 0 and result.parked == 0 and not result.key_sent
    with sqlite3.connect(centre.db) as conn:
        assert conn.execute("SELECT count(*) FROM ops").fetchone()[0] == result.pushed

    # Even when a run asks (a centre that said it held none), the released centre's 404 ends
    # only that step.
    state = sync_state.read(sync_counter.store)
    transport = Transport(
        centre.url, device_time=sync_counter.store.now_stamp, token=state["token"]
    )
    assert transport.call("POST", protocol.DEVICE_KEY, body={}).status_code == 404
    run = client._Run(sync_counter.store, BatchSize(state["batch_size"]))
    run.key_wanted = True
    run.send_key(transport)
    assert not run.key_sent
    assert client.sync_once(sync_counter.store).ok
