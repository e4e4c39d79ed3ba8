"""The national calendar of public holidays and closures, governed as the catalog is.

`calendars` holds the published versions (each with its effective day and who drafted and who
approved it) and `calendar_drafts` the versions on their way (sync.server.calendars). Nothing
else changes: a centre without a calendar answers the calendar endpoint 404 and counters keep
the `holidays` package's calendar.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

STAMP = sa.String(32)
NAME = sa.String(100)
DAY = sa.String(10)


def upgrade() -> None:
    op.create_table(
        "calendars",
        sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("label", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("calendar", sa.Text, nullable=False),
        sa.Column("published_at", STAMP, nullable=False),
        sa.Column("effective_from", DAY),
        sa.Column("drafted_by", NAME),
        sa.Column("approved_by", NAME),
    )
    op.create_table(
        "calendar_drafts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("calendar", sa.Text, nullable=False),
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
    op.drop_table("calendar_drafts")
    op.drop_table("calendars")
