"""A receipt anyone can check (issue 15, item 2), end to end: a real counter enrolls with a real
centre on loopback that knows its public address (ODSC_PUBLIC_URL), prints a receipt (a real
PDF), its QR is decoded from the PDF (zxing-cpp) and opened in Chromium at a phone's size;
then the counter syncs, voids, refunds, and the page follows. Forged, altered and replayed codes
and typed guesses are refused alike, slowed per address, and leave every row as it was.
"""

from __future__ import annotations

import base64
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

from odsc_desk.domain import cash, payments, signing
from odsc_desk.shared import receipt_code
from odsc_desk.shared.catalog_file import demo_catalog_path
from odsc_desk.storage import sync_state
from receipts.receipt import print_receipt
from sync import client, protocol
from sync.server import enrollment, hierarchy, verify
from sync.server.db import devices, open_db, writing
from sync.server.enrollment import TRUSTED_PROXIES_ENV
from sync.server.public_address import PUBLIC_URL_ENV
from sync.server.web.site import CSP
from sync.server.web.verify_pages import WRONG_TRIES
from tests.conftest import Counter, FakeClock
from tests.receipts.conftest import qr_codes
from tests.sync.conftest import (
    BACKENDS,
    LiveServer,
    centre_database,
    count_rows,
    free_port,
    make_office_counter,
    visit,
)
from tests.web.conftest import SHOTS
from tests.web.test_page_weight import Wire, described, total

PHONE = {"width": 360, "height": 740}
PAGE_BUDGET = 50_000  # bytes on the wire, fonts included (issue 15, item 6)
OFFICE_LO = "ຫ້ອງການບໍລິການປະຕູດຽວ ສີສັດຕະນາກ"
OFFICE_EN = "Sisattanak One-Door Service Office"
SHOT_DIR = SHOTS / "verify"


@dataclass
class Scene:
    server: LiveServer
    counter: Counter

    @property
    def url(self) -> str:
        return self.server.url

    def pay_and_print(self, tmp: Path, name: str = "ນາງ ນ້ອຍ") -> tuple[dict[str, Any], str]:
        """A visit paid and its receipt printed to a PDF: (payment, the QR's text)."""
        payment = visit(self.counter, name=name)
        out = tmp / f"{payment['receipt']}.pdf"
        print_receipt(self.counter.store, self.counter.clerk, payment["receipt"], out)
        (text,) = qr_codes(out)
        return payment, text


def _start(db_url: str, clock: FakeClock, public: bool, monkeypatch: pytest.MonkeyPatch) -> Any:
    port = free_port()
    if public:
        monkeypatch.setenv(PUBLIC_URL_ENV, f"http://127.0.0.1:{port}/")
    else:
        monkeypatch.delenv(PUBLIC_URL_ENV, raising=False)
    engine = open_db(db_url)
    server = LiveServer(engine=engine, clock=clock, db_url=db_url, port=port)
    server.start()
    return server


