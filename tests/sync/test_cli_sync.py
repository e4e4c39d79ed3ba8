"""`odsc sync ...` as a clerk's PC runs it: the installed console script, against the real
centre on loopback. Refusals exit non-zero, say why in Lao and English, and change nothing."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from odsc_desk.storage import ledger, outbox
from sync.client import SyncResult
from tests.conftest import PASSWORD
from tests.core.test_cli import ODSC, Result, one_json, script_env, snapshot
from tests.sync.conftest import free_port, visit
from ui.cli.sync_commands import _sync_text

STATUS_KEYS = {
    "pending",
    "parked",
    "last_success",
    "last_attempt",
    "last_error",
    "server",
    "enrolled",
    "enrolled_at",
    "device_id",
    "office",
    "counter",
    "acked_high_water",
    "catalog_version",
}
SQLITE_ONLY = pytest.mark.parametrize("server_db_url", ["sqlite"], indirect=True)


def odsc(data: Path, *args: Any, user: str = "admin", json_out: bool = False) -> Result:
    """`odsc` as a logged-in user (sync run and parked show and send citizens' data)."""
    argv = [str(ODSC), "--data-dir", str(data)]
    if json_out:
        argv.append("--json")
    argv += ["--user", user]
    proc = subprocess.run(
        [*argv, *(str(a) for a in args)],
        env=script_env({"ODSC_PASSWORD": PASSWORD}),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        encoding="utf-8",
        timeout=60,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


def refused_in_both_languages(result: Result, code: int = 1) -> None:
    assert result.code == code, result
    assert "ຜິດພາດ: " in result.err and "Error: " in result.err, result.err


def test_enroll_run_status_and_parked_from_the_command_line(live_server, sync_counter):
    data, store = sync_counter.data_dir, sync_counter.store
    status = odsc(data, "sync", "status", json_out=True)
    assert status.code == 0 and set(one_json(status.out)) == STATUS_KEYS
    assert one_json(status.out)["enrolled"] is False

    code = live_server.enroll_code("VTE-SST", 1)
    enrolled = odsc(
        data, "sync", "enroll", "--server", live_server.url, "--code", code, user="admin"
    )
    assert enrolled.code == 0, enrolled
    assert "Enrolled with" in enrolled.out and live_server.url in enrolled.out
    token = store.scalar("SELECT token FROM sync_state")
    assert token and token not in enrolled.out + enrolled.err

    visit(sync_counter)
    ran = odsc(data, "sync", "run", "--once", json_out=True)
    assert ran.code == 0, ran
    assert one_json(ran.out) | {"pushed": 0, "office_as_of": None} == {
        "ok": True,
        "pushed": 0,
        "parked": 0,
        "pending": 0,
        "catalog_version": None,
        "calendar_version": None,  # none published at this centre
        "key_sent": False,  # enrolled with its key: the centre holds it
        "error": None,
        "message_lo": None,
        "message_en": None,
        "retry": False,
        "requeued": 0,
        "floors_raised": 0,
        "chain": "ok",  # the centre's verdict on the counter's audit chain
        "office_kept": 0,  # no other counter of VTE-SST has pushed anything
        "office_refused": 0,
        "office_waiting": 0,  # nothing of the office read: nothing waits for a head
        "office_as_of": None,
        "recovered": 0,  # restored from no backup: nothing to take back from the centre
    }
    assert one_json(ran.out)["pushed"] == 3
    assert one_json(ran.out)["office_as_of"] == store.now_stamp()  # the centre's time, read

    # A record the centre will not take is parked; the run still counts as done.
    row = store.one("SELECT * FROM requests LIMIT 1")
    with store.transaction():
        ledger.append(
            store,
            "requests",
            {**row, "id": "bad-1", "tracking": "LPB-LPB-1-261126-0099", "daily_seq": 99},
        )
    ran = odsc(data, "sync", "run", "--once")
    assert ran.code == 0 and "parked 1" in ran.out and "odsc sync parked" in ran.out, ran

    status = odsc(data, "sync", "status", json_out=True)
    shown = one_json(status.out)
    assert set(shown) == STATUS_KEYS and token not in status.out
    assert (shown["enrolled"], shown["server"], shown["pending"], shown["parked"]) == (
        True,
        live_server.url,
        0,
        1,
    )
    assert shown["last_error"] is None and shown["last_success"]
    assert shown["device_id"] == store.office["device_id"]
    text = odsc(data, "sync", "status")
    assert "Waiting: 0" in text.out and "Parked: 1" in text.out

    listed = odsc(data, "sync", "parked")
    assert listed.code == 0 and "bad-1" in listed.out and "rejected: op.office" in listed.out
    as_json = one_json(odsc(data, "sync", "parked", json_out=True).out)
    assert [(p["op_id"], p["reason"]) for p in as_json["parked"]] == [
        ("bad-1", "rejected: op.office")
    ]
    retried = odsc(data, "sync", "parked", "--retry", json_out=True)
    assert one_json(retried.out) == {"requeued": 1}
    assert outbox.pending_count(store) == 1 and outbox.parked(store) == []
    assert "0 parked ops" in odsc(data, "sync", "parked", "--retry").out


@SQLITE_ONLY
@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("bad url", "sync.url_invalid"),
        ("http elsewhere", "sync.http_not_local"),
        ("nobody listening", "sync.server_down"),
        ("wrong code", "sync.enroll_unknown"),
        ("missing ca bundle", "sync.ca_bundle_missing"),
        ("not an admin", "auth.role"),
    ],
)
def test_enroll_refusals_exit_1_in_both_languages_and_change_nothing(
    live_server, sync_counter, case, message
):
    data = sync_counter.data_dir
    server, code, user = live_server.url, live_server.enroll_code("VTE-SST", 1), "admin"
    extra: list[str] = []
    if case == "bad url":
        server = "ftp://centre.example.la"
    elif case == "http elsewhere":
        server = "http://192.0.2.10:8000"
    elif case == "nobody listening":
        server = f"https://127.0.0.1:{free_port()}"
    elif case == "wrong code":
        code = "WRONG-WRONG-WRONG-WRONG"
    elif case == "missing ca bundle":
        extra = ["--ca-bundle", str(data / "no-such-ca.pem")]
    else:
        user = "noy"
    before = snapshot(data)
    args = ["sync", "enroll", "--server", server, "--code", code, *extra]
    result = odsc(data, *args, user=user, json_out=True)
    refused_in_both_languages(result)
    assert one_json(result.out)["error"]["code"] == message
    assert snapshot(data) == before


