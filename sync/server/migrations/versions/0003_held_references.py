"""Facts checked against what the centre holds: indexes for the lookups, and the typed copies of
facts no counter could have written taken out of the reports.

A push now looks up the voids and refunds of each payment it refers to, so both tables get an
index on payment_id. A centre that ran before these checks may hold forged rows (an amount near
2**53, a void of another office's payment) that make its reports wrong or, on SQLite, make every
report fail with "integer overflow". Their typed copies, which only the reports read, are deleted
here; the ops themselves stay in `ops`, byte for byte, for audit. The bounds are written out
rather than imported: a migration must do the same thing whenever it runs.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-10
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

AMOUNT_MAX = 10**15 - 1  # odsc_desk.shared.facts.AMOUNT_MAX when this was written
FEE_MAX = 100_000_000  # odsc_desk.shared.catalog_file.MAX_FEE when this was written

# A void or refund stands only on a payment of its own office counter.
_ORPHAN = (
    "NOT EXISTS (SELECT 1 FROM payments p WHERE p.id = {t}.payment_id"
    " AND p.office = {t}.office AND p.counter = {t}.counter)"
)


def upgrade() -> None:
    op.create_index("voids_payment", "voids", ["payment_id"])
    op.create_index("refunds_payment", "refunds", ["payment_id"])
    op.execute(sa.text("DELETE FROM requests WHERE fee < 0 OR fee > :fee").bindparams(fee=FEE_MAX))
    out_of_bounds = "amount < :low OR amount > :high"
    op.execute(
        sa.text(f"DELETE FROM payments WHERE {out_of_bounds}").bindparams(low=1, high=AMOUNT_MAX)
    )
    op.execute(
        sa.text(
            f"DELETE FROM refunds WHERE {out_of_bounds} OR {_ORPHAN.format(t='refunds')}"
        ).bindparams(low=1, high=AMOUNT_MAX)
    )
    op.execute(sa.text(f"DELETE FROM voids WHERE {_ORPHAN.format(t='voids')}"))


def downgrade() -> None:
    op.drop_index("refunds_payment", "refunds")
    op.drop_index("voids_payment", "voids")
