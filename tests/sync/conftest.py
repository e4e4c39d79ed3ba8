"""Fixtures for the sync tests: the centre's database on SQLite and on PostgreSQL, a real server
on loopback (in a thread, or as an `odsc-server serve` process that can be killed), a released
centre (an earlier commit's code, run as its own process), and real counter stores whose outbox
supplies the ops.

PostgreSQL is the one at 127.0.0.1:5432 (user postgres, trust auth): each test gets a database
of its own, named odsc_test_<random>, dropped afterwards.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tarfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import pytest
import requests
import uvicorn
from sqlalchemy import Engine, func, select

from odsc_desk.domain import cash, payments, service_requests
from odsc_desk.shared.canonical import canonical
from odsc_desk.shared.clock import Clock, system_clock
from odsc_desk.storage import chain
from odsc_desk.storage.chain import fact_id
from sync import client, protocol
from sync.protocol import Op
from sync.server import accounts, enrollment, reference
from sync.server.app import create_app
from sync.server.db import metadata, open_db, ops, ops_heads_table, writing
from tests.conftest import (
    Counter,
    FakeClock,
    cannot_run_here,
    make_counter,
)

PG_HOST, PG_PORT, PG_USER = "127.0.0.1", 5432, "postgres"
READY_TIMEOUT = 20.0  # seconds a server may take to answer /healthz after starting


# -- the centre's database ------------------------------------------------------------------


def _pg_admin() -> psycopg.Connection:
    try:
        return psycopg.connect(
            host=PG_HOST, port=PG_PORT, user=PG_USER, dbname="postgres", autocommit=True,
            connect_timeout=3,
        )  # fmt: skip
    except psycopg.OperationalError as exc:
        cannot_run_here(f"PostgreSQL is not reachable at {PG_HOST}:{PG_PORT}: {exc}")
        raise  # not reached: cannot_run_here skips or fails


def drop_pg_database(name: str) -> None:
    with _pg_admin() as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = %s AND pid <> pg_backend_pid()",
            (name,),
        )
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


BACKENDS = ["sqlite", "postgresql"]


@contextmanager
def centre_database(backend: str, folder: Path) -> Iterator[str]:
    """A URL for an empty centre database: an SQLite file in `folder`, or a new PostgreSQL
    database (dropped at the end)."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'server.sqlite3'}"
        return
    name = f"odsc_test_{secrets.token_hex(6)}"
    with _pg_admin() as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://{PG_USER}@{PG_HOST}:{PG_PORT}/{name}"
    finally:
        drop_pg_database(name)


