"""The centre's database: its tables (SQLAlchemy Core), and opening one at its newest schema.

The same tables serve an SQLite file (a district or a trial: no setup at all) and PostgreSQL (a
province or the nation). Times are stored as the counter's own UTC stamp text
(`2026-11-26T02:00:00.000000Z`): it sorts as time does, reads the same on both databases, and a
device's time can be kept exactly as the device wrote it.

`ops` keeps every fact a counter sent, byte for byte (its canonical JSON and sha256). Each fact
kind also has a typed table (`TYPED`), keyed and indexed by office and business date, and the
roll-ups (`rollup`, `rollup_durations`, `rollup_clerks`) add each fact up by day and month: all
written in the same transaction as the op itself, and only for facts that passed every check of
the push.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import orjson
from alembic import command
from alembic.config import Config
from alembic.util.exc import CommandError
from sqlalchemy import (
    BigInteger,
    Column,
    ColumnElement,
    Connection,
    Engine,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    any_,
    bindparam,
    cast,
    column,
    create_engine,
    event,
    func,
    literal,
    select,
    text,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from odsc_desk.shared.catalog_file import SERVICE_CODE_MAX
from sync.server.problems import Refused

metadata = MetaData()

STAMP = String(32)  # clock.stamp(): 27 characters
DAY = String(10)  # YYYY-MM-DD
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
    # Migration 0011: the id a receipt's code names the public key by (receipt_code.key_id), so
    # that a receipt's check (sync/server/verify.py) finds its device by index.
    Column("key_id", String(12)),
    Index("devices_key_id", "key_id"),
    # Migration 0018 (docs/OFFICE_SHARING.md, D7): "counter", or "relay" for an office's hub,
    # which forwards its counters' ops; `via`: the relay that announced a counter enrolled with it.
    Column("role", String(10), nullable=False, server_default="counter"),
    Column("via", String(100)),
    # Migration 0020 (docs/OFFICE_SHARING.md, D9): the multiset hash of the ops held for the
    # device and their count (sync/server/ops_heads.py); NULL until it first shows a head.
    Column("ops_set", LargeBinary(4096)),
    Column("ops_count", BigInteger),
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
    Column("role", String(10), nullable=False, server_default="counter"),  # migration 0018
)

catalogs = Table(
    "catalogs",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("label", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("catalog", Text, nullable=False),  # canonical JSON of the catalog object
    Column("published_at", STAMP, nullable=False),
    # Migration 0008: the Vientiane day the version takes effect (NULL: at once), and who drafted
    # and who approved it (account names; NULL for versions published before governance).
    Column("effective_from", String(10)),
    Column("drafted_by", String(100)),
    Column("approved_by", String(100)),
)

# A catalog version on its way (migration 0008, sync.server.governance): drafted, submitted,
# returned with a reason or approved by another person, then published as a version.
DRAFT_STATES = ("draft", "submitted", "returned", "approved", "published")
catalog_drafts = Table(
    "catalog_drafts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("catalog", Text, nullable=False),  # JSON of the catalog object, without its version
    Column("base_version", Integer),  # the published version it was drafted from
    Column("state", String(10), nullable=False),  # DRAFT_STATES
    Column("drafted_by", String(100), nullable=False),
    Column("created_at", STAMP, nullable=False),
    Column("updated_at", STAMP, nullable=False),
    Column("submitted_at", STAMP),
    Column("decided_by", String(100)),
    Column("decided_at", STAMP),
    Column("reason", Text),  # why it was returned
    Column("effective_from", String(10)),
    Column("published_version", Integer),
    Column("published_at", STAMP),
)

# The national calendar of public holidays and closures (migration 0012, sync.server.calendars),
# published and governed as the catalog is: versions, each with its day and who drafted and
# approved it, and the drafts on their way (the states of DRAFT_STATES).
calendars = Table(
    "calendars",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("label", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("calendar", Text, nullable=False),  # canonical JSON of the calendar object
    Column("published_at", STAMP, nullable=False),
    Column("effective_from", String(10)),
    Column("drafted_by", String(100)),
    Column("approved_by", String(100)),
)
calendar_drafts = Table(
    "calendar_drafts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("calendar", Text, nullable=False),  # JSON of the calendar object, without its version
    Column("base_version", Integer),  # the published version it was drafted from (NULL: none)
    Column("state", String(10), nullable=False),
    Column("drafted_by", String(100), nullable=False),
    Column("created_at", STAMP, nullable=False),
    Column("updated_at", STAMP, nullable=False),
    Column("submitted_at", STAMP),
    Column("decided_by", String(100)),
    Column("decided_at", STAMP),
    Column("reason", Text),
    Column("effective_from", String(10)),
    Column("published_version", Integer),
    Column("published_at", STAMP),
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

# The office's feed (docs/OFFICE_SHARING.md, D5): every op the centre stored from an office's
# counters, numbered in the order the centre committed them, so that a counter that has read up
# to a position has seen every op before it, whatever committed late. `office_feeds` holds each
# office's last position: a push raises it just before its closing statement, so the office's
# row stays locked from there to the commit only (migration 0016).
office_feeds = Table(
    "office_feeds",
    metadata,
    Column("office", OFFICE, primary_key=True),
    Column("last_pos", BigInteger, nullable=False),
)
office_feed = Table(
    "office_feed",
    metadata,
    Column("office", OFFICE, primary_key=True),
    Column("pos", BigInteger, primary_key=True),
    Column("op_id", Text, nullable=False),
)

# The heads a counter signed over its ops that held (sync/server/ops_heads.py, migration 0020):
# each at a position of its office's feed of its own, after the ops it covers.
ops_heads_table = Table(
    "ops_heads",
    metadata,
    Column("office", OFFICE, primary_key=True),
    Column("pos", BigInteger, primary_key=True),
    Column("device_id", String(100), nullable=False),
    Column("count", BigInteger, nullable=False),
    Column("digest", String(64), nullable=False),
    Column("signature", LargeBinary(64), nullable=False),
    Column("seen_at", STAMP, nullable=False),
    Index("ops_heads_device", "device_id", "pos"),
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
    # Migration 0019: the X-Chain-Anchor the head came with (`<seq>:<hash>` or `<seq>:missing`;
    # NULL: none), so that an office's hub forwards a counter's claim as it was made.
    Column("anchor", String(90)),
)
# An admin's word that a device's chain flags up to `head_id` were looked into (migration 0006):
# who, when and why, kept like every other record. Flags on heads after it still show.
chain_clears = Table(
    "chain_clears",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("device_id", String(100), nullable=False),
    Column("head_id", Integer, nullable=False),
    Column("cleared_at", STAMP, nullable=False),
    Column("cleared_by", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Index("chain_clears_device", "device_id", "head_id"),
)

# Ops a push refused (a row no counter of that office could write, or one naming a fact the
# centre does not hold), which the counter parks until their cause is fixed: the operations
# figure's "facts parked". A row goes when its op is stored; `seq` and `reason` are the latest.
refused_ops = Table(
    "refused_ops",
    metadata,
    Column("device_id", String(100), primary_key=True),
    Column("op_id", Text, primary_key=True),
    Column("seq", BigInteger, nullable=False),
    Column("reason", Text, nullable=False),
    Column("first_at", STAMP, nullable=False),
    Column("last_at", STAMP, nullable=False),
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

# An office's hub (docs/OFFICE_SHARING.md, D7; migration 0019, sync/server/hub.py): the centre it
# relays to (one row, id 1), each counter enrolled with it as the centre was told of it, and
# the ops the centre refused when relayed.
hub_upstream = Table(
    "hub_upstream",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("url", Text, nullable=False),
    Column("device_id", String(100), nullable=False),  # the relay's, at the centre
    Column("office", OFFICE, nullable=False),
    Column("token", Text, nullable=False),  # the relay's token: the hub must show it
    Column("ca_bundle", Text),
    Column("enrolled_at", STAMP, nullable=False),
    Column("relayed_pos", BigInteger, nullable=False, server_default="0"),  # this office_feed
    Column("feed_after", BigInteger, nullable=False, server_default="0"),  # the centre's
    Column("last_success", STAMP),
    Column("last_error", Text),
)
hub_counters = Table(
    "hub_counters",
    metadata,
    Column("device_id", String(100), primary_key=True),
    Column("announced_key", Text),  # the key the centre was told of ("" for none; NULL: not yet)
    Column("announced_at", STAMP),
    Column("head_id", Integer, nullable=False, server_default="0"),  # chain_heads.id forwarded
)
hub_refused = Table(
    "hub_refused",
    metadata,
    Column("op_id", Text, primary_key=True),
    Column("device_id", String(100), nullable=False),
    Column("seq", BigInteger, nullable=False),
    Column("reason", Text, nullable=False),
    Column("refused_at", STAMP, nullable=False),
)


def _fact(name: str, *columns: Column[Any] | Index) -> Table:
    """A typed copy of one fact kind: the op's id, the counter that wrote it, and its business
    date (the fact's own, or the office's local date of its device time when it has none)."""
    return Table(
        name,
        metadata,
        Column("id", Text, primary_key=True),
        Column("device_id", String(100), nullable=False),
        Column("office", OFFICE, nullable=False),
        Column("counter", Integer, nullable=False),
        Column("business_date", DAY, nullable=False),
        *columns,
        Index(f"{name}_office_date", "office", "business_date"),
    )


USER = String(100)  # a counter user's id: `by`, `created_by`, `approved_by`

# Every fact kind of the registry (odsc_desk/shared/facts.py) has its typed table, written in
# the same transaction as its op (sync/server/projection.py); migration 0005 filled them from the
# ops a centre held before. Columns after the registry's are the centre's own: copied from the
# fact a row refers to (a payment's service) or kept current as later facts arrive (a request's
# status), so the figures need no join through the history.
requests = _fact(
    "requests",
    Column("tracking", Text, nullable=False),
    Column("daily_seq", BigInteger, nullable=False),
    Column("service_code", Text, nullable=False),
    Column("catalog_version", BigInteger, nullable=False),
    Column("fee", BigInteger, nullable=False),
    Column("created_at", STAMP, nullable=False),
    Column("created_by", USER),
    Column("citizen_name", Text),
    Column("name_key", Text),
    Column("phone", Text),
    Column("id_number", Text),
    Column("village", Text),
    Column("promised_date", DAY),
    Column("documents", Text),
    # The citizen's consent to messages about it (1, else NULL) and their language (0010).
    Column("sms_consent", Integer),
    Column("sms_lang", String(2)),
    # Kept current by its status events: the latest status and its seq, the local date it was
    # first ready, the date it was collected, rejected or withdrawn, how often it was sent back
    # for missing documents, and its working days from received to ready.
    Column("status", String(16), nullable=False, server_default="received"),
    Column("status_seq", BigInteger, nullable=False, server_default="0"),
    Column("ready_on", DAY),
    Column("closed_on", DAY),
    Column("returned", Integer, nullable=False, server_default="0"),
    Column("working_days", Integer),
    # Another counter of the office wrote on it (0017): its status is then the fold of its
    # events in their one order (odsc_desk/shared/request_history.py), not its latest seq's.
    Column("shared", Integer, nullable=False, server_default="0"),
    # The fee against the centre's catalogs when it arrived: FEE_CHECKS.
    Column("fee_check", String(16), nullable=False, server_default="unknown"),
    Index("requests_tracking", "tracking"),
    Index("requests_open", "status", "promised_date", "office"),
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
    Column("session_id", Text),
    Column("by", USER),
    Column("service_code", Text),  # its request's
    Index("payments_request", "request_id"),
    Index("payments_receipt", "receipt"),  # a receipt's check (migration 0011)
)
# A push looks up the voids and refunds of the payments its ops refer to (migration 0003).
voids = _fact(
    "voids",
    Column("payment_id", Text, nullable=False),
    Column("at", STAMP, nullable=False),
    Column("session_id", Text),
    Column("reason", Text),
    Column("approved_by", USER),
    Column("by", USER),
    # The voided payment's amount, service and clerk: a void counts against the receipt's clerk.
    Column("amount", BigInteger),
    Column("service_code", Text),
    Column("payment_by", USER),
    Index("voids_payment", "payment_id"),
)
refunds = _fact(
    "refunds",
    Column("payment_id", Text, nullable=False),
    Column("amount", BigInteger, nullable=False),
    Column("at", STAMP, nullable=False),
    Column("session_id", Text),
    Column("reason", Text),
    Column("approved_by", USER),
    Column("by", USER),
    Column("service_code", Text),
    Column("payment_by", USER),
    Index("refunds_payment", "payment_id"),
)
status_events = _fact(
    "status_events",
    Column("request_id", Text, nullable=False),
    Column("seq", BigInteger, nullable=False),
    Column("status", String(16), nullable=False),
    Column("reason", Text),
    Column("at", STAMP, nullable=False),
    Column("by", USER),
    Column("new_date", DAY),  # a late request's new date (migration 0014)
    Column("clock", BigInteger),  # the event's Lamport clock (migration 0015)
    Index("status_events_request", "request_id", "seq"),
)
cash_sessions = _fact(
    "cash_sessions",
    Column("opened_at", STAMP, nullable=False),
    Column("opened_by", USER),
    Column("float_amount", BigInteger, nullable=False),
)
# business_date: its session's.
cash_closes = _fact(
    "cash_closes",
    Column("session_id", Text, nullable=False),
    Column("closed_at", STAMP, nullable=False),
    Column("closed_by", USER),
    Column("counted", BigInteger, nullable=False),
    Column("expected", BigInteger, nullable=False),
    Column("difference", BigInteger, nullable=False),
    Column("approved_by", USER),
)
feedback = _fact(
    "feedback",
    Column("request_id", Text, nullable=False),
    Column("rating", Integer, nullable=False),
    Column("comment", Text),
    Column("at", STAMP, nullable=False),
    Column("by", USER),
    Column("service_code", Text),  # its request's
    Column("request_by", USER),  # the clerk who took the request
    # Whether a request was rated, asked by its slip's page (migration 0013).
    Index("feedback_request", "request_id"),
)
receipt_prints = _fact(
    "receipt_prints",
    Column("payment_id", Text, nullable=False),
    Column("seq", BigInteger, nullable=False),
    Column("copy", Integer, nullable=False),
    Column("format", Text, nullable=False),
    Column("at", STAMP, nullable=False),
    Column("by", USER),
)
closures = _fact(
    "closures",
    Column("date", DAY, nullable=False),
    Column("reason", Text, nullable=False),
    Column("created_at", STAMP, nullable=False),
    Column("created_by", USER),
    Index("closures_office_day", "office", "date"),
)
sequence_floors = _fact(
    "sequence_floors",
    Column("kind", String(16), nullable=False),
    Column("period", String(10), nullable=False),
    Column("floor", BigInteger, nullable=False),
    Column("reason", Text, nullable=False),
    Column("at", STAMP, nullable=False),
    Column("by", USER),
)

# A request's fee as the centre found it on arrival: the catalog's fee for its version
# ("catalog"), another fee or a service that version does not list ("off_catalog"), the right
# fee of a version older than the newest published before the request and in effect on its day
# ("old_version"), or a version the centre never published ("unknown").
FEE_CHECKS = ("catalog", "off_catalog", "old_version", "unknown")

TYPED: dict[str, Table] = {
    t.name: t
    for t in (
        requests,
        status_events,
        payments,
        voids,
        refunds,
        cash_sessions,
        cash_closes,
        feedback,
        closures,
        sequence_floors,
        receipt_prints,
    )
}
# The centre's own columns of each typed table, beyond the op's id, who sent it and the
# registry's columns: derived from the facts a row refers to, or kept current as later facts
# arrive (sync/server/projection.py writes every one). A business date is the centre's where the
# fact has none of its own. tests/sync/test_fact_registry.py holds every other column to the
# registry.
CENTRE_COLUMNS: dict[str, tuple[str, ...]] = {
    "requests": (
        "status", "status_seq", "ready_on", "closed_on", "returned", "working_days", "fee_check",
        "shared",
    ),
    "status_events": ("business_date",),
    "payments": ("service_code",),
    "voids": ("amount", "service_code", "payment_by"),
    "refunds": ("service_code", "payment_by"),
    "cash_sessions": (),
    "cash_closes": ("business_date",),
    "feedback": ("business_date", "service_code", "request_by"),
    "closures": ("business_date",),
    "sequence_floors": ("business_date",),
    "receipt_prints": ("business_date",),
}  # fmt: skip


# Roll-ups kept in the push's transaction (sync/server/rollups.py): the figures read these, never
# a scan of the history. `grain` is "D" (period = business date, YYYY-MM-DD) or "M" (period =
# YYYY-MM); every fact adds to both rows. A fact counts on its own date: a request on its
# business date, a status on the local date of its event, a void or refund on its business date
# (against the service and clerk of the payment it undoes), feedback on the date it was given.
def _grain() -> list[Column[Any]]:
    return [
        Column("grain", String(1), primary_key=True),
        Column("period", String(10), primary_key=True),
    ]


def _counts(*names: str) -> list[Column[Any]]:
    return [Column(n, BigInteger, nullable=False, server_default="0") for n in names]


VOLUME = ("received", "ready", "on_time", "collected", "rejected", "withdrawn", "returned")
REVENUE = ("payments", "gross", "voids", "voided", "refunds", "refunded")
FEES = ("fee_catalog", "fee_off_catalog", "fee_old_version", "fee_unknown")
RATINGS = ("feedback", "rating_sum", "rating_1", "rating_2", "rating_3", "rating_4", "rating_5")
# Of the ratings counted, how many came online (migration 0009, online_feedback below).
ONLINE = ("feedback_online",)

rollup = Table(
    "rollup",
    metadata,
    *_grain(),
    Column("office", OFFICE, primary_key=True),
    Column("counter", Integer, primary_key=True),
    # "" for a payment (and its voids and refunds) whose request the centre does not hold.
    Column("service_code", String(SERVICE_CODE_MAX), primary_key=True),
    *_counts(*VOLUME, *REVENUE, *FEES, *RATINGS),
    *_counts(*ONLINE),
)
# How many requests became ready after each number of working days (counted on the ready date):
# working days are whole numbers, so medians and percentiles read from here are exact.
rollup_durations = Table(
    "rollup_durations",
    metadata,
    *_grain(),
    Column("office", OFFICE, primary_key=True),
    Column("service_code", String(SERVICE_CODE_MAX), primary_key=True),
    Column("days", Integer, primary_key=True),
    *_counts("requests"),
)
# Per clerk (a counter user's id), read only within an office's scope.
rollup_clerks = Table(
    "rollup_clerks",
    metadata,
    *_grain(),
    Column("office", OFFICE, primary_key=True),
    Column("counter", Integer, primary_key=True),
    Column("clerk", USER, primary_key=True),
    *_counts("received", *REVENUE, *RATINGS),
    *_counts(*ONLINE),
)


# The hierarchy (migration 0006): nation → province → district → office → counter. Provinces are
# reference data (sync/server/data/provinces.json, under their ISO 3166-2:LA codes); districts and
# offices are registered by an admin, or at enrollment when their code's prefix names a province
# (VTE-SST is in LA-VT). An office's province is unknown (NULL) only for a code a centre held
# before the registry whose prefix names none: it waits for `odsc-server office add --province`.
provinces = Table(
    "provinces",
    metadata,
    Column("code", String(8), primary_key=True),  # LA-VT
    Column("name_en", Text, nullable=False),
    Column("name_lo", Text, nullable=False),
)
districts = Table(
    "districts",
    metadata,
    Column("code", String(20), primary_key=True),
    Column("province", String(8), nullable=False),
    Column("name_en", Text, nullable=False),
    Column("name_lo", Text, nullable=False),
    Index("districts_province", "province"),
)
offices = Table(
    "offices",
    metadata,
    Column("code", OFFICE, primary_key=True),
    Column("province", String(8)),
    Column("district", String(20)),
    Column("name_en", Text),
    Column("name_lo", Text),
    Column("registered_at", STAMP, nullable=False),
    Index("offices_province", "province"),
    Index("offices_district", "district"),
)

# People and machines at the centre (migration 0006). A person signs in with a password (Argon2id);
# a machine holds a token (kept as its sha256). Each account has one role and one or more scopes.
accounts = Table(
    "accounts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("kind", String(8), nullable=False),  # "person" or "token"
    Column("role", String(20), nullable=False),  # ROLES
    Column("password_hash", Text),  # a person's
    Column("token_sha256", LargeBinary(32), unique=True),  # a machine's
    # Names, phones and ID numbers beyond an office scope: granted by name, never by role alone.
    Column("personal_data", Integer, nullable=False, server_default="0"),
    Column("created_at", STAMP, nullable=False),
    Column("revoked_at", STAMP),
)
ROLES = ("viewer", "catalog_editor", "catalog_approver", "admin")
SCOPE_KINDS = ("nation", "province", "district", "ministry", "office")
account_scopes = Table(
    "account_scopes",
    metadata,
    Column("account_id", Integer, primary_key=True),
    Column("kind", String(10), primary_key=True),  # SCOPE_KINDS
    Column("code", String(40), primary_key=True),  # "" for the nation
)
# Every read of personal data: who, what, when, and how many records it returned.
access_log = Table(
    "access_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("account_id", Integer, nullable=False),
    Column("at", STAMP, nullable=False),
    Column("action", String(40), nullable=False),
    Column("target", Text, nullable=False),
    Column("records", Integer, nullable=False),
    Index("access_log_account", "account_id", "at"),
)

# The web pages' sessions and failed logins (migration 0007, sync.server.web). A session's id is
# kept only as its sha256; a failed login is counted by the sha256 of the name typed.
web_sessions = Table(
    "web_sessions",
    metadata,
    Column("id_sha256", LargeBinary(32), primary_key=True),
    Column("account_id", Integer, nullable=False),
    Column("csrf", String(64), nullable=False),  # the token every form of the session carries
    Column("created_at", STAMP, nullable=False),
    Column("seen_at", STAMP, nullable=False),
    Index("web_sessions_account", "account_id"),
)
web_login_failures = Table(
    "web_login_failures",
    metadata,
    Column("name_sha256", LargeBinary(32), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("last_at", STAMP, nullable=False),
)

# A rating given online from an appointment slip's QR (migration 0009, sync.server.online_feedback):
# one per request (its key), with what a counter's feedback carries at the centre. Not a fact: no
# counter wrote it, so it is no typed table and never goes down to a counter.
online_feedback = Table(
    "online_feedback",
    metadata,
    Column("request_id", Text, primary_key=True),
    Column("office", OFFICE, nullable=False),
    Column("counter", Integer, nullable=False),
    Column("business_date", DAY, nullable=False),  # the Vientiane day it was given
    Column("rating", Integer, nullable=False),
    Column("comment", Text),
    Column("at", STAMP, nullable=False),
    Column("service_code", Text, nullable=False),
    Column("request_by", USER),  # the clerk who took the request
    Index("online_feedback_office_date", "office", "business_date"),
)


# Messages to a citizen's phone (migration 0010, sync/server/messages.py): queued in the push's
# transaction when a status event of a request whose citizen agreed makes it ready or returns it
# for documents, one per event (`event_id`, the status event's op id), then posted to the SMS
# gateway by `odsc-server messages send`. `state`: MESSAGE_STATES; `next_at`: the earliest time
# of the next try (a retry's backoff, or the next Vientiane day when the phone's daily cap is
# reached); `gateway_id` and `delivery`: the gateway's id for it and its last delivery report.
MESSAGE_STATES = ("queued", "sending", "sent", "failed")
messages = Table(
    "messages",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", Text, nullable=False, unique=True),
    Column("request_id", Text, nullable=False),
    Column("office", OFFICE, nullable=False),
    Column("tracking", Text, nullable=False),
    Column("phone", String(32), nullable=False),
    Column("lang", String(2), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("body", Text, nullable=False),
    Column("segments", Integer, nullable=False),
    Column("state", String(16), nullable=False),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("created_at", STAMP, nullable=False),
    Column("next_at", STAMP, nullable=False),
    Column("sent_at", STAMP),
    Column("gateway_id", String(100), unique=True),
    Column("delivery", String(16)),
    Column("delivery_at", STAMP),
    Column("last_error", Text),
    Index("messages_due", "state", "next_at"),
    Index("messages_phone_sent", "phone", "sent_at"),
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


# The connections each server process holds at most: POOL kept, OVERFLOW more while busy. A
# push holds one for its whole transaction and, at 50 counters pushing at once, fewer cost
# throughput (measured: 3,306 ops/s with 10 + 5 per process of two, 3,995 with 20 + 10): with
# PostgreSQL's default of 100 connections, `serve --workers 3` still leaves room for commands.
POOL, OVERFLOW = 20, 10


def make_engine(value: str | URL) -> Engine:
    """An engine sized for the server's thread pool, with SQLite set up for many writers."""
    url = database_url(value)
    if url.get_backend_name() == "sqlite":
        engine = create_engine(
            url,
            pool_size=POOL,
            max_overflow=OVERFLOW,
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_S},
        )
        _sqlite_writers_queue(engine)
        return engine
    return create_engine(
        url,
        pool_size=POOL,
        max_overflow=OVERFLOW,
        pool_pre_ping=True,  # a restarted PostgreSQL must not cost the next push a 500
        connect_args={
            "connect_timeout": 10,
            "application_name": "odsc-server",
            # The figures' queries are short; PostgreSQL's JIT compiles them for longer than
            # they run (measured: 119 ms of compiling for 6 ms of work on the fees figure).
            #
            # plan_cache_mode: plan each run of a prepared statement for the tables as they are
            # then. psycopg prepares a statement run five times on a connection, and PostgreSQL
            # then keeps one generic plan for it. On a new centre that plan is made while the
            # tables are nearly empty: the push's lookups by id and its UPDATE of moved requests
            # then read every row of `requests` and `payments`, and keep doing so as they grow,
            # until an ANALYZE. Measured in the ingest bench, one thread, 1,000 pushes: 1,938
            # full scans of requests and none by index, 542 us an op; planned each time, 54,862
            # by index, 462 us. Set here, not per transaction: no round trip of its own. Tried
            # again once the push's statements stayed prepared (see reading): generic plans for
            # the push alone, sequential scans off, cost PostgreSQL 129-136 us of CPU an op
            # against 69-72 planned each time (one counter pushing, two runs each).
            "options": "-c jit=off -c plan_cache_mode=force_custom_plan",
        },
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
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_S * 1000}")
        _switch_to_wal(cursor)
        # FULL: a push the server has acknowledged must survive a power cut; the client
        # deletes what was acknowledged.
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        writing = conn.get_execution_options().get("odsc_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")


