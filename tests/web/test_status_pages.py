"""A request's status for the citizen (issue 15, items 3 and 4), end to end: a real counter takes
a request with a phone and prints its slip (a real PDF, the QR read back with zxing-cpp), syncs
to a real centre on loopback (SQLite and PostgreSQL), and the slip's QR opens the request's
status; the tracking number with the phone's last four digits does too, posted. Wrong digits,
unknown numbers and forged, altered or replayed slip codes show nothing and change nothing;
guessers are stopped per address and per tracking number (10,000 guesses find nothing); the
rating given online counts once in the office's satisfaction figure, marked online.

Client addresses come through X-Forwarded-For from a trusted proxy (127.0.0.1), as behind nginx.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import select

from odsc_desk.domain import feedback, service_requests, signing
from odsc_desk.shared.clock import local_date, stamp
from sync import client
from sync.server.db import online_feedback
from sync.server.enrollment import TRUSTED_PROXIES_ENV
from sync.server.figures.area import Area
from sync.server.figures.periods import month
from sync.server.figures.satisfaction import satisfaction
from sync.server.web.site import CSP
from sync.server.web.status_pages import ADDRESS_TRIES, TRACKING_TRIES
from tests.conftest import Counter, FakeClock, make_counter
from tests.receipts.conftest import qr_codes
from tests.sync.conftest import (
    BACKENDS,
    LiveServer,
    centre_database,
    count_rows,
    running_server,
)
from tests.web.conftest import SHOTS

LAO_NAME = "ນາງ ສົມໃຈ ພົມມະຈັນ"
PHONE = "020 5555 7351"
ID_NUMBER = "LA7654321"
SERVICE_LO = "ການຈົດທະບຽນວິສາຫະກິດ"


@dataclass
class Scene:
    server: LiveServer
    counter: Counter
    tracking: str  # taken with PHONE, one document missing
    code: str  # its slip's QR, read from the PDF
    bare: str  # taken without a phone
    bare_code: str

    def get(self, path: str, address: str = "198.51.100.1") -> requests.Response:
        return requests.get(
            self.server.url + path, headers={"X-Forwarded-For": address}, timeout=10
        )

    def post(
        self, path: str, data: dict[str, str], address: str = "198.51.100.1"
    ) -> requests.Response:
        return requests.post(
            self.server.url + path, data=data, headers={"X-Forwarded-For": address}, timeout=10
        )

    def sync(self) -> None:
        assert client.sync_once(self.counter.store).ok


def _slip_code(c: Counter, tracking: str, out: Path) -> str:
    from receipts import slips

    slips.write_slip(c.store, c.clerk, tracking, out, "80mm")
    (code,) = qr_codes(out)
    return code


@pytest.fixture(params=BACKENDS)
def centre_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with centre_database(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def scene(
    centre_url: str, tmp_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Scene]:
    from odsc_desk.shared.catalog_file import demo_catalog_path

    monkeypatch.setenv(TRUSTED_PROXIES_ENV, "127.0.0.1")
    c = make_counter(tmp_path / "counter", clock)
    with running_server(centre_url) as server:
        server.publish_catalog(demo_catalog_path())
        client.enroll_counter(c.store, c.admin, server.url, server.enroll_code("VTE-SST", 1))
        taken = service_requests.record_request(
            c.store, c.clerk, service_code="MOIC-ENT-REG", citizen_name=LAO_NAME,
            phone=PHONE, id_number=ID_NUMBER, documents=["APPLICATION", "ID-COPY"],
        )  # fmt: skip
        bare = service_requests.record_request(
            c.store, c.clerk, service_code="MOHA-BIRTH", citizen_name="Noy"
        )
        made = Scene(
            server,
            c,
            taken["tracking"],
            _slip_code(c, taken["tracking"], tmp_path / "slip.pdf"),
            bare["tracking"],
            _slip_code(c, bare["tracking"], tmp_path / "bare.pdf"),
        )
        made.sync()
        yield made
    c.store.close()


def _private(text: str) -> None:
    """Nothing personal on a public page."""
    for secret in (LAO_NAME, "Noy", PHONE, "02055557351", "55557351", ID_NUMBER):
        assert secret not in text, secret


def _figure(scene: Scene) -> dict[str, Any]:
    today = local_date(scene.server.clock())
    with scene.server.engine.connect() as conn:
        found = satisfaction(conn, Area("office", "VTE-SST"), month(today.year, today.month))
    return dict(found["totals"])


def test_the_slips_qr_opens_the_status_and_takes_one_rating(scene: Scene) -> None:
    page = scene.get(f"/s/{scene.code}")
    assert page.status_code == 200, page.text
    assert page.headers["Content-Security-Policy"] == CSP
    assert "set-cookie" not in page.headers
    assert page.headers["Cache-Control"] == "no-store"
    assert SERVICE_LO in page.text and scene.tracking in page.text
    assert "ໄດ້ຮັບຄຳຮ້ອງແລ້ວ" in page.text  # received
    assert 'id="rating-5"' in page.text
    _private(page.text)
    english = scene.get(f"/s/{scene.code}?lang=en")
    assert "Enterprise registration" in english.text and "Received" in english.text

    # Sent back for a missing document: the page says what to bring.
    service_requests.change_status(
        scene.counter.store, scene.counter.clerk, scene.tracking, "incomplete", "ຂາດເອກະສານ"
    )
    scene.sync()
    english = scene.get(f"/s/{scene.code}?lang=en")
    assert "Documents missing" in english.text
    missing = re.search(r'<ul id="request-missing">(.*?)</ul>', english.text, re.S)
    assert missing is not None and "Enterprise charter" in missing[1]
    assert "Application form" not in missing[1]

    # Late: past its promised day and still open.
    scene.server.clock.advance(days=30)
    late = scene.get(f"/s/{scene.code}?lang=en")
    assert "past its promised date" in late.text

    before = _figure(scene)
    given = scene.post(f"/s/{scene.code}?lang=en", {"rating": "4", "comment": "ບໍລິການດີ ຂອບໃຈ"})
    assert given.status_code == 200, given.text
    assert "Thank you for your rating" in given.text and 'id="rating-5"' not in given.text
    after = _figure(scene)
    assert after["feedback"] == before["feedback"] + 1
    assert after["feedback_online"] == before["feedback_online"] + 1 == 1
    assert after["rating_4"] == before["rating_4"] + 1
    with scene.server.engine.connect() as conn:
        stored = conn.execute(select(online_feedback)).one()
    assert (stored.rating, stored.comment, stored.office) == (4, "ບໍລິການດີ ຂອບໃຈ", "VTE-SST")

    # Once per request: a replayed code says so, and nothing changes.
    rows = count_rows(scene.server.engine)
    again = scene.post(f"/s/{scene.code}?lang=en", {"rating": "1"})
    assert again.status_code == 409
    assert "already rated" in again.text and "ໃຫ້ຄະແນນແລ້ວ" in again.text
    assert count_rows(scene.server.engine) == rows

    # The counter, not yet synced, took a rating too: kept, but the request counts once.
    feedback.record_feedback(scene.counter.store, scene.counter.clerk, scene.tracking, 2)
    scene.sync()
    assert count_rows(scene.server.engine)["feedback"] == rows["feedback"] + 1
    assert _figure(scene) == after


def test_a_request_rated_at_the_counter_cannot_be_rated_online(scene: Scene) -> None:
    feedback.record_feedback(scene.counter.store, scene.counter.clerk, scene.bare, 5)
    scene.sync()
    page = scene.get(f"/s/{scene.bare_code}")
    assert 'id="rating-5"' not in page.text
    assert 'id="fb-rated"' in page.text and "ໃຫ້ຄະແນນແລ້ວ" in page.text  # said, not left blank
    refused = scene.post(f"/s/{scene.bare_code}", {"rating": "3"})
    assert refused.status_code == 409
    assert _figure(scene)["feedback_online"] == 0


def test_bad_ratings_and_comments_are_refused_in_both_languages(scene: Scene) -> None:
    rows = count_rows(scene.server.engine)
    for data, english in (
        ({"rating": "6"}, "Choose a rating from 1 to 5"),
        ({"rating": ""}, "Choose a rating from 1 to 5"),
        ({}, "Choose a rating from 1 to 5"),
        ({"rating": "3", "comment": "ກ" * 501}, "longer than 500 characters"),
        ({"rating": "3", "comment": "bad\u0000byte"}, "characters that cannot be kept"),
    ):
        refused = scene.post(f"/s/{scene.code}", data)
        assert refused.status_code == 400, data
        assert english in refused.text and 'lang="lo"' in refused.text
    too_big = scene.post(f"/s/{scene.code}", {"rating": "3", "comment": "x" * 20_000})
    assert too_big.status_code == 413
    assert count_rows(scene.server.engine) == rows


def test_the_tracking_number_and_the_phones_digits_open_the_status(scene: Scene) -> None:
    form = scene.get("/status")
    assert form.status_code == 200 and 'name="digits"' in form.text
    found = scene.post("/status", {"tracking": scene.tracking.lower(), "digits": "7351"})
    assert found.status_code == 200, found.text
    assert SERVICE_LO in found.text and 'id="rating-5"' not in found.text  # no rating by phone
    _private(found.text)


def test_wrong_digits_and_unknown_numbers_get_one_answer(scene: Scene) -> None:
    rows = count_rows(scene.server.engine)
    unknown = scene.tracking[:-4] + "0999"
    answers = {}
    for name, tracking, digits, address in (
        ("wrong digits", scene.tracking, "7350", "198.51.100.2"),
        ("no such request", unknown, "7350", "198.51.100.3"),
        ("no phone", scene.bare, "7350", "198.51.100.4"),
    ):
        reply = scene.post("/status", {"tracking": tracking, "digits": digits}, address)
        assert reply.status_code == 404, name
        assert (
            "No request matches"
            in scene.post("/status?lang=en", {"tracking": tracking, "digits": digits}, address).text
        )
        answers[name] = reply.text.replace(tracking, "TRACKING")
    assert len(set(answers.values())) == 1
    assert count_rows(scene.server.engine) == rows
    for data, status in (
        ({"tracking": "ab", "digits": "7351"}, 400),
        ({"tracking": scene.tracking, "digits": "735"}, 400),
        ({"tracking": scene.tracking, "digits": "73a1"}, 400),
        ({"tracking": "<script>", "digits": "7351"}, 400),
    ):
        refused = scene.post("/status", data, "198.51.100.5")
        assert refused.status_code == status
        assert "<script>" not in refused.text


def test_wrong_tries_are_limited_per_address_and_per_tracking_number(scene: Scene) -> None:
    unknown = scene.tracking[:-4] + "0999"
    for n in range(ADDRESS_TRIES):
        tracking = scene.tracking[:-4] + f"{900 + n:04d}"
        assert scene.post("/status", {"tracking": tracking, "digits": "1111"}).status_code == 404
    slowed = scene.post("/status?lang=en", {"tracking": scene.tracking, "digits": "7351"})
    assert slowed.status_code == 429
    assert "Too many tries" in slowed.text and "ລອງຫຼາຍເທື່ອເກີນໄປ" in slowed.text
    assert int(slowed.headers["Retry-After"]) > 0
    # Another address is not slowed...
    other = "198.51.100.77"
    assert scene.post("/status", {"tracking": unknown, "digits": "7351"}, other).status_code == 404
    # ...but one number guessed from many addresses is, right digits or not.
    for n in range(TRACKING_TRIES):
        reply = scene.post("/status", {"tracking": scene.tracking, "digits": "0000"}, f"10.0.0.{n}")
        assert reply.status_code == 404
    blocked = scene.post("/status", {"tracking": scene.tracking, "digits": "7351"}, "10.0.1.1")
    assert blocked.status_code == 429
    # The slip's QR still opens it; an hour later the digits do again.
    assert scene.get(f"/s/{scene.code}", "10.0.1.1").status_code == 200
    scene.server.clock.advance(hours=1, seconds=1)
    found = scene.post("/status", {"tracking": scene.tracking, "digits": "7351"}, "10.0.1.1")
    assert found.status_code == 200


def test_forged_altered_and_foreign_slip_codes_show_nothing(
    scene: Scene, tmp_path: Path, clock: FakeClock
) -> None:
    rows = count_rows(scene.server.engine)
    signature = scene.code.rsplit(":", 1)[1]
    key = scene.code.split(":")[2]
    # Another counter of the same office, not enrolled: its key is unknown here.
    stranger = make_counter(tmp_path / "stranger", clock, "VTE-SST", 2)
    stranger_code = signing.make_slip_code(stranger.store, stranger.clerk.id, scene.tracking)
    # The enrolled counter's own key signing another counter's number (a tampered counter).
    foreign = signing.make_slip_code(
        scene.counter.store, scene.counter.clerk.id, "VTE-SST-2-261126-0001"
    )
    stranger.store.close()
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    # The last character holds 2 of the signature's bits and 3 spare ones: flip a spare one.
    spare = alphabet[alphabet.index(signature[-1]) ^ 1]
    changed = "A" * 20 if signature[-20:] != "A" * 20 else "B" * 20
    receipt = f"ODSC1:VTE-SST-1-2026-000001:150000:202611260900:{key}:{signature}"
    for name, code in (
        ("other request, same signature", f"ODSS1:{scene.bare}:{key}:{signature}"),
        ("changed signature", scene.code[:-20] + changed),
        ("spare bits", scene.code[:-1] + spare),
        ("unknown key", stranger_code),
        ("another counter's number", foreign),
        ("receipt code", receipt),
        ("junk", "hello"),
    ):
        reply = scene.get(f"/s/{code}?lang=en", "198.51.100.20")
        assert reply.status_code == 404, name
        assert "not a genuine slip code" in reply.text and "ບໍ່ແມ່ນລະຫັດໃບນັດ" in reply.text
        assert SERVICE_LO not in reply.text
        rated = scene.post(f"/s/{code}", {"rating": "5"}, "198.51.100.21")
        assert rated.status_code == 404, name
    assert count_rows(scene.server.engine) == rows
    # Not-genuine codes are limited per address too (14 were tried from two addresses).
    for _ in range(ADDRESS_TRIES - 7):
        scene.get("/s/ODSS1:X:000000000000:" + "A" * 103, "198.51.100.20")
    assert scene.get(f"/s/{scene.code}", "198.51.100.20").status_code == 429
    assert scene.get(f"/s/{scene.code}", "198.51.100.22").status_code == 200


def test_a_genuine_slip_not_yet_reported_says_so(scene: Scene, tmp_path: Path) -> None:
    later = service_requests.record_request(
        scene.counter.store, scene.counter.clerk, service_code="MOHA-BIRTH", citizen_name="Kham"
    )
    code = _slip_code(scene.counter, later["tracking"], tmp_path / "later.pdf")
    reply = scene.get(f"/s/{code}?lang=en")
    assert reply.status_code == 200
    assert "has not yet reported" in reply.text and later["tracking"] in reply.text
    assert scene.post(f"/s/{code}", {"rating": "5"}).status_code == 404
    scene.sync()
    assert (
        "ການແຈ້ງເກີດ" in scene.get(f"/s/{code}").text
        or later["tracking"] in scene.get(f"/s/{code}").text
    )


@pytest.mark.parametrize("centre_url", ["sqlite"], indirect=True)
def test_ten_thousand_guesses_find_nothing(scene: Scene) -> None:
    """Every ending of the real number's phone, each from its own address (a botnet): the
    number's limit stops them long before the right one, and no answer shows a request."""
    rows = count_rows(scene.server.engine)
    endings = [f"{n:04d}" for n in range(10_000)]
    random.Random(15).shuffle(endings)
    assert endings.index("7351") >= TRACKING_TRIES  # else this order would be lucky
    web = requests.Session()
    statuses: dict[int, int] = {}
    for n, digits in enumerate(endings):
        reply = web.post(
            scene.server.url + "/status",
            data={"tracking": scene.tracking, "digits": digits},
            headers={"X-Forwarded-For": f"10.{n // 65536}.{n // 256 % 256}.{n % 256}"},
            timeout=10,
        )
        statuses[reply.status_code] = statuses.get(reply.status_code, 0) + 1
        assert reply.status_code in (404, 429), digits
        assert 'id="request"' not in reply.text and SERVICE_LO not in reply.text
    assert statuses == {404: TRACKING_TRIES, 429: 10_000 - TRACKING_TRIES}
    assert count_rows(scene.server.engine) == rows


