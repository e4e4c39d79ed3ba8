"""The office's feed: every op the centre holds, numbered per office.

`office_feed` gives each stored op a position in its office's feed, and `office_feeds` each
office's last position; a push numbers the ops it stores (sync/server/push.py), in the order the
centre commits them (docs/OFFICE_SHARING.md, D5). The ops a centre already holds are numbered
here, per office, by when they were received, then by device and seq: the order they were
committed in as near as the centre can tell now.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "office_feeds",
        sa.Column("office", sa.String(40), primary_key=True),
        sa.Column("last_pos", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "office_feed",
        sa.Column("office", sa.String(40), primary_key=True),
        sa.Column("pos", sa.BigInteger, primary_key=True),
        sa.Column("op_id", sa.Text, nullable=False),
    )
    # Both databases have window functions (SQLite since 3.25).
    op.execute(
        "INSERT INTO office_feed (office, pos, op_id)"
        " SELECT d.office,"
        " ROW_NUMBER() OVER (PARTITION BY d.office ORDER BY o.received_at, o.device_id, o.seq),"
        " o.op_id"
        " FROM ops o JOIN devices d ON d.device_id = o.device_id"
    )
    op.execute(
        "INSERT INTO office_feeds (office, last_pos)"
        " SELECT office, MAX(pos) FROM office_feed GROUP BY office"
    )


def downgrade() -> None:
    op.drop_table("office_feed")
    op.drop_table("office_feeds")
