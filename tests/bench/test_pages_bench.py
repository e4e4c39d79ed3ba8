"""The centre's pages on the synthetic nation (issue 14, "Speed"), on PostgreSQL, through
`odsc-server serve` (its own process, one worker) over a copy of the cached nation
(tests/bench/nation.py; the copy because logging in writes sessions and the overdue list may
write the access log, and the cached nation must stay as loaded):

- server time of each page (overview, overdue list, counters) for the nation's year (p95 <= 500
  ms) and the busiest office's month (p95 <= 150 ms): a logged-in GET on loopback, gzip
  accepted, beside the bare baseline of the same page's data read in-process on the same
  database without HTTP, session or templates (overview.read; the overdue list's rows and
  total; counter_rows), and /healthz (HTTP's own floor: one SELECT 1);
- bytes on the wire in Chromium (CDP encodedDataLength, tests/web/test_page_weight.Wire): the
  overview's first load with an empty cache (<= 300 KB) and later pages with it warm (<= 60 KB);
- time to a readable overview through tests/sync/proxy.py's throttle at 256 kbit/s and 300 ms
  RTT (<= 3 s): from the navigation until the headline figures are shown with the Lao font
  loaded, with Chromium's first contentful paint beside it; the baseline is the same URLs
  (page, style sheet, fonts) fetched one after another by a plain HTTP client through the same
  proxy, so the ratio is what the browser adds to moving the bytes.

ODSC_NATION_REQUESTS sets the nation's size (as for test_centre_bench); ODSC_BENCH_PAGE_RUNS
(default 30) the timed requests per page; ODSC_BENCH_SLOW_RUNS (default 3) the slow-link loads.
"""

from __future__ import annotations

import os
import secrets
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import Any

import psycopg
import pytest
import requests
from sqlalchemy import Connection, Engine, text

from odsc_desk.shared.clock import local_date, system_clock
from sync.server import accounts
from sync.server.db import open_db, writing
from sync.server.figures.periods import Period, parse_period
from sync.server.web import lists, overview, pages
from sync.server.web.levels import Level, Registry
from tests.bench.nation import LoadedNation, Shape, ensure_nation, pg_url
from tests.bench.sync_rig import centre
from tests.bench.test_centre_bench import MONTH, YEAR, _busiest_office, p95_ms
from tests.bench.timing import NOTES, Figure, median_ms, report
from tests.sync import conftest as sync_fixtures
from tests.sync.conftest import PG_HOST, PG_PORT, PG_USER, ServerProcess, drop_pg_database
from tests.sync.proxy import FaultProxy, Throttle
from tests.web.conftest import chromium  # noqa: F401 - Debian's Chromium, a fixture
from tests.web.test_page_weight import (
    FIRST_LOAD_BUDGET,
    LATER_PAGE_BUDGET,
    Wire,
    described,
    logged_in_state,
    total,
)

RUNS = int(os.environ.get("ODSC_BENCH_PAGE_RUNS", "30"))
SLOW_RUNS = int(os.environ.get("ODSC_BENCH_SLOW_RUNS", "3"))
NATION_MS, OFFICE_MS = 500.0, 150.0
LINK = Throttle(256_000, 0.3)
READABLE_S = 3.0
LAST_MONTH = "2026-11"
STARTUP_S = 180.0
PASSWORD = "a long pass phrase 9"
SILENT = pages.SILENT_DEFAULT


def _say(line: str) -> None:
    print(f"[pages] {line}", file=sys.stderr, flush=True)


@dataclass
class Site:
    """The nation's copy served, and a nation-wide viewer logged in to it."""

    server: ServerProcess
    engine: Engine
    name: str
    web: requests.Session
    office: str

    @property
    def url(self) -> str:
        return self.server.url


@pytest.fixture(scope="module")
def loaded() -> LoadedNation:
    got = ensure_nation(Shape(), progress=_say)
    meta = got.meta
    NOTES.append(
        f"pages on the nation: {meta['requests']:,} requests, {meta['offices']} offices,"
        f" {meta['counters']} counters, {meta['first']}..{meta['last']} (database {got.database},"
        f" served {SERVED})"
    )
    return got


