"""Relays: an office's hub, enrolled at the centre as a device that forwards its counters' ops.

`devices.role` is "counter" for every device enrolled before, and "relay" for an office's hub
(docs/OFFICE_SHARING.md, D7); `devices.via` names the relay that announced a counter enrolled
with it (NULL for one enrolled here). `enroll_codes.role` says which kind a code enrolls.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("devices") as batch:
        batch.add_column(sa.Column("role", sa.String(10), nullable=False, server_default="counter"))
        batch.add_column(sa.Column("via", sa.String(100)))
    with op.batch_alter_table("enroll_codes") as batch:
        batch.add_column(sa.Column("role", sa.String(10), nullable=False, server_default="counter"))


def downgrade() -> None:
    with op.batch_alter_table("enroll_codes") as batch:
        batch.drop_column("role")
    with op.batch_alter_table("devices") as batch:
        batch.drop_column("via")
        batch.drop_column("role")
