"""The store's schema, as sqlite-utils migrations.

Facts (requests, status events, payments, voids, refunds, cash sessions and closes, feedback,
closures, signing keys, receipt prints, transfer references, cash counts, the audit log) are
append-only: triggers refuse UPDATE and DELETE on them, so even a bug cannot rewrite history.
`request_current` is the one derived table: a trigger keeps it in step with the status events
so the overdue list reads a small partial index instead of deriving the status of every request
ever made. `odsc check` verifies it against the events.
"""

from __future__ import annotations

from contextvars import ContextVar

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from odsc_desk.shared.clock import Clock, stamp, system_clock
from odsc_desk.storage.chain import chain_seqs
from odsc_desk.storage.relink import relink

MIGRATION_SET = "odsc_desk"
APPLICATION_ID = 0x4F445343  # "ODSC": marks the file as ours, so a foreign SQLite file is refused

_M001_APPEND_ONLY = (
    "users",
    "catalog_versions",
    "services",
    "closures",
    "requests",
    "status_events",
    "cash_sessions",
    "cash_closes",
    "payments",
    "voids",
    "refunds",
    "feedback",
    "sequence_floors",
    "audit_log",
)
# m002: the counter's signing keys and the record of every receipt print.
_M002_APPEND_ONLY = ("counter_keys", "receipt_prints")
# m004: what a payment and a cash close hold beyond their synced facts (kept on the counter).
_M004_APPEND_ONLY = ("payment_references", "cash_counts")
APPEND_ONLY = _M001_APPEND_ONLY + _M002_APPEND_ONLY + _M004_APPEND_ONLY

migrations = Migrations(MIGRATION_SET)

# The clock of the store being migrated (`store.open_store` sets it): sqlite-utils hands a
# migration only the database, and a link a migration writes is stamped by the store's clock.
MIGRATION_CLOCK: ContextVar[Clock] = ContextVar("migration_clock", default=system_clock)

