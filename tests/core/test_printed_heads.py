"""The daily summary prints the day's audit-chain head; `odsc check --heads FILE` holds the store
to the heads typed from those papers (issue 12, finding 3)."""

from __future__ import annotations

import sqlite3
from datetime import date

from odsc_desk.domain import cash, payments, service_requests
from odsc_desk.queries import reports
from odsc_desk.storage import outbox
from odsc_desk.storage.store import store_path
from receipts import summary
from tests.core.test_cli import run_cli
from tests.core.test_tamper_matrix import _drop_guards, _rehash
from tests.receipts.conftest import text_of
from tests.sync.conftest import next_day, visit

DAY_ONE = date(2026, 11, 26)


def test_the_summary_prints_the_head_at_the_end_of_its_day(open_counter):
    c = open_counter
    visit(c)
    session = cash.open_session(c.store)
    cash.close_cash(c.store, c.clerk, cash.expected_cash(c.store, session["id"]))
    day_one = outbox.chain_head(c.store)  # the drawer's close: day one's last link
    c.clock.advance(days=1)
    cash.open_cash(c.store, c.clerk, 0)
    visit(c, name="Ket")  # day two moves the head on, not day one's
    assert outbox.chain_head(c.store) != day_one
    assert reports.day_chain_head(c.store, DAY_ONE) == day_one
    assert reports.day_chain_head(c.store, date(2026, 11, 25)) is None
    data, pdf = summary.summary_pdf(c.store, c.supervisor, DAY_ONE)
    assert day_one is not None and data.chain_head == day_one
    printed = f"{day_one['seq']} {day_one['hash'][:12]}"
    assert summary.head_text(data.chain_head) == printed
    assert printed in text_of(pdf)


def test_a_day_ending_with_a_transfer_reference_prints_the_reference_link(open_counter):
    """The reference has no time of its own: it belongs to the day of its payment."""
    c = open_counter
    r = service_requests.record_request(
        c.store, c.clerk, service_code="MOHA-BIRTH", citizen_name="Noy"
    )
    payments.record_payment(c.store, c.clerk, r["tracking"], method="transfer", reference="TX-1")
    last = c.store.one("SELECT seq, entity FROM audit_log ORDER BY seq DESC LIMIT 1")
    assert last is not None and last["entity"] == "payment_references"
    head = reports.day_chain_head(c.store, DAY_ONE)
    assert head is not None and head["seq"] == last["seq"]


def _heads_file(tmp_path, text):
    path = tmp_path / "heads.txt"
    path.write_text(text, encoding="utf-8")
    return path


def _printed_lines(c):
    visit(c)
    next_day(c)
    first = reports.day_chain_head(c.store, DAY_ONE)
    visit(c, name="Ket")
    next_day(c)
    second = reports.day_chain_head(c.store, date(2026, 11, 27))
    assert first is not None and second is not None
    return "\n".join(
        [
            "# typed from the summaries",
            f"{first['seq']} {first['hash'][:12]}",
            "",
            f"{second['seq']}   {second['hash'][:12].upper()}",
        ]
    )


def test_matching_heads_pass(open_counter, tmp_path):
    c = open_counter
    heads = _heads_file(tmp_path, _printed_lines(c))
    done = run_cli(c.data_dir, "check", "--heads", heads)
    assert done.code == 0, done.err
    assert "2 printed heads match" in done.out


def test_a_rewritten_chain_fails_naming_the_line(open_counter, tmp_path):
    c = open_counter
    heads = _heads_file(tmp_path, _printed_lines(c))
    first_payment = c.store.scalar("SELECT id FROM payments ORDER BY rowid LIMIT 1")
    conn = sqlite3.connect(store_path(c.data_dir))
    _drop_guards(conn)
    conn.execute("UPDATE payments SET amount = 1 WHERE id = ?", (first_payment,))
    _rehash(conn)
    conn.commit()
    conn.close()
    assert run_cli(c.data_dir, "check").code == 0  # the file's own chain cannot tell
    done = run_cli(c.data_dir, "check", "--heads", heads, json_out=True)
    assert done.code == 1
    assert "line 2" in done.err and "line 4" in done.err and "rewritten" in done.err
    assert '"heads.mismatch"' in done.out


def test_a_chain_cut_short_fails_as_missing(open_counter, tmp_path):
    c = open_counter
    lines = _printed_lines(c)
    last = c.store.scalar("SELECT MAX(seq) FROM audit_log")
    heads = _heads_file(tmp_path, f"{lines}\n{last + 5} 0123456789ab\n")
    done = run_cli(c.data_dir, "check", "--heads", heads)
    assert done.code == 1
    assert "line 5" in done.err and "past the end" in done.err


def test_bad_heads_files_are_refused_with_a_reason(open_counter, tmp_path):
    c = open_counter
    visit(c)
    for text, words in (
        ("12 abc\n", "Line 1"),  # too short a hash to mean anything
        ("12 0123456789ab extra\n", "Line 1"),
        ("# nothing but a comment\n\n", "holds no printed chain head"),
    ):
        done = run_cli(c.data_dir, "check", "--heads", _heads_file(tmp_path, text))
        assert done.code != 0 and words in done.err, (text, done.err)
    done = run_cli(c.data_dir, "check", "--heads", tmp_path / "nowhere.txt")
    assert done.code != 0 and "cannot be read" in done.err