SQLITE_BUSY_S = 60  # how long a writer waits for the one before it


def _switch_to_wal(cursor: sqlite3.Cursor) -> None:
    """Switching a file to WAL takes an exclusive lock without calling the busy handler: a
    second connection opening a new file while the first switches it, or while the first's
    migration holds the write lock, is refused at once with "database is locked" (seen: 4 in
    150 pairs of threads opening one new file). Try again until the busy timeout is spent."""
    deadline = time.monotonic() + SQLITE_BUSY_S
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def writing(engine: Engine) -> Any:
    """A transaction that will write: `with writing(engine) as conn: ...` commits at the end."""
    return engine.execution_options(odsc_write=True).begin()


def reading(engine: Engine) -> Any:
    """A transaction that only reads: `with reading(engine) as conn: ...` ends with COMMIT.

    Not with ROLLBACK, as a plain `engine.connect()` block ends: psycopg forgets every statement
    it prepared on a connection when that connection rolls back (it cannot tell whether the
    transaction dropped what they name), and the server's connections are pooled. Every token
    looked up before a push rolled back the connection the next push would take, so the push's
    dozen statements were parsed afresh each time, the one that writes its rows among them.
    Measured in the ingest bench, the two alternated: PostgreSQL's CPU 96-100 us an op before,
    84-92 after. A read has nothing to undo; one that fails still rolls back."""
    return engine.begin()