_INITIAL = [
    """CREATE TABLE office (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        device_id TEXT NOT NULL,
        office_code TEXT NOT NULL,
        office_name TEXT NOT NULL,
        counter INTEGER NOT NULL,
        created_at TEXT NOT NULL
    )""",
    """CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )""",
    """CREATE TABLE users (
        id TEXT PRIMARY KEY,
        username TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL CHECK (role IN ('clerk', 'supervisor', 'admin')),
        password_hash TEXT NOT NULL,
        created_at TEXT NOT NULL,
        created_by TEXT
    )""",
    """CREATE TABLE catalog_versions (
        version INTEGER PRIMARY KEY,
        label TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        imported_at TEXT NOT NULL,
        imported_by TEXT NOT NULL
    )""",
    """CREATE TABLE services (
        version INTEGER NOT NULL REFERENCES catalog_versions(version),
        code TEXT NOT NULL,
        ministry_code TEXT NOT NULL,
        ministry_lo TEXT NOT NULL,
        ministry_en TEXT NOT NULL,
        name_lo TEXT NOT NULL,
        name_en TEXT NOT NULL,
        fee INTEGER NOT NULL CHECK (fee >= 0),
        days INTEGER NOT NULL CHECK (days >= 0),
        documents TEXT NOT NULL,
        PRIMARY KEY (version, code)
    ) WITHOUT ROWID""",
    """CREATE TABLE closures (
        id TEXT PRIMARY KEY,
        date TEXT NOT NULL,
        reason TEXT NOT NULL,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL
    )""",
    """CREATE TABLE requests (
        id TEXT PRIMARY KEY,
        tracking TEXT NOT NULL UNIQUE,
        business_date TEXT NOT NULL,
        daily_seq INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL REFERENCES users(id),
        citizen_name TEXT NOT NULL,
        name_key TEXT NOT NULL,
        phone TEXT,
        id_number TEXT,
        village TEXT,
        service_code TEXT NOT NULL,
        catalog_version INTEGER NOT NULL,
        fee INTEGER NOT NULL CHECK (fee >= 0),
        promised_date TEXT NOT NULL,
        documents TEXT NOT NULL,
        UNIQUE (business_date, daily_seq),
        FOREIGN KEY (catalog_version, service_code) REFERENCES services(version, code)
    )""",
    "CREATE INDEX requests_name_key ON requests(name_key)",
    "CREATE INDEX requests_phone ON requests(phone) WHERE phone IS NOT NULL",
    "CREATE INDEX requests_id_number ON requests(id_number) WHERE id_number IS NOT NULL",
    # A status event is named by its request and its place in that request's history: no
    # UUID of its own (three events a request, the id and its index were a tenth of the file).
    """CREATE TABLE status_events (
        request_id TEXT NOT NULL REFERENCES requests(id),
        seq INTEGER NOT NULL,
        status TEXT NOT NULL,
        reason TEXT,
        at TEXT NOT NULL,
        by TEXT NOT NULL REFERENCES users(id),
        PRIMARY KEY (request_id, seq)
    )""",
    """CREATE TABLE request_current (
        request_id TEXT PRIMARY KEY REFERENCES requests(id),
        status TEXT NOT NULL,
        seq INTEGER NOT NULL,
        promised_date TEXT NOT NULL,
        open INTEGER NOT NULL
    ) WITHOUT ROWID""",
    "CREATE INDEX request_current_open ON request_current(promised_date) WHERE open = 1",
    """CREATE TRIGGER requests_current AFTER INSERT ON requests BEGIN
        INSERT INTO request_current (request_id, status, seq, promised_date, open)
        VALUES (NEW.id, 'received', 0, NEW.promised_date, 1);
    END""",
    """CREATE TRIGGER status_events_current AFTER INSERT ON status_events BEGIN
        UPDATE request_current
           SET status = NEW.status, seq = NEW.seq,
               open = NEW.status IN ('received', 'incomplete', 'in_process')
         WHERE request_id = NEW.request_id;
    END""",
    """CREATE TABLE cash_sessions (
        id TEXT PRIMARY KEY,
        business_date TEXT NOT NULL,
        opened_at TEXT NOT NULL,
        opened_by TEXT NOT NULL REFERENCES users(id),
        float_amount INTEGER NOT NULL CHECK (float_amount >= 0)
    )""",
    "CREATE INDEX cash_sessions_date ON cash_sessions(business_date)",
    """CREATE TABLE cash_closes (
        id TEXT PRIMARY KEY,
        session_id TEXT NOT NULL UNIQUE REFERENCES cash_sessions(id),
        closed_at TEXT NOT NULL,
        closed_by TEXT NOT NULL REFERENCES users(id),
        counted INTEGER NOT NULL CHECK (counted >= 0),
        expected INTEGER NOT NULL,
        difference INTEGER NOT NULL,
        approved_by TEXT REFERENCES users(id)
    )""",
    """CREATE TABLE payments (
        id TEXT PRIMARY KEY,
        receipt TEXT NOT NULL UNIQUE,
        receipt_year INTEGER NOT NULL,
        receipt_seq INTEGER NOT NULL,
        request_id TEXT NOT NULL REFERENCES requests(id),
        session_id TEXT NOT NULL REFERENCES cash_sessions(id),
        business_date TEXT NOT NULL,
        amount INTEGER NOT NULL CHECK (amount > 0),
        method TEXT NOT NULL CHECK (method IN ('cash', 'transfer')),
        at TEXT NOT NULL,
        by TEXT NOT NULL REFERENCES users(id),
        UNIQUE (receipt_year, receipt_seq)
    )""",
    "CREATE INDEX payments_request ON payments(request_id)",
    "CREATE INDEX payments_date ON payments(business_date)",
    """CREATE TABLE voids (
        id TEXT PRIMARY KEY,
        payment_id TEXT NOT NULL UNIQUE REFERENCES payments(id),
        session_id TEXT NOT NULL REFERENCES cash_sessions(id),
        business_date TEXT NOT NULL,
        reason TEXT NOT NULL,
        approved_by TEXT NOT NULL REFERENCES users(id),
        at TEXT NOT NULL,
        by TEXT NOT NULL REFERENCES users(id)
    )""",
    "CREATE INDEX voids_date ON voids(business_date)",
    """CREATE TABLE refunds (
        id TEXT PRIMARY KEY,
        payment_id TEXT NOT NULL REFERENCES payments(id),
        session_id TEXT NOT NULL REFERENCES cash_sessions(id),
        business_date TEXT NOT NULL,
        amount INTEGER NOT NULL CHECK (amount > 0),
        reason TEXT NOT NULL,
        approved_by TEXT NOT NULL REFERENCES users(id),
        at TEXT NOT NULL,
        by TEXT NOT NULL REFERENCES users(id)
    )""",
    "CREATE INDEX refunds_payment ON refunds(payment_id)",
    "CREATE INDEX refunds_date ON refunds(business_date)",
    """CREATE TABLE feedback (
        id TEXT PRIMARY KEY,
        request_id TEXT NOT NULL UNIQUE REFERENCES requests(id),
        rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
        comment TEXT,
        at TEXT NOT NULL,
        by TEXT NOT NULL REFERENCES users(id)
    )""",
    """CREATE TABLE sequence_floors (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('receipt', 'tracking')),
        period TEXT NOT NULL,
        floor INTEGER NOT NULL,
        reason TEXT NOT NULL,
        at TEXT NOT NULL,
        by TEXT
    )""",
    "CREATE INDEX sequence_floors_period ON sequence_floors(kind, period)",
    # A fact's link holds only its table and the chain hash: the fact row itself carries its
    # id, time and author, and its digest is recomputed from it, so `odsc check` loses nothing.
    # The other columns are for entries that are not facts (settings, the office identity).
    """CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY,
        entity TEXT NOT NULL,
        hash BLOB NOT NULL,
        at TEXT,
        actor TEXT,
        action TEXT,
        entity_id TEXT,
        digest BLOB
    )""",
    """CREATE TABLE outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        op_id TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        entity TEXT NOT NULL,
        payload TEXT,
        sha256 TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'acked', 'parked')),
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        created_at TEXT NOT NULL
    )""",
    "CREATE INDEX outbox_waiting ON outbox(state, seq) WHERE state != 'acked'",
    # Acknowledged ops are deleted (their fact rows can rebuild them); this count lets
    # `odsc check` tell an op the centre has from one that went missing.
    """CREATE TABLE outbox_acked (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        ops INTEGER NOT NULL
    )""",
    "INSERT INTO outbox_acked (id, ops) VALUES (1, 0)",
]


