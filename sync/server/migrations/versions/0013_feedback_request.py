"""A slip's page asks whether its request was rated at the counter: `feedback` gains an index on
`request_id`, so that question is one index look-up rather than a read of every rating the
centre holds (tests/bench/test_public_bench.py: a sequential scan, growing with the nation).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04
"""

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("feedback_request", "feedback", ["request_id"])


def downgrade() -> None:
    op.drop_index("feedback_request", table_name="feedback")
