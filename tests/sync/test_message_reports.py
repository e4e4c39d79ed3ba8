"""The gateway's delivery reports, the `odsc-server messages` commands, and the SMS segment
count. A bad report is refused with its code and changes nothing."""

from __future__ import annotations

import json
from contextlib import nullcontext

import pytest
import requests

from sync.server import cli, messages, sms_text
from sync.server.sms_gateway import Gateway, international
from sync.server.sms_reports import DELIVERY, SECRET_ENV
from tests.sync.conftest import assert_problem, count_rows
from tests.sync.local_gateway import local_gateway
from tests.sync.test_messages import enrolled, mark, queued, synced, take

SECRET = "s3cret-shared-with-the-gateway"


@pytest.fixture
def sent(live_server, sync_counter, monkeypatch):
    """A message sent through the local gateway (its id "gw-1"), and the report secret set."""
    monkeypatch.setenv(SECRET_ENV, SECRET)
    counter = enrolled(live_server, sync_counter)
    mark(counter, take(counter), "ready")
    synced(counter)
    with local_gateway() as gateway:
        gw = Gateway(gateway.url, None, "ODSC", 5.0)
        messages.send_due(live_server.engine, gw, live_server.clock())
    return live_server


def report(server, body: bytes | str, secret: str | None = SECRET) -> requests.Response:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Gateway-Secret"] = secret
    data = body.encode() if isinstance(body, str) else body
    return requests.post(server.url + DELIVERY, data=data, headers=headers, timeout=10)


def test_a_delivery_report_is_kept(sent):
    reply = report(sent, json.dumps({"id": "gw-1", "status": "delivered"}))
    assert reply.status_code == 200, reply.text
    [message] = queued(sent)
    assert reply.json() == {"message": message["id"], "delivery": "delivered"}
    assert message["delivery"] == "delivered" and message["delivery_at"] is not None
    assert message["state"] == "sent"


@pytest.mark.parametrize(
    ("body", "secret", "status", "code"),
    [
        ('{"id": "gw-1", "status": "delivered"}', None, 401, "messages.secret"),
        ('{"id": "gw-1", "status": "delivered"}', "wrong", 401, "messages.secret"),
        ('{"id": "gw-1", "status": "delivered"}', SECRET + "x", 401, "messages.secret"),
        ('{"id": "gw-1", "status": ', SECRET, 400, "body.json"),
        ('["gw-1", "delivered"]', SECRET, 422, "messages.report"),
        ('{"id": "gw-1", "status": "read by grandma"}', SECRET, 422, "messages.report"),
        ('{"id": "", "status": "delivered"}', SECRET, 422, "messages.report"),
        ('{"id": true, "status": "delivered"}', SECRET, 422, "messages.report"),
        ('{"status": "delivered"}', SECRET, 422, "messages.report"),
        ('{"id": "gw-999", "status": "failed"}', SECRET, 404, "messages.unknown"),
    ],
)
def test_a_bad_report_is_refused_and_changes_nothing(sent, body, secret, status, code):
    before, rows = count_rows(sent.engine), queued(sent)
    assert_problem(report(sent, body, secret), status, code)
    assert count_rows(sent.engine) == before
    assert queued(sent) == rows


def test_without_a_secret_the_endpoint_is_closed(sent, monkeypatch):
    monkeypatch.delenv(SECRET_ENV)
    rows = queued(sent)
    assert_problem(report(sent, '{"id": "gw-1", "status": "delivered"}'), 404, "messages.off")
    assert queued(sent) == rows


# -- the commands ---------------------------------------------------------------------------