def _append_only_triggers(tables: tuple[str, ...]) -> list[str]:
    statements = []
    for table in tables:
        for event in ("UPDATE", "DELETE"):
            statements.append(
                f"CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, 'append-only table: {table}'); END"
            )
    return statements


@migrations()
def m001_initial(db: Database) -> None:
    for statement in _INITIAL + _append_only_triggers(_M001_APPEND_ONLY):
        db.execute(statement)


# m001b: a store made before the ledger was made lean records m001 as applied yet holds the
# first layout, because m001 itself was rewritten (before any release). relink.py verifies its
# old chain and rewrites it; on any other store this does nothing.
@migrations()
def m001b_lean_ledger(db: Database) -> None:
    # The tables of m001 and m002 only: later migrations run after this one, on a lean store.
    before_m003 = _M001_APPEND_ONLY + _M002_APPEND_ONLY
    triggers = _append_only_triggers(before_m003)
    relink(db.conn, _INITIAL, before_m003, triggers, stamp(MIGRATION_CLOCK.get()()))


_RECEIPTS = [
    # One Ed25519 key pair per counter signs the verification code printed on its receipts.
    # The private key never leaves this file (it is not synced); the centre gets the public key.
    """CREATE TABLE counter_keys (
        id TEXT PRIMARY KEY,
        algorithm TEXT NOT NULL CHECK (algorithm = 'ed25519'),
        public_key TEXT NOT NULL UNIQUE,
        private_key TEXT NOT NULL,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL REFERENCES users(id)
    )""",
    # Every print of a receipt: the first is the original, any later one a copy.
    """CREATE TABLE receipt_prints (
        id TEXT PRIMARY KEY,
        payment_id TEXT NOT NULL REFERENCES payments(id),
        seq INTEGER NOT NULL CHECK (seq >= 1),
        copy INTEGER NOT NULL CHECK (copy IN (0, 1)),
        format TEXT NOT NULL,
        at TEXT NOT NULL,
        by TEXT NOT NULL REFERENCES users(id),
        UNIQUE (payment_id, seq)
    )""",
]


