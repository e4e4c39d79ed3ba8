"""The citizens' pages on the synthetic nation (issue 15, "Page weight and server time
measured"), on PostgreSQL, through `odsc-server serve` (its own process, one worker) over a copy
of the cached nation (tests/bench/nation.py):

- server time of each public lookup (p95 <= 50 ms for the receipt's check and the request's
  status): a GET (or the status form's POST) on loopback, gzip accepted, each time for another
  receipt or request of a sample spread over the offices, beside the same lookup called
  in-process (sync.server.verify / request_status, no HTTP or template) and the bare baseline:
  the same rows read by plain SQL on their indexes (no signature check, no Python around it);
  /healthz is HTTP's own floor.
- bytes on the wire in Chromium (tests/web/test_page_weight.Wire, CDP encodedDataLength) of each
  page opened with an empty cache, its style sheet and Lao font included (<= 50 KB), in Lao and
  in English; the open data's gzipped bytes beside them.

The loader gives the nation's devices no public key (a counter of the loader's era had none),
so the setup gives every device of the copy a real Ed25519 key (public key and key id as
enrollment binds them) and signs, with odsc_desk.domain.signing, receipt codes for a sample of
the nation's payments (odsc_desk.shared.receipt_code) and slip codes for a sample of its
requests (odsc_desk.shared.slip_code): the codes a counter would have printed. Every lookup
comes from its own X-Forwarded-For address, the loopback being named a trusted proxy
(ODSC_SERVER_TRUSTED_PROXIES), so the per-address limits (60 public requests a minute) count
each as a new citizen, as on a busy day they would be; the lookups all find what they look for,
so no wrong-try limit is touched.

ODSC_NATION_REQUESTS sets the nation's size (as for test_centre_bench); ODSC_BENCH_PUBLIC_RUNS
(default 300) the timed lookups per page, each on another receipt or request.
"""

from __future__ import annotations

import ipaddress
import os
import re
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date
from itertools import count
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import Connection, Engine, text

from odsc_desk.domain import signing
from odsc_desk.shared import receipt_code, slip_code
from odsc_desk.shared.clock import local_date, system_clock
from sync.server import online_feedback, public_catalog, request_status, verify
from sync.server.enrollment import TRUSTED_PROXIES_ENV
from tests.bench.nation import LoadedNation, Shape, ensure_nation, pg_url
from tests.bench.sync_rig import centre
from tests.bench.test_centre_bench import p95_ms
from tests.bench.test_pages_bench import SERVED, STARTUP_S, served
from tests.bench.timing import NOTES, Figure, median_ms, report
from tests.sync import conftest as sync_fixtures
from tests.sync.conftest import ServerProcess
from tests.web.conftest import SHOTS, chromium  # noqa: F401 - Debian's Chromium, a fixture
from tests.web.test_page_weight import Wire, described, total

RUNS = int(os.environ.get("ODSC_BENCH_PUBLIC_RUNS", "300"))
TARGET_MS = 50.0
PAGE_BUDGET = 50_000  # bytes on the wire, fonts included (issue 15, item 6)
PHONE = {"width": 360, "height": 740}
LOOPBACK = "127.0.0.1"


def _say(line: str) -> None:
    print(f"[public] {line}", file=sys.stderr, flush=True)


@dataclass(frozen=True)
class Receipt:
    code: str
    receipt: str
    amount: int
    office: str
    key_id: str


@dataclass(frozen=True)
class Tracked:
    code: str  # the slip's
    tracking: str
    digits: str  # the last four of the phone
    office: str
    counter: int
    key_id: str


@dataclass
class Site:
    """The nation's copy served, and the codes its counters would have printed."""

    server: ServerProcess
    engine: Engine
    receipts: list[Receipt]
    tracked: list[Tracked]
    offices: int

    @property
    def url(self) -> str:
        return self.server.url