def test_messages_list_shows_the_queue_with_phones_masked(sent, capsys):
    assert cli.main(["messages", "list", "--db", sent.db_url]) == 0
    out = capsys.readouterr().out
    assert "ready  lo  to ********234  sent after 1 tries  1 segment(s)" in out
    assert "5555" not in out
    assert cli.main(["messages", "list", "--db", sent.db_url, "--json"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert (row["state"], row["gateway_id"], row["phone"]) == ("sent", "gw-1", "********234")
    assert cli.main(["messages", "list", "--db", sent.db_url, "--state", "failed"]) == 0
    assert "No message" in capsys.readouterr().out


def test_messages_send_posts_through_the_gateway_of_the_environment(
    live_server, sync_counter, monkeypatch, capsys
):
    counter = enrolled(live_server, sync_counter)
    mark(counter, take(counter), "ready")
    synced(counter)
    with local_gateway() as gateway:
        monkeypatch.setenv("ODSC_SERVER_SMS_URL", gateway.url)
        monkeypatch.setenv("ODSC_SERVER_SMS_TOKEN", "tok")
        code = cli.main(
            ["messages", "send", "--db", live_server.db_url, "--sender", "SST", "--json"]
        )
    assert code == 0
    assert json.loads(capsys.readouterr().out) == {
        "sent": 1,
        "retrying": 0,
        "failed": 0,
        "deferred": 0,
    }
    assert gateway.received[0]["from"] == "SST"
    assert gateway.headers[0]["Authorization"] == "Bearer tok"


@pytest.mark.parametrize(
    ("argv", "code", "said"),
    [
        (["messages", "send"], 1, "no SMS gateway"),
        (["messages", "send", "--gateway", "ftp://x"], 1, "must be an http(s) URL"),
        (["messages", "send", "--gateway", "http://x", "--daily-cap", "0"], 2, "--daily-cap"),
        (["messages", "send", "--gateway", "http://x", "--max-tries", "two"], 2, "--max-tries"),
        (["messages", "list", "--state", "lost"], 2, "--state"),
    ],
)
def test_bad_command_lines_are_refused(tmp_path, monkeypatch, capsys, argv, code, said):
    monkeypatch.delenv("ODSC_SERVER_SMS_URL", raising=False)
    db = f"sqlite:///{tmp_path / 'centre.sqlite3'}"
    with pytest.raises(SystemExit) if code == 2 else nullcontext():
        assert cli.main([*argv, "--db", db]) == code
    assert said in capsys.readouterr().err


# -- the segment count ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "encoding", "units", "segments"),
    [
        ("a" * 160, "gsm7", 160, 1),
        ("a" * 161, "gsm7", 161, 2),
        ("a" * 306, "gsm7", 306, 2),
        ("a" * 307, "gsm7", 307, 3),
        ("€" * 80, "gsm7", 160, 1),  # an extension character takes two septets
        ("€" * 81, "gsm7", 162, 2),
        ("ກ" * 70, "ucs2", 70, 1),
        ("ກ" * 71, "ucs2", 71, 2),
        ("ກ" * 134, "ucs2", 134, 2),
        ("ກ" * 135, "ucs2", 135, 3),
        ("a" * 69 + "ກ", "ucs2", 70, 1),  # one Lao letter makes the whole message UCS-2
        ("😀" * 35, "ucs2", 70, 1),  # outside the BMP: two UTF-16 units each
        ("😀" * 36, "ucs2", 72, 2),
    ],
)
def test_segments_are_counted_as_a_phone_sends_them(text, encoding, units, segments):
    assert sms_text.count(text) == sms_text.Count(encoding, units, segments)


@pytest.mark.parametrize("kind", sms_text.KINDS)
@pytest.mark.parametrize(
    ("lang", "name"),
    [("lo", "ຫ້ອງການປະຕູດຽວ ສີສັດຕະນາກ"), ("en", "Sisattanak One-Door Service Centre")],
)
def test_every_message_fits_one_segment(kind, lang, name):
    text = sms_text.compose(kind, lang, "VTE-SST-12-261126-0042", "VTE-SST", name)
    assert sms_text.count(text).segments == 1
    assert "VTE-SST-12-261126-0042" in text


def test_a_long_office_name_gives_way_to_its_code():
    name = "ຫ້ອງການບໍລິການປະຕູດຽວ ເມືອງສີສັດຕະນາກ ນະຄອນຫຼວງວຽງຈັນ"
    text = sms_text.compose("ready", "lo", "VTE-SST-1-261126-0042", "VTE-SST", name)
    assert text.endswith("VTE-SST") and name not in text
    assert sms_text.count(text).segments == 1


@pytest.mark.parametrize(
    ("phone", "e164"),
    [
        ("02055551234", "+8562055551234"),
        ("2055551234", "+8562055551234"),
        ("+8562055551234", "+8562055551234"),
        ("008562055551234", "+8562055551234"),
        ("8562055551234", "+8562055551234"),
    ],
)
def test_a_lao_number_is_sent_in_international_form(phone, e164):
    assert international(phone) == e164