@pytest.mark.parametrize("centre_url", ["sqlite"], indirect=True)
def test_in_chromium_at_a_phones_size(scene: Scene, chromium: Any) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = chromium.new_context(
        viewport={"width": 360, "height": 740}, locale="lo-LA", java_script_enabled=False
    )
    tab = context.new_page()
    try:
        service_requests.change_status(
            scene.counter.store, scene.counter.clerk, scene.tracking, "incomplete", "ຂາດ"
        )
        scene.sync()
        tab.goto(scene.server.url + f"/s/{scene.code}")
        assert tab.get_attribute("html", "lang") == "lo"
        assert SERVICE_LO in tab.inner_text("#request")
        tab.screenshot(path=str(SHOTS / "status-slip-lo.png"), full_page=True)
        tab.click("#other-lang")
        assert tab.get_attribute("html", "lang") == "en"
        tab.screenshot(path=str(SHOTS / "status-slip-en.png"), full_page=True)
        # Tap targets: every link, button and rating at least 44 px high.
        for selector in ("button", ".stars label", ".public-nav a"):
            for box in (
                tab.locator(selector).nth(i).bounding_box()
                for i in range(tab.locator(selector).count())
            ):
                assert box is not None and box["height"] >= 44, selector
        tab.check("#rating-5")
        tab.fill("#comment", "Quick and kind")
        tab.click("#fb-send")
        assert "Thank you for your rating" in tab.inner_text("#fb-notice")
        tab.screenshot(path=str(SHOTS / "status-rated-en.png"), full_page=True)
        # The typed lookup, scripts off.
        tab.goto(scene.server.url + "/status")
        tab.fill("#tracking", scene.tracking)
        tab.fill("#digits", "7351")
        tab.screenshot(path=str(SHOTS / "status-form-lo.png"), full_page=True)
        tab.click("#status-look")
        assert "ຂາດເອກະສານ" in tab.inner_text("#request-status")
        tab.screenshot(path=str(SHOTS / "status-found-lo.png"), full_page=True)
        tab.goto(scene.server.url + "/status?lang=en")
        tab.fill("#tracking", scene.tracking)
        tab.fill("#digits", "0000")
        tab.click("#status-look")
        assert "No request matches" in tab.inner_text("#status-error")
        tab.screenshot(path=str(SHOTS / "status-wrong-en.png"), full_page=True)
    finally:
        context.close()


