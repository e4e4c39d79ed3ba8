"""A copy of another counter's receipt (docs/OFFICE_SHARING.md, D2): a citizen who lost the
receipt taken at counter 1 gets a copy at counter 2. It is always a COPY, names counter 1 as the
receipt's, carries a code this counter signs that the centre checks, and its print is counter
2's own fact, taken by the centre and pulled by counter 1. A centre from before copies (one that
took status changes and payments on the office's requests) leaves the receipt to counter 1.

Real counters (SQLite files), a real centre on loopback (and a released one, run from its own
commit), the PDFs read back with poppler.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from odsc_desk.api import integrity, office_facts, outbox, payments
from odsc_desk.shared.errors import StateError
from receipts.receipt import print_receipt
from sync.server import verify
from sync.server.db import receipt_prints
from tests.receipts.conftest import poppler_text
from tests.sync.conftest import (
    LiveServer,
    ReleasedCentre,
    enrolled_counter,
    outbox_ops,
    synced,
    visit,
)
from tests.sync.test_cli_sync import odsc

# The first centre that took status changes and payments on the office's requests, not copies.
BEFORE_COPIES = "e01c905"


def _text(pdf: Path) -> str:
    return " ".join(poppler_text(pdf).split())


def test_a_copy_of_another_counters_receipt_is_printed_checked_and_shared(
    live_server: LiveServer, office_counters: tuple[Any, Any, Any], tmp_path: Path
) -> None:
    one, two, _ = office_counters
    paid = visit(one, "ນາງ ບົວລະພາ")
    voided = visit(one, "ທ້າວ ຄຳພອນ")
    payments.void_payment(one.store, one.clerk, voided["receipt"], "ໃສ່ຜິດ", one.supervisor)
    synced(one)
    synced(two)
    assert office_facts.takes(two.store, "receipt_prints")
    audit = two.store.scalar_int("SELECT MAX(seq) FROM audit_log")

    copy = print_receipt(two.store, two.clerk, paid["receipt"], tmp_path / "copy.pdf", "a5")
    assert (copy["origin"], copy["copy"], copy["print"], copy["voided"]) == (1, True, 1, False)
    text = _text(tmp_path / "copy.pdf")
    assert "ໃບຮັບເງິນຂອງປ່ອງບໍລິການ 1" in text and "Receipt of counter 1" in text
    assert paid["receipt"] in text and paid["tracking"] in text and "ນາງ ບົວລະພາ" in text
    assert "ສຳເນົາ / COPY" in text and "Counter 2" in text  # printed here, at counter 2
    # The print is counter 2's own fact: its table, chain and outbox; nothing of counter 1's
    # entered counter 2's own tables.
    [row] = two.store.all("SELECT * FROM receipt_prints")
    assert (row["payment_id"], row["seq"], row["copy"]) == (paid["id"], 1, 1)
    # Its chain: the print, one link (the counter's signing key was made at its enrollment).
    assert two.store.scalar_int("SELECT MAX(seq) FROM audit_log") == audit + 1
    assert [op.entity for op in outbox_ops(two)] == ["receipt_prints"]
    assert two.store.scalar_int("SELECT COUNT(*) FROM payments") == 0

    # A voided receipt's copy says VOID, with the reason counter 1 gave.
    again = print_receipt(two.store, two.clerk, voided["receipt"], tmp_path / "void.pdf")
    assert again["voided"] and "ຍົກເລີກ / VOID" in _text(tmp_path / "void.pdf")
    assert "ໃສ່ຜິດ" in _text(tmp_path / "void.pdf")

    synced(two)  # the centre takes both prints (none parked) and counter 2's key
    with live_server.engine.connect() as conn:
        held = conn.execute(
            select(receipt_prints.c.payment_id).where(receipt_prints.c.counter == 2)
        ).scalars()
        assert sorted(held) == sorted([paid["id"], voided["id"]])
        verdict = verify.check_code(conn, copy["code"])
    assert verdict is not None and verdict.signed
    assert (verdict.receipt, verdict.counter, verdict.standing) == (paid["receipt"], 1, "stands")

    # Counter 1 pulls the prints; its own first print of the receipt is still its original.
    synced(one)
    assert one.store.scalar_int("SELECT COUNT(*) FROM office_receipt_prints") == 2
    mine = print_receipt(one.store, one.clerk, paid["receipt"], tmp_path / "mine.pdf")
    assert (mine["origin"], mine["copy"], mine["print"]) == (None, False, 1)
    # A second copy at counter 2 counts the prints it knows of.
    synced(one)
    synced(two)
    # (At the command line, which says whose receipt it is.)
    second = odsc(two.data_dir, "receipt", paid["receipt"], "--out", tmp_path / "copy2.pdf")
    assert second.code == 0, second
    assert "(ສຳເນົາ / COPY, ຂອງປ່ອງ 1 / counter 1's), print 3" in second.out
    synced(two)
    for counter in (one, two):
        assert integrity.check_store(counter.store)["ok"]


def test_a_centre_before_copies_leaves_the_receipt_to_its_counter(
    released_centre: Callable[[str], ReleasedCentre], tmp_path: Path, clock: Any
) -> None:
    centre = released_centre(BEFORE_COPIES)
    one = enrolled_counter(tmp_path, clock, centre, "VTE-SST", 1)  # type: ignore[arg-type]
    two = enrolled_counter(tmp_path, clock, centre, "VTE-SST", 2)  # type: ignore[arg-type]
    try:
        paid = visit(one)
        synced(one)
        synced(two)
        # It takes status changes and payments on the office's requests, not copies.
        assert office_facts.takes(two.store, "status_events")
        assert not office_facts.takes(two.store, "receipt_prints")
        audit = two.store.scalar_int("SELECT MAX(seq) FROM audit_log")
        out = tmp_path / "copy.pdf"
        with pytest.raises(StateError) as refused:
            print_receipt(two.store, two.clerk, paid["receipt"], out)
        assert refused.value.code == "office.copy_read_only"
        assert "ປ່ອງ 1" in refused.value.message_lo and paid["receipt"] in refused.value.message_lo
        assert "counter 1" in refused.value.message_en
        assert not out.exists() and not list(tmp_path.glob(".copy.pdf.*"))
        assert two.store.scalar_int("SELECT MAX(seq) FROM audit_log") == audit
        assert outbox.pending_count(two.store) == 0
    finally:
        one.store.close()
        two.store.close()
