"""A business day's figures: what was taken, given back and should be in the drawer.

Gross is every payment taken in the day's sessions; voids and refunds done that day are listed
on their own; net = gross − voided − refunded. Expected cash is computed per session, exactly as
closing a session computes it, so the day report and the drawer count agree.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from odsc_desk.domain.cash import expected_cash
from odsc_desk.storage.store import Store


def _group(rows: list[dict[str, Any]], key: str, label_keys: tuple[str, ...] = ()) -> list[dict]:
    groups: dict[str, dict[str, Any]] = {}
    for row in rows:
        group = groups.setdefault(
            row[key], {key: row[key], **{k: row[k] for k in label_keys}, "count": 0, "amount": 0}
        )
        group["count"] += 1
        group["amount"] += row["amount"]
    return sorted(groups.values(), key=lambda g: (-g["amount"], str(g[key])))


def day_totals(store: Store, day: date) -> dict[str, Any]:
    business_date = day.isoformat()
    payments = store.all(
        "SELECT p.receipt, p.amount, p.method, p.session_id, u.username AS clerk,"
        " s.code AS service, s.name_lo AS service_lo, s.name_en AS service_en,"
        " s.ministry_code AS ministry, s.ministry_lo, s.ministry_en"
        " FROM payments p JOIN requests r ON r.id = p.request_id"
        " JOIN services s ON s.version = r.catalog_version AND s.code = r.service_code"
        " JOIN users u ON u.id = p.by WHERE p.business_date = ?",
        (business_date,),
    )
    voids = store.all(
        "SELECT p.receipt, p.amount, p.method, v.reason, v.at, u.username AS by,"
        " a.username AS approved_by FROM voids v JOIN payments p ON p.id = v.payment_id"
        " JOIN users u ON u.id = v.by JOIN users a ON a.id = v.approved_by"
        " WHERE v.business_date = ? ORDER BY v.rowid",
        (business_date,),
    )
    refunds = store.all(
        "SELECT p.receipt, f.amount, p.method, f.reason, f.at, u.username AS by,"
        " a.username AS approved_by FROM refunds f JOIN payments p ON p.id = f.payment_id"
        " JOIN users u ON u.id = f.by JOIN users a ON a.id = f.approved_by"
        " WHERE f.business_date = ? ORDER BY f.rowid",
        (business_date,),
    )
    sessions = store.all(
        "SELECT s.id, s.opened_at, o.username AS opened_by, s.float_amount, c.closed_at,"
        " k.username AS closed_by, c.counted, c.difference, a.username AS approved_by"
        " FROM cash_sessions s JOIN users o ON o.id = s.opened_by"
        " LEFT JOIN cash_closes c ON c.session_id = s.id"
        " LEFT JOIN users k ON k.id = c.closed_by LEFT JOIN users a ON a.id = c.approved_by"
        " WHERE s.business_date = ? ORDER BY s.rowid",
        (business_date,),
    )
    for session in sessions:
        session["expected"] = expected_cash(store, session.pop("id"))
    gross = sum(p["amount"] for p in payments)
    voided = sum(v["amount"] for v in voids)
    refunded = sum(f["amount"] for f in refunds)
    closed = all(s["closed_at"] for s in sessions) and bool(sessions)
    counted = sum(s["counted"] for s in sessions) if closed else None
    expected = sum(s["expected"] for s in sessions)
    by_session: dict[str, int] = defaultdict(int)
    for p in payments:
        by_session[p["session_id"]] += 1
    return {
        "date": business_date,
        "requests": store.scalar(
            "SELECT COUNT(*) FROM requests WHERE business_date = ?", (business_date,)
        ),
        "payments": {"count": len(payments), "amount": gross},
        "by_service": _group(payments, "service", ("service_lo", "service_en")),
        "by_ministry": _group(payments, "ministry", ("ministry_lo", "ministry_en")),
        "by_clerk": _group(payments, "clerk"),
        "by_method": _group(payments, "method"),
        "voids": voids,
        "refunds": refunds,
        "totals": {
            "gross": gross,
            "voided": voided,
            "refunded": refunded,
            "net": gross - voided - refunded,
        },
        "cash": {
            "sessions": sessions,
            "expected": expected,
            "counted": counted,
            "difference": None if counted is None else counted - expected,
        },
    }
