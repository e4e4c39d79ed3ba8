"""TLS is verified, always: the real centre over HTTPS on loopback with its own CA.

A certificate the client cannot verify stops it before anything is sent; the centre's CA named
with `ca_bundle` is trusted, remembered, and required from then on (never a silent fallback to
no verification).
"""

from __future__ import annotations

import ipaddress
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests
import uvicorn
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from odsc_desk.storage import outbox
from sync import client
from sync.errors import SyncError
from sync.server import enrollment
from sync.server.app import create_app
from sync.server.db import open_db, writing
from tests.conftest import FakeClock
from tests.core.test_cli import snapshot
from tests.sync.conftest import free_port, visit


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 that is its own CA, and its key, as PEM files."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "ODSC test centre")])
    now = datetime.now(UTC)  # certificates are checked against the real clock
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "centre.pem", folder / "centre.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@dataclass
class TlsCentre:
    url: str
    ca: Path
    engine: object
    clock: FakeClock

    def enroll_code(self, office: str, counter: int) -> str:
        with writing(self.engine) as conn:
            return enrollment.create_code(conn, office, counter, self.clock())["code"]


@pytest.fixture
def tls_centre(tmp_path: Path) -> Iterator[TlsCentre]:
    cert, key = self_signed(tmp_path)
    engine = open_db(f"sqlite:///{tmp_path / 'centre.sqlite3'}")
    clock = FakeClock()
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(engine, clock=clock),
            host="127.0.0.1",
            port=port,
            log_level="warning",
            access_log=False,
            ssl_certfile=str(cert),
            ssl_keyfile=str(key),
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"https://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            if requests.get(f"{url}/healthz", verify=str(cert), timeout=1).status_code == 200:
                break
        except requests.ConnectionError:
            if time.monotonic() > deadline or not thread.is_alive():
                raise
        time.sleep(0.02)  # polling a server that is starting: there is no event to wait on
    try:
        yield TlsCentre(url, cert, engine, clock)
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        engine.dispose()


def test_an_unverifiable_certificate_stops_the_client_before_anything_is_sent(
    tls_centre, sync_counter
):
    store = sync_counter.store
    before = snapshot(sync_counter.data_dir)
    with pytest.raises(SyncError) as err:
        client.enroll(store, tls_centre.url, tls_centre.enroll_code("VTE-SST", 1))
    assert err.value.code == "sync.tls" and not err.value.retry
    assert "certificate" in err.value.message_en.lower()
    assert snapshot(sync_counter.data_dir) == before


def test_the_centres_own_ca_is_trusted_remembered_and_required(tls_centre, sync_counter, tmp_path):
    store = sync_counter.store
    ca = tmp_path / "ca-copy.pem"
    ca.write_bytes(tls_centre.ca.read_bytes())
    client.enroll(store, tls_centre.url, tls_centre.enroll_code("VTE-SST", 1), ca_bundle=str(ca))
    assert store.scalar("SELECT ca_bundle FROM sync_state") == str(ca.resolve())
    visit(sync_counter)
    result = client.sync_once(store)
    assert result.ok and result.pushed == 3 and result.pending == 0

    # Without its CA file the client does not fall back to trusting anyone.
    ca.unlink()
    visit(sync_counter)
    result = client.sync_once(store)
    assert not result.ok and result.error == "sync.ca_bundle_missing"
    assert outbox.pending_count(store) == 2
