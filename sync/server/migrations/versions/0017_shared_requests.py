"""Requests another counter of the office wrote on.

`requests` gains `shared` (0 or 1): set when a counter of the request's office other than its
own writes a status event on it (docs/OFFICE_SHARING.md, D2). Such a request's status
is the fold of its events in the order every counter computes (D4), not its latest seq's; every
request taken before is its own counter's alone.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("requests") as batch:
        batch.add_column(sa.Column("shared", sa.Integer, nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("requests") as batch:
        batch.drop_column("shared")
