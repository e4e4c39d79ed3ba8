"""A receipt's and a slip's code find their counter by the key id's index, never by reading every
device, and a slip's page asks whether its request was rated by the request's index on
`feedback`, never by reading every rating: a centre holds thousands of counters and millions of
ratings, and the citizens' checks must stay within the issue's 50 ms at any size
(tests/bench/test_public_bench.py measures them on the synthetic nation). Here each statement
the lookups send about those tables is asked for its plan on a real SQLite centre: an index
search, no scan. The lookups' answers are checked too, so a query that used the index but lost
the row would fail.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event, insert

from odsc_desk.domain import signing
from odsc_desk.shared import receipt_code, slip_code
from odsc_desk.shared.clock import local_date, stamp, system_clock
from sync.server import online_feedback, request_status, verify
from sync.server.db import devices, open_db

DEVICES = 200


@pytest.fixture
def centre(tmp_path: Path) -> Iterator[tuple[Engine, dict[str, str]]]:
    """A centre with DEVICES keyed counters; the private key of each by device id."""
    engine = open_db(f"sqlite:///{tmp_path / 'centre.db'}")
    keys = {}
    now = stamp(system_clock())
    with engine.begin() as conn:
        for n in range(DEVICES):
            private = signing.new_private_key()
            public = signing.public_key_of(private)
            device_id = f"device-{n}"
            conn.execute(
                insert(devices).values(
                    device_id=device_id,
                    office=f"OFF-{n // 4:03d}",
                    counter=n % 4 + 1,
                    token_sha256=n.to_bytes(32, "big"),
                    public_key=public,
                    key_id=receipt_code.key_id(bytes.fromhex(public)),
                    enrolled_at=now,
                    high_water=0,
                    ops=0,
                )
            )
            keys[device_id] = private
    yield engine, keys
    engine.dispose()


def _plans(engine: Engine, table: str, lookup: Any) -> list[str]:
    """Run `lookup(conn)`; the query plan of every statement it sent that reads `table`."""
    sent: list[tuple[str, Any]] = []

    def keep(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if f"FROM {table}" in statement and not statement.startswith("EXPLAIN"):
            sent.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", keep)
    try:
        with engine.connect() as conn:
            lookup(conn)
            plans = [
                " | ".join(
                    row[-1]
                    for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
                )
                for statement, parameters in sent
            ]
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    assert plans, f"the lookup did not read {table} at all"
    return plans


def _signed(private: str, payload: str) -> str:
    return slip_code.encode(payload, signing.sign_with(private, payload.encode("ascii")))


def test_a_slips_code_finds_its_counter_by_the_key_index(
    centre: tuple[Engine, dict[str, str]],
) -> None:
    engine, keys = centre
    private = keys["device-137"]  # office OFF-034, counter 2
    kid = receipt_code.key_id(bytes.fromhex(signing.public_key_of(private)))
    code = _signed(private, slip_code.payload("OFF-034-2-261126-0001", kid))
    found: list[request_status.SlipLookup] = []
    today = local_date(system_clock())
    plans = _plans(
        engine, "devices", lambda conn: found.append(request_status.by_slip(conn, code, today))
    )
    # Genuine, not yet reported: the device was found, its key checked and its numbering too.
    assert found == [request_status.SlipLookup(True, "OFF-034-2-261126-0001")]
    for plan in plans:
        assert "devices_key_id" in plan and "SCAN devices" not in plan, plan


def test_a_receipts_code_finds_its_counter_by_the_key_index(
    centre: tuple[Engine, dict[str, str]],
) -> None:
    engine, keys = centre
    private = keys["device-42"]  # office OFF-010, counter 3
    kid = receipt_code.key_id(bytes.fromhex(signing.public_key_of(private)))
    payload = receipt_code.payload("OFF-010-3-2026-000007", 150_000, stamp(system_clock()), kid)
    code = _signed(private, payload)
    found: list[verify.Verdict | None] = []
    plans = _plans(engine, "devices", lambda conn: found.append(verify.check_code(conn, code)))
    verdict = found[0]
    assert verdict is not None and verdict.standing == "unreported"
    assert (verdict.office, verdict.counter, verdict.amount) == ("OFF-010", 3, 150_000)
    for plan in plans:
        assert "devices_key_id" in plan and "SCAN devices" not in plan, plan


def test_whether_a_request_was_rated_is_asked_of_the_request_index(
    centre: tuple[Engine, dict[str, str]],
) -> None:
    engine, _ = centre
    found: list[bool] = []
    plans = _plans(engine, "feedback", lambda conn: found.append(online_feedback.rated(conn, "r1")))
    assert found == [False]
    for plan in plans:
        assert "feedback_request" in plan and "SCAN feedback" not in plan, plan
