"""Two ways to write the same history: the real services, and a fast batch writer.

`ServiceWriter` calls the public service functions, one durable transaction each: the reference.
`BatchWriter` builds exactly the rows those services build, with the core's own pieces (text
cleaning, `numbers`, `workdays`, `ids.new_id`, `ledger.append`), but skips the reads the services
make to *check* an action (the history is valid by construction) and writes a whole business day
in one transaction. It is ~5x faster, which is what makes a 1M-request store practical; the
fidelity test proves both leave byte-identical stores.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from odsc_desk.domain import cash, catalog, numbers, payments, service_requests, settings, workdays
from odsc_desk.domain.users import Actor
from odsc_desk.shared import request_history
from odsc_desk.shared.clock import VIENTIANE, local_date
from odsc_desk.shared.ids import new_id
from odsc_desk.shared.text import (
    REASON_MAX,
    VILLAGE_MAX,
    clean_id_number,
    clean_name,
    clean_optional,
    clean_phone,
    search_key,
)
from odsc_desk.storage import ledger, outbox
from odsc_desk.storage.store import Store
from tests.bench.history import Dossier, Service
from tests.bench.people import Citizen

# The sync layer's acknowledgement (storage.outbox.acknowledge: acked ops leave the queue and
# are counted). It runs at the end of every business day (the counter syncs when it is online),
# and leaves the last few ops pending, as a counter that just went offline would.
OUTBOX_PENDING = 100
ACKED_OPS_SQL = (
    "SELECT op_id FROM outbox WHERE seq <= (SELECT MAX(seq) FROM outbox) - ? ORDER BY seq"
)


def catalog_services(store: Store) -> dict[str, Service]:
    return {
        s["code"]: Service(s["code"], s["fee"], s["days"], tuple(d["code"] for d in s["documents"]))
        for s in catalog.list_services(store)
    }


class ServiceWriter:
    """The reference: every action through the public service, in its own transaction."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def begin_day(self) -> None:
        pass

    def end_day(self) -> None:
        acked = [op for (op,) in self.store.conn.execute(ACKED_OPS_SQL, (OUTBOX_PENDING,))]
        outbox.acknowledge(self.store, acked)

    def open_cash(self, clerk: Actor, float_amount: int) -> None:
        cash.open_cash(self.store, clerk, float_amount)

    def close_cash(self, clerk: Actor, difference: int, approver: Actor | None) -> None:
        session = cash.open_session(self.store)
        assert session is not None
        expected = cash.expected_cash(self.store, session["id"])
        reason = "counted again: differs" if difference else None  # the core asks for one
        cash.close_cash(self.store, clerk, expected + difference, approver, reason)

    def record_request(self, clerk: Actor, dossier: Dossier, citizen: Citizen) -> None:
        request = service_requests.record_request(
            self.store,
            clerk,
            service_code=dossier.service.code,
            citizen_name=citizen.name,
            phone=citizen.phone,
            id_number=citizen.id_number,
            village=citizen.village,
            documents=dossier.documents,
        )
        dossier.request_id = request["id"]
        dossier.tracking = request["tracking"]
        dossier.promised = date.fromisoformat(request["promised_date"])

    def record_payment(self, clerk: Actor, dossier: Dossier) -> None:
        payment = payments.record_payment(
            self.store, clerk, dossier.tracking, method=dossier.method
        )
        dossier.payment_id = payment["id"]
        dossier.receipt = payment["receipt"]

    def change_status(
        self, clerk: Actor, dossier: Dossier, status: str, reason: str | None
    ) -> None:
        service_requests.change_status(self.store, clerk, dossier.tracking, status, reason)

    def void(self, clerk: Actor, dossier: Dossier, reason: str, approver: Actor) -> None:
        payments.void_payment(self.store, clerk, dossier.receipt, reason, approver)

    def refund(self, clerk: Actor, dossier: Dossier, reason: str, approver: Actor) -> None:
        payments.refund_payment(
            self.store, clerk, dossier.receipt, dossier.service.fee, reason, approver
        )