def dialect_insert(dialect: str, table: Table) -> Any:
    """An INSERT with the database's own ON CONFLICT clauses (the same on both, spelled apart)."""
    return (postgresql if dialect == "postgresql" else sqlite).insert(table)


@dataclass(frozen=True)
class Write:
    """Rows to write where nothing is read back: `build(dialect, *args, slot=...)` is the
    statement (kept: built once), reading its rows on PostgreSQL from the JSON parameter named
    `slot`; `prefix` is put before each key of a row for SQLite (see update_statement)."""

    build: Callable[..., Any]
    args: tuple[Any, ...]
    table: Table
    rows: Sequence[Mapping[str, Any]]
    prefix: str = ""


def inserted(table: Table, names: tuple[str, ...], rows: Sequence[Mapping[str, Any]]) -> Write:
    """An INSERT of `rows`, each with the keys `names`."""
    return Write(insert_statement, (table, names), table, rows)


def updated(
    table: Table, key: str, names: tuple[str, ...], rows: Sequence[Mapping[str, Any]]
) -> Write:
    """An UPDATE of each row of `table` whose `key` is given to the values beside it (each row
    with the keys `names`, `key` among them)."""
    return Write(update_statement, (table, key, names), table, rows, prefix="_")


def write_all(conn: Connection, writes: Sequence[Write]) -> None:
    """Run `writes`. On PostgreSQL in one statement, each a data-modifying CTE (no two of them
    may touch the same row, and none sees what another writes): one round trip and one
    execution for the dozen writes that end a push, which cost it a statement each, most of it
    in the drivers' Python. SQLite has no such CTEs, and its statements run in C, in-process:
    one after another.

    On PostgreSQL the rows travel as JSON documents that json_to_recordset() turns back into
    rows: a statement whose text never changes, and one parameter each that json.dumps writes
    in C. Measured under 50 pushing counters, the other ways cost the centre a third of its
    time: an executemany sends the rows one by one; SQLAlchemy's multi-row VALUES is a new text
    of hundreds of placeholders that psycopg parses in Python at each push; arrays through
    unnest() are dumped element by element in Python."""
    dialect = conn.dialect.name
    if dialect != "postgresql":
        for w in writes:
            if w.rows:
                rows = [{w.prefix + k: v for k, v in r.items()} for r in w.rows]
                conn.execute(w.build(dialect, *w.args), rows)
        return
    # Those without rows too: a push's statement then has one text whatever it writes, built,
    # compiled and prepared once (one for each set of tables written made dozens, each costing
    # more than it saved until it came round again), and an empty one costs next to nothing.
    statement = _together(tuple((w.build, w.args) for w in writes))
    params = {
        f"rows{n}": many_params(dialect, w.table, w.rows)["rows"] for n, w in enumerate(writes)
    }
    conn.execute(statement, params)


