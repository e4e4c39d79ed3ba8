"""The citizen's consent to messages, as the counter takes and keeps it."""

from __future__ import annotations

import hashlib
import sqlite3

import pytest

from odsc_desk.domain import service_requests
from odsc_desk.shared.canonical import canonical
from odsc_desk.shared.errors import ValidationError
from odsc_desk.shared.messages import MESSAGES


def _take(counter, **given):
    return service_requests.record_request(
        counter.store,
        counter.clerk,
        service_code="MOHA-BIRTH",
        citizen_name="ນາງ ນ້ອຍ",
        **given,
    )


@pytest.mark.parametrize("lang", ["lo", "en"])
def test_consent_and_its_language_are_kept_and_queued(counter, lang):
    request = _take(counter, phone="020 5555 1234", sms_lang=lang)
    row = counter.store.one("SELECT * FROM requests WHERE id = ?", (request["id"],))
    assert (row["sms_consent"], row["sms_lang"]) == (1, lang)
    op = counter.store.one("SELECT payload, sha256 FROM outbox WHERE entity = 'requests'")
    assert f'"sms_consent":1,"sms_lang":"{lang}"' in op["payload"]
    assert op["sha256"] == hashlib.sha256(canonical(row)).hexdigest()


def test_without_consent_the_row_is_what_a_released_counter_wrote(counter):
    request = _take(counter, phone="020 5555 1234")
    row = counter.store.one("SELECT * FROM requests WHERE id = ?", (request["id"],))
    assert row["sms_consent"] is None and row["sms_lang"] is None
    payload = counter.store.one("SELECT payload FROM outbox WHERE entity = 'requests'")["payload"]
    assert "sms_" not in payload


@pytest.mark.parametrize(
    ("given", "code", "field"),
    [
        ({"sms_lang": "lo"}, "sms.needs_phone", "phone"),
        ({"sms_lang": "lo", "phone": "  "}, "sms.needs_phone", "phone"),
        ({"sms_lang": "fr", "phone": "020 5555 1234"}, "sms.lang", "sms_lang"),
        ({"sms_lang": "", "phone": "020 5555 1234"}, "sms.lang", "sms_lang"),
    ],
)
def test_a_bad_consent_is_refused_and_nothing_is_written(counter, given, code, field):
    before = counter.store.one(
        "SELECT (SELECT count(*) FROM requests) AS r, (SELECT count(*) FROM outbox) AS o"
    )
    with pytest.raises(ValidationError) as refused:
        _take(counter, **given)
    assert (refused.value.code, refused.value.field) == (code, field)
    lao, english = MESSAGES[code]
    assert lao and english and lao != english
    after = counter.store.one(
        "SELECT (SELECT count(*) FROM requests) AS r, (SELECT count(*) FROM outbox) AS o"
    )
    assert after == before


def test_the_store_refuses_a_consent_it_cannot_mean(counter):
    """The schema's own checks, beneath the rules: consent is 1 or nothing, Lao or English."""
    _take(counter, phone="020 5555 1234", sms_lang="lo")
    for statement in (
        "INSERT INTO requests SELECT id || 'x', tracking || 'x', business_date, daily_seq + 1,"
        " created_at, created_by, citizen_name, name_key, phone, id_number, village,"
        " service_code, catalog_version, fee, promised_date, documents, 0, sms_lang"
        " FROM requests",
        "INSERT INTO requests SELECT id || 'y', tracking || 'y', business_date, daily_seq + 2,"
        " created_at, created_by, citizen_name, name_key, phone, id_number, village,"
        " service_code, catalog_version, fee, promised_date, documents, 1, 'fr'"
        " FROM requests",
    ):
        with pytest.raises(sqlite3.IntegrityError, match="CHECK constraint failed: sms_"):
            counter.store.conn.execute(statement)