class BatchWriter:
    """The same rows as the services, one transaction per business day, no checking reads.

    Each method below mirrors the service named in its docstring line for line where it builds
    the row; keep them in step when a service changes (the fidelity test fails if not).
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self.services = {code: catalog.get_service(store, code) for code in catalog_services(store)}
        self.closures = workdays.office_closures(store)
        self.difference_limit = int(settings.get(store, "cash_difference_limit"))
        self.session: dict[str, Any] | None = None
        self.expected = 0  # the open session's expected cash, as cash.expected_cash computes it
        self.seq: dict[str, int] = {}  # request id -> its current status seq

    def begin_day(self) -> None:
        self.store.conn.execute("BEGIN")

    def end_day(self) -> None:
        # The same as outbox.acknowledge, inside this writer's own transaction.
        (top,) = self.store.conn.execute(
            "SELECT MAX(seq) FROM outbox WHERE seq <= (SELECT MAX(seq) FROM outbox) - ?",
            (OUTBOX_PENDING,),
        ).fetchone()
        dropped = self.store.conn.execute("DELETE FROM outbox WHERE seq <= ?", (top or 0,)).rowcount
        self.store.conn.execute("UPDATE outbox_acked SET ops = ops + ? WHERE id = 1", (dropped,))
        if top:  # as sync_state.acknowledged_up_to
            self.store.conn.execute(
                "UPDATE sync_state SET acked_high_water = MAX(acked_high_water, ?) WHERE id = 1",
                (top,),
            )
        self.store.conn.execute("COMMIT")

    def open_cash(self, clerk: Actor, float_amount: int) -> None:
        """cash.open_cash"""
        row = {
            "id": new_id(),
            "business_date": local_date(self.store.now()).isoformat(),
            "opened_at": self.store.now_stamp(),
            "opened_by": clerk.id,
            "float_amount": float_amount,
        }
        ledger.append(self.store, "cash_sessions", row)
        self.session, self.expected = row, float_amount

    def close_cash(self, clerk: Actor, difference: int, approver: Actor | None) -> None:
        """cash.close_cash"""
        assert self.session is not None
        row = {
            "id": new_id(),
            "session_id": self.session["id"],
            "closed_at": self.store.now_stamp(),
            "closed_by": clerk.id,
            "counted": self.expected + difference,
            "expected": self.expected,
            "difference": difference,
            "approved_by": (
                approver.id if approver and abs(difference) > self.difference_limit else None
            ),
        }
        ledger.append(self.store, "cash_closes", row)
        # Every close keeps its count's details (a sum here: no notes), as cash.close_cash does.
        details = {
            "id": new_id(),
            "close_id": row["id"],
            "notes": None,
            "other": row["counted"],
            "reason": "counted again: differs" if difference else None,
        }
        ledger.append(self.store, "cash_counts", details)
        self.session = None

    def record_request(self, clerk: Actor, dossier: Dossier, citizen: Citizen) -> None:
        """service_requests.record_request"""
        service = self.services[dossier.service.code]
        name = clean_name(citizen.name)
        today = local_date(self.store.now())
        seq, tracking = numbers.next_tracking(self.store, today)
        promised = workdays.add_working_days(today, service["days"], self.closures)
        row = {
            "id": new_id(),
            "tracking": tracking,
            "business_date": today.isoformat(),
            "daily_seq": seq,
            "created_at": self.store.now_stamp(),
            "created_by": clerk.id,
            "citizen_name": name,
            "name_key": search_key(name),
            "phone": clean_phone(citizen.phone),
            "id_number": clean_id_number(citizen.id_number),
            "village": clean_optional(citizen.village, "village", VILLAGE_MAX),
            "service_code": service["code"],
            "catalog_version": service["version"],
            "fee": service["fee"],
            "promised_date": promised.isoformat(),
            "documents": json.dumps(dossier.documents),
        }
        ledger.append(self.store, "requests", row)
        dossier.request_id, dossier.tracking, dossier.promised = row["id"], tracking, promised
        self.seq[row["id"]] = 0

    def record_payment(self, clerk: Actor, dossier: Dossier) -> None:
        """payments.record_payment (the whole fee: the history never pays in part)"""
        assert self.session is not None
        year = self.store.now().astimezone(VIENTIANE).year
        seq, receipt = numbers.next_receipt(self.store, year)
        row = {
            "id": new_id(),
            "receipt": receipt,
            "receipt_year": year,
            "receipt_seq": seq,
            "request_id": dossier.request_id,
            "session_id": self.session["id"],
            "business_date": self.session["business_date"],
            "amount": dossier.service.fee,
            "method": dossier.method,
            "at": self.store.now_stamp(),
            "by": clerk.id,
        }
        ledger.append(self.store, "payments", row)
        dossier.payment_id, dossier.receipt = row["id"], receipt
        self._cash(dossier, dossier.service.fee)

    def change_status(
        self, clerk: Actor, dossier: Dossier, status: str, reason: str | None
    ) -> None:
        """service_requests.change_status"""
        seq = self.seq[dossier.request_id] + 1
        ledger.append(
            self.store,
            "status_events",
            {
                "request_id": dossier.request_id,
                "seq": seq,
                "status": status,
                "reason": clean_optional(reason, "reason", REASON_MAX),
                "at": self.store.now_stamp(),
                "by": clerk.id,
                # One counter's history: each event's clock is one more than the last, as its seq.
                "clock": seq,
            },
        )
        if status in request_history.OPEN_STATUSES or status == "ready":
            self.seq[dossier.request_id] = seq
        else:
            del self.seq[dossier.request_id]  # closed for good: keep the map small

    def void(self, clerk: Actor, dossier: Dossier, reason: str, approver: Actor) -> None:
        """payments.void_payment"""
        assert self.session is not None
        row = {
            "id": new_id(),
            "payment_id": dossier.payment_id,
            "session_id": self.session["id"],
            "business_date": self.session["business_date"],
            "reason": clean_optional(reason, "reason", REASON_MAX),
            "approved_by": approver.id,
            "at": self.store.now_stamp(),
            "by": clerk.id,
        }
        ledger.append(self.store, "voids", row)
        self._cash(dossier, -dossier.service.fee)

    def refund(self, clerk: Actor, dossier: Dossier, reason: str, approver: Actor) -> None:
        """payments.refund_payment (the whole fee)"""
        assert self.session is not None
        row = {
            "id": new_id(),
            "payment_id": dossier.payment_id,
            "session_id": self.session["id"],
            "business_date": self.session["business_date"],
            "amount": dossier.service.fee,
            "reason": clean_optional(reason, "reason", REASON_MAX),
            "approved_by": approver.id,
            "at": self.store.now_stamp(),
            "by": clerk.id,
        }
        ledger.append(self.store, "refunds", row)
        self._cash(dossier, -dossier.service.fee)

    def _cash(self, dossier: Dossier, amount: int) -> None:
        # Mirrors cash.expected_cash: only cash payments move the drawer.
        if dossier.method == "cash":
            self.expected += amount