@lru_cache(maxsize=16)
def _together(parts: tuple[tuple[Callable[..., Any], tuple[Any, ...]], ...]) -> Any:
    """The writes `parts` as one PostgreSQL statement (a push's, a rating's roll-ups)."""
    ctes = [
        build("postgresql", *args, slot=f"rows{n}").cte(f"write{n}")
        for n, (build, args) in enumerate(parts)
    ]
    return select(literal(len(ctes))).add_cte(*ctes)


@lru_cache(maxsize=256)
def insert_statement(dialect: str, table: Table, names: tuple[str, ...], slot: str = "rows") -> Any:
    """An INSERT of rows of the columns `names` of `table`, on `dialect`, reading them from the
    JSON parameter `slot` on PostgreSQL (many_params), as given on SQLite."""
    if dialect != "postgresql":
        return sqlite.insert(table)
    source = _recordset(table, names, slot)
    return postgresql.insert(table).from_select(list(names), select(*source.c))


@lru_cache(maxsize=256)
def update_statement(
    dialect: str, table: Table, key: str, names: tuple[str, ...], slot: str = "rows"
) -> Any:
    """An UPDATE of each row of `table` whose `key` is given to the values beside it (the
    columns `names`), reading them as insert_statement does; on SQLite each key named with "_"
    before it (bind names may not be column names in an UPDATE's SET)."""
    if dialect != "postgresql":
        return (
            update(table)
            .where(table.c[key] == bindparam(f"_{key}"))
            .values({name: bindparam(f"_{name}") for name in names if name != key})
        )
    source = _recordset(table, names, slot)
    return (
        update(table)
        .where(table.c[key] == source.c[key])
        .values({name: source.c[name] for name in names if name != key})
    )


