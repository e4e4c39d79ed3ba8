"""A receipt's check: a device found by its key's id, a payment by its receipt number.

`devices` gains `key_id`, the 12 hex digits a receipt's code names the counter's public key by
(odsc_desk.shared.receipt_code.key_id), filled here for the devices enrolled before; both it and
`payments.receipt` are indexed, so the public check is two index look-ups.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04
"""

import hashlib

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def _key_id(public_key: str | None) -> str | None:
    # receipt_code.key_id, repeated: a migration keeps working whatever the code becomes.
    try:
        raw = bytes.fromhex(public_key or "")
    except ValueError:
        return None
    return hashlib.sha256(raw).hexdigest()[:12].upper() if len(raw) == 32 else None


def upgrade() -> None:
    with op.batch_alter_table("devices") as batch:
        batch.add_column(sa.Column("key_id", sa.String(12)))
    devices = sa.table(
        "devices",
        sa.column("device_id", sa.String),
        sa.column("public_key", sa.Text),
        sa.column("key_id", sa.String),
    )
    conn = op.get_bind()
    rows = conn.execute(
        sa.select(devices.c.device_id, devices.c.public_key).where(
            devices.c.public_key.is_not(None)
        )
    ).all()
    for device_id, public_key in rows:
        conn.execute(
            sa.update(devices)
            .where(devices.c.device_id == device_id)
            .values(key_id=_key_id(public_key))
        )
    op.create_index("devices_key_id", "devices", ["key_id"])
    op.create_index("payments_receipt", "payments", ["receipt"])


def downgrade() -> None:
    op.drop_index("payments_receipt", table_name="payments")
    op.drop_index("devices_key_id", table_name="devices")
    with op.batch_alter_table("devices") as batch:
        batch.drop_column("key_id")
