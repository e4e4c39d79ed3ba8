"""The roll-ups against a plain GROUP BY over the typed tables, written here: after a week at
three counters of two offices; after the same batches again (nothing added); and on a second
centre that took the same ops in pushes of three, or from counters pushing all at once. On
SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, inspect, select, text

from odsc_desk.domain import cash
from odsc_desk.shared.catalog_file import demo_catalog_path
from sync.protocol import Op
from sync.server import online_feedback
from sync.server.db import TYPED, rollup, rollup_clerks, rollup_durations
from tests.conftest import Counter, FakeClock
from tests.sync.conftest import (
    BACKENDS,
    LiveServer,
    centre_database,
    enroll_counter,
    make_office_counter,
    outbox_ops,
    push,
    running_server,
)
from tests.sync.test_typed_facts import a_week

Key = tuple[Any, ...]
Sums = dict[Key, dict[str, int]]

# The ratings that count (one a request, the first the centre held: online_feedback): the
# counters', but for a request rated online before its counter's rating arrived, and the online
# ones.
RATED = """(
SELECT business_date, office, counter, service_code, request_by, rating FROM feedback
 WHERE request_id NOT IN (SELECT request_id FROM online_feedback)
UNION ALL
SELECT business_date, office, counter, service_code, request_by, rating FROM online_feedback
) AS rated"""
# Each fact's contribution by the meanings of the figures, one SELECT per count: (day it counts
# on, office, counter, service, count's name, value).
ROLLUP = """
SELECT business_date AS day, office, counter, service_code AS service, 'received' AS name,
       COUNT(*) AS n FROM requests GROUP BY business_date, office, counter, service_code
UNION ALL
SELECT business_date, office, counter, service_code, 'fee_' || fee_check, COUNT(*)
  FROM requests GROUP BY business_date, office, counter, service_code, fee_check
UNION ALL
SELECT ready_on, office, counter, service_code, 'ready', COUNT(*)
  FROM requests WHERE ready_on IS NOT NULL GROUP BY ready_on, office, counter, service_code
UNION ALL
SELECT ready_on, office, counter, service_code, 'on_time', COUNT(*)
  FROM requests WHERE ready_on <= promised_date GROUP BY ready_on, office, counter, service_code
UNION ALL
SELECT e.business_date, e.office, e.counter, r.service_code, e.status, COUNT(*)
  FROM status_events e JOIN requests r ON r.id = e.request_id
 WHERE e.status IN ('collected', 'rejected', 'withdrawn')
 GROUP BY e.business_date, e.office, e.counter, r.service_code, e.status
UNION ALL
SELECT e.business_date, e.office, e.counter, r.service_code, 'returned', COUNT(*)
  FROM status_events e JOIN requests r ON r.id = e.request_id WHERE e.status = 'incomplete'
 GROUP BY e.business_date, e.office, e.counter, r.service_code
UNION ALL
SELECT business_date, office, counter, COALESCE(service_code, ''), 'payments', COUNT(*)
  FROM payments GROUP BY business_date, office, counter, service_code
UNION ALL
SELECT business_date, office, counter, COALESCE(service_code, ''), 'gross', SUM(amount)
  FROM payments GROUP BY business_date, office, counter, service_code
UNION ALL
SELECT business_date, office, counter, COALESCE(service_code, ''), 'voids', COUNT(*)
  FROM voids GROUP BY business_date, office, counter, service_code
UNION ALL
SELECT business_date, office, counter, COALESCE(service_code, ''), 'voided', SUM(amount)
  FROM voids GROUP BY business_date, office, counter, service_code
UNION ALL
SELECT business_date, office, counter, COALESCE(service_code, ''), 'refunds', COUNT(*)
  FROM refunds GROUP BY business_date, office, counter, service_code
UNION ALL
SELECT business_date, office, counter, COALESCE(service_code, ''), 'refunded', SUM(amount)
  FROM refunds GROUP BY business_date, office, counter, service_code
UNION ALL
SELECT business_date, office, counter, service_code, 'feedback', COUNT(*)
  FROM RATED GROUP BY business_date, office, counter, service_code
UNION ALL
SELECT business_date, office, counter, service_code, 'rating_sum', SUM(rating)
  FROM RATED GROUP BY business_date, office, counter, service_code
UNION ALL
SELECT business_date, office, counter, service_code, 'rating_' || CAST(rating AS TEXT),
       COUNT(*) FROM RATED GROUP BY business_date, office, counter, service_code, rating
UNION ALL
SELECT business_date, office, counter, service_code, 'feedback_online', COUNT(*)
  FROM online_feedback GROUP BY business_date, office, counter, service_code
