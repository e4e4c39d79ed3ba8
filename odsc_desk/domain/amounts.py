"""What a payment and a request are worth once voids and refunds are counted: one definition,
as SQL expressions every query that shows them embeds.

A voided receipt cannot be refunded, and a refunded one cannot be voided, so the two never
overlap: paid = receipts not voided, less what was refunded.
"""

from __future__ import annotations

# For a payment aliased `p`: 1 if it was voided, else 0 (a payment is voided at most once).
VOIDED = "(SELECT COUNT(*) FROM voids v WHERE v.payment_id = p.id)"
# For a payment aliased `p`: the kip refunded on it.
REFUNDED = "(SELECT COALESCE(SUM(f.amount), 0) FROM refunds f WHERE f.payment_id = p.id)"
# For a request aliased `r`: the kip it has been paid, net of voids and refunds.
PAID = (
    "((SELECT COALESCE(SUM(p.amount), 0) FROM payments p WHERE p.request_id = r.id"
    " AND NOT EXISTS (SELECT 1 FROM voids v WHERE v.payment_id = p.id))"
    " - (SELECT COALESCE(SUM(f.amount), 0) FROM refunds f"
    " JOIN payments p ON p.id = f.payment_id WHERE p.request_id = r.id))"
)