# ODSC_BENCH_IN_PLACE=1 serves the cached nation itself instead of a copy: for a nation the disk
# cannot hold twice (10M requests with their raw ops is about 80 GB; 28 GiB without them), and
# to save the copy's minutes. The benches then take their own writes back out (see `served`).
IN_PLACE = os.environ.get("ODSC_BENCH_IN_PLACE", "0") == "1"
SERVED = "in place" if IN_PLACE else "from a copy"


@contextmanager
def served(database: str, undo: Callable[[Connection], None]) -> Iterator[str]:
    """The database a bench serves the nation from: a fresh copy, dropped afterwards; or, with
    ODSC_BENCH_IN_PLACE=1, the nation itself, `undo` taking the bench's writes back out."""
    if not IN_PLACE:
        started = time.perf_counter()
        name = _copy(database)
        _say(f"copied the nation in {time.perf_counter() - started:.0f} s")
        try:
            yield name
        finally:
            drop_pg_database(name)
        return
    _say(f"serving the nation itself ({database}), not a copy")
    try:
        yield database
    finally:
        engine = open_db(pg_url(database))
        try:
            with writing(engine) as conn:
                undo(conn)
        finally:
            engine.dispose()


def _copy(database: str, tries: int = 30) -> str:
    """A copy of `database` (a file copy: a minute, not a reload); its name. PostgreSQL copies
    a database only while no one is connected to it: another bench reading the nation makes
    this wait, a few seconds at a time."""
    name = f"odsc_bench_pages_{secrets.token_hex(4)}"
    with psycopg.connect(
        host=PG_HOST, port=PG_PORT, user=PG_USER, dbname="postgres", autocommit=True
    ) as admin:
        for _ in range(tries - 1):
            try:
                admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{database}" STRATEGY FILE_COPY')
                return name
            except psycopg.errors.ObjectInUse:
                time.sleep(5)
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{database}" STRATEGY FILE_COPY')
    return name


