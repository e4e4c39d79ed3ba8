"""Audit-chain heads seen at each push: an anchor for the counter's chain outside its own file.

A counter's audit chain proves its file was not edited only to someone who trusts the file's
last link; whoever can rewrite the file can rewrite the chain from the edit on. From protocol
v1's X-Chain-Head header the centre keeps every head a counter showed it, so a later chain
that does not hold the last one (rewritten, or rolled back to a backup) is flagged.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-12
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "chain_heads",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("device_id", sa.String(100), nullable=False),
        sa.Column("seq", sa.BigInteger, nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("seen_at", sa.String(32), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
    )
    op.create_index("chain_heads_device", "chain_heads", ["device_id", "id"])


def downgrade() -> None:
    op.drop_index("chain_heads_device", "chain_heads")
    op.drop_table("chain_heads")
