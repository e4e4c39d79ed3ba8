"""Online backups and restores of the store, through SQLite's backup API.

A backup is a consistent copy taken while the app may be writing. A restore first saves the
current store, then replaces it, then raises the number floors so that no receipt or tracking
number the lost tail of the ledger may already have printed is handed out again.

A copy meant to leave the PC (`odsc backup --out`) is encrypted with a passphrase: it holds
citizens' data, the password hashes, the sync token (which works against the centre) and the
private key that signs receipts. Encrypted rather than with the secrets left out, because
leaving them out would still let the citizens' data walk away in clear, and because the signing
key is an audited fact: a copy without it fails `odsc check` and, restored, could sign no
receipt. The automatic copies stay whole and in clear: they stay on the PC (or the office's own
second drive) beside the store they copy, and a restore must bring the counter back as it was.

The encrypted format: a header (magic line, scrypt salt and cost, nonce prefix, a key check
that tells a wrong passphrase from a damaged file), then the copy
in 1 MiB chunks, each sealed with AES-256-GCM under a key derived from the passphrase by scrypt;
a chunk's nonce holds its index and whether it is the last, and every chunk authenticates the
header, so a file cut short, reordered or with its header changed is refused, not restored.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import struct
from collections.abc import Iterator
from contextlib import closing, contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO, TypedDict

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from odsc_desk.domain import users
from odsc_desk.domain.users import Actor
from odsc_desk.maintenance.autobackup import BackupError, auto_dir, write_verified
from odsc_desk.shared import safe_files
from odsc_desk.shared.clock import Clock, stamp, system_clock
from odsc_desk.shared.errors import AuthError, StoreError, ValidationError
from odsc_desk.shared.ids import new_id
from odsc_desk.storage import ledger, sync_state
from odsc_desk.storage.schema import known_migrations
from odsc_desk.storage.store import BACKUP_DIR, Store, open_store, store_path
from odsc_desk.storage.store_file import connect_read_only, copy_store, has_sqlite_header, is_ours


class SavedCopy(TypedDict):
    path: str
    bytes: int


class BackupOffice(TypedDict):
    """Whose store a backup file is."""

    office_code: str
    counter: int


ENCRYPTED_MAGIC = b"ODSC-DESK ENCRYPTED BACKUP 1\n"
_SALT_BYTES = 16
_NONCE_PREFIX_BYTES = 7  # + 4 bytes of chunk index + 1 byte "last chunk" = GCM's 12
_HEADER = struct.Struct(f">{_SALT_BYTES}sBBB{_NONCE_PREFIX_BYTES}s")  # salt, log2 n, r, p, prefix
_SCRYPT_LOG2_N, _SCRYPT_R, _SCRYPT_P = 15, 8, 1  # 32 MiB and about 0.1 s a try
_CHUNK = 1 << 20
_TAG = 16


def backup(store: Store, out: Path | str, passphrase: str | None = None) -> SavedCopy:
    """A verified copy of the store at `out`: a new file, never over a file or through a link
    already there (see `safe_files`). A failure leaves nothing there. With a `passphrase` (at
    least as strong as a new password must be) the copy is encrypted: see the module's notes."""
    target = Path(out)
    if passphrase is not None:
        users.check_password_strength(passphrase)
    # The name is taken first, as an empty file only this call made: the verified copy then
    # replaces that file and nothing else, whatever another program does meanwhile.
    safe_files.open_new(target).close()
    try:
        _check_room(store, target.parent)
        if passphrase is None:
            write_verified(store.conn, target)
        else:
            with _clear_copy(store.path.parent) as clear:
                write_verified(store.conn, clear)
                _write_encrypted(clear, target, passphrase)
    except BaseException:
        with suppress(OSError):
            target.unlink()
        raise
    return {"path": str(target), "bytes": target.stat().st_size}


def is_encrypted(path: Path | str) -> bool:
    """Whether `path` is an encrypted backup (`backup` with a passphrase)."""
    try:
        with Path(path).open("rb") as handle:
            return handle.read(len(ENCRYPTED_MAGIC)) == ENCRYPTED_MAGIC
    except OSError:
        return False


