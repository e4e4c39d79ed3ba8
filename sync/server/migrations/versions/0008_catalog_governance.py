"""The fee catalog, governed: drafts, their approval, and effective dates.

`catalogs` gains the day a version takes effect (NULL: at once, as every version published
before was) and who drafted and who approved it (NULL for versions published before). A new
`catalog_drafts` table holds versions on their way: drafted by an editor, submitted, approved or
returned with a reason by another person, then published.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

STAMP = sa.String(32)
NAME = sa.String(100)
DAY = sa.String(10)


def upgrade() -> None:
    with op.batch_alter_table("catalogs") as batch:
        batch.add_column(sa.Column("effective_from", DAY))
        batch.add_column(sa.Column("drafted_by", NAME))
        batch.add_column(sa.Column("approved_by", NAME))
    op.create_table(
        "catalog_drafts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("catalog", sa.Text, nullable=False),
        sa.Column("base_version", sa.Integer),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("drafted_by", NAME, nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("updated_at", STAMP, nullable=False),
        sa.Column("submitted_at", STAMP),
        sa.Column("decided_by", NAME),
        sa.Column("decided_at", STAMP),
        sa.Column("reason", sa.Text),
        sa.Column("effective_from", DAY),
        sa.Column("published_version", sa.Integer),
        sa.Column("published_at", STAMP),
    )


def downgrade() -> None:
    op.drop_table("catalog_drafts")
    with op.batch_alter_table("catalogs") as batch:
        batch.drop_column("approved_by")
        batch.drop_column("drafted_by")
        batch.drop_column("effective_from")