@migrations()
def m002_receipts(db: Database) -> None:
    for statement in _RECEIPTS + _append_only_triggers(_M002_APPEND_ONLY):
        db.execute(statement)


# m003: the counter's link to the centre. One row, written by the sync (sync/client.py, and
# outbox.py for how far the centre has acknowledged).
#
# Not audited, unlike settings: none of it is a fact. It is the state of a conversation with
# the server (when it last answered, what it last said, how far it has acknowledged), rewritten
# on every sync attempt, and an audit link per attempt would bury the chain in noise. The token
# is a secret the centre can revoke and reissue (never printed, never in `--json` output);
# `odsc check` has nothing to prove about it. Facts a sync brings (a catalog version, a raised
# number floor) go through the ledger as usual.
_SYNC_STATE = [
    """CREATE TABLE sync_state (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        server_url TEXT,
        token TEXT,
        ca_bundle TEXT,
        enrolled_at TEXT,
        last_attempt TEXT,
        last_success TEXT,
        last_error_code TEXT,
        last_error_lo TEXT,
        last_error_en TEXT,
        acked_high_water INTEGER NOT NULL DEFAULT 0,
        reference_etag TEXT,
        batch_size INTEGER NOT NULL DEFAULT 50
    )""",
    "INSERT INTO sync_state (id) VALUES (1)",
]


def _outbox_seq_from_chain(db: Database) -> None:
    """Give every queued op its fact's audit-chain seq, the seq it travels under.

    Before m003 the queue numbered itself; from m003 on `ledger.append` writes the chain's seq,
    and `odsc check` holds the queue to it. Renumbering is skipped if any queued op cannot be
    found in the chain: that store is damaged and `odsc check` will say where.
    """
    queued = db.conn.execute("SELECT entity, op_id FROM outbox").fetchall()
    found = chain_seqs(db.conn, queued)
    if len(found) != len(queued):
        return
    # Through negative numbers, so no new seq collides with an old one still in place.
    db.conn.execute("UPDATE outbox SET seq = -seq")
    db.conn.executemany(
        "UPDATE outbox SET seq = ? WHERE op_id = ?", [(seq, op) for op, seq in found.items()]
    )


@migrations()
def m003_sync_state(db: Database) -> None:
    for statement in _SYNC_STATE:
        db.execute(statement)
    _outbox_seq_from_chain(db)


# m004: a transfer's bank reference, and how a drawer was counted (notes by denomination) with
# the reason for any difference. Chained through the ledger like every fact, but local: protocol
# v1 refuses unknown tables and columns, and released centres must keep accepting this counter's
# pushes, so neither table is in the fact registry. Sending them waits for a protocol extension.
_CASH_DETAILS = [
    """CREATE TABLE payment_references (
        id TEXT PRIMARY KEY,
        payment_id TEXT NOT NULL UNIQUE REFERENCES payments(id),
        reference TEXT NOT NULL
    )""",
    # One row per close. `notes` is the count by denomination as canonical JSON
    # ({"100000": 3, ...}; NULL when the drawer was counted as one sum), `other` the coins and
    # anything not counted note by note, `reason` why the count differs from the expected cash.
    """CREATE TABLE cash_counts (
        id TEXT PRIMARY KEY,
        close_id TEXT NOT NULL UNIQUE REFERENCES cash_closes(id),
        notes TEXT,
        other INTEGER NOT NULL CHECK (other >= 0),
        reason TEXT
    )""",
]


@migrations()
def m004_cash_details(db: Database) -> None:
    for statement in _CASH_DETAILS + _append_only_triggers(_M004_APPEND_ONLY):
        db.execute(statement)