@contextmanager
def _clear_copy(data_dir: Path) -> Iterator[Path]:
    """A name for a copy in clear in the data folder, beside the store (on the PC, never on the
    drive the encrypted copy goes to), removed however the block ends."""
    path = data_dir / f".clear-copy-{new_id()}.partial"  # never listed as a backup
    try:
        yield path
    finally:
        path.unlink(missing_ok=True)


def _key(passphrase: str, salt: bytes, log2_n: int, r: int, p: int) -> AESGCM:
    kdf = Scrypt(salt=salt, length=32, n=1 << log2_n, r=r, p=p)
    return AESGCM(kdf.derive(passphrase.encode("utf-8")))


def _nonce(prefix: bytes, index: int, last: bool) -> bytes:
    return prefix + struct.pack(">IB", index, int(last))


def _write_encrypted(clear: Path, target: Path, passphrase: str) -> None:
    """`clear` sealed into `target` (the placeholder `backup` made), through a partial file that
    replaces it once written, flushed and read back: a copy that cannot be opened again with
    the same passphrase is never left."""
    header = ENCRYPTED_MAGIC + _HEADER.pack(
        os.urandom(_SALT_BYTES),
        _SCRYPT_LOG2_N,
        _SCRYPT_R,
        _SCRYPT_P,
        os.urandom(_NONCE_PREFIX_BYTES),
    )
    salt, log2_n, r, p, prefix = _HEADER.unpack(header[len(ENCRYPTED_MAGIC) :])
    aes = _key(passphrase, salt, log2_n, r, p)
    header += aes.encrypt(_key_check_nonce(prefix), b"", header)
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    digest = hashlib.sha256()
    try:
        with safe_files.new_file(partial) as sealed, clear.open("rb") as source:
            sealed.write(header)
            index, chunk = 0, source.read(_CHUNK)
            while True:
                following = source.read(_CHUNK)
                digest.update(chunk)
                nonce = _nonce(prefix, index, not following)
                sealed.write(aes.encrypt(nonce, chunk, header))
                if not following:
                    break
                index, chunk = index + 1, following
            sealed.flush()
            os.fsync(sealed.fileno())
        with partial.open("rb") as check:
            if _decrypt_into(check, None, passphrase, partial) != digest.digest():
                raise BackupError("backup.verify_failed", path=str(target), detail="sha256")
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def _key_check_nonce(prefix: bytes) -> bytes:
    """The nonce of the header's key check: an index no chunk reaches, so never a chunk's."""
    return _nonce(prefix, 0xFFFFFFFF, True)


def _decrypt_into(source: BinaryIO, out: BinaryIO | None, passphrase: str, path: Path) -> bytes:
    """The clear copy's SHA-256, written to `out` as it is opened (None: only checked). The
    header's key check (the tag of nothing, sealed with the key) tells a wrong passphrase
    from a damaged file."""
    size = len(ENCRYPTED_MAGIC) + _HEADER.size
    header = source.read(size)
    if len(header) != size or not header.startswith(ENCRYPTED_MAGIC):
        raise ValidationError("restore.damaged", "file", path=str(path))
    salt, log2_n, r, p, prefix = _HEADER.unpack(header[len(ENCRYPTED_MAGIC) :])
    if not (10 <= log2_n <= 22 and 1 <= r <= 32 and 1 <= p <= 16):
        raise ValidationError("restore.damaged", "file", path=str(path))  # no costly nonsense
    aes = _key(passphrase, salt, log2_n, r, p)
    check = source.read(_TAG)
    try:
        aes.decrypt(_key_check_nonce(prefix), check, header)
    except InvalidTag as exc:
        raise ValidationError("restore.passphrase_wrong", "passphrase", path=str(path)) from exc
    header += check
    digest = hashlib.sha256()
    index, chunk = 0, source.read(_CHUNK + _TAG)
    while True:
        following = source.read(_CHUNK + _TAG)
        try:
            clear = aes.decrypt(_nonce(prefix, index, not following), chunk, header)
        except InvalidTag as exc:
            raise ValidationError("restore.damaged", "file", path=str(path)) from exc
        digest.update(clear)
        if out is not None:
            out.write(clear)
        if not following:
            return digest.digest()
        index, chunk = index + 1, following