@pytest.fixture(params=BACKENDS)
def server_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty centre database, on SQLite and on PostgreSQL."""
    with centre_database(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def scene(
    tmp_path: Path, server_db_url: str, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Scene]:
    """A centre that knows its public address (its own loopback one), and an enrolled counter
    of VTE-SST with its drawer open; the counter and the centre share one clock."""
    monkeypatch.setenv(TRUSTED_PROXIES_ENV, "127.0.0.1")
    server = _start(server_db_url, clock, True, monkeypatch)
    counter = make_office_counter(tmp_path / "counter", clock)
    try:
        code = server.enroll_code("VTE-SST", 1)
        with writing(server.engine) as conn:
            hierarchy.add_office(conn, "VTE-SST", None, None, OFFICE_EN, OFFICE_LO, clock())
        client.enroll_counter(counter.store, counter.admin, server.url, code)
        cash.open_cash(counter.store, counter.clerk, 0)
        yield Scene(server, counter)
    finally:
        counter.store.close()
        server.stop()
        server.engine.dispose()


@pytest.fixture
def phone(chromium: Any) -> Iterator[Any]:
    context = chromium.new_context(viewport=PHONE, locale="lo-LA", java_script_enabled=False)
    yield context.new_page()
    context.close()


def _get(scene: Scene, path: str, address: str = "203.0.113.10", **params: str) -> Any:
    return requests.get(
        scene.url + path,
        params=params or None,
        headers={"X-Forwarded-For": address},
        timeout=10,
    )


def _verdict(html: str) -> str:
    """The verdict section of a page, as text (the form around it echoes what was typed)."""
    found = re.search(r'<section class="verdict.*?</section>', html, re.S)
    assert found, html
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found[0])).strip()


def _shot(page: Any, name: str) -> None:
    SHOT_DIR.mkdir(parents=True, exist_ok=True)
    lang = page.get_attribute("html", "lang")
    page.screenshot(path=str(SHOT_DIR / f"{name}-{lang}.png"), full_page=True)


def _both(page: Any, name: str) -> None:
    """Screenshots in Lao and, by the language link, in English; back to Lao."""
    assert page.get_attribute("html", "lang") == "lo"
    _shot(page, name)
    page.click("#other-lang")
    assert page.get_attribute("html", "lang") == "en"
    _shot(page, name)
    page.click("#other-lang")


def _code(link: str) -> str:
    return link.rsplit("/v/", 1)[-1]


def _with_amount(code: str, amount: int) -> str:
    """The same signature over a claim for another amount: a replayed (or edited) code."""
    parts = code.split(":")
    parts[2] = str(amount)
    return ":".join(parts)


# -- the QR on the receipt, opened in a phone's browser -------------------------------------------


def test_a_printed_receipt_s_qr_opens_its_check_through_sync_void_and_refund(
    scene: Scene, phone: Any, tmp_path: Path
) -> None:
    payment, link = scene.pay_and_print(tmp_path)
    # The QR holds the centre's address (as the centre sent it at enrollment) and the code.
    assert sync_state.read(scene.counter.store)["public_url"] == scene.url
    assert link.startswith(f"{scene.url}/v/ODSC1:{payment['receipt']}:{payment['amount']}:")
    claim = receipt_code.verify(_code(link), signing.public_key_map(scene.counter.store))
    assert claim.receipt == payment["receipt"]

    phone.goto(link)
    text = phone.inner_text("main")
    assert "ແທ້: ລົງລາຍເຊັນໂດຍປ່ອງບໍລິການ 1 ຂອງ " + OFFICE_LO in text
    assert payment["receipt"] in text and "ກີບ" in text
    assert "ປ່ອງບໍລິການຍັງບໍ່ໄດ້ລາຍງານ" in text  # not yet reported by the counter
    assert "ນາງ ນ້ອຍ" not in phone.content()  # the payer's name is on the receipt, not here
    _both(phone, "unreported")
    phone.click("#other-lang")
    english = phone.inner_text("main")
    assert f"Genuine: signed by counter 1 of {OFFICE_EN}" in english
    assert "Not yet reported by the counter" in english
    printed = payment["at"]
    assert _printed_minute(printed) in english

    assert client.sync_once(scene.counter.store).ok
    assert "The centre holds this payment and it stands" in _en(phone, link)
    phone.goto(link)
    _both(phone, "stands")

    payments.void_payment(
        scene.counter.store,
        scene.counter.clerk,
        payment["receipt"],
        "ພິມຜິດ",
        scene.counter.supervisor,
    )
    scene.counter.clock.advance(minutes=5)
    assert client.sync_once(scene.counter.store).ok
    voided = _en(phone, link)
    assert "Voided on" in voided and "this receipt no longer counts" in voided
    phone.goto(link)
    _both(phone, "voided")

    second, second_link = scene.pay_and_print(tmp_path, name="ທ້າວ ສົມສັກ")
    payments.refund_payment(
        scene.counter.store,
        scene.counter.clerk,
        second["receipt"],
        4_000,
        "overcharged",
        scene.counter.supervisor,
    )
    assert client.sync_once(scene.counter.store).ok
    assert "4,000 kip refunded on" in _en(phone, second_link)


def _en(page: Any, link: str) -> str:
    page.goto(link + "?lang=en")
    return str(page.inner_text("main"))


def _printed_minute(stamp: str) -> str:
    from odsc_desk.shared.clock import VIENTIANE, parse_stamp

    local = parse_stamp(stamp).astimezone(VIENTIANE)
    return f"{local:%d/%m/%Y %H:%M}"


def test_the_page_keeps_its_budget_and_its_headers(
    scene: Scene, chromium: Any, tmp_path: Path
) -> None:
    _, link = scene.pay_and_print(tmp_path)
    context = chromium.new_context(viewport=PHONE, locale="lo-LA")
    try:
        wire = Wire(context.new_page())
        first = wire.load(link)
        fetched = {url.rsplit("/", 1)[-1] for url in first}
        assert {"web.css", "NotoSansLao-Regular.woff2", "NotoSansLao-Bold.woff2"} <= fetched
        assert total(first) <= PAGE_BUDGET, described(first)
        form = wire.load(scene.url + "/verify")
        assert total(form) <= PAGE_BUDGET, described(form)
        # Large tap targets: the form's fields and buttons, the links.
        for selector in ("#code", "#receipt", "#amount", "button", ".public-nav a"):
            for box in wire.page.locator(selector).all():
                assert box.bounding_box()["height"] >= 44, selector
    finally:
        context.close()
    answer = _get(scene, "/v/" + _code(link))
    assert answer.headers["Content-Security-Policy"] == CSP
    assert answer.headers["Cache-Control"] == "no-store"
    assert "set-cookie" not in answer.headers
    assert "<script" not in answer.text and "style=" not in answer.text


def test_the_form_by_keyboard_with_scripts_off_typed_and_pasted(
    scene: Scene, phone: Any, tmp_path: Path
) -> None:
    payment, link = scene.pay_and_print(tmp_path)
    assert client.sync_once(scene.counter.store).ok
    phone.goto(scene.url + "/verify")
    _both(phone, "form")
    phone.focus("#receipt")
    phone.keyboard.type(payment["receipt"].lower())
    phone.keyboard.press("Tab")
    phone.keyboard.type(f"{payment['amount']:,}")
    phone.keyboard.press("Enter")
    phone.wait_for_selector("#verdict")
    assert "ພົບຢູ່ສູນກາງ (ບໍ່ໄດ້ກວດລາຍເຊັນ)" in phone.inner_text("#verdict")
    _both(phone, "typed-found")
    code = _code(link)
    phone.goto(scene.url + "/verify")
    phone.fill("#code", _with_amount(code, payment["amount"] * 10))
    phone.click("text=ກວດລະຫັດ")
    phone.wait_for_selector("#verdict")
    assert phone.inner_text("#verdict").startswith("ບໍ່ແທ້")
    _both(phone, "not-genuine")
    phone.goto(scene.url + "/verify?receipt=VTE%2FSST&amount=ten")
    _both(phone, "typed-bad")


def test_every_state_of_the_page_passes_axe_in_both_languages(
    scene: Scene, chromium: Any, tmp_path: Path
) -> None:
    """axe-core, as tests/web/test_accessibility.py runs it, on the form, its errors, each
    verdict and the refusal: no serious or critical violation."""
    from tests.web.test_accessibility import AXE, AXE_PATH, BLOCKING, _described, violations

    payment, link = scene.pay_and_print(tmp_path)
    code = _code(link)
    context = chromium.new_context(viewport=PHONE, locale="lo-LA")
    source = AXE.read_text(encoding="utf-8")
    context.route(
        scene.url + AXE_PATH,
        lambda route: route.fulfill(body=source, content_type="text/javascript"),
    )
    tab = context.new_page()
    try:
        for path in [
            "/verify",
            "/verify?receipt=VTE%2FSST&amount=ten",
            f"/v/{code}",
            f"/v/{_with_amount(code, 1)}",
            f"/verify?receipt={payment['receipt']}&amount=1",
        ]:
            for lang in ("lo", "en"):
                joiner = "&" if "?" in path else "?"
                tab.goto(f"{scene.url}{path}{joiner}lang={lang}")
                blocking = [v for v in violations(tab, scene.url) if v["impact"] in BLOCKING]
                assert blocking == [], f"{path} {lang}: {_described(blocking)}"
    finally:
        context.close()


# -- what is not genuine ---------------------------------------------------------------------------


def test_altered_forged_replayed_and_unknown_codes_are_all_just_not_genuine(
    scene: Scene, tmp_path: Path
) -> None:
    payment, link = scene.pay_and_print(tmp_path)
    code = _code(link)
    assert client.sync_once(scene.counter.store).ok
    before = count_rows(scene.server.engine)
    genuine = _get(scene, "/v/" + code, lang="en")
    assert genuine.status_code == 200 and "stands" in genuine.text

    digit = code.index(f":{payment['amount']}:") + 1
    altered = code[:digit] + "9" + code[digit + 1 :]  # 150000 -> 950000: one digit changed
    # A whole code signed with a key no counter enrolled with.
    other = signing.new_private_key()
    other_id = receipt_code.key_id(bytes.fromhex(signing.public_key_of(other)))
    claim = receipt_code.payload(payment["receipt"], payment["amount"], payment["at"], other_id)
    forged = f"{claim}:{_b32(signing.sign_with(other, claim.encode()))}"
    # This counter's key id over that other key's signature of the same claim.
    own_id = code.split(":")[4]
    own_claim = receipt_code.payload(payment["receipt"], payment["amount"], payment["at"], own_id)
    mixed = f"{own_claim}:{_b32(signing.sign_with(other, own_claim.encode()))}"
    # The counter's genuine signature carried over to a claim for another amount.
    replayed = _with_amount(code, payment["amount"] + 1000)
    answers = {}
    for name, bad in [
        ("altered", altered),
        ("forged", forged),
        ("replayed", replayed),
        ("mixed", mixed),
        ("truncated", code[:-1]),
        ("junk", "HELLO"),
    ]:
        reply = _get(scene, "/v/" + bad, address=f"198.51.100.{len(answers) + 1}", lang="en")
        assert reply.status_code == 404, name
        answers[name] = _verdict(reply.text)
        assert payment["receipt"] not in answers[name]
    # One answer for every way of being wrong: it never says which part was.
    assert set(answers.values()) == {
        "Not genuine No counter of the centre signed this code, or it was changed."
    }
    # Pasted in the form (bare, or as the link a phone's scanner shows), the genuine one passes.
    for text in (link, link.upper(), f" {code.lower()} "):
        pasted = _get(scene, "/verify", code=text, lang="en")
        assert pasted.status_code == 200 and "Genuine: signed by counter 1" in pasted.text
    assert count_rows(scene.server.engine) == before


def _b32(signature: bytes) -> str:
    return base64.b32encode(signature).decode().rstrip("=")


def test_a_revoked_counter_s_receipts_verify_only_when_printed_before_its_revocation(
    scene: Scene, tmp_path: Path
) -> None:
    _, before_link = scene.pay_and_print(tmp_path)
    scene.counter.clock.advance(minutes=10)
    with writing(scene.server.engine) as conn:
        assert enrollment.revoke(
            conn, scene.counter.store.office["device_id"], scene.server.clock()
        )
    scene.counter.clock.advance(minutes=1)
    _, after_link = scene.pay_and_print(tmp_path, name="Ket")  # printed with the key still here
    kept = _get(scene, "/v/" + _code(before_link), lang="en")
    assert kept.status_code == 200 and "Genuine" in kept.text
    assert "Not yet reported" in kept.text  # a revoked counter can no longer sync it
    late = _get(scene, "/v/" + _code(after_link), lang="en")
    assert late.status_code == 404 and "Not genuine" in late.text


# -- typed by hand --------------------------------------------------------------------------------


def test_the_typed_number_and_amount_say_only_what_the_centre_holds(
    scene: Scene, tmp_path: Path
) -> None:
    payment, _ = scene.pay_and_print(tmp_path)
    receipt, amount = payment["receipt"], payment["amount"]
    # Not yet synced: the centre holds nothing, and says so honestly.
    unsynced = _get(scene, "/verify", receipt=receipt, amount=str(amount), lang="en")
    assert unsynced.status_code == 404
    assert "A receipt printed offline appears here once its counter syncs" in unsynced.text
    assert client.sync_once(scene.counter.store).ok
    # Typed as a person would: lower case, spaces, the amount grouped.
    found = _get(scene, "/verify", receipt=f" {receipt.lower()} ", amount=f"{amount:,}", lang="en")
    assert found.status_code == 200
    assert "Found at the centre (no signature checked)" in found.text
    assert "Typed numbers carry no signature" in found.text
    assert "stands" in found.text and "Genuine" not in found.text
    lao = _get(scene, "/verify", receipt=receipt, amount=str(amount))
    assert "ພົບຢູ່ສູນກາງ (ບໍ່ໄດ້ກວດລາຍເຊັນ)" in lao.text
    wrong = _get(scene, "/verify", receipt=receipt, amount=str(amount + 1), lang="en")
    assert wrong.status_code == 404 and "Not found" in _verdict(wrong.text)
    # Inputs that cannot be a receipt or an amount: told which field, in the page's language.
    for fields, message in [
        ({"receipt": "VTE/SST", "amount": "1000"}, "A receipt number holds only letters"),
        ({"receipt": receipt, "amount": "ten"}, "The amount must be a number of kip above 0"),
        ({"receipt": receipt, "amount": "0"}, "The amount must be a number of kip above 0"),
        ({"receipt": "", "amount": ""}, "A receipt number holds only letters"),
        ({"code": ""}, "or type the receipt number and amount</p>"),
    ]:
        bad = _get(scene, "/verify", lang="en", **fields)
        assert bad.status_code == 400 and message in bad.text, fields
        assert 'aria-invalid="true"' in bad.text
    both = _get(scene, "/verify", receipt="VTE/SST", amount="ten", lang="en")
    assert both.text.count('aria-invalid="true"') == 2
    lao_bad = _get(scene, "/verify", receipt=receipt, amount="ສິບ")
    assert lao_bad.status_code == 400 and "ຈຳນວນເງິນຕ້ອງເປັນຕົວເລກກີບ" in lao_bad.text


def test_ten_thousand_typed_guesses_find_nothing_and_a_guesser_is_made_to_wait(
    scene: Scene, tmp_path: Path
) -> None:
    payment, link = scene.pay_and_print(tmp_path)
    assert client.sync_once(scene.counter.store).ok
    before = count_rows(scene.server.engine)
    # 10,000 guesses at the logic itself: receipt numbers of the right shape around the real
    # one, amounts around real fees; none is the printed pair.
    guesser = random.Random(15)
    prefix = payment["receipt"].rsplit("-", 1)[0]
    found = 0
    with scene.server.engine.connect() as conn:
        for _ in range(10_000):
            receipt = f"{prefix}-{guesser.randrange(2, 1_000_000):06d}"
            amount = guesser.randrange(1, 100) * 5_000
            found += verify.check_typed(conn, receipt, amount) is not None
    assert found == 0
    # Through the page, one address gets WRONG_TRIES answers, then waits, even for a right one.
    for n in range(WRONG_TRIES):
        guess = _get(scene, "/verify", receipt=f"{prefix}-{900_000 + n}", amount="5000")
        assert guess.status_code == 404
    refused = _get(scene, "/verify", receipt=payment["receipt"], amount=str(payment["amount"]))
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert "ກະລຸນາລໍຖ້າ" in refused.text and "wait" in refused.text  # both languages
    assert _get(scene, "/v/" + _code(link)).status_code == 429
    # Another address is not slowed; the wait ends.
    assert _get(scene, "/v/" + _code(link), address="203.0.113.99").status_code == 200
    scene.server.clock.advance(minutes=16)
    assert _get(scene, "/v/" + _code(link)).status_code == 200
    assert count_rows(scene.server.engine) == before


# -- the centre's address, and counters and centres that predate it --------------------------------


def test_an_old_counter_prints_the_bare_code_and_the_form_accepts_it_pasted(
    tmp_path: Path, server_db_url: str, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A centre not told its address (as every released one): counters print the bare code."""
    server = _start(server_db_url, clock, False, monkeypatch)
    counter = make_office_counter(tmp_path / "counter", clock)
    try:
        code = server.enroll_code("VTE-SST", 1)
        client.enroll_counter(counter.store, counter.admin, server.url, code)
        cash.open_cash(counter.store, counter.clerk, 0)
        scene = Scene(server, counter)
        payment, text = scene.pay_and_print(tmp_path)
        assert text.startswith(f"ODSC1:{payment['receipt']}:")  # the bare code, as before
        assert sync_state.read(counter.store)["public_url"] is None
        pasted = _get(scene, "/verify", code=text, lang="en")
        assert pasted.status_code == 200 and "Genuine: signed by counter 1" in pasted.text
    finally:
        counter.store.close()
        server.stop()
        server.engine.dispose()


