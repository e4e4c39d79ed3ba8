"""Messages to a citizen's phone: the consent a request carries, and the queue.

`requests` gains the citizen's consent to messages (1, else NULL) and their language, as a
counter that knows them sends them (both NULL for every request taken before). A new `messages`
table holds each message queued when such a request becomes ready or is returned for documents,
and what the SMS gateway made of it (sync/server/messages.py).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

STAMP = sa.String(32)


def upgrade() -> None:
    with op.batch_alter_table("requests") as batch:
        batch.add_column(sa.Column("sms_consent", sa.Integer))
        batch.add_column(sa.Column("sms_lang", sa.String(2)))
    op.create_table(
        "messages",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.Text, nullable=False, unique=True),
        sa.Column("request_id", sa.Text, nullable=False),
        sa.Column("office", sa.String(40), nullable=False),
        sa.Column("tracking", sa.Text, nullable=False),
        sa.Column("phone", sa.String(32), nullable=False),
        sa.Column("lang", sa.String(2), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("segments", sa.Integer, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("next_at", STAMP, nullable=False),
        sa.Column("sent_at", STAMP),
        sa.Column("gateway_id", sa.String(100), unique=True),
        sa.Column("delivery", sa.String(16)),
        sa.Column("delivery_at", STAMP),
        sa.Column("last_error", sa.Text),
    )
    op.create_index("messages_due", "messages", ["state", "next_at"])
    op.create_index("messages_phone_sent", "messages", ["phone", "sent_at"])


def downgrade() -> None:
    op.drop_index("messages_phone_sent", "messages")
    op.drop_index("messages_due", "messages")
    op.drop_table("messages")
    with op.batch_alter_table("requests") as batch:
        batch.drop_column("sms_lang")
        batch.drop_column("sms_consent")
