"""The centre's first schema: devices, enrollment codes, viewers, catalogs, ops, the fact tables
the reports read, and the numbers each counter has used.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

STAMP = sa.String(32)
OFFICE = sa.String(40)


def upgrade() -> None:
    op.create_table(
        "devices",
        sa.Column("device_id", sa.String(100), primary_key=True),
        sa.Column("office", OFFICE, nullable=False),
        sa.Column("counter", sa.Integer, nullable=False),
        sa.Column("token_sha256", sa.LargeBinary(32), nullable=False, unique=True),
        sa.Column("public_key", sa.Text),
        sa.Column("enrolled_at", STAMP, nullable=False),
        sa.Column("revoked_at", STAMP),
        sa.Column("last_sync", STAMP),
        sa.Column("high_water", sa.BigInteger, nullable=False),
        sa.Column("ops", sa.BigInteger, nullable=False),
        sa.Column("clock_offset", sa.BigInteger),
        sa.Column("max_ahead", sa.BigInteger),
    )
    op.create_index("devices_office", "devices", ["office"])
    op.create_table(
        "enroll_codes",
        sa.Column("code_sha256", sa.LargeBinary(32), primary_key=True),
        sa.Column("office", OFFICE, nullable=False),
        sa.Column("counter", sa.Integer, nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("expires_at", STAMP, nullable=False),
        sa.Column("device_id", sa.String(100)),
        sa.Column("used_at", STAMP),
    )
    op.create_table(
        "viewers",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("token_sha256", sa.LargeBinary(32), nullable=False, unique=True),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("revoked_at", STAMP),
    )
    op.create_table(
        "catalogs",
        sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("label", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("catalog", sa.Text, nullable=False),
        sa.Column("published_at", STAMP, nullable=False),
    )
    op.create_table(
        "ops",
        sa.Column("op_id", sa.Text, primary_key=True),
        sa.Column("device_id", sa.String(100), nullable=False),
        sa.Column("seq", sa.BigInteger, nullable=False),
        sa.Column("entity", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("sha256", sa.LargeBinary(32), nullable=False),
        sa.Column("device_time", STAMP, nullable=False),
        sa.Column("received_at", STAMP, nullable=False),
    )
    op.create_index("ops_device_seq", "ops", ["device_id", "seq"])
    op.create_table(
        "numbers",
        sa.Column("office", OFFICE, primary_key=True),
        sa.Column("counter", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(16), primary_key=True),
        sa.Column("period", sa.String(10), primary_key=True),
        sa.Column("high", sa.BigInteger, nullable=False),
    )
    _fact(
        "requests",
        sa.Column("tracking", sa.Text, nullable=False),
        sa.Column("daily_seq", sa.BigInteger, nullable=False),
        sa.Column("service_code", sa.Text, nullable=False),
        sa.Column("catalog_version", sa.BigInteger, nullable=False),
        sa.Column("fee", sa.BigInteger, nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
    )
    _fact(
        "payments",
        sa.Column("receipt", sa.Text, nullable=False),
        sa.Column("receipt_year", sa.BigInteger, nullable=False),
        sa.Column("receipt_seq", sa.BigInteger, nullable=False),
        sa.Column("request_id", sa.Text, nullable=False),
        sa.Column("amount", sa.BigInteger, nullable=False),
        sa.Column("method", sa.Text, nullable=False),
        sa.Column("at", STAMP, nullable=False),
    )
    _fact(
        "voids",
        sa.Column("payment_id", sa.Text, nullable=False),
        sa.Column("at", STAMP, nullable=False),
    )
    _fact(
        "refunds",
        sa.Column("payment_id", sa.Text, nullable=False),
        sa.Column("amount", sa.BigInteger, nullable=False),
        sa.Column("at", STAMP, nullable=False),
    )


def _fact(name: str, *columns: sa.Column) -> None:
    op.create_table(
        name,
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("device_id", sa.String(100), nullable=False),
        sa.Column("office", OFFICE, nullable=False),
        sa.Column("counter", sa.Integer, nullable=False),
        sa.Column("business_date", sa.String(10), nullable=False),
        *columns,
    )
    op.create_index(f"{name}_office_date", name, ["office", "business_date"])


def downgrade() -> None:
    for table in (
        "refunds",
        "voids",
        "payments",
        "requests",
        "numbers",
        "ops",
        "catalogs",
        "viewers",
        "enroll_codes",
        "devices",
    ):
        op.drop_table(table)