# m005: failed logins in a row, by the name typed (users.authenticate slows and locks them).
# Not a fact and not audited: the state of a door, rewritten at each attempt and cleared by a
# success or a supervisor's unlock; the centre has no use for it, and the log file keeps each
# failure. `name` is the SHA-256 of the name in its key form, so a password typed into the
# name field is not kept in the file.
@migrations()
def m005_login_failures(db: Database) -> None:
    db.execute(
        """CREATE TABLE login_failures (
            name TEXT PRIMARY KEY,
            failures INTEGER NOT NULL CHECK (failures >= 1),
            last_at TEXT NOT NULL
        ) WITHOUT ROWID"""
    )


# m006: the last chain head the centre acknowledged (sync/anchor.py), so the next push can show
# that the chain still holds it. Not a fact and not audited: the centre keeps its own copy.
@migrations()
def m006_chain_anchor(db: Database) -> None:
    db.execute("ALTER TABLE sync_state ADD COLUMN anchor_seq INTEGER NOT NULL DEFAULT 0")
    db.execute("ALTER TABLE sync_state ADD COLUMN anchor_hash TEXT")


# m007: a catalog version's effective date (YYYY-MM-DD in Vientiane), as the centre published it.
# NULL, as in every row written before, means in effect at once; a NULL is left out of a row's
# canonical JSON, so the digests already in the chain still hold.
@migrations()
def m007_catalog_effective(db: Database) -> None:
    db.execute("ALTER TABLE catalog_versions ADD COLUMN effective_from TEXT")


# m008: the citizen's consent to a message on their phone about the request (1, else NULL) and
# its language, as the intake form asks. NULL in every row written before, and for a citizen
# who did not agree: a NULL is left out of the row's canonical JSON, so the digests already in
# the chain still hold and such a request goes to the centre as a released counter sent it.
@migrations()
def m008_message_consent(db: Database) -> None:
    db.execute("ALTER TABLE requests ADD COLUMN sms_consent INTEGER CHECK (sms_consent = 1)")
    db.execute("ALTER TABLE requests ADD COLUMN sms_lang TEXT CHECK (sms_lang IN ('lo', 'en'))")


# m009: the centre's public address (ODSC_PUBLIC_URL, sent at enrollment and on every reference
# answer), where receipts' QR codes send citizens to check them (shared.public_link). NULL: no
# address known (an old centre, or none enrolled yet), and receipts carry the bare code.
@migrations()
def m009_public_url(db: Database) -> None:
    db.execute("ALTER TABLE sync_state ADD COLUMN public_url TEXT")