PAGE_BUDGET = 50_000  # bytes on the wire, fonts included (issue 15, item 6)


@pytest.mark.parametrize("centre_url", ["sqlite"], indirect=True)
def test_each_page_weighs_at_most_50_kb_with_its_fonts(scene: Scene, chromium: Any) -> None:
    from tests.web.test_page_weight import Wire

    for path in ("/status", f"/s/{scene.code}", f"/s/{scene.code}?lang=en"):
        context = chromium.new_context(viewport={"width": 360, "height": 740})
        try:
            received = Wire(context.new_page()).load(scene.server.url + path)
        finally:
            context.close()
        assert any("NotoSansLao" in url for url in received), received  # the font came too
        assert sum(received.values()) <= PAGE_BUDGET, (path, received)


@pytest.mark.parametrize("centre_url", ["sqlite"], indirect=True)
def test_axe_finds_no_serious_violation(scene: Scene, chromium: Any) -> None:
    from tests.web.test_accessibility import AXE, AXE_PATH, BLOCKING, violations

    context = chromium.new_context(viewport={"width": 360, "height": 740}, locale="lo-LA")
    source = AXE.read_text(encoding="utf-8")
    context.route(
        scene.server.url + AXE_PATH,
        lambda route: route.fulfill(body=source, content_type="text/javascript"),
    )
    tab = context.new_page()
    try:
        for path in ("/status", f"/s/{scene.code}", "/s/not-a-code"):
            for lang in ("lo", "en"):
                tab.goto(f"{scene.server.url}{path}?lang={lang}")
                found = violations(tab, scene.server.url)
                blocking = [v["id"] for v in found if v["impact"] in BLOCKING]
                assert blocking == [], (path, lang, blocking)
    finally:
        context.close()


@pytest.mark.parametrize("centre_url", ["sqlite"], indirect=True)
def test_a_revoked_counters_slips_open_only_what_it_took_before(
    scene: Scene, tmp_path: Path
) -> None:
    from sqlalchemy import update

    from sync.server.db import devices, writing

    scene.server.clock.advance(hours=1)
    with writing(scene.server.engine) as conn:
        conn.execute(update(devices).values(revoked_at=stamp(scene.server.clock())))
    scene.counter.clock.advance(hours=2)
    later = service_requests.record_request(
        scene.counter.store, scene.counter.clerk, service_code="MOHA-BIRTH", citizen_name="Kham"
    )
    code = _slip_code(scene.counter, later["tracking"], tmp_path / "after.pdf")
    assert scene.get(f"/s/{code}").status_code == 404
    assert scene.get(f"/s/{scene.code}").status_code == 200