def _check_room(store: Store, folder: Path) -> None:
    """Refuse before copying when the folder's disk cannot hold the copy. SQLite calls a disk
    full only when a write says so: a full quota, or a network share that says so only when
    the copy is flushed, comes back as "disk I/O error", which tells a clerk nothing."""
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    page_size = store.conn.execute("PRAGMA page_size").fetchone()[0]
    if shutil.disk_usage(folder).free < pages * page_size:
        raise BackupError("backup.target_full", path=str(folder))


def inspect_backup(path: Path) -> BackupOffice:
    """Refuse anything that is not a sound ODSC store before it goes near the live one."""
    if not path.is_file():
        raise ValidationError("file.missing", "file", path=str(path))
    if is_encrypted(path):
        # Opened by `restore` with its passphrase, into a clear copy that is then inspected.
        raise ValidationError("restore.encrypted", "file", path=str(path))
    if not has_sqlite_header(path):
        raise ValidationError("restore.not_store", "file", path=str(path))
    try:
        conn = connect_read_only(path)
        try:
            if not is_ours(conn):
                raise ValidationError("restore.not_store", "file", path=str(path))
            if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise ValidationError("restore.damaged", "file", path=str(path))
            # A copy this version cannot open must not replace a store it can.
            made_by = {r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations")}
            newer = made_by - set(known_migrations())
            if newer:
                raise ValidationError(
                    "restore.newer", "file", path=str(path), migrations=", ".join(sorted(newer))
                )
            office = conn.execute("SELECT office_code, counter FROM office").fetchone()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise ValidationError("restore.damaged", "file", path=str(path)) from exc
    if office is None:
        raise ValidationError("restore.not_store", "file", path=str(path))
    return {"office_code": office[0], "counter": office[1]}


# What each backup in the data folder is, by the start of its name (the restore list shows it).
NAME_PREFIXES = (
    ("pre-migrate-", "pre-migrate"),
    ("pre-restore-", "pre-restore"),
    ("odsc-", "automatic"),
)


def list_backups(
    data_dir: Path | str, second: Path | None = None, counter: str = ""
) -> list[dict[str, Any]]:
    """Every backup file in `<data>/backups` and `<data>/backups/auto`, and the automatic copies
    of `counter` ("VTE-SST-1") in the second location, newest first. Not opened: see
    `inspect_backup`."""
    folders = [(Path(data_dir) / BACKUP_DIR, "here"), (auto_dir(data_dir), "here")]
    if second is not None:
        folders.append((second, "second"))
    found = []
    for folder, where in folders:
        try:
            paths = [p for p in folder.iterdir() if p.suffix == ".sqlite3" and p.is_file()]
        except OSError:
            continue  # a missing or unreadable folder holds nothing to list
        for path in paths:
            kind = next((k for prefix, k in NAME_PREFIXES if path.name.startswith(prefix)), "other")
            if where == "second" and not path.name.startswith(f"odsc-{counter}-"):
                continue  # other counters' copies and other files on a shared drive
            stat = path.stat()
            found.append(
                {
                    "path": path,
                    "kind": kind,
                    "where": where,
                    "bytes": stat.st_size,
                    "modified": datetime.fromtimestamp(stat.st_mtime, UTC),
                }
            )
    return sorted(found, key=lambda b: b["modified"], reverse=True)


def _high_water(conn: sqlite3.Connection) -> list[tuple[str, str, int]]:
    rows = conn.execute(
        "SELECT 'receipt' AS kind, CAST(receipt_year AS TEXT) AS period, MAX(receipt_seq) AS top"
        " FROM payments GROUP BY receipt_year"
        " UNION ALL SELECT 'tracking', business_date, MAX(daily_seq) FROM requests"
        " GROUP BY business_date"
        " UNION ALL SELECT kind, period, MAX(floor) FROM sequence_floors GROUP BY kind, period"
    )
    best: dict[tuple[str, str], int] = {}
    for kind, period, top in rows:
        best[(kind, period)] = max(best.get((kind, period), 0), top)
    return [(kind, period, top) for (kind, period), top in best.items()]


def _salvage_high_water(path: Path) -> list[tuple[str, str, int]]:
    """Numbers a damaged store had issued, as far as its pages can still be read."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return _high_water(conn)
        finally:
            conn.close()
    except sqlite3.Error:
        return []


def restore(
    data_dir: Path | str,
    source: Path | str,
    actor: Actor | None,
    *,
    clock: Clock = system_clock,
    passphrase: str | None = None,
) -> dict[str, Any]:
    """Replace the store in `data_dir` with a backup. `actor` is required while it opens. An
    encrypted backup needs its `passphrase`; it is opened into a clear copy in the data folder,
    removed once restored."""
    source_path = Path(source)
    if passphrase is None or not is_encrypted(source_path):
        return _restore(Path(data_dir), source_path, source_path, actor, clock)
    Path(data_dir).mkdir(parents=True, exist_ok=True)
    with _clear_copy(Path(data_dir)) as clear:
        with source_path.open("rb") as sealed, safe_files.new_file(clear, "file") as out:
            _decrypt_into(sealed, out, passphrase, source_path)
        return _restore(Path(data_dir), clear, source_path, actor, clock)


def _restore(
    data_dir: Path, source_path: Path, named: Path, actor: Actor | None, clock: Clock
) -> dict[str, Any]:
    """`restore` from a backup in clear at `source_path`, said to be `named`."""
    found = inspect_backup(source_path)
    live = store_path(Path(data_dir))
    saved_as = None
    marks: list[tuple[str, str, int]] = []
    if live.exists():
        try:
            current = open_store(data_dir, clock=clock)
        except StoreError:
            current = None  # damaged or foreign: set aside below, restoring is the cure
        if current is not None:
            try:
                if actor is None or not users.has_role(actor, "supervisor"):
                    raise AuthError(
                        "auth.role", "user", user=getattr(actor, "username", "-"), role="supervisor"
                    )
                office = current.office
                if (office["office_code"], office["counter"]) != (
                    found["office_code"],
                    found["counter"],
                ):
                    raise ValidationError(
                        "restore.other_counter",
                        "file",
                        office=f"{found['office_code']}-{found['counter']}",
                    )
                marks = _high_water(current.conn)
                backup_dir = live.parent / BACKUP_DIR
                backup_dir.mkdir(exist_ok=True)
                saved = backup_dir / f"pre-restore-{stamp(clock()).replace(':', '')}.sqlite3"
                backup(current, saved)
                saved_as = str(saved)
            finally:
                current.close()
        else:
            aside = live.with_name(f"{live.name}.damaged-{stamp(clock()).replace(':', '')}")
            marks = _salvage_high_water(live)
            live.rename(aside)
            for suffix in ("-wal", "-shm"):
                Path(f"{live}{suffix}").unlink(missing_ok=True)
            saved_as = str(aside)
    else:
        live.parent.mkdir(parents=True, exist_ok=True)
    with closing(connect_read_only(source_path)) as source_conn:
        copy_store(source_conn, live, self_contained=False)
    store = open_store(data_dir, clock=clock)
    try:
        # What this counter wrote after the backup may be at the centre: the next sync reads
        # it back (sync/own_recovery.py), from the first seq the backup does not hold.
        head = store.scalar_int("SELECT COALESCE(MAX(seq), 0) FROM audit_log")
        sync_state.record(store, recover_from=head + 1)
        raised = raise_floors(store, marks, actor, "restore")
    finally:
        store.close()
    return {
        "restored_from": str(named),
        "previous_saved_as": saved_as,
        "floors_raised": raised,
    }


def raise_floors(
    store: Store, marks: list[tuple[str, str, int]], actor: Actor | None, reason: str
) -> int:
    """Keep numbering above (kind, period, top) marks this store may not hold itself: those of
    the store it replaced ("restore"), or those the centre holds for this counter ("centre")."""
    restored = {(k, p): top for k, p, top in _high_water(store.conn)}
    raised = 0
    with store.transaction():
        for kind, period, top in marks:
            if restored.get((kind, period), 0) < top:
                ledger.append(
                    store,
                    "sequence_floors",
                    {
                        "id": new_id(),
                        "kind": kind,
                        "period": period,
                        "floor": top,
                        "reason": reason,
                        "by": actor.id if actor else None,
                        "at": store.now_stamp(),
                    },
                )
                raised += 1
    return raised
