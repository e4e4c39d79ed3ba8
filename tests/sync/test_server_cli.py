"""`odsc-server`: each command migrates the database it is pointed at; bad input is refused
with one line on stderr, a non-zero exit code, and no change."""

import json
import os
import socket
import subprocess
from datetime import UTC, datetime

import pytest
import requests

from odsc_desk.shared.catalog_file import demo_catalog_path
from sync import protocol
from sync.server import anchors, cli
from sync.server.db import open_db, writing
from tests.sync.conftest import (
    ServerProcess,
    assert_problem,
    count_rows,
    enroll_counter,
    free_port,
    get,
    server_command,
    wait_until_ready,
)
from tests.sync.test_hierarchy import enroll_device

DEVICE = "0193a5c2-7f00-7000-8000-00000000000a"


def _run(*args, env=None):
    return subprocess.run(
        [*server_command(), *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
    )


def _enroll_over_http(url, code, office="VTE-SST", counter=1):
    body = {"code": code, "device_id": DEVICE, "office": office, "counter": counter}
    return requests.post(url + protocol.ENROLL, json=body, timeout=10)


def test_enroll_before_the_first_serve_then_the_code_works(server_db_url, tmp_path):
    made = _run("enroll", "--db", server_db_url, "--office", "VTE-SST", "--counter", "3")
    assert made.returncode == 0, made.stderr
    code = made.stdout.split()[-1]
    as_json = _run(
        "enroll", "--db", server_db_url, "--office", "VTE-SST", "--counter", "3", "--json"
    )
    assert as_json.returncode == 0, as_json.stderr
    second = json.loads(as_json.stdout)["code"]
    server = ServerProcess(
        engine=open_db(server_db_url),
        db_url=server_db_url,
        port=free_port(),
        log=tmp_path / "serve.log",
    )
    server.start()
    try:
        reply = _enroll_over_http(server.url, code, counter=3)
        assert reply.status_code == 200, reply.text
        assert_problem(_enroll_over_http(server.url, second, counter=4), 409, "enroll.mismatch")
    finally:
        server.kill()
        server.engine.dispose()


def test_serve_uses_an_sqlite_file_in_the_data_folder_by_default(tmp_path):
    folder = tmp_path / "centre"
    made = _run("enroll", "--office", "VTE-SST", "--counter", "1", env={
        "ODSC_SERVER_DATA_DIR": str(folder)
    })  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert (folder / "server.sqlite3").exists()
    port = free_port()
    proc = subprocess.Popen(
        [*server_command(), "serve", "--data-dir", str(folder), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        first_line = proc.stdout.readline()
        assert f"http://127.0.0.1:{port}" in first_line and "server.sqlite3" in first_line
        url = f"http://127.0.0.1:{port}"
        wait_until_ready(url, lambda: proc.poll() is None)
        assert _enroll_over_http(url, made.stdout.split()[-1]).status_code == 200
    finally:
        proc.kill()
        proc.wait(timeout=15)
        proc.stdout.close()


def _cli(capsys, *argv):
    """Run the command in this process (the same main() the console script calls)."""
    try:
        code = cli.main(list(argv))
    except SystemExit as exc:  # argparse's usage errors
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def test_viewer_revoke_catalog_and_devices_commands(live_server, sync_counter, capsys):
    db = live_server.db_url
    token = enroll_counter(live_server, sync_counter)
    device_id = sync_counter.store.office["device_id"]

    code, out, _ = _cli(capsys, "viewer", "add", "Vientiane province office", "--db", db)
    assert code == 0
    reports = get(f"{live_server.url}{protocol.REPORTS}/offices", out.split()[-1])
    assert [r["office"] for r in reports.json()] == ["VTE-SST"]

    for name, role in (("editor", "catalog_editor"), ("approver", "catalog_approver")):
        made = _cli(capsys, "user", "add", name, "--role", role, "--scope", "nation", "--token",
                    "--db", db)  # fmt: skip
        assert made[0] == 0
    code, out, _ = _cli(
        capsys, "catalog", "publish", str(demo_catalog_path()), "--db", db,
        "--drafted-by", "editor", "--approved-by", "approver",
    )  # fmt: skip
    assert code == 0
    assert "version 1" in out
    # The command dates it today by the real clock; the server's clock is a test's.
    live_server.clock.moment = datetime.now(UTC)
    assert get(live_server.url + protocol.REFERENCE, token).json()["version"] == 1

    code, out, _ = _cli(capsys, "devices", "--json", "--db", db)
    assert code == 0
    [device] = json.loads(out)
    assert (device["device_id"], device["office"], device["counter"]) == (device_id, "VTE-SST", 1)
    assert device["revoked_at"] is None

    code, out, _ = _cli(capsys, "revoke", device_id, "--db", db)
    assert code == 0
    assert_problem(get(live_server.url + protocol.STATUS, token), 401, "auth.revoked")
    code, out, _ = _cli(capsys, "devices", "--db", db)
    assert device_id in out and "revoked" in out


_FOUR_EYES = ["--drafted-by", "editor", "--approved-by", "approver"]


@pytest.mark.parametrize(
    ("argv", "exit_code", "words"),
    [
        (["enroll", "--office", "vte sst!", "--counter", "1"], 1, "office code"),
        (["enroll", "--office", "VTE-SST", "--counter", "0"], 1, "counter"),
        (["enroll", "--office", "VTE-SST", "--counter", "100"], 1, "counter"),
        (["enroll", "--office", "VTE-SST", "--counter", "abc"], 1, "counter"),
        (["enroll", "--office", "VTE-SST", "--counter", "1", "--ttl-hours", "0"], 1, "ttl"),
        (["enroll", "--office", "VTE-SST", "--counter", "1", "--ttl-hours", "x"], 2, "hours"),
        (["enroll", "--counter", "1"], 2, "--office"),
        (["revoke", "no-such-device"], 1, "no device"),
        (["catalog", "publish", "/no/such/catalog.json", *_FOUR_EYES], 1, "catalog.json"),
        (["catalog", "publish", str(demo_catalog_path())], 2, "--drafted-by"),
        (["catalog", "publish", str(demo_catalog_path()), *_FOUR_EYES], 1, "no active account"),
        (
            [
                "catalog",
                "publish",
                str(demo_catalog_path()),
                *_FOUR_EYES,
                "--effective",
                "1/2/2027",
            ],
            1,
            "yyyy-mm-dd",
        ),
        (["viewer", "add", "   "], 1, "name"),
        (["stats", "--office", "VTE-NONE"], 1, "VTE-NONE"),
        (["stats", "--date", "2026-11-26"], 1, "--office"),
        (["stats", "--office", "VTE-SST", "--date", "26/11/2026"], 2, "date"),
        (["serve", "--port", "99999"], 2, "port"),
        (["chain", "clear", "no-such-device", "--reason", "looked"], 1, "no device"),
        (["chain", "clear", "no-such-device"], 2, "--reason"),
        (["viewer", "revoke", "   ", "--json"], 1, "no viewer"),
        (["launch"], 2, "invalid choice"),
    ],
)
def test_bad_input_is_refused_with_one_line_and_changes_nothing(
    shared_db_url, capsys, argv, exit_code, words
):
    engine = open_db(shared_db_url)
    before = count_rows(engine)
    code, out, err = _cli(capsys, *argv, "--db", shared_db_url)
    assert code == exit_code
    assert out == ""
    assert len(err.strip().splitlines()) == 1, err
    assert words.lower() in err.lower()
    assert count_rows(engine) == before
    engine.dispose()


def test_serve_on_a_port_in_use_is_refused(shared_db_url, capsys):
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        code, out, err = _cli(capsys, "serve", "--port", str(port), "--db", shared_db_url)
    assert code == 1
    assert out == ""
    assert err.strip() == f"odsc-server: refused: cannot listen on 127.0.0.1:{port}: " + (
        "Address already in use"
    )


def test_a_catalog_a_counter_would_refuse_is_not_published(shared_db_url, capsys, tmp_path):
    bad = tmp_path / "catalog.json"
    data = json.loads(demo_catalog_path().read_text(encoding="utf-8"))
    data["services"][0]["fee"] = -1
    bad.write_text(json.dumps(data), encoding="utf-8")
    engine = open_db(shared_db_url)
    before = count_rows(engine)
    code, _, err = _cli(capsys, "catalog", "publish", str(bad), *_FOUR_EYES, "--db", shared_db_url)
    assert code == 1
    assert "refused" in err and "fee" in err
    assert count_rows(engine) == before
    engine.dispose()


def test_a_bad_database_url_is_a_usage_error(capsys):
    result = _run("devices", "--db", "mysql://root@localhost/odsc")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "unsupported database" in result.stderr


def test_an_unreachable_database_exits_3_with_one_line():
    result = _run("enroll", "--office", "VTE-SST", "--counter", "1", "--db",
                  f"postgresql://postgres@127.0.0.1:{free_port()}/odsc")  # fmt: skip
    assert result.returncode == 3
    assert result.stderr.count("\n") == 1 and "database unusable" in result.stderr
    assert result.stdout == ""


def _head(engine, seq, digest, anchor=None):
    """A push's chain headers, judged and kept as the push does (anchors.record)."""
    claim = anchors.Claim(
        anchors.Link(seq, digest), None if anchor is None else anchors.Link(*anchor)
    )
    with writing(engine) as conn:
        return anchors.record(conn, DEVICE, claim, "2026-11-26T02:00:00.000000Z")["status"]


def test_a_chain_flag_is_cleared_on_the_record_and_a_new_break_shows_again(
    server_db_url, capsys, monkeypatch
):
    db = ("--db", server_db_url)
    engine = open_db(server_db_url)
    enroll_device(engine, "VTE-SST", 1, DEVICE)
    a, b, c, d = ("a" * 64, "b" * 64, "c" * 64, "d" * 64)
    assert _head(engine, 1, a) == "ok"
    assert _head(engine, 2, b, (1, c)) == "rewritten"

    def flags():
        return json.loads(_cli(capsys, "stats", "--json", *db)[1])[0]["chain_flags"]

    assert [(f["status"], f["seq"]) for f in flags()] == [("rewritten", 2)]

    monkeypatch.setattr("getpass.getuser", lambda: "centre-admin")
    code, out, err = _cli(
        capsys, "chain", "clear", DEVICE, "--reason", "restored from the 12 Nov backup; checked",
        *db,
    )  # fmt: skip
    assert code == 0, err
    assert "cleared by centre-admin" in out
    assert flags() == []
    listed = json.loads(_cli(capsys, "chain", "list", "--json", *db)[1])
    assert listed["flags"] == []
    [cleared] = listed["clears"]
    assert (cleared["device_id"], cleared["cleared_by"], cleared["through_seq"]) == (
        DEVICE,
        "centre-admin",
        2,
    )
    assert cleared["reason"] == "restored from the 12 Nov backup; checked"
    assert cleared["cleared_at"].endswith("Z")

    # Nothing left to clear: refused, nothing written.
    before = count_rows(engine)
    code, out, err = _cli(capsys, "chain", "clear", DEVICE, "--reason", "again", *db)
    assert (code, out) == (1, "") and "no chain flag" in err
    code, out, err = _cli(capsys, "chain", "clear", DEVICE, "--reason", " \t ", *db)
    assert (code, out) == (1, "") and "reason" in err
    assert count_rows(engine) == before

    # The chain grows on from there: still clear. A new break after the clear is a new flag.
    assert _head(engine, 3, c, (2, b)) == "ok"
    assert flags() == []
    assert _head(engine, 4, d, (3, a)) == "rewritten"
    assert [(f["status"], f["seq"]) for f in flags()] == [("rewritten", 4)]
    code, out, _ = _cli(capsys, "chain", "list", *db)
    assert out.startswith("FLAG REWRITTEN: VTE-SST counter 1") and "centre-admin" in out
    engine.dispose()


def _children(pid):
    with open(f"/proc/{pid}/task/{pid}/children") as listed:
        return [int(child) for child in listed.read().split()]


def test_serve_with_two_workers_shares_one_database_and_stops_on_sigterm(server_db_url, tmp_path):
    made = _run("enroll", "--db", server_db_url, "--office", "VTE-SST", "--counter", "1")
    assert made.returncode == 0, made.stderr
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen(
        [*server_command(), "serve", "--db", server_db_url, "--port", str(port), "--workers", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert "2 processes" in proc.stdout.readline()
        wait_until_ready(url, lambda: proc.poll() is None)
        # Both workers answer on the one port (uvicorn's supervisor has the processes).
        workers = [p for p in _children(proc.pid) if "spawn_main" in _cmdline(p)]
        assert len(workers) == 2
        assert _enroll_over_http(url, made.stdout.split()[-1]).status_code == 200
        replies = [requests.get(url + protocol.STATUS, timeout=10) for _ in range(20)]
        assert {r.status_code for r in replies} == {401}  # no token: refused by either worker
        # Each worker accepts on its own socket: a burst of counters is spread over both rather
        # than taken by whichever woke first. 40 connections hashed over two sockets leave
        # fewer than 6 to one of them about once in a million runs.
        before = {p: _sockets(p) for p in workers}
        burst = [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(40)]
        try:
            for conn in burst:
                conn.sendall(f"GET {protocol.STATUS} HTTP/1.1\r\nHost: centre\r\n\r\n".encode())
            for conn in burst:
                assert conn.recv(12) == b"HTTP/1.1 401"  # answered, so accepted by now
            taken = {p: _sockets(p) - before[p] for p in workers}
        finally:
            for conn in burst:
                conn.close()
        assert all(n >= 6 for n in taken.values()), taken
        engine = open_db(server_db_url)
        try:
            assert count_rows(engine)["devices"] == 1
        finally:
            engine.dispose()
        proc.terminate()
        assert proc.wait(timeout=30) == 0
        assert all(not os.path.exists(f"/proc/{p}") for p in workers)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=15)
        proc.stdout.close()


def _sockets(pid):
    """How many sockets process `pid` holds open."""
    fds = f"/proc/{pid}/fd"
    return sum(os.readlink(f"{fds}/{fd}").startswith("socket:") for fd in os.listdir(fds))


def _cmdline(pid):
    with open(f"/proc/{pid}/cmdline", "rb") as raw:
        return raw.read().replace(b"\0", b" ").decode()


@pytest.mark.parametrize("workers", ["0", "-1", "two", "65"])
def test_serve_refuses_a_number_of_workers_it_cannot_run(workers, tmp_path):
    done = _run("serve", "--data-dir", str(tmp_path / "c"), "--workers", workers)
    assert done.returncode == 2
    assert "not a number of processes (1-64)" in done.stderr
    assert not (tmp_path / "c").exists()
