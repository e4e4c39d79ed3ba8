"""The counter's signing key: signs the verification code printed on every receipt.

Ed25519 rather than an HMAC with an office secret: whoever checks a receipt (the centre, an
auditor, later a public page) needs only the public key, and holding it cannot forge a receipt;
with an HMAC every checker would hold the secret that makes receipts. Signatures are
deterministic, so a reprint carries the same code as the original.

One key pair per counter, made the first time a receipt is printed and kept in the store's
`counter_keys` table. The private key never leaves the file: the row is audited like any fact
(so swapping keys behind the app's back fails `odsc check`) but is not queued for sync; the
sync work sends `public_keys()` instead.
"""

from __future__ import annotations

import base64
from typing import TypedDict

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from odsc_desk.shared.errors import StateError
from odsc_desk.shared.receipt_code import key_id, payload
from odsc_desk.shared.slip_code import encode as slip_encode
from odsc_desk.shared.slip_code import payload as slip_payload
from odsc_desk.storage import ledger
from odsc_desk.storage.store import Store

ALGORITHM = "ed25519"


class CounterKey(TypedDict):
    """A row of `counter_keys`. The private key never leaves the store."""

    id: str
    algorithm: str
    public_key: str  # hex
    private_key: str  # hex
    created_at: str
    created_by: str  # user id


class PublicKey(TypedDict):
    key_id: str
    algorithm: str
    public_key: str  # hex
    created_at: str


def _current(store: Store) -> CounterKey | None:
    return store.one_as(CounterKey, "SELECT * FROM counter_keys ORDER BY rowid DESC LIMIT 1")


def public_keys(store: Store) -> list[PublicKey]:
    """Every key this counter has used, public parts only (hex), oldest first."""
    return store.all_as(
        PublicKey,
        "SELECT id AS key_id, algorithm, public_key, created_at FROM counter_keys ORDER BY rowid",
    )


def ensure_key(store: Store, actor_id: str) -> str:
    """The current key's id, making the key pair first if there is none (inside the caller's
    transaction, so the key and the first receipt it signs are written together)."""
    row = _current(store)
    if row is not None:
        return row["id"]
    return keep_key(store, actor_id, new_private_key())


def new_private_key() -> str:
    """A fresh private key (hex), not yet kept: enrollment sends its public part first and keeps
    it only once the centre may have bound it (`keep_key`)."""
    return Ed25519PrivateKey.generate().private_bytes_raw().hex()


def public_key_of(private_key: str) -> str:
    """The public part (hex) of a private key (hex)."""
    private = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(private_key))
    return private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex()


def sign_with(private_key: str, message: bytes) -> bytes:
    """The 64-byte Ed25519 signature of `message` with a key not yet kept (`new_private_key`)."""
    return Ed25519PrivateKey.from_private_bytes(bytes.fromhex(private_key)).sign(message)


def keep_key(store: Store, actor_id: str, private_key: str) -> str:
    """Keep `private_key` (hex) as the counter's current key, inside the caller's transaction;
    earlier keys stay listed, so receipts they signed still check."""
    public = bytes.fromhex(public_key_of(private_key))
    row = {
        "id": key_id(public),
        "algorithm": ALGORITHM,
        "public_key": public.hex(),
        "private_key": private_key,
        "created_at": store.now_stamp(),
        "created_by": actor_id,
    }
    ledger.append(store, "counter_keys", row)
    return row["id"]


def sign(store: Store, message: bytes) -> tuple[str, bytes]:
    """(key id, 64-byte Ed25519 signature) of `message` with the counter's current key."""
    row = _current(store)
    if row is None:
        raise StateError("signing.no_key")
    private = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(row["private_key"]))
    return row["id"], private.sign(message)


def make_code(store: Store, receipt: str, amount: int, at_stamp: str, signing_key: str) -> str:
    """A payment's verification code, signed with the counter's key `signing_key` (made by
    `ensure_key` first)."""
    text = payload(receipt, amount, at_stamp, signing_key)
    used, signature = sign(store, text.encode("ascii"))
    if used != signing_key:
        raise StateError("signing.key_changed", key=signing_key, current=used)
    return f"{text}:{base64.b32encode(signature).decode('ascii').rstrip('=')}"


def public_key_map(store: Store) -> dict[str, str]:
    """This counter's public keys by id (hex): what `receipt_code.verify` checks its receipts
    against."""
    return {row["key_id"]: row["public_key"] for row in public_keys(store)}


def make_slip_code(store: Store, actor_id: str, tracking: str) -> str:
    """A request's slip code (`shared.slip_code`), signed with the counter's current key, made
    first if the counter has none (the one thing printing a slip may write). Deterministic: a
    reprint carries the same code while the key stays."""
    current = _current(store)
    if current is not None:
        signing_key = current["id"]
    else:
        with store.transaction():
            signing_key = ensure_key(store, actor_id)
    text = slip_payload(tracking, signing_key)
    used, signature = sign(store, text.encode("ascii"))
    if used != signing_key:
        raise StateError("signing.key_changed", key=signing_key, current=used)
    return slip_encode(text, signature)
