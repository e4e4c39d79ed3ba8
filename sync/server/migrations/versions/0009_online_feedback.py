"""Feedback given online, from an appointment slip's QR (sync.server.online_feedback).

A new `online_feedback` table holds one rating per request (its primary key), with the request's
office, counter, service and clerk copied as a counter's feedback carries them; `rollup` and
`rollup_clerks` gain `feedback_online`, how many of the ratings they count came online (an
online rating also counts in `feedback`, `rating_sum` and `rating_N` beside the counter's).
Nothing to fill: no rating came online before.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

STAMP = sa.String(32)
DAY = sa.String(10)
USER = sa.String(100)


def upgrade() -> None:
    op.create_table(
        "online_feedback",
        sa.Column("request_id", sa.Text, primary_key=True),
        sa.Column("office", sa.String(40), nullable=False),
        sa.Column("counter", sa.Integer, nullable=False),
        sa.Column("business_date", DAY, nullable=False),
        sa.Column("rating", sa.Integer, nullable=False),
        sa.Column("comment", sa.Text),
        sa.Column("at", STAMP, nullable=False),
        sa.Column("service_code", sa.Text, nullable=False),
        sa.Column("request_by", USER),
    )
    op.create_index("online_feedback_office_date", "online_feedback", ["office", "business_date"])
    for table in ("rollup", "rollup_clerks"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(
                sa.Column("feedback_online", sa.BigInteger, nullable=False, server_default="0")
            )


def downgrade() -> None:
    for table in ("rollup_clerks", "rollup"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("feedback_online")
    op.drop_index("online_feedback_office_date", "online_feedback")
    op.drop_table("online_feedback")