""".replace("RATED", RATED)
# The same per clerk: who took the request, the payment (also for its void or refund), and the
# request a rating is about.
CLERKS = """
SELECT business_date AS day, office, counter, created_by AS clerk, 'received' AS name,
       COUNT(*) AS n FROM requests GROUP BY business_date, office, counter, created_by
UNION ALL
SELECT business_date, office, counter, "by", 'payments', COUNT(*)
  FROM payments GROUP BY business_date, office, counter, "by"
UNION ALL
SELECT business_date, office, counter, "by", 'gross', SUM(amount)
  FROM payments GROUP BY business_date, office, counter, "by"
UNION ALL
SELECT business_date, office, counter, payment_by, 'voids', COUNT(*)
  FROM voids GROUP BY business_date, office, counter, payment_by
UNION ALL
SELECT business_date, office, counter, payment_by, 'voided', SUM(amount)
  FROM voids GROUP BY business_date, office, counter, payment_by
UNION ALL
SELECT business_date, office, counter, payment_by, 'refunds', COUNT(*)
  FROM refunds GROUP BY business_date, office, counter, payment_by
UNION ALL
SELECT business_date, office, counter, payment_by, 'refunded', SUM(amount)
  FROM refunds GROUP BY business_date, office, counter, payment_by
UNION ALL
SELECT business_date, office, counter, request_by, 'feedback', COUNT(*)
  FROM RATED GROUP BY business_date, office, counter, request_by
UNION ALL
SELECT business_date, office, counter, request_by, 'rating_sum', SUM(rating)
  FROM RATED GROUP BY business_date, office, counter, request_by
UNION ALL
SELECT business_date, office, counter, request_by, 'rating_' || CAST(rating AS TEXT), COUNT(*)
  FROM RATED GROUP BY business_date, office, counter, request_by, rating
UNION ALL
SELECT business_date, office, counter, request_by, 'feedback_online', COUNT(*)
  FROM online_feedback GROUP BY business_date, office, counter, request_by
""".replace("RATED", RATED)
DURATIONS = """
SELECT ready_on AS day, office, service_code, working_days, 'requests' AS name, COUNT(*) AS n
  FROM requests WHERE ready_on IS NOT NULL
 GROUP BY ready_on, office, service_code, working_days
"""
GRAINS = (("D", 10), ("M", 7))  # a day's period is YYYY-MM-DD, a month's YYYY-MM


def by_group_by(engine: Engine, contributions: str, keys: tuple[str, ...]) -> Sums:
    """`contributions` (day, *keys, name, n) added up per day and per month, without zeros."""
    columns = ", ".join(keys)
    out: Sums = {}
    with engine.connect() as conn:
        for grain, length in GRAINS:
            period = f"SUBSTR(day, 1, {length})"
            rows = conn.execute(
                text(
                    f"SELECT {period} AS period, {columns}, name, SUM(n) AS n"
                    f" FROM ({contributions}) AS u GROUP BY {period}, {columns}, name"
                )
            )
            for row in rows.mappings():
                if int(row["n"]):
                    key = (grain, row["period"], *(row[k] for k in keys))
                    out.setdefault(key, {})[row["name"]] = int(row["n"])
    return out


def held(engine: Engine) -> dict[str, Sums]:
    """The three roll-ups as the centre keeps them, without their zeros."""
    out: dict[str, Sums] = {}
    with engine.connect() as conn:
        for table in (rollup, rollup_durations, rollup_clerks):
            key = [c.name for c in table.primary_key.columns]
            sums: Sums = {}
            # Every column the database has: an older revision (test_upgrade_0005) has fewer.
            for row in conn.execute(text(f"SELECT * FROM {table.name}")).mappings():
                counts = {k: int(v) for k, v in row.items() if k not in key and v}
                if counts:
                    sums[tuple(row[k] for k in key)] = counts
            out[table.name] = sums
    return out


def assert_rollups_are_the_group_by(engine: Engine) -> dict[str, Sums]:
    found = held(engine)
    assert found["rollup"] == by_group_by(engine, ROLLUP, ("office", "counter", "service"))
    assert found["rollup_durations"] == by_group_by(
        engine, DURATIONS, ("office", "service_code", "working_days")
    )
    assert found["rollup_clerks"] == by_group_by(engine, CLERKS, ("office", "counter", "clerk"))
    return found


def typed(engine: Engine) -> dict[str, list[dict[str, Any]]]:
    """Every typed table's rows, in the columns the database has at its revision (an older
    one lacks the columns later migrations add, such as 0009's message consent)."""
    with engine.connect() as conn:
        found = inspect(conn)
        out = {}
        for name, t in TYPED.items():
            present = {c["name"] for c in found.get_columns(name)}
            columns = [c for c in t.columns if c.name in present]
            out[name] = [dict(r._mapping) for r in conn.execute(select(*columns).order_by(t.c.id))]
        return out


