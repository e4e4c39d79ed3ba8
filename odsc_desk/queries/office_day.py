"""The office's day (docs/OFFICE_SHARING.md, D8): every counter's figures for one business day,
and the office's total, from this counter's own facts and those pulled from the others.

The figures mean what the counter's own daily summary says they mean (queries/daybook.py):
requests taken that day; gross, every payment taken that day; voided, the receipts voided that
day (the whole receipt); refunded, what was given back that day; net = gross − voided −
refunded. The other counters' figures are as fresh as the last office page this counter read:
`as_of` is the centre's time of it (None: never read, so only this counter's own are known).
"""

from __future__ import annotations

from datetime import date
from typing import TypedDict

from odsc_desk.storage import office_facts
from odsc_desk.storage.store import Store


class OfficeFigures(TypedDict):
    requests: int
    payments: int
    gross: int
    voided: int
    refunded: int
    net: int


class CounterFigures(OfficeFigures):
    counter: int
    own: bool  # this counter's own figures, not pulled


class OfficeDay(TypedDict):
    date: str
    office: str
    as_of: str | None  # the centre's time of the last office page read
    counters: list[CounterFigures]  # by counter number
    total: OfficeFigures


# A day's figures of this counter's own tables, then of each device pulled. Voids and refunds
# count on their own day, as the daily summary counts them, a void for the payment it undoes.
_OWN = """
SELECT
    (SELECT COUNT(*) FROM requests WHERE business_date = :day) AS requests,
    (SELECT COUNT(*) FROM payments WHERE business_date = :day) AS payments,
    (SELECT COALESCE(SUM(amount), 0) FROM payments WHERE business_date = :day) AS gross,
    (SELECT COALESCE(SUM(p.amount), 0) FROM voids v JOIN payments p ON p.id = v.payment_id
        WHERE v.business_date = :day) AS voided,
    (SELECT COALESCE(SUM(amount), 0) FROM refunds WHERE business_date = :day) AS refunded
"""
_PULLED = """
SELECT d.counter,
    (SELECT COUNT(*) FROM office_requests
        WHERE origin = d.n AND business_date = :day) AS requests,
    (SELECT COUNT(*) FROM office_payments
        WHERE origin = d.n AND business_date = :day) AS payments,
    (SELECT COALESCE(SUM(amount), 0) FROM office_payments
        WHERE origin = d.n AND business_date = :day) AS gross,
    (SELECT COALESCE(SUM(p.amount), 0) FROM office_voids v
        JOIN office_payments p ON p.id = v.payment_id
        WHERE v.origin = d.n AND v.business_date = :day) AS voided,
    (SELECT COALESCE(SUM(amount), 0) FROM office_refunds
        WHERE origin = d.n AND business_date = :day) AS refunded
FROM office_devices d
"""


_SUMS = ("requests", "payments", "gross", "voided", "refunded")


def office_day(store: Store, day: date) -> OfficeDay:
    params = {"day": day.isoformat()}
    office = store.office
    own = store.one(_OWN, params) or dict.fromkeys(_SUMS, 0)
    sums: dict[int, dict[str, int]] = {office["counter"]: {k: own[k] for k in _SUMS}}
    # A counter enrolled again under a new device keeps its number: its devices add up.
    for row in store.all(_PULLED, params):
        held = sums.setdefault(row["counter"], dict.fromkeys(_SUMS, 0))
        for key in _SUMS:
            held[key] += row[key]
    counters: list[CounterFigures] = [
        {
            "counter": number,
            "own": number == office["counter"],
            "requests": s["requests"],
            "payments": s["payments"],
            "gross": s["gross"],
            "voided": s["voided"],
            "refunded": s["refunded"],
            "net": s["gross"] - s["voided"] - s["refunded"],
        }
        for number, s in sorted(sums.items())
    ]
    total: OfficeFigures = {
        "requests": sum(c["requests"] for c in counters),
        "payments": sum(c["payments"] for c in counters),
        "gross": sum(c["gross"] for c in counters),
        "voided": sum(c["voided"] for c in counters),
        "refunded": sum(c["refunded"] for c in counters),
        "net": sum(c["net"] for c in counters),
    }
    return {
        "date": params["day"],
        "office": office["office_code"],
        "as_of": office_facts.state(store)["as_of"],
        "counters": counters,
        "total": total,
    }