@pytest.fixture(scope="module")
def loaded() -> LoadedNation:
    got = ensure_nation(Shape(), progress=_say)
    meta = got.meta
    NOTES.append(
        f"public pages on the nation: {meta['requests']:,} requests, {meta['offices']} offices,"
        f" {meta['counters']} counters (database {got.database}, served {SERVED})"
    )
    return got


def _key_every_device(conn: Connection) -> dict[str, tuple[str, str]]:
    """A fresh Ed25519 key for every device, bound as enrollment binds one (public key and its
    id): {device id: (private key, key id)}."""
    keys = {}
    for (device_id,) in conn.execute(text("SELECT device_id FROM devices")).all():
        private = signing.new_private_key()
        public = signing.public_key_of(private)
        kid = receipt_code.key_id(bytes.fromhex(public))
        conn.execute(
            text("UPDATE devices SET public_key = :public, key_id = :kid WHERE device_id = :id"),
            {"public": public, "kid": kid, "id": device_id},
        )
        keys[device_id] = (private, kid)
    return keys


def _unkey_every_device(conn: Connection) -> None:
    """The nation's devices as the loader left them: keyless (a counter of its era had none)."""
    conn.execute(text("UPDATE devices SET public_key = NULL, key_id = NULL"))


def _signed(private: str, payload: str) -> str:
    return slip_code.encode(payload, signing.sign_with(private, payload.encode("ascii")))


def _sample_receipts(conn: Connection, keys: dict[str, tuple[str, str]]) -> list[Receipt]:
    """RUNS payments spread over the offices (ordered by a hash of their id), each with the
    code its counter would have printed."""
    rows = conn.execute(
        text(
            "SELECT device_id, office, receipt, amount, at FROM payments ORDER BY md5(id) LIMIT :n"
        ),
        {"n": RUNS},
    ).all()
    sample = []
    for row in rows:
        private, kid = keys[row.device_id]
        payload = receipt_code.payload(row.receipt, row.amount, row.at, kid)
        sample.append(Receipt(_signed(private, payload), row.receipt, row.amount, row.office, kid))
    return sample


def _sample_requests(conn: Connection, keys: dict[str, tuple[str, str]]) -> list[Tracked]:
    """RUNS requests with a phone spread over the offices, each with its slip's code."""
    rows = conn.execute(
        text(
            "SELECT device_id, office, counter, tracking, phone FROM requests"
            " WHERE phone IS NOT NULL ORDER BY md5(id) LIMIT :n"
        ),
        {"n": RUNS},
    ).all()
    sample = []
    for row in rows:
        private, kid = keys[row.device_id]
        code = _signed(private, slip_code.payload(row.tracking, kid))
        digits = re.sub(r"[^0-9]", "", row.phone)[-4:]
        sample.append(Tracked(code, row.tracking, digits, row.office, row.counter, kid))
    return sample


