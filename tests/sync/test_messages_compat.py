"""Protocol v1 both ways with the consent columns a counter now writes.

- A released centre (the code of commit b17729d, the last before the consent columns, taken out
  of this repository's history and run as its own `odsc-server serve` process) refuses a batch
  naming a column it does not know. A counter of today asks the centre what it takes (the status
  reply's "accepts", absent there) and leaves the later columns out: its facts all arrive.
- A released counter's push (no consent columns) is taken whole by today's centre:
  tests/sync/test_wire_compat.py replays one recorded by the client of commit ce89b91, and
  today's encoder still gives its bytes, since a later column is listed only when a row has it.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from odsc_desk.shared.facts import FACTS
from sync import client, protocol
from tests.conftest import cannot_run_here
from tests.sync.conftest import free_port, outbox_ops, post_raw, wait_until_ready
from tests.sync.test_messages import mark, take

RELEASED = "b17729d"  # the last commit before the consent columns
ROOT = Path(__file__).parents[2]


def _released_tree(folder: Path) -> Path:
    archive = folder / "released.tar"
    try:
        with archive.open("wb") as out:
            subprocess.run(
                ["git", "-C", str(ROOT), "archive", RELEASED, "sync", "odsc_desk"],
                stdout=out,
                check=True,
                stderr=subprocess.PIPE,
            )
    except (OSError, subprocess.CalledProcessError) as exc:
        cannot_run_here(f"the released code (git {RELEASED}) is not at hand: {exc}")
    tree = folder / "released"
    with tarfile.open(archive) as tar:
        tar.extractall(tree, filter="data")
    return tree


def _old_cli(tree: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run(
        [sys.executable, "-m", "sync.server.cli", *argv],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )


@pytest.fixture
def released_centre(tmp_path: Path) -> Iterator[tuple[str, Path, Path]]:
    """(its URL, its SQLite file, its code) of a released centre serving on loopback."""
    tree = _released_tree(tmp_path)
    db = tmp_path / "old-centre.sqlite3"
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(tree)}
    process = subprocess.Popen(
        [sys.executable, "-m", "sync.server.cli", "serve", "--db", f"sqlite:///{db}",
         "--port", str(port)],
        cwd=tree, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_ready(url, lambda: process.poll() is None)
        yield url, db, tree
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_a_released_centre_takes_every_fact_of_a_consenting_counter(released_centre, sync_counter):
    url, db, tree = released_centre
    assert "accepts" not in (
        Path(tree, "sync/server/status.py").read_text(encoding="utf-8")
    )  # it is the released code that serves
    counter = sync_counter
    made = _old_cli(tree, "enroll", "--office", "VTE-SST", "--counter", "1", "--json",
                    "--db", f"sqlite:///{db}")  # fmt: skip
    client.enroll(counter.store, url, json.loads(made.stdout)["code"])
    tracking = take(counter, sms_lang="en")
    mark(counter, tracking, "ready")
    ops = outbox_ops(counter)
    [request_op] = [op for op in ops if op.entity == "requests"]
    assert request_op.row["sms_consent"] == 1

    # As it is, the request would be refused whole: the released centre knows no such column.
    token = counter.store.one("SELECT token FROM sync_state")["token"]
    body = protocol.gzip_body(
        json.dumps(protocol.encode_batch(counter.store.office["device_id"], [request_op])).encode()
    )
    refused = post_raw(url + protocol.PUSH, token, body, {"Content-Encoding": "gzip"})
    assert refused.status_code == 422 and refused.json()["code"] == "batch.columns"

    result = client.sync_once(counter.store)
    assert result.ok and result.parked == 0 and result.pushed == len(ops), result
    with sqlite3.connect(db) as conn:
        held = conn.execute("SELECT count(*) FROM ops").fetchone()[0]
        stored = conn.execute(
            "SELECT tracking, status FROM requests WHERE tracking = ?", (tracking,)
        ).fetchone()
    assert held == len(ops)
    assert stored == (tracking, "ready")
    # Today's counter still holds the consent itself.
    row = counter.store.one("SELECT sms_consent, sms_lang FROM requests")
    assert (row["sms_consent"], row["sms_lang"]) == (1, "en")


def test_a_later_column_is_listed_only_when_a_row_carries_it(sync_counter):
    counter = sync_counter
    take(counter, sms_lang=None)
    device = counter.store.office["device_id"]
    plain = protocol.encode_batch(device, outbox_ops(counter))
    assert plain["ops"]["requests"]["cols"] == [
        c for c in FACTS["requests"].columns if c not in ("sms_consent", "sms_lang")
    ]
    take(counter, sms_lang="lo")
    mixed = protocol.encode_batch(device, outbox_ops(counter))
    assert mixed["ops"]["requests"]["cols"] == list(FACTS["requests"].columns)
    _, ops, rejected = protocol.decode_batch(mixed)
    assert rejected == [] and [op.row.get("sms_lang") for op in ops if op.entity == "requests"] == [
        None,
        "lo",
    ]


def test_a_centres_accepts_that_is_not_a_list_is_a_bad_reply(live_server, sync_counter):
    """`accepts` is read strictly: a reply that garbles it settles nothing."""
    counter = sync_counter
    office = counter.store.office
    client.enroll(counter.store, live_server.url, live_server.enroll_code(office["office_code"], 1))
    session = requests.Session()

    def garble(reply: requests.Response, *args: object, **kwargs: object) -> None:
        if reply.url.endswith(protocol.STATUS):
            data = reply.json()
            data["accepts"] = {"requests": "sms_consent"}
            reply._content = json.dumps(data).encode()
            reply.headers.pop("Content-Encoding", None)

    session.hooks["response"].append(garble)
    take(counter)
    result = client.sync_once(counter.store, session)
    assert not result.ok and result.pushed == 0
    assert result.error == "sync.bad_reply"
