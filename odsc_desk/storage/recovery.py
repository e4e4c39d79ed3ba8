"""A counter restored from an older backup takes back its own facts that only the centre held
(docs/OFFICE_SHARING.md, D6; the sync client reads them: sync/own_recovery.py).

Each fact this store does not hold is appended as any fact is (`ledger.append`): into its own
table and as a new link of its chain, with the very row the centre holds. It takes a new audit
seq (the seq its lost copy gave it is that copy's, and this chain has moved on), and it leaves
the outbox at once: the centre holds it, and counts it once. A fact that this store can no
longer take (a number its new facts took meanwhile, a cash session beside one opened since)
is left out and counted: the centre keeps it, as it keeps every fact.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from odsc_desk.shared.canonical import canonical
from odsc_desk.shared.facts import FACTS
from odsc_desk.storage import ledger, office_facts, outbox, own_set
from odsc_desk.storage.chain import fact_id
from odsc_desk.storage.store import Store

log = logging.getLogger(__name__)


@dataclass
class Recovered:
    kept: list[str] = field(default_factory=list)  # op ids appended
    skipped: int = 0  # facts this store could not take


def holds(store: Store, table: str, row: Mapping[str, Any]) -> bool:
    """Whether this store holds the fact `row` of `table`, by its id's columns."""
    fact = FACTS[table]
    names = [n for n in fact.id_fields if row.get(n) is not None]
    empty = [n for n in fact.id_fields if row.get(n) is None]
    where = " AND ".join([*(f"{n} = ?" for n in names), *(f"{n} IS NULL" for n in empty)])
    found = store.one(f"SELECT 1 FROM {table} WHERE {where}", tuple(row[n] for n in names))
    return found is not None


def keep_own(store: Store, facts: Iterable[tuple[int, str, Mapping[str, Any]]]) -> Recovered:
    """Append the facts (seq at the centre, table, row as the centre holds it), in their order,
    that this store does not hold; in one transaction. Each counts in the set of this counter's
    ops the centre holds (own_set.py), taken back or not."""
    done = Recovered()
    requests: set[str] = set()
    held: list[tuple[int, str, str]] = []
    with store.transaction():
        # Counted first, if it never was: not with the facts taken back, under their new seqs.
        own_set.current(store)
        for seq, table, row in facts:
            if holds(store, table, row):
                continue
            held.append((seq, fact_id(table, row), hashlib.sha256(canonical(row)).hexdigest()))
            store.conn.execute("SAVEPOINT own_fact")
            try:
                ledger.append(store, table, row)
            except sqlite3.IntegrityError as exc:
                store.conn.execute("ROLLBACK TO own_fact")
                log.warning("recovery: %s %s not taken back: %s", table, fact_id(table, row), exc)
                done.skipped += 1
                continue
            finally:
                store.conn.execute("RELEASE own_fact")
            done.kept.append(fact_id(table, row))
            if table == "status_events":
                requests.add(str(row["request_id"]))
        # The events taken back may be older than those written since the restore: the
        # request's status is the fold of all of them, not the last appended.
        office_facts.refold_own(store, requests)
        outbox.drop_held(store, done.kept)
        own_set.recovered(store, held)
    return done
