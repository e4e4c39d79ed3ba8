"""The core's door: what the window, the command line, the documents (receipts/) and the sync
client may use of the core, and nothing else.

Front ends import the core through this module (and the pure helpers of `odsc_desk.shared`);
tests/test_layers.py holds them to it. The door has sections, one per area of the counter's
work, each a module of small use cases that run in one transaction, check the acting user's
role, and return typed results:

- people: `users` (log in, approve, add, list; roles are ranked there and nowhere else)
- requests: `service_requests` (record, change status, find, list, overdue, promised dates),
  `feedback`, `catalog` (the versions and services), `workdays` (closures and working days),
  `national_calendar` (the centre's public holidays and closures, for the sync client)
- money: `payments` (pay, void, refund), `cash` (open and close the drawer), a receipt's print
  decided and signed around the caller's rendering (`prepare_receipt`), recorded when it is
  handed over (`record_receipt_print`), or both at once (`issue_receipt`); `prints`
- office: `settings`, `closures`, `init_store` (the first run)
- reading: `browse` (the request list), `daylist` and `daybook` (the day), `office_day` (the
  day of every counter of the office), `office_anomalies` (the office's impossible
  histories), `reports`, `export`
- keeping the store: `backups`, `autobackup`, `integrity`, `diagnose`, `logs`
- the link to the centre, for the sync client: `outbox` (the queue), `sync_state`, `signing`,
  `office_facts` (the office's other counters' facts, pulled);
  `public_link`, the centre's public address for the links printed on receipts and slips

Everything not named here (the ledger, the schema and its migrations, the audit chain, number
floors, the SQL of amounts) is the core's own business.
"""

from __future__ import annotations

from odsc_desk.domain import (
    cash,
    catalog,
    closures,
    feedback,
    national_calendar,
    payments,
    prints,
    service_requests,
    settings,
    signing,
    users,
    workdays,
)
from odsc_desk.domain.office_setup import StoreInitialised, init_store
from odsc_desk.domain.public_links import public_address, public_link
from odsc_desk.domain.receipt_issue import (
    ReceiptPrint,
    issue_receipt,
    prepare_receipt,
    record_receipt_print,
)
from odsc_desk.domain.users import Actor
from odsc_desk.maintenance import autobackup, backups, diagnose, integrity, logs
from odsc_desk.queries import (
    browse,
    daybook,
    daylist,
    export,
    office_anomalies,
    office_day,
    reports,
)
from odsc_desk.storage import office_facts, office_heads, outbox, own_set, recovery, sync_state
from odsc_desk.storage.instance import InstanceError, acquire_window_lock
from odsc_desk.storage.paths import default_data_dir
from odsc_desk.storage.store import Office, Store, open_store, store_path, translate_sqlite_error

__all__ = [
    "Actor",
    "InstanceError",
    "Office",
    "ReceiptPrint",
    "Store",
    "StoreInitialised",
    "acquire_window_lock",
    "autobackup",
    "backups",
    "browse",
    "cash",
    "catalog",
    "closures",
    "daybook",
    "daylist",
    "default_data_dir",
    "diagnose",
    "export",
    "feedback",
    "init_store",
    "integrity",
    "issue_receipt",
    "logs",
    "national_calendar",
    "office_anomalies",
    "office_day",
    "office_facts",
    "office_heads",
    "open_store",
    "outbox",
    "own_set",
    "payments",
    "prepare_receipt",
    "prints",
    "public_address",
    "public_link",
    "record_receipt_print",
    "recovery",
    "reports",
    "service_requests",
    "settings",
    "signing",
    "store_path",
    "sync_state",
    "translate_sqlite_error",
    "users",
    "workdays",
]
