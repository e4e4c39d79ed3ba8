"""The web pages' sessions and failed logins.

A person logged in to the centre's pages holds a session: a random id in a cookie, of which the
database keeps only the sha256 (a copy of the database logs no one in), with the account, the
form token (CSRF) and when it was made and last used. Failed logins are counted by a digest of
the name typed, as the counter counts them, so a password typed into the name field is never
kept. Both live in the database, not in a worker's memory: the server may run several workers,
and a login slowed by one must be slowed by all.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-20
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

STAMP = sa.String(32)


def upgrade() -> None:
    op.create_table(
        "web_sessions",
        sa.Column("id_sha256", sa.LargeBinary(32), primary_key=True),
        sa.Column("account_id", sa.Integer, nullable=False),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("seen_at", STAMP, nullable=False),
    )
    op.create_index("web_sessions_account", "web_sessions", ["account_id"])
    op.create_table(
        "web_login_failures",
        sa.Column("name_sha256", sa.LargeBinary(32), primary_key=True),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("last_at", STAMP, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("web_login_failures")
    op.drop_index("web_sessions_account", "web_sessions")
    op.drop_table("web_sessions")
