"""The floor to compare record+pay against: plain sqlite3 writing the same rows, nothing else.

Same file, same schema (triggers and indexes included), same pragmas as open_store (WAL,
synchronous=FULL, foreign_keys=ON), the same six rows in the same two transactions: the request
with its audit and outbox rows, then the payment with its audit and outbox rows. The values are
copied from a pair the services just wrote, so every row has the real width; only the keys that
must be unique change, and those are prepared before the clock starts.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from odsc_desk.shared.ids import new_id

BARE_DATE = "2099-12-31"  # keeps the baseline's numbers out of the real day's sequences
BARE_YEAR = 2099


def connect(path: Path) -> sqlite3.Connection:
    """What odsc_desk.storage.store._connect does, plus the WAL mode open_store ensures."""
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA busy_timeout = 5000")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = FULL")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    return conn


def _insert(table: str, columns: list[str]) -> str:
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"


@dataclass
class _Fact:
    """One fact as written: its row, its audit row and its outbox row."""

    row: dict[str, Any]
    audit: dict[str, Any]
    outbox: dict[str, Any]


def _fact(conn: sqlite3.Connection, table: str, row_id: str) -> _Fact:
    def one(sql: str, *params: Any) -> dict[str, Any]:
        cursor = conn.execute(sql, params)
        values = cursor.fetchone()
        return dict(zip([c[0] for c in cursor.description], values, strict=True))

    row = one(f"SELECT * FROM {table} WHERE id = ?", row_id)
    # A fact's audit link names only its table: the one just written is that table's last.
    audit = one(
        "SELECT entity, hash FROM audit_log WHERE entity = ? ORDER BY seq DESC LIMIT 1", table
    )
    outbox = one(
        "SELECT op_id, kind, entity, payload, sha256, created_at FROM outbox WHERE op_id = ?",
        row_id,
    )
    return _Fact(row, audit, outbox)


class BareWriter:
    """Writes copies of one real request+payment pair, `count` times, with fresh keys."""

    def __init__(self, conn: sqlite3.Connection, request_id: str, payment_id: str, count: int):
        self.conn = conn
        request = _fact(conn, "requests", request_id)
        payment = _fact(conn, "payments", payment_id)
        self.sql = {
            name: _insert(name, list(columns))
            for name, columns in (
                ("requests", request.row),
                ("payments", payment.row),
                # audit and outbox seq are left to SQLite (rowid / AUTOINCREMENT), as cheap as
                # it gets.
                ("audit_log", request.audit),
                ("outbox", request.outbox),
            )
        }
        self.pairs = [self._pair(request, payment, n + 1) for n in range(count)]
        self.next = 0

    def _pair(self, request: _Fact, payment: _Fact, n: int) -> list[tuple[str, tuple[Any, ...]]]:
        request_id, payment_id = new_id(), new_id()
        office = request.row["tracking"].rsplit("-", 2)[0]
        req = {
            **request.row,
            "id": request_id,
            "tracking": f"{office}-991231-{n:04d}",
            "business_date": BARE_DATE,
            "daily_seq": n,
        }
        pay = {
            **payment.row,
            "id": payment_id,
            "receipt": f"{office}-{BARE_YEAR}-{n:06d}",
            "receipt_year": BARE_YEAR,
            "receipt_seq": n,
            "request_id": request_id,
        }
        return [
            ("requests", tuple(req.values())),
            ("audit_log", tuple(request.audit.values())),
            ("outbox", tuple({**request.outbox, "op_id": request_id}.values())),
            ("payments", tuple(pay.values())),
            ("audit_log", tuple(payment.audit.values())),
            ("outbox", tuple({**payment.outbox, "op_id": payment_id}.values())),
        ]

    def record_pair(self) -> None:
        statements = self.pairs[self.next]
        self.next += 1
        execute = self.conn.execute
        for half in (statements[:3], statements[3:]):
            execute("BEGIN IMMEDIATE")
            for table, values in half:
                execute(self.sql[table], values)
            execute("COMMIT")
