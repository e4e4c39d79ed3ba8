"""The centre's database: its tables (SQLAlchemy Core), and opening one at its newest schema.

The same tables serve an SQLite file (a district or a trial: no setup at all) and PostgreSQL (a
province or the nation). Times are stored as the counter's own UTC stamp text
(`2026-11-26T02:00:00.000000Z`): it sorts as time does, reads the same on both databases, and a
device's time can be kept exactly as the device wrote it.

`ops` keeps every fact a counter sent, byte for byte (its canonical JSON and sha256). The fact
tables the reports read (`requests`, `payments`, `voids`, `refunds`) are typed copies of the
columns they need, keyed and indexed by office and business date, written in the same
transaction as the op itself, and only for facts that passed every check of the push.
"""

from __future__ import annotations

import hashlib
from importlib import resources
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.util.exc import CommandError
from sqlalchemy import (
    BigInteger,
    Column,
    Engine,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    text,
)
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from sync.server.problems import Refused

metadata = MetaData()

STAMP = String(32)  # clock.stamp(): 27 characters
OFFICE = String(40)

devices = Table(
    "devices",
    metadata,
    Column("device_id", String(100), primary_key=True),
    Column("office", OFFICE, nullable=False),
    Column("counter", Integer, nullable=False),
    Column("token_sha256", LargeBinary(32), nullable=False, unique=True),
    Column("public_key", Text),
    Column("enrolled_at", STAMP, nullable=False),
    Column("revoked_at", STAMP),
    Column("last_sync", STAMP),
    Column("high_water", BigInteger, nullable=False),
    Column("ops", BigInteger, nullable=False),
    # Seconds the device's clock was off (device − server) at its latest push, from the
    # X-Device-Time header; and the most any op's own time was ahead of its arrival here.
    Column("clock_offset", BigInteger),
    Column("max_ahead", BigInteger),
    Index("devices_office", "office"),
)

enroll_codes = Table(
    "enroll_codes",
    metadata,
    Column("code_sha256", LargeBinary(32), primary_key=True),
    Column("office", OFFICE, nullable=False),
    Column("counter", Integer, nullable=False),
    Column("created_at", STAMP, nullable=False),
    Column("expires_at", STAMP, nullable=False),
    Column("device_id", String(100)),
    Column("used_at", STAMP),
)

viewers = Table(
    "viewers",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", Text, nullable=False),
    Column("token_sha256", LargeBinary(32), nullable=False, unique=True),
    Column("created_at", STAMP, nullable=False),
    Column("revoked_at", STAMP),
)