@pytest.fixture(scope="module")
def site(loaded: LoadedNation, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with (
        served(loaded.database, _unkey_every_device) as name,
        pytest.MonkeyPatch.context() as patch,
        ExitStack() as stack,
    ):
        patch.setattr(sync_fixtures, "READY_TIMEOUT", STARTUP_S)
        patch.setenv(TRUSTED_PROXIES_ENV, LOOPBACK)  # the server process inherits it
        server = stack.enter_context(centre(pg_url(name), tmp_path_factory.mktemp("public")))
        with server.engine.begin() as conn:
            keys = _key_every_device(conn)
            receipts = _sample_receipts(conn, keys)
            tracked = _sample_requests(conn, keys)
            offices = conn.execute(text("SELECT COUNT(*) FROM offices")).scalar_one()
        spread_r = len({r.office for r in receipts})
        spread_t = len({t.office for t in tracked})
        NOTES.append(
            f"public bench: {len(keys)} devices given Ed25519 keys; {len(receipts)} receipt"
            f" codes signed over {spread_r} offices, {len(tracked)} slip codes (requests"
            f" with a phone) over {spread_t} offices"
        )
        assert len(receipts) == len(tracked) == RUNS, "the nation is too small for RUNS"
        yield Site(server, server.engine, receipts, tracked, offices)


# -- (a) server time ---------------------------------------------------------------------------
_addresses = count(1)


def _citizen() -> dict[str, str]:
    """A new citizen's address for each lookup (10.0.0.0/8): no per-address limit is reached."""
    return {"X-Forwarded-For": str(ipaddress.IPv4Address("10.0.0.0") + next(_addresses))}


def _today() -> date:
    return local_date(system_clock())


def _http(site: Site, page: str, i: int, web: requests.Session) -> None:
    """One lookup of the i-th receipt or request of the sample, as a citizen's phone asks."""
    receipt, tracked = site.receipts[i], site.tracked[i]
    if page == "v":
        reply = web.get(f"{site.url}/v/{receipt.code}", headers=_citizen(), timeout=60)
        marker = 'id="standing"'
    elif page == "verify":
        query = {"receipt": receipt.receipt, "amount": str(receipt.amount)}
        reply = web.get(site.url + "/verify", params=query, headers=_citizen(), timeout=60)
        marker = 'id="standing"'
    elif page == "s":
        reply = web.get(f"{site.url}/s/{tracked.code}", headers=_citizen(), timeout=60)
        marker = tracked.tracking
    elif page == "status":
        form = {"tracking": tracked.tracking, "digits": tracked.digits}
        reply = web.post(site.url + "/status", data=form, headers=_citizen(), timeout=60)
        marker = tracked.tracking
    elif page == "fees":
        reply = web.get(site.url + "/fees", headers=_citizen(), timeout=60)
        marker = "fees"
    else:
        reply = web.get(site.url + "/open/catalog.json", headers=_citizen(), timeout=60)
        marker = '"services"'
    assert reply.status_code == 200, (page, i, reply.status_code, reply.text[:400])
    assert marker in reply.text, (page, i, reply.text[:400])


def _in_process(conn: Connection, page: str, receipt: Receipt, tracked: Tracked) -> object:
    """The same lookup by the code the page calls, without HTTP or template."""
    found: object
    if page == "v":
        found = verify.check_code(conn, receipt.code)
    elif page == "verify":
        found = verify.check_typed(conn, receipt.receipt, receipt.amount)
    elif page == "s":
        slip = request_status.by_slip(conn, tracked.code, _today())
        assert slip.status is not None, tracked
        online_feedback.rated(conn, slip.status.request_id)  # the page asks it too
        found = slip.status
    elif page == "status":
        found = request_status.by_phone(conn, tracked.tracking, tracked.digits, _today())
    else:
        found = public_catalog.in_effect(conn, _today())
    assert found is not None, (page, receipt, tracked)
    return found


# The bare baseline: each page's rows by plain SQL on their indexes.
_PAYMENT_AFTER = (
    "SELECT at FROM voids WHERE payment_id = :p ORDER BY at LIMIT 1",
    "SELECT amount, at FROM refunds WHERE payment_id = :p ORDER BY at",
    "SELECT name_lo, name_en FROM offices WHERE code = :o",
)
_REQUEST_AFTER = (
    "SELECT sha256, catalog FROM catalogs WHERE version = :v",
    "SELECT name_lo, name_en FROM offices WHERE code = :o",
    "SELECT at FROM status_events WHERE request_id = :r ORDER BY seq DESC LIMIT 1",
)


def _bare(conn: Connection, page: str, receipt: Receipt, tracked: Tracked) -> object:
    run = conn.execute
    if page == "v":
        run(text("SELECT office, counter, public_key FROM devices WHERE key_id = :k"),
            {"k": receipt.key_id}).all()  # fmt: skip
        found = run(
            text("SELECT id FROM payments WHERE receipt = :r AND office = :o"),
            {"r": receipt.receipt, "o": receipt.office},
        ).scalar_one()
        for query in _PAYMENT_AFTER:
            run(text(query), {"p": found, "o": receipt.office}).all()
    elif page == "verify":
        found = run(
            text("SELECT id FROM payments WHERE receipt = :r AND amount = :a"),
            {"r": receipt.receipt, "a": receipt.amount},
        ).scalar_one()
        for query in _PAYMENT_AFTER:
            run(text(query), {"p": found, "o": receipt.office}).all()
    elif page in ("s", "status"):
        if page == "s":
            run(text("SELECT device_id, public_key FROM devices WHERE key_id = :k"),
                {"k": tracked.key_id}).all()  # fmt: skip
        row = run(
            text("SELECT id, catalog_version FROM requests WHERE tracking = :t"),
            {"t": tracked.tracking},
        ).first()
        assert row is not None
        for query in _REQUEST_AFTER:
            args = {"v": row.catalog_version, "o": tracked.office, "r": row.id}
            run(text(query), args).all()
        if page == "s":
            run(text("SELECT 1 FROM online_feedback WHERE request_id = :r"), {"r": row.id}).all()
            run(text("SELECT 1 FROM feedback WHERE request_id = :r LIMIT 1"), {"r": row.id}).all()
        found = row.id
    else:
        found = run(
            text("SELECT sha256, catalog FROM catalogs ORDER BY version DESC LIMIT 1")
        ).first()
    return found


def _nth(site: Site, i: int) -> tuple[Receipt, Tracked]:
    return site.receipts[i], site.tracked[i]


def _timed(action: Callable[[int], object], runs: int) -> list[float]:
    """`runs` timings, the i-th on the sample's i-th receipt or request, after a warm-up on the
    last one (its own lookup: nothing the timed ones read is warmed for them)."""
    action(runs - 1)
    samples = []
    for i in range(runs - 1):
        started = time.perf_counter()
        action(i)
        samples.append(time.perf_counter() - started)
    return samples


@pytest.fixture(scope="module")
def healthz(site: Site) -> list[float]:
    web = requests.Session()

    def fetch(_: int) -> None:
        assert web.get(site.url + "/healthz", timeout=60).status_code == 200

    samples = _timed(fetch, RUNS)
    report(
        Figure(
            "public: GET /healthz (HTTP's floor)",
            "reported",
            median_ms(samples),
            note=f"p95 {p95_ms(samples):.1f} ms",
        )
    )
    return samples


# page: (what the table calls it, whether the 50 ms target applies)
PAGES = {
    "v": ("GET /v/<receipt code> (the receipt's QR)", True),
    "verify": ("GET /verify?receipt=&amount= (typed)", True),
    "s": ("GET /s/<slip code> (the slip's QR)", True),
    "status": ("POST /status (tracking + 4 digits)", True),
    "fees": ("GET /fees (the catalog)", False),
    "open": ("GET /open/catalog.json", False),
}


@pytest.mark.parametrize("page", list(PAGES))
def test_server_time(site: Site, healthz: list[float], page: str) -> None:
    label, targeted = PAGES[page]
    web = requests.Session()
    ours = _timed(lambda i: _http(site, page, i, web), RUNS)
    with site.engine.connect() as conn:
        lookup = _timed(lambda i: _in_process(conn, page, *_nth(site, i)), RUNS)
        bare = _timed(lambda i: _bare(conn, page, *_nth(site, i)), RUNS)
    p95 = p95_ms(ours)
    passed = p95 <= TARGET_MS if targeted else None
    result = report(
        Figure(
            f"public {label}",
            f"p95 <= {TARGET_MS:g} ms" if targeted else "reported",
            median_ms(ours),
            ratio=statistics.median(ours) / statistics.median(bare),
            passed=passed,
            note=f"p95 {p95:.1f} ms; the lookup in-process: median {median_ms(lookup):.2f} ms,"
            f" p95 {p95_ms(lookup):.2f} ms; bare SQL: median {median_ms(bare):.2f} ms, p95"
            f" {p95_ms(bare):.2f} ms; HTTP floor {median_ms(healthz):.1f} ms"
            f" ({len(ours)} lookups over {site.offices} offices)",
        )
    )
    _say(f"{label}: {result.note}")
    assert passed is not False, result.note


# -- (b) bytes on the wire -----------------------------------------------------------------------
def _cold(chromium: Any, url: str, shot: Path) -> dict[str, int]:  # noqa: F811
    """Bytes received opening `url` in a new context (an empty cache) at a phone's size; the
    page as shown goes to `shot`, to be looked at."""
    context = chromium.new_context(viewport=PHONE, locale="lo-LA")
    try:
        wire = Wire(context.new_page())
        received = wire.load(url)
        wire.page.screenshot(path=str(shot), full_page=True)
        return received
    finally:
        context.close()


def _status_result(chromium: Any, base: str, tracked: Tracked, lang: str) -> dict[str, int]:  # noqa: F811
    """The status form's answer: the form opened with an empty cache, typed in and sent; the
    bytes of the form's style sheet and fonts (the answer finds them cached) and of the answer."""
    context = chromium.new_context(viewport=PHONE, locale="lo-LA")
    try:
        wire = Wire(context.new_page())
        first = wire.load(base + "/status" + ("?lang=en" if lang == "en" else ""))
        static = {url: n for url, n in first.items() if "/static/" in url}
        wire.urls.clear()
        wire.received.clear()
        wire.page.fill("#tracking", tracked.tracking)
        wire.page.fill("#digits", tracked.digits)
        with wire.page.expect_navigation():
            wire.page.click("#status-look")
        wire.page.wait_for_load_state("networkidle")
        assert tracked.tracking in wire.page.inner_text("main")
        # The style sheet and fonts come from the cache now (0 B): the cold form's bytes count.
        answer = {wire.urls.get(k, k): n for k, n in wire.received.items() if n}
        assert all("/static/" not in url for url in answer), answer
        return {**static, **answer}
    finally:
        context.close()


def test_bytes_on_the_wire(site: Site, chromium: Any) -> None:  # noqa: F811
    receipt, tracked = site.receipts[0], site.tracked[0]
    SHOTS.mkdir(parents=True, exist_ok=True)
    pages = {
        f"/v/{receipt.code}": "/v/<code>",
        f"/verify?receipt={receipt.receipt}&amount={receipt.amount}": "/verify typed",
        "/verify": "/verify (the form)",
        f"/s/{tracked.code}": "/s/<code>",
        "/status": "/status (the form)",
        "/fees": "/fees",
    }
    weighed: dict[str, dict[str, int]] = {}
    for lang in ("lo", "en"):
        for path, label in pages.items():
            sep = "&" if "?" in path else "?"
            url = site.url + path + (f"{sep}lang=en" if lang == "en" else "")
            shot = SHOTS / f"public-bench-{re.sub(r'[^a-z]+', '-', label).strip('-')}-{lang}.png"
            weighed[f"{label}, {lang}"] = _cold(chromium, url, shot)
        weighed[f"POST /status answer, {lang}"] = _status_result(chromium, site.url, tracked, lang)
    over = []
    for label, got in weighed.items():
        assert any("NotoSansLao" in url for url in got), (label, got)  # the font came too
        ok = total(got) <= PAGE_BUDGET
        over += [] if ok else [label]
        report(
            Figure(
                f"public page on the wire, empty cache: {label}",
                f"<= {PAGE_BUDGET:,} B",
                passed=ok,
                note=f"{total(got):,} B: {described(got)}",
            )
        )
    data = requests.get(site.url + "/open/catalog.json", headers=_citizen(), stream=True)
    wire_bytes = len(data.raw.read())  # as sent: gzipped
    report(
        Figure(
            "open data on the wire: /open/catalog.json (gzip)",
            "reported",
            note=f"{wire_bytes:,} B ({data.headers.get('Content-Encoding', 'identity')})",
        )
    )
    assert not over, [(label, described(weighed[label])) for label in over]
