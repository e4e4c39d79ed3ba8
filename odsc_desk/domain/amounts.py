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
# For a request aliased `r`: the kip it has been paid, net of voids and refunds, here and at the
# office's other counters (docs/OFFICE_SHARING.md, D2: any counter may take its balance).
PAID = (
    "((SELECT COALESCE(SUM(p.amount), 0) FROM payments p WHERE p.request_id = r.id"
    " AND NOT EXISTS (SELECT 1 FROM voids v WHERE v.payment_id = p.id))"
    " - (SELECT COALESCE(SUM(f.amount), 0) FROM refunds f"
    " JOIN payments p ON p.id = f.payment_id WHERE p.request_id = r.id)"
    " + (SELECT COALESCE(SUM(p.amount), 0) FROM office_payments p"
    " WHERE p.request_id = uuid_blob(r.id)"
    " AND NOT EXISTS (SELECT 1 FROM office_voids v WHERE v.payment_id = p.id))"
    " - (SELECT COALESCE(SUM(f.amount), 0) FROM office_refunds f"
    " JOIN office_payments p ON p.id = f.payment_id WHERE p.request_id = uuid_blob(r.id)))"
)
# For a payment aliased `p`: its request, this counter's own (`own`) or, for a payment taken
# here on another counter's request of the office (D2), that one as pulled (`office`), each
# found through its index; `of_request(column)` reads the column of whichever it is.
PAYMENT_REQUEST = (
    " LEFT JOIN requests own ON own.id = p.request_id"
    " LEFT JOIN office_requests office"
    " ON own.id IS NULL AND office.id = uuid_blob(p.request_id)"
)


def of_request(column: str) -> str:
    return f"COALESCE(own.{column}, office.{column})"
