"""An office's hub (docs/OFFICE_SHARING.md, D7): what a server run in an office keeps.

`hub_upstream` is the one row of a hub: the centre it relays to, the relay device and token it
enrolled there with, how far the office's feed here was relayed up (`relayed_pos`) and how far
the centre's feed was read down (`feed_after`). `hub_counters` is each counter enrolled with
the hub: the public key the centre was told of (NULL: not announced yet) and the last chain
head forwarded. `hub_refused` holds the ops the centre refused when relayed, tried again at
each run. `chain_heads.anchor` keeps the X-Chain-Anchor a head came with, so a hub forwards
the counter's claim as it was made (NULL: none was sent, or the head was seen before this).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hub_upstream",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("device_id", sa.String(100), nullable=False),
        sa.Column("office", sa.String(40), nullable=False),
        sa.Column("token", sa.Text, nullable=False),
        sa.Column("ca_bundle", sa.Text),
        sa.Column("enrolled_at", sa.String(32), nullable=False),
        sa.Column("relayed_pos", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("feed_after", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("last_success", sa.String(32)),
        sa.Column("last_error", sa.Text),
    )
    op.create_table(
        "hub_counters",
        sa.Column("device_id", sa.String(100), primary_key=True),
        sa.Column("announced_key", sa.Text),
        sa.Column("announced_at", sa.String(32)),
        sa.Column("head_id", sa.Integer, nullable=False, server_default="0"),
    )
    op.create_table(
        "hub_refused",
        sa.Column("op_id", sa.Text, primary_key=True),
        sa.Column("device_id", sa.String(100), nullable=False),
        sa.Column("seq", sa.BigInteger, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("refused_at", sa.String(32), nullable=False),
    )
    with op.batch_alter_table("chain_heads") as batch:
        batch.add_column(sa.Column("anchor", sa.String(90)))


def downgrade() -> None:
    with op.batch_alter_table("chain_heads") as batch:
        batch.drop_column("anchor")
    op.drop_table("hub_refused")
    op.drop_table("hub_counters")
    op.drop_table("hub_upstream")