def test_the_address_comes_with_every_reference_answer_and_goes_when_the_centre_drops_it(
    scene: Scene, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = scene.counter.store
    sync_state.record(store, public_url=None)  # as a counter enrolled before this release
    assert client.sync_once(store).ok
    assert sync_state.read(store)["public_url"] == scene.url
    token = sync_state.read(store)["token"]
    auth = {"Authorization": f"Bearer {token}"}
    none_yet = requests.get(scene.url + protocol.REFERENCE, headers=auth, timeout=10)
    assert none_yet.status_code == 404  # no catalog published: the address comes all the same
    assert none_yet.headers[protocol.PUBLIC_URL_HEADER] == scene.url
    scene.server.publish_catalog(demo_catalog_path())
    reply = requests.get(scene.url + protocol.REFERENCE, headers=auth, timeout=10)
    assert reply.status_code == 200
    assert reply.headers[protocol.PUBLIC_URL_HEADER] == scene.url
    again = requests.get(
        scene.url + protocol.REFERENCE,
        headers={**auth, "If-None-Match": reply.headers["ETag"]},
        timeout=10,
    )
    assert again.status_code == 304 and again.headers[protocol.PUBLIC_URL_HEADER] == scene.url
    # The centre restarted without the setting (or downgraded): the counter prints bare codes.
    scene.server.stop()
    monkeypatch.delenv(PUBLIC_URL_ENV)
    scene.server.start()
    assert client.sync_once(store).ok
    assert sync_state.read(store)["public_url"] is None
    _, text = scene.pay_and_print(tmp_path)
    assert text.startswith("ODSC1:")


def test_a_centre_refuses_to_start_with_an_address_that_is_not_one(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from sync.server import cli

    for bad in ("odsc.gov.la", "ftp://odsc.gov.la", "https://odsc.gov.la/?x=1", "https://"):
        monkeypatch.setenv(PUBLIC_URL_ENV, bad)
        code = cli.main(
            ["serve", "--db", f"sqlite:///{tmp_path / 'c.db'}", "--port", str(free_port())]
        )
        assert code == 1
        assert f"{PUBLIC_URL_ENV}: The public address" in capsys.readouterr().err
    assert not (tmp_path / "c.db").exists()  # refused before the database was made


def test_migration_0011_gives_devices_enrolled_before_their_key_id(server_db_url: str) -> None:
    from sqlalchemy import select, text

    from sync.server.db import make_engine
    from tests.sync.test_hierarchy import at_revision

    at_revision(server_db_url, "0010")
    key = signing.public_key_of(signing.new_private_key())
    old = make_engine(server_db_url)  # no migration: the rows a 0010 centre held
    with writing(old) as conn:
        for counter, (device, public_key) in enumerate([("with-key", key), ("keyless", None)], 1):
            conn.execute(
                text(
                    "INSERT INTO devices (device_id, office, counter, token_sha256, public_key,"
                    " enrolled_at, high_water, ops) VALUES (:device, 'VTE-SST', :counter, :token,"
                    " :key, '2026-11-01T00:00:00.000000Z', 0, 0)"
                ),
                {
                    "device": device,
                    "counter": counter,
                    "token": device.encode().ljust(32, b"."),
                    "key": public_key,
                },
            )
    old.dispose()
    engine = open_db(server_db_url)  # upgrades to head
    try:
        with engine.connect() as conn:
            kept = dict(conn.execute(select(devices.c.device_id, devices.c.key_id)).all())
        assert kept == {"with-key": receipt_code.key_id(bytes.fromhex(key)), "keyless": None}
    finally:
        engine.dispose()


def test_a_check_is_index_look_ups_only(tmp_path: Path) -> None:
    """What keeps a check within its 50 ms on a nation's payments (issue 15): SQLite's plan for
    each of a check's queries searches by an index, never scans a table."""
    from sqlalchemy import select, text

    from sync.server.db import offices, payments, refunds, voids

    engine = open_db(f"sqlite:///{tmp_path / 'centre.db'}")
    queries = [
        select(devices.c.public_key).where(devices.c.key_id == "ABCDEF012345"),
        select(payments).where(payments.c.receipt == "VTE-SST-1-2026-000001"),
        select(payments).where(payments.c.receipt == "X", payments.c.amount == 5),
        select(voids.c.at).where(voids.c.payment_id == "p"),
        select(refunds.c.amount).where(refunds.c.payment_id == "p"),
        select(offices.c.name_lo).where(offices.c.code == "VTE-SST"),
    ]
    try:
        with engine.connect() as conn:
            for query in queries:
                compiled = query.compile(engine, compile_kwargs={"literal_binds": True})
                plan = " ".join(
                    row[-1] for row in conn.execute(text(f"EXPLAIN QUERY PLAN {compiled}"))
                )
                assert "USING INDEX" in plan or "USING PRIMARY KEY" in plan, (str(query), plan)
                assert "SCAN" not in plan, plan
    finally:
        engine.dispose()