@pytest.fixture(params=BACKENDS)
def server_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL for an empty centre database, once on SQLite and once on PostgreSQL."""
    with centre_database(request.param, tmp_path) as url:
        yield url


@pytest.fixture(scope="module", params=BACKENDS)
def shared_db_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """server_db_url shared by a module's tests: only for tests that leave it as they found
    it (tables of bad input, each checking that nothing changed)."""
    with centre_database(request.param, tmp_path_factory.mktemp("centre")) as url:
        yield url


def count_rows(engine: Engine) -> dict[str, int]:
    """Rows in every table of the centre's database: a request that changed nothing leaves
    this exactly as it was."""
    with engine.connect() as conn:
        return {
            name: conn.execute(select(func.count()).select_from(table)).scalar_one()
            for name, table in sorted(metadata.tables.items())
        }


# -- admin actions, as the odsc-server commands do them ---------------------------------------


@dataclass
class _Admin:
    engine: Engine
    clock: Clock

    def enroll_code(self, office: str, counter: int, ttl_hours: int | None = None) -> str:
        with writing(self.engine) as conn:
            made = enrollment.create_code(conn, office, counter, self.clock(), ttl_hours)
        return made["code"]

    def publish_catalog(self, path: Path | str) -> int:
        with writing(self.engine) as conn:
            return reference.publish(conn, path, self.clock())["version"]

    def viewer_token(self, name: str = "province office") -> str:
        """A nation-wide viewer's token, as `odsc-server viewer add` makes it (account names
        are unique, so each gets a suffix of its own)."""
        with writing(self.engine) as conn:
            _, token = accounts.add_token(
                conn, f"{name} {secrets.token_hex(4)}", "viewer", ["nation"], self.clock()
            )
        return token


def enroll_counter(server: LiveServer | ServerProcess, counter: Counter) -> str:
    """Enroll a counter's device over HTTP, as `odsc sync enroll` does; returns its token."""
    office = counter.store.office
    code = server.enroll_code(office["office_code"], office["counter"])
    reply = requests.post(
        server.url + protocol.ENROLL,
        json={
            "code": code,
            "device_id": office["device_id"],
            "office": office["office_code"],
            "counter": office["counter"],
        },
        timeout=10,
    )
    assert reply.status_code == 200, reply.text
    return reply.json()["token"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_ready(url: str, alive: Callable[[], bool] = lambda: True) -> None:
    """Poll /healthz until the server answers; `alive()` False means it died trying."""
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if not alive():
            raise RuntimeError(f"the server at {url} stopped while starting")
        try:
            if requests.get(f"{url}/healthz", timeout=1).status_code == 200:
                return
        except (requests.ConnectionError, requests.Timeout):  # not listening, or still busy
            pass
        time.sleep(0.02)  # a poll interval, not a wait for an event we could be told of
    raise TimeoutError(f"the server at {url} did not start within {READY_TIMEOUT} s")


@dataclass
class LiveServer(_Admin):
    """The real app under uvicorn on 127.0.0.1, in a background thread. Its clock is a
    FakeClock set to the same moment as the counters' default one (tests move it by hand)."""

    db_url: str = ""
    port: int = 0
    clock: FakeClock = field(default_factory=FakeClock)
    _server: uvicorn.Server | None = None
    _thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        config = uvicorn.Config(
            create_app(self.engine, clock=self.clock),
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            access_log=False,
            timeout_graceful_shutdown=5,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True, name="uvicorn")
        self._thread.start()
        wait_until_ready(self.url, self._thread.is_alive)

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.should_exit = True
        self._thread.join(timeout=15)
        assert not self._thread.is_alive(), "the server did not stop"
        self._server = self._thread = None


@contextmanager
def running_server(db_url: str) -> Iterator[LiveServer]:
    engine = open_db(db_url)
    server = LiveServer(engine=engine, clock=FakeClock(), db_url=db_url, port=free_port())
    server.start()
    try:
        yield server
    finally:
        server.stop()
        engine.dispose()


@pytest.fixture
def live_server(server_db_url: str) -> Iterator[LiveServer]:
    with running_server(server_db_url) as server:
        yield server


@pytest.fixture(scope="module")
def shared_server(shared_db_url: str) -> Iterator[LiveServer]:
    """live_server shared by a module's tests (see shared_db_url); its clock stays put."""
    with running_server(shared_db_url) as server:
        yield server


def server_command() -> list[str]:
    script = Path(sys.executable).with_name("odsc-server")
    if script.exists():
        return [str(script)]
    found = shutil.which("odsc-server")
    return [found] if found else [sys.executable, "-m", "sync.server.cli"]


@dataclass
class ServerProcess(_Admin):
    """`odsc-server serve` as a real process (real clock), so a test can SIGKILL it."""

    db_url: str = ""
    port: int = 0
    log: Path = Path()
    clock: Clock = system_clock
    proc: subprocess.Popen | None = None
    extra: tuple[str, ...] = ()  # more `serve` options, e.g. ("--workers", "2")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                [
                    *server_command(),
                    *("serve", "--db", self.db_url, "--port", str(self.port), *self.extra),
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        try:
            wait_until_ready(self.url, lambda: self.proc.poll() is None)
        except (RuntimeError, TimeoutError) as exc:
            self.kill()
            raise RuntimeError(f"{exc}\n{self.log.read_text(errors='replace')}") from exc

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs, as in a power cut or the OOM killer."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        self._reap()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        self._reap()

    def _reap(self) -> None:
        if self.proc is not None:
            self.proc.wait(timeout=15)
            self.proc = None


@pytest.fixture
def server_process(server_db_url: str, tmp_path: Path) -> Iterator[ServerProcess]:
    """A running `odsc-server serve` on a free port; `.kill()` then `.start()` to restart it."""
    engine = open_db(server_db_url)
    server = ServerProcess(
        engine=engine, db_url=server_db_url, port=free_port(), log=tmp_path / "server.log"
    )
    server.start()
    try:
        yield server
    finally:
        server.kill()
        engine.dispose()


# -- a released centre -------------------------------------------------------------------------

_ROOT = Path(__file__).parents[2]  # this repository
_RELEASED_CLI = [sys.executable, "-m", "sync.server.cli"]


def _from_tree(tree: Path) -> dict[str, Any]:
    """How to run a released command: in its code, whose packages (not this checkout's) are
    the ones imported."""
    return {"cwd": tree, "env": {**os.environ, "PYTHONPATH": str(tree)}}


@dataclass(frozen=True)
class ReleasedCentre:
    """The centre of an earlier commit, serving on loopback as its own process."""

    url: str
    db: Path  # its SQLite file
    tree: Path  # its code

    def enroll_code(self, office: str, counter: int) -> str:
        """A code to enroll a counter, made by the released centre's own command line."""
        made = subprocess.run(
            [*_RELEASED_CLI, "enroll", "--office", office, "--counter", str(counter), "--json",
             "--db", f"sqlite:///{self.db}"],
            capture_output=True, text=True, check=True, timeout=120, **_from_tree(self.tree),
        )  # fmt: skip
        return str(json.loads(made.stdout)["code"])


def _take_out(commit: str, folder: Path) -> Path:
    """The packages `sync` and `odsc_desk` of `commit`, out of this repository's history."""
    archive = folder / "released.tar"
    try:
        with archive.open("wb") as out:
            subprocess.run(
                ["git", "-C", str(_ROOT), "archive", commit, "sync", "odsc_desk"],
                stdout=out,
                check=True,
                stderr=subprocess.PIPE,
            )
    except (OSError, subprocess.CalledProcessError) as exc:
        cannot_run_here(f"the released code (git {commit}) is not at hand: {exc}")
    tree = folder / "released"
    with tarfile.open(archive) as tar:
        tar.extractall(tree, filter="data")
    return tree


@contextmanager
def _serving(tree: Path, db: Path) -> Iterator[ReleasedCentre]:
    port = free_port()
    centre = ReleasedCentre(f"http://127.0.0.1:{port}", db, tree)
    process = subprocess.Popen(
        [*_RELEASED_CLI, "serve", "--db", f"sqlite:///{db}", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **_from_tree(tree),
    )  # fmt: skip
    try:
        wait_until_ready(centre.url, lambda: process.poll() is None)
        yield centre
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture(scope="session")
def released_code(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """The code of a commit (e.g. "b17729d"), taken out once a session."""
    trees: dict[str, Path] = {}

    def code(commit: str) -> Path:
        if commit not in trees:
            trees[commit] = _take_out(commit, tmp_path_factory.mktemp(f"released-{commit}"))
        return trees[commit]

    return code


@pytest.fixture
def released_centre(
    released_code: Callable[[str], Path], tmp_path: Path
) -> Iterator[Callable[[str], ReleasedCentre]]:
    """Starts the centre of a commit, on a new SQLite file of its own; stopped after the test."""
    with ExitStack() as running:

        def start(commit: str) -> ReleasedCentre:
            db = tmp_path / f"centre-{commit}.sqlite3"
            return running.enter_context(_serving(released_code(commit), db))

        yield start


# -- counters and their ops -------------------------------------------------------------------


def make_office_counter(
    data_dir: Path, clock: FakeClock, office: str = "VTE-SST", counter: int = 1
) -> Counter:
    """A counter of any office and number (tests.conftest.make_counter's, named for here)."""
    return make_counter(data_dir, clock, office, counter)


def enrolled_counter(
    tmp_path: Path,
    clock: FakeClock,
    server: LiveServer,
    office: str,
    n: int,
    *,
    signing: bool = True,
) -> Counter:
    """Counter `n` of `office`, enrolled with `server` as an admin enrolls it (with the key it
    signs its receipts and its heads with), its drawer open. `signing=False`: enrolled without
    a key, as a released counter was, so it sends no head (docs/OFFICE_SHARING.md, D9) until a
    first receipt makes one."""
    counter = make_office_counter(tmp_path / f"{office}-{n}", clock, office, n)
    code = server.enroll_code(office, n)
    if signing:
        client.enroll_counter(counter.store, counter.admin, server.url, code)
    else:
        client.enroll(counter.store, server.url, code)
    cash.open_cash(counter.store, counter.clerk, 50_000)
    return counter


@pytest.fixture
def office_counters(
    live_server: LiveServer, tmp_path: Path, clock: FakeClock
) -> Iterator[tuple[Counter, Counter, Counter]]:
    """Counters 1 and 2 of VTE-SST and counter 1 of LPB-LPB, enrolled, their drawers open."""
    counters = (
        enrolled_counter(tmp_path, clock, live_server, "VTE-SST", 1),
        enrolled_counter(tmp_path, clock, live_server, "VTE-SST", 2),
        enrolled_counter(tmp_path, clock, live_server, "LPB-LPB", 1),
    )
    yield counters
    for counter in counters:
        counter.store.close()


@pytest.fixture
def unsigned_counters(
    live_server: LiveServer, tmp_path: Path, clock: FakeClock
) -> Iterator[tuple[Counter, Counter]]:
    """Counters 1 and 2 of VTE-SST, counter 1 enrolled without a key: it sends no head, so
    the pages a test makes of its facts are checked by the pull's rules alone."""
    counters = (
        enrolled_counter(tmp_path, clock, live_server, "VTE-SST", 1, signing=False),
        enrolled_counter(tmp_path, clock, live_server, "VTE-SST", 2),
    )
    yield counters
    for counter in counters:
        counter.store.close()


@pytest.fixture
def sync_counter(tmp_path: Path, clock: FakeClock) -> Iterator[Counter]:
    """A VTE-SST counter 1 with its cash session open."""
    c = make_office_counter(tmp_path / "counter", clock)
    cash.open_cash(c.store, c.clerk, 50_000)
    yield c
    c.store.close()


def synced(counter: Counter) -> client.SyncResult:
    """One sync of the counter that must go through whole: nothing parked, nothing of the
    office refused."""
    result = client.sync_once(counter.store)
    assert result.ok and result.parked == 0 and result.office_refused == 0, result
    return result


def visit(c: Counter, name: str = "ນາງ ນ້ອຍ", service: str = "MOHA-BIRTH") -> dict[str, Any]:
    """One citizen: a request and its payment. Returns the payment (with its tracking)."""
    request = service_requests.record_request(
        c.store, c.clerk, service_code=service, citizen_name=name
    )
    return payments.record_payment(c.store, c.clerk, request["tracking"])


def next_day(c: Counter) -> None:
    """Close the drawer (counted as expected), move the clock a day on, open a new drawer."""
    session = cash.open_session(c.store)
    cash.close_cash(c.store, c.clerk, cash.expected_cash(c.store, session["id"]))
    c.clock.advance(days=1)
    cash.open_cash(c.store, c.clerk, 0)


def counter_facts(store: Any) -> dict[str, str]:
    """Every synced fact of the counter: op_id -> sha256 of its canonical row."""
    facts = {}
    for table in chain.SYNCED:
        for row in store.all(f"SELECT * FROM {table}"):
            facts[fact_id(table, row)] = hashlib.sha256(canonical(row)).hexdigest()
    return facts


def centre_facts(engine: Engine, device_id: str) -> dict[str, str]:
    with engine.connect() as conn:
        rows = conn.execute(select(ops.c.op_id, ops.c.sha256).where(ops.c.device_id == device_id))
        return {op_id: bytes(sha).hex() for op_id, sha in rows}


def newest_head(engine: Engine, device_id: str) -> int | None:
    """The count of the newest head a server keeps of a device's ops (docs/OFFICE_SHARING.md,
    D9); None while it keeps none."""
    with engine.connect() as conn:
        found = conn.execute(
            select(ops_heads_table.c.count)
            .where(ops_heads_table.c.device_id == device_id)
            .order_by(ops_heads_table.c.pos.desc())
            .limit(1)
        ).scalar_one_or_none()
    return None if found is None else int(found)


def outbox_ops(c: Counter) -> list[Op]:
    """The counter's queued ops, as the client would send them."""
    rows = c.store.conn.execute("SELECT seq, entity, payload FROM outbox ORDER BY seq")
    return [Op(seq, entity, json.loads(payload)) for seq, entity, payload in rows]


def push(
    url: str,
    token: str | None,
    device_id: str,
    ops: list[Op],
    *,
    headers: dict[str, str] | None = None,
) -> requests.Response:
    """One push, gzip JSON as the client sends it."""
    body = protocol.gzip_body(json.dumps(protocol.encode_batch(device_id, ops)).encode())
    sent = {"Content-Encoding": "gzip", **(headers or {})}
    return post_raw(url + protocol.PUSH, token, body, sent)


def post_raw(
    url: str, token: str | None, body: bytes, headers: dict[str, str] | None = None
) -> requests.Response:
    sent = {"Content-Type": "application/json", **(headers or {})}
    if token is not None:
        sent["Authorization"] = f"Bearer {token}"
    return requests.post(url, data=body, headers=sent, timeout=30)


def get(url: str, token: str | None, **kwargs: Any) -> requests.Response:
    headers = kwargs.pop("headers", {})
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return requests.get(url, headers=headers, timeout=30, **kwargs)


def assert_problem(reply: requests.Response, status: int, code: str | None = None) -> dict:
    """A refusal in the agreed shape: application/problem+json with a status and a code."""
    assert reply.status_code == status, reply.text
    assert reply.headers["content-type"].startswith("application/problem+json"), reply.headers
    problem = reply.json()
    assert problem["status"] == status
    assert problem["type"] == "about:blank"
    assert isinstance(problem["title"], str) and isinstance(problem["detail"], str)
    assert isinstance(problem["code"], str) and problem["code"]
    if code is not None:
        assert problem["code"] == code, problem
    return problem
