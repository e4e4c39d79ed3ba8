"""Every fact kind in its own typed table, and the roll-ups the figures read.

Until now only requests, payments, voids and refunds had typed copies, with the few columns the
totals needed. This revision adds the registry's other columns to those four, a table for each
other fact kind, the roll-ups (`rollup`, `rollup_durations`, `rollup_clerks`) and the ops a push
refused (`refused_ops`), then fills the typed tables and the roll-ups from the ops the centre
already holds. The tables are written out here rather than taken from sync/server/db.py: a
migration must build the same thing whenever it runs.

The filling is the exception, on purpose: it replays every held op through the push's own code
(sync.server.push.replay), device by device in the order the ops arrived, without storing them
again. What a fresh push of the same ops would write is then exactly what this writes: the same
checks (so the forged rows 0003 took out, and anything else a push now refuses, stay out), the
same derived columns, the same roll-ups, each op once. (One thing the order of arrival decided
is not kept: which of an office's closures a ready event's working days skipped, when another
counter of the office sent the closure. Devices are replayed one after another, in id order, so
such a closure counts if its device comes first.) A second, frozen copy of the projection
here would be a second meaning of every figure, free to drift from the first. The price: should a
later revision change the typed tables, this code would write columns this revision has not made.
tests/sync/test_upgrade_0005.py guards that (a 0004 database holding ops of every kind, upgraded
to head, must equal a fresh ingest of the same ops); a revision that breaks it moves the filling
into itself.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""

import json
from collections.abc import Iterator, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

STAMP = sa.String(32)
DAY = sa.String(10)
USER = sa.String(100)


def _owner() -> list[sa.Column[Any]]:
    return [
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("device_id", sa.String(100), nullable=False),
        sa.Column("office", sa.String(40), nullable=False),
        sa.Column("counter", sa.Integer, nullable=False),
        sa.Column("business_date", DAY, nullable=False),
    ]


def _fact(name: str, *columns: sa.Column[Any]) -> None:
    op.create_table(name, *_owner(), *columns)
    op.create_index(f"{name}_office_date", name, ["office", "business_date"])


def _add(table: str, *columns: sa.Column[Any]) -> None:
    with op.batch_alter_table(table) as batch:
        for column in columns:
            batch.add_column(column)


def _counts(*names: str) -> list[sa.Column[Any]]:
    return [sa.Column(n, sa.BigInteger, nullable=False, server_default="0") for n in names]


def _grain() -> list[sa.Column[Any]]:
    return [
        sa.Column("grain", sa.String(1), primary_key=True),
        sa.Column("period", sa.String(10), primary_key=True),
    ]


REVENUE = ("payments", "gross", "voids", "voided", "refunds", "refunded")
RATINGS = ("feedback", "rating_sum", "rating_1", "rating_2", "rating_3", "rating_4", "rating_5")


def upgrade() -> None:
    _add(
        "requests",
        sa.Column("created_by", USER),
        sa.Column("citizen_name", sa.Text),
        sa.Column("name_key", sa.Text),
        sa.Column("phone", sa.Text),
        sa.Column("id_number", sa.Text),
        sa.Column("village", sa.Text),
        sa.Column("promised_date", DAY),
        sa.Column("documents", sa.Text),
        sa.Column("status", sa.String(16), nullable=False, server_default="received"),
        sa.Column("status_seq", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("ready_on", DAY),
        sa.Column("closed_on", DAY),
        sa.Column("returned", sa.Integer, nullable=False, server_default="0"),
        sa.Column("working_days", sa.Integer),
        sa.Column("fee_check", sa.String(16), nullable=False, server_default="unknown"),
    )
    op.create_index("requests_tracking", "requests", ["tracking"])
    op.create_index("requests_open", "requests", ["status", "promised_date", "office"])
    _add(
        "payments",
        sa.Column("session_id", sa.Text),
        sa.Column("by", USER),
        sa.Column("service_code", sa.Text),
    )
    op.create_index("payments_request", "payments", ["request_id"])
    _add(
        "voids",
        sa.Column("session_id", sa.Text),
        sa.Column("reason", sa.Text),
        sa.Column("approved_by", USER),
        sa.Column("by", USER),
        sa.Column("amount", sa.BigInteger),
        sa.Column("service_code", sa.Text),
        sa.Column("payment_by", USER),
    )
    _add(
        "refunds",
        sa.Column("session_id", sa.Text),
        sa.Column("reason", sa.Text),
        sa.Column("approved_by", USER),
        sa.Column("by", USER),
        sa.Column("service_code", sa.Text),
        sa.Column("payment_by", USER),
    )
    _fact(
        "status_events",
        sa.Column("request_id", sa.Text, nullable=False),
        sa.Column("seq", sa.BigInteger, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("at", STAMP, nullable=False),
        sa.Column("by", USER),
    )
    op.create_index("status_events_request", "status_events", ["request_id", "seq"])
    _fact(
        "cash_sessions",
        sa.Column("opened_at", STAMP, nullable=False),
        sa.Column("opened_by", USER),
        sa.Column("float_amount", sa.BigInteger, nullable=False),
    )
    _fact(
        "cash_closes",
        sa.Column("session_id", sa.Text, nullable=False),
        sa.Column("closed_at", STAMP, nullable=False),
        sa.Column("closed_by", USER),
        sa.Column("counted", sa.BigInteger, nullable=False),
        sa.Column("expected", sa.BigInteger, nullable=False),
        sa.Column("difference", sa.BigInteger, nullable=False),
        sa.Column("approved_by", USER),
    )
    _fact(
        "feedback",
        sa.Column("request_id", sa.Text, nullable=False),
        sa.Column("rating", sa.Integer, nullable=False),
        sa.Column("comment", sa.Text),
        sa.Column("at", STAMP, nullable=False),
        sa.Column("by", USER),
        sa.Column("service_code", sa.Text),
        sa.Column("request_by", USER),
    )
    _fact(
        "receipt_prints",
        sa.Column("payment_id", sa.Text, nullable=False),
        sa.Column("seq", sa.BigInteger, nullable=False),
        sa.Column("copy", sa.Integer, nullable=False),
        sa.Column("format", sa.Text, nullable=False),
        sa.Column("at", STAMP, nullable=False),
        sa.Column("by", USER),
    )
    _fact(
        "closures",
        sa.Column("date", DAY, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("created_by", USER),
    )
    op.create_index("closures_office_day", "closures", ["office", "date"])
    _fact(
        "sequence_floors",
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("period", sa.String(10), nullable=False),
        sa.Column("floor", sa.BigInteger, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("at", STAMP, nullable=False),
        sa.Column("by", USER),
    )
    op.create_table(
        "rollup",
        *_grain(),
        sa.Column("office", sa.String(40), primary_key=True),
        sa.Column("counter", sa.Integer, primary_key=True),
        sa.Column("service_code", sa.String(64), primary_key=True),
        *_counts(
            "received", "ready", "on_time", "collected", "rejected", "withdrawn", "returned",
            *REVENUE,
            "fee_catalog", "fee_off_catalog", "fee_old_version", "fee_unknown",
            *RATINGS,
        ),
    )  # fmt: skip
    op.create_table(
        "rollup_durations",
        *_grain(),
        sa.Column("office", sa.String(40), primary_key=True),
        sa.Column("service_code", sa.String(64), primary_key=True),
        sa.Column("days", sa.Integer, primary_key=True),
        *_counts("requests"),
    )
    op.create_table(
        "rollup_clerks",
        *_grain(),
        sa.Column("office", sa.String(40), primary_key=True),
        sa.Column("counter", sa.Integer, primary_key=True),
        sa.Column("clerk", USER, primary_key=True),
        *_counts("received", *REVENUE, *RATINGS),
    )
    op.create_table(
        "refused_ops",
        sa.Column("device_id", sa.String(100), primary_key=True),
        sa.Column("op_id", sa.Text, primary_key=True),
        sa.Column("seq", sa.BigInteger, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("first_at", STAMP, nullable=False),
        sa.Column("last_at", STAMP, nullable=False),
    )
    _fill()


def _fill() -> None:
    """The typed tables and roll-ups, from every op held: the four old typed tables are rebuilt
    with the rest, so each op is projected once, by today's rules."""
    # Imported here: only the filling needs the push's code (see the docstring).
    from sync.protocol import Op
    from sync.server.auth import Device
    from sync.server.push import replay

    conn = op.get_bind()
    for name in ("requests", "payments", "voids", "refunds"):
        conn.execute(sa.text(f"DELETE FROM {name}"))
    by_id = sa.text("SELECT seq, entity, payload FROM ops WHERE op_id IN :ids").bindparams(
        sa.bindparam("ids", expanding=True)
    )
    devices = conn.execute(
        sa.text("SELECT device_id, office, counter FROM devices ORDER BY device_id")
    ).all()
    for device in devices:
        who = Device(device.device_id, device.office, device.counter)
        held = conn.execute(
            sa.text("SELECT op_id, seq, received_at FROM ops WHERE device_id = :device"),
            {"device": device.device_id},
        ).all()
        # As they arrived: push by push, each push in seq order.
        for ids in _pushes(sorted(held, key=lambda o: (o.received_at, o.seq, o.op_id))):
            rows = conn.execute(by_id, {"ids": ids}).all()
            ops = [Op(r.seq, r.entity, json.loads(r.payload)) for r in rows]
            replay(conn, who, ops, dated_catalogs=False)  # effective dates come with 0008


