"""The heads a counter signs over its ops (docs/OFFICE_SHARING.md, D9).

`devices.ops_set` and `ops_count` hold the multiset hash of the ops the server holds for a
device (odsc_desk/shared/ops_set.py), NULL until the device first shows a head, when it is
counted from its ops. `ops_heads` keeps each head that held, at a position of its office's
feed of its own, right after the ops it covers.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("devices") as batch:
        batch.add_column(sa.Column("ops_set", sa.LargeBinary(4096)))
        batch.add_column(sa.Column("ops_count", sa.BigInteger))
    op.create_table(
        "ops_heads",
        sa.Column("office", sa.String(40), primary_key=True),
        sa.Column("pos", sa.BigInteger, primary_key=True),
        sa.Column("device_id", sa.String(100), nullable=False),
        sa.Column("count", sa.BigInteger, nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("signature", sa.LargeBinary(64), nullable=False),
        sa.Column("seen_at", sa.String(32), nullable=False),
    )
    op.create_index("ops_heads_device", "ops_heads", ["device_id", "pos"])


def downgrade() -> None:
    op.drop_index("ops_heads_device", table_name="ops_heads")
    op.drop_table("ops_heads")
    with op.batch_alter_table("devices") as batch:
        batch.drop_column("ops_count")
        batch.drop_column("ops_set")