@SQLITE_ONLY
def test_usage_errors_exit_2(live_server, sync_counter):
    data = sync_counter.data_dir
    refused = odsc(data, "sync", "enroll", "--server", live_server.url, user="admin")
    assert refused.code == 2 and "--code" in refused.err
    assert odsc(data, "sync", "run", "--twice").code == 2
    assert odsc(data, "sync").code == 2


def test_run_once_without_enrolling_or_without_a_network_exits_1_and_loses_nothing(
    tmp_path, sync_counter
):
    data, store = sync_counter.data_dir, sync_counter.store
    visit(sync_counter)
    waiting = outbox.pending_count(store)
    result = odsc(data, "sync", "run", "--once")
    refused_in_both_languages(result)
    assert "not enrolled" in result.err and "odsc sync enroll" in result.err

    # Enrolled with a centre that has since gone away.
    with store.transaction():
        store.conn.execute(
            "UPDATE sync_state SET server_url = ?, token = 'x' WHERE id = 1",
            (f"http://127.0.0.1:{free_port()}",),
        )
    result = odsc(data, "sync", "run", "--once", json_out=True)
    refused_in_both_languages(result)
    assert one_json(result.out)["error"]["code"] == "sync.server_down"
    assert "Nothing is lost" in result.err and "ບໍ່ມີຂໍ້ມູນໃດເສຍ" in result.err
    assert outbox.pending_count(store) == waiting
    shown = json.loads(odsc(data, "sync", "status", json_out=True).out)
    assert shown["last_error"]["code"] == "sync.server_down" and shown["pending"] == waiting


@SQLITE_ONLY
def test_run_keeps_trying_until_the_centre_is_back(live_server, sync_counter):
    data, store = sync_counter.data_dir, sync_counter.store
    code = live_server.enroll_code("VTE-SST", 1)
    args = ["sync", "enroll", "--server", live_server.url, "--code", code]
    assert odsc(data, *args, user="admin").code == 0
    for _ in range(3):
        visit(sync_counter)
    live_server.stop()
    proc = subprocess.Popen(
        [str(ODSC), "--data-dir", str(data), "--user", "admin", "sync", "run"],
        env=script_env({"ODSC_PASSWORD": PASSWORD}),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        encoding="utf-8",
    )
    try:
        # The first attempt fails and says when it tries again; then the centre comes back.
        lines = []
        while not any("trying again in" in line for line in lines):
            line = proc.stderr.readline()
            assert line, "".join(lines)
            lines.append(line)
        assert any("is not answering" in line for line in lines)  # stopped, not offline
        live_server.start()
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, "".join(lines) + err
    assert "Sent 7, parked 0, waiting 0" in out
    assert outbox.pending_count(store) == 0


def test_the_text_names_what_arrived_and_what_was_sent():
    """What a run brought (a catalog, a holiday calendar, the office's records) and the receipt
    key it registered are said in both languages, as --json gives them."""
    quiet = _sync_text(SyncResult(ok=True, pushed=2)).splitlines()
    assert quiet == ["ສົ່ງແລ້ວ 2 · ກັນໄວ້ 0 · ຍັງລໍຖ້າ 0 / Sent 2, parked 0, waiting 0"]
    busy = _sync_text(
        SyncResult(
            ok=True,
            catalog_version=4,
            calendar_version=2,
            key_sent=True,
            office_kept=14,
            office_refused=1,
            office_as_of="2026-12-04T03:42:00.000000Z",
        )
    ).splitlines()
    assert busy[1:] == [
        "ລາຍການບໍລິການໃໝ່ / New catalog: v4",
        "ປະຕິທິນວັນພັກໃໝ່ / New holiday calendar: v2",
        "ສົ່ງກະແຈໃບຮັບເງິນໃຫ້ສູນກາງແລ້ວ / Receipt key sent to the centre",
        "ຂໍ້ມູນຫ້ອງການ ຮັບມາ 14 · ປະຕິເສດ 1 · ເຖິງ 04/12/2026 10:42"
        " / Office records: 14 received, 1 refused, as of 04/12/2026 10:42",
    ]