# protocol.MAX_OPS when this was written: the most ops one push (and so one replay) holds.
_MAX_OPS = 2000


def _pushes(held: Sequence[sa.Row[Any]]) -> Iterator[list[str]]:
    """Op ids in arrival order, cut into batches a push could have carried: at most _MAX_OPS,
    each seq once and rising (a counter restored from a backup can reuse a seq)."""
    batch: list[str] = []
    last = 0
    for held_op in held:
        if batch and (held_op.seq <= last or len(batch) == _MAX_OPS):
            yield batch
            batch = []
        batch.append(held_op.op_id)
        last = held_op.seq
    if batch:
        yield batch


_NEW_TABLES = (
    "refused_ops", "rollup_clerks", "rollup_durations", "rollup", "sequence_floors", "closures",
    "receipt_prints", "feedback", "cash_closes", "cash_sessions", "status_events",
)  # fmt: skip
_NEW_COLUMNS = {
    "requests": (
        "created_by", "citizen_name", "name_key", "phone", "id_number", "village",
        "promised_date", "documents", "status", "status_seq", "ready_on", "closed_on",
        "returned", "working_days", "fee_check",
    ),
    "payments": ("session_id", "by", "service_code"),
    "voids": (
        "session_id", "reason", "approved_by", "by", "amount", "service_code", "payment_by",
    ),
    "refunds": ("session_id", "reason", "approved_by", "by", "service_code", "payment_by"),
}  # fmt: skip


def downgrade() -> None:
    """Back to 0004: the tables and columns this revision added, gone. The four old typed
    tables keep the rows the filling rebuilt (their old columns are the ops' own)."""
    for name in _NEW_TABLES:
        op.drop_table(name)
    op.drop_index("payments_request", "payments")
    op.drop_index("requests_open", "requests")
    op.drop_index("requests_tracking", "requests")
    for table, columns in _NEW_COLUMNS.items():
        with op.batch_alter_table(table) as batch:
            for column in columns:
                batch.drop_column(column)