@pytest.fixture(scope="module")
def site(loaded: LoadedNation, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    person = f"nation bench {secrets.token_hex(3)}"
    with (
        served(loaded.database, lambda conn: _forget(conn, person)) as name,
        pytest.MonkeyPatch.context() as patch,
        ExitStack() as stack,
    ):
        # The first connections to a fresh multi-gigabyte copy, on a busy machine, can take
        # longer than the 20 s the sync tests' servers are given to start.
        patch.setattr(sync_fixtures, "READY_TIMEOUT", STARTUP_S)
        server = stack.enter_context(centre(pg_url(name), tmp_path_factory.mktemp("pages")))
        patch.undo()
        with writing(server.engine) as conn:
            accounts.add_person(conn, person, "viewer", ["nation"], PASSWORD, system_clock())
            office = _busiest_office(conn)
        web = requests.Session()
        web.cookies.set("odsc_lang", "lo")
        form = web.get(server.url + "/login", timeout=30)
        token = form.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
        reply = web.post(
            server.url + "/login",
            data={"csrf": token, "name": person, "password": PASSWORD},
            allow_redirects=False,
            timeout=60,
        )
        assert reply.status_code == 303, reply.text
        yield Site(server, server.engine, person, web, office)


def _forget(conn: Connection, person: str) -> None:
    """Take the bench's viewer back out of the nation: its account, sessions and reads."""
    account = conn.execute(
        text("SELECT id FROM accounts WHERE name = :name"), {"name": person}
    ).scalar_one_or_none()
    for table in ("access_log", "web_sessions", "account_scopes"):
        conn.execute(text(f"DELETE FROM {table} WHERE account_id = :id"), {"id": account})
    conn.execute(text("DELETE FROM accounts WHERE id = :id"), {"id": account})


# -- (a) server time ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Scope:
    label: str
    level: Level
    period: Period
    target_ms: float


def _scope(site: Site, which: str) -> Scope:
    if which == "nation-year":
        return Scope(f"nation, {YEAR}", Level("nation"), parse_period(YEAR), NATION_MS)
    level = Level("office", site.office)
    return Scope(f"office {site.office}, {MONTH}", level, parse_period(MONTH), OFFICE_MS)


def _address(scope: Scope) -> str:
    return lists.address(scope.level)


def _overview_data(conn: Connection, scope: Scope) -> object:
    now = system_clock()
    registry = Registry.read(conn)
    return overview.read(conn, scope.level, registry, scope.period, now, local_date(now), SILENT)


def _overdue_data(conn: Connection, scope: Scope) -> object:
    # The page's own reads (lists._rows, lists._total), the nation viewer seeing no personal data.
    today = local_date(system_clock())
    rows = lists._rows(conn, scope.level, scope.period, today, None, None, lists.PAGE)
    return rows, lists._total(conn, scope.level, scope.period, today, None)


def _counters_data(conn: Connection, scope: Scope) -> object:
    # The counters page shows this month, whatever period the scope names.
    now = system_clock()
    month = pages.this_month(local_date(now))
    return lists.counter_rows(conn, scope.level, month, now, SILENT)


# page: (path and query of the scope's page, the same data read in-process)
PAGES: dict[str, tuple[Callable[[Scope], str], Callable[[Connection, Scope], object]]] = {
    "overview": (lambda s: f"{s.level.path}?period={s.period.label}", _overview_data),
    "overdue": (lambda s: f"/overdue?area={_address(s)}&period={s.period.label}", _overdue_data),
    "counters": (lambda s: f"/counters?area={_address(s)}", _counters_data),
}


def _timed(action: Callable[[], object], runs: int) -> list[float]:
    """`runs` timings after one warm-up call."""
    action()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    return samples


def _get(web: requests.Session, url: str) -> Callable[[], object]:
    def fetch() -> object:
        reply = web.get(url, timeout=60)
        assert reply.status_code == 200, (url, reply.status_code, reply.text[:300])
        return reply.content

    return fetch


@pytest.fixture(scope="module")
def healthz(site: Site) -> list[float]:
    samples = _timed(_get(requests.Session(), site.url + "/healthz"), RUNS)
    report(
        Figure(
            "pages: GET /healthz (HTTP's floor)",
            "reported",
            median_ms(samples),
            note=f"p95 {p95_ms(samples):.1f} ms",
        )
    )
    return samples


@pytest.mark.parametrize("which", ["nation-year", "office-month"])
@pytest.mark.parametrize("page", list(PAGES))
def test_server_time(site: Site, healthz: list[float], page: str, which: str) -> None:
    scope = _scope(site, which)
    path, data = PAGES[page]
    url = site.url + path(scope)
    ours = _timed(_get(site.web, url), RUNS)
    with site.engine.connect() as conn:
        bare = _timed(lambda: data(conn, scope), RUNS)
    p95 = p95_ms(ours)
    result = report(
        Figure(
            f"page {page}: {scope.label}",
            f"p95 <= {scope.target_ms:g} ms",
            median_ms(ours),
            ratio=statistics.median(ours) / statistics.median(bare),
            passed=p95 <= scope.target_ms,
            note=f"p95 {p95:.1f} ms; its data in-process: median {median_ms(bare):.1f} ms, p95"
            f" {p95_ms(bare):.1f} ms; HTTP floor {median_ms(healthz):.1f} ms ({RUNS} runs)",
        )
    )
    assert result.passed, result.note


# -- (b) bytes on the wire -----------------------------------------------------------------------
def _nation_year() -> str:
    return f"/area/nation?period={YEAR}"


def test_bytes_on_the_wire(site: Site, chromium: Any) -> None:  # noqa: F811 - the fixture
    state = logged_in_state(chromium, site.url, site.name, PASSWORD)
    context = chromium.new_context(storage_state=state, locale="lo-LA")
    try:
        wire = Wire(context.new_page())
        first = wire.load(site.url + _nation_year())
        assert wire.page.get_attribute("#level", "data-place") == "nation"
        later = {
            path: wire.load(site.url + path)
            for path in (
                f"/area/office/{site.office}?period={MONTH}",
                f"/overdue?area=nation&period={YEAR}",
                f"/counters?area=office/{site.office}",
                "/area/province/LA-VT",
            )
        }
    finally:
        context.close()
    heaviest = max(later, key=lambda path: total(later[path]))
    first_ok = total(first) <= FIRST_LOAD_BUDGET
    later_ok = total(later[heaviest]) <= LATER_PAGE_BUDGET
    report(
        Figure(
            f"overview's first load, empty cache ({_nation_year()})",
            f"<= {FIRST_LOAD_BUDGET:,} B",
            passed=first_ok,
            note=f"{total(first):,} B: {described(first)}",
        )
    )
    for path, got in later.items():
        report(
            Figure(
                f"a later page, cache warm ({path})",
                f"<= {LATER_PAGE_BUDGET:,} B",
                passed=total(got) <= LATER_PAGE_BUDGET,
                note=f"{total(got):,} B: {described(got)}",
            )
        )
    assert first_ok and later_ok, (described(first), described(later[heaviest]))


# -- (c) a slow link ---------------------------------------------------------------------------
# Every face of the Lao font in (polled: document.fonts.ready resolves at once while the style
# sheet that asks for them is still on its way).
_READABLE = (
    "() => { const lao = [...document.fonts].filter(f => f.family.includes('Noto Sans Lao'));"
    " return lao.length > 0 && lao.every(f => f.status === 'loaded'); }"
)
_FCP = "() => performance.getEntriesByName('first-contentful-paint')[0].startTime"


def _readable_overview(chromium: Any, state: Any, url: str) -> tuple[float, float]:  # noqa: F811
    """Seconds from the navigation to the headline figures shown in the Lao font (empty cache),
    and Chromium's first contentful paint (seconds)."""
    context = chromium.new_context(storage_state=state, locale="lo-LA")
    try:
        tab = context.new_page()
        started = time.perf_counter()
        tab.goto(url, wait_until="commit")
        tab.wait_for_selector('#main [data-figure="received"]', state="visible")
        tab.wait_for_function(_READABLE, polling=20)
        readable = time.perf_counter() - started
        return readable, float(tab.evaluate(_FCP)) / 1000
    finally:
        context.close()


def _plain_fetch(state: Any, base: str, path: str) -> tuple[float, int]:
    """The same URLs as the page's first load, one after another by requests: seconds, bytes."""
    web = requests.Session()
    for cookie in state["cookies"]:
        web.cookies.set(cookie["name"], cookie["value"])
    started = time.perf_counter()
    got = 0
    for url in (
        path,
        "/static/web.css",
        "/static/fonts/NotoSansLao-Regular.woff2",
        "/static/fonts/NotoSansLao-Bold.woff2",
    ):
        reply = web.get(base + url, timeout=60, stream=True)
        assert reply.status_code == 200, url
        got += len(reply.raw.read())  # the bytes as sent: compressed when the server gzipped
    return time.perf_counter() - started, got


# The nation's overview of a month (the period a person lands on; the history's last month,
# as the current one is empty) and of a year.
SLOW_PATHS = {"month": f"/area/nation?period={LAST_MONTH}", "year": _nation_year()}


@pytest.mark.parametrize("which", list(SLOW_PATHS))
def test_a_readable_overview_over_a_slow_link(
    site: Site,
    chromium: Any,  # noqa: F811
    which: str,
) -> None:
    state = logged_in_state(chromium, site.url, site.name, PASSWORD)
    path = SLOW_PATHS[which]
    served = statistics.median(_timed(_get(site.web, site.url + path), SLOW_RUNS))
    with FaultProxy(("127.0.0.1", site.server.port)) as proxy:
        proxy.set_mode(LINK)
        loads = [_readable_overview(chromium, state, proxy.url + path) for _ in range(SLOW_RUNS)]
        plain = [_plain_fetch(state, proxy.url, path) for _ in range(SLOW_RUNS)]
    readable = statistics.median(r for r, _ in loads)
    paint = statistics.median(p for _, p in loads)
    bare = statistics.median(s for s, _ in plain)
    result = report(
        Figure(
            f"readable overview over 256 kbit/s + 300 ms RTT ({path}, empty cache)",
            f"<= {READABLE_S:g} s",
            readable * 1000,
            ratio=readable / bare,
            passed=readable <= READABLE_S,
            note=f"first contentful paint {paint:.2f} s; the page's server time on loopback"
            f" {served:.2f} s; runs "
            + ", ".join(f"{r:.2f}" for r, _ in loads)
            + f" s; the same {plain[-1][1]:,} B fetched plainly through the proxy: {bare:.2f} s",
        )
    )
    assert result.passed, result.note