def many_params(dialect: str, table: Table, rows: Sequence[Mapping[str, Any]]) -> Any:
    """The parameters of an insert_statement of `table` for `rows`."""
    if dialect != "postgresql":
        return list(rows)
    binary = _binary_columns(table)
    if binary:  # bytea reads the hex form from text; every other value is JSON as it is
        rows = [
            {**row, **{name: "\\x" + row[name].hex() for name in binary if name in row}}
            for row in rows
        ]
    try:
        # Text and whole numbers within 64 bits, as a push's rows are: orjson writes them as
        # json.dumps would, in a fraction of the time. Their keys are column names, which
        # SQLAlchemy gives as a subclass of str: orjson takes those only with OPT_NON_STR_KEYS.
        return {"rows": orjson.dumps(rows, option=orjson.OPT_NON_STR_KEYS).decode()}
    except TypeError:  # a number past 64 bits
        return {"rows": json.dumps(rows, separators=(",", ":"), ensure_ascii=False)}


@cache
def _binary_columns(table: Table) -> tuple[str, ...]:
    return tuple(c.name for c in table.columns if isinstance(c.type, LargeBinary))


def one_of(dialect: str, column: Column[Any], name: str = "ids") -> ColumnElement[bool]:
    """`column IN (:name)`, the values given when the statement runs (`{name: [...]}`), so a
    statement built with it can be built once and kept (see `kept`). On PostgreSQL
    `= ANY(array)`: one parameter and a text that does not change with the number of values,
    which psycopg parses once (an IN list is a new text for every length, parsed in Python each
    time)."""
    if dialect != "postgresql":
        return column.in_(bindparam(name, expanding=True))
    return column == any_(cast(bindparam(name), postgresql.ARRAY(column.type)))


# A statement the push runs every time, built once per dialect. SQLAlchemy compiles a statement
# once, but works out a new statement object's cache key and adapts its cached result columns
# to it at every run: for the push's dozen lookups, an eighth of its Python time.
kept = cache


def _recordset(table: Table, names: tuple[str, ...], slot: str) -> Any:
    """json_to_recordset(:slot) AS given(name type, ...), the columns typed as in `table`."""
    return (
        func.json_to_recordset(cast(bindparam(slot), postgresql.JSON))
        .table_valued(*(column(name, table.c[name].type) for name in names))
        .render_derived(name="given", with_types=True)
    )


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
