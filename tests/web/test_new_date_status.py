"""A late request's new date (issue 15, items 3 and 5), end to end: a real counter takes a
request with the citizen's consent to messages, the request runs late, the clerk prints the
new-date notice (a real PDF, read back), the counter syncs with the real client to a real centre
on loopback (SQLite and PostgreSQL); the slip's status page shows the new date in Lao and
English, and `messages.send_due` posts one message about it to the small local gateway
(tests/sync/local_gateway.py: no real gateway can be reached from here). A reprint records
nothing and a second sync queues nothing. One check in Chromium, with screenshots.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import select

from odsc_desk.domain import service_requests
from odsc_desk.shared.errors import StateError, ValidationError
from sync import client
from sync.server import messages, sms_text
from sync.server.db import messages as messages_table
from sync.server.db import requests as centre_requests
from sync.server.db import status_events
from sync.server.sms_gateway import Gateway
from tests.conftest import Counter, FakeClock, make_counter
from tests.receipts.conftest import qr_codes
from tests.sync.conftest import BACKENDS, LiveServer, centre_database, count_rows, running_server
from tests.sync.local_gateway import local_gateway
from tests.web.conftest import SHOTS

PHONE = "020 5555 7351"


@dataclass
class Late:
    server: LiveServer
    counter: Counter
    tracking: str
    code: str  # the slip's QR
    promised: date
    folder: Path

    def get(self, path: str) -> requests.Response:
        return requests.get(
            self.server.url + path, headers={"X-Forwarded-For": "198.51.100.7"}, timeout=10
        )

    def sync(self) -> None:
        result = client.sync_once(self.counter.store)
        assert result.ok and result.parked == 0, result

    def notice(self, name: str, new_day: date | None = None) -> dict[str, Any]:
        from receipts import slips

        return slips.write_notice(
            self.counter.store, self.counter.clerk, self.tracking, "new-date",
            self.folder / name, new_day=new_day,
        )  # fmt: skip


@pytest.fixture(params=BACKENDS)
def centre_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with centre_database(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def late(
    centre_url: str, tmp_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Late]:
    """A consenting request, in process, synced; then both clocks moved past its promised date."""
    from odsc_desk.shared.catalog_file import demo_catalog_path
    from receipts import slips
    from sync.server.enrollment import TRUSTED_PROXIES_ENV

    monkeypatch.setenv(TRUSTED_PROXIES_ENV, "127.0.0.1")
    c = make_counter(tmp_path / "counter", clock)
    with running_server(centre_url) as server:
        server.clock.moment = clock.moment
        server.publish_catalog(demo_catalog_path())
        client.enroll_counter(c.store, c.admin, server.url, server.enroll_code("VTE-SST", 1))
        taken = service_requests.record_request(
            c.store, c.clerk, service_code="MOHA-BIRTH", citizen_name="ນາງ ນ້ອຍ",
            phone=PHONE, sms_lang="lo",
        )  # fmt: skip
        tracking = taken["tracking"]
        service_requests.change_status(c.store, c.clerk, tracking, "in_process")
        slips.write_slip(c.store, c.clerk, tracking, tmp_path / "slip.pdf", "80mm")
        (code,) = qr_codes(tmp_path / "slip.pdf")
        promised = date.fromisoformat(taken["promised_date"])
        made = Late(server, c, tracking, code, promised, tmp_path)
        made.sync()
        # Three days past the promise, a Monday to Friday: the clerk is at the counter.
        day = promised + timedelta(days=3)
        while day.weekday() > 4:
            day += timedelta(days=1)
        clock.set_local(day.year, day.month, day.day)
        server.clock.moment = clock.moment
        yield made
    c.store.close()


def _pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_the_new_date_is_recorded_synced_shown_and_told_once(late: Late) -> None:
    before = late.get(f"/s/{late.code}?lang=en")
    assert "ask the office for the new date" in before.text
    assert 'id="request-new-date"' not in before.text

    printed = late.notice("new-date.pdf")
    new_day = date.fromisoformat(printed["new_date"])
    assert new_day.strftime("%d/%m/%Y") in _pdf_text(late.folder / "new-date.pdf")
    request = service_requests.get_request(late.counter.store, late.tracking)
    # The first promise stands: the request stays overdue, and its status is unchanged.
    assert request["promised_date"] == late.promised.isoformat()
    assert request["status"] == "in_process"
    assert request["history"][-1]["status"] == "in_process"
    events = len(request["history"])

    # The same notice printed again the same day records nothing.
    again = late.notice("again.pdf")
    assert again["new_date"] == printed["new_date"]
    assert len(service_requests.get_request(late.counter.store, late.tracking)["history"]) == events

    late.sync()
    late.sync()  # nothing new: nothing queued again
    with late.server.engine.connect() as conn:
        stored = conn.execute(
            select(status_events.c.status, status_events.c.new_date).where(
                status_events.c.new_date.is_not(None)
            )
        ).all()
        request_row = conn.execute(
            select(centre_requests.c.status, centre_requests.c.promised_date)
        ).one()
    assert [tuple(r) for r in stored] == [("in_process", new_day.isoformat())]
    assert tuple(request_row) == ("in_process", late.promised.isoformat())

    shown = late.get(f"/s/{late.code}?lang=en")
    assert shown.status_code == 200
    assert f"the office gave it a new date, {new_day:%d/%m/%Y}" in shown.text
    assert f'id="request-new-date"><strong>{new_day:%d/%m/%Y}' in shown.text
    # Its status is still dated by the day it took it, not by the new date's.
    assert before.text.count("since") == shown.text.count("since") >= 1
    since = before.text.split("since", 1)[1][:30]
    assert since in shown.text
    lao = late.get(f"/s/{late.code}")
    assert f"ຫ້ອງການໄດ້ໃຫ້ວັນນັດໃໝ່ ແມ່ນວັນທີ {new_day:%d/%m/%Y}" in lao.text
    typed = requests.post(
        late.server.url + "/status?lang=en",
        data={"tracking": late.tracking, "digits": "7351"},
        headers={"X-Forwarded-For": "198.51.100.8"},
        timeout=10,
    )
    assert f"new date, {new_day:%d/%m/%Y}" in typed.text

    with local_gateway() as gateway:
        gate = Gateway(gateway.url, "gateway-token", "ODSC", 5.0)
        sent = messages.send_due(late.server.engine, gate, late.server.clock())
        later = late.server.clock() + timedelta(hours=2)
        again_sent = messages.send_due(late.server.engine, gate, later)
    assert (sent.sent, again_sent.sent) == (1, 0)
    [body] = gateway.received
    assert late.tracking in body["text"] and new_day.strftime("%d/%m/%Y") in body["text"]
    assert "ວັນນັດໃໝ່" in body["text"] and body["encoding"] == "ucs2"
    assert sms_text.count(body["text"]).segments == 1
    with late.server.engine.connect() as conn:
        [message] = conn.execute(select(messages_table)).all()
    assert (message.kind, message.lang, message.state) == ("new_date", "lo", "sent")

    # Past the new date too: the page no longer shows it, and asks the citizen to see the office.
    late.server.clock.moment += (new_day - late.server.clock().date()) + timedelta(days=2)
    past = late.get(f"/s/{late.code}?lang=en")
    assert "ask the office for the new date" in past.text
    assert 'id="request-new-date"' not in past.text


@pytest.mark.parametrize("centre_url", ["sqlite"], indirect=True)
def test_bad_new_dates_are_refused_in_both_languages_and_record_nothing(late: Late) -> None:
    store, clerk = late.counter.store, late.counter.clerk
    today = late.counter.clock().date()
    saturday = today + timedelta(days=(5 - today.weekday()) % 7 or 7)
    cases = [
        (today, "new_date.not_future"),
        (late.promised, "new_date.not_future"),
        (saturday, "new_date.not_working_day"),
    ]
    rows = store.scalar_int("SELECT count(*) FROM status_events")
    for day, code in cases:
        with pytest.raises(ValidationError) as refused:
            late.notice(f"bad-{day}.pdf", day)
        assert refused.value.code == code, day
        lo, en = refused.value.message_lo, refused.value.message_en
        assert day.isoformat() in en and "nothing was recorded" in en
        assert day.isoformat() in lo and "ບໍ່ມີຫຍັງຖືກບັນທຶກ" in lo
        assert not (late.folder / f"bad-{day}.pdf").exists()
    assert store.scalar_int("SELECT count(*) FROM status_events") == rows

    # Not late yet: a request taken today has nothing to put off.
    fresh = service_requests.record_request(
        store, clerk, service_code="MOHA-BIRTH", citizen_name="Noy"
    )
    with pytest.raises(StateError) as refused_state:
        service_requests.record_new_date(
            store, clerk, fresh["tracking"], today + timedelta(days=30)
        )
    assert refused_state.value.code == "notice.not_overdue"
    assert store.scalar_int("SELECT count(*) FROM status_events") == rows


@pytest.mark.parametrize("centre_url", ["sqlite"], indirect=True)
def test_in_chromium_at_a_phones_size(late: Late, chromium: Any) -> None:
    printed = late.notice("new-date.pdf")
    late.sync()
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = chromium.new_context(
        viewport={"width": 360, "height": 740}, locale="lo-LA", java_script_enabled=False
    )
    tab = context.new_page()
    try:
        tab.goto(late.server.url + f"/s/{late.code}")
        new_day = date.fromisoformat(printed["new_date"]).strftime("%d/%m/%Y")
        assert tab.inner_text("#request-new-date") == new_day
        assert "ວັນນັດໃໝ່" in tab.inner_text("#request")
        tab.screenshot(path=str(SHOTS / "status-new-date-lo.png"), full_page=True)
        tab.click("#other-lang")
        assert new_day in tab.inner_text("#request-late")
        tab.screenshot(path=str(SHOTS / "status-new-date-en.png"), full_page=True)
    finally:
        context.close()
    assert count_rows(late.server.engine)["status_events"] >= 2