# m010: the national calendar of public holidays and closures the centre published, each version
# as it came (its canonical JSON and sha256), and the tag of the last answer, sent back as
# If-None-Match. Reference data, not a fact: the centre holds every version, so it is neither
# pushed nor in the audit chain; a promised date it shaped is kept on the request itself.
@migrations()
def m010_national_calendar(db: Database) -> None:
    db.execute(
        """CREATE TABLE calendar_versions (
            version INTEGER PRIMARY KEY,
            label TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            effective_from TEXT,
            calendar TEXT NOT NULL,
            imported_at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE TABLE calendar_pull (id INTEGER PRIMARY KEY CHECK (id = 1), etag TEXT)")
    db.execute("INSERT INTO calendar_pull (id, etag) VALUES (1, NULL)")


# m011: a late request's new date, recorded when the new-date notice is printed
# (service_requests.record_new_date) as a status event that keeps the request's status. NULL in
# every event written before and in every other event, so the chain's digests still hold.
@migrations()
def m011_new_date(db: Database) -> None:
    db.execute("ALTER TABLE status_events ADD COLUMN new_date TEXT")


# m012: each status event's Lamport clock (odsc_desk.shared.request_history), written from now
# on so that the office's counters can one day merge a request's events in one order. NULL in
# every event written before, so the chain's digests still hold.
@migrations()
def m012_status_clock(db: Database) -> None:
    db.execute("ALTER TABLE status_events ADD COLUMN clock INTEGER")


# m013: the office's other counters' facts, pulled from the centre's office feed
# (docs/OFFICE_SHARING.md, D1): one table a fact kind, the columns its origin wrote, keyed by
# where it came from (its device, as a number of this store's roster, and its seq there), apart
# from this counter's own facts, outbox and audit chain, none of which a foreign fact may enter.
# Ids (BLOB columns) in UUID form are kept as their 16 bytes, any other id as its text
# (odsc_desk/storage/office_facts.py): a visit's facts hold some twenty ids, and as text they
# took a third of the store's growth. `office_devices`
# is the office's roster as the pages gave it, `office_pull` where the next read starts.
# The columns are written out, not taken from the fact registry: a migration stays what it was.
_M013_FACTS = {
    "requests": "id BLOB NOT NULL, tracking TEXT NOT NULL, business_date TEXT NOT NULL,"
    " daily_seq INTEGER NOT NULL, created_at TEXT NOT NULL, created_by BLOB NOT NULL,"
    " citizen_name TEXT NOT NULL, name_key TEXT NOT NULL, phone TEXT, id_number TEXT,"
    " village TEXT, service_code TEXT NOT NULL, catalog_version INTEGER NOT NULL,"
    " fee INTEGER NOT NULL, promised_date TEXT NOT NULL, documents TEXT NOT NULL,"
    " sms_consent INTEGER, sms_lang TEXT",
    "status_events": "request_id BLOB NOT NULL, seq INTEGER NOT NULL, status TEXT NOT NULL,"
    " reason TEXT, at TEXT NOT NULL, by BLOB NOT NULL, new_date TEXT, clock INTEGER",
    "payments": "id BLOB NOT NULL, receipt TEXT NOT NULL, receipt_year INTEGER NOT NULL,"
    " receipt_seq INTEGER NOT NULL, request_id BLOB NOT NULL, session_id BLOB NOT NULL,"
    " business_date TEXT NOT NULL, amount INTEGER NOT NULL, method TEXT NOT NULL,"
    " at TEXT NOT NULL, by BLOB NOT NULL",
    "voids": "id BLOB NOT NULL, payment_id BLOB NOT NULL, session_id BLOB NOT NULL,"
    " business_date TEXT NOT NULL, reason TEXT NOT NULL, approved_by BLOB NOT NULL,"
    " at TEXT NOT NULL, by BLOB NOT NULL",
    "refunds": "id BLOB NOT NULL, payment_id BLOB NOT NULL, session_id BLOB NOT NULL,"
    " business_date TEXT NOT NULL, amount INTEGER NOT NULL, reason TEXT NOT NULL,"
    " approved_by BLOB NOT NULL, at TEXT NOT NULL, by BLOB NOT NULL",
    "cash_sessions": "id BLOB NOT NULL, business_date TEXT NOT NULL, opened_at TEXT NOT NULL,"
    " opened_by BLOB NOT NULL, float_amount INTEGER NOT NULL",
    "cash_closes": "id BLOB NOT NULL, session_id BLOB NOT NULL, closed_at TEXT NOT NULL,"
    " closed_by BLOB NOT NULL, counted INTEGER NOT NULL, expected INTEGER NOT NULL,"
    " difference INTEGER NOT NULL, approved_by TEXT",
    "feedback": "id BLOB NOT NULL, request_id BLOB NOT NULL, rating INTEGER NOT NULL,"
    " comment TEXT, at TEXT NOT NULL, by BLOB NOT NULL",
    "closures": "id BLOB NOT NULL, date TEXT NOT NULL, reason TEXT NOT NULL,"
    " created_at TEXT NOT NULL, created_by BLOB NOT NULL",
    "sequence_floors": "id BLOB NOT NULL, kind TEXT NOT NULL, period TEXT NOT NULL,"
    " floor INTEGER NOT NULL, reason TEXT NOT NULL, at TEXT NOT NULL, by TEXT",
    "receipt_prints": "id BLOB NOT NULL, payment_id BLOB NOT NULL, seq INTEGER NOT NULL,"
    " copy INTEGER NOT NULL, format TEXT NOT NULL, at TEXT NOT NULL, by BLOB NOT NULL",
}
# What finding a citizen's request, and checking what a pulled fact refers to, look up.
_M013_INDEXES = (
    "CREATE UNIQUE INDEX office_requests_id ON office_requests (id)",
    "CREATE INDEX office_requests_tracking ON office_requests (tracking)",
    "CREATE INDEX office_requests_day ON office_requests (business_date, daily_seq)",
    "CREATE INDEX office_requests_phone ON office_requests (phone)",
    "CREATE INDEX office_requests_id_number ON office_requests (id_number)",
    "CREATE INDEX office_requests_name_key ON office_requests (name_key)",
    "CREATE INDEX office_feedback_request ON office_feedback (request_id)",
    "CREATE INDEX office_voids_payment ON office_voids (payment_id)",
    "CREATE INDEX office_refunds_payment ON office_refunds (payment_id)",
    "CREATE INDEX office_status_events_request ON office_status_events (request_id)",
    "CREATE UNIQUE INDEX office_payments_id ON office_payments (id)",
    "CREATE INDEX office_payments_request ON office_payments (request_id)",
    "CREATE UNIQUE INDEX office_cash_sessions_id ON office_cash_sessions (id)",
)


@migrations()
def m013_office_facts(db: Database) -> None:
    db.execute(
        """CREATE TABLE office_devices (
            n INTEGER PRIMARY KEY,
            device_id TEXT NOT NULL UNIQUE,
            counter INTEGER NOT NULL,
            key_id TEXT
        )"""
    )
    for table, columns in _M013_FACTS.items():
        db.execute(
            f"""CREATE TABLE office_{table} (
                origin INTEGER NOT NULL REFERENCES office_devices (n),
                origin_seq INTEGER NOT NULL,
                {columns},
                PRIMARY KEY (origin, origin_seq)
            ) WITHOUT ROWID"""
        )
    for statement in _M013_INDEXES:
        db.execute(statement)
    db.execute(
        """CREATE TABLE office_pull (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            after INTEGER NOT NULL,
            as_of TEXT,
            refused INTEGER NOT NULL
        )"""
    )
    db.execute("INSERT INTO office_pull (id, after, as_of, refused) VALUES (1, 0, NULL, 0)")


# m014: writing on another counter's request of the office (docs/OFFICE_SHARING.md, D2, D3).
# A status event about such a request carries the writing device (`device_id`, NULL on every
# other event, so the chain's digests still hold), and a status event's or payment's request
# may be a row of `office_requests`: their foreign key to `requests` goes, and the core checks
# the request instead (a foreign key cannot name either of two tables). Dropping a foreign key
# changes nothing on disk, so it is done as SQLite's documentation describes for that case, by
# rewriting the table's statement in the schema, not by copying a table that may hold years
# of payments. `office_pull.shared`: the centre's last status reply said it takes such facts.
_M014_REFERENCE = "request_id TEXT NOT NULL REFERENCES requests(id),"


@migrations()
def m014_office_writes(db: Database) -> None:
    db.execute("ALTER TABLE status_events ADD COLUMN device_id TEXT")
    db.execute("ALTER TABLE office_status_events ADD COLUMN device_id BLOB")
    db.execute("ALTER TABLE office_pull ADD COLUMN shared INTEGER NOT NULL DEFAULT 0")
    _drop_reference(db, ("status_events", "payments"), _M014_REFERENCE, "request_id TEXT NOT NULL,")


def _drop_reference(db: Database, tables: tuple[str, ...], clause: str, plain: str) -> None:
    """Rewrite each table's statement with its column `clause` as `plain` (a foreign key
    dropped), as SQLite's documentation describes: nothing on disk changes."""
    version = db.execute("PRAGMA schema_version").fetchone()[0]
    db.execute("PRAGMA writable_schema = ON")
    try:
        for table in tables:
            sql = db.execute(
                "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?", [table]
            ).fetchone()[0]
            if sql.count(clause) != 1:
                raise RuntimeError(f"{table} is not as m001 made it")
            db.execute(
                "UPDATE sqlite_schema SET sql = ? WHERE type = 'table' AND name = ?",
                [sql.replace(clause, plain), table],
            )
        db.execute(f"PRAGMA schema_version = {int(version) + 1}")
    finally:
        db.execute("PRAGMA writable_schema = OFF")


