"""A late request's new date.

`status_events` gains `new_date`: the day a counter's new-date notice told the citizen, on an
event that keeps the request's status, as a counter that knows it sends it (NULL on every
other event and on every event taken before). The status page shows the latest one, and a
message is queued for a citizen who agreed to messages (sync/server/messages.py).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("status_events") as batch:
        batch.add_column(sa.Column("new_date", sa.String(10)))


def downgrade() -> None:
    with op.batch_alter_table("status_events") as batch:
        batch.drop_column("new_date")
