"""A status event's Lamport clock.

`status_events` gains `clock`: the event's place in the order of its request's events that
every counter of an office and the centre will share when the office's counters serve one
another's requests (docs/OFFICE_SHARING.md, D4), as a counter that knows it sends it (NULL on
every event taken before, and from counters that predate it).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("status_events") as batch:
        batch.add_column(sa.Column("clock", sa.BigInteger))


def downgrade() -> None:
    with op.batch_alter_table("status_events") as batch:
        batch.drop_column("clock")