# m015: a copy of another counter's receipt, and what the supervisor's list of impossible
# histories reads (docs/OFFICE_SHARING.md, D2, D4). A print of a receipt may be of a payment of
# `office_payments` (its foreign key to `payments` goes, as m014 did for requests), found by its
# number, its copies counted by payment. `office_pull.writes` lists the facts the centre takes
# on another counter's request or receipt (its status reply's `office_writes`); it supersedes
# `shared`, which said it for status events and payments alone. The other indexes: the status
# events written on another counter's request (those with a `device_id`, a few among many), by
# time, and the office's payments by day (the office's day reads them by day too).
_M015_REFERENCE = "payment_id TEXT NOT NULL REFERENCES payments(id),"


@migrations()
def m015_office_copies(db: Database) -> None:
    db.execute("ALTER TABLE office_pull ADD COLUMN writes TEXT NOT NULL DEFAULT '[]'")
    db.execute('UPDATE office_pull SET writes = \'["payments", "status_events"]\' WHERE shared = 1')
    _drop_reference(db, ("receipt_prints",), _M015_REFERENCE, "payment_id TEXT NOT NULL,")
    db.execute("CREATE INDEX office_payments_receipt ON office_payments (receipt)")
    db.execute("CREATE INDEX office_receipt_prints_payment ON office_receipt_prints (payment_id)")
    db.execute(
        "CREATE INDEX status_events_shared ON status_events (at) WHERE device_id IS NOT NULL"
    )
    db.execute(
        "CREATE INDEX office_status_events_shared ON office_status_events (at)"
        " WHERE device_id IS NOT NULL"
    )
    db.execute("CREATE INDEX office_payments_day ON office_payments (business_date)")