@contextmanager
def centre(backend: str, folder: Path) -> Iterator[LiveServer]:
    """A running centre on a new database, with the counters' catalog published."""
    folder.mkdir()
    with centre_database(backend, folder) as url, running_server(url) as server:
        server.publish_catalog(demo_catalog_path())
        yield server


@pytest.fixture
def weeks(tmp_path: Path) -> Iterator[list[tuple[Counter, list[Op]]]]:
    """A week at counters 1 and 2 of VTE-SST and counter 1 of LPB-CHO, with their ops."""
    made = []
    for office, number in [("VTE-SST", 1), ("VTE-SST", 2), ("LPB-CHO", 1)]:
        c = make_office_counter(tmp_path / f"{office}-{number}", FakeClock(), office, number)
        cash.open_cash(c.store, c.clerk, 50_000)
        a_week(c)
        made.append((c, outbox_ops(c)))
    yield made
    for c, _ in made:
        c.store.close()


def device(c: Counter) -> str:
    return str(c.store.office["device_id"])


def push_all(server: LiveServer, weeks: list[tuple[Counter, list[Op]]], size: int) -> None:
    """Every counter's ops in pushes of `size`, taking turns."""
    tokens = [enroll_counter(server, c) for c, _ in weeks]
    longest = max(len(ops) for _, ops in weeks)
    for start in range(0, longest, size):
        for token, (c, ops) in zip(tokens, weeks, strict=True):
            if ops[start : start + size]:
                reply = push(server.url, token, device(c), ops[start : start + size]).json()
                assert (reply["rejected"], reply["conflicts"]) == ([], []), reply


def rate_online(server: LiveServer, how_many: int) -> None:
    """Ratings given online from the slip's QR, for requests nobody rated yet."""
    with server.engine.connect() as conn:
        unrated = conn.execute(
            text(
                "SELECT id FROM requests WHERE id NOT IN (SELECT request_id FROM feedback)"
                " ORDER BY id"
            )
        ).scalars()
        chosen = list(unrated)[:how_many]
    assert len(chosen) == how_many
    for n, request_id in enumerate(chosen):
        given = online_feedback.give(server.engine, request_id, (5, 4)[n % 2], None, server.clock())
        assert given is online_feedback.Given.STORED


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_rollups_are_a_group_by_of_the_typed_tables_and_a_resent_batch_adds_nothing(
    backend, tmp_path, weeks
):
    with centre(backend, tmp_path / "centre") as server:
        push_all(server, weeks, size=2000)
        rate_online(server, 3)
        found = assert_rollups_are_the_group_by(server.engine)
        # Both grains, both months, every office and every kind of count were compared.
        periods = {key[:2] for key in found["rollup"]}
        assert {("M", "2026-11"), ("M", "2026-12"), ("D", "2026-12-03")} <= periods
        assert {key[2] for key in found["rollup"]} == {"VTE-SST", "LPB-CHO"}
        counted = {name for counts in found["rollup"].values() for name in counts}
        assert counted == {c.name for c in rollup.columns if not c.primary_key} - {
            "fee_off_catalog", "fee_old_version", "fee_unknown", "rating_1", "rating_3",
        }  # fmt: skip
        assert {key[4] for key in found["rollup_durations"]} == {0, 1, 2, 3}

        push_all(server, weeks, size=2000)  # every op again: all duplicates
        assert held(server.engine) == found


@pytest.mark.parametrize("backend", BACKENDS)
def test_small_pushes_and_counters_pushing_at_once_give_the_same_rollups(backend, tmp_path, weeks):
    with centre(backend, tmp_path / "whole") as whole:
        push_all(whole, weeks, size=2000)
        expected, rows = held(whole.engine), typed(whole.engine)
    with centre(backend, tmp_path / "threes") as threes:
        push_all(threes, weeks, size=3)
        assert held(threes.engine) == expected
        assert typed(threes.engine) == rows
    with centre(backend, tmp_path / "together") as together:
        tokens = [enroll_counter(together, c) for c, _ in weeks]
        errors: list[BaseException] = []
        start = threading.Barrier(len(weeks))

        def send(token: str, c: Counter, ops: list[Op]) -> None:
            start.wait()
            try:
                for first in range(0, len(ops), 5):
                    reply = push(together.url, token, device(c), ops[first : first + 5])
                    assert reply.status_code == 200, reply.text
                    assert reply.json()["rejected"] == []
            except BaseException as exc:  # collected: the assertion below shows it
                errors.append(exc)

        with ExitStack() as threads:
            for token, (c, ops) in zip(tokens, weeks, strict=True):
                thread = threading.Thread(target=send, args=(token, c, ops))
                thread.start()
                threads.callback(thread.join)
        assert errors == []
        assert held(together.engine) == expected
        assert typed(together.engine) == rows
