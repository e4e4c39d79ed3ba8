"""The numbers people see: tracking and receipt numbers.

Tracking: OFFICE-COUNTER-YYMMDD-NNNN (daily sequence). Receipt: OFFICE-COUNTER-YYYY-NNNNNN
(yearly sequence, gapless). The counter is part of both, so no two devices can clash and no
server is needed to hand them out. The next number is taken from the facts themselves inside the
action's transaction: a crash before commit leaves no gap, and a number once committed is never
handed out again. After a restore from an older backup, `sequence_floors` keeps numbering above
anything the lost tail of the ledger may have printed.
"""

from __future__ import annotations

from datetime import date

from odsc_desk.storage.store import Store


def _floor(store: Store, kind: str, period: str) -> int:
    return store.scalar_int(
        "SELECT COALESCE(MAX(floor), 0) FROM sequence_floors WHERE kind = ? AND period = ?",
        (kind, period),
    )


def next_tracking(store: Store, day: date) -> tuple[int, str]:
    business_date = day.isoformat()
    used = store.scalar_int(
        "SELECT COALESCE(MAX(daily_seq), 0) FROM requests WHERE business_date = ?",
        (business_date,),
    )
    seq = max(used, _floor(store, "tracking", business_date)) + 1
    office = store.office
    return seq, f"{office['office_code']}-{office['counter']}-{day:%y%m%d}-{seq:04d}"


def next_receipt(store: Store, year: int) -> tuple[int, str]:
    used = store.scalar_int(
        "SELECT COALESCE(MAX(receipt_seq), 0) FROM payments WHERE receipt_year = ?", (year,)
    )
    seq = max(used, _floor(store, "receipt", str(year))) + 1
    office = store.office
    return seq, f"{office['office_code']}-{office['counter']}-{year}-{seq:06d}"