# m016: a counter restored from an older backup reads back its own facts that only the centre
# holds (docs/OFFICE_SHARING.md, D6): `sync_state.recover_from` is the first audit seq after
# the backup, set by the restore and cleared once the next sync has read them.
@migrations()
def m016_recovery(db: Database) -> None:
    db.execute("ALTER TABLE sync_state ADD COLUMN recover_from INTEGER")


# m017: the heads counters sign over their ops (docs/OFFICE_SHARING.md, D9). This counter's own
# set: `outbox.in_set` marks the queued ops counted in it (sent once: the centre may hold them),
# `sync_state.ops_set` and `ops_count` hold it (NULL: not counted yet; odsc_desk/storage/
# own_set.py). The office's: per other counter, its set as this counter read it from the feed
# (`office_heads`), and the facts read but not kept yet (`office_waiting`: no head of their
# counter covers them yet, or they refer to a fact that waits). The feed is read again from its
# start, so that each counter's set is counted from its first fact.
@migrations()
def m017_ops_heads(db: Database) -> None:
    db.execute("ALTER TABLE outbox ADD COLUMN in_set INTEGER NOT NULL DEFAULT 0")
    db.execute("ALTER TABLE sync_state ADD COLUMN ops_set BLOB")
    db.execute("ALTER TABLE sync_state ADD COLUMN ops_count INTEGER")
    db.execute(
        """CREATE TABLE office_heads (
            device_id TEXT PRIMARY KEY,
            ops_set BLOB NOT NULL,
            count INTEGER NOT NULL,
            public_key TEXT,
            signing INTEGER NOT NULL DEFAULT 0
        )"""
    )
    db.execute(
        """CREATE TABLE office_waiting (
            pos INTEGER PRIMARY KEY,
            device_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            entity TEXT NOT NULL,
            payload TEXT NOT NULL,
            verified INTEGER NOT NULL DEFAULT 0
        )"""
    )
    db.execute("UPDATE office_pull SET after = 0")


def known_migrations() -> list[str]:
    return [m.name for m in migrations._migrations]