catalogs = Table(
    "catalogs",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("label", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("catalog", Text, nullable=False),  # canonical JSON of the catalog object
    Column("published_at", STAMP, nullable=False),
)

# The server's own secrets (migration 0002): "device_tokens" derives each device's token.
server_keys = Table(
    "server_keys",
    metadata,
    Column("name", String(40), primary_key=True),
    Column("secret", LargeBinary(32), nullable=False),
)

# No foreign key to devices: a key check per row would slow ingest, and devices are never
# deleted (a revoked device keeps its row).
ops = Table(
    "ops",
    metadata,
    Column("op_id", Text, primary_key=True),
    Column("device_id", String(100), nullable=False),
    Column("seq", BigInteger, nullable=False),
    Column("entity", String(32), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("payload", Text, nullable=False),
    Column("sha256", LargeBinary(32), nullable=False),
    Column("device_time", STAMP, nullable=False),
    Column("received_at", STAMP, nullable=False),
    Index("ops_device_seq", "device_id", "seq"),
)

# Every audit-chain head a counter has shown at a push (X-Chain-Head), in the order seen: the
# anchor outside the counter's file that a rewritten or rolled-back chain cannot match
# (sync/server/anchors.py, migration 0004). `status` says how the head stood to the one before.
chain_heads = Table(
    "chain_heads",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("device_id", String(100), nullable=False),
    Column("seq", BigInteger, nullable=False),
    Column("hash", String(64), nullable=False),
    Column("seen_at", STAMP, nullable=False),
    Column("status", String(16), nullable=False),
    Index("chain_heads_device", "device_id", "id"),
)

# The highest tracking (per business date) and receipt (per year) number the centre holds for
# each office counter: what a counter restored from an old backup must number above.
numbers = Table(
    "numbers",
    metadata,
    Column("office", OFFICE, primary_key=True),
    Column("counter", Integer, primary_key=True),
    Column("kind", String(16), primary_key=True),
    Column("period", String(10), primary_key=True),
    Column("high", BigInteger, nullable=False),
)


def _fact(name: str, *columns: Column[Any] | Index) -> Table:
    return Table(
        name,
        metadata,
        Column("id", Text, primary_key=True),
        Column("device_id", String(100), nullable=False),
        Column("office", OFFICE, nullable=False),
        Column("counter", Integer, nullable=False),
        Column("business_date", String(10), nullable=False),
        *columns,
        Index(f"{name}_office_date", "office", "business_date"),
    )


requests = _fact(
    "requests",
    Column("tracking", Text, nullable=False),
    Column("daily_seq", BigInteger, nullable=False),
    Column("service_code", Text, nullable=False),
    Column("catalog_version", BigInteger, nullable=False),
    Column("fee", BigInteger, nullable=False),
    Column("created_at", STAMP, nullable=False),
)
payments = _fact(
    "payments",
    Column("receipt", Text, nullable=False),
    Column("receipt_year", BigInteger, nullable=False),
    Column("receipt_seq", BigInteger, nullable=False),
    Column("request_id", Text, nullable=False),
    Column("amount", BigInteger, nullable=False),
    Column("method", Text, nullable=False),
    Column("at", STAMP, nullable=False),
)
# A push looks up the voids and refunds of the payments its ops refer to (migration 0003).
voids = _fact(
    "voids",
    Column("payment_id", Text, nullable=False),
    Column("at", STAMP, nullable=False),
    Index("voids_payment", "payment_id"),
)
refunds = _fact(
    "refunds",
    Column("payment_id", Text, nullable=False),
    Column("amount", BigInteger, nullable=False),
    Column("at", STAMP, nullable=False),
    Index("refunds_payment", "payment_id"),
)


class DatabaseUrlError(Refused):
    """A --db value that does not name a database this server can use."""

    exit_code = 2
    label = "error"

    def __init__(self, detail: str) -> None:
        super().__init__(detail, "db.url")


class DatabaseUnusable(Refused):
    """The database cannot be reached, opened or migrated."""

    exit_code = 3
    label = "database unusable"

    def __init__(self, detail: str) -> None:
        super().__init__(detail, "db.unusable")


def token_hash(token: str) -> bytes:
    """Tokens and codes are kept only as their sha256, so a copy of the database grants nothing."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).digest()


def database_url(value: str | URL) -> URL:
    """Check a database URL and pick the driver this server ships with (psycopg 3)."""
    try:
        url = make_url(value)
    except ArgumentError as exc:
        raise DatabaseUrlError(f"not a database URL: {value!r}") from exc
    backend, _, driver = url.drivername.partition("+")
    if backend == "postgres":  # the short scheme many hosting panels print
        backend = "postgresql"
    if backend == "postgresql" and driver in ("", "psycopg"):
        return url.set(drivername="postgresql+psycopg")
    if backend == "sqlite" and driver in ("", "pysqlite"):
        if not url.database or url.database == ":memory:":
            raise DatabaseUrlError("an SQLite database must be a file: sqlite:///path/to/file")
        return url.set(drivername="sqlite+pysqlite")
    raise DatabaseUrlError(
        f"unsupported database {url.drivername!r}: use sqlite:///FILE or postgresql://…"
    )


def sqlite_url(path: Path) -> URL:
    return URL.create("sqlite+pysqlite", database=str(path))


def make_engine(value: str | URL) -> Engine:
    """An engine sized for the server's thread pool, with SQLite set up for many writers."""
    url = database_url(value)
    if url.get_backend_name() == "sqlite":
        engine = create_engine(
            url,
            pool_size=20,
            max_overflow=10,
            connect_args={"check_same_thread": False, "timeout": 60},
        )
        _sqlite_writers_queue(engine)
        return engine
    return create_engine(
        url,
        pool_size=20,
        max_overflow=10,
        pool_pre_ping=True,  # a restarted PostgreSQL must not cost the next push a 500
        connect_args={"connect_timeout": 10, "application_name": "odsc-server"},
    )


def _sqlite_writers_queue(engine: Engine) -> None:
    """SQLite allows one writer at a time. A transaction that starts as a reader and later
    writes can fail at once with "database is locked" (its snapshot is stale), so writes begin
    with BEGIN IMMEDIATE: they take the write lock up front and wait their turn (the busy
    timeout) instead. Reads stay deferred and, in WAL mode, never wait for a writer."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy's begin event issues BEGIN below
        cursor = dbapi_connection.cursor()
        # First: switching a new file to WAL needs the write lock, and without a busy timeout a
        # second process opening it at that moment fails at once with "database is locked".
        cursor.execute("PRAGMA busy_timeout=60000")
        cursor.execute("PRAGMA journal_mode=WAL")
        # FULL: a push the server has acknowledged must survive a power cut; the client
        # deletes what was acknowledged.
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        writing = conn.get_execution_options().get("odsc_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")


def writing(engine: Engine) -> Any:
    """A transaction that will write: `with writing(engine) as conn: ...` commits at the end."""
    return engine.execution_options(odsc_write=True).begin()


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(resources.files("sync.server") / "migrations"))
    return config


# Two processes migrating one new PostgreSQL database at once (a `serve` and an `enroll`) take
# turns on this lock; on SQLite, BEGIN IMMEDIATE does the same.
_MIGRATION_LOCK = 0x4F445343


def upgrade(engine: Engine) -> None:
    """Bring the database to the newest schema, in one transaction."""
    config = _alembic_config()
    with writing(engine) as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


def open_db(value: str | URL | Engine) -> Engine:
    """An engine for the database at `value`, created or migrated to the newest schema.

    Raises DatabaseUrlError for a URL this server cannot use, DatabaseUnusable when the
    database cannot be reached or migrated.
    """
    engine = value if isinstance(value, Engine) else make_engine(value)
    try:
        upgrade(engine)
    except CommandError as exc:  # a revision this code does not know: a newer server made it
        engine.dispose()
        raise DatabaseUnusable(f"the database's schema is newer than this server: {exc}") from exc
    except (SQLAlchemyError, OSError) as exc:
        engine.dispose()
        raise DatabaseUnusable(_reason(exc)) from exc
    return engine


def _reason(exc: BaseException) -> str:
    """The driver's own first line, which says what is wrong (host, file, permission)."""
    origin = getattr(exc, "orig", None) or exc
    first = str(origin).strip().splitlines()
    return first[0] if first else type(origin).__name__
